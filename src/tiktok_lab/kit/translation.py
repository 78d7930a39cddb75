"""A lesson's translation: its prose in another language, tied to the English it translates.

``source/en/<lesson>.md`` is the lesson: every cell, code and prose. A translation,
``source/<language>/<lesson>.md`` (the same MyST format), holds **only the prose cells**, each
under the id of the English cell it replaces and with the fingerprint of that English text::

    +++ {"id": "intro", "translates": "3f1c0a9b27de"}

    ## Le fil Pour toi en bref
    ...

The build takes the English lesson and swaps in the translated cells, so the code, the tags,
the exercises and the widgets of both editions are the same cells in the same places: one home
for everything but the words. When the English of a cell changes, its fingerprint no longer
matches and ``tests/test_translations.py`` names the cell, so a translation never goes stale
silently. ``python -m tiktok_lab.kit.translation status fr`` lists what is stale, missing or
left in English, and ``... add fr`` appends the English of new cells for the translator.

Cells that hold only a generated marker (navigation, header, key points, a trainer-notes
segment) need no translation: the build renders them in the edition's language.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tiktok_lab.kit.lesson_source import FORMAT, LANGUAGE, read_source, source_folder

TRANSLATES = "translates"
_MARKER_LINE = re.compile(r"^<!-- tiktok-lab:[^>]*-->\s*$", re.MULTILINE)


def fingerprint(text: str) -> str:
    """Twelve hex digits of the SHA-256 of an English cell's text, stripped."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


def markers(text: str) -> list[str]:
    """The generated-content markers of a cell, which a translation keeps as they are."""
    return [line.strip() for line in _MARKER_LINE.findall(text)]


def needs_translation(cell: dict) -> bool:
    """A prose cell with words of its own (not only a marker the build fills in)."""
    if cell.get("cell_type") != "markdown":
        return False
    return bool(_MARKER_LINE.sub("", "".join(cell.get("source", ""))).strip())


@dataclass(frozen=True)
class TranslatedCell:
    id: str
    text: str
    translates: str | None


def translation_path(root: Path, language: str, lesson_id: str) -> Path:
    return source_folder(root, language) / f"{lesson_id}.md"


def read_translation(path: Path) -> list[TranslatedCell]:
    """The translated cells of one lesson, in file order (empty when there is no file)."""
    if not path.is_file():
        return []
    notebook = read_source(path)
    cells = []
    for cell in notebook.cells:
        cells.append(TranslatedCell(id=cell.get("id", ""), text=cell.source.strip(),
                                    translates=cell.metadata.get(TRANSLATES)))
    return cells


def english_path(root: Path, lesson_id: str) -> Path:
    return source_folder(root, LANGUAGE) / f"{lesson_id}.md"


def prose(root: Path, language: str, lesson_id: str) -> dict[str, str]:
    """The translated text of each prose cell, by cell id, for ``lesson_notebook(prose=...)``.

    A cell without a translation keeps its English (the tests fail on it, the build does not,
    so a maintainer can still rebuild the English edition while a translation is under way).
    """
    return {cell.id: cell.text for cell in read_translation(
        translation_path(root, language, lesson_id))}


def problems(root: Path, language: str, lesson_id: str) -> list[str]:
    """What keeps a lesson's translation from matching its English, one line each."""
    english = [cell for cell in read_source(english_path(root, lesson_id)).cells
               if needs_translation(cell)]
    path = translation_path(root, language, lesson_id)
    if not path.is_file():
        return [f"{path.relative_to(root)} is missing"]
    where = f"{path.relative_to(root)}"
    translation = read_translation(path)
    found = {cell.id: cell for cell in translation}
    wanted = {cell.get("id"): cell for cell in english}
    issues = []
    for cell in translation:
        if cell.id not in wanted:
            issues.append(f"{where}: cell {cell.id!r} translates no prose cell of the English "
                          "lesson (removed or renamed there?)")
    for cell in english:
        cell_id, text = cell.get("id"), cell.source.strip()
        mine = found.get(cell_id)
        if mine is None:
            issues.append(f"{where}: the English cell {cell_id!r} has no translation")
            continue
        if mine.translates != fingerprint(text):
            issues.append(f"{where}: cell {cell_id!r} translates an older English text; "
                          f"update it to the English now in source/en and set "
                          f'"translates": "{fingerprint(text)}"')
        if mine.text == text:
            issues.append(f"{where}: cell {cell_id!r} is still the English text")
        if markers(mine.text) != markers(text):
            issues.append(f"{where}: cell {cell_id!r} must keep the markers "
                          f"{markers(text)} of the English cell")
    order = [cell.id for cell in translation if cell.id in wanted]
    expected = [cell.get("id") for cell in english if cell.get("id") in found]
    if order != expected:
        issues.append(f"{where}: the cells are not in the English lesson's order")
    return issues


def add_missing(root: Path, language: str, lesson_id: str) -> list[str]:
    """Append the English text of every prose cell the translation lacks; returns their ids.

    The translator then rewrites each appended cell in place (the tests fail while a cell is
    still English), and moves it where the English order wants it.
    """
    import nbformat

    from tiktok_lab.kit.lesson_source import write_source

    path = translation_path(root, language, lesson_id)
    translation = read_translation(path)
    have = {cell.id for cell in translation}
    english = [cell for cell in read_source(english_path(root, lesson_id)).cells
               if needs_translation(cell)]
    added = [cell for cell in english if cell.get("id") not in have]
    if not added:
        return []
    notebook = read_source(path) if path.is_file() else nbformat.v4.new_notebook()
    if not path.is_file():
        notebook.metadata = dict(read_source(english_path(root, lesson_id)).metadata)
    for cell in added:
        new = nbformat.v4.new_markdown_cell(cell.source.strip(), id=cell.get("id"))
        new.metadata = {TRANSLATES: fingerprint(cell.source)}
        notebook.cells.append(new)
    write_source(notebook, path)
    return [cell.get("id") for cell in added]


def _lesson_ids(root: Path) -> list[str]:
    return [path.stem for path in sorted(source_folder(root, LANGUAGE).glob("*.md"))]


def main(argv: list[str] | None = None) -> int:
    """``status <language>`` lists the problems; ``add <language>`` appends missing cells."""
    from tiktok_lab.core.paths import find_course_root

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] not in {"status", "add"}:
        print("usage: python -m tiktok_lab.kit.translation status|add <language>")
        return 2
    command, language = args
    root = find_course_root()
    if root is None:
        print("Run this inside the course folder.")
        return 2
    found = 0
    for lesson_id in _lesson_ids(root):
        if command == "add":
            for cell_id in add_missing(root, language, lesson_id):
                print(f"{lesson_id}: added {cell_id} (English, to translate)")
        for line in problems(root, language, lesson_id):
            found += 1
            print(line)
    return 1 if found else 0


__all__ = ["FORMAT", "fingerprint", "needs_translation", "problems", "read_translation",
           "prose", "translation_path"]

if __name__ == "__main__":
    raise SystemExit(main())
