"""The learner's ``settings`` document: its one read path, and choosing the course language.

The translation function (:mod:`tiktok_lab.core.i18n`) asks :func:`saved_language` for the
choice saved here; it cannot import this module, since the store below it speaks through
``t()``. The package root plugs the reader in (``tiktok_lab/__init__.py``), and any import of
a ``tiktok_lab`` module runs the root first.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tiktok_lab.core.i18n import (LANGUAGE_NAMES, SUPPORTED_LANGUAGES, edition_folder,
                                  edition_language, normalise_language, set_session_language, t)
from tiktok_lab.work.store import StoreError, StoreWriteError, get_store

if TYPE_CHECKING:
    from tiktok_lab.work.saved_documents import SettingsDocument

SETTINGS = "settings"

# The settings last read, and what identified the file then (see read_settings).
_settings_seen: tuple[tuple[Any, ...], "SettingsDocument"] | None = None


def saved_language() -> str | None:
    """The language saved in the learner's settings, or None."""
    return read_settings().language


def read_settings() -> "SettingsDocument":
    """The learner's saved settings, repaired (the one way this package reads them).

    Every string lookup asks for the language, so the file is parsed only when
    it changed: its identity (a save replaces the file), size and modification
    time are compared first, one ``stat`` call. Never raises: a missing or
    unusable file reads as no settings (the store reports damage when saving).
    """
    global _settings_seen
    from tiktok_lab.work.saved_documents import SettingsDocument  # pydantic: on first use

    store = get_store()
    path = store.path(SETTINGS)
    try:
        info = os.stat(path)
        key: tuple[Any, ...] = (path, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    except OSError:
        key = (path,)
    if _settings_seen is not None and _settings_seen[0] == key:
        return _settings_seen[1]
    try:
        saved = store.read(SETTINGS, report=False) if len(key) > 1 else {}
    except (StoreError, OSError, ValueError, RecursionError):  # t() must answer regardless
        saved = {}
    settings = SettingsDocument.from_saved(saved)
    _settings_seen = (key, settings)
    return settings


def set_language(code: str) -> str:
    """Choose the course language and remember it for the next notebooks.

    Returns the message to show; an unknown code gets a friendly refusal
    rather than an exception, since learners type this by hand. When the
    choice cannot be saved (a read-only or full ``my_work/``), this notebook
    speaks the language all the same and the message says why it is not kept.
    """
    language = normalise_language(code)
    if language is None:
        choices = ", ".join(f'"{c}" ({LANGUAGE_NAMES[c]})' for c in SUPPORTED_LANGUAGES)
        return t("language.unknown", code=str(code)[:20], choices=choices)
    set_session_language(language)
    from tiktok_lab.work.saved_documents import SettingsDocument  # pydantic: on first use

    def choose(saved: dict[str, Any]) -> dict[str, Any]:
        settings = SettingsDocument.from_saved(saved)
        settings.language = language
        return settings.to_saved()

    name = LANGUAGE_NAMES[language]
    try:
        get_store().update(SETTINGS, choose)
    except StoreWriteError as error:
        return t("language.set_unsaved", name=name, reason=error.reason, folder=str(error.folder))
    except StoreError as error:
        return t("language.set_not_kept", name=name, problem=str(error))
    return _other_edition(language) or t("language.set", name=name)


def _other_edition(language: str) -> str | None:
    """In a notebook of another edition, where the lessons written in ``language`` are.

    Each edition speaks its own language (``core.i18n.edition_language``): the choice switches
    this notebook's cards, and the lessons' own text is in the other edition's folder.
    """
    current = edition_language()
    other = edition_folder(language)
    if current is None or current == language or other is None:
        return None
    from tiktok_lab.core.paths import find_course_root

    root = find_course_root()
    where = other.relative_to(root) if root and other.is_relative_to(root) else other
    return t("language.set_other_edition", name=LANGUAGE_NAMES[language],
             start=f"{where.as_posix()}/00_start_here.ipynb")
