"""The lesson sources: MyST Markdown notebooks, one folder per language.

``source/<language>/<lesson>.md`` (jupytext's ``myst`` format) is the one file
a maintainer edits for a lesson's prose and cells; ``source/en/`` is the
course, and a translated edition is the same file names in another folder
(``source/fr/…``), so "the same lesson in another language" is a file with
the same name. A cell's metadata is the JSON after ``+++`` (Markdown) or the
YAML between ``---`` lines (code): slide type, ``tags`` (``trainer-note``,
``notebook-only``, ``exercise``, ``decision``, ``open``), ``tiktok_lab.exercise`` and the cell ``id``
(jupytext has no place for ids, so they travel in the metadata and are put
back here).

What a source does not hold, the build renders in (:func:`lesson_notebook`):

- cells that are only ``<!-- tiktok-lab:nav -->``, ``…:header -->`` or
  ``…:keypoints -->`` get their text from ``data/lessons/<id>.yaml``;
- an ``exercise`` cell holds the lines after the starter (``q1.check()``); the
  starter code itself lives in ``data/exercises/<id>.yaml`` and is put first;
  a ``decision`` cell is the card of a decision exercise (``q1 = tl.exercise(...)``),
  answered in the card: no starter, no check cell; an ``open`` cell is the card of an
  open answer, the same way;
- ``{exercise}`<id>``` anywhere in a Markdown cell becomes "Exercise N", N
  being the exercise's position in ``data/exercises/<id>.yaml``, so adding an
  exercise renumbers every heading and note in one build;
- a ``trainer-note`` cell that starts with ``<!-- tiktok-lab:segment <title> -->``
  shows that segment of ``data/trainer_notes/<id>.yaml`` (say, show, questions to
  the room and their expected answers); its own lines add only what the notes
  file does not hold.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Mapping

SOURCE_DIR = "source"
LANGUAGE = "en"
SUFFIX = ".md"
FORMAT = "myst"
EXERCISE = "exercise"
DECISION = "decision"
OPEN = "open"
TRAINER_NOTE = "trainer-note"
# The notebook metadata every built lesson carries; the lesson id is the file name.
LANGUAGE_INFO = {"name": "python"}

# (lesson_id, exercise_id) -> starter code
StarterCode = Callable[[str, str], str]


def source_folder(root: Path, language: str = LANGUAGE) -> Path:
    return root / SOURCE_DIR / language


def source_paths(root: Path, language: str = LANGUAGE) -> list[Path]:
    """The lessons of one language, in course order (file names start with the number)."""
    return sorted(source_folder(root, language).glob(f"*{SUFFIX}"))


def languages(root: Path) -> list[str]:
    """The languages with a source folder, ``en`` first."""
    folder = root / SOURCE_DIR
    found = sorted(path.name for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []
    return sorted(found, key=lambda name: name != LANGUAGE)


def _jupytext():
    try:
        import jupytext
    except ModuleNotFoundError as error:  # a learner's install; building is a maintainer's job
        raise ModuleNotFoundError(
            "Building the notebooks from source/ needs jupytext, a maintainer's tool: "
            'install it with pip install -c requirements/lock.txt -e ".[test]"',
            name="jupytext") from error
    return jupytext


def read_source(path: Path):
    """One MyST source as an nbformat notebook, cell ids and lesson metadata restored."""
    jupytext = _jupytext()

    notebook = jupytext.read(path, fmt=FORMAT)
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["language_info"] = dict(LANGUAGE_INFO)
    notebook.metadata["tiktok_lab"] = {"lesson": path.stem}
    for cell in notebook.cells:
        cell_id = cell.metadata.pop("id", None)
        if cell_id:
            cell["id"] = cell_id
    return notebook


def write_source(notebook, path: Path) -> None:
    """Write ``notebook`` as a MyST source (ids into the metadata; lesson metadata left out)."""
    import copy

    jupytext = _jupytext()
    notebook = copy.deepcopy(notebook)
    for key in ("language_info", "tiktok_lab"):
        notebook.metadata.pop(key, None)
    for cell in notebook.cells:
        cell_id = cell.pop("id", None)
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
        if cell_id:
            cell["metadata"] = {"id": cell_id, **cell.get("metadata", {})}
    path.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, path, fmt=FORMAT)


def exercise_id(cell: dict) -> str | None:
    """The exercise a code cell belongs to, if it is an exercise cell."""
    metadata = cell.get("metadata", {})
    if cell.get("cell_type") != "code" or EXERCISE not in metadata.get("tags", []):
        return None
    return metadata.get("tiktok_lab", {}).get(EXERCISE)


def placed_exercise_id(cell: dict) -> str | None:
    """The exercise a code cell places in the lesson: the check cell of a code exercise
    (tag ``exercise``), the card of a decision exercise (tag ``decision``) or of an open
    answer (tag ``open``). These cells follow the order of ``data/exercises/<lesson>.yaml``."""
    metadata = cell.get("metadata", {})
    tags = metadata.get("tags", [])
    if cell.get("cell_type") != "code" or not {EXERCISE, DECISION, OPEN} & set(tags):
        return None
    return metadata.get("tiktok_lab", {}).get(EXERCISE)


def default_starter(lesson_id: str, exercise: str) -> str:
    from tiktok_lab.course.exercises import load_exercise

    return load_exercise(lesson_id, exercise).starter


def lesson_notebook(path: Path, *, starter: StarterCode = default_starter,
                    prose: Mapping[str, str] | None = None, language: str = LANGUAGE):
    """The whole lesson built from its source: generated cells, numbers and starters in.

    ``prose`` (cell id -> text) replaces the text of those Markdown cells: a translation
    (:mod:`tiktok_lab.kit.translation`), whose ``language`` the notebook's metadata records.
    Call it inside ``speaking(language)`` so the generated cells, numbers and notes speak it
    too (``kit.editions`` does).
    """
    from tiktok_lab.course.exercises import number_exercises
    from tiktok_lab.course.syllabus import load_lessons
    from tiktok_lab.kit.notebook_cells import render_generated_cells

    notebook = read_source(path)
    lesson_id = path.stem
    if language != LANGUAGE:
        notebook.metadata["tiktok_lab"]["language"] = language
    for cell in notebook.cells:
        if prose and cell.cell_type == "markdown" and cell.get("id") in prose:
            cell.source = prose[cell.get("id")]
    lessons = load_lessons()
    if any(lesson.id == lesson_id for lesson in lessons):
        render_generated_cells(notebook, lesson_id, lessons)
    _render_trainer_notes(notebook, lesson_id)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = number_exercises(cell.source, lesson_id)
        ex_id = exercise_id(cell)
        if ex_id:
            cell.source = starter(lesson_id, ex_id).strip() + "\n" + cell.source.lstrip("\n")
    return notebook


SEGMENT = re.compile(r"\A<!-- tiktok-lab:segment (.+?) -->\n?")


def note_segment(cell: dict) -> str | None:
    """The trainer-notes segment a trainer-note cell shows, if it names one."""
    if TRAINER_NOTE not in cell.get("metadata", {}).get("tags", []):
        return None
    found = SEGMENT.match("".join(cell.get("source", "")))
    return found.group(1) if found else None


def _render_trainer_notes(notebook, lesson_id: str) -> None:
    named = [cell for cell in notebook.cells if note_segment(cell)]
    if not named:
        return
    from tiktok_lab.kit.workshop.trainer_notes import lesson_segment_notes

    segments = lesson_segment_notes(lesson_id)
    for cell in named:
        title = note_segment(cell)
        if title not in segments:
            raise ValueError(f"{lesson_id}: trainer note {cell.get('id')!r} names the segment "
                             f"{title!r}, which is not in data/trainer_notes/{lesson_id}.yaml "
                             f"({', '.join(map(repr, segments))})")
        own = SEGMENT.sub("", cell.source).strip()
        cell.source = segments[title] + (f"\n\n{own}" if own else "")
