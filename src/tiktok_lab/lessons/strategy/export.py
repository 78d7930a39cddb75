"""Lesson 07: the strategy as Markdown, as a printable self-contained HTML page, and as a chart.

Every learner text goes through :func:`tiktok_lab.core.html.esc` (HTML) or
:func:`_md` (Markdown), so a brand called ``<script>`` is shown as text. The
HTML page embeds its chart with :func:`tiktok_lab.core.charts.chart_html` (the chart
library travels inside the page) and loads nothing from outside.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from tiktok_lab.core.html import esc
from tiktok_lab.core.i18n import format_number
from tiktok_lab.core.nature import nature_label
from tiktok_lab.lessons.strategy.brief import (brief_sections, identity_line, legend,
                                               main_and_appendix)
from tiktok_lab.lessons.strategy.checks import checklist_html, validate_strategy
from tiktok_lab.lessons.strategy.plan import Strategy, StrategyData, load_strategy_data, parse_date

if TYPE_CHECKING:
    import altair as alt

    from tiktok_lab.lessons.strategy.brief import Section

#: Weeks shown when the plan has no ad dates.
DEFAULT_WEEKS = 4
MAX_CHART_WEEKS = 26


def _title(s: Strategy, data: StrategyData, language: str | None) -> str:
    return data.text("export", "title", language,
                     brand=s.brand or data.text("export", "untitled", language))


def _footer(data: StrategyData, language: str | None) -> str:
    from tiktok_lab.lessons.ads.budget import budget_minimums
    from tiktok_lab.lessons.figures.sourced import cite

    return data.text("export", "footer", language,
                     source=cite(budget_minimums().campaign_daily, language=language))


# --------------------------------------------------------------------------
# Markdown.

#: What Markdown reads as markup, anywhere in a line: a backslash, code, emphasis, links,
#: tables, HTML, strikethrough. An underscore only at a word's edge (``@drome_adventures``
#: stays as typed), ``&`` only where it starts an entity, ``#`` only at the start.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|<>~])|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)|^#")


def _md(text: str) -> str:
    """Learner text made inert in Markdown (and in any HTML a Markdown viewer allows), with
    no backslash where Markdown needs none (``$20`` stays ``$20``)."""
    text = text.replace("\n", " ")
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def strategy_to_markdown(strategy: Strategy, *, language: str | None = None) -> str:
    """The one-pager as Markdown: in short, the plan's sections, the checklist, the appendix
    of earlier decisions."""
    data = load_strategy_data()
    lines = [f"# {_md(_title(strategy, data, language))}", ""]
    identity = identity_line(strategy, language=language, data=data)
    if identity:
        lines += [_md(identity), ""]
    main, appendix = main_and_appendix(brief_sections(strategy, language=language, data=data))

    def add(section: "Section") -> None:
        lines.extend([f"## {_md(section.title)}", ""])
        # "**Label:** value", the colon's spacing the language's (« Marque : » in French)
        lines.extend("- " + data.text("brief", "row", language, label=f"**{_md(row.label)}**",
                                      value=_md(row.value)) for row in section.rows)
        lines.append("")

    for section in main:
        add(section)
    mark = legend(main, language=language, data=data)
    if mark:  # the rule-of-thumb label, once for every † above
        lines += [f"_{_md(mark)}_", ""]
    check = validate_strategy(strategy, data=data, language=language)
    lines += [f"## {_md(data.text('sections', 'checklist', language))}", ""]
    lines += [f"- ✗ {_md(f.message)}" for f in check.blocking]
    lines += [f"- ! {_md(f.message)}" for f in check.advice]
    if not check.blocking and not check.advice:
        lines.append(f"- ✓ {_md(data.text('messages', 'all_good', language))}")
    lines += ["", "_" + _md(data.text("export", "advice_nature", language,
                                      label=nature_label(check.nature, language))) + "_", ""]
    for section in appendix:
        add(section)
    lines += [f"_{_md(_footer(data, language))}_", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# HTML.


_PAGE_STYLE = """
@page { size: A4; margin: 15mm 14mm 16mm; }
* { box-sizing: border-box; }
html { background: #f3f3f1; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       background: #fff; max-width: 210mm; margin: 0 auto; padding: 14mm 14mm 16mm;
       font-size: 10pt; line-height: 1.4; }
h1 { font-size: 17pt; margin: 0 0 2pt; }
p.identity { margin: 0 0 8pt; color: #444; }
h2 { font-size: 11.5pt; margin: 12pt 0 4pt; padding-bottom: 1pt; border-bottom: 1px solid #bbb;
     break-after: avoid; page-break-after: avoid; }
dl { display: grid; grid-template-columns: 40mm 1fr; gap: 3pt 8pt; margin: 0; }
dt { font-weight: 600; color: #333; break-inside: avoid; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; break-inside: avoid; }
section.brief-summary { background: #eef4fa; border-left: 3pt solid #0b4f8a;
                        padding: 5pt 9pt 7pt; margin: 6pt 0 4pt; break-inside: avoid; }
section.brief-summary h2 { border: 0; margin-top: 0; color: #0b4f8a; }
section.brief-summary dl { grid-template-columns: 34mm 1fr; }
section.brief-earlier, section.brief-compliance { font-size: 9pt; }
section.brief-earlier dl, section.brief-compliance dl { grid-template-columns: 50mm 1fr; }
ul.tiktok-lab-checklist, .tiktok-lab-checklist ul { margin: 2pt 0; padding-left: 14pt; }
a { color: #0b4f8a; }
section.brief-whom, section.brief-roles, section.brief-paid { break-inside: avoid; }
section.brief-earlier { break-before: avoid; }
p.legend { margin: 6pt 0 0; font-size: 8.5pt; color: #444; }
footer { margin-top: 12pt; padding-top: 4pt; border-top: 1px solid #ddd; font-size: 8.5pt;
         color: #444; break-before: avoid; page-break-before: avoid; }
@media screen and (max-width: 720px) {
  body { padding: 6mm; } dl, section.brief-summary dl, section.brief-earlier dl,
  section.brief-compliance dl { grid-template-columns: 1fr; } dd { margin-bottom: 4pt; } }
@media print {
  html, body { background: #fff; }
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  section.brief-summary { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .tiktok-lab-chart { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
"""


def strategy_to_html(strategy: Strategy, *, language: str | None = None,
                     with_chart: bool = True) -> str:
    """A self-contained, printable (A4) HTML page: no outside URL, every text escaped."""
    from tiktok_lab.core.i18n import get_language

    data = load_strategy_data()
    lang = language or get_language()
    title = _title(strategy, data, language)
    body = [f"<h1>{esc(title)}</h1>"]
    identity = identity_line(strategy, language=language, data=data)
    if identity:
        body.append(f'<p class="identity">{esc(identity)}</p>')
    main, appendix = main_and_appendix(brief_sections(strategy, language=language, data=data))

    def add(section: "Section") -> None:
        items = "".join(f"<dt>{esc(row.label)}</dt><dd>"
                        f"{row.html if row.html is not None else esc(row.value)}</dd>"
                        for row in section.rows)
        body.append(f'<section class="brief-{esc(section.key)}"><h2>{esc(section.title)}</h2>'
                    f"<dl>{items}</dl></section>")

    for section in main:
        add(section)
    mark = legend(main, language=language, data=data)
    if mark:  # the rule-of-thumb label, once for every † above
        body.append(f'<p class="legend">{esc(mark)}</p>')
    check = validate_strategy(strategy, data=data, language=language)
    body.append(f'<section class="brief-checklist">'
                f"<h2>{esc(data.text('sections', 'checklist', language))}</h2>"
                f"{checklist_html(check, language=language)}</section>")
    if with_chart:
        from tiktok_lab.core.charts import chart_html

        body.append(f'<div class="tiktok-lab-chart">'
                    f"{chart_html(make_strategy_chart(strategy, language=language))}</div>")
    for section in appendix:
        add(section)
    body.append(f"<footer>{esc(_footer(data, language))}</footer>")
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{_PAGE_STYLE}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")


# --------------------------------------------------------------------------
# The chart: the plan week by week.


def plan_weeks(strategy: Strategy) -> list[dict[str, float]]:
    """One row per week: videos planned and ad budget spent that week (in the plan's currency)."""
    start, end = parse_date(strategy.start), parse_date(strategy.end)
    videos = max(strategy.posts_per_week, 0)
    daily = max(float(strategy.daily_budget), 0.0)
    if start and end and end >= start:
        days = (end - start).days + 1
        weeks = min(-(-days // 7), MAX_CHART_WEEKS)
        rows = []
        for week in range(weeks):
            first = start + timedelta(days=7 * week)
            in_week = max(0, min(7, (end - first).days + 1))
            rows.append({"week": week + 1, "videos": videos, "budget": round(daily * in_week, 2)})
        return rows
    return [{"week": w, "videos": videos, "budget": 0.0} for w in range(1, DEFAULT_WEEKS + 1)]


def make_strategy_chart(strategy: Strategy, *, language: str | None = None) -> "alt.Chart":
    """Bars: videos a week; the tooltip and alt text give the ad budget of each week."""
    import altair as alt
    import pandas as pd

    from tiktok_lab.core.charts import finish_chart

    data = load_strategy_data()
    rows = plan_weeks(strategy)
    frame = pd.DataFrame(rows)
    week, videos = (data.text("chart", k, language) for k in ("week", "videos"))
    budget = data.text("chart", "budget", language, currency=strategy.currency)
    chart = alt.Chart(frame).mark_bar(cornerRadius=3).encode(
        x=alt.X("week:O", title=week, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("videos:Q", title=videos, scale=alt.Scale(domainMin=0)),
        color=alt.Color("budget:Q", title=budget, scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(titleLimit=220)),
        tooltip=[alt.Tooltip("week:O", title=week), alt.Tooltip("videos:Q", title=videos),
                 alt.Tooltip("budget:Q", title=budget, format=",.2f")],
    ).properties(height=220, width=420)
    budgets = ", ".join(format_number(r["budget"], language=language) for r in rows)
    return finish_chart(
        chart, title=data.text("chart", "title", language),
        caption=data.text("chart", "caption", language),
        description=data.text("chart", "description", language, weeks=len(rows),
                              videos=rows[0]["videos"], budgets=budgets))
