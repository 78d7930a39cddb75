"""The course's French terms (``data/glossary.yaml``): one word for one thing.

A term names what the course says (``fr``) and the variants it refuses (``rejected``, regular
expressions), with why. ``tests/test_glossary.py`` reads every French text of the data files
and fails on a refused variant, so a translator learns the house word at the first commit.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, Field

from tiktok_lab.core.content_types import ContentModel, TranslatedText
from tiktok_lab.core.datafiles import Source, data_dir, read_record


def _pattern(value: object) -> object:
    if isinstance(value, str):
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"is not a valid regular expression: {error}") from None
    return value


class Term(ContentModel):
    en: str
    fr: str
    rejected: tuple[Annotated[str, BeforeValidator(_pattern)], ...] = Field(min_length=1)
    why: TranslatedText

    def refused_in(self, text: str) -> list[str]:
        """The refused variants found in ``text`` (as written there)."""
        return [match.group(0) for pattern in self.rejected
                for match in re.finditer(pattern, text)]


class Glossary(ContentModel):
    terms: tuple[Term, ...]


def load_glossary(source: Source | None = None) -> Glossary:
    return read_record(source or data_dir() / "glossary.yaml", "glossary", Glossary)


__all__ = ["Glossary", "Term", "load_glossary"]
