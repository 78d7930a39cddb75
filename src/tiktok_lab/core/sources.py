"""The source registry (``data/sources.yaml``): the documents behind every figure and fact.

A learner who repeats a figure to a manager must be able to open the page it came from.
So every figure row (and every sourced fact of the other content files) names, in
``seen_in``, the ids of the documents it was seen in; each document says who published
that page, its exact title, its date at the precision the page gives, its full address
(never a bare domain) or why there is none, what kind of publication it is, and what the
course takes from it. ``docs/sources.md`` says how confidence follows from them.

Both directions are checked when the files are read: a ``seen_in`` id that names no
document is refused by the reader of the file that holds it (:func:`check_seen_in`), and
a document no content file cites is refused when the registry is read
(:func:`read_documents`): an uncited document is either a leftover or a forgotten link.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

import yaml
from pydantic import Field, ValidationInfo, field_validator, model_validator

from tiktok_lab.core.content_types import (
    ContentModel,
    KebabId,
    LocalizedName,
    LocalizedText,
    Text,
    TranslatedText,
    check_date_range,
    check_precision,
    parse_date,
)
from tiktok_lab.core.datafiles import (
    Source,
    as_source,
    data_dir,
    file_error,
    read_rows,
    shorten,
    unknown_id,
)

SOURCES_FILE = "sources.yaml"
# The content files whose rows cite documents (``seen_in``), in the order the sources page
# lists what cites a document.
CITING_FILES: tuple[str, ...] = (
    "figures.yaml",
    "article_claims.yaml",
    "platform.yaml",
    "feed_lesson.yaml",
    "feed.yaml",
    "ad_formats.yaml",
    "compliance.yaml",
    "quizzes/*.yaml",
)

DocumentKind = Literal["primary", "press", "blog", "aggregator", "article", "dataset", "paper"]
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)
# Kinds that only relay what others measured: a figure seen through these alone is at most
# "Medium" (docs/sources.md, rule 2).
SECOND_HAND_KINDS = frozenset({"aggregator", "blog"})
DocumentPrecision = Literal["day", "month", "year"]
MAX_TAKES = 200

_LANGUAGE = re.compile(r"^[a-z]{2}$")
_HOST = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def check_page_url(value: str) -> str:
    """``https://`` and a real page: a bare domain (``https://rivaliq.com/``) is refused,
    because a reader cannot find the figure on a home page."""
    if any(char.isspace() for char in value):
        raise ValueError("must not contain spaces")
    parts = urlsplit(value)
    if parts.scheme != "https" or not _HOST.match(parts.hostname or ""):
        raise ValueError('must be a web address starting with "https://"')
    if not parts.path.strip("/") and not parts.query:
        raise ValueError(
            f'"{shorten(value)}" is a bare domain: give the full address of the page '
            "the course read (with its path), or leave url out and say why in no_url"
        )
    return value


SeenIn = Annotated[tuple[KebabId, ...], Field(min_length=1)]


class Document(ContentModel):
    """One page, report or paper of ``sources.yaml``."""

    id: KebabId
    publisher: LocalizedName  # a name, or {en, fr} when it carries words ("Ecomhunt blog")
    title: Text
    date_precision: DocumentPrecision | None = None
    date: dt.date | None = None
    no_date: Text | None = None
    url: Text | None = None
    no_url: LocalizedText | None = None  # {en, fr}: shown on the sources page
    kind: DocumentKind
    language: Text
    takes: TranslatedText

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        return None if value is None else parse_date(value)

    @field_validator("date")
    @classmethod
    def _plausible_date(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if value is not None:
            if info.data.get("date_precision") is None:
                raise ValueError("needs a date_precision: day, month or year")
            check_date_range(value)
            check_precision(value, info.data.get("date_precision"))
        return value

    @field_validator("url")
    @classmethod
    def _page_url(cls, value: str | None) -> str | None:
        return None if value is None else check_page_url(value)

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str) -> str:
        if not _LANGUAGE.match(value):
            raise ValueError(f'"{shorten(value)}" must be a two-letter language code such as '
                             "en, fr or de")
        return value

    @field_validator("takes")
    @classmethod
    def _short_takes(cls, value: dict[str, str]) -> dict[str, str]:
        for language, text in value.items():
            if len(text) > MAX_TAKES:
                raise ValueError(f'is {len(text)} characters long in "{language}": say what the '
                                 f"course takes from the page in at most {MAX_TAKES}")
        return value

    @model_validator(mode="after")
    def _url_or_reason(self) -> "Document":
        if self.date is None and self.no_date is None:
            raise ValueError('needs a "date:" or, when the page shows none, a "no_date:" line '
                             "saying so")
        if self.date is not None and self.no_date is not None:
            raise ValueError('has both "date:" and "no_date:": keep the date and remove no_date')
        if self.url is None and self.no_url is None:
            raise ValueError('needs a "url:" (the full address of the page) or, when no page '
                             'can be found, a "no_url:" line saying why')
        if self.url is not None and self.no_url is not None:
            raise ValueError('has both "url:" and "no_url:": keep the url and remove no_url')
        return self


# --------------------------------------------------------------------------
# Who cites what: a plain walk of the citing files for their ``seen_in`` lists.


@dataclass(frozen=True)
class Citation:
    """One ``seen_in`` list of a content file: where it is and the ids it names."""

    file: str
    where: str  # 'catalogue.formats[7] (id "topview")', "catalogue.objectives_source"...
    row_id: str | None
    ids: tuple[str, ...]


def _walk(node: Any, where: str, row_id: str | None) -> Iterator[tuple[str, str | None, Any]]:
    if isinstance(node, Mapping):
        own_id = node.get("id") if isinstance(node.get("id"), str) else row_id
        for key, value in node.items():
            if key == "seen_in":
                yield where, own_id, value
            else:
                yield from _walk(value, f"{where}.{key}" if where else str(key), own_id)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            label = f"{where}[{index + 1}]"
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                label += f' (id "{item["id"]}")'
            yield from _walk(item, label, row_id)


def _yaml_loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _citing_paths(folder: Any) -> list[Any]:
    paths = []
    for name in CITING_FILES:
        if "*" not in name:
            paths.append(folder / name)
            continue
        sub, pattern = name.split("/", 1)
        base = folder / sub
        try:
            found = sorted((p for p in base.iterdir() if fnmatch.fnmatch(p.name, pattern)),
                           key=lambda p: p.name)
        except (FileNotFoundError, NotADirectoryError, OSError):
            continue
        paths.extend(found)
    return paths


def _stamp(path: Any) -> tuple | None:
    try:
        info = os.stat(path)
    except (TypeError, OSError):
        return None
    return info.st_mtime_ns, info.st_size


@functools.lru_cache(maxsize=64)
def _file_citations(path: Any, stamp: Any, name: str) -> tuple[Citation, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return ()
    except OSError as exc:
        raise file_error(name, f"the file could not be read ({exc})") from None
    try:
        doc = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return ()  # the file's own reader reports where its YAML is broken
    found = []
    for where, row_id, ids in _walk(doc, "", None):
        names = tuple(str(i) for i in ids) if isinstance(ids, list) else ()
        found.append(Citation(name, where, row_id, names))
    return tuple(found)


def _name_in(path: Any) -> str:
    parent = getattr(path, "parent", None)
    if parent is not None and getattr(parent, "name", "") == "quizzes":
        return f"quizzes/{path.name}"
    return path.name


def file_citations(source: Source) -> tuple[Citation, ...]:
    """The ``seen_in`` lists of one content file."""
    path = as_source(source)
    return _file_citations(path, _stamp(path), _name_in(path))


def citations(folder: Source | None = None) -> tuple[Citation, ...]:
    """Every ``seen_in`` list of the citing files in ``folder`` (the packaged data by default)."""
    base = as_source(folder) if folder is not None else data_dir()
    return tuple(citation for path in _citing_paths(base)
                 for citation in _file_citations(path, _stamp(path), _name_in(path)))


def check_file_cites(source: Source) -> None:
    """Every ``seen_in`` id of one content file (any depth) names a document of the registry
    beside it; the error names the file and where the list is."""
    path = as_source(source)
    known = registry_beside(source if isinstance(path, Path) else None)
    for citation in file_citations(source):
        where = f"{citation.where}.seen_in" if citation.where else "seen_in"
        check_seen_in(citation.file, citation.ids, known, field=where)


# --------------------------------------------------------------------------
# Reading the registry.


def _folder_of(path: Source | None) -> Any:
    if path is None:
        return data_dir()
    source = as_source(path)
    return source.parent if isinstance(source, Path) else data_dir()


def read_documents(path: Source | None = None) -> tuple[Document, ...]:
    """The documents of ``sources.yaml`` (or of ``path``), in file order.

    Every document must be cited by at least one content file in the same folder
    (:data:`CITING_FILES`); an uncited one is refused, naming its row.
    """
    source = as_source(path) if path is not None else data_dir() / SOURCES_FILE
    documents = read_rows(source, "documents", Document)
    cited = {i for citation in citations(_folder_of(path)) for i in citation.ids}
    for index, document in enumerate(documents):
        if document.id not in cited:
            raise file_error(
                source.name,
                "no content file cites this document: add its id to the seen_in list of the "
                f"rows it supports ({', '.join(CITING_FILES)}), or remove it",
                row=index + 1, row_id=document.id, field="id")
    return documents


def registry(path: Source | None = None) -> dict[str, Document]:
    """The documents by id."""
    return {document.id: document for document in read_documents(path)}


def registry_beside(path: Source | None) -> dict[str, Document]:
    """The registry that a content file at ``path`` cites: the ``sources.yaml`` next to it
    when there is one (a trainer's copy of the data), else the packaged one."""
    if path is not None:
        source = as_source(path)
        if isinstance(source, Path) and (source.parent / SOURCES_FILE).is_file():
            return registry(source.parent / SOURCES_FILE)
    return registry()


def document(document_id: str, path: Source | None = None) -> Document:
    """One document by id; an unknown id suggests the closest ones."""
    documents = registry(path)
    if document_id in documents:
        return documents[document_id]
    raise unknown_id("document", document_id, list(documents))


def check_seen_in(file: str, ids: Iterable[str], known: Mapping[str, Document], *,
                  row: int | None = None, row_id: str | None = None, line: int | None = None,
                  field: str = "seen_in") -> None:
    """Refuse a ``seen_in`` id that names no document of the registry, naming the row."""
    for position, wanted in enumerate(ids, 1):
        if wanted not in known:
            # For whoever edits the data files: English, like every data-file error.
            hint = str(unknown_id("document", wanted, list(known), language="en")).split(".", 1)[-1].strip()
            raise file_error(
                file, f'"{shorten(wanted)}" is not the id of a document of {SOURCES_FILE}. {hint}',
                row=row, row_id=row_id, field=field, item=f" (item {position})", line=line)


_KIND_RANK = {kind: rank for rank, kind in enumerate(
    ("primary", "paper", "dataset", "press", "article", "blog", "aggregator"))}


def documents_for(ids: Iterable[str], known: Mapping[str, Document] | None = None
                  ) -> tuple[Document, ...]:
    """The documents of a ``seen_in`` list, the strongest kind first (the producer's own page,
    then papers, datasets, press, the article, blogs, round-ups), in ``seen_in`` order within a
    kind: a citation names the page a reader should open first, not a round-up."""
    known = known if known is not None else registry()
    found = [known[i] for i in ids if i in known]
    return tuple(sorted(found, key=lambda d: _KIND_RANK.get(d.kind, len(_KIND_RANK))))
