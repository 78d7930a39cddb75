"""``tiktok-lab reset``: hand a clean course to the next group.

Nothing is deleted. The learners' notebooks and ``my_work/`` are first moved
into ``backups/reset-<timestamp>/`` beside the notebooks, then the pristine
notebooks are written back. A trainer who resets by mistake can copy them back.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from tiktok_lab import paths
from tiktok_lab.course_source import pristine_notebooks
from tiktok_lab.i18n import t


@dataclass
class ResetPlan:
    """What a reset will do, shown to the trainer before they confirm."""

    root: Path
    notebooks: dict[str, bytes] = field(default_factory=dict)
    work: Path | None = None

    @property
    def backup(self) -> Path:
        return self.root / "backups" / f"reset-{datetime.now():%Y%m%d-%H%M%S}"


def plan_reset(root: Path, *, notebooks: bool, work: bool) -> ResetPlan:
    """Gather what would be restored or cleared; raises ValueError when nothing can be."""
    plan = ResetPlan(root)
    if notebooks:
        plan.notebooks = pristine_notebooks(root)
        if not plan.notebooks:
            raise ValueError(t("reset.no_pristine"))
    if work:
        plan.work = paths.work_dir(root)
    return plan


def apply_reset(plan: ResetPlan, report: Callable[[str], None] = print) -> Path:
    """Back up, then restore; returns the backup folder."""
    backup = paths.unused_path(plan.backup)
    notebooks = plan.root / "notebooks"
    if plan.notebooks:
        saved = backup / "notebooks"
        saved.mkdir(parents=True, exist_ok=True)
        for path in sorted(notebooks.glob("*.ipynb")):
            shutil.copy2(path, saved / path.name)
        report(t("reset.backed_up_notebooks", count=len(list(saved.iterdir())), folder=str(saved)))
        for name, content in sorted(plan.notebooks.items()):
            (notebooks / name).write_bytes(content)
            report(t("reset.restored", name=name))
        checkpoints = notebooks / ".ipynb_checkpoints"
        if checkpoints.is_dir():
            shutil.move(str(checkpoints), str(backup / "ipynb_checkpoints"))
    if plan.work and plan.work.exists():
        backup.mkdir(parents=True, exist_ok=True)
        shutil.move(str(plan.work), str(backup / "my_work"))
        report(t("reset.moved_work", folder=str(backup / "my_work")))
    return backup
