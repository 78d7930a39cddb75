"""Lesson 04's widget: the brand scorecard ("is TikTok an opportunity for my brand?").

No business logic here: scores, explanations, verdict, chart and the store
document come from :mod:`tiktok_lab.lessons.opportunity`. Every change rescores,
redraws and saves to the learner store (``opportunity``); re-running the cell
brings the saved answers back. A save merges with what another window saved
meanwhile (:func:`tiktok_lab.lessons.opportunity.save_profile`): the answers changed
there show up here, and the status line says which.

CSS classes for browser tests: ``tiktok-lab-scorecard`` (the app),
``tiktok-lab-scorecard-verdict`` (the verdict box).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiktok_lab.core.i18n import format_number, get_language, localized, t
from tiktok_lab.work.merge import Path, touches
from tiktok_lab.lessons.opportunity import (
    BRAND_LIMIT,
    STORE_DOCUMENT,
    BrandProfile,
    OpportunityData,
    Scorecard,
    checked_answers,
    clean_brand,
    load_opportunity,
    make_scorecard_chart,
    save_profile,
    saved_answers,
    score_brand,
)
from tiktok_lab.work.shared_documents import Saved, check_length, limit_hint
from tiktok_lab.ui.chart_output import redraw
from tiktok_lab.core.html import box, esc, table
from tiktok_lab.ui.save_status import Refreshing, StatusLine, attempt, edited_places

if TYPE_CHECKING:
    import altair as alt


def opportunity_changes_html(data: OpportunityData | None = None) -> str:
    """"What has changed since 2020" as a table whose long cells wrap (a pandas frame cuts
    them, "as of July ..."): each figure, its full citation with its page linked, and its
    confidence."""
    from tiktok_lab.lessons.figures.sourced import cite_html, confidence_label, figure

    data = data or load_opportunity()
    rows = []
    for change in data.changes:
        before, after = figure(change.before), figure(change.after)
        rows.append((localized(change.label), before.shown, cite_html(before),
                     confidence_label(before.confidence), after.shown, cite_html(after),
                     confidence_label(after.confidence),
                     localized(change.note) if change.note else ""))
    headers = [t(f"opportunity.changes.{key}") for key in (
        "what", "then", "then_source", "then_confidence", "now", "now_source", "now_confidence",
        "note")]
    return table(headers, rows, raw_columns=frozenset({2, 5}),
                 caption=t("opportunity.changes.caption"))


def opportunity_changes_table(data: OpportunityData | None = None) -> Any:
    """Lesson 04's "What has changed since 2020" table, for a notebook cell."""
    from IPython.display import HTML

    return HTML(opportunity_changes_html(data))


def scorecard_html(card: Scorecard) -> str:
    """The verdict, the rule-of-thumb label, one line per dimension with its reasons, then the
    figures used, cited."""
    from tiktok_lab.ui.figures_view import cite, confidence_label

    level = {"core": "ok", "complement": "info", "not-now": "warning"}[card.verdict]
    brand = f"{esc(card.profile.brand)} — " if card.profile.brand else ""
    # The colon's spacing is the language's (French puts a no-break space before it).
    title = t("opportunity.widget.verdict", label=card.verdict_label)
    verdict = box(f"<strong>{brand}{esc(title)}</strong><br>{esc(card.verdict_text)}", level)
    verdict = verdict.replace('role="status"', 'role="status" class="tiktok-lab-scorecard-verdict"')
    rows = [(d.label, f"{d.score:.0f}", format_number(d.weight, digits=2),
             "<br>".join(esc(line) for line in d.explanation)) for d in card.dimensions]
    why = table([t("opportunity.chart.dimension"), t("opportunity.chart.x"),
                 t("opportunity.chart.weight"), t("opportunity.widget.why")], rows,
                raw_columns=frozenset({3}), caption=t("opportunity.widget.why"))
    figures = [(f.metric, f.shown, f.scope, cite(f), confidence_label(f.confidence))
               for f in card.figures]
    sources = table([t("figures.col.metric"), t("figures.col.value"), t("figures.col.scope"),
                     t("figures.col.source"), t("figures.col.confidence")], figures,
                    raw_columns=frozenset({3}),
                    caption=t("opportunity.widget.sources")) if figures else ""
    rule = f"<p class=\"tiktok-lab-scorecard-rule\"><small><strong>{esc(card.rule)}</strong></small></p>" \
        if card.rule else ""
    # The verdict lines, read from the data file (never typed in the lesson's prose).
    limits = load_opportunity().thresholds
    lines = load_opportunity().text("thresholds", None, core=f"{limits.core:.0f}",
                                    complement=f"{limits.complement:.0f}",
                                    blocker=f"{limits.blocker:.0f}")
    thresholds = f"<p class=\"tiktok-lab-scorecard-thresholds\"><small>{esc(lines)}</small></p>"
    return verdict + thresholds + rule + why + sources


def show_scorecard(card: Scorecard) -> Any:
    """A scorecard as the app shows it under its chart: the verdict, the verdict lines, the
    rule-of-thumb label, the "why each score" table and the figures behind it
    (``tl.show_scorecard(tl.score_brand(tl.example_brand()))``)."""
    from IPython.display import HTML

    return HTML(scorecard_html(card))


class ScorecardApp:
    """Answer a few questions about a brand; see its fit per dimension, a chart and a verdict.

    ``widget`` is what the notebook shows; ``card`` and ``chart`` are the last
    ones computed and ``redraws`` counts redraws, so headless tests can follow.
    """

    def __init__(self, profile: BrandProfile | None = None,
                 data: OpportunityData | None = None, *, save: bool = True) -> None:
        import ipywidgets as widgets

        from tiktok_lab.lessons.figures.audience import SEXES, scope_names

        self.data = data or load_opportunity()
        self.language = lang = get_language()
        self.save = save
        restored, self.base = saved_answers(self.data) if save else (None, None)
        restored = restored if profile is None else None
        start = profile or restored or BrandProfile()
        self.refreshing = Refreshing()
        wide = widgets.Layout(width="420px")

        def options(kind: str) -> list[tuple[str, str]]:
            return [(localized(i.label, language=lang), i.id) for i in getattr(self.data, kind)]

        self.brand = widgets.Text(value=start.brand, description=t("opportunity.widget.brand"),
                                  placeholder=f"{t('opportunity.widget.brand_placeholder')} "
                                              f"({limit_hint(BRAND_LIMIT)})",
                                  continuous_update=False, layout=wide)
        self.sector = widgets.Dropdown(options=options("sectors"), value=start.sector,
                                       description=t("opportunity.widget.sector"), layout=wide)
        self.bands = widgets.SelectMultiple(options=list(self.data.age_bands),
                                            value=tuple(start.bands), rows=6,
                                            description=t("opportunity.widget.bands"))
        self.sex = widgets.ToggleButtons(options=[(t(f"figures.sex.{s}"), s) for s in SEXES],
                                         value=start.sex, description=t("opportunity.widget.sex"))
        self.country = widgets.Dropdown(options=[(n, k) for k, n in scope_names().items()],
                                        value=start.country,
                                        description=t("opportunity.widget.country"))
        self.goals = widgets.SelectMultiple(options=options("goals"), value=tuple(start.goals),
                                            rows=len(self.data.goals),
                                            description=t("opportunity.widget.goals"),
                                            layout=wide)
        self.videos = widgets.IntSlider(value=start.videos_per_week, min=0,
                                        max=self.data.max_videos_per_week,
                                        description=t("opportunity.widget.videos"),
                                        tooltip=t("opportunity.widget.videos_help"),
                                        continuous_update=False)
        self.tone = widgets.RadioButtons(options=options("tones"), value=start.tone,
                                         description=t("opportunity.widget.tone"))
        self.presence = widgets.SelectMultiple(options=options("networks"),
                                               value=tuple(start.presence),
                                               rows=len(self.data.networks),
                                               description=t("opportunity.widget.presence"))
        self.controls = [self.brand, self.sector, self.bands, self.sex, self.country,
                         self.goals, self.videos, self.tone, self.presence]
        for control in self.controls:
            control.style.description_width = "110px"
            control.observe(self.on_answer_change, names="value")
        self.chart_output = widgets.Output(layout=widgets.Layout(min_height="300px"))
        self.details = widgets.HTML()
        # The same note whether or not answers were restored: a re-run cell must show the
        # same thing as the first run (tests/test_run_twice.py); ``restored`` says which.
        self.restored = restored is not None
        self.status = widgets.HTML(f"<small>{esc(t('opportunity.widget.saved'))}</small>"
                                   if save else "")
        self.saving = widgets.HTML()  # what the last save said (empty when all is well)
        self.status_line = StatusLine()
        self.card: Scorecard | None = None
        self.chart: alt.TopLevelMixin | None = None
        self.redraws = 0
        heading = widgets.HTML(f"<strong>{esc(t('opportunity.widget.heading'))}</strong><br>"
                               f"<small>{esc(t('opportunity.widget.several'))}</small>")
        left = widgets.VBox([self.brand, self.sector, self.country, self.bands, self.sex])
        from tiktok_lab.ui.choices import WRAP_OPTIONS_STYLE, WRAPPED_OPTIONS

        self.tone.add_class(WRAPPED_OPTIONS)  # a long tone wraps (ui/choices.py)
        self.tone.layout.width = "auto"
        right = widgets.VBox([self.goals, self.videos, self.tone, self.presence,
                              widgets.HTML(WRAP_OPTIONS_STYLE)])
        self.widget = widgets.VBox([heading, self.status, self.saving,
                                    widgets.HBox([left, right],
                                                 layout=widgets.Layout(flex_flow="row wrap")),
                                    self.chart_output, self.details])
        self.widget.add_class("tiktok-lab-scorecard")
        self.redraw()

    @property
    def profile(self) -> BrandProfile:
        return BrandProfile(
            brand=clean_brand(self.brand.value), sector=self.sector.value,
            bands=tuple(self.bands.value), sex=self.sex.value, country=self.country.value,
            goals=tuple(self.goals.value), videos_per_week=int(self.videos.value),
            tone=self.tone.value, presence=tuple(self.presence.value))

    def on_answer_change(self, change: dict) -> None:
        if not self.refreshing.active:
            self.redraw(edited_places(change, dict(self.controls_by_place())))

    def controls_by_place(self) -> list[tuple[Path, Any]]:
        """Each control and where its answer sits in the ``opportunity`` document."""
        return [(("brand",), self.brand), (("sector",), self.sector),
                (("audience", "bands"), self.bands), (("audience", "sex"), self.sex),
                (("audience", "country"), self.country), (("goals",), self.goals),
                (("answers", "videos_per_week"), self.videos), (("answers", "tone"), self.tone),
                (("answers", "presence"), self.presence)]

    def label(self, path: Path) -> str | None:
        control = next((c for place, c in self.controls_by_place() if touches(place, [path])),
                       None)
        return control.description if control is not None else None

    def save_answers(self, edited: Any = ()) -> None:
        """Save (merged with other windows); show the answers changed elsewhere; say how it went."""
        saved, error = attempt(lambda: save_profile(self.profile, self.base, self.data),
                               STORE_DOCUMENT)
        if saved is not None:
            self.base = saved.document
            self.take(saved)
        too_long = check_length("brand", self.brand.value, BRAND_LIMIT)
        self.saving.value = self.status_line.html(
            saved, self.label, document=STORE_DOCUMENT, error=error, edited=edited,
            warnings=[too_long.message(self.brand.description)] if too_long else [])

    def take(self, saved: Saved) -> None:
        """Put the answers another window changed into the controls (without saving)."""
        merged = BrandProfile.from_store(saved.document, self.data)
        values = {("brand",): merged.brand, ("sector",): merged.sector,
                  ("audience", "bands"): tuple(merged.bands), ("audience", "sex"): merged.sex,
                  ("audience", "country"): merged.country, ("goals",): tuple(merged.goals),
                  ("answers", "videos_per_week"): merged.videos_per_week,
                  ("answers", "tone"): merged.tone, ("answers", "presence"): tuple(merged.presence)}
        with self.refreshing:
            for place, control in self.controls_by_place():
                if touches(place, saved.from_theirs):
                    control.value = values[place]

    def redraw(self, edited: Any = ()) -> None:
        """Save, rescore, redraw the chart inside the Output, rewrite the details.

        Any failure is shown as a message in the widget, never as a traceback
        in the middle of a workshop; a failed save leaves the answers as typed.
        """
        if self.save:
            self.save_answers(edited)
        try:
            self.card = score_brand(self.profile, data=self.data, language=self.language)
            self.chart = make_scorecard_chart(self.card)
            details = scorecard_html(self.card)
        except Exception as error:  # noqa: BLE001 - a widget must never raise at a learner
            self.details.value = box(esc(str(error)), "problem")
            return
        self.redraws += 1
        redraw(self.chart_output, self.chart)
        self.details.value = details


def build_scorecard_widget(**answers: Any) -> Any:
    """The brand scorecard app; e.g. ``tl.build_scorecard_widget()``.

    Without arguments it restores the answers saved last time; with keywords
    (``sector="travel", videos_per_week=3``) it starts from those instead.
    """
    profile = None
    if answers:  # a typo'd name or an unknown id gets score_brand's plain message
        profile = BrandProfile(**checked_answers(answers, load_opportunity(), None))
    return ScorecardApp(profile).widget
