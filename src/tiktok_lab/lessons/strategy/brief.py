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
from tiktok_lab.core.i18n import colon, format_number
from tiktok_lab.core.nature import nature_label
from tiktok_lab.lessons.strategy.content import StrategyData, load_strategy_data
from tiktok_lab.lessons.strategy.earlier import (is_course_example, label_of, practised_only,
                                                 source_of)
from tiktok_lab.lessons.strategy.plan import Strategy

#: Benchmark shown beside the posting rhythm (figures.yaml).
RHYTHM_FIGURE = "engagement-rivaliq-tiktok-2024-posts-per-week"


#: The mark of a rule of thumb of the course; its legend is printed once (:func:`legend`).
MARK = "\u2020"


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


def measures_text(s: Strategy, data: StrategyData, language: str | None = None) -> str:
    """``video views, clicks to the site: fits an action objective (rule of thumb …)``."""
    from tiktok_lab.lessons.strategy.checks import measures_fit

    kind = data.kind_label(s.goal, language)
    fitting = data.measure_list(data.fitting(s.goal), language)
    label = MARK  # the rule-of-thumb legend is printed once, under the brief
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


def _sources(minimum: Any, data: StrategyData, language: str | None) -> str:
    """TikTok's page and, for a converted minimum, the ECB rates: once, at the row's end."""
    if minimum.rate_citation:
        return data.text("brief", "budget_sources_rate", language, source=minimum.citation,
                         rate_source=minimum.rate_citation)
    return data.text("brief", "budget_sources", language, source=minimum.citation)


def budget_text(s: Strategy, data: StrategyData, language: str | None = None) -> str:
    """``€40 a day, above TikTok's minimum per ad group (more than €17.01) … Sources: …``."""
    from tiktok_lab.lessons.strategy.money import format_money

    key, adgroup, campaign = _budget_minimums(s, language)
    return data.text("brief", key, language,
                     amount=format_money(s.daily_budget, s.currency, language=language),
                     adgroup=format_money(adgroup.value, s.currency, language=language),
                     campaign=format_money(campaign.value, s.currency, language=language),
                     sources=_sources(adgroup, data, language))


def ad_days(s: Strategy, data: StrategyData) -> tuple[int, bool] | None:
    """How many days the ads run: from the plan's dates (True), or else the days typed in
    lesson 06's ads builder (False); None when neither says."""
    from tiktok_lab.lessons.strategy.plan import parse_date

    start, end = parse_date(s.start), parse_date(s.end)
    if start and end and end >= start:
        return (end - start).days + 1, True
    text = " ".join(s.earlier_text("ads").replace("\u00a0", " ").split())
    for language in ("en", "fr"):
        template = " ".join(data.text("earlier", "ads_budget", language, daily="\x00",
                                      days=987654).replace("\u00a0", " ").split())
        pattern = re.escape(template).replace("\x00", ".+?").replace("987654", r"(\d+)")
        match = re.search(pattern, text)
        if match and int(match.group(1)) > 0:
            return int(match.group(1)), False
    return None


def _about(total: float) -> float:
    """A total as a manager reads it: to the ten above 200, to the unit below."""
    return float(round(total, -1) if total >= 200 else round(total))


def cost_text(s: Strategy, data: StrategyData, language: str | None = None) -> str:
    """``€69 a day × 14 days ≈ €970 of ads`` (the dates' days, else lesson 06's); "" when
    the plan has no ads or no number of days."""
    from tiktok_lab.lessons.strategy.money import format_money

    days = ad_days(s, data) if s.has_ads and s.daily_budget > 0 else None
    if days is None:
        return ""
    count, from_dates = days
    return data.text("brief", "cost_dates" if from_dates else "cost_lesson_06", language,
                     amount=format_money(s.daily_budget, s.currency, language=language),
                     days=count, total=format_money(_about(s.daily_budget * count), s.currency,
                                                    language=language))


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


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _from_template(template: str, text: str) -> dict[str, str] | None:
    """The values a filled-in ``template`` (``{name}`` placeholders) gave inside ``text``."""
    parts = re.split(r"\{(\w+)\}", _flat(template))
    pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                      for i, p in enumerate(parts))
    match = re.search(pattern, _flat(text))
    return match.groupdict() if match else None


def _verdict_score(s: Strategy) -> str:
    """Lesson 04's total, rounded to a whole number (``62/100``); "" when not carried."""
    match = re.search(r"(\d+(?:[.,]\d+)?)\s*/\s*100", s.earlier_text("verdict"))
    return f"{round(float(match.group(1).replace(',', '.')))}/100" if match else ""


def _verdict_point(s: Strategy, data: StrategyData, language: str | None) -> str:
    """The scorecard's deciding point, in the brief's "we" voice: the least-known point
    (``We do not yet know how many people aged 35-44 watch TikTok…``) or the weakest one."""
    from tiktok_lab.lessons.opportunity import load_opportunity

    text = s.earlier_text("verdict")
    if not text:
        return ""
    texts = load_opportunity().texts
    for key in ("least_known_point", "weakest_point"):
        for lang in ("en", "fr"):
            found = _from_template(texts[key][lang], text)
            if found:
                weakest = found["weakest"].strip("«» ")
                return data.text("brief", f"verdict_{key}", language,
                                 bands=found.get("bands", ""), weakest=_lower_first(weakest))
    return ""


def verdict_text(s: Strategy, data: StrategyData, language: str | None = None, *,
                 short: bool = False) -> str:
    """Lesson 04's verdict in two sentences, "we" voice: ``Complement† (62/100). TikTok fits
    part of our brand: we use it around a campaign… We do not yet know…``; ``short`` keeps
    the deciding point only (or the verdict's sentence when there is none). The scorecard's
    score and point only when its verdict is still the plan's (the learner may change it)."""
    if not s.verdict:
        return data.text("verdicts", "none", language)
    name = data.text("verdicts", s.verdict, language)
    same = s.earlier_text("verdict").casefold().startswith(name.casefold())
    score = _verdict_score(s) if same else ""
    point = _verdict_point(s, data, language) if same else ""
    head = data.text("brief", "verdict_head_score" if score else "verdict_head", language,
                     verdict=name, mark=MARK, score=score)
    sentence = data.text("brief", f"verdict_we_{s.verdict}", language)
    body = (point or sentence) if short else " ".join(x for x in (sentence, point) if x)
    return f"{head} {body}"


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
    """"In short": the five lines a manager needs, without citations (the sections below
    keep the sources): the objective and the measure read first; why TikTok and how far
    (lesson 04's verdict, its rounded score and deciding point); the plan and its cost; the
    week-4 decision (the number expected, lesson 07's first KPI, and the first test); who
    films, approves and answers, an empty role said as such. Each line once its part is
    filled (who does what once one role is)."""
    from tiktok_lab.lessons.strategy.money import format_money

    data = data or load_strategy_data()

    def say(key: str, **values: Any) -> str:
        return data.text("brief", f"summary_{key}", language, **values)

    def upper(text: str) -> str:
        return text[:1].upper() + text[1:]

    rows: list[Row] = []
    if s.objective:
        objective = s.objective.rstrip(".")
        rows.append(Row(say("objective_label"), say(
            "objective_measured", objective=objective,
            measure=data.measure_list(s.measures[:1], language))
            if s.measures else say("objective", objective=objective)))
    if s.verdict:
        rows.append(Row(say("verdict_label"), verdict_text(s, data, language, short=True)))
    plan = []
    if s.posts_per_week:
        themes = _join(s.pillars[:3], language)
        plan.append(say("rhythm_themes", count=s.posts_per_week, themes=themes) if themes
                    else say("rhythm", count=s.posts_per_week))
    if s.has_ads and s.daily_budget > 0:
        plan.append(say("ads", cost=cost_text(s, data, language) or data.text(
            "brief", "cost_bad_dates" if s.start or s.end else "cost_no_days", language,
            amount=format_money(s.daily_budget, s.currency, language=language))))
    elif not s.has_ads and plan:
        plan.append(say("no_ads"))
    if plan:
        text = say("plan_join", first=plan[0], second=plan[1]) if len(plan) == 2 \
            else plan[0] + "."
        rows.append(Row(say("plan_label"), upper(text)))
    kpi = s.earlier_text("first-kpi").rstrip(".")
    kpi = _lower_first(kpi) if kpi[1:2].islower() else kpi  # after a colon
    week_4 = [say("expect", kpi=kpi) if kpi else say("expect_none")]
    if s.test_1_hypothesis:
        week_4.append(_elide(say("test", hypothesis=_lower_first(
            s.test_1_hypothesis.rstrip("."))), language))
    if kpi or s.test_1_hypothesis or rows:
        rows.append(Row(say("week_4_label"), " ".join(week_4)))
    if s.filmer or s.approver or s.comment_owner:
        nobody = say("nobody")
        roles = [say("films", name=s.filmer or nobody),
                 say("approves", name=s.approver or nobody),
                 say("answers", name=s.comment_owner or nobody, hours=s.comment_hours)]
        rows.append(Row(say("roles_label"), upper(_separator(language).join(roles)) + "."))
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

    used.add("verdict")  # lesson 04's verdict: its score and deciding point, "we" voice
    verdict = verdict_text(s, data, language)
    same = bool(s.verdict) and s.earlier_text("verdict").casefold().startswith(
        data.text("verdicts", s.verdict, language).casefold())
    why: list[Row] = [Row(say("brief", "verdict_row"), say(
        "brief", "from_lesson", text=verdict, source=source_of("verdict", data, language))
        if same else verdict)]
    label, kind = data.goal_label(s.goal, language), data.kind_label(s.goal, language)
    # "Be known (awareness)" already names its kind: not "(awareness) (awareness)"
    goal = label if kind.casefold() in label.casefold() else f"{label} ({kind})"
    why += [Row(data.label("goal", language), goal), row("objective"),
            Row(data.label("measures", language), measures_text(s, data, language))]
    used.add("first-kpi")
    kpi = s.earlier_text("first-kpi")
    why.append(Row(say("brief", "expect_label"),
                   say("brief", "from_lesson", text=kpi, source=source_of("first-kpi", data,
                                                                        language))
                   if kpi else say("brief", "expect_none")))
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
        # after a colon inside a sentence: "What changes: only the first three seconds"
        parts = {k: _lower_first(v) if v[1:2].islower() or k == "hypothesis" else v
                 for k, v in parts.items()}
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
                 say("brief", "answers" if s.comment_owner else "answers_nobody",
                     owner=s.comment_owner, hours=s.comment_hours)),
             row("comment_rules")]
    if s.earlier_text("hostile-comment") and not practised_only("hostile-comment", s.brand,
                                                                 data):
        used.add("hostile-comment")  # a model reply, not an incident
        roles.append(Row(say("brief", "hostile_label"), s.earlier_text("hostile-comment")))

    if s.has_ads:
        paid = [row("ad_formats"), Row(data.label("daily_budget", language),
                                       budget_text(s, data, language))]
        cost = cost_text(s, data, language)
        if cost:
            paid.append(Row(say("brief", "cost_label"), cost))
        paid += [row("start", _date(s.start, language)), row("end", _date(s.end, language)),
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
    # Decisions practised on the course's example brand are not this brand's plan: another
    # brand's brief leaves them out (the builder's "Earlier answers" panel still lists them).
    carried = [Row(f"{label_of(k, data, language)} ({source_of(k, data, language)})", t)
               for k, t in s.earlier if k not in used and not _shown(t, main_rows)
               and not practised_only(k, s.brand, data)]
    if carried:
        sections.append(section("earlier", carried, say("sections", "appendix")))
    return [_typeset(x, language) for x in sections]


def _typeset(section: Section, language: str | None) -> Section:
    """French quotes inside quotes: « … “…” … » (a draft may quote a quote)."""
    from tiktok_lab.core.i18n import get_language, normalise_language

    if (normalise_language(language) or get_language()) != "fr":
        return section
    return Section(section.key, section.title, tuple(
        Row(r.label, _inner_quotes(r.value), r.html) for r in section.rows))


def _inner_quotes(text: str) -> str:
    """« … « … » … » becomes « … “…” … » (no space inside “ ”: it belongs to « »)."""
    out: list[str] = []
    depth, skip_space = 0, False
    for char in text:
        if skip_space and char in " \u00a0\u202f":
            continue
        skip_space = False
        if char == "«":
            depth += 1
            out.append("«" if depth == 1 else "“")
            skip_space = depth > 1
        elif char == "»" and depth:
            if depth > 1:
                while out and out[-1] in " \u00a0\u202f":
                    out.pop()
            out.append("»" if depth == 1 else "”")
            depth -= 1
        else:
            out.append(char)
    return "".join(out)


def legend(sections: list[Section], *, language: str | None = None,
           data: StrategyData | None = None) -> str:
    """``† The course's rule of thumb, not an official TikTok rule or figure``: printed once
    under the brief when one of its rows carries the mark; "" otherwise."""
    data = data or load_strategy_data()
    marked = any(MARK in r.value for x in sections for r in x.rows)
    return f"{MARK} {nature_label(data.verdicts, language)}" if marked else ""


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
                    f"({esc(source_of(k, data, language))}){colon(language)}{esc(t)}</li>"
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
           "cost_text", "earlier_html", "identity_line", "legend", "main_and_appendix",
           "measures_text", "summary_html", "summary_rows", "verdict_text"]
