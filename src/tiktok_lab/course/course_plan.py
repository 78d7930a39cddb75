"""The plan of the course (minutes per lesson), as the start notebook charts it.

Minutes come from the lesson metadata only, so the chart, the path table and
the workshop schedule can never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiktok_lab import __version__
from tiktok_lab.core.charts import finish_chart
from tiktok_lab.core.i18n import t
from tiktok_lab.course.syllabus import Lesson, load_lessons

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd


def path_minutes(lessons: list[Lesson] | None = None) -> "pd.DataFrame":
    """Long table: one row per lesson and part (teaching, exercises), with minutes."""
    import pandas as pd

    rows = []
    for lesson in lessons if lessons is not None else load_lessons():
        label = f"{lesson.number:02d} {lesson.title}"
        for order, (part, minutes) in enumerate(
            ((t("path.part.teaching"), lesson.teaching_minutes),
             (t("path.part.exercises"), lesson.exercise_minutes))
        ):
            rows.append({"lesson": label, "number": lesson.number, "part": part,
                         "order": order, "minutes": minutes})
    return pd.DataFrame(rows)


def make_path_chart(lessons: list[Lesson] | None = None) -> "alt.Chart":
    """Horizontal stacked bars: minutes of teaching and exercises per lesson."""
    import altair as alt

    data = path_minutes(lessons)
    total = int(data["minutes"].sum())
    lesson_order = list(dict.fromkeys(data.sort_values("number")["lesson"]))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("sum(minutes):Q", title=t("path.chart.x")),
        y=alt.Y("lesson:N", sort=lesson_order, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("part:N", title=None, sort=list(dict.fromkeys(data["part"])),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("lesson:N", title=t("path.col.lesson")),
                 alt.Tooltip("part:N", title=t("path.chart.part")),
                 alt.Tooltip("minutes:Q", title=t("path.chart.x"))],
    )
    longest = data.groupby("lesson")["minutes"].sum().idxmax()
    return finish_chart(
        chart,
        title=t("path.chart.title", minutes=total),
        caption=t("path.chart.caption", version=__version__),
        description=t("path.chart.description", count=len(lesson_order), minutes=total,
                      longest=longest),
    )
