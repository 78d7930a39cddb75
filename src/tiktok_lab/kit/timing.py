"""How long a lesson takes, estimated from what it holds (``tiktok-lab timing``).

A lesson's minutes (``data/lessons/<id>.yaml``) are a promise to a trainer: the
schedule, the agendas and the trainer notes are laid out in them. This module
estimates them from the lesson itself, so the promise can be checked:

- the prose of ``source/en/<id>.md`` (Markdown cells, the header and the key
  points rendered from the lesson file), read at a stated pace;
- each code cell run, and what it shows read: a chart, a table, a result;
- each widget, and each step the prose above it asks for;
- each exercise (``data/exercises/``) by kind, after reading its task;
- each quiz question (``data/quizzes/``), read with its options and feedback;
- the trainer's talk per segment (``say:`` of ``data/trainer_notes/``) and the
  questions to the room.

Every number is an assumption of the course, in one file, ``data/timing.yaml``
(flagged ``nature: assumption``). Exercises and the quiz are the lesson's
exercise minutes; everything else is teaching. The short version (the 90-minute
agenda) leaves out what the lesson's ``short:`` leaves out: exercises it does not
list, the quiz unless ``quiz: true``, and the cells of ``skip_cells`` (an id
that starts a slide leaves out the whole slide). A trainer segment keeps its
talk in the short version unless its exercises, its quiz questions or its note
cell are left out. Neither version counts the optional *data corner* (cells tagged
``data-corner``: code exercises for those who like code). For ``--segments``, a cell counts in the segment of the next
trainer-note cell (in the sources a note closes what it covers); exercises and the
quiz count in the segment that lists them.

``tests/test_timing.py`` fails when a lesson or an agenda promises less than
this estimate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Annotated, Literal

from pydantic import Field, StrictInt

from tiktok_lab.core.datafiles import Source, data_dir, file_error, read_record
from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, localized, speaking
from tiktok_lab.core.nature import Flagged, nature_label
from tiktok_lab.core.content_types import ContentModel
from tiktok_lab.course.syllabus import Lesson, load_lessons

TIMING_FILE = "timing.yaml"
Version = Literal["full", "short"]
OutputKind = Literal["widget", "chart", "table"]
Minutes = Annotated[float, Field(ge=0, le=60)]


class OutputRule(ContentModel):
    """A code cell whose code matches ``pattern`` shows a ``kind`` of output."""

    kind: OutputKind
    pattern: str


class Timing(Flagged):
    """The assumptions of ``data/timing.yaml``."""

    reading_words_per_minute: Annotated[StrictInt, Field(ge=50, le=400)]
    speaking_words_per_minute: Annotated[StrictInt, Field(ge=50, le=250)]
    room_question_minutes: Minutes
    short_room_questions: Annotated[StrictInt, Field(ge=0, le=10)]
    code_cell_minutes: Minutes
    output_minutes: dict[Literal["chart", "table", "result"], Minutes]
    outputs: tuple[OutputRule, ...]
    widget_minutes: Minutes
    widget_step_minutes: Minutes
    step_verbs: tuple[str, ...]
    widget_steps: dict[str, Annotated[StrictInt, Field(ge=1, le=30)]] = {}
    #: In a short version, the steps the short agenda asks of these widgets (a first draft).
    short_widget_steps: dict[str, Annotated[StrictInt, Field(ge=1, le=30)]] = {}
    exercise_minutes: dict[Literal["equality", "dataframe", "function", "reflection", "decision",
                                   "open"], Minutes]
    quiz_answer_minutes: Minutes
    round_to_minutes: Annotated[StrictInt, Field(ge=1, le=15)]


def load_timing(source: Source | None = None) -> Timing:
    return read_record(source or data_dir() / TIMING_FILE, "timing", Timing)


# --------------------------------------------------------------------------
# What a lesson holds, independent of where it was read from (tests pass their own).

Kind = Literal["prose", "code", "chart", "table", "result", "widget", "exercise", "quiz",
               "talk", "room_question"]
EXERCISE_KINDS = ("exercise", "quiz")


@dataclass(frozen=True)
class ExerciseInfo:
    kind: str
    task: str


@dataclass(frozen=True)
class QuizInfo:
    """One question: the words a participant reads (question, options, feedback of its answer)."""

    id: str
    words: int


@dataclass(frozen=True)
class SegmentInfo:
    title: str
    minutes: int
    say: str
    questions: int
    exercises: tuple[str, ...] = ()
    quiz_questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class LessonContent:
    lesson: Lesson
    cells: Sequence[Mapping]  # nbformat cells of the source
    exercises: Mapping[str, ExerciseInfo]
    quiz: Sequence[QuizInfo]
    segments: Sequence[SegmentInfo] = ()


@dataclass(frozen=True)
class Part:
    """One line of an estimate."""

    kind: Kind
    minutes: float
    what: str
    segment: str | None = None


@dataclass(frozen=True)
class Estimate:
    lesson: Lesson
    version: Version
    parts: tuple[Part, ...]
    round_to: int = 5
    segments: tuple[str, ...] = field(default=())

    @property
    def teaching(self) -> float:
        return sum(p.minutes for p in self.parts if p.kind not in EXERCISE_KINDS)

    @property
    def exercises(self) -> float:
        return sum(p.minutes for p in self.parts if p.kind in EXERCISE_KINDS)

    @property
    def total(self) -> float:
        return self.teaching + self.exercises

    def rounded(self, minutes: float) -> int:
        return int(math.ceil(round(minutes, 6) / self.round_to) * self.round_to)

    @property
    def promised(self) -> tuple[int, int]:
        """(teaching, exercise) minutes the lesson file promises for this version."""
        if self.version == "short" and self.lesson.short:
            return self.lesson.short.teaching_minutes, self.lesson.short.exercise_minutes
        return self.lesson.teaching_minutes, self.lesson.exercise_minutes

    def by_kind(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for part in self.parts:
            totals[part.kind] = totals.get(part.kind, 0) + part.minutes
        return totals

    def by_segment(self) -> dict[str, float]:
        totals = {title: 0.0 for title in self.segments}
        for part in self.parts:
            if part.segment is not None:
                totals[part.segment] = totals.get(part.segment, 0) + part.minutes
        return totals


WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")
COMMENT = re.compile(r"<!--.*?-->", re.S)
ROLE = re.compile(r"\{exercise\}`[^`]*`")
MARKER = re.compile(r"<!-- tiktok-lab:(\w+) -->")
EXERCISE_CALL = re.compile(r"""\btl\.exercise\(\s*["'][^"']+["']\s*,\s*["']([^"']+)["']""")
QUIZ_CALL = re.compile(r"\btl\.quiz\(")


def words(text: str) -> int:
    """Words a reader reads: HTML comments left out, {exercise}`id` read as "Exercise N"."""
    return len(WORD.findall(ROLE.sub("Exercise N", COMMENT.sub(" ", text))))


def _source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: Mapping) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _slide_type(cell: Mapping) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def _note_segment(cell: Mapping) -> str | None:
    from tiktok_lab.kit.lesson_source import SEGMENT, TRAINER_NOTE

    if TRAINER_NOTE not in _tags(cell):
        return None
    found = SEGMENT.match(_source(cell))
    return found.group(1) if found else None


DATA_CORNER = "data-corner"


def data_corner_cells(content: LessonContent) -> set[int]:
    """Positions of the cells of the optional data corner (tagged ``data-corner``): extras
    for those who like code, outside every version's minutes."""
    return {index for index, cell in enumerate(content.cells) if DATA_CORNER in _tags(cell)}


def skipped_cells(content: LessonContent, version: Version) -> set[int]:
    """Positions of the cells the version leaves out: the data corner always, and in the
    short version what the lesson's ``short:`` leaves out."""
    short = content.lesson.short
    if version == "full" or short is None:
        return data_corner_cells(content)
    cells = content.cells
    slides: list[list[int]] = []
    for index, cell in enumerate(cells):
        if not slides or _slide_type(cell) == "slide":
            slides.append([])
        slides[-1].append(index)
    slide_of = {index: slide for slide in slides for index in slide}
    by_id = {cell.get("id") or cell.get("metadata", {}).get("id"): i
             for i, cell in enumerate(cells)}
    skipped: set[int] = set()
    for cell_id in short.skip_cells:
        if cell_id not in by_id:
            raise file_error(f"{content.lesson.id}.yaml",
                             f'names the cell "{cell_id}", which is not a cell id of '
                             f"source/en/{content.lesson.id}.md", field="short",
                             item=" (skip_cells)")
        index = by_id[cell_id]
        skipped |= set(slide_of[index]) if _slide_type(cells[index]) == "slide" else {index}
    kept = set(short.exercises)
    for slide in slides:
        codes = [i for i in slide if cells[i].get("cell_type") == "code"]
        dropped = [i for i in codes if _dropped_code(cells[i], kept, short.quiz)]
        if codes and len(dropped) == len(codes):
            skipped |= set(slide)
        skipped |= set(dropped)
    return skipped | data_corner_cells(content)


def _dropped_code(cell: Mapping, kept: set[str], quiz: bool) -> bool:
    from tiktok_lab.kit.lesson_source import exercise_id

    code = _source(cell)
    card = EXERCISE_CALL.search(code)
    exercise = exercise_id(cell) or (card.group(1) if card else None)
    if exercise:
        return exercise not in kept
    return bool(QUIZ_CALL.search(code)) and not quiz


def _output_kind(code: str, timing: Timing) -> str:
    for rule in timing.outputs:
        if re.search(rule.pattern, code, re.M):
            return rule.kind
    return "result"


def _steps(text: str, timing: Timing) -> int:
    verbs = {verb.lower() for verb in timing.step_verbs}
    return sum(1 for word in WORD.findall(COMMENT.sub(" ", text)) if word.lower() in verbs)


def _widget_steps(code: str, prose: str, timing: Timing, version: str = "full") -> int:
    counts = {**timing.widget_steps, **(timing.short_widget_steps if version == "short" else {})}
    for name, steps in counts.items():
        if re.search(rf"\btl\.{re.escape(name)}\(", code):
            return steps
    return max(1, _steps(prose, timing))


def estimate(content: LessonContent, timing: Timing, version: Version = "full") -> Estimate:
    """The minutes a lesson needs in a version, part by part (see the module's docstring)."""
    lesson = content.lesson
    short = lesson.short if version == "short" else None
    kept_exercises = (set(short.exercises) if short else set(content.exercises))
    quiz_kept = bool(short.quiz) if short else True
    skipped = skipped_cells(content, version)
    read = timing.reading_words_per_minute
    parts: list[Part] = []
    segments = [segment.title for segment in content.segments]
    owner = {e: s.title for s in content.segments for e in s.exercises}
    quiz_owner = next((s.title for s in content.segments if s.quiz_questions), None)
    # A cell counts in the segment of the next trainer-note cell: in the sources a note
    # closes what it covers (exercises and the quiz go to the segment that lists them).
    note_cells = {title: index for index, cell in enumerate(content.cells)
                  if (title := _note_segment(cell)) is not None}
    closing = sorted((index, title) for title, index in note_cells.items())
    prose_since_code = ""
    for index, cell in enumerate(content.cells):
        source = _source(cell)
        current = next((title for at, title in closing if at >= index),
                       segments[-1] if segments else None)
        if index in skipped:
            continue
        cell_id = cell.get("id") or cell.get("metadata", {}).get("id") or f"cell {index + 1}"
        if cell.get("cell_type") == "markdown":
            if "trainer-note" in _tags(cell):
                continue
            marker = MARKER.fullmatch(source.strip())
            if marker and marker.group(1) == "header":
                text = " ".join([lesson.title, lesson.goal, *lesson.questions,
                                 *lesson.objectives])
            elif marker and marker.group(1) == "keypoints":
                text = " ".join(lesson.key_points)
            elif marker:
                continue
            else:
                text = source
            parts.append(Part("prose", words(text) / read, f"{cell_id}: {words(text)} words",
                              current))
            prose_since_code += "\n" + text
            continue
        if cell.get("cell_type") != "code":
            continue
        from tiktok_lab.kit.lesson_source import exercise_id

        card = EXERCISE_CALL.search(source)
        if exercise_id(cell):
            pass  # the exercise's time is counted once, at its card
        elif card:
            ex_id = card.group(1)
            info = content.exercises.get(ex_id)
            if info is None:
                raise ValueError(f"{lesson.id}: cell {cell_id} opens the exercise {ex_id!r}, "
                                 f"which is not in data/exercises/{lesson.id}.yaml")
            if ex_id in kept_exercises:
                minutes = words(info.task) / read + timing.exercise_minutes[info.kind]
                parts.append(Part("exercise", minutes, f"{ex_id} ({info.kind})",
                                  owner.get(ex_id, current)))
        elif QUIZ_CALL.search(source):
            if quiz_kept:
                for question in content.quiz:
                    minutes = question.words / read + timing.quiz_answer_minutes
                    parts.append(Part("quiz", minutes, f"quiz: {question.id}",
                                      quiz_owner or current))
        else:
            parts.append(Part("code", timing.code_cell_minutes, cell_id, current))
            kind = _output_kind(source, timing)
            if kind == "widget":
                steps = _widget_steps(source, prose_since_code, timing, version)
                parts.append(Part("widget", timing.widget_minutes
                                  + steps * timing.widget_step_minutes,
                                  f"{cell_id}: {steps} step{'s' if steps > 1 else ''}", current))
            else:
                parts.append(Part(kind, timing.output_minutes[kind], cell_id, current))
        prose_since_code = ""
    questions_left = timing.short_room_questions if version == "short" else None
    for segment in content.segments:
        if version == "short" and not _segment_kept(segment, note_cells.get(segment.title),
                                                    skipped, kept_exercises, quiz_kept):
            continue
        asked = segment.questions
        if questions_left is not None:
            asked = min(asked, questions_left)
            questions_left -= asked
        if segment.say:
            talk = words(segment.say) / timing.speaking_words_per_minute
            parts.append(Part("talk", talk, f"{segment.title}: {words(segment.say)} words",
                              segment.title))
        if asked:
            parts.append(Part("room_question", asked * timing.room_question_minutes,
                              f"{segment.title}: {asked} asked", segment.title))
    return Estimate(lesson, version, tuple(parts), timing.round_to_minutes, tuple(segments))


def _segment_kept(segment: SegmentInfo, note_cell: int | None, skipped: set[int],
                  kept_exercises: set[str], quiz_kept: bool) -> bool:
    if segment.exercises:
        return any(e in kept_exercises for e in segment.exercises)
    if segment.quiz_questions:
        return quiz_kept
    return note_cell is None or note_cell not in skipped


# --------------------------------------------------------------------------
# The course's lessons, as they are on disk.


def _exercise_text(row: Any) -> str:
    """What a participant reads before answering: a code exercise's task, a decision's
    brief, question and options (their feedback is read after choosing, in its minutes), or
    an open answer's brief, question and rubric labels (the feedback on what is missing is
    read after checking, in its minutes)."""
    if row.kind == "open":
        parts = [row.brief, row.question, *(element.label for element in row.rubric)]
    elif row.kind == "decision":
        parts = [row.brief, row.question, *(option.text for option in row.options)]
    else:
        return localized(row.task, language="en")
    return " ".join(localized(part, language="en") for part in parts)


def lesson_content(lesson: Lesson, root: Path) -> LessonContent:
    """What a lesson of the course holds: its source, exercises, quiz and trainer notes."""
    from tiktok_lab.course.exercises import exercise_lesson_ids, load_exercise_rows
    from tiktok_lab.course.quizzes import load_quiz, quiz_files
    from tiktok_lab.kit.lesson_source import read_source, source_folder, SUFFIX
    from tiktok_lab.kit.workshop.trainer_notes import TrainerNotes, notes_dir

    notebook = read_source(source_folder(root) / f"{lesson.id}{SUFFIX}")
    exercises = ({row.id: ExerciseInfo(row.kind, _exercise_text(row))
                  for row in load_exercise_rows(lesson.id)}
                 if lesson.id in exercise_lesson_ids() else {})
    quiz: list[QuizInfo] = []
    if any(path.name == f"{lesson.id}.yaml" for path in quiz_files()):
        for question in load_quiz(lesson.id).questions:
            texts = [localized(question.question, language="en")]
            texts += [localized(a.answer, language="en") for a in question.answers
                      if hasattr(a, "answer")]
            right = [a for a in question.answers if a.correct] or list(question.answers[:1])
            texts.append(localized(right[0].feedback, language="en"))
            quiz.append(QuizInfo(question.id, words(" ".join(texts))))
    notes_file = notes_dir() / f"{lesson.id}.yaml"
    segments: list[SegmentInfo] = []
    if notes_file.is_file():
        # Read without the check that the segments add up to the lesson's minutes: the
        # estimate is what those minutes are checked against. The talk is timed in English,
        # like the rest of the estimate; a segment is known by its English title (its key).
        with speaking(DEFAULT_LANGUAGE):
            notes = read_record(notes_file, "notes", TrainerNotes)
        segments = [SegmentInfo(s.key, s.minutes, s.say, len(s.ask), tuple(s.exercises),
                                tuple(s.quiz_questions))
                    for s in notes.segments]
    return LessonContent(lesson, notebook.cells, exercises, quiz, segments)


def course_estimates(root: Path, timing: Timing | None = None
                     ) -> list[tuple[Estimate, Estimate | None]]:
    """(full, short) estimates of every lesson, in course order (short is None without one)."""
    timing = timing or load_timing()
    found = []
    for lesson in load_lessons():
        content = lesson_content(lesson, root)
        short = estimate(content, timing, "short") if lesson.short else None
        found.append((estimate(content, timing, "full"), short))
    return found


# --------------------------------------------------------------------------
# The report of ``tiktok-lab timing`` (English, like the agendas).


def _minutes(value: float) -> str:
    return f"{value:.1f}"


def _row(estimate: Estimate) -> tuple[str, ...]:
    teaching, exercises = estimate.promised
    need_t, need_e = estimate.rounded(estimate.teaching), estimate.rounded(estimate.exercises)
    honest = teaching >= estimate.teaching and exercises >= estimate.exercises
    return (_minutes(estimate.teaching), _minutes(estimate.exercises), f"{need_t} + {need_e}",
            f"{teaching} + {exercises}", "ok" if honest else "TOO SHORT")


def timing_report(root: Path, *, segments: bool = False, language: str = "en") -> str:
    """Per lesson: estimated teaching and exercise minutes against the promise, full and
    short, then the assumptions they rest on (with the course's label for assumptions)."""
    timing = load_timing()
    lines = ["# How long each lesson takes", "",
             "Estimated from the lessons' content (`tiktok-lab timing`); promised = "
             "data/lessons/<id>.yaml. Minutes: teaching + exercises (exercises and quiz).", "",
             "| lesson | version | teaching | exercises | needed (rounded up) | promised | |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    estimates = course_estimates(root, timing)
    for full, short in estimates:
        for one in (full, short):
            if one is not None:
                cells = " | ".join(_row(one))
                lines.append(f"| {one.lesson.id} | {one.version} | {cells} |")
    totals = [sum(e.promised[0] + e.promised[1] for e, _ in estimates),
              sum(s.promised[0] + s.promised[1] for _, s in estimates if s)]
    lines += ["", f"Promised in all: {totals[0]} minutes full, {totals[1]} short.", ""]
    if segments:
        lines += ["## Trainer-note segments (full version)", "",
                  "| lesson | segment | estimated | in the notes |", "| --- | --- | ---: | ---: |"]
        for full, _ in estimates:
            content_minutes = {s.title: s.minutes for s in lesson_segments(full)}
            for title, minutes in full.by_segment().items():
                lines.append(f"| {full.lesson.id} | {title} | {_minutes(minutes)} "
                             f"| {content_minutes.get(title, '')} |")
        lines.append("")
    lines += [f"## Assumptions (data/{TIMING_FILE})", "",
              f"*{nature_label(timing, language)}.*", "", *assumption_lines(timing)]
    return "\n".join(lines) + "\n"


def lesson_segments(estimate: Estimate) -> list[SegmentInfo]:
    from tiktok_lab.kit.workshop.trainer_notes import TrainerNotes, notes_dir

    notes_file = notes_dir() / f"{estimate.lesson.id}.yaml"
    if not notes_file.is_file():
        return []
    notes = read_record(notes_file, "notes", TrainerNotes)
    return [SegmentInfo(s.key, s.minutes, "", len(s.ask)) for s in notes.segments]


def assumption_lines(timing: Timing) -> list[str]:
    out = timing.output_minutes
    exercises = ", ".join(f"{kind} {m:g}" for kind, m in timing.exercise_minutes.items())
    return [
        f"- reading: {timing.reading_words_per_minute} words a minute (a second language)",
        f"- trainer's talk: {timing.speaking_words_per_minute} words a minute; "
        f"a question to the room: {timing.room_question_minutes:g} min "
        f"(at most {timing.short_room_questions} a lesson in a short version)",
        f"- a code cell: {timing.code_cell_minutes:g} min to run; then reading a chart "
        f"{out['chart']:g}, a table {out['table']:g}, a result {out['result']:g}",
        f"- a widget: {timing.widget_minutes:g} min, plus {timing.widget_step_minutes:g} per step "
        "(steps: the step verbs in the prose above it, or "
        + ", ".join(f"{name} {n}" for name, n in timing.widget_steps.items())
        + "".join(f"; in a short version {name} {n}"
                  for name, n in timing.short_widget_steps.items()) + ")",
        f"- an exercise, after its task: {exercises} min by kind",
        f"- a quiz question, after reading it: {timing.quiz_answer_minutes:g} min",
        f"- promises rounded up to {timing.round_to_minutes} minutes",
    ]
