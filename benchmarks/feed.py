"""Speed and memory of the feed simulator (lesson 03): median and best ms over 15 runs, peak MB.

    taskset -c 1 .venv/bin/python benchmarks/feed.py     # one core, as in the target
    taskset -c 1 .venv/bin/python benchmarks/feed.py --against /tmp/old/src --batches 10

Target: the default world (10,000 people × 1,000 videos × 5 rounds) ≤ 50 ms median on one core
and ≤ 200 MB. The world itself (drawn once and cached) is built before timing; the timed part is
the simulation (tiktok_lab.lessons.feed.pools._simulate) that re-runs on each slider move.

The machine is shared: the same code's median moves by ±25 % from one minute to the next.
``--against SRC`` compares with another copy of the package (a ``git worktree`` of an older
commit, its ``src`` folder) fairly: batches of 8 runs alternate between the two, each batch in a
fresh interpreter, so both see the same neighbours; it prints each one's median and quartile.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

try:  # the package's layout since issue 15
    from tiktok_lab.lessons.feed.model import FeedParams, make_world
    from tiktok_lab.lessons.feed.pools import _simulate
except ImportError:  # an older checkout given to --against (one flat folder)
    from tiktok_lab.feed import FeedParams, make_world  # type: ignore[no-redef]
    from tiktok_lab.feed_pools import _simulate  # type: ignore[no-redef]

BENCH_DIR = Path(__file__).resolve().parent
SRC = BENCH_DIR.parent / "src"


def timings(params: FeedParams, runs: int) -> list[float]:
    """Milliseconds of ``runs`` simulations of ``params``, after an untimed warm-up."""
    world = make_world(params)
    _simulate(params, world)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        _simulate(params, world)
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(params: FeedParams, runs: int = 15) -> tuple[float, float, float]:
    """Median ms, best ms and peak MB (tracemalloc) of the simulation of ``params``."""
    times = timings(params, runs)
    tracemalloc.start()
    _simulate(params, make_world(params))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), min(times), peak / 1e6


def machine_check() -> float:
    """Median ms of a fixed, memory-bound NumPy workload (gathers and sorts over a few MB, like
    the simulator): neighbours on a shared machine slow it as they slow the simulator, and the
    load average inside the machine does not show them."""
    import numpy as np

    rng = np.random.default_rng(0)
    table = rng.random(1_000_000)
    index = rng.integers(0, table.size, 2_000_000)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        np.sort(np.take(table, index))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def compare(other: Path, batches: int, runs: int = 8) -> None:
    """Alternate batches of the default scenario between this package and ``other``."""
    package = other / "tiktok_lab"
    if not any((package / path).is_file() for path in ("lessons/feed/pools.py", "feed_pools.py")):
        sys.exit(f"{other} holds no tiktok_lab package (give the src folder of a checkout).")
    found: dict[str, list[float]] = {"this": [], "other": []}
    # This script times both copies (``feed`` here is this file, found on the path below).
    code = (f"import json; from feed import FeedParams, timings; "
            f"print(json.dumps(timings(FeedParams.defaults(), {runs})))")
    for _ in range(batches):
        for label, src in (("other", other), ("this", SRC)):
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(BENCH_DIR)])}
            out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                 capture_output=True, text=True).stdout
            found[label] += json.loads(out)
    for label, path in (("this", SRC), ("other", other)):
        times = found[label]
        quartile = statistics.quantiles(times, n=4)[0] if len(times) > 1 else times[0]
        print(f"{label:5s} {str(path):40s} median {statistics.median(times):6.1f} ms, "
              f"first quartile {quartile:6.1f} ms, "
              f"best {min(times):6.1f} ms ({len(times)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path, help="src folder of another checkout")
    parser.add_argument("--batches", type=int, default=8, help="batches each (with --against)")
    args = parser.parse_args()
    print(f"machine check: a fixed NumPy workload took {machine_check():.1f} ms "
          f"(see docs/performance.md for its time on a quiet machine)")
    if args.against:
        compare(args.against.resolve(), args.batches)
        return
    default = FeedParams.defaults()
    for label, params in (("default", default),
                          ("10x people", default.replace(n_users=default.n_users * 10))):
        ms, best, mb = measure(params)
        print(f"{label:12s} {params.n_users:>7,} people × {params.n_videos:,} videos × "
              f"{params.rounds} rounds: median {ms:6.1f} ms, best {best:6.1f} ms, "
              f"peak {mb:6.1f} MB")


if __name__ == "__main__":
    main()
