"""The one rule for every ``tiktok-lab`` command that moves, deletes or replaces files.

A trainer's setting can point a command at the wrong folder: ``TIKTOK_LAB_HOME``
set to a home folder, ``--out ~`` for a kit, a course unpacked in ``$HOME``. The
command must then refuse, not clear ``.ssh`` and ``Documents``. So, before it
moves or replaces anything, a command checks the folder with :func:`check_folder`:

- never the top of a disk, a home folder (the user's own, ``/root``, any
  ``/home/*`` or ``/Users/*``, or a folder that holds one) nor a folder that holds
  the course (the course root or one of its parents);
- never a folder holding an entry the command did not write itself (each command
  says what it writes, as a predicate on one top-level entry).

The refusal is :class:`UnsafeFolderError`, whose text is one plain sentence.
Files are then moved one by one with :func:`move_file`, which never deletes a
source before its copy is complete (a move to another disk is a copy, then a
delete: a full disk must not lose the original).
"""

from __future__ import annotations

import errno
import filecmp
import os
import shutil
from pathlib import Path
from typing import Callable

from tiktok_lab.core.i18n import t

HOME_PARENTS = ("home", "Users")


class UnsafeFolderError(ValueError):
    """A command was pointed at a folder it must not change; ``str()`` says why, plainly."""

    def __init__(self, reason: str, folder: Path, name: str = "") -> None:
        self.reason, self.folder, self.name = reason, folder, name
        super().__init__(t(f"cli.unsafe.{reason}", folder=str(folder), name=name))


def _resolved(path: Path) -> Path:
    return Path(os.path.abspath(Path(path).expanduser())).resolve()


def _homes() -> set[Path]:
    """The user's home folder, however the system names it (``HOME``, ``USERPROFILE``)."""
    homes = {Path("/root")}
    for value in (os.environ.get("HOME"), os.environ.get("USERPROFILE")):
        if value and value.strip():
            homes.add(_resolved(Path(value)))
    try:
        homes.add(_resolved(Path.home()))
    except (RuntimeError, KeyError, OSError):  # no home at all (a bare service account)
        pass
    return homes


def is_disk_root(folder: Path) -> bool:
    folder = _resolved(folder)
    return folder == Path(folder.anchor) or folder.parent == folder


def is_home_folder(folder: Path) -> bool:
    """A home folder, or a folder that holds one (``/home``, an ancestor of ``$HOME``)."""
    folder = _resolved(folder)
    anchor = Path(folder.anchor)
    tops = {anchor / name for name in HOME_PARENTS}
    if folder in tops or folder.parent in tops:
        return True
    return any(folder == home or folder in home.parents for home in _homes())


def holds_course(folder: Path, course_root: Path | None) -> bool:
    if course_root is None:
        return False
    folder, root = _resolved(folder), _resolved(course_root)
    return folder == root or folder in root.parents


def check_folder(folder: Path, *, course_root: Path | None,
                 owned: Callable[[Path], bool]) -> None:
    """Raise :class:`UnsafeFolderError` unless ``folder`` may be changed by this command.

    ``owned(entry)`` says whether one top-level entry is something the command
    wrote itself; a folder that does not exist yet is always fine (nothing in it).
    """
    if is_disk_root(folder):
        raise UnsafeFolderError("disk_root", folder)
    if is_home_folder(folder):
        raise UnsafeFolderError("home", folder)
    if holds_course(folder, course_root):
        raise UnsafeFolderError("course", folder)
    if not os.path.lexists(folder):
        return
    if not folder.is_dir():
        raise UnsafeFolderError("not_folder", folder)
    for entry in sorted(folder.iterdir()):
        if not owned(entry):
            raise UnsafeFolderError("foreign", folder, entry.name)


def move_file(source: Path, target: Path) -> None:
    """Move one regular file; the source is deleted only once a full copy exists.

    A rename is atomic; across disks the file is copied, compared byte for byte
    and flushed before the source goes. On any failure the source stays and a
    partial copy is removed; the ``OSError`` is raised for the caller to report.
    ``target`` must not exist (backups are never overwritten).
    """
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    try:
        os.rename(source, target)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    try:
        shutil.copy2(source, target)
        if not filecmp.cmp(source, target, shallow=False):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        with open(target, "rb") as copy:
            os.fsync(copy.fileno())
    except BaseException:
        Path(target).unlink(missing_ok=True)
        raise
    os.unlink(source)
