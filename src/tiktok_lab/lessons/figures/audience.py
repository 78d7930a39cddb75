"""The "your audience on TikTok" calculator of lesson 02: a rough order of magnitude.

Pure domain logic, no widgets (``tiktok_lab.ui.figures_view`` draws it). A scope
(worldwide, France, Belgium, Luxembourg) names the figures of ``figures.yaml``
it may use: counts of people (``base_ids``; "all ages" gives the latest, naming the
earlier one: two dated counts are growth, not a range of uncertainty) and shares by
age band and sex where a source gives them.

A share is multiplied only by a count of the SAME BASE (``share_base_ids``): the same
place and the same kind of count at a nearby date, such as the worldwide split of the
ad audience (Statista, Feb 2025) times the worldwide ad reach (DataReportal, Jan 2025).
When no count shares the share's base, no number is produced: the estimate says so,
shows the share with its source and names the figure that would be needed. (France's
"women 18-24 = 28% of users" (Statista 2023) times TikTok's French monthly users gave
6-7.8 million, more than France's women of that age: the two do not share a base.)
Luxembourg has shares but no head count, so its answer is a share of social-network users.

Nothing a learner picks raises: an unknown scope, no age band, a band or a sex
the scope has no figure for, all come back as a friendly message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tiktok_lab.lessons.figures.sourced import Figure, date_words, dated_counts, figure
from tiktok_lab.core.i18n import semicolon, t

ALL = "all"
SEXES: tuple[str, ...] = (ALL, "women", "men")


@dataclass(frozen=True)
class Scope:
    """Which figures a scope may use.

    ``base_ids``: counts of people in the place, oldest first ("all ages" gives the
    latest); empty when the scope only has shares. ``shares``: for each ``(age band,
    sex)`` the id of a figure giving its percent of a base. ``share_base_ids``: the
    counts of that same base (same place, same kind of count, nearby date), the only
    ones a share may be multiplied by; empty when no count in the course data shares the
    shares' base, and then ``missing_base`` (a strings key) names the figure that would
    be needed.
    """

    key: str
    base_ids: tuple[str, ...]
    shares: dict[tuple[str, str], str] = field(default_factory=dict)
    share_base_ids: tuple[str, ...] = ()
    missing_base: str | None = None

    def bands(self) -> list[str]:
        """The age bands this scope has figures for, ``all`` first."""
        seen = [ALL] if self.base_ids else []
        for band, _sex in self.shares:
            if band not in seen:
                seen.append(band)
        return seen

    def figure_ids(self) -> set[str]:
        return set(self.base_ids) | set(self.shares.values()) | set(self.share_base_ids)


SCOPES: dict[str, Scope] = {
    scope.key: scope
    for scope in (
        Scope(
            "worldwide",
            # The ad reach: adults 18+, excluding Douyin, the latest two dates.
            ("ad-reach-2024-q4", "ad-reach-2025-01"),
            {
                ("18-24", "women"): "audience-2025-02-women-18-24",
                ("18-24", "men"): "audience-2025-02-men-18-24",
                ("25-34", "women"): "audience-2025-02-women-25-34",
                ("25-34", "men"): "audience-2025-02-men-25-34",
            },
            # The split is of the worldwide ad audience (Feb 2025): the ad reach of the
            # month before is the same base.
            share_base_ids=("ad-reach-2025-01",),
        ),
        Scope(
            "france",
            ("country-france-mau-2023-10", "country-france-mau-2025-09"),
            {("18-24", "women"): "audience-france-2023-women-18-24"},
            # "28% of users" (Statista 2023) is not a share of TikTok's monthly users in
            # France: times 21.4-27.8 million it exceeds France's women aged 18-24. Its base
            # is not known, so no count is multiplied by it.
            missing_base="figures.calc.needed_france",
        ),
        Scope("belgium", ("country-belgium-users-2025-01",)),
        Scope(
            "luxembourg",
            (),
            {
                ("16-74", ALL): "country-luxembourg-users-2021",
                ("16-17", ALL): "country-luxembourg-users-16-17-2021",
                ("18-19", ALL): "country-luxembourg-users-18-19-2021",
                ("20-21", ALL): "country-luxembourg-users-20-21-2021",
                ("22-34", ALL): "country-luxembourg-users-22-34-2021",
            },
        ),
    )
}


@dataclass(frozen=True)
class ReachEstimate:
    """A rough range, or the reason there is none (``message``)."""

    scope: str
    low: float | None = None
    high: float | None = None
    unit: str = "people"  # or "percent" (of the scope's population)
    ceiling: float | None = None  # the largest possible value: the scope's population, or 100
    figures: tuple[Figure, ...] = ()  # with a message: the sourced shares, shown without a number
    message: str | None = None
    note: str | None = None  # what the estimate covers, when narrower than asked

    @property
    def ok(self) -> bool:
        return self.message is None


def scope_names() -> dict[str, str]:
    """Scope key -> name in the learner's language, for a drop-down."""
    return {key: t(f"figures.scope.{key}") for key in SCOPES}


def estimate_reach(scope: Any, age_bands: Any = (ALL,), sex: Any = ALL) -> ReachEstimate:
    """How many people of ``scope``, in ``age_bands`` and of ``sex``, TikTok may reach.

    A rough estimate from dated figures, never a forecast; any input gives a
    :class:`ReachEstimate`, with a friendly ``message`` when it cannot be made.
    """
    key = scope.strip().lower() if isinstance(scope, str) else ""
    chosen = SCOPES.get(key)
    if chosen is None:
        return ReachEstimate(str(scope)[:40], message=t(
            "figures.calc.unknown_scope", scope=str(scope)[:40],
            scopes=", ".join(scope_names().values())))
    bands = _as_bands(age_bands)
    if not bands:
        return ReachEstimate(key, message=t("figures.calc.no_band"))
    sex = sex.strip().lower() if isinstance(sex, str) else ""
    if sex not in SEXES:
        return ReachEstimate(key, message=t("figures.calc.unknown_sex", sex=str(sex)[:20] or "–"))
    unknown = [b for b in bands if b not in chosen.bands()]
    if unknown:
        return ReachEstimate(key, message=t("figures.calc.unknown_band", bands=", ".join(unknown),
                                            available=", ".join(chosen.bands())))
    return _estimate(chosen, bands, sex)


def _as_bands(age_bands: Any) -> list[str]:
    if isinstance(age_bands, str):
        age_bands = [age_bands]
    if not isinstance(age_bands, Iterable):
        return []
    bands: list[str] = []
    for band in age_bands:
        if isinstance(band, str) and band.strip() and band.strip()[:20] not in bands:
            bands.append(band.strip()[:20])
    return bands


def _estimate(scope: Scope, bands: list[str], sex: str) -> ReachEstimate:
    bases = [figure(i) for i in scope.base_ids]
    if ALL in bands:
        if sex != ALL and not scope.shares:
            return ReachEstimate(scope.key, message=t("figures.calc.no_sex_data",
                                                      scope=t(f"figures.scope.{scope.key}")))
        if sex == ALL:
            if not bases:  # cannot happen with the scopes above: "all" needs a base
                return ReachEstimate(scope.key, message=t("figures.calc.no_data"))
            # Two dated counts are growth (or two sources), not uncertainty: the latest,
            # naming the earlier ones (the same wording as the scorecard's country line).
            latest = max(bases, key=lambda b: b.date)
            earlier = [b for b in bases if b is not latest]
            shown, before = dated_counts(bases, 1.0, "people")
            note = " ".join(filter(None, [t("figures.calc.latest", count=shown), before]))
            return ReachEstimate(scope.key, latest.value, latest.value, "people", latest.value,
                                 (latest, *earlier), note=note)
        # "All ages" of one sex: only the bands a source splits by sex can be counted.
        bands = [b for b, s in scope.shares if s == sex]
        note = t("figures.calc.only_bands", bands=", ".join(bands))
    else:
        note = None
    shares = _shares(scope, bands, sex)
    if shares is None:
        return ReachEstimate(scope.key, message=t(
            "figures.calc.no_combination", scope=t(f"figures.scope.{scope.key}"),
            bands=", ".join(bands), sex=t(f"figures.sex.{sex}"),
            available=_available(scope)))
    used = tuple(shares)
    if not bases:
        values = [f.value for f in used]
        return ReachEstimate(scope.key, min(values), max(values), "percent", 100.0, used)
    if not scope.share_base_ids:  # no count shares the shares' base: no number
        return _no_common_base(scope, bands, sex, used)
    share = min(100.0, sum(f.value for f in used)) / 100
    counts = [figure(i) for i in scope.share_base_ids]
    values = [c.value for c in counts]
    return ReachEstimate(scope.key, share * min(values), share * max(values), "people",
                         max(values), tuple(counts) + used, note=note)


def _no_common_base(scope: Scope, bands: list[str], sex: str,
                    shares: tuple[Figure, ...]) -> ReachEstimate:
    """The shares alone, with why they are not turned into people and what would be needed."""
    name = t(f"figures.scope.{scope.key}")
    counts = semicolon().join(t("figures.calc.dated", value=figure(i).shown, when=_as_of(figure(i)))
                       for i in scope.base_ids)
    message = t("figures.calc.no_common_base",
                who=f"{t(f'figures.sex.{sex}').lower()} {', '.join(bands)}", scope=name,
                shares=", ".join(f"{f.shown} ({f.source}, {_as_of(f)})" for f in shares),
                counts=counts,
                needed=t(scope.missing_base or "figures.calc.needed_same_base", scope=name))
    return ReachEstimate(scope.key, unit="percent", figures=shares, message=message)


def _as_of(row: Figure) -> str:
    """A figure's date as a reader says it (``September 2025``, or ``published October 24,
    2023`` for a figure dated by its publication), no more precise than its source."""
    return date_words(row)


def _shares(scope: Scope, bands: list[str], sex: str) -> list[Figure] | None:
    """The share figures for every (band, sex) asked for, or None if one is missing.

    "Everyone" in a band is its women plus its men when the source splits them.
    """
    if not bands:
        return None
    found = []
    for band in bands:
        if (band, sex) in scope.shares:
            ids = [scope.shares[(band, sex)]]
        elif sex == ALL and (band, "women") in scope.shares and (band, "men") in scope.shares:
            ids = [scope.shares[(band, "women")], scope.shares[(band, "men")]]
        else:
            return None
        found.extend(figure(i) for i in ids)
    return found


def _available(scope: Scope) -> str:
    return ", ".join(f"{band} ({t(f'figures.sex.{sex}')})" for band, sex in scope.shares) or "–"
