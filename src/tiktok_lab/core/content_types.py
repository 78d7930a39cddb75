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

from tiktok_lab.core.i18n import SUPPORTED_LANGUAGES


class ContentModel(BaseModel):
    """A record of a content file: unknown fields are typos, and records never change.

    The one base of every model read from ``data/`` (lessons, figures, exercises, quizzes,
    workshop settings, lesson content). The only other base is
    :class:`tiktok_lab.work.saved_documents.SavedModel`: a learner's saved documents are
    repaired on read and keep unknown fields, because refusing would lose their record.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


def _translated(value: Any) -> dict[str, str]:
    """``{en: ..., fr: ...}`` with a non-blank text in every course language, nothing else."""
    languages = " and ".join(SUPPORTED_LANGUAGES)
    if not isinstance(value, Mapping):
        raise ValueError(f'must give the text in {languages}, as {{en: "...", fr: "..."}}')
    missing = [lang for lang in SUPPORTED_LANGUAGES
               if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        raise ValueError(f'has no "{missing[0]}:" text')
    unknown = sorted(str(key) for key in value if key not in SUPPORTED_LANGUAGES)
    if unknown:
        raise ValueError(f'has "{unknown[0]}:", but the languages are {languages}')
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
