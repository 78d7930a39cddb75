"""Every benchmark of the course in one table: figures, targets, what is over.

    .venv/bin/python benchmarks/run_all.py            # full: ~15 min on the 2-core machine
    .venv/bin/python benchmarks/run_all.py --quick    # fewer runs and moves: ~3 min
    .venv/bin/python benchmarks/run_all.py --only widgets --only browser

Each section is also a script of its own (see benchmarks/README.md). A section
that fails (a broken lesson, no Chromium) becomes a row saying so; the others
still run. Exit code 1 when a figure is over its target, so a maintainer can
script it; nothing in the test suite times anything.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

import browser_latency
import chart_bundle
import import_time
import notebook_runs
import room
import widget_latency
from report import Row, print_table


def _feed(quick: bool) -> list[Row]:
    """The feed simulator's own benchmark (benchmarks/feed.py), as rows."""
    import feed

    from tiktok_lab.lessons.feed.model import FeedParams

    ms, best, mb = feed.measure(FeedParams.defaults(), runs=5 if quick else 15)
    return [Row("feed simulator", "default scenario (10,000 x 1,000 x 5 rounds)",
                f"median {ms:.0f} ms, best {best:.0f} ms, peak {mb:.0f} MB",
                "median <= 50 ms, <= 200 MB", ms <= 50 and mb <= 200)]


SECTIONS: dict[str, Callable[[bool], list[Row]]] = {
    "import": lambda quick: import_time.measure(runs=3 if quick else 7),
    "charts": lambda quick: chart_bundle.measure(),
    "feed": _feed,
    "notebooks": lambda quick: notebook_runs.measure(runs=1 if quick else 3),
    "widgets": lambda quick: widget_latency.measure(repeats=5 if quick else 30),
    "room": lambda quick: room.measure(repeats=5 if quick else 20),
    "browser": lambda quick: browser_latency.measure(
        moves=6 if quick else 20, only=("03_feed", "04_opportunity") if quick else ()),
}


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (1 min) / {five:.1f} (5 min)"


def run(sections: Sequence[str], quick: bool) -> list[Row]:
    rows: list[Row] = []
    for name in sections:
        start = time.perf_counter()
        print(f"== {name} ... ({_load()})", file=sys.stderr, flush=True)
        try:
            rows += SECTIONS[name](quick)
        except Exception as error:  # noqa: BLE001 - one section's failure is a result
            rows.append(Row(name, "section failed", f"{type(error).__name__}: {error}"[:200],
                            "runs", False))
        print(f"   {name} took {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, repeats and moves")
    parser.add_argument("--only", action="append", choices=sorted(SECTIONS), default=[],
                        help="run only this section (repeatable)")
    args = parser.parse_args(argv)
    sections = args.only or list(SECTIONS)
    started = datetime.now(timezone.utc)
    before = _load()
    rows = run(sections, args.quick)
    print_table(rows, (
        f"tiktok-lab benchmarks{' (--quick)' if args.quick else ''}, "
        f"{started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {before} before, {_load()} after"))
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
