"""``tiktok-lab reset``: hand a clean course to the next group.

Nothing is deleted. The learners' notebooks and saved work are first moved
into ``backups/reset-<timestamp>/`` beside the notebooks, then the pristine
notebooks are written back. A trainer who resets by mistake can copy them back.

Only what the course wrote is ever moved: the store's own files in the work
folder (``TIKTOK_LAB_HOME`` may point anywhere, a home folder included, so the
folder is checked with :mod:`tiktok_lab.cli.safe_folders` and refused if it holds
anything else), and the checkpoints of the notebooks being restored.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from tiktok_lab.core import paths
from tiktok_lab.course.course_source import notebook_names, pristine_notebooks
from tiktok_lab.core.i18n import t
from tiktok_lab.cli.safe_folders import check_folder, move_file
from tiktok_lab.work.store import plain_os_reason
from tiktok_lab.work.store_files import written_by_store


def is_store_file(path: Path) -> bool:
    """Whether ``path`` is a file the learner store wrote (and so may be moved by reset)."""
    return written_by_store(path)


@dataclass
class ResetPlan:
    """What a reset will do, shown to the trainer before they confirm."""

    root: Path
    notebooks: dict[str, bytes] = field(default_factory=dict)
    work: Path | None = None

    @property
    def backup(self) -> Path:
        return self.root / "backups" / f"reset-{datetime.now():%Y%m%d-%H%M%S}"

    def check_work(self) -> None:
        """Raise ``UnsafeFolderError`` if the work folder is not the store's alone."""
        if self.work is not None:
            check_folder(self.work, course_root=self.root, owned=is_store_file)


@dataclass
class ResetDone:
    """Where everything went; ``left`` are files that could not be moved (and why)."""

    backup: Path
    left: list[tuple[Path, OSError]] = field(default_factory=list)


def plan_reset(root: Path, *, notebooks: bool, work: bool) -> ResetPlan:
    """Gather what would be restored or cleared.

    Raises ValueError when nothing can be restored, and its subclass
    ``UnsafeFolderError`` when the work folder is one reset must not touch.
    """
    plan = ResetPlan(root)
    if notebooks:
        plan.notebooks = pristine_notebooks(root)
        if not plan.notebooks:
            raise ValueError(t("reset.no_pristine"))
    if work:
        plan.work = paths.work_dir(root)
        plan.check_work()
    return plan


def apply_reset(plan: ResetPlan, report: Callable[[str], None] = print) -> ResetDone:
    """Back up, then restore; the work folder is checked again first (it may have changed)."""
    plan.check_work()
    done = ResetDone(paths.unused_path(plan.backup))
    if plan.notebooks:
        _restore_notebooks(plan, done, report)
    if plan.work is not None and plan.work.is_dir():
        _move_work(plan.work, done, report)
    for path, error in done.left:
        report(t("reset.not_moved", name=path.name, folder=str(path.parent),
                 reason=plain_os_reason(error)))
    return done


def _restore_notebooks(plan: ResetPlan, done: ResetDone, report: Callable[[str], None]) -> None:
    notebooks = plan.root / "notebooks"
    saved = done.backup / "notebooks"
    saved.mkdir(parents=True, exist_ok=True)
    present = notebook_names(notebooks)
    for name in present:
        (saved / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebooks / name, saved / name)
    report(t("reset.backed_up_notebooks", count=len(present), folder=str(saved)))
    for name, content in sorted(plan.notebooks.items()):
        (notebooks / name).parent.mkdir(parents=True, exist_ok=True)
        (notebooks / name).write_bytes(content)
        report(t("reset.restored", name=name))
    # Only the restored notebooks' own checkpoints: "Revert to checkpoint" must not bring a
    # learner's version back, and the folder may also hold checkpoints of other notebooks.
    for name in sorted(plan.notebooks):
        where = (notebooks / name).parent
        checkpoint = where / ".ipynb_checkpoints" / f"{Path(name).stem}-checkpoint.ipynb"
        if checkpoint.is_file() and not checkpoint.is_symlink():
            kept = done.backup / "ipynb_checkpoints" / Path(name).parent
            kept.mkdir(parents=True, exist_ok=True)
            _move(checkpoint, kept / checkpoint.name, done)


def _move_work(work: Path, done: ResetDone, report: Callable[[str], None]) -> None:
    target = done.backup / "my_work"
    files = [path for path in sorted(work.iterdir()) if is_store_file(path)]
    if files:
        target.mkdir(parents=True, exist_ok=True)
    moved = sum(_move(path, target / path.name, done) for path in files)
    try:
        work.rmdir()  # only if empty: the store makes it again on the next save
    except OSError:
        pass
    if moved:
        report(t("reset.moved_work", folder=str(target)))


def _move(source: Path, target: Path, done: ResetDone) -> bool:
    try:
        move_file(source, target)
    except OSError as error:
        done.left.append((source, error))
        return False
    return True
