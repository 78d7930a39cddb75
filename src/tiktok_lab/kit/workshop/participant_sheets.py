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

from tiktok_lab.core.content_types import ContentModel, LocalizedText
from tiktok_lab.core.datafiles import Source, data_dir, file_error, read_record
from tiktok_lab.course.syllabus import Lesson, load_lessons
from tiktok_lab.kit.workshop.paths import LEARNER_DIR, kit_folder, language_folder
from tiktok_lab.lessons.figures.sourced import with_figures

WIDTH = 78  # characters per printed line
# The start notebook of the edition in the sheet's language: notebooks/ or notebooks/fr/.
BINDER = "https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/{folder}/00_start_here.ipynb"
SHEETS_FILE = "participant_sheets.yaml"
GAP = "\u2003\u2003"  # em spaces: browsers keep them, so printed boxes stay apart
NBSP = "\u00a0"
WRITING_LINES = 2


# Every text is written {en: ..., fr: ...} and read in the language of the sheet.
class SetupSheet(ContentModel):
    title: LocalizedText
    intro: LocalizedText
    hub_heading: LocalizedText
    hub_text: LocalizedText
    binder_heading: LocalizedText
    binder_text: LocalizedText
    local_heading: LocalizedText
    local_text: LocalizedText
    # The command that installs and opens the course (the README's: make lab, make lab-fr).
    lab_command: LocalizedText
    windows_text: LocalizedText
    windows_commands: Annotated[tuple[LocalizedText, ...], Field(min_length=1)]
    first_steps_heading: LocalizedText
    first_steps: Annotated[tuple[LocalizedText, ...], Field(min_length=1)]


class SummarySheet(ContentModel):
    title: LocalizedText
    intro: LocalizedText | None = None  # one printed page has no line to spare
    # Per lesson, the key points (counted from 1) printed on the page.
    key_points: dict[str, Annotated[tuple[Annotated[StrictInt, Field(ge=1)], ...],
                                    Field(min_length=1, max_length=3)]]


class ScaleQuestion(ContentModel):
    kind: Literal["scale"]
    text: LocalizedText
    low: LocalizedText
    high: LocalizedText


class LessonsQuestion(ContentModel):
    kind: Literal["lessons"]
    text: LocalizedText
    column: LocalizedText  # the heading of the lessons' column


class ChoiceQuestion(ContentModel):
    kind: Literal["choice"]
    text: LocalizedText
    options: Annotated[tuple[LocalizedText, ...], Field(min_length=2)]


class OpenQuestion(ContentModel):
    kind: Literal["open"]
    text: LocalizedText


FeedbackQuestion = Annotated[
    Union[ScaleQuestion, LessonsQuestion, ChoiceQuestion, OpenQuestion],
    Field(discriminator="kind"),
]


class FeedbackSheet(ContentModel):
    title: LocalizedText
    intro: LocalizedText
    questions: Annotated[tuple[FeedbackQuestion, ...], Field(min_length=1)]


class Sheets(ContentModel):
    generated: LocalizedText
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
    """The Binder link that opens the start notebook of the current language's edition
    (``notebooks/00_start_here.ipynb``, French: ``notebooks/fr/00_start_here.ipynb``)."""
    return BINDER.format(slug=repository.removeprefix("https://github.com/"),
                         folder=language_folder(LEARNER_DIR))


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
                     sheet.lab_command]), "",
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
            lines += [f"| {question.column} | 1 | 2 | 3 | 4 | 5 |", "| --- | :-: | :-: | :-: | :-: | :-: |"]
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
    """``{"workshop/participants/<sheet>.md": page}`` (``workshop/fr/participants/`` in
    French)."""
    sheets, lessons = load_sheets(), load_lessons()
    folder = f"{kit_folder()}/participants"
    return {
        f"{folder}/setup.md": setup_markdown(sheets, repository_url(root)),
        f"{folder}/summary.md": summary_markdown(sheets, lessons),
        f"{folder}/feedback.md": feedback_markdown(sheets, lessons),
    }
