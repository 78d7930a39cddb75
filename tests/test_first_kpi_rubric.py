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


# A French editor's read (issue 17): answers a French participant writes, judged whole. The
# number is what the participant sees ticked out of the four elements.
@pytest.mark.parametrize(("text", "met"), [
    ("Portée auprès des 25-45 ans de Lyon et de la Drôme : 30\u202f000 personnes touchées au "
     "bout de quatre semaines. Si on est en dessous, on change l'accroche des vidéos.", 4),
    ("Nombre de vues : 50\u202f000 vues cumulées fin mars. Si on n'atteint pas ce chiffre, on "
     "revoit les thèmes.", 4),
    ("Taux d'engagement de 5\u00a0% sur le premier mois, sinon on change de format.", 4),
    ("Les clics vers la boutique en ligne : 300 clics en 4 semaines. En cas d'échec, on "
     "retravaille les premières secondes.", 4),
    ("Coût par résultat inférieur à 2\u00a0€ par clic à la fin de la campagne, faute de quoi on "
     "baisse le budget.", 4),
    ("Je regarderai le taux de complétion : au moins 30 % des vues regardées jusqu'au bout après "
     "un mois. Si ce n'est pas le cas, on raccourcit les vidéos.", 4),
    ("Nombre de vues du profil : 2\u202f000 d'ici Noël. Si c'est moins, on teste un autre "
     "thème.", 4),
    ("Visites du profil : 1500 au bout d'un mois ; à défaut, on revoit notre accroche.", 4),
    ("Atteindre 10 000 vues par vidéo en moyenne avant la fin du trimestre, et si ça ne prend "
     "pas on change de ligne éditoriale.", 4),
    ("Le nombre de candidatures reçues via TikTok : 20 candidatures d'ici la rentrée. Si on ne "
     "les a pas, on arrête.", 4),
    ("Couverture : 40 000 comptes uniques touchés à la fin du test de quatre semaines ; si le "
     "chiffre n'est pas atteint, on modifie le ciblage.", 4),
    ("Durée moyenne de visionnage de 8 secondes au bout de 4 semaines ; sinon on retravaille les "
     "trois premières secondes.", 4),
    ("Nombre de commentaires : une centaine sur le mois. Si on est loin du compte, on pose plus "
     "de questions en fin de vidéo.", 4),
    ("Taux de clic de 1 % sur nos publicités pendant la campagne de lancement ; s'il est plus "
     "bas, on change de visuel.", 4),
    ("Inscriptions à la newsletter depuis le lien en bio : 250 d'ici le 31 mars. Dans le cas "
     "contraire, on ajuste le budget.", 4),
    ("Nombre de j'aime et de commentaires, 2 vidéos par semaine pendant 4 semaines, on fera de "
     "notre mieux.", 2),
    ("Avoir plus de vues et d'abonnés, et publier deux vidéos par semaine.", 1),
    # The objective is not a measure, and good intentions are not a plan B.
    ("Augmenter notre notoriété auprès des jeunes.", 0),
    ("Nous allons tester TikTok pendant un mois et adapter nos vidéos Instagram au format "
     "vertical.", 1),
    ("Nous regarderons le nombre de j'aime pour voir si les gens apprécient nos tisanes.", 1),
])
def test_whole_kpis_a_french_participant_writes(text: str, met: int) -> None:
    import tiktok_lab as tl

    answer = tl.exercise("07_my_strategy", "first-kpi", show=False).open_answer
    assert answer.judge(text).met == met, text
