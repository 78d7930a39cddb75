"""Lesson 07: the strategy builder's texts and rules as data (``data/strategy.yaml``), checked.

Labels and help of every field, the goals, the checklist's rules of thumb, which measures fit
which kind of objective, the earlier lessons' answers the first draft carries forward, the
brief's sentences and the made-up example. Read through :func:`load_strategy_data`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from tiktok_lab.core.content_types import ContentModel, TranslatedText, unique_ids
from tiktok_lab.core.datafiles import Source, data_dir, read_record
from tiktok_lab.core.i18n import format_text, localized
from tiktok_lab.core.nature import Flagged

VERDICTS = ("core", "complement", "not-now")


class GoalOption(ContentModel):
    id: str
    needs_landing_page: bool
    label: TranslatedText


class FieldText(ContentModel):
    label: TranslatedText
    help: TranslatedText


class Checklist(Flagged):
    """The numbers and words behind the checklist's advice: the course's rules of thumb."""

    max_pillars: int
    copy_words: tuple[str, ...]


def _every_verdict(names: dict) -> dict:
    missing = [v for v in (*VERDICTS, "none") if v not in names]
    if missing:
        raise ValueError(f'has no name for the verdict "{missing[0]}"')
    return names


class VerdictNames(Flagged):
    """Lesson 04's verdicts by name: the outcome of its scorecard, a rule of thumb."""

    names: Annotated[dict[str, TranslatedText], AfterValidator(_every_verdict)]


class MeasureKind(ContentModel):
    label: TranslatedText
    measures: tuple[str, ...]


class Measures(Flagged):
    """Which measures show which objective: the course's rule of thumb.

    ``goals``: the measures that fit each goal of the strategy (lesson 07's check);
    ``objectives``: the measures that judge each Ads Manager objective (lesson 06's table of
    objectives reads them). A goal not in ``goals`` falls back on its kind's measures."""

    kinds: dict[str, MeasureKind]
    goal_kinds: dict[str, str]
    goals: dict[str, tuple[str, ...]] = {}
    objectives: dict[str, tuple[str, ...]] = {}
    names: dict[str, TranslatedText]
    #: Measures only paid ads give (Ads Manager's costs, frequency): the first draft does not
    #: tick them; the participant who plans ads does.
    paid_only: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _named(self) -> "Measures":
        used = [m for kind in self.kinds.values() for m in kind.measures] + list(self.paid_only)
        used += [m for ids in (*self.goals.values(), *self.objectives.values()) for m in ids]
        unnamed = sorted({m for m in used if m not in self.names})
        if unnamed:
            raise ValueError(f'the measure "{unnamed[0]}" has no name under measures.names')
        return self


class EarlierItem(ContentModel):
    """An answer of an earlier lesson the first draft carries forward."""

    lesson: str
    label: TranslatedText
    exercise: str | None = None  # "<lesson id>/<exercise id>"; None: a saved document
    # A decision the lessons practise on the course's example brand (Les Tisanes du Moulin):
    # it fills the brief's main sections only in a draft for that brand; in a participant's
    # own draft it is listed in the appendix, as a choice practised on the example.
    example: bool = False


class Earlier(ContentModel):
    items: dict[str, EarlierItem]
    texts: dict[str, TranslatedText]
    from_: TranslatedText = Field(alias="from")
    practised: TranslatedText  # "{label}, practised on Les Tisanes du Moulin"


class StrategyData(ContentModel):
    """Everything in ``data/strategy.yaml``."""

    checklist: Checklist
    measures: Measures
    earlier: Earlier
    prefill: dict[str, TranslatedText]
    brief: dict[str, TranslatedText]
    money: dict[str, TranslatedText]
    goals: Annotated[tuple[GoalOption, ...], AfterValidator(unique_ids)]
    sexes: dict[str, TranslatedText]
    sections: dict[str, TranslatedText]
    fields: dict[str, FieldText]
    verdicts: VerdictNames
    messages: dict[str, TranslatedText]
    widget: dict[str, TranslatedText]
    chart: dict[str, TranslatedText]
    export: dict[str, TranslatedText]
    example: dict[str, Any]

    # The checklist's numbers and words, read where they are used (``data.max_pillars``).
    max_pillars = property(lambda self: self.checklist.max_pillars)
    copy_words = property(lambda self: self.checklist.copy_words)

    def text(self, group: str, key: str, language: str | None = None, **values: Any) -> str:
        texts = {"verdicts": self.verdicts.names, "measure_names": self.measures.names,
                 "earlier": self.earlier.texts}.get(group) or getattr(self, group)
        return format_text(localized(texts[key], language=language), values, language=language)

    def label(self, name: str, language: str | None = None) -> str:
        return localized(self.fields[name].label, language=language)

    def help(self, name: str, language: str | None = None) -> str:
        return localized(self.fields[name].help, language=language)

    def kind_of(self, goal_id: str) -> str:
        """The kind of objective (awareness, consideration, action) of a goal."""
        return self.measures.goal_kinds.get(goal_id, "awareness")

    def fitting(self, goal_id: str) -> tuple[str, ...]:
        """The measures that fit a goal (the rule of thumb), else its kind's."""
        if goal_id in self.measures.goals:
            return self.measures.goals[goal_id]
        return self.measures.kinds[self.kind_of(goal_id)].measures

    def kind_label(self, goal_id: str, language: str | None = None) -> str:
        return localized(self.measures.kinds[self.kind_of(goal_id)].label, language=language)

    def measure_list(self, ids: Any, language: str | None = None) -> str:
        """``video views, clicks to the site``: measures by name, joined."""
        names = [localized(self.measures.names[i], language=language) for i in ids
                 if i in self.measures.names]
        return ", ".join(names)

    def goal_ids(self) -> list[str]:
        return [g.id for g in self.goals]

    def goal_label(self, goal_id: str, language: str | None = None) -> str:
        goal = next((g for g in self.goals if g.id == goal_id), None)
        return localized(goal.label, language=language) if goal else ""


def load_strategy_data(path: Source | None = None) -> StrategyData:
    """The builder's labels, goals, messages and example, checked."""
    source = path if path is not None else data_dir() / "strategy.yaml"
    return read_record(source, "strategy", StrategyData)



__all__ = ["Checklist", "StrategyData", "VERDICTS", "load_strategy_data"]
