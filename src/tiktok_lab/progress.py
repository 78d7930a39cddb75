"""What a learner has done, lesson by lesson, kept in the store's ``progress``.

The document is ``{"lessons": {lesson_id: {...}}}`` where each lesson may hold
``opened_at``, ``exercises`` ({exercise_id: {"verdict": ..., "at": ...}}) and
``quiz`` ({question_id: {"correct": bool, "at": ...}}). Everything stays on the
learner's machine: there is no tracking anywhere else.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from tiktok_lab.store import get_store

if TYPE_CHECKING:
    import pandas as pd

PROGRESS = "progress"


def _lessons(document: dict[str, Any]) -> dict[str, Any]:
    lessons = document.get("lessons")
    return lessons if isinstance(lessons, dict) else {}


def record_visit(lesson_id: str) -> None:
    """Remember that a lesson was opened (the first time is kept)."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def change(document: dict[str, Any]) -> dict[str, Any]:
        lessons = _lessons(document)
        entry = lessons.get(lesson_id)
        entry = dict(entry) if isinstance(entry, dict) else {}
        entry.setdefault("opened_at", now)
        entry["last_opened_at"] = now
        return {**document, "lessons": {**lessons, lesson_id: entry}}

    get_store().update(PROGRESS, change)


def lesson_status(entry: Any) -> dict[str, Any]:
    """Counts for one lesson entry, tolerant of anything a hand-edited file holds."""
    entry = entry if isinstance(entry, dict) else {}
    exercises = entry.get("exercises") if isinstance(entry.get("exercises"), dict) else {}
    quiz = entry.get("quiz") if isinstance(entry.get("quiz"), dict) else {}
    solved = sum(1 for e in exercises.values() if isinstance(e, dict) and e.get("verdict") == "correct")
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
