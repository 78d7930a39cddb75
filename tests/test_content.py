"""The packaged content: it loads, it is complete, and its numbers are those of
the fact sheet (facts.md), transcribed a second time here so a typo in one
place is caught by the other."""

from __future__ import annotations

import datetime as dt
import re
from importlib.resources import files

import pandas as pd
import pytest
import yaml

from tiktok_lab.core import schemas
from tiktok_lab.core.i18n import speaking
from tiktok_lab.lessons.figures.sourced import CLAIM_COLUMNS, FIGURE_COLUMNS, Figure, figure, load_article_claims, load_figures
from tiktok_lab.course.syllabus import Lesson, load_lesson, load_lessons


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return load_figures()


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return load_article_claims()


# --------------------------------------------------------------------------
# Figures


def test_figures_frame_shape_and_dtypes(figures):
    assert tuple(figures.columns) == FIGURE_COLUMNS
    assert len(figures) >= 100
    assert figures["value"].dtype == "float64"
    assert figures["date"].dtype == "datetime64[ns]"
    assert isinstance(figures["confidence"].dtype, pd.CategoricalDtype)
    assert figures["confidence"].cat.ordered
    assert list(figures["confidence"].cat.categories) == list(schemas.CONFIDENCE_LEVELS)
    assert isinstance(figures["topic"].dtype, pd.CategoricalDtype)
    assert figures.index.tolist() == list(range(len(figures)))


def test_figures_keep_file_order(figures):
    ids = [row.id for row in schemas.read_figure_rows()]
    assert figures["id"].tolist() == ids
    assert ids[:4] == ["users-mau-2018-01", "users-mau-2018-12", "users-mau-2019-12", "users-mau-2020-07"]


def test_confidence_is_ordered_weakest_first(figures):
    strong = figures[figures["confidence"] >= "Medium-High"]
    assert set(strong["confidence"]) == {"Medium-High", "High"}
    assert "Unverified" not in set(figures["confidence"])  # unverified facts are never printed


def test_every_figure_has_source_date_and_confidence(figures):
    for column in ("source", "date", "confidence", "scope", "metric", "unit"):
        assert figures[column].notna().all(), column
    assert (figures["source"].str.strip() != "").all()


def test_figure_ids_unique_and_urls_https(figures):
    assert figures["id"].is_unique
    urls = figures["url"].dropna()
    assert urls.str.startswith("https://").all()
    assert figures["seen_in"].map(len).ge(1).all()


def test_dates_are_plausible_and_precise_as_declared(figures):
    assert figures["date"].min() >= pd.Timestamp("2016-01-01")
    assert figures["date"].max() <= pd.Timestamp(dt.date.today())
    coarse = figures[figures["date_precision"] != "day"]
    assert (coarse["date"].dt.day == 1).all()
    yearly = figures[figures["date_precision"] == "year"]
    assert (yearly["date"].dt.month == 1).all()


def test_every_topic_the_lessons_need_is_present(figures):
    needed = {"users", "ad_reach", "downloads", "time_spent", "audience", "country", "video_length", "ads_budget", "engagement"}
    assert needed <= set(figures["topic"].dropna())


def test_percentages_are_percentages(figures):
    percent = figures[figures["unit"] == "percent"]["value"]
    assert percent.between(0, 100).all()


# A second transcription of facts.md for the figures a lesson quotes or charts. Confidence grades
# follow docs/sources.md since the source registry (issue 16): where the pages actually seen
# are only aggregators or blogs, or the producer's own page was seen, the grade moved.
EXPECTED = {
    "users-mau-2018-01": (55e6, "2018-01-01", "Medium-High"),
    "users-mau-2018-12": (271e6, "2018-12-01", "Medium-High"),
    "users-mau-2019-12": (508e6, "2019-12-01", "Medium-High"),
    "users-mau-2020-07": (689e6, "2020-07-01", "Medium-High"),
    "users-active-2020-datareportal": (800e6, "2020-01-01", "Medium"),
    "users-mau-2021-09": (1e9, "2021-09-27", "High"),
    "users-mau-2025-09": (1e9, "2025-09-05", "High"),
    "ad-reach-2021-10": (825e6, "2021-10-01", "Medium"),
    "ad-reach-2022-01": (885e6, "2022-01-01", "High"),
    "ad-reach-2022-04": (970.2e6, "2022-04-01", "Medium"),
    "ad-reach-2022-07": (1.02e9, "2022-07-01", "Medium"),
    "ad-reach-share-2022-07": (22.9, "2022-07-01", "Medium"),
    "ad-reach-2023-04": (1.092e9, "2023-04-01", "High"),
    "ad-reach-2024-q1": (1.56e9, "2024-01-01", "Low-Medium"),
    "ad-reach-2024-q4": (1.69e9, "2024-10-01", "Low-Medium"),
    "ad-reach-2025-01": (1.59e9, "2025-01-01", "Medium"),
    "time-spent-2025-10": (60 + 37, "2025-10-15", "Medium-High"),
    "time-android-2022-q1": (23.6 * 60, "2022-01-01", "Medium"),
    "time-android-2022-q4": (31 * 60 + 32, "2022-10-01", "Medium"),
    "time-android-2024-01": (34 * 60, "2024-01-01", "Medium"),
    "time-android-2025": (35 * 60, "2025-01-01", "Medium"),
    "time-android-us-2025": (44 * 60, "2025-01-01", "Medium"),
    "time-android-france-2024-11": (33 * 60, "2024-11-01", "Medium"),
    "time-emarketer-us-2019": (27.4, "2019-01-01", "Medium"),
    "time-emarketer-us-2020": (38.6, "2020-01-01", "Medium"),
    "time-emarketer-us-2021": (45.3, "2021-01-01", "Medium"),
    "time-emarketer-us-2022": (52, "2022-01-01", "Medium"),
    "time-emarketer-us-2023": (55.8, "2023-01-01", "Medium"),
    "time-emarketer-us-2024": (58.4, "2024-01-01", "Medium"),
    "audience-2025-02-women-18-24": (14.1, "2025-02-01", "Medium"),
    "audience-2025-02-men-18-24": (16.6, "2025-02-01", "Medium"),
    "audience-2025-02-women-25-34": (14.6, "2025-02-01", "Medium"),
    "audience-2025-02-men-25-34": (20.7, "2025-02-01", "Medium"),
    "audience-2024-male": (54.6, "2025-10-01", "Low"),
    "audience-2024-female": (45.4, "2025-10-01", "Low"),
    "audience-women-share-18-34-2025-02": (43.5, "2025-02-01", "Medium"),
    "audience-france-2023-women-18-24": (28, "2023-01-01", "Medium"),
    "downloads-2019-02": (1e9, "2019-02-01", "High"),
    "downloads-2019-11": (1.5e9, "2019-11-01", "High"),
    "downloads-2020-04": (2e9, "2020-04-29", "High"),
    "downloads-2021-07": (3e9, "2021-07-14", "Medium-High"),
    "downloads-2020-q1": (315e6, "2020-01-01", "High"),
    "downloads-india-2020-04": (611e6, "2020-04-29", "High"),
    "downloads-china-2020-04": (196.6e6, "2020-04-29", "High"),
    "downloads-us-2020-04": (165e6, "2020-04-29", "High"),
    "country-france-dau-2020": (11e6, "2020-01-01", "Medium"),
    "country-france-mau-2023-10": (21.4e6, "2023-10-24", "High"),
    "country-eu-mau-2023-10": (134e6, "2023-10-24", "High"),
    "country-france-mau-2025-09": (27.8e6, "2025-09-01", "High"),
    "country-europe-mau-2020-09": (100e6, "2020-09-14", "High"),
    "country-europe-mau-2024": (175e6, "2024-01-01", "High"),
    "country-europe-mau-2025-09": (200e6, "2025-09-05", "High"),
    "country-belgium-ad-reach-2023-04": (39.2, "2023-04-01", "Medium"),
    "country-belgium-users-2025-01": (3.8e6, "2025-01-01", "Low-Medium"),
    "country-luxembourg-users-2021": (19, "2021-01-01", "Medium-High"),
    "country-luxembourg-users-16-17-2021": (74, "2021-01-01", "Medium-High"),
    "country-luxembourg-users-18-19-2021": (62, "2021-01-01", "Medium-High"),
    "country-luxembourg-users-20-21-2021": (53, "2021-01-01", "Medium-High"),
    "country-luxembourg-users-22-34-2021": (16, "2021-01-01", "Medium-High"),
    "video-length-2016": (15, "2016-01-01", "Medium"),
    "video-length-2019": (60, "2019-01-01", "Medium"),
    "video-length-2021-07": (3 * 60, "2021-07-01", "High"),
    "video-length-2022-02": (10 * 60, "2022-02-28", "High"),
    "video-length-2024-01-test": (30 * 60, "2024-01-01", "Medium"),
    "video-length-2024-05-test": (60 * 60, "2024-05-01", "High"),
    "ads-budget-campaign-daily": (50, "2025-08-01", "High"),
    "ads-budget-adgroup-daily": (20, "2025-08-01", "High"),
    "ads-budget-campaign-lifetime": (50, "2025-08-01", "High"),
    "ads-budget-adgroup-lifetime": (20, "2025-08-01", "High"),
    "engagement-rivaliq-2022-tiktok": (5.69, "2022-01-01", "High"),
    "engagement-rivaliq-2022-instagram": (0.47, "2022-01-01", "High"),
    "engagement-rivaliq-2022-facebook": (0.060, "2022-01-01", "High"),
    "engagement-rivaliq-2022-twitter": (0.035, "2022-01-01", "High"),
    "engagement-rivaliq-2023-tiktok": (2.63, "2023-01-01", "Medium"),
    "engagement-rivaliq-2023-facebook": (0.063, "2023-01-01", "Medium"),
    "engagement-rivaliq-2024-change-tiktok": (-34, "2024-01-01", "Medium"),
    "engagement-rivaliq-2024-change-x": (-48, "2024-01-01", "Medium"),
    "engagement-rivaliq-tiktok-2024-sports-teams": (9.2, "2023-01-01", "Medium-High"),
    "engagement-rivaliq-tiktok-2024-food-beverage": (2.6, "2023-01-01", "Medium-High"),
    "engagement-rivaliq-tiktok-2024-median-brand": (2.6, "2023-01-01", "Medium-High"),
    "engagement-socialinsider-2022-tiktok-followers": (4.25, "2022-01-01", "High"),
    "engagement-socialinsider-2022-tiktok-views": (5.10, "2022-01-01", "High"),
    "engagement-socialinsider-2022-tiktok-fmcg-beverages": (7.69, "2022-01-01", "Medium"),
    "engagement-socialinsider-2025-tiktok": (3.70, "2025-01-01", "Medium"),
    "engagement-socialinsider-2024-tiktok": (2.50, "2024-01-01", "Medium"),
    "engagement-socialinsider-2025-linkedin": (3.85, "2025-01-01", "Low-Medium"),
    "engagement-buffer-2025-tiktok": (4.86, "2025-01-01", "Low"),
}


@pytest.mark.parametrize("figure_id", sorted(EXPECTED))
def test_figure_matches_the_fact_sheet(figure_id):
    value, date, confidence = EXPECTED[figure_id]
    found = figure(figure_id)
    assert found.value == pytest.approx(value, rel=1e-12)
    assert found.date == dt.date.fromisoformat(date)
    assert found.confidence == confidence


def test_rival_iq_industries_are_ranked_as_published(figures):
    rows = figures[figures["id"].str.startswith("engagement-rivaliq-tiktok-2024-")]
    by_views = rows[rows["metric"].str.contains("by views")]
    assert by_views["value"].tolist() == [9.2, 5.2, 4.9, 4.3, 4.1, 3.8, 3.0, 2.9, 2.7, 2.7, 2.6, 2.6]


def test_engagement_rates_always_state_their_denominator(figures):
    rates = figures[(figures["topic"] == "engagement") & (figures["unit"] == "percent")]
    said = rates["metric"].str.contains(r"\((?:by followers|by views|by impressions|denominator not stated)\)")
    assert said.all(), rates.loc[~said, "id"].tolist()


def test_engagement_rates_say_their_denominator_in_data_too(figures):
    """``divided_by`` (what the engagement table shows in the learner's language) agrees with
    the English metric's brackets: the table never reads the metric's words."""
    rates = figures[(figures["topic"] == "engagement")
                    & figures["unit"].isin(["percent", "percent change"])]
    said = rates["metric"].str.extract(r"\((?:by (\w+)|(denominator not stated))\)")
    expected = said[0].fillna("not_stated")
    assert (rates["divided_by"] == expected).all(), rates.loc[
        rates["divided_by"] != expected, "id"].tolist()
    assert figures.loc[figures["topic"] != "engagement", "divided_by"].isna().all()


def test_ad_reach_is_never_called_monthly_users(figures):
    reach = figures[figures["topic"] == "ad_reach"]
    assert not reach["metric"].str.contains("monthly", case=False).any()
    people = reach[reach["unit"] == "people"]
    assert people["scope"].str.contains("18+").all()


def test_figure_lookup_returns_dataclass_with_citation():
    found = figure("users-mau-2020-07")
    assert isinstance(found, Figure)
    first = found.documents[0]
    assert found.citation.startswith("TikTok, ")
    assert found.citation.endswith(", as of July 2020")
    assert (f", via {first.publisher}" in found.citation) == (first.kind != "primary")
    assert figure("time-android-2022-q4").when == "Q4 2022"
    assert figure("engagement-rivaliq-2022-tiktok").when == "2022"


def test_unknown_figure_suggests_close_ids():
    with pytest.raises(KeyError) as caught:
        figure("mau-2020-07")
    message = str(caught.value)
    assert message.startswith('No figure has the id "mau-2020-07". Did you mean: users-mau-2020-07')


def test_frames_are_fresh_copies():
    first = load_figures()
    first.loc[0, "value"] = -1.0
    assert load_figures().loc[0, "value"] == 55e6


# --------------------------------------------------------------------------
# Article claims


def test_claims_frame_shape_and_order(claims):
    assert tuple(claims.columns) == CLAIM_COLUMNS
    assert claims["id"].tolist()[:2] == ["claim-monthly-users-800m", "claim-under-30-66-percent"]
    assert claims["value"].dtype == "float64"
    assert list(claims["status"].cat.categories) == ["verified", "partly-verified", "untraceable"]
    assert claims["id"].is_unique


def test_claims_cover_every_figure_of_the_article(claims):
    values = dict(zip(claims["id"], claims["value"]))
    assert values["claim-monthly-users-800m"] == 800e6
    assert values["claim-under-30-66-percent"] == 66
    assert values["claim-women-67-percent"] == 67
    assert values["claim-downloads-2bn"] == 2e9
    assert values["claim-opens-8-per-day"] == 8
    assert values["claim-time-50-min-per-day"] == 50
    assert values["claim-france-videos-created"] == 270e6
    assert values["claim-france-videos-shared"] == 10e6
    assert values["claim-france-hashtag-challenges"] == 248


def test_claim_cross_references_exist(claims, figures):
    known = set(figures["id"])
    for claim_id, related in zip(claims["id"], claims["related_figure_ids"]):
        missing = [figure_id for figure_id in related if figure_id not in known]
        assert not missing, f"{claim_id} refers to unknown figures {missing}"


def test_claims_point_to_evidence(claims):
    """A claim is backed by related figures unless all we have is the page the article cites."""
    for _, claim in claims.iterrows():
        if claim["status"] != "untraceable" or pd.isna(claim["cited_source"]):
            assert claim["related_figure_ids"], claim["id"]


def test_untraceable_claims_are_unverified(claims):
    untraceable = claims[claims["status"] == "untraceable"]
    assert set(untraceable["confidence"]) == {"Unverified"}
    french = claims[claims["id"].str.startswith("claim-france-")]
    assert set(french["cited_source"]) == {"blogdumoderateur.com/chiffres-tiktok"}


def test_claim_sections_match_a_lesson(claims):
    sections = {lesson.article_section for lesson in load_lessons()}
    assert set(claims["article_section"]) <= sections


# --------------------------------------------------------------------------
# Lessons

LESSON_IDS = [
    "00_start_here",
    "01_platform",
    "02_figures",
    "03_feed",
    "04_opportunity",
    "05_tips",
    "06_ads",
    "07_my_strategy",
]


def test_lessons_in_course_order():
    lessons = load_lessons()
    assert [lesson.id for lesson in lessons] == LESSON_IDS
    assert [lesson.number for lesson in lessons] == list(range(8))
    assert all(isinstance(lesson, Lesson) for lesson in lessons)
    assert lessons[3].notebook == "03_feed.ipynb"


def test_lesson_minutes_add_up():
    """How many minutes a lesson needs is estimated from its content (tests/test_timing.py);
    here only that the schedule's total is teaching plus exercises."""
    for lesson in load_lessons():
        assert lesson.minutes == lesson.teaching_minutes + lesson.exercise_minutes


def test_lessons_follow_the_article_sections():
    sections = [lesson.article_section for lesson in load_lessons()]
    assert sections[0] is None and sections[7] is None
    assert sections[1:7] == list(schemas.ARTICLE_SECTIONS)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_lesson_text_is_real_content(language):
    with speaking(language):
        lessons = load_lessons()
    for lesson in lessons:
        assert 2 <= len(lesson.questions) <= 4
        assert 3 <= len(lesson.objectives) <= 5
        assert 3 <= len(lesson.key_points) <= 5
        text = " ".join([lesson.title, lesson.goal, *lesson.questions, *lesson.objectives, *lesson.key_points])
        for placeholder in ("TODO", "TBD", "FIXME", "lorem ipsum", "XXX"):
            assert placeholder.lower() not in text.lower(), (lesson.id, placeholder)
        assert len(set(lesson.key_points)) == len(lesson.key_points)


def test_load_lesson_returns_a_fresh_copy():
    lesson = load_lesson("02_figures")
    lesson.questions.append("Changed?")
    assert "Changed?" not in load_lesson("02_figures").questions


# --------------------------------------------------------------------------
# The lesson metadata in both languages


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_lesson_loads_and_validates_in_each_language(language):
    """Each language is read (and its rules checked: "?" or " ?", English verbs or French
    infinitives) only when spoken, so both readings are tried here."""
    with speaking(language):
        lessons = load_lessons()
    assert [lesson.id for lesson in lessons] == LESSON_IDS
    mark = "\u00a0?" if language == "fr" else "?"
    exercise = {"en": "Exercise ", "fr": "Exercice "}[language]
    for lesson in lessons:
        assert all(question.endswith(mark) for question in lesson.questions), lesson.id
        texts = [lesson.title, lesson.goal, *lesson.questions, *lesson.objectives, *lesson.key_points,
                 *lesson.cut_if_late, *(lesson.short.skip if lesson.short else ())]
        # {exercise}`<id>` is numbered in the language spoken.
        assert not any("{exercise}" in text for text in texts), lesson.id
        if any("{exercise}" in text for text in _file_texts(lesson.id, "en")):
            # « l'exercice 3 » inside a French sentence, « Exercice 3 » at its start
            assert any(exercise.lower() in text.lower() for text in texts), lesson.id


def test_french_and_english_lessons_share_everything_but_their_words():
    with speaking("en"):
        english = load_lessons()
    with speaking("fr"):
        french = load_lessons()
    for en, fr in zip(english, french, strict=True):
        same = ("id", "number", "article_section", "teaching_minutes", "exercise_minutes")
        assert [getattr(en, name) for name in same] == [getattr(fr, name) for name in same]
        assert (len(en.questions), len(en.objectives), len(en.key_points), len(en.cut_if_late)) == (
            len(fr.questions), len(fr.objectives), len(fr.key_points), len(fr.cut_if_late))
        assert en.title != fr.title and en.goal != fr.goal, en.id
        if en.short:
            assert en.short.model_dump(exclude={"skip"}) == fr.short.model_dump(exclude={"skip"})
            assert len(en.short.skip) == len(fr.short.skip)
        if en.practice:
            assert en.practice.minutes == fr.practice.minutes and en.practice.title != fr.practice.title


_PLACEHOLDER = re.compile(r"\{exercise\}`[^`]+`|\{figure:[^}]+\}|\{[a-z_]+\}")


def _file_texts(lesson_id: str, language: str) -> list[str]:
    """Every ``{en: ..., fr: ...}`` text of a lesson file, in one language."""
    path = files("tiktok_lab") / "data" / "lessons" / f"{lesson_id}.yaml"
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict) and set(value) == {"en", "fr"}:
            found.append(value[language])
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_french_lesson_texts_keep_placeholders_and_typography(lesson_id):
    """A translation keeps every {exercise}`<id>` and {figure:<id>} of its English, and
    French typography: a no-break space before ? ! : ; and inside « »."""
    english, french = _file_texts(lesson_id, "en"), _file_texts(lesson_id, "fr")
    assert len(english) == len(french) > 10
    for en, fr in zip(english, french, strict=True):
        assert sorted(_PLACEHOLDER.findall(en)) == sorted(_PLACEHOLDER.findall(fr)), fr
        prose = _PLACEHOLDER.sub("", fr)
        assert not re.search(r"[^\u00a0][?!:;]", prose.replace("`", "")), fr
        assert not re.search(r"«[^\u00a0]|[^\u00a0]»", prose), fr
        assert '"' not in prose, fr
