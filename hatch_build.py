"""Pack pristine copies of the course notebooks into the wheel.

A wheel-only install (a USB stick in a room without Wi-Fi) then has what
``tiktok-lab lab`` lays out and ``tiktok-lab reset`` restores. Only the
``notebooks/*.ipynb`` files go in: never a learner's ``my_work/`` or Jupyter's
checkpoints from the machine that built the wheel.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CourseNotebooksHook(BuildHookInterface):
    PLUGIN_NAME = "course-notebooks"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        for notebook in sorted(Path(self.root, "notebooks").glob("*.ipynb")):
            build_data["force_include"][str(notebook)] = f"tiktok_lab/course/notebooks/{notebook.name}"
