"""Open answers: a brief, a question, and a rubric the learner reads before writing.

A marketer's exercise, answered without code: the learner writes two or three sentences
in a text box, and the check says, element by element, what a strong answer has and what
this one still misses. The rubric is shown up front (it is the teaching, not a secret),
and the feedback on a missing element says what to add and why. The rows live in
``data/exercises/<lesson_id>.yaml`` beside the other exercises, with ``kind: open``::

    - id: comment-rule
      kind: open
      nature: rule_of_thumb          # optional: the rubric is the course's judgement
      brief: {en: ..., fr: ...}      # the situation: a brand, a goal, a constraint
      question: {en: ..., fr: ...}   # what to write
      min_words: 12                  # optional (default 5): fewer is "write a little more"
      rubric:                        # 2 to 5 elements, shown in file order
        - id: who-answers
          label: {en: ..., fr: ...}     # what a strong answer has, shown before writing
          missing: {en: ..., fr: ...}   # feedback when it is absent: what to add, and why
          look_for:                     # words found in the answer, in either language
            en: [community manager, founder, answer*]
            fr: [fondat*, répond*]
          detector: deadline            # and/or one of DETECTORS (below)
          not_if:                       # optional: words that UNmeet the element (below)
            en: [repost*]
            fr: [republi*]
      hint: {en: ..., fr: ...}       # points at how to think, never is the answer

How an element is found: a ``look_for`` term is a word or a few words, matched on word
boundaries, whatever the capitals and the accents; a term ending in ``*`` is a word start
(``répond*`` finds "répondre" and "répondons", not "réponse"). The English *and* the
French terms are looked for whatever the interface language: a learner may answer in
either. A ``detector`` is a rule written in code (:data:`DETECTORS`): ``number`` (a digit
or a number word), ``deadline`` (a date, a month, a quarter, or a delay such as "within 24
hours", "sous deux heures", "d'ici juin", "le jour même") and ``percentage``. An element is
met when any of its terms or its detector finds something, unless one of its ``not_if``
terms (matched the same way) is in the answer: then it is not met and its ``missing`` text,
which must say why, is shown. ``not_if`` is for the one thing an answer must not propose
(lesson 04's ``only-on-tiktok``: re-posting a video made for another network), not a list of
bad words; keep it short. The check reads words, not quality: it says what is missing; the
trainer and the room say what is good.

The loader refuses: fewer than two or more than five elements, repeated element ids, an
element with neither ``look_for`` nor ``detector``, a text missing in English or French
(``TranslatedText``), a hint that repeats a rubric label, and a hint that lists every word
an element looks for (it would be the answer key).

The answer is always saved (``progress``, as ``answer``, the one place free text is kept:
lesson 07 reads it back), whatever the judgement: ``correct`` when every element is met,
``not_yet`` otherwise, so rerunning the cell puts the text back in the box with its
judgement. Nothing here imports widgets: ``tiktok_lab.ui.open_answer`` draws the card.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from tiktok_lab.core.cleaning import sendable_text
from tiktok_lab.core.content_types import ContentModel, TranslatedText
from tiktok_lab.core.html import box, esc
from tiktok_lab.core.i18n import SUPPORTED_LANGUAGES, format_number, localized, t
from tiktok_lab.core.nature import Nature
from tiktok_lab.core.schemas import KebabId
from tiktok_lab.course import progress_log
from tiktok_lab.course.briefed import BriefedExercise

__all__ = ["DETECTORS", "DEFAULT_MIN_WORDS", "ElementResult", "OpenAnswer", "OpenResult",
           "OpenRow", "RubricElement", "Terms", "detect", "find_term", "plain"]

DEFAULT_MIN_WORDS = 5


# --------------------------------------------------------------------------
# Reading a learner's text: one plain form, then words and detectors on it.

_TAG = re.compile(r"<[^>]{0,200}>")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'",
                              "\u00a0": " ", "\u202f": " "})


def plain(text: str) -> str:
    """``text`` without HTML tags, accents or capitals, curly apostrophes made straight:
    the one form every term and detector is matched against."""
    text = html.unescape(_TAG.sub(" ", sendable_text(text)))
    text = unicodedata.normalize("NFKD", text).casefold().translate(_APOSTROPHES)
    text = unicodedata.normalize("NFKD", text)  # again: casefolding may compose
    text = "".join(c for c in text if not unicodedata.combining(c))
    # French inclusive writing: "chargé·e" reads as "chargée", so "chargé*" and
    # "chargée de communication" find it.
    return _MIDDLE_DOT.sub("", text)


_MIDDLE_DOT = re.compile(r"(?<=[^\W\d_])[\u00b7\u2027\u2022](?=[^\W\d_])")


def _count_words(text: str) -> int:
    """Words with a letter or a digit in them (emoji and punctuation are not words)."""
    return sum(1 for word in plain(text).split() if any(c.isalnum() for c in word))


_TERM = re.compile(r"^[^\W_]+(?:['\- ][^\W_]+)*\*?$")


def _term_pattern(term: str) -> re.Pattern[str]:
    """A term as a pattern on :func:`plain` text: its words on word boundaries, any spaces
    or hyphens between them, and a trailing ``*`` for a word start."""
    start = term.endswith("*")
    words = re.split(r"[\s\-]+", plain(term.rstrip("*")).strip())
    body = r"[\s\-]+".join(re.escape(word) for word in words)
    tail = r"[^\W_]*" if start else ""
    return re.compile(rf"(?<![^\W_]){body}{tail}(?![^\W_])")


def find_term(text: str, term: str) -> bool:
    """Whether ``term`` (see the module's docstring) occurs in ``text``."""
    return _term_pattern(term).search(plain(text)) is not None


# Number words. "one", "un" and "une" are left out: they are articles far more often.
_NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty sixty hundred thousand dozen half "
    "deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente quarante "
    "cinquante soixante cent mille douzaine demi demie dizaine dizaines centaine centaines "
    "millier milliers double doubler triple tripler twice").split()
_NUMBER = re.compile(rf"\d|(?<![^\W_])(?:{'|'.join(_NUMBER_WORDS)})(?![^\W_])")

# A quantity (a digit, a number word, or an article meaning one) and a unit of time.
_QUANTITY = (rf"(?:\d+(?:[.,]\d+)?|a|an|one|une?|a few|few|quelques|les quelques|"
             rf"{'|'.join(_NUMBER_WORDS)})")
_UNIT = (r"(?:h|hr|hrs|hours?|heures?|min|mins|minutes?|days?|jours?|j|weeks?|semaines?|"
         r"months?|mois|business days?|working days?|jours? ouvres|working hours?)")
_MONTHS = ("january february april june july august september october november december "
           "janvier fevrier mars avril juin juillet aout septembre octobre novembre "
           "decembre").split()  # "may", "mai" and "march": only beside a date word (below)
_WEEKDAYS = ("monday tuesday wednesday thursday friday saturday sunday "
             "lundi mardi mercredi jeudi vendredi samedi dimanche").split()
_BY = r"(?:by|before|until|till|end of|avant|d'ici|jusqu'(?:a|au)|fin|au plus tard|in|en|on|le)"
_DEADLINE = re.compile("|".join((
    rf"(?<![^\W_]){_QUANTITY}\s*-?\s*{_UNIT}(?:\d\d)?(?![^\W_])",  # 24 hours, deux heures, 1h30
    r"(?<![^\W_])(?:same|next|following) (?:working |business )?day(?![^\W_])",
    r"(?<![^\W_])(?:same|next|following) (?:morning|afternoon|evening|night)(?![^\W_])",
    r"(?<![^\W_])(?:the day (?:it|they) (?:arrive|come|appear)s?|before the end of the "
    r"(?:day|morning|afternoon)|tonight|this evening)(?![^\W_])",
    r"(?<![^\W_])(?:by|before|avant|until|jusqu'a) \d{1,2}(?:[:h.]\d\d)?\s*(?:am|pm|h)?"
    r"(?![^\W_])",                                            # before 10 am, avant 17h
    r"(?<![^\W_])(?:le (?:soir|matin) meme|dans la matinee|dans l'apres-midi|dans la soiree|"
    r"le lendemain matin|avant la fin de (?:la )?(?:journee|matinee))(?![^\W_])",
    r"(?<![^\W_])(?:end of (?:the )?(?:day|week|month|quarter|year)|within the hour)(?![^\W_])",
    r"(?<![^\W_])(?:le jour meme|dans la journee|dans l'heure|le lendemain|en fin de "
    r"(?:journee|semaine|mois)|d'ici)(?![^\W_])",
    rf"(?<![^\W_])(?:{'|'.join(_MONTHS)})(?![^\W_])",
    rf"(?<![^\W_]){_BY} (?:the )?(?:may|mai|march)(?![^\W_])",
    r"(?<![^\W_])(?:\d{1,2} (?:may|mai|march|mars))(?![^\W_])",
    rf"(?<![^\W_]){_BY} (?:the )?(?:{'|'.join(_WEEKDAYS)})(?![^\W_])",
    r"(?<![^\W_])(?:q[1-4]|t[1-4]|h[12])(?![^\W_])",          # a quarter, a half-year
    r"(?<![^\W_])(?:first|second|third|fourth|last) quarter(?![^\W_])",
    r"(?<![^\W_])(?:premier|deuxieme|second|troisieme|quatrieme|dernier) trimestre(?![^\W_])",
    r"(?<!\d)\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?(?!\d)",       # 15/03, 15.03.2026
    rf"(?<![^\W_]){_BY} (?:the end of |la fin de |fin )?(?:19|20)\d\d(?!\d)",  # by 2027
)))
_PERCENTAGE = re.compile(r"\d(?:[\d\s.,]*\d)?\s*(?:%|percent|per cent|pour ?cent|pct)"
                         r"(?![^\W_])|%")

# What a goal says with digits that is not its target: a year, a date, an age or an age band,
# a length of time ("in 8 weeks") and a posting rhythm ("2 videos a week"). The ``number``
# detector looks for a number once these are taken out, so "500 visits in 8 weeks" has a
# target and "2 videos a week until 2027" has none.
_RHYTHM_UNIT = r"(?:week|semaine|day|jour|month|mois)"
_NOT_A_TARGET = re.compile("|".join((
    r"(?<!\d)(?:19|20)\d\d(?!\d)",                                       # a year
    r"(?<!\d)\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?(?!\d)",                   # a date
    rf"(?<!\d)\d{{1,2}}(?:er|st|nd|rd|th)? (?:{'|'.join(_MONTHS)}|may|mai|march|mars)"
    r"(?![^\W_])",                                                          # 15 December
    r"(?<!\d)\d{1,2} ?(?:-|–|a|to) ?\d{1,2} ?(?:ans|years?(?: old)?)(?![^\W_])",  # 25-35 ans
    r"(?<!\d)\d{1,2} ?(?:-|–) ?\d{1,2}(?!\d)(?! ?%)",                      # 18-24
    r"(?<![^\W_])(?:aged|ages?|agees?|de|over|under|plus de|moins de) \d{1,2}"
    r"(?: ?(?:ans|years?(?: old)?))?(?!\s*(?:[\d%]|pour ?cent|percent|points?(?![^\W_])))",
    # aged 25, de 30 ans; not "de 20 %" nor "de 5 points", which are targets
    r"(?<!\d)\d{1,2} ?(?:ans|years? old|yo)(?![^\W_])",                     # 30 ans
    rf"(?<![^\W_]){_QUANTITY}\s*-?\s*{_UNIT}(?![^\W_])",                   # 8 weeks, 24 h
    rf"(?<![^\W_]){_QUANTITY} (?:videos?|posts?|publications?|tiktoks?) ?(?:a|per|par|each|"
    rf"chaque|every|toutes? les|tous les) ?{_RHYTHM_UNIT}s?(?![^\W_])",       # 2 videos a week
)))


def _has_target_number(text: str) -> bool:
    return _NUMBER.search(_NOT_A_TARGET.sub(" ", text)) is not None


Detector = Literal["number", "deadline", "percentage"]
#: The detectors an element may name, each a rule on the :func:`plain` text.
DETECTORS: dict[str, Callable[[str], bool]] = {
    "number": _has_target_number,
    "deadline": lambda text: _DEADLINE.search(text) is not None,
    "percentage": lambda text: _PERCENTAGE.search(text) is not None,
}


def detect(detector: str, text: str) -> bool:
    """Whether the detector of that name finds its kind of thing in ``text``."""
    return DETECTORS[detector](plain(text))


# --------------------------------------------------------------------------
# The rows of data/exercises/<lesson_id>.yaml.


def _terms(value: tuple[str, ...]) -> tuple[str, ...]:
    for term in value:
        if not _TERM.match(term.strip()):
            raise ValueError(f'"{term}" is not a word, a few words, or a word start ending in *')
    return tuple(term.strip() for term in value)


class Terms(ContentModel):
    """The words an element looks for, in every course language (all looked for always)."""

    en: Annotated[tuple[str, ...], Field(min_length=1)]
    fr: Annotated[tuple[str, ...], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _every_language(cls, value: object) -> object:
        if isinstance(value, dict):
            missing = [lang for lang in SUPPORTED_LANGUAGES if lang not in value]
            if missing:
                raise ValueError(f'look_for: give the words in {" and ".join(SUPPORTED_LANGUAGES)}'
                                 f' (no "{missing[0]}:" list); both are looked for always')
        return value

    @field_validator("en", "fr")
    @classmethod
    def _words_only(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _terms(value)

    def all(self) -> tuple[str, ...]:
        return (*self.en, *self.fr)


class RubricElement(ContentModel):
    """One thing a strong answer has: what it is, how it is found, what to add without it."""

    id: KebabId
    label: TranslatedText
    missing: TranslatedText
    look_for: Terms | None = None
    detector: Detector | None = None
    #: words that make the element NOT met, whatever else is found (``missing`` says why)
    not_if: Terms | None = None

    @model_validator(mode="after")
    def _can_be_found(self) -> RubricElement:
        if self.look_for is None and self.detector is None:
            raise ValueError(f'element "{self.id}": give look_for (words in en and fr) or a '
                             f"detector ({', '.join(DETECTORS)}), or both")
        return self

    def found_in(self, text: str) -> bool:
        flat = plain(text)
        if self.not_if and any(_term_pattern(term).search(flat) for term in self.not_if.all()):
            return False
        if self.detector and DETECTORS[self.detector](flat):
            return True
        terms = self.look_for.all() if self.look_for else ()
        return any(_term_pattern(term).search(flat) for term in terms)


class OpenRow(ContentModel):
    """One ``kind: open`` row of ``data/exercises/<lesson_id>.yaml``."""

    id: KebabId
    kind: Literal["open"]
    brief: TranslatedText
    question: TranslatedText
    rubric: Annotated[tuple[RubricElement, ...], Field(min_length=2, max_length=5)]
    hint: TranslatedText
    min_words: Annotated[int, Field(ge=1, le=100)] = DEFAULT_MIN_WORDS
    nature: Nature | None = None

    @field_validator("rubric")
    @classmethod
    def _unique_ids(cls, rubric: tuple[RubricElement, ...]) -> tuple[RubricElement, ...]:
        ids = [element.id for element in rubric]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f'use the element id "{repeated[0]}" twice; ids must be unique')
        return rubric

    @model_validator(mode="after")
    def _hint_is_not_the_answer(self) -> OpenRow:
        for lang in SUPPORTED_LANGUAGES:
            hint = self.hint[lang]
            for element in self.rubric:
                if " ".join(plain(hint).split()) == " ".join(plain(element.label[lang]).split()):
                    raise ValueError(f'hint ({lang}): repeats the label of "{element.id}"; the '
                                     "rubric is shown already: point at how to think instead")
                terms = element.look_for.all() if element.look_for else ()
                if len(terms) >= 2 and all(find_term(hint, term) for term in terms):
                    raise ValueError(f'hint ({lang}): lists every word "{element.id}" looks '
                                     "for; that is the answer key, not a hint")
        return self


# --------------------------------------------------------------------------
# Judging.


@dataclass(frozen=True)
class ElementResult:
    id: str
    label: str
    met: bool
    missing: str  # what to add, and why (shown only when not met)


@dataclass(frozen=True, repr=False)
class OpenResult:
    """What an answer gets: each element met or missing, and what to do next."""

    status: str  # what progress records: "correct", "not_yet" or "not_attempted"
    headline: str
    elements: tuple[ElementResult, ...] = ()
    next_step: str = ""
    note: str = ""  # the label of a rule of thumb, when the rubric rests on one
    notice: str = ""  # why the answer could not be saved, if it could not
    text: str | None = field(default=None)  # what is saved (None: nothing to save)
    missing_label: str = ""  # "To add:" in the interface language

    @property
    def level(self) -> str:
        return {"correct": "ok", "not_yet": "warning"}.get(self.status, "info")

    def _repr_html_(self) -> str:
        html_ = f"<strong>{esc(self.headline)}</strong>"
        if self.elements:
            items = []
            for element in self.elements:
                if element.met:
                    items.append(f'<li class="tiktok-lab-open-met">✓ {esc(element.label)}</li>')
                else:
                    items.append(f'<li class="tiktok-lab-open-missing">✗ {esc(element.label)}'
                                 f"<br><em>{esc(self.missing_label)}</em> "
                                 f"{esc(element.missing)}</li>")
            html_ += ('<ul style="list-style:none;padding-left:4px;margin:4px 0">'
                      + "".join(items) + "</ul>")
        if self.next_step:
            html_ += f"<em>{esc(self.next_step)}</em>"
        if self.note:
            html_ += (f'<br><small class="tiktok-lab-nature"><strong>{esc(self.note)}</strong>'
                      "</small>")
        return box(html_, self.level) + (box(esc(self.notice), "warning") if self.notice else "")

    def __str__(self) -> str:
        lines = [self.headline]
        for element in self.elements:
            lines.append(f"✓ {element.label}" if element.met
                         else f"✗ {element.label} {self.missing_label} {element.missing}")
        lines += [text for text in (self.next_step, self.note, self.notice) if text]
        return "\n".join(lines)

    __repr__ = __str__

    @property
    def met(self) -> int:
        return sum(element.met for element in self.elements)


@dataclass(frozen=True)
class OpenAnswer(BriefedExercise[OpenRow]):
    """One open answer of a lesson: judge a text, save it, read it back."""

    @property
    def rubric(self) -> tuple[RubricElement, ...]:
        return self.row.rubric

    def labels(self, language: str | None = None) -> list[str]:
        """What a strong answer has, element by element (shown before writing)."""
        return [localized(element.label, language=language) for element in self.rubric]

    # -- judging (pure: nothing recorded) -----------------------------------

    def judge(self, text: object, language: str | None = None) -> OpenResult:
        """The result of an answer. Nothing written (or only emoji, spaces or tags) is "not
        attempted"; fewer than ``min_words`` words asks for more; otherwise each element."""
        if not isinstance(text, str):  # None, or anything a damaged file or a test holds
            return OpenResult("not_attempted", t("open_answer.empty", language=language))
        text = sendable_text(str.__str__(text))  # a plain str, whatever a subclass overrides
        if _count_words(text) == 0:  # nothing, spaces, emoji or tags only
            return OpenResult("not_attempted", t("open_answer.empty", language=language))
        kept = progress_log.kept_answer(text)
        count = _count_words(text)
        if count < self.row.min_words:
            return OpenResult("not_yet", t("open_answer.too_short", language=language,
                                           min_words=self.row.min_words, count=count), text=kept)
        elements = tuple(
            ElementResult(element.id, localized(element.label, language=language),
                          element.found_in(text), localized(element.missing, language=language))
            for element in self.rubric)
        met = sum(element.met for element in elements)
        if met == len(elements):
            status, headline = "correct", t("open_answer.all_met", language=language)
            next_step = t("open_answer.saved_for_later", language=language)
        else:
            status = "not_yet"
            headline = t("open_answer.some_missing", language=language, met=met,
                         total=len(elements))
            next_step = t("open_answer.try_again", language=language)
        if len(text) > progress_log.MAX_ANSWER_CHARS:
            next_step += " " + t("open_answer.cut", language=language,
                                 kept=format_number(len(kept), digits=0),
                                 length=format_number(len(text), digits=0))
        return OpenResult(status, headline, elements, next_step, self.nature_note(language),
                          text=kept, missing_label=t("open_answer.to_add", language=language))

    # -- the learner's answer (saved in progress) -----------------------------

    def submit(self, text: object, language: str | None = None) -> OpenResult:
        """Judge an answer and save it, whatever the judgement; never raises."""
        result = self.judge(text, language)
        if result.text is None:
            return result
        notice = self._record(result.status, result.text)
        return replace(result, notice=notice) if notice else result

    def saved_answer(self) -> tuple[str, bool]:
        """(the text last saved, "" if none; whether every element was met once). Never
        raises: a damaged record reads as no answer."""
        record = self._saved_record()
        if record is None:
            return "", False
        answer = record.answer if isinstance(record.answer, str) else ""
        return sendable_text(answer), bool(record.solved)

