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


def english_probes() -> dict[str, str]:
    """Telling English fragments of the course's texts, each with where it comes from.

    The fixed start of every interface string (before its first placeholder) and of every
    ``{en, fr}`` text of the data files, when it differs from the French and is long enough
    to be unmistakable: found in a French page, it is English a French learner meets.
    """
    import re
    from pathlib import Path

    import yaml

    from tiktok_lab.core.i18n import load_strings

    english, french = load_strings("en"), load_strings("fr")
    probes: dict[str, str] = {}
    for key, text in english.items():
        head = text.split("{", 1)[0].strip()
        if french.get(key) != text and len(head) >= 14 and not head.startswith(("http", "`")):
            probes[head] = f"strings/en.yaml {key}"

    def pairs(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"en", "fr"} and isinstance(node["en"], str):
                if node["en"] != node["fr"]:
                    yield node["en"]
                return
            for item in node.values():
                yield from pairs(item)
        elif isinstance(node, list):
            for item in node:
                yield from pairs(item)

    data = Path(__file__).resolve().parents[1] / "src" / "tiktok_lab" / "data"
    for path in sorted(data.rglob("*.yaml")):
        if "vendor" in path.parts or path.name == "glossary.yaml":
            continue
        for text in pairs(yaml.safe_load(path.read_text(encoding="utf-8"))):
            head = re.split(r"[{\n]", text, maxsplit=1)[0].strip()
            if len(head) >= 25:
                probes[head] = path.name
    return probes
