"""Fault injection on every path of the learner store (issue 14).

The operating system can refuse any step of a save or a read: permission
(``EACCES``, a folder left by a ``sudo`` run), a read-only folder (``EROFS``), a
full disk (``ENOSPC``), too many open files (``EMFILE``), a network disk's
hiccup (``EIO``). Each is injected, one at a time, at each step the store takes
(opening a file, reading it, writing it, ``fsync``, the rename, creating the
folder, taking the lock) while each operation runs (read, write, update,
restore, download, setting a damaged file aside). Whatever happens:

- ``read`` and ``restore`` and ``download`` never raise; ``write`` and
  ``update`` raise nothing but a :class:`StoreError`;
- the version on disk before the operation is still there, whole (or the new
  one is, when the operation succeeded), and no temporary file is left;
- a healthy file is never set aside as damaged, and a damaged one is never lost;
- a save after a read that failed never replaces the file that was not read;
- every message is plain words.
"""

from __future__ import annotations

import builtins
import errno
import fcntl
import io
import os
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from strategies import assert_plain
from tiktok_lab.work.store import Store, StoreError

ERRORS = ("EACCES", "EROFS", "ENOSPC", "EMFILE", "EIO")
STEPS = ("open", "read", "write", "fsync", "rename", "mkdir", "lock")
OPERATIONS = ("read", "write", "update", "restore", "download", "set_aside")

BEFORE = {"lessons": {"01_platform": {"opened_at": "2026-01-01", "answer": "mine 🎬"}}}
NEW = {"lessons": {"01_platform": {"opened_at": "2026-01-02", "answer": "new"}}}
DAMAGED = b'{"app": "tiktok-lab", "schema_version": 1, "data": {broken'


class _FailingFile:
    """A real open file whose reads (or writes) fail as a failing disk's would."""

    def __init__(self, real: Any, error: OSError, methods: tuple[str, ...]) -> None:
        self._real, self._error, self._methods = real, error, methods

    def __getattr__(self, name: str) -> Any:
        if name in self._methods:
            def fail(*args: Any, **kwargs: Any) -> Any:
                raise self._error
            return fail
        return getattr(self._real, name)

    def __enter__(self) -> "_FailingFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()

    def __iter__(self) -> Iterator[Any]:
        raise self._error


@contextmanager
def fault(step: str, error_name: str, home: Path) -> Iterator[None]:
    """While inside, ``step`` fails with ``error_name`` for files in ``home``."""
    number = getattr(errno, error_name)
    error = OSError(number, os.strerror(number))
    inside = str(home)

    def ours(path: Any) -> bool:
        return isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(inside)

    patches: list[tuple[Any, str, Any]] = []
    real_io_open, real_os_open, real_fdopen = io.open, os.open, os.fdopen

    if step == "open":
        def failing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            if ours(file):
                raise error
            return real_io_open(file, *args, **kwargs)

        def failing_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
            if ours(path):
                raise error
            return real_os_open(path, *args, **kwargs)

        patches += [(io, "open", failing_open), (builtins, "open", failing_open),
                    (os, "open", failing_os_open)]
    elif step in ("read", "write"):
        methods = (("read", "readinto", "readall", "readline", "readlines") if step == "read"
                   else ("write", "writelines"))

        def wanted(mode: str) -> bool:
            return ("r" in mode and "+" not in mode) == (step == "read")

        def wrapping_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_io_open(file, mode, *args, **kwargs)
            return _FailingFile(handle, error, methods) if ours(file) and wanted(mode) else handle

        def wrapping_fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, mode, *args, **kwargs)
            return _FailingFile(handle, error, methods) if wanted(mode) else handle

        patches += [(io, "open", wrapping_open), (builtins, "open", wrapping_open),
                    (os, "fdopen", wrapping_fdopen)]
    elif step == "fsync":
        def failing_fsync(fd: int) -> None:
            raise error

        patches.append((os, "fsync", failing_fsync))
    elif step == "rename":
        real_replace, real_rename = os.replace, os.rename

        def failing(real: Any) -> Any:
            def rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
                if ours(src) or ours(dst):
                    raise error
                return real(src, dst, *args, **kwargs)
            return rename

        patches += [(os, "replace", failing(real_replace)), (os, "rename", failing(real_rename))]
    elif step == "mkdir":
        real_mkdir = os.mkdir

        def failing_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if ours(path):
                raise error
            return real_mkdir(path, *args, **kwargs)

        patches.append((os, "mkdir", failing_mkdir))
    elif step == "lock":
        real_flock = fcntl.flock

        def failing_flock(fd: int, operation: int) -> None:
            if operation & fcntl.LOCK_EX:
                raise error
            return real_flock(fd, operation)

        patches.append((fcntl, "flock", failing_flock))
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _archive(tmp_path: Path) -> bytes:
    source = Store(tmp_path / "source" / "my_work")
    source.write("progress", NEW)
    source.write("settings", {"language": "en"})
    return source.archive()


def _plain(store: Store, *messages: str) -> None:
    for message in messages:
        assert_plain(message)
    for notice in store.notices:
        assert_plain(notice.message())


def _set_aside_files(store: Store, name: str) -> list[Path]:
    return [p for p in store.home.glob(f"{name}.*-*.json") if ".before-restore-" not in p.name]


@pytest.mark.parametrize("error_name", ERRORS)
@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_refusing_operating_system_never_loses_work(tmp_path: Path, operation: str, step: str,
                                                      error_name: str) -> None:
    fresh = step == "mkdir"  # creating the folder only happens on the first save
    store = Store(tmp_path / "my_work", lock_timeout=0.05)
    before = b""
    if not fresh:
        store.write("progress", BEFORE)
        before = (store.home / "progress.json").read_bytes()
        (store.home / "settings.json").write_bytes(DAMAGED)
        store = Store(store.home, lock_timeout=0.05)  # a new session: nothing known yet
    archive = _archive(tmp_path) if operation == "restore" else b""

    outcome: Any = None
    with fault(step, error_name, store.home):
        if operation == "read":
            outcome = store.read("progress")
        elif operation in ("write", "update"):
            try:
                if operation == "write":
                    store.write("progress", NEW)
                else:
                    store.update("progress", lambda data: {**data, **NEW})
            except StoreError as refused:
                outcome = refused
        elif operation == "restore":
            outcome = store.restore(archive)
        elif operation == "download":
            outcome = store.download()
        else:
            outcome = store.read("settings")

    on_disk = store.home / "progress.json"
    if fresh:
        assert not on_disk.exists() or Store(store.home).read("progress") == NEW
    else:
        saved = Store(store.home).read("progress", report=False)
        assert saved in (BEFORE, NEW)
        if saved == BEFORE:
            assert on_disk.read_bytes() == before, "the previous version is intact"
    assert not _set_aside_files(store, "progress"), "a healthy file is never set aside"
    assert not list(store.home.glob(".*.tmp")) if store.home.is_dir() else True

    if operation == "read":
        assert outcome in ({}, BEFORE)
        _plain(store)
        if outcome == {} and not fresh:  # the read failed: a save built on it must not land
            with pytest.raises(StoreError) as refused:
                store.write("progress", {"built on": "an empty read"})
            _plain(store, str(refused.value))
            assert on_disk.read_bytes() == before
    elif operation in ("write", "update"):
        _plain(store, *([str(outcome)] if outcome else []))
        if outcome is None:
            assert Store(store.home).read("progress") == NEW
    elif operation == "restore":
        _plain(store, *([outcome.message()] if outcome.problem else []),
               *(s.reason() for s in outcome.skipped))
        assert "progress" in outcome or any(s.file == "my_work/progress.json"
                                            for s in outcome.skipped) or outcome.problem
        if "progress" in outcome and not fresh:
            [copy] = store.home.glob("progress.before-restore-*.json")
            assert copy.read_bytes() == before
    elif operation == "download":
        _plain(store, *(s.reason() for s in outcome.left_out))
        names = zipfile.ZipFile(io.BytesIO(outcome.payload)).namelist()
        assert names == [f"my_work/{f}" for f in outcome.files]
        if not fresh:
            listed = set(outcome.files) | {s.file for s in outcome.left_out}
            assert {"progress.json", "settings.json"} <= listed, "every file is saved or named"
    else:
        assert outcome == {}
        _plain(store)
        if not fresh:
            keeping = [p for p in store.home.glob("settings*.json") if p.read_bytes() == DAMAGED]
            assert keeping, "the damaged file is kept, in place or aside"
            try:
                store.write("settings", {"language": "fr"})
            except StoreError as refused:
                _plain(store, str(refused))
            assert any(p.read_bytes() == DAMAGED for p in store.home.glob("settings*.json")), \
                "a save never replaces a damaged file that could not be set aside"


def test_the_fault_injection_reaches_every_step(tmp_path: Path) -> None:
    """Each injected step really fails a save (else the test above could pass by missing it)."""
    for step in ("open", "write", "fsync", "rename", "lock"):
        store = Store(tmp_path / step / "my_work", lock_timeout=0.05)
        store.write("progress", BEFORE)
        with fault(step, "EIO", store.home), pytest.raises(StoreError):
            store.write("progress", NEW)
    for step in ("open", "read"):
        store = Store(tmp_path / f"read-{step}" / "my_work")
        store.write("progress", BEFORE)
        with fault(step, "EIO", store.home):
            assert store.read("progress") == {}
    store = Store(tmp_path / "mkdir" / "my_work")
    with fault("mkdir", "EIO", store.home), pytest.raises(StoreError):
        store.write("progress", NEW)
