"""Lesson 05: strategy form, rhythm planner, comment practice (domain, data, chart, widgets, store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_lab.core.datafiles import DataFileError, UnknownIdError, data_dir
from tiktok_lab.lessons.publishing import (
    COMMENT_KINDS,
    STORE_DOCUMENT,
    PublishingPlan,
    check_rhythm,
    check_strategy,
    clean_text,
    comments_table,
    is_vague_target,
    load_publishing,
    make_calendar_chart,
    plan_calendar,
    posts_in_weeks,
    reply_feedback,
)
from tiktok_lab.work.store import get_store
from tiktok_lab.ui.publishing import (
    CommentPracticeApp,
    RhythmPlannerApp,
    StrategyFormApp,
    build_comment_practice,
    build_rhythm_planner,
    build_strategy_form,
)
from tiktok_lab.core.charts import caption_text

pytestmark = pytest.mark.usefixtures("fresh_learner")

DATA = load_publishing()
YAML = (data_dir() / "publishing.yaml").read_text(encoding="utf-8")
GOOD = {"why": "To show how our tea is made", "what": "Behind the scenes of the farm",
        "whom": "Women aged 25-44 in France who drink tea"}


# ------------------------------------------------------------------ strategy first


@pytest.mark.parametrize("whom", ["everyone", "Everyone!", "  EVERYBODY ", "all people",
                                  "the general public", "Tout le monde", "tout le monde !",
                                  "le grand public", "n'importe qui", "Tous", "les gens",
                                  "Tout public", "tous publics", ""])
def test_everyone_like_targets_are_vague_in_english_and_french(whom: str) -> None:
    assert is_vague_target(whom, DATA)


@pytest.mark.parametrize("whom", ["Women aged 25-44 in France", "Everyone who loves tea",
                                  "étudiants à Lyon", "Parents of teenagers",
                                  "tout le monde à Lille"])
def test_a_target_with_an_age_a_place_or_an_interest_is_not_vague(whom: str) -> None:
    assert not is_vague_target(whom, DATA)


def test_a_good_strategy_passes() -> None:
    check = check_strategy(**GOOD, data=DATA)
    assert check.ok and "Clear enough" in check.summary


def test_an_empty_why_and_a_vague_target_are_explained_in_plain_words() -> None:
    check = check_strategy("", GOOD["what"], "Everyone", data=DATA)
    assert {i.field for i in check.issues} == {"why", "whom"}
    assert "Say why" in check.messages("why")[0]
    assert "please everyone" in check.messages("whom")[0]
    short = check_strategy("Sales", GOOD["what"], GOOD["whom"], data=DATA)
    assert "1 word" in short.messages("why")[0]
    empty = check_strategy(data=DATA)
    assert {i.field for i in empty.issues} == {"why", "what", "whom"}


def test_the_strategy_check_speaks_french() -> None:
    check = check_strategy("", "", "tout le monde", data=DATA, language="fr")
    assert "Dites pourquoi" in check.summary and "plaire à tous" in check.summary


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(), st.text(), st.one_of(st.text(), st.none(), st.integers(), st.floats()))
def test_arbitrary_text_never_raises(why: str, what: str, whom: object) -> None:
    check = check_strategy(why, what, whom, data=DATA)
    assert check.summary
    assert isinstance(is_vague_target(whom, DATA), bool)
    assert len(clean_text(why)) <= 500


# ------------------------------------------------------------------ rhythm and calendar


def test_rhythm_validation_rules() -> None:
    assert check_rhythm(2, ["tips"], ["tutorial"], data=DATA).ok
    assert check_rhythm(0, ["tips"], ["tutorial"], data=DATA).issues[0].field == "posts_per_week"
    absurd = check_rhythm(50, ["tips"], ["tutorial"], data=DATA)
    assert "more than three a day" in absurd.summary
    for bad in (-1, 2.5, "three", None, True):
        assert "whole number" in check_rhythm(bad, ["tips"], ["tutorial"], data=DATA).summary
    many = check_rhythm(2, ["tips", "people", "cause", "trends"], ["tutorial"], data=DATA)
    assert "4 pillars" in many.summary and "3 at most" in many.summary
    none = check_rhythm(2, [], [], data=DATA)
    assert {i.field for i in none.issues} == {"pillars", "formats"}
    assert "not one of the choices" in check_rhythm(2, ["nope"], ["tutorial"], data=DATA).summary


def test_the_rhythm_summary_compares_with_the_sourced_median() -> None:
    summary = check_rhythm(3, ["tips"], ["tutorial"], data=DATA).summary
    assert "12 in 4 weeks" in summary and "Rival IQ" in summary and "2024" in summary


@pytest.mark.parametrize(("median", "language", "expected"), [
    (2, "fr", "environ 2 vidéos par semaine"), (1, "fr", "environ 1 vidéo par semaine"),
    (1, "en", "posted about 1 a week")])
def test_counted_words_in_lesson_05_agree_with_their_number(median, language, expected) -> None:
    """Issue 16: no "1 vidéos", no "word(s)": ICU plurals, like their neighbours."""
    text = DATA.message("rhythm_ok", language, posts=1, total=4, weeks=4, source="Rival IQ",
                        median=median)
    assert expected in text and "1 vidéo par semaine, 4 en 4 semaines" in DATA.message(
        "rhythm_ok", "fr", posts=1, total=4, weeks=4, source="Rival IQ", median=2)
    assert "1 word:" in DATA.message("why_short", "en", words=1, minimum=3)
    assert "2 mots\u00a0:" in DATA.message("why_short", "fr", words=2, minimum=3)
    from tiktok_lab.core.i18n import t

    assert t("tips.chart.title", language="fr", posts=1, total=4, weeks=4) == (
        "Votre plan\u00a0: 1 vidéo par semaine, 4 en 4 semaines")  # no-break space before ":"


@pytest.mark.parametrize("posts", range(1, 22))
def test_the_calendar_has_every_video_spread_over_the_week(posts: int) -> None:
    pillars, formats = ["tips", "people", "cause"], ["tutorial", "duet"]
    plan = plan_calendar(posts, pillars, formats, data=DATA)
    assert len(plan) == posts_in_weeks(posts, 4) == posts * 4
    for week in range(1, 5):
        days = [p.day for p in plan if p.week == week]
        assert len(days) == posts and all(0 <= d <= 6 for d in days)
        assert len(set(days)) == min(posts, 7)  # as many different days as possible
        per_day = [days.count(d) for d in set(days)]
        assert max(per_day) - min(per_day) <= 1
    assert len({(p.week, p.day, p.slot) for p in plan}) == len(plan)
    assert {p.pillar for p in plan} == set(pillars) if posts * 4 >= 3 else True
    if posts * 4 >= 6:  # every pillar meets every format
        assert {(p.pillar, p.format) for p in plan} == {(a, b) for a in pillars for b in formats}


def test_two_a_week_land_on_monday_and_thursday() -> None:
    plan = plan_calendar(2, ["tips"], ["tutorial"], data=DATA)
    assert [p.day for p in plan if p.week == 1] == [0, 3]


def test_an_invalid_rhythm_refuses_to_plan() -> None:
    with pytest.raises(ValueError, match="at most"):
        plan_calendar(2, ["tips", "people", "cause", "trends"], ["tutorial"], data=DATA)


def test_chart_has_title_caption_with_the_dated_benchmark_and_description() -> None:
    spec = make_calendar_chart(3, ["tips", "people"], ["tutorial"], data=DATA).to_dict()
    assert json.loads(json.dumps(spec)) == spec
    assert "3 videos a week, 12 in 4 weeks" in spec["title"]["text"]
    caption = caption_text(spec)
    assert "Rival IQ, TikTok Benchmark Report 2024" in caption and "about 2 videos" in caption
    assert "Tips and how-to" in spec["description"] and "12 in all" in spec["description"]
    french = make_calendar_chart(3, ["tips"], ["tutorial"], data=DATA, language="fr").to_dict()
    assert "Semaine 1" in json.dumps(french, ensure_ascii=False)


# ------------------------------------------------------------------ comments


def test_every_comment_kind_and_every_approach_has_feedback_in_both_languages() -> None:
    assert sorted(c.kind for c in DATA.comments) == sorted(COMMENT_KINDS)
    for comment in DATA.comments:
        for approach in DATA.ids("approaches"):
            for language in ("en", "fr"):
                feedback = reply_feedback(comment.id, approach, data=DATA, language=language)
                assert feedback.text and feedback.level_label
            assert set(comment.feedback[approach].text) == {"en", "fr"}
        assert reply_feedback(comment.id, "ignore", data=DATA).level != "best"
    assert set(comments_table(DATA)["kind"]) == set(COMMENT_KINDS)


def test_the_feedback_follows_the_course_advice() -> None:
    by_kind = {c.kind: c.id for c in DATA.comments}
    assert reply_feedback(by_kind["complaint"], "public-then-private", data=DATA).good
    assert reply_feedback(by_kind["complaint"], "argue", data=DATA).level == "avoid"
    assert reply_feedback(by_kind["spam"], "hide", data=DATA).good
    assert reply_feedback(by_kind["troll"], "argue", data=DATA).level == "avoid"
    assert reply_feedback(by_kind["question"], "reply-public", data=DATA).good
    with pytest.raises(UnknownIdError, match="ignore"):
        reply_feedback(by_kind["spam"], "ignor", data=DATA)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in YAML
    path = tmp_path / "publishing.yaml"
    path.write_text(YAML.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, field", [
    ("        ignore: {level: avoid, text: {en: \"Even praise", "        ignored: {level: avoid, text: {en: \"Even praise", "comments"),
    ("level: best, text: {en: \"Yes: spam", "level: ok, text: {en: \"Yes: spam", "comments"),
    ("rhythm_figure_id: engagement-rivaliq-tiktok-2024-posts-per-week",
     "rhythm_figure_id: engagement-rivaliq-tiktok-1999-posts", "rhythm_figure_id"),
    ("max_pillars: 3", "max_pillars: 0", "max_pillars"),
    ("  checks:\n    nature: rule_of_thumb\n", "  checks:\n", "checks"),
    ("  levels:\n    nature: rule_of_thumb\n", "  levels:\n    nature: fact\n", "levels"),
    ("    ok: {en: \"Possible, with care\"", "    fine: {en: \"Possible, with care\"", "levels"),
])
def test_a_broken_file_names_the_file_and_the_field(tmp_path: Path, old: str, new: str,
                                                    field: str) -> None:
    with pytest.raises(DataFileError) as error:
        load_publishing(_broken(tmp_path, old, new))
    assert "publishing.yaml" in str(error.value) and field in str(error.value)


# ------------------------------------------------------------------ widgets and store


def test_the_strategy_form_validates_escapes_saves_and_restores() -> None:
    form = StrategyFormApp()
    assert "tiktok-lab-strategy-form" in form.widget._dom_classes and not form.restored
    form.why.value = "<script>alert(1)</script> 🎉 to show our workshop"
    form.what.value = GOOD["what"]
    form.whom.value = "tout le monde"
    assert "please everyone" in form.result.value
    assert "<script>" not in form.answers.value and "&lt;script&gt;" in form.answers.value
    assert "🎉" in form.answers.value
    form.whom.value = GOOD["whom"]
    form.button.click()
    assert form.check.ok and "Clear enough" in form.result.value
    saved = get_store().read(STORE_DOCUMENT)
    assert saved["why"] == "<script>alert(1)</script> 🎉 to show our workshop"
    again = StrategyFormApp()
    assert again.restored and again.whom.value == GOOD["whom"] and again.check.ok


def test_the_rhythm_planner_draws_explains_and_saves() -> None:
    app = RhythmPlannerApp()
    assert app.chart is not None and app.redraws == 1
    app.posts.value = 4
    app.pillars.value = ("tips", "people")
    app.formats.value = ("tutorial", "challenge")
    assert app.chart is not None and "16 in 4 weeks" in app.message.value
    app.pillars.value = ("tips", "people", "cause", "trends")
    assert app.chart is None and "at most" in app.message.value
    app.pillars.value = ("tips", "people")
    app.posts.value = app.posts.max
    assert app.chart is None and "more than three a day" in app.message.value
    app.posts.value = 4
    saved = get_store().read(STORE_DOCUMENT)
    assert saved["posts_per_week"] == 4 and saved["pillars"] == ["tips", "people"]
    again = RhythmPlannerApp()
    assert again.restored and again.posts.value == 4
    assert again.formats.value == ("tutorial", "challenge")


def test_the_comment_practice_gives_feedback_and_saves_the_replies() -> None:
    """The rule itself is written once, in the open answer comment-rule: no rule box here."""
    app = CommentPracticeApp()
    assert not hasattr(app, "rule")
    assert "tiktok-lab-comment-practice" in app.widget._dom_classes
    assert app.feedback is None and "0 of 5" in app.progress.value
    by_kind = {c.kind: c.id for c in DATA.comments}
    app.comment.value = by_kind["complaint"]
    app.approach.value = "argue"
    app.button.click()
    assert app.feedback.level == "avoid" and "Never blame" in app.feedback_box.value
    assert "Acknowledge publicly" in app.feedback_box.value  # the recommended approach
    app.comment.value = by_kind["spam"]
    app.approach.value = "hide"
    app.button.click()
    assert app.feedback.good and "2 of 5" in app.progress.value
    saved = get_store().read(STORE_DOCUMENT)
    assert saved["practice"] == {by_kind["complaint"]: "argue", by_kind["spam"]: "hide"}
    assert not saved.get("comment_rule")
    again = CommentPracticeApp()
    again.comment.value = by_kind["complaint"]
    assert again.approach.value == "argue" and again.feedback.level == "avoid"


def test_the_whole_document_round_trips_through_the_store() -> None:
    StrategyFormApp().why.value = GOOD["why"]
    RhythmPlannerApp().posts.value = 3
    practice = CommentPracticeApp()
    practice.approach.value = "reply-public"
    practice.on_answer(None)
    # a rule saved by the older widget (it had a rule box) is still read and kept
    get_store().write(STORE_DOCUMENT, {**get_store().read(STORE_DOCUMENT),
                                       "comment_rule": {"text": "Every comment answered"}})
    saved = get_store().read(STORE_DOCUMENT)
    assert set(saved) == {"why", "what", "whom", "posts_per_week", "pillars", "formats",
                          "comment_rule", "practice"}
    plan = PublishingPlan.from_store(saved, DATA)
    assert plan.to_store() == saved


def test_a_damaged_saved_document_never_stops_the_widgets() -> None:
    get_store().write(STORE_DOCUMENT, {"why": 42, "posts_per_week": 999, "pillars": "tips",
                                       "formats": ["nope", "duet"], "comment_rule": "x",
                                       "practice": {"spam-followers": "nope", "x": "hide"}})
    plan = PublishingPlan.from_store(get_store().read(STORE_DOCUMENT), DATA)
    assert plan.why == "42" and plan.posts_per_week == DATA.max_posts_per_week
    assert plan.pillars == ("behind-the-scenes",) and plan.formats == ("duet",)
    assert plan.comment_rule == {} and plan.practice == {}
    for build in (build_strategy_form, build_rhythm_planner, build_comment_practice):
        assert build().children


def test_the_widgets_speak_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    form = StrategyFormApp(save=False)
    assert form.why.description == "Pourquoi" and "Dites pourquoi" in form.result.value
    practice = CommentPracticeApp(save=False)
    assert "réclamation" in str(practice.comment.options)
