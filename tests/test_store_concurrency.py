"""The store under concurrency: two kernels saving at once lose nothing.

Every lesson records progress by reading, changing and rewriting the one
``progress`` document, so two kernels (two open lessons, Voila beside
JupyterLab) can interleave. These tests run real processes, and once real
Jupyter kernels, that hammer the same document, then count what survived.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tiktok_lab.course import progress_log
from tiktok_lab.work.store import Store, StoreBusyError

# Two processes and two Jupyter kernels: left out of `make check` (the full suite runs it).
pytestmark = [pytest.mark.usefixtures("fresh_learner"), pytest.mark.slow]

UPDATES = 150  # per process; unlocked, two processes lose some of these within a few dozen

# One worker: waits for the start signal, then records UPDATES checks through the real
# progress_log API, each on its own exercise and all on one shared counter.
WORKER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from tiktok_lab.course import progress_log

    worker, start = sys.argv[1], Path(sys.argv[2])
    while not start.exists():
        time.sleep(0.001)
    for i in range(int(sys.argv[3])):
        progress_log.record_check("01_platform", f"{worker}-{i}", "not_yet")
        progress_log.record_check("01_platform", "shared", "not_yet")
""")


def _python(code: str, *args: str, home: Path) -> subprocess.Popen:
    env = {**os.environ, "TIKTOK_LAB_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _exercises(home: Path) -> dict:
    document = Store(home).read("progress")
    return document["lessons"]["01_platform"]["exercises"]


def test_two_processes_recording_progress_at_once_lose_nothing(fresh_learner: Path) -> None:
    start = fresh_learner.parent / "start"
    workers = [_python(WORKER, name, str(start), str(UPDATES), home=fresh_learner)
               for name in ("a", "b")]
    time.sleep(1.0)  # both are imported and polling
    start.touch()
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err

    exercises = _exercises(fresh_learner)
    for name in ("a", "b"):
        missing = [i for i in range(UPDATES) if f"{name}-{i}" not in exercises]
        assert not missing, f"worker {name} lost {len(missing)} of its {UPDATES} records"
    assert exercises["shared"]["attempts"] == 2 * UPDATES, "an increment was lost"
    assert Store(fresh_learner).notices == []


KERNEL_LOOP = textwrap.dedent("""
    import time
    from pathlib import Path
    from tiktok_lab.course import progress_log
    while not Path({start!r}).exists():
        time.sleep(0.001)
    for i in range({updates}):
        progress_log.record_quiz("02_figures", f"{name}-{{i}}", i % 2 == 0)
        progress_log.record_quiz("02_figures", "shared", False)
""")


def test_two_jupyter_kernels_answering_quizzes_at_once_lose_nothing(fresh_learner: Path) -> None:
    """The real case: two notebooks open, each kernel saving to the same ``my_work``."""
    from jupyter_client.manager import KernelManager

    start = fresh_learner.parent / "start"
    env = {**os.environ, "TIKTOK_LAB_HOME": str(fresh_learner)}
    kernels = []
    try:
        for name in ("left", "right"):
            manager = KernelManager(kernel_name="python3")
            manager.start_kernel(env=env, cwd=str(fresh_learner.parent))
            client = manager.client()
            client.start_channels()
            client.wait_for_ready(timeout=120)
            kernels.append((name, manager, client))
        requests = [(client, client.execute(KERNEL_LOOP.format(
            start=str(start), updates=UPDATES, name=name)))
            for name, _manager, client in kernels]
        time.sleep(1.0)
        start.touch()
        for client, msg_id in requests:
            reply = client.get_shell_msg(timeout=300)
            while reply["parent_header"].get("msg_id") != msg_id:  # skip earlier replies
                reply = client.get_shell_msg(timeout=300)
            assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        for _name, manager, client in kernels:
            client.stop_channels()
            manager.shutdown_kernel(now=True)

    quiz = Store(fresh_learner).read("progress")["lessons"]["02_figures"]["quiz"]
    for name in ("left", "right"):
        missing = [i for i in range(UPDATES) if f"{name}-{i}" not in quiz]
        assert not missing, f"kernel {name} lost {len(missing)} answers"
        assert all(quiz[f"{name}-{i}"]["correct"] is (i % 2 == 0) for i in range(UPDATES))
    assert quiz["shared"]["attempts"] == 2 * UPDATES


# Takes a document's lock, says so on stdout, then holds it until killed.
HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tiktok_lab.work.store import Store
    store = Store(Path(sys.argv[1]))
    with store.locked("progress"):
        print("locked", flush=True)
        time.sleep(600)
""")


def _holding_the_lock(home: Path) -> subprocess.Popen:
    holder = _python(HOLDER, str(home), home=home)
    assert holder.stdout.readline().strip() == "locked", holder.stderr.read()
    return holder


def test_a_lock_left_by_a_killed_kernel_does_not_block_the_learner(fresh_learner: Path) -> None:
    holder = _holding_the_lock(fresh_learner)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    holder.stdout.close()
    holder.stderr.close()

    store = Store(fresh_learner, lock_timeout=5)
    began = time.monotonic()
    store.update("progress", lambda data: {**data, "after": "restart"})
    assert time.monotonic() - began < 2, "the dead kernel's lock must be free at once"
    assert store.read("progress") == {"after": "restart"}


def test_a_hung_kernel_gives_a_plain_message_not_an_endless_wait(fresh_learner: Path) -> None:
    holder = _holding_the_lock(fresh_learner)
    try:
        store = Store(fresh_learner, lock_timeout=0.5)
        began = time.monotonic()
        with pytest.raises(StoreBusyError) as caught:
            store.write("progress", {"lost": True})
        assert time.monotonic() - began < 5
        message = str(caught.value)
        assert "progress" in message and "Run the cell again" in message
        assert "Timeout" not in message and ".lock" not in message
    finally:
        holder.kill()
        holder.wait(timeout=10)
        holder.stdout.close()
        holder.stderr.close()
    assert store.read("progress") == {}, "nothing was half-written"


def test_a_busy_progress_record_becomes_a_notice_not_a_failed_cell(
        fresh_learner: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tiktok_lab.work import store as store_module

    holder = _holding_the_lock(fresh_learner)
    try:
        learner_store = store_module.get_store()
        monkeypatch.setattr(learner_store, "lock_timeout", 0.3)
        progress_log.record_check("01_platform", "feed_minutes", "correct")  # must not raise
    finally:
        holder.kill()
        holder.wait(timeout=10)
        holder.stdout.close()
        holder.stderr.close()
    [notice] = learner_store.take_notices()
    assert notice.problem == "busy"
    assert "progress" in notice.message() and "{" not in notice.message()
    progress_log.record_check("01_platform", "feed_minutes", "correct")
    assert progress_log.lesson_entry("01_platform").to_saved()["exercises"]["feed_minutes"]["verdict"] == "correct"


def test_lock_files_stay_out_of_the_download(fresh_learner: Path) -> None:
    import io
    import zipfile

    store = Store(fresh_learner)
    store.update("progress", lambda data: {"lessons": {}})
    names = zipfile.ZipFile(io.BytesIO(store.archive())).namelist()
    assert names == ["my_work/progress.json"]
