"""The exercise card: the task, the variable to fill, Hint and Solution buttons.

``q1 = tl.exercise("00_start_here", "lesson-03-minutes")`` shows the card and
returns an :class:`ExerciseCard`; ``q1.check()``, ``q1.hint()`` and
``q1.solution()`` work as methods too. The judging lives in
:mod:`tiktok_lab.course.exercises` (verdicts in :mod:`tiktok_lab.course.verdicts`); this
module only lays it out.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Mapping, MutableMapping

from tiktok_lab.core.datafiles import Source
from tiktok_lab.course.decisions import Decision
from tiktok_lab.course.open_answers import OpenAnswer
from tiktok_lab.course.exercises import Exercise, learner_namespace, load_exercise
from tiktok_lab.core.i18n import t
from tiktok_lab.course.placeholder import install_placeholder
from tiktok_lab.core.html import box, esc, esc_code
from tiktok_lab.core.nature import nature_html
from tiktok_lab.course.verdicts import Hint, Solution, Verdict

if TYPE_CHECKING:
    import ipywidgets as widgets

    from tiktok_lab.ui.decision import DecisionCard
    from tiktok_lab.ui.open_answer import OpenAnswerCard


class ExerciseCard:
    """An exercise as the notebook sees it: a card, plus the three verbs."""

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self._widget: widgets.VBox | None = None
        self._area: widgets.HTML | None = None

    def check(self, namespace: Mapping[str, Any] | None = None) -> Verdict:
        """Judge the learner's variable (see :meth:`Exercise.check`)."""
        return self.exercise.check(namespace)

    def hint(self) -> Hint:
        """The next hint; it also appears in the card."""
        return self._show(self.exercise.hint())

    def solution(self) -> Solution:
        """The reference code; it also appears in the card."""
        return self._show(self.exercise.show_solution())

    def _show(self, shown: Any) -> Any:
        if self._area is not None:
            self._area.value = shown._repr_html_()
        return shown

    @property
    def widget(self) -> widgets.VBox:
        """The card (built on first use, so a plain check needs no ipywidgets)."""
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self) -> widgets.VBox:
        import ipywidgets as widgets

        exercise = self.exercise
        # An answer that rests on a rule of thumb, a model or an assumption says so here too.
        nature = nature_html(exercise.nature) if exercise.nature else ""
        heading = widgets.HTML(box(
            f"<strong>{esc(t('exercise.title'))}</strong> {esc_code(exercise.task())}<br>"
            f"<em>{esc(t('exercise.fill_in', variable=exercise.variable))}</em>{nature}"
        ))
        hint = widgets.Button(description=t("exercise.button.hint"), icon="lightbulb-o",
                              tooltip=t("exercise.button.hint_tooltip"),
                              layout=widgets.Layout(width="auto"))
        solution = widgets.Button(description=t("exercise.button.solution"), icon="eye",
                                  tooltip=t("exercise.button.solution_tooltip"),
                                  layout=widgets.Layout(width="auto"))
        self._area = widgets.HTML()

        def on_hint_click(_button: widgets.Button) -> None:
            self.hint()

        def on_solution_click(_button: widgets.Button) -> None:
            self.solution()

        hint.on_click(on_hint_click)
        solution.on_click(on_solution_click)
        return widgets.VBox([heading, widgets.HBox([hint, solution]), self._area])

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        return self.widget._repr_mimebundle_(include=include, exclude=exclude)

    def __repr__(self) -> str:
        return f"<exercise {self.exercise.lesson_id}/{self.exercise.id}: {self.exercise.task()}>"


def exercise(lesson_id: str, exercise_id: str, *,
             namespace: MutableMapping[str, Any] | None = None,
             folder: Source | None = None, show: bool = True,
             ) -> ExerciseCard | DecisionCard | OpenAnswerCard:
    """Show an exercise's card and return it, for ``q1.check()`` later.

    Also puts ``____`` into the notebook, so the starter cell below runs
    even in a freshly restarted kernel. ``show`` displays the card from here,
    because ``q1 = tl.exercise(...)`` is an assignment, which shows nothing.
    A decision exercise (``kind: decision``) gets its own card, answered in the
    card itself (:mod:`tiktok_lab.ui.decision`), and so does an open answer (``kind: open``,
    :mod:`tiktok_lab.ui.open_answer`).
    """
    loaded = load_exercise(lesson_id, exercise_id, folder)
    card: ExerciseCard | DecisionCard | OpenAnswerCard
    if isinstance(loaded, Decision):
        from tiktok_lab.ui.decision import DecisionCard  # ipywidgets: only when a card is drawn

        card = DecisionCard(loaded)
    elif isinstance(loaded, OpenAnswer):
        from tiktok_lab.ui.open_answer import OpenAnswerCard

        card = OpenAnswerCard(loaded)
    else:
        card = ExerciseCard(loaded)
        install_placeholder(namespace if namespace is not None else learner_namespace())
    ipython = sys.modules.get("IPython")  # not imported means no notebook to show it in
    if show and ipython is not None and ipython.get_ipython() is not None:
        from IPython.display import display

        display(card)
    return card
