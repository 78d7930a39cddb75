"""What a learner has done, lesson by lesson, kept in the store's ``progress``.

The document is ``{"lessons": {lesson_id: {...}}}`` where each lesson may hold
``opened_at``/``last_opened_at``, ``exercises`` ({exercise_id: {"verdict",
"attempts", "hints", "solution_seen", "at"}}) and ``quiz`` ({question_id:
{"correct", "attempts", "at"}}). Everything stays on the learner's machine:
there is no tracking anywhere else.

A solved exercise stays solved: a later wrong try (a learner experimenting)
is counted as an attempt but does not take the success away.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

from tiktok_lab.store import get_store

if TYPE_CHECKING:
    import pandas as pd

PROGRESS = "progress"


def _lessons(document: dict[str, Any]) -> dict[str, Any]:
    lessons = document.get("lessons")
    return lessons if isinstance(lessons, dict) else {}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _change_lesson(lesson_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to a copy of one lesson's entry and save the document."""

    def update(document: dict[str, Any]) -> dict[str, Any]:
        lessons = _lessons(document)
        entry = lessons.get(lesson_id)
        entry = dict(entry) if isinstance(entry, dict) else {}
        change(entry)
        return {**document, "lessons": {**lessons, lesson_id: entry}}

    get_store().update(PROGRESS, update)


def _item(entry: dict[str, Any], section: str, item_id: str) -> dict[str, Any]:
    """The (copied) record of one exercise or question inside a lesson entry."""
    items = entry.get(section)
    items = dict(items) if isinstance(items, dict) else {}
    record = items.get(item_id)
    record = dict(record) if isinstance(record, dict) else {}
    items[item_id] = record
    entry[section] = items
    return record


def record_visit(lesson_id: str) -> None:
    """Remember that a lesson was opened (the first time is kept)."""
    now = _now()

    def change(entry: dict[str, Any]) -> None:
        entry.setdefault("opened_at", now)
        entry["last_opened_at"] = now

    _change_lesson(lesson_id, change)


def record_check(lesson_id: str, exercise_id: str, verdict: str) -> None:
    """One ``check()``: verdict is "not_attempted", "not_yet", "correct" or "recorded"."""

    def change(entry: dict[str, Any]) -> None:
        record = _item(entry, "exercises", exercise_id)
        record["attempts"] = int(record.get("attempts", 0) or 0) + 1
        if record.get("verdict") not in ("correct", "recorded") or verdict in ("correct", "recorded"):
            record["verdict"] = verdict
        record["at"] = _now()

    _change_lesson(lesson_id, change)


def record_hint(lesson_id: str, exercise_id: str, shown: int) -> None:
    """How many hints of an exercise the learner has seen (never decreases)."""

    def change(entry: dict[str, Any]) -> None:
        record = _item(entry, "exercises", exercise_id)
        record["hints"] = max(int(record.get("hints", 0) or 0), shown)

    _change_lesson(lesson_id, change)


def record_solution(lesson_id: str, exercise_id: str) -> None:
    """The learner looked at the reference answer."""
    _change_lesson(lesson_id, lambda entry: _item(entry, "exercises", exercise_id).update(
        solution_seen=True))


def record_answer(lesson_id: str, exercise_id: str, answer: str) -> None:
    """Keep a free-text (reflection) answer, so it can go into the strategy later."""
    _change_lesson(lesson_id, lambda entry: _item(entry, "exercises", exercise_id).update(
        answer=answer))


def record_quiz(lesson_id: str, question_id: str, correct: bool) -> None:
    """One quiz answer; like exercises, a right answer is kept once given."""

    def change(entry: dict[str, Any]) -> None:
        record = _item(entry, "quiz", question_id)
        record["attempts"] = int(record.get("attempts", 0) or 0) + 1
        record["correct"] = bool(record.get("correct")) or bool(correct)
        record["at"] = _now()

    _change_lesson(lesson_id, change)


def lesson_record(lesson_id: str) -> dict[str, Any]:
    """What the store holds for one lesson (a copy; empty when nothing yet)."""
    entry = _lessons(get_store().read(PROGRESS)).get(lesson_id)
    return dict(entry) if isinstance(entry, dict) else {}


def lesson_status(entry: Any) -> dict[str, Any]:
    """Counts for one lesson entry, tolerant of anything a hand-edited file holds."""
    entry = entry if isinstance(entry, dict) else {}
    exercises = entry.get("exercises") if isinstance(entry.get("exercises"), dict) else {}
    quiz = entry.get("quiz") if isinstance(entry.get("quiz"), dict) else {}
    solved = sum(1 for e in exercises.values()
                 if isinstance(e, dict) and e.get("verdict") in ("correct", "recorded"))
    right = sum(1 for q in quiz.values() if isinstance(q, dict) and q.get("correct") is True)
    return {
        "opened": bool(entry.get("opened_at")),
        "exercises_solved": solved,
        "quiz_right": right,
        "quiz_answered": len(quiz),
    }


def progress_table(language: str | None = None) -> "pd.DataFrame":
    """One row per lesson: planned minutes, whether it was opened, what was solved."""
    import pandas as pd

    from tiktok_lab.i18n import t
    from tiktok_lab.lessons import load_lessons

    lessons = _lessons(get_store().read(PROGRESS))
    rows = []
    for lesson in load_lessons():
        status = lesson_status(lessons.get(lesson.id))
        rows.append({
            t("progress.col.lesson", language=language): f"{lesson.number:02d} {lesson.title}",
            t("progress.col.minutes", language=language): lesson.minutes,
            t("progress.col.status", language=language): t(
                "progress.opened" if status["opened"] else "progress.not_started", language=language
            ),
            t("progress.col.exercises", language=language): status["exercises_solved"],
            t("progress.col.quiz", language=language): (
                f"{status['quiz_right']}/{status['quiz_answered']}" if status["quiz_answered"] else "–"
            ),
        })
    return pd.DataFrame(rows)
