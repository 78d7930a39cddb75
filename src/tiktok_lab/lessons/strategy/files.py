"""Lesson 07: the strategy as a schema-versioned JSON file, and reading one back.

:func:`strategy_from_json` reads this version's files and older ones (:func:`migrate`: a
version 1 file had its budget in US dollars), refuses anything else with a plain reason
(:class:`StrategyImportError`), and never raises anything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tiktok_lab.core.learner_errors import LearnerError
from tiktok_lab.lessons.strategy.plan import (EXPORT_KIND, EXPORT_VERSION, LIST_FIELDS,
                                              MAX_IMPORT_BYTES, TEXT_FIELDS, Strategy,
                                              StrategyData, load_strategy_data,
                                              text_overflows)
from tiktok_lab.work.shared_documents import TooLong


def migrate(saved: Any, version: int) -> Any:
    """A strategy saved in an older shape, in today's: version 1 budgets were in US dollars."""
    if version < 2 and isinstance(saved, Mapping) and "currency" not in saved:
        return {**saved, "currency": "USD"}
    return saved


class StrategyImportError(LearnerError, ValueError):
    """A file that is not a strategy of ours; the message is for the learner."""


def strategy_to_json(strategy: Strategy, *, language: str | None = None) -> str:
    """The strategy as a schema-versioned JSON text (UTF-8, readable). A verdict of lesson
    04 comes with a note saying what it is (``notes``, which an import ignores)."""
    from tiktok_lab.core.nature import nature_label

    document: dict[str, Any] = {"app": "tiktok-lab", "kind": EXPORT_KIND,
                                "schema_version": EXPORT_VERSION, "strategy": strategy.to_dict()}
    data = load_strategy_data()
    # what the flagged parts are (an import ignores "notes"): the measures' fit, the verdict
    document["notes"] = {"measures": nature_label(data.measures, language)}
    if strategy.verdict:
        document["notes"]["verdict"] = nature_label(data.verdicts, language)
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def strategy_from_json(payload: str | bytes, *, language: str | None = None,
                       data: StrategyData | None = None) -> Strategy:
    """Read an export back; raises :class:`StrategyImportError` with a plain reason."""
    data = data or load_strategy_data()

    def fail(key: str) -> StrategyImportError:
        return StrategyImportError(data.text("widget", key, language))

    if not isinstance(payload, (str, bytes)):  # nothing uploaded (None), or not a file's content
        raise fail("not_json")
    if len(payload) > MAX_IMPORT_BYTES:
        raise fail("too_big")
    try:
        text = payload.decode("utf-8-sig") if isinstance(payload, bytes) else payload
        document = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise fail("not_json") from None
    if not isinstance(document, dict) or document.get("kind") != EXPORT_KIND \
            or not isinstance(document.get("strategy"), dict):
        raise fail("not_ours")
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("not_ours")
    if version > EXPORT_VERSION:
        raise fail("newer")
    return Strategy.from_dict(migrate(document["strategy"], version), data)


def imported_overflows(payload: str | bytes) -> list[TooLong]:
    """The texts of an exported file (hand-edited, or from a later course) that import cuts."""
    try:
        text = payload.decode("utf-8-sig") if isinstance(payload, bytes) else payload
        saved = json.loads(text).get("strategy")
    except (AttributeError, UnicodeDecodeError, ValueError, RecursionError):
        return []
    if not isinstance(saved, Mapping):
        return []
    return text_overflows({k: saved[k] for k in (*TEXT_FIELDS, *LIST_FIELDS) if k in saved})



__all__ = ["StrategyImportError", "imported_overflows", "migrate", "strategy_from_json",
           "strategy_to_json"]
