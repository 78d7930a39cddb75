"""How the kit's pages name an exercise: "Exercise N: <its title>", as the notebook heads it.

An exercise's id (``what-ad-reach-counts``) is a key for the data, not a name a trainer can
find on screen: the agendas and the trainer notes write the number and the title of the
heading above its card in the lesson source of the language being built
(``## {exercise}`<id>`: <title>`` in ``source/<language>/<lesson>.md``). Without the sources
(an installed course), the title is the exercise's question or task, shortened.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from tiktok_lab.core.i18n import get_language, localized, t
from tiktok_lab.core.paths import find_course_root

HEADING = re.compile(r"^#+\s*\{exercise\}`([^`]+)`\s*:\s*(.+?)\s*$", re.M)
SHORTENED = 60


@lru_cache(maxsize=None)
def _headings(lesson_id: str, language: str, root: Path | None) -> dict[str, str]:
    if root is None:
        return {}
    path = root / "source" / language / f"{lesson_id}.md"
    if not path.is_file():
        return {}
    return {found.group(1): found.group(2) for found in HEADING.finditer(path.read_text("utf-8"))}


def _fallback(row) -> str:
    text = localized(getattr(row, "question", None) or getattr(row, "task", "") or "")
    text = " ".join(text.split())
    return text if len(text) <= SHORTENED else text[:SHORTENED].rsplit(" ", 1)[0] + "…"


def exercise_title(lesson_id: str, exercise_id: str) -> str:
    """The exercise's title in the current language (its notebook heading)."""
    from tiktok_lab.course.exercises import load_exercise_rows

    root = find_course_root(Path(__file__).resolve().parent)
    found = _headings(lesson_id, get_language(), root).get(exercise_id)
    if found:
        return found
    row = next(row for row in load_exercise_rows(lesson_id) if row.id == exercise_id)
    return _fallback(row)


def exercise_name(lesson_id: str, exercise_id: str) -> str:
    """"Exercise N: <title>" in the current language (N its place in its lesson's file)."""
    from tiktok_lab.course.exercises import exercise_number

    return t("exercise.titled", number=exercise_number(lesson_id, exercise_id),
             title=exercise_title(lesson_id, exercise_id))
