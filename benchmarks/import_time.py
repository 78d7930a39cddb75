"""How long ``import tiktok_lab`` takes, next to importing its heavy dependencies.

A participant runs the set-up cell of every lesson: the package itself must add
(almost) nothing to what pandas, Altair and ipywidgets already cost, and must
import nothing heavy at import time. Each figure is the median of fresh
interpreters (``python -X importtime`` is too noisy); the cases take turns, so
a busy neighbour on the machine slows them alike.

    python benchmarks/import_time.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from report import Row, print_table

SECTION = "import"
RATIO_TARGET = 1.10
OWN_TARGET_S = 0.1
HEAVY = ("pandas", "numpy", "altair", "ipywidgets", "IPython", "vl_convert", "jsonschema")

PACKAGE = "import tiktok_lab"
DEPENDENCIES = "tl.start_lesson dependencies (pandas, altair, ipywidgets)"
BOTH = "import tiktok_lab + those dependencies"
EMPTY = "empty interpreter"
CASES = {
    PACKAGE: "import tiktok_lab",
    DEPENDENCIES: "import pandas, altair, ipywidgets",
    BOTH: "import tiktok_lab, pandas, altair, ipywidgets",
    EMPTY: "pass",
}


def time_imports(runs: int) -> dict[str, float]:
    """Median seconds per case over ``runs`` fresh interpreters, cases interleaved."""
    samples: dict[str, list[float]] = {label: [] for label in CASES}
    for _ in range(runs):
        for label, code in CASES.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            samples[label].append(time.perf_counter() - start)
    return {label: statistics.median(times) for label, times in samples.items()}


def heavy_modules_loaded() -> list[str]:
    """Heavy libraries that ``import tiktok_lab`` alone pulls in (should be none)."""
    code = ("import sys, tiktok_lab; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return out.split()


def measure(runs: int = 7) -> list[Row]:
    results = time_imports(runs)
    base = results[EMPTY]
    own = results[PACKAGE] - base
    deps = results[DEPENDENCIES] - base
    both = results[BOTH] - base
    ratio = both / deps
    heavy = heavy_modules_loaded()
    return [
        Row(SECTION, "import tiktok_lab alone (above an empty interpreter)",
            f"{own * 1000:.0f} ms", f"<= {OWN_TARGET_S * 1000:.0f} ms", own <= OWN_TARGET_S),
        Row(SECTION, "heavy libraries imported by import tiktok_lab",
            ", ".join(heavy) or "none", "none", not heavy),
        Row(SECTION, "pandas + altair + ipywidgets", f"{deps:.2f} s"),
        Row(SECTION, "tiktok_lab + those / those alone", f"{ratio:.2f} x ({both:.2f} s)",
            f"<= {RATIO_TARGET:.2f} x", ratio <= RATIO_TARGET),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args(argv).runs
    print_table(measure(runs), f"Import time, median of {runs} fresh interpreters")


if __name__ == "__main__":
    main()
