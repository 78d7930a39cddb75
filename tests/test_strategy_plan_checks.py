"""Lesson 07, after the manager's and the tourism office's reviews: which rules apply to a
plan, the checklist's contradictions, the first draft's measures, tone and tests, dates."""

from __future__ import annotations

import datetime as dt

import pytest

from tiktok_lab.lessons.strategy.checks import validate_strategy
from tiktok_lab.lessons.strategy.compliance import is_food_health, notes_for, plan_cases
from tiktok_lab.lessons.strategy.drafts import prefill_from
from tiktok_lab.lessons.strategy.plan import Strategy, load_strategy_data, parse_date

from test_strategy import GOOD, good

HEALTH = {"authorised-health-claims-only", "weight-loss-ads-adults-only"}
CREATORS = {"france-commercial-mention", "creator-written-contract"}


def rules(**changes) -> set[str]:
    return {n.id for n in notes_for(good(**changes), "en")}


# ------------------------------------------------------------ which rules apply


def test_health_and_slimming_rules_only_for_food_drink_or_health_brands() -> None:
    tourism = rules(sector="Travel and tourism", daily_budget=60, ad_formats=["In-feed ads"])
    assert not tourism & HEALTH
    assert not rules(sector="Voyage et tourisme", daily_budget=60) & HEALTH
    assert HEALTH <= rules(sector="Food and beverage", daily_budget=60)
    assert HEALTH <= rules(sector="Santé et beauté", daily_budget=60)
    # the weight-loss rule is about ads: a food brand without ads gets the claims rule only
    organic = rules(sector="Alimentation et boissons", daily_budget=0)
    assert "authorised-health-claims-only" in organic
    assert "weight-loss-ads-adults-only" not in organic


@pytest.mark.parametrize(("sector", "food"), [
    ("Food and beverage", True), ("Alimentation et boissons", True), ("Herbal teas", True),
    ("Tisanes bio", True), ("Travel and tourism", False), ("Tech and software", False),
    ("Other (no benchmark)", False), ("", False), ("The tourism office", False)])
def test_the_sector_says_whether_a_brand_is_food_drink_or_health(sector: str,
                                                                 food: bool) -> None:
    assert is_food_health(sector) is food


def test_teen_ads_rule_only_with_minors_and_ads() -> None:
    assert "no-personalised-ads-to-teens" not in rules(ages=["25-34"], daily_budget=60)
    assert "no-personalised-ads-to-teens" not in rules(ages=["13-17"], daily_budget=0)
    assert "no-personalised-ads-to-teens" in rules(ages=["13-17"], daily_budget=60)


@pytest.mark.parametrize("changes", [
    dict(creators=["@drome_adventures"]),
    dict(ad_formats=["Spark Ads"], daily_budget=60),
    dict(challenges=["Our challenge: day 1 teaser, day 3 creators join, day 6 boost"]),
    dict(challenges=["Notre défi : des créatrices locales relaient le hashtag"]),
])
def test_creators_rules_when_the_plan_brings_creators_in(changes: dict) -> None:
    assert CREATORS <= rules(**changes)
    assert "creators" in plan_cases(good(**changes))


def test_no_creators_rules_without_creators() -> None:
    assert not rules(ad_formats=["In-feed ads"], daily_budget=60) & CREATORS


def test_image_rights_rule_says_in_writing_so_you_can_prove_it() -> None:
    for language, words in (("en", "in writing so you can prove it"),
                            ("fr", "par écrit pour pouvoir le prouver")):
        note = next(n for n in notes_for(good(), language) if n.id == "people-on-screen-consent")
        assert words in note.rule


# ------------------------------------------------------------ the checklist


@pytest.mark.parametrize("measures", [["purchases"], ["cost_per_purchase"], ["roas"]])
def test_measuring_purchases_without_a_shop_page_blocks(measures: list[str]) -> None:
    check = validate_strategy(good(goal="sales", landing_page="", measures=measures))
    assert [f.code for f in check.blocking] == ["purchases_no_page"]
    assert "no_landing_page" not in check.codes()
    assert "TikTok Pixel" in check.blocking[0].message
    fr = validate_strategy(good(goal="sales", landing_page="", measures=measures),
                           language="fr")
    assert "pixel TikTok" in fr.blocking[0].message and "\u00a0:" in fr.blocking[0].message
    assert validate_strategy(good(goal="sales", landing_page="https://shop.example/box",
                                  measures=measures)).ok


def test_a_rhythm_other_than_lesson_05s_is_advised() -> None:
    earlier = [{"key": "rhythm", "text": "2 videos a week; themes: tips; formats: tutorial"}]
    check = validate_strategy(good(posts_per_week=3, earlier=earlier))
    assert "rhythm_differs" in check.codes()
    message = next(f.message for f in check.advice if f.code == "rhythm_differs")
    assert "2 videos" in message and "3" in message
    assert "rhythm_differs" not in validate_strategy(good(posts_per_week=2,
                                                          earlier=earlier)).codes()


def test_a_challenge_with_creators_but_none_named_is_advised() -> None:
    challenge = ["Day 1 teaser, day 3 creators join, day 6 boost"]
    assert "challenge_no_creators" in validate_strategy(good(challenges=challenge)).codes()
    assert "challenge_no_creators" not in validate_strategy(
        good(challenges=challenge, creators=["@drome_adventures"])).codes()


def test_a_challenge_of_our_own_advises_joining_trends_first() -> None:
    check = validate_strategy(good(challenges=["Our own free hashtag challenge (lesson 06)"]))
    message = next(f.message for f in check.advice if f.code == "own_challenge")
    assert "existing trends" in message and "first month" in message
    assert "own_challenge" not in validate_strategy(
        good(challenges=["The #teatime trend"])).codes()


def test_ideas_per_theme_follow_the_rhythm() -> None:
    # 3 videos a week over four weeks, two themes: about 6 ideas each
    check = validate_strategy(good(posts_per_week=3, pillars=["Tips", "Farm"],
                                   ideas_1=["a", "b"], ideas_3=[]))
    message = next(f.message for f in check.advice if f.code == "few_ideas")
    assert "about 6" in message and "at least 3" in message
    # 1 video a week, two themes: 2 ideas each are enough for the month
    assert "few_ideas" not in validate_strategy(good(
        posts_per_week=1, pillars=["Tips", "Farm"], ideas_1=["a", "b"],
        ideas_2=["c", "d"])).codes()
    # no videos planned: one idea a theme is still asked for, never "at least 0"
    none = validate_strategy(good(posts_per_week=0, pillars=["Tips"], ideas_1=[]))
    assert "at least 1" in next(f.message for f in none.advice if f.code == "few_ideas")


@pytest.mark.parametrize(("rules_text", "hours", "advised"), [
    ("We answer within 24 hours, never delete criticism.", 48, True),
    ("Nous répondons sous 24 h.", 24, False),
    ("Nous répondons sous 24h.", 48, True),
    ("We answer every question within a day.", 48, True),
    ("Nous répondons à chaque question dans la journée.", 24, False),
    ("We thank and take details in a private message.", 48, False),
])
def test_two_answering_times_are_advised(rules_text: str, hours: int, advised: bool) -> None:
    check = validate_strategy(good(comment_rules=rules_text, comment_hours=hours))
    assert ("hours_differ" in check.codes()) is advised


def test_every_new_message_says_what_to_do_in_both_languages() -> None:
    data = load_strategy_data()
    for key in ("purchases_no_page", "rhythm_differs", "challenge_no_creators",
                "own_challenge", "hours_differ"):
        for language in ("en", "fr"):
            text = data.text("messages", key, language, planned=2, count=3, said=24, hours=48)
            assert ":" in text and text.endswith(".")
        assert " :" not in data.text("messages", key, "fr", planned=2, count=3, said=24,
                                     hours=48)


# ------------------------------------------------------------ dates


@pytest.mark.parametrize(("text", "expected"), [
    ("2027-03-01", dt.date(2027, 3, 1)), ("01/03/2027", dt.date(2027, 3, 1)),
    ("1/3/2027", dt.date(2027, 3, 1)), ("31.03.2027", dt.date(2027, 3, 31)),
    (" 31/03/2027 ", dt.date(2027, 3, 31)),
    ("03/31/2027", None), ("31/02/2027", None), ("next monday", None), ("", None)])
def test_french_and_iso_dates_are_read(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_a_french_date_does_not_block_and_the_message_names_both_forms() -> None:
    dated = good(daily_budget=60, start="01/03/2027", end="31/03/2027")
    assert validate_strategy(dated).ok
    bad = validate_strategy(good(daily_budget=60, start="March 1st", end="31/03/2027"),
                            language="fr")
    assert "La date de début" in bad.blocking[0].message
    assert "31/03/2027" in bad.blocking[0].message


# ------------------------------------------------------------ the first draft

TOURISM = {"opportunity": {"brand": "Office de tourisme du Diois", "tone": "some",
                           "sector": "travel", "goals": ["awareness"], "bands": ["25-34"]},
           "ads": {"objective": "reach", "budget": {"daily": 20, "days": 30}}}


def test_the_first_draft_ticks_only_measures_that_need_no_ads() -> None:
    data = load_strategy_data()
    draft = prefill_from(TOURISM, language="en")
    assert draft.goal == "awareness" and draft.measures
    assert not set(draft.measures) & set(data.measures.paid_only)
    assert {"frequency", "cost_per_view", "cost_per_1000_reached"} <= set(
        data.measures.paid_only)


def test_the_first_draft_tone_is_a_tone_and_its_tests_name_no_measure_that_may_change() -> None:
    for language, tone, current in (
            ("en", "Warm; humour and trends sometimes", "our current opening"),
            ("fr", "Chaleureux\u00a0; humour et tendances parfois", "notre accroche actuelle")):
        draft = prefill_from(TOURISM, language=language)
        # (a saved text keeps plain spaces: the store tidies U+00A0)
        assert draft.tone.replace("\u00a0", " ").startswith(tone.replace("\u00a0", " "))
        assert "?" not in draft.tone
        assert current in draft.test_1_rule and "01" not in draft.test_1_rule
        names = load_strategy_data().measures.names
        for text in (draft.test_2_hypothesis, draft.test_2_measure, draft.test_2_rule):
            assert not any(names[m][language] in text for m in names)


def test_a_lesson_06_budget_in_dollars_is_rounded_up_and_said() -> None:
    draft = prefill_from(TOURISM, language="en")
    assert isinstance(draft.daily_budget, int) and draft.daily_budget > 17
    ads = dict(draft.earlier)["ads"]
    assert "$20" in ads and f"€{draft.daily_budget}" in ads.replace(" ", "")
    assert "ECB" in ads and "rounded up" in ads


def test_a_typed_tone_is_kept_as_typed() -> None:
    assert Strategy.from_dict(GOOD).tone == "Warm"
