"""The sourced figures, the article's claims and the lessons' tables in French (issue 18).

A French participant reads every figure's metric, scope, note and source words, every claim and
finding, every table header and every confidence grade in French; the code that picks rows
never matches those words (it uses ids), so both editions chart and count the same rows.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from typing import Any, Callable

import pandas as pd
import pytest

import tiktok_lab as tl
from tiktok_lab.core.datafiles import DataFileError, validate_row
from tiktok_lab.core.i18n import speaking
from tiktok_lab.core.schemas import CONFIDENCE_LEVELS, FigureRow, read_claim_rows, read_figure_rows
from tiktok_lab.core.sources import read_documents
from tiktok_lab.lessons import platform
from tiktok_lab.lessons.figures import charts
from tiktok_lab.lessons.figures.audience import estimate_reach
from tiktok_lab.lessons.figures.sourced import load_article_claims, load_figures, with_figures
from tiktok_lab.ui import figures_view, scorecard

# Texts that are the same in both languages because they are names: "France, TikTok".
_NAMES_ONLY = re.compile(r"^(France|Europe|Luxembourg|TikTok|, )+$")
# A French text writes its quotes « » and puts a no-break space before : ; ! ? (a URL's "://"
# and a ratio's "/" aside).
_SPACE_BEFORE = re.compile(r" [:;!?](?!//)")
# Header words spelled the same in French (and the table's "#"), proper names and acronyms:
# a French table may show these; any other English header is a missed translation.
SAME_IN_FRENCH = {"#", "Source", "Date", "Format", "Dimension", "Score (0-100)", "TikTok", "CPM",
                  "ID"}


def _french_problems(text: str, what: str) -> list[str]:
    problems = []
    if _SPACE_BEFORE.search(text):
        problems.append(f"{what}: an ordinary space before : ; ! ? in {text!r}")
    if '"' in text:
        problems.append(f"{what}: straight quotes, write « » in {text!r}")
    return problems


# ------------------------------------------------------------------ the data files in French


def test_every_figure_reads_in_french_with_the_same_numbers() -> None:
    english = read_figure_rows()
    with speaking("fr"):
        french = read_figure_rows()
    assert [row.id for row in french] == [row.id for row in english]
    problems = []
    for en, fr in zip(english, french):
        assert (fr.value, fr.unit, fr.date, fr.confidence, fr.seen_in) == \
            (en.value, en.unit, en.date, en.confidence, en.seen_in)
        for field in ("metric", "scope", "note", "reported_as", "source"):
            en_text, fr_text = getattr(en, field), getattr(fr, field)
            assert (en_text is None) == (fr_text is None), (en.id, field)
            if fr_text is None:
                continue
            problems += _french_problems(fr_text, f"{en.id}.{field}")
            if field in ("metric", "note") and fr_text == en_text:
                problems.append(f"{en.id}.{field} is still in English: {en_text!r}")
            if field == "scope" and fr_text == en_text and not _NAMES_ONLY.match(en_text):
                problems.append(f"{en.id}.scope is still in English: {en_text!r}")
    assert problems == []


def test_a_source_keeps_its_name_and_translates_its_words() -> None:
    with speaking("fr"):
        by_id = {row.id: row for row in read_figure_rows()}
    assert by_id["users-mau-2020-07"].source == "TikTok"
    assert by_id["engagement-rivaliq-2023-tiktok"].source.endswith("(données 2023)")
    assert by_id["sessions-uk-2020"].source == "Présentation commerciale de TikTok (2020)"
    assert not any(re.search(r"\b\d{4} data\b|\battributed\b|\bindustry source\b", row.source)
                   for row in by_id.values())


def test_every_claim_reads_in_french() -> None:
    english = read_claim_rows()
    with speaking("fr"):
        french = read_claim_rows()
    problems = []
    for en, fr in zip(english, french, strict=True):
        assert (fr.id, fr.value, fr.status, fr.article_section, fr.cited_source) == \
            (en.id, en.value, en.status, en.article_section, en.cited_source)
        for field in ("claim", "scope", "finding"):
            text = getattr(fr, field)
            problems += _french_problems(text, f"{en.id}.{field}")
            if text == getattr(en, field):
                problems.append(f"{en.id}.{field} is still in English")
    assert problems == []


def test_publishers_and_reasons_with_words_read_in_french() -> None:
    with speaking("fr"):
        documents = {d.id: d for d in read_documents()}
    publishers = {d.publisher for d in documents.values()}
    assert not any(re.search(r"\b(copy of|snippet|blog copy|personal blog|law firm)\b", p)
                   for p in publishers), publishers
    assert "Google Dataset Search (extrait d'une page Statista)" in publishers
    assert all(d.no_url is None or d.no_url.startswith(("Il n'en existe", "Le cours"))
               for d in documents.values())


def test_the_frames_hold_french_words_and_the_same_rows() -> None:
    english = load_figures()
    with speaking("fr"):
        french = load_figures()
        claims = load_article_claims()
    assert list(french.columns) == list(english.columns)  # code names: learners' code uses them
    assert french["id"].tolist() == english["id"].tolist()
    assert french["value"].tolist() == english["value"].tolist()
    assert "Utilisateurs actifs mensuels" in set(french["metric"])
    assert claims["claim"].iloc[0].startswith("TikTok compte 800\u00a0millions")


def test_a_text_in_one_language_is_refused() -> None:
    row = {"id": "users-mau-2020-07", "topic": "users", "metric": "Monthly active users",
           "value": 1, "unit": "people", "scope": {"en": "Worldwide", "fr": "Monde"},
           "date": dt.date(2020, 7, 1), "date_precision": "month", "source": "TikTok",
           "seen_in": [read_documents()[0].id], "confidence": "High"}
    with pytest.raises(DataFileError, match="one language only"):
        validate_row(FigureRow, row, file="figures.yaml", row=1)


# ------------------------------------------------------------------ same rows in both languages


def _picked_rows() -> dict[str, Any]:
    return {
        "users": charts.users_over_time()["id"].tolist(),
        "downloads": charts.downloads_over_time()["id"].tolist(),
        "time": charts.time_spent_over_time()["id"].tolist(),
        "age_sex": charts.age_sex_2025()[["id", "age"]].values.tolist(),
        "women": charts.women_share()["id"].tolist(),
        "tests": platform.length_history()[["id", "is_test"]].values.tolist(),
        "engagement": len(re.findall("<tr", figures_view.engagement_table().data)),
    }


def test_charts_and_tables_pick_the_same_rows_in_both_languages() -> None:
    with speaking("en"):
        english = _picked_rows()
    with speaking("fr"):
        french = _picked_rows()
    assert french == english
    assert english["tests"] and any(test for _id, test in english["tests"])
    assert english["age_sex"] and english["engagement"] > 10
    forecasts = charts.time_spent_over_time()
    assert forecasts["series"].str.contains("forecast").sum() == 2


def test_the_calculator_names_the_count_in_both_languages() -> None:
    for language, words in (("en", "not monthly users"), ("fr", "pas les utilisateurs mensuels")):
        with speaking(language):
            text = figures_view.estimate_html(estimate_reach("worldwide", ["all"], "all"))
        assert words in html_lib.unescape(text), language


def test_quoted_figures_cite_in_the_language_asked() -> None:
    text = "{figure:engagement-rivaliq-2023-tiktok}"
    assert "(2023 data)" in with_figures(text, language="en")
    assert "(données 2023)" in with_figures(text, language="fr")
    with speaking("fr"):
        assert "(données 2023)" in with_figures(text)


# ------------------------------------------------------------------ the lessons' tables


def _headers_and_cells(shown: Any) -> tuple[list[str], list[str]]:
    """The header and cell texts of an HTML table (``IPython.display.HTML`` or a string)."""
    markup = shown if isinstance(shown, str) else shown.data

    def words(part: str) -> str:
        return " ".join(html_lib.unescape(re.sub("<[^>]+>", " ", part)).split())

    return ([words(m) for m in re.findall(r"<th[^>]*>(.*?)</th>", markup, re.S)],
            [words(m) for m in re.findall(r"<td[^>]*>(.*?)</td>", markup, re.S)])


# The tables lessons 01-07 show, by the functions their cells call.
TABLES: dict[str, Callable[[], Any]] = {
    "01 figures_table video_length": lambda: tl.figures_table("video_length", as_reported=True),
    "01 building_blocks": lambda: tl.building_blocks("sounds"),
    "02 claims_table": tl.claims_table,
    "02 figures_table downloads": lambda: tl.figures_table("downloads"),
    "02 figures_table country": lambda: tl.figures_table("country"),
    "02 engagement_table": tl.engagement_table,
    "02 calculator": lambda: figures_view.estimate_html(estimate_reach("france", ["all"], "all")),
    "03 signals_table": tl.signals_table,
    "03 feed_knowledge_table": tl.feed_knowledge_table,
    "04 opportunity_changes_table": tl.opportunity_changes_table,
    "04 scorecard": lambda: scorecard.scorecard_html(tl.score_brand(tl.example_brand())),
    "06 ad_formats_table then": lambda: tl.ad_formats_table("then"),
    "06 ad_formats_table now": lambda: tl.ad_formats_table("now"),
    "06 ad_objectives_table": tl.ad_objectives_table,
    "06 figures_table ads_budget": lambda: tl.figures_table("ads_budget", as_reported=True),
    "07 compliance_table": tl.compliance_table,
}


@pytest.fixture(scope="module")
def tables() -> dict[str, tuple[tuple[list[str], list[str]], tuple[list[str], list[str]]]]:
    shown = {}
    for name, build in TABLES.items():
        with speaking("en"):
            english = _headers_and_cells(build())
        with speaking("fr"):
            french = _headers_and_cells(build())
        shown[name] = (english, french)
    return shown


def test_french_tables_reuse_no_english_header(tables) -> None:
    reused = {name: [h for h in french[0] if h in english[0] and h not in SAME_IN_FRENCH]
              for name, (english, french) in tables.items()}
    assert {name: headers for name, headers in reused.items() if headers} == {}
    assert all(french[0] for _english, french in tables.values())


def test_french_tables_show_french_grades(tables) -> None:
    grades = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(g) for g in
                                                  sorted(CONFIDENCE_LEVELS, key=len, reverse=True)))
    shown = {name: sorted({m for cell in french[1] for m in grades.findall(cell)})
             for name, (_english, french) in tables.items()}
    assert {name: found for name, found in shown.items() if found} == {}


def test_lesson_02_tables_hold_no_english_words(tables) -> None:
    english_words = re.compile(r"\b(?:Worldwide|users|as of|published|\d{4} data|more than|"
                               r"brands|posts|copy of|snippet|challenges)\b")
    found = {name: [cell for cell in french[1] if english_words.search(cell)]
             for name, (_english, french) in tables.items()
             if name.startswith(("02", "04")) or "figures_table" in name}
    assert {name: cells for name, cells in found.items() if cells} == {}


def test_the_changes_frame_shows_grades_in_the_readers_language() -> None:
    with speaking("fr"):
        frame = tl.opportunity_changes()
    assert isinstance(frame, pd.DataFrame)
    assert not set(frame["then_confidence"]) & set(CONFIDENCE_LEVELS)


def test_lesson_06_sources_read_in_french(tables) -> None:
    """An ad format's source keeps the help page's title and translates the rest."""
    english_words = re.compile(r"\b(?:citing|copy on|advertising section|launch July|pages:)")
    found = [cell for name, (_english, french) in tables.items() if name.startswith("06")
             for cell in french[1] if english_words.search(cell)]
    assert found == []
