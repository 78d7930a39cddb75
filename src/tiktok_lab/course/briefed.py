"""What the two no-code exercises share: a brief, a question, a hint, and saving an answer.

A decision (:mod:`tiktok_lab.course.decisions`) and an open answer
(:mod:`tiktok_lab.course.open_answers`) differ in what the learner gives (an option, a text)
and how it is judged; reading their texts, recording the answer and the hint, and reading the
saved record back without ever raising are the same, and live here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from tiktok_lab.core.cleaning import sendable_text
from tiktok_lab.core.content_types import TranslatedText
from tiktok_lab.core.i18n import localized
from tiktok_lab.core.nature import nature_label
from tiktok_lab.course import progress_log


class _BriefedRow(Protocol):
    id: str
    kind: str
    nature: Any
    brief: TranslatedText
    question: TranslatedText
    hint: TranslatedText


RowT = TypeVar("RowT", bound=_BriefedRow)


@dataclass(frozen=True)
class BriefedExercise(Generic[RowT]):
    """One exercise answered without code, as a lesson sees it."""

    lesson_id: str
    row: RowT

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def kind(self) -> str:
        return self.row.kind

    @property
    def nature(self) -> str | None:
        return self.row.nature

    def brief(self, language: str | None = None) -> str:
        return localized(self.row.brief, language=language)

    def question(self, language: str | None = None) -> str:
        return localized(self.row.question, language=language)

    def hint(self, language: str | None = None) -> str:
        return localized(self.row.hint, language=language)

    def task(self, language: str | None = None) -> str:
        """The brief and the question, as one text (trainer notes, a console)."""
        return f"{self.brief(language)} {self.question(language)}"

    def nature_note(self, language: str | None = None) -> str:
        return nature_label(self.row.nature, language) if self.row.nature else ""

    def take_hint(self, language: str | None = None) -> tuple[str, str | None]:
        """The hint, recorded as seen (as a code exercise's first hint); with the store's
        reason, once, when that could not be saved. Never raises."""
        try:
            notice = progress_log.record_hint(self.lesson_id, self.id, 1)
        except Exception as error:  # noqa: BLE001
            notice = sendable_text(str(error)) or type(error).__name__
        return self.hint(language), notice

    def _record(self, status: str, answer: str) -> str | None:
        """Save a judged answer; the store's reason when it could not. Never raises."""
        try:
            return progress_log.record_check(self.lesson_id, self.id, status, answer)
        except Exception as error:  # noqa: BLE001 - an answer never fails in a learner's face
            return sendable_text(str(error)) or type(error).__name__

    def _saved_record(self) -> Any:
        """The saved record of this exercise, or None (none yet, or an odd store)."""
        try:
            return progress_log.lesson_entry(self.lesson_id).exercises.get(self.id)
        except Exception:  # noqa: BLE001 - an odd store is the learner's file, not an error
            return None


__all__ = ["BriefedExercise"]
