"""Tables of lesson 02: the article's claims next to what the sources say, and
sourced figures with their source, date and confidence.

Rows come from the data files only; every piece of text is escaped by
:mod:`tiktok_lab.ui.html`. No business logic here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiktok_lab.ui.html import esc, table

if TYPE_CHECKING:
    from IPython.display import HTML

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
    from tiktok_lab.i18n import t

    symbol, colour = _STATUS_STYLE.get(status, ("?", "#333333"))
    words = t(f"figures.status.{status.replace('-', '_')}")
    return f'<strong style="color:{colour}">{symbol} {esc(words)}</strong>'


def cite(row: object) -> str:
    """``TikTok, via CNBC; Bol News — as of July 2020`` for a figures row."""
    import pandas as pd

    from tiktok_lab.figures import as_of
    from tiktok_lab.i18n import t

    via = getattr(row, "via", None)
    source = row.source if via is None or pd.isna(via) else t(
        "figures.table.via", source=row.source, via=via)
    return t("figures.table.cited", source=source, when=as_of(row.date, row.date_precision))


def claim_rows() -> list[tuple[str, str, str, str, str]]:
    """One row per article claim: claim, value, status (HTML), finding, related figures (HTML)."""
    from tiktok_lab.figures import format_value, load_article_claims, load_figures

    figures = load_figures().set_index("id", drop=False)
    rows = []
    for claim in load_article_claims().itertuples():
        related = "".join(
            f"<li>{esc(format_value(f.value, f.unit))} · {esc(f.scope)} · {esc(cite(f))}</li>"
            for f in figures.loc[list(claim.related_figure_ids)].itertuples())
        rows.append((claim.claim, format_value(claim.value, claim.unit),
                     status_badge(claim.status), claim.finding,
                     f'<ul style="margin:0;padding-left:18px">{related}</ul>' if related else "–"))
    return rows


def claims_table() -> "HTML":
    """The 2020 article's figures, each with its verification status and the sources."""
    from tiktok_lab.i18n import t

    headers = [t("figures.table.claim"), t("figures.table.value"), t("figures.table.status"),
               t("figures.table.finding"), t("figures.table.related")]
    return _html(table(headers, claim_rows(), raw_columns=frozenset({2, 4}),
                       caption=t("figures.table.claims_caption")))


def figures_table(topic: str | None = None) -> "HTML":
    """Sourced figures (all, or one ``topic``): value, scope, date, source, confidence."""
    from tiktok_lab.figures import as_of, format_value, load_figures
    from tiktok_lab.i18n import t
    from tiktok_lab.ui.html import box

    figures = load_figures()
    if topic is not None:
        figures = figures[figures["topic"] == topic]
    if figures.empty:
        return _html(box(esc(t("figures.table.no_topic", topic=str(topic)[:40])), "warning"))
    rows = [(f.metric, format_value(f.value, f.unit), f.scope, as_of(f.date, f.date_precision),
             cite(f), f.confidence) for f in figures.itertuples()]
    headers = [t("figures.col.metric"), t("figures.col.value"), t("figures.col.scope"),
               t("figures.col.date"), t("figures.col.source"), t("figures.col.confidence")]
    return _html(table(headers, rows, caption=t("figures.table.figures_caption", count=len(rows))))
