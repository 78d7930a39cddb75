"""Notebook hygiene: committed clean, generated cells fresh, conventions kept.

(Executing every notebook is nbval's job: ``--nbval-lax`` in pyproject.toml.)
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tiktok_lab.course.syllabus import load_lessons
from tiktok_lab.kit.lesson_source import SUFFIX, lesson_notebook, read_source, source_paths
from tiktok_lab.kit.notebook_cells import MARKERS, render_generated_cells

ROOT = Path(__file__).resolve().parents[1]
# The sources maintainers edit, and the two editions built from them.
NOTEBOOKS = source_paths(ROOT)
IDS = [path.name for path in NOTEBOOKS]
EVERY_COPY = sorted([*NOTEBOOKS, *(ROOT / "notebooks").glob("**/*.ipynb"),
                     *(ROOT / "workshop" / "trainer").glob("**/*.ipynb")])
EVERY_ID = [str(path.relative_to(ROOT)) for path in EVERY_COPY]


def _read(path: Path) -> nbformat.NotebookNode:
    return read_source(path) if path.suffix == SUFFIX else nbformat.read(path, as_version=4)


def test_the_start_notebook_exists_in_every_edition() -> None:
    assert "00_start_here.md" in IDS
    assert (ROOT / "notebooks" / "00_start_here.ipynb").is_file()
    assert (ROOT / "workshop" / "trainer" / "00_start_here.ipynb").is_file()
    assert (ROOT / "notebooks" / "fr" / "00_start_here.ipynb").is_file()
    assert (ROOT / "workshop" / "trainer" / "fr" / "00_start_here.ipynb").is_file()


@pytest.mark.parametrize("path", EVERY_COPY, ids=EVERY_ID)
def test_committed_without_outputs(path: Path) -> None:
    notebook = _read(path)
    nbformat.validate(notebook)
    dirty = [i for i, cell in enumerate(notebook.cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_notebook_is_a_lesson(path: Path) -> None:
    assert path.stem in {lesson.id for lesson in load_lessons()}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_generated_cells_hold_only_their_marker_in_the_source(path: Path) -> None:
    """Titles, objectives and key points have one home, data/lessons/: never copied here."""
    for cell in _read(path).cells:
        text = cell.source.strip()
        if any(text.startswith(marker) for marker in MARKERS.values()):
            assert text in MARKERS.values(), f"{path.name}: a generated cell holds text:\n{text}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_lesson_conventions(path: Path) -> None:
    cells = lesson_notebook(path).cells  # as built: starters in
    sources = ["".join(cell.source) for cell in cells]
    assert sources[0].startswith(MARKERS["nav"]) and sources[-1].startswith(MARKERS["nav"])
    assert sources[1].startswith(MARKERS["header"])
    assert any(s.startswith(MARKERS["keypoints"]) for s in sources)
    code = [s for cell, s in zip(cells, sources) if cell.cell_type == "code"]
    assert code[0].startswith("import tiktok_lab as tl"), "the first code cell is the set-up cell"
    assert f'tl.start_lesson("{path.stem}")' in code[0]
    for source in code:
        assert not re.search(r"^\s*[%!]pip", source, flags=re.M), "no %pip in lessons"
        assert "import *" not in source
        assert len(source.splitlines()) <= 12, f"code cell too long for a lesson:\n{source}"
    for cell in cells:
        assert "slide_type" in cell.metadata.get("slideshow", {}), "every cell has slide metadata"


def test_the_build_renders_the_marked_cells() -> None:
    notebook = _read(NOTEBOOKS[0])
    notebook.cells[1].source = MARKERS["header"] + "\n# An old title"
    assert render_generated_cells(notebook, "00_start_here") is True
    assert "An old title" not in notebook.cells[1].source
    assert notebook.cells[1].source.startswith(MARKERS["header"] + "\n# 00 · ")
    assert "notebook-only" in notebook.cells[0].metadata["tags"]
    assert render_generated_cells(notebook, "00_start_here") is False
