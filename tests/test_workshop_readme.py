"""The trainer's entry point stays true, in English and in French: doctor messages quoted as
printed, fixes as the doctor gives them, links that lead somewhere, and the French guide's
menus and buttons as the French room sees them."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tiktok_lab.core.i18n import load_strings

ROOT = Path(__file__).resolve().parents[1]
WORKSHOP = ROOT / "workshop"
LANGUAGES = ("en", "fr")
GUIDES = {"en": WORKSHOP / "README.md", "fr": WORKSHOP / "README.fr.md"}
# Where each language's generated pages (agendas, notes, participant sheets) and trainer
# notebooks are, under workshop/: the French kit has the English file names.
KIT = {"en": "", "fr": "fr/"}
TRAINER = {"en": "trainer/", "fr": "trainer/fr/"}
HEADINGS = {
    "en": ("## A week before", "## The day before", "## One hour before",
           "## Running the session", "## After the session", "## When things break"),
    "fr": ("## Une semaine avant", "## La veille", "## Une heure avant",
           "## Pendant la séance", "## Après la séance", "## En cas de panne"),
}
# The USB plan and the classroom hub, one page per language; each guide links to its own.
SERVER_PAGES = {"en": ("offline.md", "jupyterhub.md"), "fr": ("offline.fr.md", "jupyterhub.fr.md")}
# The course's class hub, one guide per language in its own folder; each guide links to its own.
HUB_PAGES = {"en": "hub/README.md", "fr": "hub/README.fr.md"}


def _guide(language: str) -> str:
    return GUIDES[language].read_text(encoding="utf-8")


def _same_spaces(text: str) -> str:
    """A no-break space (French typography) and a plain one are the same space here."""
    return text.replace("\u00a0", " ")


@cache
def _doctor_strings(language: str) -> dict[str, str]:
    strings = yaml.safe_load(
        (ROOT / f"src/tiktok_lab/data/strings/{language}.yaml").read_text("utf-8"))

    def flat(node, prefix=""):
        for key, value in node.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", _same_spaces(value)

    return dict(flat(strings["doctor"]))


def _names(language: str) -> set[str]:
    return {value for key, value in _doctor_strings(language).items() if key.endswith(".name")}


def _all_text(language: str) -> str:
    return "\n".join(_doctor_strings(language).values())


def _doctor_rows(language: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in _same_spaces(_guide(language)).splitlines():
        match = re.match(r"\| `([✗!]) ([^:`]+): ([^`]+)`[^|]*\| (.*) \|$", line)
        if match:
            rows.append((match.group(2), match.group(3), match.group(4)))
    return rows


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_doctor_check_has_a_row(language: str) -> None:
    assert {name for name, _, _ in _doctor_rows(language)} == _names(language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_quoted_doctor_messages_are_the_real_ones(language: str) -> None:
    templates = re.sub(r"\{\w+\}", "", _all_text(language))
    for name, detail, _ in _doctor_rows(language):
        assert name in _names(language)
        fragments = [part.strip() for part in detail.split("…")]
        for fragment in fragments:
            if fragment and not re.fullmatch(r"[\d.]+", fragment):
                assert fragment.strip("(); ") in templates, (name, fragment)


@pytest.mark.parametrize("language", LANGUAGES)
def test_fix_commands_are_the_ones_the_doctor_prints(language: str) -> None:
    for name, _, fix in _doctor_rows(language):
        for command in re.findall(r"`([^`]+)`", fix):
            if " " not in command or command.startswith("$env:"):  # the Windows form of the `export` the doctor prints
                continue
            # The French edition installs and opens with `make lab-fr`, the same install.
            command = command.replace("make lab-fr", "make lab")
            # The guide names the course's Python or command in .venv, per system.
            command = re.sub(r"^\.venv(?:/bin/|\\Scripts\\)", "", command)
            command = re.sub(r"^python -m pip ", "pip ", command)
            # The doctor names the package at its tested version (from the lock): the guide
            # writes "jupyterlab_widgets==…" where the doctor's text says {requirement}.
            command = re.sub(r"\S+==…", "{requirement}", command)
            assert command in _all_text(language), (name, command)


@pytest.mark.parametrize("language", LANGUAGES)
def test_links_lead_to_files_of_the_kit(language: str) -> None:
    guide, kit = _guide(language), KIT[language]
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", guide)
    assert links
    for link in links:
        assert (WORKSHOP / link).exists(), link
    for name in ("agendas/90-minutes.md", "agendas/half-day.md", "agendas/full-day.md",
                 "participants/setup.md", "participants/summary.md",
                 "participants/feedback.md", "schedule.md"):
        assert f"]({kit}{name})" in guide, kit + name
    for name in (*SERVER_PAGES[language], HUB_PAGES[language]):
        assert f"]({name})" in guide, name
    for path in sorted((WORKSHOP / "notes").glob("*.md")):
        assert f"]({kit}notes/{path.name})" in guide, path.name
    assert f"]({TRAINER[language]})" in guide


def test_the_french_guide_leads_to_the_french_kit_only() -> None:
    """Every page or notebook of the kit the French guide links to or names is French: a
    French room never lands on the English agendas, notes or notebooks."""
    guide = _guide("fr")
    for link in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", guide):
        if link in (*SERVER_PAGES["fr"], HUB_PAGES["fr"]) or link == "README.md":
            continue
        assert link.startswith(("fr/", "trainer/fr/")), link
    for path in re.findall(r"`((?:workshop|notebooks)/[^`\s]+)`", guide):
        if path.startswith("workshop/build/"):  # the slides' folder, one for both
            continue
        assert path.startswith(("workshop/fr/", "workshop/trainer/fr/", "notebooks/fr/")), path


def test_the_guides_point_to_each_other() -> None:
    assert "](README.fr.md)" in _guide("en").split("\n## ")[0]
    assert "](README.md)" in _guide("fr").split("\n## ")[0]
    for english, french in zip(*SERVER_PAGES.values(), strict=True):
        assert f"]({french})" in (WORKSHOP / english).read_text("utf-8").split("\n## ")[0]
        assert f"]({english})" in (WORKSHOP / french).read_text("utf-8").split("\n## ")[0]
    hub = {language: (WORKSHOP / page).read_text("utf-8").split("\n## ")[0]
           for language, page in HUB_PAGES.items()}
    assert "](README.fr.md)" in hub["en"] and "](README.md)" in hub["fr"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_guide_covers_preparation_running_reset_and_troubleshooting(language: str) -> None:
    guide = _guide(language)
    for heading in HEADINGS[language]:
        assert heading in guide
    assert "tiktok-lab reset" in guide and "tiktok-lab link --hub URL" in guide


def test_the_french_guide_has_the_english_one_s_structure() -> None:
    """Same number of sections, of table rows and of bullet points: a part left untranslated
    (or an English one added since) shows here."""
    def shape(text: str) -> dict[str, int]:
        lines = text.splitlines()
        return {"sections": sum(line.startswith("#") for line in lines),
                "table rows": sum(line.startswith("| ") for line in lines),
                "bullets": sum(line.lstrip().startswith("- ") for line in lines)}

    assert shape(_guide("fr")) == shape(_guide("en"))
    hub = {language: (WORKSHOP / page).read_text("utf-8") for language, page in HUB_PAGES.items()}
    assert shape(hub["fr"]) == shape(hub["en"])


def test_the_french_hub_guide_gives_the_english_one_s_commands() -> None:
    """The class hub's commands are not translated: the same code blocks, in the same order, so
    a command changed in English shows here until the French guide follows."""
    fenced = re.compile(r"^```[^\n]*\n.*?^```", flags=re.S | re.M)
    english, french = (fenced.findall((WORKSHOP / HUB_PAGES[language]).read_text("utf-8"))
                       for language in ("en", "fr"))
    assert english and french == english


# --- the French pages as the French room sees them -----------------------------------------

ENGLISH_PAGES = {ROOT / "README.fr.md": ROOT / "README.md", GUIDES["fr"]: GUIDES["en"],
                 WORKSHOP / HUB_PAGES["fr"]: WORKSHOP / HUB_PAGES["en"],
                 **{WORKSHOP / french: WORKSHOP / english
                    for english, french in zip(*SERVER_PAGES.values(), strict=True)}}
FRENCH_PAGES = tuple(ENGLISH_PAGES)
# Pages with no JupyterLab menu to name (the USB plan happens before JupyterLab opens).
NO_MENUS = {"offline.fr.md"}
# The one English menu path a French page may name: on Binder, JupyterLab starts in English.
BINDER_LANGUAGE_MENU = "Settings → Language → French (France)"
# The browser's own menu, not JupyterLab's.
BROWSER_MENUS = {"Imprimer → Enregistrer au format PDF"}


@cache
def _jupyterlab_french() -> tuple[set[str], set[str]]:
    """JupyterLab's French texts and their English originals, from the pinned language pack
    that ``tiktok-lab lab --lang fr`` turns on."""
    pack = resources.files("jupyterlab_language_pack_fr_FR") / "locale/fr_FR/LC_MESSAGES"
    messages = json.loads((pack / "jupyterlab.json").read_text(encoding="utf-8"))
    french = {value[0] for key, value in messages.items() if key and isinstance(value, list)}
    english = {key.split("\x04")[-1] for key in messages if key}
    return french, english


def _menu_paths(text: str) -> list[str]:
    return [path for path in re.findall(r"\*\*([^*\n]+ → [^*\n]+)\*\*", _same_spaces(text))]


@pytest.mark.parametrize("page", FRENCH_PAGES, ids=lambda path: str(path.relative_to(ROOT)))
def test_french_pages_name_jupyterlab_s_french_menus(page: Path) -> None:
    french, english = _jupyterlab_french()
    paths = _menu_paths(page.read_text(encoding="utf-8"))
    assert paths or page.name in NO_MENUS, page
    for path in paths:
        if path in BROWSER_MENUS:
            continue
        items = [item.strip() for item in path.split("→")]
        if path == BINDER_LANGUAGE_MENU:
            assert all(item in english for item in items[:2]), path
            continue
        for item in items:
            assert item in french, f"{page.name}: «{item}» is not a menu of JupyterLab in French"


def test_the_french_run_menu_is_the_language_pack_s() -> None:
    """The pack names the Run menu « Exécution » (menu context), not « Exécuter »."""
    pack = resources.files("jupyterlab_language_pack_fr_FR") / "locale/fr_FR/LC_MESSAGES"
    messages = json.loads((pack / "jupyterlab.json").read_text(encoding="utf-8"))
    assert messages["menu\x04Run"] == ["Exécution"]
    assert messages["menu\x04Kernel"] == ["Noyau"]


# The course's buttons a guide tells people to press: (strings key or data file, key).
BUTTONS = ("decision.check", "decision.hint_button", "work.prepare", "work.restore")


def _button_labels(language: str) -> list[str]:
    strings = load_strings(language)
    strategy = yaml.safe_load((ROOT / "src/tiktok_lab/data/strategy.yaml").read_text("utf-8"))

    def find(node):
        if isinstance(node, dict):
            if "prepare" in node and isinstance(node["prepare"], dict):
                return node["prepare"][language]
            for value in node.values():
                if (found := find(value)) is not None:
                    return found
        return None

    return [strings[key] for key in BUTTONS] + [find(strategy)]


@pytest.mark.parametrize("page", FRENCH_PAGES, ids=lambda path: str(path.relative_to(ROOT)))
def test_french_pages_name_the_buttons_as_the_french_widgets_label_them(page: Path) -> None:
    english_page = ENGLISH_PAGES[page].read_text(encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    for english, french in zip(_button_labels("en"), _button_labels("fr"), strict=True):
        assert f"**{english}**" not in text, english
        if f"**{english}**" in english_page:
            assert f"**{french}**" in text, (english, french)


def test_the_french_guide_quotes_the_french_messages() -> None:
    guide = _same_spaces(_guide("fr"))
    strings = {key: _same_spaces(value) for key, value in load_strings("fr").items()}
    assert f"« {strings['decision.pick_first']} »" in guide
    assert f"« {strings['exercise.status.not_attempted']} »" in guide
    assert f"« {strings['start.ready'].split(':')[0].strip()} »" in guide
    busy = strings["cli.port.busy"].split(" (")[0].format(port=8888)
    assert f"« {busy} »" in guide


# --- the USB plan and the classroom hub in French ---------------------------------------------

def _server_page(name: str) -> str:
    return (WORKSHOP / name).read_text(encoding="utf-8")


def _fenced(text: str) -> list[str]:
    return [line for block in re.findall(r"^ *```[^\n]*\n(.*?)^ *```", text, flags=re.S | re.M)
            for line in block.splitlines()]


@pytest.mark.parametrize("name", SERVER_PAGES["fr"])
def test_the_french_server_pages_send_participants_to_the_french_edition(name: str) -> None:
    """What a participant opens is the French edition: `lab` with --lang fr, the hub link on
    notebooks/fr/, lessons named by their French path."""
    text = _server_page(name)
    code = _fenced(text) + re.findall(r"`([^`\n]+)`", text)
    commands = re.findall(r"tiktok-lab (lab|link)( [^#`\n]*)", "\n".join(code))
    assert commands, name
    for command, options in commands:
        french = "--lang fr" if command == "lab" else "--notebook notebooks/fr/"
        assert french in options, f"tiktok-lab {command}{options}"
    # The one English notebook named is the link's default, said to be English.
    notebooks = set(re.findall(r"notebooks/[\w/]+\.ipynb", text)) - {"notebooks/00_start_here.ipynb"}
    assert notebooks and all(path.startswith("notebooks/fr/") for path in notebooks), notebooks


def _template(text: str) -> re.Pattern[str]:
    """A French message of the CLI with each {placeholder} free (the page writes … there)."""
    parts = re.split(r"\{\w+\}", _same_spaces(text))
    return re.compile(".*".join(re.escape(part) for part in parts))


def test_the_usb_page_quotes_the_kit_builder_as_it_speaks_french() -> None:
    """The build's progress lines and the installers' messages, as `tiktok-lab build usb` prints
    them in French (TIKTOK_LAB_LANG=fr): a message reworded in fr.yaml shows here."""
    strings = load_strings("fr")
    steps = [_template(value) for key, value in strings.items() if key.startswith("usb_kit.step.")]
    text = _same_spaces(_server_page("offline.fr.md"))
    progress = [line for line in _fenced(text) if re.match(r"\[\d+/\d+\]", line)]
    assert len(progress) == 4
    for line in progress:
        assert any(step.fullmatch(line) for step in steps), line
    ready = _same_spaces(strings["usb_kit.cli.ready"]).split(". ")[0]
    assert any(_template(ready).match(line) for line in _fenced(text)), ready
    messages = "\n".join(_same_spaces(value) for key, value in strings.items()
                         if key.startswith("usb_kit."))
    quoted = re.findall(r"« ([^»]+) »", text)
    sections = _same_spaces((ROOT / "docs/architecture.md").read_text("utf-8"))
    assert len(quoted) >= 3
    for quote in quoted:
        assert quote in messages or f"## {quote}\n" in sections, quote


def test_the_hub_page_gives_the_french_link_as_the_command_prints_it() -> None:
    from tiktok_lab.kit.hub_link import build_link

    text = _server_page("jupyterhub.fr.md")
    link = build_link("https://hub.example.org", notebook="notebooks/fr/00_start_here.ipynb")
    assert f"\n{link.url}\n" in text
