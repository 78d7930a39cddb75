"""Decision exercises: the rows the loader refuses, the card, and what progress keeps.

The course's own decisions are proven option by option in ``test_exercise_data.py``;
here the rules are shown on small files, and the card on the course's lesson 05.
"""

from __future__ import annotations

import copy
import html

import ipywidgets as widgets
import pytest

import tiktok_lab as tl
from exercise_rows import LESSON, both, refused, write_file
from save_faults import FAULTS, saves_refused
from tiktok_lab.core.i18n import localized
from tiktok_lab.core.nature import nature_label
from tiktok_lab.course import progress_log
from tiktok_lab.course.decisions import Decision
from tiktok_lab.course.exercises import (code_exercises, is_data_corner, load_exercise,
                                         load_exercise_rows)
from tiktok_lab.course.progress_report import progress_rows
from tiktok_lab.ui.decision import DecisionCard

ID = "hostile-comment"

pytestmark = pytest.mark.usefixtures("fresh_learner")



def option(option_id: str, verdict: str) -> dict:
    return {"id": option_id, "verdict": verdict, "text": both(f"Option {option_id}."),
            "feedback": both(f"Why {option_id} is {verdict}.")}


GOOD = {
    "id": "pick-a-reply",
    "kind": "decision",
    "brief": both("A tea brand, an angry comment, two people to answer it."),
    "question": both("Which reply do you post?"),
    "options": [option("apologise", "strongest"), option("ask-details", "acceptable"),
                option("argue", "weaker"), option("delete", "weaker")],
    "hint": both("Think of everyone who reads the comments."),
}




def course_decision() -> Decision:
    decision = load_exercise(LESSON, ID)
    assert isinstance(decision, Decision)
    return decision


# --------------------------------------------------------------------------
# The schema.


def test_a_good_row_loads_beside_the_code_exercises(tmp_path) -> None:
    folder = write_file(tmp_path / "exercises", [GOOD])
    (row,) = load_exercise_rows(LESSON, folder)
    assert row.kind == "decision" and row.strongest.id == "apologise"
    assert load_exercise(LESSON, "pick-a-reply", folder).kind == "decision"
    assert code_exercises(LESSON, folder) == []


def test_two_strongest_options_are_refused(tmp_path) -> None:
    row = copy.deepcopy(GOOD)
    row["options"][1]["verdict"] = "strongest"
    error = refused(tmp_path, row)
    assert error.field == "options"
    assert "exactly one option with verdict: strongest (found 2: apologise, ask-details)" in str(error)


def test_no_strongest_option_is_refused(tmp_path) -> None:
    row = copy.deepcopy(GOOD)
    row["options"][0]["verdict"] = "acceptable"
    assert "found 0: none" in str(refused(tmp_path, row))


def test_feedback_without_its_french_is_refused(tmp_path) -> None:
    row = copy.deepcopy(GOOD)
    row["options"][2]["feedback"] = {"en": "Arguing feeds the fight."}
    error = refused(tmp_path, row)
    assert error.field == "options"
    assert 'field "options" (item 3): has no "fr:" text' in str(error)


def test_feedback_in_one_language_only_is_refused(tmp_path) -> None:
    row = copy.deepcopy(GOOD)
    row["options"][0]["feedback"] = "Apologise first."
    assert "is in one language only" in str(refused(tmp_path, row))


@pytest.mark.parametrize("changes, words", [
    ({"options": [option("a", "strongest"), option("b", "weaker")]}, "at least 3 items"),
    ({"options": [option(x, "strongest" if x == "a" else "weaker") for x in "abcde"]},
     "at most 4 items"),
    ({"options": [option("a", "strongest"), option("b", "weaker"), option("b", "acceptable")]},
     'option id "b" twice'),
    ({"options": [option("a", "strongest"), option("b", "weaker"), option("c", "best")]},
     "strongest"),
    ({"hint": both("Choose apologise.")}, "quotes the strongest option"),
    ({"hint": both("Think of the room.", "Option apologise, bien sûr.")}, "hint (fr)"),
    ({"hint": None}, "hint"),
    ({"variable": "reply"}, "variable"),
])
def test_bad_decision_rows_are_refused_with_the_field(tmp_path, changes, words) -> None:
    row = {**copy.deepcopy(GOOD), **changes}
    row = {key: value for key, value in row.items() if value is not None}
    assert words in str(refused(tmp_path, row))


def test_a_hint_that_quotes_five_words_of_the_strongest_option_is_refused(tmp_path) -> None:
    row = copy.deepcopy(GOOD)
    row["options"][0]["text"] = both("Apologise in public, then move to private messages.")
    row["hint"] = both("Maybe: apologise in PUBLIC, then move to... well?")
    assert "quotes the strongest option" in str(refused(tmp_path, row))
    row["hint"] = both("Who else reads a public reply?")
    assert load_exercise_rows(LESSON, write_file(tmp_path / "ok", [row]))


# --------------------------------------------------------------------------
# The card.


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_card_gives_each_options_own_feedback(language) -> None:
    decision = course_decision()
    card = DecisionCard(decision, language=language)
    shown = html.unescape(card.widget.children[0].value)
    assert decision.brief(language) in shown and decision.question(language) in shown
    assert nature_label("rule_of_thumb", language) in shown
    assert [label for label, _ in card.options.options] == [
        localized(option.text, language=language) for option in decision.options]
    assert card.options.value is None
    for option in decision.options:
        result = card.choose(option.id)
        feedback = html.unescape(card.feedback.value)
        assert localized(option.feedback, language=language) in feedback
        assert result.strength == option.verdict
        strongest = option.verdict == "strongest"
        assert result.status == ("correct" if strongest else "not_yet")
        nudge = {"strongest": "decision.why_strongest", "acceptable": "decision.try_stronger",
                 "weaker": "decision.try_again"}[option.verdict]
        assert result.next_step == tl_t(nudge, language) and result.next_step in feedback
        assert nature_label("rule_of_thumb", language) in feedback


def tl_t(key: str, language: str) -> str:
    from tiktok_lab.core.i18n import t

    return t(key, language=language)


def test_french_feedback_follows_french_typography() -> None:
    decision = course_decision()
    for option in decision.options:
        for text in (option.text["fr"], option.feedback["fr"]):
            assert " :" not in text and " ?" not in text and " !" not in text and "« " not in text


def test_check_without_a_choice_asks_for_one_and_records_nothing() -> None:
    card = DecisionCard(course_decision())
    card.widget
    card.check_button.click()
    assert card.result.status == "not_attempted"
    assert "Choose one of the options first" in card.feedback.value
    assert ID not in progress_log.lesson_entry(LESSON).exercises


def test_choosing_saves_progress_and_a_rerun_restores_it() -> None:
    decision = course_decision()
    weaker = next(o for o in decision.options if o.verdict == "weaker")
    card = tl.exercise(LESSON, ID, show=False)
    assert isinstance(card, DecisionCard)
    card.widget
    card.options.value = weaker.id
    card.check_button.click()
    record = progress_log.lesson_entry(LESSON).exercises[ID]
    assert (record.verdict, record.answer, record.attempts) == ("not_yet", weaker.id, 1)

    card.choose(decision.strongest.id)
    again = tl.exercise(LESSON, ID, show=False)  # the cell run again, or after a restart
    again.widget
    assert again.options.value == decision.strongest.id
    assert localized(decision.strongest.feedback) in html.unescape(again.feedback.value)
    assert progress_log.lesson_entry(LESSON).exercises[ID].attempts == 2  # showing is not a try

    again.choose(weaker.id)  # a later weaker try keeps the exercise solved
    record = progress_log.lesson_entry(LESSON).exercises[ID]
    assert (record.verdict, record.answer) == ("correct", weaker.id)
    third = DecisionCard(decision)
    third.widget
    assert third.options.value == weaker.id
    assert "already found the strongest option" in third.feedback.value


def test_progress_reports_count_a_decision_like_any_exercise() -> None:
    def lesson_row() -> dict:
        return next(row for row in progress_rows() if row["lesson"].id == LESSON)

    planned = lesson_row()["exercises"]
    # the main path: the optional data corner is not planned
    assert planned == len([row for row in load_exercise_rows(LESSON) if not is_data_corner(row)])
    assert lesson_row()["solved"] == 0
    decision = course_decision()
    decision.choose(decision.strongest.id)
    assert lesson_row()["solved"] == 1


@pytest.mark.parametrize("saved", ["no-such-option", 42, ["apologise"], {"x": 1}, None])
def test_a_damaged_saved_choice_is_no_choice(saved) -> None:
    progress_log.get_store().write("progress", {"lessons": {LESSON: {"exercises": {
        ID: {"verdict": "not_yet", "answer": saved, "attempts": 1}}}}})
    card = DecisionCard(course_decision())
    card.widget
    assert card.options.value is None and card.feedback.value == ""


def test_the_hint_is_shown_and_counted_and_never_the_answer() -> None:
    decision = course_decision()
    card = DecisionCard(decision)
    text = card.hint()
    assert text == decision.hint() and text in html.unescape(card.hint_area.value)
    assert localized(decision.strongest.text) not in text
    assert progress_log.lesson_entry(LESSON).exercises[ID].hints == 1


@pytest.mark.parametrize("fault", FAULTS)
def test_a_choice_that_cannot_be_saved_still_gets_its_feedback_and_says_why_once(fault) -> None:
    decision = course_decision()
    card = DecisionCard(decision)
    with saves_refused(fault):
        first = card.choose(decision.strongest.id)
        second = card.choose(decision.options[0].id)
    assert first.feedback and second.feedback
    assert first.notice and not second.notice
    assert first.notice in html.unescape(card.feedback.value) or second.notice == ""


def test_the_card_is_keyboard_operable_with_named_controls() -> None:
    """Native radio buttons and buttons, as in the quiz: Tab, arrows, Enter and Space work,
    and each control has a name a screen reader reads."""
    card = DecisionCard(course_decision())
    card.widget
    assert isinstance(card.options, widgets.RadioButtons) and card.options.description
    for button in (card.check_button, card.hint_button):
        assert isinstance(button, widgets.Button) and button.description and button.tooltip
    assert 'role="status"' in card.choose(course_decision().strongest.id)._repr_html_()


def test_the_lesson_cell_shows_the_card(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **_: shown.append(obj))
    monkeypatch.setattr("IPython.get_ipython", lambda: object())
    card = tl.exercise(LESSON, ID)
    assert shown == [card] and "decision" in repr(card)
    assert "application/vnd.jupyter.widget-view+json" in card._repr_mimebundle_()
