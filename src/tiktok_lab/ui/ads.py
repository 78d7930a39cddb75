"""Lesson 06's widgets: the format catalogue, a format chooser, a budget and reach

Over 400 lines: lesson 06's three widget apps share the ads document's merged save and its
status line.
estimator, and a six-day hashtag-challenge planner.

No business logic here (see :mod:`tiktok_lab.lessons.ads.formats` and
:mod:`tiktok_lab.lessons.ads.budget`). The three apps share one learner-store document,
``ads`` (its shape and its one read path: :mod:`tiktok_lab.lessons.ads.answers`); each
writes only its own keys when the learner changes something, merged with what
the other apps and other windows saved, shows the values changed elsewhere
(the chooser's and the estimator's budgets follow each other), and reads them
back when it is built again, so re-running the notebook restores the learner's
choices.

CSS classes for browser tests: ``tiktok-lab-ads-chooser``, ``tiktok-lab-ads-estimator``,
``tiktok-lab-ads-planner``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable

from tiktok_lab.lessons.ads.answers import (
    DEFAULT_DAILY,
    DEFAULT_DAYS,
    MAX_DAYS,
    STORE_DOCUMENT,
    AdsAnswers,
    budget_document,
    read_ads,
    save_ads,
    saved_answers,
)
from tiktok_lab.lessons.ads.budget import (
    MAX_NOTE,
    PHASES,
    budget_minimums,
    check_challenge_plan,
    clean_note,
    default_cpm_assumption,
    describe_estimate,
    estimate_ad_reach,
    make_ad_reach_chart,
    make_challenge_chart,
    normalise_plan,
    usd,
)
from tiktok_lab.lessons.ads.formats import load_ad_formats, rank_formats
from tiktok_lab.lessons.figures.sourced import confidence_label
from tiktok_lab.core.i18n import colon, get_language, localized, semicolon, t
from tiktok_lab.core.nature import nature_html, nature_label
from tiktok_lab.work.merge import Path, touches
from tiktok_lab.work.shared_documents import Saved, check_length, limit_hint, tidy_text
from tiktok_lab.ui.chart_output import redraw
from tiktok_lab.core.html import box, esc, table
from tiktok_lab.ui.source_links import documents_html, source_html
from tiktok_lab.ui.save_status import Refreshing, StatusLine, attempt, edited_places

if TYPE_CHECKING:
    from IPython.display import HTML

MAX_SLIDER_DAYS = MAX_DAYS


# --------------------------------------------------------------------------
# The learner store.


class _SavingApp:
    """What the three apps share: their part of the ``ads`` document saved merged with
    the other apps and windows, the controls refreshed from elsewhere, one status line."""

    status: Any

    def load(self) -> AdsAnswers:
        """The saved answers; remembers their document as this app's base."""
        answers, self.base = saved_answers()
        self.refreshing = Refreshing()
        self.status_line = StatusLine()
        return answers

    def places(self) -> dict[Path, Any]:
        """This app's controls by their place in the ``ads`` document."""
        raise NotImplementedError

    def part(self) -> dict[str, Any]:
        """This app's keys of the document, as its controls show them."""
        raise NotImplementedError

    def settle(self) -> None:
        """What the controls show where nothing is saved yet counts as saved: two windows
        opened on an empty store start from the same values, so a default that is
        merely shown never overwrites the other window's choice."""
        self.base = read_ads({**self.part(), **self.base})

    def label(self, path: Path) -> str | None:
        control = next((c for place, c in self.places().items() if touches(place, [path])),
                       None)
        return control.description if control is not None else None

    def save_part(self, part: dict[str, Any], warnings: Sequence[str] = (),
                  edited: Any = ()) -> Saved | None:
        """Save ``part`` merged; put what changed elsewhere in the controls; say how it went."""
        saved, error = attempt(lambda: save_ads(part, self.base), STORE_DOCUMENT)
        if saved is not None:
            self.base = saved.document
            changed = AdsAnswers.from_store(saved.document).to_store()
            with self.refreshing:
                for place, control in self.places().items():
                    if touches(place, saved.from_theirs):
                        control.value = _at(changed, place, control.value)
        self.status.value = self.status_line.html(
            saved, self.label, document=STORE_DOCUMENT, error=error, warnings=warnings,
            ok="" if error else t("ads.widget.saved"), edited=edited)
        return saved


def _at(document: Any, place: Path, fallback: Any) -> Any:
    for key in place:
        try:
            document = document[key]
        except (KeyError, IndexError, TypeError):
            return fallback
    return document


def _in_euros(campaign: float, adgroup: float) -> str:
    """TikTok's US-dollar minimums in euros, at the dated ECB reference rate of figures.yaml
    (lesson 07's conversion), rounded up to the cent; "" when the rate is missing."""
    import math

    from tiktok_lab.lessons.figures.sourced import cite
    from tiktok_lab.lessons.strategy.money import convert, format_money, rate_figure

    rate = rate_figure("USD")
    if rate is None:
        return ""

    def euros(value: float) -> str:
        return format_money(math.ceil(round(convert(value, "USD", "EUR") * 100, 6)) / 100, "EUR")

    return t("ads.widget.minimums_eur", campaign=euros(campaign), adgroup=euros(adgroup),
             source=cite(rate))


def _budget(answers: AdsAnswers) -> tuple[float, int]:
    return (DEFAULT_DAILY if answers.daily is None else answers.daily,
            DEFAULT_DAYS if answers.days is None else answers.days)


# --------------------------------------------------------------------------
# Tables.


def _when(value: Any, precision: str = "month") -> str:
    """A date no more precise than its source: "2020" for a year, "July 2025" for a month."""
    from tiktok_lab.lessons.figures.sourced import as_of

    return as_of(value, precision, language=get_language()) if value else t("ads.table.undated")


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
                     needs, status, source_html(fmt.source, fmt.seen_in),
                     _when(fmt.date, fmt.date_precision), confidence_label(fmt.confidence)))
    headers = [t(f"ads.table.col_{c}") for c in ("era", "format", "what", "needs", "status",
                                                  "source", "date", "confidence")]
    return HTML(table(headers, rows, raw_columns=frozenset({5})))


def ad_objectives_table() -> "HTML":
    """The Ads Manager objectives, grouped, with where the list comes from."""
    from IPython.display import HTML

    from tiktok_lab.core.nature import nature_label
    from tiktok_lab.lessons.strategy.content import load_strategy_data

    catalogue = load_ad_formats()
    # What judges each objective: lesson 07's rule of thumb, one home (strategy.yaml measures).
    rule = load_strategy_data()
    judged = rule.measures.objectives
    rows = [(localized(o.label), t(f"ads.group.{o.group}"),
             rule.measure_list(judged.get(o.id, ())) or t("ads.table.none"),
             localized(o.note) if o.note else "") for o in catalogue.objectives]
    src = catalogue.objectives_source
    headers = [t("ads.table.col_objective"), t("ads.table.col_group"),
               t("ads.table.col_judge"), t("ads.table.col_note")]
    pages = documents_html(src.seen_in)
    links = f'<p style="font-size:12px">{pages}</p>' if pages else ""
    links += (f'<p style="font-size:12px">{esc(t("ads.table.judge_note"))} '
              f'<strong>{esc(nature_label(rule.measures.nature))}</strong></p>')
    return HTML(table(headers, rows, caption=t("ads.chooser.objectives_note",
                                               date=_when(src.date, src.date_precision),
                                               source=src.source,
                                               confidence=confidence_label(src.confidence)))
                + links)


# --------------------------------------------------------------------------
# The apps.


def _heading(text: str) -> Any:
    import ipywidgets as widgets

    return widgets.HTML(f"<strong>{esc(text)}</strong>")


def _observe(controls: list[Any], handler: Callable[[Any], None]) -> None:
    for control in controls:
        control.observe(handler, names="value")


class FormatChooserApp(_SavingApp):
    """Objective, budget, days, landing page, creators -> today's formats ranked, with reasons."""

    def __init__(self) -> None:
        import ipywidgets as widgets

        self.catalogue = load_ad_formats()
        saved = self.load()
        objective = saved.objective or self.catalogue.objectives[0].id
        daily, days = _budget(saved)
        wide = {"description_width": "initial"}
        self.objective = widgets.Dropdown(
            options=[(localized(o.label), o.id) for o in self.catalogue.objectives],
            value=objective, description=t("ads.widget.objective"), style=wide)
        self.daily = widgets.FloatText(value=daily, description=t("ads.widget.daily"), style=wide,
                                       layout=widgets.Layout(width="220px"))
        self.days = widgets.IntSlider(value=days, min=1, max=MAX_SLIDER_DAYS,
                                      description=t("ads.widget.days"),
                                      continuous_update=False, style=wide)
        self.landing = widgets.Checkbox(value=bool(saved.has_landing_page),
                                        description=t("ads.widget.landing"), indent=False)
        self.creators = widgets.Checkbox(value=bool(saved.has_creators),
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
        self.settle()
        self.redraw()

    def places(self) -> dict[Path, Any]:
        return {("objective",): self.objective, ("budget", "daily"): self.daily,
                ("budget", "days"): self.days, ("has_landing_page",): self.landing,
                ("has_creators",): self.creators}

    def part(self) -> dict[str, Any]:
        return {"objective": self.objective.value, "has_landing_page": bool(self.landing.value),
                "has_creators": bool(self.creators.value),
                "budget": budget_document(float(self.daily.value), int(self.days.value))}

    def on_change(self, _change: Any = None) -> None:
        if self.refreshing.active:
            return
        self.redraw()
        if self.ranking is not None and self.ranking.ok:
            saved = self.save_part(self.part(), edited=edited_places(_change, self.places()))
            if saved is not None and saved.from_theirs:
                self.redraw()  # with the answers taken from elsewhere

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
            reasons = semicolon().join(item.reasons)
            items.append(f"<li><strong>{place}. {esc(localized(item.format.label))}</strong> "
                         f"({esc(t(f'ads.chooser.fit_{item.fit}'))}){colon()}{esc(reasons)}</li>")
        advice = box(esc(self.ranking.advice), "warning") if self.ranking.advice else ""
        self.result.value = advice + box(f"{esc(t('ads.chooser.rank_heading'))}"
                                         f"{nature_html(self.ranking.nature)}"
                                         f"<ol style='list-style:none;padding-left:4px;margin:4px 0'>"
                                         f"{''.join(items)}</ol>", "info")


class BudgetEstimatorApp(_SavingApp):
    """Daily budget and days (TikTok's minimums enforced), CPM and frequency ASSUMPTIONS,
    a reach range chart."""

    def __init__(self) -> None:
        import ipywidgets as widgets

        saved = self.load()
        daily, days = _budget(saved)
        default = default_cpm_assumption()
        cpm = dict(zip(("low", "high", "frequency"), saved.cpm or ()))

        def pick(key: str, fallback: float) -> float:
            return cpm.get(key, fallback)

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
        rules = widgets.HTML(box(esc(" ".join(filter(None, [t(
            "ads.widget.minimums", campaign=usd(minimums.campaign_daily.value),
            adgroup=usd(minimums.adgroup_daily.value), source=minimums.citation),
            _in_euros(minimums.campaign_daily.value, minimums.adgroup_daily.value)]))), "info"))
        assumptions = load_ad_formats().assumptions
        label = widgets.HTML(box(f"<strong>{esc(t('ads.estimate.assumptions'))}</strong> — "
                                 f"{esc(nature_label(assumptions))}", "warning"))
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
        self.settle()
        self.redraw()

    def part(self) -> dict[str, Any]:
        return {"budget": budget_document(float(self.daily.value), int(self.days.value)),
                "cpm_assumption": {"low": self.cpm_low.value, "high": self.cpm_high.value,
                                   "frequency": self.frequency.value}}

    def places(self) -> dict[Path, Any]:
        return {("budget", "daily"): self.daily, ("budget", "days"): self.days,
                ("cpm_assumption", "low"): self.cpm_low,
                ("cpm_assumption", "high"): self.cpm_high,
                ("cpm_assumption", "frequency"): self.frequency}

    def on_change(self, _change: Any = None) -> None:
        if self.refreshing.active:
            return
        self.redraw()
        if self.estimate is not None and self.estimate.ok and self.estimate.cpm is not None:
            saved = self.save_part(self.part(), edited=edited_places(_change, self.places()))
            if saved is not None and saved.from_theirs:
                self.redraw()  # with the values taken from elsewhere

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


class ChallengePlannerApp(_SavingApp):
    """One phase and a short note per day of a six-day challenge; a timeline chart."""

    def __init__(self) -> None:
        import ipywidgets as widgets

        plan = normalise_plan(list(self.load().challenge_plan or ()))
        options = [(t(f"ads.phase.{p}"), p) for p in PHASES]
        self.phases = []
        self.notes = []
        rows = []
        for row in plan:
            phase = widgets.Dropdown(options=options, value=row["phase"],
                                     description=t("ads.widget.day", day=row["day"]),
                                     layout=widgets.Layout(width="220px"))
            note = widgets.Text(value=row["note"],
                                placeholder=f"{t('ads.plan.note_placeholder')} "
                                            f"({limit_hint(MAX_NOTE)})",
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
        self.settle()
        self.redraw()

    @property
    def plan(self) -> list[dict[str, Any]]:
        return normalise_plan([{"phase": p.value, "note": clean_note(tidy_text(n.value))}
                               for p, n in zip(self.phases, self.notes)])

    def part(self) -> dict[str, Any]:
        return {"challenge_plan": self.plan}

    def places(self) -> dict[Path, Any]:
        places = {}
        for day, (phase, note) in enumerate(zip(self.phases, self.notes)):
            places[("challenge_plan", day, "phase")] = phase
            places[("challenge_plan", day, "note")] = note
        return places

    def on_change(self, _change: Any = None) -> None:
        if self.refreshing.active:
            return
        too_long = [(p, n) for n in self.notes
                    if (p := check_length("note", " ".join(tidy_text(n.value).split()),
                                          MAX_NOTE))]
        self.save_part(self.part(), [p.message(n.description) for p, n in too_long],
                       edited_places(_change, self.places()))
        self.redraw()

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
