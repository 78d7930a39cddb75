"""Generated notebook cells: navigation, lesson header and key points.

The lesson metadata in ``data/lessons/`` is the single source for titles,
objectives, minutes and key points. A lesson source (``source/<language>/<id>.md``)
holds only the marker of each such cell, an HTML comment; the build of the
editions renders the rest, in the language of the edition being built (inside
``core.i18n.speaking``).
"""

from __future__ import annotations

from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, get_language, t
from tiktok_lab.course.syllabus import Lesson, load_lessons
from tiktok_lab.kit.sources_page import page_name

MARKERS = {
    "nav": "<!-- tiktok-lab:nav -->",
    "header": "<!-- tiktok-lab:header -->",
    "keypoints": "<!-- tiktok-lab:keypoints -->",
}
# The contents are lesson 00's section "The path through the course"; its anchor, made by
# JupyterLab from the heading, is ``cells.contents_anchor`` in each language's strings
# (tests/test_translations.py checks the heading is there in every edition).
# Cells tagged so guide a learner in JupyterLab (the set-up cell, exercises, links to other
# notebooks): the Voilà app shows one notebook with its code hidden and drops them.
NOTEBOOK_ONLY_TAG = "notebook-only"


def _label(key: str, **values: object) -> str:
    """A label of the generated cells, in the language of the edition being built."""
    return t(f"cells.{key}", **values)


def sources_link() -> str:
    """The sources page, from a notebook of the edition being built: ``notebooks/sources.md``
    beside the English notebooks, ``notebooks/sources.fr.md`` one folder up from the French."""
    language = get_language()
    return page_name(language) if language == DEFAULT_LANGUAGE else f"../{page_name(language)}"


def _link(lesson: Lesson) -> str:
    return f"[{lesson.number:02d} {lesson.title}]({lesson.notebook})"


def nav_source(lesson: Lesson, lessons: list[Lesson]) -> str:
    """``< previous | contents | sources | next >`` for one lesson (the sources page is
    ``notebooks/sources.md``, built by :mod:`tiktok_lab.kit.sources_page`)."""
    index = [item.id for item in lessons].index(lesson.id)
    parts = []
    if index > 0:
        parts.append("&lt; " + _link(lessons[index - 1]))
    parts.append(f"[{_label('contents')}]({lessons[0].notebook}{_label('contents_anchor')})")
    parts.append(f"[{_label('sources')}]({sources_link()})")
    if index + 1 < len(lessons):
        parts.append(_link(lessons[index + 1]) + " &gt;")
    return MARKERS["nav"] + "\n" + " | ".join(parts)


def header_source(lesson: Lesson) -> str:
    """Title, goal, questions, objectives and minutes, as the Carpentries open a lesson."""
    lines = [MARKERS["header"], f"# {lesson.number:02d} · {lesson.title}", "",
             f"**{_label('goal')}** {lesson.goal}", "", f"**{_label('questions')}**", ""]
    lines += [f"- {question}" for question in lesson.questions]
    lines += ["", f"**{_label('objectives')}**", ""]
    lines += [f"- {objective}" for objective in lesson.objectives]
    lines += ["", f"**{_label('time')}** " + _label("minutes", teaching=lesson.teaching_minutes,
                                 exercises=lesson.exercise_minutes, total=lesson.minutes)]
    return "\n".join(lines)


def keypoints_source(lesson: Lesson) -> str:
    lines = [MARKERS["keypoints"], f"## {_label('key_points')}", ""]
    from tiktok_lab.lessons.figures.sourced import with_figures

    lines += [f"- {with_figures(point)}" for point in lesson.key_points]
    return "\n".join(lines)


def generated_sources(lesson: Lesson, lessons: list[Lesson]) -> dict[str, str]:
    return {
        "nav": nav_source(lesson, lessons),
        "header": header_source(lesson),
        "keypoints": keypoints_source(lesson),
    }


def _marker_of(cell: dict) -> str | None:
    source = "".join(cell.get("source", ""))
    for kind, marker in MARKERS.items():
        if cell.get("cell_type") == "markdown" and source.startswith(marker):
            return kind
    return None


def render_generated_cells(notebook, lesson_id: str, lessons: list[Lesson] | None = None) -> bool:
    """Fill the marked cells of one lesson's notebook in place; True when something changed.

    A source cell holds only its marker (``<!-- tiktok-lab:nav -->``); the build
    writes the rest from the lesson metadata.
    """
    lessons = lessons if lessons is not None else load_lessons()
    lesson = next(item for item in lessons if item.id == lesson_id)
    wanted = generated_sources(lesson, lessons)
    changed = False
    for cell in notebook["cells"]:
        kind = _marker_of(cell)
        if kind and "".join(cell["source"]) != wanted[kind]:
            cell["source"] = wanted[kind]
            changed = True
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if kind == "nav" and NOTEBOOK_ONLY_TAG not in tags:
            # Links to the other notebooks lead nowhere in the Voilà app, which serves one.
            tags.append(NOTEBOOK_ONLY_TAG)
            changed = True
        if not tags:
            del cell["metadata"]["tags"]
    return changed
