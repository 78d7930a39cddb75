"""Where the course lives on disk.

Notebooks run with their own folder as the working directory, while the CLI
runs from the project root (or anywhere below it), so every lookup walks up
from a starting folder until it finds the course.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "TIKTOK_LAB_HOME"
START_NOTEBOOK = "00_start_here.ipynb"
WORK_FOLDER = "my_work"


def find_course_root(start: Path | None = None) -> Path | None:
    """Return the folder holding ``notebooks/00_start_here.ipynb``, or None.

    A learner may start Jupyter from the project root or from ``notebooks/``;
    both must find the same course. A maintainer's checkout is also found by
    its lesson sources (``source/en/00_start_here.md``), before the editions are built.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if ((folder / "notebooks" / START_NOTEBOOK).is_file()
                or (folder / "source" / "en" / START_NOTEBOOK).with_suffix(".md").is_file()):
            return folder
    return None


def notebooks_dir(start: Path | None = None) -> Path | None:
    """The course's ``notebooks/`` folder, or None outside a course."""
    root = find_course_root(start)
    return root / "notebooks" if root else None


def work_dir(start: Path | None = None) -> Path:
    """The learner's ``my_work/`` folder (not created here).

    ``TIKTOK_LAB_HOME`` wins so that a JupyterHub admin, a test or a trainer can
    put work elsewhere; otherwise it sits beside the notebooks, where learners
    see it in JupyterLab's file browser.
    """
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser().resolve()
    notebooks = notebooks_dir(start)
    base = notebooks if notebooks else Path(start or Path.cwd()).resolve()
    return base / WORK_FOLDER


def unused_path(path: Path) -> Path:
    """``path``, or ``name-1.ext``, ``name-2.ext``… whichever does not exist yet.

    Backups and set-aside files must never overwrite an earlier one, even when
    two are made within the same second.
    """
    candidate, n = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
