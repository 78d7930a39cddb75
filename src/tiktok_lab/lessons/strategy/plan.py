"""Lesson 07: the learner's TikTok strategy (a brief for a manager): the record and its limits.

No widgets here (see :mod:`tiktok_lab.ui.strategy_builder`). The builder's texts and rules live
in :mod:`~tiktok_lab.lessons.strategy.content` (``data/strategy.yaml``), the JSON file in
:mod:`~tiktok_lab.lessons.strategy.files`, the currency in
:mod:`~tiktok_lab.lessons.strategy.money`, the earlier lessons' answers in
:mod:`~tiktok_lab.lessons.strategy.earlier`, the checklist in
:mod:`~tiktok_lab.lessons.strategy.checks`, the first draft and the drafts in the store in
:mod:`~tiktok_lab.lessons.strategy.drafts`, the brief's reasoned sections in
:mod:`~tiktok_lab.lessons.strategy.brief`, Markdown, HTML and the chart in
:mod:`~tiktok_lab.lessons.strategy.export`.

- :class:`Strategy` is a frozen, normalised record: :meth:`Strategy.from_dict`
  accepts anything (a hand-edited file, an old export) and never raises, and
  ``Strategy.from_dict(s.to_dict()) == s`` for every strategy it returns. Besides the
  objective, audience, rhythm and ads, it holds the measures of the objective, the video
  ideas of up to three themes, a four-week test plan (two periods: hypothesis, the one
  thing changed, the measure, the decision rule), who films, approves and answers, the
  budget's currency, and the earlier lessons' answers it was drafted from.
- Every text field has a limit (:data:`TEXT_LIMITS`, :data:`LINE_LIMIT`,
  :data:`MAX_ITEMS`) sized for a short brief; the builder says each limit
  in the field's help and, through :func:`text_overflows`, names the field
  whenever a text goes past it. Nothing is cut silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any


from tiktok_lab.lessons.strategy.content import (Checklist, StrategyData, VERDICTS,
                                                 load_strategy_data)
from tiktok_lab.lessons.strategy.money import CURRENCIES
from tiktok_lab.work.shared_documents import (TooLong, check_length, check_lines, cut,
                                         tidy_text)

#: The learner store document of this lesson.
STORE_DOCUMENT = "strategy"
#: Version of the exported JSON (and of the strategy shape inside the store). Version 1 had no
#: currency (its budget was in US dollars), no measures, themes' ideas, test plan, roles or
#: earlier answers: :func:`migrate` reads it as a plan in US dollars.
EXPORT_VERSION = 2
EXPORT_KIND = "tiktok-lab-strategy"
#: Characters kept by a one-line text field, unless :data:`TEXT_LIMITS` says otherwise.
MAX_TEXT = 500
#: Fields with their own limit: a short name, a brand, dates, and the two long answers
#: (an objective or an audience of several sentences is a normal brief).
TEXT_LIMITS = {"name": 80, "brand": 120, "start": 40, "end": 40, "objective": 2000,
               "interests": 2000, "comment_rules": 2000}
#: The test-and-learn plan: two periods of two weeks, four fields each.
TEST_FIELDS = tuple(f"test_{n}_{part}" for n in (1, 2)
                    for part in ("hypothesis", "variable", "measure", "rule"))
IDEA_FIELDS = ("ideas_1", "ideas_2", "ideas_3")
#: Characters kept of an earlier lesson's answer carried into the draft.
EARLIER_LIMIT = 4000
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
               "country", "interests", "comment_owner", "start", "end", *TEST_FIELDS,
               "filmer", "approver", "comment_rules")
LIST_FIELDS = ("key_messages", "pillars", "ages", "formats", "challenges", "ad_formats",
               "creators", *IDEA_FIELDS)


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


_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_date(text: str) -> date | None:
    """A date written year-month-day (``2027-03-31``) or, as in France, day/month/year
    (``31/03/2027``, ``31.03.2027``, ``31-03-2027``); None for anything else."""
    try:
        return date.fromisoformat(text.strip())
    except (AttributeError, TypeError, ValueError):
        pass
    match = _DAY_FIRST.match(text) if isinstance(text, str) else None
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
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
    currency: str = "EUR"
    measures: tuple[str, ...] = ()
    ideas_1: tuple[str, ...] = ()
    ideas_2: tuple[str, ...] = ()
    ideas_3: tuple[str, ...] = ()
    test_1_hypothesis: str = ""
    test_1_variable: str = ""
    test_1_measure: str = ""
    test_1_rule: str = ""
    test_2_hypothesis: str = ""
    test_2_variable: str = ""
    test_2_measure: str = ""
    test_2_rule: str = ""
    filmer: str = ""
    approver: str = ""
    comment_rules: str = ""
    #: Answers of earlier lessons, as (key of data/strategy.yaml ``earlier.items``, text).
    earlier: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (lists, not tuples)."""
        values = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        values["earlier"] = [{"key": k, "text": t} for k, t in self.earlier]
        return values

    def ideas(self, number: int) -> tuple[str, ...]:
        """The video ideas of theme ``number`` (1 to 3)."""
        return getattr(self, f"ideas_{number}", ())

    def earlier_text(self, key: str) -> str:
        return next((t for k, t in self.earlier if k == key), "")

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
        currency = saved.get("currency")
        measures = saved.get("measures")
        measures = [m for m in measures if isinstance(m, str)] if isinstance(
            measures, (list, tuple)) else []
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
            currency=currency if isinstance(currency, str) and currency in CURRENCIES
            else default.currency,
            measures=tuple(m for m in data.measures.names if m in measures),
            **{name: clean_list(saved.get(name)) for name in IDEA_FIELDS},
            **{name: text(name) for name in (*TEST_FIELDS, "filmer", "approver",
                                             "comment_rules")},
            earlier=_earlier(saved.get("earlier"), data),
        )

    def changed(self, **values: Any) -> "Strategy":
        """A normalised copy with some fields changed (e.g. ``s.changed(brand="Infusia")``)."""
        return Strategy.from_dict({**self.to_dict(), **values})

    @property
    def has_ads(self) -> bool:
        return self.daily_budget != 0 or bool(self.ad_formats)


def _earlier(value: Any, data: StrategyData) -> tuple[tuple[str, str], ...]:
    """Earlier answers as (key, text) pairs: known keys only, once each, in the data's order."""
    found: dict[str, str] = {}
    for item in value if isinstance(value, (list, tuple)) else ():
        if isinstance(item, Mapping):
            key, text = item.get("key"), item.get("text")
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            key, text = item
        else:
            continue
        if isinstance(key, str) and key in data.earlier.items and key not in found:
            text = clean_text(text, EARLIER_LIMIT)
            if text:
                found[key] = text
    return tuple((k, found[k]) for k in data.earlier.items if k in found)


def _in_language(value: Any, language: str | None) -> Any:
    """A value of the example in one language: ``{en: ..., fr: ...}`` gives the language's
    text (or list), lists and mappings are read item by item, anything else is kept."""
    from tiktok_lab.core.i18n import localized

    if isinstance(value, Mapping):
        if value and set(value) <= {"en", "fr"}:
            return _in_language(localized(value, language=language), language)
        return {k: _in_language(v, language) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_language(v, language) for v in value]
    return value


def example_strategy(data: StrategyData | None = None, *,
                     language: str | None = None) -> Strategy:
    """The made-up strategy of the lesson's exercises (with deliberate problems), its texts in
    ``language`` (the notebook's language by default): a French brief of it is French."""
    data = data or load_strategy_data()
    return Strategy.from_dict(_in_language(data.example, language), data)


__all__ = ["Checklist", "Strategy", "StrategyData", "example_strategy", "load_strategy_data"]
