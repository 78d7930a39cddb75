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
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    Field,
    StrictInt,
    ValidationInfo,
    field_validator,
)

from tiktok_lab.core.content_types import (  # noqa: F401  (EARLIEST_DATE, KebabId: used by others)
    EARLIEST_DATE,
    ContentModel,
    KebabId,
    LocalizedName,
    LocalizedText,
    Text,
    check_date_range,
    check_precision,
    parse_date,
)
from tiktok_lab.core.i18n import DEFAULT_LANGUAGE
from tiktok_lab.core.sources import SeenIn, check_seen_in, registry_beside
from tiktok_lab.core.datafiles import (
    Source,
    as_source,
    data_dir,
    file_error,
    read_record,
    read_rows,
    row_line,
    shorten,
)

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
    "exchange_rates",
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
    "USD per EUR",
    "GBP per EUR",
    "CHF per EUR",
    "CAD per EUR",
]
DatePrecision = Literal["day", "month", "quarter", "year"]
# "more than / over / +" in the source: the value is a floor, always shown as "more than".
Bound = Literal["lower"]
# A figure dated by when its page was published, not by when it was measured (a report's
# launch, an average over months): citations say "published <date>", not "as of <date>".
DatedBy = Literal["publication"]
DividedBy = Literal["followers", "views", "impressions", "not_stated"]
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
# of these verbs ("Understand" and "Know" are deliberately absent), in the
# language being read: English verbs, French infinitives ("Comprendre" and
# "Connaître" are absent for the same reason).
OBJECTIVE_VERBS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": frozenset(
        """Apply Assemble Build Chart Check Choose Compare Compute Describe Distinguish
        Draft Estimate Explain Export Find Identify Justify List Plan Read Recognise
        Run Save Score Spot Use Write""".split()
    ),
    "fr": frozenset(
        """Appliquer Assembler Calculer Choisir Classer Comparer Construire Décrire Distinguer
        Écrire Enregistrer Estimer Expliquer Exporter Identifier Justifier Lancer Lire
        Lister Noter Planifier Reconnaître Rédiger Repérer Tracer Trouver Utiliser
        Vérifier""".split()
    ),
}
OBJECTIVE_VERBS: frozenset[str] = OBJECTIVE_VERBS_BY_LANGUAGE["en"]

_LESSON_ID = re.compile(r"^(\d\d)_[a-z][a-z0-9_]*$")

FiniteNumber = Annotated[float, Field(strict=True, allow_inf_nan=False)]


# --------------------------------------------------------------------------
# Row models. Field order matters: a validator can only see fields declared
# above it (the unit before the value, the precision before the date).


def _percent_in_range(value: float, info: ValidationInfo) -> float:
    if info.data.get("unit") == "percent" and not 0 <= value <= 100:
        raise ValueError(f"is {value:g}, but a percent must be between 0 and 100")
    return value


Value = Annotated[FiniteNumber, AfterValidator(_percent_in_range)]


class FigureRow(ContentModel):
    """One sourced figure of ``figures.yaml``."""

    id: KebabId
    topic: Topic
    # The texts a learner reads are written {en: ..., fr: ...} and read in the reader's
    # language (core.content_types.LocalizedText); code never matches them: it uses the id.
    metric: LocalizedText
    unit: Unit
    value: Value
    scope: LocalizedText
    date_precision: DatePrecision
    date: dt.date
    source: LocalizedName
    seen_in: SeenIn
    publisher_assumed: bool = False
    bound: Bound | None = None
    dated_by: DatedBy | None = None
    confidence: Confidence
    # What a rate is divided by (engagement rates): followers | views | impressions, or
    # not_stated when the source does not say.
    divided_by: DividedBy | None = None
    reported_as: LocalizedText | None = None
    note: LocalizedText | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        return parse_date(value)

    @field_validator("date")
    @classmethod
    def _plausible_date(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        check_date_range(value)
        check_precision(value, info.data.get("date_precision"))
        return value


class ClaimRow(ContentModel):
    """One figure quoted by the 2020 article, with what the sources say about it."""

    id: KebabId
    claim: LocalizedText
    unit: Unit
    value: Value
    scope: LocalizedText
    article_section: ArticleSection
    cited_source: Text | None = None
    # A claim worded "more than" keeps its bound, as figures do (shown "more than 2 billion").
    bound: Bound | None = None
    status: ClaimStatus
    finding: LocalizedText
    related_figure_ids: tuple[KebabId, ...] = ()
    seen_in: tuple[KebabId, ...] = ()
    confidence: Confidence


def _reading(info: ValidationInfo) -> str:
    """The language a LocalizedText field was read in (``core.datafiles`` passes it)."""
    return (info.context or {}).get("language") or DEFAULT_LANGUAGE


def _is_question(text: str, info: ValidationInfo) -> str:
    if _reading(info) == "fr":
        if not text.endswith("\u00a0?"):
            raise ValueError(f'"{shorten(text)}" (fr) must end with a question mark after a '
                             "no-break space (U+00A0), as French writes \u00ab\u00a0?\u00a0\u00bb")
    elif not text.endswith("?"):
        raise ValueError(f'"{shorten(text)}" must end with a question mark')
    return text


def _starts_with_verb(text: str, info: ValidationInfo) -> str:
    language = _reading(info)
    verbs = OBJECTIVE_VERBS_BY_LANGUAGE.get(language, OBJECTIVE_VERBS)
    verb = text.split()[0]
    if verb not in verbs:
        kind = "an infinitive" if language == "fr" else "a capitalised action verb"
        raise ValueError(
            f'"{shorten(text)}" ({language}) must start with {kind} a learner can be seen '
            f"doing, such as {', '.join(sorted(verbs))} (it starts with \"{verb}\")"
        )
    return text


# Written {en: ..., fr: ...} in the lesson files, read in the reader's language.
Question = Annotated[LocalizedText, AfterValidator(_is_question)]
Objective = Annotated[LocalizedText, AfterValidator(_starts_with_verb)]


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
    # Cells of ``source/en/<lesson>.md`` left out, by id: a cell that starts a slide leaves
    # out its whole slide. The timing estimate (``kit/timing``) reads the short version from
    # these, the exercises above and ``quiz``; ``skip`` says the same in words.
    skip_cells: tuple[Text, ...] = ()
    # The short version live: ``{segment: minutes}``, the trainer-note segments kept (by their
    # English title) in order; the minutes add up to teaching + exercise minutes. The trainer
    # notes print it minute by minute (``kit/workshop/trainer_notes``).
    running_order: dict[Text, Annotated[StrictInt, Field(ge=1, le=120)]] = {}
    # Positions in ``objectives`` (1 = the first) still reached.
    objectives: Annotated[tuple[Annotated[StrictInt, Field(ge=1)], ...], Field(min_length=1)]
    skip: Annotated[tuple[LocalizedText, ...], Field(min_length=1)]


class PracticeBlock(ContentModel):
    """Deeper practice after the lesson, in formats that have the time (the full day)."""

    title: LocalizedText
    minutes: Annotated[StrictInt, Field(ge=5, le=120)]
    how: LocalizedText


class LessonRow(ContentModel):
    """The metadata of one lesson (one file in ``data/lessons/``)."""

    number: Annotated[StrictInt, Field(ge=0, le=99)]
    id: Text
    # Texts written {en: ..., fr: ...}, read in the reader's language (``LocalizedText``);
    # ``article_section`` quotes the French article's own section title, in both editions.
    title: LocalizedText
    goal: LocalizedText
    article_section: ArticleSection | None = None
    questions: Annotated[tuple[Question, ...], Field(min_length=2, max_length=4)]
    objectives: Annotated[tuple[Objective, ...], Field(min_length=3, max_length=5)]
    key_points: Annotated[tuple[LocalizedText, ...], Field(min_length=3, max_length=5)]
    teaching_minutes: Annotated[StrictInt, Field(gt=0, le=120)]
    exercise_minutes: Annotated[StrictInt, Field(gt=0, le=120)]
    # Workshop formats (see ``agendas``); never shown in the notebooks.
    short: ShortVersion | None = None
    cut_if_late: tuple[LocalizedText, ...] = ()
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


# --------------------------------------------------------------------------
# The three content files (or folders) and their readers.


def read_figure_rows(path: Source | None = None) -> tuple[FigureRow, ...]:
    """The rows of ``figures.yaml`` (or of ``path``, for tests and trainers)."""
    source = path if path is not None else data_dir() / "figures.yaml"
    rows = read_rows(source, "figures", FigureRow)
    check_rows_cite(rows, source, "figures", registry_beside(path))
    return rows


def check_rows_cite(rows: tuple, source: Source, key: str, known: Mapping[str, Any]) -> None:
    """Every ``seen_in`` id of ``rows`` names a document of the registry (``sources.yaml``)."""
    for index, row in enumerate(rows):
        if any(wanted not in known for wanted in row.seen_in):
            check_seen_in(as_source(source).name, row.seen_in, known, row=index + 1,
                          row_id=row.id, line=row_line(source, key, index))


def read_claim_rows(path: Source | None = None) -> tuple[ClaimRow, ...]:
    """The rows of ``article_claims.yaml`` (or of ``path``)."""
    source = path if path is not None else data_dir() / "article_claims.yaml"
    rows = read_rows(source, "claims", ClaimRow)
    check_rows_cite(rows, source, "claims", registry_beside(path))
    return rows


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
