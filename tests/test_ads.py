"""Lesson 06: ad catalogue, format chooser, minimum budgets, reach estimator, challenge planner."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_lab.lessons.ads.budget import (
    PHASES,
    budget_minimums,
    check_budget,
    check_challenge_plan,
    check_lifetime_budget,
    describe_estimate,
    default_challenge_plan,
    estimate_ad_reach,
    make_ad_reach_chart,
    make_challenge_chart,
    normalise_plan,
)
from tiktok_lab.core.datafiles import DataFileError, data_dir
from tiktok_lab.lessons.ads.formats import load_ad_formats, rank_formats
from tiktok_lab.lessons.figures.sourced import figure
from tiktok_lab.work.store import get_store
from tiktok_lab.ui.ads import (
    BudgetEstimatorApp,
    ChallengePlannerApp,
    FormatChooserApp,
    ad_formats_table,
    ad_objectives_table,
)
from tiktok_lab.core.charts import caption_text

pytestmark = pytest.mark.usefixtures("fresh_learner")

CATALOGUE = load_ad_formats()
OBJECTIVES = [o.id for o in CATALOGUE.objectives]
WEBSITE = [o.id for o in CATALOGUE.objectives if o.website]
CAMPAIGN_DAILY = figure("ads-budget-campaign-daily").value
ADGROUP_DAILY = figure("ads-budget-adgroup-daily").value
ADGROUP_PER_DAY = figure("ads-budget-adgroup-lifetime").value


# ------------------------------------------------------------------ catalogue


def test_catalogue_has_then_and_now_with_sources_and_the_seven_objectives() -> None:
    # As of March 2025, one Sales objective replaces Website conversions and Product sales
    # (TikTok Help Centre, /work/research/objectives.md); its API name was not found.
    assert [o.api for o in CATALOGUE.objectives] == [
        "REACH", "TRAFFIC", "VIDEO_VIEWS", "ENGAGEMENT", "APP_PROMOTION", "LEAD_GENERATION", None]
    sales = CATALOGUE.objective("sales")
    assert (sales.label["en"], sales.label["fr"], sales.group) == ("Sales", "Ventes", "conversion")
    assert CATALOGUE.objective("product-sales") is sales
    assert CATALOGUE.objective("website-conversions") is sales
    assert CATALOGUE.objective("app-promotion").label["fr"] == "Promotion de l'application"
    now = {f.id for f in CATALOGUE.era("now")}
    assert {"in-feed", "spark-ads", "topview", "brand-takeover", "hashtag-challenge",
            "branded-effects", "branded-mission", "tiktok-one"} == now
    for fmt in CATALOGUE.era("then"):
        assert fmt.became in now
    for fmt in CATALOGUE.formats:
        assert fmt.source and fmt.confidence and fmt.description["fr"]
    assert "unverified" in CATALOGUE.format("brand-takeover").status["en"]
    html = ad_formats_table().data
    assert "2020 article" in html and "TikTok Business Help Centre" in html
    objectives = ad_objectives_table().data
    # No developer API names on the main path (review novice3): what judges each objective.
    assert "REACH" not in objectives and "as of March 2025" in objectives
    assert "Judge it on" in objectives and "cost per purchase" in objectives
    assert "Replaces Website conversions and Product sales" in objectives


def test_format_dates_are_shown_no_more_precisely_than_their_source(tmp_path) -> None:
    """Issue 16: the 2020 article is known to the year only, Spark Ads' launch to the month."""
    for fmt in CATALOGUE.era("then"):
        assert (fmt.date.isoformat(), fmt.date_precision) == ("2020-01-01", "year")
    spark = CATALOGUE.format("spark-ads")
    assert (spark.date.isoformat(), spark.date_precision) == ("2021-07-01", "month")
    assert CATALOGUE.format("topview").date_precision == "month"
    html = ad_formats_table().data
    assert "January" not in html and ">2020</td>" in html and ">July 2021</td>" in html
    assert "May 2024" in html
    path = tmp_path / "ad_formats.yaml"
    path.write_text((data_dir() / "ad_formats.yaml").read_text(encoding="utf-8").replace(
        "date: 2020-01-01\n      date_precision: year", "date: 2020-03-01\n      date_precision: year", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="date_precision"):
        load_ad_formats(path)


# ------------------------------------------------------------------ minimum budgets


def test_daily_minimum_must_be_exceeded() -> None:
    """Review trainer3: a campaign budget may be left open; then only the ad group's $20 a
    day binds. The campaign's $50 applies only when a campaign budget is set."""
    assert CAMPAIGN_DAILY == 50 and ADGROUP_DAILY == 20
    # Campaign budget left open (the default): $30 a day is valid, $20 is not.
    assert check_budget(30, 7).ok
    at = check_budget(ADGROUP_DAILY, 7)
    minimum = budget_minimums().adgroup_daily
    assert not at.ok and "Each ad group's daily budget must be more than $20" in at.problems[0]
    assert minimum.citation in at.problems[0] and "fewer days" in at.problems[0]
    assert check_budget(ADGROUP_DAILY + 0.01, 7).ok
    # A campaign budget set: it must exceed $50.
    at = check_budget(CAMPAIGN_DAILY, 7, campaign_budget=True)
    assert not at.ok and "If you set a campaign budget, it must be more than $50" in at.problems[0]
    assert not check_budget(CAMPAIGN_DAILY - 0.01, 7, campaign_budget=True).ok
    assert check_budget(CAMPAIGN_DAILY + 0.01, 7, campaign_budget=True).ok
    assert len(check_budget(20, 7, campaign_budget=True).problems) == 2  # the ad group's too


def test_lifetime_minimum_is_20_per_scheduled_day() -> None:
    assert ADGROUP_PER_DAY == 20
    assert check_lifetime_budget(620, 31)[0]
    assert not check_lifetime_budget(619.99, 31)[0]
    ok, message = check_lifetime_budget(619, 31)
    assert not ok and "$620" in message
    assert not check_lifetime_budget(50, 2)[0]  # 40 per ad group is fine, but a campaign needs > $50
    assert check_lifetime_budget(50.01, 2)[0]


@pytest.mark.parametrize("daily, days", [("abc", 7), (-5, 7), (1e12, 7), (60, 0), (60, 2.5),
                                         (60, "many"), (None, None), ("🎉", "<b>")])
def test_bad_input_gives_a_clear_message(daily, days) -> None:
    check = check_budget(daily, days)
    assert not check.ok and check.problems[0].startswith("Type")
    assert not rank_formats("reach", daily, days).ok
    assert estimate_ad_reach(daily, days).message


def test_bad_assumptions_and_objectives_give_messages() -> None:
    assert "CPM" in estimate_ad_reach(60, 7, 0, 10).message
    assert "frequency" in estimate_ad_reach(60, 7, 4, 12, 0.5).message
    assert "Pick one" in rank_formats("<script>", 60, 7).message
    swapped = estimate_ad_reach(60, 7, 12, 4)
    assert swapped.ok and swapped.cpm.low == 4


# ------------------------------------------------------------------ ranking


def test_ranking_is_deterministic_and_complete() -> None:
    first = rank_formats("reach", 100, 7)
    assert first.ids == rank_formats("reach", 100, 7).ids
    assert sorted(first.ids) == sorted(f.id for f in CATALOGUE.era("now") if f.ad)
    scores = [i.score for i in first.items]
    assert scores == sorted(scores, reverse=True)
    order = [f.id for f in CATALOGUE.era("now")]
    for a, b in zip(first.items, first.items[1:]):
        if a.score == b.score:
            assert order.index(a.format.id) < order.index(b.format.id)
    assert all(item.reasons for item in first.items)


@pytest.mark.parametrize("objective", WEBSITE)
@pytest.mark.parametrize("daily, days", [(30, 3), (60, 7), (1000, 30), (1e6, 6)])
def test_website_objective_without_landing_page_has_no_good_fit(
        objective, daily, days) -> None:
    """Spark Ads are in-feed ads too: a website objective needs a landing page for them as
    for any in-feed ad, so without one no format reads "good fit"."""
    for creators in (False, True):
        ranking = rank_formats(objective, daily, days, has_creators=creators)
        assert all(item.fit != "good" for item in ranking.items)


def test_sensible_choices() -> None:
    assert rank_formats("sales", 100, 7, has_landing_page=True).ids[0] == "in-feed"
    assert rank_formats("sales", 100, 7, has_creators=True).ids[0] == "spark-ads"
    # The ids TikTok merged into Sales still rank, as Sales.
    assert rank_formats("product-sales", 100, 7).ids == rank_formats("sales", 100, 7).ids


@pytest.mark.parametrize("objective", ["sales", "product-sales", "website-conversions"])
def test_a_conversion_with_nowhere_to_buy_is_told_to_get_a_page_first(objective) -> None:
    """Lesson 07's checklist and lesson 06's exercise say a sales campaign needs somewhere to
    buy; the chooser ranked Spark Ads first without a word about it."""
    bare = rank_formats(objective, 100, 7)
    assert "place where people buy" in bare.advice and "reach or video views" in bare.advice
    assert not rank_formats(objective, 100, 7, has_landing_page=True).advice
    assert not rank_formats("reach", 100, 7).advice
    assert "acheter" in rank_formats(objective, 100, 7, language="fr").advice
    small = rank_formats("reach", 60, 7)
    assert small.ids.index("in-feed") < small.ids.index("topview")
    challenge = rank_formats("community-interaction", 10, 3).items
    reasons = " ".join(next(i for i in challenge if i.format.id == "hashtag-challenge").reasons)
    assert "industry" in reasons and "stackmatix" in reasons


@given(objective=st.sampled_from(OBJECTIVES), daily=st.floats(51, 1e6), days=st.integers(1, 90),
       lp=st.booleans(), cr=st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_ranking_properties(objective, daily, days, lp, cr) -> None:
    ranking = rank_formats(objective, daily, days, has_landing_page=lp, has_creators=cr)
    assert ranking.ok
    top = ranking.items[0].format
    assert objective in top.objectives


# ------------------------------------------------------------------ reach


def test_reach_is_monotone_in_budget_and_days() -> None:
    previous = 0.0
    for daily in (51, 60, 100, 500, 5000):
        estimate = estimate_ad_reach(daily, 10)
        assert estimate.reach_low[-1] > previous
        assert estimate.reach_low[-1] <= estimate.reach_high[-1]
        previous = estimate.reach_low[-1]
    estimate = estimate_ad_reach(60, 10)
    assert list(estimate.reach_high) == sorted(estimate.reach_high)
    assert estimate.impressions_high[-1] == pytest.approx(600 / 4 * 1000)


def test_under_the_minimum_there_is_no_estimate() -> None:
    assert not estimate_ad_reach(20, 7).ok
    assert estimate_ad_reach(20.5, 7).ok


@given(daily=st.one_of(st.none(), st.text(), st.floats(allow_nan=True), st.integers()),
       days=st.one_of(st.none(), st.text(), st.floats(allow_nan=True), st.integers()),
       cpm=st.one_of(st.none(), st.text(), st.floats(allow_nan=True), st.integers()),
       objective=st.one_of(st.text(), st.sampled_from(OBJECTIVES), st.none()),
       plan=st.one_of(st.none(), st.text(), st.lists(st.dictionaries(
           st.sampled_from(["phase", "note", "day"]), st.one_of(st.text(), st.integers())))))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_learner_input_never_raises(daily, days, cpm, objective, plan) -> None:
    check_budget(daily, days)
    check_lifetime_budget(daily, days)
    estimate_ad_reach(daily, days, cpm, cpm, cpm)
    rank_formats(objective, daily, days, has_landing_page=cpm, has_creators=plan)
    assert len(normalise_plan(plan)) == 6
    check_challenge_plan(plan)


# ------------------------------------------------------------------ challenge plan


def test_default_plan_is_six_days_and_flows() -> None:
    plan = default_challenge_plan()
    assert len(plan) == figure("ads-hashtag-challenge-days").value == 6
    assert check_challenge_plan(plan) == []
    assert {row["phase"] for row in plan} == set(PHASES)
    bad = [{"phase": "recap"}] * 6
    advice = check_challenge_plan(bad)
    assert any("launch" in a for a in advice) and any("creators" in a for a in advice)


# ------------------------------------------------------------------ charts


@pytest.mark.parametrize("chart", [make_ad_reach_chart(estimate_ad_reach(60, 7)),
                                   make_challenge_chart(default_challenge_plan())])
def test_charts_have_title_caption_description_and_round_trip(chart) -> None:
    spec = chart.to_dict()
    assert json.loads(json.dumps(spec)) == spec
    assert spec["title"]["text"] and caption_text(spec) and spec["description"]


def test_chart_captions_cite_sources_and_label_assumptions() -> None:
    reach = make_ad_reach_chart(estimate_ad_reach(60, 7)).to_dict()
    assert caption_text(reach).startswith("Assumption chosen by the course, not a measured figure")
    assert budget_minimums().citation in caption_text(reach)
    plan = make_challenge_chart(default_challenge_plan()).to_dict()
    assert "industry" in caption_text(plan) and "stackmatix" in caption_text(plan)


# ------------------------------------------------------------------ widgets and the store


def test_chooser_driven_headlessly_saves_and_restores() -> None:
    app = FormatChooserApp()
    app.objective.value = "sales"
    app.daily.value = 100
    app.days.value = 14
    app.landing.value = True
    saved = get_store().read("ads")
    assert saved["objective"] == "sales" and saved["formats"][0] == "in-feed"
    assert saved["budget"] == {"daily": 100.0, "days": 14, "currency": "USD"}
    again = FormatChooserApp()
    assert (again.objective.value, again.daily.value, again.days.value, again.landing.value) == (
        "sales", 100.0, 14, True)
    app.daily.value = -3
    assert "Type the daily budget" in app.result.value


def test_the_chooser_says_a_sales_campaign_needs_a_page_before_ranking_formats() -> None:
    app = FormatChooserApp()
    app.objective.value = "sales"
    app.landing.value = False
    app.daily.value = 100
    assert "place where people buy" in app.result.value
    app.landing.value = True
    assert "place where people buy" not in app.result.value


def test_estimator_enforces_minimums_saves_and_restores() -> None:
    app = BudgetEstimatorApp()
    assert app.chart is not None and "Assumption chosen by the course" in app.widget.children[3].value
    app.daily.value = 20
    assert "more than $20" in app.message.value and app.chart is None
    app.daily.value = 75
    app.cpm_low.value = 3
    assert app.chart is not None
    saved = get_store().read("ads")
    assert saved["budget"]["daily"] == 75 and saved["cpm_assumption"]["low"] == 3
    again = BudgetEstimatorApp()
    assert again.daily.value == 75 and again.cpm_low.value == 3
    # the chooser reads the same budget back
    assert FormatChooserApp().daily.value == 75


def test_planner_escapes_learner_text_saves_and_restores() -> None:
    app = ChallengePlannerApp()
    app.phases[5].value = "boost"
    app.notes[0].value = "<script>alert(1)</script> 🎉" + "x" * 200
    assert "recap" in app.advice.value.lower()
    saved = get_store().read("ads")["challenge_plan"]
    assert saved[5]["phase"] == "boost" and len(saved[0]["note"]) <= 80
    assert "<script>" not in app.advice.value
    again = ChallengePlannerApp()
    assert again.phases[5].value == "boost" and again.notes[0].value.startswith("<script>")
    assert again.chart is not None


def test_corrupted_saved_document_falls_back_to_defaults() -> None:
    get_store().write("ads", {"objective": 3, "budget": "lots", "cpm_assumption": [1],
                              "challenge_plan": "x"})
    assert FormatChooserApp().objective.value == "reach"
    assert BudgetEstimatorApp().daily.value == 60
    assert ChallengePlannerApp().phases[0].value == "teaser"


@pytest.mark.parametrize("huge", [10**400, -(10**400)])
def test_a_whole_number_too_big_for_a_float_is_refused_plainly(huge: int) -> None:
    """``float(10**400)`` raises OverflowError: the calculators said nothing plain."""
    from strategies import assert_plain

    refused = check_budget(huge, 7)
    assert not refused.ok and refused.problems
    for problem in refused.problems + check_budget(7, huge).problems:
        assert_plain(problem)
    assert not estimate_ad_reach(huge, 7).ok
    assert_plain(estimate_ad_reach(huge, 7).message)
    assert_plain(rank_formats("reach", huge, huge).message or "")


def test_the_article_splash_page_maps_to_brand_takeover_and_the_quiz_asks_what_to_buy() -> None:
    """Review novice3: the quiz asks which formats a small budget can buy, not which of the
    formats she cannot buy resembles the splash page; its right answers are the self-serve ones."""
    from tiktok_lab.course.quizzes import load_quiz

    assert CATALOGUE.format("then-splash").became == "brand-takeover"
    question = next(q for q in load_quiz("06_ads").questions if q.id == "buy-yourself")
    right = {a.answer["en"] for a in question.answers if a.correct}
    assert right == {"In-feed ads", "Spark Ads"} and question.type == "many_choice"
    assert all("sales_rep" not in CATALOGUE.format(f).needs for f in ("in-feed", "spark-ads"))
    assert all(a.feedback["en"] and a.feedback["fr"] for a in question.answers)



def test_a_choice_saved_before_the_sales_merger_opens_as_sales() -> None:
    """Answers saved as Product sales or Website conversions (before March 2025's merger into
    Sales) are not lost: the chooser opens on Sales."""
    for old in ("product-sales", "website-conversions"):
        get_store().write("ads", {"objective": old})
        assert FormatChooserApp().objective.value == "sales"


def test_the_gift_box_decisions_match_the_chooser_and_the_minimums() -> None:
    """format-for-sales and budget-plan (lesson 06): for the gift box (Sales, a shop page, the
    made-up budget of 1,000 euros over 14 days) the chooser puts in-feed ads and Spark Ads on top
    and neither TopView nor the challenge serves Sales; spread over six ad groups, the budget
    falls under an ad group's daily minimum even at a generous 1.2 dollars a euro, while one ad
    group over the two weeks stays above the campaign's and the ad group's minimums even at
    0.8 dollars a euro. The feedback of both decisions says so without typing the minimums."""
    per_day = 1000 / 14
    ranking = rank_formats("sales", per_day, 14, has_landing_page=True)
    assert set(ranking.ids[:2]) == {"in-feed", "spark-ads"}
    assert ranking.items[0].score == ranking.items[1].score  # "treats them as equals"
    assert check_budget(per_day, 14).ok  # one ad group, campaign budget left open
    for reserved in ("topview", "hashtag-challenge"):
        assert "sales" not in CATALOGUE.format(reserved).objectives
        assert "sales_rep" in CATALOGUE.format(reserved).needs
    adgroup = figure("ads-budget-adgroup-daily").value
    campaign = figure("ads-budget-campaign-daily").value
    assert per_day / 6 * 1.2 < adgroup
    assert per_day * 0.8 > max(adgroup, campaign)
    assert figure(CATALOGUE.format("hashtag-challenge").price_figure).value > 1000 * 1.2


# ------------------------------------------------------------------ reviews trainer3 / novice3


def test_tiktok_one_is_listed_but_never_ranked_as_an_ad_format() -> None:
    catalogue = load_ad_formats()
    assert not catalogue.format("tiktok-one").ad
    for objective in OBJECTIVES:
        ranking = rank_formats(objective, 10, 7)
        assert "tiktok-one" not in ranking.ids  # no budget reason for a tool that is no ad


def test_spark_ads_are_in_feed_ads_that_need_a_landing_page_for_a_website_objective() -> None:
    spark = load_ad_formats().format("spark-ads")
    assert "landing_page" in spark.needs and "existing TikTok post" in spark.description["en"]
    without = rank_formats("sales", 70, 14, has_landing_page=False)
    item = next(i for i in without.items if i.format.id == "spark-ads")
    assert any("no landing page yet" in reason for reason in item.reasons)


def test_the_chooser_shows_a_fit_word_and_binds_on_the_ad_group_minimum() -> None:
    ranking = rank_formats("sales", 70, 14, has_landing_page=True)
    fits = {item.format.id: item.fit for item in ranking.items}
    assert fits["in-feed"] == "good" and fits["hashtag-challenge"] == "not_for_you"
    # $30 a day: above an ad group's $20, so in-feed stays self-serve and a good fit.
    low = rank_formats("reach", 30, 7)
    assert next(i for i in low.items if i.format.id == "in-feed").fit == "good"
    refused = rank_formats("reach", 20, 7)
    reason = next(i for i in refused.items if i.format.id == "in-feed").reasons
    assert any("each ad group's daily budget must be above $20" in r for r in reason)
    app = FormatChooserApp()
    assert "score " not in app.result.value and "good fit" in app.result.value


def test_lesson_07_receives_only_fitting_formats_and_the_budget_shown() -> None:
    """Review novice3: lesson 07 got the top three formats whatever their score, and a daily
    budget of 0 when the default had never been changed."""
    app = FormatChooserApp()
    app.objective.value = "sales"
    app.landing.value = True
    saved = get_store().read("ads")
    assert saved["budget"]["daily"] > 0
    ranking = rank_formats("sales", saved["budget"]["daily"], saved["budget"]["days"],
                           has_landing_page=True)
    scores = {item.format.id: item.score for item in ranking.items}
    assert saved["formats"] and all(scores[f] > 0 for f in saved["formats"])


def test_the_reach_sentence_gives_full_numbers_and_says_what_frequency_is() -> None:
    sentence = describe_estimate(estimate_ad_reach(50, 7))
    assert "K " not in sentence and "29,200" in sentence
    assert "(the frequency)" in sentence and "different people" in sentence


def test_the_estimator_gives_the_minimums_in_euros_at_the_dated_ecb_rate() -> None:
    """Reviews trainer3/novice3: budgets in dollars, briefs in euros; the estimator converts the
    minimums at the ECB rate of figures.yaml, with its source and date."""
    import re

    app = BudgetEstimatorApp()
    rules = re.sub("<[^>]+>", "", app.widget.children[1].value)
    assert "In euros, at the European Central Bank reference rate" in rules
    assert "€" in rules and "for an ad group" in rules
