"""Lesson 04: the brand scorecard (domain, data file, chart, widget, store)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tiktok_lab.core.nature import nature_label
from tiktok_lab.core.datafiles import DataFileError, UnknownIdError, data_dir
from tiktok_lab.lessons.opportunity import (
    DIMENSIONS,
    STORE_DOCUMENT,
    BrandProfile,
    example_brand,
    load_opportunity,
    make_scorecard_chart,
    opportunity_changes,
    score_brand,
)
from tiktok_lab.work.store import get_store
from tiktok_lab.ui.scorecard import ScorecardApp, build_scorecard_widget
from tiktok_lab.core.charts import caption_text

pytestmark = pytest.mark.usefixtures("fresh_learner")

DATA = load_opportunity()
YAML = (data_dir() / "opportunity.yaml").read_text(encoding="utf-8")


def _audiences():
    bands = DATA.age_bands
    for size in range(len(bands) + 1):
        for chosen in itertools.combinations(bands, size):
            for sex in ("all", "women", "men"):
                yield chosen, sex


# ------------------------------------------------------------------ scores


def test_every_score_is_between_0_and_100_and_the_total_is_the_weighted_mean() -> None:
    for sector, tone in itertools.product(DATA.ids("sectors"), DATA.ids("tones")):
        card = score_brand(BrandProfile(sector=sector, tone=tone, goals=("sales", "community")),
                           data=DATA)
        assert [d.id for d in card.dimensions] == list(DIMENSIONS)
        assert all(0 <= d.score <= 100 for d in card.dimensions)
        frame = card.to_frame()
        weighted = (frame["score"] * frame["weight"]).sum() / frame["weight"].sum()
        assert card.total == pytest.approx(weighted, abs=0.05)


def test_more_weekly_videos_never_lower_a_score_or_the_verdict() -> None:
    order = {"not-now": 0, "complement": 1, "core": 2}
    for sector in DATA.ids("sectors"):
        cards = [score_brand(BrandProfile(sector=sector, videos_per_week=v), data=DATA)
                 for v in range(DATA.max_videos_per_week + 1)]
        capacity = [c.score("capacity") for c in cards]
        assert capacity == sorted(capacity) and capacity[0] == 0 and capacity[-1] == 100
        assert [c.total for c in cards] == sorted(c.total for c in cards)
        assert [order[c.verdict] for c in cards] == sorted(order[c.verdict] for c in cards)


def test_an_audience_closer_to_tiktoks_never_lowers_overlap() -> None:
    scores = {(bands, sex): score_brand(BrandProfile(bands=bands, sex=sex), data=DATA)
              .score("audience") for bands, sex in _audiences()}
    for (bands, sex), score in scores.items():
        for extra in DATA.age_bands:  # one more age band
            wider = tuple(b for b in DATA.age_bands if b in bands or b == extra)
            unknown = [b for b in wider if b not in ("18-24", "25-34")]
            if 2 * len(unknown) > len(wider):  # mostly unknown: the neutral score, never 100
                assert scores[(wider, sex)] == DATA.audience_unknown_score
            else:
                assert scores[(wider, sex)] >= score
        assert scores[(bands, "all")] >= score  # both sexes instead of one
    assert scores[(("18-24", "25-34"), "all")] == 100
    # Ages with no sourced share are unknown, never zero: the neutral score.
    assert scores[(("45-54", "55+"), "all")] == DATA.audience_unknown_score
    # Men 25-34 are a larger share of the 2025 ad audience than women 25-34.
    assert scores[(("25-34",), "men")] > scores[(("25-34",), "women")]


def test_a_target_mostly_of_unknown_ages_is_neutral_not_100() -> None:
    """Review novice3: 25-34 to 55+ in France scored 100 from 25-34 alone. More than half of
    the bands unknown: the neutral score, a "Mostly unknown" line, the least-known point."""
    card = score_brand(BrandProfile(bands=("25-34", "35-44", "45-54", "55+"), country="france"),
                       data=DATA)
    only = score_brand(BrandProfile(bands=("25-34",)), data=DATA)
    assert only.score("audience") == 100
    assert card.score("audience") == DATA.audience_unknown_score
    lines = card.dimensions[0].explanation
    assert any(line.startswith("Mostly unknown: 3 of your 4 age bands") for line in lines)
    assert "least-known point is Size of your target on TikTok" in card.verdict_text
    assert "weakest point" not in card.verdict_text
    # Half known, half unknown is not "mostly": the sourced share still counts.
    half = score_brand(BrandProfile(bands=("25-34", "35-44")), data=DATA)
    assert half.score("audience") == 100


def test_the_audience_score_says_a_narrow_target_is_not_an_absent_one() -> None:
    """Review trainer3: the score is the target's size in TikTok's ad audience, so it says so
    and is named after what it measures."""
    card = score_brand(BrandProfile(bands=("25-34",), sex="women"), data=DATA)
    assert card.dimensions[0].label == "Size of your target on TikTok"
    assert any("a narrow target scores low on any platform" in line
               for line in card.dimensions[0].explanation)
    french = score_brand(BrandProfile(bands=("25-34",), sex="women"), data=DATA, language="fr")
    assert french.dimensions[0].label == "Poids de votre cible sur TikTok"


def test_a_serious_tone_lowers_the_total_but_never_blocks() -> None:
    """Review trainer3: tone "none" scored under the blocker line, so a public body, a museum
    or a health body that explains without jokes was "not now" with a total of 78."""
    serious = score_brand(sector="other", bands=["18-24", "25-34"], sex="all",
                          goals=["awareness", "young-audience"], videos_per_week=3, tone="none")
    assert serious.verdict != "not-now"
    assert all(tone.score >= DATA.thresholds.blocker for tone in DATA.tones)
    some = score_brand(serious.profile, tone="some")
    assert serious.total < some.total
    assert DATA.item("tones", "none").label["en"] == "No: we explain and inform, without jokes"


def test_the_verdict_lines_are_shown_from_the_data_file() -> None:
    """Review trainer3/novice3: a total under the complement line is "not now" too, and the
    blocker line is stated: the scorecard's HTML prints every threshold from the data."""
    from tiktok_lab.ui.scorecard import scorecard_html

    html = scorecard_html(score_brand(example_brand(DATA), data=DATA))
    limits = DATA.thresholds
    line = html[html.index("tiktok-lab-scorecard-thresholds"):]
    for value in (limits.core, limits.complement, limits.blocker):
        assert f"{value:.0f}/100" in line or f"under {value:.0f}," in line
    assert "A single dimension under" in line


def test_audience_overlap_cites_the_sourced_shares_with_source_and_date() -> None:
    card = score_brand(BrandProfile(bands=("18-24", "55+"), sex="women"), data=DATA)
    audience = card.dimensions[0]
    assert [f.id for f in audience.figures] == ["audience-2025-02-women-18-24"]
    assert audience.figures[0].source == "Statista" and audience.figures[0].when == "2025-02"
    assert any("14.1%" in line for line in audience.explanation)
    assert any("No data for 55+" in line for line in audience.explanation)


def test_a_country_adds_its_reach_as_context_with_its_figures() -> None:
    france = score_brand(BrandProfile(bands=("18-24",), country="france"), data=DATA)
    ids = {f.id for f in france.figures}
    assert {"country-france-mau-2023-10", "country-france-mau-2025-09"} <= ids
    assert any(line.startswith("France") for line in france.dimensions[0].explanation)
    worldwide = score_brand(BrandProfile(bands=("18-24",)), data=DATA)
    assert france.score("audience") == worldwide.score("audience")
    for country in ("belgium", "luxembourg"):
        card = score_brand(BrandProfile(bands=("13-17",), country=country), data=DATA)
        assert card.figures, country


def test_sector_and_capacity_scores_come_from_sourced_figures() -> None:
    card = score_brand(BrandProfile(sector="travel", videos_per_week=1), data=DATA)
    assert card.score("sector") == pytest.approx(100 * 3.0 / DATA.sector_full_rate)
    assert card.score("capacity") == 50  # half the median brand's 2 videos a week
    ids = {f.id for f in card.figures}
    assert {"engagement-rivaliq-tiktok-2024-travel",
            "engagement-rivaliq-tiktok-2024-posts-per-week"} <= ids
    other = score_brand(BrandProfile(sector="other"), data=DATA)
    assert other.score("sector") == DATA.sector_default_score


def test_verdicts_in_plain_words() -> None:
    core = score_brand(BrandProfile(bands=("18-24", "25-34"), goals=("young-audience",),
                                    videos_per_week=3, tone="gladly", sector="sports-teams"),
                       data=DATA)
    assert core.verdict == "core" and "Core channel" == core.verdict_label
    assert "TikTok would be your first social network" in core.verdict_text
    # One dimension under the blocker threshold means "not now", naming it.
    blocked = score_brand(BrandProfile(bands=("18-24", "25-34"), goals=("young-audience",),
                                       videos_per_week=0, tone="gladly", sector="sports-teams",
                                       presence=("instagram",)), data=DATA)
    assert blocked.verdict == "not-now" and blocked.weakest == "capacity"
    assert "Video capacity" in blocked.verdict_text and "Instagram" in blocked.verdict_text
    example = score_brand(example_brand(DATA), data=DATA)
    assert example.verdict == "complement" and "complement" in example.verdict_text
    assert example.weakest == "audience"


def test_no_goal_or_no_band_scores_zero_with_a_reason() -> None:
    card = score_brand(BrandProfile(bands=(), goals=()), data=DATA)
    assert card.score("audience") == 0 and card.score("goals") == 0
    assert card.verdict == "not-now"
    assert "at least one" in card.dimensions[0].explanation[0]


def test_keywords_and_unknown_ids() -> None:
    card = score_brand(sector="travel", bands="18-24", goals=["awareness"], data=DATA)
    assert card.profile.bands == ("18-24",) and card.profile.goals == ("awareness",)
    with pytest.raises(UnknownIdError, match="travel"):
        score_brand(sector="travl", data=DATA)


def test_scores_are_deterministic_and_speak_french() -> None:
    first = score_brand(example_brand(DATA), data=DATA)
    assert score_brand(example_brand(DATA), data=DATA) == first
    french = score_brand(example_brand(DATA), data=DATA, language="fr")
    assert french.total == first.total
    assert "Complément" == french.verdict_label and "complément" in french.verdict_text
    assert "14,6" in french.dimensions[0].explanation[0]


@pytest.mark.parametrize("bands", [("35-44", "45-54"), ("45-54",), ("55+",)])
@pytest.mark.parametrize("sex", ["all", "women", "men"])
def test_a_target_outside_18_34_is_unknown_not_not_now(bands, sex) -> None:
    """Issue 16: missing data is neutral and named, never "no audience"."""
    card = score_brand(BrandProfile(bands=bands, sex=sex), data=DATA)
    assert card.score("audience") == DATA.audience_unknown_score
    assert card.score("audience") >= DATA.thresholds.blocker
    assert card.verdict != "not-now"  # the default answers otherwise give a complement
    note = next(line for line in card.dimensions[0].explanation if line.startswith("No data"))
    assert all(band in note for band in bands) and "not zero" in note


def test_the_example_brands_unknown_ages_keep_the_neutral_score() -> None:
    card = score_brand(example_brand(DATA), data=DATA)
    sourced = 100 * 14.6 / DATA.audience_full_share  # women 25-34 only
    assert sourced < DATA.audience_unknown_score == card.score("audience")
    assert any("No data for 35-44" in line for line in card.dimensions[0].explanation)
    # Scored neutral for want of figures: the least-known point, not the weakest.
    assert "Your least-known point is Size of your target on TikTok (no sourced figure for " \
        "35-44)" in card.verdict_text


#: The trainer's review (M2): a fashion brand posting three videos a week, glad to play with
#: trends, for awareness and under-35s. Only its age bands change below.
KEEN = dict(sector="fashion", goals=("awareness", "young-audience"), videos_per_week=3,
            tone="gladly")
CAP_EN = "Your audience fit is not known from sourced figures"
CAP_FR = "L'adéquation de votre public n'est pas connue par des chiffres sourcés"


@pytest.mark.parametrize("sex", ["all", "women", "men"])
def test_13_17_is_unknown_for_the_audience_score_never_zero(sex) -> None:
    """Teenagers are on TikTok; only the ad-audience figures leave them out (they count users
    aged 18+). So 13-17 is unknown like 35+: the neutral score, named in "no data for"."""
    teens = score_brand(BrandProfile(bands=("13-17",), sex=sex), data=DATA)
    assert teens.score("audience") == DATA.audience_unknown_score
    assert teens.unknown_bands == ("13-17",)
    lines = teens.dimensions[0].explanation
    assert any(line.startswith("No data for 13-17") for line in lines)
    assert not any("known zero" in line or "0%" in line for line in lines)
    absent = next(line for line in lines if line.startswith("13-17: not in the ad-audience"))
    assert "18 and over" in absent and "not an absence" in absent and "74%" in absent
    assert "country-luxembourg-users-16-17-2021" in {f.id for f in teens.dimensions[0].figures}
    # Teens never lower a sourced share's score, and keep the neutral floor beside 55+.
    adults = score_brand(BrandProfile(bands=("18-24",), sex=sex), data=DATA)
    both = score_brand(BrandProfile(bands=("13-17", "18-24"), sex=sex), data=DATA)
    assert both.score("audience") == max(adults.score("audience"), DATA.audience_unknown_score)
    older = score_brand(BrandProfile(bands=("13-17", "55+"), sex=sex), data=DATA)
    assert older.score("audience") == DATA.audience_unknown_score
    french = score_brand(BrandProfile(bands=("13-17",), sex=sex), data=DATA, language="fr")
    assert french.dimensions[0].explanation[0].startswith("Pas de données pour les tranches 13-17\u00a0:")
    assert french.dimensions[0].explanation[1].startswith("13-17 ans\u00a0: absents")


@pytest.mark.parametrize("tone, videos, goals", [
    ("gladly", 3, ("awareness", "young-audience")), ("some", 1, ("awareness",)),
    ("none", 1, ("b2b-leads",)), ("none", 0, ("customer-service",)), ("some", 2, ())])
def test_a_teen_only_brand_is_never_not_now_because_of_its_audience(tone, videos, goals) -> None:
    for sector in DATA.ids("sectors"):
        card = score_brand(BrandProfile(sector=sector, bands=("13-17",), goals=goals,
                                        videos_per_week=videos, tone=tone), data=DATA)
        assert card.score("audience") >= DATA.thresholds.blocker
        if card.verdict == "not-now":
            assert card.weakest != "audience"
        assert "where your audience already is" not in card.verdict_text
    # The review's fashion brand: a complement for teenagers, with the plain caveat.
    keen = score_brand(BrandProfile(bands=("13-17",), **KEEN), data=DATA)
    assert keen.verdict == "complement"


def test_a_target_with_minors_gets_the_own_videos_no_targeted_ads_caveat() -> None:
    teens = score_brand(BrandProfile(bands=("13-17", "18-24")), data=DATA)
    caveat = teens.verdict_text[teens.verdict_text.index("For 13-17:"):]
    assert "reach teenagers with your own videos, not with ads targeted at them" in caveat
    assert "no personalised ads to users aged 13-17 since August 2023" in caveat
    assert "In the EU and EEA" in caveat
    assert "never means that teenagers are absent from TikTok" in caveat
    french = score_brand(BrandProfile(bands=("13-17",)), data=DATA, language="fr")
    assert "touchez les adolescents avec vos propres vidéos" in french.verdict_text
    assert "pas avec des publicités ciblées sur eux" in french.verdict_text
    assert "Dans l'UE et l'EEE" in french.verdict_text
    assert "ne veut jamais dire que les adolescents sont absents" in french.verdict_text
    adults = score_brand(BrandProfile(bands=("18-24",)), data=DATA)
    assert "personalised ads" not in adults.verdict_text


@pytest.mark.parametrize("bands", [("45-54", "55+"), ("13-17",), ("18-24", "25-34", "35-44")])
def test_an_audience_resting_on_unknown_bands_is_capped_at_complement(bands) -> None:
    card = score_brand(BrandProfile(bands=bands, **KEEN), data=DATA)
    assert card.total >= DATA.thresholds.core  # would be a core channel on the total alone
    assert card.verdict == "complement" and card.verdict_label == "Complement"
    assert card.unknown_bands == tuple(b for b in bands if b not in ("18-24", "25-34"))
    assert CAP_EN in card.verdict_text
    assert "test before making TikTok a core channel" in card.verdict_text
    assert f"no data for {', '.join(card.unknown_bands)}" in card.verdict_text
    french = score_brand(BrandProfile(bands=bands, **KEEN), data=DATA, language="fr")
    assert french.verdict == "complement" and CAP_FR in french.verdict_text
    assert "testez avant de faire de TikTok un canal central" in french.verdict_text
    assert "«\u00a0complément\u00a0»" in french.verdict_text


def test_18_34_with_a_good_sector_can_still_be_a_core_channel() -> None:
    card = score_brand(BrandProfile(bands=("18-24", "25-34"), **KEEN), data=DATA)
    assert card.verdict == "core" and not card.unknown_bands
    assert CAP_EN not in card.verdict_text
    french = score_brand(BrandProfile(bands=("18-24", "25-34"), **KEEN), data=DATA,
                         language="fr")
    assert french.verdict == "core" and CAP_FR not in french.verdict_text
    # A blocked brand gets no cap line: "not now" already says to wait.
    blocked = score_brand(BrandProfile(bands=("55+",), **{**KEEN, "videos_per_week": 0}),
                          data=DATA)
    assert blocked.verdict == "not-now" and CAP_EN not in blocked.verdict_text


def test_the_scoring_is_labelled_as_the_courses_rule_of_thumb() -> None:
    from tiktok_lab.ui.scorecard import scorecard_html

    card = score_brand(example_brand(DATA), data=DATA)
    assert card.rule.startswith(nature_label("rule_of_thumb", "en"))
    assert card.rule in scorecard_html(card).replace("&#x27;", "'")
    caption = caption_text(make_scorecard_chart(card).to_dict())
    assert caption.startswith("The course's rule of thumb, not an official TikTok rule or figure: scores")
    french = score_brand(example_brand(DATA), data=DATA, language="fr")
    assert french.rule.startswith("Règle empirique")


# ------------------------------------------------------------------ data file


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in YAML
    path = tmp_path / "opportunity.yaml"
    path.write_text(YAML.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, field", [
    ("weights: {audience: 3,", "weights: {audience: -3,", "weights, audience"),
    ("weights: {audience: 3, goals: 2,", "weights: {goals: 2,", "weights"),
    ("    nature: rule_of_thumb\n", "", "scorecard"),
    ("sector_full_rate: 5.0", "sector_full_rate: 0", "sector_full_rate"),
    ("engagement-rivaliq-tiktok-2024-travel,", "engagement-rivaliq-tiktok-1999-travel,",
     "sectors"),
    ("      fit: 90", "      fit: 190", "goals"),
    ("before: users-mau-2020-07", "before: users-mau-1999-07", "changes"),
    ('{id: retail,', '{id: food-beverage,', "sectors"),
    ("{id: tone, label", "{id: humour, label", "dimensions"),
    ("      fit: 90\n      nature: rule_of_thumb\n", "      fit: 90\n", "goals"),
])
def test_a_broken_file_names_the_file_and_the_field(tmp_path: Path, old: str, new: str,
                                                    field: str) -> None:
    with pytest.raises(DataFileError) as error:
        load_opportunity(_broken(tmp_path, old, new))
    assert "opportunity.yaml" in str(error.value) and field in str(error.value)


def test_every_text_is_in_both_languages() -> None:
    for kind in ("dimensions", "sectors", "tones", "goals", "networks", "verdicts"):
        for item in getattr(DATA, kind):
            assert set(item.label) == {"en", "fr"}
    assert all(set(text) == {"en", "fr"} for text in DATA.texts.values())


# ------------------------------------------------------------------ tables and chart


def test_changes_since_2020_pair_cited_figures() -> None:
    frame = opportunity_changes(DATA)
    assert len(frame) == len(DATA.changes)
    assert frame["then_source"].str.contains("2020").any()
    assert frame["now_source"].str.contains("2025").any()
    assert (frame["then_source"] != "").all() and (frame["now_source"] != "").all()


def test_chart_has_title_caption_with_sources_and_dates_and_description() -> None:
    card = score_brand(example_brand(DATA), data=DATA)
    spec = make_scorecard_chart(card).to_dict()
    assert json.loads(json.dumps(spec)) == spec
    assert "Les Tisanes du Moulin" in spec["title"]["text"]
    assert "Statista 2025" in caption_text(spec)
    assert "Rival IQ 2023" in caption_text(spec)  # the data year of the 2024 report
    assert f"{card.total:.1f}" in spec["description"] and "Complement" in spec["description"]


# ------------------------------------------------------------------ widget and store


def test_the_widget_scores_saves_and_restores() -> None:
    app = ScorecardApp()
    assert "tiktok-lab-scorecard" in app.widget._dom_classes and app.redraws == 1
    assert not app.restored
    app.brand.value = "<script>alert(1)</script>"
    app.sector.value = "travel"
    app.bands.value = ("18-24", "25-34")
    app.videos.value = 4
    assert app.redraws == 5 and app.chart is not None
    assert "<script>" not in app.details.value and "&lt;script&gt;" in app.details.value
    saved = get_store().read(STORE_DOCUMENT)
    assert set(saved) == {"brand", "sector", "audience", "goals", "answers", "scores", "verdict",
                          "nature", "nature_label"}
    assert saved["nature"] == "rule_of_thumb"
    assert saved["nature_label"] == "The course's rule of thumb, not an official TikTok rule or figure"
    assert saved["audience"] == {"bands": ["18-24", "25-34"], "sex": "all",
                                 "country": "worldwide"}
    assert saved["answers"]["videos_per_week"] == 4
    assert saved["scores"]["total"] == app.card.total and saved["verdict"] == app.card.verdict
    again = ScorecardApp()
    assert again.restored and again.profile == app.profile
    assert again.card == app.card


def test_a_damaged_saved_document_never_stops_the_widget() -> None:
    get_store().write(STORE_DOCUMENT, {"sector": "nope", "audience": {"bands": "18-24"},
                                       "goals": [1, "sales"], "answers": {
                                           "videos_per_week": 999, "tone": None}})
    app = ScorecardApp()
    assert app.profile.sector == "other" and app.profile.goals == ("sales",)
    assert app.profile.videos_per_week == DATA.max_videos_per_week
    assert app.card is not None


def test_a_failure_is_shown_in_the_widget_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    app = ScorecardApp(save=False)

    def broken(*_args, **_kwargs):
        raise RuntimeError("no chart today")

    monkeypatch.setattr("tiktok_lab.ui.scorecard.make_scorecard_chart", broken)
    app.videos.value = 5
    assert "no chart today" in app.details.value


def test_the_notebook_entry_point_starts_from_given_answers() -> None:
    box = build_scorecard_widget(sector="travel", bands=["18-24"], videos_per_week=3)
    assert "tiktok-lab-scorecard" in box._dom_classes
    assert "Travel and tourism" in box.children[-1].value


def test_the_widget_speaks_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    app = ScorecardApp(save=False)
    assert app.sector.description == "Secteur"
    assert "Verdict" in app.details.value and "Poids de votre cible sur TikTok" in app.details.value


# ------------------------------------------------------------------ the lesson's decisions


def test_the_go_test_or_wait_brief_gets_the_verdict_its_feedback_promises() -> None:
    """go-test-or-wait: a joinery that cannot film a video a week is "not now" because of its
    video capacity, whatever the rest; once one video a week is filmed, the unknown ages over
    35 keep it at "complement" (a test), as the options' feedback says."""
    from tiktok_lab.course.exercises import load_exercise_rows

    row = next(r for r in load_exercise_rows("04_opportunity") if r.id == "go-test-or-wait")
    assert row.strongest.id == "not-now-nobody-films"
    joinery = BrandProfile(brand="Atelier Brun", sector="other", bands=("25-34", "35-44"),
                           country="france", goals=("awareness", "sales"), videos_per_week=0,
                           tone="some", presence=("instagram",))
    card = score_brand(joinery)
    assert card.verdict == "not-now" and card.weakest == "capacity"
    assert card.score("capacity") < DATA.thresholds.blocker
    filming = score_brand(joinery, videos_per_week=1)
    assert filming.verdict == "complement" and "35-44" in filming.unknown_bands


def test_what_changes_the_verdict_matches_the_example_brands_scorecard() -> None:
    """what-changes-the-verdict: the example brand is capped at "complement" by its unknown
    35-44 band; filming more adds nothing, more humour raises the total but not the verdict,
    and dropping 35-44 lowers the audience score without reaching "core"."""
    example = score_brand(example_brand())
    assert example.verdict == "complement" and example.unknown_bands == ("35-44",)
    assert example.score("capacity") == 100
    more = score_brand(example_brand(), videos_per_week=5)
    assert more.score("capacity") == 100 and more.total == example.total
    # The strongest option's feedback: two things hold the verdict back, the cap and a total
    # under the core line; humour's and narrower's feedback say the total stays under it.
    assert example.total < DATA.thresholds.core
    humour = score_brand(example_brand(), tone="gladly")
    assert humour.total > example.total and humour.verdict == "complement"
    assert humour.total < DATA.thresholds.core
    assert example.score("tone") < example.score("goals")
    narrower = score_brand(example_brand(), bands=("25-34",))
    assert not narrower.unknown_bands and narrower.verdict == "complement"
    assert narrower.score("audience") < example.score("audience")
    assert narrower.total < DATA.thresholds.core
