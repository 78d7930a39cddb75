"""The progress report of lesson 00: per lesson, what the course plans and what the learner did.

Read from the ``progress`` document (:mod:`tiktok_lab.course.progress_log`, which the
exercises and quizzes write through) and the course data (exercises, quizzes, syllabus).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiktok_lab.course.exercises import exercise_lesson_ids, main_path
from tiktok_lab.course.progress_log import lesson_status, read_progress
from tiktok_lab.course.quizzes import load_quiz, quiz_files
from tiktok_lab.course.syllabus import load_lessons

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd


def planned_items(lesson_id: str) -> tuple[int, int]:
    """(exercises, quiz questions) the course data plans for a lesson: the main path's
    exercises only, the optional data corner does not count against anyone."""
    exercises = len(main_path(lesson_id)) if lesson_id in exercise_lesson_ids() else 0
    has_quiz = any(path.name == f"{lesson_id}.yaml" for path in quiz_files())
    questions = len(load_quiz(lesson_id).questions) if has_quiz else 0
    return exercises, questions


def progress_rows() -> list[dict[str, Any]]:
    """Per lesson, in course order: what is planned and what the learner has done.

    Only exercises and questions that still exist in the course data count, so
    a renamed exercise cannot push a score above 100 %.
    """
    saved = read_progress().lessons
    rows = []
    for lesson in load_lessons():
        counted = ({e.id for e in main_path(lesson.id)}
                   if lesson.id in exercise_lesson_ids() else set())
        status = lesson_status(saved.get(lesson.id), counted)
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

    from tiktok_lab.core.i18n import t

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

    from tiktok_lab.core.charts import LIGHT_GREY, PALETTE, finish_chart
    from tiktok_lab.core.i18n import format_date, t

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
