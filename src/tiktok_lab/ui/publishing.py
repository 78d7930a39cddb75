"""Lesson 05's widgets: the strategy form, the rhythm planner and the comment practice.

No business logic here: validation, the calendar, the chart and the feedback
come from :mod:`tiktok_lab.lessons.publishing`. Each app saves its part of the learner
store document ``publishing`` on every change, and a re-run cell brings the
saved choices back. Whatever the learner types is kept verbatim and escaped
on display (``core/html``). Each app saves only its part, merged with what the
other apps and other windows saved (:func:`tiktok_lab.lessons.publishing.save_plan`),
and shows the choices changed elsewhere; a text past its limit and a save that
fails are said in the app's status line, the learner's text staying in place.

CSS classes for browser tests: ``tiktok-lab-strategy-form``,
``tiktok-lab-rhythm-planner``, ``tiktok-lab-comment-practice``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiktok_lab.core.i18n import get_language, localized, t
from tiktok_lab.core.nature import nature_html
from tiktok_lab.work.merge import Path, touches
from tiktok_lab.lessons.publishing import (
    MAX_TEXT,
    STORE_DOCUMENT,
    Check,
    PublishingData,
    PublishingPlan,
    ReplyFeedback,
    check_rhythm,
    check_strategy,
    clean_text,
    load_publishing,
    make_calendar_chart,
    reply_feedback,
    save_plan,
    saved_plan_and_base,
    text_overflow,
)
from tiktok_lab.work.shared_documents import Saved, limit_hint
from tiktok_lab.ui.chart_output import redraw
from tiktok_lab.core.html import box, esc
from tiktok_lab.ui.save_status import Refreshing, StatusLine, attempt, edited_places

if TYPE_CHECKING:
    import altair as alt

_LABEL_WIDTH = "110px"


class _SavingApp:
    """What the three apps share: their part of the ``publishing`` document, saved merged
    with other windows, the controls refreshed from elsewhere, one status line."""

    data: PublishingData
    save: bool
    saving: Any  # the status line (an HTML widget)

    def start(self, plan: PublishingPlan | None, save: bool) -> PublishingPlan:
        """The plan to show: ``plan``, else the saved one, else the default; remembers the
        saved document as this app's base and whether anything was restored."""
        saved, self.base = saved_plan_and_base(self.data) if save else (None, None)
        self.refreshing = Refreshing()
        self.status_line = StatusLine()
        self.restored = plan is None and saved is not None
        return plan or saved or PublishingPlan()

    def places(self) -> dict[Path, Any]:
        """This app's controls by their place in the document."""
        raise NotImplementedError

    def label(self, path: Path) -> str | None:
        control = next((c for place, c in self.places().items() if touches(place, [path])),
                       None)
        return control.description if control is not None else None

    def save_part(self, part: dict[str, Any], texts: dict[str, Any] | None = None,
                  edited: Any = ()) -> Saved | None:
        """Save ``part`` merged; put what changed elsewhere in the controls; say how it went.

        ``texts`` (field -> what was typed) are checked against the length a saved
        answer keeps, so a cut is never silent; ``edited``: the places just changed.
        """
        if not self.save:
            return None
        saved, error = attempt(lambda: save_plan(part, self.base, self.data), STORE_DOCUMENT)
        if saved is not None:
            self.base = saved.document
            with self.refreshing:
                self.take(PublishingPlan.from_store(saved.document, self.data), saved)
        too_long = [p for p in (text_overflow(k, v) for k, v in (texts or {}).items()) if p]
        self.saving.value = self.status_line.html(
            saved, self.label, document=STORE_DOCUMENT, error=error, edited=edited,
            warnings=[p.message(self.places()[(p.field,)].description) for p in too_long])
        return saved

    def take(self, plan: PublishingPlan, saved: Saved) -> None:
        """Show the choices another window changed (called while ``refreshing``)."""
        for place, control in self.places().items():
            if touches(place, saved.from_theirs):
                control.value = self.shown(plan, place)

    def shown(self, plan: PublishingPlan, place: Path) -> Any:
        value = getattr(plan, place[0])
        return tuple(value) if isinstance(value, (list, tuple)) else value


def _hint(key: str) -> str:
    return f"{t(key)} ({limit_hint(MAX_TEXT)})"


def _note(key: str, save: bool) -> str:
    # The same note whether or not choices were restored: a re-run cell must show the
    # same thing as the first run (tests/test_run_twice.py).
    return f"<small>{esc(t(key))}</small>" if save else ""


def check_html(check: Check, *, empty: bool = False, language: str | None = None) -> str:
    """A validation result as one box per message (or one "ok" box), then the label of the
    checks' nature (the limits are the course's rules of thumb)."""
    label = nature_html(check.nature, language) if check.nature else ""
    if check.ok:
        return box(esc(check.summary), "ok") + label
    level = "info" if empty else "warning"
    return "".join(box(esc(message), level) for message in check.messages()) + label


class StrategyFormApp(_SavingApp):
    """Why, what, to whom: three text fields checked in plain words and saved."""

    def __init__(self, plan: PublishingPlan | None = None, data: PublishingData | None = None,
                 *, save: bool = True) -> None:
        import ipywidgets as widgets

        self.data = data or load_publishing()
        self.language = get_language()
        self.save = save
        start = self.start(plan, save)
        wide = widgets.Layout(width="min(640px, 95%)")

        def field(name: str, value: str) -> Any:
            control = widgets.Text(value=value, description=t(f"tips.form.{name}"),
                                   placeholder=_hint(f"tips.form.{name}_placeholder"),
                                   continuous_update=False, layout=wide)
            control.style.description_width = _LABEL_WIDTH
            control.observe(self.on_answer_change, names="value")
            return control

        self.why = field("why", start.why)
        self.what = field("what", start.what)
        self.whom = field("whom", start.whom)
        self.button = widgets.Button(description=t("tips.form.check"), icon="check")
        self.button.on_click(self.on_check)
        self.result = widgets.HTML()
        self.answers = widgets.HTML()
        self.saving = widgets.HTML()
        self.check: Check | None = None
        self.checks = 0
        heading = widgets.HTML(f"<strong>{esc(t('tips.form.heading'))}</strong>")
        self.widget = widgets.VBox([heading, widgets.HTML(_note("tips.form.saved", save)),
                                    self.why, self.what, self.whom, self.button, self.result,
                                    self.answers, self.saving])
        self.widget.add_class("tiktok-lab-strategy-form")
        self.refresh()

    def places(self) -> dict[Path, Any]:
        return {("why",): self.why, ("what",): self.what, ("whom",): self.whom}

    def on_answer_change(self, change: dict) -> None:
        if not self.refreshing.active:
            self.refresh(edited_places(change, self.places()))

    def on_check(self, _button: Any) -> None:
        self.refresh()

    def refresh(self, edited: Any = ()) -> None:
        """Save (merged), then validate and show the messages and the answers (escaped);
        never raise."""
        typed = {name: control.value for (name,), control in self.places().items()}
        self.save_part({name: clean_text(value) for name, value in typed.items()}, typed,
                       edited)
        try:
            why, what, whom = (clean_text(c.value) for c in (self.why, self.what, self.whom))
            self.check = check_strategy(why, what, whom, data=self.data, language=self.language)
            self.result.value = check_html(self.check, empty=not (why or what or whom),
                                           language=self.language)
            rows = [(t(f"tips.form.{k}"), v) for k, v in (("why", why), ("what", what),
                                                          ("whom", whom)) if v]
            self.answers.value = ("<ul>" + "".join(
                f"<li><strong>{esc(k)}</strong>: {esc(v)}</li>" for k, v in rows) + "</ul>"
                if rows else "")
        except Exception as error:  # noqa: BLE001 - a widget must never raise at a learner
            self.result.value = box(esc(str(error)), "problem")
            return
        self.checks += 1


class RhythmPlannerApp(_SavingApp):
    """Videos per week, 1-3 pillars and formats -> a four-week calendar chart, saved."""

    def __init__(self, plan: PublishingPlan | None = None, data: PublishingData | None = None,
                 *, save: bool = True) -> None:
        import ipywidgets as widgets

        self.data = data or load_publishing()
        self.language = lang = get_language()
        self.save = save
        start = self.start(plan, save)

        def options(kind: str) -> list[tuple[str, str]]:
            return [(localized(i.label, language=lang), i.id) for i in getattr(self.data, kind)]

        # The slider goes a week's worth past the sensible maximum, so the friendly
        # "too many" message can be seen.
        self.posts = widgets.IntSlider(value=start.posts_per_week, min=0,
                                       max=self.data.max_posts_per_week + 7,
                                       description=t("tips.planner.posts"),
                                       continuous_update=False)
        self.pillars = widgets.SelectMultiple(options=options("pillars"),
                                              value=tuple(start.pillars),
                                              rows=len(self.data.pillars),
                                              description=t("tips.planner.pillars"))
        self.formats = widgets.SelectMultiple(options=options("formats"),
                                              value=tuple(start.formats),
                                              rows=len(self.data.formats),
                                              description=t("tips.planner.formats"))
        for control in (self.posts, self.pillars, self.formats):
            control.style.description_width = _LABEL_WIDTH
            control.observe(self.on_choice_change, names="value")
        self.chart_output = widgets.Output(layout=widgets.Layout(min_height="260px"))
        self.message = widgets.HTML()
        self.saving = widgets.HTML()
        self.chart: alt.TopLevelMixin | None = None
        self.check: Check | None = None
        self.redraws = 0
        heading = widgets.HTML(f"<strong>{esc(t('tips.planner.heading'))}</strong>")
        self.widget = widgets.VBox([
            heading, widgets.HTML(_note("tips.planner.saved", save)), self.posts,
            widgets.HTML(f"<small>{esc(t('tips.planner.several'))}</small>"),
            widgets.HBox([self.pillars, self.formats],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.message, self.chart_output, self.saving])
        self.widget.add_class("tiktok-lab-rhythm-planner")
        self.redraw()

    def places(self) -> dict[Path, Any]:
        return {("posts_per_week",): self.posts, ("pillars",): self.pillars,
                ("formats",): self.formats}

    def on_choice_change(self, change: dict) -> None:
        if not self.refreshing.active:
            self.redraw(edited_places(change, self.places()))

    def redraw(self, edited: Any = ()) -> None:
        """Save the choices (merged); check the rhythm; draw the calendar when it passes;
        never raise."""
        self.save_part({"posts_per_week": int(self.posts.value),
                        "pillars": list(self.pillars.value), "formats": list(self.formats.value)},
                       edited=edited)
        posts, pillars, formats = int(self.posts.value), list(self.pillars.value), \
            list(self.formats.value)
        try:
            self.check = check_rhythm(posts, pillars, formats, data=self.data,
                                      language=self.language)
            self.chart = (make_calendar_chart(posts, pillars, formats, data=self.data,
                                              language=self.language)
                          if self.check.ok else None)
        except Exception as error:  # noqa: BLE001 - a widget must never raise at a learner
            self.message.value = box(esc(str(error)), "problem")
            return
        self.redraws += 1
        self.message.value = check_html(self.check, language=self.language)
        redraw(self.chart_output, self.chart)


class CommentPracticeApp(_SavingApp):
    """Pick a comment and a reply approach, get feedback. The brand's own comment rule is written
    once, in lesson 05's open answer ``comment-rule``, not here: a rule saved by an older version
    of this widget stays in the saved document (``comment_rule``) and is still read by lesson 07."""

    def __init__(self, plan: PublishingPlan | None = None, data: PublishingData | None = None,
                 *, save: bool = True) -> None:
        import ipywidgets as widgets

        self.data = data or load_publishing()
        self.language = lang = get_language()
        self.save = save
        start = self.start(plan, save)
        self.practice: dict[str, str] = dict(start.practice)
        self.comment = widgets.Dropdown(
            options=[(f"{t(f'tips.kinds.{c.kind}')}: {localized(c.text, language=lang)}"[:90],
                      c.id) for c in self.data.comments],
            description=t("tips.practice.comment"), layout=widgets.Layout(width="min(640px, 95%)"))
        self.card = widgets.HTML()
        self.approach = widgets.RadioButtons(
            options=[(localized(a.label, language=lang), a.id) for a in self.data.approaches],
            description=t("tips.practice.approach"), layout=widgets.Layout(width="auto"))
        self.button = widgets.Button(description=t("tips.practice.answer"), button_style="primary")
        self.feedback_box = widgets.HTML(box(esc(t("tips.practice.pick")), "info"))
        self.progress = widgets.HTML()
        for control in (self.comment, self.approach):
            control.style.description_width = _LABEL_WIDTH
        self.feedback: ReplyFeedback | None = None
        self.saving = widgets.HTML()
        self.comment.observe(self.on_comment_change, names="value")
        self.button.on_click(self.on_answer)
        heading = widgets.HTML(f"<strong>{esc(t('tips.practice.heading'))}</strong>")
        from tiktok_lab.ui.choices import WRAP_OPTIONS_STYLE, WRAPPED_OPTIONS

        self.approach.add_class(WRAPPED_OPTIONS)  # a long approach wraps (ui/choices.py)
        self.widget = widgets.VBox([heading, widgets.HTML(_note("tips.practice.saved", save)
                                                          + WRAP_OPTIONS_STYLE),
                                    self.comment, self.card, self.approach, self.button,
                                    self.feedback_box, self.progress, self.saving])
        self.widget.add_class("tiktok-lab-comment-practice")
        self.show_comment()

    def show_comment(self) -> None:
        """The chosen comment as a card; a saved reply is selected and its feedback shown."""
        comment = self.data.item("comments", self.comment.value)
        self.card.value = (
            '<div style="border:1px solid #ccc;border-radius:8px;padding:6px 10px;'
            'margin:4px 0;max-width:600px;font-size:15px">'
            f"<strong>{esc(comment.author)}</strong> "
            f"<small>({esc(t(f'tips.kinds.{comment.kind}'))})</small><br>"
            f"{esc(localized(comment.text, language=self.language))}</div>")
        saved = self.practice.get(comment.id)
        if saved:
            self.approach.value = saved
            self.show_feedback(reply_feedback(comment.id, saved, data=self.data,
                                              language=self.language))
        else:
            self.feedback = None
            self.feedback_box.value = box(esc(t("tips.practice.pick")), "info")
        self.progress.value = f"<small>{esc(t('tips.practice.done', done=len(self.practice), total=len(self.data.comments)))}</small>"

    def show_feedback(self, feedback: ReplyFeedback) -> None:
        self.feedback = feedback
        level = {"best": "ok", "ok": "info", "avoid": "warning"}[feedback.level]
        best = ", ".join(self.data.label("approaches", a, self.language) for a in feedback.best)
        extra = "" if feedback.good else f"<br><small>{esc(t('tips.practice.best', approaches=best))}</small>"
        self.feedback_box.value = box(f"<strong>{esc(feedback.level_label)}</strong>: "
                                      f"{esc(feedback.text)}{extra}"
                                      f"{nature_html(feedback.nature, self.language)}", level)

    def on_comment_change(self, _change: dict) -> None:
        self.show_comment()

    def places(self) -> dict[Path, Any]:
        return {("practice",): self.approach}

    def label(self, path: Path) -> str | None:
        if path[:1] == ("practice",) and len(path) > 1:  # one comment's reply
            comment = next((c for c in self.data.comments if c.id == path[1]), None)
            return f"{self.approach.description} ({comment.author if comment else path[1]})"
        return super().label(path)

    def take(self, plan: PublishingPlan, saved: Saved) -> None:
        """Replies chosen in another window show up here too."""
        if touches(("practice",), saved.from_theirs):
            self.practice = dict(plan.practice)
            self.show_comment()

    def on_answer(self, _button: Any) -> None:
        try:
            feedback = reply_feedback(self.comment.value, self.approach.value, data=self.data,
                                      language=self.language)
        except Exception as error:  # noqa: BLE001 - a widget must never raise at a learner
            self.feedback_box.value = box(esc(str(error)), "problem")
            return
        self.practice[self.comment.value] = self.approach.value
        self.save_part({"practice": dict(self.practice)},
                       edited=[("practice", self.comment.value)])
        self.show_feedback(feedback)
        self.progress.value = f"<small>{esc(t('tips.practice.done', done=len(self.practice), total=len(self.data.comments)))}</small>"


def build_strategy_form() -> Any:
    """The why / what / to whom form; e.g. ``tl.build_strategy_form()``. Restores saved answers."""
    return StrategyFormApp().widget


def build_rhythm_planner() -> Any:
    """The posting-rhythm planner with its four-week calendar; restores saved choices."""
    return RhythmPlannerApp().widget


def build_comment_practice() -> Any:
    """The comment-reply practice; restores the replies already chosen."""
    return CommentPracticeApp().widget
