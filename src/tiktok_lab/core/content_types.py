"""Field types shared by the course's content files.

Every lesson's YAML (platform blocks, ad formats, opportunity scorecard, the
feed lesson…) writes translated text, ids and records the same way, so they
are declared once here: a learner who switches to French must never meet a
half-translated card because one loader was laxer than another.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints,
                      ValidationInfo)

from tiktok_lab.core.datafiles import shorten
from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES


EARLIEST_DATE = dt.date(2016, 1, 1)  # TikTok (Douyin) launched in 2016

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class ContentModel(BaseModel):
    """A record of a content file: unknown fields are typos, and records never change.

    The one base of every model read from ``data/`` (lessons, figures, exercises, quizzes,
    workshop settings, lesson content). The only other base is
    :class:`tiktok_lab.work.saved_documents.SavedModel`: a learner's saved documents are
    repaired on read and keep unknown fields, because refusing would lose their record.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


def _translated(value: Any) -> dict[str, str]:
    """``{en: ..., fr: ...}``: a non-blank text in every course language, nothing else.

    The one rule for "is this text translated?", for every text a learner reads from a content
    file (lesson content, exercises, quizzes): a learner who picks French in lesson 00 meets
    French everywhere, never one English hint or answer among French ones. (The interface
    strings of ``data/strings`` are checked key by key by ``tests/test_i18n.py``.)
    """
    languages = " and ".join(SUPPORTED_LANGUAGES)
    lines = " and ".join(f'"{lang}:"' for lang in SUPPORTED_LANGUAGES)
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("must not be empty")
        raise ValueError(f"is in one language only: give it in {languages}, on {lines} lines")
    if not isinstance(value, Mapping):
        raise ValueError(f"must be text in {languages}, on {lines} lines")
    unknown = sorted(str(key) for key in value if key not in SUPPORTED_LANGUAGES)
    if unknown:
        raise ValueError(f'has "{shorten(unknown[0], 20)}:", but the course speaks {languages}')
    for lang in SUPPORTED_LANGUAGES:
        if lang not in value or value[lang] is None:
            reference = " (English is the reference language)" if lang == DEFAULT_LANGUAGE else ""
            raise ValueError(f'has no "{lang}:" text{reference}')
        if not isinstance(value[lang], str):
            raise ValueError(f'must be text in "{lang}" '
                             "(put it in quotes if YAML reads it as a number)")
        if not value[lang].strip():
            raise ValueError(f'must not be empty in "{lang}"')
    return {lang: value[lang].strip() for lang in SUPPORTED_LANGUAGES}


TranslatedText = Annotated[dict[str, str], BeforeValidator(_translated)]


def _localized(value: Any, info: ValidationInfo) -> str:
    """A translated text, kept in the language being read (``context={"language": ...}``)."""
    texts = _translated(value)
    language = (info.context or {}).get("language") or DEFAULT_LANGUAGE
    return texts.get(language, texts[DEFAULT_LANGUAGE])


# A text written ``{en: ..., fr: ...}`` in the file, like TranslatedText, but read as one ``str``
# in the language of the reader: ``core.datafiles`` validates with the current language and
# caches per language, so the code that shows it stays a plain attribute access, and a build
# inside ``speaking("fr")`` reads the French. For records shown far from their loader (lesson
# metadata, trainer notes, figures' wording), where passing dicts around would spread
# ``localized()`` through every view.
LocalizedText = Annotated[str, BeforeValidator(_localized)]


def _name(value: Any, info: ValidationInfo) -> Any:
    """A proper name written once (``TikTok``), or ``{en: ..., fr: ...}`` when it carries words."""
    return value if isinstance(value, str) else _localized(value, info)


# A name that is the same in every language ("TikTok", "Sensor Tower") is written once; one
# with descriptive words ("TikTok (attributed)", "Rival IQ, … (2023 data)") is written
# ``{en: ..., fr: ...}`` like a LocalizedText, and read in the reader's language.
LocalizedName = Annotated[Text, BeforeValidator(_name)]


def unique_ids(items: tuple) -> tuple:
    """A validator for a non-empty tuple of records whose ``id`` must be unique."""
    ids = [item.id for item in items]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f'uses the id "{repeated[0]}" twice; ids must be unique')
    if not items:
        raise ValueError("needs at least one item")
    return items


# --------------------------------------------------------------------------
# Ids and dates: figures, their documents (``sources.yaml``) and every lesson file.


def _check_kebab_id(value: str) -> str:
    if not _KEBAB.match(value):
        raise ValueError(
            f'"{shorten(value)}" must be kebab-case: lower-case letters and digits joined by "-"'
        )
    return value


KebabId = Annotated[Text, AfterValidator(_check_kebab_id)]


def parse_date(value: Any) -> Any:
    """Accept YAML dates and quoted "YYYY-MM-DD" text, nothing looser."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date without a time, written YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError("must be a date written YYYY-MM-DD, for example 2020-07-01")


def check_date_range(value: dt.date) -> None:
    today = dt.date.today()
    if value > today:
        raise ValueError(f"{value.isoformat()} is in the future (today is {today.isoformat()})")
    if value < EARLIEST_DATE:
        raise ValueError(
            f"{value.isoformat()} is before {EARLIEST_DATE.year}, the year TikTok launched"
        )


def check_precision(value: dt.date, precision: str | None) -> None:
    """A month or year date must sit on the first day, so that sorting and
    charting never suggest a precision the source does not have."""
    expected = {
        "month": value.replace(day=1),
        "quarter": dt.date(value.year, 3 * ((value.month - 1) // 3) + 1, 1),
        "year": dt.date(value.year, 1, 1),
    }.get(precision or "day", value)
    if value != expected:
        raise ValueError(
            f"{value.isoformat()} must be {expected.isoformat()} "
            f'because date_precision is "{precision}"'
        )
