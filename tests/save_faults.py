"""Ways the operating system refuses a save, injected with monkeypatch.

The tests run as root, and ``chmod`` does not stop root, so a read-only or full
``my_work/`` and a lock file left unwritable by a ``sudo`` run are simulated at
the system calls the store makes: creating the temporary file (permission,
read-only folder, full disk) and taking the lock (unwritable lock file, or
another kernel holding it past the timeout).
"""

from __future__ import annotations

import errno
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tiktok_lab.work import store_archive, store_files

# name -> how to make saves fail that way
FAULTS = ("permission", "read_only", "full", "lock_unwritable", "busy")


@contextmanager
def saves_refused(fault: str) -> Iterator[None]:
    """Inside the block, every save of the store fails with ``fault`` (one of ``FAULTS``)."""
    import filelock

    patch = pytest.MonkeyPatch()
    if fault in ("permission", "read_only", "full"):
        code = {"permission": errno.EACCES, "read_only": errno.EROFS, "full": errno.ENOSPC}[fault]

        def mkstemp(*args, **kwargs):
            raise OSError(code, "refused by the test")

        patch.setattr(tempfile, "mkstemp", mkstemp)
    elif fault == "lock_unwritable":
        def acquire(self, *args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied", str(self.lock_file))

        patch.setattr(filelock.FileLock, "acquire", acquire)
    elif fault == "busy":
        def acquire(self, *args, **kwargs):
            raise filelock.Timeout(str(self.lock_file))

        patch.setattr(filelock.FileLock, "acquire", acquire)
    else:
        raise ValueError(fault)
    try:
        yield
    finally:
        patch.undo()


def permissions_bind() -> bool:
    """Whether this process is stopped by a read-only folder (root usually is not, unless
    its capabilities were dropped: ``capsh --drop=cap_dac_override -- -c "pytest ..."``)."""
    import os
    import shutil

    folder = tempfile.mkdtemp(prefix="tiktok-lab-permissions-")
    os.chmod(folder, 0o500)
    try:
        with open(os.path.join(folder, "probe"), "w"):
            return False
    except PermissionError:
        return True
    finally:
        os.chmod(folder, 0o700)
        shutil.rmtree(folder, ignore_errors=True)


needs_permissions = pytest.mark.skipif(
    not permissions_bind(), reason="this user writes into read-only folders anyway (root)")


def bound_documents(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Documents may hold ``size`` bytes: the bound is read where files are written
    (``store_files``) and where a .zip is unpacked (``store_archive``)."""
    for module in (store_files, store_archive):
        monkeypatch.setattr(module, "MAX_DOCUMENT_BYTES", size)
