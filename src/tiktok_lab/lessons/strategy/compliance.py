"""What a brand checks before it publishes (lesson 07): disclosure, minors, music, claims,
contracts with creators, people on screen.

The rules live in ``data/compliance.yaml``, each with the documents of ``sources.yaml`` it was
read in (``seen_in``) and the date of those pages at the precision they give (``as_of``, or
``undated``). :func:`compliance_notes` gives them localized, each with its citation as plain
text and as HTML (the publisher linked), for the lesson's table and the strategy brief.
A rule is the course's summary of its pages, not legal advice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, Field, field_validator

from tiktok_lab.core.content_types import ContentModel, KebabId, TranslatedText, unique_ids
from tiktok_lab.core.datafiles import Source, data_dir, read_record
from tiktok_lab.core.i18n import localized, t
from tiktok_lab.core.schemas import Confidence
from tiktok_lab.core.sources import check_file_cites

COMPLIANCE_FILE = "compliance.yaml"

Topic = Literal["disclosure", "minors", "music", "claims", "contracts", "people"]
TOPICS: tuple[str, ...] = get_args(Topic)
AppliesTo = Literal["all", "paid", "creators", "minors", "music", "food_health"]
APPLIES_TO: tuple[str, ...] = get_args(AppliesTo)
UNDATED = "undated"

_AS_OF = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _check_as_of(value: object) -> str:
    """``2024``, ``2024-10``, ``2025-08-14`` (the page's precision) or ``undated``."""
    text = str(value).strip()
    if text == UNDATED:
        return text
    match = _AS_OF.match(text)
    if not match:
        raise ValueError(f'"{text}" must be a date at the precision of its pages (2024, 2024-10 '
                         'or 2024-10-15), or "undated" when the pages show none')
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f'"{text}" is not a real date ({exc})') from None
    return text


class ComplianceItem(ContentModel):
    """One rule of ``compliance.yaml``."""

    id: KebabId
    topic: Topic
    applies_to: Annotated[tuple[AppliesTo, ...], Field(min_length=1)]
    #: Cases that must ALL hold as well (``applies_to`` needs one of its cases): the 13-17 ads
    #: rule bites with paid ads AND minors, the weight-loss ads rule with paid ads AND a food,
    #: drink or health brand.
    requires: tuple[AppliesTo, ...] = ()
    title: TranslatedText
    rule: TranslatedText
    source: TranslatedText
    seen_in: Annotated[tuple[KebabId, ...], Field(min_length=1)]
    as_of: Annotated[str, AfterValidator(_check_as_of)]
    confidence: Confidence

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        # YAML reads 2025-08-14 as a date and 2024 as a number: keep what was written.
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value) if isinstance(value, int) else value

    @field_validator("applies_to", "requires")
    @classmethod
    def _no_repeat(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("names the same case twice")
        return value

    @property
    def date(self) -> dt.date | None:
        if self.as_of == UNDATED:
            return None
        parts = [int(part) for part in self.as_of.split("-")]
        return dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))

    @property
    def date_precision(self) -> str | None:
        if self.as_of == UNDATED:
            return None
        return ("year", "month", "day")[self.as_of.count("-")]


class Compliance(ContentModel):
    """Everything in ``data/compliance.yaml``."""

    items: Annotated[tuple[ComplianceItem, ...], Field(min_length=1), AfterValidator(unique_ids)]


def load_compliance(path: Source | None = None) -> Compliance:
    """The rules, checked; every ``seen_in`` id must name a document of ``sources.yaml``."""
    source = path if path is not None else data_dir() / COMPLIANCE_FILE
    data = read_record(source, "compliance", Compliance)
    check_file_cites(source)
    return data


@dataclass(frozen=True)
class ComplianceNote:
    """One rule, localized, with its citation."""

    id: str
    topic: str
    applies_to: frozenset[str]
    title: str          # localized
    rule: str           # localized
    source_text: str    # "TikTok, as of October 2024" / "TikTok, page undated"
    source_html: str    # the same, its publisher linked to the first page
    confidence: str = ""
    seen_in: tuple[str, ...] = ()
    requires: frozenset[str] = frozenset()

    def applies(self, cases: set[str] | frozenset[str]) -> bool:
        """Whether the rule bites for a plan with these cases (:func:`plan_cases`)."""
        return bool(self.applies_to & cases) and self.requires <= cases


def _citation(item: ComplianceItem, language: str | None) -> tuple[str, str]:
    from tiktok_lab.core.html import esc, link
    from tiktok_lab.core.sources import documents_for
    from tiktok_lab.lessons.figures.sourced import cite, cite_html, first_url

    from tiktok_lab.lessons.figures.sourced import date_words

    source = localized(item.source, language=language)
    url = first_url(documents_for(item.seen_in))
    if item.date is not None:
        row = SimpleNamespace(source=source, seen_in=item.seen_in, date=item.date,
                              date_precision=item.date_precision, dated_by=None)
        when = date_words(row, language=language)
        if not (when and when in source):
            return cite(row, language=language), cite_html(row, language=language)
        # The source dates itself (« … modifié par l'ordonnance n° 2024-978 du 6 novembre
        # 2024 »): the date is not said twice.
        return source, (link(url, source) if url else esc(source))
    marker = "\x00S\x00"
    text = t("compliance.undated", language=language, source=marker)
    linked = link(url, source) if url else esc(source)
    return text.replace(marker, source), esc(text).replace(esc(marker), linked)


def compliance_notes(language: str | None = None,
                     path: Source | None = None) -> tuple[ComplianceNote, ...]:
    """The rules of ``compliance.yaml`` in file order, in ``language`` (the current one by
    default), each with its citation as text and as HTML."""
    notes = []
    for item in load_compliance(path).items:
        text, html = _citation(item, language)
        notes.append(ComplianceNote(
            id=item.id, topic=item.topic, applies_to=frozenset(item.applies_to),
            title=localized(item.title, language=language),
            rule=localized(item.rule, language=language),
            source_text=text, source_html=html, confidence=item.confidence,
            seen_in=item.seen_in, requires=frozenset(item.requires)))
    return tuple(notes)


#: Lesson 04's sectors (ids of data/opportunity.yaml) whose brands sell food, drink or health
#: products: the health-claims and weight-loss rules bite only for them.
FOOD_HEALTH_SECTORS = ("food-beverage", "health-beauty", "alcohol")
#: Words of a sector typed by hand that name food, drink or health (lower case, no accents).
FOOD_HEALTH_WORDS = ("food", "drink", "drinks", "beverage", "beverages", "tea", "teas",
                     "herbal", "coffee", "wine", "beer", "health", "supplement", "supplements",
                     "pharmacy", "nutrition", "bakery", "restaurant", "grocery",
                     "alimentation", "alimentaire", "boisson", "boissons", "tisane", "tisanes",
                     "cafe", "vin", "biere", "sante", "complement", "complements",
                     "pharmacie", "boulangerie", "epicerie", "infusion", "infusions")
#: Words that bring creators into a plan (an ad format, a challenge's step).
CREATOR_WORDS = ("spark", "creator", "creators", "influencer", "influencers", "createur",
                 "createurs", "creatrice", "creatrices", "influenceur", "influenceurs",
                 "influenceuse", "influenceuses")


def is_food_health(sector: str) -> bool:
    """Whether a draft's sector (lesson 04's label, in either language, or typed by hand) is
    food, drink or health."""
    from tiktok_lab.core.i18n import localized
    from tiktok_lab.lessons.opportunity import load_opportunity
    from tiktok_lab.lessons.strategy.checks import _words

    text = _words(sector)
    if not text.strip():
        return False
    for item in load_opportunity().sectors:
        labels = {_words(localized(item.label, language=lang)) for lang in ("en", "fr")}
        if text in labels:
            return item.id in FOOD_HEALTH_SECTORS
    return any(f" {word} " in text for word in FOOD_HEALTH_WORDS)


def plan_cases(s: "Any") -> frozenset[str]:
    """The cases of ``applies_to`` a strategy meets: every brand post; paid ads; creators
    (named, or brought in by Spark Ads or a challenge step with creators); minors; sounds;
    a food, drink or health brand."""
    from tiktok_lab.lessons.strategy.checks import _words, includes_minors

    cases = {"all"}
    if s.has_ads:
        cases.add("paid")
    brought = _words(" ".join((*s.ad_formats, *s.challenges, s.earlier_text("challenge"))))
    if s.creators or any(f" {word} " in brought for word in CREATOR_WORDS):
        cases.add("creators")
    if includes_minors(s.ages):
        cases.add("minors")
    if s.posts_per_week > 0 or s.has_ads:  # every video a brand posts has a sound
        cases.add("music")
    if is_food_health(s.sector):
        cases.add("food_health")
    return frozenset(cases)


def notes_for(s: "Any", language: str | None = None) -> tuple[ComplianceNote, ...]:
    """The rules that apply to a strategy, in file order."""
    cases = plan_cases(s)
    return tuple(n for n in compliance_notes(language) if n.applies(cases))
