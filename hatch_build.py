"""Pack pristine copies of the course notebooks, and the lock, into the wheel.

A wheel-only install (a USB stick in a room without Wi-Fi) then has what
``tiktok-lab lab`` lays out and ``tiktok-lab reset`` restores. Only the
``notebooks/*.ipynb`` files (and each edition's ``notebooks/<language>/*.ipynb``) go in: never a learner's ``my_work/`` or Jupyter's
checkpoints from the machine that built the wheel.

The lock (``requirements/lock.txt``, the exact versions tested) goes in as
``tiktok_lab/data/lock.txt``: ``tiktok-lab doctor`` compares the installed versions
with it and names its versions in its fixes (``core/tested_versions.py``).
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CourseNotebooksHook(BuildHookInterface):
    PLUGIN_NAME = "course-notebooks"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        folder = Path(self.root, "notebooks")
        # Every edition: the English notebooks, and each translation's folder (notebooks/fr/).
        for notebook in sorted([*folder.glob("*.ipynb"), *folder.glob("??/*.ipynb")]):
            name = notebook.relative_to(folder).as_posix()
            build_data["force_include"][str(notebook)] = f"tiktok_lab/course/notebooks/{name}"
        build_data["force_include"][str(Path(self.root, "requirements", "lock.txt"))] = (
            "tiktok_lab/data/lock.txt")
