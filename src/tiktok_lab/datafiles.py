"""Read the course's content files (YAML in ``tiktok_lab/data``) and check them.

Trainers and translators edit these files by hand, often without Python, so
every problem is reported in words they can act on: which file, which row
(counted from 1, as a person counts, with its ``id`` and line), which field,
and what is wrong. Everything else in the package reads data through here,
so a broken file fails loudly in one recognisable way: ``DataFileError``.

Nothing is read at import time; results are cached per file (and its
modification time), so notebooks can call the loaders as often as they like.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

SCHEMA_VERSION = 1
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


class DataFileError(ValueError):
    """A content file is missing, unreadable or breaks one of its rules.

    The attributes let tests and tools point at the problem; the message
    alone is enough for a person.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str,
        row: int | None = None,
        row_id: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.row = row
        self.row_id = row_id
        self.field = field
        self.line = line


def _problem(
    file: str,
    detail: str,
    *,
    row: int | None = None,
    row_id: str | None = None,
    field: str | None = None,
    item: str = "",
    line: int | None = None,
) -> DataFileError:
    """Build the error with its one-line message, e.g.
    ``figures.yaml, row 12 (id "mau-2020-07", line 140), field "confidence": must be ...``."""
    where = [file]
    if row is not None:
        extras = [f'id "{row_id}"'] if row_id else []
        extras += [f"line {line}"] if line else []
        where.append(f"row {row}" + (f" ({', '.join(extras)})" if extras else ""))
    elif line:
        where.append(f"line {line}")
    if field:
        where.append(f'field "{field}"{item}')
    message = f"{', '.join(where)}: {detail}"
    return DataFileError(message, file=file, row=row, row_id=row_id, field=field, line=line)


# --------------------------------------------------------------------------
# Row models. Field order matters: a validator can only see fields declared
# above it (the unit before the value, the precision before the date).


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_kebab_id(value: str) -> str:
    if not _KEBAB.match(value):
        raise ValueError(
            f'"{_short(value)}" must be kebab-case: lower-case letters and digits joined by "-"'
        )
    return value


def _percent_in_range(value: float, info: ValidationInfo) -> float:
    if info.data.get("unit") == "percent" and not 0 <= value <= 100:
        raise ValueError(f"is {value:g}, but a percent must be between 0 and 100")
    return value


KebabId = Annotated[Text, AfterValidator(_check_kebab_id)]
Value = Annotated[FiniteNumber, AfterValidator(_percent_in_range)]


class FigureRow(_Row):
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


class ClaimRow(_Row):
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
        raise ValueError(f'"{_short(text)}" must end with a question mark')
    return text


def _starts_with_verb(text: str) -> str:
    verb = text.split()[0]
    if verb not in OBJECTIVE_VERBS:
        raise ValueError(
            f'"{_short(text)}" must start with a capitalised action verb such as '
            f"{', '.join(sorted(OBJECTIVE_VERBS))} (it starts with \"{verb}\")"
        )
    return text


Question = Annotated[Text, AfterValidator(_is_question)]
Objective = Annotated[Text, AfterValidator(_starts_with_verb)]


class LessonRow(_Row):
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

    @field_validator("id")
    @classmethod
    def _id_matches_number(cls, value: str, info: ValidationInfo) -> str:
        match = _LESSON_ID.match(value)
        if not match:
            raise ValueError(
                f'"{_short(value)}" must look like "03_feed": '
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


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------
# Turning pydantic's errors into plain words.

_PLAIN = {
    "missing": "is missing",
    "extra_forbidden": "is not a known field (check its spelling)",
    "finite_number": "must be a finite number, not NaN or infinity",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be text (put it in quotes if YAML reads it as a number or date)",
    "string_too_short": "must not be empty",
    "tuple_type": "must be a list, one item per line starting with \"- \"",
    "list_type": "must be a list, one item per line starting with \"- \"",
    "date_type": "must be a date written YYYY-MM-DD",
}


def _plain_words(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", ", ").replace("'", "")
        return f"must be one of {expected}"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} items"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    bounds = {
        "greater_than": "more than",
        "greater_than_equal": "at least",
        "less_than": "less than",
        "less_than_equal": "at most",
    }
    if kind in bounds:
        limit = next(iter(ctx.values()), "?")
        return f"must be {bounds[kind]} {limit}"
    message = str(error.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _field_name(loc: tuple[Any, ...]) -> tuple[str | None, str]:
    """("questions", 2) -> ("questions", " (item 3)"): items counted from 1."""
    if not loc:
        return None, ""
    field = str(loc[0])
    items = [f"item {part + 1}" for part in loc[1:] if isinstance(part, int)]
    return field, (f" ({', '.join(items)})" if items else "")


def _row_id(row: Any) -> str | None:
    if isinstance(row, Mapping):
        value = row.get("id")
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return _short(str(value).strip(), 50) or None
    return None


def _combine(problems: list[DataFileError]) -> DataFileError:
    """Keep the first problem's attributes; list every problem in the message
    so a trainer fixes a row in one go rather than one error per run."""
    first = problems[0]
    if len(problems) == 1:
        return first
    message = "\n".join(str(problem) for problem in problems)
    return DataFileError(
        message,
        file=first.file,
        row=first.row,
        row_id=first.row_id,
        field=first.field,
        line=first.line,
    )


def _without_knock_on_errors(errors: list[Any]) -> list[Any]:
    """Drop "too few items" when an item of the same list is itself wrong:
    pydantic counts only valid items, so fixing the item fixes the count."""
    bad_items = {error["loc"][0] for error in errors if len(error.get("loc", ())) > 1}
    return [
        error
        for error in errors
        if not (
            error.get("type") == "too_short" and error.get("loc") and error["loc"][0] in bad_items
        )
    ] or errors


M = TypeVar("M", bound=BaseModel)


def validate_row(
    model: type[M],
    data: Any,
    *,
    file: str,
    row: int | None = None,
    line: int | None = None,
) -> M:
    """Check one row against its model.

    Whatever ``data`` holds, the only exception is ``DataFileError``: content
    errors must never surface as a pydantic traceback in a notebook.
    """
    row_id = _row_id(data)
    if not isinstance(data, Mapping):
        raise _problem(file, 'must be a group of "field: value" lines', row=row, line=line)
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        problems = []
        for error in _without_knock_on_errors(exc.errors()):
            field, item = _field_name(tuple(error.get("loc", ())))
            detail = _plain_words(error)
            problems.append(
                _problem(file, detail, row=row, row_id=row_id, field=field, item=item, line=line)
            )
        raise _combine(problems) from None


# --------------------------------------------------------------------------
# Reading YAML documents.

Source = Union[str, os.PathLike, Traversable]


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses a field written twice in one row (PyYAML would
    silently keep the last one, hiding a copy-paste mistake)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f'the field "{key}" appears twice', key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _as_source(source: Source) -> Path | Traversable:
    return Path(source) if isinstance(source, (str, os.PathLike)) else source


def _parse_yaml(name: str, text: str) -> tuple[Any, yaml.Node | None]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "could not be read"
        if not isinstance(exc, yaml.constructor.ConstructorError):
            problem = (
                f"this is not valid YAML ({problem}); "
                "check the indentation, colons and quotes here or just above"
            )
        raise _problem(name, problem, line=line) from None
    except yaml.YAMLError as exc:
        raise _problem(name, f"this is not valid YAML ({exc})") from None
    finally:
        loader.dispose()
    return data, node


def _read_text(source: Path | Traversable) -> str:
    name = source.name
    try:
        return source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _problem(name, f"the file was not found ({source})") from None
    except UnicodeDecodeError:
        raise _problem(name, "the file must be saved as UTF-8 text") from None
    except OSError as exc:
        raise _problem(name, f"the file could not be read ({exc.strerror or exc})") from None


def _check_header(name: str, doc: Any, key: str) -> None:
    """Every file starts ``schema_version: 1`` then ``<key>:``; older or newer
    layouts are refused rather than half-read."""
    if not isinstance(doc, Mapping):
        raise _problem(
            name, f'must start with "schema_version: {SCHEMA_VERSION}" and a "{key}:" section'
        )
    version = doc.get("schema_version")
    if "schema_version" not in doc:
        raise _problem(
            name,
            f'is missing; add "schema_version: {SCHEMA_VERSION}" at the top',
            field="schema_version",
        )
    if type(version) is not int or version != SCHEMA_VERSION:
        raise _problem(
            name,
            f"is {version!r}, but this version of tiktok-lab reads schema version {SCHEMA_VERSION}",
            field="schema_version",
        )
    if key not in doc:
        raise _problem(name, "is missing", field=key)
    extra = sorted(str(k) for k in doc if k not in ("schema_version", key))
    if extra:
        raise _problem(name, "is not a known top-level field (check its spelling)", field=extra[0])


def _item_lines(node: yaml.Node | None, key: str) -> list[int | None]:
    """Line number (from 1) of each item of the list under ``key``."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value_node.value]
    return []


def _stamp(source: Path | Traversable) -> tuple[int, int] | None:
    """Part of the cache key, so an edited file is read again."""
    try:
        info = os.stat(source)  # type: ignore[arg-type]
    except (TypeError, OSError):
        return None
    return info.st_mtime_ns, info.st_size


@functools.lru_cache(maxsize=128)
def _rows_cached(
    source: Path | Traversable, stamp: Any, key: str, model: type[M]
) -> tuple[M, ...]:
    name = source.name
    doc, node = _parse_yaml(name, _read_text(source))
    _check_header(name, doc, key)
    items = doc[key]
    if not isinstance(items, list):
        raise _problem(name, 'must be a list, each row starting with "- "', field=key)
    lines = _item_lines(node, key) + [None] * len(items)
    rows = tuple(
        validate_row(model, item, file=name, row=index + 1, line=lines[index])
        for index, item in enumerate(items)
    )
    _check_unique_ids(name, rows, lines)
    return rows


def _check_unique_ids(name: str, rows: tuple[BaseModel, ...], lines: list[int | None]) -> None:
    """Ids are how notebooks and claims refer to rows, so a repeat is an error."""
    first_seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        row_id = getattr(row, "id", None)
        if row_id in first_seen:
            raise _problem(
                name,
                f'"{row_id}" is already used by row {first_seen[row_id]}; ids must be unique',
                row=index + 1,
                row_id=row_id,
                field="id",
                line=lines[index],
            )
        first_seen.setdefault(row_id, index + 1)


@functools.lru_cache(maxsize=128)
def _record_cached(source: Path | Traversable, stamp: Any, key: str, model: type[M]) -> M:
    name = source.name
    doc, _ = _parse_yaml(name, _read_text(source))
    _check_header(name, doc, key)
    return validate_row(model, doc[key], file=name)


def read_rows(source: Source, key: str, model: type[M]) -> tuple[M, ...]:
    """Read a file made of ``schema_version`` and a list of rows under ``key``.

    Rows come back in file order (lessons and charts rely on it), frozen, so
    the cached tuple can be shared safely.
    """
    path = _as_source(source)
    return _rows_cached(path, _stamp(path), key, model)


def read_record(source: Source, key: str, model: type[M]) -> M:
    """Read a file made of ``schema_version`` and one record under ``key``."""
    path = _as_source(source)
    return _record_cached(path, _stamp(path), key, model)


def data_dir() -> Traversable:
    """The packaged ``data`` folder, found on each call (never at import)."""
    return files("tiktok_lab") / "data"


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
    base = _as_source(folder) if folder is not None else data_dir() / "lessons"
    if not base.is_dir():
        raise _problem(base.name, f"the lessons folder was not found ({base})")
    paths = sorted((p for p in base.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    if not paths:
        raise _problem(base.name, "the folder holds no lesson files (*.yaml)")
    lessons = []
    for path in paths:
        lesson = read_record(path, "lesson", LessonRow)
        stem = path.name.removesuffix(".yaml")
        if lesson.id != stem:
            raise _problem(
                path.name, f'is "{lesson.id}" but must match the file name "{stem}"', field="id"
            )
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: lesson.number)
    numbers = [lesson.number for lesson in lessons]
    if numbers != list(range(len(numbers))):
        raise _problem(
            base.name,
            "lesson numbers must run 0, 1, 2 ... without gaps or repeats; found "
            + ", ".join(str(n) for n in numbers),
            field="number",
        )
    return tuple(lessons)


class UnknownIdError(KeyError):
    """A look-up by id failed; shows the message plainly (KeyError would
    print it in quotes) and suggests the ids the user probably meant."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def unknown_id(kind: str, wanted: object, known: list[str]) -> UnknownIdError:
    """Build the error for a missing id, listing close ids: typos and
    half-remembered ids ("mau-2020-07") are the usual cause in a notebook."""
    text = str(wanted)
    contains = [candidate for candidate in known if text and text in candidate]
    similar = difflib.get_close_matches(text, known, n=5, cutoff=0.6)
    close = list(dict.fromkeys(contains + similar))[:5]
    hint = f" Did you mean: {', '.join(close)}?" if close else f" There are {len(known)} {kind}s."
    return UnknownIdError(f'No {kind} has the id "{text}".{hint}')
