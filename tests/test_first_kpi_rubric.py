"""Lesson 07's open answer first-kpi: the rubric ticks the phrasings participants really write
(reviews of issue 17, in English and French) and no longer ticks good intentions."""

from __future__ import annotations

import pytest

from tiktok_lab.course.exercises import load_exercise_rows


def _element(element_id: str):  # noqa: ANN202 - a RubricElement
    row = next(r for r in load_exercise_rows("07_my_strategy") if r.id == "first-kpi")
    return next(e for e in row.rubric if e.id == element_id)


@pytest.mark.parametrize("text", [
    "We will count the bookings on our website coming from TikTok: 100 bookings by June.",
    "visits on our website", "orders from the shop", "the number of enquiries",
    "Nombre de réservations sur notre site", "visites sur notre site", "les commandes passées",
    "les demandes de devis", "la notoriété assistée, mesurée par sondage",
    "brand awareness measured by a survey", "reach among people aged 25 to 45",
])
def test_measure_accepts_the_results_participants_name(text: str) -> None:
    assert _element("measure").found_in(text), text


@pytest.mark.parametrize("text", ["Une belle vue sur le Vercors", "in order to be seen"])
def test_measure_is_not_ticked_by_everyday_words(text: str) -> None:
    assert not _element("measure").found_in(text), text


@pytest.mark.parametrize("text", [
    "by the end of the season", "for the summer season", "before the tourist season",
    "during the school holidays", "at the end of the campaign",
    "pour la saison estivale", "pendant les vacances de la Toussaint", "avant l'été",
    "à la fin de la campagne", "after four weeks", "au bout de quatre semaines",
])
def test_by_when_accepts_seasons_and_campaign_ends(text: str) -> None:
    assert _element("by-when").found_in(text), text


@pytest.mark.parametrize("text", [
    "If it does not work, we adjust the topics.",
    "If we do not reach it, we will test another hook.",
    "Otherwise we will adapt the format.",
    "If views are too low, we change the first seconds of the videos.",
    "Si ça ne marche pas, on adaptera les thèmes.",
    "Si on n'y arrive pas, on publiera plus souvent.",
    "Si le résultat est décevant, on testera un autre format.",
    "Sinon, on arrête.",
])
def test_if_it_misses_accepts_plain_plan_b_phrasings(text: str) -> None:
    assert _element("if-it-misses").found_in(text), text


@pytest.mark.parametrize("text", [
    "Likes and comments, 2 videos per week during 4 weeks, try to do our best.",
    "Nous essaierons de l'améliorer.",
    "We want to change the image of the Drôme with our videos.",
])
def test_if_it_misses_is_not_ticked_by_good_intentions(text: str) -> None:
    assert not _element("if-it-misses").found_in(text), text


def test_a_short_kpi_is_long_enough() -> None:
    """"Nombre d'abonnés : 1000 d'ici fin mars, sinon on arrête." is a whole KPI."""
    row = next(r for r in load_exercise_rows("07_my_strategy") if r.id == "first-kpi")
    assert row.min_words <= 8


@pytest.mark.parametrize(("text", "met"), [
    ("After four weeks we look at the views. If they are too low, we change the first seconds "
     "of the videos.", 3),  # no target: "four weeks" is a deadline, not a number to reach
    ("Likes and comments, 2 videos per week during 4 weeks, try to do our best.", 2),
    ("Nombre d'abonnés : 1000 d'ici fin mars, sinon on arrête.", 4),
    ("We will count the bookings on our website coming from TikTok: 100 bookings by the end "
     "of June, if not we post more often.", 4),
    ("Une centaine de réservations pour la saison estivale ; si ça ne marche pas, on adaptera "
     "les thèmes.", 4),
])
def test_whole_kpis_the_reviewers_wrote(text: str, met: int) -> None:
    import tiktok_lab as tl

    answer = tl.exercise("07_my_strategy", "first-kpi", show=False).open_answer
    assert answer.judge(text).met == met, text
