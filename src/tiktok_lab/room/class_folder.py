"""Where class files go and how the trainer's view reads a folder of them.

Two transports, one format (:mod:`share_file`):

- **A class hub.** ``TIKTOK_LAB_CLASS_DIR`` names a drop-box folder the hub made (owner the
  trainer's account, group the trainer's, mode ``3773``: anyone may create a file, only the
  trainer may list and read, the sticky bit stops anyone but the folder's owner, the trainer,
  removing another's file). A participant's file
  is ``<participant>.json``, written atomically (a temporary file in the folder, made
  group-readable, then renamed) with mode ``0640``: other participants can neither list the
  folder nor read it. Withdrawing everything removes the file.
- **Laptops.** The participant downloads the same file (:func:`share_file.export_name`) and
  hands it over; the trainer drops every file into one folder.

Reading never fails on one file: a file that is too big, not JSON, foreign, from a newer
release or damaged is listed in :attr:`ClassFolder.skipped` with the reason, and the rest is
read. When one participant's file arrives twice (mailed twice, renamed by a mail client), the
newest ``updated_at`` wins.
"""

from __future__ import annotations

import os
import re
import stat
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from tiktok_lab.core.i18n import t
from tiktok_lab.room.share_file import (MAX_FILE_BYTES, ShareFile, ShareFileError, decode,
                                        encode)
from tiktok_lab.work.store_files import atomic_write

CLASS_DIR_ENV = "TIKTOK_LAB_CLASS_DIR"
#: The class hub's folder mode: rwx for the trainer and their group, -wx for everyone else,
#: plus setgid (files join the trainer's group) and sticky (nobody removes another's file).
DROP_BOX_MODE = 0o3773
SHARE_FILE_MODE = 0o640
#: Names of files this course writes into a class folder (what "delete the class data" may
#: remove even when damaged): ``<participant>.json`` and the exported names.
OWN_FILE = re.compile(r"^(?:[0-9a-f]{32}|tiktok-lab-class-[a-z0-9-]*)(?: ?\(\d+\))?\.json$")
_TEMPORARY = re.compile(r"^\.[0-9a-f]{32}\..*\.tmp$")


class ClassFolderError(OSError):
    """The class folder cannot be written or read; the message says so in plain words."""


@dataclass(frozen=True)
class Skipped:
    """A file of the folder the view did not use, and why."""

    name: str
    reason: str


@dataclass
class ClassFolder:
    """What a folder of class files holds: one share per participant, and what was skipped."""

    folder: Path
    shares: list[ShareFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def hub_class_folder() -> Path | None:
    """The class hub's drop-box folder, when this server runs on one (else None)."""
    value = os.environ.get(CLASS_DIR_ENV, "").strip()
    return Path(value) if value else None


def publish(folder: Path, share: ShareFile, *, language: str | None = None) -> Path | None:
    """Write ``share`` as ``<participant>.json`` in the drop box (atomically), or remove the
    file when nothing is shared any more. Returns the path written, or None when removed.

    Raises :class:`ClassFolderError` with a plain message when the folder is missing or
    refuses the write (the participant's work in ``my_work/`` is untouched either way).
    """
    target = folder / f"{share.participant}.json"
    try:
        if not share.items:
            with suppress(FileNotFoundError):
                os.unlink(target)
            return None
        atomic_write(target, encode(share), prefix=share.participant, mode=SHARE_FILE_MODE)
    except OSError as error:
        raise ClassFolderError(t("room.folder.unwritable", language=language, folder=folder,
                                 reason=error.strerror or error)) from None
    return target


def read_folder(folder: Path, *, language: str | None = None) -> ClassFolder:
    """Every class file in ``folder`` (not below it), validated; never raises.

    Hidden files (a participant's write in progress, ``.DS_Store``) are not files handed in
    and are passed over silently; links are skipped (a file must be in the folder itself).
    """
    result = ClassFolder(folder)
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as error:
        raise ClassFolderError(t("room.folder.unreadable", language=language, folder=folder,
                                 reason=error.strerror or error)) from None
    newest: dict[str, ShareFile] = {}
    for name in names:
        if name.startswith("."):
            continue
        try:
            share = decode(_read_file(folder / name, language), language=language)
        except ShareFileError as error:
            result.skipped.append(Skipped(name, error.reason))
            continue
        kept = newest.get(share.participant)
        if kept is None or share.updated_at > kept.updated_at:
            newest[share.participant] = share
    result.shares = sorted(newest.values(), key=lambda s: (s.updated_at, s.participant))
    return result


def _read_file(path: Path, language: str | None) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise ShareFileError(t("room.file.unreadable", language=language,
                               reason=error.strerror or error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ShareFileError(t("room.file.foreign", language=language))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ShareFileError(t("room.file.unreadable", language=language,
                               reason=error.strerror or error)) from None
    finally:
        os.close(fd)
    return raw


def clear_folder(folder: Path, *, language: str | None = None) -> tuple[int, list[str]]:
    """Delete the class data: every file the course wrote into ``folder`` (valid or damaged,
    and leftover temporary files). Returns (files deleted, names left because they are not
    the course's). Other files, and the folder itself, are never touched."""
    deleted, left = 0, []
    try:
        with os.scandir(folder) as entries:
            found = sorted((entry.name, entry.is_file(follow_symlinks=False))
                           for entry in entries)
    except OSError as error:
        raise ClassFolderError(t("room.folder.unreadable", language=language, folder=folder,
                                 reason=error.strerror or error)) from None
    for name, is_file in found:
        path = folder / name
        if is_file and (_TEMPORARY.match(name) or _is_class_file(path, name)):
            with suppress(FileNotFoundError):
                path.unlink()
                deleted += 1
        elif not name.startswith("."):
            left.append(name)
    return deleted, left


def _is_class_file(path: Path, name: str) -> bool:
    if OWN_FILE.match(name):
        return True
    try:
        decode(_read_file(path, None))
    except ShareFileError:
        return False
    return True


def class_files(folder: Path) -> list[str]:
    """The names :func:`clear_folder` would delete now (for the trainer's "Yes, delete N
    files"); an unreadable folder has none."""
    try:
        with os.scandir(folder) as entries:
            found = sorted((entry.name, entry.is_file(follow_symlinks=False))
                           for entry in entries)
    except OSError:
        return []
    return [name for name, is_file in found
            if is_file and (_TEMPORARY.match(name) or _is_class_file(folder / name, name))]
