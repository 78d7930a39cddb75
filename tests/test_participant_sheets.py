"""Participant sheets: links and commands that really work, generated content, printable."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tiktok_lab.course.syllabus import load_lessons
from tiktok_lab.kit.workshop.participant_sheets import WIDTH, load_sheets, participant_pages
from tiktok_lab.lessons.figures.sourced import with_figures

ROOT = Path(__file__).resolve().parents[1]
PAGES = participant_pages(ROOT)
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAX_PRINTED_LINES = 75  # one A4 page of Markdown printed from a browser


def _page(name: str) -> str:
    return PAGES[f"workshop/participants/{name}.md"]


def _code_lines(text: str) -> list[str]:
    blocks = re.findall(r"```\n(.*?)```", text, flags=re.S)
    return [line for block in blocks for line in block.splitlines()]


def test_setup_sheet_binder_link_is_the_readmes_badge() -> None:
    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    badge = re.search(r"\((https://mybinder\.org/v2/gh/[^)\s]+00_start_here\.ipynb)\)", README)
    assert badge, "README's Binder badge"
    assert badge.group(1) in _page("setup")
    assert f"git clone {repository}" in _page("setup")


def test_setup_sheet_commands_are_the_readmes() -> None:
    readme_commands = set(_code_lines(README))
    commands = [line for line in _code_lines(_page("setup"))
                if not line.startswith(("https://", "git clone", "cd "))]
    assert "make lab" in commands
    assert set(commands) <= readme_commands, set(commands) - readme_commands


def test_setup_sheet_explains_the_hub_link_without_inventing_one() -> None:
    page = _page("setup")
    assert "Your trainer gives you this link" in page
    assert not re.search(r"https://[a-z0-9-]+\.[a-z]", page.split("## B.")[0])


def test_summary_is_built_from_the_lessons_key_points() -> None:
    sheets, page = load_sheets(), " ".join(_page("summary").split())
    for lesson in load_lessons():
        assert f"**{lesson.number:02d} {lesson.title}**" in page
        for number in sheets.summary.key_points[lesson.id]:
            assert " ".join(with_figures(lesson.key_points[number - 1]).split()) in page


def test_feedback_form_asks_every_question_of_the_data_and_rates_every_lesson() -> None:
    page = _page("feedback")
    questions = load_sheets().feedback.questions
    for number, question in enumerate(questions, start=1):
        assert f"**{number}. " in page
        assert " ".join(question.text.split()) in " ".join(page.split())
    for lesson in load_lessons():
        assert f"| {lesson.number:02d} {lesson.title} | ☐ | ☐ | ☐ | ☐ | ☐ |" in page


@pytest.mark.parametrize("name", ["setup", "summary", "feedback"])
def test_sheets_are_printable(name: str) -> None:
    lines = _page(name).splitlines()
    assert len(lines) <= MAX_PRINTED_LINES, f"{name}: {len(lines)} lines will not fit a page"
    for line in lines:
        if line.startswith(("https://", "|")):
            continue  # a link cannot be cut; table rows are short cells
        assert len(line) <= WIDTH, line
