"""The class file: everything one participant shares with the trainer, in one JSON document.

One format for both transports (a class hub's drop-box folder, a file handed over on a USB
stick or by mail), validated field by field on read: the trainer's view trusts nothing a file
holds. A file is *one participant's current share*: a later file of the same participant
replaces an earlier one, and a withdrawn item is simply absent from the next file.

The participant is a random identifier made once per ``my_work/`` (never their account
name); ``name`` is what they typed to be shown as, or ``None`` to stay anonymous. A strategy
is stored as the builder's own record (``Strategy.to_dict``) and read back through
``Strategy.from_dict``, which cuts every text at the builder's limits.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, StrictBool, StrictInt,
                      ValidationError, field_validator)

from tiktok_lab.core.cleaning import sendable_text
from tiktok_lab.core.i18n import SUPPORTED_LANGUAGES, t
from tiktok_lab.core.schemas import FiniteNumber

FORMAT = "tiktok-lab-class-share"
SCHEMA_VERSION = 1
#: A full strategy is about 10 KB of JSON and a day's quizzes 5 KB; 256 KB leaves room for
#: every text at its limit and refuses a file that is plainly something else.
MAX_FILE_BYTES = 256_000
#: What a display name may hold: a first name and an initial, a team name ("Team 3").
MAX_NAME_CHARS = 40
PARTICIPANT_PATTERN = r"^[0-9a-f]{32}$"
LESSON_PATTERN = r"^\d\d_[a-z][a-z_]*$"
#: The items a participant can share: one per lesson quiz, their progress, their strategy.
PROGRESS = "progress"
STRATEGY = "strategy"
QUIZ_PREFIX = "quiz:"

LessonId = Annotated[str, Field(pattern=LESSON_PATTERN, max_length=40)]
#: A question's id (``strong-signal``) and an exercise's key (``03_feed/slow-tutorial``); the
#: participant's side leaves out what does not match rather than writing a refused file.
QUESTION_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
EXERCISE_KEY_PATTERN = r"^\d\d_[a-z][a-z_]*/[a-z0-9]+(-[a-z0-9]+)*$"
QuestionId = Annotated[str, Field(pattern=QUESTION_PATTERN, max_length=80)]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]


def quiz_item(lesson_id: str) -> str:
    """The item id of a lesson's quiz (``quiz:03_feed``)."""
    return f"{QUIZ_PREFIX}{lesson_id}"


def clean_name(value: str | None) -> str | None:
    """A display name as typed, made safe to keep: no control characters, spaces folded,
    at most ``MAX_NAME_CHARS``; empty means anonymous (``None``)."""
    if value is None:
        return None
    text = sendable_text(str(value))
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    text = " ".join(text.split())[:MAX_NAME_CHARS].strip()
    return text or None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Choice = Annotated[list[Annotated[StrictInt, Field(ge=0, le=99)]], Field(max_length=30)]
Number = FiniteNumber | None


class SharedAnswer(_Strict):
    """The last answer given to one quiz question: the options ticked (their index in the
    quiz file), or the number typed; and whether it was right. The ``first_`` fields are the
    first answer, given before any feedback (absent: the same as the last)."""

    correct: StrictBool
    choice: Choice | None = None
    number: Number = None
    first_correct: StrictBool | None = None
    first_choice: Choice | None = None
    first_number: Number = None

    def first(self) -> "SharedAnswer":
        """The first answer as an answer of its own (the last one when no first was kept)."""
        if self.first_correct is None:
            return self
        return SharedAnswer(correct=self.first_correct, choice=self.first_choice,
                            number=self.first_number)


class SharedQuiz(_Strict):
    answers: Annotated[dict[QuestionId, SharedAnswer], Field(max_length=60)] = {}


class SharedLesson(_Strict):
    """One lesson of the progress panel: what the course plans and what was done."""

    opened: StrictBool = False
    exercises: Count = 0
    solved: Count = 0
    questions: Count = 0
    right: Count = 0

    @property
    def done(self) -> bool:
        planned = self.exercises + self.questions
        return bool(planned) and self.solved + self.right >= planned


class SharedProgress(_Strict):
    lessons: Annotated[dict[LessonId, SharedLesson], Field(max_length=40)] = {}
    #: Unsuccessful checks per exercise, keyed ``<lesson_id>/<exercise_id>``.
    unsuccessful: Annotated[dict[Annotated[str, Field(
        pattern=EXERCISE_KEY_PATTERN, max_length=120)], Count],
        Field(max_length=200)] = {}


class ShareFile(_Strict):
    """One participant's share: the items they chose, as of ``updated_at``."""

    format: Literal["tiktok-lab-class-share"] = FORMAT
    schema_version: Literal[1] = SCHEMA_VERSION
    participant: Annotated[str, Field(pattern=PARTICIPANT_PATTERN)]
    name: Annotated[str | None, Field(max_length=MAX_NAME_CHARS)] = None
    language: Literal[SUPPORTED_LANGUAGES] = "en"  # type: ignore[valid-type]
    updated_at: datetime
    quizzes: Annotated[dict[LessonId, SharedQuiz], Field(max_length=40)] = {}
    progress: SharedProgress | None = None
    strategy: dict[str, Any] | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and clean_name(value) != value:
            raise ValueError("a display name holds no control characters or outer spaces")
        return value

    @field_validator("updated_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("the time must say its time zone")
        return value

    @field_validator("strategy")
    @classmethod
    def _strategy(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        from tiktok_lab.lessons.strategy.plan import Strategy

        return Strategy.from_dict(value).to_dict()

    @property
    def items(self) -> tuple[str, ...]:
        """The items this file shares, in a stable order."""
        return (*(quiz_item(lesson) for lesson in sorted(self.quizzes)),
                *((PROGRESS,) if self.progress is not None else ()),
                *((STRATEGY,) if self.strategy is not None else ()))


class ShareFileError(ValueError):
    """A file that is not a usable class file; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def encode(share: ShareFile) -> bytes:
    """The file's bytes: UTF-8 JSON, keys sorted, so two equal shares give equal files."""
    data = share.model_dump(mode="json", exclude_none=True)
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def decode(raw: bytes, *, language: str | None = None) -> ShareFile:
    """A class file from bytes, or :class:`ShareFileError` saying (in ``language``) what is
    wrong: too big, not JSON, not a class file, from a newer release, or damaged."""
    if len(raw) > MAX_FILE_BYTES:
        raise ShareFileError(t("room.file.too_big", language=language))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ShareFileError(t("room.file.not_json", language=language)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ShareFileError(t("room.file.foreign", language=language))
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ShareFileError(t("room.file.newer", language=language))
    try:
        return ShareFile.model_validate(data)
    except ValidationError as error:
        where = ".".join(str(part) for part in error.errors()[0]["loc"]) or "?"
        raise ShareFileError(t("room.file.damaged", language=language, field=where)) from None


def export_name(share: ShareFile) -> str:
    """The name of the file a participant hands over: readable by the trainer, unique per
    participant (``tiktok-lab-class-anne-b-3f9c2a.json``)."""
    slug = unicodedata.normalize("NFKD", share.name or "anonymous")
    slug = re.sub(r"[^a-z0-9]+", "-", slug.encode("ascii", "ignore").decode().lower()).strip("-")
    return f"tiktok-lab-class-{slug[:24] or 'anonymous'}-{share.participant[:6]}.json"
