"""TikTok's ad formats, then and now, and a format chooser (lesson 06).

The catalogue lives in ``data/ad_formats.yaml``: the 2020 article's formats,
today's formats with their source, date and confidence, and the Ads Manager
objectives (facts.md §4.8 and the March 2025 help page on the Sales objective). :func:`rank_formats` is a
pure, deterministic scoring of today's formats for an objective, a budget, a
duration, a landing page and creators; each score comes with its reasons. Ties
keep the catalogue's order. Nothing a learner types makes it raise: bad input
comes back as a friendly message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from tiktok_lab.core.cleaning import as_number
from tiktok_lab.core.content_types import ContentModel, LocalizedName, TranslatedText
from tiktok_lab.core.datafiles import Source, data_dir, read_record
from tiktok_lab.core.i18n import localized, t
from tiktok_lab.core.nature import Flagged
from tiktok_lab.core.schemas import Confidence, KebabId
from tiktok_lab.core.sources import check_file_cites

Need = Literal["landing_page", "creators", "sales_rep"]
#: Largest daily budget or number of days the chooser and estimator accept (beyond: a typo).
MAX_DAILY_USD = 10_000_000
MAX_DAYS = 365


Precision = Literal["day", "month", "year"]


class Objective(ContentModel):
    id: KebabId
    group: Literal["awareness", "consideration", "conversion"]
    api: str | None = None  # the Marketing API name; None when no source gives it
    website: bool
    label: TranslatedText
    # Ids of the objectives this one replaced: answers saved under them still open.
    formerly: tuple[KebabId, ...] = ()
    note: TranslatedText | None = None
    seen_in: tuple[KebabId, ...] = ()


class ObjectivesSource(ContentModel):
    source: LocalizedName  # {en, fr} when it carries words; read in the reader's language
    seen_in: tuple[KebabId, ...] = ()
    date: dt.date
    date_precision: Precision = "month"
    confidence: Confidence


class AdFormat(ContentModel):
    id: KebabId
    era: Literal["then", "now"]
    label: TranslatedText
    description: TranslatedText
    source: LocalizedName  # {en, fr} when it carries words; read in the reader's language
    seen_in: tuple[KebabId, ...] = ()
    date: dt.date | None
    date_precision: Precision = "month"
    confidence: Confidence
    objectives: tuple[KebabId, ...]
    needs: tuple[Need, ...]
    status: TranslatedText | None = None
    became: KebabId | None = None
    finds_creators: bool = False
    uses_creators: bool = False
    min_days_figure: KebabId | None = None
    price_figure: KebabId | None = None
    #: False for a tool that is not an ad (TikTok One): listed, never ranked as a format
    ad: bool = True


#: Why a format gains or loses places in the chooser: one number each in ``chooser.points``.
CHOOSER_REASONS = ("serves", "not_for", "uses_landing", "needs_landing", "no_landing_needed",
                   "sales_rep", "below_price", "too_short", "self_serve", "below_minimum",
                   "uses_creators", "finds_creators")


def _every_reason(points: dict) -> dict:
    missing = [r for r in CHOOSER_REASONS if r not in points]
    if missing:
        raise ValueError(f'has no points for "{missing[0]}" (one number per reason: '
                         f'{", ".join(CHOOSER_REASONS)})')
    unknown = [r for r in points if r not in CHOOSER_REASONS]
    if unknown:
        raise ValueError(f'has points for "{unknown[0]}", which is not a reason of the chooser')
    return points


class Chooser(Flagged):
    """The format chooser's points and fit words (``nature: rule_of_thumb``)."""

    points: Annotated[dict[str, Annotated[int, Field(ge=-20, le=20)]],
                      AfterValidator(_every_reason)]
    #: the lowest score shown as "good fit", and as "possible"; under it: "not for you"
    good_fit: int = 3
    possible: int = 0


class Assumptions(Flagged):
    """The reach estimator's costs (``nature: assumption``), never TikTok figures."""

    cpm_low_usd: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    cpm_high_usd: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    frequency: Annotated[float, Field(ge=1, allow_inf_nan=False)]


class AdCatalogue(ContentModel):
    """Everything in ``data/ad_formats.yaml``."""

    objectives_source: ObjectivesSource
    objectives: tuple[Objective, ...]
    formats: tuple[AdFormat, ...]
    chooser: Chooser
    assumptions: Assumptions

    @model_validator(mode="after")
    def _links(self) -> "AdCatalogue":
        for fmt in self.formats:  # a month or a year sits on its first day, as in figures.yaml
            first = {"month": fmt.date and fmt.date.replace(day=1),
                     "year": fmt.date and fmt.date.replace(month=1, day=1)}
            if fmt.date is not None and first.get(fmt.date_precision, fmt.date) != fmt.date:
                raise ValueError(f'format "{fmt.id}": {fmt.date.isoformat()} must be '
                                 f'{first[fmt.date_precision].isoformat()} because '
                                 f'date_precision is "{fmt.date_precision}"')
        objective_ids = [o.id for o in self.objectives]
        format_ids = [f.id for f in self.formats]
        every_id = objective_ids + [old for o in self.objectives for old in o.formerly]
        repeated = sorted({i for i in every_id if every_id.count(i) > 1})
        if repeated:
            raise ValueError(f'the objective id "{repeated[0]}" is used twice (or as "formerly")')
        for ids, what in ((objective_ids, "objective"), (format_ids, "format")):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f'the {what} id "{repeated[0]}" is used twice')
        for fmt in self.formats:
            unknown = [o for o in fmt.objectives if o not in objective_ids]
            if unknown:
                raise ValueError(f'format "{fmt.id}" names the unknown objective "{unknown[0]}"')
            if fmt.era == "then" and (fmt.became not in format_ids):
                raise ValueError(f'format "{fmt.id}" must say which format it "became"')
        if self.assumptions.cpm_low_usd > self.assumptions.cpm_high_usd:
            raise ValueError("assumptions: cpm_low_usd is above cpm_high_usd")
        return self

    def objective(self, objective_id: str) -> Objective | None:
        """The objective with this id, or the one that replaced it (``formerly``)."""
        return next((o for o in self.objectives if o.id == objective_id), None) or next(
            (o for o in self.objectives if objective_id in o.formerly), None)

    def format(self, format_id: str) -> AdFormat | None:
        return next((f for f in self.formats if f.id == format_id), None)

    def era(self, era: str) -> tuple[AdFormat, ...]:
        return tuple(f for f in self.formats if f.era == era)


def load_ad_formats(path: Source | None = None) -> AdCatalogue:
    """The ad catalogue, checked (errors name the file and the field)."""
    source = path if path is not None else data_dir() / "ad_formats.yaml"
    catalogue = read_record(source, "catalogue", AdCatalogue)
    check_file_cites(source)
    _check_figures(catalogue)
    return catalogue


def _check_figures(catalogue: AdCatalogue) -> None:
    """Every figure a format points at must be a sourced row of figures.yaml."""
    from tiktok_lab.core.datafiles import file_error
    from tiktok_lab.core.schemas import read_figure_rows

    known = {row.id for row in read_figure_rows()}
    for fmt in catalogue.formats:
        for figure_id in (fmt.min_days_figure, fmt.price_figure):
            if figure_id and figure_id not in known:
                raise file_error("ad_formats.yaml", f'names "{figure_id}", which is not a row of '
                                 "figures.yaml", field=f"formats ({fmt.id})")


# --------------------------------------------------------------------------
# Learner input: numbers typed in any way never raise.


# --------------------------------------------------------------------------
# The chooser.


@dataclass(frozen=True)
class RankedFormat:
    format: AdFormat
    score: int
    reasons: tuple[str, ...]
    fit: str = "possible"  # good | possible | not_for_you: what the learner reads, not the score


@dataclass(frozen=True)
class FormatRanking:
    """Today's formats, best first, or a message saying what to fix."""

    message: str = ""
    items: tuple[RankedFormat, ...] = field(default=())
    # Said above the ranking: a conversion objective with nowhere to buy or sign up is not
    # a campaign to run yet, whatever format comes first (lesson 07's checklist says so too).
    advice: str = ""
    nature: str = "rule_of_thumb"  # the points' nature (chooser: of data/ad_formats.yaml)

    @property
    def ok(self) -> bool:
        return not self.message

    @property
    def ids(self) -> list[str]:
        return [item.format.id for item in self.items]


def rank_formats(objective: Any, daily_budget: Any = 100, days: Any = 7, *,
                 has_landing_page: Any = False, has_creators: Any = False,
                 catalogue: AdCatalogue | None = None,
                 language: str | None = None) -> FormatRanking:
    """Today's formats ranked for a campaign, each with the reasons for its place.

    Points (``chooser.points`` of the data file, the course's rule of thumb): serves the
    objective +3 (else -3); needs a landing page the learner lacks for a website objective
    -5; self-serve and above the ad group's daily minimum +1 (a campaign budget may be left
    open, so the ad group's is the minimum that binds); at or below that minimum -4 for every
    format; reserved through a sales representative -2, and -2 more below a
    published industry price or under the industry length in days; creators +1 when the
    format uses yours or finds them for you. Ties keep the catalogue's order. A row that is
    not an ad (``ad: false``: TikTok One, a tool to find creators) is never ranked. Each
    format's ``fit`` word (good, possible, not for you) comes from the chooser's thresholds.
    """
    from tiktok_lab.core.i18n import format_number
    from tiktok_lab.lessons.figures.sourced import cite, confidence_label, figure

    def whole(value: float) -> str:  # "150 000" in French, "150,000" in English (Babel)
        return format_number(value, language=language, digits=0)

    catalogue = catalogue or load_ad_formats()
    chosen = catalogue.objective(str(objective)) if isinstance(objective, str) else None
    if chosen is None:
        names = ", ".join(o.id for o in catalogue.objectives)
        return FormatRanking(t("ads.chooser.bad_objective", language=language, names=names))
    daily, length = as_number(daily_budget), as_number(days)
    if daily is None or daily < 0 or daily > MAX_DAILY_USD:
        return FormatRanking(t("ads.budget.bad_daily", language=language, max=MAX_DAILY_USD))
    if length is None or length < 1 or length > MAX_DAYS or length != int(length):
        return FormatRanking(t("ads.budget.bad_days", language=language, max=MAX_DAYS))
    length = int(length)
    landing, creators = bool(has_landing_page), bool(has_creators)
    # A campaign budget may be left open: the ad group's daily minimum is the one that binds.
    minimum = figure("ads-budget-adgroup-daily")
    label = localized(chosen.label, language=language)
    points = catalogue.chooser.points
    ranked: list[tuple[int, int, RankedFormat]] = []
    for index, fmt in enumerate(f for f in catalogue.era("now") if f.ad):
        score, reasons = 0, []

        def add(key: str, **values: Any) -> None:
            nonlocal score
            score += points[key]
            reasons.append(t(f"ads.reason.{key}", language=language, **values))

        if chosen.id in fmt.objectives:
            add("serves", objective=label)
        else:
            add("not_for", objective=label)
        if chosen.website and "landing_page" in fmt.needs:
            if landing:
                add("uses_landing")
            else:
                add("needs_landing", objective=label)
        elif chosen.website and not landing and chosen.id in fmt.objectives:
            add("no_landing_needed")
        if "sales_rep" in fmt.needs:
            add("sales_rep")
            if fmt.price_figure:
                price = figure(fmt.price_figure)
                if daily * length < price.value:
                    add("below_price", price=whole(price.value),
                        source=cite(price, language=language),
                        confidence=confidence_label(price.confidence, language=language))
            if fmt.min_days_figure:
                needed = figure(fmt.min_days_figure)
                if length < needed.value:
                    add("too_short", days=whole(needed.value),
                        source=cite(needed, language=language),
                        confidence=confidence_label(needed.confidence, language=language))
        elif daily > minimum.value:
            add("self_serve", minimum=whole(minimum.value),
                source=cite(minimum, language=language))
        if daily <= minimum.value:
            # Below the self-serve minimum nothing runs; reservations cost far more still.
            add("below_minimum", minimum=whole(minimum.value),
                source=cite(minimum, language=language))
        if fmt.uses_creators and creators:
            add("uses_creators")
        if fmt.finds_creators and not creators:
            add("finds_creators")
        chooser = catalogue.chooser
        fit = ("good" if score >= chooser.good_fit else
               "possible" if score >= chooser.possible else "not_for_you")
        ranked.append((-score, index, RankedFormat(fmt, score, tuple(reasons), fit)))
    ranked.sort(key=lambda row: (row[0], row[1]))
    advice = (t("ads.chooser.nowhere_to_convert", language=language, objective=label)
              if chosen.group == "conversion" and not landing else "")
    return FormatRanking(items=tuple(row[2] for row in ranked), advice=advice,
                         nature=catalogue.chooser.nature)
