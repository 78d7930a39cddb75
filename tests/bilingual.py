"""Test rows written in English for brevity, given in both course languages.

Every text a learner reads from a content file is given in English and French
(``core.content_types.TranslatedText``). Fixtures that only care about the English
wording write plain text; :func:`bilingual` gives that text as both languages, which
is what a learner in French saw of an English-only text before the rule was one.
"""

from __future__ import annotations

from typing import Any

TEXT_FIELDS = frozenset({"question", "answer", "feedback", "source", "task", "hints", "message",
                         "explanation"})


def both(text: str) -> dict[str, str]:
    return {"en": text, "fr": text}


def bilingual(value: Any, *, text: bool = False) -> Any:
    """``value`` with each plain string of a text field (see TEXT_FIELDS) as ``{en, fr}``."""
    if isinstance(value, dict):
        return {key: bilingual(item, text=key in TEXT_FIELDS) for key, item in value.items()}
    if isinstance(value, list):
        return [bilingual(item, text=text) for item in value]
    if text and isinstance(value, str) and value.strip():
        return both(value)
    return value
