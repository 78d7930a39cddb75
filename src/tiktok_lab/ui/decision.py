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


import ipywidgets as widgets

from tiktok_lab.ui.choices import WRAP_OPTIONS_STYLE, WRAPPED_OPTIONS
from tiktok_lab.core.html import box, esc
from tiktok_lab.core.i18n import localized, t
from tiktok_lab.core.nature import nature_html
from tiktok_lab.course.decisions import Decision, DecisionResult
from tiktok_lab.ui.answer_card import AnswerCard

_CARD_LAYOUT = dict(border="1px solid #d0d7de", padding="8px 12px", margin="8px 0", width="auto")




class DecisionCard(AnswerCard):
    """A decision exercise as the notebook sees it: a card, plus ``choose()``, ``check()`` and
    ``hint()`` (the last two in :class:`~tiktok_lab.ui.answer_card.AnswerCard`)."""

    strings = "decision"

    def __init__(self, decision: Decision, *, language: str | None = None) -> None:
        super().__init__(decision, language=language)
        self.decision = decision
        self.result: DecisionResult | None = None

    def _build(self) -> widgets.VBox:
        decision, lang = self.decision, self.language
        nature = nature_html(decision.nature, lang) if decision.nature else ""
        self.heading = widgets.HTML(box(
            f"<strong>{esc(t('decision.title', language=lang))}</strong> "
            f'<span style="white-space:pre-line">{esc(decision.brief(lang))}</span><br>'
            f"<strong>{esc(decision.question(lang))}</strong><br>"
            f"<em>{esc(t('decision.how', language=lang))}</em>{nature}") + WRAP_OPTIONS_STYLE)
        # value None: nothing is chosen until the learner chooses (as in the quiz).
        self.options = widgets.RadioButtons(
            options=[(localized(option.text, language=lang), option.id)
                     for option in decision.options],
            value=None, description=t("decision.choose", language=lang),
            style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))
        self.options.add_class("tiktok-lab-decision-options")
        self.options.add_class(WRAPPED_OPTIONS)
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

    def _submit(self) -> DecisionResult:
        return self.decision.choose(self.options.value, self.language)

    def _not_attempted(self, message: str) -> DecisionResult:
        return DecisionResult("not_attempted", message)

    def __repr__(self) -> str:
        return f"<decision {self.decision.lesson_id}/{self.decision.id}: {self.decision.question()}>"
