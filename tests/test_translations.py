"""Translated editions: complete, in step with the English, and the same lesson in every way
but the words (``kit/translation.py``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from tiktok_lab.core.i18n import edition_language, speaking, t
from tiktok_lab.kit.workshop.paths import edition_folder
from tiktok_lab.kit.lesson_source import languages, read_source, source_paths
from tiktok_lab.kit.translation import fingerprint, needs_translation, problems

ROOT = Path(__file__).resolve().parents[1]
LESSONS = [path.stem for path in source_paths(ROOT)]
TRANSLATED = [language for language in languages(ROOT) if language != "en"]
EDITIONS = [(edition, language, lesson) for edition in ("learner", "trainer")
            for language in TRANSLATED for lesson in LESSONS]


def _built(edition: str, language: str, lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / edition_folder(edition, language) / f"{lesson}.ipynb", 4)


def test_french_is_a_translated_language() -> None:
    assert TRANSLATED == ["fr"]


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("lesson", LESSONS)
def test_every_prose_cell_is_translated_from_the_current_english(lesson: str,
                                                                 language: str) -> None:
    found = problems(ROOT, language, lesson)
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("edition", "language", "lesson"), EDITIONS)
def test_a_translated_edition_is_the_same_lesson_but_for_the_words(
        edition: str, language: str, lesson: str) -> None:
    """Same cells in the same places, same code, same tags: only the prose differs."""
    english, translated = _built(edition, "en", lesson), _built(edition, language, lesson)
    assert [(c.get("id"), c.cell_type) for c in translated.cells] == \
        [(c.get("id"), c.cell_type) for c in english.cells]
    for mine, theirs in zip(translated.cells, english.cells):
        assert mine.metadata == theirs.metadata, mine.get("id")
        if mine.cell_type == "code":
            assert mine.source == theirs.source, mine.get("id")
    assert translated.metadata["tiktok_lab"] == {"lesson": lesson, "language": language}


def test_a_changed_english_cell_makes_its_translation_stale(tmp_path: Path) -> None:
    """The fingerprint ties a French cell to the English it translates: edit the English and
    the check names the cell and the fingerprint to write once the French follows."""
    lesson = "03_feed"
    for folder in ("en", "fr"):
        (tmp_path / "source" / folder).mkdir(parents=True)
        shutil.copy(ROOT / "source" / folder / f"{lesson}.md", tmp_path / "source" / folder)
    english = tmp_path / "source" / "en" / f"{lesson}.md"
    cell = next(c for c in read_source(english).cells if needs_translation(c))
    edited = cell.source.strip() + "\nA sentence added to the English."
    english.write_text(english.read_text(encoding="utf-8").replace(
        cell.source.strip(), edited), encoding="utf-8")
    found = problems(tmp_path, "fr", lesson)
    stale = [line for line in found if repr(cell.get("id")) in line and "older" in line]
    assert stale and fingerprint(edited) in stale[0], found


def test_a_cell_left_in_english_or_missing_is_reported(tmp_path: Path) -> None:
    lesson = "05_tips"
    for folder in ("en", "fr"):
        (tmp_path / "source" / folder).mkdir(parents=True)
        shutil.copy(ROOT / "source" / folder / f"{lesson}.md", tmp_path / "source" / folder)
    english_cells = [c for c in read_source(tmp_path / "source/en" / f"{lesson}.md").cells
                     if needs_translation(c)]
    french = tmp_path / "source" / "fr" / f"{lesson}.md"
    notebook = read_source(french)
    first, second = notebook.cells[0], notebook.cells[1]
    first.source = english_cells[0].source  # left in English
    notebook.cells.remove(second)  # never translated
    from tiktok_lab.kit.lesson_source import write_source

    write_source(notebook, french)
    found = "\n".join(problems(tmp_path, "fr", lesson))
    assert f"{first.get('id')!r} is still the English text" in found
    assert f"{second.get('id')!r} has no translation" in found


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_the_contents_link_finds_its_heading_in_each_edition(language: str) -> None:
    """Every lesson's navigation links lesson 00's "path through the course" by the anchor
    JupyterLab makes from the heading, which differs by language."""
    with speaking(language):
        anchor = t("cells.contents_anchor")
    headings = [line[3:].strip() for cell in _built("learner", language, "00_start_here").cells
                if cell.cell_type == "markdown" for line in cell.source.splitlines()
                if line.startswith("## ")]
    assert anchor.lstrip("#") in [re.sub(r"\s+", "-", heading) for heading in headings]


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_label_reaches_a_translated_notebook(language: str) -> None:
    """The generated cells (navigation, header, key points, trainer notes) speak the edition's
    language: none of their English labels is left in the French notebooks."""
    labels = [t(f"cells.{key}", language="en") for key in
              ("contents", "sources", "goal", "questions", "objectives", "key_points",
               "trainer_note")]
    for edition, lang, lesson in EDITIONS:
        if lang != language:
            continue
        text = "\n".join(cell.source for cell in _built(edition, lang, lesson).cells
                         if cell.cell_type == "markdown")
        assert not [label for label in labels if f"**{label}" in text or f"[{label}]" in text
                    or f"## {label}" in text], (edition, lesson)


@pytest.mark.parametrize(("folder", "expected"), [
    ("course/notebooks/fr", "fr"), ("course/workshop/trainer/fr", "fr"),
    ("course/notebooks", None), ("course/notebooks/en", None), ("elsewhere/fr", None),
])
def test_a_kernel_speaks_the_language_of_its_edition_folder(folder: str, expected) -> None:
    assert edition_language(Path("/tmp") / folder) == expected
