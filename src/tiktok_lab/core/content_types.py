"""Field types shared by the course's content files.

Every lesson's YAML (platform blocks, ad formats, opportunity scorecard, the
feed lesson…) writes translated text, ids and records the same way, so they
are declared once here: a learner who switches to French must never meet a
half-translated card because one loader was laxer than another.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from tiktok_lab.core.datafiles import shorten
from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES


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


def unique_ids(items: tuple) -> tuple:
    """A validator for a non-empty tuple of records whose ``id`` must be unique."""
    ids = [item.id for item in items]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f'uses the id "{repeated[0]}" twice; ids must be unique')
    if not items:
        raise ValueError("needs at least one item")
    return items
