"""Lesson 07's reminder of the learner's own goal (``tl.my_goal()``), shown above first-kpi.

Lesson 00 promises that the goal written in its open answer ``my-goal`` comes back in lesson
07: this box shows it, read from the saved progress through the same helper the strategy brief
uses, so the learner writes a KPI that answers it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiktok_lab.core.html import box, esc
from tiktok_lab.core.i18n import t

if TYPE_CHECKING:
    from IPython.display import HTML


def my_goal(*, language: str | None = None) -> "HTML":
    """The goal saved in lesson 00 (``my-goal``), or how to get one when there is none."""
    from IPython.display import HTML

    from tiktok_lab.course.progress_log import read_progress
    from tiktok_lab.lessons.strategy.earlier import answer_text

    try:
        progress = read_progress().to_saved()
    except Exception:  # noqa: BLE001 - unreadable saved work: show the fallback
        progress = {}
    goal = answer_text(progress, "00_start_here", "my-goal", language=language)
    if goal:
        return HTML(box(f"<strong>{esc(t('goal_recall.title', language=language))}</strong> "
                        f"{esc(t('goal_recall.quote', language=language, goal=goal))}", "info"))
    return HTML(box(esc(t("goal_recall.none", language=language)), "info"))
