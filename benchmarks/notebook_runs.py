"""How long each lesson takes to run headless, next to an empty notebook, and its kernel's peak memory.

A participant runs a whole lesson in a fresh kernel: most of that time is the
kernel start and the import of pandas, Altair and ipywidgets, which no lesson
can avoid. So each lesson is compared with a *floor* notebook that only does
those imports. Target: the whole course takes at most 1.5 x (lessons x floor),
and no kernel's peak resident memory (VmHWM) goes over 250 MB.

Each run: a fresh kernel, cells run in order through jupyter_client (as nbval
runs them; nbclient stalled here, see :func:`run_with_retry`), cwd
``notebooks/``, ``TIKTOK_LAB_HOME`` in a temporary folder (the learner store starts empty, as on a new machine). The
notebooks are never modified: the peak memory is read from the kernel process's
``/proc/<pid>/status`` after each cell. Runs alternate floor and lessons so a
busy neighbour on the machine slows both alike; each figure is a median. A
cell still running after 120 s counts as a stall of the runner (see
:func:`run_with_retry`); such a run is retried and the retries are reported.

    .venv/bin/python benchmarks/notebook_runs.py [--runs 3] [--only 01_platform]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from report import Row, parser_with_only, median, print_table

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
FLOOR_SOURCE = "import pandas, altair, ipywidgets"
RATIO_TARGET = 1.5
RSS_TARGET_MB = 250.0
SECTION = "notebooks"


@dataclass(frozen=True)
class NotebookRun:
    """Wall time of one headless run (kernel start to last cell's reply) and the kernel's peak RSS.

    The kernel's shutdown is left out: a learner never waits for it.
    """

    seconds: float
    peak_rss_mb: float


def lesson_paths() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def floor_notebook() -> nbformat.NotebookNode:
    """The empty lesson: one cell importing what every lesson imports anyway."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a live process, in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM in /proc/{pid}/status")


class CellError(RuntimeError):
    """A cell raised: its exception's name and value, as the kernel reported them."""

    def __init__(self, ename: str, evalue: str) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue = ename, evalue


@contextmanager
def fresh_kernel(cwd: Path) -> Iterator[tuple[Any, Any]]:
    """A new python3 kernel (and its client) in ``cwd``, with its own empty learner store."""
    from jupyter_client.manager import start_new_kernel

    with tempfile.TemporaryDirectory(prefix="tiktok-lab-bench-home-") as home:
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(cwd),
                                  env={**os.environ, "TIKTOK_LAB_HOME": home})
        try:
            yield km, kc
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


def run_cells(kc: Any, nb: nbformat.NotebookNode, timeout_s: float,
              after_cell: Callable[[], None] = lambda: None) -> str:
    """Run every code cell in order, as nbval does; return the cells' stdout.

    A cell error raises :class:`CellError`; a cell still running after
    ``timeout_s`` raises ``TimeoutError``.
    """
    stdout: list[str] = []

    def keep_stdout(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream" and msg["content"].get("name") == "stdout":
            stdout.append(msg["content"]["text"])

    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        reply = kc.execute_interactive(cell.source, timeout=timeout_s, output_hook=keep_stdout,
                                       allow_stdin=False, stop_on_error=True)
        content = reply["content"]
        if content["status"] == "error":
            raise CellError(content.get("ename", "Error"), content.get("evalue", ""))
        after_cell()
    return "".join(stdout)


def run_notebook(nb: nbformat.NotebookNode, cwd: Path = NOTEBOOKS_DIR,
                 timeout_s: float = 120) -> NotebookRun:
    """Run ``nb`` in a fresh kernel: time from kernel start to the last cell's reply."""
    peaks: list[float] = []
    start = time.perf_counter()
    with fresh_kernel(cwd) as (km, kc):
        run_cells(kc, nb, timeout_s, lambda: peaks.append(peak_rss_mb(km.provisioner.pid)))
        seconds = time.perf_counter() - start
    return NotebookRun(seconds, max(peaks, default=0.0))


def run_with_retry(nb: nbformat.NotebookNode, stalls: dict[str, int], name: str,
                   tries: int = 3) -> NotebookRun:
    """:func:`run_notebook`, run again after a cell timeout (counted in ``stalls``).

    nbclient waited for ever on cells whose kernel was already idle here (03_feed,
    04_opportunity and the widget benchmark, under heavy load), so the cells are
    run with jupyter_client directly, as nbval does; should a run still stall, it
    is retried, up to ``tries`` runs, and the retries are reported.
    """
    attempt = 1
    while True:
        try:
            return run_notebook(nb)
        except TimeoutError:
            stalls[name] = stalls.get(name, 0) + 1
            if attempt >= tries:
                raise
            attempt += 1


def kernel_output(nb: nbformat.NotebookNode, cwd: Path = NOTEBOOKS_DIR,
                  timeout_s: float = 600) -> str:
    """Run ``nb`` in a fresh kernel (same set-up as the lessons) and return all its stdout."""
    with fresh_kernel(cwd) as (_km, kc):
        return run_cells(kc, nb, timeout_s)


def _first_error_line(error: Exception) -> str:
    """``ValueError: ...`` for a cell error (the kernel reports its name and value apart)."""
    name, value = getattr(error, "ename", None), getattr(error, "evalue", None)
    if name:
        return f"{name}: {value}"[:160]
    return f"{type(error).__name__}: {error}"[:160]


def warm_chart_cache() -> None:
    """Build the offline chart library once (it is cached on disk, as `tiktok-lab doctor` does)."""
    subprocess.run([sys.executable, "-c",
                    "from tiktok_lab.core.charts import _javascript_bundle; _javascript_bundle()"],
                   check=True)


def measure(runs: int = 3, only: Sequence[str] = ()) -> list[Row]:
    """Median time per lesson and for the floor, ratios, the course total and peak RSS."""
    paths = [p for p in lesson_paths() if not only or any(o in p.stem for o in only)]
    lessons = {p.stem: nbformat.read(p, as_version=4) for p in paths}
    warm_chart_cache()
    floor_runs: list[NotebookRun] = []
    lesson_runs: dict[str, list[NotebookRun]] = {name: [] for name in lessons}
    failed: dict[str, str] = {}
    stalls: dict[str, int] = {}
    for _ in range(runs):
        floor_runs.append(run_with_retry(floor_notebook(), stalls, "floor"))
        for name, nb in lessons.items():
            if name in failed:
                continue
            try:
                lesson_runs[name].append(run_with_retry(nb, stalls, name))
            except Exception as error:  # noqa: BLE001 - one broken lesson must not hide the rest
                failed[name] = _first_error_line(error)

    floor = median([r.seconds for r in floor_runs])
    floor_rss = max(r.peak_rss_mb for r in floor_runs)
    rows = [Row(SECTION, "floor (import pandas, altair, ipywidgets)",
                f"{floor:.1f} s, peak {floor_rss:.0f} MB")]
    total = 0.0
    for name, why in failed.items():
        rows.append(Row(SECTION, f"{name} time", f"failed: {why}", "runs clean", False))
        del lesson_runs[name]
    for name, results in lesson_runs.items():
        seconds = median([r.seconds for r in results])
        rss = max(r.peak_rss_mb for r in results)
        total += seconds
        spread = f" ({min(r.seconds for r in results):.1f}-{max(r.seconds for r in results):.1f})"
        rows.append(Row(SECTION, f"{name} time", f"{seconds:.1f} s{spread if runs > 1 else ''}"
                        f" = {seconds / floor:.2f} x floor", "(course total)"))
        rows.append(Row(SECTION, f"{name} kernel peak RSS", f"{rss:.0f} MB",
                        f"<= {RSS_TARGET_MB:.0f} MB", rss <= RSS_TARGET_MB))
    if stalls:
        rows.append(Row(SECTION, "runs retried after a cell timeout", ", ".join(
            f"{name} x{count}" for name, count in stalls.items())))
    if not lesson_runs:
        return rows
    ratio = total / (floor * len(lesson_runs))
    rows.append(Row(SECTION, f"course total ({len(lesson_runs)} lessons"
                    + (f", {len(failed)} failed left out)" if failed else ")"),
                    f"{total:.1f} s = {ratio:.3f} x ({len(lesson_runs)} x floor)",
                    f"<= {RATIO_TARGET} x", ratio <= RATIO_TARGET))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = parser_with_only(__doc__, "lessons")
    parser.add_argument("--runs", type=int, default=3, help="runs per notebook (median)")
    args = parser.parse_args(argv)
    print_table(measure(args.runs, args.only),
                f"Notebooks, median of {args.runs} run(s), fresh kernel each")


if __name__ == "__main__":
    main()
