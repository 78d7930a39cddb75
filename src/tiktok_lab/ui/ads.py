"""Lesson 06's widgets: the format catalogue, a format chooser, a budget and reach
estimator, and a six-day hashtag-challenge planner.

No business logic here (see :mod:`tiktok_lab.ad_formats` and
:mod:`tiktok_lab.ad_budget`). The three apps share one learner-store document,
``ads``; each writes only its own keys when the learner changes something and
reads them back when it is built again, so re-running the notebook restores
the learner's choices::

    {"objective": "reach", "formats": ["in-feed", ...], "has_landing_page": False,
     "has_creators": False, "budget": {"daily": 60.0, "days": 7, "currency": "USD"},
     "cpm_assumption": {"low": 4.0, "high": 12.0, "frequency": 2.0},
     "challenge_plan": [{"day": 1, "phase": "teaser", "note": ""}, ...]}

CSS classes for browser tests: ``tiktok-lab-ads-chooser``, ``tiktok-lab-ads-estimator``,
``tiktok-lab-ads-planner``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from tiktok_lab.ad_budget import (
    PHASES,
    assumption_label,
    budget_minimums,
    check_challenge_plan,
    clean_note,
    default_cpm_assumption,
    describe_estimate,
    estimate_ad_reach,
    make_ad_reach_chart,
    make_challenge_chart,
    normalise_plan,
)
from tiktok_lab.ad_formats import MAX_DAILY_USD, as_number, load_ad_formats, rank_formats
from tiktok_lab.i18n import format_number, get_language, localized, t
from tiktok_lab.ui.chart_output import redraw
from tiktok_lab.ui.html import box, esc, table

if TYPE_CHECKING:
    from IPython.display import HTML

DOCUMENT = "ads"
DEFAULT_DAILY = 60.0
DEFAULT_DAYS = 7
MAX_SLIDER_DAYS = 90


# --------------------------------------------------------------------------
# The learner store.


def saved_ads() -> dict[str, Any]:
    """The saved ``ads`` document, or {} (a broken store never stops the lesson)."""
    from tiktok_lab.store import get_store

    try:
        data = get_store().read(DOCUMENT)
    except Exception:  # noqa: BLE001 - the store reports its own problems
        return {}
    return data if isinstance(data, dict) else {}


def save_ads(part: dict[str, Any]) -> str:
    """Merge ``part`` into the ``ads`` document; returns an HTML status line."""
    from tiktok_lab.store import get_store

    try:
        get_store().update(DOCUMENT, lambda data: {**data, **part})
    except Exception as error:  # noqa: BLE001 - a full disk must not crash a workshop
        return box(esc(t("ads.widget.not_saved", error=error)), "warning")
    return box(esc(t("ads.widget.saved")), "ok")


def _saved_budget(saved: dict[str, Any]) -> tuple[float, int]:
    budget = saved.get("budget") if isinstance(saved.get("budget"), dict) else {}
    daily = as_number(budget.get("daily"))
    days = as_number(budget.get("days"))
    daily = daily if daily is not None and 0 <= daily <= MAX_DAILY_USD else DEFAULT_DAILY
    days = int(days) if days is not None and 1 <= days <= MAX_SLIDER_DAYS else DEFAULT_DAYS
    return daily, days


def _budget_doc(daily: float, days: int) -> dict[str, Any]:
    return {"daily": daily, "days": days, "currency": "USD"}


# --------------------------------------------------------------------------
# Tables.


def _when(value: Any) -> str:
    from tiktok_lab.i18n import format_date

    return format_date(value, precision="month") if value else t("ads.table.undated")


def ad_formats_table(era: str | None = None) -> "HTML":
    """The catalogue as a table, each entry with its source, date and confidence."""
    from IPython.display import HTML

    catalogue = load_ad_formats()
    language = get_language()
    rows = []
    for fmt in catalogue.formats:
        if era and fmt.era != era:
            continue
        what = localized(fmt.description, language=language)
        if fmt.became:
            now = catalogue.format(fmt.became)
            what += " → " + t("ads.table.became", name=localized(now.label, language=language))
        status = localized(fmt.status, language=language) if fmt.status else (
            t("ads.table.still") if fmt.era == "now" else "")
        needs = ", ".join(t(f"ads.need.{need}") for need in fmt.needs) or t("ads.table.none")
        rows.append((t(f"ads.table.{fmt.era}"), localized(fmt.label, language=language), what,
                     needs, status, fmt.source, _when(fmt.date), fmt.confidence))
    headers = [t(f"ads.table.col_{c}") for c in ("era", "format", "what", "needs", "status",
                                                  "source", "date", "confidence")]
    return HTML(table(headers, rows))


def ad_objectives_table() -> "HTML":
    """The Ads Manager objectives, grouped, with where the list comes from."""
    from IPython.display import HTML

    catalogue = load_ad_formats()
    rows = [(localized(o.label), t(f"ads.group.{o.group}"), o.api) for o in catalogue.objectives]
    src = catalogue.objectives_source
    headers = [t("ads.table.col_objective"), t("ads.table.col_group"), t("ads.table.col_api")]
    return HTML(table(headers, rows, caption=t("ads.chooser.objectives_note",
                                               date=_when(src.date),
                                               confidence=src.confidence)))


# --------------------------------------------------------------------------
# The apps.


def _heading(text: str) -> Any:
    import ipywidgets as widgets

    return widgets.HTML(f"<strong>{esc(text)}</strong>")


def _observe(controls: list[Any], handler: Callable[[Any], None]) -> None:
    for control in controls:
        control.observe(handler, names="value")


class FormatChooserApp:
    """Objective, budget, days, landing page, creators -> today's formats ranked, with reasons."""

    def __init__(self) -> None:
        import ipywidgets as widgets

        self.catalogue = load_ad_formats()
        saved = saved_ads()
        ids = [o.id for o in self.catalogue.objectives]
        objective = saved.get("objective") if saved.get("objective") in ids else ids[0]
        daily, days = _saved_budget(saved)
        wide = {"description_width": "initial"}
        self.objective = widgets.Dropdown(
            options=[(localized(o.label), o.id) for o in self.catalogue.objectives],
            value=objective, description=t("ads.widget.objective"), style=wide)
        self.daily = widgets.FloatText(value=daily, description=t("ads.widget.daily"), style=wide,
                                       layout=widgets.Layout(width="220px"))
        self.days = widgets.IntSlider(value=days, min=1, max=MAX_SLIDER_DAYS,
                                      description=t("ads.widget.days"),
                                      continuous_update=False, style=wide)
        self.landing = widgets.Checkbox(value=bool(saved.get("has_landing_page", False)),
                                        description=t("ads.widget.landing"), indent=False)
        self.creators = widgets.Checkbox(value=bool(saved.get("has_creators", False)),
                                         description=t("ads.widget.creators"), indent=False)
        self.result = widgets.HTML()
        self.status = widgets.HTML()
        self.ranking = None
        _observe([self.objective, self.daily, self.days, self.landing, self.creators],
                 self.on_change)
        self.widget = widgets.VBox([
            _heading(t("ads.chooser.heading")), self.objective,
            widgets.HBox([self.daily, self.days]), widgets.HBox([self.landing, self.creators]),
            self.result, self.status])
        self.widget.add_class("tiktok-lab-ads-chooser")
        self.redraw()

    def on_change(self, _change: Any = None) -> None:
        self.redraw()
        if self.ranking is not None and self.ranking.ok:
            self.status.value = save_ads({
                "objective": self.objective.value, "formats": self.ranking.ids[:3],
                "has_landing_page": bool(self.landing.value),
                "has_creators": bool(self.creators.value),
                "budget": _budget_doc(float(self.daily.value), int(self.days.value))})

    def redraw(self) -> None:
        try:
            self.ranking = rank_formats(self.objective.value, self.daily.value, self.days.value,
                                        has_landing_page=self.landing.value,
                                        has_creators=self.creators.value,
                                        catalogue=self.catalogue)
        except Exception as error:  # noqa: BLE001 - never a traceback at a learner
            self.ranking = None
            self.result.value = box(esc(error), "problem")
            return
        if not self.ranking.ok:
            self.result.value = box(esc(self.ranking.message), "warning")
            return
        items = []
        for place, item in enumerate(self.ranking.items, 1):
            reasons = "; ".join(item.reasons)
            items.append(f"<li><strong>{place}. {esc(localized(item.format.label))}</strong> "
                         f"({esc(t('ads.chooser.score', score=item.score))}): {esc(reasons)}</li>")
        self.result.value = box(f"{esc(t('ads.chooser.rank_heading'))}"
                                f"<ol style='list-style:none;padding-left:4px;margin:4px 0'>"
                                f"{''.join(items)}</ol>", "info")


class BudgetEstimatorApp:
    """Daily budget and days (TikTok's minimums enforced), CPM and frequency ASSUMPTIONS,
    a reach range chart."""

    def __init__(self) -> None:
        import ipywidgets as widgets

        saved = saved_ads()
        daily, days = _saved_budget(saved)
        default = default_cpm_assumption()
        cpm = saved.get("cpm_assumption") if isinstance(saved.get("cpm_assumption"), dict) else {}

        def pick(key: str, fallback: float) -> float:
            value = as_number(cpm.get(key))
            return value if value is not None and 0 < value <= 1000 else fallback

        wide = {"description_width": "initial"}
        small = widgets.Layout(width="190px")
        self.daily = widgets.FloatText(value=daily, description=t("ads.widget.daily"), style=wide,
                                       layout=widgets.Layout(width="220px"))
        self.days = widgets.IntSlider(value=days, min=1, max=MAX_SLIDER_DAYS,
                                      description=t("ads.widget.days"),
                                      continuous_update=False, style=wide)
        self.cpm_low = widgets.FloatText(value=pick("low", default.low), style=wide,
                                         description=t("ads.widget.cpm_low"), layout=small)
        self.cpm_high = widgets.FloatText(value=pick("high", default.high), style=wide,
                                          description=t("ads.widget.cpm_high"), layout=small)
        self.frequency = widgets.FloatText(value=pick("frequency", default.frequency),
                                           style=wide, description=t("ads.widget.frequency"),
                                           layout=small)
        minimums = budget_minimums()
        rules = widgets.HTML(box(esc(t(
            "ads.widget.minimums", campaign=f"${minimums.campaign_daily.value:.0f}",
            adgroup=f"${minimums.adgroup_daily.value:.0f}", source=minimums.citation)), "info"))
        label = widgets.HTML(box(f"<strong>{esc(t('ads.estimate.assumptions'))}</strong> — "
                                 f"{esc(assumption_label())}", "warning"))
        self.message = widgets.HTML()
        self.status = widgets.HTML()
        self.chart_output = widgets.Output(layout=widgets.Layout(min_height="330px"))
        self.chart = None
        self.estimate = None
        _observe([self.daily, self.days, self.cpm_low, self.cpm_high, self.frequency],
                 self.on_change)
        self.widget = widgets.VBox([
            _heading(t("ads.estimate.heading")), rules, widgets.HBox([self.daily, self.days]),
            label, widgets.HBox([self.cpm_low, self.cpm_high, self.frequency]),
            self.message, self.chart_output, self.status])
        self.widget.add_class("tiktok-lab-ads-estimator")
        self.redraw()

    def on_change(self, _change: Any = None) -> None:
        self.redraw()
        if self.estimate is not None and self.estimate.ok and self.estimate.cpm is not None:
            self.status.value = save_ads({
                "budget": _budget_doc(float(self.daily.value), int(self.days.value)),
                "cpm_assumption": self.estimate.cpm.to_dict()})

    def redraw(self) -> None:

        try:
            self.estimate = estimate_ad_reach(self.daily.value, self.days.value,
                                              self.cpm_low.value, self.cpm_high.value,
                                              self.frequency.value)
            if not self.estimate.ok:
                # Clear the old chart: it no longer matches the numbers above it.
                self.message.value = box(esc(self.estimate.message), "warning")
                self.chart = None
                self.chart_output.clear_output()
                return
            self.chart = make_ad_reach_chart(self.estimate)
        except Exception as error:  # noqa: BLE001 - never a traceback at a learner
            self.message.value = box(esc(error), "problem")
            return
        self.message.value = box(esc(describe_estimate(self.estimate)), "info")
        redraw(self.chart_output, self.chart)


class ChallengePlannerApp:
    """One phase and a short note per day of a six-day challenge; a timeline chart."""

    def __init__(self) -> None:
        import ipywidgets as widgets

        plan = normalise_plan(saved_ads().get("challenge_plan"))
        options = [(t(f"ads.phase.{p}"), p) for p in PHASES]
        self.phases = []
        self.notes = []
        rows = []
        for row in plan:
            phase = widgets.Dropdown(options=options, value=row["phase"],
                                     description=t("ads.widget.day", day=row["day"]),
                                     layout=widgets.Layout(width="220px"))
            note = widgets.Text(value=row["note"], placeholder=t("ads.plan.note_placeholder"),
                                description=t("ads.widget.note", day=row["day"]),
                                continuous_update=False, style={"description_width": "initial"},
                                layout=widgets.Layout(width="380px"))
            self.phases.append(phase)
            self.notes.append(note)
            rows.append(widgets.HBox([phase, note]))
        self.advice = widgets.HTML()
        self.status = widgets.HTML()
        self.chart_output = widgets.Output(layout=widgets.Layout(min_height="290px"))
        self.chart = None
        _observe(self.phases + self.notes, self.on_change)
        self.widget = widgets.VBox([_heading(t("ads.plan.heading")), *rows, self.advice,
                                    self.chart_output, self.status])
        self.widget.add_class("tiktok-lab-ads-planner")
        self.redraw()

    @property
    def plan(self) -> list[dict[str, Any]]:
        return normalise_plan([{"phase": p.value, "note": clean_note(n.value)}
                               for p, n in zip(self.phases, self.notes)])

    def on_change(self, _change: Any = None) -> None:
        self.redraw()
        self.status.value = save_ads({"challenge_plan": self.plan})

    def redraw(self) -> None:

        try:
            plan = self.plan
            advice = check_challenge_plan(plan)
            self.chart = make_challenge_chart(plan)
        except Exception as error:  # noqa: BLE001 - never a traceback at a learner
            self.advice.value = box(esc(error), "problem")
            return
        self.advice.value = (box("<br>".join(esc(a) for a in advice), "warning") if advice
                             else box(esc(t("ads.plan.ok")), "ok"))
        redraw(self.chart_output, self.chart)


def build_format_chooser() -> Any:
    """The format chooser (restores the learner's saved choices)."""
    return FormatChooserApp().widget


def build_budget_estimator() -> Any:
    """The budget and reach estimator (restores the saved budget and assumptions)."""
    return BudgetEstimatorApp().widget


def build_challenge_planner() -> Any:
    """The six-day hashtag-challenge planner (restores the saved plan)."""
    return ChallengePlannerApp().widget
