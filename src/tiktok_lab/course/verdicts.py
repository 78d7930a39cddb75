"""What ``check()``, ``hint()`` and ``solution()`` show.

A :class:`Verdict` is one of five kinds, which differ only in the ``status``
progress records and the ``level`` (colour) of their box: :class:`NotAttempted`,
:class:`NotYet`, :class:`Correct`, :class:`Recorded` (a reflection, kept for
later lessons) and :class:`Broken` (the exercise itself is wrong). Each of
them, a :class:`Hint` and a :class:`Solution` display as a box in a notebook
and as plain text in a console; every text is escaped.

Each may carry a ``notice``: why the learner's work could not be saved (shown
once, in a second box), so a full or read-only ``my_work/`` never hides the
verdict itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

_Shown = TypeVar("_Shown")

# A learner's text is quoted whole up to this length (answers are kept up to 4,000
# characters, see progress_log.MAX_ANSWER_CHARS); beyond it the box would flood the page.
QUOTE_LIMIT = 10_000

from tiktok_lab.core.cleaning import sendable_text, shorten
from tiktok_lab.core.i18n import t

__all__ = ["Broken", "Correct", "Hint", "NotAttempted", "NotYet", "Recorded", "Solution", "Verdict",
           "with_notice"]


def _box(message_html: str, level: str) -> str:
    from tiktok_lab.core.html import box  # plain HTML strings, no widgets

    return box(message_html, level)


def _esc(value: object) -> str:
    """Escaped, `code` shown as code (a message names `____` or a variable)."""
    from tiktok_lab.core.html import esc_code

    return esc_code(value)


def with_notice(shown: _Shown, notice: str | None) -> _Shown:
    """``shown`` (a verdict, hint or solution) carrying ``notice``, if there is one."""
    return dataclasses.replace(shown, notice=notice) if notice else shown  # type: ignore[type-var]


def _notice_html(notice: str) -> str:
    return _box(_esc(notice), "warning") if notice else ""


def _note_html(note: str) -> str:
    """What the answer rests on, as one small line inside the box (``core.nature``'s label)."""
    return f'<br><small class="tiktok-lab-nature"><strong>{_esc(note)}</strong></small>' \
        if note else ""


def _notice_text(notice: str) -> str:
    return f"\n{notice}" if notice else ""


@dataclass(frozen=True, repr=False)
class Verdict:
    """What ``check()`` found; ``status`` is what progress records.

    A kind of verdict names its status and box level where it subclasses this:
    ``class NotYet(Verdict, status="not_yet", level="warning")``.
    """

    message: str
    quote: str = ""  # the learner's own text, shown (escaped) under the message
    notice: str = ""  # why the work could not be saved, if it could not
    note: str = ""  # what the expected answer rests on (a rule of thumb, a model...), if not facts
    status: ClassVar[str] = ""
    level: ClassVar[str] = "info"

    def __init_subclass__(cls, *, status: str, level: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.status = status
        cls.level = level

    def __post_init__(self) -> None:
        # The learner's own text is quoted, and may hold a lone surrogate: the page
        # could not receive it (nor a message that repeats it).
        object.__setattr__(self, "message", sendable_text(self.message))
        object.__setattr__(self, "quote", sendable_text(self.quote))
        object.__setattr__(self, "notice", sendable_text(self.notice))

    @property
    def label(self) -> str:
        return t(f"exercise.status.{self.status}")

    def _repr_html_(self) -> str:
        quote = ""
        if self.quote:
            quote = (f'<blockquote style="margin:4px 0 0 8px;white-space:pre-wrap">'
                     f"{_esc(shorten(self.quote, QUOTE_LIMIT))}</blockquote>")
        return _box(f"<strong>{_esc(self.label)}.</strong> {_esc(self.message)}{quote}"
                    f"{_note_html(self.note)}", self.level) + _notice_html(self.notice)

    def __str__(self) -> str:
        quote = f"\n{shorten(self.quote, QUOTE_LIMIT)}" if self.quote else ""
        note = f"\n{self.note}" if self.note else ""
        return f"{self.label}. {self.message}{quote}{note}{_notice_text(self.notice)}"

    __repr__ = __str__  # what a console (or a plain-text front end) shows


class NotAttempted(Verdict, status="not_attempted", level="info"):
    """Nothing to judge yet: the variable is missing or still holds the ``____`` blank."""


class NotYet(Verdict, status="not_yet", level="warning"):
    """A wrong answer; the message says, kindly, what differs."""


class Correct(Verdict, status="correct", level="ok"):
    """The learner's value counts as the solution's."""


class Recorded(Verdict, status="recorded", level="ok"):
    """A reflection long enough to keep; there is no right answer."""


class NotSaved(Verdict, status="not_saved", level="warning"):
    """A reflection long enough to keep, that could not be saved (a read-only or full
    ``my_work/``): the learner is asked to keep it elsewhere, never told "Saved"."""


class Broken(Verdict, status="broken", level="problem"):
    """The exercise itself is wrong (its solution fails): a maintainer's bug."""


@dataclass(frozen=True, repr=False)
class Hint:
    """One hint (``number`` of ``total``), or the "no more hints" notice."""

    text: str
    number: int
    total: int
    no_more: bool = False
    notice: str = ""  # why the hint count could not be saved, if it could not

    def heading(self) -> str:
        if self.no_more:
            return t("exercise.no_more_hints", total=self.total)
        return t("exercise.hint", number=self.number, total=self.total)

    def _repr_html_(self) -> str:
        return _box(f"<strong>{_esc(self.heading())}</strong> {_esc(self.text)}",
                    "info") + _notice_html(self.notice)

    def __str__(self) -> str:
        return f"{self.heading()} {self.text}{_notice_text(self.notice)}"

    __repr__ = __str__


@dataclass(frozen=True, repr=False)
class Solution:
    """The reference code and one line saying why it is right."""

    code: str
    explanation: str
    notice: str = ""  # why "solution seen" could not be saved, if it could not
    note: str = ""  # what the answer rests on (a rule of thumb, a model...), if not facts

    def _repr_html_(self) -> str:
        code = (f'<pre style="margin:4px 0;padding:6px;background:#fff;white-space:pre-wrap">'
                f"{_esc(self.code.rstrip())}</pre>")
        explanation = f"<br>{_esc(self.explanation)}" if self.explanation else ""
        return _box(f"<strong>{_esc(t('exercise.solution'))}</strong>{code}"
                    f"{_esc(t('exercise.solution_next'))}{explanation}{_note_html(self.note)}",
                    "info") + _notice_html(self.notice)

    def __str__(self) -> str:
        text = f"{t('exercise.solution')}\n\n{self.code}\n{self.explanation}".rstrip()
        note = f"\n{self.note}" if self.note else ""
        return text + note + _notice_text(self.notice)

    __repr__ = __str__
