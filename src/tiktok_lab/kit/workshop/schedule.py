"""The workshop schedule, computed from the lessons' minutes.

Trainers plan with it and participants see it, so it must never disagree with
the lesson metadata: it is generated (``tiktok-lab build schedule``, also part of
``build workshop``) and a test fails when ``workshop/schedule.md`` or its French edition,
``workshop/fr/schedule.md``, is stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiktok_lab.core.i18n import t
from tiktok_lab.course.syllabus import Lesson, load_lessons
from tiktok_lab.kit.workshop.paths import kit_folder, notebook_link
from tiktok_lab.kit.workshop.paths import link as relative_link
from tiktok_lab.kit.workshop.formats import WorkshopSettings, load_workshop_settings


@dataclass(frozen=True)
class Slot:
    """One line of the schedule: a lesson or a break, in minutes from the start."""

    start: int
    end: int
    lesson: Lesson | None = None

    @property
    def is_break(self) -> bool:
        return self.lesson is None


def plan_schedule(lessons: list[Lesson], settings: WorkshopSettings) -> list[Slot]:
    """Lessons in order, with a break before any block would outrun ``max_block_minutes``.

    A lesson is never cut in two: a lesson longer than a block simply gets a
    break before it (unless it opens the session).
    """
    slots: list[Slot] = []
    clock = since_break = 0
    for lesson in lessons:
        if since_break and since_break + lesson.minutes > settings.max_block_minutes:
            slots.append(Slot(clock, clock + settings.break_minutes))
            clock += settings.break_minutes
            since_break = 0
        slots.append(Slot(clock, clock + lesson.minutes, lesson))
        clock += lesson.minutes
        since_break += lesson.minutes
    return slots


def _offset(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def course_length(lessons: list[Lesson]) -> str:
    """The full course's lesson time in words, computed: "565 minutes (9 h 25)"."""
    total = sum(lesson.minutes for lesson in lessons)
    hours = t("schedule.length", hours=total // 60, minutes=f"{total % 60:02d}")
    return f"{total} minutes ({hours})"


def schedule_markdown(slots: list[Slot], settings: WorkshopSettings) -> str:
    """The schedule as the Markdown page trainers print, in the language being spoken (the
    French kit is built inside ``speaking("fr")``), like the lesson metadata it shows."""

    def label(key: str, **values: object) -> str:
        return t(f"schedule.{key}", **values)

    teaching = sum(s.lesson.teaching_minutes for s in slots if s.lesson)
    exercises = sum(s.lesson.exercise_minutes for s in slots if s.lesson)
    breaks = sum(s.end - s.start for s in slots if s.is_break)
    lines = [
        f"# {label('title')}",
        "",
        label("generated"),
        "",
        label("summary", total=slots[-1].end if slots else 0, teaching=teaching,
              exercises=exercises, breaks=breaks),
        "",
        label("not_a_day", block=settings.max_block_minutes,
              length=course_length([s.lesson for s in slots if s.lesson]),
              full_day=relative_link(schedule_page(), f"{kit_folder()}/agendas/full-day.md")),
        "",
        f"| {label('col.time')} | {label('col.lesson')} | {label('col.teaching')} "
        f"| {label('col.exercises')} | {label('col.objectives')} |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for slot in slots:
        time = f"{_offset(slot.start)}–{_offset(slot.end)}"
        if slot.lesson is None:
            lines.append(f"| {time} | *{label('break')}* | | | |")
            continue
        lesson = slot.lesson
        link = (f"[{lesson.number:02d} {lesson.title}]"
                f"({notebook_link(schedule_page(), lesson.notebook)})")
        objectives = "<br>".join(lesson.objectives)
        lines.append(f"| {time} | {link} | {lesson.teaching_minutes} | {lesson.exercise_minutes} "
                     f"| {objectives} |")
    return "\n".join(lines) + "\n"


def schedule_page() -> str:
    """Where the schedule goes in the current language: ``workshop/schedule.md`` or
    ``workshop/fr/schedule.md``."""
    return f"{kit_folder()}/schedule.md"


def build_schedule_markdown() -> str:
    """The schedule page from the packaged lessons and workshop settings, in the current
    language (run it inside ``speaking("fr")`` for the French page)."""
    settings = load_workshop_settings()
    return schedule_markdown(plan_schedule(load_lessons(), settings), settings)
