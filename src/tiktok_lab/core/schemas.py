"""The rules each content file must follow: figures, article claims, lessons.

These rules exist because the course prints the data to learners. A figure
shown without its source, date or confidence, a percent above 100, or a
date more precise than the source is teaching something false, so such
rows are refused when the file is read, not discovered during a workshop.
Lessons are checked for what trainers rely on: questions that are
questions, objectives a learner can be seen doing, minutes that add up to a
schedule, and numbers that give the notebooks their order.

Reading the YAML and wording the errors is ``datafiles``' job; this module
only says what a valid row is and where each file lives.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    Field,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from tiktok_lab.core.content_types import ContentModel
from tiktok_lab.core.datafiles import (
    Source,
    as_source,
    data_dir,
    file_error,
    read_record,
    read_rows,
    shorten,
)

EARLIEST_DATE = dt.date(2016, 1, 1)  # TikTok (Douyin) launched in 2016

# facts.md grades some figures with a range ("Medium–High"); we keep that
# nuance as two in-between levels instead of rounding it away.
Confidence = Literal["High", "Medium-High", "Medium", "Low-Medium", "Low", "Unverified"]
CONFIDENCE_LEVELS: tuple[str, ...] = tuple(reversed(get_args(Confidence)))  # weakest first

Topic = Literal[
    "users",
    "ad_reach",
    "downloads",
    "time_spent",
    "sessions",
    "audience",
    "country",
    "video_length",
    "ads_format",
    "ads_budget",
    "engagement",
]
Unit = Literal[
    "people",
    "downloads",
    "percent",
    "percent change",
    "rank",
    "minutes per day",
    "minutes per month",
    "opens per day",
    "seconds",
    "days",
    "videos per week",
    "videos",
    "challenges",
    "USD",
    "USD per scheduled day",
]
DatePrecision = Literal["day", "month", "quarter", "year"]
ClaimStatus = Literal["verified", "partly-verified", "untraceable"]
ArticleSection = Literal[
    "Qu’est-ce que TikTok ?",
    "TikTok en chiffres",
    "Comment TikTok sélectionne les vidéos de mon flux ?",
    "TikTok, est-ce vraiment une opportunité ?",
    "Quelques conseils pour publier sur TikTok",
    "Quelles sont les possibilités publicitaires offertes par TikTok ?",
]
ARTICLE_SECTIONS: tuple[str, ...] = get_args(ArticleSection)

# Objectives are things a learner can be seen doing, so each starts with one
# of these verbs ("Understand" and "Know" are deliberately absent).
OBJECTIVE_VERBS: frozenset[str] = frozenset(
    """Apply Assemble Build Chart Check Choose Compare Compute Describe Distinguish
    Draft Estimate Explain Export Find Identify Justify List Plan Read Recognise
    Run Save Score Spot Use Write""".split()
)

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LESSON_ID = re.compile(r"^(\d\d)_[a-z][a-z0-9_]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#]\S*)?$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FiniteNumber = Annotated[float, Field(strict=True, allow_inf_nan=False)]


# --------------------------------------------------------------------------
# Row models. Field order matters: a validator can only see fields declared
# above it (the unit before the value, the precision before the date).


def _check_kebab_id(value: str) -> str:
    if not _KEBAB.match(value):
        raise ValueError(
            f'"{shorten(value)}" must be kebab-case: lower-case letters and digits joined by "-"'
        )
    return value


def _percent_in_range(value: float, info: ValidationInfo) -> float:
    if info.data.get("unit") == "percent" and not 0 <= value <= 100:
        raise ValueError(f"is {value:g}, but a percent must be between 0 and 100")
    return value


KebabId = Annotated[Text, AfterValidator(_check_kebab_id)]
Value = Annotated[FiniteNumber, AfterValidator(_percent_in_range)]


class FigureRow(ContentModel):
    """One sourced figure of ``figures.yaml``."""

    id: KebabId
    topic: Topic
    metric: Text
    unit: Unit
    value: Value
    scope: Text
    date_precision: DatePrecision
    date: dt.date
    source: Text
    via: Text | None = None
    url: Text | None = None
    confidence: Confidence
    reported_as: Text | None = None
    note: Text | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        return _parse_date(value)

    @field_validator("date")
    @classmethod
    def _plausible_date(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        _check_date_range(value)
        _check_precision(value, info.data.get("date_precision"))
        return value

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not _HTTPS_URL.match(value):
            raise ValueError('must be a web address starting with "https://"')
        return value


class ClaimRow(ContentModel):
    """One figure quoted by the 2020 article, with what the sources say about it."""

    id: KebabId
    claim: Text
    unit: Unit
    value: Value
    scope: Text
    article_section: ArticleSection
    cited_source: Text | None = None
    status: ClaimStatus
    finding: Text
    related_figure_ids: tuple[KebabId, ...] = ()
    confidence: Confidence


def _is_question(text: str) -> str:
    if not text.endswith("?"):
        raise ValueError(f'"{shorten(text)}" must end with a question mark')
    return text


def _starts_with_verb(text: str) -> str:
    verb = text.split()[0]
    if verb not in OBJECTIVE_VERBS:
        raise ValueError(
            f'"{shorten(text)}" must start with a capitalised action verb such as '
            f"{', '.join(sorted(OBJECTIVE_VERBS))} (it starts with \"{verb}\")"
        )
    return text


Question = Annotated[Text, AfterValidator(_is_question)]
Objective = Annotated[Text, AfterValidator(_starts_with_verb)]


class ShortVersion(ContentModel):
    """How a lesson shrinks for a short workshop (the 90-minute agenda).

    Trainers need to know in advance what a short format drops, so it is
    written here, beside the lesson, rather than improvised on the day.
    """

    teaching_minutes: Annotated[StrictInt, Field(ge=0, le=120)]
    exercise_minutes: Annotated[StrictInt, Field(ge=0, le=120)]
    # Exercise ids of data/exercises/<lesson>.yaml still done (checked by ``agendas``).
    exercises: tuple[Text, ...] = ()
    quiz: bool = False
    # Positions in ``objectives`` (1 = the first) still reached.
    objectives: Annotated[tuple[Annotated[StrictInt, Field(ge=1)], ...], Field(min_length=1)]
    skip: Annotated[tuple[Text, ...], Field(min_length=1)]


class PracticeBlock(ContentModel):
    """Deeper practice after the lesson, in formats that have the time (the full day)."""

    title: Text
    minutes: Annotated[StrictInt, Field(ge=5, le=120)]
    how: Text


class LessonRow(ContentModel):
    """The metadata of one lesson (one file in ``data/lessons/``)."""

    number: Annotated[StrictInt, Field(ge=0, le=99)]
    id: Text
    title: Text
    goal: Text
    article_section: ArticleSection | None = None
    questions: Annotated[tuple[Question, ...], Field(min_length=2, max_length=4)]
    objectives: Annotated[tuple[Objective, ...], Field(min_length=3, max_length=5)]
    key_points: Annotated[tuple[Text, ...], Field(min_length=3, max_length=5)]
    teaching_minutes: Annotated[StrictInt, Field(gt=0, le=120)]
    exercise_minutes: Annotated[StrictInt, Field(gt=0, le=120)]
    # Workshop formats (see ``agendas``); never shown in the notebooks.
    short: ShortVersion | None = None
    cut_if_late: tuple[Text, ...] = ()
    practice: PracticeBlock | None = None

    @field_validator("id")
    @classmethod
    def _id_matches_number(cls, value: str, info: ValidationInfo) -> str:
        match = _LESSON_ID.match(value)
        if not match:
            raise ValueError(
                f'"{shorten(value)}" must look like "03_feed": '
                'two digits, "_", then lower-case words'
            )
        number = info.data.get("number")
        if number is not None and int(match.group(1)) != number:
            raise ValueError(f'"{value}" must start with "{number:02d}_" to match its number')
        return value

    @field_validator("goal")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value:
            raise ValueError("must fit on one line")
        return value

    @field_validator("short")
    @classmethod
    def _shorter_than_full(cls, value: ShortVersion | None,
                           info: ValidationInfo) -> ShortVersion | None:
        if value is None:
            return value
        for part in ("teaching_minutes", "exercise_minutes"):
            full = info.data.get(part)
            if full is not None and getattr(value, part) > full:
                raise ValueError(f"{part} is {getattr(value, part)}, more than the full "
                                 f"lesson's {full}: a short version cannot be longer")
        count = len(info.data.get("objectives") or ())
        beyond = [n for n in value.objectives if n > count]
        if count and beyond:
            raise ValueError(f"objectives names objective {beyond[0]}, but the lesson has "
                             f"{count} (count from 1)")
        return value


def _parse_date(value: Any) -> Any:
    """Accept YAML dates and quoted "YYYY-MM-DD" text, nothing looser."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date without a time, written YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError("must be a date written YYYY-MM-DD, for example 2020-07-01")


def _check_date_range(value: dt.date) -> None:
    today = dt.date.today()
    if value > today:
        raise ValueError(f"{value.isoformat()} is in the future (today is {today.isoformat()})")
    if value < EARLIEST_DATE:
        raise ValueError(
            f"{value.isoformat()} is before {EARLIEST_DATE.year}, the year TikTok launched"
        )


def _check_precision(value: dt.date, precision: str | None) -> None:
    """A month or year figure must sit on the first day, so that sorting and
    charting never suggest a precision the source does not have."""
    expected = {
        "month": value.replace(day=1),
        "quarter": dt.date(value.year, 3 * ((value.month - 1) // 3) + 1, 1),
        "year": dt.date(value.year, 1, 1),
    }.get(precision or "day", value)
    if value != expected:
        raise ValueError(
            f"{value.isoformat()} must be {expected.isoformat()} "
            f'because date_precision is "{precision}"'
        )


# --------------------------------------------------------------------------
# The three content files (or folders) and their readers.


def read_figure_rows(path: Source | None = None) -> tuple[FigureRow, ...]:
    """The rows of ``figures.yaml`` (or of ``path``, for tests and trainers)."""
    source = path if path is not None else data_dir() / "figures.yaml"
    return read_rows(source, "figures", FigureRow)


def read_claim_rows(path: Source | None = None) -> tuple[ClaimRow, ...]:
    """The rows of ``article_claims.yaml`` (or of ``path``)."""
    source = path if path is not None else data_dir() / "article_claims.yaml"
    return read_rows(source, "claims", ClaimRow)


def read_lesson_rows(folder: Source | None = None) -> tuple[LessonRow, ...]:
    """Every lesson file of ``data/lessons`` (or of ``folder``), sorted by number.

    The files are checked together too: each id matches its file name, and the
    numbers run 0, 1, 2 ... without gaps or repeats, because navigation cells
    and the workshop schedule are built from this order.
    """
    base = as_source(folder) if folder is not None else data_dir() / "lessons"
    if not base.is_dir():
        raise file_error(base.name, f"the lessons folder was not found ({base})")
    paths = sorted((p for p in base.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    if not paths:
        raise file_error(base.name, "the folder holds no lesson files (*.yaml)")
    lessons = []
    for path in paths:
        lesson = read_record(path, "lesson", LessonRow)
        stem = path.name.removesuffix(".yaml")
        if lesson.id != stem:
            raise file_error(
                path.name, f'is "{lesson.id}" but must match the file name "{stem}"', field="id"
            )
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: lesson.number)
    numbers = [lesson.number for lesson in lessons]
    if numbers != list(range(len(numbers))):
        raise file_error(
            base.name,
            "lesson numbers must run 0, 1, 2 ... without gaps or repeats; found "
            + ", ".join(str(n) for n in numbers),
            field="number",
        )
    return tuple(lessons)
