"""The learner store: everything a participant produces, in ``my_work/``.

Each document (``settings``, ``progress``, ``strategy`` ...) is one JSON file
wrapped in an envelope with a schema version, so a later release can read (or
refuse) what an earlier one wrote. Writes go to a temporary file in the same
folder and are renamed over the old file: a crash or a full disk leaves the
previous version intact. A file whose content cannot be used (broken JSON, not
ours, too big, nested too deeply) is never overwritten: it is moved aside with a
timestamp and a plain-words notice says where it went. A file the operating
system would not let us read just now (too many open files, a permission or
network-disk hiccup) is healthy as far as we know: it is left where it is, the
learner is told, and no save replaces it until it has been read again, since
the save would have been built on an empty document.

Two kernels may save at once (a learner with lessons open in two tabs, Voila
beside JupyterLab). Renaming alone keeps each file whole, but a read-modify-write
(``update``: every lesson records progress that way) could still lose the other
kernel's change. So every write holds a per-document lock file
(``.<name>.lock``, beside the document) taken with ``filelock``: an operating
system lock (``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows), which
the system releases when its process dies, so a kernel killed mid-save never
blocks the learner; the file left behind is just an empty marker (on a file
system without OS locks, filelock falls back to a marker that names its owner
process and is broken once that process is gone). A lock held
longer than ``LOCK_TIMEOUT_SECONDS`` (a hung kernel) raises ``StoreBusyError``
with a plain message instead of waiting forever. Reads take no lock: the
rename makes every read see a whole version.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from tiktok_lab.core.paths import unused_path, work_dir
from tiktok_lab.work.store_archive import Download, RestoreResult, Skipped, StoreArchive
from tiktok_lab.work.store_files import (_NAME, _TEMP, APP_NAME, LOCK_TIMEOUT_SECONDS, MAX_DOCUMENT_BYTES,
                                         SCHEMA_VERSION, StoreBusyError, StoreDataError, StoreError,
                                         StoreNotice, StoreTooBigError, StoreUnreadableError,
                                         StoreWriteError, atomic_write, _encode, _read_bounded, _stamp,
                                         _unwrap, document_label, plain_os_reason)

if TYPE_CHECKING:
    from filelock import FileLock

# What callers import from here: the store, its errors and notices (store_files), and what a
# download or restore returns (store_archive).
__all__ = [
    "APP_NAME", "LOCK_TIMEOUT_SECONDS", "MAX_DOCUMENT_BYTES", "SCHEMA_VERSION", "Download",
    "RestoreResult", "Skipped", "Store", "StoreBusyError", "StoreDataError", "StoreError",
    "StoreNotice", "StoreTooBigError", "StoreUnreadableError", "StoreWriteError", "document_label",
    "get_store", "plain_os_reason",
]

# A temporary file older than this was left by a writer killed mid-save (a save
# takes milliseconds, and a live one holds the document's lock anyway).
STALE_TEMP_SECONDS = 60.0


@dataclass
class Store(StoreArchive):
    """A folder of JSON documents written atomically."""

    home: Path
    notices: list[StoreNotice] = field(default_factory=list)
    lock_timeout: float = LOCK_TIMEOUT_SECONDS
    _locks: dict[str, "FileLock"] = field(default_factory=dict, repr=False, compare=False)
    # Documents whose file is there but could not be read or put aside, with the reason:
    # no save replaces them until a read succeeds.
    _held: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # Documents whose stale temporary files were already cleaned in this session.
    _swept: set[str] = field(default_factory=set, repr=False, compare=False)

    def path(self, name: str) -> Path:
        if not _NAME.match(name):  # names are the course's own constants: a maintainer's error
            raise ValueError(f"invalid document name {name!r}: use a-z, 0-9, '-' and '_'")
        return self.home / f"{name}.json"

    def documents(self) -> list[str]:
        """Names of the saved documents, sorted (none when the folder cannot be listed)."""
        try:
            with os.scandir(self.home) as entries:
                names = [e.name[:-5] for e in entries if e.name.endswith(".json")]
        except OSError:
            return []
        return sorted(n for n in names if _NAME.match(n))

    def read(self, name: str, *, report: bool = True) -> dict[str, Any]:
        """The document's data, or ``{}`` when it does not exist or was unusable. Never raises.

        An unusable file (broken JSON, not ours, too big, written by a newer
        release) is moved aside and a notice recorded; ``report=False`` only reads
        and leaves a bad file where it is (for look-ups that must never move files).
        A file the operating system would not let us read is left alone, and
        noticed (``report``): saves refuse to replace it until it reads again.
        """
        return self._load(name, report=report, notify=report)

    def _load(self, name: str, *, report: bool, notify: bool) -> dict[str, Any]:
        path = self.path(name)
        try:
            raw = _read_bounded(path)
        except FileNotFoundError:
            self._held.pop(name, None)
            return {}
        except OSError as error:
            reason = self._held[name] = plain_os_reason(error, "read")
            if notify:
                self._notify(StoreNotice(name, "unreadable", path, reason))
            return {}
        problem, data = ("too_big", {}) if raw is None else _unwrap(raw)
        if problem:
            return self._set_aside(name, problem) if report else {}
        if self._held:
            self._held.pop(name, None)
        return data

    @contextmanager
    def locked(self, name: str) -> Iterator[None]:
        """Hold the document's lock: no other process writes it meanwhile.

        Re-entrant within one thread (``update`` holds it around ``write``).
        ``filelock`` is imported here, on the first save: reading stays light.
        """
        from filelock import FileLock, Timeout

        self.path(name)  # refuses a bad name before anything is created
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreWriteError(name, self.home, error) from error
        lock = self._locks.get(name)
        if lock is None:
            lock = self._locks[name] = FileLock(self.home / f".{name}.lock",
                                                timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise StoreBusyError(name, Path(lock.lock_file)) from None
        except OSError as error:  # a lock file left unwritable (a ``sudo`` run), a full disk
            raise StoreWriteError(name, self.home, error) from error
        try:
            yield
        finally:
            # The save is done (or refused); a failing unlock must not turn it into an
            # error: the operating system drops the lock with the closed file anyway.
            with suppress(OSError):
                lock.release()

    def write(self, name: str, data: dict[str, Any]) -> Path:
        """Save ``data`` atomically (temporary file + rename) and return the path.

        Raises a :class:`StoreError` when the save cannot happen (nothing changes
        on disk then), including when the file on disk could not be read by this
        kernel: ``data`` may have been built on that empty read.
        """
        if not isinstance(data, dict):
            raise TypeError("a store document is a dict")
        path = self.path(name)
        payload = _encode(name, data)
        with self.locked(name):
            self._refuse_if_held(name, path)
            self._replace(name, path, payload)
        return path

    def update(self, name: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """Read, change and write one document under its lock; returns the new data.

        The lock spans the read and the write, so two kernels updating at once
        both see each other's change: none is lost. A file that cannot be read
        now is not replaced by ``change({})``: :class:`StoreUnreadableError`.
        """
        with self.locked(name):
            current = self._load(name, report=True, notify=False)
            self._refuse_if_held(name, self.path(name))
            data = change(current)
            if not isinstance(data, dict):
                raise TypeError("a store document is a dict")
            self._replace(name, self.path(name), _encode(name, data))
        return data

    def take_notices(self) -> list[StoreNotice]:
        """Notices not yet shown to the learner (each is shown once)."""
        taken, self.notices = self.notices, []
        return taken

    def _notify(self, notice: StoreNotice) -> None:
        if notice not in self.notices:  # a file unreadable for a while is told once
            self.notices.append(notice)

    def _refuse_if_held(self, name: str, path: Path) -> None:
        reason = self._held.get(name)
        if reason is None:
            return
        try:
            os.lstat(path)
        except FileNotFoundError:  # gone since: nothing left to replace
            del self._held[name]
            return
        except OSError:
            pass
        raise StoreUnreadableError(name, path, reason)

    def _replace(self, name: str, path: Path, payload: bytes) -> None:
        """Write ``payload`` over the document; the caller holds its lock."""
        self._sweep_temporary_files(name)
        try:
            atomic_write(path, payload, prefix=name)
        except OSError as error:
            raise StoreWriteError(name, self.home, error) from error

    def _sweep_temporary_files(self, name: str) -> None:
        """Remove ``.<name>.*.tmp`` files left by writers killed mid-save.

        Once per document and session, under the document's lock: no live writer
        of this document is filling a temporary file then (every writer holds the
        lock), and only files older than a minute and named like ours are touched.
        """
        if name in self._swept:
            return
        self._swept.add(name)
        cutoff = time.time() - STALE_TEMP_SECONDS
        with suppress(OSError), os.scandir(self.home) as entries:
            for entry in entries:
                found = _TEMP.match(entry.name)
                if found and found["name"] == name and entry.is_file(follow_symlinks=False):
                    with suppress(OSError):
                        if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                            os.unlink(entry.path)

    def _set_aside(self, name: str, problem: str) -> dict[str, Any]:
        path = self.path(name)
        # "progress.too-big-<stamp>.json": hyphens only, the shape reset.py recognises as ours
        label = problem.replace("_", "-")
        try:
            kept = unused_path(path.with_name(f"{name}.{label}-{_stamp()}.json"))
            os.replace(path, kept)
        except FileNotFoundError:  # another kernel set it aside first
            return {}
        except OSError:
            # Read-only folder or a hiccup: leave it, tell the learner, and let no
            # save replace it (its content is not lost while it stays there).
            kept = path
            from tiktok_lab.core.i18n import t

            self._held[name] = t("store.read_reason.damaged")
        else:
            self._held.pop(name, None)
        self._notify(StoreNotice(name, problem, kept))
        return {}


_stores: dict[Path, Store] = {}


def get_store() -> Store:
    """The store for the current working folder (one instance per folder).

    Looked up on every call because ``TIKTOK_LAB_HOME`` or the working folder
    may change during a session (tests, a trainer moving work).
    """
    home = work_dir()
    if home not in _stores:
        _stores[home] = Store(home)
    return _stores[home]
