"""Read the course's content files (YAML in ``tiktok_lab/data``) and check them.

Over 400 lines: by a few lines: reading a data file and explaining its errors by file, row and
field belong together.

Trainers and translators edit these files by hand, often without Python, so
every problem is reported in words they can act on: which file, which row
(counted from 1, as a person counts, with its ``id`` and line), which field,
and what is wrong. Everything else in the package reads data through here,
so a broken file fails loudly in one recognisable way: ``DataFileError``.

This module knows nothing about figures or lessons: it reads any file of
``schema_version`` plus rows, and validates each row against the pydantic
model it is given. The models themselves, and the readers of the three
content files, live in ``tiktok_lab.core.schemas``.

Nothing is read at import time; results are cached per file (and its
modification time), so notebooks can call the loaders as often as they like.
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar, Union

import yaml
from pydantic import BaseModel, ValidationError

from tiktok_lab.core.learner_errors import LearnerError

SCHEMA_VERSION = 1


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


def file_error(
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


def shorten(text: str, limit: int = 60) -> str:
    """Cut a quoted value so an error message stays one readable line."""
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


def plain_words(error: Mapping[str, Any]) -> str:
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
            return shorten(str(value).strip(), 50) or None
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
        raise file_error(file, 'must be a group of "field: value" lines', row=row, line=line)
    try:
        # The language a LocalizedText field keeps (core.content_types); the readers below
        # put it in their cache key, so French and English records never mix.
        return model.model_validate(dict(data), context={"language": _language()})
    except ValidationError as exc:
        problems = []
        for error in _without_knock_on_errors(exc.errors()):
            field, item = _field_name(tuple(error.get("loc", ())))
            detail = plain_words(error)
            problems.append(
                file_error(file, detail, row=row, row_id=row_id, field=field, item=item, line=line)
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


def as_source(source: Source) -> Path | Traversable:
    """Text and ``os.PathLike`` become a ``Path``; packaged files stay as they are."""
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
        raise file_error(name, problem, line=line) from None
    except yaml.YAMLError as exc:
        raise file_error(name, f"this is not valid YAML ({exc})") from None
    finally:
        loader.dispose()
    return data, node


def _read_text(source: Path | Traversable) -> str:
    name = source.name
    try:
        return source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise file_error(name, f"the file was not found ({source})") from None
    except UnicodeDecodeError:
        raise file_error(name, "the file must be saved as UTF-8 text") from None
    except OSError as exc:
        raise file_error(name, f"the file could not be read ({exc.strerror or exc})") from None


def _check_header(name: str, doc: Any, key: str) -> None:
    """Every file starts ``schema_version: 1`` then ``<key>:``; older or newer
    layouts are refused rather than half-read."""
    if not isinstance(doc, Mapping):
        raise file_error(
            name, f'must start with "schema_version: {SCHEMA_VERSION}" and a "{key}:" section'
        )
    version = doc.get("schema_version")
    if "schema_version" not in doc:
        raise file_error(
            name,
            f'is missing; add "schema_version: {SCHEMA_VERSION}" at the top',
            field="schema_version",
        )
    if type(version) is not int or version != SCHEMA_VERSION:
        raise file_error(
            name,
            f"is {version!r}, but this version of tiktok-lab reads schema version {SCHEMA_VERSION}",
            field="schema_version",
        )
    if key not in doc:
        raise file_error(name, "is missing", field=key)
    extra = sorted(str(k) for k in doc if k not in ("schema_version", key))
    if extra:
        raise file_error(
            name, "is not a known top-level field (check its spelling)", field=extra[0]
        )


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


def _language() -> str:
    from tiktok_lab.core.i18n import get_language

    return get_language()


@functools.lru_cache(maxsize=128)
def _rows_cached(
    source: Path | Traversable, stamp: Any, key: str, model: type[M], language: str = "en"
) -> tuple[M, ...]:
    name = source.name
    doc, node = _parse_yaml(name, _read_text(source))
    _check_header(name, doc, key)
    items = doc[key]
    if not isinstance(items, list):
        raise file_error(name, 'must be a list, each row starting with "- "', field=key)
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
            raise file_error(
                name,
                f'"{row_id}" is already used by row {first_seen[row_id]}; ids must be unique',
                row=index + 1,
                row_id=row_id,
                field="id",
                line=lines[index],
            )
        first_seen.setdefault(row_id, index + 1)


@functools.lru_cache(maxsize=128)
def _record_cached(source: Path | Traversable, stamp: Any, key: str, model: type[M],
                   language: str = "en") -> M:
    name = source.name
    doc, _ = _parse_yaml(name, _read_text(source))
    _check_header(name, doc, key)
    return validate_row(model, doc[key], file=name)


def read_rows(source: Source, key: str, model: type[M]) -> tuple[M, ...]:
    """Read a file made of ``schema_version`` and a list of rows under ``key``.

    Rows come back in file order (lessons and charts rely on it), frozen, so
    the cached tuple can be shared safely.
    """
    path = as_source(source)
    return _rows_cached(path, _stamp(path), key, model, _language())


def row_line(source: Source, key: str, index: int) -> int | None:
    """The line (from 1) of row ``index`` (from 0) under ``key``, for an error found after the
    rows were read (a check across files); None when it cannot be told."""
    try:
        _, node = _parse_yaml(as_source(source).name, _read_text(as_source(source)))
    except DataFileError:
        return None
    lines = _item_lines(node, key)
    return lines[index] if index < len(lines) else None


def read_record(source: Source, key: str, model: type[M]) -> M:
    """Read a file made of ``schema_version`` and one record under ``key``."""
    path = as_source(source)
    return _record_cached(path, _stamp(path), key, model, _language())


def data_dir() -> Traversable:
    """The packaged ``data`` folder, found on each call (never at import)."""
    return files("tiktok_lab") / "data"


class UnknownIdError(LearnerError, KeyError):
    """A look-up by id failed; shows the message plainly (KeyError would
    print it in quotes) and suggests the ids the user probably meant."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def unknown_id(kind: str, wanted: object, known: list[str], *, language: str | None = None,
               **kind_values: Any) -> UnknownIdError:
    """Build the error for a missing id, listing close ids: typos and
    half-remembered ids ("mau-2020-07") are the usual cause in a notebook.

    The message speaks the course language; ``kind`` names the list searched ("topic", or a
    collection such as "hooks"), its words in both languages under ``ids.kind`` of the strings
    (``kind_values`` fill them: ``lesson=...``). A kind not listed there is shown as given."""
    from tiktok_lab.core.i18n import format_number, load_strings, plural_category, t

    text = str(wanted)
    contains = [candidate for candidate in known if text and text in candidate]
    similar = difflib.get_close_matches(text, known, n=5, cutoff=0.6)
    close = list(dict.fromkeys(contains + similar))[:5]
    slug = kind.replace(" ", "_")
    if f"ids.kind.{slug}.one" in load_strings("en"):
        def noun(form: str) -> str:
            return t(f"ids.kind.{slug}.{form}", language=language, **kind_values)
    else:
        def noun(form: str) -> str:
            return kind if form == "one" else f"{kind}s"
    if close:
        hint = t("ids.did_you_mean", language=language, close=", ".join(close))
    else:
        form = "one" if plural_category(len(known), language=language) == "one" else "other"
        hint = t("ids.count", language=language, count=format_number(len(known), language=language),
                 kinds=noun(form))
    return UnknownIdError(t("ids.unknown", language=language, kind=noun("one"), wanted=text) + hint)
