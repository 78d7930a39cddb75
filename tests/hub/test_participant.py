"""The simulated participant and the classroom benchmark, without a hub.

What can break in ``tests/hub/participant.py`` and ``benchmarks/classroom.py``
before any hub is involved: the Jupyter messages it sends (checked with
jupyter_client's own Session), the matching of a kernel's replies to the cell that
asked (against a fake kernel websocket on loopback that answers out of order and
talks about other requests), the browser's cookie rules (paths, the hub's and the
server's two ``_xsrf`` cookies, deletion, expiry), and the benchmark's seeding,
aggregation, table and failure recording. The hub itself is tested by the hub's
own smoke test.
"""

from __future__ import annotations

import asyncio
import datetime
import importlib.util
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from . import own_loop
from jupyter_client.session import Session
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application
from tornado.websocket import WebSocketHandler

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))


def _load_benchmark():
    """benchmarks/classroom.py under a name of its own: ``classroom`` is workshop/hub's."""
    spec = importlib.util.spec_from_file_location(
        "classroom_benchmark", REPO_ROOT / "benchmarks" / "classroom.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


classroom = _load_benchmark()

from hub.participant import (  # noqa: E402
    CellRun,
    CookieJar,
    Participant,
    ParticipantError,
    default_path,
    execute_request,
    lesson_cells,
    notebook_code,
    parent_id,
    path_matches,
)
from report import print_table  # noqa: E402

# --------------------------------------------------------------------------- messages


def test_execute_request_is_a_jupyter_message_a_session_can_send() -> None:
    message = execute_request("print(1)", "session-1", "ana")
    assert message["channel"] == "shell"
    header = message["header"]
    assert header["msg_type"] == "execute_request" and header["version"] == "5.3"
    assert header["session"] == "session-1" and header["username"] == "ana"
    assert datetime.datetime.fromisoformat(header["date"]).tzinfo is not None
    assert message["content"] == {
        "code": "print(1)", "silent": False, "store_history": True, "user_expressions": {},
        "allow_stdin": False, "stop_on_error": True}
    assert message["parent_header"] == {} and message["metadata"] == {}
    # what jupyter_server does with it: the channel popped, the rest sent by a Session
    session = Session(key=b"secret")
    frames = session.serialize({k: v for k, v in message.items() if k != "channel"})
    _, frames = session.feed_identities(frames, copy=True)
    received = session.deserialize(frames)
    assert received["header"]["msg_id"] == header["msg_id"]
    assert received["msg_type"] == "execute_request"
    assert received["content"]["code"] == "print(1)"
    assert execute_request("x", "s", "u")["header"]["msg_id"] != header["msg_id"]


def test_parent_id_reads_the_parent_header() -> None:
    assert parent_id({"parent_header": {"msg_id": "abc"}}) == "abc"
    assert parent_id({"parent_header": {}}) is None
    assert parent_id({}) is None


def test_lesson_cells_are_every_code_cell_in_order() -> None:
    cells = lesson_cells(REPO_ROOT, "03_feed")
    notebook = json.loads((REPO_ROOT / "notebooks" / "03_feed.ipynb").read_text())
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert cells == code == notebook_code(notebook)
    assert notebook_code({"cells": [{"cell_type": "code", "source": "a = 1"},
                                    {"cell_type": "markdown", "source": "# a"}]}) == ["a = 1"]
    assert 'tl.start_lesson("03_feed")' in cells[0]  # the set-up cell first
    with pytest.raises(FileNotFoundError):
        lesson_cells(REPO_ROOT, "99_nothing")


def test_lessons_are_looked_for_where_the_class_hub_copies_the_course() -> None:
    hub_code = (REPO_ROOT / "workshop" / "hub" / "tiktok_lab_hub.py").read_text()
    folder = re.search(r'^COURSE_FOLDER = "([^"]+)"', hub_code, re.M).group(1)
    assert classroom.COURSE_FOLDER == folder == classroom.Plan().course_folder
    participant = Participant("http://127.0.0.1:1", "ana", "pw", course_folder=f"{folder}/")
    assert participant.lesson_path("03_feed") == f"{folder}/notebooks/03_feed.ipynb"
    assert Participant("http://127.0.0.1:1", "ana", "pw").lesson_path("03_feed") == \
        "notebooks/03_feed.ipynb"


# --------------------------------------------------------------------------- replies


def _reply(request: dict[str, Any], msg_type: str, content: dict[str, Any],
           channel: str = "iopub") -> str:
    return json.dumps({"header": {"msg_id": f"r-{time.monotonic_ns()}", "msg_type": msg_type},
                       "msg_type": msg_type, "parent_header": request["header"],
                       "metadata": {}, "content": content, "channel": channel})


class FakeKernel(WebSocketHandler):
    """A kernel's websocket that answers out of order, with noise about other requests."""

    seen_headers: list[dict[str, str]] = []

    def open(self, kernel_id: str) -> None:
        FakeKernel.seen_headers.append(dict(self.request.headers))
        self.write_message(json.dumps({"msg_type": "status", "parent_header": {},
                                       "content": {"execution_state": "starting"}}))

    def on_message(self, raw: str | bytes) -> None:
        request = json.loads(raw)
        kind = request["header"]["msg_type"]
        assert request["channel"] == "shell"
        if kind == "kernel_info_request":
            self.write_message(_reply(request, "kernel_info_reply", {"status": "ok"}, "shell"))
            return
        code = request["content"]["code"]
        other = {"header": {"msg_id": "someone-else"}}
        # another request's output and idle first: must not finish this cell
        self.write_message(_reply(other, "stream", {"name": "stdout", "text": "not mine"}))
        self.write_message(_reply(other, "status", {"execution_state": "idle"}))
        self.write_message(_reply(request, "status", {"execution_state": "busy"}))
        if code == "kill":
            self.write_message(json.dumps({"msg_type": "status", "parent_header": {},
                                           "content": {"execution_state": "restarting"}}))
            return
        if code.startswith("raise"):
            error = {"ename": "ValueError", "evalue": "bad", "traceback": []}
            self.write_message(_reply(request, "error", error))
            self.write_message(_reply(request, "execute_reply", {"status": "error", **error},
                                      "shell"))
            self.write_message(_reply(request, "status", {"execution_state": "idle"}))
        elif code == "slow":
            return  # never answers
        else:  # idle before the reply: a cell is done only with both
            self.write_message(_reply(request, "stream", {"name": "stdout", "text": "hello\n"}))
            self.write_message(_reply(request, "status", {"execution_state": "idle"}))
            self.write_message(_reply(request, "execute_reply", {"status": "ok"}, "shell"))


async def _with_fake_kernel(body: Any) -> Any:
    sock, port = bind_unused_port()
    server = HTTPServer(Application([(r"/user/ana/api/kernels/([^/]+)/channels", FakeKernel)]))
    server.add_sockets([sock])
    participant = Participant(f"http://127.0.0.1:{port}", "ana", "pw", timeout=5,
                              cell_timeout=1)
    participant.kernel_session = {"id": "s1", "kernel": {"id": "k1"}}
    participant.jar.update(f"http://127.0.0.1:{port}/user/ana/lab",
                           ["jupyterhub-user-ana=secret; Path=/user/ana/; HttpOnly"])
    try:
        await participant.connect_kernel()
        return await body(participant)
    finally:
        participant.kernel_session = None
        await participant.shutdown()
        server.stop()


def test_a_cell_waits_for_its_own_reply_and_idle_and_keeps_its_output() -> None:
    async def body(participant: Participant) -> list[CellRun]:
        return [await participant.run_cell("print('hello')"),
                await participant.run_cell("raise ValueError('bad')")]

    FakeKernel.seen_headers.clear()
    ok, failed = own_loop.run(_with_fake_kernel(body))
    assert ok.reply and ok.idle and ok.status == "ok" and not ok.failed
    assert ok.stream == "hello\n"  # not the other request's "not mine"
    assert ok.seconds > 0 and ok.index == 0
    assert failed.failed and failed.errors == [("ValueError", "bad")] and failed.index == 1
    assert failed.describe_errors() == "ValueError: bad"
    headers = FakeKernel.seen_headers[0]
    assert headers["Cookie"] == "jupyterhub-user-ana=secret"
    assert headers["Origin"].startswith("http://127.0.0.1:")


def test_a_silent_kernel_times_out_and_a_restarted_one_fails_the_cell() -> None:
    async def body(participant: Participant) -> tuple[str, CellRun, str]:
        with pytest.raises(ParticipantError) as slow:
            await participant.run_cell("slow")
        killed = await participant.run_cell("kill")
        with pytest.raises(ParticipantError) as after:
            await participant.run_cell("1")
        return str(slow.value), killed, str(after.value)

    slow, killed, after = own_loop.run(_with_fake_kernel(body))
    assert "ana: cell 0 not finished after 1 s: slow" in slow
    assert killed.failed and killed.errors[0][0] == "ConnectionLost"
    assert "kernel restarting" in killed.errors[0][1]
    assert "kernel connection closed (kernel restarting" in after


# --------------------------------------------------------------------------- cookies


def test_cookie_paths_follow_rfc_6265() -> None:
    assert path_matches("/user/ana/lab", "/user/ana/")
    assert path_matches("/user/ana", "/user/ana")
    assert path_matches("/user/ana/lab", "/user/ana")
    assert not path_matches("/user/anabel/lab", "/user/ana")
    assert not path_matches("/hub/login", "/user/ana/")
    assert default_path("/hub/login") == "/hub"
    assert default_path("/login") == "/" and default_path("") == "/"


def test_the_jar_sends_the_hubs_and_the_servers_xsrf_cookie_each_on_its_path() -> None:
    jar = CookieJar()
    hub = "http://127.0.0.1:8000"
    jar.update(f"{hub}/hub/login", ["_xsrf=hub-token; Path=/hub/; Max-Age=3600",
                                    "jupyterhub-session-id=s1; Path=/; HttpOnly"])
    jar.update(f"{hub}/user/ana/oauth_callback",
               ['jupyterhub-user-ana="2|abc:def"; Path=/user/ana/; HttpOnly',
                "_xsrf=server-token; Path=/user/ana/"])
    assert jar.get("_xsrf", f"{hub}/hub/api/users/ana") == "hub-token"
    assert jar.get("_xsrf", f"{hub}/user/ana/api/sessions") == "server-token"
    assert jar.get("_xsrf", f"{hub}/user/anabel/api/sessions") is None
    assert jar.header(f"{hub}/user/ana/lab") == \
        'jupyterhub-user-ana=2|abc:def; _xsrf=server-token; jupyterhub-session-id=s1'
    assert jar.header(f"{hub}/hub/home") == "_xsrf=hub-token; jupyterhub-session-id=s1"
    assert jar.header("http://elsewhere:8000/hub/home") == ""  # host-only
    assert jar.header("http://127.0.0.1:9999/hub/home") != ""  # ports are not isolated


def test_the_jar_deletes_replaces_and_expires_cookies() -> None:
    jar = CookieJar()
    url = "http://127.0.0.1:8000/hub/login"
    jar.update(url, ["jupyterhub-hub-login=one; Path=/hub/"])
    jar.update(url, ["jupyterhub-hub-login=two; Path=/hub/"])
    assert jar.get("jupyterhub-hub-login", url) == "two" and len(jar) == 1
    jar.update(url, ["jupyterhub-hub-login=; Path=/hub/; Max-Age=0"])  # logout
    assert jar.get("jupyterhub-hub-login", url) is None and len(jar) == 0
    jar.update(url, ["old=x; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"])
    assert len(jar) == 0
    jar.update(url, ["short=x; Path=/; Max-Age=10"], now=1000.0)
    assert jar.matching(url, now=1005.0) and not jar.matching(url, now=1011.0)
    jar.update(url, ["nopath=x"])  # default path: the request's folder
    assert jar.get("nopath", "http://127.0.0.1:8000/hub/home") == "x"
    assert jar.get("nopath", "http://127.0.0.1:8000/user/ana/") is None
    jar.update(url, ["not a cookie \x00"])  # ignored, not a crash


# --------------------------------------------------------------------------- benchmark


def test_pace_arrivals_and_pauses_are_seeded() -> None:
    assert classroom.pace_range("3-10") == (3.0, 10.0)
    assert classroom.pace_range("2") == (2.0, 2.0)
    for bad in ("ten", "5-1", "-1"):
        with pytest.raises(Exception):
            classroom.pace_range(bad)
    times = classroom.arrivals(30, 10.0, seed=1)
    assert times == classroom.arrivals(30, 10.0, seed=1) != classroom.arrivals(30, 10.0, seed=2)
    assert times[0] == 0 and times == sorted(times) and times[-1] <= 10
    plan = classroom.Plan(pace=(3.0, 10.0))
    waits = classroom.pauses("participant01", 20, plan)
    assert len(waits) == 19 and all(3 <= w <= 10 for w in waits)
    assert waits == classroom.pauses("participant01", 20, plan)
    assert waits != classroom.pauses("participant02", 20, plan)


class ScriptedParticipant:
    """Stands for a Participant in ``attend``: fails where it is told to."""

    def __init__(self, name: str, fail_at: str = "", failing_cell: int = -1) -> None:
        self.name, self.fail_at, self.failing_cell = name, fail_at, failing_cell

    async def login(self) -> float:
        if self.fail_at == "login":
            raise ParticipantError(f"{self.name}: login refused: HTTP 403 at /hub/login")
        return 2.5

    async def open_lesson(self, lesson: str) -> None:
        if self.fail_at == "open":
            raise RuntimeError("surprise")

    async def run_cell(self, code: str, index: int) -> CellRun:
        run = CellRun(index, code, seconds=0.1 * (index + 1), status="ok", reply=True, idle=True)
        if index == self.failing_cell:
            run.status, run.errors = "error", [("NameError", "name 'x' is not defined")]
        return run


def test_attend_records_failures_and_never_raises() -> None:
    plan = classroom.Plan(pace=(0.0, 0.0))
    cells = ["a", "b", "c"]

    async def everyone() -> list[classroom.ParticipantResult]:
        return list(await asyncio.gather(
            classroom.attend(ScriptedParticipant("p1"), cells, plan, 0),
            classroom.attend(ScriptedParticipant("p2", fail_at="login"), cells, plan, 0),
            classroom.attend(ScriptedParticipant("p3", fail_at="open"), cells, plan, 0),
            classroom.attend(ScriptedParticipant("p4", failing_cell=1), cells, plan, 0)))

    ok, refused, surprised, cell_error = own_loop.run(everyone())
    assert not ok.failed and ok.spawn_seconds == 2.5 and ok.open_seconds >= 0
    assert refused.open_seconds is None
    assert ok.cell_seconds == pytest.approx([0.1, 0.2, 0.3])
    assert refused.failed and refused.failure == \
        "log in: p2: login refused: HTTP 403 at /hub/login"
    assert surprised.failure == "open the lesson: p3: RuntimeError('surprise')"
    assert cell_error.cell_errors == ["p4: cell 1: NameError: name 'x' is not defined"]
    assert len(cell_error.cell_seconds) == 3  # a failed cell does not stop the participant


def _run() -> classroom.ClassRun:
    results = [classroom.ParticipantResult(f"p{i}", spawn_seconds=float(i), memory_mb=300.0 + i,
                                           open_seconds=1.0, cell_seconds=[0.01 * i, 0.1 * i])
               for i in range(1, 5)]
    results.append(classroom.ParticipantResult("p5", failure="log in: p5: spawn not finished"))
    results[0].cell_errors.append("p1: cell 1: ValueError: bad")
    return classroom.ClassRun(5, results, 120.0, 2, infrastructure_mb=150.0, cpu_seconds=42.0,
                              busy_percent=80.0, max_load=3.5)


def test_a_run_summarises_into_rows_with_percentiles_and_errors(
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = classroom.rows_from(_run(), classroom.Plan())
    figures = {row.case: row.figure for row in rows}
    assert figures["spawn (login form to JupyterLab 200)"] == \
        "p50 2.5 s, p95 3.9 s, max 4.0 s (4 of 5)"
    assert figures["kernel start (notebook opened to kernel ready)"] == \
        "p50 1.0 s, p95 1.0 s, max 1.0 s"
    # cells 0.01..0.04 and 0.1..0.4 s: 8 of them
    assert figures["cell latency (all cells, no pauses)"] == \
        "p50 70 ms, p95 365 ms, max 400 ms (8 cells)"
    assert figures["  the set-up cell (imports, first cell)"] == "p50 25 ms, p95 38 ms, max 40 ms"
    assert figures["  the other cells"] == "p50 250 ms, p95 385 ms, max 400 ms"
    assert figures["memory per participant (server + kernel)"] == "median 302 MB, max 304 MB"
    assert figures["memory total (participants + hub + proxy)"] == \
        "1360 MB (hub + proxy 150 MB)"
    assert figures["CPU"] == "42 CPU s (hub, proxy, servers, kernels); machine 80 % busy, " \
        "load max 3.5"
    errors = rows[-1]
    assert errors.case == "errors" and errors.ok is False
    assert errors.figure == "1 failed logins/spawns, 1 failed cells"
    assert {row.section for row in rows} == {"classroom N=5"}
    print_table(rows)
    assert "1 figure(s) over target: classroom N=5 / errors" in capsys.readouterr().out
    assert classroom.first_errors([_run()], limit=1) == [
        "N=5: log in: p5: spawn not finished", "N=5: ... and 1 more"]


def test_a_run_where_nobody_got_in_still_reports() -> None:
    run = classroom.ClassRun(2, [classroom.ParticipantResult("p1", failure="log in: refused"),
                                 classroom.ParticipantResult("p2", failure="log in: refused")],
                             3.0, 20)
    figures = {row.case: row.figure for row in classroom.rows_from(run, classroom.Plan())}
    assert figures["spawn (login form to JupyterLab 200)"] == "none"
    assert figures["memory per participant (server + kernel)"] == "not measured"
    assert figures["errors"] == "2 failed logins/spawns"
    run.results[1].failure = "run cell 3: p2: cell 3 not finished after 300 s"
    run.results.append(classroom.ParticipantResult("p3", failure="open the lesson: p3: HTTP 500"))
    run.results.append(classroom.ParticipantResult("p4", failure="leave: p4: HTTP 500"))
    assert classroom.error_counts(run) == {
        "failed logins/spawns": 1, "failed notebook openings": 1, "failed cells": 1,
        "failed departures": 1}


def test_memory_counts_a_process_and_everything_under_it() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        deadline = time.monotonic() + 10
        while True:
            table = classroom.process_table()
            if child.pid in table and table[child.pid].rss_kb > 0:
                break
            assert time.monotonic() < deadline
            time.sleep(0.05)
        import os

        tree = classroom.descendants(os.getpid(), table)
        assert {os.getpid(), child.pid} <= tree
        assert classroom.descendants(child.pid, table) == {child.pid}
        assert classroom.rss_mb([child.pid], table) == table[child.pid].rss_kb / 1024 > 1
        assert classroom.rss_mb([os.getpid(), child.pid], table) > \
            classroom.rss_mb([child.pid], table)
    finally:
        child.kill()
        child.wait()
