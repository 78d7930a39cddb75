"""Rounds of the illustrative feed simulator: behaviour, learning, growing audience pools.

Over 400 lines: one vectorised simulation loop and the helpers only it calls; its hot path is
timed as a whole (benchmarks/feed.py).

Part of the teaching model of ``tiktok_lab.lessons.feed.model`` (read its docstring first): built from public
descriptions, **never TikTok's code**. The pools follow the industry's "traffic pool" story
(creator blogs, Douyin marketing literature; **not official**, confidence Low): a new video is
shown to a small pool, and moves to the next, larger one when its watch time and engagement
beat *similar* videos — same topic, same length bucket — which is the course article's point.

Percentile among similar videos: the share of the group that did worse, ties counted as half,
the video itself included (a video alone in its group is at 50). Always in [0, 100].
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tiktok_lab.core.i18n import format_number, format_text
from tiktok_lab.core.i18n import t as translate
from tiktok_lab.lessons.feed.memory import reuse_freed_memory
from tiktok_lab.lessons.feed.model import (
    MATCH_LEVELS,
    FeedInputError,
    FeedParams,
    World,
    _check_users,
    _shown,
    _world_key,
    check_topic,
    length_bucket_of,
    load_feed_data,
    make_world,
    match_level,
    predict,
    response,
)
from tiktok_lab.lessons.feed.refresh import (
    SeenVideos,
    fast_rng,
    feed_slots,
    place_sizes,
    ranking_of,
    raw_uint16,
    topic_shares,
)

if TYPE_CHECKING:
    import pandas as pd


def percentile_within(values: np.ndarray, groups: np.ndarray,
                      mask: np.ndarray | None = None) -> np.ndarray:
    """Percentile of each value among the values of its group (NaN where ``mask`` is False).

    ``100 × (worse + ½ × equal) / size``, the video itself counted among the equal ones.
    Vectorised: one sort for all groups.
    """
    values = np.asarray(values, dtype=np.float64)
    groups = np.asarray(groups, dtype=np.int64)
    out = np.full(values.shape, np.nan)
    idx = np.flatnonzero(mask) if mask is not None else np.arange(values.size)
    if idx.size == 0:
        return out
    x, g = values[idx], groups[idx]
    low, high = x.min(), x.max()
    norm = (x - low) / (high - low + 1.0) if high > low else np.zeros_like(x)
    key = g + norm  # each group lives in [g, g + 1)
    # One sort; equal keys form runs: values below a key = its run's start, values up to it =
    # its run's end (cheaper than searching every key in the sorted values).
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    new_run = np.ones(ordered.size, dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=new_run[1:])
    run_start = np.flatnonzero(new_run)
    run = np.cumsum(new_run) - 1
    left, right = np.empty_like(order), np.empty_like(order)
    left[order] = run_start[run]
    right[order] = np.append(run_start[1:], ordered.size)[run]
    start = np.searchsorted(ordered, np.arange(g.max() + 1, dtype=np.float64), side="left")[g]
    size = np.bincount(g)[g]
    out[idx] = 100.0 * ((left - start) + 0.5 * (right - left)) / size
    return out


def percentile_among(value: float, peers: np.ndarray) -> float:
    """Percentile of one new video among its similar videos (``peers``), itself included."""
    peers = np.asarray(peers, dtype=np.float64)
    worse = np.count_nonzero(peers < value)
    equal = np.count_nonzero(peers == value) + 1
    return float(100.0 * (worse + 0.5 * equal) / (peers.size + 1))


# --------------------------------------------------------------------------
# The simulation.

_METRICS = ("impressions", "views", "likes", "comments", "shares", "watch_seconds", "completions")


@dataclass(frozen=True, eq=False)
class FeedResult:
    """What ``simulate_feed`` returns: per round and video, arrays of shape (rounds, n_videos);
    tables come from the methods (fresh DataFrames at each call)."""

    params: FeedParams
    world: World
    pool: np.ndarray            # pool index (0 = first pool) during the round
    budget: np.ndarray          # audience the pool allowed
    counts: dict[str, np.ndarray]
    pct_watch: np.ndarray
    pct_engagement: np.ndarray
    performance: np.ndarray
    promoted: np.ndarray
    stalled: np.ndarray
    out_of_profile: np.ndarray  # (rounds,) share of impressions outside the first profile
    diversity_slots: np.ndarray  # (rounds,) share of impressions from diversity slots
    interests: np.ndarray       # (rounds + 1, n_users, n_topics): before each round, and after
    log: dict[str, np.ndarray] = field(repr=False)  # one row per impression
    region_likes: np.ndarray = field(repr=False)    # (n_regions, n_videos)

    def impressions(self, language: str | None = None) -> "pd.DataFrame":
        """One row per round and video: pool, audience allowed, impressions, views, likes,
        comments, shares, watch time, completion rate, percentiles among similar videos and
        the pool decision (``moved up``, ``stalled``, ``no impressions``, ``trickle``)."""
        import pandas as pd

        rounds, n_videos = self.pool.shape
        videos = self.world.videos_frame(language)
        frame = pd.DataFrame({"round": np.repeat(np.arange(1, rounds + 1), n_videos),
                              "video": np.tile(np.arange(n_videos), rounds)})
        frame = frame.merge(videos[["video", "topic", "topic_label", "length_seconds",
                                    "length_bucket", "hook"]], on="video", how="left")
        frame["pool"] = self.pool.ravel() + 1
        frame["pool_audience"] = self.budget.ravel().round().astype(int)
        for name in _METRICS:
            values = self.counts[name].ravel()
            frame[name] = values if name == "watch_seconds" else values.astype(int)
        with np.errstate(invalid="ignore", divide="ignore"):
            imp = frame["impressions"].to_numpy(dtype=float)
            frame["watch_seconds_per_impression"] = frame["watch_seconds"] / np.where(imp, imp, np.nan)
            frame["completion_rate"] = frame["completions"] / np.where(imp, imp, np.nan)
            frame["engagement_rate"] = ((frame["likes"] + frame["comments"] + frame["shares"])
                                        / np.where(imp, imp, np.nan))
        frame["percentile_watch"] = self.pct_watch.ravel()
        frame["percentile_engagement"] = self.pct_engagement.ravel()
        frame["percentile"] = self.performance.ravel()
        decision = np.where(self.promoted, "moved up",
                            np.where(self.stalled, "stalled",
                                     np.where(self.counts["impressions"] == 0, "no impressions",
                                              "trickle")))
        frame["decision"] = decision.ravel()
        return frame

    def summary(self) -> "pd.DataFrame":
        """One row per round: impressions, views, watch hours, videos per pool, the share of
        impressions outside people's first interests and from diversity slots."""
        import pandas as pd

        rounds = self.pool.shape[0]
        frame = pd.DataFrame({
            "round": np.arange(1, rounds + 1),
            "impressions": self.counts["impressions"].sum(axis=1).astype(int),
            "views": self.counts["views"].sum(axis=1).astype(int),
            "watch_hours": self.counts["watch_seconds"].sum(axis=1) / 3600,
            "out_of_profile_share": self.out_of_profile,
            "diversity_share": self.diversity_slots,
        })
        for index in range(len(self.params.pool_sizes)):
            frame[f"videos_in_pool_{index + 1}"] = (self.pool == index).sum(axis=1)
        return frame


def simulate_feed(params: FeedParams | None = None, *, world: World | None = None) -> FeedResult:
    """Run ``params.rounds`` feed refreshes for everybody; deterministic for a given seed.

    Results for the same params (and no custom world) are cached: treat them as read-only.
    """
    p = params or FeedParams.defaults()
    if world is None:
        return _simulate_cached(p)
    return _simulate(p, dataclasses.replace(world, params=p))


@functools.lru_cache(maxsize=8)
def _simulate_cached(p: FeedParams) -> FeedResult:
    return _simulate(p, dataclasses.replace(make_world(_world_key(p)), params=p))


def _simulate(p: FeedParams, world: World) -> FeedResult:
    reuse_freed_memory()  # each round frees a few MB that the next one needs again
    rng = fast_rng(p.seed, 3)
    n, n_videos, n_topics, n_regions = p.n_users, p.n_videos, p.n_topics, p.n_regions
    rounds = p.rounds
    users = np.arange(n)
    pools = np.asarray(p.pool_sizes, dtype=np.float32)
    n_buckets = len(load_feed_data().length_buckets)
    groups = world.video_topic * n_buckets + world.video_bucket
    level = np.zeros(n_videos, dtype=np.int64)
    active = np.ones(n_videos, dtype=bool)
    # Topic-major (n_topics, n): long rows, which NumPy handles fastest.
    interests = np.ascontiguousarray(world.interests.T)
    first_profile = (interests >= np.float32(1.0 / n_topics)).reshape(-1)
    seen = SeenVideos(n, n_videos)
    topic_pop = np.ones((n_regions, n_topics), dtype=np.float32)
    region_likes = np.zeros(n_regions * n_videos)
    shape = (rounds, n_videos)
    pool_r, budget_r = np.zeros(shape, np.int64), np.zeros(shape, np.float32)
    counts = {name: np.zeros(shape) for name in _METRICS}
    pct_w, pct_e, perf = (np.full(shape, np.nan) for _ in range(3))
    promoted_r, stalled_r = np.zeros(shape, bool), np.zeros(shape, bool)
    out_of_profile, div_share = np.zeros(rounds), np.zeros(rounds)
    history = np.empty((rounds + 1, n_topics, n), dtype=np.float32)  # interests, round by round
    history[0] = interests
    logs: list[tuple[np.ndarray, ...]] = []
    ranking = ranking_of(world)
    chances = behaviour_chances(world)
    n_ranked = place_sizes(p).size * n

    for r in range(rounds):
        budget = pools[level] * np.where(active, np.float32(1), np.float32(p.stall_share))
        levels = match_level(interests, n_topics)  # (n_topics, n)
        shares = topic_shares(world, users, interests, topic_pop)
        shown = feed_slots(world, ranking, users, shares, levels if p.personalised else None,
                           budget, rng, seen).shown
        kept, user, video, by_slot = _within_budget(shown, budget, rng)
        if r < rounds - 1:  # what the next rounds must not show again
            seen.add_slot_by_slot(user, video, by_slot)  # within a slot nobody appears twice
        # Behaviour follows the person's real interests, whatever the feed's mode.
        topic = np.take(world.video_topic, video)
        user_topic = topic * n  # index into the topic-major arrays
        user_topic += user
        key = np.take(levels.reshape(-1), user_topic).astype(np.intp)
        key *= n_videos
        key += video
        act = watch_videos(chances, key, np.take(world.video_length, video), rng)
        for name, values in _count_per_video(video, act, n_videos).items():
            counts[name][r] = values
        in_profile = np.count_nonzero(np.take(first_profile, user_topic))
        out_of_profile[r] = 1.0 - in_profile / video.size if video.size else 0.0
        div_share[r] = 1.0 - np.searchsorted(kept, n_ranked) / video.size if video.size else 0.0
        logs.append((user, video, act.played, act.liked, act.watch_seconds))
        signal = act.watched_share + act.liked
        interests = _learn(history[r + 1], interests, user_topic, signal, p.learning_rate)
        region = world.user_region[user]
        if not p.personalised:  # what the non-personalised feed ranks by
            topic_pop += np.bincount(region * n_topics + topic, weights=signal,
                                     minlength=n_regions * n_topics).reshape(n_regions, n_topics)
        region_likes += np.bincount((region * n_videos + video)[act.liked],
                                    minlength=n_regions * n_videos)
        # Pools: beat similar videos (same topic, same length bucket) to move up.
        pw, pe, score = _performance({name: c[r] for name, c in counts.items()}, groups, p)
        judged = (counts["impressions"][r] > 0) & active
        up = judged & (score >= p.promote_percentile)
        stall = judged & ~up
        pool_r[r], budget_r[r] = level, budget
        pct_w[r], pct_e[r], perf[r] = pw, pe, score
        promoted_r[r], stalled_r[r] = up, stall
        level = np.where(up, np.minimum(level + 1, len(pools) - 1), level)
        active &= ~stall

    return FeedResult(params=p, world=world, pool=pool_r, budget=budget_r, counts=counts,
                      pct_watch=pct_w, pct_engagement=pct_e, performance=perf,
                      promoted=promoted_r, stalled=stalled_r, out_of_profile=out_of_profile,
                      diversity_slots=div_share, interests=history.transpose(0, 2, 1),
                      log=_impression_log(logs),
                      region_likes=region_likes.reshape(n_regions, n_videos))


def _within_budget(shown: np.ndarray, budget: np.ndarray,
                   rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """The impressions of a refresh that happen: a video never gets more impressions than its
    pool allows (each slot showing it is kept with chance budget / slots that want it).

    ``shown`` is slot-major (feed_length, n). Returns, for the kept slots in that order: their
    flat index, person, video, and where each slot's run starts (``by_slot``, feed_length + 1)."""
    n_slots, n = shown.shape
    entry = shown.reshape(-1).astype(np.intp)
    entry += 1  # entry 0 of the tables below stands for an empty slot
    wanted = np.bincount(entry, minlength=budget.size + 1)
    keep_at = np.zeros(budget.size + 1, dtype=np.float32)
    keep_at[1:] = np.minimum(np.float32(1), budget / np.maximum(wanted[1:], 1)) * _U16
    kept = np.flatnonzero(raw_uint16(rng, entry.size) < np.take(keep_at, entry))
    video = np.take(entry, kept)
    video -= 1
    by_slot = np.searchsorted(kept, np.arange(n_slots + 1) * n)
    user = np.empty_like(kept)
    for j in range(n_slots):  # slot j's entries are j·n + person: no division needed
        np.subtract(kept[by_slot[j]:by_slot[j + 1]], j * n, out=user[by_slot[j]:by_slot[j + 1]])
    return kept, user, video, by_slot


def _learn(out: np.ndarray, interests: np.ndarray, user_topic: np.ndarray, signal: np.ndarray,
           learning_rate: float) -> np.ndarray:
    """New interests, written to ``out`` (n_topics, n): ``(1 - lr)·old + lr·(this round's
    signal, as shares)`` for people who gave any signal (watch share + like, per topic); the
    others keep theirs."""
    out[...] = np.bincount(user_topic, weights=signal, minlength=out.size).reshape(out.shape)
    total = out.sum(axis=0)
    lr = np.float32(learning_rate)
    keep_old = np.where(total == 0, np.float32(1), 1 - lr)  # no signal: interests stay
    np.maximum(total, np.float32(1e-9), out=total)
    total /= lr
    out /= total
    out += interests * keep_old
    return out


def _performance(counts: dict[str, np.ndarray], groups: np.ndarray,
                 p: FeedParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per video, percentiles among similar videos (``groups``) of watch time and engagement
    per impression, and the pool score that weighs them (NaN: no impressions)."""
    imp = counts["impressions"]
    has = imp > 0
    safe = np.maximum(imp, 1)
    pw = percentile_within(counts["watch_seconds"] / safe, groups, has)
    engaged = counts["likes"] + counts["comments"] + counts["shares"]
    pe = percentile_within(engaged / safe, groups, has)
    return pw, pe, p.watch_weight * pw + (1 - p.watch_weight) * pe


def _impression_log(logs: list[tuple[np.ndarray, ...]]) -> dict[str, np.ndarray]:
    """One row per impression, round by round, from each round's (user, video, played, liked,
    watch_seconds)."""
    log = {name: np.concatenate([entry[i] for entry in logs])
           for i, name in enumerate(("user", "video", "played", "liked", "watch_seconds"))}
    log["user"], log["video"] = log["user"].astype(np.int32), log["video"].astype(np.int32)
    rounds = np.repeat(np.arange(1, len(logs) + 1, dtype=np.int16),
                       [entry[0].size for entry in logs])
    return {"round": rounds, **log}


_U16 = np.float32(65536.0)  # a 16-bit draw below p × 65536 happens with probability p


@dataclass(frozen=True)
class Watching:
    """What people did with the videos they were shown (one entry per impression)."""

    played: np.ndarray          # stayed past the first seconds
    completed: np.ndarray       # watched to the end
    watched_share: np.ndarray   # share of the video watched (0-1)
    liked: np.ndarray
    commented: np.ndarray
    shared: np.ndarray
    watch_seconds: np.ndarray


def behaviour_chances(world: World) -> np.ndarray:
    """(5, levels × n_videos) uint16: for each match level and video, the chances of
    P(play), completion c, and P(like), P(comment), P(share) once playing (the model of
    ``predict``), as thresholds for 16-bit draws: an event of chance p happens when the draw is
    below ceil(p × 65,536), exactly as often as p says (a chance above 65,535/65,536 counts as
    that).

    One column per (level, video): a single lookup per impression fetches all five as five
    contiguous rows (``np.take(..., axis=1)``), instead of five lookups and the same arithmetic
    per impression; 16-bit thresholds halve the table and compare three times faster than
    floats."""
    f32 = np.float32
    m = (np.arange(MATCH_LEVELS + 1, dtype=f32) / f32(MATCH_LEVELS))[:, None]
    hook, completion, like, comment, share, _ = world.video_traits
    lines = response()
    engage = lines.engagement.at(m) * _U16
    chances = np.stack((hook * lines.play.at(m) * _U16,
                        completion * lines.completion.at(m) * _U16,
                        like * engage, comment * engage, share * engage))
    return np.minimum(np.ceil(chances), 65535).astype(np.uint16).reshape(len(chances), -1)


def watch_videos(chances: np.ndarray, key: np.ndarray, length: np.ndarray,
                 rng: np.random.Generator) -> Watching:
    """Draw what people did with the impressions whose columns of ``chances``
    (:func:`behaviour_chances`) are ``key`` (level × n_videos + video), of videos lasting
    ``length`` seconds."""
    play, complete, like, comment, share = np.take(chances, key, axis=1)
    u = raw_uint16(rng, 6 * key.size).reshape(6, -1)
    played = u[0] < play
    completed = played & (u[1] < complete)
    share_watched = u[2] * np.float32(2.0**-32)  # (draw / 65,536) × c, c = complete / 65,536
    share_watched *= complete
    share_watched *= played                 # no play: nothing watched
    np.maximum(share_watched, completed, out=share_watched)  # watched to the end: all of it
    return Watching(
        played=played, completed=completed, watched_share=share_watched,
        liked=played & (u[3] < like),
        commented=played & (u[4] < comment),
        shared=played & (u[5] < share),
        watch_seconds=share_watched * length,
    )


_FLAGS = ("played", "completed", "liked", "commented", "shared")
_FLAG_METRICS = {"views": "played", "completions": "completed", "likes": "liked",
                 "comments": "commented", "shares": "shared"}


def _count_per_video(video: np.ndarray, act: Watching, n_videos: int) -> dict[str, np.ndarray]:
    """Per video: impressions, views, likes, comments, shares, completions and watch seconds.

    The five yes/no outcomes of an impression make a 5-bit code: one count per (video, code)
    gives them all at once, instead of one pass over the impressions per metric."""
    code = np.zeros(video.size, dtype=np.uint8)
    for bit, name in enumerate(_FLAGS):
        code |= getattr(act, name).view(np.uint8) * np.uint8(1 << bit)  # NumPy shifts bytes slowly
    slot = video * 32
    slot += code
    by_code = np.bincount(slot, minlength=n_videos * 32).reshape(n_videos, 32)
    has_bit = (np.arange(32)[:, None] >> np.arange(len(_FLAGS))[None, :]) & 1
    per_flag = by_code.astype(np.float64) @ has_bit.astype(np.float64)
    counts = {"impressions": by_code.sum(axis=1).astype(np.float64)}
    for metric, flag in _FLAG_METRICS.items():
        counts[metric] = per_flag[:, _FLAGS.index(flag)]
    counts["watch_seconds"] = np.bincount(video, weights=act.watch_seconds, minlength=n_videos)
    return counts


def similar_video_percentiles(result: FeedResult, round: int | None = None,
                              language: str | None = None) -> "pd.DataFrame":
    """Per video (with impressions in the round; the last round by default): watch time per
    impression and completion rate, each as a percentile among similar videos only (same topic
    and same length bucket), and how many similar videos it was compared with."""
    rounds = result.params.rounds
    chosen = rounds if round is None else round
    if isinstance(chosen, bool) or not isinstance(chosen, (int, np.integer)) \
            or not 1 <= chosen <= rounds:
        raise FeedInputError(translate("feed_lesson.errors.unknown_round", rounds=format_number(rounds),
                               value=_shown(round)))
    frame = result.impressions(language)
    frame = frame[(frame["round"] == chosen) & (frame["impressions"] > 0)].copy()
    n_buckets = len(load_feed_data().length_buckets)
    groups = frame["topic"].cat.codes.to_numpy() * n_buckets + frame["length_bucket"].cat.codes.to_numpy()
    frame["percentile_watch"] = percentile_within(
        frame["watch_seconds_per_impression"].to_numpy(), groups)
    frame["percentile_completion"] = percentile_within(frame["completion_rate"].to_numpy(), groups)
    frame["similar_videos"] = frame.groupby(["topic", "length_bucket"], observed=True)[
        "video"].transform("size")
    return frame[["round", "video", "topic", "topic_label", "length_seconds", "length_bucket",
                  "impressions", "watch_seconds_per_impression", "completion_rate",
                  "percentile_watch", "percentile_completion", "similar_videos",
                  "pool", "decision"]].reset_index(drop=True)


# --------------------------------------------------------------------------
# The single-video experiment of the lesson.


@dataclass(frozen=True)
class Upload:
    """A video the learner "uploads" into the fixed simulated world."""

    hook: float
    length_seconds: float
    topic: str
    completion: float
    like: float
    comment: float
    share: float


def upload_video(hook: float = 0.5, length_seconds: float = 30, topic: str = "food", *,
                 completion: float | None = None, like: float | None = None,
                 comment: float | None = None, share: float | None = None,
                 params: FeedParams | None = None, language: str | None = None
                 ) -> "pd.DataFrame":
    """Upload one video into an otherwise fixed world and follow its pool funnel.

    Round after round the video is shown to everyone in its current pool (people likely to be
    interested in its topic, the same ones whatever the video), their reactions are drawn from
    the model, and its watch time and engagement are ranked among the world's similar videos
    (same topic and length bucket, same round). It moves to the next pool when it beats them;
    otherwise it stalls and gets only a trickle. A better hook never lowers its reach.

    Returns one row per round: pool, impressions, views, watch time per impression,
    completion and engagement rates, percentiles and the decision.
    """
    import pandas as pd

    p = params or FeedParams.defaults()
    video = _check_upload(hook, length_seconds, topic, completion, like, comment, share, p)
    reference = simulate_feed(p)
    world = reference.world
    t = p.topics.index(video.topic)
    bucket = int(length_bucket_of(video.length_seconds))
    peers = (world.video_topic == t) & (world.video_bucket == bucket)
    # Audience order: people likely to be interested first (fixed for a topic and seed).
    rng = np.random.default_rng([p.seed, 4, t])
    gumbel = -np.log(-np.log(rng.random(p.n_users) + 1e-12) + 1e-12)
    order = np.argsort(-(np.log(world.interests[:, t] + 1e-9) + gumbel), kind="stable")
    draws = rng.random((p.rounds, 6, max(p.pool_sizes)), dtype=np.float32)
    one = World(**{**{f.name: getattr(world, f.name) for f in dataclasses.fields(World)},
                   "video_topic": np.array([t]),
                   "video_length": np.array([video.length_seconds], np.float32),
                   "video_hook": np.array([video.hook], np.float32),
                   "video_completion": np.array([video.completion], np.float32),
                   "video_like": np.array([video.like], np.float32),
                   "video_comment": np.array([video.comment], np.float32),
                   "video_share": np.array([video.share], np.float32)})
    level, active, offset, rows = 0, True, 0, []
    for r in range(p.rounds):
        size = p.pool_sizes[level] if active else int(round(p.stall_share * p.pool_sizes[level]))
        audience = np.take(order, np.arange(offset, offset + size), mode="wrap")
        offset += size
        pred = predict(one, audience, np.zeros(size, np.int64), reference.interests[r],
                       personalised=True)
        u = draws[r, :, :size]
        play = u[0] < pred["p_play"]
        complete = play & (u[1] < pred["completion"])
        frac = np.where(complete, 1.0, np.where(play, u[2] * pred["completion"], 0.0))
        engage = response().engagement.at(pred["match"])
        engaged = (play & (u[3] < video.like * engage)).sum() \
            + (play & (u[4] < video.comment * engage)).sum() \
            + (play & (u[5] < video.share * engage)).sum()
        watch = float((frac * video.length_seconds).sum())
        imp = max(size, 1)
        has = reference.counts["impressions"][r] > 0
        peer_watch = (reference.counts["watch_seconds"][r] / np.maximum(reference.counts["impressions"][r], 1))[peers & has]
        peer_eng = ((reference.counts["likes"][r] + reference.counts["comments"][r]
                     + reference.counts["shares"][r])
                    / np.maximum(reference.counts["impressions"][r], 1))[peers & has]
        pw = percentile_among(watch / imp, peer_watch)
        pe = percentile_among(engaged / imp, peer_eng)
        perf = p.watch_weight * pw + (1 - p.watch_weight) * pe
        decision = "trickle"
        if active and size:
            decision = "moved up" if perf >= p.promote_percentile else "stalled"
        rows.append({"round": r + 1, "pool": level + 1, "impressions": size,
                     "views": int(play.sum()),
                     "watch_seconds_per_impression": watch / imp if size else np.nan,
                     "completion_rate": complete.sum() / imp if size else np.nan,
                     "engagement_rate": engaged / imp if size else np.nan,
                     "percentile_watch": pw, "percentile_engagement": pe, "percentile": perf,
                     "similar_videos": int((peers & has).sum()), "decision": decision})
        if decision == "moved up":
            level = min(level + 1, len(p.pool_sizes) - 1)
        elif decision == "stalled":
            active = False
    frame = pd.DataFrame(rows)
    # The audience wraps round the world once everyone has been shown the video: people
    # reached are distinct people, never more than the world holds.
    frame["reach"] = frame["impressions"].cumsum().clip(upper=p.n_users)
    frame.attrs["upload"] = video
    frame.attrs["topic_label"] = load_feed_data().topic_label(video.topic, language)
    return frame


def _check_upload(hook, length_seconds, topic, completion, like, comment, share,
                  p: FeedParams) -> Upload:
    from tiktok_lab.lessons.feed.model import _number

    draws = load_feed_data().videos

    def mean(pair: tuple[float, float]) -> float:
        return pair[0] / (pair[0] + pair[1])

    values = {"hook": hook, "completion": completion if completion is not None else mean(draws.completion),
              "like": like if like is not None else mean(draws.like),
              "comment": comment if comment is not None else mean(draws.comment),
              "share": share if share is not None else mean(draws.share)}
    for name, value in values.items():
        _number(name, value, low=0, high=1,
                label=translate("feed_lesson.errors.upload_strength", name=name))
    _number("length_seconds", length_seconds, low=1, high=draws.max_seconds,
            label=translate("feed_lesson.errors.upload_length"))
    check_topic(topic, p.topics)
    return Upload(length_seconds=float(length_seconds), topic=topic,
                  **{k: float(v) for k, v in values.items()})


# --------------------------------------------------------------------------
# First open and "Why this video".


def cold_start_feed(interests: Iterable[str] = (), params: FeedParams | None = None, *,
                    length: int = 10, language: str | None = None) -> "pd.DataFrame":
    """The feed at first open: popular videos plus the interests picked (as TikTok asks new
    users). Half the slots (at least one per interest) go to the most popular videos of the
    chosen interests, the rest to the most popular videos overall; they alternate.

    Columns: position, video, topic, topic_label, length_seconds, likes, why ("popular" or
    "your interest").
    """
    import pandas as pd

    p = params or FeedParams.defaults()
    if not isinstance(interests, (str, Iterable)):
        raise FeedInputError(translate("feed_lesson.errors.interests_type", value=_shown(interests)))
    chosen = [interests] if isinstance(interests, str) else list(interests)
    for topic in chosen:
        check_topic(topic, p.topics)
    chosen = list(dict.fromkeys(chosen))
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) \
            or not 1 <= length <= p.n_videos:
        raise FeedInputError(translate("feed_lesson.errors.feed_length", count=format_number(p.n_videos)))
    reference = simulate_feed(p)
    world = reference.world
    likes = reference.counts["likes"].sum(axis=0)
    popularity = likes + 1e-3 * reference.counts["views"].sum(axis=0)
    by_popularity = np.argsort(-popularity, kind="stable")
    n_interest = max(len(chosen), (length + 1) // 2) if chosen else 0
    n_interest = min(n_interest, length)
    picks: list[tuple[int, str]] = []
    taken: set[int] = set()
    if chosen:
        queues = [iter(by_popularity[world.video_topic[by_popularity] == p.topics.index(t)])
                  for t in chosen]
        while len(picks) < n_interest and queues:
            for queue in list(queues):
                video = next(queue, None)
                if video is None:
                    queues.remove(queue)
                elif len(picks) < n_interest:
                    picks.append((int(video), "your interest"))
                    taken.add(int(video))
    popular = [(int(v), "popular") for v in by_popularity if int(v) not in taken]
    popular = popular[:length - len(picks)]
    mixed = []
    for i in range(max(len(picks), len(popular))):
        mixed += popular[i:i + 1] + picks[i:i + 1]
    data = load_feed_data()
    vids = np.array([v for v, _ in mixed], dtype=np.int64)
    topics = [p.topics[t] for t in world.video_topic[vids]]
    return pd.DataFrame({
        "position": np.arange(1, len(mixed) + 1), "video": vids, "topic": topics,
        "topic_label": [data.topic_label(t, language) for t in topics],
        "length_seconds": world.video_length[vids].astype(float),
        "likes": likes[vids].astype(int), "why": [why for _, why in mixed]})


def why_this_video(result: FeedResult, user: int, video: int,
                   language: str | None = None) -> "pd.DataFrame":
    """The reasons, in plain words, why ``video`` may be in ``user``'s feed, read from the
    simulated data like TikTok's "Why this video" (2022): interactions, interests, accounts
    followed or suggested, recent and popular in the region. Never empty.

    Columns: reason (id), text (in the course language, or ``language``).
    """
    import pandas as pd

    p, world, log = result.params, result.world, result.log
    (user,) = _check_users([user], p)
    if isinstance(video, bool) or not isinstance(video, (int, np.integer)) \
            or not 0 <= video < p.n_videos:
        raise FeedInputError(translate("feed_lesson.errors.unknown_video",
                               last=format_number(p.n_videos - 1), value=_shown(video)))
    data = load_feed_data()
    t = int(world.video_topic[video])
    topic_label = data.topic_label(p.topics[t], language)
    mine = log["user"] == user
    same_topic = mine & (world.video_topic[log["video"]] == t) & (log["video"] != video)
    reasons: list[tuple[str, dict]] = []
    if p.personalised:
        watched = int((same_topic & log["played"]).sum())
        liked = int((same_topic & log["liked"]).sum())
        if watched or liked:
            reasons.append(("interactions", {"watched": watched, "liked": liked}))
        if (result.interests[[0, -1], user, t] >= 1.0 / p.n_topics).any():
            reasons.append(("interests", {}))
        creator = world.video_creator[video]
        from_creator = mine & (world.video_creator[log["video"]] == creator) & log["liked"]
        if from_creator.any():
            reasons.append(("followed-account", {"count": int(from_creator.sum())}))
        else:
            favourite = np.argmax(world.interests, axis=1)
            alike = favourite[log["user"]] == favourite[user]
            if (alike & log["liked"] & (world.video_creator[log["video"]] == creator)).any():
                reasons.append(("suggested-account", {}))
    region = world.user_region[user]
    if world.video_region[video] == region and world.video_age_days[video] <= p.recent_days:
        reasons.append(("recent-in-region", {"count": int(world.video_age_days[video])}))
    region_likes = result.region_likes[region]
    if region_likes[video] > 0 and region_likes[video] >= np.quantile(region_likes, 0.9):
        reasons.append(("popular-in-region", {}))
    if not reasons:
        reasons.append(("something-different", {}))
    texts = [format_text(data.reason_text(rid, language), {"topic": topic_label, **values},
                         language=language)
             for rid, values in reasons]
    return pd.DataFrame({"reason": [rid for rid, _ in reasons], "text": texts})
