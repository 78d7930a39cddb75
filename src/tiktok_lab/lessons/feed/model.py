"""An illustrative For You feed simulator (lesson 03): interests, signals, ranking, pools.

Over 400 lines: the model's parameters, coefficients and world in one place, so each coefficient
is written once.

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

The coefficients (0.3 + 0.7·m and the others) and the weights V are read from ``data/feed.yaml``
(``response:`` and ``defaults:``) and nowhere else: :func:`predict`, the fast scorer of
``refresh``, the behaviour draws and "how a pool decides" of ``pools`` all take them from
:func:`response` and :data:`WEIGHTS`.

Each round, every person's feed is filled place by place (``tiktok_lab.lessons.feed.refresh``). Each
ranked place gets a topic drawn from the person's interests and a few candidates of that topic,
drawn in proportion to the audience their pool allows (retrieval; ``candidates`` in all, shared
among the places; the same candidates whatever the weights); the candidate with the best score
that the person has not seen wins the place (ranking; the match is rated in steps of 1/32 and
every video's rank by score at every step is computed once per run, so picking the best
compares whole numbers). ``diversity_share`` of the slots go to videos of a topic drawn at
random, whatever the profile; no video appears twice, and a video never gets more impressions
than its pool. Behaviour is drawn from the probabilities, interests move towards what people
watched and liked, and videos whose watch time and engagement beat *similar* videos (same
topic, same length bucket) move to the next, larger pool (``tiktok_lab.lessons.feed.pools``).

This module holds the data, the parameters, the world and the model's predictions. Pure NumPy
and pandas, no widgets, no global random state: one ``numpy.random.Generator`` per call
(``feed_refresh.fast_rng``), seeded from ``FeedParams.seed``, so the same parameters give
identical DataFrames. Never a loop per person: loops run over rounds, topics and feed slots
only; arrays are topic-major or slot-major so that NumPy works along long rows. Speed and
memory of the default world (10,000 people × 1,000 videos × 5 rounds, target ≤ 50 ms on one
core) and of 10× the people: ``benchmarks/feed.py``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, Field, model_validator

from tiktok_lab.core.learner_errors import LearnerError
from tiktok_lab.core.content_types import ContentModel, TranslatedText, unique_ids
from tiktok_lab.core.datafiles import Source, data_dir, read_record, unknown_id
from tiktok_lab.core.i18n import format_number, get_language, localized, t
from tiktok_lab.core.nature import Flagged
from tiktok_lab.core.schemas import KebabId
from tiktok_lab.core.sources import check_file_cites

if TYPE_CHECKING:
    import pandas as pd


class FeedInputError(LearnerError, ValueError):
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
    seen_in: tuple[KebabId, ...] = ()
    confidence: Literal["low", "medium", "high"]


def _increasing(sizes: tuple[int, ...]) -> tuple[int, ...]:
    if any(b <= a for a, b in zip(sizes, sizes[1:])):
        raise ValueError("must grow from each pool to the next")
    return sizes


class Pools(Flagged):
    """The traffic-pool model (``nature: model``): simulated sizes and the industry's story."""

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


class MatchLine(ContentModel):
    """A factor that grows with the match m (0-1): ``base + per_match·m``, at most 1."""

    base: Annotated[float, Field(ge=0, le=1, **_Num)]
    per_match: Annotated[float, Field(ge=0, le=1, **_Num)]

    @model_validator(mode="after")
    def _at_most_one(self) -> "MatchLine":
        if self.base + self.per_match > 1:
            raise ValueError(f"base + per_match is {self.base + self.per_match:g}; a chance "
                             "cannot be more than 1")
        return self

    def at(self, m: Any) -> Any:
        """The factor at match ``m`` (float32, like the rest of the model)."""
        return np.float32(self.base) + np.float32(self.per_match) * m


class Response(ContentModel):
    """How a person's match with a video moves the chances: P(play) = hook·play(m),
    c = completion·completion(m), P(like) = P(play)·like·engagement(m) (comment, share alike)."""

    play: MatchLine
    completion: MatchLine
    engagement: MatchLine


class FeedModel(Flagged):
    """The simulator as a whole (``nature: model``), the note its charts' captions give and the
    documents that note names (``seen_in``)."""

    note: TranslatedText
    seen_in: tuple[KebabId, ...] = ()


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

    model: FeedModel
    defaults: Defaults
    pools: Pools
    topics: Annotated[tuple[Topic, ...], Field(min_length=1), AfterValidator(unique_ids)]
    length_buckets: Annotated[tuple[LengthBucket, ...], Field(min_length=1),
                              AfterValidator(_buckets_ordered)]
    videos: VideoDraws
    response: Response
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
    source = path if path is not None else data_dir() / "feed.yaml"
    data = read_record(source, "feed", FeedData)
    check_file_cites(source)
    return data


def response() -> Response:
    """The model's coefficients (``response:`` of ``data/feed.yaml``)."""
    return load_feed_data().response


#: The weights V of the scoring shape, in its order: fields of ``defaults:`` in ``data/feed.yaml``
#: and of :class:`FeedParams`, the sliders of lesson 03's step 2.
WEIGHTS = ("v_like", "v_comment", "v_playtime", "v_play")


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
    playtime_unit_seconds: float
    learning_rate: float
    interest_concentration: float
    n_regions: int
    recent_days: int
    promote_percentile: float
    watch_weight: float
    stall_share: float

    @classmethod
    def defaults(cls, **changes: Any) -> "FeedParams":
        data = load_feed_data()
        values = data.defaults.model_dump()
        values["topics"] = tuple(topic.id for topic in data.topics)
        values["pool_sizes"] = data.pools.sizes
        unknown = sorted(set(changes) - set(values))
        if unknown:
            raise FeedInputError(t("feed_lesson.errors.unknown_setting", name=unknown[0],
                                   settings=", ".join(sorted(values))))
        return cls(**{**values, **changes})

    def replace(self, **changes: Any) -> "FeedParams":
        return dataclasses.replace(self, **changes)

    @property
    def n_topics(self) -> int:
        return len(self.topics)

    @property
    def weights(self) -> dict[str, float]:
        return {name.removeprefix("v_"): getattr(self, name) for name in WEIGHTS}

    @property
    def diversity_slots(self) -> int:
        return min(self.feed_length, int(round(self.diversity_share * self.feed_length)))

    def __post_init__(self) -> None:
        _validate(self)


def _number(name: str, value: Any, *, low: float | None = None, high: float | None = None,
            whole: bool = False, low_open: bool = False, label: str | None = None) -> float:
    """One checked number; the message talks about the setting, never about NumPy.

    ``name`` is the setting (code the learner typed); ``label`` replaces "the setting `name`"
    when the value is not a setting of its own (a pool's size)."""
    subject = label if label is not None else t("feed_lesson.errors.setting", name=name)

    def refuse(key: str, **values: Any) -> FeedInputError:
        return FeedInputError(t(f"feed_lesson.errors.{key}", name=subject, **values))

    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise refuse("not_number", value=_shown(value))
    if not isinstance(value, (int, np.integer)):  # a whole number is finite, however large
        if not math.isfinite(float(value)):
            raise refuse("not_number", value=str(value))
        if whole and float(value) != int(value):
            raise refuse("not_whole", value=_shown(value))
    if low is not None and (value <= low if low_open else value < low):
        raise refuse("more_than" if low_open else "at_least", low=format_number(low),
                     value=_shown(value))
    if high is not None and value > high:
        raise refuse("at_most", high=format_number(high), value=_shown(value))
    return value


def _shown(value: Any) -> str:
    """A value as a learner can read it in a message, in the course language: a huge number is
    not printed in full, a small one keeps the decimals that make it wrong (-0.0001 is not 0)."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if whole or isinstance(value, (float, np.floating)) and math.isfinite(value):
        if abs(value) >= 10**15:
            # Not str(): Python refuses to write out more than 4,300 digits (10**5000).
            digits = int(math.log10(abs(value))) + 1
            return t("feed_lesson.errors.huge_negative" if value < 0 else "feed_lesson.errors.huge",
                     digits=format_number(digits))
        if whole or float(value) == round(float(value), 3):
            return format_number(value, digits=3)
        from babel import numbers  # format_number shows 3 decimals at most

        text = numbers.format_decimal(value, locale=get_language(), decimal_quantization=False)
        return text if len(text) <= 24 else numbers.format_scientific(value, locale=get_language())
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _validate(p: FeedParams) -> None:
    if isinstance(p.n_users, (int, np.integer)) and not isinstance(p.n_users, bool) \
            and p.n_users <= 0:
        raise FeedInputError(t("feed_lesson.errors.no_people"))
    _number("n_users", p.n_users, low=1, high=1_000_000, whole=True)
    _number("n_videos", p.n_videos, low=1, high=100_000, whole=True)
    _number("rounds", p.rounds, low=1, high=50, whole=True)
    _number("feed_length", p.feed_length, low=1, high=100, whole=True)
    _number("candidates", p.candidates, low=p.feed_length, high=500, whole=True)
    for name in WEIGHTS:
        value = getattr(p, name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise FeedInputError(t("feed_lesson.errors.negative_weight", name=name,
                                   value=_shown(value)))
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
        raise FeedInputError(t("feed_lesson.errors.personalised", value=repr(p.personalised)))
    topics = p.topics
    if isinstance(topics, str) or not isinstance(topics, tuple) or not topics:
        raise FeedInputError(t("feed_lesson.errors.topics"))
    known = [topic.id for topic in load_feed_data().topics]
    for topic in topics:
        check_topic(topic, known)
    if len(set(topics)) != len(topics):
        raise FeedInputError(t("feed_lesson.errors.topic_twice"))
    sizes = p.pool_sizes
    if not isinstance(sizes, tuple) or not sizes:
        raise FeedInputError(t("feed_lesson.errors.pool_sizes"))
    for index, size in enumerate(sizes):
        _number("pool_sizes", size, low=1, whole=True,
                label=t("feed_lesson.errors.pool", number=index + 1))
        if size > p.n_users:
            raise FeedInputError(t("feed_lesson.errors.pool_too_big", number=index + 1,
                                   size=format_number(size), n_users=format_number(p.n_users)))
    if any(b <= a for a, b in zip(sizes, sizes[1:])):
        raise FeedInputError(t("feed_lesson.errors.pools_grow"))


def check_topic(topic: Any, known: Sequence[str] | None = None) -> str:
    """The topic id, or a FeedInputError listing the known topics."""
    known = list(known) if known is not None else [t.id for t in load_feed_data().topics]
    if topic not in known:
        error = unknown_id("topic", topic, known)
        raise FeedInputError(t("feed_lesson.errors.unknown_topic", error=error,
                               topics=", ".join(known)))
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


MATCH_LEVELS = 32  # match is rated in steps of 1/32 (see match_level)


def match_level(interest: np.ndarray, n_topics: int) -> np.ndarray:
    """The match as a whole number of 1/``MATCH_LEVELS`` steps (uint8): ranking keeps one
    score order per level instead of computing a score per person and video."""
    scaled = np.asarray(interest, dtype=np.float32) * np.float32(n_topics)
    level = np.rint(scaled / (scaled + np.float32(1.0)) * np.float32(MATCH_LEVELS))
    return level.astype(np.uint8)


def match(interest: np.ndarray, n_topics: int) -> np.ndarray:
    """0 for no interest, 0.5 for an average one, towards 1 for a passion; rated in steps of
    1/``MATCH_LEVELS`` (see :func:`match_level`)."""
    return match_level(interest, n_topics) / np.float32(MATCH_LEVELS)


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
    lines = response()
    p_play = world.video_hook[videos] * lines.play.at(m)
    engage = lines.engagement.at(m)
    c = world.video_completion[videos] * lines.completion.at(m)
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


def _world_key(p: FeedParams) -> FeedParams:
    """The part of the params that shapes the world (weights and switches do not)."""
    d = FeedParams.defaults()
    return p.replace(**{name: getattr(d, name) for name in WEIGHTS},
                     diversity_share=d.diversity_share, personalised=True,
                     rounds=1, candidates=max(p.candidates, p.feed_length),
                     promote_percentile=d.promote_percentile, watch_weight=d.watch_weight,
                     stall_share=d.stall_share, learning_rate=d.learning_rate,
                     pool_sizes=p.pool_sizes)


def _check_users(users: Iterable[int], p: FeedParams) -> np.ndarray:
    if isinstance(users, (str, bytes)) or not isinstance(users, (int, np.integer, Iterable)):
        raise FeedInputError(t("feed_lesson.errors.users", last=format_number(p.n_users - 1),
                               value=_shown(users)))
    ids = list(users) if not isinstance(users, (int, np.integer)) else [users]
    if not ids:
        raise FeedInputError(t("feed_lesson.errors.no_user"))
    for user in ids:
        if isinstance(user, bool) or not isinstance(user, (int, np.integer)) \
                or not 0 <= user < p.n_users:
            raise FeedInputError(t("feed_lesson.errors.unknown_user",
                                   last=format_number(p.n_users - 1), value=_shown(user)))
    return np.asarray(ids, dtype=np.int64)


def _check_interests(interests: Any, p: FeedParams) -> np.ndarray:
    array = np.asarray(interests, dtype=np.float32)
    if array.shape != (p.n_users, p.n_topics):
        raise FeedInputError(t("feed_lesson.errors.interests_shape", rows=format_number(p.n_users),
                               columns=format_number(p.n_topics), shape=array.shape))
    if not np.isfinite(array).all() or (array < 0).any():
        raise FeedInputError(t("feed_lesson.errors.interests_values"))
    total = array.sum(axis=1, keepdims=True)
    return np.where(total > 0, array / np.maximum(total, 1e-12), np.float32(1 / p.n_topics))
