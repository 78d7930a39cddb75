"""Links to the documents a row was seen in (``seen_in`` of ``data/sources.yaml``), as HTML.

Figures are cited by :func:`tiktok_lab.lessons.figures.sourced.cite_html`; the other sourced
rows (ad formats, feed claims, quiz answers) keep their short ``source`` wording and get their
pages linked beside it here. Every text is escaped by :mod:`tiktok_lab.core.html`.
"""

from __future__ import annotations

from collections.abc import Iterable

from tiktok_lab.core.html import esc, link

#: Pages linked beside a source at most; the rest are on the course's sources page.
MAX_LINKS = 3


def documents_html(ids: Iterable[str]) -> str:
    """``TikTok · Adweek · Search Engine Journal``: each document's publisher, linked to its
    page when it has one (opens in a new tab)."""
    from tiktok_lab.core.sources import documents_for

    parts = [link(d.url, d.publisher) if d.url else esc(d.publisher)
             for d in documents_for(tuple(ids))[:MAX_LINKS]]
    return " · ".join(parts)


def source_html(source: str, ids: Iterable[str]) -> str:
    """The short attribution, escaped, then the linked pages in brackets when there are any."""
    pages = documents_html(ids)
    return esc(source) + (f" ({pages})" if pages else "")
