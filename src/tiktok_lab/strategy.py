"""Lesson 07: the learner's one-page TikTok strategy (dataclasses, validation, JSON, drafts).

No widgets here (see :mod:`tiktok_lab.ui.strategy_builder`); Markdown, HTML and
the chart live in :mod:`tiktok_lab.strategy_export`.

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
  field by field (:mod:`tiktok_lab.shared_documents`), so two windows on one
  draft, or a ``.zip`` restored while the builder is open, lose nothing.
- Every text field has a limit (:data:`TEXT_LIMITS`, :data:`LINE_LIMIT`,
  :data:`MAX_ITEMS`) sized for a one-page strategy; the builder says each limit
  in the field's help and, through :func:`text_overflows`, names the field
  whenever a text goes past it. Nothing is cut silently.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator

from tiktok_lab.learner_errors import LearnerError
from tiktok_lab.content_types import ContentModel, TranslatedText, unique_ids
from tiktok_lab.datafiles import Source, data_dir, read_record
from tiktok_lab.i18n import format_number, localized
from tiktok_lab.shared_documents import (Saved, TooLong, check_length, check_lines, cut,
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


class StrategyData(ContentModel):
    """Everything in ``data/strategy.yaml``."""

    max_pillars: int
    goals: Annotated[tuple[GoalOption, ...], AfterValidator(unique_ids)]
    sexes: dict[str, TranslatedText]
    copy_words: tuple[str, ...]
    sections: dict[str, TranslatedText]
    fields: dict[str, FieldText]
    verdicts: dict[str, TranslatedText]
    messages: dict[str, TranslatedText]
    widget: dict[str, TranslatedText]
    chart: dict[str, TranslatedText]
    export: dict[str, TranslatedText]
    example: dict[str, Any]

    def text(self, group: str, key: str, language: str | None = None, **values: Any) -> str:
        return localized(getattr(self, group)[key], language=language).format(**values)

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
# Validation: a checklist in plain words.


@dataclass(frozen=True)
class Finding:
    """One line of the checklist."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class StrategyCheck:
    blocking: tuple[Finding, ...]
    advice: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """True when nothing blocks the plan (advice may remain)."""
        return not self.blocking

    def codes(self) -> list[str]:
        return [f.code for f in (*self.blocking, *self.advice)]

    def _repr_html_(self) -> str:
        from tiktok_lab.strategy_export import checklist_html

        return checklist_html(self)


def _words(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " " + " ".join(re.findall(r"[^\W_]+(?:-[^\W_]+)*", plain)) + " "


def _usd(value: float, language: str | None) -> str:
    return "$" + format_number(value, language=language, digits=2)


def validate_strategy(strategy: Any, *, data: StrategyData | None = None,
                      language: str | None = None) -> StrategyCheck:
    """Blocking problems and advice for a strategy (or anything ``from_dict`` accepts)."""
    from tiktok_lab.publishing import is_vague_target

    data = data or load_strategy_data()
    s = strategy if isinstance(strategy, Strategy) else Strategy.from_dict(strategy, data)

    def msg(key: str, **values: Any) -> str:
        return data.text("messages", key, language, **values)

    blocking: list[Finding] = []
    advice: list[Finding] = []
    if not re.search(r"[^\W_]", s.objective):
        blocking.append(Finding("objective", "no_objective", msg("no_objective")))
    if s.daily_budget < 0:
        blocking.append(Finding("daily_budget", "budget_negative", msg("budget_negative")))
    elif s.daily_budget > 0:
        from tiktok_lab.ad_budget import budget_minimums

        minimum = budget_minimums().campaign_daily  # must be exceeded (figures.yaml)
        if s.daily_budget <= minimum.value:
            blocking.append(Finding("daily_budget", "budget_too_low", msg(
                "budget_too_low", daily=_usd(s.daily_budget, language),
                minimum=_usd(minimum.value, language), source=minimum.citation)))
    start, end = parse_date(s.start), parse_date(s.end)
    for name, text, parsed in (("start", s.start, start), ("end", s.end, end)):
        if text and parsed is None:
            blocking.append(Finding(name, "bad_date", msg("bad_date",
                                                          field=data.label(name, language))))
    if start and end and end < start:
        blocking.append(Finding("end", "end_before_start", msg(
            "end_before_start", start=s.start, end=s.end)))

    goal = next((g for g in data.goals if g.id == s.goal), None)
    if goal is not None and goal.needs_landing_page and not s.landing_page:
        advice.append(Finding("landing_page", "no_landing_page", msg("no_landing_page")))
    if is_vague_target(s.interests):
        advice.append(Finding("interests", "vague_target", msg("vague_target")))
    if not s.pillars:
        advice.append(Finding("pillars", "no_pillar", msg("no_pillar")))
    elif len(s.pillars) > data.max_pillars:
        advice.append(Finding("pillars", "too_many_pillars",
                              msg("too_many_pillars", count=len(s.pillars))))
    if not re.search(r"[^\W_]", s.comment_owner):
        advice.append(Finding("comment_owner", "no_comment_owner", msg("no_comment_owner")))
    content = _words(" ".join((*s.formats, *s.pillars, *s.key_messages, *s.challenges)))
    if s.reposts_elsewhere or any(f" {w} " in content for w in data.copy_words):
        advice.append(Finding("reposts_elsewhere", "copied_content", msg("copied_content")))
    if s.has_ads and s.daily_budget > 0 and not (s.start and s.end):
        advice.append(Finding("start", "no_dates", msg("no_dates")))
    return StrategyCheck(tuple(blocking), tuple(advice))


# --------------------------------------------------------------------------
# JSON export and import.


class StrategyImportError(LearnerError, ValueError):
    """A file that is not a strategy of ours; the message is for the learner."""


def strategy_to_json(strategy: Strategy) -> str:
    """The strategy as a schema-versioned JSON text (UTF-8, readable)."""
    document = {"app": "tiktok-lab", "kind": EXPORT_KIND, "schema_version": EXPORT_VERSION,
                "strategy": strategy.to_dict()}
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


# --------------------------------------------------------------------------
# Pre-fill from lessons 00 and 04-06.


def _reflection(progress: Mapping[str, Any], lesson: str, exercise: str) -> str:
    """A reflection answer as saved (through the progress document's one read path),
    whole: the field it fills says so if it is too long (:func:`prefill_with_overflows`)."""
    from tiktok_lab.saved_documents import ProgressDocument

    entry = ProgressDocument.from_saved(progress).lessons.get(lesson)
    record = entry.exercises.get(exercise) if entry else None
    return tidy_text(record.answer) if record and record.answer else ""


_ADS_GOALS = {"reach": "awareness", "video-views": "awareness", "traffic": "traffic",
              "community-interaction": "community", "app-promotion": "sales",
              "lead-generation": "leads", "website-conversions": "sales", "product-sales": "sales"}
_OPPORTUNITY_GOALS = {"awareness": "awareness", "young-audience": "awareness",
                      "community": "community", "recruitment": "recruitment", "sales": "sales",
                      "customer-service": "community", "b2b-leads": "leads"}


def prefill_from(documents: Mapping[str, Any], *, language: str | None = None,
                 data: StrategyData | None = None) -> Strategy:
    """A first draft from saved store documents (``opportunity``, ``publishing``, ``ads``,
    ``progress``); whatever is missing or malformed is simply left blank."""
    data = data or load_strategy_data()
    return Strategy.from_dict(prefill_values(documents, language=language, data=data), data)


def prefill_values(documents: Mapping[str, Any], *, language: str | None = None,
                   data: StrategyData | None = None) -> dict[str, Any]:
    """The draft's fields as the earlier lessons saved them, before any field's limit:
    a reflection kept whole in ``progress`` may be longer than the field it fills, and
    the builder names that field (:func:`text_overflows`) instead of cutting silently."""
    from tiktok_lab.ad_answers import AdsAnswers
    from tiktok_lab.ad_formats import load_ad_formats
    from tiktok_lab.opportunity import BrandProfile, load_opportunity
    from tiktok_lab.publishing import PublishingPlan, load_publishing

    data = data or load_strategy_data()

    def doc(name: str) -> Mapping[str, Any]:
        value = documents.get(name)
        return value if isinstance(value, Mapping) else {}

    opp_doc, pub_doc, ads_doc, progress = (doc("opportunity"), doc("publishing"), doc("ads"),
                                           doc("progress"))
    values: dict[str, Any] = {"name": data.text("widget", "new_name", language, number=1)}
    if opp_doc:
        opp = load_opportunity()
        profile = BrandProfile.from_store(opp_doc, opp)
        values.update(
            brand=profile.brand, ages=list(profile.bands), sex=profile.sex,
            sector=localized(next(s.label for s in opp.sectors if s.id == profile.sector),
                             language=language),
            tone=localized(next(x.label for x in opp.tones if x.id == profile.tone),
                           language=language),
            posts_per_week=profile.videos_per_week,
            verdict=opp_doc.get("verdict"),
            goal=next((_OPPORTUNITY_GOALS[g] for g in profile.goals if g in _OPPORTUNITY_GOALS),
                      "awareness"))
        from tiktok_lab.i18n import t

        values["country"] = values["market"] = t(f"figures.scope.{profile.country}",
                                                 language=language)
    if pub_doc:
        pub = load_publishing()
        plan = PublishingPlan.from_store(pub_doc, pub)
        values.update(
            objective=plan.why, interests=plan.whom, posts_per_week=plan.posts_per_week,
            key_messages=[plan.what] if plan.what else [],
            pillars=[pub.label("pillars", p, language) for p in plan.pillars],
            formats=[pub.label("formats", f, language) for f in plan.formats])
    if ads_doc:
        catalogue = load_ad_formats()
        ads = AdsAnswers.from_store(ads_doc)
        if ads.objective in _ADS_GOALS:
            values["goal"] = _ADS_GOALS[ads.objective]
        values["ad_formats"] = [localized(catalogue.format(f).label, language=language)
                                for f in ads.formats or ()]
        values["daily_budget"] = ads.daily or 0
        if ads.challenge_plan:
            values["challenges"] = [data.text("widget", "challenge", language)]
    if not values.get("objective"):
        values["objective"] = _reflection(progress, "00_start_here", "my-goal")
    only_here = _reflection(progress, "04_opportunity", "only-on-tiktok")
    if only_here:
        values["key_messages"] = [*values.get("key_messages", []), only_here]
    return values


def prefill_strategy(*, language: str | None = None) -> Strategy:
    """A first draft from what the learner saved in lessons 00 and 04-06 (read-only)."""
    return prefill_with_overflows(language=language)[0]


def prefill_with_overflows(*, language: str | None = None) -> tuple[Strategy, list[TooLong]]:
    """The first draft, and every earlier answer too long for the field it fills."""
    from tiktok_lab.store import get_store

    store = get_store()
    names = ("opportunity", "publishing", "ads", "progress")
    data = load_strategy_data()
    values = prefill_values({n: store.read(n, report=False) for n in names},
                            language=language, data=data)
    typed = {name: value for name, value in values.items() if name in TEXT_FIELDS
             or name in LIST_FIELDS}
    return Strategy.from_dict(values, data), text_overflows(typed)


# --------------------------------------------------------------------------
# Drafts in the store: {"current": id, "drafts": {id: strategy dict}}.


@dataclass
class Drafts:
    """Several named drafts and the one open; saved by :func:`save_drafts`.

    ``base`` is the saved version this object was read from or last saved as
    (without the open draft, which belongs to each window): what a save compares
    with, so another window's changes are merged instead of overwritten.
    """

    drafts: dict[str, Strategy] = field(default_factory=dict)
    current: str = ""
    base: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def strategy(self) -> Strategy:
        return self.drafts[self.current]

    def _new_id(self) -> str:
        return _free_id(self.drafts, len(self.drafts) + 1)

    def add(self, strategy: Strategy) -> str:
        """Add a draft, open it and return its id."""
        draft_id = self._new_id()
        self.drafts[draft_id] = strategy
        self.current = draft_id
        return draft_id

    def new(self, strategy: Strategy, *, language: str | None = None) -> str:
        name = load_strategy_data().text("widget", "new_name", language,
                                         number=len(self.drafts) + 1)
        return self.add(strategy.changed(name=name))

    def duplicate(self, *, language: str | None = None) -> str:
        name = load_strategy_data().text("widget", "copy_of", language,
                                         name=self.strategy.name or self.current)
        return self.add(self.strategy.changed(name=name))

    def load(self, draft_id: str) -> Strategy:
        if draft_id not in self.drafts:
            raise KeyError(draft_id)
        self.current = draft_id
        return self.strategy

    def update(self, strategy: Strategy) -> None:
        self.drafts[self.current] = strategy

    def to_store(self) -> dict[str, Any]:
        return {**self.shared(), "current": self.current}

    def shared(self) -> dict[str, Any]:
        """What several windows share and merge: every draft (the open one is each window's)."""
        return {"format": EXPORT_VERSION,
                "drafts": {k: v.to_dict() for k, v in self.drafts.items()}}

    @classmethod
    def from_store(cls, saved: Any) -> "Drafts":
        """The one read path of the ``strategy`` document: anything saved is repaired."""
        saved = saved if isinstance(saved, Mapping) else {}
        raw = saved.get("drafts") if isinstance(saved.get("drafts"), Mapping) else {}
        data = load_strategy_data()
        drafts = {str(k)[:40]: Strategy.from_dict(v, data) for k, v in raw.items()
                  if isinstance(v, Mapping)}
        current = saved.get("current")
        current = current if isinstance(current, str) and current in drafts else ""
        loaded = cls(drafts, current or next(iter(drafts), ""))
        loaded.base = loaded.shared()
        return loaded


def _free_id(taken: Any, number: int = 1) -> str:
    while f"draft-{number}" in taken:
        number += 1
    return f"draft-{number}"


def load_drafts(*, language: str | None = None) -> Drafts:
    """The saved drafts; with none yet, one draft pre-filled from lessons 04-06.

    The pre-filled draft counts as the saved version: two windows opened on an
    empty store start from the same draft and merge their changes into it.
    """
    return load_drafts_with_overflows(language=language)[0]


def load_drafts_with_overflows(*, language: str | None = None
                               ) -> tuple[Drafts, list[TooLong]]:
    """The saved drafts, and, when the first draft was just pre-filled, every earlier
    answer too long for the field it fills (the builder names them on opening)."""
    from tiktok_lab.store import get_store

    drafts = Drafts.from_store(get_store().read(STORE_DOCUMENT))
    cut: list[TooLong] = []
    if not drafts.drafts:
        first, cut = prefill_with_overflows(language=language)
        drafts.add(first)
        drafts.base = drafts.shared()
    return drafts, cut


def save_drafts(drafts: Drafts) -> Saved:
    """Save ``drafts`` (``my_work/strategy.json``), merged with what another window saved.

    Under the store's lock: fields this window changed since ``drafts.base`` are
    written, the other window's changes are kept, and a field both changed keeps
    this window's text while the other goes to the document's conflict record
    (:func:`tiktok_lab.shared_documents.save_merged`). A draft another window
    created under the same id is kept under a new id. ``drafts`` then holds the
    merged drafts (its open draft stays open). Raises ``StoreError`` when the
    save cannot happen; ``drafts`` is then unchanged.
    """
    from tiktok_lab.merge import same
    from tiktok_lab.shared_documents import save_merged

    renamed: dict[str, str] = {}

    def prepare(base: dict, mine: dict, theirs: dict) -> dict:
        old, other, ours = base.get("drafts", {}), theirs.get("drafts", {}), dict(mine["drafts"])
        for draft_id in list(ours):
            if draft_id not in old and draft_id in other and not same(ours[draft_id],
                                                                        other[draft_id]):
                renamed[draft_id] = _free_id({**old, **other, **ours})
                ours[renamed[draft_id]] = ours.pop(draft_id)
        return {**mine, "drafts": ours}

    def finish(merged: dict) -> dict:
        return {**merged, "current": renamed.get(drafts.current, drafts.current)}

    saved = save_merged(STORE_DOCUMENT, drafts.base, drafts.shared(),
                        read=lambda raw: Drafts.from_store(raw).shared(),
                        prepare=prepare, finish=finish)
    merged = Drafts.from_store(saved.document)
    current = renamed.get(drafts.current, drafts.current)
    drafts.drafts = merged.drafts
    drafts.current = current if current in merged.drafts else merged.current
    drafts.base = saved.document
    return saved


def saved_strategy(*, language: str | None = None) -> Strategy:
    """The open draft (pre-filled from lessons 04-06 when nothing is saved yet)."""
    return load_drafts(language=language).strategy


__all__ = ["Strategy", "StrategyCheck", "Drafts", "StrategyImportError", "example_strategy",
           "validate_strategy", "strategy_to_json", "strategy_from_json", "prefill_strategy",
           "prefill_from", "load_drafts", "load_drafts_with_overflows", "save_drafts",
           "saved_strategy"]
