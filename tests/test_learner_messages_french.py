"""A French learner never meets an English refusal (issue 18).

The simulator's checks, the look-ups by id and the exercise blank speak the course language:
each sample below is raised inside ``speaking("fr")`` and must read as its French string, and
inside ``speaking("en")`` as the English one, unchanged.
"""

from __future__ import annotations

import pytest

from tiktok_lab.core.datafiles import unknown_id
from tiktok_lab.core.i18n import speaking
from tiktok_lab.core.learner_errors import LearnerError
from tiktok_lab.course.placeholder import ____
from tiktok_lab.lessons.feed.model import FeedParams, check_topic
from tiktok_lab.lessons.feed.pools import simulate_feed, upload_video, why_this_video
from tiktok_lab.lessons.feed.refresh import rank_feed


pytestmark = pytest.mark.usefixtures("fresh_learner")


def small(**changes) -> FeedParams:
    base = dict(n_users=400, n_videos=120, pool_sizes=(10, 30, 100, 300), rounds=4, seed=7)
    return FeedParams.defaults(**{**base, **changes})


def _missing_exercise() -> None:
    raise unknown_id("exercise of lesson", "nope", ["a", "b"], lesson="03")


def _refusal(call) -> str:
    # A learner's error, or the TypeError of int(____) in a half-edited exercise.
    with pytest.raises((LearnerError, TypeError)) as caught:
        call()
    return str(caught.value)


# (call, words of the French message, words of the English message)
SAMPLES = [
    (lambda: small(n_users=0), "Le monde simulé doit compter au moins une personne",
     "The simulated world needs at least one person (n_users ≥ 1)."),
    (lambda: small(n_users="ten"), "Le réglage `n_users` doit être un nombre, pas 'ten'.",
     "n_users must be a number, not 'ten'."),
    (lambda: small(rounds=2.5), "Le réglage `rounds` doit être un nombre entier, pas 2,5.",
     "rounds must be a whole number, not 2.5."),
    (lambda: small(diversity_share=1.5), "doit valoir au plus 1, pas 1,5.",
     "diversity_share must be at most 1, not 1.5."),
    (lambda: small(diversity_share=-0.0001), "doit valoir au moins 0, pas -0,0001.",
     "diversity_share must be at least 0, not -0.0001."),
    (lambda: small(n_videos=1e300), "pas un nombre d'environ 301 chiffres.",
     "n_videos must be at most 100,000, not a number with about 301 digits."),
    (lambda: small(playtime_unit_seconds=0), "Le réglage `playtime_unit_seconds` doit dépasser 0",
     "playtime_unit_seconds must be more than 0, not 0."),
    (lambda: small(v_like=-1), "Le poids `v_like` ne peut pas être négatif",
     "The weight v_like cannot be negative (-1): use 0 to switch a signal off."),
    (lambda: small(colour="red"), "`colour` n'est pas un réglage du simulateur de fil.",
     '"colour" is not a setting of the feed simulator.'),
    (lambda: small(n_users=10**20), "un nombre d'environ 21 chiffres",
     "n_users must be at most 1,000,000, not a number with about 21 digits."),
    (lambda: small(pool_sizes=(10, 30, 100, 5000)),
     "Le pool 4 (5\u202f000 personnes) dépasse l'audience entière (`n_users` = 400)",
     "Pool 4 (5,000 people) is larger than the whole audience (n_users = 400): make the pool "
     "smaller (pool_sizes) or add people (n_users)."),
    (lambda: small(pool_sizes=(30, 10)), "Chaque pool doit être plus grand que le précédent.",
     "Each pool must be larger than the one before it."),
    (lambda: small(pool_sizes=(10, 2.5)), "La taille du pool 2 doit être un nombre entier",
     "Pool 2 must be a whole number, not 2.5."),
    (lambda: small(topics=("food", "knitting")), "Identifiant inconnu (thème)\u00a0: «\u00a0knitting\u00a0».",
     'No topic has the id "knitting".'),
    (lambda: check_topic("fod"), "Vouliez-vous dire\u00a0: food\u00a0? Thèmes\u00a0: food",
     'No topic has the id "fod". Did you mean: food? Topics: food'),
    (lambda: rank_feed(small(), users=[10_000]),
     "Les personnes sont numérotées de 0 à 399\u00a0; 10\u202f000 n'en fait pas partie.",
     "People are numbered 0 to 399; 10,000 is not one."),
    (lambda: rank_feed(small(), users=[]), "Indiquez au moins une personne",
     "Give at least one person (a number from 0)."),
    (lambda: why_this_video(simulate_feed(small()), 0, 999),
     "Les vidéos sont numérotées de 0 à 119\u00a0; 999 n'en fait pas partie.",
     "Videos are numbered 0 to 119; 999 is not one."),
    (lambda: upload_video(1.5, 30, "food", params=small()),
     "Le paramètre `hook` doit valoir au plus 1, pas 1,5.",
     "The hook strength must be at most 1, not 1.5."),
    (lambda: _missing_exercise(),
     "Identifiant inconnu (exercice de la leçon 03)", "No exercise of lesson 03 has the id"),
    (lambda: int(____), "____ est un blanc à remplir", "____ is a blank to fill in"),
]


@pytest.mark.parametrize("call, french, english", SAMPLES)
def test_a_refusal_speaks_the_learner_s_language(call, french: str, english: str) -> None:
    with speaking("fr"):
        message = _refusal(call)
    assert french in message
    assert english not in message
    with speaking("en"):
        assert english in _refusal(call)


def test_the_feed_widgets_show_the_refusal_in_french() -> None:
    """The widgets' French wrapper (« Vérifiez cette valeur ») now holds a French sentence."""
    from tiktok_lab.ui.feed_lab import PoolApp, WhyThisVideoApp

    with speaking("fr"):
        pool, why = PoolApp(), WhyThisVideoApp()
    pool.length.value = 0
    why.person.value = 10**7
    for app, french in ((pool, "La durée (`length_seconds`) doit valoir au moins 1"),
                        (why, "Les personnes sont numérotées de 0 à")):
        assert "Vérifiez cette valeur" in app.message.value
        assert french in app.message.value.replace("&#x27;", "'"), app.message.value
        assert " must " not in app.message.value and "numbered" not in app.message.value
