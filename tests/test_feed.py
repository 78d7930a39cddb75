"""Properties of the illustrative feed simulator (lesson 03); small worlds, no timed tests."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_lab.core.datafiles import DataFileError
from tiktok_lab.lessons.feed.model import FeedInputError, FeedParams, load_feed_data, make_world
from tiktok_lab.lessons.feed.refresh import rank_feed
from tiktok_lab.lessons.feed.pools import (
    cold_start_feed,
    percentile_within,
    similar_video_percentiles,
    simulate_feed,
    upload_video,
    why_this_video,
)


def small(**changes) -> FeedParams:
    base = dict(n_users=400, n_videos=120, pool_sizes=(10, 30, 100, 300), rounds=4, seed=7)
    return FeedParams.defaults(**{**base, **changes})


def test_data_file_loads_and_documents_the_industry_pools() -> None:
    data = load_feed_data()
    assert data.pools.industry.confidence == "low"
    assert data.defaults.n_users == 10_000 and data.defaults.n_videos == 1_000
    assert data.model.nature == data.pools.nature == "model"
    assert {"en", "fr"} <= set(data.model.note)


def test_bad_data_file_names_file_and_field(tmp_path) -> None:
    text = (load_feed_data.__globals__["data_dir"]() / "feed.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "feed.yaml"
    bad.write_text(text.replace("v_comment: 2.0", "v_comment: -2.0"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"feed\.yaml.*defaults"):
        load_feed_data(bad)


def test_same_seed_same_result_different_seed_different() -> None:
    a = simulate_feed(small()).impressions()
    b = simulate_feed(small(), world=make_world(small())).impressions()
    pd.testing.assert_frame_equal(a, b)
    c = simulate_feed(small(seed=8)).impressions()
    assert not a[["impressions", "views"]].equals(c[["impressions", "views"]])


@settings(max_examples=15, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.integers(5, 200),
       st.sampled_from(["food", "pets", "music"]))
def test_a_better_hook_never_lowers_reach(h1: float, h2: float, length: int, topic: str) -> None:
    low, high = sorted((h1, h2))
    params = small()
    reach_low = upload_video(low, length, topic, params=params)["reach"].iloc[-1]
    reach_high = upload_video(high, length, topic, params=params)["reach"].iloc[-1]
    assert reach_high >= reach_low


def test_upload_funnel_same_first_views_different_watch_time() -> None:
    weak = upload_video(0.15, 60, "food", completion=0.1, params=small())
    strong = upload_video(0.15, 60, "food", completion=0.9, params=small())
    assert weak["impressions"].iloc[0] == strong["impressions"].iloc[0]
    assert strong["watch_seconds_per_impression"].iloc[0] > weak["watch_seconds_per_impression"].iloc[0]
    assert strong["reach"].iloc[-1] >= weak["reach"].iloc[-1]


def test_zero_weight_removes_a_signal() -> None:
    params = small(v_comment=0.0)
    world = make_world(small())
    rng = np.random.default_rng(1)
    other = dataclasses.replace(world, video_comment=rng.random(params.n_videos).astype(np.float32))
    a = rank_feed(params, users=[0, 1, 2], world=world)
    b = rank_feed(params, users=[0, 1, 2], world=other)
    assert a[["user", "video", "rank", "shown"]].equals(b[["user", "video", "rank", "shown"]])
    on = small(v_comment=50.0)
    c = rank_feed(on, users=[0, 1, 2], world=world)
    d = rank_feed(on, users=[0, 1, 2], world=other)
    assert not c[["video", "rank"]].equals(d[["video", "rank"]])


def test_non_personalised_feed_ignores_interests() -> None:
    params = small(personalised=False)
    world = make_world(small())
    rng = np.random.default_rng(3)
    other = rng.dirichlet(np.ones(params.n_topics), params.n_users)
    a = rank_feed(params, users=range(20), world=world)
    b = rank_feed(params, users=range(20), world=world, interests=other)
    assert a[["user", "video", "shown", "rank"]].equals(b[["user", "video", "shown", "rank"]])
    personal = small()
    c = rank_feed(personal, users=range(20), world=world)
    d = rank_feed(personal, users=range(20), world=world, interests=other)
    assert not c[["video", "shown"]].equals(d[["video", "shown"]])


def test_diversity_share_raises_out_of_profile_share() -> None:
    none = simulate_feed(small(diversity_share=0.0)).summary()
    lots = simulate_feed(small(diversity_share=0.5)).summary()
    assert (none["diversity_share"] == 0).all()
    assert lots["out_of_profile_share"].iloc[0] > none["out_of_profile_share"].iloc[0]


def test_percentiles_within_similar_videos_only() -> None:
    result = simulate_feed(small())
    table = similar_video_percentiles(result, round=1)
    assert table["percentile_watch"].between(0, 100).all()
    assert table["percentile_completion"].between(0, 100).all()
    # Recompute group by group: only same topic + same length bucket count.
    for _, group in table.groupby(["topic", "length_bucket"], observed=True):
        values = group["watch_seconds_per_impression"].to_numpy()
        expected = [100 * ((values < v).sum() + 0.5 * (values == v).sum()) / len(values)
                    for v in values]
        assert np.allclose(group["percentile_watch"], expected)
        assert (group["similar_videos"] == len(group)).all()


def test_percentile_within_ignores_other_groups() -> None:
    values = np.array([1.0, 2.0, 3.0, 100.0, -5.0])
    groups = np.array([0, 0, 0, 1, 1])
    first = percentile_within(values, groups)
    values[3:] = [0.0, 7.0]
    assert np.allclose(percentile_within(values, groups)[:3], first[:3])
    assert np.allclose(first[:3], [100 / 6, 50, 500 / 6])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 0.5, 1.0, 2.5, -3.0, 1e9]), st.integers(0, 4),
                          st.booleans()), min_size=1, max_size=40))
def test_percentile_within_matches_counting_with_ties(rows) -> None:
    """Many equal values (as when videos get no likes): each value's percentile is counted
    directly, group by group, masked values left out."""
    values, groups, mask = (np.array(column) for column in zip(*rows))
    got = percentile_within(values, groups, mask)
    for i, (value, group, keep) in enumerate(rows):
        if not keep:
            assert np.isnan(got[i])
            continue
        peers = values[(groups == group) & mask]
        expected = 100 * ((peers < value).sum() + 0.5 * (peers == value).sum()) / peers.size
        assert got[i] == pytest.approx(expected)


def test_pool_history_and_summary() -> None:
    result = simulate_feed(small())
    frame = result.impressions()
    history = frame[frame["video"] == 0]
    assert list(history["round"]) == [1, 2, 3, 4]
    assert history["pool"].is_monotonic_increasing
    assert (frame["impressions"] <= np.ceil(frame["pool_audience"]) * 2 + 5).all()
    assert set(frame["decision"]) <= {"moved up", "stalled", "no impressions", "trickle"}


def test_cold_start_contains_the_chosen_interests() -> None:
    feed = cold_start_feed(["pets", "diy"], small(), length=8)
    assert {"pets", "diy"} <= set(feed["topic"])
    assert "popular" in set(feed["why"])
    assert len(feed) == 8 and feed["video"].is_unique
    assert len(cold_start_feed([], small(), length=5)) == 5


@pytest.mark.parametrize("language", ["en", "fr"])
def test_why_this_video_gives_reasons(language: str) -> None:
    result = simulate_feed(small())
    user, video = int(result.log["user"][-1]), int(result.log["video"][-1])
    reasons = why_this_video(result, user, video, language=language)
    assert len(reasons) > 0
    assert all(isinstance(text, str) and text and "{" not in text for text in reasons["text"])
    assert why_this_video(result, 0, 1, language=language)["text"].str.len().gt(0).all()


@pytest.mark.parametrize("changes, words", [
    ({"v_like": -1.0}, "cannot be negative"),
    ({"n_users": 0}, "at least one person"),
    ({"pool_sizes": (10, 30, 100, 5000)}, "larger than the whole audience"),
    ({"v_play": float("nan")}, "must be a number"),
    ({"diversity_share": 1.5}, "at most 1"),
    ({"topics": ("food", "knitting")}, "knitting"),
    ({"pool_sizes": (30, 10)}, "larger than the one before"),
    ({"candidates": 2}, "candidates"),
    ({"colour": "red"}, "not a setting"),
])
def test_validation_errors_are_plain(changes: dict, words: str) -> None:
    with pytest.raises(FeedInputError, match=words):
        small(**changes)


@pytest.mark.parametrize("call, words", [
    (lambda: upload_video(1.5, 30, "food", params=small()), "hook"),
    (lambda: upload_video(0.5, float("nan"), "food", params=small()), "length"),
    (lambda: upload_video(0.5, 30, "cooking", params=small()), "cooking"),
    (lambda: cold_start_feed(["cooking"], small()), "cooking"),
    (lambda: rank_feed(small(), users=[10_000]), "People are numbered"),
    (lambda: why_this_video(simulate_feed(small()), 0, 999), "Videos are numbered"),
])
def test_learner_input_errors(call, words: str) -> None:
    with pytest.raises(FeedInputError, match=words):
        call()


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=4, max_size=4))
def test_the_ranking_scores_are_the_model_scores(weights: list[float]) -> None:
    """Ranking reads scores from a per-level table built from an expanded formula; they must be
    score(predict(...)) of the documented model, at every level of match."""
    from tiktok_lab.lessons.feed.model import MATCH_LEVELS, predict, score
    from tiktok_lab.lessons.feed.refresh import scores_by_level

    params = small(**dict(zip(("v_like", "v_comment", "v_playtime", "v_play"), weights)))
    world = dataclasses.replace(make_world(small()), params=params)
    levels = np.arange(MATCH_LEVELS)  # a person per level (the top level needs infinite interest)
    interests = np.zeros((levels.size, params.n_topics), dtype=np.float32)
    interests[:] = (levels / ((MATCH_LEVELS - levels) * params.n_topics))[:, None]
    users, videos = np.meshgrid(levels, np.arange(params.n_videos), indexing="ij")
    expected = score(predict(world, users.ravel(), videos.ravel(), interests), params)
    table = scores_by_level(world)[levels]
    assert np.allclose(table.ravel(), expected, rtol=1e-5, atol=1e-6)


def test_behaviour_follows_the_model_chances() -> None:
    """The simulation draws behaviour against per-(level, video) thresholds: they are the
    model's chances (predict) × 65,536, and what is drawn is consistent (watched share in
    [0, 1], all of it when completed, none without a play)."""
    from tiktok_lab.lessons.feed.model import MATCH_LEVELS, predict
    from tiktok_lab.lessons.feed.refresh import fast_rng
    from tiktok_lab.lessons.feed.pools import behaviour_chances, watch_videos

    params = small()
    world = make_world(params)
    chances = behaviour_chances(world).reshape(5, MATCH_LEVELS + 1, params.n_videos)
    levels = np.arange(MATCH_LEVELS)
    interests = np.zeros((levels.size, params.n_topics), dtype=np.float32)
    interests[:] = (levels / ((MATCH_LEVELS - levels) * params.n_topics))[:, None]
    users, videos = np.meshgrid(levels, np.arange(params.n_videos), indexing="ij")
    pred = {k: v.reshape(users.shape)
            for k, v in predict(world, users.ravel(), videos.ravel(), interests).items()}
    once_playing = {key: pred[key] / np.maximum(pred["p_play"], 1e-12)
                    for key in ("p_like", "p_comment", "p_share")}
    for row, expected in enumerate((pred["p_play"], pred["completion"], once_playing["p_like"],
                                    once_playing["p_comment"], once_playing["p_share"])):
        assert np.allclose(chances[row, :MATCH_LEVELS] / 65536, expected, atol=2 / 65536)
    key = (videos * 0 + levels[:, None]).ravel() * params.n_videos + videos.ravel()
    act = watch_videos(behaviour_chances(world), key, world.video_length[videos.ravel()],
                       fast_rng(1))
    assert ((act.watched_share >= 0) & (act.watched_share <= 1)).all()
    assert (act.watched_share[act.completed] == 1).all()
    assert (act.watched_share[~act.played] == 0).all() and (act.played | ~act.liked).all()
    assert np.allclose(act.watch_seconds, act.watched_share * world.video_length[videos.ravel()])


def test_seen_videos_bits_round_trip() -> None:
    from tiktok_lab.lessons.feed.refresh import SeenVideos

    seen = SeenVideos(5, 21)
    assert seen.empty
    users = np.array([0, 0, 0, 3, 3, 4])
    videos = np.array([0, 1, 7, 8, 15, 20])  # several bits of one byte in one call
    seen.add(users, videos)
    expected = np.zeros((5, 21), dtype=bool)
    expected[users, videos] = True
    assert np.array_equal(seen.matrix(), expected)
    grid_u, grid_v = np.meshgrid(np.arange(5), np.arange(21), indexing="ij")
    assert np.array_equal(seen.contains(grid_u, grid_v), expected)
    assert np.array_equal(SeenVideos.from_matrix(expected).matrix(), expected)
    # Slot by slot (the simulation's path): a person is in every run, with videos that share a
    # byte across runs, and no update may be lost.
    by_slot = SeenVideos(5, 21)
    users = np.array([0, 3, 4, 0, 3, 4, 0, 3])
    videos = np.array([0, 8, 20, 1, 15, 16, 7, 9])
    by_slot.add_slot_by_slot(users, videos, np.array([0, 3, 6, 8]))
    assert not seen.empty and not by_slot.empty and SeenVideos.from_matrix(expected).empty is False
    expected = np.zeros((5, 21), dtype=bool)
    expected[users, videos] = True
    assert np.array_equal(by_slot.matrix(), expected)


def test_refresh_never_shows_a_seen_video_and_each_place_goes_to_its_best_candidate() -> None:
    from tiktok_lab.lessons.feed.refresh import SeenVideos, place_sizes, refresh_feeds

    params = small()
    world = make_world(params)
    users = np.arange(params.n_users)
    budget = np.full(params.n_videos, 50.0, dtype=np.float32)
    seen = np.random.default_rng(5).random((params.n_users, params.n_videos)) < 0.3
    a = refresh_feeds(world, users, world.interests, budget, np.random.default_rng(9), seen=seen,
                      detail=True)
    b = refresh_feeds(world, users, world.interests, budget, np.random.default_rng(9),
                      seen=SeenVideos.from_matrix(seen))
    # The detailed refresh (rank_feed's) and the fast one (the simulation's) pick the same feed.
    assert np.array_equal(a.shown, b.shown) and np.array_equal(a.diversity, b.diversity)
    rows, cols = np.nonzero(a.shown >= 0)
    assert not seen[rows, a.shown[rows, cols]].any()
    sizes = place_sizes(params)
    assert a.candidates.shape == (params.n_users, sizes.size, sizes.max())
    for row in range(params.n_users):
        for place, size in enumerate(sizes):
            videos, scores = a.candidates[row, place], a.scores[row, place]
            assert (videos[:size] >= 0).all() and (videos[size:] == -1).all()
            ok = np.zeros(videos.size, dtype=bool)
            ok[:size] = ~seen[row, videos[:size]]
            assert np.array_equal(np.isfinite(scores), ok)
            shown = a.shown[row, place]
            if not ok.any():
                assert shown == -1 and a.winner[row, place] == -1
                continue
            best = a.winner[row, place]
            assert best >= 0 and scores[best] == scores[ok].max()
            # The place shows its winner, unless an earlier slot already shows that video.
            assert shown in (videos[best], -1)
            if shown == -1:
                assert videos[best] in a.shown[row, :place]
        picked = a.shown[row][a.shown[row] >= 0]
        assert np.unique(picked).size == picked.size


def test_places_share_the_candidates() -> None:
    from tiktok_lab.lessons.feed.refresh import place_sizes

    params = FeedParams.defaults()
    sizes = place_sizes(params)
    assert sizes.size == params.feed_length - params.diversity_slots
    assert sizes.sum() == params.candidates - params.diversity_slots
    assert sizes.max() - sizes.min() <= 1
    assert place_sizes(params.replace(diversity_share=1.0)).size == 0


def test_simulation_never_shows_a_person_the_same_video_twice() -> None:
    log = simulate_feed(small()).log
    pairs = log["user"].astype(np.int64) * small().n_videos + log["video"]
    assert np.unique(pairs).size == pairs.size


def test_all_slots_diverse_with_no_spare_candidates() -> None:
    params = small(candidates=8, feed_length=8, diversity_share=1.0)
    summary = simulate_feed(params).summary()
    assert (summary["diversity_share"] == 1).all() and summary["impressions"].sum() > 0


def test_rank_feed_labels_the_real_diversity_picks() -> None:
    """The "diversity" rows are the videos the refresh put in diversity slots."""
    from tiktok_lab.lessons.feed.model import FeedParams, make_world
    from tiktok_lab.lessons.feed.refresh import fast_rng, rank_feed, refresh_feeds

    params = FeedParams.defaults(n_users=6000, n_videos=300, seed=7)
    world = make_world(params)
    users = list(range(20))
    table = rank_feed(params, users=users, world=world)
    import numpy as np

    budget = np.asarray(params.pool_sizes, dtype=np.float32)[np.zeros(params.n_videos, dtype=np.int64)]
    refresh = refresh_feeds(world, np.asarray(users), world.interests, budget,
                            fast_rng(params.seed, 2))
    for row, user in enumerate(users):
        expected = {int(v) for v in refresh.shown[row][refresh.diversity[row]] if v >= 0}
        labelled = set(table.loc[(table["user"] == user) & (table["slot"] == "diversity"), "video"])
        assert labelled == expected, user


def test_the_model_coefficients_have_one_home_and_every_place_agrees(monkeypatch) -> None:
    """``data/feed.yaml`` holds the weights V (``defaults:``) and the match coefficients
    (``response:``); FeedParams, the fast scorer, the behaviour draws and the sliders derive
    from them, so changing the file changes every place at once."""
    import yaml

    from tiktok_lab.lessons.feed import model
    from tiktok_lab.lessons.feed.pools import behaviour_chances
    from tiktok_lab.lessons.feed.refresh import _score_terms
    from tiktok_lab.ui import feed_lab

    raw = yaml.safe_load((model.data_dir() / "feed.yaml").read_text(encoding="utf-8"))["feed"]
    params = FeedParams.defaults()
    fields = [f.name for f in dataclasses.fields(FeedParams)]
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(FeedParams))
    assert set(fields) == set(raw["defaults"]) | {"topics", "pool_sizes"}
    assert {name: getattr(params, name) for name in raw["defaults"]} == raw["defaults"]
    assert set(model.WEIGHTS) <= set(raw["defaults"]) and "WEIGHTS" not in vars(feed_lab)
    assert params.weights == {n.removeprefix("v_"): raw["defaults"][n] for n in model.WEIGHTS}
    assert model.response().model_dump() == raw["response"]

    other = model.Response(play={"base": 0.1, "per_match": 0.5},
                           completion={"base": 0.4, "per_match": 0.2},
                           engagement={"base": 0.05, "per_match": 0.9})
    for lines in (model.response(), other):
        monkeypatch.setattr(model, "response", lambda lines=lines: lines)
        for module in ("refresh", "pools"):
            monkeypatch.setattr(f"tiktok_lab.lessons.feed.{module}.response", model.response)
        world = make_world(small())
        n_videos = world.params.n_videos
        levels = np.arange(model.MATCH_LEVELS + 1, dtype=np.float32) / model.MATCH_LEVELS
        m = np.repeat(levels, n_videos)
        hook = np.tile(world.video_hook, levels.size)
        chances = behaviour_chances(world)
        assert np.allclose(chances[0] / 65536, hook * lines.play.at(m), atol=2 / 65536)
        # the fast scorer's expansion in powers of m is the model's score at every match
        s0, s1, s2 = _score_terms(world)
        users = np.zeros(n_videos, dtype=np.int64)
        for level in (0.0, 0.5, 1.0):
            interest = level / ((1 - level) * world.params.n_topics) if level < 1 else 1e9
            interests = np.full((1, world.params.n_topics), interest, dtype=np.float32)
            pred = model.predict(world, users, np.arange(n_videos), interests)
            mm = pred["match"]
            assert np.allclose(s0 + s1 * mm + s2 * mm * mm, model.score(pred, world.params),
                               rtol=1e-5, atol=1e-6)


def test_people_reached_never_exceed_the_people_of_the_world() -> None:
    """A video that climbs every pool is shown round after round; the people it reaches are
    distinct people, so never more than the simulated world holds (once "11,150 of 10,000")."""
    params = FeedParams.defaults()
    funnel = upload_video(0.6, 60, "travel", completion=0.7, params=params)
    assert funnel["impressions"].sum() > params.n_users  # the case that used to overflow
    assert funnel["reach"].max() <= params.n_users
    assert funnel["reach"].is_monotonic_increasing
