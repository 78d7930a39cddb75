"""Download and restore of ``my_work/``: a .zip the learner keeps before a Binder session
ends, and brings back later. Both never raise; what they leave out is named with its reason.

:class:`StoreArchive` gives :class:`tiktok_lab.work.store.Store` its ``download``,
``archive`` and ``restore`` methods.
"""

from __future__ import annotations

import io
import os
import time
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from tiktok_lab.core.paths import unused_path
from tiktok_lab.work.store_files import (_KEPT_COPY, _NAME, MAX_DOCUMENT_BYTES, StoreBusyError, StoreError,
                                         StoreTooBigError, StoreUnreadableError, StoreWriteError,
                                         atomic_write, _encode, _megabytes, _stamp, _unwrap,
                                         plain_os_reason)

# A download holds the few documents plus the copies kept aside by earlier
# restores or damaged files (one per document each time): ~50 after a busy
# workshop, so 500 entries; and everything restored together at most four
# documents at the largest size.
MAX_ARCHIVE_ENTRIES = 500
MAX_ARCHIVE_BYTES = 4 * MAX_DOCUMENT_BYTES
# Learners' documents deflate 3-113 times; deflate cannot pack better than ~1,030
# times, which only a run of one repeated character reaches (a zip bomb: 97 KB
# becoming a 100 MB progress.json). Checked on entries above 256 KB, since a tiny
# file's ratio says nothing.
MAX_COMPRESSION_RATIO = 500
# A file of the learner's own in my_work/ (a picture, a video) travels in the
# download only up to this size: the .zip is built in the kernel's memory and
# reaches the browser as a data: link.
MAX_DOWNLOAD_FILE_BYTES = MAX_ARCHIVE_BYTES
RATIO_CHECK_FROM_BYTES = 256_000


@dataclass(frozen=True)
class Skipped:
    """One file a restore did not bring back, or a download left out, and why."""

    file: str  # as named in the .zip, or relative to my_work
    kind: str  # a key under ``store.skip``
    detail: str = ""  # a plain reason from the operating system, when there is one

    def reason(self) -> str:
        from tiktok_lab.core.i18n import t

        limit = MAX_DOWNLOAD_FILE_BYTES if self.kind == "too_big_download" else MAX_DOCUMENT_BYTES
        return t(f"store.skip.{self.kind}", detail=self.detail,
                 limit=_megabytes(limit), ratio=MAX_COMPRESSION_RATIO)


class RestoreResult(list):
    """The names of the documents restored, in order (a list, as callers always used
    it), with ``skipped``: every other file of the .zip and why it was not restored,
    and ``problem``: why the whole .zip was refused ("not_zip", "too_many",
    "too_big"), or None."""

    def __init__(self) -> None:
        super().__init__()
        self.skipped: list[Skipped] = []
        self.problem: str | None = None

    def message(self) -> str:
        """The plain sentence for ``problem`` (empty when the .zip was opened)."""
        from tiktok_lab.core.i18n import t

        if not self.problem:
            return ""
        return t(f"store.restore.{self.problem}", count=MAX_ARCHIVE_ENTRIES,
                 limit=_megabytes(MAX_ARCHIVE_BYTES))


@dataclass(frozen=True)
class Download:
    """A zip of ``my_work/`` and what it holds; ``left_out`` says what it does not and why
    (a link to a file elsewhere, a file the computer would not let us read)."""

    payload: bytes
    files: tuple[str, ...]
    left_out: tuple[Skipped, ...]


class _Skip(Exception):
    """Raised inside a restore to skip one entry of the .zip (never escapes)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = detail


class StoreArchive:
    """The download and restore methods of :class:`~tiktok_lab.work.store.Store`, which
    provides ``home``, ``path``, ``locked``, ``_replace`` and ``_held``."""

    def download(self) -> Download:
        """A zip of the files in ``my_work/`` (never raises), to keep before a Binder
        session ends. Links are left out, so nothing from outside ``my_work/`` travels."""
        buffer = io.BytesIO()
        files: list[str] = []
        left_out: list[Skipped] = []
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for relative, path in _files_below(self.home, left_out):
                try:
                    content, mtime = _read_no_follow(path)
                except _Skip as skip:
                    left_out.append(Skipped(relative, skip.kind, skip.detail))
                    continue
                info = zipfile.ZipInfo(f"my_work/{relative}", _zip_time(mtime))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
                files.append(relative)
        return Download(buffer.getvalue(), tuple(files), tuple(left_out))

    def archive(self) -> bytes:
        """The bytes of :meth:`download`."""
        return self.download().payload

    def restore(self, archive: bytes | bytearray | memoryview) -> RestoreResult:
        """Bring back documents from an archive made by :meth:`archive`. Never raises.

        Only well-formed documents of ours are restored, each within the bounds
        above; the current version of each is kept beside it first, so a wrong
        upload loses nothing. The result lists what was restored, and every
        other file with the reason it was not.
        """
        result = RestoreResult()
        if not isinstance(archive, (bytes, bytearray, memoryview)):
            result.problem = "not_zip"  # nothing was uploaded, or not a file's content
            return result
        try:
            bundle = zipfile.ZipFile(io.BytesIO(archive))
        except _BROKEN_ARCHIVE:
            result.problem = "not_zip"
            return result
        with bundle:
            chosen = _choose_entries(bundle, result)
            for name, info in chosen.items():
                try:
                    self._restore_one(name, _unpack(bundle, info))
                except _Skip as skip:
                    result.skipped.append(Skipped(info.filename, skip.kind, skip.detail))
                else:
                    result.append(name)
        return result

    def _restore_one(self, name: str, data: dict[str, Any]) -> None:
        """Keep a copy of the current version beside it, then write ``data``."""
        try:
            payload = _encode(name, data)
            with self.locked(name):
                path = self.path(name)
                backup = self._backup(name, path)
                try:
                    self._replace(name, path, payload)
                except StoreError:
                    if backup is not None:  # nothing changed: the copy is not needed
                        with suppress(OSError):
                            backup.unlink()
                    raise
        except StoreBusyError:
            raise _Skip("busy") from None
        except StoreUnreadableError as error:
            raise _Skip("current_unreadable", error.reason) from None
        except StoreWriteError as error:
            raise _Skip("not_saved", error.reason) from None
        except StoreTooBigError:
            raise _Skip("too_big") from None
        except StoreError:
            raise _Skip("damaged") from None

    def _backup(self, name: str, path: Path) -> Path | None:
        """Copy the current file (whatever its content) to ``<name>.before-restore-*``.

        A copy, not a rename: the document stays in place until the new version
        replaces it, so a failed restore changes nothing.
        """
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreUnreadableError(name, path, plain_os_reason(error, "read")) from error
        try:
            backup = unused_path(path.with_name(f"{name}.before-restore-{_stamp()}.json"))
            atomic_write(backup, current, prefix=name)
        except OSError as error:
            raise StoreWriteError(name, self.home, error) from error
        self._held.pop(name, None)  # the unread version is kept beside: replacing it is safe
        return backup


# ----------------------------------------------------------------------
# The download.


# Our own lock and temporary files: never part of a download.
_NOT_WORK = (".tmp", ".lock")


def _files_below(home: Path, left_out: list[Skipped]) -> Iterator[tuple[str, Path]]:
    """(path relative to ``home``, path) of every regular file below ``home``, sorted.

    Never follows a link (a link to a secret file or folder elsewhere is left
    out and named); skips our lock and temporary files.
    """
    pending = [(home, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            if folder != home or not isinstance(error, FileNotFoundError):
                left_out.append(Skipped(prefix or "my_work", "unreadable",
                                        plain_os_reason(error, "read")))
            continue
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            if entry.is_symlink():
                left_out.append(Skipped(relative, "link"))
            elif entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), f"{relative}/"))
            elif entry.is_file(follow_symlinks=False) and not entry.name.endswith(_NOT_WORK):
                if _size(entry) > MAX_DOWNLOAD_FILE_BYTES:
                    # A video dropped in my_work would be read into the kernel and sent
                    # to the page as base64: left out, and named.
                    left_out.append(Skipped(relative, "too_big_download"))
                else:
                    yield relative, Path(entry.path)


def _size(entry: os.DirEntry[str]) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_size
    except OSError:
        return 0  # reading it will say why


def _read_no_follow(path: Path) -> tuple[bytes, float]:
    """A file's bytes and modification time, refusing a link swapped in meanwhile."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        import errno

        if error.errno == errno.ELOOP:
            raise _Skip("link") from None
        raise _Skip("unreadable", plain_os_reason(error, "read")) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            return handle.read(), os.fstat(handle.fileno()).st_mtime
    except OSError as error:
        raise _Skip("unreadable", plain_os_reason(error, "read")) from None


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    """The file's date as a zip can hold it (1980 to 2107)."""
    try:
        stamp = tuple(time.localtime(mtime)[:6])
    except (OverflowError, OSError, ValueError):
        stamp = (1980, 1, 1, 0, 0, 0)
    earliest, latest = (1980, 1, 1, 0, 0, 0), (2107, 12, 31, 23, 59, 58)
    return min(max(stamp, earliest), latest)  # type: ignore[return-value]


# ----------------------------------------------------------------------
# The restore.

# What opening an uploaded file as a zip may raise.
_BROKEN_ARCHIVE = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
                   RuntimeError, NotImplementedError, struct.error, KeyError, IndexError)


def _unpack_errors() -> tuple[type[BaseException], ...]:
    """What unpacking one entry may raise besides ``NotImplementedError`` and ``RuntimeError``."""
    errors: list[type[BaseException]] = [zipfile.BadZipFile, zlib.error, EOFError, OSError,
                                         ValueError, struct.error]
    with suppress(ImportError):
        import lzma

        errors.append(lzma.LZMAError)
    return tuple(errors)


def _choose_entries(bundle: zipfile.ZipFile,
                    result: RestoreResult) -> dict[str, zipfile.ZipInfo]:
    """The entries to restore, by document name (the last of duplicates). Every other
    file is recorded in ``result.skipped``; a .zip over the bounds sets ``result.problem``."""
    entries = [info for info in bundle.infolist() if not info.is_dir()]
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        result.problem = "too_many"
        return {}
    chosen: dict[str, zipfile.ZipInfo] = {}
    for info in entries:
        if _derived(info):
            continue
        kind = _not_restorable(info)
        if kind:
            result.skipped.append(Skipped(info.filename, kind))
            continue
        name = PurePosixPath(info.filename).stem
        if name in chosen:
            result.skipped.append(Skipped(chosen[name].filename, "duplicate"))
        chosen[name] = info
    if sum(info.file_size for info in chosen.values()) > MAX_ARCHIVE_BYTES:
        result.problem = "too_big"
        result.skipped.clear()
        return {}
    return chosen


# Folders of my_work/ whose files the course rebuilds from the documents (the class file of
# room/sharing.py, kept to hand to the trainer): downloaded with the rest, so the learner has
# them, but never restored nor reported as "not restored" (the next share rebuilds them).
DERIVED_FOLDERS = frozenset({"class"})


def _derived(info: zipfile.ZipInfo) -> bool:
    parts = PurePosixPath(info.filename).parts
    return len(parts) in (2, 3) and parts[-2] in DERIVED_FOLDERS and parts[-1].endswith(".json")


def _not_restorable(info: zipfile.ZipInfo) -> str | None:
    """Why an entry is not restored, judged from its header alone; None to unpack it."""
    # Our download holds ``my_work/<name>.json``; a learner who unpacked it and
    # zipped it again with their computer's own "Compress" gets ``<name>.json``
    # at the top, or inside a renamed folder ("my_work 2/"). All three are theirs.
    # (The entry's path only chooses the document name; nothing is written there.)
    parts = PurePosixPath(info.filename).parts
    if not 1 <= len(parts) <= 2 or parts[0] in ("..", "/") or parts[0].startswith("__MACOSX"):
        return "not_ours"
    file_name = parts[-1]
    if _KEPT_COPY.match(file_name):
        return "kept_copy"
    if not file_name.endswith(".json") or not _NAME.match(file_name[:-5]):
        return "not_ours"
    if info.flag_bits & 0x1:
        return "encrypted"
    if info.file_size > MAX_DOCUMENT_BYTES:
        return "too_big"
    if (info.file_size > RATIO_CHECK_FROM_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
        return "suspicious"
    return None


def _unpack(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, Any]:
    """One entry's document data, unpacked with a cap (the header's size is not trusted)."""
    try:
        with bundle.open(info) as entry:
            raw = entry.read(MAX_DOCUMENT_BYTES + 1)
    except NotImplementedError:  # a compression method zipfile does not know
        raise _Skip("compression") from None
    except RecursionError:
        raise _Skip("damaged") from None
    except RuntimeError:  # encrypted, or a compression module missing from this Python
        raise _Skip("encrypted" if info.flag_bits & 0x1 else "compression") from None
    except _unpack_errors():  # broken deflate data, a wrong checksum, cut short
        raise _Skip("damaged") from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise _Skip("too_big")
    problem, data = _unwrap(raw)
    if problem:
        raise _Skip("newer" if problem == "newer" else "damaged")
    return data
