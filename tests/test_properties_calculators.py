"""Whatever a learner types into a calculator, they get an answer or a plain message.

One property per public calculator (inventory: ``docs/robustness.md``): no
exception except the module's documented friendly one, and every message a
learner may read is plain (``tests/strategies.assert_plain``) and names what to
fix. Lesson modules' own tests check the right answers; these check the wrong
inputs.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok_lab as tl
from tiktok_lab.lessons.ads.budget import check_budget, check_lifetime_budget, estimate_ad_reach, make_ad_reach_chart, make_challenge_chart
from tiktok_lab.lessons.figures.audience import estimate_reach
from tiktok_lab.lessons.figures.sourced import figures_on
from tiktok_lab.lessons.opportunity import load_opportunity
from tiktok_lab.lessons.platform import load_platform, make_retention_chart, simulate_retention
from tiktok_lab.lessons.publishing import check_rhythm, check_strategy, load_publishing, plan_calendar, reply_feedback
from strategies import (assert_plain, ids_or_nonsense, learner_values, number_texts, numbers,
                        picks_or_nonsense, texts)
from tiktok_lab.lessons.figures.audience import SCOPES, SEXES
from tiktok_lab.core.datafiles import UnknownIdError
from tiktok_lab.lessons.platform import Choices

pytestmark = pytest.mark.usefixtures("fresh_learner")

amounts = st.one_of(numbers, number_texts, learner_values)


@settings(max_examples=80)
@given(daily=amounts, days=amounts, cpm_low=amounts, cpm_high=amounts, frequency=amounts,
       language=st.sampled_from(["en", "fr"]))
def test_ad_budget_calculators_answer_anything(daily, days, cpm_low, cpm_high, frequency,
                                                language) -> None:
    check = check_budget(daily, days, language=language)
    for problem in check.problems:
        assert_plain(problem)
    assert check.ok or check.problems, "a refused budget says why"

    valid, reason = check_lifetime_budget(daily, days, language=language)
    assert isinstance(valid, bool)
    assert_plain(reason)

    estimate = estimate_ad_reach(daily, days, cpm_low, cpm_high, frequency, language=language)
    if estimate.ok:
        assert all(low <= high for low, high in zip(estimate.reach_low, estimate.reach_high))
        make_ad_reach_chart(estimate)
    else:
        assert_plain(estimate.message)
        with pytest.raises(ValueError) as refused:  # documented: the chart refuses with the message
            make_ad_reach_chart(estimate)
        assert str(refused.value) == estimate.message


@settings(max_examples=60)
@given(objective=ids_or_nonsense(["reach", "traffic", "product-sales", "video-views"]),
       daily=amounts, days=amounts, landing=learner_values, creators=learner_values)
def test_format_chooser_answers_anything(objective, daily, days, landing, creators) -> None:
    ranking = tl.rank_formats(objective, daily, days, has_landing_page=landing,
                              has_creators=creators)
    if ranking.ok:
        assert ranking.items
    else:
        assert_plain(ranking.message)


@settings(max_examples=40)
@given(plan=st.one_of(learner_values, st.lists(st.fixed_dictionaries(
    {}, optional={"phase": texts, "note": texts, "day": amounts}), max_size=5)))
def test_challenge_planner_draws_anything(plan) -> None:
    make_challenge_chart(plan)


@settings(max_examples=80)
@given(scope=ids_or_nonsense(list(SCOPES)),
       bands=picks_or_nonsense(["all", "13-17", "18-24", "25-34", "35+", "55+"]),
       sex=ids_or_nonsense(list(SEXES)))
def test_reach_calculator_messages_are_plain(scope, bands, sex) -> None:
    estimate = estimate_reach(scope, bands, sex)
    if estimate.ok:
        assert estimate.low <= estimate.high
    else:
        assert_plain(estimate.message)


def _opportunity_ids(kind: str) -> list[str]:
    return load_opportunity().ids(kind)


@settings(max_examples=80)
@given(sector=ids_or_nonsense(_opportunity_ids("sectors")),
       goals=picks_or_nonsense(_opportunity_ids("goals")),
       tone=ids_or_nonsense(_opportunity_ids("tones")),
       presence=picks_or_nonsense(_opportunity_ids("networks")),
       bands=picks_or_nonsense(["13-17", "18-24", "25-34", "55+"]),
       sex=ids_or_nonsense(list(SEXES)), country=ids_or_nonsense(list(SCOPES)),
       videos=st.one_of(st.integers(-2, 20), amounts), brand=learner_values,
       keys=st.sets(st.sampled_from(["sector", "goals", "tone", "presence", "bands", "sex",
                                     "country", "videos_per_week", "brand", "sectr", "video"])))
def test_scorecard_scores_or_names_the_wrong_answer(sector, goals, tone, presence, bands, sex,
                                                     country, videos, brand, keys) -> None:
    typed = {"sector": sector, "goals": goals, "tone": tone, "presence": presence,
             "bands": bands, "sex": sex, "country": country, "videos_per_week": videos,
             "brand": brand, "sectr": sector, "video": videos}
    answers = {key: typed[key] for key in keys}
    try:
        card = tl.score_brand(**answers)
    except UnknownIdError as error:
        assert_plain(str(error))
        assert "has the id" in str(error)
        return
    except ValueError as error:  # documented: videos_per_week that is no whole number
        assert_plain(str(error))
        assert "videos_per_week" in str(error)
        return
    assert 0 <= card.total <= 100 and card.verdict in ("core", "complement", "not-now")
    assert_plain(card.verdict_text)


def _platform_ids(kind: str) -> list[str]:
    return [block.id for block in load_platform().blocks(kind)]


@settings(max_examples=60)
@given(picks=st.dictionaries(
    st.sampled_from([*Choices.__dataclass_fields__, "lenght", "Hook"]),
    st.one_of(*(ids_or_nonsense(_platform_ids(kind))
                for kind in ("lengths", "hooks", "sounds", "effects", "genres"))),
    max_size=4))
def test_retention_simulator_answers_or_suggests(picks) -> None:
    try:
        curve = simulate_retention(**picks)
    except UnknownIdError as error:
        assert_plain(str(error))
        return
    assert 0 <= curve.at_end <= curve.after_hook <= 1
    make_retention_chart(curve)


def _publishing_ids(kind: str) -> list[str]:
    return load_publishing().ids(kind)


@settings(max_examples=80)
@given(why=learner_values, what=learner_values, whom=learner_values,
       posts=st.one_of(st.integers(-3, 30), amounts),
       pillars=picks_or_nonsense(_publishing_ids("pillars")),
       formats=picks_or_nonsense(_publishing_ids("formats")),
       language=st.sampled_from(["en", "fr"]))
def test_publishing_checks_name_the_field_to_fix(why, what, whom, posts, pillars, formats,
                                                  language) -> None:
    strategy = check_strategy(why, what, whom, language=language)
    rhythm = check_rhythm(posts, pillars, formats, language=language)
    assert isinstance(tl.is_vague_target(whom), bool)
    for check, fields in ((strategy, {"why", "what", "whom"}),
                          (rhythm, {"posts_per_week", "pillars", "formats"})):
        for issue in check.issues:
            assert issue.field in fields
            assert_plain(issue.message)
        assert_plain(check.summary)
    if rhythm.ok:
        posts_planned = plan_calendar(posts, pillars, formats)
        assert all(post.pillar in _publishing_ids("pillars") for post in posts_planned)
    else:
        with pytest.raises(ValueError) as refused:  # documented: the rhythm check's summary
            plan_calendar(posts, pillars, formats)
        assert str(refused.value) == check_rhythm(posts, pillars, formats).summary


@settings(max_examples=40)
@given(comment=ids_or_nonsense([c.id for c in load_publishing().comments]),
       approach=ids_or_nonsense(_publishing_ids("approaches")))
def test_reply_practice_answers_or_suggests(comment, approach) -> None:
    try:
        feedback = reply_feedback(comment, approach)
    except UnknownIdError as error:
        assert_plain(str(error))
        return
    assert_plain(feedback.text)


@settings(max_examples=40)
@given(code=st.one_of(ids_or_nonsense(["en", "fr", "EN", "Français", "english"]),
                      learner_values))
def test_choosing_a_language_never_raises(code) -> None:
    assert_plain(tl.set_language(code))


@settings(max_examples=40)
@given(wanted=st.one_of(ids_or_nonsense(["mau-2020-07", "03_feed", "00_start_here"]),
                        learner_values))
def test_looking_up_a_figure_or_lesson_suggests_ids(wanted) -> None:
    for look_up in (tl.figure, tl.load_lesson):
        try:
            look_up(wanted)
        except UnknownIdError as error:
            assert_plain(str(error))
    topic = figures_on(wanted)  # documented: an unknown topic is an empty table
    assert topic.empty or wanted in set(tl.load_figures()["topic"])


@pytest.mark.parametrize("answers", [{"sectr": "travel"}, {"goals": None, "bands": "18-24"},
                                     {"videos_per_week": "3"}, {"videos_per_week": "lots"},
                                     {"country": ["france"]}])
def test_the_scorecard_app_opens_or_names_the_wrong_answer(answers) -> None:
    try:
        tl.build_scorecard_widget(**answers)
    except (UnknownIdError, ValueError) as error:
        assert_plain(str(error))
        assert any(name in str(error) for name in [*answers, "has the id"])


@settings(max_examples=80)
@given(low=st.one_of(st.none(), st.floats(0, 100)), extra=st.floats(0, 100),
       unknown=st.booleans())
def test_audience_score_is_monotonic_in_the_share_of_the_target_on_tiktok(low, extra,
                                                                           unknown) -> None:
    """Issue 16: a larger sourced share never lowers the audience score; no data is neutral."""
    from tiktok_lab.lessons.opportunity import audience_score

    data = load_opportunity()
    higher = (low or 0.0) + extra
    a, b = audience_score(low, unknown, data), audience_score(higher, unknown, data)
    assert 0 <= a <= b <= 100
    if unknown:  # an age band with no data is never scored as no audience
        assert a >= data.audience_unknown_score
        assert audience_score(low, False, data) <= a
    if low is None and unknown:
        assert a == data.audience_unknown_score

