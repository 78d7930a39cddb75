"""The card of an open answer: the brief, the rubric up front, a text box, Check, Hint.

``tl.exercise("05_tips", "comment-rule")`` shows it (see :mod:`tiktok_lab.ui.exercise`);
there is no code cell to fill. The rubric is a checklist shown before the learner writes
("A strong answer: …"); Check lists each element met (✓) or missing, with what to add. The
text box and the buttons are plain ipywidgets, as in the decision card
(:mod:`tiktok_lab.ui.decision`): Tab reaches them and Enter or Space presses a button. The
judging and the saving live in :mod:`tiktok_lab.course.open_answers`; this module only lays
them out.

CSS classes for browser tests and themes: ``tiktok-lab-open`` (the card),
``tiktok-lab-open-rubric``, ``tiktok-lab-open-text``, ``tiktok-lab-open-check``,
``tiktok-lab-open-hint`` and ``tiktok-lab-open-feedback``.
"""

from __future__ import annotations


import ipywidgets as widgets

from tiktok_lab.core.html import box, esc
from tiktok_lab.core.i18n import t
from tiktok_lab.core.nature import nature_html
from tiktok_lab.course.open_answers import OpenAnswer, OpenResult
from tiktok_lab.ui.answer_card import AnswerCard

_CARD_LAYOUT = dict(border="1px solid #d0d7de", padding="8px 12px", margin="8px 0", width="auto")


class OpenAnswerCard(AnswerCard):
    """An open answer as the notebook sees it: a card, plus ``answer()``, ``check()`` and
    ``hint()`` (the last two in :class:`~tiktok_lab.ui.answer_card.AnswerCard`)."""

    strings = "open_answer"

    def __init__(self, open_answer: OpenAnswer, *, language: str | None = None) -> None:
        super().__init__(open_answer, language=language)
        self.open_answer = open_answer
        self.result: OpenResult | None = None

    def _build(self) -> widgets.VBox:
        item, lang = self.open_answer, self.language
        nature = nature_html(item.nature, lang) if item.nature else ""
        self.heading = widgets.HTML(box(
            f"<strong>{esc(t('open_answer.title', language=lang))}</strong> "
            f'<span style="white-space:pre-line">{esc(item.brief(lang))}</span><br>'
            f"<strong>{esc(item.question(lang))}</strong><br>"
            f"<em>{esc(t('open_answer.how', language=lang))}</em>{nature}"))
        checklist = "".join(f"<li>{esc(label)}</li>" for label in item.labels(lang))
        self.rubric = widgets.HTML(
            f"<strong>{esc(t('open_answer.rubric_title', language=lang))}</strong>"
            f'<ul style="margin:2px 0 6px 0">{checklist}</ul>')
        self.rubric.add_class("tiktok-lab-open-rubric")
        self.text = widgets.Textarea(
            value="", placeholder=t("open_answer.placeholder", language=lang),
            description=t("open_answer.answer_label", language=lang),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", height="7em"))
        self.text.add_class("tiktok-lab-open-text")
        self.check_button = widgets.Button(
            description=t("open_answer.check", language=lang),
            tooltip=t("open_answer.check_tooltip", language=lang),
            icon="check", button_style="primary")
        self.check_button.add_class("tiktok-lab-open-check")
        self.hint_button = widgets.Button(
            description=t("open_answer.hint_button", language=lang),
            tooltip=t("open_answer.hint_tooltip", language=lang),
            icon="lightbulb-o", layout=widgets.Layout(width="auto"))
        self.hint_button.add_class("tiktok-lab-open-hint")
        self.hint_area = widgets.HTML("")
        self.feedback = widgets.HTML("")
        self.feedback.add_class("tiktok-lab-open-feedback")
        self.check_button.on_click(self.on_check)
        self.hint_button.on_click(self.on_hint)
        card = widgets.VBox([self.heading, self.rubric, self.text,
                             widgets.HBox([self.check_button, self.hint_button]),
                             self.hint_area, self.feedback],
                            layout=widgets.Layout(**_CARD_LAYOUT))
        card.add_class("tiktok-lab-open")
        self._restore()
        return card

    def _restore(self) -> None:
        """After a restart or a rerun: the last saved text in the box, with its judgement
        (not recorded a second time)."""
        saved, solved = self.open_answer.saved_answer()
        if not saved:
            if solved:
                self.feedback.value = box(esc(t("open_answer.found_before",
                                                language=self.language)), "ok")
            return
        self.text.value = saved
        self.result = self.open_answer.judge(saved, self.language)
        earlier = (t("open_answer.found_before", language=self.language)
                   if solved and self.result.status != "correct" else "")
        self.feedback.value = (self.result._repr_html_()
                               + (box(esc(earlier), "ok") if earlier else ""))

    # -- the learner's verbs ---------------------------------------------------

    def answer(self, text: str) -> OpenResult:
        """Write ``text`` in the box and check it, as typing and a click would."""
        self.widget  # noqa: B018 - build the card, so the text shows in it
        self.text.value = text if isinstance(text, str) else ""
        return self.on_check()

    def _submit(self) -> OpenResult:
        return self.open_answer.submit(self.text.value, self.language)

    def _not_attempted(self, message: str) -> OpenResult:
        return OpenResult("not_attempted", message)

    def __repr__(self) -> str:
        item = self.open_answer
        return f"<open answer {item.lesson_id}/{item.id}: {item.question()}>"
