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

Each round, every person's feed is filled place by place. Each ranked place gets a topic drawn
from the person's interests and a few candidates of that topic, drawn in proportion to the
audience their pool allows (retrieval; ``candidates`` in all, shared among the places); the
candidate with the best score that the person has not seen wins the place (ranking; the match
is rated in steps of 1/32 so a score is one lookup). ``diversity_share`` of the slots go to
videos of a topic drawn outside the profile, no video appears twice, and a video never gets
more impressions than its pool. Behaviour is drawn from the probabilities, interests move
towards what people watched and liked, and videos whose watch time and engagement beat
*similar* videos (same topic, same length bucket) move to the next, larger pool
(``tiktok_lab.feed_pools``).

Pure NumPy and pandas, no widgets, no global random state: one ``numpy.random.Generator`` per
call (``fast_rng``), seeded from ``FeedParams.seed``, so the same parameters give identical
DataFrames. Never a loop per person: loops run over rounds, topics and candidate numbers only.
Speed and memory of the default world (10,000 people × 1,000 videos × 5 rounds, target ≤ 50 ms on
one core) and of 10× the people: ``benchmarks/feed.py``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, Field

from tiktok_lab.content_types import ContentModel, TranslatedText, unique_ids
from tiktok_lab.datafiles import Source, data_dir, read_record, unknown_id
from tiktok_lab.i18n import localized
from tiktok_lab.schemas import KebabId

if TYPE_CHECKING:
    import pandas as pd


class FeedInputError(ValueError):
    """A simulator input a learner can fix (a slider, a typed value): the message says how."""


# --------------------------------------------------------------------------
# The data file (data/feed.yaml).


_Num = dict(allow_inf_nan=False)
BetaPair = Annotated[tuple[Annotated[float, Field(gt=0, le=1000, **_Num)],
                           Annotated[float, Field(gt=0, le=1000, **_Num)]], Field()]




class Defaults(ContentModel):
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


class IndustryPools(ContentModel):
    description: TranslatedText
    figures: Annotated[tuple[Annotated[int, Field(ge=1)], ...], Field(min_length=1)]
    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    confidence: Literal["low", "medium", "high"]


def _increasing(sizes: tuple[int, ...]) -> tuple[int, ...]:
    if any(b <= a for a, b in zip(sizes, sizes[1:])):
        raise ValueError("must grow from each pool to the next")
    return sizes


class Pools(ContentModel):
    sizes: Annotated[tuple[Annotated[int, Field(ge=1)], ...], Field(min_length=1),
                     AfterValidator(_increasing)]
    industry: IndustryPools


class Topic(ContentModel):
    id: KebabId
    label: TranslatedText


class LengthBucket(ContentModel):
    id: KebabId
    max_seconds: Annotated[float, Field(gt=0, **_Num)]
    label: TranslatedText


class VideoDraws(ContentModel):
    length_median_seconds: Annotated[float, Field(gt=0, le=3600, **_Num)]
    length_spread: Annotated[float, Field(ge=0, le=5, **_Num)]
    max_seconds: Annotated[float, Field(gt=0, le=3600, **_Num)]
    hook: BetaPair
    completion: BetaPair
    like: BetaPair
    comment: BetaPair
    share: BetaPair
    max_age_days: Annotated[int, Field(ge=0, le=3650)]


class Reason(ContentModel):
    id: KebabId
    text: TranslatedText


def _buckets_ordered(value: tuple) -> tuple:
    unique_ids(value)
    edges = [bucket.max_seconds for bucket in value]
    if edges != sorted(set(edges)):
        raise ValueError("must be listed from the shortest to the longest max_seconds")
    return value


REASON_IDS = ("interactions", "interests", "followed-account", "suggested-account",
              "recent-in-region", "popular-in-region", "something-different")


def _all_reasons(value: tuple) -> tuple:
    unique_ids(value)
    missing = [r for r in REASON_IDS if r not in {item.id for item in value}]
    if missing:
        raise ValueError(f'has no reason "{missing[0]}"; the simulator needs all of: '
                         + ", ".join(REASON_IDS))
    return value


class FeedData(ContentModel):
    """Everything in ``data/feed.yaml``."""

    model: dict[str, TranslatedText]
    defaults: Defaults
    pools: Pools
    topics: Annotated[tuple[Topic, ...], Field(min_length=1), AfterValidator(unique_ids)]
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
        raise FeedInputError(f"{name} must be a number, not {_shown(value)}.")
    if not isinstance(value, (int, np.integer)):  # a whole number is finite, however large
        if not math.isfinite(float(value)):
            raise FeedInputError(f"{name} must be a number, not {value}.")
        if whole and float(value) != int(value):
            raise FeedInputError(f"{name} must be a whole number, not {value}.")
    if low is not None and (value <= low if low_open else value < low):
        raise FeedInputError(f"{name} must be {'more than' if low_open else 'at least'} {low:g}, "
                             f"not {_shown(value)}.")
    if high is not None and value > high:
        raise FeedInputError(f"{name} must be at most {high:g}, not {_shown(value)}.")
    return value


def _shown(value: Any) -> str:
    """A value as a learner can read it in a message: a huge number is not printed in full."""
    text = repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, (int, np.integer)) and len(text) > 15:
        return f"{text[:6]}… (a number with {len(text.lstrip('-'))} digits)"
    return text if len(text) <= 60 else text[:57] + "…"


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

    @functools.cached_property
    def video_traits(self) -> np.ndarray:
        """(6, n_videos) float32: hook, completion, like, comment, share, length, so that the
        simulation looks six traits up in one call."""
        return np.stack([self.video_hook, self.video_completion, self.video_like,
                         self.video_comment, self.video_share,
                         self.video_length]).astype(np.float32)

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


MATCH_LEVELS = 32  # match is rated in steps of 1/32 (a score lookup per candidate, see score_table)


def match(interest: np.ndarray, n_topics: int) -> np.ndarray:
    """0 for no interest, 0.5 for an average one, towards 1 for a passion; rated in steps of
    1/``MATCH_LEVELS`` so that ranking can look scores up instead of computing them."""
    scaled = np.asarray(interest, dtype=np.float32) * np.float32(n_topics)
    level = np.rint(scaled / (scaled + np.float32(1.0)) * np.float32(MATCH_LEVELS))
    return level / np.float32(MATCH_LEVELS)


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


# --------------------------------------------------------------------------
# Retrieval, ranking and diversity: one feed refresh for many people at once.

TABLE_SIZE = 512
_TABLE_BITS = 9  # TABLE_SIZE == 1 << _TABLE_BITS


def topic_tables(world: World, budget: np.ndarray) -> np.ndarray:
    """(n_topics, TABLE_SIZE) video ids: within a topic, each video appears in proportion to the
    audience its pool allows (systematic sampling), so a random column is a weighted draw."""
    k = world.params.n_topics
    topic = np.asarray(world.video_topic)
    order = np.argsort(topic, kind="stable")
    starts = np.searchsorted(topic[order], np.arange(k + 1))
    weight = np.asarray(budget, dtype=np.float64)[order]
    total = np.bincount(topic, weights=np.asarray(budget, dtype=np.float64), minlength=k)[:k]
    # Every topic's cumulative share lives in [t, t + 1]: one search for all the marks.
    cum = np.cumsum(weight)
    before = np.concatenate([[0.0], cum])[starts[:-1]]
    sorted_topic = topic[order]
    with np.errstate(invalid="ignore", divide="ignore"):
        key = sorted_topic + (cum - before[sorted_topic]) / total[sorted_topic]
    marks = (np.arange(TABLE_SIZE) + 0.5) / TABLE_SIZE
    pos = np.searchsorted(key, np.arange(k)[:, None] + marks[None, :], side="left")
    pos = np.minimum(np.maximum(pos, starts[:-1, None]), starts[1:, None] - 1)
    table = order[np.clip(pos, 0, order.size - 1)].astype(np.int32)
    for t in np.flatnonzero((starts[1:] == starts[:-1]) | ~(total > 0)):
        vids = order[starts[t]:starts[t + 1]]
        table[t] = vids[0] if vids.size else order[0]
    return table


def _score_terms(world: World, personalised: bool) -> tuple[np.ndarray, ...]:
    """Per video, s0, s1, s2 with score = s0 + s1·m + s2·m² (m the match): the same score as
    ``score(predict(...))`` with far fewer operations per user-video pair. Non-personalised:
    one array, the score at m = 0.5."""
    p = world.params
    f32 = np.float32
    a_v = world.video_like * f32(p.v_like) + world.video_comment * f32(p.v_comment)
    b_v = world.video_completion * world.video_length * f32(p.v_playtime / p.playtime_unit_seconds)
    # P(play)·(V_play + engage·A + (0.5 + 0.5m)·B) with P(play) = hook·(0.3 + 0.7m),
    # engage = 0.2 + 0.8m, expanded in powers of m.
    c0 = f32(p.v_play) + f32(0.2) * a_v + f32(0.5) * b_v
    c1 = f32(0.8) * a_v + f32(0.5) * b_v
    hook = world.video_hook
    s0 = hook * f32(0.3) * c0
    s1 = hook * (f32(0.3) * c1 + f32(0.7) * c0)
    s2 = hook * f32(0.7) * c1
    if not personalised:
        m = f32(0.5)
        return ((s0 + (s1 + s2 * m) * m).astype(np.float32),)
    return s0.astype(np.float32), s1.astype(np.float32), s2.astype(np.float32)


class SeenVideos:
    """Which videos each person has already been shown: one bit per person and video
    (bit-packed, 8× smaller than a boolean matrix and faster to look up).

    ``contains(users, videos)`` and ``add(users, videos)`` take broadcastable integer arrays
    (user rows and video ids).
    """

    def __init__(self, n_users: int, n_videos: int) -> None:
        self.n_users, self.n_videos = n_users, n_videos
        self.stride = (n_videos + 7) >> 3
        self.bits = np.zeros(n_users * self.stride, dtype=np.uint8)

    @classmethod
    def from_matrix(cls, seen: np.ndarray) -> "SeenVideos":
        """From a (n_users, n_videos) boolean matrix."""
        seen = np.asarray(seen, dtype=bool)
        out = cls(*seen.shape)
        out.bits = np.packbits(seen, axis=1, bitorder="little").reshape(-1)
        return out

    def _where(self, users: np.ndarray, videos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        videos = np.asarray(videos)
        byte = np.asarray(users, dtype=np.intp) * self.stride + (videos >> 3)
        return byte, (videos & 7).astype(np.uint8)

    def contains(self, users: np.ndarray, videos: np.ndarray) -> np.ndarray:
        byte, shift = self._where(users, videos)
        flag = np.take(self.bits, byte)
        flag >>= shift
        flag &= 1
        return flag.view(bool)

    def add(self, users: np.ndarray, videos: np.ndarray) -> None:
        byte, shift = self._where(users, videos)
        np.bitwise_or.at(self.bits, byte.reshape(-1),
                         np.left_shift(np.uint8(1), shift).reshape(-1))

    def matrix(self) -> np.ndarray:
        """As a (n_users, n_videos) boolean matrix."""
        packed = self.bits.reshape(self.n_users, self.stride)
        return np.unpackbits(packed, axis=1, count=self.n_videos, bitorder="little").astype(bool)


@dataclass(frozen=True)
class Refresh:
    """One feed refresh: for each person (row), what was shown and, with ``detail=True``, every
    candidate of every ranked place with its score."""

    users: np.ndarray          # (n,)
    shown: np.ndarray          # (n, feed_length) video ids, -1 = empty: ranked places, then diversity
    diversity: np.ndarray      # (n, feed_length) True for a slot given to diversity
    candidates: np.ndarray | None = None  # (n, places, per_place) video ids, -1 = no candidate
    scores: np.ndarray | None = None      # (n, places, per_place), -inf: seen or no candidate
    winner: np.ndarray | None = None      # (n, places) index of the candidate shown, -1 = none


def place_sizes(params: FeedParams) -> np.ndarray:
    """Candidates gathered for each ranked place: the ``candidates`` left after diversity,
    shared as evenly as possible (the first places get the spare ones)."""
    n_main = params.feed_length - params.diversity_slots
    if not n_main:
        return np.zeros(0, dtype=np.int64)
    k_main = max(params.candidates - params.diversity_slots, n_main)
    return k_main // n_main + (np.arange(n_main) < k_main % n_main)


def score_table(world: World, table: np.ndarray) -> np.ndarray:
    """(n_topics, MATCH_LEVELS + 1, TABLE_SIZE) scores: each retrieval-table entry's score for
    every level of match, so ranking a candidate costs one lookup."""
    s0, s1, s2 = (np.take(term, table)[:, None, :]
                  for term in _score_terms(world, personalised=True))
    m = (np.arange(MATCH_LEVELS + 1, dtype=np.float32) / np.float32(MATCH_LEVELS))[None, :, None]
    return (s0 + (s1 + s2 * m) * m).astype(np.float32)


def raw_uint16(rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` uniform 16-bit words (0-65535) straight from the generator's bit stream: four
    per 64-bit output, the fastest draw NumPy offers, and plenty of precision for a chance
    compared with a probability."""
    return rng.bit_generator.random_raw((size + 3) // 4).view(np.uint16)[:size]


def _raw_uint32(rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` uniform 32-bit words straight from the generator's bit stream."""
    return rng.bit_generator.random_raw((size + 1) // 2).view(np.uint32)[:size]


def fast_rng(*seed: int) -> np.random.Generator:
    """The simulator's generator for ``seed``: SFC64, the fastest bit generator NumPy ships
    (the simulation draws a few million numbers per run)."""
    return np.random.Generator(np.random.SFC64(np.random.SeedSequence(list(seed))))


def refresh_feeds(world: World, users: np.ndarray, interests: np.ndarray, budget: np.ndarray,
                  rng: np.random.Generator, *, topic_weights: np.ndarray | None = None,
                  seen: "np.ndarray | SeenVideos | None" = None, detail: bool = False,
                  matches: np.ndarray | None = None) -> Refresh:
    """Retrieve, score and rank candidates place by place, add diversity, for ``users``.

    Each ranked place of the feed gets a topic drawn from the person's interests (or, in the
    non-personalised feed, from what is popular in their region, ``topic_weights``
    (n_regions, n_topics)), a few candidates of that topic drawn in proportion to the audience
    their pool allows (retrieval), and the best-scoring one that the person has not seen wins
    the place (ranking). Diversity slots take any video of a topic drawn uniformly. A video
    never appears twice in one feed (a repeat leaves its slot empty). ``seen`` (a boolean
    (n_users, n_videos) matrix or a :class:`SeenVideos`) lists videos never to show again.

    Vectorised over people: every step is a few operations on (places, people) arrays, and a
    candidate's score is one lookup in :func:`score_table`. ``detail=True`` also returns every
    candidate with its score (``rank_feed`` shows them). ``matches``: ``match(interests)`` of
    ``users`` when the caller has it already (the simulation needs it for behaviour too).
    """
    p = world.params
    users = np.asarray(users)
    n, k_topics = users.size, p.n_topics
    n_div = p.diversity_slots
    sizes = place_sizes(p)
    n_main, per_place = sizes.size, int(sizes.max(initial=0))
    if seen is not None and not isinstance(seen, SeenVideos):
        seen = SeenVideos.from_matrix(seen)
    table = topic_tables(world, budget)
    flat_table = table.ravel()
    scores_by_level = score_table(world, table).ravel()
    if p.personalised:
        everybody = users.size == len(interests) and np.array_equal(users, np.arange(users.size))
        mine = interests if everybody else interests[users]
        if matches is None:
            matches = match(mine, k_topics)
        level = np.rint(matches * np.float32(MATCH_LEVELS)).astype(np.intp)
    else:
        weights = (topic_weights if topic_weights is not None
                   else np.ones((p.n_regions, k_topics), dtype=np.float32))
        mine = (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)[
            world.user_region[users]]
        level = np.full((n, k_topics), MATCH_LEVELS // 2, dtype=np.intp)
    shown = np.full((n, p.feed_length), -1, dtype=np.int32)
    diversity = np.zeros((n, p.feed_length), dtype=bool)
    diversity[:, n_main:] = True
    out = Refresh(users=users, shown=shown, diversity=diversity)
    if n_main:
        # People in blocks, so that every temporary array stays in the CPU cache (detail: one
        # block, for the few people rank_feed shows).
        step = n if detail else BLOCK_PEOPLE
        for first in range(0, n, step):
            block = slice(first, min(n, first + step))
            out = _fill_places(out, block, mine[block], level[block], sizes, scores_by_level,
                               flat_table, rng, seen, detail)
    if n_div:
        extra = _raw_uint32(rng, n_div * n).reshape(n_div, n)
        div_topic = (extra.astype(np.uint64) * np.uint64(k_topics)) >> np.uint64(32)
        entry = (div_topic.astype(np.intp) << _TABLE_BITS) | (extra & np.uint32(TABLE_SIZE - 1))
        div = np.take(flat_table, entry)
        if seen is not None:
            div[seen.contains(users[None, :], div)] = -1
        shown[:, n_main:] = div.T
    _blank_repeats(shown)
    return out


BLOCK_PEOPLE = 2048  # people ranked at once: their candidates (~100k numbers) stay in cache


def _fill_places(out: Refresh, block: slice, mine: np.ndarray, level: np.ndarray,
                 sizes: np.ndarray, scores_by_level: np.ndarray, flat_table: np.ndarray,
                 rng: np.random.Generator, seen: "SeenVideos | None", detail: bool) -> Refresh:
    """The ranked places of ``out.shown`` for the people ``block``: draw each place's topic and
    candidates, look their scores up, keep the best unseen candidate of each place."""
    users, shown = out.users[block], out.shown[block]
    n, k_topics = users.size, mine.shape[1]
    n_main, per_place = sizes.size, int(sizes.max())
    topic = _draw_topics(mine, n_main, rng)                                # (n_main, n)
    # Per place: the row of the score table for its topic at the person's match level.
    rows = topic.astype(np.intp) * (MATCH_LEVELS + 1)
    rows += np.take(level.ravel(), np.arange(n, dtype=np.intp) * k_topics + topic)
    rows <<= _TABLE_BITS
    column = raw_uint16(rng, per_place * n_main * n).reshape(per_place, n_main, n)
    column &= np.uint16(TABLE_SIZE - 1)
    entry = column.astype(np.intp)
    entry += rows
    score = np.take(scores_by_level, entry)            # (per_place, n_main, n), all >= 0
    score[per_place - 1, sizes < per_place] = -1.0      # -1: no candidate
    video_of = topic.astype(np.intp) << _TABLE_BITS     # + column = table entry
    winner = _best_unseen(score.copy() if detail else score, column, video_of, flat_table,
                          users, seen, shown)
    if detail:
        return _with_candidates(out, score, video_of, column, flat_table, users, seen, winner)
    return out


def _draw_topics(mine: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """(count, n) topic indices, each drawn from its person's row of ``mine`` (inverse CDF: a
    raw 32-bit draw passing t of the cumulative thresholds means topic t)."""
    columns = np.ascontiguousarray(mine.T, dtype=np.float32)  # (n_topics, n): fast sums
    cum = np.cumsum(columns, axis=0)
    scale = np.float32(2.0**32) / np.where(cum[-1] > 0, cum[-1], np.float32(1))
    cum *= scale
    # float32 keeps 24 bits: thresholds are exact to 1/16,000,000 of a share, plenty here.
    limits = np.minimum(cum[:-1], np.float32(4294967040.0)).astype(np.uint32)
    draw = _raw_uint32(rng, count * mine.shape[0]).reshape(count, -1)
    topic = np.zeros(draw.shape, dtype=np.uint8)
    passed = np.empty(draw.shape, dtype=bool)
    for limit in limits:
        np.greater_equal(draw, limit, out=passed)
        topic += passed
    return topic


def _place_winners(score: np.ndarray, column: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per place (the trailing axes), the best score, the candidate that has it (the last one
    on a tie) and its table column: three vector operations per candidate number, no sorting
    and no masked writes (the candidate number and column travel together as one integer)."""
    best = score.max(axis=0)
    pick = column[0].astype(np.int32)
    tie = np.empty(best.shape, dtype=bool)
    both = np.empty(best.shape, dtype=np.int32)
    for k in range(1, score.shape[0]):
        np.equal(score[k], best, out=tie)
        np.bitwise_or(column[k], np.int32(k << _TABLE_BITS), out=both, casting="unsafe")
        both *= tie
        np.maximum(pick, both, out=pick)
    return best, (pick >> _TABLE_BITS).astype(np.intp), (pick & (TABLE_SIZE - 1)).astype(np.intp)


def _best_unseen(score: np.ndarray, column: np.ndarray, video_of: np.ndarray,
                 flat_table: np.ndarray, users: np.ndarray, seen: "SeenVideos | None",
                 shown: np.ndarray) -> np.ndarray:
    """Fill the ranked places of ``shown`` with each place's best candidate not seen before;
    return the winner's candidate number per (place, person), -1 when none is left.

    Seen candidates are struck out first (one lookup each: cheaper than settling places one
    seen winner at a time, since people have seen the best videos of their topics). May
    overwrite ``score``."""
    if seen is not None:
        candidate = np.take(flat_table, video_of[None] + column)
        np.copyto(score, np.float32(-1.0), where=seen.contains(users[None, None, :], candidate))
    best, index, where = _place_winners(score, column)
    video = np.take(flat_table, video_of + where).astype(np.int32)
    video[best < 0] = -1
    shown[:, :video.shape[0]] = video.T
    return np.where(best >= 0, index, -1)


def _with_candidates(out: Refresh, score: np.ndarray, video_of: np.ndarray,
                     column: np.ndarray, flat_table: np.ndarray, users: np.ndarray,
                     seen: "SeenVideos | None", winner: np.ndarray) -> Refresh:
    """``out`` with every candidate, its score (-inf: seen or none) and the winners."""
    exists = score >= 0
    video = np.where(exists, np.take(flat_table, video_of[None] + column), -1)
    score = np.where(exists, score, np.float32(-np.inf))
    if seen is not None:
        was_seen = exists & seen.contains(users[None, None, :], np.maximum(video, 0))
        score = np.where(was_seen, np.float32(-np.inf), score)
    return dataclasses.replace(out, candidates=video.transpose(2, 1, 0).astype(np.int32),
                               scores=score.transpose(2, 1, 0), winner=winner.T)


def _blank_repeats(shown: np.ndarray) -> None:
    """No video twice in one feed: a later repeat of a video leaves its slot empty."""
    columns = np.ascontiguousarray(shown.T)  # one contiguous row per slot: fast comparisons
    for j in range(1, columns.shape[0]):
        repeat = columns[0] == columns[j]
        for i in range(1, j):
            repeat |= columns[i] == columns[j]
        repeat &= columns[j] >= 0
        columns[j][repeat] = -1
    shown[...] = columns.T


def rank_feed(params: FeedParams | None = None, *, users: Iterable[int] = (0,),
              world: World | None = None, interests: np.ndarray | None = None,
              language: str | None = None) -> "pd.DataFrame":
    """First-round feed of some people, every candidate with its predictions and score.

    What the weight sliders re-run: the candidates stay the same (same seed), only the scores
    and so the winner of each place change. Columns: user, video, topic, topic_label,
    length_seconds, place (the ranked place the candidate competed for; empty for diversity),
    p_play, p_like, p_comment, e_playtime, score, rank (1 = best score among the person's ranked
    candidates), shown (it won its place), slot ("ranked" or "diversity").
    """
    import pandas as pd

    p = params or FeedParams.defaults()
    world = world if world is not None else make_world(_world_key(p))
    world = dataclasses.replace(world, params=p)
    interests = world.interests if interests is None else _check_interests(interests, p)
    ids = _check_users(users, p)
    budget = np.asarray(p.pool_sizes, dtype=np.float32)[np.zeros(p.n_videos, dtype=np.int64)]
    refresh = refresh_feeds(world, ids, interests, budget, fast_rng(p.seed, 2), detail=True)
    frames = []
    for row, user in enumerate(ids):
        frames.append(_ranked_rows(world, refresh, row, int(user), interests, p))
        picks = refresh.shown[row][refresh.diversity[row]]
        picks = np.unique(picks[picks >= 0])
        frames.append(_prediction_frame(world, int(user), picks, interests, p).assign(
            place=pd.NA, rank=pd.NA, shown=True, slot="diversity"))
    out = pd.concat([f for f in frames if len(f)], ignore_index=True)
    data = load_feed_data()
    out.insert(2, "topic", [p.topics[t] for t in world.video_topic[out["video"]]])
    out.insert(3, "topic_label", [data.topic_label(t, language) for t in out["topic"]])
    out.insert(4, "length_seconds", world.video_length[out["video"]].astype(float))
    out["place"] = out["place"].astype("Int64")
    out["rank"] = out["rank"].astype("Int64")
    out["shown"] = out["shown"].astype(bool)
    out["slot"] = pd.Categorical(out["slot"], ["ranked", "diversity"])
    columns = ["user", "video", "topic", "topic_label", "length_seconds", "place", "p_play",
               "p_like", "p_comment", "e_playtime", "score", "rank", "shown", "slot"]
    return out[columns].sort_values(["user", "slot", "rank"], kind="stable").reset_index(drop=True)


def _prediction_frame(world: World, user: int, videos: np.ndarray, interests: np.ndarray,
                      p: FeedParams) -> "pd.DataFrame":
    import pandas as pd

    videos = np.asarray(videos, dtype=np.int64)
    pred = predict(world, np.full(videos.size, user), videos, interests)
    frame = pd.DataFrame({"user": user, "video": videos})
    for key in ("p_play", "p_like", "p_comment", "e_playtime"):
        frame[key] = pred[key].astype(float)
    frame["score"] = score(pred, p).astype(float)
    return frame


def _ranked_rows(world: World, refresh: Refresh, row: int, user: int, interests: np.ndarray,
                 p: FeedParams) -> "pd.DataFrame":
    """One person's ranked candidates, place by place; a video drawn twice for the same place
    is listed once, and a video already seen is left out (it can never win)."""
    places, per_place = refresh.candidates[row].shape
    place = np.repeat(np.arange(1, places + 1), per_place)
    video = refresh.candidates[row].reshape(-1)
    won = (np.arange(per_place)[None, :] == refresh.winner[row][:, None]).reshape(-1)
    won &= np.repeat(refresh.shown[row][:places] >= 0, per_place)
    keep = (video >= 0) & np.isfinite(refresh.scores[row].reshape(-1))
    frame = _prediction_frame(world, user, video[keep], interests, p)
    frame["place"], frame["shown"], frame["slot"] = place[keep], won[keep], "ranked"
    frame = (frame.sort_values(["place", "shown"], ascending=[True, False], kind="stable")
             .drop_duplicates(["place", "video"]))
    frame["rank"] = frame["score"].rank(ascending=False, method="first").astype(int)
    return frame


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
    if isinstance(users, (str, bytes)) or not isinstance(users, (int, np.integer, Iterable)):
        raise FeedInputError(f"users must be a person's number or a list of them (from 0 to "
                             f"{p.n_users - 1}), not {_shown(users)}.")
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
