"""What ``check()``, ``hint()`` and ``solution()`` show.

A :class:`Verdict` is one of five kinds, which differ only in the ``status``
progress records and the ``level`` (colour) of their box: :class:`NotAttempted`,
:class:`NotYet`, :class:`Correct`, :class:`Recorded` (a reflection, kept for
later lessons) and :class:`Broken` (the exercise itself is wrong). Each of
them, a :class:`Hint` and a :class:`Solution` display as a box in a notebook
and as plain text in a console; every text is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from tiktok_lab.answer_check import sendable_text, shorten
from tiktok_lab.i18n import t

__all__ = ["Broken", "Correct", "Hint", "NotAttempted", "NotYet", "Recorded", "Solution", "Verdict"]


def _box(message_html: str, level: str) -> str:
    from tiktok_lab.ui.html import box  # plain HTML strings, no widgets

    return box(message_html, level)


def _esc(value: object) -> str:
    from tiktok_lab.ui.html import esc

    return esc(value)


@dataclass(frozen=True, repr=False)
class Verdict:
    """What ``check()`` found; ``status`` is what progress records.

    A kind of verdict names its status and box level where it subclasses this:
    ``class NotYet(Verdict, status="not_yet", level="warning")``.
    """

    message: str
    quote: str = ""  # the learner's own text, shown (escaped) under the message
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

    @property
    def label(self) -> str:
        return t(f"exercise.status.{self.status}")

    def _repr_html_(self) -> str:
        quote = ""
        if self.quote:
            quote = (f'<blockquote style="margin:4px 0 0 8px;white-space:pre-wrap">'
                     f"{_esc(shorten(self.quote, 2000))}</blockquote>")
        return _box(f"<strong>{_esc(self.label)}.</strong> {_esc(self.message)}{quote}", self.level)

    def __str__(self) -> str:
        return f"{self.label}. {self.message}" + (f"\n{self.quote}" if self.quote else "")

    __repr__ = __str__  # what a console (or a plain-text front end) shows


class NotAttempted(Verdict, status="not_attempted", level="info"):
    """Nothing to judge yet: the variable is missing or still holds the ``____`` blank."""


class NotYet(Verdict, status="not_yet", level="warning"):
    """A wrong answer; the message says, kindly, what differs."""


class Correct(Verdict, status="correct", level="ok"):
    """The learner's value counts as the solution's."""


class Recorded(Verdict, status="recorded", level="ok"):
    """A reflection long enough to keep; there is no right answer."""


class Broken(Verdict, status="broken", level="problem"):
    """The exercise itself is wrong (its solution fails): a maintainer's bug."""


@dataclass(frozen=True, repr=False)
class Hint:
    """One hint (``number`` of ``total``), or the "no more hints" notice."""

    text: str
    number: int
    total: int
    no_more: bool = False

    def heading(self) -> str:
        if self.no_more:
            return t("exercise.no_more_hints", total=self.total)
        return t("exercise.hint", number=self.number, total=self.total)

    def _repr_html_(self) -> str:
        return _box(f"<strong>{_esc(self.heading())}</strong> {_esc(self.text)}", "info")

    def __str__(self) -> str:
        return f"{self.heading()} {self.text}"

    __repr__ = __str__


@dataclass(frozen=True, repr=False)
class Solution:
    """The reference code and one line saying why it is right."""

    code: str
    explanation: str

    def _repr_html_(self) -> str:
        code = (f'<pre style="margin:4px 0;padding:6px;background:#fff;white-space:pre-wrap">'
                f"{_esc(self.code.rstrip())}</pre>")
        explanation = f"<br>{_esc(self.explanation)}" if self.explanation else ""
        return _box(f"<strong>{_esc(t('exercise.solution'))}</strong>{code}"
                    f"{_esc(t('exercise.solution_next'))}{explanation}", "info")

    def __str__(self) -> str:
        return f"{t('exercise.solution')}\n\n{self.code}\n{self.explanation}".rstrip()

    __repr__ = __str__
