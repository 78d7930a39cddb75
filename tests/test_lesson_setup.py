"""The set-up cell of every lesson (``tl.start_lesson``), the set-up check of lesson 00,
and every exercise and quiz of the course, when the learner's work cannot be saved
(issue 14, item 7).

A read-only or full ``my_work/``, or a lock file left unwritable by a ``sudo`` run,
made the set-up cell raise. It must still prepare the lesson, and say once, in plain
words, that work cannot be saved and where to look.
"""

from __future__ import annotations

import html
import re

import pytest

from save_faults import FAULTS, saves_refused
from strategies import assert_plain
from tiktok_lab.course.exercises import code_exercises, exercise_lesson_ids, load_exercises
from tiktok_lab.course.quizzes import quiz_files
from tiktok_lab.work.store import get_store
from tiktok_lab.ui import start
from tiktok_lab.ui.quiz import quiz

pytestmark = pytest.mark.usefixtures("fresh_learner")


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup.split("<script", 1)[0]))


@pytest.mark.parametrize("fault", FAULTS)
def test_the_set_up_cell_prepares_the_lesson_and_says_work_cannot_be_saved(fault) -> None:
    with saves_refused(fault):
        first = start.start_lesson("01_platform").data
        again = start.start_lesson("01_platform").data
    text = _text(first)
    assert "Ready: lesson 01" in text and "could not be saved" in text
    assert "cannot be saved for now" in text and "saved in the" not in text
    assert text.count("could not be saved") == 1, "one notice, even when the store noticed too"
    assert str(get_store().home) in text or fault == "busy"
    assert_plain(text)
    assert "Ready: lesson 01" in again and "could not be saved" not in again, "told once"
    assert "cannot be saved for now" in again, "the status stays honest"
    working = start.start_lesson("01_platform").data
    assert "Your work is saved in the" in working and "could not be saved" not in working


def test_the_set_up_cell_speaks_french_when_work_cannot_be_saved(monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    with saves_refused("full"):
        text = _text(start.start_lesson("02_figures").data)
    assert "Prêt\u00a0: leçon 02" in text and "le disque est plein" in text
    assert "ne peut pas être enregistré pour l'instant" in text


@pytest.mark.parametrize("fault", ["read_only", "lock_unwritable"])
def test_the_set_up_check_reports_instead_of_raising(fault) -> None:
    with saves_refused(fault):
        markup = start.check_setup().data
    assert "Saving your work" in markup and "Something needs fixing" in markup
    assert "Traceback" not in markup


# --------------------------------------------------------------------------
# Beyond the examples: every exercise and quiz question of the course, each way a save
# can be refused.

COURSE_EXERCISES = [e for lesson in exercise_lesson_ids() for e in code_exercises(lesson)]
COURSE_DECISIONS = [e for lesson in exercise_lesson_ids() for e in load_exercises(lesson)
                    if e.kind == "decision"]
COURSE_OPEN_ANSWERS = [e for lesson in exercise_lesson_ids() for e in load_exercises(lesson)
                       if e.kind == "open"]
QUIZ_LESSONS = [path.name.removesuffix(".yaml") for path in quiz_files()]


@pytest.mark.parametrize("fault", FAULTS)
def test_every_course_exercise_and_question_answers_when_work_cannot_be_saved(fault) -> None:
    told = []
    with saves_refused(fault):
        for exercise in COURSE_EXERCISES:
            shown = [exercise.check(namespace={exercise.variable: "Sell more croissants"}),
                     exercise.hint(), exercise.show_solution()]
            told += [item.notice for item in shown if item.notice]
            assert shown[0].status in ("not_yet", "recorded", "correct", "not_attempted")
            for item in shown:
                item._repr_html_().encode("utf-8")
        for decision in COURSE_DECISIONS:
            for option in decision.options:
                result = decision.choose(option.id)
                assert result.status in ("correct", "not_yet") and result.feedback
                result._repr_html_().encode("utf-8")
                told += [result.notice] if result.notice else []
            _, notice = decision.take_hint()
            told += [notice] if notice else []
        for item in COURSE_OPEN_ANSWERS:
            for text in ("", "Sell more croissants", "Sell more croissants " * 20):
                result = item.submit(text)
                assert result.status in ("not_attempted", "not_yet", "correct")
                result._repr_html_().encode("utf-8")
                told += [result.notice] if result.notice else []
            _, notice = item.take_hint()
            told += [notice] if notice else []
        for lesson in QUIZ_LESSONS:
            app = quiz(lesson)
            for card in app.cards:
                if card.question.type == "numeric":
                    card.control.value = "12"
                elif card.question.type == "many_choice":
                    card.checkboxes[0].value = True
                else:
                    card.control.value = card.order[0]
                result = card.on_check()
                assert result.attempted and result.feedback
                told += [result.notice] if result.notice else []
    assert len(told) == 1, "one notice in all, not one per click"
    assert_plain(told[0])
