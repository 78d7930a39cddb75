"""Sourced figures about TikTok, and the 2020 article's own claims, as tables.

Lesson 02 reads, filters and charts these tables, so they keep the file's
order and carry every figure's source, date and confidence alongside its
value: a number must never travel without them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, get_args

from tiktok_lab.core import datafiles
from tiktok_lab.core import schemas
from tiktok_lab.core.datafiles import Source

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
    "via",
    "url",
    "confidence",
    "reported_as",
    "note",
)
CLAIM_COLUMNS: tuple[str, ...] = (
    "id",
    "claim",
    "value",
    "unit",
    "scope",
    "article_section",
    "cited_source",
    "status",
    "finding",
    "related_figure_ids",
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
    via: str | None
    url: str | None
    confidence: str
    reported_as: str | None
    note: str | None

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
        """"Source, via …, date": the caption every chart and quote needs."""
        via = f", via {self.via}" if self.via else ""
        return f"{self.source}{via}, {self.when}"


def load_figures(path: Source | None = None) -> pd.DataFrame:
    """All sourced figures, one row each, in the file's order.

    ``date`` is datetime64, ``value`` float, and ``confidence`` an ordered
    category (weakest first), so ``df[df.confidence >= "Medium"]`` works.
    """
    rows = [row.model_dump() for row in schemas.read_figure_rows(path)]
    frame = _frame(rows, FIGURE_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    frame["date"] = _dates(frame["date"])
    frame["topic"] = _category(frame["topic"], schemas.Topic)
    frame["date_precision"] = _category(frame["date_precision"], schemas.DatePrecision)
    frame["confidence"] = _confidence(frame["confidence"])
    return frame


def load_article_claims(path: Source | None = None) -> pd.DataFrame:
    """The 2020 article's figures with what the sources say about each one.

    ``related_figure_ids`` holds a list per row, to join with ``load_figures()``.
    """
    rows = [row.model_dump() for row in schemas.read_claim_rows(path)]
    for row in rows:
        row["related_figure_ids"] = list(row["related_figure_ids"])
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


def format_value(value: float, unit: str, *, language: str | None = None) -> str:
    """A figure's value with its unit, as a reader of ``language`` expects it."""
    from tiktok_lab.core.i18n import format_number, format_percent, t

    if unit in ("percent", "percent change"):
        digits = next((d for d in range(4) if abs(round(value, d) - value) < 1e-9), 3)
        text = format_percent(value, language=language, digits=digits)
        return f"+{text}" if unit == "percent change" and value > 0 else text
    if unit in _COUNT_UNITS and abs(value) >= 1_000_000:
        number = format_number(value, language=language, compact=True, digits=2)
    else:
        number = format_number(value, language=language, digits=2)
    return t("figures.value", language=language, number=number,
             unit=t(f"figures.unit.{unit.replace(' ', '_')}", language=language))


def format_figure(value: float, unit: str, reported_as: Any = None, *, bound: Any = None,
                  language: str | None = None) -> str:
    """:func:`format_value`, keeping a lower bound a lower bound.

    A figure the source words as "more than 1 billion" is stored as 1 billion;
    it is shown as "more than 1B people", never as "1B people". A lower bound is
    a row whose ``reported_as`` starts with "more than", or whose ``bound`` is
    "lower" (for when the figures file flags bounds).
    """
    from tiktok_lab.core.i18n import t

    text = format_value(value, unit, language=language)
    worded = isinstance(reported_as, str) and reported_as.strip().lower().startswith("more than")
    if worded or bound == "lower":
        return t("figures.more_than", language=language, value=text)
    return text
