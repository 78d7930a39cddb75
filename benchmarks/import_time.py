"""How long ``import tiktok_lab`` takes, next to importing its heavy dependencies.

A participant runs the set-up cell of every lesson: the package itself must add
(almost) nothing to what pandas, Altair and ipywidgets already cost. Each figure
is the median of fresh interpreters (``python -X importtime`` is too noisy).

    python benchmarks/import_time.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "import tiktok_lab": "import tiktok_lab",
    "tl.start_lesson dependencies (pandas, altair, ipywidgets)": "import pandas, altair, ipywidgets",
    "import tiktok_lab + those dependencies": "import tiktok_lab, pandas, altair, ipywidgets",
    "empty interpreter": "pass",
}


def time_import(code: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    results = {label: time_import(code, runs) for label, code in CASES.items()}
    width = max(map(len, results))
    print(f"{'case':<{width}}  median (s), {runs} runs")
    for label, seconds in results.items():
        print(f"{label:<{width}}  {seconds:6.3f}")
    base = results["empty interpreter"]
    own = results["import tiktok_lab"] - base
    deps = results["tl.start_lesson dependencies (pandas, altair, ipywidgets)"] - base
    both = results["import tiktok_lab + those dependencies"] - base
    print(f"\nimport tiktok_lab alone: {own * 1000:.0f} ms above an empty interpreter")
    print(f"ratio (package + dependencies) / dependencies: {both / deps:.2f} (target <= 1.10)")


if __name__ == "__main__":
    main()
