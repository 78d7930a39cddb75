"""Lesson 06's saved answers: the ``ads`` document of the learner store, read and saved.

Three apps share the document (the format chooser, the budget estimator, the
challenge planner), and two windows may hold it at once::

    {"objective": "reach", "formats": ["in-feed", ...], "has_landing_page": False,
     "has_creators": False, "budget": {"daily": 60.0, "days": 7, "currency": "USD"},
     "cpm_assumption": {"low": 4.0, "high": 12.0, "frequency": 2.0},
     "challenge_plan": [{"day": 1, "phase": "teaser", "note": ""}, ...]}

:meth:`AdsAnswers.from_store` is the document's one read path: a hand edit or a
restored ``.zip`` may carry anything (``"budget": "three"``, ``1e400``, ``[1]``,
NaN, a dict where a text was expected); each value is kept when it makes sense,
repaired into range otherwise, and a key never saved stays unsaved (``None``),
so lesson 07 can tell "not answered" from "answered". :func:`save_ads` merges
one app's part with what is on disk (:mod:`tiktok_lab.work.shared_documents`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tiktok_lab.work.shared_documents import Saved, tidy_text

STORE_DOCUMENT = "ads"
DEFAULT_DAILY = 60.0
DEFAULT_DAYS = 7
MAX_DAYS = 90
CURRENCY = "USD"


def _number(value: Any) -> float | None:
    """A finite number from what was saved (``12``, ``"12,5"``), else None; never raises."""
    from tiktok_lab.core.cleaning import as_number

    try:
        return as_number(value)
    except (OverflowError, TypeError, ValueError):  # a whole number too long for a float
        return None


def _within(value: Any, low: float, high: float, fallback: float, *, low_open: bool = False
            ) -> float:
    number = _number(value)
    if number is None or number > high or number < low or (low_open and number == low):
        return fallback
    return number


@dataclass(frozen=True)
class AdsAnswers:
    """The ``ads`` document, typed; ``None`` means "never saved"."""

    objective: str | None = None
    formats: tuple[str, ...] | None = None
    has_landing_page: bool | None = None
    has_creators: bool | None = None
    daily: float | None = None
    days: int | None = None
    cpm: tuple[float, float, float] | None = None  # low, high, frequency
    challenge_plan: tuple[dict[str, Any], ...] | None = None

    @classmethod
    def from_store(cls, saved: Any) -> "AdsAnswers":
        """Whatever was saved, as valid answers (see the module); never raises."""
        from tiktok_lab.lessons.ads.budget import MAX_CPM_USD, default_cpm_assumption, normalise_plan
        from tiktok_lab.lessons.ads.formats import MAX_DAILY_USD, load_ad_formats

        saved = saved if isinstance(saved, Mapping) else {}
        catalogue = load_ad_formats()
        objective = saved.get("objective")
        # An objective TikTok merged into another (Product sales -> Sales) opens as the new one.
        known = catalogue.objective(objective) if isinstance(objective, str) else None
        objective = known.id if known else None
        formats = saved.get("formats")
        formats = tuple(dict.fromkeys(f for f in formats if isinstance(f, str)
                                      and catalogue.format(f))) if isinstance(
            formats, list) else None
        budget = saved.get("budget")
        daily = days = None
        if isinstance(budget, Mapping):
            daily = _within(budget.get("daily"), 0, MAX_DAILY_USD, DEFAULT_DAILY)
            days = int(_within(budget.get("days"), 1, MAX_DAYS, DEFAULT_DAYS))
        cpm = saved.get("cpm_assumption")
        if isinstance(cpm, Mapping):
            default = default_cpm_assumption()
            cpm = tuple(_within(cpm.get(key), 0, MAX_CPM_USD, fallback, low_open=True)
                        for key, fallback in (("low", default.low), ("high", default.high),
                                              ("frequency", default.frequency)))
        else:
            cpm = None
        plan = saved.get("challenge_plan")
        if isinstance(plan, list) and plan:
            rows = [{**row, "note": tidy_text(row.get("note"))} if isinstance(row, Mapping)
                    else row for row in plan]
            plan = tuple(normalise_plan(rows))
        else:
            plan = None

        def flag(key: str) -> bool | None:
            value = saved.get(key)
            return value if isinstance(value, bool) else None

        return cls(objective, formats, flag("has_landing_page"), flag("has_creators"), daily,
                   days, cpm, plan)

    def to_store(self) -> dict[str, Any]:
        """The document, with only the keys ever saved."""
        document: dict[str, Any] = {}
        for key in ("objective", "has_landing_page", "has_creators"):
            if getattr(self, key) is not None:
                document[key] = getattr(self, key)
        if self.formats is not None:
            document["formats"] = list(self.formats)
        if self.daily is not None or self.days is not None:
            document["budget"] = budget_document(
                DEFAULT_DAILY if self.daily is None else self.daily,
                DEFAULT_DAYS if self.days is None else self.days)
        if self.cpm is not None:
            document["cpm_assumption"] = dict(zip(("low", "high", "frequency"), self.cpm))
        if self.challenge_plan is not None:
            document["challenge_plan"] = [dict(row) for row in self.challenge_plan]
        return document

    def shared(self) -> dict[str, Any]:
        """What windows merge: the learner's answers (the ranked formats follow from them)."""
        return {k: v for k, v in self.to_store().items() if k != "formats"}


def budget_document(daily: float, days: int) -> dict[str, Any]:
    return {"daily": float(daily), "days": int(days), "currency": CURRENCY}


def read_ads(raw: Any) -> dict[str, Any]:
    """The mergeable form of a saved ``ads`` document (its read path)."""
    return AdsAnswers.from_store(raw).shared()


def _with_ranked_formats(document: dict[str, Any]) -> dict[str, Any]:
    """The merged answers plus today's three best formats for them, when they rank, and what
    the ranking is: the chooser's nature and its label. Only formats that fit (a score above
    zero) are carried to lesson 07, never one "not designed for the objective"; the budget the
    apps showed (the default until changed) is saved with them, so lesson 07 never reads 0."""
    from tiktok_lab.core.nature import nature_label
    from tiktok_lab.lessons.ads.formats import rank_formats

    if "objective" not in document:
        return document
    budget = document.get("budget") or budget_document(DEFAULT_DAILY, DEFAULT_DAYS)
    ranking = rank_formats(document["objective"], budget["daily"], budget["days"],
                           has_landing_page=bool(document.get("has_landing_page")),
                           has_creators=bool(document.get("has_creators")))
    if not ranking.ok:
        return document
    fitting = [item.format.id for item in ranking.items if item.score > 0]
    return {**document, "budget": budget, "formats": fitting[:3],
            "formats_nature": ranking.nature, "formats_nature_label": nature_label(ranking.nature)}


def save_ads(part: Mapping[str, Any], base: Mapping[str, Any] | None) -> Saved:
    """Merge one app's ``part`` of the answers into the saved document.

    ``base`` is the mergeable document this app last loaded or saved
    (:func:`read_ads`); the other apps' and windows' changes since then are kept.
    Raises ``StoreError`` when the save cannot happen.
    """
    from tiktok_lab.work.shared_documents import save_merged

    mine = read_ads({**(base or {}), **part})
    return save_merged(STORE_DOCUMENT, base, mine, read=read_ads, finish=_with_ranked_formats)


def saved_answers() -> tuple[AdsAnswers, dict[str, Any]]:
    """The saved answers and their mergeable form (the base of an app that opens now)."""
    from tiktok_lab.work.store import get_store

    answers = AdsAnswers.from_store(get_store().read(STORE_DOCUMENT))
    return answers, answers.shared()


__all__ = ["AdsAnswers", "budget_document", "read_ads", "save_ads", "saved_answers"]
