"""The feed simulator's settings (lesson 03) refuse bad values with ``FeedInputError``.

Learners change ``tl.FeedParams.defaults(v_comment=0)`` by hand and type people, videos
and rounds into the lesson's functions; whatever they type, the simulator either takes it
or raises ``FeedInputError`` with a plain message (naming the setting, for settings). The
cases these properties once found are kept below as plain regression tests.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok_lab as tl
from tiktok_lab.lessons.feed.pools import cold_start_feed, why_this_video
from strategies import assert_plain, learner_values
from tiktok_lab.lessons.feed.model import FeedInputError, FeedParams

SETTINGS = [f.name for f in dataclasses.fields(FeedParams)]
# How each setting's messages may name it (pool sizes are talked about pool by pool).
NAMED_AS = {"pool_sizes": "pool", "topics": "topic", "n_users": "n_users"}


setting_values = st.one_of(
    learner_values, st.integers(-5, 2_000_000), st.floats(-2, 200),
    st.lists(st.integers(-3, 20_000), max_size=4).map(tuple),
    st.lists(st.sampled_from(["food", "pets", "music", "Food", "", "cats"]), max_size=4).map(tuple),
    st.just(10**400), st.tuples(st.just(10**400)),
)


@settings(max_examples=150)
@given(changes=st.dictionaries(st.sampled_from([*SETTINGS, "v_likes", "users"]), setting_values,
                               min_size=1, max_size=3))
def test_any_setting_is_taken_or_refused_by_name(changes) -> None:
    try:
        params = FeedParams.defaults(**changes)
    except FeedInputError as refused:
        message = str(refused)
        assert_plain(message)
        named = [NAMED_AS.get(name, name) for name in changes]
        assert any(n.lower() in message.lower() for n in named) or "person" in message, (
            f"{message!r} does not say which of {sorted(changes)} to fix")
        return
    for name, value in changes.items():
        kept = getattr(params, name)
        assert kept == value or (isinstance(value, float) and math.isnan(value) and kept != kept)


def test_a_huge_whole_number_is_refused_plainly() -> None:
    with pytest.raises(FeedInputError):
        FeedParams.defaults(n_users=10**400)


@pytest.mark.parametrize("setting", [{"hook": 10**5000}, {"length_seconds": 10**5000},
                                     {"completion": -(10**5000)}, {"like": 10**5000},
                                     {"hook": 10**400}])
def test_a_huge_upload_setting_is_refused_plainly(setting) -> None:
    """10**5000 cannot even be written out (Python stops at 4,300 digits): the message
    said "ValueError: Exceeds the limit…" instead of refusing the setting."""
    with pytest.raises(FeedInputError) as refused:
        tl.upload_video(**{"length_seconds": 60, "topic": "travel", **setting})
    assert_plain(str(refused.value))
    assert "digits" in str(refused.value)


def test_a_huge_negative_weight_is_refused_plainly() -> None:
    with pytest.raises(FeedInputError) as refused:
        FeedParams.defaults(v_like=-(10**5000))
    assert_plain(str(refused.value))


@pytest.mark.parametrize("interests", [None, 5])
def test_first_open_with_no_list_of_interests_is_refused_plainly(interests) -> None:
    with pytest.raises(FeedInputError):
        cold_start_feed(interests)


def test_ranking_for_nobody_is_refused_plainly() -> None:
    with pytest.raises(FeedInputError):
        tl.rank_feed(users=None)


SMALL = FeedParams.defaults(n_users=400, n_videos=120, pool_sizes=(10, 30, 100, 300), rounds=4,
                            seed=7)
people_or_nonsense = st.one_of(learner_values, st.integers(-5, 1_000))
videos_or_nonsense = st.one_of(learner_values, st.integers(-5, 200))


@settings(max_examples=80, deadline=None)
@given(user=people_or_nonsense, video=videos_or_nonsense)
def test_why_this_video_answers_or_refuses_plainly(user, video) -> None:
    result = tl.simulate_feed(SMALL)  # cached: the same run for every example
    try:
        reasons = why_this_video(result, user, video)
    except FeedInputError as refused:
        assert_plain(str(refused))
        return
    assert list(reasons.columns) == ["reason", "text"] and len(reasons) >= 1
    assert all(text.strip() for text in reasons["text"])


@settings(max_examples=60, deadline=None)
@given(round_=st.one_of(learner_values, st.integers(-3, 8)))
def test_similar_video_percentiles_answer_or_refuse_plainly(round_) -> None:
    result = tl.simulate_feed(SMALL)
    try:
        table = tl.similar_video_percentiles(result, round=round_)
    except FeedInputError as refused:
        assert_plain(str(refused))
        return
    assert table["percentile_watch"].between(0, 100).all()
    assert (table["round"] == (SMALL.rounds if round_ is None else round_)).all()
