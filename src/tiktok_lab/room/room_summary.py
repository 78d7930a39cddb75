"""What the room shared, counted for the trainer's view and the end-of-class summary.

Pure functions of a list of :class:`~tiktok_lab.room.share_file.ShareFile`: no widget, no
file access (``class_folder`` reads, ``ui/class_view`` draws). Every text a participant
typed stays a plain string here; escaping is the drawing side's job (``core.html.esc``).

- **Quiz:** per question of a lesson's quiz, how many participants gave each answer (their
  first answer, before any feedback; or their last), options in the quiz file's order, and which one is right (the view hides
  it until the trainer reveals it). A number question is counted by the quiz file's own
  answer rows ("8", "between 9 and 12", "any other number").
- **Progress:** per lesson, how many of those sharing their progress opened it and finished
  it (every planned exercise and question done).
- **Stuck:** the exercises with the most unsuccessful checks across the room, and how many
  participants had at least one.
- **Strategies:** the strategies shared, each under its display name (or "Anonymous N" for
  those who stay anonymous, numbered in the order they shared).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from tiktok_lab.core.cleaning import shorten
from tiktok_lab.core.i18n import format_number, localized, t
from tiktok_lab.course.exercises import exercise_number, load_exercise
from tiktok_lab.course.quizzes import NumericAnswer, QuizQuestion, load_quiz
from tiktok_lab.course.syllabus import load_lessons
from tiktok_lab.lessons.strategy.plan import Strategy
from tiktok_lab.room.share_file import ShareFile


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    correct: bool


@dataclass(frozen=True)
class QuestionTally:
    """The room's answers to one question (each participant's first, or last)."""

    id: str
    number: int
    text: str
    options: tuple[OptionCount, ...]
    answered: int
    right: int


@dataclass(frozen=True)
class LessonProgress:
    lesson_id: str
    title: str
    sharing: int
    opened: int
    finished: int


@dataclass(frozen=True)
class StuckExercise:
    lesson_id: str
    exercise_id: str
    label: str
    unsuccessful: int
    participants: int


@dataclass(frozen=True)
class SharedStrategy:
    shown_as: str
    anonymous: bool
    strategy: Strategy
    updated_at: str


def quiz_lessons(shares: Iterable[ShareFile]) -> list[str]:
    """The lessons whose quiz at least one participant shared, in course order."""
    shared = {lesson for share in shares for lesson in share.quizzes}
    return [lesson.id for lesson in load_lessons() if lesson.id in shared]


def _numeric_label(answer: NumericAnswer, precision: int | None, language: str | None) -> str:
    digits = precision if precision is not None else 3
    if answer.type == "value":
        return format_number(answer.value, language=language, digits=digits)
    if answer.type == "range":
        low, high = (format_number(v, language=language, digits=digits) for v in answer.range)
        return t("room.quiz.range", language=language, low=low, high=high)
    return t("room.quiz.other_number", language=language)


def _tally(question: QuizQuestion, number: int, answers: Sequence, language: str | None
           ) -> QuestionTally:
    counts: Counter[int] = Counter()
    if question.type == "numeric":
        labels = [_numeric_label(a, question.precision, language) for a in question.answers]
        for answer in answers:
            if answer.number is not None:
                value = (round(answer.number, question.precision)
                         if question.precision is not None else answer.number)
                counts[next(i for i, row in enumerate(question.answers) if row.matches(value))] += 1
    else:
        labels = [localized(a.answer, language=language) for a in question.answers]
        for answer in answers:
            for index in set(answer.choice or ()):
                if index < len(labels):
                    counts[index] += 1
    options = tuple(OptionCount(label, counts[i], bool(row.correct))
                    for i, (label, row) in enumerate(zip(labels, question.answers)))
    return QuestionTally(question.id, number, localized(question.question, language=language),
                         options, len(answers), sum(1 for a in answers if a.correct))


def quiz_tallies(shares: Iterable[ShareFile], lesson_id: str, *,
                 language: str | None = None, first: bool = True) -> list[QuestionTally]:
    """Each question of ``lesson_id``'s quiz with the room's answers: by default each
    participant's first answer, given before any feedback (the quiz lets everyone retry until
    right, so last answers mostly show the right one); ``first=False`` counts the last.
    Questions no longer in the quiz are ignored: a file from an older course counts what
    still exists."""
    shared = [share.quizzes[lesson_id] for share in shares if lesson_id in share.quizzes]
    quiz = load_quiz(lesson_id)

    def pick(answer):
        return answer.first() if first else answer

    return [_tally(question, number,
                   [pick(s.answers[question.id]) for s in shared if question.id in s.answers],
                   language)
            for number, question in enumerate(quiz.questions, 1)]


def progress_by_lesson(shares: Iterable[ShareFile]) -> list[LessonProgress]:
    """Per lesson, in course order: participants sharing progress, opened, finished."""
    progress = [share.progress for share in shares if share.progress is not None]
    rows = []
    for lesson in load_lessons():
        entries = [p.lessons[lesson.id] for p in progress if lesson.id in p.lessons]
        rows.append(LessonProgress(lesson.id, lesson.title, len(progress),
                                   sum(1 for e in entries if e.opened or e.solved or e.right),
                                   sum(1 for e in entries if e.done)))
    return rows


def exercise_label(lesson_id: str, exercise_id: str, *, language: str | None = None) -> str:
    """"Lesson 03, exercise 2: <its question, or its task, shortened>" (what the trainer
    reads aloud), or the bare ids for an exercise this release no longer has."""
    try:
        number = exercise_number(lesson_id, exercise_id)
        exercise = load_exercise(lesson_id, exercise_id)
        asks = getattr(exercise, "question", None)  # a decision's or an open answer's question
        task = asks(language) if callable(asks) else exercise.task(language)
    except (KeyError, LookupError, ValueError):
        return f"{lesson_id} · {exercise_id}"
    first = " ".join(task.split())
    return t("room.stuck.label", language=language, lesson=lesson_id[:2], number=number,
             task=shorten(first, 90))


def stuck_exercises(shares: Iterable[ShareFile], *, top: int = 5,
                    language: str | None = None) -> list[StuckExercise]:
    """The ``top`` exercises with the most unsuccessful checks (ties: fewest participants
    first would hide a common problem, so more participants first, then course order)."""
    checks: Counter[str] = Counter()
    people: Counter[str] = Counter()
    for share in shares:
        if share.progress is None:
            continue
        for key, count in share.progress.unsuccessful.items():
            if count > 0:
                checks[key] += count
                people[key] += 1
    ranked = sorted(checks, key=lambda key: (-checks[key], -people[key], key))[:top]
    return [StuckExercise(*key.split("/", 1),
                          exercise_label(*key.split("/", 1), language=language),
                          checks[key], people[key]) for key in ranked]


def shared_strategies(shares: Iterable[ShareFile], *,
                      language: str | None = None) -> list[SharedStrategy]:
    """The strategies shared, in the order they were shared (a stable gallery)."""
    gallery = []
    anonymous = 0
    for share in shares:
        if share.strategy is None:
            continue
        if share.name is None:
            anonymous += 1
            shown = t("room.anonymous", language=language, number=anonymous)
        else:
            shown = share.name
        gallery.append(SharedStrategy(shown, share.name is None,
                                      Strategy.from_dict(share.strategy),
                                      share.updated_at.isoformat()))
    return gallery


def summary_markdown(shares: Sequence[ShareFile], *, language: str | None = None,
                     class_name: str = "") -> str:
    """The end-of-class summary a trainer keeps: quiz results with the right answers, progress
    per lesson, where the room was stuck, the strategies' one-line gist. Participants'
    names are left out (the trainer exports a summary, not a register)."""
    from tiktok_lab.lessons.strategy.brief import summary_rows

    say = lambda key, **values: t(key, language=language, **values)  # noqa: E731
    lines = [f"# {say('room.summary.title')}{(' · ' + class_name) if class_name else ''}", "",
             say("room.summary.counts", people=len(shares)), ""]
    for lesson_id in quiz_lessons(shares):
        lines += [f"## {say('room.summary.quiz', lesson=lesson_id[:2])}", ""]
        for tally in quiz_tallies(shares, lesson_id, language=language):
            lines.append(f"**{tally.number}. {_md(tally.text)}** "
                         f"({say('room.summary.right', right=tally.right, answered=tally.answered)})")
            lines.append("")
            for option in tally.options:
                mark = " ✓" if option.correct else ""
                lines.append(f"- {_md(option.label)}{mark}: {option.count}")
            lines.append("")
    progress = progress_by_lesson(shares)
    if progress and progress[0].sharing:
        lines += [f"## {say('room.summary.progress')}", "",
                  f"| {say('room.progress.lesson')} | {say('room.progress.opened')} | "
                  f"{say('room.progress.finished')} |", "| --- | --- | --- |"]
        lines += [f"| {_md(row.title)} | {row.opened} / {row.sharing} | "
                  f"{row.finished} / {row.sharing} |" for row in progress]
        lines.append("")
    stuck = stuck_exercises(shares, language=language)
    if stuck:
        lines += [f"## {say('room.summary.stuck')}", ""]
        lines += [f"- {_md(row.label)}: "
                  f"{say('room.stuck.counts', checks=row.unsuccessful, people=row.participants)}"
                  for row in stuck]
        lines.append("")
    gallery = shared_strategies(shares, language=language)
    if gallery:
        lines += [f"## {say('room.summary.strategies', count=len(gallery))}", ""]
        for item in gallery:
            s = item.strategy
            lines.append(f"### {_md(s.brand or say('room.strategy.untitled'))}")
            lines.append("")
            lines += [f"- **{_md(row.label)}** {_md(row.value)}"
                      for row in summary_rows(s, language=language)]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """A participant's text made inert in Markdown (no links, emphasis, HTML or tables)."""
    out = []
    for char in " ".join(str(text).split()):
        out.append("\\" + char if char in "\\`*_{}[]()#|<>~" else char)
    return "".join(out)
