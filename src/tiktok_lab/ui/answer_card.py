"""What the two no-code cards share: the decision card and the open-answer card.

Both show a brief, take the learner's answer in a widget, judge and save it when Check is
pressed, show a hint, and never raise at a learner. Each subclass builds its own widgets
(``_build``) and says how to judge what is in them (``_submit``); this base keeps the verbs
(``check()``, ``hint()``), the button handlers and the notebook display in one place.
"""

from __future__ import annotations

from typing import Any, Protocol

import ipywidgets as widgets

from tiktok_lab.core.html import box, esc
from tiktok_lab.core.i18n import get_language, normalise_language, t


class _Judged(Protocol):
    """The course side of a card: a decision or an open answer."""

    lesson_id: str

    @property
    def id(self) -> str: ...

    def take_hint(self, language: str | None = None) -> tuple[str, str | None]: ...

    def hint(self, language: str | None = None) -> str: ...


class AnswerCard:
    """A card answered without code. Subclasses set ``strings`` (their block of
    ``data/strings``, for the hint's heading) and implement ``_build``, ``_submit`` and
    ``_not_attempted``."""

    strings = ""

    def __init__(self, item: _Judged, *, language: str | None = None) -> None:
        self.item = item
        self.language = normalise_language(language) or get_language()
        self.result: Any = None
        self._widget: widgets.VBox | None = None

    @property
    def widget(self) -> widgets.VBox:
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self) -> widgets.VBox:
        raise NotImplementedError

    def _submit(self) -> Any:
        """Judge and save what the card holds (the subclass's widgets)."""
        raise NotImplementedError

    def _not_attempted(self, message: str) -> Any:
        """The result to show when judging failed (the course data is broken)."""
        raise NotImplementedError

    # -- the learner's verbs ---------------------------------------------------

    def check(self) -> Any:
        """Check what the card holds."""
        self.widget  # noqa: B018 - build the card first
        return self.on_check()

    def hint(self) -> str:
        """The hint, shown in the card too."""
        self.widget  # noqa: B018
        return self.on_hint()

    # -- events ------------------------------------------------------------------

    def on_check(self, _button: Any = None) -> Any:
        """Judge the answer, show its feedback, save it; never raises."""
        try:
            result = self._submit()
        except Exception:  # noqa: BLE001 - a widget must never raise at a learner
            result = self._not_attempted(t("exercise.broken", language=self.language,
                                           lesson=self.item.lesson_id, exercise=self.item.id))
        self.result = result
        self.feedback.value = result._repr_html_()
        return result

    def on_hint(self, _button: Any = None) -> str:
        try:
            text, notice = self.item.take_hint(self.language)
        except Exception:  # noqa: BLE001 - a widget must never raise at a learner
            text, notice = self.item.hint(self.language), None
        self.hint_area.value = box(
            f"<strong>{esc(t(f'{self.strings}.hint', language=self.language))}</strong> "
            f"{esc(text)}", "info") + (box(esc(notice), "warning") if notice else "")
        return text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        return self.widget._repr_mimebundle_(include=include, exclude=exclude)


__all__ = ["AnswerCard"]
