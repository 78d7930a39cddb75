"""The learner's ``progress`` and ``settings`` documents as typed models, repaired on read.

The store guarantees a file is whole, ours and JSON; it cannot know what each
document holds. A hand edit, a restored download or an older release can carry
``"attempts": "three"``, ``1e400``, ``NaN``, ``{"lessons": []}`` or a verdict
of ``7``, and every ``check()``, hint and quiz answer reads the progress
document. So each document is read through one model whose fields repair
themselves instead of refusing the file (refusing would throw away the rest of
the learner's record):

- a count (attempts, hints) that is not a finite whole number becomes 0, a
  negative one 0, a huge one (``1e400``) the field's ceiling;
- a verdict this release does not know is dropped, like a time that is not a
  date and time, and an answer that is not text;
- a yes/no is yes only when it is ``true`` (``"yes"`` or ``1`` are not);
- a group (lessons, exercises, quiz) that is not an object is empty, and a
  record that is not an object is dropped;
- a language the course does not speak is forgotten (the default applies).

Fields a later release may add are kept as they are, so saving never loses
them. Validators never raise: ``from_saved`` turns any JSON value into a model.
Reading and writing stay in :mod:`tiktok_lab.course.progress_log` (``read_progress``)
and :mod:`tiktok_lab.work.settings` (``read_settings``), one read path per document.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainValidator

from tiktok_lab.core.cleaning import sendable_text
from tiktok_lab.core.i18n import normalise_language

__all__ = [
    "MAX_ATTEMPTS", "MAX_HINTS", "SOLVED", "VERDICTS", "ExerciseRecord", "LessonEntry",
    "ProgressDocument", "QuizRecord", "SavedModel", "SettingsDocument",
]

# Ceilings for counters: far above what a learner clicks in a course (a workshop
# day is a few hundred checks), low enough to stay a plain whole number in JSON.
MAX_ATTEMPTS = 1_000_000
MAX_HINTS = 100  # an exercise has a handful of hints
VERDICTS = ("not_attempted", "not_yet", "correct", "recorded")
SOLVED = ("correct", "recorded")
_LONGEST_TIME = 40  # "2026-11-25T21:50:00.123456+00:00" is 32 characters

_Model = TypeVar("_Model", bound="SavedModel")


class SavedModel(BaseModel):
    """A part of a saved document: known fields repaired, unknown ones kept as they are."""

    model_config = ConfigDict(extra="allow", validate_default=False, revalidate_instances="never")

    @classmethod
    def from_saved(cls: type[_Model], value: Any) -> _Model:
        """The model for whatever was saved (anything that is not an object: empty)."""
        if isinstance(value, cls):
            return value
        if not isinstance(value, dict):
            return cls()
        return cls.model_validate({key: item for key, item in value.items() if isinstance(key, str)})

    def to_saved(self) -> dict[str, Any]:
        """The JSON object to save: unknown fields first, then the known ones that are set."""
        saved = dict(self.__pydantic_extra__ or {})
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, dict):
                value = {key: item.to_saved() if isinstance(item, SavedModel) else item
                         for key, item in value.items()}
                if not value:
                    continue
            elif value is None:
                continue
            saved[name] = value
        return saved


# --------------------------------------------------------------------------
# Repairing validators: each takes any JSON value and never raises.


def _count(ceiling: int) -> PlainValidator:
    def repair(value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return 0
        if isinstance(value, float):
            if math.isnan(value):
                return 0
            if math.isinf(value):
                return ceiling if value > 0 else 0
        return int(min(max(value, 0), ceiling))

    return PlainValidator(repair)


def _flag(value: Any) -> bool | None:
    return None if value is None else value is True


def _moment(value: Any) -> str | None:
    """An ISO date and time as saved by ``progress_log`` (anything else is dropped)."""
    if not isinstance(value, str) or len(value) > _LONGEST_TIME:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def _verdict(value: Any) -> str | None:
    return value if isinstance(value, str) and value in VERDICTS else None


def _text(value: Any) -> str | None:
    """A learner's text, kept whole (only made valid Unicode)."""
    return sendable_text(value) if isinstance(value, str) else None


def _language(value: Any) -> str | None:
    return normalise_language(value) if isinstance(value, str) else None


def _records(model: type[SavedModel]) -> PlainValidator:
    """``{id: record}``, keeping only the records that are objects."""

    def repair(value: Any) -> dict[str, SavedModel]:
        if not isinstance(value, dict):
            return {}
        return {key: model.from_saved(item) for key, item in value.items()
                if isinstance(key, str) and isinstance(item, dict)}

    return PlainValidator(repair)


Count = Annotated[int | None, _count(MAX_ATTEMPTS)]
HintCount = Annotated[int | None, _count(MAX_HINTS)]
Flag = Annotated[bool | None, PlainValidator(_flag)]
Moment = Annotated[str | None, PlainValidator(_moment)]
Status = Annotated[Literal["not_attempted", "not_yet", "correct", "recorded"] | None,
                   PlainValidator(_verdict)]
Text = Annotated[str | None, PlainValidator(_text)]
Language = Annotated[str | None, PlainValidator(_language)]


# --------------------------------------------------------------------------
# progress: {"lessons": {lesson_id: LessonEntry}}


class ExerciseRecord(SavedModel):
    """What the learner did with one exercise; None means "never recorded"."""

    verdict: Status = None
    attempts: Count = None
    hints: HintCount = None
    solution_seen: Flag = None
    answer: Text = None  # a reflection's text (bounded when saved: progress_log)
    not_yet: Count = None  # checks that said "not yet" (the trainer's "who is stuck" counts them)
    at: Moment = None

    @property
    def solved(self) -> bool:
        return self.verdict in SOLVED


def _quiz_answer(value: Any) -> list[int] | float | None:
    """The last answer to a quiz question: option indices (at most 30, each 0-99), or a
    finite number; anything else is dropped."""
    if isinstance(value, list):
        if len(value) <= 30 and all(isinstance(i, int) and not isinstance(i, bool)
                                    and 0 <= i <= 99 for i in value):
            return sorted(set(value))
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


class QuizRecord(SavedModel):
    """One quiz question: right once given, how many tries, when last; the first and the last
    answer given, each with whether it was right (what the room sees when the quiz is shared)."""

    correct: Flag = None
    attempts: Count = None
    answer: Annotated[list[int] | float | None, PlainValidator(_quiz_answer)] = None
    answer_correct: Flag = None
    # The first answer given, before any feedback: what the room really thought (the trainer's
    # view shows first answers by default; retries fill the chart with right answers).
    first_answer: Annotated[list[int] | float | None, PlainValidator(_quiz_answer)] = None
    first_correct: Flag = None
    at: Moment = None


class LessonEntry(SavedModel):
    """One lesson: when it was opened, its exercises and quiz questions by id."""

    opened_at: Moment = None
    last_opened_at: Moment = None
    exercises: Annotated[dict[str, ExerciseRecord], _records(ExerciseRecord)] = Field(
        default_factory=dict)
    quiz: Annotated[dict[str, QuizRecord], _records(QuizRecord)] = Field(default_factory=dict)

    def exercise(self, exercise_id: str) -> ExerciseRecord:
        """The exercise's record, created (empty) if there is none yet."""
        return self.exercises.setdefault(exercise_id, ExerciseRecord())

    def question(self, question_id: str) -> QuizRecord:
        """The question's record, created (empty) if there is none yet."""
        return self.quiz.setdefault(question_id, QuizRecord())


class ProgressDocument(SavedModel):
    """The whole ``progress`` document."""

    lessons: Annotated[dict[str, LessonEntry], _records(LessonEntry)] = Field(
        default_factory=dict)

    def lesson(self, lesson_id: str) -> LessonEntry:
        """The lesson's entry, created (empty) if there is none yet."""
        return self.lessons.setdefault(lesson_id, LessonEntry())


# --------------------------------------------------------------------------
# settings: {"language": "fr"}


class SettingsDocument(SavedModel):
    """The learner's choices kept across notebooks (the language, for now)."""

    language: Language = None
