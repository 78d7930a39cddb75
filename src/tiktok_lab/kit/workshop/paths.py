"""Where the kit's pages go and how they link to the notebooks, in the language being built.

The English kit is in ``workshop/``, the French one in ``workshop/fr/`` with the same file
names; a French page links to the French edition (``notebooks/fr/``,
``workshop/trainer/fr/``). The language is the one being spoken (``core.i18n.speaking``), so
the renderers take no language parameter.
"""

from __future__ import annotations

import posixpath

from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, get_language

KIT_DIR = "workshop"
LEARNER_DIR = "notebooks"
TRAINER_DIR = "workshop/trainer"


def language_folder(base: str, language: str | None = None) -> str:
    """``base`` for English, ``base/<language>`` for another language (``workshop/fr``)."""
    language = language or get_language()
    return base if language == DEFAULT_LANGUAGE else f"{base}/{language}"


def edition_folder(edition: str, language: str | None = None) -> str:
    """``notebooks``, ``notebooks/fr``, ``workshop/trainer`` or ``workshop/trainer/fr``."""
    return language_folder(LEARNER_DIR if edition == "learner" else TRAINER_DIR, language)


def learner_notebook(name: str, language: str | None = None) -> str:
    """A participants' notebook from the course folder: ``notebooks/fr/03_feed.ipynb`` in
    French (the command line's start notebook, the kit site's Binder links)."""
    return f"{edition_folder('learner', language)}/{name}"


def kit_folder(language: str | None = None) -> str:
    """Where the kit's pages of a language go: ``workshop`` or ``workshop/fr``."""
    return language_folder(KIT_DIR, language)


def link(page: str, target: str) -> str:
    """The relative link from a page to a file, both relative to the course root."""
    return posixpath.relpath(target, posixpath.dirname(page))


def notebook_link(page: str, notebook: str, edition: str = "learner") -> str:
    """The link from a kit page to a lesson notebook of the language being written:
    ``notebooks/`` or ``notebooks/fr/``, ``workshop/trainer/`` or ``workshop/trainer/fr/``."""
    base = LEARNER_DIR if edition == "learner" else TRAINER_DIR
    return link(page, f"{language_folder(base)}/{notebook}")
