"""An illustrative For You feed simulator (lesson 03): interests, signals, ranking, pools.

**This is a teaching model built from public descriptions, never TikTok's code.** It follows
what is public (see ``data/feed.yaml`` and the course's facts, §1): the three signal families
and interest selection at first open (TikTok newsroom, June 2020), diversity injection, the
scoring shape quoted from the leaked "TikTok Algo 101" (NYT, December 2021)::

    score = P(like)·V_like + P(comment)·V_comment + E(playtime)·V_playtime + P(play)·V_play

"Why this video" (newsroom, December 2022), the EU non-personalised feed (August 2023) and the
industry's "traffic pool" story (NOT official, confidence Low). Its numbers are not TikTok data.

The model, for a person ``u`` and a video ``v`` of topic ``t``, length ``L`` and propensities
hook, completion, like, comment, share (all 0-1)::

    a        = interest of u in t (a profile sums to 1 over the T topics)
    m        = a·T / (a·T + 1)            match: 0 none, 0.5 average interest, -> 1 passion
    P(play)  = hook · (0.3 + 0.7·m)       the viewer stays past the first seconds
    c        = completion · (0.5 + 0.5·m) chance to watch to the end once playing
    P(like)  = P(play) · like · (0.2 + 0.8·m)     (comment, share alike)
    E(playtime) = P(play) · c · L / playtime_unit_seconds

Each round, every person gets ``candidates`` videos (retrieval: topics drawn from their
interests, videos within a topic in proportion to the audience their pool allows), they are
scored and ranked, ``diversity_share`` of the slots go to videos drawn outside the profile, the
top ``feed_length`` are shown (never one already seen), and a video never gets more impressions
than its pool. Behaviour is drawn from the probabilities, interests move towards what people
watched and liked, and videos whose watch time and engagement beat *similar* videos (same topic,
same length bucket) move to the next, larger pool (``tiktok_lab.feed_pools``).

Pure NumPy and pandas, no widgets, no global random state: one ``numpy.random.Generator`` per
call, seeded from ``FeedParams.seed``, so the same parameters give identical DataFrames. Never a
loop per person: loops run over rounds and topics only. The default world (10,000 people × 1,000
videos × 5 rounds) runs in well under 50 ms (``benchmarks/feed.py``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from tiktok_lab.datafiles import Source, data_dir, read_record, unknown_id
from tiktok_lab.i18n import SUPPORTED_LANGUAGES, localized
from tiktok_lab.schemas import KebabId

if TYPE_CHECKING:
    import pandas as pd


class FeedInputError(ValueError):
    """A simulator input a learner can fix (a slider, a typed value): the message says how."""


# --------------------------------------------------------------------------
# The data file (data/feed.yaml).


def _local_text(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError('must give the text in every course language, as {en: "...", fr: "..."}')
    missing = [lang for lang in SUPPORTED_LANGUAGES
               if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        raise ValueError(f'has no "{missing[0]}:" text')
    return {lang: value[lang].strip() for lang in SUPPORTED_LANGUAGES}


LocalText = Annotated[dict[str, str], BeforeValidator(_local_text)]
_Num = dict(allow_inf_nan=False)
BetaPair = Annotated[tuple[Annotated[float, Field(gt=0, le=1000, **_Num)],
                           Annotated[float, Field(gt=0, le=1000, **_Num)]], Field()]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Defaults(_Model):
    n_users: Annotated[int, Field(ge=1, le=1_000_000)]
    n_videos: Annotated[int, Field(ge=1, le=100_000)]
    rounds: Annotated[int, Field(ge=1, le=50)]
    candidates: Annotated[int, Field(ge=1, le=500)]
    feed_length: Annotated[int, Field(ge=1, le=100)]
    v_like: Annotated[float, Field(ge=0, le=100, **_Num)]
    v_comment: Annotated[float, Field(ge=0, le=100, **_Num)]
    v_playtime: Annotated[float, Field(ge=0, le=100, **_Num)]
    v_play: Annotated[float, Field(ge=0, le=100, **_Num)]
    playtime_unit_seconds: Annotated[float, Field(gt=0, le=600, **_Num)]
    diversity_share: Annotated[float, Field(ge=0, le=1, **_Num)]
    personalised: bool
    learning_rate: Annotated[float, Field(ge=0, le=1, **_Num)]
    interest_concentration: Annotated[float, Field(gt=0, le=100, **_Num)]
    n_regions: Annotated[int, Field(ge=1, le=100)]
    recent_days: Annotated[int, Field(ge=0, le=365)]
    promote_percentile: Annotated[float, Field(ge=0, le=100, **_Num)]
    watch_weight: Annotated[float, Field(ge=0, le=1, **_Num)]
    stall_share: Annotated[float, Field(ge=0, le=1, **_Num)]
    seed: Annotated[int, Field(ge=0)]


class IndustryPools(_Model):
    description: LocalText
    figures: Annotated[tuple[Annotated[int, Field(ge=1)], ...], Field(min_length=1)]
    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    confidence: Literal["low", "medium", "high"]


def _increasing(sizes: tuple[int, ...]) -> tuple[int, ...]:
    if any(b <= a for a, b in zip(sizes, sizes[1:])):
        raise ValueError("must grow from each pool to the next")
    return sizes


class Pools(_Model):
    sizes: Annotated[tuple[Annotated[int, Field(ge=1)], ...], Field(min_length=1),
                     AfterValidator(_increasing)]
    industry: IndustryPools


class Topic(_Model):
    id: KebabId
    label: LocalText


class LengthBucket(_Model):
    id: KebabId
    max_seconds: Annotated[float, Field(gt=0, **_Num)]
    label: LocalText


class VideoDraws(_Model):
    length_median_seconds: Annotated[float, Field(gt=0, le=3600, **_Num)]
    length_spread: Annotated[float, Field(ge=0, le=5, **_Num)]
    max_seconds: Annotated[float, Field(gt=0, le=3600, **_Num)]
    hook: BetaPair
    completion: BetaPair
    like: BetaPair
    comment: BetaPair
    share: BetaPair
    max_age_days: Annotated[int, Field(ge=0, le=3650)]


class Reason(_Model):
    id: KebabId
    text: LocalText


def _unique_ids(value: tuple) -> tuple:
    ids = [item.id for item in value]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f'uses the id "{repeated[0]}" twice; ids must be unique')
    return value


def _buckets_ordered(value: tuple) -> tuple:
    _unique_ids(value)
    edges = [bucket.max_seconds for bucket in value]
    if edges != sorted(set(edges)):
        raise ValueError("must be listed from the shortest to the longest max_seconds")
    return value


REASON_IDS = ("interactions", "interests", "followed-account", "suggested-account",
              "recent-in-region", "popular-in-region", "something-different")


def _all_reasons(value: tuple) -> tuple:
    _unique_ids(value)
    missing = [r for r in REASON_IDS if r not in {item.id for item in value}]
    if missing:
        raise ValueError(f'has no reason "{missing[0]}"; the simulator needs all of: '
                         + ", ".join(REASON_IDS))
    return value


class FeedData(_Model):
    """Everything in ``data/feed.yaml``."""

    model: dict[str, LocalText]
    defaults: Defaults
    pools: Pools
    topics: Annotated[tuple[Topic, ...], Field(min_length=1), AfterValidator(_unique_ids)]
    length_buckets: Annotated[tuple[LengthBucket, ...], Field(min_length=1),
                              AfterValidator(_buckets_ordered)]
    videos: VideoDraws
    reasons: Annotated[tuple[Reason, ...], AfterValidator(_all_reasons)]

    def topic_label(self, topic: str, language: str | None = None) -> str:
        for item in self.topics:
            if item.id == topic:
                return localized(item.label, language=language)
        raise unknown_id("topic", topic, [item.id for item in self.topics])

    def reason_text(self, reason: str, language: str | None = None) -> str:
        return localized(next(r.text for r in self.reasons if r.id == reason), language=language)


def load_feed_data(path: Source | None = None) -> FeedData:
    """The simulator's parameters and texts, checked; errors name the file and field."""
    return read_record(path if path is not None else data_dir() / "feed.yaml", "feed", FeedData)


# --------------------------------------------------------------------------
# Parameters.


@dataclass(frozen=True)
class FeedParams:
    """One scenario. ``FeedParams.defaults(v_comment=0)`` starts from ``data/feed.yaml``.

    Every field is checked on creation; a bad value raises :class:`FeedInputError`.
    """

    n_users: int
    n_videos: int
    topics: tuple[str, ...]
    rounds: int
    candidates: int
    feed_length: int
    v_like: float
    v_comment: float
    v_playtime: float
    v_play: float
    diversity_share: float
    personalised: bool
    pool_sizes: tuple[int, ...]
    seed: int
    playtime_unit_seconds: float = 30.0
    learning_rate: float = 0.3
    interest_concentration: float = 0.4
    n_regions: int = 4
    recent_days: int = 3
    promote_percentile: float = 55.0
    watch_weight: float = 0.6
    stall_share: float = 0.1

    @classmethod
    def defaults(cls, **changes: Any) -> "FeedParams":
        data = load_feed_data()
        values = data.defaults.model_dump()
        values["topics"] = tuple(topic.id for topic in data.topics)
        values["pool_sizes"] = data.pools.sizes
        unknown = sorted(set(changes) - set(values))
        if unknown:
            raise FeedInputError(f'"{unknown[0]}" is not a setting of the feed simulator. '
                                 f"Settings: {', '.join(sorted(values))}.")
        return cls(**{**values, **changes})

    def replace(self, **changes: Any) -> "FeedParams":
        return dataclasses.replace(self, **changes)

    @property
    def n_topics(self) -> int:
        return len(self.topics)

    @property
    def weights(self) -> dict[str, float]:
        return {"like": self.v_like, "comment": self.v_comment,
                "playtime": self.v_playtime, "play": self.v_play}

    @property
    def diversity_slots(self) -> int:
        return min(self.feed_length, int(round(self.diversity_share * self.feed_length)))

    def __post_init__(self) -> None:
        _validate(self)


def _number(name: str, value: Any, *, low: float | None = None, high: float | None = None,
            whole: bool = False, low_open: bool = False) -> float:
    """One checked number; the message talks about the setting, never about NumPy."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise FeedInputError(f"{name} must be a number, not {value!r}.")
    if not math.isfinite(float(value)):
        raise FeedInputError(f"{name} must be a number, not {value}.")
    if whole and float(value) != int(value):
        raise FeedInputError(f"{name} must be a whole number, not {value}.")
    if low is not None and (value <= low if low_open else value < low):
        raise FeedInputError(f"{name} must be {'more than' if low_open else 'at least'} {low:g}, "
                             f"not {value}.")
    if high is not None and value > high:
        raise FeedInputError(f"{name} must be at most {high:g}, not {value}.")
    return value


def _validate(p: FeedParams) -> None:
    if isinstance(p.n_users, (int, np.integer)) and not isinstance(p.n_users, bool) \
            and p.n_users <= 0:
        raise FeedInputError("The simulated world needs at least one person (n_users ≥ 1).")
    _number("n_users", p.n_users, low=1, high=1_000_000, whole=True)
    _number("n_videos", p.n_videos, low=1, high=100_000, whole=True)
    _number("rounds", p.rounds, low=1, high=50, whole=True)
    _number("feed_length", p.feed_length, low=1, high=100, whole=True)
    _number("candidates", p.candidates, low=p.feed_length, high=500, whole=True)
    for name in ("v_like", "v_comment", "v_playtime", "v_play"):
        value = getattr(p, name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise FeedInputError(f"The weight {name} cannot be negative ({value}): use 0 to "
                                 "switch a signal off.")
        _number(name, value, low=0, high=100)
    _number("diversity_share", p.diversity_share, low=0, high=1)
    _number("playtime_unit_seconds", p.playtime_unit_seconds, low=0, high=600, low_open=True)
    _number("learning_rate", p.learning_rate, low=0, high=1)
    _number("interest_concentration", p.interest_concentration, low=0, high=100, low_open=True)
    _number("n_regions", p.n_regions, low=1, high=100, whole=True)
    _number("recent_days", p.recent_days, low=0, high=365, whole=True)
    _number("promote_percentile", p.promote_percentile, low=0, high=100)
    _number("watch_weight", p.watch_weight, low=0, high=1)
    _number("stall_share", p.stall_share, low=0, high=1)
    _number("seed", p.seed, low=0, whole=True)
    if not isinstance(p.personalised, (bool, np.bool_)):
        raise FeedInputError(f"personalised must be True or False, not {p.personalised!r}.")
    topics = p.topics
    if isinstance(topics, str) or not isinstance(topics, tuple) or not topics:
        raise FeedInputError("topics must be a non-empty tuple of topic ids, "
                             'such as ("food", "pets").')
    known = [topic.id for topic in load_feed_data().topics]
    for topic in topics:
        check_topic(topic, known)
    if len(set(topics)) != len(topics):
        raise FeedInputError("Each topic may appear only once in topics.")
    sizes = p.pool_sizes
    if not isinstance(sizes, tuple) or not sizes:
        raise FeedInputError("pool_sizes must be a non-empty tuple of audience sizes.")
    for index, size in enumerate(sizes):
        _number(f"Pool {index + 1}", size, low=1, whole=True)
        if size > p.n_users:
            raise FeedInputError(f"Pool {index + 1} ({size} people) is larger than the whole "
                                 f"audience ({p.n_users} people): make it smaller or add people.")
    if any(b <= a for a, b in zip(sizes, sizes[1:])):
        raise FeedInputError("Each pool must be larger than the one before it.")


def check_topic(topic: Any, known: Sequence[str] | None = None) -> str:
    """The topic id, or a FeedInputError listing the known topics."""
    known = list(known) if known is not None else [t.id for t in load_feed_data().topics]
    if topic not in known:
        error = unknown_id("topic", topic, known)
        raise FeedInputError(f"{error} Topics: {', '.join(known)}.")
    return topic


# --------------------------------------------------------------------------
# The world: people and videos.


@dataclass(frozen=True, eq=False)
class World:
    """People (interests, region) and videos (topic, length, propensities, creator, region).

    Arrays are NumPy; ``videos_frame()`` shows the videos as a DataFrame. Make a variant with
    ``dataclasses.replace(world, video_comment=...)`` (tests do, to fix everything else).
    """

    params: FeedParams
    interests: np.ndarray       # (n_users, n_topics) float32, rows sum to 1
    user_region: np.ndarray     # (n_users,) int
    video_topic: np.ndarray     # (n_videos,) int index into params.topics
    video_length: np.ndarray    # seconds, float32
    video_bucket: np.ndarray    # index into data length_buckets
    video_hook: np.ndarray
    video_completion: np.ndarray
    video_like: np.ndarray
    video_comment: np.ndarray
    video_share: np.ndarray
    video_creator: np.ndarray
    video_region: np.ndarray
    video_age_days: np.ndarray

    def videos_frame(self, language: str | None = None) -> "pd.DataFrame":
        import pandas as pd

        data = load_feed_data()
        topics = [data.topic_label(t, language) for t in self.params.topics]
        buckets = [b.id for b in data.length_buckets]
        return pd.DataFrame({
            "video": np.arange(len(self.video_topic)),
            "topic": pd.Categorical.from_codes(self.video_topic, list(self.params.topics)),
            "topic_label": np.asarray(topics, dtype=object)[self.video_topic],
            "length_seconds": self.video_length.astype(float),
            "length_bucket": pd.Categorical.from_codes(self.video_bucket, buckets),
            "hook": self.video_hook.astype(float),
            "completion": self.video_completion.astype(float),
            "like": self.video_like.astype(float),
            "comment": self.video_comment.astype(float),
            "share": self.video_share.astype(float),
            "creator": self.video_creator,
            "region": self.video_region,
            "age_days": self.video_age_days,
        })


def length_bucket_of(seconds: np.ndarray | float) -> np.ndarray:
    """Index of each length's bucket (data/feed.yaml ``length_buckets``)."""
    edges = np.array([b.max_seconds for b in load_feed_data().length_buckets[:-1]])
    return np.searchsorted(edges, np.asarray(seconds, dtype=float), side="left")


@functools.lru_cache(maxsize=16)
def make_world(params: FeedParams | None = None) -> World:
    """The seeded world of a scenario (cached: the same params give the same object)."""
    p = params or FeedParams.defaults()
    draws = load_feed_data().videos
    rng = np.random.default_rng([p.seed, 1])
    n, v, k = p.n_users, p.n_videos, p.n_topics
    interests = rng.dirichlet(np.full(k, p.interest_concentration), size=n).astype(np.float32)
    length = np.exp(rng.normal(math.log(draws.length_median_seconds), draws.length_spread, v))
    length = np.clip(np.round(length), 5, draws.max_seconds).astype(np.float32)

    def beta(pair: tuple[float, float]) -> np.ndarray:
        return rng.beta(pair[0], pair[1], v).astype(np.float32)

    return World(
        params=p,
        interests=interests,
        user_region=rng.integers(0, p.n_regions, n),
        video_topic=rng.integers(0, k, v),
        video_length=length,
        video_bucket=length_bucket_of(length),
        video_hook=beta(draws.hook),
        video_completion=beta(draws.completion),
        video_like=beta(draws.like),
        video_comment=beta(draws.comment),
        video_share=beta(draws.share),
        video_creator=rng.integers(0, max(1, v // 4), v),
        video_region=rng.integers(0, p.n_regions, v),
        video_age_days=rng.integers(0, draws.max_age_days + 1, v),
    )


# --------------------------------------------------------------------------
# Prediction and scoring (the publicly reported shape).


def match(interest: np.ndarray, n_topics: int) -> np.ndarray:
    """0 for no interest, 0.5 for an average one, towards 1 for a passion."""
    scaled = interest * np.float32(n_topics)
    return scaled / (scaled + np.float32(1.0))


def predict(world: World, users: np.ndarray, videos: np.ndarray,
            interests: np.ndarray | None = None, *, personalised: bool | None = None
            ) -> dict[str, np.ndarray]:
    """P(play), completion c, P(like), P(comment), P(share), E(playtime) for user-video pairs.

    In the non-personalised feed the model does not look at the person: every pair uses the
    average match (0.5), so the ranking only reflects the videos.
    """
    p = world.params
    personalised = p.personalised if personalised is None else personalised
    interests = world.interests if interests is None else interests
    if personalised:
        m = match(interests[users, world.video_topic[videos]], p.n_topics)
    else:
        m = np.full(np.shape(videos), 0.5, dtype=np.float32)
    p_play = world.video_hook[videos] * (np.float32(0.3) + np.float32(0.7) * m)
    engage = np.float32(0.2) + np.float32(0.8) * m
    c = world.video_completion[videos] * (np.float32(0.5) + np.float32(0.5) * m)
    return {
        "match": m,
        "p_play": p_play,
        "completion": c,
        "p_like": p_play * world.video_like[videos] * engage,
        "p_comment": p_play * world.video_comment[videos] * engage,
        "p_share": p_play * world.video_share[videos] * engage,
        "e_playtime": p_play * c * world.video_length[videos] / np.float32(p.playtime_unit_seconds),
    }


def score(pred: Mapping[str, np.ndarray], params: FeedParams) -> np.ndarray:
    """P(like)·V_like + P(comment)·V_comment + E(playtime)·V_playtime + P(play)·V_play."""
    return (pred["p_like"] * np.float32(params.v_like)
            + pred["p_comment"] * np.float32(params.v_comment)
            + pred["e_playtime"] * np.float32(params.v_playtime)
            + pred["p_play"] * np.float32(params.v_play))


def _fast_score(world: World, users: np.ndarray, cand: np.ndarray, topic: np.ndarray,
                interests: np.ndarray, personalised: bool) -> np.ndarray:
    """The same score as ``score(predict(...))`` for a whole candidate matrix, with fewer
    operations: with m the match, score = s0 + s1·m + s2·m², s0, s1, s2 computed per video."""
    p = world.params
    a_v = (world.video_like * np.float32(p.v_like)
           + world.video_comment * np.float32(p.v_comment))
    b_v = (world.video_completion * world.video_length
           * np.float32(p.v_playtime / p.playtime_unit_seconds))
    # P(play)·(V_play + engage·A + (0.5 + 0.5m)·B) with P(play) = hook·(0.3 + 0.7m),
    # engage = 0.2 + 0.8m, expanded in powers of m.
    c0 = np.float32(p.v_play) + np.float32(0.2) * a_v + np.float32(0.5) * b_v
    c1 = np.float32(0.8) * a_v + np.float32(0.5) * b_v
    hook = world.video_hook
    s0 = hook * np.float32(0.3) * c0
    if not personalised:
        m = np.float32(0.5)
        return (s0 + hook * ((np.float32(0.3) * c1 + np.float32(0.7) * c0) * m
                             + np.float32(0.7) * c1 * m * m))[cand]
    s1 = hook * (np.float32(0.3) * c1 + np.float32(0.7) * c0)
    s2 = hook * np.float32(0.7) * c1
    m_table = match(interests[users], p.n_topics).ravel()
    m = m_table[np.arange(users.size, dtype=np.int32)[:, None] * np.int32(p.n_topics) + topic]
    return s0[cand] + (s1[cand] + s2[cand] * m) * m


# --------------------------------------------------------------------------
# Retrieval, ranking and diversity: one feed refresh for many people at once.

TABLE_SIZE = 512


def topic_tables(world: World, budget: np.ndarray) -> np.ndarray:
    """(n_topics, TABLE_SIZE) video ids: within a topic, each video appears in proportion to the
    audience its pool allows (systematic sampling), so a random column is a weighted draw."""
    k = world.params.n_topics
    table = np.zeros((k, TABLE_SIZE), dtype=np.int32)
    marks = (np.arange(TABLE_SIZE) + 0.5) / TABLE_SIZE
    order = np.argsort(world.video_topic, kind="stable")
    starts = np.searchsorted(world.video_topic[order], np.arange(k + 1))
    fallback = order[0]
    for t in range(k):
        vids = order[starts[t]:starts[t + 1]]
        weight = budget[vids]
        total = weight.sum()
        if vids.size == 0 or total <= 0:
            table[t] = vids[0] if vids.size else fallback
            continue
        cum = np.cumsum(weight) / total
        table[t] = vids[np.minimum(np.searchsorted(cum, marks), vids.size - 1)]
    return table


def _draw_topics(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw of a topic per column: cum is (n, T) cumulative, u is (n, k)."""
    topic = np.zeros(u.shape, dtype=np.uint8)
    for t in range(cum.shape[1] - 1):
        topic += u > cum[:, t:t + 1]
    return topic.astype(np.int32)


@dataclass(frozen=True)
class Refresh:
    """One feed refresh: for each person (row), candidates, scores and what was shown."""

    users: np.ndarray          # (n,)
    candidates: np.ndarray     # (n, k_main) video ids, ranked by score order not guaranteed
    scores: np.ndarray         # (n, k_main)
    shown: np.ndarray          # (n, feed_length) video ids, -1 = empty slot
    diversity: np.ndarray      # (n, feed_length) True for a slot given to diversity


def refresh_feeds(world: World, users: np.ndarray, interests: np.ndarray, budget: np.ndarray,
                  rng: np.random.Generator, *, topic_weights: np.ndarray | None = None,
                  seen: np.ndarray | None = None) -> Refresh:
    """Retrieve, score, rank, inject diversity, pick the top ``feed_length`` for ``users``.

    ``topic_weights`` (n_regions, n_topics) drives retrieval in the non-personalised feed:
    popular topics in each region instead of the person's interests.
    """
    p = world.params
    n, k_topics = users.size, p.n_topics
    n_div = p.diversity_slots
    n_main = p.feed_length - n_div
    k_main = max(p.candidates - n_div, n_main)
    table = topic_tables(world, budget)
    if p.personalised:
        cum = np.cumsum(interests[users], axis=1, dtype=np.float32)
    else:
        weights = (topic_weights if topic_weights is not None
                   else np.ones((p.n_regions, k_topics), dtype=np.float32))
        region_cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
        cum = region_cum.astype(np.float32)[world.user_region[users]]
    u = rng.random((n, k_main), dtype=np.float32)
    cols = rng.integers(0, TABLE_SIZE, (n, k_main + n_div), dtype=np.int32)
    topic = _draw_topics(cum, u)
    cand = table.ravel()[(topic << 9) | cols[:, :k_main]]
    scores = _fast_score(world, users, cand, topic, interests, p.personalised)
    n_videos = p.n_videos
    if seen is not None:
        seen_flat = seen.reshape(-1)
        base = users[:, None].astype(np.int64) * n_videos
        scores[seen_flat[base + cand]] = -np.inf
    if n_main:
        top = np.argpartition(-scores, n_main - 1, axis=1)[:, :n_main]
        main = np.take_along_axis(cand, top, axis=1)
        if seen is not None:
            main_ok = np.isfinite(np.take_along_axis(scores, top, axis=1))
            main = np.where(main_ok, main, -1)
    else:
        main = np.empty((n, 0), dtype=cand.dtype)
    if n_div:
        # Diversity: a topic drawn uniformly, whatever the profile, and any video in its pool.
        div_topic = rng.integers(0, k_topics, (n, n_div), dtype=np.int32)
        div = table.ravel()[(div_topic << 9) | cols[:, k_main:]]
        if seen is not None:
            div = np.where(seen_flat[base + div], -1, div)
    else:
        div = np.empty((n, 0), dtype=cand.dtype)
    # No video twice in one feed: sort each row (video·2 + diversity flag), blank repeats.
    key = np.concatenate([main * 2, div * 2 + 1], axis=1).astype(np.int64)
    key.sort(axis=1)
    shown = key >> 1
    diversity = (key & 1).astype(bool)
    repeat = np.zeros(shown.shape, dtype=bool)
    repeat[:, 1:] = (shown[:, 1:] == shown[:, :-1])
    shown[repeat | (key < 0)] = -1
    return Refresh(users=users, candidates=cand, scores=scores, shown=shown, diversity=diversity)


def rank_feed(params: FeedParams | None = None, *, users: Iterable[int] = (0,),
              world: World | None = None, interests: np.ndarray | None = None,
              language: str | None = None) -> "pd.DataFrame":
    """First-round feed of some people, every candidate with its predictions and score.

    What the weight sliders re-run: the candidates stay the same (same seed), only the scores
    and the ranking change. Columns: user, video, topic, topic_label, length_seconds, p_play,
    p_like, p_comment, e_playtime, score, rank (1 = top, among interest-based candidates),
    shown, slot ("ranked" or "diversity").
    """
    import pandas as pd

    p = params or FeedParams.defaults()
    world = world if world is not None else make_world(_world_key(p))
    world = dataclasses.replace(world, params=p)
    interests = world.interests if interests is None else _check_interests(interests, p)
    ids = _check_users(users, p)
    budget = np.asarray(p.pool_sizes, dtype=np.float32)[np.zeros(p.n_videos, dtype=np.int64)]
    refresh = refresh_feeds(world, ids, interests, budget, np.random.default_rng([p.seed, 2]))
    frames = []
    n_main = p.feed_length - p.diversity_slots
    for row, user in enumerate(ids):
        rows = [(int(v), "ranked") for v in refresh.candidates[row]]
        rows += [(int(v), "diversity") for v in refresh.shown[row, n_main:] if v >= 0]
        vids = np.array([v for v, _ in rows], dtype=np.int64)
        pred = predict(world, np.full(vids.size, user), vids, interests)
        frame = pd.DataFrame({"user": int(user), "video": vids,
                              "slot": [s for _, s in rows]})
        for key in ("p_play", "p_like", "p_comment", "e_playtime"):
            frame[key] = pred[key].astype(float)
        frame["score"] = score(pred, p).astype(float)
        frame = frame.drop_duplicates(["video", "slot"])
        shown = set(int(v) for v in refresh.shown[row] if v >= 0)
        frame["shown"] = frame["video"].isin(shown)
        ranked = frame["slot"] == "ranked"
        frame["rank"] = pd.NA
        frame.loc[ranked, "rank"] = (frame.loc[ranked, "score"]
                                     .rank(ascending=False, method="first").astype(int))
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    data = load_feed_data()
    out.insert(2, "topic", [p.topics[t] for t in world.video_topic[out["video"]]])
    out.insert(3, "topic_label", [data.topic_label(t, language) for t in out["topic"]])
    out.insert(4, "length_seconds", world.video_length[out["video"]].astype(float))
    out["rank"] = out["rank"].astype("Int64")
    out["slot"] = pd.Categorical(out["slot"], ["ranked", "diversity"])
    return out.sort_values(["user", "slot", "rank"], kind="stable").reset_index(drop=True)


def _world_key(p: FeedParams) -> FeedParams:
    """The part of the params that shapes the world (weights and switches do not)."""
    d = FeedParams.defaults()
    return p.replace(v_like=d.v_like, v_comment=d.v_comment, v_playtime=d.v_playtime,
                     v_play=d.v_play, diversity_share=d.diversity_share, personalised=True,
                     rounds=1, candidates=max(p.candidates, p.feed_length),
                     promote_percentile=d.promote_percentile, watch_weight=d.watch_weight,
                     stall_share=d.stall_share, learning_rate=d.learning_rate,
                     pool_sizes=p.pool_sizes)


def _check_users(users: Iterable[int], p: FeedParams) -> np.ndarray:
    ids = list(users) if not isinstance(users, (int, np.integer)) else [users]
    if not ids:
        raise FeedInputError("Give at least one person (a number from 0).")
    for user in ids:
        if isinstance(user, bool) or not isinstance(user, (int, np.integer)) \
                or not 0 <= user < p.n_users:
            raise FeedInputError(f"People are numbered 0 to {p.n_users - 1}; {user!r} is not one.")
    return np.asarray(ids, dtype=np.int64)


def _check_interests(interests: Any, p: FeedParams) -> np.ndarray:
    array = np.asarray(interests, dtype=np.float32)
    if array.shape != (p.n_users, p.n_topics):
        raise FeedInputError(f"interests must have one row per person and one column per topic "
                             f"({p.n_users} × {p.n_topics}), not {array.shape}.")
    if not np.isfinite(array).all() or (array < 0).any():
        raise FeedInputError("interests must be numbers ≥ 0 (no NaN).")
    total = array.sum(axis=1, keepdims=True)
    return np.where(total > 0, array / np.maximum(total, 1e-12), np.float32(1 / p.n_topics))
