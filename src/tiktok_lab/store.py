"""The learner store: everything a participant produces, in ``my_work/``.

Each document (``settings``, ``progress``, ``strategy`` ...) is one JSON file
wrapped in an envelope with a schema version, so a later release can read (or
refuse) what an earlier one wrote. Writes go to a temporary file in the same
folder and are renamed over the old file: a crash or a full disk leaves the
previous version intact. A file that cannot be read is never overwritten: it is
moved aside with a timestamp and a plain-words notice says where it went.

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

import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from tiktok_lab.paths import unused_path, work_dir

if TYPE_CHECKING:
    from filelock import FileLock

SCHEMA_VERSION = 1
APP_NAME = "tiktok-lab"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# A save takes milliseconds; ten seconds of waiting means the other kernel hangs.
LOCK_TIMEOUT_SECONDS = 10.0


class StoreError(RuntimeError):
    """A save that could not happen; ``str(error)`` is a plain sentence for the learner.

    Every caller that saves on a learner's behalf catches this one class and shows
    the message (a notice, a line in the widget), never a traceback.
    """


class StoreBusyError(StoreError):
    """Another kernel kept a document locked for too long; the message says what to do."""

    def __init__(self, document: str, lock_path: Path) -> None:
        from tiktok_lab.i18n import t

        self.document = document
        self.lock_path = lock_path
        super().__init__(t("store.busy", document=document, seconds=int(LOCK_TIMEOUT_SECONDS)))


class StoreWriteError(StoreError):
    """The operating system refused a save (read-only or full folder, a lock file
    left unwritable by another user, a network disk gone): nothing was changed on disk."""

    def __init__(self, document: str, folder: Path, error: OSError) -> None:
        from tiktok_lab.i18n import t

        self.document = document
        self.folder = folder
        self.reason = _plain_os_reason(error)
        super().__init__(t("store.unwritable", document=document, folder=str(folder),
                           reason=self.reason))


def _plain_os_reason(error: OSError) -> str:
    """The learner-facing reason for an OS error, in words (no errno, no class name)."""
    import errno

    from tiktok_lab.i18n import t

    kinds = {
        errno.EACCES: "permission", errno.EPERM: "permission", errno.EROFS: "read_only",
        errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EMFILE: "busy_system",
        errno.ENFILE: "busy_system",
    }
    return t(f"store.reason.{kinds.get(error.errno or 0, 'other')}")


@dataclass(frozen=True)
class StoreNotice:
    """Something a learner should know about their saved work."""

    document: str
    problem: str  # "corrupted" | "newer" | "busy" (kept_at is then the lock file)
    kept_at: Path

    def message(self) -> str:
        from tiktok_lab.i18n import t

        return t(f"store.{self.problem}", document=self.document, kept_at=self.kept_at.name,
                 seconds=int(LOCK_TIMEOUT_SECONDS))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp() -> str:
    return _now().strftime("%Y%m%d-%H%M%S")


@dataclass
class Store:
    """A folder of JSON documents written atomically."""

    home: Path
    notices: list[StoreNotice] = field(default_factory=list)
    lock_timeout: float = LOCK_TIMEOUT_SECONDS
    _locks: dict[str, "FileLock"] = field(default_factory=dict, repr=False, compare=False)

    def path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ValueError(f"invalid document name {name!r}: use a-z, 0-9, '-' and '_'")
        return self.home / f"{name}.json"

    def documents(self) -> list[str]:
        """Names of the saved documents, sorted."""
        if not self.home.is_dir():
            return []
        return sorted(p.stem for p in self.home.glob("*.json") if _NAME.match(p.stem))

    def read(self, name: str, *, report: bool = True) -> dict[str, Any]:
        """The document's data, or ``{}`` when it does not exist or was unusable.

        An unusable file (broken JSON, not ours, written by a newer release) is
        moved aside and a notice recorded; ``report=False`` only reads and leaves
        a bad file where it is (for look-ups that must never move files).
        """
        path = self.path(name)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError):
            return self._set_aside(name, "corrupted") if report else {}
        problem, data = _unwrap(raw)
        if problem:
            return self._set_aside(name, problem) if report else {}
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
            lock.release()

    def write(self, name: str, data: dict[str, Any]) -> Path:
        """Save ``data`` atomically (temporary file + rename) and return the path."""
        if not isinstance(data, dict):
            raise TypeError("a store document is a dict")
        path = self.path(name)
        envelope = {
            "app": APP_NAME,
            "schema_version": SCHEMA_VERSION,
            "document": name,
            "saved_at": _now().isoformat(timespec="seconds"),
            "data": data,
        }
        text = json.dumps(envelope, ensure_ascii=False, indent=2, sort_keys=True)
        with self.locked(name):
            try:
                _atomic_write(path, text.encode("utf-8"))
            except OSError as error:
                raise StoreWriteError(name, self.home, error) from error
        return path

    def update(self, name: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """Read, change and write one document under its lock; returns the new data.

        The lock spans the read and the write, so two kernels updating at once
        both see each other's change: none is lost.
        """
        with self.locked(name):
            data = change(self.read(name))
            self.write(name, data)
        return data

    def take_notices(self) -> list[StoreNotice]:
        """Notices not yet shown to the learner (each is shown once)."""
        taken, self.notices = self.notices, []
        return taken

    def _set_aside(self, name: str, problem: str) -> dict[str, Any]:
        path = self.path(name)
        kept = unused_path(path.with_name(f"{name}.{problem}-{_stamp()}.json"))
        try:
            os.replace(path, kept)
        except OSError:
            kept = path  # read-only folder: leave it, but still tell the learner
        self.notices.append(StoreNotice(name, problem, kept))
        return {}

    def archive(self) -> bytes:
        """A zip of every file in ``my_work/``, to download before a Binder session ends."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            if self.home.is_dir():
                for path in sorted(self.home.rglob("*")):
                    if path.is_file() and not path.name.endswith((".tmp", ".lock")):
                        archive.write(path, f"my_work/{path.relative_to(self.home).as_posix()}")
        return buffer.getvalue()

    def restore(self, archive: bytes | bytearray | memoryview) -> list[str]:
        """Bring back documents from an archive made by :meth:`archive`.

        Only well-formed documents of ours are restored; the current version of
        each is kept beside it first, so a wrong upload loses nothing.
        """
        restored: list[str] = []
        if not isinstance(archive, (bytes, bytearray, memoryview)):
            return restored  # nothing was uploaded, or not a file's content
        try:
            with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
                members = [m for m in bundle.namelist() if _restorable(m)]
                for member in members:
                    name = Path(member).stem
                    raw = bundle.read(member).decode("utf-8")
                    problem, data = _unwrap(raw)
                    if problem:
                        continue
                    with self.locked(name):
                        self._backup(name)
                        self.write(name, data)
                    restored.append(name)
        except (zipfile.BadZipFile, UnicodeDecodeError, OSError, ValueError):
            return restored
        return restored

    def _backup(self, name: str) -> None:
        path = self.path(name)
        if path.exists():
            os.replace(path, unused_path(path.with_name(f"{name}.before-restore-{_stamp()}.json")))


def _restorable(member: str) -> bool:
    parts = Path(member).parts
    return (
        len(parts) == 2 and parts[0] == "my_work" and member.endswith(".json")
        and bool(_NAME.match(Path(member).stem))
    )


def _unwrap(raw: str) -> tuple[str | None, dict[str, Any]]:
    """(problem, data): problem is None, "corrupted" or "newer"."""
    try:
        envelope = json.loads(raw)
    except ValueError:
        return "corrupted", {}
    if not isinstance(envelope, dict) or envelope.get("app") != APP_NAME:
        return "corrupted", {}
    version = envelope.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return "corrupted", {}
    if version > SCHEMA_VERSION:
        return "newer", {}
    data = envelope.get("data")
    if not isinstance(data, dict):
        return "corrupted", {}
    return None, data


def _atomic_write(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
