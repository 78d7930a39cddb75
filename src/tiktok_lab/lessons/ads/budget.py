"""Budgets, reach and a six-day challenge plan for lesson 06 (pure functions, no widgets).

The minimum budgets are TikTok's (figures.yaml, topic ``ads_budget``, Help
Centre, August 2025): a daily budget must exceed $50 for a campaign and $20 for
an ad group; a lifetime budget must exceed $50 for a campaign and reach at
least $20 x scheduled days for an ad group. A campaign budget is optional: left
open, only the ad group's minimum applies, so the course's checks take the ad
group's $20 as the binding daily minimum and add the campaign's $50 only when
the learner sets a campaign budget (``campaign_budget=True``). The cost per thousand impressions
(CPM) and the frequency are **course assumptions**, never TikTok figures, and
every sentence and chart built from them says so.

Reach model (a teaching toy)::

    impressions = budget / CPM * 1000        (low CPM -> more impressions)
    reach       = impressions / frequency    (people who see it, on average)

so reach grows with the budget and the range comes from the CPM range.
The 6-day length of a hashtag challenge is an industry claim (figures.yaml
``ads-hashtag-challenge-days``, Low-Medium), not a TikTok rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tiktok_lab.core.learner_errors import LearnerValueError
from tiktok_lab.core.cleaning import as_number
from tiktok_lab.lessons.ads.formats import MAX_DAILY_USD, MAX_DAYS, load_ad_formats
from tiktok_lab.core.i18n import colon, format_number, semicolon, t
from tiktok_lab.core.nature import nature_label

if TYPE_CHECKING:
    import altair as alt

    from tiktok_lab.lessons.figures.sourced import Figure

#: The stages of a hashtag challenge, in the order they usually come.
PHASES = ("teaser", "launch", "creators", "boost", "recap")
#: The plan the planner starts from (one phase per day).
DEFAULT_PHASES = ("teaser", "launch", "creators", "creators", "boost", "recap")
#: Longest note per day, so a pasted essay does not swamp the chart.
MAX_NOTE = 80
MAX_CPM_USD = 1000


# --------------------------------------------------------------------------
# Minimum budgets, read from figures.yaml.


@dataclass(frozen=True)
class BudgetMinimums:
    campaign_daily: "Figure"
    adgroup_daily: "Figure"
    campaign_lifetime: "Figure"
    adgroup_lifetime_per_day: "Figure"

    @property
    def citation(self) -> str:
        return self.campaign_daily.citation


def budget_minimums() -> BudgetMinimums:
    """TikTok's minimum budgets, each a sourced, dated row of figures.yaml."""
    from tiktok_lab.lessons.figures.sourced import figure

    return BudgetMinimums(figure("ads-budget-campaign-daily"), figure("ads-budget-adgroup-daily"),
                          figure("ads-budget-campaign-lifetime"),
                          figure("ads-budget-adgroup-lifetime"))


#: The levels of a daily budget, as ``daily_minimums`` names them.
DAILY_LEVELS = ("campaign_daily", "adgroup_daily")


def daily_minimums(*, campaign_budget: bool = False) -> tuple[tuple[str, "Figure"], ...]:
    """The daily minimums a daily budget must exceed, as ``(level, figure)`` pairs.

    The one place of TikTok's rule: the ad group's minimum always applies; the campaign's
    only when a campaign budget is set (``campaign_budget=True``), since a campaign budget
    may be left open. Lesson 06's :func:`check_budget` and lesson 07's checklist and brief
    (:mod:`tiktok_lab.lessons.strategy.money`) both read it.
    """
    minimums = budget_minimums()
    campaign = (("campaign_daily", minimums.campaign_daily),) if campaign_budget else ()
    return (*campaign, ("adgroup_daily", minimums.adgroup_daily))


@dataclass(frozen=True)
class BudgetCheck:
    """Whether a budget passes TikTok's minimums; ``problems`` say why not, kindly."""

    daily: float | None
    days: int | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and self.daily is not None and self.days is not None

    @property
    def total(self) -> float | None:
        return None if self.daily is None or self.days is None else self.daily * self.days


def _days(value: Any) -> int | None:
    number = as_number(value)
    if number is None or number != int(number) or not 1 <= number <= MAX_DAYS:
        return None
    return int(number)


def usd(value: float, language: str | None = None) -> str:
    """``$50`` in English, ``50 $`` in French (a no-break space before the sign)."""
    from tiktok_lab.core.i18n import get_language

    amount = format_number(value, language=language, digits=2)
    return f"{amount}\u00a0$" if (language or get_language()) == "fr" else "$" + amount


def check_budget(daily: Any, days: Any, *, campaign_budget: bool = False,
                 language: str | None = None) -> BudgetCheck:
    """A daily budget run for ``days`` by one ad group: above TikTok's minimums?

    The ad group's daily budget must exceed its minimum ($20). With ``campaign_budget``
    (a budget set at campaign level too), the campaign's must also exceed $50; left open
    (the default), the campaign has no minimum of its own.
    """
    number, length = as_number(daily), _days(days)
    if number is None or number < 0 or number > MAX_DAILY_USD:
        return BudgetCheck(None, length, (t("ads.budget.bad_daily", language=language,
                                            max=MAX_DAILY_USD),))
    if length is None:
        return BudgetCheck(number, None, (t("ads.budget.bad_days", language=language,
                                            max=MAX_DAYS),))
    problems = []
    for key, fig in daily_minimums(campaign_budget=campaign_budget):
        if number <= fig.value:
            problems.append(t(f"ads.budget.too_low_{key}", language=language,
                              minimum=usd(fig.value, language), daily=usd(number, language),
                              source=fig.citation))
    return BudgetCheck(number, length, tuple(problems))


def check_lifetime_budget(total: Any, days: Any, *,
                          language: str | None = None) -> tuple[bool, str]:
    """A lifetime budget for an ad group scheduled ``days``: (valid?, the reason)."""
    amount, length = as_number(total), _days(days)
    if amount is None or amount < 0 or amount > MAX_DAILY_USD * MAX_DAYS:
        return False, t("ads.budget.bad_total", language=language)
    if length is None:
        return False, t("ads.budget.bad_days", language=language, max=MAX_DAYS)
    minimums = budget_minimums()
    per_day = minimums.adgroup_lifetime_per_day
    needed = per_day.value * length
    if amount < needed:
        return False, t("ads.budget.lifetime_low", language=language, needed=usd(needed, language),
                        per_day=usd(per_day.value, language), days=length,
                        source=per_day.citation)
    if amount <= minimums.campaign_lifetime.value:
        return False, t("ads.budget.lifetime_campaign_low", language=language,
                        minimum=usd(minimums.campaign_lifetime.value, language),
                        source=minimums.campaign_lifetime.citation)
    return True, t("ads.budget.lifetime_ok", language=language, needed=usd(needed, language),
                   days=length)


# --------------------------------------------------------------------------
# The reach estimator (assumptions, not TikTok figures).


@dataclass(frozen=True)
class CpmAssumption:
    low: float
    high: float
    frequency: float

    def to_dict(self) -> dict[str, float]:
        return {"low": self.low, "high": self.high, "frequency": self.frequency}


def default_cpm_assumption() -> CpmAssumption:
    a = load_ad_formats().assumptions
    return CpmAssumption(a.cpm_low_usd, a.cpm_high_usd, a.frequency)


def impressions_for(budget: float, cpm: float) -> float:
    """Impressions bought with ``budget`` at ``cpm`` (cost per thousand impressions)."""
    return budget / cpm * 1000


@dataclass(frozen=True)
class AdReachEstimate:
    budget: BudgetCheck
    cpm: CpmAssumption | None
    message: str = ""
    days: tuple[int, ...] = ()
    impressions_low: tuple[float, ...] = ()
    impressions_high: tuple[float, ...] = ()
    reach_low: tuple[float, ...] = ()
    reach_high: tuple[float, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.message


def estimate_ad_reach(daily: Any, days: Any, cpm_low: Any = None, cpm_high: Any = None,
                      frequency: Any = None, *, language: str | None = None) -> AdReachEstimate:
    """Cumulative impressions and reach, day by day, as a low-high range.

    Refuses (with a kind message) a budget under TikTok's minimums or an
    assumption that makes no sense; never raises.
    """
    default = default_cpm_assumption()
    low = default.low if cpm_low is None else as_number(cpm_low)
    high = default.high if cpm_high is None else as_number(cpm_high)
    freq = default.frequency if frequency is None else as_number(frequency)
    check = check_budget(daily, days, language=language)
    if not check.ok:
        return AdReachEstimate(check, None, " ".join(check.problems))
    if low is None or high is None or not (0 < low <= MAX_CPM_USD and 0 < high <= MAX_CPM_USD):
        return AdReachEstimate(check, None, t("ads.estimate.bad_cpm", language=language,
                                              max=MAX_CPM_USD))
    if low > high:
        low, high = high, low
    if freq is None or not 1 <= freq <= 100:
        return AdReachEstimate(check, None, t("ads.estimate.bad_frequency", language=language))
    cpm = CpmAssumption(low, high, freq)
    assert check.daily is not None and check.days is not None
    day_numbers = tuple(range(1, check.days + 1))
    imp_low = tuple(impressions_for(check.daily * d, high) for d in day_numbers)
    imp_high = tuple(impressions_for(check.daily * d, low) for d in day_numbers)
    return AdReachEstimate(check, cpm, "", day_numbers, imp_low, imp_high,
                           tuple(i / freq for i in imp_low), tuple(i / freq for i in imp_high))


def _whole(value: float, language: str | None) -> str:
    """A count in full (``35,000`` / ``35 000``), to the hundred: an estimate, not a tally."""
    return format_number(round(value, -2) if value >= 1000 else round(value), language=language,
                         digits=0)


def describe_estimate(estimate: AdReachEstimate, *, language: str | None = None) -> str:
    """One plain sentence: the total, the impressions and reach range, and the assumption."""
    if not estimate.ok or estimate.cpm is None:
        return estimate.message
    total = estimate.budget.total or 0.0
    return t("ads.estimate.sentence", language=language, total=usd(total, language),
             assumption=nature_label(load_ad_formats().assumptions, language),
             days=len(estimate.days),
             imp_low=_whole(estimate.impressions_low[-1], language),
             imp_high=_whole(estimate.impressions_high[-1], language),
             reach_low=_whole(estimate.reach_low[-1], language),
             reach_high=_whole(estimate.reach_high[-1], language),
             cpm_low=usd(estimate.cpm.low, language), cpm_high=usd(estimate.cpm.high, language),
             frequency=format_number(estimate.cpm.frequency, language=language))


def make_ad_reach_chart(estimate: AdReachEstimate) -> "alt.LayerChart":
    """People reached, day by day, as a range (assumptions labelled as such)."""
    import altair as alt
    import pandas as pd

    from tiktok_lab.core.charts import finish_chart

    if not estimate.ok or estimate.cpm is None:
        raise LearnerValueError(estimate.message or t("ads.estimate.none"))
    frame = pd.DataFrame({"day": estimate.days, "low": estimate.reach_low,
                          "high": estimate.reach_high,
                          "mid": [(a + b) / 2 for a, b in zip(estimate.reach_low,
                                                              estimate.reach_high)]})
    x = alt.X("day:Q", title=t("ads.chart.day"), axis=alt.Axis(tickMinStep=1),
              scale=alt.Scale(domain=[1, max(2, len(estimate.days))]))
    # Channel objects (alt.Y2), not "high:Q" strings: Altair 6.3 parses each string through
    # from_dict on every redraw (docs/performance.md).
    band = alt.Chart(frame).mark_area(opacity=0.3).encode(
        x=x, y=alt.Y("low:Q", title=t("ads.chart.reach")), y2=alt.Y2("high:Q"),
        tooltip=[alt.Tooltip("day:Q", title=t("ads.chart.day")),
                 alt.Tooltip("low:Q", title=t("ads.chart.low"), format=",.0f"),
                 alt.Tooltip("high:Q", title=t("ads.chart.high"), format=",.0f")])
    line = alt.Chart(frame).mark_line(strokeWidth=3, point=len(estimate.days) <= 31).encode(
        x=x, y=alt.Y("mid:Q"))
    minimums = budget_minimums()
    cpm = estimate.cpm
    return finish_chart(
        alt.layer(band, line).properties(height=240),
        title=t("ads.chart.title", days=len(estimate.days)),
        caption=t("ads.chart.caption", source=minimums.citation,
                  assumption=nature_label(load_ad_formats().assumptions), cpm_low=usd(cpm.low),
                  cpm_high=usd(cpm.high), frequency=format_number(cpm.frequency)),
        description=describe_estimate(estimate),
    )


# --------------------------------------------------------------------------
# The six-day hashtag-challenge plan.


def challenge_days() -> "Figure":
    """The industry claim that a hashtag challenge runs 6 days (with its source)."""
    from tiktok_lab.lessons.figures.sourced import figure

    return figure("ads-hashtag-challenge-days")


def default_challenge_plan() -> list[dict[str, Any]]:
    """One row per day: ``{"day": 1, "phase": "teaser", "note": ""}``."""
    days = int(challenge_days().value)
    phases = list(DEFAULT_PHASES[:days]) + ["boost"] * max(0, days - len(DEFAULT_PHASES))
    return [{"day": day, "phase": phase, "note": ""} for day, phase in enumerate(phases, 1)]


def clean_note(value: Any) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text[:MAX_NOTE]


def normalise_plan(plan: Any) -> list[dict[str, Any]]:
    """Any saved or typed plan made into a valid one; unusable rows get the default."""
    result = default_challenge_plan()
    if not isinstance(plan, (list, tuple)):
        return result
    for index, row in enumerate(plan[:len(result)]):
        if not isinstance(row, dict):
            continue
        if row.get("phase") in PHASES:
            result[index]["phase"] = row["phase"]
        result[index]["note"] = clean_note(row.get("note"))
    return result


def check_challenge_plan(plan: Any, *, language: str | None = None) -> list[str]:
    """Friendly advice on a plan: a launch, creators, a recap at the end; [] when it flows."""
    rows = normalise_plan(plan)
    phases = [row["phase"] for row in rows]
    advice = []
    if "launch" not in phases:
        advice.append(t("ads.plan.no_launch", language=language))
    elif "teaser" in phases and phases.index("teaser") > phases.index("launch"):
        advice.append(t("ads.plan.teaser_late", language=language))
    if "creators" not in phases:
        advice.append(t("ads.plan.no_creators", language=language))
    if phases[-1] != "recap":
        advice.append(t("ads.plan.recap_last", language=language))
    return advice


def make_challenge_chart(plan: Any) -> "alt.LayerChart":
    """The plan as a timeline: one coloured block per day, on the row of its phase."""
    import altair as alt
    import pandas as pd

    from tiktok_lab.core.charts import finish_chart

    rows = normalise_plan(plan)
    names = [t(f"ads.phase.{p}") for p in PHASES]
    frame = pd.DataFrame({
        "day": [row["day"] for row in rows],
        "start": [row["day"] - 0.45 for row in rows],
        "end": [row["day"] + 0.45 for row in rows],
        "phase": [t(f"ads.phase.{row['phase']}") for row in rows],
        "note": [row["note"] or "—" for row in rows],
    })
    y = alt.Y("phase:N", title=None, sort=names, scale=alt.Scale(domain=names))
    blocks = alt.Chart(frame).mark_bar(cornerRadius=4, height=26).encode(
        x=alt.X("start:Q", title=t("ads.chart.challenge_day"),
                scale=alt.Scale(domain=[0.5, len(rows) + 0.5]),
                axis=alt.Axis(values=list(range(1, len(rows) + 1)), format="d")),
        x2=alt.X2("end:Q"), y=y, color=alt.Color("phase:N", legend=None, scale=alt.Scale(domain=names)),
        tooltip=[alt.Tooltip("day:Q", title=t("ads.chart.challenge_day")),
                 alt.Tooltip("phase:N", title=t("ads.chart.phase")),
                 alt.Tooltip("note:N", title=t("ads.chart.note"))])
    from tiktok_lab.lessons.figures.sourced import confidence_label

    days = challenge_days()
    plan_text = semicolon().join(f"{row['day']}{colon()}{phase}" for row, phase in zip(rows, frame["phase"]))
    return finish_chart(
        blocks.properties(height=200),
        title=t("ads.chart.challenge_title", days=len(rows)),
        caption=t("ads.chart.challenge_caption", days=format_number(days.value, digits=0),
                  source=days.citation, confidence=confidence_label(days.confidence)),
        description=t("ads.chart.challenge_description", days=len(rows), plan=plan_text),
    )

