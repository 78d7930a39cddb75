"""The course's lessons: titles, goals, questions, objectives, key points, minutes.

Notebooks show this metadata at their top and bottom, and the workshop
schedule adds up the minutes, so it lives in one file per lesson
(``data/lessons/<id>.yaml``) that trainers can edit without touching code.
"""

from __future__ import annotations

import dataclasses

from tiktok_lab.core import datafiles
from tiktok_lab.core import schemas
from tiktok_lab.core.datafiles import Source
from tiktok_lab.core.schemas import LessonRow, PracticeBlock, ShortVersion


@dataclasses.dataclass(frozen=True)
class Lesson:
    """One lesson, i.e. one notebook of the course."""

    id: str
    number: int
    title: str
    goal: str
    article_section: str | None
    questions: list[str] = dataclasses.field(hash=False)
    objectives: list[str] = dataclasses.field(hash=False)
    key_points: list[str] = dataclasses.field(hash=False)
    teaching_minutes: int
    exercise_minutes: int
    # Only the workshop agendas and trainer notes read these (frozen records).
    short: ShortVersion | None = dataclasses.field(default=None, hash=False)
    cut_if_late: tuple[str, ...] = dataclasses.field(default=(), hash=False)
    practice: PracticeBlock | None = dataclasses.field(default=None, hash=False)

    @property
    def minutes(self) -> int:
        """Total time, teaching plus exercises, as the schedule counts it."""
        return self.teaching_minutes + self.exercise_minutes

    @property
    def notebook(self) -> str:
        """The notebook's file name, for navigation links."""
        return f"{self.id}.ipynb"


def load_lessons(folder: Source | None = None) -> list[Lesson]:
    """Every lesson, in course order (by number)."""
    return [_to_lesson(row) for row in schemas.read_lesson_rows(folder)]


def load_lesson(lesson_id: str, folder: Source | None = None) -> Lesson:
    """One lesson by id, e.g. ``"03_feed"``; a KeyError suggests close ids."""
    lessons = load_lessons(folder)
    for lesson in lessons:
        if lesson.id == lesson_id:
            return lesson
    raise datafiles.unknown_id("lesson", lesson_id, [lesson.id for lesson in lessons])


def _to_lesson(row: LessonRow) -> Lesson:
    from tiktok_lab.course.exercises import number_exercises_in

    # "Exercise N" is written {exercise}`<id>` (see course/exercises.py).
    row = number_exercises_in(row, row.id)
    # Fresh lists each time: a notebook that edits one must not change the cache.
    return Lesson(
        id=row.id,
        number=row.number,
        title=row.title,
        goal=row.goal,
        article_section=row.article_section,
        questions=list(row.questions),
        objectives=list(row.objectives),
        key_points=list(row.key_points),
        teaching_minutes=row.teaching_minutes,
        exercise_minutes=row.exercise_minutes,
        short=row.short,
        cut_if_late=row.cut_if_late,
        practice=row.practice,
    )
