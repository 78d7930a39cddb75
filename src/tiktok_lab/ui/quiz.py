"""The quiz at the end of each lesson: ``tl.quiz("00_start_here")``.

One card per question (radio buttons, check boxes or a text box, a Check
button and a feedback area), then a score line. Plain ipywidgets and no
JavaScript of ours, so it works the same in JupyterLab, Voilà and headless
tests. Questions, checking and the order of the options come from
:mod:`tiktok_lab.course.quizzes`; answers are recorded with :mod:`tiktok_lab.course.progress_log`.

CSS classes for browser tests and themes: ``tiktok-lab-quiz`` (the whole quiz),
``tiktok-lab-quiz-question`` (a card, plus ``tiktok-lab-quiz-right`` once
answered right), ``tiktok-lab-quiz-check``, ``tiktok-lab-quiz-feedback`` and
``tiktok-lab-quiz-score``; under the score, the bar that shares the answers with the trainer
(:mod:`tiktok_lab.ui.share_bar`), refreshed after each answer checked.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import ipywidgets as widgets

from tiktok_lab.course import progress_log
from tiktok_lab.core.i18n import get_language, localized, normalise_language, t
from tiktok_lab.course.quizzes import Quiz, QuizQuestion, QuizResult, answer_order, evaluate, load_quiz
from tiktok_lab.core.html import box, esc
from tiktok_lab.room.share_file import quiz_item
from tiktok_lab.ui.share_bar import ShareBar
from tiktok_lab.ui.source_links import documents_html

_CARD_LAYOUT = dict(border="1px solid #d0d7de", padding="8px 12px", margin="8px 0", width="auto")


class QuestionCard(widgets.VBox):
    """One question: its text, the control to answer, Check, and the feedback."""

    def __init__(self, app: "QuizApp", question: QuizQuestion, number: int, total: int) -> None:
        self.app = app
        self.question = question
        self.order = answer_order(app.lesson_id, question)
        language = app.language
        heading = t("quiz.question_number", language=language, number=number, total=total)
        self.prompt = widgets.HTML(
            f'<div style="font-size:15px;white-space:pre-line"><strong>{esc(heading)}</strong>'
            f"<br>{esc(localized(question.question, language=language))}</div>"
        )
        self.checkboxes: list[widgets.Checkbox] = []
        self.control = self._make_control(language)
        self.check_button = widgets.Button(
            description=t("quiz.check", language=language),
            tooltip=t("quiz.check_tooltip", language=language),
            icon="check",
            button_style="primary",
        )
        self.check_button.add_class("tiktok-lab-quiz-check")
        self.check_button.on_click(self.on_check)
        self.feedback = widgets.HTML("")
        self.feedback.add_class("tiktok-lab-quiz-feedback")
        super().__init__(
            [self.prompt, self.control, self.check_button, self.feedback],
            layout=widgets.Layout(**_CARD_LAYOUT),
        )
        self.add_class("tiktok-lab-quiz-question")

    def _make_control(self, language: str) -> widgets.Widget:
        labels = [localized(self.question.answers[i].answer, language=language)
                  if self.question.type != "numeric" else "" for i in self.order]
        if self.question.type == "multiple_choice":
            # The option values are the indices in the file, so evaluate() needs no mapping;
            # value None: nothing is chosen until the learner chooses.
            from tiktok_lab.ui.choices import WRAPPED_OPTIONS

            control = widgets.RadioButtons(
                options=list(zip(labels, self.order)),
                value=None,
                description=t("quiz.choose_one", language=language),
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
            control.add_class(WRAPPED_OPTIONS)  # long answers wrap (ui/choices.py)
            return control
        if self.question.type == "many_choice":
            self.checkboxes = [
                widgets.Checkbox(value=False, description=label, indent=False,
                                 layout=widgets.Layout(width="auto"))
                for label in labels
            ]
            group = widgets.VBox(
                [widgets.Label(t("quiz.choose_many", language=language)), *self.checkboxes]
            )
            return group
        return widgets.Text(
            value="",
            placeholder=t("quiz.placeholder", language=language),
            description=t("quiz.your_answer", language=language),
            style={"description_width": "initial"},
        )

    def answer(self) -> Any:
        """What the learner has chosen or typed, in the form evaluate() takes."""
        if self.question.type == "many_choice":
            return [index for index, box_ in zip(self.order, self.checkboxes) if box_.value]
        return self.control.value

    def on_check(self, _button: widgets.Button | None = None) -> QuizResult:
        """Check the answer, show the feedback, record a real attempt, update the score.

        When the answer cannot be saved, the feedback stays and the reason shows
        under it (once: progress_log tells each problem once).
        """
        result = evaluate(self.question, self.answer(), language=self.app.language)
        # Feedback first, so the learner sees it even if saving takes long or fails.
        self.feedback.value = self._render(result)
        if result.attempted:
            self.app.checked_here = True
            if result.correct:
                self.app.right_here.add(self.question.id)
            notice = progress_log.record_quiz(self.app.lesson_id, self.question.id,
                                              result.correct, answer=self.given(result))
            if notice:
                result = dataclasses.replace(result, notice=notice)
                self.feedback.value += box(esc(notice), "warning")
        self.app.refresh()
        if result.attempted:
            self.app.share_bar.refresh()  # reads the saved choices only, unless shared
        return result

    def given(self, result: QuizResult) -> list[int] | float | None:
        """The answer as the room sees it once shared: the options' indices in the quiz
        file (sorted), or the number as understood; never the text typed."""
        if self.question.type == "numeric":
            return result.number
        answer = self.answer()
        if self.question.type == "multiple_choice":
            return [answer] if isinstance(answer, int) else None
        return sorted(answer)

    def _render(self, result: QuizResult) -> str:
        language = self.app.language
        if not result.attempted:
            return box(esc(" ".join(result.feedback)), "info")
        headline = t("quiz.right" if result.correct else "quiz.not_yet", language=language)
        if len(result.feedback) == 1:
            body = esc(result.feedback[0])
        else:
            items = "".join(f"<li>{esc(text)}</li>" for text in result.feedback)
            body = f'<ul style="margin:4px 0 0 0;padding-left:20px">{items}</ul>'
        source = ""
        if self.question.source is not None:
            text = t("quiz.source", language=language,
                     source=localized(self.question.source, language=language))
            pages = documents_html(self.question.seen_in)
            links = f" ({pages})" if pages else ""
            source = (f'<div style="font-size:12px;color:#444;margin-top:4px">{esc(text)}{links}'
                      "</div>")
        return box(f"<strong>{esc(headline)}</strong> {body}{source}",
                   "ok" if result.correct else "problem")

    def show_right_before(self) -> None:
        """After a restart: say this one was already answered right, and nothing else."""
        self.feedback.value = box(esc(t("quiz.already_right", language=self.app.language)), "ok")


class QuizApp(widgets.VBox):
    """All the questions of a lesson's quiz and a live score."""

    def __init__(self, quiz: Quiz, *, language: str | None = None) -> None:
        self.lesson_id = quiz.lesson_id
        self.quiz = quiz
        # Answered right in this widget: the score counts them even if they could not be saved.
        self.right_here: set[str] = set()
        # An answer checked here: until then the line says how many are answered, not a score.
        self.checked_here = False
        self.language = normalise_language(language) or get_language()
        from tiktok_lab.ui.choices import WRAP_OPTIONS_STYLE

        intro = widgets.HTML(box(esc(t("quiz.intro", language=self.language)))
                             + WRAP_OPTIONS_STYLE)
        total = len(quiz.questions)
        self.cards = [QuestionCard(self, question, number, total)
                      for number, question in enumerate(quiz.questions, 1)]
        self.score = widgets.HTML("")
        self.score.add_class("tiktok-lab-quiz-score")
        self.share_bar = ShareBar(quiz_item(self.lesson_id), language=self.language)
        super().__init__([intro, *self.cards, self.score, self.share_bar])
        self.add_class("tiktok-lab-quiz")
        right = self.right_ids()
        for card in self.cards:
            if card.question.id in right:
                card.show_right_before()
        self.refresh()

    def right_ids(self) -> set[str]:
        """Questions of this quiz answered right at least once (saved, or here)."""
        saved = progress_log.lesson_entry(self.lesson_id).quiz
        ids = {question.id for question in self.quiz.questions}
        right = {qid for qid, record in saved.items() if record.correct} | self.right_here
        return right & ids

    def refresh(self) -> None:
        """Score line and "right" marks, as the store has them."""
        right = self.right_ids()
        for card in self.cards:
            if card.question.id in right:
                card.add_class("tiktok-lab-quiz-right")
        saved = progress_log.lesson_entry(self.lesson_id).quiz
        started = self.checked_here or any(card.question.id in saved for card in self.cards)
        if started:
            text = t("quiz.score", language=self.language, right=len(right),
                     total=len(self.cards))
        else:
            # Before any check, "Score: 0 of 5 right" reads like a failed test.
            text = t("quiz.not_started", language=self.language, total=len(self.cards))
        self.score.value = (
            f'<p style="font-size:15px;margin:6px 0"><strong>{esc(text)}</strong></p>'
        )


def build_quiz_widget(lesson_id: str, *, language: str | None = None) -> QuizApp:
    """The quiz of ``lesson_id`` as a widget (see :class:`QuizApp`)."""
    return QuizApp(load_quiz(lesson_id), language=language)


def quiz(lesson_id: str, *, language: str | None = None) -> QuizApp:
    """Show the quiz of a lesson: ``tl.quiz("00_start_here")`` as a cell's last line."""
    return build_quiz_widget(lesson_id, language=language)
