"""One translation function for every string a learner reads.

Strings live in ``data/strings/<lang>.yaml`` (nested keys, read with dotted
paths such as ``"store.corrupted"``). English is the reference: a key missing
from another language falls back to English, so a half-translated release still
reads well. Numbers and dates are formatted with Babel for the same reason:
"1,5 Md" and "1.5B" are both right, in their own language.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from tiktok_lab.work.saved_documents import SettingsDocument

SUPPORTED_LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_ENV = "TIKTOK_LAB_LANG"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
SETTINGS = "settings"

_session_language: str | None = None
# The settings last read, and what identified the file then (see read_settings).
_settings_seen: tuple[tuple[Any, ...], "SettingsDocument"] | None = None


class _KeepMissing(dict):
    """Leaves an unknown ``{placeholder}`` visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@lru_cache(maxsize=None)
def load_strings(language: str) -> dict[str, str]:
    """Flattened ``{"dotted.key": "text"}`` table for one language."""
    import yaml

    text = (resources.files("tiktok_lab") / "data" / "strings" / f"{language}.yaml").read_text(
        encoding="utf-8"
    )
    return _flatten(yaml.safe_load(text) or {})


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = str(value)
    return flat


def normalise_language(code: str | None) -> str | None:
    """``"FR"``, ``"fr_BE"`` or ``"fr-LU"`` -> ``"fr"``; unknown -> None."""
    if not code:
        return None
    short = str(code).strip().lower().replace("_", "-").split("-")[0]
    return short if short in SUPPORTED_LANGUAGES else None


def get_language() -> str:
    """The language to speak now.

    Order: the ``TIKTOK_LAB_LANG`` variable (a trainer can force a room's
    language), the choice made in this kernel, the choice saved in the
    learner's store (so lesson 03 honours what was picked in lesson 00), English.
    """
    forced = normalise_language(os.environ.get(LANGUAGE_ENV))
    if forced:
        return forced
    if _session_language:
        return _session_language
    return read_settings().language or DEFAULT_LANGUAGE


def read_settings() -> "SettingsDocument":
    """The learner's saved settings, repaired (the one way this package reads them).

    Every string lookup asks for the language, so the file is parsed only when
    it changed: its identity (a save replaces the file), size and modification
    time are compared first, one ``stat`` call. Never raises: a missing or
    unusable file reads as no settings (the store reports damage when saving).
    """
    global _settings_seen
    from tiktok_lab.work.saved_documents import SettingsDocument
    from tiktok_lab.work.store import StoreError, get_store

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
    global _session_language
    language = normalise_language(code)
    if language is None:
        choices = ", ".join(f'"{c}" ({LANGUAGE_NAMES[c]})' for c in SUPPORTED_LANGUAGES)
        return t("language.unknown", code=str(code)[:20], choices=choices)
    _session_language = language
    from tiktok_lab.work.saved_documents import SettingsDocument
    from tiktok_lab.work.store import StoreError, StoreWriteError, get_store

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
    return t("language.set", name=name)


def t(key: str, /, *, language: str | None = None, **values: Any) -> str:
    """The text for ``key`` in the current language, with ``values`` filled in."""
    language = normalise_language(language) or get_language()
    text = load_strings(language).get(key)
    if text is None:
        text = load_strings(DEFAULT_LANGUAGE).get(key, key)
    return text.format_map(_KeepMissing(values)) if values else text


def localized(text: str | Mapping[str, str], *, language: str | None = None) -> str:
    """Content text in the current language.

    Data files write translatable text either as a plain string (English only)
    or as ``{en: ..., fr: ...}``; a missing language falls back to English.
    """
    if isinstance(text, str):
        return text
    language = normalise_language(language) or get_language()
    return text.get(language) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), "")


def _locale(language: str | None) -> str:
    return language or get_language()


def format_number(value: float, *, language: str | None = None, compact: bool = False,
                  digits: int = 1) -> str:
    """A number as a reader of ``language`` expects it (``1.5B`` / ``2 Md``)."""
    from babel import numbers

    locale = _locale(language)
    if compact:
        return numbers.format_compact_decimal(value, locale=locale, fraction_digits=digits)
    return numbers.format_decimal(round(value, digits), locale=locale)


def format_percent(value: float, *, language: str | None = None, digits: int = 1) -> str:
    """``12.5`` (a percentage, not a ratio) -> ``12.5%`` / ``12,5 %``."""
    from babel import numbers

    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return numbers.format_percent(value / 100, format=pattern, locale=_locale(language))


def format_date(value: date | datetime | str, *, language: str | None = None,
                precision: str = "day") -> str:
    """A date at the precision the source gives: ``July 2020``, not ``1 July 2020``."""
    from babel import dates

    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    locale = _locale(language)
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return dates.format_skeleton("yMMMM", value, locale=locale)
    return dates.format_date(value, format="long", locale=locale)
