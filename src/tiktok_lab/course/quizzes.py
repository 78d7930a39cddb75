"""Quizzes: the questions of each lesson, read from data, and how answers are checked.

Over 400 lines: the quiz file's model and the evaluation of each question kind, side by side,
one kind after another.

Each lesson's quiz is one file, ``data/quizzes/<lesson_id>.yaml``, in a format
close to jupyterquiz's (``multiple_choice``, ``many_choice`` and ``numeric``
questions, each answer with its own feedback), written in YAML so trainers and
translators can edit it without Python::

    schema_version: 1
    questions:
      - id: run-a-cell
        type: multiple_choice
        question: {en: "How do you run a code cell?", fr: "Comment exécuter une cellule ?"}
        answers:
          - answer: {en: "Shift + Enter", fr: "Maj + Entrée"}
            correct: true
            feedback: {en: "It runs the cell.", fr: "Elle exécute la cellule."}
          - ...

Numeric answers are ``{type: value, value: 7, correct: true, feedback: ...}``,
``{type: range, range: [lo, hi], correct: false, feedback: ...}`` (both ends
included, unlike jupyterquiz's half-open ranges, so ``[8, 8]`` means 8) and
one ``{type: default, feedback: ...}`` last, for any other number. A numeric
question may set ``precision``: the decimal places the learner's number is
rounded to before checking (jupyterquiz now counts significant digits). Any
question may give a ``source``, shown with the feedback, and ``seen_in``: the ids of
the documents of ``data/sources.yaml`` behind it, linked beside the source. Every text is given in
English and French (``core.content_types.TranslatedText``).

This module has no widgets: loading, checking an answer (:func:`evaluate`) and
the seeded order of the options (:func:`answer_order`) are plain functions,
tested without Jupyter. ``tiktok_lab.ui.quiz`` draws them.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tiktok_lab.core.content_types import ContentModel, TranslatedText
from tiktok_lab.core.datafiles import (
    Source,
    plain_words,  # the same plain words for an answer's fields as for a row's
    as_source,
    data_dir,
    file_error,
    read_rows,
    unknown_id,
)
from tiktok_lab.core.i18n import (
    format_number,
    get_language,
    localized,
    normalise_language,
    t,
)
from tiktok_lab.core.schemas import FiniteNumber, KebabId
from tiktok_lab.core.sources import check_file_cites

QuestionType = Literal["multiple_choice", "many_choice", "numeric"]
CHOICE_TYPES = ("multiple_choice", "many_choice")
MIN_OPTIONS, MAX_OPTIONS = 2, 6
MAX_INPUT_LENGTH = 100  # longer "numbers" are pasted text, not answers

# --------------------------------------------------------------------------
# Models. Field order matters: a validator only sees the fields above it.


class ChoiceAnswer(ContentModel):
    """One option of a multiple_choice or many_choice question."""

    answer: TranslatedText
    correct: StrictBool
    feedback: TranslatedText


class NumericAnswer(ContentModel):
    """One entry of a numeric question: a value, a range (ends included) or the default."""

    type: Literal["value", "range", "default"]
    value: FiniteNumber | None = None
    range: tuple[FiniteNumber, FiniteNumber] | None = None
    correct: StrictBool | None = None
    feedback: TranslatedText

    @model_validator(mode="after")
    def _fields_match_type(self) -> "NumericAnswer":
        if self.type == "value":
            if self.value is None:
                raise ValueError('a "value" answer needs "value:" with the number')
            if self.range is not None:
                raise ValueError('a "value" answer takes "value:", not "range:"')
        elif self.type == "range":
            if self.range is None:
                raise ValueError('a "range" answer needs "range: [low, high]"')
            if self.value is not None:
                raise ValueError('a "range" answer takes "range:", not "value:"')
            low, high = self.range
            if low > high:
                raise ValueError(f"the range [{low:g}, {high:g}] must go from low to high")
        else:
            if self.value is not None or self.range is not None:
                raise ValueError(
                    'the "default" answer is for any other number: remove its value or range'
                )
            if self.correct:
                raise ValueError(
                    'the "default" answer is for any other number, so it cannot be correct'
                )
        if self.type != "default" and self.correct is None:
            raise ValueError('add "correct: true" or "correct: false" to say whether it is right')
        return self

    @property
    def bounds(self) -> tuple[float, float] | None:
        """The closed interval this entry covers (None for the default)."""
        if self.type == "value" and self.value is not None:
            return (self.value, self.value)
        if self.type == "range" and self.range is not None:
            return self.range
        return None

    def matches(self, number: float) -> bool:
        bounds = self.bounds
        if bounds is None:
            return self.type == "default"
        low, high = bounds
        if low == high:
            return math.isclose(number, low, rel_tol=1e-9, abs_tol=1e-9)
        return low <= number <= high


class QuizQuestion(ContentModel):
    """One question of a lesson's quiz (one row of ``data/quizzes/<lesson>.yaml``)."""

    id: KebabId
    type: QuestionType
    question: TranslatedText
    precision: Annotated[StrictInt, Field(ge=0, le=10)] | None = None
    answers: Union[tuple[ChoiceAnswer, ...], tuple[NumericAnswer, ...]]
    source: TranslatedText | None = None
    seen_in: tuple[KebabId, ...] = ()

    @field_validator("precision")
    @classmethod
    def _numeric_only(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("type")
        if value is not None and kind is not None and kind != "numeric":
            raise ValueError("is only used by numeric questions")
        return value

    @field_validator("answers", mode="plain")
    @classmethod
    def _check_answers(cls, value: Any, info: ValidationInfo) -> tuple:
        if not isinstance(value, (list, tuple)):
            raise ValueError('must be a list, one answer per line starting with "- "')
        kind = info.data.get("type")
        if kind is None:  # the type itself is wrong and reported; nothing to check against
            return ()
        model = NumericAnswer if kind == "numeric" else ChoiceAnswer
        answers, problems = [], []
        for number, item in enumerate(value, 1):
            if not isinstance(item, Mapping):
                problems.append(f'answer {number} must be a group of "field: value" lines')
                continue
            try:
                answers.append(model.model_validate(dict(item)))
            except ValidationError as exc:
                problems.extend(_answer_problem(number, error) for error in exc.errors())
        if problems:
            raise ValueError("; ".join(problems))
        if kind == "numeric":
            _check_numeric(answers)
        else:
            _check_choices(kind, answers)
        return tuple(answers)


def _answer_problem(number: int, error: Mapping[str, Any]) -> str:
    """``in answer 2, "feedback" is missing`` or ``answer 2: <what is wrong>``."""
    names = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    kind = error.get("type")
    if kind in ("bool_type", "bool_parsing"):
        detail = "must be true or false"
    elif kind == "missing" and names[:1] == ["feedback"]:
        detail = "is missing: every answer needs feedback that says why it is right or wrong"
    else:
        detail = plain_words(error)
    if names:
        return f'in answer {number}, "{names[0]}" {detail}'
    return f"answer {number}: {detail}"


def _numbers(indices: Iterable[int]) -> str:
    return ", ".join(str(index + 1) for index in indices)


def _check_choices(kind: str, answers: list[ChoiceAnswer]) -> None:
    if not MIN_OPTIONS <= len(answers) <= MAX_OPTIONS:
        count = f"only {len(answers)} answer" if len(answers) == 1 else f"{len(answers)} answers"
        raise ValueError(
            f"has {count}, but a choice question offers {MIN_OPTIONS} to {MAX_OPTIONS}"
        )
    right = [i for i, answer in enumerate(answers) if answer.correct]
    if kind == "multiple_choice" and len(right) != 1:
        if not right:
            raise ValueError('has no correct answer: mark exactly one with "correct: true"')
        raise ValueError(
            f"has {len(right)} correct answers (answers {_numbers(right)}), but a "
            "multiple_choice question has exactly one; use many_choice to accept several"
        )
    if kind == "many_choice":
        if not right:
            raise ValueError('has no correct answer: mark at least one with "correct: true"')
        if len(right) == len(answers):
            raise ValueError(
                'has only correct answers: add at least one wrong one ("correct: false")'
            )
    seen: dict[str, int] = {}
    for index, answer in enumerate(answers):
        label = localized(answer.answer, language="en").casefold()
        if label in seen:
            raise ValueError(
                f"answers {seen[label] + 1} and {index + 1} have the same text; "
                "learners could not tell them apart"
            )
        seen[label] = index


def _check_numeric(answers: list[NumericAnswer]) -> None:
    defaults = [i for i, answer in enumerate(answers) if answer.type == "default"]
    if defaults != [len(answers) - 1]:
        raise ValueError(
            'needs exactly one "type: default" answer, last, with the feedback for any other number'
            + (f" (found at answers {_numbers(defaults)})" if defaults else "")
        )
    entries = list(enumerate(answers[:-1]))
    if not any(answer.correct for _, answer in entries):
        raise ValueError('has no correct value or range: mark one with "correct: true"')
    for position, (i, first) in enumerate(entries):
        for j, second in entries[position + 1:]:
            if first.correct == second.correct:
                continue  # overlapping entries that agree only refine the feedback
            (low1, high1), (low2, high2) = first.bounds, second.bounds  # type: ignore[misc]
            if max(low1, low2) <= min(high1, high2):
                raise ValueError(
                    f"answers {i + 1} and {j + 1} overlap, but one is correct and the other "
                    "is not: a number in both could not be checked"
                )


# --------------------------------------------------------------------------
# Loading.


@dataclass(frozen=True)
class Quiz:
    """The quiz of one lesson, questions in file order."""

    lesson_id: str
    questions: tuple[QuizQuestion, ...]

    def question(self, question_id: str) -> QuizQuestion:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise unknown_id("question", question_id, [q.id for q in self.questions])


def quizzes_dir() -> Traversable:
    """The packaged ``data/quizzes`` folder."""
    return data_dir() / "quizzes"


def quiz_files(folder: Source | None = None) -> list[Path | Traversable]:
    """Every quiz file of ``data/quizzes`` (or of ``folder``), sorted by name."""
    base = as_source(folder) if folder is not None else quizzes_dir()
    if not base.is_dir():
        return []
    return sorted((p for p in base.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


def read_quiz(path: Source) -> Quiz:
    """Read and check one quiz file; its name (without ``.yaml``) is the lesson id.

    Problems raise ``DataFileError`` naming the file, the question (row) and the field.
    """
    source = as_source(path)
    name = source.name
    questions = read_rows(source, "questions", QuizQuestion)
    check_file_cites(source)
    if not questions:
        raise file_error(name, "must hold at least one question", field="questions")
    return Quiz(lesson_id=name.removesuffix(".yaml"), questions=questions)


def load_quiz(lesson_id: str, folder: Source | None = None) -> Quiz:
    """The quiz of one lesson, e.g. ``"00_start_here"``; a KeyError suggests close ids."""
    files = {path.name.removesuffix(".yaml"): path for path in quiz_files(folder)}
    if lesson_id not in files:
        raise unknown_id("quiz", lesson_id, sorted(files))
    return read_quiz(files[lesson_id])


# --------------------------------------------------------------------------
# Order of the options.


def answer_order(lesson_id: str, question: QuizQuestion) -> tuple[int, ...]:
    """The options' indices (as in the file) in the order to show them.

    Choice options are shuffled with a seed made of the lesson and question
    ids only, so every participant, every run and every trainer's screen show
    the same order, and authors can write the right answer first without
    giving it away. Numeric entries are not shown, so not shuffled.
    """
    order = list(range(len(question.answers)))
    if question.type in CHOICE_TYPES:
        random.Random(f"{lesson_id}:{question.id}").shuffle(order)
    return tuple(order)


# --------------------------------------------------------------------------
# Checking an answer.


@dataclass(frozen=True)
class QuizResult:
    """The verdict on one answer.

    ``attempted`` is False when nothing checkable was given (no option chosen,
    text that is not a number): the learner is told what to do and the try is
    not recorded. ``feedback`` holds plain text in the learner's language,
    to be escaped before it goes into HTML. ``missed`` counts the right
    options of a many_choice question that were not ticked. ``notice`` says
    why the answer could not be saved, when it could not (set by the widget
    that records it).
    """

    correct: bool
    attempted: bool
    feedback: tuple[str, ...]
    missed: int = 0
    number: float | None = None
    notice: str = ""


_SEPARATORS = re.compile(r"[\s'’_]")  # 1 234 / 1'234 / 1_234 (NFKC turns NBSPs into spaces)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d{1,4})?", re.ASCII)
_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)  # 1,234,567.5
_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)  # 1.234.567,5
_ONE_COMMA_GROUP = re.compile(r"[+-]?\d{1,3},\d{3}", re.ASCII)  # 1,234: thousands or decimals?


def parse_number(value: Any, *, language: str | None = None) -> float | None:
    """What a learner typed, as a finite number, or None when it is not one.

    Accepts ``12``, ``  12 ``, ``3,5`` and ``3.5``, ``1 234,5``, ``1,234.5``,
    ``-2``, ``1e3`` and a trailing ``%``. ``1,234`` is one thousand two hundred
    and thirty-four in English and one point two three four in French. Never
    raises: anything else (letters, emoji, NaN, infinity, overflowing numbers)
    gives None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except (OverflowError, ValueError):
            return None
        return number if math.isfinite(number) else None
    if not isinstance(value, str) or len(value) > MAX_INPUT_LENGTH:
        return None
    text = unicodedata.normalize("NFKC", value).replace("\u2212", "-")
    text = _SEPARATORS.sub("", text).removesuffix("%")
    if _PLAIN_NUMBER.fullmatch(text):
        english = (normalise_language(language) or get_language()) == "en"
        if english and _ONE_COMMA_GROUP.fullmatch(text):
            text = text.replace(",", "")
        text = text.replace(",", ".")
    elif _COMMA_GROUPS.fullmatch(text):
        text = text.replace(",", "")
    elif _DOT_GROUPS.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    else:
        return None
    try:
        number = float(text)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _one_index(value: Any, count: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < count else None


def _indices(value: Any, count: int) -> list[int]:
    """Chosen options of a many_choice question, tolerant of whatever is passed."""
    if value is None or isinstance(value, (str, bytes)):
        return []
    if isinstance(value, int):
        index = _one_index(value, count)
        return [] if index is None else [index]
    try:
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    except (Exception, SystemExit):  # not iterable, not sortable, or an exit(): nothing chosen
        return []
    chosen: list[int] = []
    for item in items:
        index = _one_index(item, count)
        if index is not None and index not in chosen:
            chosen.append(index)
    return chosen


def _not_attempted(message: str) -> QuizResult:
    return QuizResult(correct=False, attempted=False, feedback=(message,))


def evaluate(question: QuizQuestion, answer: Any, *, language: str | None = None) -> QuizResult:
    """Check a learner's answer to ``question``; never raises on learner input.

    ``answer`` is the index of the chosen option for multiple_choice (as in the
    file, see :func:`answer_order`), the indices of the ticked options for
    many_choice, and the number or the text typed for numeric.
    """
    language = normalise_language(language) or get_language()
    if question.type == "multiple_choice":
        return _evaluate_one(question, answer, language)
    if question.type == "many_choice":
        return _evaluate_many(question, answer, language)
    return _evaluate_number(question, answer, language)


def _evaluate_one(question: QuizQuestion, answer: Any, language: str) -> QuizResult:
    index = _one_index(answer, len(question.answers))
    if index is None:
        return _not_attempted(t("quiz.choose_first", language=language))
    option = question.answers[index]
    return QuizResult(
        correct=bool(option.correct),
        attempted=True,
        feedback=(localized(option.feedback, language=language),),
    )


def _evaluate_many(question: QuizQuestion, answer: Any, language: str) -> QuizResult:
    chosen = _indices(answer, len(question.answers))
    if not chosen:
        return _not_attempted(t("quiz.tick_first", language=language))
    right = {i for i, option in enumerate(question.answers) if option.correct}
    missed = len(right - set(chosen))
    feedback = [localized(question.answers[i].feedback, language=language) for i in chosen]
    if missed == 1:
        feedback.append(t("quiz.missed_one", language=language))
    elif missed > 1:
        feedback.append(t("quiz.missed_many", language=language, count=missed))
    return QuizResult(
        correct=set(chosen) == right, attempted=True, feedback=tuple(feedback), missed=missed
    )


def _evaluate_number(question: QuizQuestion, answer: Any, language: str) -> QuizResult:
    number = parse_number(answer, language=language)
    if number is None:
        return _not_attempted(t("quiz.not_a_number", language=language))
    if question.precision is not None:
        number = round(number, question.precision)
    entry = next(e for e in question.answers if e.matches(number))  # the default always matches
    typed = t("quiz.you_typed", language=language,
              number=_show_number(number, question.precision, language))
    return QuizResult(
        correct=bool(entry.correct),
        attempted=True,
        feedback=(typed, localized(entry.feedback, language=language)),
        number=number,
    )


def _show_number(number: float, precision: int | None, language: str) -> str:
    """The number as understood, in the learner's notation (``3,5`` in French)."""
    if abs(number) >= 1e15:  # a pasted or silly number: no need for 300 digits
        return f"{number:.3g}"
    digits = precision if precision is not None else 3
    return format_number(number, language=language, digits=digits)
