"""Lesson 02 (TikTok in figures): charts, tables, derived figures and the reach calculator."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok_lab
from tiktok_lab.lessons.figures import audience
from tiktok_lab.lessons.figures import charts as figure_charts
from tiktok_lab.lessons.figures.audience import SCOPES, estimate_reach
from tiktok_lab.lessons.figures.sourced import (as_of, figure, format_value, load_article_claims,
                                               load_figures, short_source)
from tiktok_lab.ui import figures_view as audience_ui
from tiktok_lab.ui import figures_view

DATA = Path(tiktok_lab.__file__).parent / "data"

CHARTS = {
    "make_users_chart": figure_charts.users_over_time,
    "make_downloads_chart": figure_charts.downloads_over_time,
    "make_time_spent_chart": figure_charts.time_spent_over_time,
    "make_audience_chart": lambda: figure_charts.women_share().dropna(subset=["source"]),
    "make_age_sex_chart": figure_charts.age_sex_2025,
}


def _caption(spec: dict) -> str:
    subtitle = spec["title"]["subtitle"]
    return " ".join(subtitle) if isinstance(subtitle, list) else subtitle


# --------------------------------------------------------------------------- charts


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_round_trips_and_is_labelled(name: str) -> None:
    spec = getattr(figure_charts, name)().to_dict()
    assert json.loads(json.dumps(spec)) == spec
    assert spec["title"]["text"].strip()
    assert _caption(spec).strip()
    assert spec["description"].strip()


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_caption_names_every_source_and_date_from_the_data(name: str) -> None:
    rows = CHARTS[name]()
    assert not rows.empty
    caption = _caption(getattr(figure_charts, name)().to_dict())
    for source, group in rows.groupby(rows["source"].map(short_source)):
        assert source in caption, f"{name}: {source} missing from the caption"
        for row in group.itertuples():
            if row.date == group["date"].min() or row.date == group["date"].max():
                assert as_of(row.date, row.date_precision) in caption


def test_users_chart_keeps_monthly_users_and_ad_reach_apart() -> None:
    data = figure_charts.users_over_time()
    assert data["series"].nunique() == 2
    reach = data[data["topic"] == "ad_reach"]
    assert reach["scope"].str.contains("18+").all()
    assert not data.duplicated(["series", "date"]).any()


def test_the_untraceable_women_claim_is_labelled_as_the_articles() -> None:
    data = figure_charts.women_share()
    claim = load_article_claims().set_index("id").loc["claim-women-67-percent"]
    first = data.iloc[0]
    assert first["value"] == claim["value"] and pd.isna(first["source"])
    assert "untraceable" in first["label"]
    assert data.iloc[1:]["source"].notna().all()


def test_2025_share_of_women_is_derived_from_the_four_rows() -> None:
    cells = load_figures().set_index("id").loc[[
        "audience-2025-02-women-18-24", "audience-2025-02-women-25-34",
        "audience-2025-02-men-18-24", "audience-2025-02-men-25-34"], "value"]
    expected = 100 * cells.iloc[:2].sum() / cells.sum()
    assert figure_charts.women_share().iloc[-1]["value"] == pytest.approx(expected, abs=0.05)
    assert expected < 50  # the 2025 ad audience leans male, against the 2020 claim


# --------------------------------------------------------------------------- derived figures


def test_derived_figures_of_the_lesson_come_from_the_data() -> None:
    by_id = load_figures().set_index("id")["value"]
    claims = load_article_claims().set_index("id")["value"]
    growth = by_id["users-mau-2021-09"] / by_id["users-mau-2020-07"] - 1
    assert 0.4 < growth < 0.5
    per_session = claims["claim-time-50-min-per-day"] / claims["claim-opens-8-per-day"]
    assert per_session == pytest.approx(6.25)
    shared = claims["claim-france-videos-shared"] / claims["claim-france-videos-created"]
    assert shared == pytest.approx(10 / 270)


def test_notebook_types_no_figure_values() -> None:
    """Numbers shown come from the data: outside quoted ids, the lesson's code types no number
    but the 1 of a growth rate."""
    from tiktok_lab.kit.lesson_source import read_source, source_folder

    notebook = read_source(source_folder(DATA.parents[2]) / "02_figures.md")
    assert notebook.cells, "the lesson source was read"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = re.sub(r"\"[^\"]*\"|'[^']*'", "", cell.source)
        assert set(re.findall(r"(?<![\w.])\d+(?:\.\d+)?", code)) <= {"1"}, code


# --------------------------------------------------------------------------- tables


def test_claims_table_lists_every_claim_with_its_status() -> None:
    claims = load_article_claims()
    rows = figures_view.claim_rows()
    assert len(rows) == len(claims)
    markup = figures_view.claims_table().data
    for claim, row in zip(claims.itertuples(), rows):
        assert row[0] == claim.claim
        assert claim.status.replace("-", " ") in row[2]
    for word in ("verified", "partly verified", "untraceable"):
        assert word in markup


def test_claims_table_folds_details_but_loses_nothing() -> None:
    """One line per claim; the rest of the finding and every related figure sit in <details>."""
    figures = load_figures().set_index("id")
    markup = figures_view.claims_table().data
    visible = re.sub(r"<details>.*?</details>", "", markup, flags=re.S)
    for claim, row in zip(load_article_claims().itertuples(), figures_view.claim_rows()):
        head, rest = figures_view.first_sentence(claim.finding)
        assert row[3].startswith(html.escape(head, quote=True))
        if rest:
            assert html.escape(rest, quote=True) in row[3] and rest not in visible
        for figure_id in claim.related_figure_ids:
            assert html.escape(figures.loc[figure_id, "scope"], quote=True) in row[3]
        assert row[3].count("<li>") == len(claim.related_figure_ids)
    assert visible.count("<li>") == 0 and "<details>" in markup


def test_figures_table_cites_source_and_date_and_escapes() -> None:
    markup = figures_view.figures_table("downloads").data
    for row in load_figures().query("topic == 'downloads'").itertuples():
        assert as_of(row.date, row.date_precision) in markup
    assert "Sensor Tower" in markup
    assert "<script" not in figures_view.figures_table("<script>").data
    assert "No figures" in figures_view.figures_table("nothing").data


def test_figures_table_shows_whole_numbers_full_sources_and_the_wording() -> None:
    """Lesson 06 shows the minimum budgets: 150,000 (not 150000.0), source titles whole."""
    rows = load_figures().query("topic == 'ads_budget'")
    markup = figures_view.figures_table("ads_budget", as_reported=True).data
    for row in rows.itertuples():
        assert html.escape(row.source, quote=True) in markup
        assert html.escape(row.reported_as, quote=True) in markup
        assert format_value(row.value, row.unit) in markup
    assert not re.search(r">[\d,]+\.0\b", markup)
    assert "150,000" in markup
    assert "As the source words it" not in figures_view.figures_table("ads_budget").data


@pytest.mark.parametrize("path", ["figures.yaml", "article_claims.yaml"])
def test_every_row_of_the_data_files_has_a_source_and_a_date(path: str) -> None:
    """Every number displayed comes from a data file row that says where it comes from."""
    document = yaml.safe_load((DATA / path).read_text("utf-8"))
    rows = document.get("figures") or document.get("claims")
    assert rows
    for row in rows:
        if path == "figures.yaml":
            assert str(row.get("source", "")).strip(), row["id"]
            assert row.get("date"), row["id"]
        else:  # a claim is dated by the article; its evidence is in the sources it cites or finds
            assert row.get("article_section"), row["id"]
            assert row.get("status") and str(row.get("finding", "")).strip(), row["id"]


def test_values_read_with_their_units() -> None:
    assert format_value(689e6, "people", language="en") == "689M people"
    assert format_value(22.9, "percent", language="en") == "22.9%"
    assert format_value(-34, "percent change", language="en") == "-34%"
    assert as_of("2020-07-01", "month", language="en") == "July 2020"
    assert as_of("2024-01-01", "quarter", language="fr") == "T1 2024"


def test_a_lower_bound_is_never_shown_as_an_exact_count() -> None:
    # "More than 1 billion" is stored as 1 billion: tables, tooltips and chart descriptions say "more than".
    assert format_value(1e9, "people", bound="lower", language="en") == "more than 1 billion people"
    assert format_value(1e8, "people", bound="lower", language="fr").startswith("plus de ")
    assert format_value(689e6, "people", language="en") == "689M people"
    users = figure_charts.users_over_time().set_index("id")
    assert users.loc["users-mau-2021-09", "shown"].startswith("more than ")
    assert any("more than 1 billion people" in row[3] for row in figures_view.claim_rows())
    # The article's own "more than 2 billion downloads" keeps its bound in the claims table too.
    assert "more than 2 billion downloads" in [row[1] for row in figures_view.claim_rows()]


def test_the_calculator_says_an_ad_reach_is_not_monthly_users() -> None:
    text = html.unescape(audience_ui.estimate_html(estimate_reach("worldwide", ["18-24"], "women")))
    assert "ad audience" in text and "not monthly users" in text
    assert "220M" in text  # a rough range is rounded to two significant digits, not "224.19M"
    france = html.unescape(audience_ui.estimate_html(estimate_reach("france")))
    assert "each month" in france


# --------------------------------------------------------------------------- calculator


def test_scopes_use_only_figures_that_exist() -> None:
    ids = set(load_figures()["id"])
    for scope in SCOPES.values():
        assert scope.figure_ids() <= ids, scope.key


@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_every_offered_band_gives_an_ordered_range_within_the_population(scope: str) -> None:
    for band in SCOPES[scope].bands():
        for sex in audience.SEXES:
            estimate = estimate_reach(scope, [band], sex)
            if not estimate.ok:
                assert estimate.message
                continue
            assert 0 <= estimate.low <= estimate.high <= estimate.ceiling
            assert estimate.figures
            ids = {f.id for f in estimate.figures}
            assert ids <= SCOPES[scope].figure_ids()


def test_worldwide_estimate_is_the_ad_audience_split_times_the_ad_reach_of_the_same_base() -> None:
    """The split of the worldwide ad audience (Statista, Feb 2025) times the worldwide ad
    reach of the month before (DataReportal, Jan 2025): one base, so one number."""
    estimate = estimate_reach("worldwide", ["18-24"], "women")
    assert SCOPES["worldwide"].share_base_ids == ("ad-reach-2025-01",)
    share = figure("audience-2025-02-women-18-24").value / 100
    assert estimate.ok
    assert estimate.low == estimate.high == pytest.approx(share * figure("ad-reach-2025-01").value)
    assert [f.id for f in estimate.figures] == ["ad-reach-2025-01", "audience-2025-02-women-18-24"]


@pytest.mark.parametrize("language, words", [
    ("en", ("For “women 18-24” in France", "only a share",
            "cannot turn it into a number of people", "Quote the percentage", "The share, without")),
    ("fr", ("Pour «\u00a0femmes 18-24\u00a0» en France", "qu'une part",
            "Impossible d'en tirer un nombre de personnes", "Citez le pourcentage", "La part, sans")),
])
def test_france_women_18_24_gives_no_people_count_but_the_share_and_why(
        monkeypatch: pytest.MonkeyPatch, language: str, words: tuple[str, ...]) -> None:
    """The trainer's review (M1): "28% of users" (Statista 2023) times TikTok's French monthly
    users gave 6-7.8 million women aged 18-24, more than live in France: the share and the
    count do not share a base, so no number, the share with its source, and what is needed."""
    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    estimate = estimate_reach("france", ["18-24"], "women")
    assert not estimate.ok and estimate.low is None and estimate.high is None
    assert [f.id for f in estimate.figures] == ["audience-france-2023-women-18-24"]
    assert "Statista" in estimate.message and "28" in estimate.message
    text = html.unescape(audience_ui.estimate_html(estimate))
    assert all(w in text for w in words), text
    assert "Statista" in text and "28" in text  # the share itself, with its source
    assert not re.search(r"(?<![\d.,])(6|7[.,]8)\s?M\b", text)  # the old 6M-7.8M product
    assert "Rough estimate" not in text and "Estimation approximative" not in text


def test_all_ages_gives_the_latest_count_and_names_the_earlier_one() -> None:
    """Two dated counts are growth (or two sources), not a range of uncertainty."""
    france = estimate_reach("france")
    assert france.low == france.high == figure("country-france-mau-2025-09").value
    assert "21.4M" in france.note and "2023" in france.note
    worldwide = estimate_reach("worldwide")
    assert worldwide.low == worldwide.high == figure("ad-reach-2025-01").value
    assert "Q4 2024" in worldwide.note


@pytest.mark.parametrize("args, words", [
    (("worldwide", [], "all"), "at least one age band"),
    (("mars", ["all"], "all"), "no figures"),
    (("france", ["18-24"], "men"), "no figure"),
    (("belgium", ["all"], "women"), "no split by sex"),
    (("luxembourg", ["all"], "all"), "no figure"),
    (("worldwide", ["all"], "robots"), "not a choice"),
])
def test_empty_or_absurd_input_gets_a_friendly_message(args, words) -> None:
    estimate = estimate_reach(*args)
    assert not estimate.ok
    assert words in estimate.message.lower()
    assert "Traceback" not in audience_ui.estimate_html(estimate)


_text = st.one_of(st.text(max_size=30), st.sampled_from([*SCOPES, "all", "women", "men", "18-24"]))


@settings(max_examples=150, deadline=None)
@given(scope=st.one_of(_text, st.none(), st.integers()),
       bands=st.one_of(st.lists(st.one_of(_text, st.none(), st.integers()), max_size=5), _text,
                       st.none(), st.floats()),
       sex=st.one_of(_text, st.none(), st.floats()))
def test_any_input_gives_an_estimate_or_a_message_never_an_error(scope, bands, sex) -> None:
    estimate = estimate_reach(scope, bands, sex)
    if estimate.ok:
        assert 0 <= estimate.low <= estimate.high <= estimate.ceiling
        assert not math.isnan(estimate.low)
    else:
        assert estimate.message
    audience_ui.estimate_html(estimate)


def test_calculator_widget_reacts_to_choices() -> None:
    app = audience_ui.audience_calculator()
    scope, bands_row, sex, result = app.children
    assert "Rough estimate" in result.value
    scope.value = "luxembourg"
    checks = bands_row.children[1].children
    assert checks and "%" in result.value
    for check in checks:
        check.value = False
    assert "at least one age band" in result.value
    scope.value = "belgium"
    sex.value = "women"
    assert "no split by sex" in result.value


def test_lower_bounds_are_drawn_as_floors_off_the_line() -> None:
    """A "more than 1 billion" in 2021 and again in 2025 must not read as a flat line at 1B."""
    chart = figure_charts.make_users_chart()
    floors_layer, line_layer = None, None
    for layer in chart.layer:
        mark = getattr(layer, "mark", None)
        if getattr(mark, "type", None) == "line":
            line_layer = layer
        elif getattr(mark, "shape", None) == "triangle-up":
            floors_layer = layer
    assert line_layer is not None and floors_layer is not None
    assert "users-mau-2021-09" not in set(line_layer.data["id"])
    assert {"users-mau-2021-09", "users-mau-2025-09"} <= set(floors_layer.data["id"])
    assert set(floors_layer.data["bound"]) == {"lower"}
    assert "minimums" in " ".join(chart.title.subtitle)
