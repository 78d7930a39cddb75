"""Workshop agendas for each format (90 minutes, half day, full day).

The full course does not fit in 90 minutes, so a short agenda has to choose.
The choices live in the data, not in a trainer's head on the day: each lesson
says how it shrinks (``short``) and what deeper practice it offers
(``practice``), and ``data/workshop.yaml`` says, per format, which version of
each lesson runs, when the breaks and lunch come and how long the session
lasts. This module turns that into clock times and checks that the result
fills the format's duration exactly; ``tiktok-lab build workshop`` writes
``workshop/agendas/<format>.md`` (French: ``workshop/fr/agendas/``) and a test fails when a
page is stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from tiktok_lab.core.datafiles import DataFileError, file_error
from tiktok_lab.core.i18n import t
from tiktok_lab.course.exercises import exercise_lesson_ids, is_data_corner, load_exercise_rows
from tiktok_lab.course.quizzes import load_quiz, quiz_files
from tiktok_lab.course.syllabus import Lesson, load_lessons
from tiktok_lab.kit.workshop.exercise_names import exercise_name
from tiktok_lab.kit.workshop.paths import kit_folder, link, notebook_link
from tiktok_lab.kit.workshop.schedule import course_length
from tiktok_lab.kit.workshop.formats import (SETTINGS_FILE, FormatSettings, LessonVersion,
                                             load_workshop_settings)

ItemKind = Literal["welcome", "lesson", "practice", "break", "lunch", "wrap_up"]


@dataclass(frozen=True)
class AgendaItem:
    """One line of an agenda, in minutes from the start of the session."""

    kind: ItemKind
    start: int
    end: int
    lesson: Lesson | None = None
    version: LessonVersion | None = None

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Agenda:
    """A format laid out in time, with what each lesson covers in it."""

    format: FormatSettings
    lessons: tuple[Lesson, ...]  # every lesson of the course, placed or not
    items: tuple[AgendaItem, ...]
    exercises: dict[str, tuple[str, ...]]  # lesson id -> all its exercise ids, in order
    quiz_sizes: dict[str, int]  # lesson id -> number of quiz questions
    # lesson id -> its optional data-corner exercises: never done in a session
    data_corner: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def total_minutes(self) -> int:
        return self.items[-1].end - self.items[0].start if self.items else 0

    def placed(self) -> list[AgendaItem]:
        """The lesson lines, in order."""
        return [item for item in self.items if item.kind == "lesson"]

    def exercises_done(self, item: AgendaItem) -> tuple[str, ...]:
        """The exercises done in the session: never the optional data corner."""
        lesson = item.lesson
        assert lesson is not None
        corner = self.data_corner.get(lesson.id, ())
        if item.version == "short":
            done = tuple(lesson.short.exercises) if lesson.short else ()
        else:
            done = self.exercises.get(lesson.id, ())
        return tuple(e for e in done if e not in corner)

    def data_corner_after(self, item: AgendaItem) -> tuple[str, ...]:
        """The data-corner exercises of a lesson run in full: optional, after the session."""
        lesson = item.lesson
        assert lesson is not None
        return () if item.version == "short" else self.data_corner.get(lesson.id, ())

    def quiz_done(self, item: AgendaItem) -> bool:
        lesson = item.lesson
        assert lesson is not None
        if item.version == "short":
            return bool(lesson.short and lesson.short.quiz)
        return self.quiz_sizes.get(lesson.id, 0) > 0

    def objectives_not_covered(self) -> list[tuple[Lesson, list[str]]]:
        """Per lesson, the objectives this format does not reach (skipped or cut)."""
        versions = {item.lesson.id: item.version for item in self.placed() if item.lesson}
        missing = []
        for lesson in self.lessons:
            covered = covered_objectives(lesson, versions.get(lesson.id, "skip"))
            left = [text for text in lesson.objectives if text not in covered]
            if left:
                missing.append((lesson, left))
        return missing


def covered_objectives(lesson: Lesson, version: LessonVersion) -> list[str]:
    """The objectives a lesson reaches in a given version."""
    if version == "skip":
        return []
    if version == "short" and lesson.short:
        return [lesson.objectives[n - 1] for n in lesson.short.objectives]
    return list(lesson.objectives)


def lesson_minutes(lesson: Lesson, version: LessonVersion) -> int:
    if version == "skip":
        return 0
    if version == "short" and lesson.short:
        return lesson.short.teaching_minutes + lesson.short.exercise_minutes
    return lesson.minutes


def load_formats() -> tuple[FormatSettings, ...]:
    """The formats of ``data/workshop.yaml``, validated."""
    formats = load_workshop_settings().formats
    ids = [fmt.id for fmt in formats]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise file_error(SETTINGS_FILE, f'uses the id "{repeated[0]}" twice; ids must be unique',
                         field="formats")
    return formats


def _problem(fmt: FormatSettings, detail: str) -> DataFileError:
    return file_error(SETTINGS_FILE, detail, row_id=fmt.id, field=f'formats ("{fmt.id}")')


def check_format(fmt: FormatSettings, lessons: list[Lesson],
                 exercises: dict[str, tuple[str, ...]]) -> None:
    """Refuse a format that leaves a lesson out silently or asks for what a lesson lacks."""
    known = {lesson.id for lesson in lessons}
    unknown = sorted(set(fmt.lessons) - known)
    if unknown:
        raise _problem(fmt, f'lists "{unknown[0]}", which is not a lesson; lessons are '
                            + ", ".join(sorted(known)))
    for lesson in lessons:
        version = fmt.lessons.get(lesson.id)
        if version is None:
            raise _problem(fmt, f'does not say how lesson "{lesson.id}" runs: add '
                                f'"{lesson.id}: full" (or short, deep, skip) under lessons')
        if version == "short" and lesson.short is None:
            raise _problem(fmt, f'runs "{lesson.id}" short, but data/lessons/{lesson.id}.yaml '
                                'has no "short:" section')
        if version == "deep" and lesson.practice is None:
            raise _problem(fmt, f'runs "{lesson.id}" deep, but data/lessons/{lesson.id}.yaml '
                                'has no "practice:" section')
        if version == "short" and lesson.short:
            missing = [e for e in lesson.short.exercises if e not in exercises.get(lesson.id, ())]
            if missing:
                raise file_error(f"{lesson.id}.yaml",
                                 f'names the exercise "{missing[0]}", which is not in '
                                 f"data/exercises/{lesson.id}.yaml",
                                 field="short", item=" (exercises)")
    if fmt.lunch and fmt.lessons.get(fmt.lunch.after, "skip") == "skip":
        raise _problem(fmt, f'puts lunch after "{fmt.lunch.after}", which this format does not run')
    if fmt.wrap_up_min_minutes > fmt.wrap_up_max_minutes:
        raise _problem(fmt, "wrap_up_min_minutes is more than wrap_up_max_minutes")


def plan_agenda(fmt: FormatSettings, lessons: list[Lesson]) -> list[AgendaItem]:
    """Lay a format out in time.

    A break comes before any lesson that would make a block longer than
    ``max_block_minutes`` (never at the very start, and lunch resets the
    block). A lesson and its practice count as one: the practice uses what was
    just shown, so a break never comes between them. The wrap-up takes the
    minutes left, and must land within its bounds, so the agenda always ends
    exactly at ``start + duration``.
    """
    items: list[AgendaItem] = []
    clock = since_break = 0

    def add(kind: ItemKind, minutes: int, lesson: Lesson | None = None,
            version: LessonVersion | None = None) -> None:
        nonlocal clock, since_break
        items.append(AgendaItem(kind, clock, clock + minutes, lesson, version))
        clock += minutes
        since_break = 0 if kind in ("break", "lunch") else since_break + minutes

    if fmt.welcome_minutes:
        add("welcome", fmt.welcome_minutes)
    for lesson in lessons:
        version = fmt.lessons.get(lesson.id, "skip")
        if version == "skip":
            continue
        practice = lesson.practice.minutes if version == "deep" and lesson.practice else 0
        unit = lesson_minutes(lesson, version) + practice
        if since_break and since_break + unit > fmt.max_block_minutes:
            add("break", fmt.break_minutes)
        add("lesson", lesson_minutes(lesson, version), lesson, version)
        if practice:
            add("practice", practice, lesson, version)
        if fmt.lunch and fmt.lunch.after == lesson.id:
            add("lunch", fmt.lunch.minutes)
    left = fmt.duration_minutes - clock
    if not fmt.wrap_up_min_minutes <= left <= fmt.wrap_up_max_minutes:
        over = clock + fmt.wrap_up_min_minutes - fmt.duration_minutes
        advice = (f"it is {over} minutes too long: shorten or skip a lesson, or lengthen the format"
                  if over > 0 else
                  f"it leaves {left} minutes for the wrap-up, more than "
                  f"wrap_up_max_minutes ({fmt.wrap_up_max_minutes}): add practice or shorten "
                  "the format")
        raise _problem(fmt, f"does not fit its {fmt.duration_minutes} minutes: lessons, practice "
                            f"and breaks take {clock}, so {advice}")
    if left:
        items.append(AgendaItem("wrap_up", clock, clock + left))
    return items


def build_agenda(fmt: FormatSettings, lessons: list[Lesson] | None = None) -> Agenda:
    """The checked agenda of one format, from the packaged lessons, exercises and quizzes."""
    lessons = load_lessons() if lessons is None else lessons
    rows = {lesson_id: load_exercise_rows(lesson_id) for lesson_id in exercise_lesson_ids()}
    exercises = {lesson_id: tuple(row.id for row in found) for lesson_id, found in rows.items()}
    corner = {lesson_id: tuple(row.id for row in found if is_data_corner(row))
              for lesson_id, found in rows.items()}
    quiz_ids = {path.name.removesuffix(".yaml") for path in quiz_files()}
    quiz_sizes = {lesson_id: len(load_quiz(lesson_id).questions) for lesson_id in quiz_ids}
    check_format(fmt, lessons, exercises)
    return Agenda(fmt, tuple(lessons), tuple(plan_agenda(fmt, lessons)), exercises, quiz_sizes,
                  corner)


# --------------------------------------------------------------------------
# The printed page, in the language being spoken (the French kit is built inside
# ``speaking("fr")``), like the lesson metadata it quotes.


def _label(key: str, **values: object) -> str:
    return t(f"agenda.{key}", **values)


def agenda_page(fmt: FormatSettings) -> str:
    """Where the agenda of a format goes, in the current language."""
    return f"{kit_folder()}/agendas/{fmt.id}.md"


def clock(start_time: str, minutes: int) -> str:
    start = datetime.strptime(start_time, "%H:%M")
    return (start + timedelta(minutes=minutes)).strftime("%H:%M")


def _exercise_list(agenda: Agenda, item: AgendaItem) -> str:
    lesson = item.lesson
    assert lesson is not None
    done = [exercise_name(lesson.id, e) for e in agenda.exercises_done(item)]
    if agenda.quiz_done(item):
        done.append(_label("quiz", count=agenda.quiz_sizes[lesson.id]))
    after = agenda.data_corner_after(item)
    if after:
        done.append("*" + _label("data_corner", exercises=_label("separator").join(
            exercise_name(lesson.id, e) for e in after)) + "*")
    return "<br>".join(done) or "–"


def _session_cell(item: AgendaItem, page: str) -> str:
    lesson = item.lesson
    if item.kind == "lesson" and lesson:
        version = _label(f"version.{item.version}")
        notes = link(page, f"{kit_folder()}/notes/{lesson.id}.md")
        return (f"[{lesson.number:02d} {lesson.title}]({notebook_link(page, lesson.notebook)}) "
                f"({version}, [{_label('notes')}]({notes}))")
    if item.kind == "practice" and lesson and lesson.practice:
        return f"**{_label('practice', title=lesson.practice.title)}**<br>{lesson.practice.how}"
    if item.kind in ("break", "lunch"):
        # Binder closes a session left idle for 10 minutes: a download keeps the work.
        return (f"*{_label(f'kind.{item.kind}')}*<br>"
                + _label("binder_break", prepare=f"**{t('work.prepare')}**"))
    return f"*{_label(f'kind.{item.kind}')}*"


def agenda_markdown(agenda: Agenda) -> str:
    """The agenda page a trainer prints: clock times, breaks, exercises, objectives."""
    fmt = agenda.format
    minutes = {kind: sum(i.minutes for i in agenda.items if i.kind == kind)
               for kind in ("lesson", "practice", "break", "lunch")}
    end = clock(fmt.start_time, fmt.duration_minutes)
    lines = [
        f"# {fmt.title}",
        "",
        _label("generated"),
        "",
        f"**{_label('for_whom')}** "
        + fmt.for_whom.replace("{course_length}", course_length(list(agenda.lessons))),
        "",
        _label("summary", start=fmt.start_time, end=end, total=agenda.total_minutes,
               lessons=minutes["lesson"], practice=minutes["practice"],
               breaks=minutes["break"] + minutes["lunch"]),
        "",
        f"| {_label('col.time')} | {_label('col.session')} | {_label('col.minutes')} "
        f"| {_label('col.exercises')} | {_label('col.objectives')} |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for item in agenda.items:
        time = f"{clock(fmt.start_time, item.start)}–{clock(fmt.start_time, item.end)}"
        exercises = objectives = ""
        if item.kind == "lesson" and item.lesson and item.version:
            exercises = _exercise_list(agenda, item)
            objectives = "<br>".join(covered_objectives(item.lesson, item.version))
        lines.append(f"| {time} | {_session_cell(item, agenda_page(fmt))} | {item.minutes} | {exercises} "
                     f"| {objectives} |")
    lines += _short_section(agenda) + _late_section(agenda) + _not_covered_section(agenda)
    return "\n".join(lines) + "\n"


def _short_section(agenda: Agenda) -> list[str]:
    shortened = [item.lesson for item in agenda.placed()
                 if item.version == "short" and item.lesson and item.lesson.short]
    skipped = [lesson for lesson in agenda.lessons
               if agenda.format.lessons.get(lesson.id) == "skip"]
    if not (shortened or skipped):
        return []
    lines = ["", f"## {_label('left_out')}", ""]
    for lesson in shortened:
        lines.append("- " + _label("lesson_item", lesson=f"{lesson.number:02d} {lesson.title}",
                                   text=_label("separator").join(lesson.short.skip)))
    for lesson in skipped:
        lines.append("- " + _label("lesson_item", lesson=f"{lesson.number:02d} {lesson.title}",
                                   text=_label("skipped")))
    return lines


def _late_section(agenda: Agenda) -> list[str]:
    lines = ["", f"## {_label('late')}", ""]
    for item in agenda.placed():
        lesson = item.lesson
        if lesson and lesson.cut_if_late and item.version != "short":
            lines.append("- " + _label("lesson_item", lesson=f"{lesson.number:02d}",
                                       text=_label("separator").join(lesson.cut_if_late)))
    if len(lines) == 3:
        lines.append(_label("late_short"))
    return lines


def _not_covered_section(agenda: Agenda) -> list[str]:
    lines = ["", f"## {_label('not_covered')}", ""]
    missing = agenda.objectives_not_covered()
    if not missing:
        return lines + [_label("all_covered")]
    lines.append(_label("not_covered_intro"))
    lines.append("")
    for lesson, objectives in missing:
        for objective in objectives:
            lines.append("- " + _label("objective_item", lesson=f"{lesson.number:02d} {lesson.title}",
                                       objective=objective))
    return lines


def agenda_pages() -> dict[str, str]:
    """``{"workshop/agendas/<format>.md": page}`` for every format (``workshop/fr/agendas/``
    in French)."""
    lessons = load_lessons()
    return {agenda_page(fmt): agenda_markdown(build_agenda(fmt, lessons))
            for fmt in load_formats()}
