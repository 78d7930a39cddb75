"""Lesson 07: the strategy as a brief a manager can read, each choice with its reason.

:func:`brief_sections` turns a :class:`~tiktok_lab.lessons.strategy.plan.Strategy` into
titled sections of (label, value) rows in plain text, where the parts refer to each other:
the measures say whether they fit the kind of objective (the course's rule of thumb), the
themes and the test plan name the genre and the opening chosen in lesson 01, the budget
stands beside TikTok's minimum converted at a dated exchange rate, the posting rhythm beside
a sourced benchmark, and the compliance notes that apply to this plan come with their
sources. The exports (:mod:`~tiktok_lab.lessons.strategy.export`) and the builder read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tiktok_lab.core.html import esc
from tiktok_lab.core.i18n import format_number
from tiktok_lab.core.nature import nature_label
from tiktok_lab.lessons.strategy.content import StrategyData, load_strategy_data
from tiktok_lab.lessons.strategy.earlier import label_of, source_of
from tiktok_lab.lessons.strategy.plan import Strategy

#: Benchmark shown beside the posting rhythm (figures.yaml).
RHYTHM_FIGURE = "engagement-rivaliq-tiktok-2024-posts-per-week"


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    html: str | None = None  # the value as HTML when it carries links (a compliance source)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: tuple[Row, ...]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _rule_label(flagged: Any, language: str | None) -> str:
    return nature_label(flagged, language)


def measures_text(s: Strategy, data: StrategyData, language: str | None = None) -> str:
    """``video views, clicks to the site: fits an action objective (rule of thumb …)``."""
    from tiktok_lab.lessons.strategy.checks import measures_fit

    kind = data.kind_label(s.goal, language)
    fitting = data.measure_list(data.fitting(s.goal), language)
    label = _rule_label(data.measures, language)
    fits = measures_fit(s, data)
    if fits is None:
        return data.text("brief", "measures_none", language, kind=kind, fitting=fitting,
                         label=label)
    chosen = data.measure_list(s.measures, language)
    chosen = chosen[:1].upper() + chosen[1:]
    key = "measures_fit" if fits else "measures_misfit"
    return data.text("brief", key, language, measures=chosen, kind=kind, fitting=fitting,
                     label=label)


def budget_text(s: Strategy, data: StrategyData, language: str | None = None) -> str:
    """``€60 a day, above TikTok's minimum of more than €42.52, that is $50 (…)``."""
    from tiktok_lab.lessons.strategy.money import format_money, minimum_daily

    minimum = minimum_daily(s.currency, language=language)
    key = "budget_above" if s.daily_budget > minimum.value else "budget_below"
    return data.text("brief", key, language,
                     amount=format_money(s.daily_budget, s.currency, language=language),
                     minimum=minimum.text(language))


def rhythm_text(s: Strategy, data: StrategyData, language: str | None = None) -> str:
    from tiktok_lab.lessons.figures.sourced import cite, figure, format_value

    benchmark = figure(RHYTHM_FIGURE)
    return data.text("brief", "rhythm", language, count=s.posts_per_week,
                     figure=format_value(benchmark.value, benchmark.unit, language=language),
                     source=cite(benchmark, language=language))


def applying_notes(s: Strategy, *, language: str | None = None) -> tuple[Any, ...] | None:
    """The compliance notes that apply to this plan (paid ads, creators, minors, music, and
    always the general ones); None when the course has no compliance data."""
    from tiktok_lab.lessons.strategy.checks import includes_minors

    try:
        from tiktok_lab.lessons.strategy import compliance  # type: ignore[attr-defined]
    except ImportError:
        return None
    applies = {"all"}
    if s.has_ads:
        applies.add("paid")
    if s.creators:
        applies.add("creators")
    if includes_minors(s.ages):
        applies.add("minors")
    if s.posts_per_week > 0 or s.has_ads:  # every video a brand posts has a sound
        applies.add("music")
    return tuple(n for n in compliance.compliance_notes(language)
                 if set(n.applies_to) & applies)


def brief_sections(s: Strategy, *, language: str | None = None,
                   data: StrategyData | None = None) -> list[Section]:
    """The brief's sections, in reading order, every value in plain text."""
    data = data or load_strategy_data()
    none = data.text("export", "none", language)

    def say(group: str, key: str, **values: Any) -> str:
        return data.text(group, key, language, **values)

    def show(value: Any) -> str:
        if isinstance(value, tuple):  # a list's items, each without its final full stop
            return "; ".join(v.rstrip(".") if not v.endswith("...") else v
                             for v in value) or none
        if isinstance(value, bool):
            return say("export", "answer_yes" if value else "answer_no")
        if isinstance(value, (int, float)):
            return format_number(value, language=language)
        return value or none

    def row(name: str, value: Any = None) -> Row:
        return Row(data.label(name, language), show(getattr(s, name) if value is None
                                                     else value))

    def section(key: str, rows: list[Row]) -> Section:
        return Section(key, say("sections", key), tuple(rows))

    def earlier(key: str) -> str:
        text = s.earlier_text(key)
        return say("brief", "from_lesson", text=text, source=source_of(key, data, language)) \
            if text else ""

    verdict = say("verdicts", s.verdict or "none")
    if s.verdict:
        verdict = say("export", "verdict_value", verdict=verdict,
                      label=nature_label(data.verdicts, language))
    identity = [row("brand"), row("sector"), row("market")]
    opportunity = [Row(data.label("verdict", language), verdict)]
    if s.earlier_text("verdict"):
        opportunity.append(Row(label_of("verdict", data, language), earlier("verdict")))

    goal = f"{data.goal_label(s.goal, language)} ({data.kind_label(s.goal, language)})"
    why = [Row(data.label("goal", language), goal), row("objective"),
           Row(data.label("measures", language), measures_text(s, data, language))]
    if s.landing_page or s.goal in ("traffic", "leads", "sales"):
        why.append(row("landing_page"))
    kpis = [row(n) for n in ("views", "completion_rate", "engagement_rate", "followers",
                             "clicks") if getattr(s, n)]

    what = [row("key_messages"), row("tone")]
    if s.earlier_text("genre"):
        what.append(Row(label_of("genre", data, language), earlier("genre")))
    for number, pillar in enumerate(s.pillars, start=1):
        what.append(Row(say("brief", "theme", number=number, name=pillar),
                        show(s.ideas(number)) if number <= 3 else none))
    if not s.pillars:
        what.append(row("pillars"))

    whom = [row("ages"), Row(data.label("sex", language), say("sexes", s.sex)), row("country"),
            row("interests")]
    organic = [Row(data.label("posts_per_week", language), rhythm_text(s, data, language)),
               row("formats"), row("challenges"), row("reposts_elsewhere")]

    tests = []
    for number in (1, 2):
        parts = {p: getattr(s, f"test_{number}_{p}") or none
                 for p in ("hypothesis", "variable", "measure", "rule")}
        parts = {k: v if v.endswith((".", "!", "?", "…")) else v + "." for k, v in parts.items()}
        parts["hypothesis"] = _lower_first(parts["hypothesis"])
        tests.append(Row(say("brief", f"weeks_{number}"), say("brief", "test_line", **parts)))
    if s.earlier_text("opening"):
        tests.append(Row(label_of("opening", data, language), earlier("opening")))

    nobody = say("brief", "nobody")
    roles = [Row(data.label("filmer", language), s.filmer or nobody),
             Row(data.label("approver", language), s.approver or nobody),
             Row(data.label("comment_owner", language),
                 say("brief", "answers", owner=s.comment_owner or nobody,
                     hours=s.comment_hours)),
             row("comment_rules")]
    if s.earlier_text("hostile-comment"):
        roles.append(Row(label_of("hostile-comment", data, language), earlier("hostile-comment")))

    if s.has_ads:
        paid = [row("ad_formats"), Row(data.label("daily_budget", language),
                                       budget_text(s, data, language)),
                row("start"), row("end"), row("creators")]
    else:
        paid = [Row(data.label("daily_budget", language), say("export", "no_ads"))]
        if s.creators:
            paid.append(row("creators"))

    sections = [section("identity", identity), section("verdict", opportunity),
                section("why", why), section("what", what),
                section("whom", whom), section("organic", organic), section("tests", tests),
                section("roles", roles), section("paid", paid)]
    if kpis:
        sections.append(section("kpis", kpis))
    notes = applying_notes(s, language=language)
    if notes is not None:
        # plain-text sources: the printed page links nothing (the builder links them)
        sections.append(section("compliance", [
            Row(n.title, f"{n.rule} ({n.source_text})") for n in notes]))
    shown = {"verdict", "genre", "opening", "hostile-comment"}
    carried = [Row(f"{label_of(k, data, language)} ({source_of(k, data, language)})", t)
               for k, t in s.earlier if k not in shown]
    if carried:
        sections.append(section("earlier", carried))
    return sections


def earlier_html(s: Strategy, *, language: str | None = None) -> str:
    """The earlier answers carried into a draft, for the builder (read-only, escaped)."""
    data = load_strategy_data()
    if not s.earlier:
        return f"<p><em>{esc(data.help('earlier', language))}</em></p>"
    items = "".join(f"<li><strong>{esc(label_of(k, data, language))}</strong> "
                    f"({esc(source_of(k, data, language))}): {esc(t)}</li>"
                    for k, t in s.earlier)
    return (f'<ul class="tiktok-lab-earlier" style="margin:0 0 6px">{items}</ul>'
            f"<p><small>{esc(data.help('earlier', language))}</small></p>")


def compliance_html(s: Strategy, *, language: str | None = None) -> str:
    """The compliance notes that apply to a draft, each with its linked source (builder)."""
    data = load_strategy_data()
    notes = applying_notes(s, language=language)
    if notes is None:
        return f"<p><em>{esc(data.text('brief', 'compliance_none', language))}</em></p>"
    items = "".join(f"<li><strong>{esc(n.title)}</strong>: {esc(n.rule)} "
                    f"<small>({n.source_html})</small></li>" for n in notes)
    return f'<ul class="tiktok-lab-compliance" style="margin:0 0 6px">{items}</ul>'


__all__ = ["Row", "compliance_html", "Section", "applying_notes", "brief_sections", "budget_text", "earlier_html",
           "measures_text"]
