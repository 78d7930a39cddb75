"""The rubric of lesson 00's ``my-goal`` on the goals reviewers wrote in their own words
(issue 17 reviews), in English and in French: each element is met when the goal says it, and
not met by a word that only looks like it ("au grand public", "une belle vue", "reach")."""

from __future__ import annotations

import pytest

from tiktok_lab.ui.exercise import exercise

pytestmark = pytest.mark.usefixtures("fresh_learner")


def _met(text: str) -> dict[str, bool]:
    result = exercise("00_start_here", "my-goal", show=False).open_answer.judge(text)
    return {element.id: element.met for element in result.elements}


@pytest.mark.parametrize("text", [
    "Faire connaître nos tisanes au grand public sur TikTok avec plus de vues d'ici 2026.",
    "Grow our audience on TikTok with more views by 2026, reaching people in France.",
    "Ma directrice demande qu'on soit sur TikTok pour faire passer nos messages au grand public.",
    "Faire connaître notre office de tourisme, avec une belle vue sur le Vercors, d'ici l'été.",
    "Notre maison existe depuis 30 ans et veut être présente sur TikTok cette année.",
])
def test_no_audience_is_found_in_a_goal_for_everyone(text: str) -> None:
    assert not _met(text)["audience"]


@pytest.mark.parametrize("text", [
    "I want to reach students in Lyon before Christmas with 3 videos a week.",
    "Ma directrice demande qu'on soit sur TikTok pour faire passer nos messages au grand public.",
    "Faire connaître notre office de tourisme, avec une belle vue sur le Vercors, d'ici l'été.",
    "Être sur TikTok en vue de toucher les jeunes de la Drôme, de notre point de vue.",
])
def test_a_verb_or_a_look_alike_word_is_not_a_measure(text: str) -> None:
    assert not _met(text)["measure"]


@pytest.mark.parametrize("text", [
    "Nos tisanes auprès des lycéens de la Drôme, 200 visites sur le site d'ici juin.",
    "Toucher les trentenaires lyonnais : 300 commandes avant l'été.",
    "Les seniors et les retraités de la vallée : 100 réservations d'ici septembre.",
    "Attirer les randonneurs et les cyclistes : 500 visites sur notre site d'ici juillet.",
    "Augmenter notre notoriété spontanée de 5 points auprès des 18-34 ans d'ici un an.",
    "Retired people and seniors from the Lyon area: 100 bookings by June.",
    "Hikers and cyclists: 500 visits to our website by the end of the season.",
    "Bring holidaymakers and visitors to the office: 200 bookings for the summer season.",
])
def test_the_audiences_reviewers_named_are_found(text: str) -> None:
    assert _met(text)["audience"]


@pytest.mark.parametrize("text", [
    "Augmenter notre notoriété spontanée de 5 points auprès des 18-34 ans d'ici un an.",
    "Raise brand awareness by 10 points among Gen Z by June, measured by a brand lift study.",
    "Recruter 15 apprentis lycéens de la Drôme avant septembre.",
    "2 000 candidatures d'étudiants lyonnais d'ici la rentrée.",
    "Recruit 15 apprentices from local schools before September.",
    "Doubler le nombre de visiteurs retraités pour la saison estivale.",
    "Un sondage auprès des clients du marché : 30 % nous connaissent d'ici juin.",
])
def test_awareness_recruiting_and_visitors_are_measures(text: str) -> None:
    assert _met(text)["measure"]


@pytest.mark.parametrize("text", [
    "Doubler le nombre de visiteurs retraités pour la saison estivale.",
    "Une centaine de réservations de vacanciers pour les vacances de la Toussaint.",
    "Une dizaine de devis de commerçants par mois, d'ici l'automne.",
    "Double the bookings from hikers by the end of the season.",
])
def test_number_words_count_as_a_number(text: str) -> None:
    assert _met(text)["number"]


@pytest.mark.parametrize("text", [
    "Une centaine de réservations de vacanciers pour les vacances de la Toussaint.",
    "200 visites de randonneurs sur notre site pour la fin du mois de mai.",
    "200 visites de randonneurs sur notre site tout le mois de mai.",
    "300 commandes de trentenaires lyonnais pour le printemps.",
    "300 réservations de familles pour la saison 2027.",
    "Hikers and cyclists: 500 visits to our website by the end of the season.",
    "200 bookings from families before the tourist season.",
    "100 sign-ups from parents during the school holidays.",
])
def test_the_deadlines_a_tourism_officer_writes_are_found(text: str) -> None:
    assert _met(text)["deadline"]


@pytest.mark.parametrize("text", [
    "By 15 December, 400 visits from TikTok to the box's page, from women aged 25 to 44.",
    "D'ici le 15 décembre, 400 visites depuis TikTok sur la page du coffret, de femmes de 25 à "
    "44 ans.",
])
def test_the_strongest_goal_of_goal_to_bring_meets_every_element(text: str) -> None:
    assert all(_met(text).values())


@pytest.mark.parametrize("text", [
    "Faire connaître nos tisanes au grand public sur TikTok avec plus de vues d'ici 2026.",
    "Grow our audience on TikTok with more views by 2026, reaching people in France.",
    "I want to reach students in Lyon before Christmas with 3 videos a week.",
    "Toucher les jeunes avec des vidéos sympas pour la rentrée, deux vidéos par semaine.",
])
def test_a_year_or_a_posting_rhythm_is_not_a_target(text: str) -> None:
    """The reviewers' goals with no target: "by 2026" is a deadline, "3 videos a week" is
    what the team does, not a result."""
    assert not _met(text)["number"]


# Goals a French participant writes, in a marketer's own words (French review of lesson 00):
# each with the elements it really has, in the order audience, measure, number, deadline.
_FRENCH_GOALS = [
    ("Gagner 2 000 abonnés d'ici juin, surtout des 18-25 ans de la région.", "1111"),
    ("Augmenter de 20 % les ventes du coffret de Noël auprès des 25-45 ans grâce à TikTok, "
     "d'ici le 31 décembre.", "1111"),
    ("Attirer 300 nouveaux clients de moins de 35 ans sur notre e-shop avant les fêtes.", "1111"),
    ("Générer 50 demandes de devis de la part de PME locales d'ici la fin du trimestre.", "1111"),
    ("Obtenir 1 000 vues par vidéo en moyenne auprès des Drômois avant l'automne.", "1111"),
    ("Augmenter le trafic vers notre site web de 30 % en trois mois, en ciblant les étudiants.",
     "1111"),
    ("Faire connaître l'association aux bénévoles potentiels : 40 nouveaux bénévoles d'ici la "
     "rentrée.", "1111"),
    ("Vendre 500 coffrets de tisanes aux femmes de 30-50 ans via TikTok Shop avant la "
     "Saint-Valentin.", "1111"),
    ("Accroître la notoriété de la marque chez la Gen Z en France, avec un taux d'engagement de "
     "5 % d'ici décembre.", "1111"),
    ("Amener 250 internautes de 25-44 ans sur la fiche produit du coffret d'hiver d'ici le "
     "15 décembre.", "1111"),
    ("Faire venir 200 personnes à nos portes ouvertes du 12 avril, en priorité des lycéens et "
     "leurs parents.", "1111"),
    ("Augmenter les vues du profil de 50 % chez les amateurs de randonnée d'ici la fin de la "
     "saison.", "1111"),
    ("Se faire connaître des CSP+ lyonnais et obtenir 100 rendez-vous en boutique avant la fête "
     "des mères.", "1111"),
    ("Obtenir 100 inscriptions à nos ateliers cuisine de la part de citadins trentenaires d'ici "
     "le printemps.", "1111"),
    ("Passer de 800 à 3 000 abonnés d'ici l'été, principalement des Lyonnais de 25 à 35 ans.",
     "1111"),
    ("Développer notre communauté TikTok pour atteindre 5 000 followers d'ici la fin de "
     "l'année.", "0111"),
    ("Améliorer l'image de notre mairie auprès des jeunes de 16 à 25 ans, mesurée par un sondage "
     "en juin.", "1101"),
    ("Gagner en visibilité auprès des 18-30 ans cette année.", "1001"),
    ("Publier 3 vidéos par semaine pour gagner en visibilité auprès du grand public.", "0000"),
    ("Être présents sur TikTok et faire parler de nous, un peu tous les jours.", "0000"),
    ("Créer une communauté engagée autour de nos valeurs et de notre savoir-faire.", "0000"),
    ("Toucher un maximum de monde avec des vidéos authentiques sur notre savoir-faire.", "0000"),
]


@pytest.mark.parametrize(("text", "expected"), _FRENCH_GOALS)
def test_french_goals_get_the_ticks_they_deserve(text: str, expected: str) -> None:
    met = _met(text)
    got = "".join(str(int(met[element])) for element in ("audience", "measure", "number",
                                                          "deadline"))
    assert got == expected


@pytest.mark.parametrize("text", [
    "Notre domaine existe depuis 20 ans et veut se montrer sur TikTok d'ici l'été.",
    "Depuis 40 ans, notre maison fait des tisanes : le montrer sur TikTok cette année.",
])
def test_the_age_of_a_business_is_not_an_audience(text: str) -> None:
    assert not _met(text)["audience"]
