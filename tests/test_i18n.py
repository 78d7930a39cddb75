"""The translation function, language choice and number/date formatting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from save_faults import FAULTS, saves_refused
from strategies import assert_plain
from tiktok_lab.core import i18n
from tiktok_lab.core.i18n import format_date, format_number, format_percent, load_strings, t
from tiktok_lab.work import settings
from tiktok_lab.work.settings import set_language

SRC = Path(__file__).resolve().parents[1] / "src" / "tiktok_lab"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.fixture(autouse=True)
def fresh_language(fresh_learner, monkeypatch):
    """A fresh learner with no room language: the choice is the learner's."""
    monkeypatch.delenv("TIKTOK_LAB_LANG")


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    english = load_strings("en")
    for language in i18n.SUPPORTED_LANGUAGES:
        other = load_strings(language)
        assert set(other) == set(english), f"{language}.yaml keys differ from en.yaml"
        for key, text in english.items():
            assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), key
            assert "language" not in PLACEHOLDER.findall(text), f"{key}: {{language}} is t()'s own argument"


def test_every_key_used_in_the_code_exists() -> None:
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    dynamic_prefixes = {"store."}
    missing = {k for k in used if k not in load_strings("en") and k not in dynamic_prefixes}
    assert not missing, f"keys used in code but missing from en.yaml: {sorted(missing)}"
    for problem in ("corrupted", "newer"):
        assert f"store.{problem}" in load_strings("en")


def test_choice_is_saved_and_honoured_by_the_next_notebook(monkeypatch) -> None:
    assert i18n.get_language() == "en"
    message = set_language("FR")
    assert "français" in message.lower()
    assert t("path.total") == "Total" and t("progress.not_started") == "pas commencée"
    monkeypatch.setattr(i18n, "_session_language", None)  # a new kernel
    assert i18n.get_language() == "fr"


def test_unknown_language_gets_a_friendly_refusal_and_changes_nothing() -> None:
    message = set_language("klingon<b>")
    assert "is not a language of this course" in message and "Français" in message
    assert i18n.get_language() == "en"


def test_the_environment_forces_a_room_language(monkeypatch) -> None:
    """Over the learner's saved choice; a click in this kernel still wins over the room."""
    set_language("en")
    monkeypatch.setattr(i18n, "_session_language", None)  # a new kernel
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr_BE")
    assert i18n.get_language() == "fr"
    set_language("en")
    assert i18n.get_language() == "en"


def test_an_edition_folder_speaks_its_language_over_the_room_and_the_saved_choice(
        monkeypatch, tmp_path) -> None:
    french = tmp_path / "notebooks" / "fr"
    french.mkdir(parents=True)
    (tmp_path / "notebooks" / "00_start_here.ipynb").write_text("{}", encoding="utf-8")
    set_language("en")
    monkeypatch.setattr(i18n, "_session_language", None)  # a new kernel, in the French edition
    monkeypatch.setenv("TIKTOK_LAB_LANG", "en")
    monkeypatch.chdir(french)
    assert i18n.get_language() == "fr"
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    assert i18n.get_language() == "en"


def test_missing_translation_falls_back_to_english() -> None:
    load_strings("fr").pop("path.total")  # the cached table; cleared below
    try:
        assert t("path.total", language="fr") == "Total"
    finally:
        load_strings.cache_clear()


def test_unknown_placeholder_stays_visible_instead_of_crashing() -> None:
    assert "{minutes}" in t("path.total_minutes", language="en", other=1)
    assert t("no.such.key") == "no.such.key"


def test_numbers_and_dates_follow_the_language() -> None:
    assert format_number(1_590_000_000, language="en", compact=True, digits=2) == "1.59B"
    assert format_number(1_590_000_000, language="fr", compact=True, digits=2) == "1,59\xa0Md"
    assert format_number(1234.5, language="fr") == "1\u202f234,5"
    assert format_percent(5.69, language="en", digits=2) == "5.69%"
    assert format_date("2020-07-01", language="en", precision="month") == "July 2020"
    assert format_date("2020-07-01", language="fr", precision="month") == "juillet 2020"
    assert format_date("2021-09-27", language="fr") == "27 septembre 2021"
    assert format_date("2025-09-01", language="fr") == "1er septembre 2025"  # an ordinal
    assert format_date("2025-09-01", language="en") == "September 1, 2025"
    assert format_date("2024-01-01", language="en", precision="year") == "2024"


def test_localized_content_text_falls_back_to_english() -> None:
    from tiktok_lab.core.i18n import localized

    text = {"en": "Hello", "fr": "Bonjour"}
    assert localized(text, language="fr") == "Bonjour"
    assert localized({"en": "Hello"}, language="fr") == "Hello"
    assert localized("Plain", language="fr") == "Plain"
    set_language("fr")
    assert localized(text) == "Bonjour"


# --------------------------------------------------------------------------
# Issue 14, items 7 and 8: the settings document is read through a repaired model, and
# choosing a language never raises, even when the choice cannot be saved.


def _save_settings(data: dict) -> None:
    from tiktok_lab.work.store import get_store

    get_store().write("settings", data)


@pytest.mark.parametrize(("saved", "language"), [
    ("fr", "fr"), ("FR_be", "fr"), ("fr-LU ", "fr"), ("klingon", "en"), (7, "en"), (["fr"], "en"),
    ({"fr": True}, "en"), (None, "en"), (float("nan"), "en"), (True, "en"), ("", "en"),
    ("\ud800", "en"),
])
def test_a_saved_language_of_any_type_is_read_or_forgotten(saved, language) -> None:
    _save_settings({"language": saved, "theme": ["kept", {"as": "is"}]})
    assert i18n.get_language() == language
    assert settings.read_settings().language == (language if language == "fr" else None)
    assert t("path.total_minutes", minutes=3) in ("3 minutes in all", "3 minutes en tout")


def test_choosing_a_language_keeps_the_other_settings() -> None:
    _save_settings({"language": ["odd"], "theme": "dark"})
    set_language("fr")
    from tiktok_lab.work.store import get_store

    assert get_store().read("settings") == {"language": "fr", "theme": "dark"}


def test_a_language_saved_by_another_kernel_is_seen_at_once() -> None:
    """Settings are cached by file identity, size and time: two saves of the same
    size within a moment (``"fr"`` then ``"en"``) must both be seen."""
    for language in ("fr", "en", "fr", "en"):
        _save_settings({"language": language})
        assert i18n.get_language() == language
    from tiktok_lab.work.store import get_store

    get_store().path("settings").unlink()
    assert i18n.get_language() == "en"


@pytest.mark.parametrize("fault", FAULTS)
def test_choosing_a_language_that_cannot_be_saved_still_switches_this_notebook(fault,
                                                                              monkeypatch) -> None:
    with saves_refused(fault):
        message = set_language("fr")
    assert message.startswith("C'est fait pour ce notebook (langue\u00a0: français), mais ce "
                              "choix n'a pas pu être enregistré pour les suivants")
    assert_plain(message)
    assert i18n.get_language() == "fr" and t("path.total") == "Total"
    monkeypatch.setattr(i18n, "_session_language", None)  # a new kernel: nothing was saved
    assert i18n.get_language() == "en"


def test_the_language_buttons_answer_when_the_choice_cannot_be_saved() -> None:
    from tiktok_lab.ui.start import choose_language

    picker, message = choose_language().children
    with saves_refused("read_only"):
        picker.value = "fr"
    assert "le dossier est en lecture seule" in message.value


@pytest.mark.parametrize(("language", "count", "expected"), [
    ("fr", 1, "1 vidéo par semaine"), ("fr", 0, "0 vidéo par semaine"),
    ("fr", 2, "2 vidéos par semaine"), ("en", 1, "1 video a week"), ("en", 0, "0 videos a week"),
    ("en", 3, "3 videos a week")])
def test_counted_words_agree_with_the_count(language: str, count: int, expected: str) -> None:
    from tiktok_lab.core.i18n import format_text

    text = {"en": "{n, plural, one {# video} other {# videos}} a week",
            "fr": "{n, plural, one {# vidéo} other {# vidéos}} par semaine"}[language]
    assert format_text(text, {"n": count}, language=language) == expected


def test_no_data_text_writes_one_video_in_the_plural() -> None:
    """The strategy chart, the publishing rhythm and the feed's reasons count with plurals."""
    from tiktok_lab.lessons.publishing import load_publishing
    from tiktok_lab.lessons.strategy.plan import load_strategy_data

    chart = load_strategy_data().text("chart", "description", "fr", weeks=1, videos=1, budgets="40")
    assert chart.startswith("1 semaine\u00a0; 1 vidéo par semaine")
    rhythm = load_publishing().message("rhythm_ok", "fr", posts=1, total=4, weeks=4, source="x",
                                       median=2)
    assert rhythm.startswith("1 vidéo par semaine, 4 en 4 semaines")
    assert "1 videos" not in load_strategy_data().text("chart", "description", "en", weeks=4,
                                                       videos=1, budgets="40")
