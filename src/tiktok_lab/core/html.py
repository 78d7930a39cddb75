"""Small HTML building blocks shared by the widget apps.

Every piece of text goes through :func:`html.escape` here, once, so a brand
called ``<script>`` or an emoji-laden answer is always shown as text.
"""

from __future__ import annotations

import base64
import html
from typing import Iterable, Sequence

_LEVEL_STYLE = {
    "ok": ("✓", "#1b5e20", "#e8f5e9"),
    "warning": ("!", "#7a4d00", "#fff4e0"),
    "problem": ("✗", "#8b1a1a", "#fdecea"),
    "info": ("i", "#0d3c61", "#e8f1fb"),
}


# JupyterLab typesets the text between two "$" signs as maths ("$50 ... $20"):
# every block we build opts out of it.
NO_MATHS = "tex2jax_ignore mathjax_ignore"
# JupyterLab right-aligns table cells by default; text reads better left-aligned.
_CELL = "text-align:left;vertical-align:top;padding:4px 10px"


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def esc_code(value: object) -> str:
    """Escaped text whose `backticked` parts show as code, as Markdown would show them: a
    task that names `____` or `budget` must not show the backticks themselves."""
    parts = esc(value).split("`")
    if len(parts) % 2 == 0:  # an odd backtick: show the text as it is
        return esc(value)
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *,
          raw_columns: frozenset[int] = frozenset(), caption: str = "") -> str:
    """An accessible table; cells in ``raw_columns`` are trusted HTML built by us."""
    head = "".join(f'<th scope="col" style="{_CELL}">{esc(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f'<td style="{_CELL}">{cell if i in raw_columns else esc(cell)}</td>'
            for i, cell in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<table class="tiktok-lab-table {NO_MATHS}" style="border-collapse:collapse;font-size:14px">'
        f"{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def link(url: str, text: str) -> str:
    """A link to a source page, opened in a new tab (``rel="noopener"``: the page it opens
    gets no handle on the notebook's tab); both escaped here."""
    # Underlined: in a table or a sentence a link must not be told apart by colour alone
    # (axe: link-in-text-block), in JupyterLab, the handouts and the slides alike.
    return (f'<a href="{esc(url)}" target="_blank" rel="noopener" '
            f'style="text-decoration:underline">{esc(text)}</a>')


def details(summary: str, body_html: str) -> str:
    """A collapsed block that ``summary`` (plain text) opens, so long tables stay scannable.

    ``body_html`` must already be escaped. It needs no script: it opens in
    JupyterLab, Voilà and the exported handouts alike.
    """
    return (f'<details><summary style="cursor:pointer;color:#0d3c61">{esc(summary)}</summary>'
            f'{body_html}</details>')


def mark(level: str) -> str:
    """A coloured symbol with a text alternative, readable without colour."""
    symbol, colour, _ = _LEVEL_STYLE[level]
    return f'<span style="color:{colour};font-weight:bold" aria-label="{esc(level)}">{symbol}</span>'


def box(message_html: str, level: str = "info") -> str:
    """A coloured message box; ``message_html`` must already be escaped."""
    symbol, colour, background = _LEVEL_STYLE[level]
    return (
        f'<div role="status" class="{NO_MATHS}" style="border-left:4px solid {colour};background:{background};'
        f'color:#111;padding:6px 10px;margin:4px 0;font-size:14px">'
        f'<strong style="color:{colour}">{symbol}</strong> {message_html}</div>'
    )


def download_link(payload: bytes, filename: str, label: str,
                  mime: str = "application/octet-stream") -> str:
    """A link that hands ``payload`` to the browser as a file (a ``data:`` URL).

    The bytes travel inside the page, so the download works in JupyterLab, in
    Voilà and on Binder, where the server's disk may vanish with the session.
    """
    encoded = base64.b64encode(payload).decode("ascii")
    return (
        f'<a download="{esc(filename)}" href="data:{esc(mime)};base64,{encoded}" '
        f'style="font-weight:bold">⬇ {esc(label)}</a>'
    )
