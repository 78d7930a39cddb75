"""Is TikTok an opportunity for my brand? (lesson 04): a fit scorecard.

Over 400 lines: lesson 04's whole domain (data, score, saved answers, chart), each part short
and used only together.

Pure domain logic, no widgets (``tiktok_lab.ui.scorecard`` draws it). A
:class:`BrandProfile` (sector, target audience, goals, weekly video capacity,
appetite for humour and trends, networks already used) gets a 0-100 score on
five dimensions, a weighted total and a verdict in plain words: "core channel",
"complement" or "not now".

Where a score rests on a fact, the fact is a sourced row of ``figures.yaml``
and travels with the score (``DimensionScore.figures``):

- audience: the share of TikTok's ad audience in the chosen age bands and sex,
  from lesson 02's :func:`tiktok_lab.lessons.figures.audience.estimate_reach` (Statista, Feb
  2025: 18-34 only). A targeted band with no sourced share is *unknown*, never zero: 35+,
  and 13-17 too (``minor_bands``: the ad-audience figures count users aged 18 and over,
  which says nothing about whether teenagers use TikTok). An unknown band keeps the score at
  least at the neutral ``audience_unknown_score``, is named in a "no data for ..." line
  (:func:`audience_score`) and caps the verdict at "complement": a fit not known from sourced
  figures is tested before TikTok becomes a core channel. When 13-17 is targeted, the verdict
  adds the minors caveat (your own videos; no personalised ads to 13-17-year-olds in the EU
  and EEA since August 2023). The chosen country adds its own reach figures as context;
- sector: Rival IQ's engagement rate by view for the sector (report of 2024, 2023 data);
- capacity: videos per week against the median brand's rhythm (Rival IQ, 2023 data).

Goals and tone are the course's judgement, and the weights and thresholds are
the course's choices: all live in ``data/opportunity.yaml`` with their
explanations in English and French. Scores are monotone where they should be:
more weekly videos, another age band or both sexes instead of one never lower
a score, except that a target made MORE than half of ages with no sourced share scores
the neutral value ("mostly unknown", never 100 on a guess); a larger sourced share never
lowers it. The audience score measures the size of the target within TikTok's ad audience,
so it says that a narrow target is not an absent one; when it is the lowest score because
ages are unknown, the verdict calls it the least-known point, not the weakest. A serious
tone (no humour) scores above the blocker line: it lowers the total, never blocks. A score is a tool for discussion, never a
prediction, and the widget and chart label it as the course's rule of thumb.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field

from tiktok_lab.core.learner_errors import LearnerValueError
from tiktok_lab.core.content_types import ContentModel, TranslatedText, unique_ids
from tiktok_lab.core.datafiles import Source, data_dir, file_error, read_record, unknown_id
from tiktok_lab.lessons.figures.sourced import (Figure, confidence_label, dated_counts, figure,
                                               format_value)
from tiktok_lab.core.i18n import localized, semicolon, t
from tiktok_lab.core.nature import Flagged, nature_detail, nature_label
from tiktok_lab.core.schemas import KebabId

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

    from tiktok_lab.work.shared_documents import Saved

#: The scorecard's dimensions, in the order the data file must list them.
DIMENSIONS = ("audience", "goals", "capacity", "tone", "sector")
#: The learner store document of this lesson.
STORE_DOCUMENT = "opportunity"
#: Characters kept from the brand's name (it titles the chart); the widget says so.
BRAND_LIMIT = 80

Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]




class Labelled(ContentModel):
    id: KebabId
    label: TranslatedText


class Sector(Labelled):
    figure_id: KebabId | None = None


class Tone(Labelled, Flagged):
    """An appetite for humour and trends: its score and why are the course's judgement."""

    score: Score
    why: TranslatedText


class Goal(Labelled, Flagged):
    """A goal: how well TikTok serves it (fit) and why, the course's judgement."""

    fit: Score
    why: TranslatedText


class Verdict(Labelled, Flagged):
    """What a total means, in words: the course's advice."""

    text: TranslatedText


class Thresholds(ContentModel):
    core: Score
    complement: Score
    blocker: Score


Weight = Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)]


def _weights_for_each_dimension(value: dict) -> dict:
    if tuple(value) != DIMENSIONS:
        raise ValueError(f"must give the weights of {', '.join(DIMENSIONS)}, in that order")
    return value


class ScorecardRules(Flagged):
    """How answers become scores, a total and a verdict: the course's rule of thumb."""

    weights: Annotated[dict[str, Weight], AfterValidator(_weights_for_each_dimension)]
    thresholds: Thresholds
    sector_full_rate: Annotated[float, Field(gt=0, le=100)]
    sector_default_score: Score
    audience_full_share: Annotated[float, Field(gt=0, le=100)]
    audience_unknown_score: Score


class Change(ContentModel):
    label: TranslatedText
    before: KebabId
    after: KebabId
    note: TranslatedText | None = None


class Example(ContentModel):
    brand: str
    sector: KebabId
    bands: tuple[str, ...]
    sex: str
    country: str
    goals: tuple[KebabId, ...]
    videos_per_week: Annotated[int, Field(ge=0)]
    tone: KebabId
    presence: tuple[KebabId, ...] = ()


def _dimension_order(value: tuple) -> tuple:
    ids = tuple(item.id for item in unique_ids(value))
    if ids != DIMENSIONS:
        raise ValueError(f"must list the dimensions {', '.join(DIMENSIONS)}, in that order")
    return value


def _verdict_ids(value: tuple) -> tuple:
    ids = {item.id for item in unique_ids(value)}
    if ids != {"core", "complement", "not-now"}:
        raise ValueError("must define the verdicts core, complement and not-now")
    return value


class OpportunityData(ContentModel):
    """Everything in ``data/opportunity.yaml``."""

    scorecard: ScorecardRules
    dimensions: Annotated[tuple[Labelled, ...], AfterValidator(_dimension_order)]
    sectors: Annotated[tuple[Sector, ...], AfterValidator(unique_ids)]
    age_bands: tuple[str, ...]
    minor_bands: tuple[str, ...] = ()
    minors_presence_figure_id: KebabId
    capacity_figure_id: KebabId
    max_videos_per_week: Annotated[int, Field(ge=1, le=100)]
    tones: Annotated[tuple[Tone, ...], AfterValidator(unique_ids)]
    goals: Annotated[tuple[Goal, ...], AfterValidator(unique_ids)]
    networks: Annotated[tuple[Labelled, ...], AfterValidator(unique_ids)]
    verdicts: Annotated[tuple[Verdict, ...], AfterValidator(_verdict_ids)]
    texts: dict[str, TranslatedText]
    changes: tuple[Change, ...]
    example: Example

    # The scorecard's numbers, read where they are used (``data.thresholds.core``).
    thresholds = property(lambda self: self.scorecard.thresholds)
    sector_full_rate = property(lambda self: self.scorecard.sector_full_rate)
    sector_default_score = property(lambda self: self.scorecard.sector_default_score)
    audience_full_share = property(lambda self: self.scorecard.audience_full_share)
    audience_unknown_score = property(lambda self: self.scorecard.audience_unknown_score)

    def item(self, kind: str, item_id: str) -> Any:
        """One sector, tone, goal, network, verdict or dimension by id; clear error if unknown."""
        items = getattr(self, kind)
        for item in items:
            if item.id == item_id:
                return item
        raise unknown_id(kind, item_id, [i.id for i in items])

    def ids(self, kind: str) -> list[str]:
        return [item.id for item in getattr(self, kind)]

    def text(self, key: str, language: str | None = None, **values: Any) -> str:
        return localized(self.texts[key], language=language).format(**values)


_TEXT_KEYS = ("audience_covered", "audience_uncovered", "audience_none", "audience_minors",
              "audience_minors_unknown", "audience_unknown_cap", "scorecard_choices",
              "country_reach",
              "country_reach_percent",
              "sector_rate", "sector_none", "capacity", "capacity_none", "goals", "goals_none",
              "presence_some", "presence_none", "audience_narrow", "audience_mostly_unknown",
              "weakest_point", "least_known_point", "thresholds")


def load_opportunity(path: Source | None = None) -> OpportunityData:
    """The scorecard's sectors, goals, weights, thresholds and texts, checked."""
    source = path if path is not None else data_dir() / "opportunity.yaml"
    data = read_record(source, "opportunity", OpportunityData)
    _check_references(data, path)
    return data


def _check_references(data: OpportunityData, path: Source | None) -> None:
    """Every figure id must be a row of figures.yaml, every text key present."""
    from tiktok_lab.core.schemas import read_figure_rows

    name = getattr(path, "name", None) or str(path or "opportunity.yaml").rsplit("/", 1)[-1]
    known = {row.id for row in read_figure_rows()}
    wanted = [("sectors", s.figure_id) for s in data.sectors if s.figure_id]
    wanted.append(("capacity_figure_id", data.capacity_figure_id))
    wanted.append(("minors_presence_figure_id", data.minors_presence_figure_id))
    wanted += [("changes", i) for c in data.changes for i in (c.before, c.after)]
    for where, figure_id in wanted:
        if figure_id not in known:
            raise file_error(name, f'names "{figure_id}", which is not a row of figures.yaml',
                             field=where)
    missing = [key for key in _TEXT_KEYS if key not in data.texts]
    if missing:
        raise file_error(name, f'has no text "{missing[0]}"', field="texts")


# --------------------------------------------------------------------------
# A brand and its scores.


@dataclass(frozen=True)
class BrandProfile:
    """A learner's answers. Ids refer to ``data/opportunity.yaml`` and lesson 02's scopes."""

    brand: str = ""
    sector: str = "other"
    bands: tuple[str, ...] = ("18-24",)
    sex: str = "all"
    country: str = "worldwide"
    goals: tuple[str, ...] = ("awareness",)
    videos_per_week: int = 1
    tone: str = "some"
    presence: tuple[str, ...] = ()

    @classmethod
    def from_store(cls, saved: Mapping[str, Any], data: OpportunityData | None = None
                   ) -> "BrandProfile":
        """Rebuild the answers saved in the store; anything unknown falls back to a default.

        A store file may come from an older course or a hand edit: it must
        never stop the widget from opening.
        """
        from tiktok_lab.lessons.figures.audience import SCOPES, SEXES

        data = data or load_opportunity()
        default = cls()
        saved = saved if isinstance(saved, Mapping) else {}
        audience = saved.get("audience") if isinstance(saved.get("audience"), Mapping) else {}
        answers = saved.get("answers") if isinstance(saved.get("answers"), Mapping) else {}

        def pick(value: Any, allowed: Iterable[str], fallback: str) -> str:
            return value if isinstance(value, str) and value in allowed else fallback

        def picks(value: Any, allowed: list[str]) -> tuple[str, ...]:
            items = value if isinstance(value, (list, tuple)) else []
            return tuple(i for i in allowed if i in items)

        videos = _whole(answers.get("videos_per_week"))
        return cls(
            brand=clean_brand(saved.get("brand")),
            sector=pick(saved.get("sector"), data.ids("sectors"), default.sector),
            bands=picks(audience.get("bands"), list(data.age_bands)),
            sex=pick(audience.get("sex"), SEXES, default.sex),
            country=pick(audience.get("country"), SCOPES, default.country),
            goals=picks(saved.get("goals"), data.ids("goals")),
            videos_per_week=default.videos_per_week if videos is None else min(
                max(videos, 0), data.max_videos_per_week),
            tone=pick(answers.get("tone"), data.ids("tones"), default.tone),
            presence=picks(answers.get("presence"), data.ids("networks")),
        )


    def to_store(self) -> dict[str, Any]:
        """The answers part of the ``opportunity`` document (what windows merge)."""
        return {
            "brand": self.brand,
            "sector": self.sector,
            "audience": {"bands": list(self.bands), "sex": self.sex, "country": self.country},
            "goals": list(self.goals),
            "answers": {"videos_per_week": self.videos_per_week, "tone": self.tone,
                        "presence": list(self.presence)},
        }


def clean_brand(value: Any) -> str:
    """A brand name as saved: one tidy line of at most :data:`BRAND_LIMIT` characters."""
    from tiktok_lab.work.shared_documents import cut, tidy_text

    return cut(tidy_text(value).replace("\n", " "), BRAND_LIMIT)


def _whole(value: Any) -> int | None:
    """A whole number from a saved value (``3``, ``3.0``, ``"3"``), else None; never raises."""
    from tiktok_lab.core.cleaning import as_number

    if isinstance(value, bool):
        return None
    try:
        number = as_number(value)
    except (OverflowError, TypeError, ValueError):  # a whole number too long for a float
        return None
    return int(number) if number is not None and number == int(number) else None


def example_brand(data: OpportunityData | None = None) -> BrandProfile:
    """The made-up brand of the lesson's exercises."""
    example = (data or load_opportunity()).example
    return BrandProfile(**example.model_dump())


@dataclass(frozen=True)
class DimensionScore:
    """One dimension: its 0-100 score, weight, explanation and the figures behind it."""

    id: str
    label: str
    score: float
    weight: float
    explanation: tuple[str, ...]
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Scorecard:
    """Scores per dimension, the weighted total and the verdict for one brand."""

    profile: BrandProfile
    dimensions: tuple[DimensionScore, ...]
    total: float
    verdict: str  # core | complement | not-now
    verdict_label: str
    verdict_text: str
    weakest: str  # the id of the lowest-scoring dimension
    rule: str = ""  # the scorecard's nature label and what the rule is made of
    nature: str = "rule_of_thumb"  # the scorecard's nature (data/opportunity.yaml)
    #: targeted age bands with no sourced share of the ad audience: the verdict is at most
    #: "complement" while there are any.
    unknown_bands: tuple[str, ...] = ()

    def score(self, dimension: str) -> float:
        return next(d.score for d in self.dimensions if d.id == dimension)

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every sourced figure behind the scores, once each."""
        seen: dict[str, Figure] = {}
        for dim in self.dimensions:
            for fig in dim.figures:
                seen.setdefault(fig.id, fig)
        return tuple(seen.values())

    def to_frame(self) -> "pd.DataFrame":
        """One row per dimension: id, label, score (0-100) and weight."""
        import pandas as pd

        return pd.DataFrame({"dimension": [d.id for d in self.dimensions],
                             "label": [d.label for d in self.dimensions],
                             "score": [d.score for d in self.dimensions],
                             "weight": [d.weight for d in self.dimensions]})

    def results(self, language: str | None = None) -> dict[str, Any]:
        """What follows from the answers (lesson 07 reads the verdict), saying what the
        scores are: the scorecard's nature and its label."""
        return {"scores": {**{d.id: d.score for d in self.dimensions}, "total": self.total},
                "verdict": self.verdict, "nature": self.nature,
                "nature_label": nature_label(self.nature, language)}


def _round(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 1)


def score_brand(profile: BrandProfile | None = None, *, data: OpportunityData | None = None,
                language: str | None = None, **answers: Any) -> Scorecard:
    """Score a brand's fit with TikTok, e.g. ``tl.score_brand(sector="travel", videos_per_week=3)``.

    Pass a :class:`BrandProfile`, keywords, or both (keywords win). An unknown
    answer name, sector, goal, tone, network, age band, sex or country raises an
    error that suggests the closest ids; a number of videos that is not a whole
    number from 0 raises a ``ValueError`` saying so.
    """
    data = data or load_opportunity()
    profile = profile or BrandProfile()
    if answers:
        profile = BrandProfile(**{**asdict(profile), **checked_answers(answers, data, language)})
    for kind, ids in (("sectors", [profile.sector]), ("goals", profile.goals),
                      ("tones", [profile.tone]), ("networks", profile.presence)):
        for item_id in ids:
            data.item(kind, item_id)
    parts = {
        "audience": _audience(profile, data, language),
        "goals": _goals(profile, data, language),
        "capacity": _capacity(profile, data, language),
        "tone": _tone(profile, data, language),
        "sector": _sector(profile, data, language),
    }
    dims = tuple(
        DimensionScore(d.id, localized(d.label, language=language), _round(parts[d.id][0]),
                       data.scorecard.weights[d.id], tuple(parts[d.id][1]),
                       tuple(parts[d.id][2]))
        for d in data.dimensions)
    total = _round(sum(d.score * d.weight for d in dims) / sum(d.weight for d in dims))
    weakest = min(dims, key=lambda d: d.score)  # ties: the first in the data file's order
    limits = data.thresholds
    unknown = unknown_bands(profile)
    if weakest.score < limits.blocker or total < limits.complement:
        verdict_id = "not-now"
    elif total >= limits.core and not unknown:  # an unknown fit is tested first: complement
        verdict_id = "core"
    else:
        verdict_id = "complement"
    verdict = data.item("verdicts", verdict_id)
    # An audience scored at the neutral value for want of figures is not known to be weak:
    # it is the least-known point, and finding out who watches comes first.
    point = (data.text("least_known_point", language, weakest=weakest.label,
                       bands=", ".join(unknown))
             if weakest.id == "audience" and unknown else
             data.text("weakest_point", language, weakest=weakest.label))
    text = localized(verdict.text, language=language).format(
        total=_number(total, language), weakest=weakest.label,
        weakest_score=_number(weakest.score, language), point=point)
    if profile.presence:
        labels = [localized(data.item("networks", n).label, language=language)
                  for n in profile.presence]
        last = t("opportunity.widget.and", language=language)
        names = (f"{', '.join(labels[:-1])} {last} {labels[-1]}" if len(labels) > 1
                 else labels[0])
        text += " " + data.text("presence_some", language, networks=names)
    else:
        text += " " + data.text("presence_none", language)
    if unknown and verdict_id != "not-now":
        text += " " + data.text("audience_unknown_cap", language, bands=", ".join(unknown))
    minors = [b for b in profile.bands if b in data.minor_bands]
    if minors:
        text += " " + data.text("audience_minors", language, bands=", ".join(minors))
    rule = nature_detail(data.scorecard, data.text("scorecard_choices", language), language)
    return Scorecard(profile, dims, total, verdict_id, localized(verdict.label, language=language),
                     text, weakest.id, rule, data.scorecard.nature, unknown)


def checked_answers(answers: dict[str, Any], data: OpportunityData,
                     language: str | None) -> dict[str, Any]:
    """Keyword answers typed in a cell, in the shapes :class:`BrandProfile` holds.

    A lone "awareness" counts as one goal and None as none; a name, band, sex or
    country that does not exist is refused with the closest ids, so a typo never
    surfaces as a Python error about ``__init__``.
    """
    from tiktok_lab.core.cleaning import as_number
    from tiktok_lab.lessons.figures.audience import SCOPES, SEXES

    fields = list(BrandProfile.__dataclass_fields__)
    checked: dict[str, Any] = {}
    for key, value in answers.items():
        if key not in fields:
            raise unknown_id("answer", key, fields)
        if key in ("bands", "goals", "presence"):
            value = () if value is None else tuple(value) if isinstance(
                value, (list, tuple, set, frozenset)) else (value,)
        checked[key] = value
    for band in checked.get("bands", ()):
        if band not in data.age_bands:
            raise unknown_id("age band", band, list(data.age_bands))
    for key, kind, known in (("sex", "sex option", list(SEXES)),
                             ("country", "place", list(SCOPES))):
        if key in checked and (not isinstance(checked[key], str) or checked[key] not in known):
            raise unknown_id(kind, checked[key], known)
    if "brand" in checked:
        brand = checked["brand"]
        checked["brand"] = (brand if isinstance(brand, str) else "" if brand is None
                            else str(brand))[:80]
    if "videos_per_week" in checked:
        videos = checked["videos_per_week"]
        number = None if isinstance(videos, bool) else as_number(videos)
        if number is None or number != int(number) or not 0 <= number <= data.max_videos_per_week:
            raise LearnerValueError(t("input.whole_number", language=language, field="videos_per_week",
                               low=0, high=data.max_videos_per_week, value=str(videos)[:40]))
        checked["videos_per_week"] = int(number)
    return checked


def _number(value: float, language: str | None) -> str:
    from tiktok_lab.core.i18n import format_number

    return format_number(value, language=language, digits=1)


def _percent(value: float, language: str | None) -> str:
    return format_value(round(value, 1), "percent", language=language)


def audience_score(share: float | None, unknown: bool, data: OpportunityData,
                   mostly_unknown: bool = False) -> float:
    """The course's rule of thumb for the audience dimension (0-100).

    ``share``: percent of TikTok's ad audience made up of the target's bands with a sourced
    share (None when none has); ``unknown``: some target band has no figure (13-17 included).
    A sourced share scores in proportion up to ``audience_full_share``; a band without data
    is unknown, not zero, so it keeps the score at least at ``audience_unknown_score``.
    ``mostly_unknown``: more than half of the target's bands have no figure; the score is then
    the neutral value, whatever the sourced bands alone give (never 100 on a guess). Never
    lower for a larger share.
    """
    known = None if share is None else min(100.0, 100 * share / data.audience_full_share)
    if not unknown:
        return known or 0.0
    neutral = data.audience_unknown_score
    if known is None or mostly_unknown:
        return neutral
    return max(known, neutral)


def _sourced_bands() -> list[str]:
    """The age bands with a sourced share of TikTok's worldwide ad audience (18-34)."""
    from tiktok_lab.lessons.figures.audience import ALL, SCOPES

    return [b for b in SCOPES["worldwide"].bands() if b != ALL]


def unknown_bands(profile: BrandProfile) -> tuple[str, ...]:
    """The targeted age bands with no sourced share of the ad audience, 13-17 included.

    Unknown is never zero: the ad-audience figures count users aged 18 and over, so they say
    nothing about teenagers on TikTok, and the split stops at 34. The audience score is then
    at least neutral, and the verdict at most "complement" (:func:`score_brand`).
    """
    sourced = _sourced_bands()
    return tuple(b for b in profile.bands if b not in sourced)


def _audience(profile: BrandProfile, data: OpportunityData, language: str | None):
    """Share of TikTok's worldwide ad audience in the target (lesson 02's reach calculator)."""
    from tiktok_lab.lessons.figures.audience import SCOPES, estimate_reach

    if not profile.bands:
        return 0.0, [data.text("audience_none", language)], []
    sourced = _sourced_bands()
    covered = [b for b in profile.bands if b in sourced]
    uncovered = list(unknown_bands(profile))
    # Minors are unknown like 35+, never a zero: they are outside the 18+ ad-audience figures.
    minors = [b for b in uncovered if b in data.minor_bands]
    lines: list[str] = []
    figures: list[Figure] = []
    share: float | None = None
    if covered:
        estimate = estimate_reach("worldwide", covered, profile.sex)
        shares = [f for f in estimate.figures if f.unit == "percent"] if estimate.ok else []
        share = sum(f.value for f in shares)
        figures += shares
        cell_of = {fid: cell for cell, fid in SCOPES["worldwide"].shares.items()}
        cells = ", ".join(
            f"{t(f'figures.sex.{cell_of[f.id][1]}', language=language).lower()} {cell_of[f.id][0]}"
            f" {_percent(f.value, language)}" for f in shares if f.id in cell_of)
        lines.append(data.text("audience_covered", language, share=_percent(share, language),
                               cells=cells, full=_percent(data.audience_full_share, language)))
    mostly = 2 * len(uncovered) > len(profile.bands)
    if uncovered:
        lines.append(data.text("audience_uncovered", language, bands=", ".join(uncovered),
                               score=f"{data.audience_unknown_score:.0f}"))
    if mostly and covered:
        lines.append(data.text("audience_mostly_unknown", language, unknown=len(uncovered),
                               count=len(profile.bands),
                               score=f"{data.audience_unknown_score:.0f}"))
    if covered:
        lines.append(data.text("audience_narrow", language))
    if minors:  # unknown to the ad-audience figures, but on TikTok: a survey says so
        presence = figure(data.minors_presence_figure_id)
        lines.append(data.text("audience_minors_unknown", language, bands=", ".join(minors),
                               share=_percent(presence.value, language)))
        figures.append(presence)
    context = _country_context(profile, data, language)
    if context:
        lines.append(context[0])
        figures += context[1]
    return audience_score(share, bool(uncovered), data, mostly), lines, figures


def _country_context(profile: BrandProfile, data: OpportunityData, language: str | None):
    """A sentence on TikTok's reach in the chosen country, from lesson 02's figures."""
    from tiktok_lab.lessons.figures.audience import ALL, SCOPES, estimate_reach

    scope = SCOPES.get(profile.country)
    if scope is None or profile.country == "worldwide" or not scope.bands():
        return None
    bands = [b for b in profile.bands if b in scope.bands()]
    estimate = estimate_reach(profile.country, bands, profile.sex) if bands else None
    if estimate is None or not estimate.ok:
        estimate = estimate_reach(profile.country, [scope.bands()[0]], ALL)
    if not estimate.ok:
        return None
    low = format_value(estimate.low, estimate.unit, language=language)
    high = format_value(estimate.high, estimate.unit, language=language)
    bases = [f for f in estimate.figures if f.unit == estimate.unit]
    earlier = ""
    if estimate.unit != "percent" and len({f.date for f in bases}) > 1 and estimate.high:
        # Two dated counts are growth over time, not a range: the latest, then the earlier.
        reach, earlier = dated_counts(bases, estimate.high / max(f.value for f in bases),
                                      estimate.unit, language=language)
    else:
        reach = low if low == high else t("figures.calc.range", language=language, low=low,
                                          high=high)
    key = "country_reach_percent" if estimate.unit == "percent" else "country_reach"
    name = t(f"figures.scope.{profile.country}", language=language)
    line = data.text(key, language, country=name, reach=reach)
    return (f"{line} {earlier}" if earlier else line), list(estimate.figures)


def _goals(profile: BrandProfile, data: OpportunityData, language: str | None):
    if not profile.goals:
        return 0.0, [data.text("goals_none", language)], []
    goals = [data.item("goals", g) for g in profile.goals]
    details = semicolon(language).join(f"{localized(g.label, language=language)} ({g.fit:.0f})" for g in goals)
    lines = [data.text("goals", language, details=details)]
    lines += [localized(g.why, language=language) for g in goals]
    return sum(g.fit for g in goals) / len(goals), lines, []


def _capacity(profile: BrandProfile, data: OpportunityData, language: str | None):
    median = figure(data.capacity_figure_id)
    videos = max(0, int(profile.videos_per_week))
    lines = [data.text("capacity", language, videos=videos,
                       median=_number(median.value, language))]
    if videos == 0:
        lines.append(data.text("capacity_none", language))
    return 100 * videos / median.value, lines, [median]


def _tone(profile: BrandProfile, data: OpportunityData, language: str | None):
    tone = data.item("tones", profile.tone)
    return tone.score, [localized(tone.why, language=language)], []


def _sector(profile: BrandProfile, data: OpportunityData, language: str | None):
    sector = data.item("sectors", profile.sector)
    if sector.figure_id is None:
        score = data.sector_default_score
        return score, [data.text("sector_none", language, score=f"{score:.0f}")], []
    rate = figure(sector.figure_id)
    line = data.text("sector_rate", language, sector=localized(sector.label, language=language),
                     rate=_percent(rate.value, language),
                     full=_percent(data.sector_full_rate, language))
    return 100 * rate.value / data.sector_full_rate, [line], [rate]


# --------------------------------------------------------------------------
# The learner store.


def read_opportunity(raw: Any, data: OpportunityData | None = None) -> dict[str, Any]:
    """The mergeable form of a saved ``opportunity`` document: its answers, repaired."""
    return BrandProfile.from_store(raw, data).to_store()


def save_profile(profile: BrandProfile, base: Mapping[str, Any] | None,
                 data: OpportunityData | None = None) -> "Saved":
    """Save the answers merged with what another window saved since ``base`` (the
    answers this window loaded or last saved); scores and verdict follow the merged
    answers. Raises ``StoreError`` when the save cannot happen."""
    from tiktok_lab.work.shared_documents import save_merged

    data = data or load_opportunity()

    def with_results(merged: dict[str, Any]) -> dict[str, Any]:
        card = score_brand(BrandProfile.from_store(merged, data), data=data)
        return {**merged, **card.results()}

    return save_merged(STORE_DOCUMENT, base, profile.to_store(),
                       read=lambda raw: read_opportunity(raw, data), finish=with_results)


def saved_answers(data: OpportunityData | None = None
                  ) -> tuple[BrandProfile | None, dict[str, Any]]:
    """The saved answers (None if there are none yet) and the base a window opening now
    merges from (the default answers when nothing is saved)."""
    from tiktok_lab.work.store import get_store

    saved = get_store().read(STORE_DOCUMENT)
    profile = BrandProfile.from_store(saved, data) if saved else None
    return profile, (profile or BrandProfile()).to_store()


# --------------------------------------------------------------------------
# Tables and charts.


def opportunity_changes(data: OpportunityData | None = None) -> "pd.DataFrame":
    """What has changed since 2020: each pair of sourced figures, then and now, cited, with
    their confidence (lesson 04 shows it with :func:`tiktok_lab.ui.scorecard.opportunity_changes_table`)."""
    import pandas as pd

    data = data or load_opportunity()
    rows = []
    for change in data.changes:
        before, after = figure(change.before), figure(change.after)
        rows.append({
            "what": localized(change.label),
            "then": before.shown,
            "then_source": before.citation,
            "then_confidence": confidence_label(before.confidence),
            "now": after.shown,
            "now_source": after.citation,
            "now_confidence": confidence_label(after.confidence),
            "note": localized(change.note) if change.note else "",
        })
    return pd.DataFrame(rows)


def make_scorecard_chart(card: Scorecard) -> "alt.LayerChart":
    """One bar per dimension (0-100), the thresholds as rules, sources in the caption."""
    import altair as alt
    import pandas as pd

    from tiktok_lab.core.charts import finish_chart

    data = load_opportunity()
    frame = card.to_frame()
    frame["explanation"] = [" ".join(d.explanation)[:200] for d in card.dimensions]
    x = alt.X("score:Q", title=t("opportunity.chart.x"), scale=alt.Scale(domain=[0, 100]))
    y = alt.Y("label:N", title=None, sort=list(frame["label"]))
    # Channel objects only (alt.ColorValue, not alt.condition/alt.value dicts, not "score:Q"):
    # Altair 6.3 parses the others through from_dict on each redraw (docs/performance.md).
    bars = alt.Chart(frame).mark_bar().encode(
        x=x, y=y,
        color=alt.ColorValue("#0072B2", condition={"test": alt.datum.dimension == card.weakest,
                                                   "value": "#D55E00"}),
        tooltip=[alt.Tooltip("label:N", title=t("opportunity.chart.dimension")),
                 alt.Tooltip("score:Q", title=t("opportunity.chart.x"), format=".0f"),
                 alt.Tooltip("weight:Q", title=t("opportunity.chart.weight"))],
    )
    labels = alt.Chart(frame).mark_text(align="left", dx=4, fontSize=13).encode(
        x=x, y=y, text=alt.Text("score:Q", format=".0f"))
    limits = pd.DataFrame({"score": [data.thresholds.complement, data.thresholds.core],
                           "what": [t("opportunity.chart.complement"),
                                    t("opportunity.chart.core")]})
    rules = alt.Chart(limits).mark_rule(strokeDash=[4, 4], color="#555").encode(
        x=alt.X("score:Q"), tooltip=[alt.Tooltip("what:N", title=" ")])
    # "Statista 2025, via Google Dataset Search": who produced each figure and when, then who
    # published the page it was seen in (linked in the table under the chart).
    sources = sorted({t("figures.cite.via", source=f"{f.source.split(',')[0]} {f.when[:4]}",
                        via=f.via) if f.via else f"{f.source.split(',')[0]} {f.when[:4]}"
                      for f in card.figures})
    scores = ", ".join(f"{d.label} {d.score:.0f}" for d in card.dimensions)
    return finish_chart(
        alt.layer(bars, labels, rules).properties(height=200),
        title=t("opportunity.chart.title", brand=card.profile.brand or t("opportunity.chart.brand"),
                total=_number(card.total, None), verdict=card.verdict_label),
        caption=t("opportunity.chart.caption", rule=nature_label(card.nature),
                  sources=semicolon().join(sources) or "–"),
        description=t("opportunity.chart.description", scores=scores, total=_number(card.total, None),
                      verdict=card.verdict_label),
    )
