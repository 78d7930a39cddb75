"""Trainer notes per lesson: what to say, show and ask, minute by minute.

Written for a trainer who knows marketing but not Python, and kept as data
(``data/trainer_notes/<lesson>.yaml``) so that a trainer can correct a note
without touching code. The notes are checked against the rest of the course
when they are read: their minutes add up to the lesson's minutes, every
question to the room has its expected answer, and every exercise or quiz
question they mention exists. ``tiktok-lab build workshop`` renders them as
``workshop/notes/<lesson>.md`` (French: ``workshop/fr/notes/<lesson>.md``, the same code
inside ``speaking("fr")``).

Every text a trainer reads is written ``{en: ..., fr: ...}`` and read in the reader's
language (``LocalizedText``): inside ``speaking("fr")`` the notes, their page and the trainer
edition's note cells are French. A segment's title is also a key (a lesson source's
``<!-- tiktok-lab:segment <title> -->`` and a mistake's ``segment:`` name it in English), so
it keeps both: ``Segment.title`` is in the reader's language, ``Segment.key`` is English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, StrictInt, field_validator, model_validator

from tiktok_lab.core.content_types import ContentModel, LocalizedText
from tiktok_lab.core.datafiles import Source, as_source, data_dir, file_error, read_record
from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, localized, t
from tiktok_lab.course.syllabus import Lesson, load_lessons
from tiktok_lab.kit.workshop.paths import kit_folder, notebook_link
from tiktok_lab.core.schemas import Text


class RoomQuestion(ContentModel):
    """A question to ask the room, always with the answer to listen for."""

    question: LocalizedText
    expected: LocalizedText

    @field_validator("question")
    @classmethod
    def _is_question(cls, value: str) -> str:
        # French puts a no-break space before "?", which ends the question all the same.
        if not value.endswith("?"):
            raise ValueError(f'"{value[:60]}" must end with a question mark')
        return value


class Segment(ContentModel):
    """A few minutes of the lesson: what to say, what to show, what to ask.

    ``title`` is written ``{en: ..., fr: ...}`` and read in the reader's language, like every
    text here; ``key`` is its English text, filled in when the file is read (a file never
    writes it): a lesson source's ``<!-- tiktok-lab:segment <title> -->`` and a mistake's
    ``segment:`` name the segment by it, in every language.
    """

    title: LocalizedText
    key: str = ""
    minutes: Annotated[StrictInt, Field(ge=1, le=60)]
    say: LocalizedText
    show: LocalizedText
    exercises: tuple[Text, ...] = ()
    quiz_questions: tuple[Text, ...] = ()
    ask: tuple[RoomQuestion, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _english_title_is_the_key(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        if "key" in data:
            raise ValueError('has "key:", which the file does not write: the English title '
                             "is the segment's key")
        title = data.get("title")
        if isinstance(title, Mapping) and isinstance(title.get(DEFAULT_LANGUAGE), str):
            return {**data, "key": title[DEFAULT_LANGUAGE].strip()}
        return data


class Mistake(ContentModel):
    """A mistake learners really make, as the trainer sees it, and its fix.

    The trainer edition shows it in the note of one segment: ``segment`` (a
    segment's English title, its key) when given; otherwise the segment that lists
    the exercise the symptom names ({exercise}`<id>`); otherwise the lesson's
    exercise segment.
    """

    symptom: LocalizedText
    fix: LocalizedText
    segment: Text | None = None


class TrainerNotes(ContentModel):
    """The notes of one lesson (one file in ``data/trainer_notes/``)."""

    lesson: Text
    key_messages: Annotated[tuple[LocalizedText, ...], Field(min_length=2, max_length=4)]
    prepare: tuple[LocalizedText, ...] = ()
    segments: Annotated[tuple[Segment, ...], Field(min_length=2)]
    mistakes: Annotated[tuple[Mistake, ...], Field(min_length=2)]

    @property
    def minutes(self) -> int:
        return sum(segment.minutes for segment in self.segments)

    @property
    def questions(self) -> list[RoomQuestion]:
        return [question for segment in self.segments for question in segment.ask]


def notes_dir(folder: Source | None = None):
    return as_source(folder) if folder is not None else data_dir() / "trainer_notes"


def read_notes(lesson: Lesson, folder: Source | None = None) -> TrainerNotes:
    """The notes of a lesson, checked against the lesson, its exercises and its quiz."""
    name = f"{lesson.id}.yaml"
    notes = read_record(notes_dir(folder) / name, "notes", TrainerNotes)
    if notes.lesson != lesson.id:
        raise file_error(name, f'is "{notes.lesson}" but must match the file name "{lesson.id}"',
                         field="lesson")
    if notes.minutes != lesson.minutes:
        raise file_error(name, f"the segments add up to {notes.minutes} minutes, but lesson "
                               f"{lesson.id} lasts {lesson.minutes} ({lesson.teaching_minutes} "
                               f"teaching + {lesson.exercise_minutes} exercises) in "
                               f"data/lessons/{lesson.id}.yaml", field="segments")
    _check_references(name, notes, lesson.id)
    _check_running_order(lesson, notes)
    notes = _place_mistakes(name, notes)
    from tiktok_lab.course.exercises import number_exercises_in

    # "Exercise N" is written {exercise}`<id>` (see course/exercises.py).
    return number_exercises_in(notes, lesson.id)


def _check_references(name: str, notes: TrainerNotes, lesson_id: str) -> None:
    from tiktok_lab.course.exercises import exercise_lesson_ids, load_exercise_rows
    from tiktok_lab.course.quizzes import load_quiz, quiz_files

    exercises = ({row.id for row in load_exercise_rows(lesson_id)}
                 if lesson_id in exercise_lesson_ids() else set())
    has_quiz = any(path.name == f"{lesson_id}.yaml" for path in quiz_files())
    questions = {q.id for q in load_quiz(lesson_id).questions} if has_quiz else set()
    for number, segment in enumerate(notes.segments, start=1):
        for wanted, known, what, folder in (
            (segment.exercises, exercises, "exercises", "exercises"),
            (segment.quiz_questions, questions, "quiz_questions", "quizzes"),
        ):
            for item in wanted:
                if item not in known:
                    raise file_error(name, f'names "{item}", which is not in '
                                           f"data/{folder}/{lesson_id}.yaml",
                                     row=number, row_id=segment.key[:40], field=what)


def _check_running_order(lesson: Lesson, notes: TrainerNotes) -> None:
    """A short version's running order names real segments, in order, and fills its minutes."""
    short = lesson.short
    if short is None or not short.running_order:
        return
    keys = [segment.key for segment in notes.segments]
    file = f"{lesson.id}.yaml"
    for key in short.running_order:
        if key not in keys:
            raise file_error(file, f'names the segment "{key}", which is not one of '
                                   f"data/trainer_notes/{file}'s segments "
                                   f"({', '.join(map(repr, keys))})",
                             field="short", item=" (running_order)")
    order = list(short.running_order)
    if order != sorted(order, key=keys.index):
        raise file_error(file, "lists its segments out of the trainer notes' order",
                         field="short", item=" (running_order)")
    total, wanted = sum(short.running_order.values()), short.teaching_minutes + short.exercise_minutes
    if total != wanted:
        raise file_error(file, f"adds up to {total} minutes, but the short version lasts {wanted} "
                               f"({short.teaching_minutes} teaching + {short.exercise_minutes} "
                               "exercises)", field="short", item=" (running_order)")


def _place_mistakes(name: str, notes: TrainerNotes) -> TrainerNotes:
    """The notes with every mistake's ``segment`` filled in (see :class:`Mistake`)."""
    from tiktok_lab.course.exercises import EXERCISE_REFERENCE

    titles = [segment.key for segment in notes.segments]
    with_exercises = [segment.key for segment in notes.segments if segment.exercises]
    fallback = with_exercises[0] if with_exercises else titles[-1]
    placed = []
    for number, mistake in enumerate(notes.mistakes, start=1):
        title = mistake.segment
        if title is None:
            named = EXERCISE_REFERENCE.findall(mistake.symptom + " " + mistake.fix)
            title = next((segment.key for ex in named for segment in notes.segments
                          if ex in segment.exercises), fallback)
        elif title not in titles:
            raise file_error(name, f'names the segment "{title}", which is not one of this '
                                   f"file's segments ({', '.join(map(repr, titles))})",
                             row=number, row_id=mistake.symptom[:40], field="segment")
        placed.append(mistake.model_copy(update={"segment": title}))
    return notes.model_copy(update={"mistakes": tuple(placed)})


def load_all_notes(folder: Source | None = None) -> dict[str, TrainerNotes]:
    """``{lesson id: notes}`` for every lesson; a lesson without notes is an error."""
    base = notes_dir(folder)
    notes = {}
    for lesson in load_lessons():
        if not (base / f"{lesson.id}.yaml").is_file():
            raise file_error(f"{lesson.id}.yaml", "lesson has no trainer notes: add "
                                                  f"data/trainer_notes/{lesson.id}.yaml")
        notes[lesson.id] = read_notes(lesson, folder)
    return notes


# --------------------------------------------------------------------------
# The page, in the language being built (``workshop/notes/`` or ``workshop/fr/notes/``).


def _label(key: str, **values: object) -> str:
    return t(f"trainer_notes.{key}", **values)


def notes_page(lesson_id: str) -> str:
    """Where the notes of a lesson go, in the current language."""
    return f"{kit_folder()}/notes/{lesson_id}.md"


def _offset(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


Explained = dict[str, tuple[str, str | None]]  # id -> (task or question, why it is right)


def notes_markdown(lesson: Lesson, notes: TrainerNotes,
                   exercises: Explained | None = None, quiz: Explained | None = None,
                   short_formats: tuple[str, ...] = ()) -> str:
    """The trainer's page for one lesson.

    ``exercises`` and ``quiz`` give, per id, the task or question and why the
    right answer is right, so a trainer who does not read Python can explain
    it in plain words; every quiz question is listed with its answer. ``short_formats`` names
    the workshop formats that run the lesson's short version, given minute by minute.
    """
    page = notes_page(lesson.id)
    lines = [
        f"# {_label('title', number=f'{lesson.number:02d}', title=lesson.title)}",
        "",
        _label("generated", lesson=lesson.id),
        "",
        f"**{_label('goal')}** {lesson.goal}  ",
        f"**{_label('time')}** " + _label("minutes", total=lesson.minutes,
                                          teaching=lesson.teaching_minutes,
                                          exercises=lesson.exercise_minutes) + "  ",
        f"**{_label('open')}** [{_label('learner')}]({notebook_link(page, lesson.notebook)}) · "
        f"[{_label('trainer')}]({notebook_link(page, lesson.notebook, 'trainer')})",
        "",
        f"## {_label('key_messages')}",
        "",
        *[f"{n}. {message}" for n, message in enumerate(notes.key_messages, start=1)],
    ]
    if notes.prepare:
        lines += ["", f"## {_label('prepare')}", "", *[f"- {item}" for item in notes.prepare]]
    lines += ["", f"## {_label('timeline')}", "",
              f"| {_label('col.when')} | {_label('col.minutes')} | {_label('col.segment')} |",
              "| --- | ---: | --- |"]
    starts = _starts(notes)
    for start, segment in zip(starts, notes.segments):
        lines.append(f"| {_offset(start)}–{_offset(start + segment.minutes)} "
                     f"| {segment.minutes} | {segment.title} |")
    for start, segment in zip(starts, notes.segments):
        lines += _segment_lines(start, segment, lesson.id, exercises or {}, quiz or {})
    lines += ["", f"## {_label('mistakes')}", "",
              f"| {_label('col.symptom')} | {_label('col.fix')} |", "| --- | --- |"]
    lines += [f"| {m.symptom} | {m.fix} |" for m in notes.mistakes]
    lines += _quiz_section(quiz or {})
    lines += _cuts(lesson, notes, short_formats)
    return "\n".join(lines) + "\n"


def _starts(notes: TrainerNotes) -> list[int]:
    starts, clock = [], 0
    for segment in notes.segments:
        starts.append(clock)
        clock += segment.minutes
    return starts


def _segment_lines(start: int, segment: Segment, lesson_id: str, exercises: Explained,
                   quiz: Explained) -> list[str]:
    from tiktok_lab.kit.workshop.exercise_names import exercise_name

    lines = ["", f"### {_offset(start)} · {segment.title} ({_label('min', count=segment.minutes)})",
             "", f"**{_label('say')}** {segment.say}", "", f"**{_label('show')}** {segment.show}"]
    numbered = [(exercise_name(lesson_id, e), e) for e in exercises if e in segment.exercises]
    numbered += [(_label("quiz"), q) for q in segment.quiz_questions]
    for label, item_id in numbered:
        text, why = {**exercises, **quiz}.get(item_id, ("", None))
        lines += ["", _label("item", label=label, text=text)]
        if why:
            lines[-1] += "  "  # a Markdown line break: the answer goes on its own line
            lines.append(f"*{_label('answer')}* {why}")
    for question in segment.ask:
        lines += ["", f"**{_label('ask')}** {question.question}  ",
                  f"*{_label('expected')}* {question.expected}"]
    return lines



def segment_note(segment: Segment, mistakes: tuple[Mistake, ...] = ()) -> str:
    """What a trainer-note cell of the notebook shows for its segment: say, show,
    ask, and the common mistakes placed in this segment (see :class:`Mistake`).

    A trainer-note cell names its segment (``<!-- tiktok-lab:segment <title> -->``)
    instead of repeating it; the cell's own lines hold only what this file does not.
    """
    lines = [f"**{_label('say')}** {segment.say}", "", f"**{_label('show')}** {segment.show}"]
    for question in segment.ask:
        lines += ["", f"**{_label('ask')}** {question.question} "
                      f"*{_label('expected')}* {question.expected}"]
    for mistake in mistakes:
        if mistake.segment == segment.key:
            lines += ["", f"**{_label('mistake')}** {mistake.symptom} → {mistake.fix}"]
    return "\n".join(lines)


def lesson_segment_notes(lesson_id: str) -> dict[str, str]:
    """``{English segment title: what its trainer-note cell shows}`` for one lesson, in the
    current language (the key is the English title a lesson source's marker names)."""
    from tiktok_lab.course.syllabus import load_lesson

    notes = read_notes(load_lesson(lesson_id))
    return {segment.key: segment_note(segment, notes.mistakes) for segment in notes.segments}


def lesson_segments(lesson_id: str) -> dict[str, Segment]:
    """``{English segment title: segment}`` of one lesson's notes (numbered, checked)."""
    from tiktok_lab.course.syllabus import load_lesson

    return {segment.key: segment for segment in read_notes(load_lesson(lesson_id)).segments}

def _quiz_section(quiz: Explained) -> list[str]:
    """Every question of the lesson's quiz, its right answer and why, to debrief."""
    if not quiz:
        return []
    lines = ["", f"## {_label('quiz_all')}"]
    for number, (question, why) in enumerate(quiz.values(), start=1):
        lines += ["", f"**{_label('quiz_number', number=number)}** {question}  ",
                  f"*{_label('answer')}* {why or ''}".rstrip()]
    return lines


def _cuts(lesson: Lesson, notes: TrainerNotes, short_formats: tuple[str, ...] = ()) -> list[str]:
    lines = ["", f"## {_label('late')}", ""]
    lines += [f"- {cut}" for cut in lesson.cut_if_late] or [_label("no_cut")]
    if lesson.short:
        lines += _short_version(lesson, notes, short_formats)
    return lines


def _short_version(lesson: Lesson, notes: TrainerNotes, short_formats: tuple[str, ...]
                   ) -> list[str]:
    """The short version: which agendas use it, its running order with minutes, its cuts."""
    from tiktok_lab.kit.workshop.exercise_names import exercise_name

    short = lesson.short
    assert short is not None
    minutes = short.teaching_minutes + short.exercise_minutes
    used = (_label("short_formats", formats=", ".join(short_formats)) if short_formats
            else _label("short_no_format"))
    lines = ["", f"## {_label('short', minutes=minutes)}", "", used]
    if short.running_order:
        segments = {segment.key: segment for segment in notes.segments}
        lines += ["", _label("short_order"), "",
                  f"| {_label('col.when')} | {_label('col.minutes')} | {_label('col.segment')} |",
                  "| --- | ---: | --- |"]
        clock = 0
        for key, length in short.running_order.items():
            segment = segments[key]
            done = [exercise_name(lesson.id, e) for e in segment.exercises
                    if e in short.exercises]
            if short.quiz and segment.quiz_questions:
                done.append(_label("short_quiz"))
            what = segment.title + "".join(f"<br>{item}" for item in done)
            lines.append(f"| {_offset(clock)}–{_offset(clock + length)} | {length} | {what} |")
            clock += length
    lines += ["", _label("short_intro"), "", *[f"- {item}" for item in short.skip]]
    return lines


def exercise_texts(lesson_id: str) -> Explained:
    """``{exercise id: (task, explanation)}`` in the current language, in the notebook's order."""
    from tiktok_lab.course.exercises import exercise_lesson_ids, load_exercise_rows

    if lesson_id not in exercise_lesson_ids():
        return {}
    texts: Explained = {}
    for row in load_exercise_rows(lesson_id):
        if row.kind == "decision":  # the brief and its question; the strongest option and why
            best = row.strongest
            texts[row.id] = (f"{localized(row.brief)} {localized(row.question)}",
                             f"{localized(best.text)} ({localized(best.feedback)})")
        elif row.kind == "open":  # the brief and its question; what the rubric checks (there
            # is no model answer: the check finds words, the trainer judges the quality)
            texts[row.id] = (f"{localized(row.brief)} {localized(row.question)}",
                             t("trainer_notes.no_model_answer") + " " + " ".join(
                                 localized(element.label)
                                 for element in row.rubric))
        else:
            texts[row.id] = (localized(row.task),
                             localized(row.explanation) if row.explanation else None)
    return texts


def quiz_texts(lesson_id: str) -> Explained:
    """``{question id: (question, right answer and why)}`` in the current language."""
    from tiktok_lab.course.quizzes import load_quiz, quiz_files

    if not any(path.name == f"{lesson_id}.yaml" for path in quiz_files()):
        return {}
    texts: Explained = {}
    for question in load_quiz(lesson_id).questions:
        right = [answer for answer in question.answers if answer.correct]
        why = localized(right[0].feedback) if right else None
        if right and hasattr(right[0], "answer"):
            names = t("agenda.separator").join(localized(answer.answer) for answer in right)
            why = f"{names}. {why}"
        texts[question.id] = (localized(question.question), why)
    return texts


def notes_pages() -> dict[str, str]:
    """``{"workshop/notes/<lesson>.md": page}`` for every lesson (``workshop/fr/notes/`` in
    French)."""
    from tiktok_lab.kit.workshop.formats import load_workshop_settings

    notes = load_all_notes()
    formats = load_workshop_settings().formats
    return {notes_page(lesson.id):
            notes_markdown(lesson, notes[lesson.id], exercise_texts(lesson.id),
                           quiz_texts(lesson.id),
                           tuple(fmt.name for fmt in formats
                                 if fmt.lessons.get(lesson.id) == "short"))
            for lesson in load_lessons()}
