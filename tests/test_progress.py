"""Progress records: what a learner did, kept honestly and never lost."""

from __future__ import annotations

import pytest

from tiktok_lab import progress_log
from tiktok_lab.store import get_store


pytestmark = pytest.mark.usefixtures("fresh_learner")


def test_a_solved_exercise_stays_solved_after_a_later_wrong_try() -> None:
    progress_log.record_check("01_platform", "lengths", "not_yet")
    progress_log.record_check("01_platform", "lengths", "correct")
    progress_log.record_check("01_platform", "lengths", "not_yet")
    record = progress_log.lesson_record("01_platform")["exercises"]["lengths"]
    assert record["verdict"] == "correct" and record["attempts"] == 3


def test_hints_count_up_and_solution_is_flagged() -> None:
    progress_log.record_hint("01_platform", "lengths", 2)
    progress_log.record_hint("01_platform", "lengths", 1)
    progress_log.record_solution("01_platform", "lengths")
    record = progress_log.lesson_record("01_platform")["exercises"]["lengths"]
    assert record["hints"] == 2 and record["solution_seen"] is True


def test_quiz_right_answer_is_kept_and_attempts_counted() -> None:
    progress_log.record_quiz("00_start_here", "q1", False)
    progress_log.record_quiz("00_start_here", "q1", True)
    progress_log.record_quiz("00_start_here", "q1", False)
    record = progress_log.lesson_record("00_start_here")["quiz"]["q1"]
    assert record == {**record, "correct": True, "attempts": 3}


def test_records_of_other_lessons_are_untouched() -> None:
    progress_log.record_visit("00_start_here")
    progress_log.record_check("01_platform", "lengths", "correct")
    lessons = get_store().read("progress")["lessons"]
    assert set(lessons) == {"00_start_here", "01_platform"}
    assert "opened_at" in lessons["00_start_here"]


def test_a_hand_edited_progress_file_with_odd_shapes_does_not_crash() -> None:
    get_store().write("progress", {"lessons": {"01_platform": {"exercises": ["not", "a", "dict"],
                                                               "quiz": {"q1": "yes"}}}})
    progress_log.record_check("01_platform", "lengths", "correct")
    progress_log.record_quiz("01_platform", "q1", True)
    status = progress_log.lesson_status(progress_log.lesson_record("01_platform"))
    assert status["exercises_solved"] == 1 and status["quiz_right"] == 1


def test_reflection_answer_is_kept_as_text() -> None:
    progress_log.record_answer("05_tips", "why", "<b>Because</b> 🎬")
    assert progress_log.lesson_record("05_tips")["exercises"]["why"]["answer"] == "<b>Because</b> 🎬"
