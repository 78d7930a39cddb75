"""The printed sheets for participants: set-up, one-page summary, feedback form.

They are handed out on paper in a room where the Wi-Fi may be down, so they
are built from the data they describe and never copied by hand: the Binder
link comes from the repository named in ``pyproject.toml`` (like the
README's badges), the summary from the lessons' key points, the feedback form
from questions kept as data. Lines are wrapped short so each sheet prints on
one page. ``tiktok-lab build workshop`` writes ``workshop/participants/``.
"""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import Field, StrictInt, model_validator

from tiktok_lab.core.content_types import ContentModel
from tiktok_lab.core.datafiles import Source, data_dir, file_error, read_record
from tiktok_lab.course.syllabus import Lesson, load_lessons
from tiktok_lab.lessons.figures.sourced import with_figures
from tiktok_lab.core.schemas import Text

WIDTH = 78  # characters per printed line
BINDER = "https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb"
SHEETS_FILE = "participant_sheets.yaml"
GAP = "\u2003\u2003"  # em spaces: browsers keep them, so printed boxes stay apart
NBSP = "\u00a0"
WRITING_LINES = 2


class SetupSheet(ContentModel):
    title: Text
    intro: Text
    hub_heading: Text
    hub_text: Text
    binder_heading: Text
    binder_text: Text
    local_heading: Text
    local_text: Text
    windows_text: Text
    windows_commands: Annotated[tuple[Text, ...], Field(min_length=1)]
    first_steps_heading: Text
    first_steps: Annotated[tuple[Text, ...], Field(min_length=1)]


class SummarySheet(ContentModel):
    title: Text
    intro: Text | None = None  # one printed page has no line to spare
    # Per lesson, the key points (counted from 1) printed on the page.
    key_points: dict[str, Annotated[tuple[Annotated[StrictInt, Field(ge=1)], ...],
                                    Field(min_length=1, max_length=3)]]


class ScaleQuestion(ContentModel):
    kind: Literal["scale"]
    text: Text
    low: Text
    high: Text


class LessonsQuestion(ContentModel):
    kind: Literal["lessons"]
    text: Text


class ChoiceQuestion(ContentModel):
    kind: Literal["choice"]
    text: Text
    options: Annotated[tuple[Text, ...], Field(min_length=2)]


class OpenQuestion(ContentModel):
    kind: Literal["open"]
    text: Text


FeedbackQuestion = Annotated[
    Union[ScaleQuestion, LessonsQuestion, ChoiceQuestion, OpenQuestion],
    Field(discriminator="kind"),
]


class FeedbackSheet(ContentModel):
    title: Text
    intro: Text
    questions: Annotated[tuple[FeedbackQuestion, ...], Field(min_length=1)]


class Sheets(ContentModel):
    generated: Text
    setup: SetupSheet
    summary: SummarySheet
    feedback: FeedbackSheet

    @model_validator(mode="after")
    def _one_lessons_table(self) -> "Sheets":
        if sum(q.kind == "lessons" for q in self.feedback.questions) > 1:
            raise ValueError("feedback can ask about the lessons only once")
        return self


def load_sheets(source: Source | None = None) -> Sheets:
    return read_record(source or data_dir() / SHEETS_FILE, "sheets", Sheets)


def repository_url(root: Path) -> str:
    """The project's repository, from ``[project.urls]`` like the README's badges."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        return project["project"]["urls"]["Repository"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        raise file_error("pyproject.toml", f"has no [project.urls] Repository ({error})",
                         field="Repository") from None


def binder_url(repository: str) -> str:
    return BINDER.format(slug=repository.removeprefix("https://github.com/"))


def _wrap(text: str, prefix: str = "") -> list[str]:
    """A paragraph cut into short printed lines (Markdown joins them back on screen)."""
    return textwrap.wrap(text, WIDTH, initial_indent=prefix,
                         subsequent_indent=" " * len(prefix), break_on_hyphens=False,
                         break_long_words=False)


def _code(lines: list[str] | tuple[str, ...]) -> list[str]:
    return ["```", *lines, "```"]


def setup_markdown(sheets: Sheets, repository: str) -> str:
    sheet = sheets.setup
    lines = [f"# {sheet.title}", "", *_wrap(sheet.intro), "",
             f"## {sheet.hub_heading}", "", *_wrap(sheet.hub_text), "",
             "`https://" + "_" * 50 + "`", "",
             f"## {sheet.binder_heading}", "", *_wrap(sheet.binder_text), "",
             *_code([binder_url(repository)]), "",
             f"## {sheet.local_heading}", "", *_wrap(sheet.local_text), "",
             *_code([f"git clone {repository}", f"cd {repository.rstrip('/').rsplit('/', 1)[-1]}",
                     "make lab"]), "",
             *_wrap(sheet.windows_text), "", *_code(sheet.windows_commands), "",
             f"## {sheet.first_steps_heading}", ""]
    for step in sheet.first_steps:
        lines += _wrap(step, "- ")
    return _page(lines, sheets)


def summary_markdown(sheets: Sheets, lessons: list[Lesson]) -> str:
    sheet = sheets.summary
    unknown = sorted(set(sheet.key_points) - {lesson.id for lesson in lessons})
    if unknown:
        raise file_error(SHEETS_FILE, f'names "{unknown[0]}", which is not a lesson',
                         field="summary", item=" (key_points)")
    lines = [f"# {sheet.title}"] + (["", *_wrap(sheet.intro)] if sheet.intro else [])
    for lesson in lessons:
        chosen = sheet.key_points.get(lesson.id)
        if chosen is None:
            raise file_error(SHEETS_FILE, f'does not choose the key points of "{lesson.id}"; '
                                          f'add "{lesson.id}: [1, 2]"',
                             field="summary", item=" (key_points)")
        beyond = [n for n in chosen if n > len(lesson.key_points)]
        if beyond:
            raise file_error(SHEETS_FILE, f'asks for key point {beyond[0]} of "{lesson.id}", '
                                          f"which has {len(lesson.key_points)}",
                             field="summary", item=" (key_points)")
        lines += ["", f"**{lesson.number:02d} {lesson.title}**", ""]
        for number in chosen:
            lines += _wrap(with_figures(lesson.key_points[number - 1]), "- ")
    return _page(lines, sheets)


def feedback_markdown(sheets: Sheets, lessons: list[Lesson]) -> str:
    sheet = sheets.feedback
    box = "☐"
    lines = [f"# {sheet.title}", "", *_wrap(sheet.intro)]
    for number, question in enumerate(sheet.questions, start=1):
        lines += ["", *_wrap(f"**{number}. {question.text}**"), ""]
        if isinstance(question, ScaleQuestion):
            boxes = GAP.join(f"{box} {n}" for n in range(1, 6))
            lines.append(f"{question.low}{GAP}{boxes}{GAP}{question.high}")
        elif isinstance(question, LessonsQuestion):
            lines += ["| Lesson | 1 | 2 | 3 | 4 | 5 |", "| --- | :-: | :-: | :-: | :-: | :-: |"]
            lines += [f"| {lesson.number:02d} {lesson.title} |" + f" {box} |" * 5
                      for lesson in lessons]
        elif isinstance(question, ChoiceQuestion):
            lines.append(GAP.join(f"{box} {option}" for option in question.options))
        else:
            # Room to write: an empty paragraph above each rule keeps the lines apart on paper.
            for _ in range(WRITING_LINES):
                lines += [NBSP, "", "_" * WIDTH, ""]
            lines.pop()
    return _page(lines, sheets)


def _page(lines: list[str], sheets: Sheets) -> str:
    """The sheet, with the maintainer's note as a comment: it is not printed."""
    return "\n".join(["<!--", *_wrap(sheets.generated), "-->", "", *lines]) + "\n"


def participant_pages(root: Path) -> dict[str, str]:
    """``{"workshop/participants/<sheet>.md": page}``."""
    sheets, lessons = load_sheets(), load_lessons()
    folder = "workshop/participants"
    return {
        f"{folder}/setup.md": setup_markdown(sheets, repository_url(root)),
        f"{folder}/summary.md": summary_markdown(sheets, lessons),
        f"{folder}/feedback.md": feedback_markdown(sheets, lessons),
    }
