"""Learner and trainer editions of every lesson, built from one MyST source.

Maintainers edit ``source/en/<lesson>.md`` (see :mod:`tiktok_lab.kit.lesson_source`,
which renders the whole lesson from it). There, cells tagged ``trainer-note``
hold what to say and show, and code cells tagged ``exercise`` (with
``metadata.tiktok_lab.exercise`` naming the exercise) receive the learner's
starter code from the exercise data. ``tiktok-lab build learner`` writes
``notebooks/`` (no trainer notes; starters keep their ``____``) and
``tiktok-lab build trainer`` writes ``workshop/trainer/`` (notes shown,
reference answers filled in from the exercise data). Starters and solutions
therefore live in one place, the data, and the learners' folder never carries
a solution.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable

from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, get_language, speaking, t
from tiktok_lab.kit.lesson_source import exercise_id, languages, lesson_notebook, source_paths
from tiktok_lab.kit.notebook_cells import MARKERS, sources_link
from tiktok_lab.kit.sources_page import page_name
from tiktok_lab.kit.translation import prose
from tiktok_lab.kit.workshop.paths import edition_folder

NAV_MARKER = MARKERS["nav"]

TRAINER_NOTE = "trainer-note"
BANNER_ID = "trainer-edition-banner"

# (lesson_id, exercise_id) -> (starter, solution)
ExerciseCode = Callable[[str, str], tuple[str, str]]


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def learner_edition(source: dict) -> dict:
    """The participants' notebook: the source without its trainer notes."""
    notebook = copy.deepcopy(source)
    notebook["cells"] = [cell for cell in notebook["cells"] if TRAINER_NOTE not in _tags(cell)]
    return notebook


def trainer_edition(source: dict, lesson_id: str, exercise_code: ExerciseCode) -> dict:
    """The trainer's notebook: a banner, visible notes, and solutions in place of starters."""
    import nbformat

    notebook = copy.deepcopy(source)
    cells = []
    for cell in notebook["cells"]:
        if TRAINER_NOTE in _tags(cell):
            cell["source"] = _as_callout("".join(cell["source"]))
            # "notes" makes them speaker notes in `nbconvert --to slides`.
            cell.setdefault("metadata", {})["slideshow"] = {"slide_type": "notes"}
        ex_id = exercise_id(cell)
        if ex_id:
            starter, solution = exercise_code(lesson_id, ex_id)
            text = "".join(cell["source"])
            if starter.strip() not in text:
                raise ValueError(f"{lesson_id}: the cell of exercise {ex_id!r} no longer "
                                 "holds the starter code of the exercise data")
            cell["source"] = text.replace(starter.strip(), solution.strip())
        cells.append(cell)
    link = sources_link()
    for cell in cells:  # the sources page lives beside the learners' notebooks only
        if "".join(cell.get("source", "")).startswith(NAV_MARKER):
            cell["source"] = "".join(cell["source"]).replace(
                f"]({link})", f"]({_sources_from_trainer()})")
    banner = nbformat.v4.new_markdown_cell(_banner(lesson_id), id=BANNER_ID)
    banner.metadata["slideshow"] = {"slide_type": "skip"}
    cells.insert(1 if cells else 0, banner)
    notebook["cells"] = cells
    return notebook


def _sources_from_trainer() -> str:
    """The sources page (``notebooks/sources[.<language>].md``) from a trainer notebook of the
    language being built (``workshop/trainer/`` or one folder deeper)."""
    language = get_language()
    up = "../" * (2 + (language != DEFAULT_LANGUAGE))
    return f"{up}notebooks/{page_name(language)}"


def _as_callout(text: str) -> str:
    lines = [f"**{t('cells.trainer_note')}**", "", *text.strip().splitlines()]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _banner(lesson_id: str) -> str:
    language = get_language()
    text = "> " + t("cells.trainer_banner", learners=edition_folder("learner", language),
                    source=f"source/{language}/")
    cuts = _cuts_if_late(lesson_id)
    if cuts:  # written once, in data/lessons/<id>.yaml; the printed notes show the same list
        text += (f"\n>\n> **{t('cells.cut_if_late')}**\n"
                 + "\n".join(f"> - {cut}" for cut in cuts))
    return text


def _cuts_if_late(lesson_id: str) -> tuple[str, ...]:
    from tiktok_lab.course.syllabus import load_lessons

    return next((lesson.cut_if_late for lesson in load_lessons() if lesson.id == lesson_id), ())


def default_exercise_code(lesson_id: str, exercise_id: str) -> tuple[str, str]:
    from tiktok_lab.course.exercises import load_exercise

    exercise = load_exercise(lesson_id, exercise_id)
    return exercise.starter, exercise.solution


def _write_if_changed(notebook: dict, target: Path, write: bool) -> bool:
    import nbformat

    text = nbformat.writes(nbformat.from_dict(notebook))
    text += "" if text.endswith("\n") else "\n"  # as nbformat.write does
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if current == text:
        return False
    if write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return True


def build_editions(root: Path, edition: str, *, write: bool = True,
                   exercise_code: ExerciseCode = default_exercise_code) -> list[str]:
    """Write one edition ("learner" or "trainer") of every lesson source, in every language
    with a ``source/<language>/`` folder (English in ``notebooks/``, French in ``notebooks/fr/``).

    Returns the paths (relative to ``root``) that changed, or with
    ``write=False`` would change.
    """
    changed = []
    for language in languages(root) or [DEFAULT_LANGUAGE]:
        target_dir = root / edition_folder(edition, language)
        with speaking(language):
            for path in source_paths(root):
                source = lesson_notebook(
                    path, starter=lambda lesson, ex: exercise_code(lesson, ex)[0],
                    prose=None if language == DEFAULT_LANGUAGE else prose(root, language,
                                                                          path.stem),
                    language=language)
                notebook = (learner_edition(source) if edition == "learner"
                            else trainer_edition(source, path.stem, exercise_code))
                target = target_dir / f"{path.stem}.ipynb"
                if _write_if_changed(notebook, target, write):
                    changed.append(str(target.relative_to(root)))
    return changed
