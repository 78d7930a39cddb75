"""What a learner typed, made safe to show, keep and compute with.

Shared by the course machinery (answers, verdicts, progress), the saved documents and the
lesson calculators, so each rule is written once.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["as_number", "sendable_text", "shorten"]


def shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sendable_text(text: str) -> str:
    """``text`` as valid Unicode: a lone surrogate (``"\\ud800"``, pasted from a broken
    source) becomes "�", and a split pair is joined again.

    A lone surrogate cannot be saved as UTF-8 nor sent to the browser, so whatever
    a learner wrote passes through here before it is shown or kept.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def as_number(value: Any) -> float | None:
    """A finite number from ``12``, ``"12,5"``, ``" 1 000 "``; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # 10**400: a whole number no float can hold
            return None
    else:
        text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        text = text.replace("$", "").replace(",", ".")
        try:
            number = float(text)
        except (ValueError, OverflowError):
            return None
    return number if math.isfinite(number) else None
