"""Figures say what their page says, dated as the page dates them, and the lessons' words
agree with the numbers (the trainer's review of issue 16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tiktok_lab.core.sources import read_documents
from tiktok_lab.lessons.figures.audience import estimate_reach
from tiktok_lab.lessons.figures.sourced import cite, figure, load_figures
from tiktok_lab.ui.figures_view import claim_rows, estimate_html

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "tiktok_lab" / "data"


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_exploding_topics_rows_match_the_version_of_the_page_they_cite() -> None:
    men, women = figure("audience-2024-male"), figure("audience-2024-female")
    assert (men.value, women.value) == (54.6, 45.4)
    assert men.value + women.value == pytest.approx(100)
    for row in (men, women):
        assert row.seen_in == ("explodingtopics-2025-10-tiktok-demographics",)
        assert (row.date.isoformat(), row.date_precision) == ("2025-10-01", "month")
        assert "October 2025" in (row.note or "")


def test_the_derived_share_of_women_18_34_is_computed_from_statista_rows() -> None:
    cells = [figure(f"audience-2025-02-{who}") for who in
             ("women-18-24", "men-18-24", "women-25-34", "men-25-34")]
    women = cells[0].value + cells[2].value
    derived = figure("audience-women-share-18-34-2025-02")
    assert derived.value == round(100 * women / sum(c.value for c in cells), 1)
    assert derived.confidence == cells[0].confidence and derived.date == cells[0].date


def test_lesson_04_pairs_the_uk_2020_share_with_what_it_is_not() -> None:
    text = (DATA / "opportunity.yaml").read_text(encoding="utf-8")
    assert "after: audience-2024-female" not in text
    prose = (ROOT / "source" / "en" / "04_opportunity.md").read_text(encoding="utf-8")
    # The share is shown by the changes table with its source, never typed into the prose.
    assert "more male" not in prose and "43.5%" not in prose


def test_rival_iq_reports_are_dated_by_their_data_year_and_say_so() -> None:
    figures = load_figures()
    rival = figures[figures["id"].str.startswith("engagement-rivaliq-")]
    for row in rival.itertuples():
        data_year = re.search(r"\((\d{4}) data\)", row.source)
        assert data_year, row.id
        assert str(row.date.year) == data_year.group(1), row.id
        assert row.date_precision == "year"
    tiktok = rival[rival["id"].str.startswith("engagement-rivaliq-tiktok-2024-")]
    assert set(tiktok["date"].dt.year) == {2023}
    assert tiktok["note"].str.contains("published in 2024").all()


def test_lesson_01_lengths_name_douyin_and_the_consultant() -> None:
    first = figure("video-length-2016")
    assert "Douyin" in first.scope and "Worldwide" not in first.scope
    assert first.source.startswith("Douyin")
    beta = figure("video-length-2024-01-test")
    assert beta.source != "TikTok" and "consultant" in beta.source
    assert beta.publisher_assumed and beta.confidence == "Medium"
    assert "beta" in beta.scope


@pytest.mark.parametrize(("figure_id", "words"), [
    ("country-france-mau-2023-10", "published October 24, 2023"),
    ("time-spent-2025-10", "published October 15, 2025"),
    ("users-rank-apps-2025-10", "published October 15, 2025"),
])
def test_figures_dated_by_publication_are_cited_as_published(figure_id, words) -> None:
    row = figure(figure_id)
    assert row.dated_by == "publication"
    assert cite(row, language="en").endswith(words) and "as of" not in cite(row, language="en")
    assert "publication\u00a0:" in cite(row, language="fr")


def test_the_france_average_says_it_is_an_average() -> None:
    row = figure("country-france-mau-2023-10")
    assert "average over April-September 2023" in row.scope
    assert "April to" in row.note and "24 October 2023" in row.note


@pytest.mark.parametrize("language", ["en", "fr"])
def test_two_dated_counts_are_never_shown_as_a_range(language, monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    text = _text(estimate_html(estimate_reach("france", ["all"], "all")))
    assert not re.search(r"(between|entre) [\d.,]+\S* (and|et) ", text)
    if language == "en":
        assert "Latest count: 27.8M people (as of September 2025)." in text
        assert "Earlier count: 21.4M people (published October 24, 2023)." in text
    else:
        assert "Décompte précédent" in text


def test_the_claims_table_details_show_each_figures_confidence() -> None:
    for _claim, _value, _status, cell in claim_rows():
        items = re.findall(r"<li>(.*?)</li>", cell)
        assert all("confidence " in _text(item) for item in items)


def test_lesson_04_changes_table_wraps_full_citations_with_confidence() -> None:
    from tiktok_lab.ui.scorecard import opportunity_changes_html

    html = opportunity_changes_html()
    text = _text(html)
    assert "..." not in text and "as of July 2020" in text
    assert "Confidence (now)" in text and "Medium" in text


def _ratio_words(ratio: float) -> str:
    return f"about {round(ratio)} times"


def test_lesson_04_engagement_ratios_are_computed_from_the_data() -> None:
    tiktok = figure("engagement-rivaliq-2022-tiktok").value
    point = " ".join(
        line for line in (DATA / "lessons" / "04_opportunity.yaml").read_text("utf-8").splitlines()
        if "Rival IQ" in line)
    assert _ratio_words(tiktok / figure("engagement-rivaliq-2022-instagram").value) in point
    assert _ratio_words(tiktok / figure("engagement-rivaliq-2022-facebook").value) in point
    assert "per follower" in point.lower() and "do not follow" in point


def test_lesson_02_engagement_spread_matches_its_table() -> None:
    figures = load_figures()
    rates = figures[(figures["topic"] == "engagement") & figures["scope"].str.startswith("TikTok;")
                    & (figures["unit"] == "percent")]
    low, high = rates["value"].min(), rates["value"].max()
    assert 3 < high / low < 4  # "several times apart", "almost four times", never "ten"
    prose = (ROOT / "source" / "en" / "02_figures.md").read_text(encoding="utf-8")
    # The rates are never typed into the prose (they come from the data, beside the table).
    assert "ten times apart" not in prose and f"{low:g}%" not in prose and f"{high:g}%" not in prose
    lesson = (DATA / "lessons" / "02_figures.yaml").read_text(encoding="utf-8")
    assert "tenfold" not in lesson


def test_no_url_reasons_speak_to_a_reader() -> None:
    for document in read_documents():
        reason = document.no_url or ""
        assert "search store" not in reason and "seed/" not in reason, document.id
    newsroom = {d.id: d for d in read_documents()}
    assert newsroom["tiktok-2020-06-18-foryou"].url == (
        "https://newsroom.tiktok.com/en-us/how-tiktok-recommends-videos-for-you")
    assert newsroom["tiktok-2022-12-20-why-this-video"].url == (
        "https://newsroom.tiktok.com/en-us/learn-why-a-video-is-recommended-for-you")


def test_the_objectives_source_names_the_help_pages_it_cites() -> None:
    from tiktok_lab.lessons.ads.formats import load_ad_formats

    source = load_ad_formats().objectives_source.source
    assert "Help Centre" in source and "About Spark Ads" in source
    assert "API" not in source
    prose = (ROOT / "source" / "en" / "06_ads.md").read_text(encoding="utf-8")
    assert "API documentation and marketing guides" not in prose
