"""Decision exercises: a brief, three or four options, feedback on each choice.

A marketer's exercise, answered without code: the learner reads a realistic brief
(a brand, a goal, a constraint), picks one of the options and reads why that choice
is the strongest, acceptable or weaker, and what a stronger one looks like. The rows
live in ``data/exercises/<lesson_id>.yaml`` beside the code exercises, with
``kind: decision``, so they are numbered, planned in progress reports, walked
through in the trainer notes and listed in the agendas like every exercise::

    - id: hostile-comment
      kind: decision
      nature: rule_of_thumb          # optional: the grading is the course's judgement
      brief: {en: ..., fr: ...}      # the situation: a brand, a goal, a constraint
      question: {en: ..., fr: ...}   # what to choose ("Which reply do you post?")
      options:                       # 3 or 4, shown in file order
        - id: apologise-then-private
          text: {en: ..., fr: ...}
          verdict: strongest         # exactly one; the others acceptable or weaker
          feedback: {en: ..., fr: ...}   # why, for this choice; for a weaker one,
                                         # what a stronger choice looks like
      hint: {en: ..., fr: ...}       # points at what to weigh, never at the answer

The loader refuses a row without exactly one ``strongest`` option, an option without
its feedback in English and French (``TranslatedText``), repeated option ids, or a hint
that quotes the strongest option (its id, or five of its words in a row).

A choice is recorded in the ``progress`` document like a check: ``correct`` for the
strongest option, ``not_yet`` otherwise, and the option's id as the answer, so the
card shows the last choice again after a restart. Nothing here imports widgets:
``tiktok_lab.ui.decision`` draws the card.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from tiktok_lab.core.content_types import ContentModel, TranslatedText
from tiktok_lab.core.html import box, esc
from tiktok_lab.core.i18n import SUPPORTED_LANGUAGES, localized, t
from tiktok_lab.core.nature import Nature
from tiktok_lab.core.schemas import KebabId
from tiktok_lab.course.briefed import BriefedExercise

__all__ = ["Decision", "DecisionOption", "DecisionResult", "DecisionRow", "Strength",
           "STRENGTHS"]

Strength = Literal["strongest", "acceptable", "weaker"]
STRENGTHS: tuple[str, ...] = ("strongest", "acceptable", "weaker")
# Box colour of the feedback for each strength (core.html levels).
_LEVELS = {"strongest": "ok", "acceptable": "info", "weaker": "warning"}
# A hint that repeats this many words of the strongest option in a row quotes the answer.
_QUOTED_WORDS = 5


class DecisionOption(ContentModel):
    """One option: its text, how strong it is, and the feedback for choosing it."""

    id: KebabId
    text: TranslatedText
    verdict: Strength
    feedback: TranslatedText


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"\w+", plain)


def _quotes(hint: str, answer: str) -> bool:
    """Whether ``hint`` repeats ``_QUOTED_WORDS`` words of ``answer`` in a row."""
    said = " " + " ".join(_words(hint)) + " "
    words = _words(answer)
    return any(" " + " ".join(words[i:i + _QUOTED_WORDS]) + " " in said
               for i in range(len(words) - _QUOTED_WORDS + 1))


class DecisionRow(ContentModel):
    """One ``kind: decision`` row of ``data/exercises/<lesson_id>.yaml``."""

    id: KebabId
    kind: Literal["decision"]
    brief: TranslatedText
    question: TranslatedText
    options: Annotated[tuple[DecisionOption, ...], Field(min_length=3, max_length=4)]
    hint: TranslatedText
    nature: Nature | None = None

    @field_validator("options")
    @classmethod
    def _one_strongest(cls, options: tuple[DecisionOption, ...]) -> tuple[DecisionOption, ...]:
        ids = [option.id for option in options]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f'use the option id "{repeated[0]}" twice; ids must be unique')
        strongest = [option.id for option in options if option.verdict == "strongest"]
        if len(strongest) != 1:
            found = ", ".join(strongest) if strongest else "none"
            raise ValueError("need exactly one option with verdict: strongest "
                             f"(found {len(strongest)}: {found})")
        return options

    @model_validator(mode="after")
    def _hint_keeps_the_answer(self) -> DecisionRow:
        best = self.strongest
        for lang in SUPPORTED_LANGUAGES:
            hint = self.hint[lang]
            if best.id in hint or _quotes(hint, best.text[lang]):
                raise ValueError(f'hint ({lang}): quotes the strongest option ("{best.id}"); '
                                 "point at what to weigh, not at the answer")
        return self

    @property
    def strongest(self) -> DecisionOption:
        return next(option for option in self.options if option.verdict == "strongest")


@dataclass(frozen=True, repr=False)
class DecisionResult:
    """What a choice gets: its strength, the feedback for it, and what to do next."""

    status: str  # what progress records: "correct", "not_yet" or "not_attempted"
    headline: str
    feedback: str = ""
    next_step: str = ""  # a nudge to try again, or why the strongest is strongest
    note: str = ""  # the label of a rule of thumb, when the grading rests on one
    notice: str = ""  # why the choice could not be saved, if it could not
    option_id: str | None = None
    strength: str | None = None

    @property
    def level(self) -> str:
        return _LEVELS.get(self.strength or "", "info")

    def _repr_html_(self) -> str:
        parts = [f"<strong>{esc(self.headline)}</strong>"]
        if self.feedback:
            parts.append(esc(self.feedback))
        html = " ".join(parts)
        if self.next_step:
            html += f"<br><em>{esc(self.next_step)}</em>"
        if self.note:
            html += (f'<br><small class="tiktok-lab-nature"><strong>{esc(self.note)}</strong>'
                     "</small>")
        shown = box(html, self.level)
        return shown + (box(esc(self.notice), "warning") if self.notice else "")

    def __str__(self) -> str:
        lines = [" ".join(part for part in (self.headline, self.feedback) if part)]
        lines += [text for text in (self.next_step, self.note, self.notice) if text]
        return "\n".join(lines)

    __repr__ = __str__


@dataclass(frozen=True)
class Decision(BriefedExercise[DecisionRow]):
    """One decision exercise of a lesson: judge a choice, record it, read it back."""

    @property
    def options(self) -> tuple[DecisionOption, ...]:
        return self.row.options

    @property
    def strongest(self) -> DecisionOption:
        return self.row.strongest

    def option(self, option_id: object) -> DecisionOption | None:
        """The option of that id, or None (a hand-edited progress file, a renamed option)."""
        if not isinstance(option_id, str):  # None, or anything a damaged file holds
            return None
        return next((option for option in self.options if option.id == option_id), None)

    # -- judging (pure: nothing recorded) -----------------------------------

    def judge(self, option_id: object, language: str | None = None) -> DecisionResult:
        """The result of choosing ``option_id``; no choice (or an unknown one) is "not attempted"."""
        option = self.option(option_id)
        if option is None:
            return DecisionResult("not_attempted", t("decision.pick_first", language=language))
        strength = option.verdict
        if strength == "strongest":
            next_step = t("decision.why_strongest", language=language)
        elif strength == "acceptable":
            next_step = t("decision.try_stronger", language=language)
        else:
            next_step = t("decision.try_again", language=language)
        return DecisionResult(
            "correct" if strength == "strongest" else "not_yet",
            t(f"decision.strength.{strength}", language=language),
            localized(option.feedback, language=language), next_step,
            note=self.nature_note(language), option_id=option.id, strength=strength)

    # -- the learner's choice (recorded in progress) --------------------------

    def choose(self, option_id: object, language: str | None = None) -> DecisionResult:
        """Judge a choice and record it; never raises, even when nothing can be saved."""
        result = self.judge(option_id, language)
        if result.option_id is None:
            return result
        notice = self._record(result.status, result.option_id)
        return replace(result, notice=notice) if notice else result

    def saved_choice(self) -> tuple[str | None, bool]:
        """(the last option chosen, if it is still an option; whether the strongest was
        found once). Never raises: a damaged record reads as no choice."""
        record = self._saved_record()
        if record is None:
            return None, False
        chosen = self.option(record.answer)
        return (chosen.id if chosen else None), record.solved
