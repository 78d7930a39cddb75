"""One document's file in ``my_work/``: the envelope and its schema version, the bounds on
size and depth, atomic writing, and the store's errors and notices in plain words.

The store (:mod:`tiktok_lab.work.store`) and its download and restore
(:mod:`tiktok_lab.work.store_archive`) both write files this way.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tiktok_lab.core.learner_errors import LearnerError

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
#   strategy.json  about 160 KB per full draft since the brief holds themes with video
#                  ideas, a test plan and roles (90 KB before), 0.64 MB with four;
#                  deflates up to 113 times (duplicated drafts repeat themselves);
#                  the 20 conflict records a shared document keeps add 0.46 MB at most
# so several times the largest realistic document (four full drafts) is 5 MB:
# no learner reaches it (four drafts and every conflict record full fit four times
# over: test_the_document_bound_leaves_room_for_the_largest_real_strategy), and a
# check never parses a 50 MB file (2 s each).
MAX_DOCUMENT_BYTES = 5_000_000
# Our documents nest 7 levels at most (envelope, lessons, lesson, exercises,
# exercise...); 64 leaves room, and stays far below what Python's JSON reader and
# writer can follow (a settings file nested 100,000 deep crashed every lesson).
MAX_DEPTH = 64
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
    from tiktok_lab.core.i18n import t

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
        from tiktok_lab.core.i18n import t

        self.document = document
        self.lock_path = lock_path
        super().__init__(t("store.busy", document=document_label(document), seconds=int(LOCK_TIMEOUT_SECONDS)))


class StoreWriteError(StoreError):
    """The operating system refused a save (read-only or full folder, a lock file
    left unwritable by another user, a network disk gone): nothing was changed on disk."""

    def __init__(self, document: str, folder: Path, error: OSError) -> None:
        from tiktok_lab.core.i18n import t

        self.document = document
        self.folder = folder
        self.reason = plain_os_reason(error)
        super().__init__(t("store.unwritable", document=document_label(document), folder=str(folder),
                           reason=self.reason))


class StoreUnreadableError(StoreError):
    """A save refused because the version on disk could not be read (or put aside):
    the new data may have been built on an empty read, and would replace real work."""

    def __init__(self, document: str, path: Path, reason: str) -> None:
        from tiktok_lab.core.i18n import t

        self.document = document
        self.path = path
        self.reason = reason
        super().__init__(t("store.held", document=document_label(document), file=path.name, reason=reason))


class StoreTooBigError(StoreError):
    """A save refused because the document would exceed ``MAX_DOCUMENT_BYTES``."""

    def __init__(self, document: str, size: int) -> None:
        from tiktok_lab.core.i18n import t

        self.document = document
        self.size = size
        super().__init__(t("store.too_big_to_save", document=document_label(document), size=_megabytes(size),
                           limit=_megabytes(MAX_DOCUMENT_BYTES)))


class StoreDataError(StoreError):
    """A save refused because the data cannot be stored as JSON (nested too deeply,
    keys or values JSON cannot spell): a bug of ours, told plainly all the same."""

    def __init__(self, document: str) -> None:
        from tiktok_lab.core.i18n import t

        self.document = document
        super().__init__(t("store.unsavable", document=document_label(document)))


def plain_os_reason(error: OSError, action: str = "write") -> str:
    """The learner-facing reason for an OS error, in words (no errno, no class name)."""
    import errno

    from tiktok_lab.core.i18n import t

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
    from tiktok_lab.core.i18n import format_number

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
        from tiktok_lab.core.i18n import t

        return t(f"store.{self.problem}", document=document_label(self.document), kept_at=self.kept_at.name,
                 seconds=int(LOCK_TIMEOUT_SECONDS), reason=self.reason,
                 limit=_megabytes(MAX_DOCUMENT_BYTES))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp() -> str:
    return _now().strftime("%Y%m%d-%H%M%S")


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


def atomic_write(path: Path, payload: bytes, *, prefix: str, mode: int | None = None) -> None:
    """Temporary file (``.<prefix>.XXXXXXXX.tmp``), flushed and synced, then renamed.

    ``mode`` sets the file's permissions before anything is written (the live room's class
    files are group-readable for the trainer); by default the temporary file's 0600 stays."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{prefix}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):  # else a stale-file sweep removes it later
            os.unlink(tmp)
        raise
