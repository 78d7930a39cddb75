"""How much the offline chart renderer costs: bundle build time and output sizes.

Run with ``.venv/bin/python benchmarks/chart_bundle.py``. It uses a temporary
cache directory, so the first build is really cold and the user's cache is
left alone.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd

from report import Row, print_table
from tiktok_lab.core import charts

REPEATS = 5
SECTION = "chart library"
WARM_TARGET_S = 0.010


def timed(fn: Callable[[], Any]) -> float:
    """Seconds taken by one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bundle_times() -> dict[str, float]:
    """Cold build, warm read from the disk cache, and a memory hit, in seconds."""
    cold = timed(charts._javascript_bundle)

    def from_disk() -> None:
        charts._memory.clear()  # what a new kernel starts with
        charts._javascript_bundle()

    warm = statistics.median(timed(from_disk) for _ in range(REPEATS))
    memory = statistics.median(timed(charts._javascript_bundle) for _ in range(REPEATS))
    return {"cold (vl-convert build)": cold, "warm (disk cache)": warm, "memory": memory}


def sample_spec() -> dict[str, Any]:
    data = pd.DataFrame({"genre": ["dance", "food", "humour", "tips"], "views": [3, 1, 2, 4]})
    chart = alt.Chart(data).mark_bar().encode(x="genre:N", y="views:Q")
    chart = charts.finish_chart(
        chart, title="Views per genre", caption="Source: sample, 2026", description="Four bars"
    )
    return chart.to_dict()


def output_sizes() -> dict[str, tuple[float, float]]:
    """(KB, ms per render) of a chart's text/html at top level and inside an Output."""
    spec = sample_spec()
    charts._bundle_script_tag()  # warm: measure rendering, not the first build
    detect = charts._inside_output_widget
    results = {}
    try:
        for label, inside in (("top-level chart", False), ("inside an Output widget", True)):
            # no kernel here, so say where the chart is instead of detecting it
            charts._inside_output_widget = lambda inside=inside: inside  # type: ignore[assignment]
            html = charts.render_mimebundle(spec)["text/html"]
            render = lambda: charts.render_mimebundle(spec)  # noqa: E731
            ms = statistics.median(timed(render) for _ in range(REPEATS))
            results[label] = (len(html.encode("utf-8")) / 1024, ms * 1000)
    finally:
        charts._inside_output_widget = detect  # type: ignore[assignment]
    return results


def measure() -> list[Row]:
    """Bundle build (cold, warm, memory) and chart output sizes, in a throw-away cache."""
    previous = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        charts._memory.clear()
        try:
            times = bundle_times()
            sizes = output_sizes()
        finally:
            if previous is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = previous
            charts._memory.clear()
    rows = [Row(SECTION, f"bundle {label}", f"{seconds * 1000:.1f} ms",
                f"<= {WARM_TARGET_S * 1000:.0f} ms" if label.startswith("warm") else "",
                seconds <= WARM_TARGET_S if label.startswith("warm") else None)
            for label, seconds in times.items()]
    rows += [Row(SECTION, f"chart output, {label}", f"{kb:.1f} KB, {ms:.2f} ms to render")
             for label, (kb, ms) in sizes.items()]
    return rows


def main() -> None:
    print_table(measure(), "Offline chart library (temporary cache: the first build is cold)")


if __name__ == "__main__":
    main()
