"""Lesson 07: the answers of lessons 00 to 06 that the first draft carries forward.

Which answers, and where each comes from, is data (``earlier.items`` of
``data/strategy.yaml``). An exercise's answer is read through one helper,
:func:`answer_text`: the chosen option's text for a decision, the typed text for a
reflection or an open answer, nothing for a code exercise (its answer is code). Other
items are read from the documents lessons 04 to 06 save: the scorecard's verdict with its
reasons, the rhythm planner, the ads builder, the challenge planner. Nothing here raises on
odd saved data: what cannot be read is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tiktok_lab.core.i18n import localized
from tiktok_lab.lessons.strategy.content import StrategyData, load_strategy_data
from tiktok_lab.work.shared_documents import tidy_text

#: Exercise kinds whose saved answer is the learner's own words.
TEXT_KINDS = ("reflection", "open")


def answer_text(progress: Any, lesson_id: str, exercise_id: str, *,
                language: str | None = None) -> str:
    """The learner's answer to one exercise, as words: the option's text for a decision, the
    text typed for a reflection or an open answer; "" when there is none (or it is code)."""
    try:
        from tiktok_lab.course.decisions import Decision, DecisionRow
        from tiktok_lab.course.exercises import load_exercise_rows
        from tiktok_lab.work.saved_documents import ProgressDocument

        entry = ProgressDocument.from_saved(progress if isinstance(progress, Mapping) else {}
                                            ).lessons.get(lesson_id)
        record = entry.exercises.get(exercise_id) if entry else None
        answer = record.answer if record else None
        if not isinstance(answer, str) or not answer.strip():
            return ""
        row = next((r for r in load_exercise_rows(lesson_id) if r.id == exercise_id), None)
        if isinstance(row, DecisionRow):
            option = Decision(lesson_id, row).option(answer)
            return localized(option.text, language=language) if option else ""
        if row is not None and getattr(row, "kind", None) in TEXT_KINDS:
            return tidy_text(answer)
    except Exception:  # noqa: BLE001 - an odd saved answer is left out, never raised
        return ""
    return ""


def _doc(documents: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = documents.get(name) if isinstance(documents, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _verdict(opp_doc: Mapping[str, Any], data: StrategyData, language: str | None) -> str:
    from tiktok_lab.lessons.opportunity import BrandProfile, load_opportunity, score_brand

    if not opp_doc:
        return ""
    card = score_brand(BrandProfile.from_store(opp_doc, load_opportunity()), language=language)
    return data.text("earlier", "verdict", language, verdict=card.verdict_label,
                     reasons=card.verdict_text)


def _rhythm(pub_doc: Mapping[str, Any], data: StrategyData, language: str | None) -> str:
    from tiktok_lab.lessons.publishing import PublishingPlan, load_publishing

    if not pub_doc or "posts_per_week" not in pub_doc:
        return ""
    pub = load_publishing()
    plan = PublishingPlan.from_store(pub_doc, pub)
    none = data.text("export", "none", language)
    return data.text("earlier", "rhythm", language, count=plan.posts_per_week,
                     pillars=", ".join(pub.label("pillars", p, language) for p in plan.pillars)
                     or none,
                     formats=", ".join(pub.label("formats", f, language) for f in plan.formats)
                     or none)


def _ads(ads_doc: Mapping[str, Any], data: StrategyData, language: str | None) -> str:
    from tiktok_lab.lessons.ads.answers import AdsAnswers
    from tiktok_lab.lessons.ads.formats import load_ad_formats
    from tiktok_lab.lessons.figures.sourced import cite
    from tiktok_lab.lessons.strategy.money import (DEFAULT_CURRENCY, format_money, plan_budget,
                                                   rate_figure)

    if not ads_doc:
        return ""
    catalogue = load_ad_formats()
    ads = AdsAnswers.from_store(ads_doc)
    if ads.objective is None and not ads.formats and ads.daily is None:
        return ""
    none = data.text("export", "none", language)
    objective = catalogue.objective(ads.objective) if ads.objective else None
    budget = data.text("earlier", "ads_no_budget", language)
    if ads.daily:
        daily = format_money(ads.daily, "USD", language=language)
        rate = rate_figure("USD")
        budget = (data.text("earlier", "ads_budget_converted", language, daily=daily,
                            days=ads.days or 0, rate_source=cite(rate, language=language),
                            amount=format_money(plan_budget(ads.daily), DEFAULT_CURRENCY,
                                                language=language))
                  if rate is not None else
                  data.text("earlier", "ads_budget", language, daily=daily, days=ads.days or 0))
    return data.text("earlier", "ads", language,
                     objective=localized(objective.label, language=language) if objective
                     else none,
                     formats=", ".join(localized(catalogue.format(f).label, language=language)
                                       for f in ads.formats or ()) or none,
                     budget=budget)


def _challenge(ads_doc: Mapping[str, Any], data: StrategyData, language: str | None) -> str:
    from tiktok_lab.core.i18n import t
    from tiktok_lab.lessons.ads.answers import AdsAnswers

    plan = AdsAnswers.from_store(ads_doc).challenge_plan if ads_doc else None
    if not plan:
        return ""
    phases = []
    for day in plan:
        phase = day.get("phase") if isinstance(day, Mapping) else None
        if isinstance(phase, str):
            name = t(f"ads.phase.{phase}", language=language)
            phases.append(name if name != f"ads.phase.{phase}" else phase)
    return data.text("earlier", "challenge", language, days=len(plan),
                     phases=" → ".join(phases) or data.text("export", "none", language))


def carried_forward(documents: Mapping[str, Any], *, language: str | None = None,
                    data: StrategyData | None = None) -> tuple[tuple[str, str], ...]:
    """Every earlier answer found in the saved ``documents`` (``progress``, ``opportunity``,
    ``publishing``, ``ads``), as (key, text) pairs in the data file's order."""
    data = data or load_strategy_data()
    progress = _doc(documents, "progress")
    readers = {"verdict": lambda: _verdict(_doc(documents, "opportunity"), data, language),
               "rhythm": lambda: _rhythm(_doc(documents, "publishing"), data, language),
               "ads": lambda: _ads(_doc(documents, "ads"), data, language),
               "challenge": lambda: _challenge(_doc(documents, "ads"), data, language)}
    found: list[tuple[str, str]] = []
    for key, item in data.earlier.items.items():
        if item.exercise:
            lesson_id, _, exercise_id = item.exercise.partition("/")
            text = answer_text(progress, lesson_id, exercise_id, language=language)
        else:
            try:
                text = readers[key]() if key in readers else ""
            except Exception:  # noqa: BLE001 - a damaged document is left out
                text = ""
        if text:
            found.append((key, text))
    return tuple(found)


def source_of(key: str, data: StrategyData, language: str | None = None) -> str:
    """``from lesson 01``: where an earlier answer comes from."""
    item = data.earlier.items.get(key)
    if item is None:
        return ""
    return format_from(data, item.lesson, language)


def format_from(data: StrategyData, lesson: str, language: str | None = None) -> str:
    from tiktok_lab.core.i18n import format_text

    return format_text(localized(data.earlier.from_, language=language), {"lesson": lesson},
                       language=language)


def label_of(key: str, data: StrategyData, language: str | None = None, *,
             own_draft: bool = False) -> str:
    """The label of an earlier answer; in a participant's own draft, a decision practised on
    the course's example brand says so ("…, practised on Les Tisanes du Moulin")."""
    from tiktok_lab.core.i18n import format_text

    item = data.earlier.items.get(key)
    if item is None:
        return key
    label = localized(item.label, language=language)
    if own_draft and item.example:
        return format_text(localized(data.earlier.practised, language=language),
                           {"label": label}, language=language)
    return label


def is_course_example(brand: object, data: StrategyData) -> bool:
    """Whether a draft is for the course's example brand. The decisions of lessons 01 to 06
    are practised on that brand: its genre, opening or reply belong in its own brief, while a
    participant's draft for another brand lists them as practice only."""
    example = data.example.get("brand")
    return isinstance(brand, str) and isinstance(example, str) \
        and " ".join(brand.casefold().split()) == " ".join(example.casefold().split())


def practised_only(key: str, brand: object, data: StrategyData) -> bool:
    """Whether an earlier answer stays out of the brief's main sections for this brand."""
    item = data.earlier.items.get(key)
    return bool(item and item.example) and not is_course_example(brand, data)


__all__ = ["answer_text", "carried_forward", "is_course_example", "label_of", "practised_only",
           "source_of"]
