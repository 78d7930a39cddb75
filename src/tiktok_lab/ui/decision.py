"""The card of a decision exercise: the brief, the options, Check, Hint and the feedback.

``tl.exercise("05_tips", "hostile-comment")`` shows it (see :mod:`tiktok_lab.ui.exercise`);
there is no code cell to fill. The options are radio buttons and the buttons plain
ipywidgets buttons, as in the quiz (:mod:`tiktok_lab.ui.quiz`): Tab reaches them, the arrow
keys move between options and Enter or Space presses a button. The judging and the saving
live in :mod:`tiktok_lab.course.decisions`; this module only lays them out.

CSS classes for browser tests and themes: ``tiktok-lab-decision`` (the card),
``tiktok-lab-decision-options``, ``tiktok-lab-decision-check``, ``tiktok-lab-decision-hint``
and ``tiktok-lab-decision-feedback``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from tiktok_lab.core.html import box, esc
from tiktok_lab.core.i18n import get_language, localized, normalise_language, t
from tiktok_lab.core.nature import nature_html
from tiktok_lab.course.decisions import Decision, DecisionResult

_CARD_LAYOUT = dict(border="1px solid #d0d7de", padding="8px 12px", margin="8px 0", width="auto")



# Options are whole sentences (an opening, a reply): a radio label must wrap onto several lines
# instead of running over the next option (ipywidgets draws each on one fixed-height line).
_WRAP_OPTIONS = ("<style>.tiktok-lab-decision-options .widget-radio-box label"
                 "{height:auto;min-height:var(--jp-widgets-inline-height);white-space:normal;"
                 "display:grid;grid-template-columns:auto 1fr;column-gap:6px;"
                 "align-items:flex-start;line-height:1.4;margin-bottom:6px}"
                 ".tiktok-lab-decision-options .widget-radio-box input"
                 "{grid-column:1;grid-row:1;margin:3px 0 0 0}</style>")

class DecisionCard:
    """A decision exercise as the notebook sees it: a card, plus ``choose()`` and ``hint()``."""

    def __init__(self, decision: Decision, *, language: str | None = None) -> None:
        self.decision = decision
        self.language = normalise_language(language) or get_language()
        self.result: DecisionResult | None = None
        self._widget: widgets.VBox | None = None

    @property
    def widget(self) -> widgets.VBox:
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self) -> widgets.VBox:
        decision, lang = self.decision, self.language
        nature = nature_html(decision.nature, lang) if decision.nature else ""
        self.heading = widgets.HTML(box(
            f"<strong>{esc(t('decision.title', language=lang))}</strong> "
            f'<span style="white-space:pre-line">{esc(decision.brief(lang))}</span><br>'
            f"<strong>{esc(decision.question(lang))}</strong><br>"
            f"<em>{esc(t('decision.how', language=lang))}</em>{nature}") + _WRAP_OPTIONS)
        # value None: nothing is chosen until the learner chooses (as in the quiz).
        self.options = widgets.RadioButtons(
            options=[(localized(option.text, language=lang), option.id)
                     for option in decision.options],
            value=None, description=t("decision.choose", language=lang),
            style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))
        self.options.add_class("tiktok-lab-decision-options")
        self.check_button = widgets.Button(
            description=t("decision.check", language=lang),
            tooltip=t("decision.check_tooltip", language=lang),
            icon="check", button_style="primary")
        self.check_button.add_class("tiktok-lab-decision-check")
        self.hint_button = widgets.Button(
            description=t("decision.hint_button", language=lang),
            tooltip=t("decision.hint_tooltip", language=lang),
            icon="lightbulb-o", layout=widgets.Layout(width="auto"))
        self.hint_button.add_class("tiktok-lab-decision-hint")
        self.hint_area = widgets.HTML("")
        self.feedback = widgets.HTML("")
        self.feedback.add_class("tiktok-lab-decision-feedback")
        self.check_button.on_click(self.on_check)
        self.hint_button.on_click(self.on_hint)
        card = widgets.VBox([self.heading, self.options,
                             widgets.HBox([self.check_button, self.hint_button]),
                             self.hint_area, self.feedback],
                            layout=widgets.Layout(**_CARD_LAYOUT))
        card.add_class("tiktok-lab-decision")
        self._restore()
        return card

    def _restore(self) -> None:
        """After a restart or a rerun: the last saved choice, chosen again, with its feedback
        (not recorded a second time)."""
        chosen, solved = self.decision.saved_choice()
        if chosen is None:
            if solved:
                self.feedback.value = box(esc(t("decision.found_before", language=self.language)),
                                          "ok")
            return
        self.options.value = chosen
        self.result = self.decision.judge(chosen, self.language)
        earlier = (t("decision.found_before", language=self.language)
                   if solved and self.result.status != "correct" else "")
        self.feedback.value = (self.result._repr_html_()
                               + (box(esc(earlier), "ok") if earlier else ""))

    # -- the learner's verbs ---------------------------------------------------

    def choose(self, option_id: str) -> DecisionResult:
        """Choose an option (by id) and check it, as a click would."""
        self.widget  # noqa: B018 - build the card, so the choice shows in it
        if self.decision.option(option_id) is not None:
            self.options.value = option_id
        return self.on_check()

    def check(self) -> DecisionResult:
        """Check the option chosen in the card."""
        self.widget  # noqa: B018
        return self.on_check()

    def hint(self) -> str:
        """The hint, shown in the card too."""
        self.widget  # noqa: B018
        return self.on_hint()

    # -- events ------------------------------------------------------------------

    def on_check(self, _button: Any = None) -> DecisionResult:
        """Judge the chosen option, show its feedback, save it; never raises."""
        try:
            result = self.decision.choose(self.options.value, self.language)
        except Exception:  # noqa: BLE001 - a widget must never raise at a learner
            result = DecisionResult("not_attempted", t("exercise.broken", language=self.language,
                                                       lesson=self.decision.lesson_id,
                                                       exercise=self.decision.id))
        self.result = result
        self.feedback.value = result._repr_html_()
        return result

    def on_hint(self, _button: Any = None) -> str:
        try:
            text, notice = self.decision.take_hint(self.language)
        except Exception:  # noqa: BLE001 - a widget must never raise at a learner
            text, notice = self.decision.hint(self.language), None
        self.hint_area.value = box(
            f"<strong>{esc(t('decision.hint', language=self.language))}</strong> {esc(text)}",
            "info") + (box(esc(notice), "warning") if notice else "")
        return text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        return self.widget._repr_mimebundle_(include=include, exclude=exclude)

    def __repr__(self) -> str:
        return f"<decision {self.decision.lesson_id}/{self.decision.id}: {self.decision.question()}>"
