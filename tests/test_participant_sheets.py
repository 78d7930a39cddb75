"""Participant sheets: links and commands that really work, generated content, printable."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tiktok_lab.core.i18n import speaking
from tiktok_lab.course.syllabus import load_lessons
from tiktok_lab.kit.workshop.participant_sheets import WIDTH, load_sheets, participant_pages
from tiktok_lab.lessons.figures.sourced import with_figures

ROOT = Path(__file__).resolve().parents[1]
PAGES = participant_pages(ROOT)
with speaking("fr"):  # the French sheets: workshop/fr/participants/
    PAGES.update(participant_pages(ROOT))
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAX_PRINTED_LINES = 75  # one A4 page of Markdown printed from a browser
LANGUAGES = ["en", "fr"]


def _page(name: str, language: str = "en") -> str:
    kit = "workshop" if language == "en" else f"workshop/{language}"
    return PAGES[f"{kit}/participants/{name}.md"]


def _code_lines(text: str) -> list[str]:
    blocks = re.findall(r"```\n(.*?)```", text, flags=re.S)
    return [line for block in blocks for line in block.splitlines()]


def test_setup_sheet_binder_link_is_the_readmes_badge() -> None:
    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    badge = re.search(r"\((https://mybinder\.org/v2/gh/[^)\s]+00_start_here\.ipynb)\)", README)
    assert badge, "README's Binder badge"
    assert badge.group(1) in _page("setup")
    assert f"git clone {repository}" in _page("setup")


def test_the_french_setup_sheet_opens_the_french_edition() -> None:
    english, french = _page("setup"), _page("setup", "fr")
    badge = re.search(r"\((https://mybinder\.org/v2/gh/[^)\s]+/notebooks/fr/00_start_here\.ipynb)\)",
                      README)
    assert badge, "README's Binder badge of the French course"
    binder = badge.group(1)
    assert binder in french and binder not in english
    assert (ROOT / "notebooks" / "fr" / "00_start_here.ipynb").is_file()
    assert english.count("git clone") == french.count("git clone") == 1
    for command in ("make lab-fr", ".venv\\Scripts\\tiktok-lab lab --lang fr"):
        assert command in _code_lines(french)


def _readme_commands(language: str) -> set[str]:
    """The commands the README shows: its code blocks; for the French edition also those of
    README.fr.md and the commands quoted in the text (`make lab-fr`)."""
    if language == "en":
        return set(_code_lines(README))
    readmes = [README] + [path.read_text(encoding="utf-8")
                          for path in [ROOT / "README.fr.md"] if path.is_file()]
    return {line for text in readmes
            for line in _code_lines(text) + re.findall(r"(?<!`)`([^`\n]+)`(?!`)", text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_setup_sheet_commands_are_the_readmes(language: str) -> None:
    readme_commands = _readme_commands(language)
    commands = [line for line in _code_lines(_page("setup", language))
                if not line.startswith(("https://", "git clone", "cd "))]
    assert {"en": "make lab", "fr": "make lab-fr"}[language] in commands
    assert set(commands) <= readme_commands, set(commands) - readme_commands


@pytest.mark.parametrize("language, says", [("en", "Your trainer gives you this link"),
                                             ("fr", "vous donne ce lien")])
def test_setup_sheet_explains_the_hub_link_without_inventing_one(language: str, says: str) -> None:
    page = " ".join(_page("setup", language).split())
    assert says in page
    assert not re.search(r"https://[a-z0-9-]+\.[a-z]", page.split("## B.")[0])


@pytest.mark.parametrize("language", LANGUAGES)
def test_summary_is_built_from_the_lessons_key_points(language: str) -> None:
    with speaking(language):
        sheets, lessons = load_sheets(), load_lessons()
        page = " ".join(_page("summary", language).split())
        assert " ".join(f"# {sheets.summary.title}".split()) in page
        for lesson in lessons:
            assert " ".join(f"**{lesson.number:02d} {lesson.title}**".split()) in page
            for number in sheets.summary.key_points[lesson.id]:
                assert " ".join(with_figures(lesson.key_points[number - 1]).split()) in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_feedback_form_asks_every_question_of_the_data_and_rates_every_lesson(language) -> None:
    page = _page("feedback", language)
    with speaking(language):
        questions, lessons = load_sheets().feedback.questions, load_lessons()
    for number, question in enumerate(questions, start=1):
        assert f"**{number}. " in page
        assert " ".join(question.text.split()) in " ".join(page.split())
    for lesson in lessons:
        assert f"| {lesson.number:02d} {lesson.title} | ☐ | ☐ | ☐ | ☐ | ☐ |" in page
    assert ("| Leçon | 1 |" if language == "fr" else "| Lesson | 1 |") in page


def test_every_text_of_the_sheets_is_french_in_the_french_sheets() -> None:
    """Each text of data/participant_sheets.yaml is {en, fr}, and the French differs, but for
    the commands, which are the same in both (the README's)."""
    english = load_sheets().model_dump()
    with speaking("fr"):
        french = load_sheets().model_dump()

    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from texts(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from texts(item)

    commands = {*english["setup"]["windows_commands"]}
    same = [(en, fr) for en, fr in zip(texts(english), texts(french))
            if en == fr and en not in commands and en not in {"lessons", "scale", "choice", "open"}]
    assert same == []
    assert not [fr for fr in texts(french) if re.search(r"\w [:;!?]", fr)]  # no-break spaces


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["setup", "summary", "feedback"])
def test_sheets_are_printable(name: str, language: str) -> None:
    lines = _page(name, language).splitlines()
    assert len(lines) <= MAX_PRINTED_LINES, f"{name}: {len(lines)} lines will not fit a page"
    for line in lines:
        if line.startswith(("https://", "|")):
            continue  # a link cannot be cut; table rows are short cells
        assert len(line) <= WIDTH, line
