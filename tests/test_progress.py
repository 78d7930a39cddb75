"""Progress records: what a learner did, kept honestly and never lost."""

from __future__ import annotations

import math

import pytest

from save_faults import FAULTS, needs_permissions, saves_refused
from strategies import assert_plain
from tiktok_lab.course import progress_log, progress_report
from tiktok_lab.work.saved_documents import MAX_ATTEMPTS
from tiktok_lab.work.store import get_store


pytestmark = pytest.mark.usefixtures("fresh_learner")


def test_a_solved_exercise_stays_solved_after_a_later_wrong_try() -> None:
    progress_log.record_check("01_platform", "lengths", "not_yet")
    progress_log.record_check("01_platform", "lengths", "correct")
    progress_log.record_check("01_platform", "lengths", "not_yet")
    record = progress_log.lesson_entry("01_platform").to_saved()["exercises"]["lengths"]
    assert record["verdict"] == "correct" and record["attempts"] == 3


def test_hints_count_up_and_solution_is_flagged() -> None:
    progress_log.record_hint("01_platform", "lengths", 2)
    progress_log.record_hint("01_platform", "lengths", 1)
    progress_log.record_solution("01_platform", "lengths")
    record = progress_log.lesson_entry("01_platform").to_saved()["exercises"]["lengths"]
    assert record["hints"] == 2 and record["solution_seen"] is True


def test_quiz_right_answer_is_kept_and_attempts_counted() -> None:
    progress_log.record_quiz("00_start_here", "q1", False)
    progress_log.record_quiz("00_start_here", "q1", True)
    progress_log.record_quiz("00_start_here", "q1", False)
    record = progress_log.lesson_entry("00_start_here").to_saved()["quiz"]["q1"]
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
    status = progress_log.lesson_status(progress_log.lesson_entry("01_platform").to_saved())
    assert status["exercises_solved"] == 1 and status["quiz_right"] == 1


def test_reflection_answer_is_kept_as_text() -> None:
    progress_log.record_answer("05_tips", "why", "<b>Because</b> 🎬")
    assert progress_log.lesson_entry("05_tips").to_saved()["exercises"]["why"]["answer"] == "<b>Because</b> 🎬"


# --------------------------------------------------------------------------
# Issue 14, item 8: wrong types inside otherwise valid saved data are repaired on read.


def _save_raw(data: dict) -> None:
    """Write ``data`` as the progress document, as a hand edit or a restored zip can."""
    get_store().write("progress", data)


def _exercise_record(lesson: str, exercise: str) -> dict:
    return progress_log.lesson_entry(lesson).to_saved().get("exercises", {}).get(exercise, {})


@pytest.mark.parametrize(("saved", "after_one_more"), [
    ("three", 1), (math.inf, MAX_ATTEMPTS), (-math.inf, 1), (math.nan, 1), ([1], 1), (-5, 1),
    ({"n": 3}, 1), (True, 1), (2.7, 3), (10**30, MAX_ATTEMPTS), (None, 1), ("", 1),
])
def test_attempt_counts_of_any_type_are_repaired_then_counted(saved, after_one_more) -> None:
    """``"attempts": "three"``, ``1e400``, ``NaN`` or ``[1]`` made check() and quiz answers raise."""
    _save_raw({"lessons": {"01_platform": {
        "exercises": {"lengths": {"attempts": saved, "hints": saved, "verdict": "not_yet"}},
        "quiz": {"q1": {"attempts": saved, "correct": False}}}}})
    progress_log.record_check("01_platform", "lengths", "not_yet")
    progress_log.record_hint("01_platform", "lengths", 1)
    progress_log.record_quiz("01_platform", "q1", False)
    record = _exercise_record("01_platform", "lengths")
    assert record["attempts"] == after_one_more and type(record["attempts"]) is int
    assert 1 <= record["hints"] <= 100 and type(record["hints"]) is int
    quiz = progress_log.lesson_entry("01_platform").to_saved()["quiz"]["q1"]
    assert quiz["attempts"] == after_one_more and type(quiz["attempts"]) is int


def test_unknown_verdicts_and_odd_flags_are_dropped_and_known_ones_kept() -> None:
    _save_raw({"lessons": {"01_platform": {
        "opened_at": "yesterday", "last_opened_at": 5,
        "exercises": {"a": {"verdict": 7}, "b": {"verdict": "CORRECT"}, "c": {"verdict": "correct"},
                      "d": "not a record", "e": {"solution_seen": "yes", "answer": ["my", "goal"]}},
        "quiz": {"q1": "yes", "q2": {"correct": "yes"}, "q3": {"correct": True}}}}})
    entry = progress_log.lesson_entry("01_platform").to_saved()
    assert entry["exercises"] == {"a": {}, "b": {}, "c": {"verdict": "correct"},
                                  "e": {"solution_seen": False}}
    assert entry["quiz"] == {"q2": {"correct": False}, "q3": {"correct": True}}
    assert "opened_at" not in entry and "last_opened_at" not in entry
    assert progress_log.lesson_status(entry) == {
        "opened": False, "exercises_solved": 1, "quiz_right": 1, "quiz_answered": 2}
    progress_log.record_check("01_platform", "a", "not_yet")
    assert _exercise_record("01_platform", "a")["verdict"] == "not_yet"


@pytest.mark.parametrize("document", [
    {"lessons": []}, {"lessons": "all of them"}, {"lessons": None}, {"lessons": {"01_platform": []}},
    {"lessons": {"01_platform": {"exercises": [], "quiz": "x"}}},
    {"lessons": {"01_platform": {"exercises": {"lengths": [1]}, "quiz": {"q1": 3}}}},
])
def test_groups_of_the_wrong_shape_read_as_empty(document) -> None:
    _save_raw(document)
    assert progress_log.lesson_status(progress_log.lesson_entry("01_platform").to_saved())[
        "exercises_solved"] == 0
    progress_log.record_visit("01_platform")
    progress_log.record_check("01_platform", "lengths", "correct")
    progress_log.record_quiz("01_platform", "q1", True)
    status = progress_log.lesson_status(progress_log.lesson_entry("01_platform").to_saved())
    assert status == {"opened": True, "exercises_solved": 1, "quiz_right": 1, "quiz_answered": 1}
    assert progress_report.progress_rows()  # the progress table reads it too


def test_fields_of_a_later_release_are_kept_when_saving() -> None:
    _save_raw({"lessons": {"01_platform": {"exercises": {"lengths": {"stars": 3}},
                                           "notes": ["kept"]}},
               "badges": {"streak": 4}})
    progress_log.record_check("01_platform", "lengths", "correct")
    saved = get_store().read("progress")
    assert saved["badges"] == {"streak": 4}
    assert saved["lessons"]["01_platform"]["notes"] == ["kept"]
    assert saved["lessons"]["01_platform"]["exercises"]["lengths"]["stars"] == 3


def test_check_hint_and_solution_work_on_damaged_progress() -> None:
    from tiktok_lab.course.exercises import load_exercise

    exercise = load_exercise("00_start_here", "lesson-03-minutes")
    _save_raw({"lessons": {"00_start_here": {"exercises": {exercise.id: {
        "attempts": "three", "hints": math.nan, "verdict": 7, "solution_seen": "no"}}}}})
    assert exercise.check(namespace={exercise.variable: 1}).status == "not_yet"
    assert exercise.hint().number == 1
    assert exercise.show_solution().code
    assert _exercise_record("00_start_here", exercise.id) | {"at": None} == {
        "attempts": 1, "hints": 1, "verdict": "not_yet", "solution_seen": True, "at": None,
        "not_yet": 1}


# --------------------------------------------------------------------------
# Issue 14, item 7: a save the computer refuses never fails the learner's cell; the
# learner is told once, in plain words, and where to look.


@pytest.mark.parametrize("fault", FAULTS)
def test_a_refused_save_is_told_once_then_again_after_a_save_worked(fault) -> None:
    with saves_refused(fault):
        first = progress_log.record_check("01_platform", "lengths", "correct")
        assert first and "progress" in first and "{" not in first
        assert str(get_store().home) in first or fault == "busy"
        assert_plain(first)
        assert progress_log.record_visit("01_platform") is None  # told already
        assert progress_log.record_quiz("01_platform", "q1", True) is None
    assert progress_log.record_check("01_platform", "lengths", "correct") is None  # saved again
    with saves_refused(fault):
        assert progress_log.record_hint("01_platform", "lengths", 1) == first


def test_every_recording_function_answers_when_saves_are_refused() -> None:
    calls = [lambda: progress_log.record_visit("01_platform"),
             lambda: progress_log.record_check("01_platform", "lengths", "not_yet"),
             lambda: progress_log.record_hint("01_platform", "lengths", 2),
             lambda: progress_log.record_solution("01_platform", "lengths"),
             lambda: progress_log.record_answer("01_platform", "lengths", "A long answer"),
             lambda: progress_log.record_quiz("01_platform", "q1", True)]
    for fault in FAULTS:
        for call in calls:
            with saves_refused(fault):
                told = call()
            assert told is None or "progress" in told
            assert progress_log.record_visit("01_platform") is None  # and saves work again


@needs_permissions
def test_a_really_read_only_folder_is_told_not_raised() -> None:
    home = get_store().home
    progress_log.record_visit("01_platform")
    home.chmod(0o500)
    try:
        told = progress_log.record_check("01_platform", "lengths", "correct")
    finally:
        home.chmod(0o700)
    assert told and str(home) in told


# --------------------------------------------------------------------------
# Issue 14, item 10: what one answer may store is bounded, and always valid text.


def test_a_lone_surrogate_in_an_answer_is_saved_as_a_replacement_character() -> None:
    progress_log.record_answer("05_tips", "why", "my goal \ud800 is clear \ud83d\ude00")
    progress_log.record_check("05_tips", "other", "recorded", "a \udfff b")
    assert _exercise_record("05_tips", "why")["answer"] == "my goal \ufffd is clear 😀"
    assert _exercise_record("05_tips", "other")["answer"] == "a \ufffd b"


def test_an_answer_is_kept_up_to_the_limit() -> None:
    whole = "x" * progress_log.MAX_ANSWER_CHARS
    progress_log.record_answer("05_tips", "why", whole)
    assert _exercise_record("05_tips", "why")["answer"] == whole
    progress_log.record_answer("05_tips", "why", whole + "y" * 10_000_000)
    assert _exercise_record("05_tips", "why")["answer"] == whole
    assert get_store().path("progress").stat().st_size < 3 * progress_log.MAX_ANSWER_CHARS


@needs_permissions
def test_a_lock_file_left_unwritable_by_another_account_is_told_not_raised() -> None:
    """A ``sudo`` run leaves ``.progress.lock`` owned by root: this account cannot open it."""
    progress_log.record_visit("01_platform")
    lock = get_store().home / ".progress.lock"
    lock.chmod(0o444)
    try:
        told = progress_log.record_check("01_platform", "lengths", "correct")
    finally:
        lock.chmod(0o644)
    assert told and str(get_store().home) in told
