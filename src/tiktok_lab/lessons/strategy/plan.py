"""Lesson 07: the learner's one-page TikTok strategy: the record, its limits, its JSON file.

No widgets here (see :mod:`tiktok_lab.ui.strategy_builder`). The checklist lives in
:mod:`~tiktok_lab.lessons.strategy.checks`, the pre-filled first draft and the drafts in the
store in :mod:`~tiktok_lab.lessons.strategy.drafts`, Markdown, HTML and the chart in
:mod:`~tiktok_lab.lessons.strategy.export`.

- :class:`Strategy` is a frozen, normalised record: :meth:`Strategy.from_dict`
  accepts anything (a hand-edited file, an old export) and never raises, and
  ``Strategy.from_dict(s.to_dict()) == s`` for every strategy it returns.
- :func:`validate_strategy` returns a checklist in plain words: *blocking*
  problems (no objective, a budget under TikTok's minimum, ads ending before
  they start) and *advice*. It never raises.
- :func:`prefill_strategy` builds a first draft from what lessons 00 and 04-06
  saved in the learner store.
- The store document ``strategy`` holds several drafts and which one is open.
  :class:`Drafts` is its one read path (any saved value is repaired, never
  raised on); :func:`save_drafts` merges a window's drafts with the saved ones
  field by field (:mod:`tiktok_lab.work.shared_documents`), so two windows on one
  draft, or a ``.zip`` restored while the builder is open, lose nothing.
- Every text field has a limit (:data:`TEXT_LIMITS`, :data:`LINE_LIMIT`,
  :data:`MAX_ITEMS`) sized for a one-page strategy; the builder says each limit
  in the field's help and, through :func:`text_overflows`, names the field
  whenever a text goes past it. Nothing is cut silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator

from tiktok_lab.core.content_types import ContentModel, TranslatedText, unique_ids
from tiktok_lab.core.learner_errors import LearnerError
from tiktok_lab.core.datafiles import Source, data_dir, read_record
from tiktok_lab.core.i18n import format_text, localized
from tiktok_lab.core.nature import Flagged
from tiktok_lab.work.shared_documents import (TooLong, check_length, check_lines, cut,
                                         tidy_text)

#: The learner store document of this lesson.
STORE_DOCUMENT = "strategy"
#: Version of the exported JSON (and of the strategy shape inside the store).
EXPORT_VERSION = 1
EXPORT_KIND = "tiktok-lab-strategy"
#: Characters kept by a one-line text field, unless :data:`TEXT_LIMITS` says otherwise.
MAX_TEXT = 500
#: Fields with their own limit: a short name, a brand, dates, and the two long answers
#: (an objective or an audience of several sentences is a normal brief).
TEXT_LIMITS = {"name": 80, "brand": 120, "start": 40, "end": 40, "objective": 2000,
               "interests": 2000}
#: Lines kept by a one-per-line list, and characters kept per line (lesson 05's
#: answers, up to 500 characters, fit in one line).
MAX_ITEMS = 20
LINE_LIMIT = 500
MAX_COUNT = 10**12
MAX_BUDGET = 10**7
MAX_HOURS = 24 * 365
MAX_RATE = 1000
MAX_IMPORT_BYTES = 2_000_000
SEXES = ("all", "women", "men")
#: The strategy's free-text fields, and its one-per-line lists.
TEXT_FIELDS = ("name", "brand", "sector", "market", "objective", "landing_page", "tone",
               "country", "interests", "comment_owner", "start", "end")
LIST_FIELDS = ("key_messages", "pillars", "ages", "formats", "challenges", "ad_formats",
               "creators")
VERDICTS = ("core", "complement", "not-now")


# --------------------------------------------------------------------------
# Labels, help and messages (data/strategy.yaml).


class GoalOption(ContentModel):
    id: str
    needs_landing_page: bool
    label: TranslatedText


class FieldText(ContentModel):
    label: TranslatedText
    help: TranslatedText


class Checklist(Flagged):
    """The numbers and words behind the checklist's advice: the course's rules of thumb."""

    max_pillars: int
    copy_words: tuple[str, ...]


def _every_verdict(names: dict) -> dict:
    missing = [v for v in (*VERDICTS, "none") if v not in names]
    if missing:
        raise ValueError(f'has no name for the verdict "{missing[0]}"')
    return names


class VerdictNames(Flagged):
    """Lesson 04's verdicts by name: the outcome of its scorecard, a rule of thumb."""

    names: Annotated[dict[str, TranslatedText], AfterValidator(_every_verdict)]


class StrategyData(ContentModel):
    """Everything in ``data/strategy.yaml``."""

    checklist: Checklist
    goals: Annotated[tuple[GoalOption, ...], AfterValidator(unique_ids)]
    sexes: dict[str, TranslatedText]
    sections: dict[str, TranslatedText]
    fields: dict[str, FieldText]
    verdicts: VerdictNames
    messages: dict[str, TranslatedText]
    widget: dict[str, TranslatedText]
    chart: dict[str, TranslatedText]
    export: dict[str, TranslatedText]
    example: dict[str, Any]

    # The checklist's numbers and words, read where they are used (``data.max_pillars``).
    max_pillars = property(lambda self: self.checklist.max_pillars)
    copy_words = property(lambda self: self.checklist.copy_words)

    def text(self, group: str, key: str, language: str | None = None, **values: Any) -> str:
        texts = self.verdicts.names if group == "verdicts" else getattr(self, group)
        return format_text(localized(texts[key], language=language), values, language=language)

    def label(self, name: str, language: str | None = None) -> str:
        return localized(self.fields[name].label, language=language)

    def help(self, name: str, language: str | None = None) -> str:
        return localized(self.fields[name].help, language=language)

    def goal_ids(self) -> list[str]:
        return [g.id for g in self.goals]

    def goal_label(self, goal_id: str, language: str | None = None) -> str:
        goal = next((g for g in self.goals if g.id == goal_id), None)
        return localized(goal.label, language=language) if goal else ""


def load_strategy_data(path: Source | None = None) -> StrategyData:
    """The builder's labels, goals, messages and example, checked."""
    source = path if path is not None else data_dir() / "strategy.yaml"
    return read_record(source, "strategy", StrategyData)


# --------------------------------------------------------------------------
# Cleaning: any value becomes a tidy one, and cleaning twice changes nothing.


def text_limit(name: str) -> int:
    """How many characters the text field ``name`` keeps."""
    return TEXT_LIMITS.get(name, MAX_TEXT)


def clean_text(value: Any, limit: int = MAX_TEXT) -> str:
    """Any value as one string: control characters and lone surrogates dropped, cut at ``limit``
    (the builder warns with :func:`text_overflows` before anything is cut)."""
    return cut(tidy_text(value), limit)


def _lines(value: Any) -> list[str]:
    """The non-blank lines of a list (a string is split on new lines), tidied, not cut."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)):
        return []
    lines = (tidy_text(item).replace("\n", " ") for item in value)
    return [line for line in lines if line]


def clean_list(value: Any) -> tuple[str, ...]:
    """A list of short texts: a string is split on new lines; blanks and repeats dropped."""
    items: list[str] = []
    for line in _lines(value):
        text = cut(line, LINE_LIMIT)
        if text not in items:
            items.append(text)
    return tuple(items[:MAX_ITEMS])


def text_overflows(values: Mapping[str, Any]) -> list[TooLong]:
    """Every text in ``values`` (field name -> what the learner typed) that a save would cut.

    The builder shows these with the field's label and limit, so no text is ever
    shortened without the learner being told.
    """
    problems: list[TooLong] = []
    for name, value in values.items():
        if name in LIST_FIELDS:  # repeated lines are one item, as clean_list keeps them
            problems += check_lines(name, list(dict.fromkeys(_lines(value))),
                                    max_lines=MAX_ITEMS, line_limit=LINE_LIMIT)
        elif name in TEXT_FIELDS:
            problem = check_length(name, value, text_limit(name))
            if problem:
                problems.append(problem)
    return problems


def _number(value: Any, maximum: float, *, whole: bool, minimum: float | None = None
            ) -> float | int:
    """Any value as a number from ``minimum`` (default ``-maximum``) to ``maximum``; 0 when
    it is no number at all (text, a list, NaN)."""
    if isinstance(value, bool) or value is None:
        return 0
    try:
        number = float(value.replace(",", ".") if isinstance(value, str) else value)
    except OverflowError:  # a whole number too long for a float: past any maximum
        number = float("inf") if value > 0 else float("-inf")
    except (TypeError, ValueError):
        return 0
    if number != number:  # NaN
        return 0
    number = float(min(max(number, -maximum if minimum is None else minimum), maximum))
    return int(number) if whole else (int(number) if number.is_integer() else round(number, 2))


def clean_date(value: Any) -> str:
    """An ISO date string (``2026-03-31``) or the text as typed (validation flags it)."""
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(value, TEXT_LIMITS["start"]).replace("\n", " ")


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------
# The strategy.


@dataclass(frozen=True)
class Strategy:
    """One draft of a learner's strategy. Build it with :meth:`from_dict` to normalise it."""

    name: str = ""
    brand: str = ""
    sector: str = ""
    market: str = ""
    goal: str = "awareness"
    objective: str = ""
    landing_page: str = ""
    key_messages: tuple[str, ...] = ()
    pillars: tuple[str, ...] = ()
    tone: str = ""
    ages: tuple[str, ...] = ()
    sex: str = "all"
    country: str = ""
    interests: str = ""
    posts_per_week: int = 2
    formats: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()
    reposts_elsewhere: bool = False
    comment_owner: str = ""
    comment_hours: int = 24
    ad_formats: tuple[str, ...] = ()
    daily_budget: float = 0
    start: str = ""
    end: str = ""
    creators: tuple[str, ...] = ()
    views: int = 0
    completion_rate: float = 0
    engagement_rate: float = 0
    followers: int = 0
    clicks: int = 0
    verdict: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (lists, not tuples)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, saved: Any, data: StrategyData | None = None) -> "Strategy":
        """A strategy from anything; unknown keys are ignored, bad values get a default."""
        data = data or load_strategy_data()
        saved = saved if isinstance(saved, Mapping) else {}
        default = cls()

        def text(key: str) -> str:
            return clean_text(saved.get(key, getattr(default, key)), text_limit(key))

        def count(key: str, maximum: float) -> int:
            return int(_number(saved.get(key, getattr(default, key)), maximum, whole=True,
                               minimum=0))

        def rate(key: str) -> float:
            return _number(saved.get(key), MAX_RATE, whole=False, minimum=0)

        goal = saved.get("goal")
        sex = saved.get("sex")
        verdict = saved.get("verdict")
        return cls(
            name=text("name").replace("\n", " "),
            brand=text("brand").replace("\n", " "),
            sector=text("sector"), market=text("market"),
            goal=goal if isinstance(goal, str) and goal in data.goal_ids() else default.goal,
            objective=text("objective"), landing_page=text("landing_page"),
            key_messages=clean_list(saved.get("key_messages")),
            pillars=clean_list(saved.get("pillars")),
            tone=text("tone"), ages=clean_list(saved.get("ages")),
            sex=sex if isinstance(sex, str) and sex in SEXES else default.sex,
            country=text("country"), interests=text("interests"),
            posts_per_week=count("posts_per_week", 1000),
            formats=clean_list(saved.get("formats")),
            challenges=clean_list(saved.get("challenges")),
            reposts_elsewhere=saved.get("reposts_elsewhere") is True,
            comment_owner=text("comment_owner"),
            comment_hours=count("comment_hours", MAX_HOURS),
            ad_formats=clean_list(saved.get("ad_formats")),
            daily_budget=_number(saved.get("daily_budget"), MAX_BUDGET, whole=False),
            start=clean_date(saved.get("start")), end=clean_date(saved.get("end")),
            creators=clean_list(saved.get("creators")),
            views=count("views", MAX_COUNT), completion_rate=rate("completion_rate"),
            engagement_rate=rate("engagement_rate"), followers=count("followers", MAX_COUNT),
            clicks=count("clicks", MAX_COUNT),
            verdict=verdict if isinstance(verdict, str) and verdict in VERDICTS else "",
        )

    def changed(self, **values: Any) -> "Strategy":
        """A normalised copy with some fields changed (e.g. ``s.changed(brand="Infusia")``)."""
        return Strategy.from_dict({**self.to_dict(), **values})

    @property
    def has_ads(self) -> bool:
        return self.daily_budget != 0 or bool(self.ad_formats)


def example_strategy(data: StrategyData | None = None) -> Strategy:
    """The made-up strategy of the lesson's exercises (with deliberate problems)."""
    data = data or load_strategy_data()
    return Strategy.from_dict(data.example, data)


# --------------------------------------------------------------------------
# JSON export and import.


class StrategyImportError(LearnerError, ValueError):
    """A file that is not a strategy of ours; the message is for the learner."""


def strategy_to_json(strategy: Strategy, *, language: str | None = None) -> str:
    """The strategy as a schema-versioned JSON text (UTF-8, readable). A verdict of lesson
    04 comes with a note saying what it is (``notes``, which an import ignores)."""
    from tiktok_lab.core.nature import nature_label

    document: dict[str, Any] = {"app": "tiktok-lab", "kind": EXPORT_KIND,
                                "schema_version": EXPORT_VERSION, "strategy": strategy.to_dict()}
    if strategy.verdict:
        document["notes"] = {"verdict": nature_label(load_strategy_data().verdicts, language)}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def strategy_from_json(payload: str | bytes, *, language: str | None = None,
                       data: StrategyData | None = None) -> Strategy:
    """Read an export back; raises :class:`StrategyImportError` with a plain reason."""
    data = data or load_strategy_data()

    def fail(key: str) -> StrategyImportError:
        return StrategyImportError(data.text("widget", key, language))

    if not isinstance(payload, (str, bytes)):  # nothing uploaded (None), or not a file's content
        raise fail("not_json")
    if len(payload) > MAX_IMPORT_BYTES:
        raise fail("too_big")
    try:
        text = payload.decode("utf-8-sig") if isinstance(payload, bytes) else payload
        document = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise fail("not_json") from None
    if not isinstance(document, dict) or document.get("kind") != EXPORT_KIND \
            or not isinstance(document.get("strategy"), dict):
        raise fail("not_ours")
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("not_ours")
    if version > EXPORT_VERSION:
        raise fail("newer")
    return Strategy.from_dict(document["strategy"], data)


def imported_overflows(payload: str | bytes) -> list[TooLong]:
    """The texts of an exported file (hand-edited, or from a later course) that import cuts."""
    try:
        text = payload.decode("utf-8-sig") if isinstance(payload, bytes) else payload
        saved = json.loads(text).get("strategy")
    except (AttributeError, UnicodeDecodeError, ValueError, RecursionError):
        return []
    if not isinstance(saved, Mapping):
        return []
    return text_overflows({k: saved[k] for k in (*TEXT_FIELDS, *LIST_FIELDS) if k in saved})


__all__ = ["Strategy", "StrategyData", "StrategyImportError", "example_strategy", "load_strategy_data",
           "strategy_from_json", "strategy_to_json"]
