"""Lesson 07: the strategy as a brief a manager can read, each choice with its reason.

:func:`brief_sections` turns a :class:`~tiktok_lab.lessons.strategy.plan.Strategy` into
titled sections of (label, value) rows in plain text, where the parts refer to each other:
the measures say whether they fit the kind of objective (the course's rule of thumb), the
themes and the test plan name the genre and the opening chosen in lesson 01, the budget
stands beside TikTok's daily minimums converted at a dated exchange rate (each ad group's, and a
campaign budget's if one is set: lesson 06's rule), the posting rhythm beside
a sourced benchmark, and the compliance notes that apply to this plan come with their
sources. The exports (:mod:`~tiktok_lab.lessons.strategy.export`) and the builder read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tiktok_lab.core.html import esc
from tiktok_lab.core.i18n import format_number
from tiktok_lab.core.nature import nature_label
from tiktok_lab.lessons.strategy.content import StrategyData, load_strategy_data
from tiktok_lab.lessons.strategy.earlier import (is_course_example, label_of, practised_only,
                                                 source_of)
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


def _budget_minimums(s: Strategy, language: str | None) -> tuple[str, Any, Any]:
    """The brief's key for a daily budget (``budget_above``, ``budget_between`` or
    ``budget_below``) and TikTok's two daily minimums in the plan's currency: the ad group's,
    which always applies, and the campaign's, which applies only if a campaign budget is set
    (lesson 06's rule, :func:`tiktok_lab.lessons.strategy.money.daily_minimums`)."""
    from tiktok_lab.lessons.strategy.money import daily_minimums

    minimums = {m.level: m for m in daily_minimums(s.currency, campaign_budget=True,
                                                   language=language)}
    adgroup, campaign = minimums["adgroup_daily"], minimums["campaign_daily"]
    key = ("budget_below" if s.daily_budget <= adgroup.value else
           "budget_between" if s.daily_budget <= campaign.value else "budget_above")
    return key, adgroup, campaign


def budget_text(s: Strategy, data: StrategyData, language: str | None = None) -> str:
    """``€40 a day; TikTok requires more than €17.01, that is $20 (…) for each ad group …``."""
    from tiktok_lab.lessons.strategy.money import format_money

    key, adgroup, campaign = _budget_minimums(s, language)
    return data.text("brief", key, language,
                     amount=format_money(s.daily_budget, s.currency, language=language),
                     adgroup=adgroup.text(language), campaign=campaign.text(language))


def rhythm_text(s: Strategy, data: StrategyData, language: str | None = None) -> str:
    from tiktok_lab.lessons.figures.sourced import cite, figure, format_value

    benchmark = figure(RHYTHM_FIGURE)
    return data.text("brief", "rhythm", language, count=s.posts_per_week,
                     figure=format_value(benchmark.value, benchmark.unit, language=language),
                     source=cite(benchmark, language=language))


def applying_notes(s: Strategy, *, language: str | None = None) -> tuple[Any, ...] | None:
    """The compliance notes that apply to this plan (:func:`compliance.plan_cases`: paid ads,
    creators, minors, sounds, a food, drink or health brand, and always the general ones);
    None when the course has no compliance data."""
    try:
        from tiktok_lab.lessons.strategy import compliance  # type: ignore[attr-defined]
    except ImportError:
        return None
    return compliance.notes_for(s, language)


def _first_sentence(text: str) -> str:
    """The first sentence of a text (a full stop, ! or ? followed by a space or the end)."""
    match = re.match(r"(.+?[.!?])(?:\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def _verdict_reason(s: Strategy) -> str:
    """The deciding reason of lesson 04's verdict: the first sentence of the scorecard's
    reasons carried forward (``TikTok fits part of your brand (total 61.8/100).``)."""
    text = s.earlier_text("verdict")
    head, colon, rest = text.partition(":")
    if colon and len(head) <= 40:  # "Complement: TikTok fits…" - the verdict's name first
        text = rest
    return _first_sentence(text.replace("\u00a0", " ").strip()) if text else ""


def _separator(language: str | None) -> str:
    """Between the items of a list: ``; `` (a no-break space before it in French)."""
    from tiktok_lab.core.i18n import get_language, normalise_language

    return "\u00a0; " if (normalise_language(language) or get_language()) == "fr" else "; "


def _date(text: str, language: str | None) -> str:
    """``2 November 2026`` / ``2 novembre 2026`` (Babel); a text that is no date as typed."""
    from babel.dates import format_date

    from tiktok_lab.core.i18n import get_language
    from tiktok_lab.lessons.strategy.plan import parse_date

    day = parse_date(text)
    return format_date(day, "long", locale=language or get_language()) if day else text


def _elide(text: str, language: str | None) -> str:
    """French elision: ``que une`` becomes ``qu'une`` (a hypothesis starting with a vowel)."""
    from tiktok_lab.core.i18n import get_language, normalise_language

    if (normalise_language(language) or get_language()) != "fr":
        return text
    return re.sub(r"\b([Qq])ue ([aeiouyàâéèêëîïôûAEIOUYÀÂÉÈÊÎÔÛ])", r"\1u'\2", text)


def _join(items: Any, language: str | None) -> str:
    """``A, B and C`` / ``A, B et C`` (Babel's list patterns)."""
    from babel.lists import format_list

    from tiktok_lab.core.i18n import get_language

    items = [i for i in items if i]
    return format_list(items, locale=language or get_language()) if items else ""


def summary_rows(s: Strategy, *, language: str | None = None,
                 data: StrategyData | None = None) -> list[Row]:
    """"In short": the objective and its measures, lesson 04's verdict and its deciding
    reason, the rhythm, the themes and the budget (beside TikTok's minimums), the first test,
    who approves. Each part only when the draft has it filled."""
    from tiktok_lab.lessons.strategy.money import format_money

    data = data or load_strategy_data()

    def say(key: str, **values: Any) -> str:
        return data.text("brief", f"summary_{key}", language, **values)

    rows: list[Row] = []
    if s.objective:
        objective = s.objective.rstrip(".")
        rows.append(Row(say("objective_label"), say(
            "objective_measured", objective=objective,
            measures=_join([data.measure_list((m,), language) for m in s.measures], language))
            if s.measures else say("objective", objective=objective)))
    if s.verdict:
        verdict = data.text("verdicts", s.verdict, language)
        # the scorecard's reason only when it is this verdict's (the learner may change it)
        same = s.earlier_text("verdict").casefold().startswith(verdict.casefold())
        reason = _verdict_reason(s) if same else ""
        label = nature_label(data.verdicts, language)
        rows.append(Row(say("verdict_label"),
                        say("verdict_reason", verdict=verdict, reason=reason, label=label)
                        if reason else say("verdict", verdict=verdict, label=label)))
    plan = []
    if s.posts_per_week:
        themes = _join(s.pillars[:3], language)
        plan.append(say("rhythm_themes", count=s.posts_per_week, themes=themes) if themes
                    else say("rhythm", count=s.posts_per_week))
    if s.has_ads and s.daily_budget > 0:
        key, adgroup, campaign = _budget_minimums(s, language)
        plan.append(say(key, amount=format_money(s.daily_budget, s.currency, language=language),
                        adgroup=format_money(adgroup.value, s.currency, language=language),
                        campaign=format_money(campaign.value, s.currency, language=language),
                        source=data.text("brief", "summary_sources", language,
                                         source=adgroup.citation,
                                         rate_source=adgroup.rate_citation)
                        if adgroup.rate_citation else adgroup.citation))
    elif not s.has_ads and plan:
        plan.append(say("no_ads"))
    if plan:
        text = say("plan_join", first=plan[0], second=plan[1]) if len(plan) == 2 else plan[0]
        rows.append(Row(say("plan_label"), text[:1].upper() + text[1:]))
    if s.test_1_hypothesis:
        hypothesis = s.test_1_hypothesis.rstrip(".")
        rows.append(Row(say("test_label"), _elide(say("test", hypothesis=_lower_first(
            hypothesis)), language)))
    roles = []
    if s.approver:
        roles.append(say("approves", name=s.approver))
    if s.filmer:
        roles.append(say("films", name=s.filmer))
    if s.comment_owner:
        roles.append(say("answers", name=s.comment_owner, hours=s.comment_hours))
    if roles:
        roles[0] = roles[0][:1].upper() + roles[0][1:]
        rows.append(Row(say("roles_label" if roles == roles[:1] else "roles_more"),
                        _separator(language).join(roles) + "."))
    return rows


def identity_line(s: Strategy, *, language: str | None = None,
                  data: StrategyData | None = None) -> str:
    """``Sector: Food and beverage · Market: France`` under the brief's title."""
    data = data or load_strategy_data()
    return " · ".join(data.text("brief", "row", language, label=data.label(n, language),
                                value=getattr(s, n)) for n in ("sector", "market")
                      if getattr(s, n))


def _shown(text: str, rows: list[Row]) -> bool:
    """Whether a text already stands, whole, in one of the rows (the appendix skips it)."""
    needle = " ".join(text.split()).rstrip(".").casefold()
    return bool(needle) and any(needle in " ".join(r.value.split()).casefold() for r in rows)


def brief_sections(s: Strategy, *, language: str | None = None,
                   data: StrategyData | None = None) -> list[Section]:
    """The brief's sections, in a manager's reading order, every value in plain text: in
    short; the objective and its measures (with lesson 04's verdict); the audience; the
    content and themes (with the rhythm); the test plan; who does what; the paid plan; the
    rules to respect; and, last, the appendix of earlier decisions not shown above. The
    exports put the checklist before the appendix (:func:`main_and_appendix`)."""
    data = data or load_strategy_data()
    none = data.text("export", "none", language)

    def say(group: str, key: str, **values: Any) -> str:
        return data.text(group, key, language, **values)

    def show(value: Any) -> str:
        if isinstance(value, tuple):  # a list's items, each without its final full stop
            return _separator(language).join(v.rstrip(".") if not v.endswith("...") else v
                             for v in value) or none
        if isinstance(value, bool):
            return say("export", "answer_yes" if value else "answer_no")
        if isinstance(value, (int, float)):
            return format_number(value, language=language)
        return value or none

    def row(name: str, value: Any = None) -> Row:
        return Row(data.label(name, language), show(getattr(s, name) if value is None
                                                     else value))

    def section(key: str, rows: list[Row], title: str | None = None) -> Section:
        return Section(key, title or say("sections", key), tuple(rows))

    def earlier(key: str) -> str:
        text = s.earlier_text(key)
        return say("brief", "from_lesson", text=text, source=source_of(key, data, language)) \
            if text else ""

    used = set()  # earlier answers shown in the main sections

    def earlier_row(key: str) -> list[Row]:
        if not s.earlier_text(key) or practised_only(key, s.brand, data):
            return []  # a choice practised on the example brand: the appendix lists it
        used.add(key)
        return [Row(label_of(key, data, language), earlier(key))]

    summary = summary_rows(s, language=language, data=data)

    label = nature_label(data.verdicts, language)
    verdict_text = s.earlier_text("verdict")
    name = say("verdicts", s.verdict or "none")
    why: list[Row] = []
    if s.verdict and verdict_text.casefold().startswith(name.casefold()):
        used.add("verdict")  # the scorecard's words already start with the verdict
        why.append(Row(say("brief", "verdict_row"), say(
            "brief", "verdict_reasons", text=verdict_text,
            source=source_of("verdict", data, language), label=label)))
    else:
        why.append(Row(say("brief", "verdict_row"),
                       say("export", "verdict_value", verdict=name, label=label)
                       if s.verdict else name))
        why += earlier_row("verdict")
    goal = f"{data.goal_label(s.goal, language)} ({data.kind_label(s.goal, language)})"
    why += [Row(data.label("goal", language), goal), row("objective"),
            Row(data.label("measures", language), measures_text(s, data, language))]
    if s.landing_page or s.goal in ("traffic", "leads", "sales"):
        why.append(row("landing_page"))
    why += [row(n) for n in ("views", "completion_rate", "engagement_rate", "followers",
                             "clicks") if getattr(s, n)]

    whom = [row("ages"), Row(data.label("sex", language), say("sexes", s.sex)), row("country"),
            row("interests")]

    what = [row("key_messages"), row("tone")]
    what += earlier_row("genre")
    for number, pillar in enumerate(s.pillars, start=1):
        what.append(Row(say("brief", "theme", number=number, name=pillar),
                        show(s.ideas(number)) if number <= 3 else none))
    if not s.pillars:
        what.append(row("pillars"))
    what += [Row(data.label("posts_per_week", language), rhythm_text(s, data, language)),
             row("formats"), row("challenges"), row("reposts_elsewhere")]

    tests = []
    for number in (1, 2):
        parts = {p: getattr(s, f"test_{number}_{p}") or none
                 for p in ("hypothesis", "variable", "measure", "rule")}
        parts = {k: v if v.endswith((".", "!", "?", "…")) else v + "." for k, v in parts.items()}
        parts["hypothesis"] = _lower_first(parts["hypothesis"])
        tests.append(Row(say("brief", f"weeks_{number}"),
                         _elide(say("brief", "test_line", **parts), language)))
    if _shown(s.earlier_text("opening"), tests):
        used.add("opening")  # the first test quotes the opening whole
    else:
        tests += earlier_row("opening")

    nobody = say("brief", "nobody")
    roles = [Row(data.label("filmer", language), s.filmer or nobody),
             Row(data.label("approver", language), s.approver or nobody),
             Row(data.label("comment_owner", language),
                 say("brief", "answers", owner=s.comment_owner or nobody,
                     hours=s.comment_hours)),
             row("comment_rules")]
    roles += earlier_row("hostile-comment")

    if s.has_ads:
        paid = [row("ad_formats"), Row(data.label("daily_budget", language),
                                       budget_text(s, data, language)),
                row("start", _date(s.start, language)), row("end", _date(s.end, language)),
                row("creators")]
    else:
        paid = [Row(data.label("daily_budget", language), say("export", "no_ads"))]
        if s.creators:
            paid.append(row("creators"))

    sections = []
    if summary:
        sections.append(section("summary", summary))
    sections += [section("why", why), section("whom", whom), section("what", what),
                 section("tests", tests), section("roles", roles), section("paid", paid)]
    notes = applying_notes(s, language=language)
    if notes is not None:
        # plain-text sources: the printed page links nothing (the builder links them)
        sections.append(section("compliance", [
            Row(n.title, f"{n.rule} ({n.source_text})") for n in notes]))
    main_rows = [r for sec in sections if sec.key != "summary" for r in sec.rows]
    own = not is_course_example(s.brand, data)
    carried = [Row(f"{label_of(k, data, language, own_draft=own)} "
                   f"({source_of(k, data, language)})", t)
               for k, t in s.earlier if k not in used and not _shown(t, main_rows)]
    if carried:
        sections.append(section("earlier", carried, say("sections", "appendix")))
    return sections


def main_and_appendix(sections: list[Section]) -> tuple[list[Section], list[Section]]:
    """The brief's main sections, and its appendix (printed after the checklist)."""
    return ([x for x in sections if x.key != "earlier"],
            [x for x in sections if x.key == "earlier"])


def earlier_html(s: Strategy, *, language: str | None = None) -> str:
    """The earlier answers carried into a draft, for the builder (read-only, escaped)."""
    data = load_strategy_data()
    if not s.earlier:
        return f"<p><em>{esc(data.help('earlier', language))}</em></p>"
    own = not is_course_example(s.brand, data)
    items = "".join(f"<li><strong>{esc(label_of(k, data, language, own_draft=own))}</strong> "
                    f"({esc(source_of(k, data, language))}): {esc(t)}</li>"
                    for k, t in s.earlier)
    return (f'<ul class="tiktok-lab-earlier" style="margin:0 0 6px">{items}</ul>'
            f"<p><small>{esc(data.help('earlier', language))}</small></p>")


def summary_html(s: Strategy, *, language: str | None = None) -> str:
    """"In short" for the builder: the summary's lines as it stands, or what fills it."""
    data = load_strategy_data()
    rows = summary_rows(s, language=language, data=data)
    if not rows:
        return f"<p><em>{esc(data.text('widget', 'summary_empty', language))}</em></p>"
    items = "".join("<li>" + data.text("brief", "row", language,
                                       label=f"<strong>{esc(r.label)}</strong>",
                                       value=esc(r.value)) + "</li>" for r in rows)
    return f'<ul class="tiktok-lab-summary" style="margin:0 0 6px;padding-left:18px">{items}</ul>'


def compliance_html(s: Strategy, *, language: str | None = None) -> str:
    """The compliance notes that apply to a draft, each with its linked source (builder)."""
    data = load_strategy_data()
    notes = applying_notes(s, language=language)
    if notes is None:
        return f"<p><em>{esc(data.text('brief', 'compliance_none', language))}</em></p>"
    items = "".join(f"<li><strong>{esc(n.title)}</strong>: {esc(n.rule)} "
                    f"<small>({n.source_html})</small></li>" for n in notes)
    return f'<ul class="tiktok-lab-compliance" style="margin:0 0 6px">{items}</ul>'


__all__ = ["Row", "Section", "applying_notes", "brief_sections", "budget_text", "compliance_html",
           "earlier_html", "identity_line", "main_and_appendix", "measures_text", "summary_html", "summary_rows"]
