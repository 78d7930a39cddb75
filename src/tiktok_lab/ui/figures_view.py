"""Lesson 02's views: the article's claims next to what the sources say, sourced figures
with their source, date and confidence, and the "your audience on TikTok" calculator (a
drop-down, age boxes, a sex choice; the estimate itself is
:func:`tiktok_lab.lessons.figures.audience.estimate_reach`).

Rows come from the data files only; every piece of text is escaped by
:mod:`tiktok_lab.core.html`. No business logic here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import re

from tiktok_lab.core.html import box, details, esc, table

if TYPE_CHECKING:
    import ipywidgets as widgets
    from IPython.display import HTML

    from tiktok_lab.lessons.figures.audience import ReachEstimate

_STATUS_STYLE = {
    "verified": ("✓", "#1b5e20"),
    "partly-verified": ("~", "#7a4d00"),
    "untraceable": ("✗", "#8b1a1a"),
}


def _html(markup: str) -> "HTML":
    from IPython.display import HTML

    return HTML(markup)


def status_badge(status: str) -> str:
    """A symbol and the status in words, so it reads without colour."""
    from tiktok_lab.core.i18n import t

    symbol, colour = _STATUS_STYLE.get(status, ("?", "#333333"))
    words = t(f"figures.status.{status.replace('-', '_')}")
    return f'<strong style="color:{colour}">{symbol} {esc(words)}</strong>'


def confidence_label(confidence: str) -> str:
    """A figure's reliability grade in the reader's language ("Élevée" for High): the one
    form every table shows (:func:`tiktok_lab.lessons.figures.sourced.confidence_label`)."""
    from tiktok_lab.lessons.figures.sourced import confidence_label as label

    return label(confidence)


def _confidence_item(confidence: str) -> str:
    from tiktok_lab.core.i18n import t

    return t("figures.table.confidence_item", confidence=confidence_label(confidence))


def cite(row: object) -> str:
    """``TikTok, via Bol News, as of July 2020`` for a figures row, as HTML: the publisher
    it names links to the page (escaped; opens in a new tab)."""
    from tiktok_lab.lessons.figures.sourced import cite_html

    return cite_html(row)


# A sentence ends at ". ", "! " or "? " before a capital (accented too: « À », « É »), a quote
# or a bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ\"“«(])")


def first_sentence(text: str) -> tuple[str, str]:
    """``text`` split after its first sentence: the one-line finding, and the rest."""
    head, *rest = _SENTENCE_END.split(text.strip(), maxsplit=1)
    return head, "".join(rest)


def finding_cell(finding: str, related: list[str]) -> str:
    """The finding's first sentence, the rest and the sourced figures folded under it.

    With up to nine figures a claim, the table would run two screens: folded,
    each claim reads in one line and nothing is lost.
    """
    from tiktok_lab.core.i18n import t

    head, rest = first_sentence(finding)
    if not rest and not related:
        return esc(head)
    body = f'<p style="margin:4px 0">{esc(rest)}</p>' if rest else ""
    if related:
        items = "".join(f"<li>{item}</li>" for item in related)
        body += f'<ul style="margin:0;padding-left:18px">{items}</ul>'
    summary = (t("figures.table.details_with_figures", count=len(related)) if related
               else t("figures.table.details"))
    return esc(head) + details(summary, body)


def claim_rows() -> list[tuple[str, str, str, str]]:
    """One row per article claim: claim, value, status (HTML), finding with details (HTML):
    each related figure with its value, scope, citation and confidence."""
    from tiktok_lab.lessons.figures.sourced import (format_value, load_article_claims,
                                                   load_figures)

    figures = load_figures().set_index("id", drop=False)
    rows = []
    for claim in load_article_claims().itertuples():
        related = [f"{esc(format_value(f.value, f.unit, bound=f.bound))} · {esc(f.scope)} · {cite(f)}"
                   f" · {esc(_confidence_item(f.confidence))}"
                   for f in figures.loc[list(claim.related_figure_ids)].itertuples()]
        rows.append((claim.claim, format_value(claim.value, claim.unit, bound=claim.bound),
                     status_badge(claim.status), finding_cell(claim.finding, related)))
    return rows


def claims_table() -> "HTML":
    """The 2020 article's figures, each with its verification status and the sources."""
    from tiktok_lab.core.i18n import t

    headers = [t("figures.table.claim"), t("figures.table.value"), t("figures.table.status"),
               t("figures.table.finding")]
    return _html(table(headers, claim_rows(), raw_columns=frozenset({2, 3}),
                       caption=t("figures.table.claims_caption")))


def figures_table(topic: str | None = None, *, as_reported: bool = False) -> "HTML":
    """Sourced figures (all, or one ``topic``): value, scope, date, source, confidence.

    Values are formatted for the learner's language (``150,000``, never ``150000.0``)
    and long source titles wrap instead of being cut. ``as_reported`` adds the
    source's own wording (``must exceed $50``), for figures where it matters.
    """
    import pandas as pd

    from tiktok_lab.lessons.figures.sourced import as_of, format_value, load_figures
    from tiktok_lab.core.i18n import t
    from tiktok_lab.core.html import box

    figures = load_figures()
    if topic is not None:
        figures = figures[figures["topic"] == topic]
    if figures.empty:
        return _html(box(esc(t("figures.table.no_topic", topic=str(topic)[:40])), "warning"))
    rows = [(f.metric, format_value(f.value, f.unit, bound=f.bound), f.scope,
             as_of(f.date, f.date_precision), cite(f), confidence_label(f.confidence))
            for f in figures.itertuples()]
    headers = [t("figures.col.metric"), t("figures.col.value"), t("figures.col.scope"),
               t("figures.col.date"), t("figures.col.source"), t("figures.col.confidence")]
    linked = frozenset({4})
    if as_reported:
        rows = [(*row[:2], "" if pd.isna(f.reported_as) else f.reported_as, *row[2:])
                for row, f in zip(rows, figures.itertuples())]
        headers.insert(2, t("figures.col.reported_as"))
        linked = frozenset({5})
    return _html(table(headers, rows, raw_columns=linked,
                       caption=t("figures.table.figures_caption", count=len(rows))))


# ------------------------------------------------------- the audience calculator


def _rough(value: float | None) -> float | None:
    """Two significant digits: a rough range reads "220M", not "224.19M"."""
    import math

    if value is None or value == 0 or not math.isfinite(value):
        return value
    return round(value, 1 - int(math.floor(math.log10(abs(value)))))


def estimate_html(estimate: "ReachEstimate") -> str:
    """The estimate in words, labelled as rough, then the figures it used with their dates.

    Two dated counts (France in October 2023 and September 2025) come as the latest with its
    date and the earlier one in the note (``estimate_reach``), never "between ... and ...".
    """
    from tiktok_lab.lessons.figures.sourced import format_value
    from tiktok_lab.core.i18n import t

    headers = [t("figures.col.metric"), t("figures.col.value"), t("figures.col.scope"),
               t("figures.col.source"), t("figures.col.confidence")]
    rows = [(f.metric, f.shown, f.scope, cite(f), confidence_label(f.confidence))
            for f in estimate.figures]
    if not estimate.ok:  # a share whose base no count shares comes with its source, no number
        shares = (table(headers, rows, raw_columns=frozenset({3}),
                        caption=t("figures.calc.shares_only")) if rows else "")
        return box(esc(estimate.message), "warning") + shares
    low = format_value(_rough(estimate.low), estimate.unit)
    high = format_value(_rough(estimate.high), estimate.unit)
    # Say what the count is: an ad reach is not a number of users (lesson 02's main warning).
    base = estimate.figures[0].id if estimate.figures else ""
    counted = ("figures.calc.result_ad_reach" if base.startswith("ad-reach-")
               else "figures.calc.result_monthly" if "-mau-" in f"-{base}-"
               else "figures.calc.result")
    key = "figures.calc.result_percent" if estimate.unit == "percent" else counted
    text = t(key, range=low if low == high else t("figures.calc.range", low=low, high=high))
    note = f"<br>{esc(estimate.note)}" if estimate.note else ""
    return (box(f"<strong>{esc(text)}</strong>{note}<br>{esc(t('figures.calc.rough'))}", "info")
            + table(headers, rows, raw_columns=frozenset({3}), caption=t("figures.calc.used")))


def audience_calculator() -> "widgets.VBox":
    """Pick a place, age bands and a sex; see a rough reach range and its sources."""
    import ipywidgets as widgets

    from tiktok_lab.lessons.figures.audience import ALL, SCOPES, SEXES, estimate_reach, scope_names
    from tiktok_lab.core.i18n import t

    scope = widgets.Dropdown(options=[(name, key) for key, name in scope_names().items()],
                             value="france", description=t("figures.calc.scope"))
    sex = widgets.ToggleButtons(options=[(t(f"figures.sex.{s}"), s) for s in SEXES], value=ALL,
                                description=t("figures.calc.sex"))
    bands_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
    result = widgets.HTML()
    checks: list[tuple[str, widgets.Checkbox]] = []

    def band_label(band: str) -> str:
        return t(f"figures.calc.band_all_{scope.value}") if band == ALL else band

    def on_change(_change: object = None) -> None:
        chosen = [band for band, check in checks if check.value]
        result.value = estimate_html(estimate_reach(scope.value, chosen, sex.value))

    def on_scope_change(_change: object = None) -> None:
        bands = SCOPES[scope.value].bands()
        checks[:] = [(band, widgets.Checkbox(value=band == bands[0], description=band_label(band),
                                             indent=False, layout=widgets.Layout(width="auto")))
                     for band in bands]
        for _band, check in checks:
            check.observe(on_change, names="value")
        bands_box.children = [check for _band, check in checks]
        on_change()

    scope.observe(on_scope_change, names="value")
    sex.observe(on_change, names="value")
    on_scope_change()
    label = widgets.HTML(f"<strong>{esc(t('figures.calc.bands'))}</strong>")
    calculator = widgets.VBox([scope, widgets.HBox([label, bands_box]), sex, result])
    calculator.add_class("tiktok-lab-audience-calculator")  # for browser tests and themes
    return calculator


# ------------------------------------------------------- engagement rates, an agency's slide

# Two pairs that differ in one thing only: the same posts with two denominators, and the
# same vendor, year and denominator in two sectors (lesson 02, "Read figures critically").
_SAME_POSTS = ("engagement-socialinsider-2022-tiktok-followers",
               "engagement-socialinsider-2022-tiktok-views")
_TWO_SECTORS = ("engagement-rivaliq-tiktok-2024-food-beverage",
                "engagement-rivaliq-tiktok-2024-sports-teams")


def _divisor(divided_by: object) -> str:
    """What a rate is divided by (the figure's ``divided_by``), in words."""
    from tiktok_lab.core.i18n import t

    key = divided_by if divided_by in ("followers", "views", "impressions") else "not_stated"
    return t(f"figures.engagement.by_{key}")


def engagement_contrasts() -> tuple[str, str]:
    """Two sentences built from the data: one rate per follower and per view on the same
    posts, then two sectors measured the same way by the same vendor."""
    from tiktok_lab.core.i18n import t
    from tiktok_lab.lessons.figures.sourced import format_value, load_figures

    by_id = load_figures().set_index("id")

    def rate(figure_id: str) -> str:
        return format_value(by_id.loc[figure_id, "value"], by_id.loc[figure_id, "unit"])

    return (t("figures.engagement.same_posts", followers=rate(_SAME_POSTS[0]),
              views=rate(_SAME_POSTS[1]), year=by_id.loc[_SAME_POSTS[0], "date"].year),
            t("figures.engagement.two_sectors", food=rate(_TWO_SECTORS[0]),
              sports=rate(_TWO_SECTORS[1]), year=by_id.loc[_TWO_SECTORS[0], "date"].year))


def engagement_table() -> "HTML":
    """TikTok's engagement rates for brands: the rate with its %, what it is divided by, who
    was measured, the year of the data, the source and the confidence; above it, two
    comparisons that change one thing at a time."""
    from tiktok_lab.core.i18n import t
    from tiktok_lab.lessons.figures.sourced import format_value, load_figures

    figures = load_figures()
    # TikTok's rates (an id names its platform: ``engagement-rivaliq-2022-tiktok``); the scope
    # reads "TikTok; who was measured" in every language, the column shows who.
    rates = figures[(figures["topic"] == "engagement") & (figures["unit"] == "percent")
                    & figures["id"].str.split("-").map(lambda words: "tiktok" in words)]
    rows = [(format_value(f.value, f.unit), _divisor(f.divided_by),
             re.split(r"\s*;\s*", f.scope, maxsplit=1)[-1], str(f.date.year), cite(f),
             confidence_label(f.confidence))
            for f in rates.itertuples()]
    headers = [t("figures.engagement.rate"), t("figures.engagement.divided_by"),
               t("figures.col.scope"), t("figures.engagement.year"), t("figures.col.source"),
               t("figures.col.confidence")]
    same_posts, two_sectors = engagement_contrasts()
    intro = box(f"{esc(same_posts)}<br>{esc(two_sectors)}", "info")
    return _html(intro + table(headers, rows, raw_columns=frozenset({4}),
                               caption=t("figures.engagement.caption", count=len(rows))))


# The agency's slide of exercise misleading-slide: each line a figure of the course data,
# worded as the agency words it (the words of line 2 promise more than the count).
_SLIDE_LINES = (("users", "users-mau-2025-09"), ("downloads", "downloads-2021-07"),
                ("engagement", "engagement-rivaliq-2023-tiktok"),
                ("ad_audience", "audience-women-share-18-34-2025-02"))


def agency_slide() -> "HTML":
    """The slide an agency sends in lesson 02 (exercise ``misleading-slide``): four numbered
    lines, each with its figure, the agency's words around it, and the source it cites."""
    from tiktok_lab.core.i18n import t
    from tiktok_lab.lessons.figures.sourced import cite, format_value, load_figures

    by_id = load_figures().set_index("id", drop=False)
    items = []
    for number, (line, figure_id) in enumerate(_SLIDE_LINES, start=1):
        row = by_id.loc[figure_id]
        value = format_value(row.value, row.unit, bound=row.bound)
        text = t(f"figures.slide.{line}", value=value)
        text = text[:1].upper() + text[1:]
        items.append(f'<li style="margin:4px 0"><strong>{esc(t("figures.slide.line", number=number))}'
                     f'</strong> {esc(text)} <span style="color:#555">({esc(cite(row))})</span></li>')
    return _html('<div class="tiktok-lab-agency-slide" style="border:1px solid #999;'
                 'border-radius:6px;padding:8px 14px;max-width:760px">'
                 f'<p style="font-size:18px;margin:4px 0"><strong>{esc(t("figures.slide.title"))}'
                 f'</strong></p><ul style="list-style:none;padding-left:0;margin:0">'
                 f'{"".join(items)}</ul></div>')
