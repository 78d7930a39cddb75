"""Sourced figures about TikTok, and the 2020 article's own claims, as tables.

Lesson 02 reads, filters and charts these tables, so they keep the file's
order and carry every figure's source, date and confidence alongside its
value: a number must never travel without them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import TYPE_CHECKING, Any, get_args

from tiktok_lab.core import datafiles
from tiktok_lab.core import schemas
from tiktok_lab.core import sources
from tiktok_lab.core.datafiles import Source
from tiktok_lab.core.sources import Document

if TYPE_CHECKING:  # pandas is imported on first use: `import tiktok_lab` stays instant
    import pandas as pd

FIGURE_COLUMNS: tuple[str, ...] = (
    "id",
    "topic",
    "metric",
    "value",
    "unit",
    "scope",
    "date",
    "date_precision",
    "source",
    "seen_in",
    "via",
    "url",
    "publisher_assumed",
    "bound",
    "dated_by",
    "confidence",
    "divided_by",
    "reported_as",
    "note",
)
CLAIM_COLUMNS: tuple[str, ...] = (
    "id",
    "claim",
    "value",
    "unit",
    "bound",
    "scope",
    "article_section",
    "cited_source",
    "status",
    "finding",
    "related_figure_ids",
    "seen_in",
    "confidence",
)


@dataclasses.dataclass(frozen=True)
class Figure:
    """One sourced figure, for captions and sentences in a notebook."""

    id: str
    topic: str
    metric: str
    value: float
    unit: str
    scope: str
    date: dt.date
    date_precision: str
    source: str
    seen_in: tuple[str, ...]
    publisher_assumed: bool
    bound: str | None
    confidence: str
    reported_as: str | None
    note: str | None
    dated_by: str | None = None  # "publication": cited "published <date>", not "as of <date>"
    divided_by: str | None = None  # an engagement rate's denominator: followers, views...

    @property
    def documents(self) -> tuple[Document, ...]:
        """The documents it was seen in (``sources.yaml``), the best page to open first."""
        return sources.documents_for(self.seen_in)

    @property
    def via(self) -> str | None:
        """Who published the page it was seen in, when that is not its own producer."""
        return via_publisher(self.documents)

    @property
    def url(self) -> str | None:
        """The address of the first of its documents that has one."""
        return first_url(self.documents)

    @property
    def shown(self) -> str:
        """Its value in words, with its unit and bound (``more than 1 billion people``)."""
        return format_value(self.value, self.unit, bound=self.bound)

    @property
    def when(self) -> str:
        """The date written no more precisely than the source gives it."""
        if self.date_precision == "year":
            return str(self.date.year)
        if self.date_precision == "quarter":
            return f"Q{(self.date.month - 1) // 3 + 1} {self.date.year}"
        if self.date_precision == "month":
            return self.date.strftime("%Y-%m")
        return self.date.isoformat()

    @property
    def citation(self) -> str:
        """"Source, via …, as of date": the caption every chart and quote needs."""
        return cite(self)


def load_figures(path: Source | None = None) -> pd.DataFrame:
    """All sourced figures, one row each, in the file's order.

    ``date`` is datetime64, ``value`` float, and ``confidence`` an ordered
    category (weakest first), so ``df[df.confidence >= "Medium"]`` works.
    """
    known = sources.registry_beside(path)
    rows = []
    for row in schemas.read_figure_rows(path):
        record = row.model_dump()
        documents = sources.documents_for(row.seen_in, known)
        record.update(seen_in=list(row.seen_in), via=via_publisher(documents),
                      url=first_url(documents))
        rows.append(record)
    frame = _frame(rows, FIGURE_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    frame["date"] = _dates(frame["date"])
    frame["topic"] = _category(frame["topic"], schemas.Topic)
    frame["date_precision"] = _category(frame["date_precision"], schemas.DatePrecision)
    frame["confidence"] = _confidence(frame["confidence"])
    return frame


def load_chart_figures(path: Source | None = None) -> pd.DataFrame:
    """The figures a chart may draw: never an ``Unverified`` one (docs/sources.md, rule 4).

    Every chart builder picks its rows from here, so an unverified figure can only ever
    reach a learner in a table, labelled as such.
    """
    frame = load_figures(path)
    return frame[frame["confidence"] != "Unverified"].reset_index(drop=True)


def load_article_claims(path: Source | None = None) -> pd.DataFrame:
    """The 2020 article's figures with what the sources say about each one.

    ``related_figure_ids`` holds a list per row, to join with ``load_figures()``.
    """
    rows = [row.model_dump() for row in schemas.read_claim_rows(path)]
    for row in rows:
        row["related_figure_ids"] = list(row["related_figure_ids"])
        row["seen_in"] = list(row["seen_in"])
    frame = _frame(rows, CLAIM_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    frame["status"] = _category(frame["status"], schemas.ClaimStatus)
    frame["confidence"] = _confidence(frame["confidence"])
    return frame


def figure(figure_id: str, path: Source | None = None) -> Figure:
    """Look one figure up by id, e.g. to quote it with its citation.

    An unknown id raises a KeyError that suggests the closest ids.
    """
    rows = schemas.read_figure_rows(path)
    for row in rows:
        if row.id == figure_id:
            return Figure(**row.model_dump())
    raise datafiles.unknown_id("figure", figure_id, [row.id for row in rows])


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=list(columns))


def _dates(column: pd.Series) -> pd.Series:
    import pandas as pd

    return pd.to_datetime(column).astype("datetime64[ns]")


def _category(column: pd.Series, allowed: Any) -> pd.Series:
    """A category with every allowed value, so filters and chart legends are
    the same whichever rows are present."""
    import pandas as pd

    return column.astype(pd.CategoricalDtype(list(get_args(allowed))))


def _confidence(column: pd.Series) -> pd.Series:
    import pandas as pd

    return column.astype(pd.CategoricalDtype(list(schemas.CONFIDENCE_LEVELS), ordered=True))


# --------------------------------------------------------------------------
# Words for figures in the learner's language (lesson 02). Charts, tables and
# the reach calculator all quote figures the same way through these helpers.

_COUNT_UNITS = frozenset({"people", "downloads", "videos", "challenges"})


def figures_on(topic: str, path: Source | None = None) -> pd.DataFrame:
    """The figures of one ``topic`` (``"users"``, ``"downloads"``…), in file order.

    An unknown topic gives an empty table, never an error.
    """
    frame = load_figures(path)
    if not isinstance(topic, str):  # a list or a number is no topic: the promised empty table
        return frame.iloc[0:0].reset_index(drop=True)
    return frame[frame["topic"] == topic].reset_index(drop=True)


def confidence_label(confidence: Any, *, language: str | None = None) -> str:
    """A reliability grade in the reader's language ("Élevée" for High, "Moyenne-haute" for
    Medium-High): the data keeps the English grades; every table, caption and tooltip of the
    course shows this one form (lessons 02, 04, 06, 07)."""
    from tiktok_lab.core.i18n import t

    return t(f"figures.confidence_level.{str(confidence).replace('-', '_')}", language=language)


def as_of(date: Any, precision: str, *, language: str | None = None) -> str:
    """A figure's date no more precise than its source: ``July 2020``, ``Q1 2024``."""
    import pandas as pd

    from tiktok_lab.core.i18n import format_date, t

    day = pd.Timestamp(date).date()
    if precision == "quarter":
        return t("figures.quarter", language=language, quarter=(day.month - 1) // 3 + 1,
                 year=day.year)
    return format_date(day, language=language, precision=precision)


def short_source(source: str) -> str:
    """The publisher without the report title: ``DataReportal, Digital 2025`` -> ``DataReportal``."""
    return source.split(",")[0].split(" (")[0].strip()


def format_value(value: float, unit: str, *, bound: str | None = None,
                 language: str | None = None) -> str:
    """A figure's value with its unit, as a reader of ``language`` expects it.

    A lower bound (``bound="lower"``: the source said "more than", "over" or "+") reads
    "more than 1 billion people", its number in words: "1B" would state a count the
    source never gave (docs/sources.md, rule 3).
    """
    from tiktok_lab.core.i18n import format_number, format_percent, t

    lower = isinstance(bound, str) and bound == "lower"
    if unit in ("percent", "percent change"):
        digits = next((d for d in range(4) if abs(round(value, d) - value) < 1e-9), 3)
        text = format_percent(value, language=language, digits=digits)
        text = f"+{text}" if unit == "percent change" and value > 0 else text
    else:
        if unit in _COUNT_UNITS and abs(value) >= 1_000_000:
            number = (_number_in_words(value, language) if lower
                      else format_number(value, language=language, compact=True, digits=2))
        else:
            number = format_number(value, language=language, digits=2)
        words = lower and unit in _COUNT_UNITS and abs(value) >= 1_000_000
        # "200 millions de personnes": French puts "de" between a number in words and its unit.
        text = t("figures.value_words" if words else "figures.value", language=language,
                 number=number, unit=t(f"figures.unit.{unit.replace(' ', '_')}", language=language))
    if not lower:
        return text
    # "plus d'un milliard": a value written "un ..." takes the elided form where the
    # language has one (in English both keys read "more than").
    key = "figures.bound.lower_one" if text.startswith("un\u00a0") else "figures.bound.lower"
    return t(key, language=language, value=text)


_FRENCH_LARGE = re.compile(r"^(1(?:,\d+)?) (million|milliard)s$")


def _number_in_words(value: float, language: str | None) -> str:
    """``1 billion``, ``1,5 milliard``: a large count with its word, never "1B"."""
    from babel import numbers

    from tiktok_lab.core.i18n import get_language

    language = language or get_language()
    text = numbers.format_compact_decimal(value, locale=language, fraction_digits=2,
                                          format_type="long")
    if language == "fr":
        # Babel agrees the word with the whole count ("1 milliards"); French agrees it with
        # the number written ("1 milliard", "2 milliards"), then binds them with a no-break space.
        # Exactly one million or one billion is written out: "plus d'un milliard", never
        # "plus de 1 milliard" (format_value elides the "de").
        text = _FRENCH_LARGE.sub(r"\1 \2", text)
        text = re.sub(r"^1 (million|milliard)$", r"un \1", text).replace(" ", "\u00a0")
    return text


def date_words(row: Any, *, language: str | None = None) -> str:
    """``as of July 2020``, or ``published October 24, 2023`` for a figure dated by its
    page's publication (``dated_by: publication``)."""
    from tiktok_lab.core.i18n import t

    key = ("figures.cite.published" if _value(row, "dated_by") == "publication"
           else "figures.cite.as_of")
    return t(key, language=language, when=as_of(row.date, row.date_precision, language=language))


def dated_counts(bases: Any, scale: float, unit: str, *, rough: Any = None,
                 language: str | None = None) -> tuple[str, str]:
    """Counts taken at different dates, each times ``scale``, in words: the latest with its
    date, and a sentence giving the earlier ones with theirs. Two dated counts are a time
    series, never a range ("between 21.4M and 27.8M" would read as an uncertainty).

    ``rough`` (optional) rounds each value before it is written.
    """
    from tiktok_lab.core.i18n import t

    rough = rough or (lambda value: value)

    def words(row: Any) -> str:
        return t("figures.calc.dated", language=language,
                 value=format_value(rough(row.value * scale), unit, language=language),
                 when=date_words(row, language=language))

    ordered = sorted(bases, key=lambda f: f.date, reverse=True)
    earlier = " ".join(t("figures.calc.earlier", language=language, count=words(row))
                       for row in ordered[1:])
    return words(ordered[0]), earlier


# --------------------------------------------------------------------------
# Citations: "<source>, via <publisher of the first document>, as of <date>".


def via_publisher(documents: tuple[Document, ...]) -> str | None:
    """The publisher of the first document, unless that page is the producer's own."""
    if not documents or documents[0].kind == "primary":
        return None
    return documents[0].publisher


def first_url(documents: tuple[Document, ...]) -> str | None:
    return next((document.url for document in documents if document.url), None)


def _value(row: Any, name: str) -> Any:
    value = getattr(row, name, None)
    if value is None:
        return None
    try:
        import pandas as pd

        if not isinstance(value, (list, tuple)) and pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _citation_parts(row: Any, language: str | None) -> tuple[str, str | None, int, str]:
    """Source, via, how many other publishers, and the date words: "as of July 2020", or
    "published October 15, 2025" for a figure dated by its page's publication."""

    from tiktok_lab.core.i18n import get_language, normalise_language, speaking

    wanted = normalise_language(language) or get_language()
    source, read_in = row.source, get_language()  # rows are read in the current language
    with speaking(wanted):  # the publishers' words in the citation's language
        documents = sources.documents_for(_value(row, "seen_in") or ())
        if wanted != read_in:
            source = _source_in(row, source)
    via = via_publisher(documents)
    more = len({d.publisher for d in documents[1:]} - {via, source}) if via else 0
    return source, via, more, date_words(row, language=language)


def _source_in(row: Any, default: str) -> str:
    """A figure's ``source`` read again in the current language ("TikTok (attribué)"), for a
    citation asked in another language than the row was read in; other rows keep theirs."""
    figure_id = _value(row, "id")
    for candidate in schemas.read_figure_rows() if isinstance(figure_id, str) else ():
        if candidate.id == figure_id:
            return candidate.source
    return default


def cite(row: Any, *, language: str | None = None) -> str:
    """``TikTok, via Bol News and 2 others, as of July 2020`` for a figure (or any row with
    ``source``, ``seen_in``, ``date`` and ``date_precision``)."""
    source, via, more, when = _citation_parts(row, language)
    return _cite_words(source, via, more, when, language)


def _cite_words(source: str, via: str | None, more: int, when: str,
                language: str | None) -> str:
    from tiktok_lab.core.i18n import t

    if via:
        key = "figures.cite.via_more" if more else "figures.cite.via"
        source = t(key, language=language, source=source, via=via, more=more)
    return t("figures.cite.when", language=language, source=source, when=when)


def cite_html(row: Any, *, language: str | None = None) -> str:
    """:func:`cite` as HTML, the publisher it names linked to its document's page
    (opens in a new tab); every text escaped."""
    from tiktok_lab.core.html import esc, link

    source, via, more, when = _citation_parts(row, language)
    documents = sources.documents_for(_value(row, "seen_in") or ())
    url = first_url(documents[:1]) or first_url(documents)
    marker_source, marker_via = "\x00S\x00", "\x00V\x00"
    text = esc(_cite_words(marker_source, marker_via if via else None, more, when, language))
    linked_source = esc(source)
    linked_via = esc(via) if via else ""
    if url and via:
        linked_via = link(url, via)
    elif url:
        linked_source = link(url, source)
    return text.replace(esc(marker_source), linked_source).replace(esc(marker_via), linked_via)


_FIGURE_REF = re.compile(r"\{figure:([a-z0-9-]+)\}")


def with_figures(text: str, *, language: str | None = None) -> str:
    """``text`` with each ``{figure:<id>}`` replaced by that figure in words and its citation
    (``27.8 million people (TikTok, via …, as of September 2025)``): how a text kept in the
    data files, a lesson's key points for example, quotes a figure without typing it."""
    from tiktok_lab.core.i18n import get_language, speaking

    language = language or get_language()  # a build inside speaking("fr") quotes in French

    def quoted(match: re.Match[str]) -> str:
        with speaking(language):  # the source's words ("TikTok (attributed)") in that language
            row = figure(match.group(1))
        value = format_value(row.value, row.unit, bound=row.bound, language=language)
        return f"{value} ({cite(row, language=language)})"

    return _FIGURE_REF.sub(quoted, text)
