"""Rules of thumb, models and assumptions: the ``nature`` flag and its one label per kind.

Every block of ``data/`` that a learner sees and that is not a fact (a weight table, a
threshold, a course judgement, a teaching model, a made-up cost) says what it is where it is
defined, ``nature: rule_of_thumb | model | assumption``, and every widget, chart and export
that shows it prints the label of that nature, read from ``data/strings/<lang>.yaml``
(``nature.<kind>``). The label has this one home: no data file or module writes its own.

- :data:`Nature`: the type of the flag; :class:`Flagged`: the base of a content model whose
  block must carry it (a block of that type without ``nature`` fails validation).
- :func:`nature_label`: the label of a flagged block (or of a nature) in a language.
- :func:`nature_html`: the same label as a small HTML line for widgets and pages.

``tests/test_labels.py`` walks the data files, finds every block that carries ``nature`` and
checks the label in each view registered for it, in English and French.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

from pydantic import model_validator

from tiktok_lab.core.content_types import ContentModel
from tiktok_lab.core.html import esc
from tiktok_lab.core.i18n import t

Nature = Literal["rule_of_thumb", "model", "assumption"]
#: The natures, in the order the docs list them.
NATURES: tuple[str, ...] = get_args(Nature)


class Flagged(ContentModel):
    """A block that is a rule of thumb, a model or an assumption: ``nature`` is required."""

    nature: Nature

    @model_validator(mode="before")
    @classmethod
    def _says_what_it_is(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            if "nature" not in data:
                raise ValueError(f'needs a "nature:" line ({" | ".join(NATURES)}): the course '
                                 "labels it as such wherever a learner sees it")
            if data["nature"] not in NATURES:
                raise ValueError(f'nature: "{data["nature"]}" is not one of '
                                 f'{", ".join(NATURES)}')
        return data


def _nature_of(flagged: Any) -> str:
    nature = flagged if isinstance(flagged, str) else getattr(flagged, "nature", None)
    if nature not in NATURES:
        raise ValueError(f"not a nature: {nature!r} (one of {', '.join(NATURES)})")
    return nature


def nature_label(flagged: Any, language: str | None = None) -> str:
    """The label of a flagged block (anything with ``.nature``) or of a nature itself,
    e.g. "Rule of thumb of this course, not a TikTok measure"."""
    return t(f"nature.{_nature_of(flagged)}", language=language)


def nature_html(flagged: Any, language: str | None = None) -> str:
    """The label as one small bold line, for a widget or a page (escaped once, here)."""
    nature = _nature_of(flagged)
    return (f'<p class="tiktok-lab-nature tiktok-lab-nature-{nature.replace("_", "-")}" '
            f'style="margin:4px 0"><small><strong>{esc(nature_label(nature, language))}'
            "</strong></small></p>")


__all__ = ["NATURES", "Flagged", "Nature", "nature_html", "nature_label"]
