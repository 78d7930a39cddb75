"""One translation function for every string a learner reads.

Strings live in ``data/strings/<lang>.yaml`` (nested keys, read with dotted
paths such as ``"store.corrupted"``). English is the reference: a key missing
from another language falls back to English, so a half-translated release still
reads well. Numbers and dates are formatted with Babel for the same reason:
"1,5 Md" and "1.5B" are both right, in their own language.

A text that counts something writes its plural ICU-style, so "1 vidéos" cannot happen:
``{videos, plural, one {# video} other {# videos}}`` picks the form by the language's
plural rules (Babel's CLDR data: French says "0 vidéo" and "1,5 vidéo", English "0 videos");
``#`` is the count as given. :func:`format_text` does this for ``t()`` and for data files.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from functools import lru_cache
from typing import Any, Callable, Mapping

SUPPORTED_LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_ENV = "TIKTOK_LAB_LANG"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}

_session_language: str | None = None
# The language a build is writing (``speaking``): the French edition of the notebooks, notes
# and pages is rendered by the same code as the English one, inside ``with speaking("fr")``.
_spoken: ContextVar[str | None] = ContextVar("tiktok_lab_spoken", default=None)
# Folders that hold a lesson edition; a sub-folder named after a language is that edition
# (``notebooks/fr/``, ``workshop/trainer/fr/``), and a kernel started there speaks it.
EDITION_FOLDERS = ("notebooks", "trainer")


def _nothing_saved() -> str | None:
    return None


# The language saved in the learner's settings. Reading it takes the store, which itself
# speaks through t(), so the store's reader is plugged in from above rather than imported:
# the package root (tiktok_lab/__init__.py) plugs in tiktok_lab.work.settings.saved_language.
_saved_language: Callable[[], str | None] = _nothing_saved


def use_saved_language(reader: Callable[[], str | None]) -> None:
    """Where :func:`get_language` finds the learner's saved choice (a normalised code or None)."""
    global _saved_language
    _saved_language = reader


def set_session_language(language: str | None) -> None:
    """The language chosen in this kernel (None: forget it); see :func:`get_language`."""
    global _session_language
    _session_language = normalise_language(language)


class _KeepMissing(dict):
    """Leaves an unknown ``{placeholder}`` visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_PLURAL = re.compile(r"\{(\w+), plural,((?:\s*[=\w]+ \{[^{}]*\})+)\s*\}")
_PLURAL_FORM = re.compile(r"([=\w]+) \{([^{}]*)\}")


def plural_category(count: Any, *, language: str | None = None) -> str:
    """CLDR's plural category of ``count`` in ``language`` ("one", "other"...); "other" if not a number."""
    from babel import Locale

    try:
        number = abs(float(str(count).replace("\u202f", "").replace("\xa0", "").replace(",", ".")))
    except ValueError:
        return "other"
    if number == int(number):
        number = int(number)
    return Locale.parse(_locale(language)).plural_form(number)


def format_text(text: str, values: Mapping[str, Any], *, language: str | None = None) -> str:
    """``text`` with its ICU-style plurals resolved for ``values``, then its placeholders filled.

    An unknown placeholder stays visible rather than raising.
    """
    def pick(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        forms = dict(_PLURAL_FORM.findall(match.group(2)))
        exact = forms.get(f"={values[name]}")
        form = exact if exact is not None else forms.get(
            plural_category(values[name], language=language), forms.get("other", ""))
        return form.replace("#", "{" + name + "}")

    return _PLURAL.sub(pick, text).format_map(_KeepMissing(values))


@lru_cache(maxsize=None)
def load_strings(language: str) -> dict[str, str]:
    """Flattened ``{"dotted.key": "text"}`` table for one language."""
    from importlib import resources  # not at import: `import tiktok_lab` imports this module

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


@contextmanager
def speaking(language: str):
    """Speak ``language`` inside the block, whatever else says otherwise.

    For builds: the French edition of a lesson, its notes and its pages are the English code
    run inside ``with speaking("fr")``, so no renderer takes a language parameter.
    """
    code = normalise_language(language)
    if code is None:
        raise ValueError(f"unknown language {language!r}; the course speaks "
                         f"{', '.join(SUPPORTED_LANGUAGES)}")
    token = _spoken.set(code)
    try:
        yield code
    finally:
        _spoken.reset(token)


def edition_language(folder: Path | None = None) -> str | None:
    """The edition a kernel runs in, told by its folder: ``notebooks/fr/`` is French and the
    course's ``notebooks/`` (or ``workshop/trainer/``) itself is English.

    Jupyter starts a notebook's kernel in the notebook's folder, so each edition speaks its
    own language without a line of code differing between them: French prose never meets
    English cards, nor the reverse. Outside an edition (a script, the CLI) there is none.
    """
    here = Path(folder) if folder is not None else Path.cwd()
    code = normalise_language(here.name) if here.name in SUPPORTED_LANGUAGES else None
    if code and code != DEFAULT_LANGUAGE and here.parent.name in EDITION_FOLDERS:
        return code
    if here.name in EDITION_FOLDERS and (here / "00_start_here.ipynb").is_file():
        return DEFAULT_LANGUAGE
    return None


def edition_folder(language: str, folder: Path | None = None) -> Path | None:
    """Where the ``language`` edition of the notebooks beside ``folder`` lives (the folder of
    the edition a kernel runs in, by default), or None outside an edition."""
    here = Path(folder) if folder is not None else Path.cwd()
    current = edition_language(here)
    if current is None:
        return None
    base = here if current == DEFAULT_LANGUAGE else here.parent
    return base if language == DEFAULT_LANGUAGE else base / language


def get_language() -> str:
    """The language to speak now.

    Order: a build's ``speaking(...)`` block; the choice made in this kernel (the language
    buttons of lesson 00); the edition the notebook belongs to (``notebooks/fr/`` speaks
    French whatever the room or the saved choice says: its prose is French, so must be its
    cards); the ``TIKTOK_LAB_LANG`` variable (a trainer can force a room's language); the
    choice saved in the learner's store; English.
    """
    spoken = _spoken.get()
    if spoken:
        return spoken
    if _session_language:
        return _session_language
    try:
        edition = edition_language()
    except OSError:  # the working folder was deleted under the kernel
        edition = None
    if edition:
        return edition
    forced = normalise_language(os.environ.get(LANGUAGE_ENV))
    if forced:
        return forced
    return _saved_language() or DEFAULT_LANGUAGE


def t(key: str, /, *, language: str | None = None, **values: Any) -> str:
    """The text for ``key`` in the current language, with ``values`` filled in."""
    language = normalise_language(language) or get_language()
    text = load_strings(language).get(key)
    if text is None:
        text = load_strings(DEFAULT_LANGUAGE).get(key, key)
    return format_text(text, values, language=language) if values else text


def colon(language: str | None = None) -> str:
    """": " in English, " : " (a no-break space first) in French: between a label and its text."""
    return t("punctuation.colon", language=language)


def semicolon(language: str | None = None) -> str:
    """"; " in English, " ; " (a no-break space first) in French: between items of a list."""
    return t("punctuation.semicolon", language=language)


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
    from babel import Locale, numbers

    locale = _locale(language)
    # The locale's own pattern ("#,##0 %" in French, with its narrow no-break space), with
    # the decimals the value needs.
    pattern = Locale.parse(locale).percent_formats[None].pattern
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return numbers.format_percent(value / 100, format=pattern, locale=locale)


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
    text = dates.format_date(value, format="long", locale=locale)
    if locale == "fr" and value.day == 1 and text.startswith("1 "):
        text = "1er " + text[2:]  # French writes the first of the month as an ordinal
    return text
