"""A participant works through the start notebook's exercise and quiz with real clicks and keys."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tiktok_lab.exercises import load_exercise, load_exercises
from tiktok_lab.quizzes import answer_order, load_quiz

from . import jupyterlab as lab

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/00_start_here.ipynb"


def _card(page: Any, index: int) -> Any:
    """The exercise card (widget) shown by cell ``index``."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    return cell.locator(".jupyter-widgets").first


def test_exercise_hint_check_and_quiz_update_progress(page: Any,
                                                      jupyterlab_server: lab.LabServer) -> None:
    lab.open_notebook(page, jupyterlab_server, NOTEBOOK)
    lab.wait_kernel_ready(page, NOTEBOOK)
    lab.run_all_and_wait(page, timeout_s=120)

    # Untouched starter: a friendly "not attempted", never a traceback.
    answer = lab.cell_index(page, "feed_minutes = ")
    assert "Not attempted yet" in lab.cell_text(page, answer)

    # The Hint button of the card shows the first hint.
    card_cell = lab.cell_index(page, 'q1 = tl.exercise(')
    card = _card(page, card_cell)
    card.get_by_role("button", name=re.compile("Hint")).click()
    page.wait_for_timeout(700)
    assert re.search(r"Hint 1/\d+", card.inner_text()), card.inner_text()

    # A plausible wrong answer (only the teaching minutes), then the right one.
    exercise = load_exercise("00_start_here", "lesson-03-minutes")
    wrong = lab.run_cell(page, answer, "feed_minutes = 1\nq1.check()")
    assert "Not yet" in wrong and "Traceback" not in wrong
    solved = lab.run_cell(page, answer, exercise.solution.strip() + "\nq1.check()")
    assert "Correct" in solved, solved

    # The quiz's first question, answered with the keyboard: Tab to an option, Space.
    quiz = load_quiz("00_start_here")
    first = quiz.questions[0]
    right = next(i for i, a in enumerate(first.answers) if a.correct)
    position = answer_order("00_start_here", first).index(right)
    question = page.locator(".tiktok-lab-quiz-question").first
    question.locator("input[type=radio]").nth(position).focus()
    page.keyboard.press("Space")
    question.locator(".tiktok-lab-quiz-check button, button.tiktok-lab-quiz-check").first.click()
    page.wait_for_timeout(700)
    feedback = question.locator(".tiktok-lab-quiz-feedback").first.inner_text()
    assert feedback.strip(), "the quiz shows feedback after Check"
    score = page.locator(".tiktok-lab-quiz-score").first.inner_text()
    assert score.startswith("Score: 1 of"), score

    # Re-running the progress cell shows the solved exercise and the right answer.
    progress = lab.run_cell(page, lab.cell_index(page, "tl.progress()"))
    exercises = len(load_exercises("00_start_here"))
    assert re.search(rf"00 Start here\s*\d+\s*opened\s*1/{exercises}\s*1/{len(quiz.questions)}",
                     progress), progress
    assert not lab.collect_problems(page)
    lab.screenshot(page, "00_start_here_after_interactions")
