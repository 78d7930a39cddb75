"""A class on the course's JupyterHub: N simulated participants log in, spawn and run a lesson.

For each N, a fresh hub from the project's configuration (``tests/hub/classhub.py``,
``workshop/hub/``) starts on loopback. N participants (``tests/hub/participant.py``:
the login form, the spawn, the kernel websocket, as a browser) arrive over a few
seconds like a room, each opens the lesson and runs all its code cells in order,
pausing between cells at a reading pace (seeded: two runs with the same seed make
the same pauses). Printed per N: spawn time (login form to JupyterLab answering
200), cell latency (all cells of all participants, pauses excluded), memory per
participant (RSS of their server and its kernels, from ``/proc``) and in total (with
the hub and the proxy), CPU and load, and every failure. Exit code 1 when a
participant failed (a login, a spawn, a cell).

    python benchmarks/classroom.py --participants 5 10 20 30 [--lesson 03_feed] [--pace 3-10]
    python benchmarks/classroom.py --hub-url https://hub.example.org --password WORD \\
        [--api-token TOKEN] --participants 10      # a trainer's own hub, already running

Against a running hub the participants are named ``participant01``...: it must
accept them with the shared password. Memory is measured only when the hub runs on
this machine and ``--api-token`` (scopes ``admin:users``, ``admin:servers``,
``admin:server_state``) lets the script read each server's process id.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hub.participant import CellRun, Participant, ParticipantError, lesson_cells  # noqa: E402
from report import Row, median, percentile, print_table  # noqa: E402

# Where the class hub lays the course out in each home (workshop/hub/tiktok_lab_hub.py's
# COURSE_FOLDER; tests/hub/test_participant.py checks they agree).
COURSE_FOLDER = "tiktok-lab-course"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Plan:
    """What every participant of a run does, and how fast."""

    lesson: str = "03_feed"
    pace: tuple[float, float] = (3.0, 10.0)  # seconds of reading between two cells
    arrival: float = 10.0  # participants arrive over this many seconds
    seed: int = 1
    prefix: str = "participant"
    course_folder: str = COURSE_FOLDER  # the lessons are in <home>/<course_folder>/notebooks/
    spawn_timeout: float = 300.0
    cell_timeout: float = 300.0

    def name(self, index: int) -> str:
        return f"{self.prefix}{index + 1:02d}"


@dataclass
class ParticipantResult:
    """One participant's run: how long the spawn and each cell took, what went wrong."""

    name: str
    arrived_after: float = 0.0
    spawn_seconds: float | None = None
    open_seconds: float | None = None  # notebook opened to its kernel answering
    cell_seconds: list[float] = field(default_factory=list)
    cell_errors: list[str] = field(default_factory=list)
    failure: str | None = None  # a step that stopped this participant (login, spawn, kernel)
    memory_mb: float | None = None

    @property
    def failed(self) -> bool:
        return self.failure is not None or bool(self.cell_errors)


@dataclass
class ClassRun:
    """One run of N participants, and what the machine went through."""

    participants: int
    results: list[ParticipantResult]
    seconds: float
    cells_per_participant: int
    infrastructure_mb: float | None = None  # hub + proxy (and their helpers)
    cpu_seconds: float | None = None  # hub, proxy, servers and kernels, since they started
    busy_percent: float | None = None  # the whole machine's CPU, during the run
    max_load: float | None = None  # 1-minute load average, highest seen during the run


# --------------------------------------------------------------------------- pace


def pace_range(text: str) -> tuple[float, float]:
    """``"3-10"`` -> (3.0, 10.0); ``"5"`` -> (5.0, 5.0). For ``--pace``."""
    low, _, high = text.partition("-")
    try:
        pace = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"pace {text!r}: expected seconds like 3-10") from None
    if pace[0] < 0 or pace[1] < pace[0]:
        raise argparse.ArgumentTypeError(f"pace {text!r}: expected 0 <= low <= high")
    return pace


def arrivals(count: int, spread: float, seed: int) -> list[float]:
    """When each participant arrives (seconds after the start), seeded, the first at 0."""
    rng = random.Random(f"arrivals-{seed}-{count}")
    times = sorted(rng.uniform(0, spread) for _ in range(count))
    return [t - times[0] for t in times] if times else []


def pauses(name: str, count: int, plan: Plan) -> list[float]:
    """The reading pauses of one participant between its ``count`` cells (seeded by name)."""
    rng = random.Random(f"pace-{plan.seed}-{name}")
    return [rng.uniform(*plan.pace) for _ in range(max(count - 1, 0))]


# --------------------------------------------------------------------------- one participant


async def attend(participant: Participant, cells: Sequence[str], plan: Plan,
                 arrive_after: float) -> ParticipantResult:
    """Arrive, log in, open the lesson, run every cell with pauses. Never raises."""
    result = ParticipantResult(participant.name, arrived_after=arrive_after)
    waits = pauses(participant.name, len(cells), plan)
    await asyncio.sleep(arrive_after)
    step = "log in"
    try:
        result.spawn_seconds = await participant.login()
        step = "open the lesson"
        opening = time.perf_counter()
        await participant.open_lesson(plan.lesson)
        result.open_seconds = time.perf_counter() - opening
        for index, code in enumerate(cells):
            step = f"run cell {index}"
            run: CellRun = await participant.run_cell(code, index)
            result.cell_seconds.append(run.seconds)
            if run.failed:
                result.cell_errors.append(
                    f"{participant.name}: cell {index}: {run.describe_errors()}")
            if index < len(waits):
                await asyncio.sleep(waits[index])
    except ParticipantError as error:
        result.failure = f"{step}: {error}"
    except Exception as error:  # a bug or a surprise: recorded like a failure, not a crash
        result.failure = f"{step}: {participant.name}: {error!r}"
    return result


# --------------------------------------------------------------------------- memory and CPU


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    uid: int
    rss_kb: int
    cpu_ticks: int  # user + system, own and waited-for children


def process_table() -> dict[int, Proc]:
    """Every process of this machine that can be read in ``/proc`` (Linux)."""
    table: dict[int, Proc] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2:].split()
        values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss = int(values.get("VmRSS", "0 kB").split()[0])  # kernel threads have none
        uid = int(values.get("Uid", "0").split()[0])
        ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
        table[int(entry.name)] = Proc(int(entry.name), int(fields[1]), uid, rss, ticks)
    return table


def descendants(pid: int, table: dict[int, Proc]) -> set[int]:
    """``pid`` and every process under it."""
    children: dict[int, list[int]] = {}
    for proc in table.values():
        children.setdefault(proc.ppid, []).append(proc.pid)
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        if current in table and current not in found:
            found.add(current)
            todo.extend(children.get(current, ()))
    return found


def rss_mb(pids: Iterable[int], table: dict[int, Proc]) -> float:
    return sum(table[p].rss_kb for p in pids if p in table) / 1024


def listening_pids(port: int) -> set[int]:
    """Processes with a TCP socket listening on ``port`` (to find a running hub's proxy)."""
    inodes = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:
            continue
        if any(link == f"socket:[{inode}]" for inode in inodes for link in links):
            pids.add(int(entry.name))
    return pids


async def server_pid(hub_url: str, api_token: str, name: str) -> int | None:
    """The process id of ``name``'s server, from the hub's API (scope admin:server_state)."""
    from tornado.httpclient import AsyncHTTPClient

    client = AsyncHTTPClient(force_instance=True)
    try:
        response = await client.fetch(
            f"{hub_url.rstrip('/')}/hub/api/users/{quote(name)}", raise_error=False,
            headers={"Authorization": f"token {api_token}"}, request_timeout=30)
    finally:
        client.close()
    if response.code != 200:
        return None
    server = (json.loads(response.body).get("servers") or {}).get("") or {}
    pid = (server.get("state") or {}).get("pid")
    return int(pid) if pid else None


async def measure_memory(run: ClassRun, hub_url: str, api_token: str | None,
                         own_hub: bool, system_uid: Callable[[str], int | None]) -> None:
    """Fill in each participant's memory (server + kernels), the hub's and proxy's, and CPU.

    A participant's processes are their server (pid from the hub's API) and everything
    under it; when the hub gives no pid, the processes of their Unix account. The hub
    and proxy are what this script started besides (``own_hub``), or else the process
    listening on the hub's port and, if it is the hub's child, the hub.
    """
    pids = {r.name: await server_pid(hub_url, api_token, r.name) if api_token else None
            for r in run.results}
    table = process_table()
    counted: set[int] = set()
    for result in run.results:
        pid = pids[result.name]
        if pid:
            tree = descendants(pid, table)
        else:
            uid = system_uid(result.name)
            tree = {p.pid for p in table.values() if uid is not None and p.uid == uid}
        if tree:
            result.memory_mb = rss_mb(tree, table)
            counted |= tree
    if own_hub:
        infrastructure = descendants(os.getpid(), table) - counted - {os.getpid()}
    else:
        port = urlsplit(hub_url).port or (443 if hub_url.startswith("https") else 80)
        infrastructure = set()
        for proxy in listening_pids(port):
            infrastructure |= descendants(proxy, table)
            parent = table.get(table[proxy].ppid) if proxy in table else None
            if parent is not None and b"jupyterhub" in _cmdline(parent.pid):
                infrastructure |= descendants(parent.pid, table)
        infrastructure -= counted
    if infrastructure:
        run.infrastructure_mb = rss_mb(infrastructure, table)
    everything = counted | infrastructure
    if everything:
        run.cpu_seconds = sum(table[p].cpu_ticks for p in everything) / CLOCK_TICKS


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class MachineSampler(threading.Thread):
    """The machine's CPU use and load average during a run (``/proc/stat``, every 2 s)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.max_load = 0.0
        self._done = threading.Event()
        self._start_ticks = self._ticks()

    @staticmethod
    def _ticks() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values) - idle, sum(values)

    def run(self) -> None:
        while not self._done.wait(2):
            self.max_load = max(self.max_load, os.getloadavg()[0])

    def finish(self) -> tuple[float, float]:
        """(busy % of all cores since the start, highest 1-minute load average)."""
        self._done.set()
        self.max_load = max(self.max_load, os.getloadavg()[0])
        busy, total = self._ticks()
        busy0, total0 = self._start_ticks
        return 100 * (busy - busy0) / max(total - total0, 1), self.max_load


# --------------------------------------------------------------------------- a class


async def run_class(hub_url: str, password: str, count: int, plan: Plan, *,
                    api_token: str | None = None, own_hub: bool = False,
                    system_uid: Callable[[str], int | None] = lambda name: None,
                    stop_servers: bool = False) -> ClassRun:
    """``count`` participants attend the lesson on the hub at ``hub_url``."""
    cells = lesson_cells(ROOT, plan.lesson)
    people = [Participant(hub_url, plan.name(i), password, course_folder=plan.course_folder,
                          spawn_timeout=plan.spawn_timeout, cell_timeout=plan.cell_timeout)
              for i in range(count)]
    sampler = MachineSampler()
    sampler.start()
    started = time.perf_counter()
    results = await asyncio.gather(*(
        attend(person, cells, plan, when)
        for person, when in zip(people, arrivals(count, plan.arrival, plan.seed))))
    run = ClassRun(count, list(results), time.perf_counter() - started, len(cells))
    run.busy_percent, run.max_load = sampler.finish()
    try:
        await measure_memory(run, hub_url, api_token, own_hub, system_uid)
    finally:
        leaving = await asyncio.gather(*(p.shutdown(stop_server=stop_servers) for p in people),
                                       return_exceptions=True)
    for result, outcome in zip(run.results, leaving):
        if isinstance(outcome, Exception) and result.failure is None:
            result.failure = f"leave: {outcome}"
    return run


def run_on_class_hub(count: int, plan: Plan, memory_limit: str, cpu_limit: float,
                     keep: Path | None = None) -> ClassRun:
    """A fresh hub from the project's configuration, on loopback, for one run. Its folder
    (the hub's and the proxy's logs) is kept in ``keep``/N<count> when given."""
    from hub.classhub import ClassHub

    def system_uid(name: str) -> int | None:
        import pwd

        try:
            return pwd.getpwnam(hub.system_user(name)).pw_uid
        except KeyError:
            return None

    with tempfile.TemporaryDirectory(prefix=f"classroom-{count}-") as scratch:
        workdir = keep / f"N{count}" if keep else Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)  # ClassHub writes its settings there first
        with ClassHub(workdir, memory_limit=memory_limit, cpu_limit=cpu_limit) as hub:
            return asyncio.run(run_class(hub.url, hub.password, count, plan,
                                         api_token=hub.api_token, own_hub=True,
                                         system_uid=system_uid))


# --------------------------------------------------------------------------- report


def _seconds(values: Sequence[float]) -> str:
    return (f"p50 {percentile(values, 50):.1f} s, p95 {percentile(values, 95):.1f} s, "
            f"max {max(values):.1f} s")


def _ms(values: Sequence[float]) -> str:
    return (f"p50 {percentile(values, 50) * 1000:.0f} ms, p95 {percentile(values, 95) * 1000:.0f}"
            f" ms, max {max(values) * 1000:.0f} ms")


def rows_from(run: ClassRun, plan: Plan) -> list[Row]:
    """The table rows of one run (section ``classroom N=<count>``)."""
    section = f"classroom N={run.participants}"
    results = run.results
    spawns = [r.spawn_seconds for r in results if r.spawn_seconds is not None]
    opens = [r.open_seconds for r in results if r.open_seconds is not None]
    cells = [s for r in results for s in r.cell_seconds]
    setup = [r.cell_seconds[0] for r in results if r.cell_seconds]
    others = [s for r in results for s in r.cell_seconds[1:]]
    memory = [r.memory_mb for r in results if r.memory_mb is not None]
    rows = [
        Row(section, f"run ({plan.lesson}, pace {plan.pace[0]:g}-{plan.pace[1]:g} s)",
            f"{run.seconds:.0f} s, {run.cells_per_participant} cells each"),
        Row(section, "spawn (login form to JupyterLab 200)",
            _seconds(spawns) + f" ({len(spawns)} of {run.participants})" if spawns else "none"),
        Row(section, "kernel start (notebook opened to kernel ready)",
            _seconds(opens) if opens else "none"),
        Row(section, "cell latency (all cells, no pauses)",
            _ms(cells) + f" ({len(cells)} cells)" if cells else "none"),
        Row(section, "  the set-up cell (imports, first cell)", _ms(setup) if setup else "none"),
        Row(section, "  the other cells", _ms(others) if others else "none"),
        Row(section, "memory per participant (server + kernel)",
            f"median {median(memory):.0f} MB, max {max(memory):.0f} MB" if memory
            else "not measured"),
    ]
    if memory or run.infrastructure_mb is not None:
        hub = run.infrastructure_mb or 0.0
        rows.append(Row(section, "memory total (participants + hub + proxy)",
                        f"{sum(memory) + hub:.0f} MB (hub + proxy {hub:.0f} MB)"))
    machine = []
    if run.cpu_seconds is not None:
        machine.append(f"{run.cpu_seconds:.0f} CPU s (hub, proxy, servers, kernels)")
    if run.busy_percent is not None:
        machine.append(f"machine {run.busy_percent:.0f} % busy, load max {run.max_load:.1f}")
    if machine:
        rows.append(Row(section, "CPU", "; ".join(machine)))
    counts = error_counts(run)
    errors = ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "none"
    rows.append(Row(section, "errors", errors, "none", not any(counts.values())))
    return rows


def error_counts(run: ClassRun) -> dict[str, int]:
    """Failures by step: logins and spawns, notebooks not opened, cells, and leaving."""
    counts = {"failed logins/spawns": 0, "failed notebook openings": 0,
              "failed cells": 0, "failed departures": 0}
    for result in run.results:
        step = (result.failure or "").split(":", 1)[0]
        if step == "log in":
            counts["failed logins/spawns"] += 1
        elif step == "open the lesson":
            counts["failed notebook openings"] += 1
        elif step.startswith("run cell"):
            counts["failed cells"] += 1
        elif step:
            counts["failed departures"] += 1
        counts["failed cells"] += len(result.cell_errors)
    return counts


def first_errors(runs: Iterable[ClassRun], limit: int = 5) -> list[str]:
    """The first failures of each run, for the lines under the table."""
    lines = []
    for run in runs:
        messages = [r.failure for r in run.results if r.failure] + \
            [e for r in run.results for e in r.cell_errors]
        lines += [f"N={run.participants}: {m}" for m in messages[:limit]]
        if len(messages) > limit:
            lines.append(f"N={run.participants}: ... and {len(messages) - limit} more")
    return lines


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[5],
                        help="class sizes to run, one run each (default: 5)")
    parser.add_argument("--lesson", default=Plan.lesson,
                        help="lesson notebook to run (default: %(default)s)")
    parser.add_argument("--pace", type=pace_range, default=Plan.pace, metavar="LOW-HIGH",
                        help="seconds of reading between two cells (default: 3-10)")
    parser.add_argument("--arrival", type=float, default=Plan.arrival,
                        help="participants arrive over this many seconds (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=Plan.seed)
    parser.add_argument("--spawn-timeout", type=float, default=Plan.spawn_timeout)
    parser.add_argument("--cell-timeout", type=float, default=Plan.cell_timeout)
    parser.add_argument("--memory-limit", default="1G", help="per participant (project's hub)")
    parser.add_argument("--cpu-limit", type=float, default=1.0, help="per participant")
    parser.add_argument("--keep-logs", type=Path, metavar="DIR",
                        help="keep each run's hub folder (hub.log, proxy.log) in DIR/N<count>")
    parser.add_argument("--hub-url", help="run against this running hub instead of starting one")
    parser.add_argument("--password", help="the running hub's shared workshop password")
    parser.add_argument("--api-token", help="a running hub's token with admin:server_state "
                        "(to measure memory when the hub runs on this machine)")
    parser.add_argument("--prefix", default=Plan.prefix, help="participants' user names")
    parser.add_argument("--course-folder", default=COURSE_FOLDER,
                        help="the course's folder in each home, '' for the home itself "
                        "(default: %(default)s, where the project's hub copies it)")
    args = parser.parse_args(argv)
    if args.hub_url and not args.password:
        parser.error("--hub-url needs --password")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = Plan(lesson=args.lesson, pace=args.pace, arrival=args.arrival, seed=args.seed,
                prefix=args.prefix, course_folder=args.course_folder, spawn_timeout=args.spawn_timeout,
                cell_timeout=args.cell_timeout)
    lesson_cells(ROOT, plan.lesson)  # a wrong lesson name fails here, before any hub starts
    runs: list[ClassRun] = []
    for count in args.participants:
        print(f"N={count}: {'hub ' + args.hub_url if args.hub_url else 'starting a hub'}...",
              flush=True)
        if args.hub_url:
            run = asyncio.run(run_class(args.hub_url, args.password, count, plan,
                                        api_token=args.api_token, stop_servers=True))
        else:
            run = run_on_class_hub(count, plan, args.memory_limit, args.cpu_limit,
                                   args.keep_logs)
        runs.append(run)
        if len(args.participants) > 1:  # progress; the whole table comes at the end
            print_table(rows_from(run, plan), title=f"N={count}")
    rows = [row for run in runs for row in rows_from(run, plan)]
    print_table(rows, title=f"Classroom on {os.cpu_count()} cores, "
                f"{_total_memory_gib():.0f} GiB: lesson {plan.lesson}, seed {plan.seed}")
    errors = first_errors(runs)
    if errors:
        print("\nFailures:")
        for line in errors:
            print(f"- {line}")
    return 1 if any(r.failed for run in runs for r in run.results) else 0


def _total_memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
