"""``tiktok-lab build slides|handouts|site``: the workshop kit, built from a fresh run.

Each lesson runs once (``kit_run``); its handout and its slides are both
exported from that one run (``kit_pages``), next to a copy of the vendored
assets (``kit_assets``); ``site`` adds the index page (``kit_site``). The
output folder (``workshop/build/`` by default, git-ignored) is self-contained:
copy it to a USB stick or a web server.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, get_language, t
from tiktok_lab.kit.assets import altered_files, copy_assets

DEFAULT_OUT = Path("workshop") / "build"


def default_out(language: str = DEFAULT_LANGUAGE) -> Path:
    """``workshop/build/``, and a language's own kit in ``workshop/build/<language>/``."""
    return DEFAULT_OUT if language == DEFAULT_LANGUAGE else DEFAULT_OUT / language
#: What each target writes.
TARGETS = {"slides": ("slides",), "handouts": ("handouts",), "site": ("handouts", "slides")}


class Report(Protocol):
    def __call__(self, text: str, *, end: str = "\n") -> None: ...


def _print(text: str, *, end: str = "\n") -> None:
    print(text, end=end, flush=True)


class AssetsAltered(Exception):
    """A vendored file no longer matches its manifest (edited or truncated copy)."""


@dataclass(frozen=True)
class LessonSource:
    id: str
    path: Path


def lesson_sources(root: Path) -> tuple[list[LessonSource], Path]:
    """The lessons to build, in the language being spoken, and the folder their kernels
    start in.

    ``source/en/`` holds the trainer notes that become speaker notes; an install
    without it (a wheel's ``notebooks/`` only) still gets handouts and slides,
    without notes. Kernels start in the edition's folder (``notebooks/`` or
    ``notebooks/fr/``), where participants run them, so they speak its language.
    """
    from tiktok_lab.kit.lesson_source import source_paths

    language = get_language()
    notebooks = root / "notebooks" / ("" if language == DEFAULT_LANGUAGE else language)
    paths = source_paths(root) or sorted(notebooks.glob("*.ipynb"))
    lessons = [LessonSource(path.stem, path) for path in paths]
    return lessons, (notebooks if notebooks.is_dir() else paths[0].parent)


def read_lesson(lesson: LessonSource):
    """The whole lesson in the language being spoken: rendered from its MyST source (and
    its translation), or a built notebook as it is."""
    import nbformat

    from tiktok_lab.kit.lesson_source import SUFFIX, lesson_notebook
    from tiktok_lab.kit.translation import prose

    if lesson.path.suffix == SUFFIX:
        language = get_language()
        if language == DEFAULT_LANGUAGE:
            return lesson_notebook(lesson.path)
        root = lesson.path.parent.parent.parent
        return lesson_notebook(lesson.path, prose=prose(root, language, lesson.id),
                               language=language)
    return nbformat.read(lesson.path, as_version=4)


def build_kit(root: Path, out: Path, target: str, *, report: Report = _print,
              executed_dir: Path | None = None, only: set[str] | None = None) -> Path:
    """Build ``target`` into ``out``; returns the page to open.

    ``executed_dir``, when given, receives each executed notebook (the tests
    compare their charts with the pages'); ``only`` limits the lessons. Raises ``kit_run.LessonFailed`` on the
    first failing cell and ``AssetsAltered`` before anything runs.
    """
    import nbformat

    from tiktok_lab.kit.pages import (externalise_chart_library, handout_html, slides_html,
                                      write_page)
    from tiktok_lab.kit.run import execute_lesson
    from tiktok_lab.course.syllabus import load_lesson

    altered = altered_files()
    if altered:
        raise AssetsAltered(", ".join(altered))
    kinds = TARGETS[target]
    lessons, cwd = lesson_sources(root)
    lessons = [lesson for lesson in lessons if only is None or lesson.id in only]
    report(t("kit.cli.start", what=t(f"kit.cli.what.{target}"), count=len(lessons),
             folder=str(out)))
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    site_lessons = []
    for position, lesson in enumerate(lessons, 1):
        report(t("kit.cli.lesson", position=position, count=len(lessons), lesson=lesson.id) + " ",
               end="")
        started = time.perf_counter()
        executed = execute_lesson(read_lesson(lesson), lesson.id, cwd)
        if executed_dir is not None:
            executed_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(executed, executed_dir / f"{lesson.id}.ipynb")
        shared = externalise_chart_library(executed, out)
        meta = load_lesson(lesson.id)
        title = f"{meta.number:02d} · {meta.title}"
        pages = {}
        for kind, export in (("handouts", handout_html), ("slides", slides_html)):
            if kind in kinds:
                pages[kind] = f"{kind}/{lesson.id}.html"
                write_page(export(shared, lesson.id, title), out / pages[kind])
        site_lessons.append(_site_lesson(meta, title, pages))
        report(t("kit.cli.lesson_done", seconds=f"{time.perf_counter() - started:.1f}"))
    if target != "site":
        return out / kinds[0] / f"{lessons[0].id}.html"
    from tiktok_lab.kit.hub_link import default_repository
    from tiktok_lab.kit.site import index_html

    write_page(index_html(site_lessons, default_repository()), out / "index.html")
    return out / "index.html"


def _site_lesson(meta, title: str, pages: dict[str, str]):
    from tiktok_lab.kit.site import KitLesson

    return KitLesson(id=meta.id, title=title, goal=meta.goal,
                     minutes=meta.teaching_minutes + meta.exercise_minutes,
                     handout=pages.get("handouts"), slides=pages.get("slides"))

