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

import io
import json
import os
import re
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable

from tiktok_lab.learner_errors import LearnerError
from tiktok_lab.paths import unused_path, work_dir

if TYPE_CHECKING:
    from filelock import FileLock

SCHEMA_VERSION = 1
APP_NAME = "tiktok-lab"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# A save takes milliseconds; ten seconds of waiting means the other kernel hangs.
LOCK_TIMEOUT_SECONDS = 10.0

# Bounds on what one document, and one restored .zip, may hold. Measured on the
# largest documents a full course produces (a script filled every lesson: 22
# exercises each checked, hinted, solved and answered in 2,000 characters, all 34
# quiz questions, and strategy drafts with every field at its limit, 500
# characters and 20 items):
#   progress.json  61 KB (12 KB with one-line answers); deflates 12-43 times
#   strategy.json  90 KB per full draft, 0.36 MB with four, 0.89 MB with ten;
#                  deflates up to 113 times (duplicated drafts repeat themselves);
#                  the 20 conflict records a shared document keeps add 0.46 MB at most
# so about ten times the largest realistic document (four full drafts) is 4 MB:
# no learner reaches it (four drafts and every conflict record full fit four times
# over: test_the_document_bound_leaves_room_for_the_largest_real_strategy), and a
# check never parses a 50 MB file (2 s each).
MAX_DOCUMENT_BYTES = 4_000_000
# Our documents nest 7 levels at most (envelope, lessons, lesson, exercises,
# exercise...); 64 leaves room, and stays far below what Python's JSON reader and
# writer can follow (a settings file nested 100,000 deep crashed every lesson).
MAX_DEPTH = 64
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
# A temporary file older than this was left by a writer killed mid-save (a save
# takes milliseconds, and a live one holds the document's lock anyway).
STALE_TEMP_SECONDS = 60.0
# What ``tempfile.mkstemp`` names ours: ``.<document>.<8 random characters>.tmp``.
_TEMP = re.compile(r"^\.(?P<name>[a-z0-9][a-z0-9_-]{0,63})\.[a-z0-9_]{8}\.tmp$")
# Copies kept aside by this store (``Store._set_aside``, ``Store._backup``), as a
# download carries them: ``<name>.<kind>-<YYYYmmdd-HHMMSS>[-n].json``.
_KEPT_COPY = re.compile(
    r"^[a-z0-9][a-z0-9_-]{0,63}\.(corrupted|newer|too-big|before-restore)"
    r"-\d{8}-\d{6}(?:-\d+)?\.json$")
# The document's lock, and the markers filelock may keep beside it on a file
# system without OS locks; never more than a few lines each.
_LOCK = re.compile(r"^\.[a-z0-9][a-z0-9_-]{0,63}\.lock(?:\.[A-Za-z0-9_.-]+)?$")
_LOCK_MAX_BYTES = 4096


def written_by_store(path: Path) -> bool:
    """Whether ``path`` is a file this store wrote in its folder: a document in our
    envelope, its lock, a temporary file of a save, or a copy kept aside.

    The one rule for commands that move or delete work files (``reset --work``):
    judged by name *and* content, so a user's ``report.backup-….json``, a
    ``.my.important.tmp`` or a ``notes.json`` beside our documents is never ours.
    """
    try:
        if path.is_symlink() or not path.is_file():
            return False
        name = path.name
        if _TEMP.match(name) or _KEPT_COPY.match(name):
            return True
        if _LOCK.match(name):
            return path.stat().st_size <= _LOCK_MAX_BYTES
        if name.endswith(".json") and _NAME.match(name[:-5]):
            return _is_envelope_file(path)
    except OSError:
        return False
    return False


def _is_envelope_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_DOCUMENT_BYTES:
                return False
            content = json.loads(handle.read())
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(content, dict) and content.get("app") == APP_NAME


def document_label(name: str) -> str:
    """What a learner calls a saved document ("course progress", "votre progression"):
    the file name for a document the strings do not know."""
    from tiktok_lab.i18n import t

    key = f"store.document.{name}"
    label = t(key)
    return name if label == key else label


class StoreError(LearnerError, RuntimeError):
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
        super().__init__(t("store.busy", document=document_label(document), seconds=int(LOCK_TIMEOUT_SECONDS)))


class StoreWriteError(StoreError):
    """The operating system refused a save (read-only or full folder, a lock file
    left unwritable by another user, a network disk gone): nothing was changed on disk."""

    def __init__(self, document: str, folder: Path, error: OSError) -> None:
        from tiktok_lab.i18n import t

        self.document = document
        self.folder = folder
        self.reason = plain_os_reason(error)
        super().__init__(t("store.unwritable", document=document_label(document), folder=str(folder),
                           reason=self.reason))


class StoreUnreadableError(StoreError):
    """A save refused because the version on disk could not be read (or put aside):
    the new data may have been built on an empty read, and would replace real work."""

    def __init__(self, document: str, path: Path, reason: str) -> None:
        from tiktok_lab.i18n import t

        self.document = document
        self.path = path
        self.reason = reason
        super().__init__(t("store.held", document=document_label(document), file=path.name, reason=reason))


class StoreTooBigError(StoreError):
    """A save refused because the document would exceed ``MAX_DOCUMENT_BYTES``."""

    def __init__(self, document: str, size: int) -> None:
        from tiktok_lab.i18n import t

        self.document = document
        self.size = size
        super().__init__(t("store.too_big_to_save", document=document_label(document), size=_megabytes(size),
                           limit=_megabytes(MAX_DOCUMENT_BYTES)))


class StoreDataError(StoreError):
    """A save refused because the data cannot be stored as JSON (nested too deeply,
    keys or values JSON cannot spell): a bug of ours, told plainly all the same."""

    def __init__(self, document: str) -> None:
        from tiktok_lab.i18n import t

        self.document = document
        super().__init__(t("store.unsavable", document=document_label(document)))


def plain_os_reason(error: OSError, action: str = "write") -> str:
    """The learner-facing reason for an OS error, in words (no errno, no class name)."""
    import errno

    from tiktok_lab.i18n import t

    kinds = {
        errno.EACCES: "permission", errno.EPERM: "permission", errno.EROFS: "read_only",
        errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EMFILE: "busy_system",
        errno.ENFILE: "busy_system",
    }
    kind = kinds.get(error.errno or 0, "other")
    if action == "read":
        return t(f"store.read_reason.{kind if kind in ('permission', 'busy_system') else 'other'}")
    return t(f"store.reason.{kind}")


def _megabytes(size: int) -> str:
    from tiktok_lab.i18n import format_number

    return format_number(size / 1_000_000, digits=1)


@dataclass(frozen=True)
class StoreNotice:
    """Something a learner should know about their saved work."""

    document: str
    # "corrupted" | "newer" | "too_big" (set aside as kept_at) | "unreadable" (left
    # in place: kept_at is the file itself) | "busy" (kept_at is then the lock file)
    problem: str
    kept_at: Path
    reason: str = ""

    def message(self) -> str:
        from tiktok_lab.i18n import t

        return t(f"store.{self.problem}", document=document_label(self.document), kept_at=self.kept_at.name,
                 seconds=int(LOCK_TIMEOUT_SECONDS), reason=self.reason,
                 limit=_megabytes(MAX_DOCUMENT_BYTES))


@dataclass(frozen=True)
class Skipped:
    """One file a restore did not bring back, or a download left out, and why."""

    file: str  # as named in the .zip, or relative to my_work
    kind: str  # a key under ``store.skip``
    detail: str = ""  # a plain reason from the operating system, when there is one

    def reason(self) -> str:
        from tiktok_lab.i18n import t

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
        from tiktok_lab.i18n import t

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
    # Documents whose file is there but could not be read or put aside, with the reason:
    # no save replaces them until a read succeeds.
    _held: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # Documents whose stale temporary files were already cleaned in this session.
    _swept: set[str] = field(default_factory=set, repr=False, compare=False)

    def path(self, name: str) -> Path:
        if not _NAME.match(name):
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
            _atomic_write(path, payload, prefix=name)
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
            from tiktok_lab.i18n import t

            self._held[name] = t("store.read_reason.damaged")
        else:
            self._held.pop(name, None)
        self._notify(StoreNotice(name, problem, kept))
        return {}

    # ------------------------------------------------------------------
    # Download and restore.

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
            _atomic_write(backup, current, prefix=name)
        except OSError as error:
            raise StoreWriteError(name, self.home, error) from error
        self._held.pop(name, None)  # the unread version is kept beside: replacing it is safe
        return backup


# ----------------------------------------------------------------------
# Reading and writing one document.


def _read_bounded(path: Path) -> bytes | None:
    """The file's bytes, or None when it is larger than a document may be (unread)."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_DOCUMENT_BYTES:
            return None
        raw = handle.read()  # not read(limit): that would allocate the limit on every look-up
    return None if len(raw) > MAX_DOCUMENT_BYTES else raw


def _unwrap(raw: bytes | str) -> tuple[str | None, dict[str, Any]]:
    """(problem, data): problem is None, "corrupted" or "newer". Never raises."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        envelope = json.loads(text)
    except (ValueError, RecursionError):  # broken JSON or UTF-8, or nested past Python's reach
        return "corrupted", {}
    if not isinstance(envelope, dict) or envelope.get("app") != APP_NAME:
        return "corrupted", {}
    version = envelope.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return "corrupted", {}
    if version > SCHEMA_VERSION:
        return "newer", {}
    data = envelope.get("data")
    if not isinstance(data, dict) or _too_deep(text, envelope):
        return "corrupted", {}
    return None, data


def _too_deep(text: str, value: Any) -> bool:
    """Whether ``value`` (parsed from, or written as, ``text``) nests past ``MAX_DEPTH``.

    Counting brackets first (at C speed) spares the walk for small documents,
    such as the settings read on every string lookup.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    level = [value]
    for _ in range(MAX_DEPTH):  # one nesting level at a time, containers only
        level = [child for item in level
                 for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, (dict, list))]
        if not level:
            return False
    return True


def _encode(name: str, data: dict[str, Any]) -> bytes:
    """The file's bytes for ``data``, or a :class:`StoreError` saying why it cannot be saved."""
    envelope = {
        "app": APP_NAME,
        "schema_version": SCHEMA_VERSION,
        "document": name,
        "saved_at": _now().isoformat(timespec="seconds"),
        "data": data,
    }
    try:
        text = json.dumps(envelope, ensure_ascii=False, indent=2, sort_keys=True)
    except (TypeError, ValueError, RecursionError) as error:
        raise StoreDataError(name) from error
    if _too_deep(text, envelope):
        raise StoreDataError(name)
    payload = _utf8(text)
    if len(payload) > MAX_DOCUMENT_BYTES:
        raise StoreTooBigError(name, len(payload))
    return payload


def _utf8(text: str) -> bytes:
    """UTF-8 bytes, with each lone surrogate (half an emoji pasted from a broken
    source, ``"\\ud800"``) saved as U+FFFD, the replacement character.

    Such a string is not text: no file, page or kernel message can carry it, so
    keeping it exactly is impossible; U+FFFD is what every UTF-8 reader shows
    for it. Surrogates that form a pair become the character they spell.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def _atomic_write(path: Path, payload: bytes, *, prefix: str) -> None:
    """Temporary file (``.<prefix>.XXXXXXXX.tmp``), flushed and synced, then renamed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{prefix}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):  # else a stale-file sweep removes it later
            os.unlink(tmp)
        raise


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
