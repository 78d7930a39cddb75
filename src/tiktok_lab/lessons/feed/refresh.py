"""One feed refresh for many people at once: retrieval, ranking, seen videos, diversity.

Over 400 lines: one vectorised refresh (retrieval, ranking, seen videos, diversity) whose steps
share their arrays.

Part of the teaching model of ``tiktok_lab.lessons.feed.model`` (read its docstring first): built from public
descriptions, never TikTok's code. ``refresh_feeds`` fills everybody's feed for one round;
``rank_feed`` shows one person's candidates with their scores (lesson 03's ranking chart);
``tiktok_lab.lessons.feed.pools`` runs the rounds.

How it stays fast (the simulation re-runs on every slider move; ``benchmarks/feed.py``):
scores are ranked once per run, arrays are slot-major or topic-major so NumPy works along long
rows, and only places whose best candidate was already seen look at every candidate.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tiktok_lab.lessons.feed.model import (
    MATCH_LEVELS,
    FeedParams,
    World,
    _check_interests,
    _check_users,
    _world_key,
    load_feed_data,
    make_world,
    match_level,
    predict,
    response,
    score,
)

if TYPE_CHECKING:
    import pandas as pd


# How ranking works. Each ranked place of a feed draws a topic from the person's interests and
# a few candidates of that topic from a retrieval table (each video in proportion to the
# audience its pool allows; the same candidates whatever the weights); the best candidate the
# person has not seen wins. Scores never change during a run, so each video's rank by score at
# each match level is computed once (Ranking): "the best of k candidates" is then the highest
# of k small whole numbers, looked up in a per-round table of those ranks.

TABLE_SIZE = 512
_TABLE_BITS = 9  # TABLE_SIZE == 1 << _TABLE_BITS
_POSITION_SHIFT = 16 - _TABLE_BITS  # a 16-bit draw's top bits are a position in a table row


def _score_terms(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per video, s0, s1, s2 with score = s0 + s1·m + s2·m² (m the match): the same score as
    ``score(predict(...))`` with far fewer operations per video and match."""
    p = world.params
    f32 = np.float32
    a_v = world.video_like * f32(p.v_like) + world.video_comment * f32(p.v_comment)
    b_v = world.video_completion * world.video_length * f32(p.v_playtime / p.playtime_unit_seconds)
    # P(play)·(V_play + engage·A + completion(m)·B) with P(play) = hook·play(m), each factor
    # base + per_match·m (``response``: 0.3 + 0.7m, 0.2 + 0.8m, 0.5 + 0.5m), expanded in powers of m.
    lines = response()
    play, engage, complete = lines.play, lines.engagement, lines.completion
    c0 = f32(p.v_play) + f32(engage.base) * a_v + f32(complete.base) * b_v
    c1 = f32(engage.per_match) * a_v + f32(complete.per_match) * b_v
    hook = world.video_hook
    s0 = hook * f32(play.base) * c0
    s1 = hook * (f32(play.base) * c1 + f32(play.per_match) * c0)
    s2 = hook * f32(play.per_match) * c1
    return s0.astype(np.float32), s1.astype(np.float32), s2.astype(np.float32)


def scores_by_level(world: World) -> np.ndarray:
    """(MATCH_LEVELS + 1, n_videos) float32: every video's score at every level of match."""
    s0, s1, s2 = _score_terms(world)
    m = (np.arange(MATCH_LEVELS + 1, dtype=np.float32) / np.float32(MATCH_LEVELS))[:, None]
    scores = (s0 + (s1 + s2 * m) * m).astype(np.float32)
    scores += np.float32(0.0)  # -0.0 (a weight typed as -0) sorts like +0.0
    return scores


@dataclass(frozen=True, eq=False)
class Ranking:
    """A scenario's score order and retrieval layout, built once per run (scores depend on the
    weights and the videos, never on the round).

    ``rank[level, video]``: the video's rank among all videos by score at that match level
    (0 = lowest; equal scores by video id); ``by_rank`` is its inverse. Within a place every
    candidate has the same topic and level, so the highest rank is the best score.
    ``entries``: the video of each retrieval entry, topic by topic (``starts``), by video id."""

    rank: np.ndarray      # (MATCH_LEVELS + 1, n_videos) uint16 (uint32 beyond 65,536 videos)
    by_rank: np.ndarray   # (MATCH_LEVELS + 1, n_videos) int32
    scores: np.ndarray    # (MATCH_LEVELS + 1, n_videos) float32, as in scores_by_level
    entries: np.ndarray   # (n_entries,) int32 video ids, topic blocks
    entry_topic: np.ndarray  # (n_entries,) topic of each entry (sorted)
    starts: np.ndarray    # (n_topics + 1,) where each topic's block starts


def ranking_of(world: World) -> Ranking:
    """Rank every video by score at every level (one sort of packed keys: a non-negative
    float32 orders like its bits) and lay the retrieval entries out topic by topic."""
    n_topics = world.params.n_topics
    topic = np.asarray(world.video_topic, dtype=np.int64)
    n_videos = topic.size
    scores = scores_by_level(world)
    keys = scores.view(np.uint32).astype(np.uint64) << np.uint64(20)  # ids < 2**20 (100,000 max)
    keys |= np.arange(n_videos, dtype=np.uint64)
    keys.sort(axis=1)
    by_rank = (keys & np.uint64(0xFFFFF)).astype(np.int32)
    rank = np.empty(by_rank.shape, dtype=np.min_scalar_type(max(n_videos - 1, 0)))
    np.put_along_axis(rank, by_rank, np.arange(n_videos, dtype=rank.dtype)[None, :], axis=1)
    entries = np.argsort(topic, kind="stable")
    entry_topic = topic[entries]
    empty = np.flatnonzero(np.bincount(topic, minlength=n_topics)[:n_topics] == 0)
    if empty.size:  # a topic without videos borrows video 0, so that every block has an entry
        entries = np.concatenate([entries, np.zeros(empty.size, dtype=entries.dtype)])
        entry_topic = np.concatenate([entry_topic, empty])
        order = np.argsort(entry_topic, kind="stable")
        entries, entry_topic = entries[order], entry_topic[order]
    return Ranking(rank=rank, by_rank=by_rank, scores=scores, entries=entries.astype(np.int32),
                   entry_topic=entry_topic,
                   starts=np.searchsorted(entry_topic, np.arange(n_topics + 1)))


def retrieval_table(ranking: Ranking, budget: np.ndarray) -> np.ndarray:
    """(n_topics, TABLE_SIZE) video ids: each topic's videos, each one in proportion to the
    audience its pool allows (systematic sampling), so a random column is a weighted draw. A
    topic whose videos all have an empty pool lists them evenly."""
    entries, topic, starts = ranking.entries, ranking.entry_topic, ranking.starts
    weight = np.take(np.asarray(budget, dtype=np.float64), entries)
    total = np.bincount(topic, weights=weight, minlength=starts.size - 1)
    empty = total <= 0
    # As shares of their topic, every block sums to 1: the running sum reaches t + 1 at the end
    # of topic t's block, and running sum × TABLE_SIZE counts the table entries so far.
    weight *= np.where(empty, 0.0, 1.0 / np.where(empty, 1.0, total))[topic]
    if empty.any():
        weight += np.where(empty, 1.0 / np.maximum(np.diff(starts), 1), 0.0)[topic]
    marks = np.cumsum(weight)
    marks *= TABLE_SIZE
    marks += 0.5
    counts = np.diff(np.floor(marks).astype(np.int64), prepend=0)
    return np.repeat(entries, counts).reshape(-1, TABLE_SIZE)


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
        self.empty = True  # nothing added yet: lookups can be skipped

    @classmethod
    def from_matrix(cls, seen: np.ndarray) -> "SeenVideos":
        """From a (n_users, n_videos) boolean matrix."""
        seen = np.asarray(seen, dtype=bool)
        out = cls(*seen.shape)
        out.bits = np.packbits(seen, axis=1, bitorder="little").reshape(-1)
        out.empty = not seen.any()
        return out

    _BIT = np.array([1, 2, 4, 8, 16, 32, 64, 128], dtype=np.uint8)  # a video's bit in its byte

    def _where(self, users: np.ndarray, videos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each pair's byte and its bit, as a mask (looked up: NumPy shifts bytes slowly)."""
        videos = np.asarray(videos)
        byte = np.asarray(users, dtype=np.intp) * self.stride + (videos >> 3)
        return byte, np.take(self._BIT, videos & 7)

    def contains(self, users: np.ndarray, videos: np.ndarray) -> np.ndarray:
        byte, bit = self._where(users, videos)
        flag = np.take(self.bits, byte)
        flag &= bit
        return flag != 0

    def add(self, users: np.ndarray, videos: np.ndarray) -> None:
        byte, bit = self._where(users, videos)
        np.bitwise_or.at(self.bits, byte.reshape(-1), np.broadcast_to(bit, byte.shape).reshape(-1))
        self.empty = self.empty and byte.size == 0

    def add_slot_by_slot(self, users: np.ndarray, videos: np.ndarray,
                         bounds: np.ndarray) -> None:
        """``add``, for pairs in runs (``bounds``) within which no person appears twice, such as
        the slots of everybody's feed: no two pairs of a run share a byte, so a plain indexed
        update per run is safe, and much faster than ``add``'s unbuffered one."""
        byte, bit = self._where(users, videos)
        for start, stop in zip(bounds[:-1], bounds[1:]):
            self.bits[byte[start:stop]] |= bit[start:stop]
        self.empty = self.empty and byte.size == 0

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


def topic_shares(world: World, users: np.ndarray, interests: np.ndarray,
                 topic_weights: np.ndarray | None = None) -> np.ndarray:
    """(n_topics, n) float32, topic-major: how the ranked places of ``users`` pick topics. Their
    interests (``interests`` is topic-major too: (n_topics, n_users)), or in the
    non-personalised feed what is popular in their region (``topic_weights`` (n_regions,
    n_topics); even by default)."""
    p = world.params
    if p.personalised:
        everybody = users.size == interests.shape[1] and np.array_equal(users, np.arange(users.size))
        return np.ascontiguousarray(interests if everybody else interests[:, users])
    weights = (topic_weights if topic_weights is not None
               else np.ones((p.n_regions, p.n_topics), dtype=np.float32))
    shares = (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)
    return np.ascontiguousarray(shares.T[:, world.user_region[users]])


def refresh_feeds(world: World, users: np.ndarray, interests: np.ndarray, budget: np.ndarray,
                  rng: np.random.Generator, *, topic_weights: np.ndarray | None = None,
                  seen: "np.ndarray | SeenVideos | None" = None, detail: bool = False) -> Refresh:
    """Retrieve, score and rank candidates place by place, add diversity, for ``users``.

    Each ranked place of the feed gets a topic drawn from the person's interests (or, in the
    non-personalised feed, from what is popular in their region, ``topic_weights``
    (n_regions, n_topics)), a few candidates of that topic drawn in proportion to the audience
    their pool allows (retrieval), and the best-scoring one that the person has not seen wins
    the place (ranking). Diversity slots take any video of a topic drawn uniformly. A video
    never appears twice in one feed (a repeat leaves its slot empty). ``seen`` (a boolean
    (n_users, n_videos) matrix or a :class:`SeenVideos`) lists videos never to show again.
    ``detail=True`` also returns every candidate with its score (``rank_feed`` shows them).
    """
    users = np.asarray(users)
    if seen is not None and not isinstance(seen, SeenVideos):
        seen = SeenVideos.from_matrix(seen)
    shares = topic_shares(world, users, np.asarray(interests, dtype=np.float32).T, topic_weights)
    levels = match_level(shares, world.params.n_topics) if world.params.personalised else None
    slots = feed_slots(world, ranking_of(world), users, shares, levels, budget, rng, seen,
                       detail=detail)
    n_main = place_sizes(world.params).size
    diversity = np.zeros(slots.shown.shape[::-1], dtype=bool)
    diversity[:, n_main:] = True
    out = Refresh(users=users, shown=np.ascontiguousarray(slots.shown.T), diversity=diversity)
    if not detail:
        return out
    return dataclasses.replace(out, candidates=slots.candidates.transpose(2, 1, 0),
                               scores=slots.scores.transpose(2, 1, 0), winner=slots.winner.T)


@dataclass(frozen=True)
class Slots:
    """A refresh slot by slot (slot-major, the simulation's layout): ``shown[j]`` is slot j of
    everybody's feed; ranked places first, diversity slots last. With detail, per ranked place
    and candidate number: ``candidates``/``scores`` (per_place, places, n), ``winner``."""

    shown: np.ndarray
    candidates: np.ndarray | None = None
    scores: np.ndarray | None = None
    winner: np.ndarray | None = None


def feed_slots(world: World, ranking: Ranking, users: np.ndarray, shares: np.ndarray,
               levels: np.ndarray | None, budget: np.ndarray, rng: np.random.Generator,
               seen: SeenVideos | None, *, detail: bool = False) -> Slots:
    """The refresh of :func:`refresh_feeds`, slot-major. ``shares``: the topic shares of each
    person (:func:`topic_shares`, (n_topics, n)); ``levels``: their match level per topic
    (uint8, (n_topics, n)), or None for the non-personalised feed, which ranks everybody at the
    average match. Topic-major arrays: each row is long, which NumPy handles fastest."""
    p = world.params
    n = users.size
    sizes = place_sizes(p)
    seen = None if seen is None or seen.empty else seen  # a first feed: nothing to strike out
    table = retrieval_table(ranking, budget).reshape(-1)
    shown = np.empty((p.feed_length, n), dtype=np.int32)
    out = Slots(shown=shown)
    if sizes.size:
        row = _place_rows(shares, levels, sizes.size, rng)
        out = _rank_places(out, table, row, sizes, users, seen, ranking, rng, detail)
    n_div = p.diversity_slots
    if n_div:
        extra = _raw_uint32(rng, n_div * n).reshape(n_div, n)
        topic = (extra.astype(np.uint64) * np.uint64(p.n_topics)) >> np.uint64(32)
        entry = (topic.astype(np.intp) << _TABLE_BITS) | (extra & np.uint32(TABLE_SIZE - 1))
        div = np.take(table, entry)
        if seen is not None:
            div[seen.contains(users[None, :], div)] = -1
        shown[sizes.size:] = div
    _blank_repeats(shown)
    return out


def _place_rows(shares: np.ndarray, levels: np.ndarray | None, places: int,
                rng: np.random.Generator) -> np.ndarray:
    """(places, n) retrieval-table rows (level × n_topics + topic): each place's topic drawn from
    its person's ``shares`` (inverse CDF: a raw 32-bit draw passing t of the cumulative
    thresholds means topic t), at the person's match level for that topic."""
    k_topics, n = shares.shape
    limits = np.empty((k_topics - 1, n), dtype=np.float32)  # cumulative shares, all but the last
    if k_topics > 1:
        limits[0] = shares[0]
        for t in range(1, k_topics - 1):
            np.add(limits[t - 1], shares[t], out=limits[t])
    total = (limits[-1] + shares[-1]) if k_topics > 1 else shares[0]
    limits *= np.float32(2.0**32) / np.where(total > 0, total, np.float32(1))
    # float32 keeps 24 bits: thresholds are exact to 1/16,000,000 of a share, plenty here.
    np.minimum(limits, np.float32(4294967040.0), out=limits)
    draw = _raw_uint32(rng, places * n).reshape(places, n)
    passes = np.zeros(draw.shape, dtype=np.uint8)
    passed = np.empty(draw.shape, dtype=bool)
    for limit in limits.astype(np.uint32):
        np.greater_equal(draw, limit, out=passed)
        passes += passed
    topic = passes.astype(np.intp)
    if levels is None:
        topic += (MATCH_LEVELS // 2) * k_topics
        return topic
    row_of = levels.astype(np.intp)  # (n_topics, n)
    row_of *= k_topics
    row_of += np.arange(k_topics)[:, None]
    topic *= n
    topic += np.arange(n)
    return np.take(row_of, topic)


def _rank_places(out: Slots, table: np.ndarray, row: np.ndarray, sizes: np.ndarray,
                 users: np.ndarray, seen: SeenVideos | None, ranking: Ranking,
                 rng: np.random.Generator, detail: bool) -> Slots:
    """Fill the ranked places of ``out.shown``: each place's winner is its candidate with the
    best score (the highest rank) among the videos the person has not seen.

    A candidate is a column of the place's topic in ``table`` (the top bits of a 16-bit draw);
    its rank comes from a per-round table of ranks laid out like ``row``. Only the places whose
    best candidate was already seen look at every candidate's video."""
    places, n = row.shape
    k_topics = table.size // TABLE_SIZE
    per_place = int(sizes.max())
    column = raw_uint16(rng, per_place * places * n).reshape(per_place, places, n)
    column >>= np.uint16(_POSITION_SHIFT)
    level_start = row // k_topics
    level_start *= ranking.by_rank.shape[1]  # where the place's level starts in by_rank
    ranks = np.take(ranking.rank, table, axis=1).reshape(-1)  # entry row × TABLE_SIZE + column
    rank = np.take(ranks, (row << _TABLE_BITS) + column)
    rank[per_place - 1, sizes < per_place] = 0  # no candidate: never above a real one
    best = rank.max(axis=0)
    video = np.take(ranking.by_rank, level_start + best)
    if seen is not None:
        stale = np.flatnonzero(seen.contains(users[None, :], video))
        if stale.size:
            video.ravel()[stale] = _best_of_stale(rank, stale, level_start, sizes, users, seen,
                                                  ranking)
    out.shown[:places] = video
    if detail:
        return _with_candidates(out, table, row, column, sizes, users, seen, ranking)
    return out


def _best_of_stale(rank: np.ndarray, stale: np.ndarray, level_start: np.ndarray,
                   sizes: np.ndarray, users: np.ndarray, seen: SeenVideos,
                   ranking: Ranking) -> np.ndarray:
    """The winners of the places ``stale`` (flat indices into (places, n)), whose best
    candidate was seen: the best candidate not seen, -1 when none is left. Works from the
    candidates' ranks already looked up (a rank and its level give the video)."""
    per_place, places, n = rank.shape
    place, person = np.divmod(stale, n)
    at = np.take(rank.reshape(per_place, -1), stale, axis=1).astype(np.intp)
    at += level_start.reshape(-1)[stale]  # where each candidate's video is in by_rank
    usable = seen.contains(users[person], np.take(ranking.by_rank, at))
    np.logical_not(usable, out=usable)
    usable &= np.arange(per_place)[:, None] < sizes[place]
    at += 1
    at *= usable  # 0: not usable (arithmetic, cheaper than a masked write)
    best = at.max(axis=0)
    winner = np.take(ranking.by_rank, np.maximum(best - 1, 0))
    winner[best == 0] = -1
    return winner


def _with_candidates(out: Slots, table: np.ndarray, row: np.ndarray, column: np.ndarray,
                     sizes: np.ndarray, users: np.ndarray, seen: SeenVideos | None,
                     ranking: Ranking) -> Slots:
    """``out`` with every candidate of every ranked place (rank_feed shows them): its video,
    its score (-inf: seen or no candidate) and which one won (the winners are already in
    ``out.shown``, chosen as in the simulation)."""
    per_place, places, n = column.shape
    k_topics = table.size // TABLE_SIZE
    video = np.take(table, ((row % k_topics) << _TABLE_BITS)[None] + column)
    usable = np.broadcast_to(np.arange(per_place)[:, None, None] < sizes[None, :, None],
                             video.shape).copy()
    video[~usable] = -1
    if seen is not None:
        usable &= ~seen.contains(users[None, None, :], np.maximum(video, 0))
    level = row // k_topics
    score = np.take(ranking.scores.reshape(-1),
                    level[None] * ranking.scores.shape[1] + np.maximum(video, 0))
    score = np.where(usable, score, np.float32(-np.inf))
    shown = out.shown[:places]
    won = usable & (video == shown[None]) & (shown[None] >= 0)
    number = np.arange(per_place)[:, None, None]
    winner = np.where(won, number, -1).max(axis=0)
    return dataclasses.replace(out, candidates=video, scores=score, winner=winner)


def _blank_repeats(shown: np.ndarray) -> None:
    """No video twice in one feed: a later repeat of a video leaves its slot empty (slot-major:
    ``shown[j]`` is slot j of everybody's feed)."""
    repeat = np.empty(shown.shape[1], dtype=bool)
    same = np.empty(shown.shape[1], dtype=bool)
    for j in range(1, shown.shape[0]):
        np.equal(shown[0], shown[j], out=repeat)
        for i in range(1, j):
            np.equal(shown[i], shown[j], out=same)
            repeat |= same
        repeat &= shown[j] >= 0
        shown[j] |= -repeat.view(np.int8)  # a repeat becomes -1 (all bits set), others stay


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
