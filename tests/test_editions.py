"""Learner and trainer editions: built from the source, in sync, and apart where they must be."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tiktok_lab.cli.main import main
from tiktok_lab.course.exercises import load_exercise_rows, number_exercises
from tiktok_lab.kit.lesson_source import EXERCISE
from tiktok_lab.kit.editions import (BANNER_ID, TRAINER_NOTE, exercise_id, learner_edition,
                                 trainer_edition)
from tiktok_lab.kit.lesson_source import (lesson_notebook, placed_exercise_id, read_source,
                                          source_paths, write_source)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = source_paths(ROOT)
SOURCE_IDS = [path.name for path in SOURCES]


def _source() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    note = nbformat.v4.new_markdown_cell("Ask the room.\nExpected: humour.", id="note")
    note.metadata["tags"] = [TRAINER_NOTE]
    starter = nbformat.v4.new_code_cell("answer = ____\nq1.check()", id="ex")
    starter.metadata.update(tags=[EXERCISE], tiktok_lab={"exercise": "first"})
    notebook.cells = [nbformat.v4.new_markdown_cell("nav", id="nav"), note, starter]
    return notebook


def _code(lesson_id: str, ex_id: str) -> tuple[str, str]:
    assert (lesson_id, ex_id) == ("01_platform", "first")
    return "answer = ____", "answer = 42"


def test_learner_edition_drops_trainer_notes_and_keeps_starters() -> None:
    cells = learner_edition(_source())["cells"]
    assert [cell["id"] for cell in cells] == ["nav", "ex"]
    assert "____" in cells[1]["source"]


def test_trainer_edition_shows_notes_fills_solutions_and_warns() -> None:
    cells = trainer_edition(_source(), "01_platform", _code)["cells"]
    assert [cell["id"] for cell in cells] == ["nav", BANNER_ID, "note", "ex"]
    assert cells[2]["source"].startswith("> **Trainer note**")
    assert "> Expected: humour." in cells[2]["source"]
    assert cells[2]["metadata"]["slideshow"]["slide_type"] == "notes"
    assert cells[3]["source"] == "answer = 42\nq1.check()"
    assert "Trainer edition" in cells[1]["source"]


def test_a_source_cell_that_lost_its_starter_fails_the_build() -> None:
    source = _source()
    source.cells[2].source = "answer = 41\nq1.check()"
    with pytest.raises(ValueError, match="first"):
        trainer_edition(source, "01_platform", _code)


def test_exercise_cells_are_recognised_by_tag_and_id() -> None:
    cells = _source().cells
    assert [exercise_id(cell) for cell in cells] == [None, None, "first"]


def test_committed_editions_are_in_sync_with_the_sources(capsys) -> None:
    assert main(["build", "all", "--check"]) == 0, capsys.readouterr().out


def _text(path: Path) -> str:
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_learners_never_get_trainer_notes_or_solutions(source: Path) -> None:
    from tiktok_lab.kit.editions import default_exercise_code

    learner = _text(ROOT / "notebooks" / f"{source.stem}.ipynb")
    trainer = _text(ROOT / "workshop" / "trainer" / f"{source.stem}.ipynb")
    notebook = lesson_notebook(source)
    for cell in notebook.cells:
        if TRAINER_NOTE in cell.metadata.get("tags", []):
            first_line = cell.source.strip().splitlines()[0]
            assert first_line not in learner and first_line in trainer
        ex_id = exercise_id(cell)
        if ex_id:
            _, solution = default_exercise_code(source.stem, ex_id)
            line = solution.strip().splitlines()[-1]
            assert line not in learner and line in trainer


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_a_source_reads_and_writes_back_unchanged(source: Path, tmp_path: Path) -> None:
    """Cell ids, tags, slide types and exercise ids survive MyST: the diff a reviewer reads
    is the whole change."""
    notebook = read_source(source)
    assert all(cell.get("id") for cell in notebook.cells)
    copy = tmp_path / source.name
    write_source(notebook, copy)
    assert copy.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_starters_and_exercise_numbers_come_from_the_exercise_data(source: Path) -> None:
    """Each exercise cell (a code exercise's check cell, a decision's card) names its exercise
    once; the starter (``____``) is never typed here, nor is "Exercise N": the cells follow the
    order of data/exercises/<lesson>.yaml."""
    rows = load_exercise_rows(source.stem)
    cells = read_source(source).cells
    placed = [placed_exercise_id(cell) for cell in cells if placed_exercise_id(cell)]
    assert placed == [row.id for row in rows]
    code = {row.id for row in rows if row.kind not in ("decision", "open")}
    assert [exercise_id(cell) for cell in cells if exercise_id(cell)] == [
        ex_id for ex_id in placed if ex_id in code], "a decision's or open answer's card takes no starter"
    for cell in cells:
        tags = cell.metadata.get("tags", []) if cell.cell_type == "code" else []
        for kind in ("decision", "open"):
            if kind in tags:
                row = next(row for row in rows if row.id == placed_exercise_id(cell))
                assert row.kind == kind, f"{cell.id}: tagged {kind}, but {row.id} is {row.kind}"
    for cell in cells:
        if cell.cell_type == "code":
            assert "____" not in cell.source, f"{cell.id}: starter code belongs in the exercise data"
        else:
            assert not re.search(r"\bExercises? \d", cell.source), (
                f"{cell.id}: write {{exercise}}`<id>`, not the number")


def test_exercise_numbers_follow_the_file_order() -> None:
    """The number is the row's place in the data file (read here, not typed: an author who
    adds an exercise to lesson 05 must not have to edit this test)."""
    ids = [row.id for row in load_exercise_rows("05_tips")]
    last, first = ids[-1], ids[0]
    assert (number_exercises(f"## {{exercise}}`{last}`: a rule; see {{exercise}}`{first}`",
                             "05_tips") == f"## Exercise {len(ids)}: a rule; see Exercise 1")
    with pytest.raises(Exception, match="no-such"):
        number_exercises("{exercise}`no-such`", "05_tips")


def test_no_exercise_number_is_typed_in_the_lesson_or_trainer_notes_files() -> None:
    """Adding an exercise renumbers headings, notes, agendas in one build: nothing to retype."""
    from tiktok_lab.core.datafiles import data_dir

    for folder in ("lessons", "trainer_notes"):
        for entry in (data_dir() / folder).iterdir():
            typed = re.findall(r".*\bExercises? \d.*", entry.read_text(encoding="utf-8"))
            assert not typed, f"data/{folder}/{entry.name}: write {{exercise}}`<id>`: {typed}"


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_trainer_guidance_is_written_once(source: Path) -> None:
    """Say, show, the questions to the room with their expected answers, and the common mistakes
    live in data/trainer_notes/; the cuts when late in data/lessons/ (cut_if_late). A trainer-note
    cell names its segment (rendered from the notes file) and adds only the rest."""
    from tiktok_lab.course.syllabus import load_lesson
    from tiktok_lab.kit.lesson_source import SEGMENT, note_segment
    from tiktok_lab.kit.workshop.trainer_notes import read_notes

    notes = read_notes(load_lesson(source.stem))
    named = []
    for cell in read_source(source).cells:
        if TRAINER_NOTE not in cell.metadata.get("tags", []):
            continue
        text = SEGMENT.sub("", cell.source)
        for label in ("Expected answer", "Expected mistake", "Common mistake", "Common misreading",
                      "If late"):
            assert label not in text, f"{cell.id}: {label!r} belongs in the notes or lesson file"
        for question in notes.questions:
            assert question.question.rstrip("?") not in text, f"{cell.id}: {question.question}"
        for mistake in notes.mistakes:
            assert mistake.fix not in text, f"{cell.id}: {mistake.fix}"
        if note_segment(cell):
            named.append(note_segment(cell))
    assert len(named) == len(set(named)), f"each segment is shown once: {named}"


def test_a_trainer_note_naming_no_known_segment_fails_the_build(tmp_path: Path) -> None:
    notebook = read_source(SOURCES[0])
    note = next(cell for cell in notebook.cells if TRAINER_NOTE in cell.metadata.get("tags", []))
    note.source = "<!-- tiktok-lab:segment No such segment -->\nSay hello."
    copy = tmp_path / SOURCES[0].name
    write_source(notebook, copy)
    with pytest.raises(ValueError, match="No such segment"):
        lesson_notebook(copy)


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_every_segment_of_the_notes_is_in_the_trainer_edition_exactly_once(source: Path) -> None:
    """A segment without its marker cell never reaches the trainer's notebook."""
    from tiktok_lab.kit.editions import _as_callout
    from tiktok_lab.kit.workshop.trainer_notes import lesson_segment_notes

    cells = nbformat.read(ROOT / "workshop" / "trainer" / f"{source.stem}.ipynb", as_version=4).cells
    notes = [cell.source for cell in cells if TRAINER_NOTE in cell.metadata.get("tags", [])]
    for title, note in lesson_segment_notes(source.stem).items():
        shown = [text for text in notes if text.startswith(_as_callout(note))]
        assert len(shown) == 1, f"{source.stem}: segment {title!r} is shown {len(shown)} times"


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_a_segment_with_exercises_comes_before_them(source: Path) -> None:
    """The note introducing the exercises is read before the room starts them, not after."""
    from tiktok_lab.kit.lesson_source import note_segment
    from tiktok_lab.kit.workshop.trainer_notes import lesson_segments

    cells = read_source(source).cells
    where = {note_segment(cell): n for n, cell in enumerate(cells) if note_segment(cell)}
    for title, segment in lesson_segments(source.stem).items():
        for ex_id in segment.exercises:
            first = min(n for n, cell in enumerate(cells) if placed_exercise_id(cell) == ex_id)
            assert where[title] < first, f"{source.stem}: {title!r} comes after {ex_id}"
