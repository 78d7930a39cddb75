"""The class hub of ``workshop/hub/`` started for real, with participants who use it as a browser.

- Smoke: two participants log in at once, each gets their own server running as their own
  Unix account inside its limits, runs a lesson's set-up cell, and cannot read the other's home.
- The live room: a participant shares into the class folder, another can neither list it
  nor read, remove or replace that file; the trainer reads it, sees a withdrawal at once,
  deletes the class data, and opens the view with Voilà.
- Faults a class meets: a kernel killed by the memory limit, the hub restarting mid-session,
  a server stopped by the idle culler and a participant coming back. In each, what was saved
  in ``my_work/`` is still there, byte for byte.

The load runs (5 to 30 participants) are in ``benchmarks/classroom.py``, not here.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import stat
import time
from pathlib import Path

import pytest

from . import own_loop
from .classhub import ClassHub, missing_parts
from .participant import Participant

pytestmark = pytest.mark.slow

COURSE = "tiktok-lab-course"
LESSON = "01_platform"


@pytest.fixture(scope="module", autouse=True)
def _a_hub_can_start() -> None:
    problem = missing_parts()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the class hub cannot start: {problem}")
        pytest.skip(problem)


def run(coroutine):
    return own_loop.run(asyncio.wait_for(coroutine, 600))


async def arrive(hub: ClassHub, name: str) -> Participant:
    """A participant logs in and opens the lesson (its set-up cell is the first code cell)."""
    someone = Participant(hub.url, name, hub.password, course_folder=COURSE)
    await someone.login()
    await someone.open_lesson(LESSON)
    return someone


SAVE_WORK = """
from tiktok_lab.work.store import get_store
get_store().write("hub-check", {"brand": "Les Tisanes du Moulin", "notes": "é 🎉 <b>"})
print(get_store().path("hub-check"))
"""
READ_WORK = """
from tiktok_lab.work.store import get_store
print(get_store().read("hub-check"))
"""


def saved_file(hub: ClassHub, name: str) -> Path:
    return hub.home(name) / COURSE / "notebooks" / "my_work" / "hub-check.json"


def test_two_participants_get_their_own_servers_and_cannot_read_each_other(tmp_path) -> None:
    with ClassHub(tmp_path, memory_limit="1G", cpu_limit=1.0) as hub:
        async def scenario():
            ana, ben = await asyncio.gather(arrive(hub, "Ana"), arrive(hub, "Ben"))
            try:
                setup = await asyncio.gather(ana.run_cell(ana.lesson_code[0]),
                                             ben.run_cell(ben.lesson_code[0]))
                whoami = await ana.run_cell("import os; print(os.getuid())")
                peek = await ana.run_cell(
                    f"import os\ntry:\n    os.listdir({str(hub.home('ben'))!r})\n"
                    f"    print('READ')\nexcept PermissionError:\n    print('REFUSED')")
                return setup, whoami, peek
            finally:
                await asyncio.gather(ana.shutdown(), ben.shutdown())

        setup, whoami, peek = run(scenario())
        assert [cell.failed for cell in setup] == [False, False], [c.describe_errors() for c in setup]
        account = pwd.getpwnam(hub.system_user("ana"))
        assert whoami.stream.strip() == str(account.pw_uid)
        assert peek.stream.strip() == "REFUSED"
        assert os.stat(hub.home("ben")).st_mode & 0o077 == 0
        # The course was laid out in each home: both editions.
        notebooks = hub.home("ana") / COURSE / "notebooks"
        assert (notebooks / f"{LESSON}.ipynb").is_file()
        assert (notebooks / "fr" / f"{LESSON}.ipynb").is_file()
        # Each server (and so its kernels) runs in its participant's cgroup, with the limit.
        pid = hub.server_pid("ana")
        groups = Path(f"/proc/{pid}/cgroup").read_text()
        assert f"tiktok-lab/{hub.system_user('ana')}" in groups
        limit = Path("/sys/fs/cgroup/memory/tiktok-lab") / hub.system_user("ana") / "memory.limit_in_bytes"
        if limit.exists():  # cgroup v1 here; v2 hosts write memory.max (tests/hub/test_hub_config.py)
            assert int(limit.read_text()) == 1024**3


def test_a_kernel_killed_by_the_memory_limit_loses_no_saved_work(tmp_path) -> None:
    with ClassHub(tmp_path, memory_limit="600M") as hub:
        async def scenario():
            ana = await arrive(hub, "ana")
            try:
                saved = await ana.run_cell(SAVE_WORK)
                before = saved_file(hub, "ana").read_bytes()
                # A runaway cell: far more than the limit, touched so that it is really used.
                runaway = await ana.run_cell("block = bytearray(2 * 1024**3)")
                await ana.wait_for_kernel()
                after = await ana.run_cell(READ_WORK)
                return saved, before, runaway, after
            finally:
                await ana.shutdown()

        saved, before, runaway, after = run(scenario())
        assert not saved.failed, saved.describe_errors()
        assert runaway.failed  # the kernel died (or MemoryError): never a silent success
        assert not after.failed and "Les Tisanes du Moulin" in after.stream
        assert saved_file(hub, "ana").read_bytes() == before
        assert hub.server_pid("ana")  # the participant's server itself survived


def test_the_hub_restarting_mid_session_loses_nothing(tmp_path) -> None:
    with ClassHub(tmp_path) as hub:
        async def scenario():
            ana = await arrive(hub, "ana")
            try:
                await ana.run_cell(SAVE_WORK + "\ncounter = 41")
                pid = hub.server_pid("ana")
                hub.restart_hub()
                # The open notebook goes on: same kernel, same variables.
                same_kernel = await ana.run_cell("print(counter + 1)")
                # A new browser (new login) finds the same server and the work.
                await ana.reconnect()
                work = json.loads(await ana.read_file(f"{COURSE}/notebooks/my_work/hub-check.json"))
                return pid, same_kernel, work
            finally:
                await ana.shutdown()

        pid, same_kernel, work = run(scenario())
        assert same_kernel.stream.strip() == "42"
        assert work["data"] == {"brand": "Les Tisanes du Moulin", "notes": "é 🎉 <b>"}
        assert hub.server_pid("ana") == pid


def test_an_idle_server_is_stopped_and_comes_back_with_the_work(tmp_path) -> None:
    with ClassHub(tmp_path, cull_timeout=10) as hub:
        async def scenario():
            ana = await arrive(hub, "ana")
            await ana.run_cell(SAVE_WORK)
            before = saved_file(hub, "ana").read_bytes()
            await ana.shutdown()  # the participant leaves for lunch
            deadline = time.monotonic() + 120
            while hub.server_pid("ana") and time.monotonic() < deadline:
                await asyncio.sleep(2)
            culled = hub.server_pid("ana") is None
            await ana.reconnect()  # back from lunch: logging in starts the server again
            await ana.open_lesson(LESSON)
            after = await ana.run_cell(READ_WORK)
            await ana.shutdown()
            return culled, before, after

        culled, before, after = run(scenario())
        assert culled, "the idle culler did not stop the idle server"
        assert saved_file(hub, "ana").read_bytes() == before
        assert "Les Tisanes du Moulin" in after.stream
        assert hub.user("ana")["name"] == "ana"  # the user was not deleted either


TRAINER_PASSWORD = "trainer-password-of-32-characters!"
SHARE = """
from tiktok_lab.room import sharing
outcome = sharing.share_item("progress", "Anne")
print(outcome.ok, outcome.state.participant, outcome.message)
"""
WITHDRAW = """
from tiktok_lab.room import sharing
print(sharing.withdraw_item("progress").ok)
"""
PRY = """
import json, os
folder = os.environ["TIKTOK_LAB_CLASS_DIR"]
target = os.path.join(folder, "{participant}.json")
seen = {{}}
def attempt(what, action):
    try:
        action()
        seen[what] = "DONE"
    except PermissionError:
        seen[what] = "REFUSED"
def replace():
    own = os.path.join(folder, ".{participant}.ben.tmp")
    with open(own, "w") as handle:
        handle.write("{{}}")
    try:
        os.replace(own, target)
    finally:
        if os.path.exists(own):
            os.unlink(own)
attempt("list", lambda: os.listdir(folder))
attempt("read", lambda: open(target).read())
attempt("delete", lambda: os.unlink(target))
attempt("rename", lambda: os.rename(target, os.path.join(folder, "mine.json")))
attempt("overwrite", lambda: open(target, "w").write("{{}}"))
attempt("replace", replace)
print(json.dumps(seen))
"""
LOOK = """
import json, os
from pathlib import Path
from tiktok_lab.room.class_folder import read_folder
found = read_folder(Path(os.environ["TIKTOK_LAB_CLASS_DIR"]))
print(json.dumps([[share.name, sorted(share.items)] for share in found.shares]
                 + [[skipped.name, skipped.reason] for skipped in found.skipped]))
"""
CLEAR = """
import os
from pathlib import Path
from tiktok_lab.room.class_folder import clear_folder
print(clear_folder(Path(os.environ["TIKTOK_LAB_CLASS_DIR"])))
"""
CHECK_VIEW = {"cells": [{"id": "drop-box", "cell_type": "code", "execution_count": None,
                         "metadata": {}, "outputs": [],
                         "source": "import os; print('drop box:', os.environ['TIKTOK_LAB_CLASS_DIR'])"}],
              "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                          "language": "python"}},
              "nbformat": 4, "nbformat_minor": 5}


def test_participants_share_into_a_drop_box_only_the_trainer_reads(tmp_path) -> None:
    with ClassHub(tmp_path, trainer_password=TRAINER_PASSWORD) as hub:
        folder = hub.class_folder
        trainer_account = pwd.getpwnam(hub.system_user(hub.trainer))
        info = folder.stat()  # made at start, before anyone logged in
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == \
            (trainer_account.pw_uid, trainer_account.pw_gid, 0o3773)

        async def scenario():
            trainer = Participant(hub.url, hub.trainer, TRAINER_PASSWORD, course_folder=COURSE)
            anne, ben = await asyncio.gather(arrive(hub, "Anne"), arrive(hub, "Ben"))
            try:
                await trainer.login()
                await trainer.open_lesson(LESSON)
                steps = {"shared": await anne.run_cell(SHARE)}
                participant = steps["shared"].stream.split()[1]
                on_disk = os.stat(folder / f"{participant}.json")
                steps["pried"] = await ben.run_cell(PRY.format(participant=participant))
                steps["seen"] = await trainer.run_cell(LOOK)
                steps["withdrawn"] = await anne.run_cell(WITHDRAW)
                steps["seen_after"] = await trainer.run_cell(LOOK)
                steps["shared_again"] = await anne.run_cell(SHARE)
                steps["cleared"] = await trainer.run_cell(CLEAR)
                steps["seen_cleared"] = await trainer.run_cell(LOOK)
                view = "class-view.ipynb"
                if not (hub.home(hub.trainer) / view).is_file():  # before `class --write-notebook`
                    view = "room-check.ipynb"
                    await trainer.write_file(view, json.dumps(CHECK_VIEW))
                page = await trainer.open_page(f"voila/render/{view}")
                return participant, on_disk, steps, (view, *page)
            finally:
                await asyncio.gather(anne.shutdown(), ben.shutdown(), trainer.shutdown())

        participant, on_disk, steps, page = run(scenario())
        for name, cell in steps.items():
            assert not cell.failed, (name, cell.describe_errors())
        assert steps["shared"].stream.startswith("True ")
        # Anne's file: hers, readable by the trainer's group only.
        anne = pwd.getpwnam(hub.system_user("anne"))
        assert (on_disk.st_uid, on_disk.st_gid, stat.S_IMODE(on_disk.st_mode)) == \
            (anne.pw_uid, trainer_account.pw_gid, 0o640)
        assert json.loads(steps["pried"].stream) == {
            "list": "REFUSED", "read": "REFUSED", "delete": "REFUSED", "rename": "REFUSED",
            "overwrite": "REFUSED", "replace": "REFUSED"}
        assert json.loads(steps["seen"].stream) == [["Anne", ["progress"]]]  # nothing of Ben's
        assert steps["withdrawn"].stream.strip() == "True"
        assert json.loads(steps["seen_after"].stream) == []
        assert steps["cleared"].stream.strip() == "(1, [])"
        assert json.loads(steps["seen_cleared"].stream) == [] and os.listdir(folder) == []
        # The trainer's view opens with Voilà, whose kernel is told where the drop box is.
        view, code, text = page
        assert code == 200, text[-2000:]
        if view == "room-check.ipynb":  # this tiktok-lab has no `class --write-notebook` yet:
            assert f"drop box: {folder}" in text  # the spawn went on, and said why in the log
            assert "class view was not written" in hub.log_tail("hub", 2000)
