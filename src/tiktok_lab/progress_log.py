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

from tiktok_lab.store import StoreBusyError, StoreNotice, get_store

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

PROGRESS = "progress"


def _lessons(document: dict[str, Any]) -> dict[str, Any]:
    lessons = document.get("lessons")
    return lessons if isinstance(lessons, dict) else {}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _change_lesson(lesson_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to a copy of one lesson's entry and save the document.

    The store locks the document for the read and the write, so two kernels
    recording at once lose nothing. If another kernel hangs on to the lock,
    the learner's check or answer still shows; only this record is skipped,
    and the next lesson says so (a notice) rather than failing the cell.
    """

    def update(document: dict[str, Any]) -> dict[str, Any]:
        lessons = _lessons(document)
        entry = lessons.get(lesson_id)
        entry = dict(entry) if isinstance(entry, dict) else {}
        change(entry)
        return {**document, "lessons": {**lessons, lesson_id: entry}}

    store = get_store()
    try:
        store.update(PROGRESS, update)
    except StoreBusyError as busy:
        store.notices.append(StoreNotice(PROGRESS, "busy", busy.lock_path))


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


def planned_items(lesson_id: str) -> tuple[int, int]:
    """(exercises, quiz questions) the course data plans for a lesson."""
    from tiktok_lab.exercises import exercise_lesson_ids, load_exercises
    from tiktok_lab.quizzes import load_quiz, quiz_files

    exercises = len(load_exercises(lesson_id)) if lesson_id in exercise_lesson_ids() else 0
    has_quiz = any(path.name == f"{lesson_id}.yaml" for path in quiz_files())
    questions = len(load_quiz(lesson_id).questions) if has_quiz else 0
    return exercises, questions


def progress_rows() -> list[dict[str, Any]]:
    """Per lesson, in course order: what is planned and what the learner has done.

    Only exercises and questions that still exist in the course data count, so
    a renamed exercise cannot push a score above 100 %.
    """
    from tiktok_lab.lessons import load_lessons

    saved = _lessons(get_store().read(PROGRESS))
    rows = []
    for lesson in load_lessons():
        entry = saved.get(lesson.id) if isinstance(saved.get(lesson.id), dict) else {}
        status = lesson_status(entry)
        exercises, questions = planned_items(lesson.id)
        rows.append({
            "lesson": lesson,
            "opened": status["opened"],
            "exercises": exercises,
            "solved": min(status["exercises_solved"], exercises),
            "questions": questions,
            "right": min(status["quiz_right"], questions),
        })
    return rows


def _status_key(row: dict[str, Any]) -> str:
    planned = row["exercises"] + row["questions"]
    if planned and row["solved"] + row["right"] == planned:
        return "progress.done"
    return "progress.opened" if row["opened"] or row["solved"] or row["right"] else "progress.not_started"


def progress_table(language: str | None = None) -> "pd.DataFrame":
    """One row per lesson: minutes planned, status, exercises solved, quiz score."""
    import pandas as pd

    from tiktok_lab.i18n import t

    def col(key: str) -> str:
        return t(f"progress.col.{key}", language=language)

    def share(done: int, planned: int) -> str:
        return f"{done}/{planned}" if planned else "–"

    return pd.DataFrame([
        {
            col("lesson"): f"{row['lesson'].number:02d} {row['lesson'].title}",
            col("minutes"): row["lesson"].minutes,
            col("status"): t(_status_key(row), language=language),
            col("exercises"): share(row["solved"], row["exercises"]),
            col("quiz"): share(row["right"], row["questions"]),
        }
        for row in progress_rows()
    ])


def make_progress_chart(language: str | None = None) -> "alt.Chart":
    """Done and still to do, per lesson that has exercises or quiz questions."""
    from datetime import date

    import altair as alt
    import pandas as pd

    from tiktok_lab.charts import LIGHT_GREY, PALETTE, finish_chart
    from tiktok_lab.i18n import format_date, t

    done_label, todo_label = t("progress.chart.done", language=language), t(
        "progress.chart.todo", language=language)
    records = []
    for row in progress_rows():
        planned = row["exercises"] + row["questions"]
        if not planned:
            continue
        label = f"{row['lesson'].number:02d} {row['lesson'].title}"
        done = row["solved"] + row["right"]
        records += [{"lesson": label, "part": done_label, "order": 0, "items": done},
                    {"lesson": label, "part": todo_label, "order": 1, "items": planned - done}]
    data = pd.DataFrame(records, columns=["lesson", "part", "order", "items"])
    done = int(data.loc[data["part"] == done_label, "items"].sum())
    total = int(data["items"].sum())
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("sum(items):Q", title=t("progress.chart.x", language=language),
                axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("lesson:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("part:N", title=None, sort=[done_label, todo_label],
                        scale=alt.Scale(domain=[done_label, todo_label],
                                        range=[PALETTE[0], LIGHT_GREY]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        # Channel objects, not "lesson:N" strings: Altair 6.3 parses each string through
        # from_dict (docs/performance.md).
        tooltip=[alt.Tooltip("lesson:N"), alt.Tooltip("part:N"), alt.Tooltip("items:Q")],
    )
    return finish_chart(
        chart,
        title=t("progress.chart.title", language=language, done=done, total=total),
        caption=t("progress.chart.caption", language=language,
                  date=format_date(date.today(), language=language)),
        description=t("progress.chart.description", language=language, done=done, total=total,
                      lessons=data["lesson"].nunique()),
    )
