"""Lesson 07's table of the rules to check before publishing (``tl.compliance_table()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiktok_lab.core.html import esc, table
from tiktok_lab.core.i18n import t

if TYPE_CHECKING:
    from IPython.display import HTML


def compliance_table(topic: str | None = None, *, language: str | None = None) -> "HTML":
    """The rules of ``data/compliance.yaml`` (all, or one ``topic``: disclosure, minors, music,
    claims, contracts, people): what to do (in bold, its details folded), when it applies, and
    its source with the page linked."""
    from IPython.display import HTML

    from tiktok_lab.core.html import box
    from tiktok_lab.lessons.figures.sourced import confidence_label
    from tiktok_lab.lessons.strategy.compliance import APPLIES_TO, TOPICS, compliance_notes

    if topic is not None and topic not in TOPICS:
        return HTML(box(esc(t("compliance.no_topic", language=language, topic=str(topic)[:40],
                              topics=", ".join(TOPICS))), "warning"))
    notes = [note for note in compliance_notes(language) if topic in (None, note.topic)]
    rows = []
    for note in notes:
        # The rule in bold on one line; its explanation folded, as the claims table of lesson 02.
        rule = (f"<strong>{esc(note.title)}</strong><details><summary>"
                f"{esc(t('compliance.details', language=language))}</summary>"
                f"{esc(note.rule)}</details>")
        applies = " + ".join(filter(None, (
            ", ".join(t(f"compliance.applies.{case}", language=language)
                      for case in APPLIES_TO if case in note.applies_to),
            *(t(f"compliance.applies.{case}", language=language)
              for case in APPLIES_TO if case in note.requires))))
        grade = confidence_label(note.confidence, language=language)
        source = (f"{note.source_html}<br><small>"
                  f"{esc(t('compliance.confidence', language=language, grade=grade))}"
                  "</small>")
        rows.append((t(f"compliance.topic.{note.topic}", language=language), rule, applies,
                     source))
    headers = [t(f"compliance.columns.{name}", language=language)
               for name in ("topic", "rule", "applies", "source")]
    caption = t("compliance.caption", language=language)
    return HTML(table(headers, rows, raw_columns=frozenset({1, 3}), caption=caption))
