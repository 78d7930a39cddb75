"""Rules of thumb, models and assumptions: the ``nature`` flag and its one label per kind.

Every block of ``data/`` that a learner sees and that is not a fact (a weight table, a
threshold, a course judgement, a teaching model, a made-up cost) says what it is where it is
defined, ``nature: rule_of_thumb | model | assumption``, and every widget, chart and export
that shows it prints the label of that nature, read from ``data/strings/<lang>.yaml``
(``nature.<kind>``). The label has this one home: no data file or module writes its own.

- :data:`Nature`: the type of the flag; :class:`Flagged`: the base of a content model whose
  block must carry it (a block of that type without ``nature`` fails validation).
- :func:`nature_label`: the label of a flagged block (or of a nature) in a language.
- :func:`nature_detail`: the label, then what the rule is made of.
- :func:`nature_html`: the label as a small HTML line for widgets and pages.

``tests/test_labels.py`` walks the data files, finds every block that carries ``nature`` and
checks the label in each view registered for it, in English and French.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

from pydantic import ValidationError, model_validator

from tiktok_lab.core.content_types import ContentModel
from tiktok_lab.core.datafiles import plain_words
from tiktok_lab.core.html import esc
from tiktok_lab.core.i18n import t

Nature = Literal["rule_of_thumb", "model", "assumption"]
#: The natures, in the order the docs list them.
NATURES: tuple[str, ...] = get_args(Nature)


class Flagged(ContentModel):
    """A block that is a rule of thumb, a model or an assumption: ``nature`` is required."""

    nature: Nature

    @model_validator(mode="wrap")
    @classmethod
    def _says_what_it_is(cls, data: Any, handler: Any) -> Any:
        """A block without ``nature`` is refused; a wrong value inside the block names its
        field ("weights, audience: must be more than 0"), not only the block."""
        if isinstance(data, Mapping):
            if "nature" not in data:
                raise ValueError(f'needs a "nature:" line ({" | ".join(NATURES)}): the course '
                                 "labels it as such wherever a learner sees it")
            if data["nature"] not in NATURES:
                raise ValueError(f'nature: "{data["nature"]}" is not one of '
                                 f'{", ".join(NATURES)}')
        try:
            return handler(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ", ".join(str(part) for part in error["loc"])
            raise ValueError(f"{where}: {plain_words(error)}" if where
                             else plain_words(error)) from None


def _nature_of(flagged: Any) -> str:
    nature = flagged if isinstance(flagged, str) else getattr(flagged, "nature", None)
    if nature not in NATURES:
        raise ValueError(f"not a nature: {nature!r} (one of {', '.join(NATURES)})")
    return nature


def nature_label(flagged: Any, language: str | None = None) -> str:
    """The label of a flagged block (anything with ``.nature``) or of a nature itself,
    e.g. "The course's rule of thumb, not an official TikTok rule or figure"."""
    return t(f"nature.{_nature_of(flagged)}", language=language)


def nature_detail(flagged: Any, detail: str, language: str | None = None) -> str:
    """The label followed by what this rule is made of ("Rule of thumb of this course, not a
    TikTok measure: the weights ... are the course's choices"), typeset for the language."""
    return t("nature.with_detail", language=language,
             label=nature_label(flagged, language), detail=detail)


def nature_html(flagged: Any, language: str | None = None) -> str:
    """The label as one small bold line, for a widget or a page (escaped once, here)."""
    nature = _nature_of(flagged)
    return (f'<p class="tiktok-lab-nature tiktok-lab-nature-{nature.replace("_", "-")}" '
            f'style="margin:4px 0"><small><strong>{esc(nature_label(nature, language))}'
            "</strong></small></p>")


__all__ = ["NATURES", "Flagged", "Nature", "nature_detail", "nature_html", "nature_label"]
