"""What a learner has done, lesson by lesson, kept in the store's ``progress``.

The document is ``{"lessons": {lesson_id: {...}}}`` where each lesson may hold
``opened_at``/``last_opened_at``, ``exercises`` ({exercise_id: {"verdict",
"attempts", "not_yet", "hints", "solution_seen", "answer", "at"}}) and ``quiz``
({question_id: {"correct", "attempts", "answer", "answer_correct", "first_answer",
"first_correct", "at"}}). It is read
through one typed model (:class:`tiktok_lab.work.saved_documents.ProgressDocument`,
:func:`read_progress`) that repairs what a hand edit or a restored file can carry.
Everything stays on the learner's machine: nothing leaves it unless the learner shares a
quiz or the progress with the trainer (:mod:`tiktok_lab.room.sharing`), and then only
the counts and last answers that item holds.

A solved exercise stays solved: a later wrong try (a learner experimenting)
is counted as an attempt but does not take the success away.

Recording never fails the learner's cell. When the work cannot be saved (a
read-only or full ``my_work/``, a lock file left by a ``sudo`` run, another
kernel holding the document), each ``record_*`` function returns the store's
plain message once, for the caller to show beside its verdict, hint or
feedback; further failures stay quiet until a save works again.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Collection
from typing import Any, Callable

from tiktok_lab.core.cleaning import sendable_text
from tiktok_lab.work.saved_documents import (
    MAX_ATTEMPTS,
    SOLVED,
    LessonEntry,
    ProgressDocument,
)
from tiktok_lab.work.store import StoreBusyError, StoreError, StoreNotice, get_store

PROGRESS = "progress"
# What one answer may store. The course's reflections ask for "one or two
# sentences" (a few hundred characters); 4,000 characters is a full printed
# page, ten times a generous answer, and keeps the progress file small (a check
# rewrites it). A longer answer is still judged, and the learner is told that
# only its beginning is kept (``exercise.recorded_cut``).
MAX_ANSWER_CHARS = 4_000

# Stores whose learner has been told that work cannot be saved (told once, until a
# save works again).
_told_unsaved: set[Path] = set()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def kept_answer(text: str) -> str:
    """What is saved of a learner's free text: valid Unicode, at most ``MAX_ANSWER_CHARS``."""
    return sendable_text(text[:MAX_ANSWER_CHARS + 1])[:MAX_ANSWER_CHARS]


def read_progress() -> ProgressDocument:
    """The saved progress, repaired (the one way this package reads it)."""
    return ProgressDocument.from_saved(get_store().read(PROGRESS))


def _change_lesson(lesson_id: str, change: Callable[[LessonEntry], None]) -> str | None:
    """Apply ``change`` to one lesson's entry and save the document.

    Returns None when saved, else the message to show the learner once. The
    store locks the document for the read and the write, so two kernels
    recording at once lose nothing. If another kernel hangs on to the lock, the
    next lesson also says so (a store notice).
    """

    def update(saved: dict[str, Any]) -> dict[str, Any]:
        document = ProgressDocument.from_saved(saved)
        change(document.lesson(lesson_id))
        return document.to_saved()

    store = get_store()
    try:
        store.update(PROGRESS, update)
    except StoreBusyError as busy:
        if store.home not in _told_unsaved:
            store.notices.append(StoreNotice(PROGRESS, "busy", busy.lock_path))
        return _tell_once(store.home, str(busy))
    except StoreError as error:
        return _tell_once(store.home, str(error))
    _told_unsaved.discard(store.home)
    return None


def cannot_save() -> bool:
    """Whether the last attempt to save progress in this ``my_work/`` was refused."""
    return get_store().home in _told_unsaved


def _tell_once(home: Path, message: str) -> str | None:
    if home in _told_unsaved:
        return None
    _told_unsaved.add(home)
    return message


def _more(count: int | None) -> int:
    return min((count or 0) + 1, MAX_ATTEMPTS)


def record_visit(lesson_id: str) -> str | None:
    """Remember that a lesson was opened (the first time is kept).

    Returns None, or (once) the plain reason the visit could not be saved.
    """
    now = _now()

    def change(entry: LessonEntry) -> None:
        entry.opened_at = entry.opened_at or now
        entry.last_opened_at = now

    return _change_lesson(lesson_id, change)


# Called after each check that was saved. The live room plugs in here (``ui/start`` registers
# ``room.sharing.refresh_progress``): a participant who shares their progress keeps the
# trainer's "stuck" counts current without this layer knowing about sharing.
_after_check: list[Callable[[], None]] = []


def after_each_check(callback: Callable[[], None]) -> None:
    """Run ``callback`` after every saved check (once, however often it is registered)."""
    if callback not in _after_check:
        _after_check.append(callback)


def record_check(lesson_id: str, exercise_id: str, verdict: str,
                 answer: str | None = None) -> str | None:
    """One ``check()``: verdict is "not_attempted", "not_yet", "correct" or "recorded".

    ``answer`` is a reflection's text, saved in the same write (see :func:`kept_answer`).
    Returns None, or (once) the plain reason it could not be saved.
    """
    notice = _record_check(lesson_id, exercise_id, verdict, answer)
    if notice is None and not cannot_save():
        for callback in _after_check:
            callback()  # never raises: refresh_progress reports through its own outcome
    return notice


def _record_check(lesson_id: str, exercise_id: str, verdict: str,
                  answer: str | None) -> str | None:

    def change(entry: LessonEntry) -> None:
        record = entry.exercise(exercise_id)
        record.attempts = _more(record.attempts)
        if not record.solved or verdict in SOLVED:
            record.verdict = verdict
        if verdict == "not_yet":
            record.not_yet = _more(record.not_yet)
        if answer is not None:
            record.answer = kept_answer(answer)
        record.at = _now()

    return _change_lesson(lesson_id, change)


def record_hint(lesson_id: str, exercise_id: str, shown: int) -> str | None:
    """How many hints of an exercise the learner has seen (never decreases)."""

    def change(entry: LessonEntry) -> None:
        record = entry.exercise(exercise_id)
        record.hints = max(record.hints or 0, shown)

    return _change_lesson(lesson_id, change)


def record_solution(lesson_id: str, exercise_id: str) -> str | None:
    """The learner looked at the reference answer."""

    def change(entry: LessonEntry) -> None:
        entry.exercise(exercise_id).solution_seen = True

    return _change_lesson(lesson_id, change)


def record_answer(lesson_id: str, exercise_id: str, answer: str) -> str | None:
    """Keep a free-text (reflection) answer, so it can go into the strategy later."""

    def change(entry: LessonEntry) -> None:
        entry.exercise(exercise_id).answer = kept_answer(answer)

    return _change_lesson(lesson_id, change)


def record_quiz(lesson_id: str, question_id: str, correct: bool,
                answer: list[int] | float | None = None) -> str | None:
    """One quiz answer; like exercises, a right answer is kept once given. ``answer`` (the
    options ticked, by their index in the quiz file, or the number typed) is kept as the
    last answer, and the first time as the first answer, each with whether it was right: a
    shared quiz shows the room's first answers (before any feedback) or its last ones."""

    def change(entry: LessonEntry) -> None:
        record = entry.question(question_id)
        record.attempts = _more(record.attempts)
        record.correct = bool(record.correct) or bool(correct)
        if answer is not None:
            record.answer = answer
            record.answer_correct = bool(correct)
            if record.first_answer is None:
                record.first_answer = answer
                record.first_correct = bool(correct)
        record.at = _now()

    return _change_lesson(lesson_id, change)


def lesson_entry(lesson_id: str) -> LessonEntry:
    """One lesson's saved entry, repaired (empty when nothing yet)."""
    return read_progress().lessons.get(lesson_id) or LessonEntry()


def lesson_status(entry: Any, exercise_ids: Collection[str] | None = None) -> dict[str, Any]:
    """Counts for one lesson entry (a :class:`LessonEntry`, or anything a file holds);
    with ``exercise_ids``, only those exercises count as solved (the main path)."""
    entry = LessonEntry.from_saved(entry)
    return {
        "opened": bool(entry.opened_at),
        "exercises_solved": sum(1 for exercise_id, record in entry.exercises.items()
                                if record.solved
                                and (exercise_ids is None or exercise_id in exercise_ids)),
        "quiz_right": sum(1 for record in entry.quiz.values() if record.correct),
        "quiz_answered": len(entry.quiz),
    }
