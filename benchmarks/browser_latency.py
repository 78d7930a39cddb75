"""In the browser: slider moved with the keyboard -> chart redrawn, as a learner sees it.

JupyterLab and headless Chromium are driven with the course's browser-test
harness (``tests/browser/jupyterlab.py``: same server flags, offline browser,
ready checks). For each case a lesson is opened and run, the slider handle of
one widget app is focused, and ArrowRight / ArrowLeft are pressed in turn
(``--moves`` times). The time is taken in the page: from the keydown event on
the handle to the moment a MutationObserver sees a new ``.vega-embed`` drawing
(svg or canvas) in the app's Output. That covers the slider's message to the
kernel, the Python callback, the chart output's way back and Vega drawing it.
The sliders use ``continuous_update=False``: a key press still sends the change
(noUiSlider fires "change" for keyboard moves), which this benchmark proves.

Target: median at or under 150 ms per case.

    .venv/bin/python benchmarks/browser_latency.py [--moves 20] [--only 03_feed]
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report import Row, parser_with_only, median, percentile, print_table

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TARGET_MS = 150.0
SECTION = "browser slider -> chart"


@dataclass(frozen=True)
class SliderCase:
    """The ``slider``-th slider of the ``app_index``-th element matching ``app`` in a lesson."""

    label: str
    notebook: str
    app: str
    app_index: int = 0
    slider: int = 0


CASES = (
    SliderCase("03_feed signal weights (V_like)", "notebooks/03_feed.ipynb",
               ".tiktok-lab-feed-lab", app_index=1),
    SliderCase("04_opportunity videos per week", "notebooks/04_opportunity.ipynb",
               ".tiktok-lab-scorecard"),
    SliderCase("05_tips posts per week", "notebooks/05_tips.ipynb", ".tiktok-lab-rhythm-planner"),
    SliderCase("06_ads days of the campaign", "notebooks/06_ads.ipynb",
               ".tiktok-lab-ads-estimator"),
)

# Arms one measurement: focus the handle, note the keydown time, watch the Output.
_ARM_JS = """([selector, appIndex, sliderIndex, timeoutMs]) => {
  const app = document.querySelectorAll(selector)[appIndex];
  if (!app) return 'no element ' + selector + '[' + appIndex + ']';
  const handle = app.querySelectorAll('.widget-slider .noUi-handle')[sliderIndex];
  const out = app.querySelector('.widget-output');
  if (!handle || !out) return 'no slider handle or no Output in ' + selector;
  const drawing = () => out.querySelector('.vega-embed svg, .vega-embed canvas');
  const before = drawing();
  app.scrollIntoView({block: 'center'});
  handle.focus();
  let pressed = null;
  handle.addEventListener('keydown', () => { pressed = performance.now(); },
                          {capture: true, once: true});
  window.__tiktokLabBench = new Promise((resolve) => {
    const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, timeoutMs);
    const observer = new MutationObserver(() => {
      const now = drawing();
      if (pressed !== null && now && now !== before) {
        const elapsed = performance.now() - pressed;
        observer.disconnect();
        clearTimeout(timer);
        resolve(elapsed);
      }
    });
    observer.observe(out, {childList: true, subtree: true});
  });
  return before ? 'ok' : 'no chart drawn in the Output before the first move';
}"""


def _lab() -> Any:
    """The browser-test harness (tests/browser is a package named ``browser``)."""
    tests_dir = str(REPO_ROOT / "tests")
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)
    from browser import jupyterlab

    return jupyterlab


def measure_slider(page: Any, server: Any, case: SliderCase, moves: int,
                   timeout_ms: int = 10_000) -> list[float | None]:
    """Open and run the lesson, then time ``moves`` keyboard moves (None: no redraw seen)."""
    lab = _lab()
    lab.open_notebook(page, server, case.notebook)
    lab.wait_kernel_ready(page, case.notebook)
    lab.run_all_and_wait(page, timeout_s=300)
    lab.wait_charts_drawn(page)
    problems = lab.collect_problems(page)
    if problems:
        raise RuntimeError(f"{case.notebook} shows problems: {problems}")
    times: list[float | None] = []
    for move in range(moves):
        armed = page.evaluate(_ARM_JS, [case.app, case.app_index, case.slider, timeout_ms])
        if armed != "ok":
            raise RuntimeError(f"{case.label}: {armed}")
        page.keyboard.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
        times.append(page.evaluate("window.__tiktokLabBench"))
        page.wait_for_timeout(300)  # let the kernel go idle, as a learner's pause would
    return times


def measure(moves: int = 20, only: Sequence[str] = ()) -> list[Row]:
    """One JupyterLab, one browser, each case in a fresh page: median and p95 per case."""
    from playwright.sync_api import sync_playwright

    lab = _lab()
    if not Path(CHROMIUM).exists():
        return [Row(SECTION, "all cases", f"not measured: {CHROMIUM} missing "
                    "(sudo apt-get install -y chromium)", f"median <= {TARGET_MS:.0f} ms", False)]
    cases = [c for c in CASES if not only or any(o in c.label for o in only)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="tiktok-lab-bench-lab-") as work:
        server = lab.start_server(work_dir=Path(work))
        try:
            with sync_playwright() as playwright:
                browser = lab.launch_browser(playwright, CHROMIUM)
                try:
                    for case in cases:
                        context = browser.new_context(viewport={"width": 1280, "height": 900})
                        context.set_default_timeout(60_000)
                        try:
                            times = measure_slider(context.new_page(), server, case, moves)
                        finally:
                            context.close()
                        rows.append(_row(case, times))
                finally:
                    browser.close()
        finally:
            lab.stop_server(server)
    return rows


def _row(case: SliderCase, times: list[float | None]) -> Row:
    seen = [t for t in times if t is not None]
    missed = len(times) - len(seen)
    if not seen:
        return Row(SECTION, case.label, f"no redraw seen in {len(times)} moves",
                   f"median <= {TARGET_MS:.0f} ms", False)
    figure = (f"median {median(seen):.0f} ms, p95 {percentile(seen, 95):.0f} ms, "
              f"min {min(seen):.0f} ms, {len(seen)} moves")
    if missed:
        figure += f", {missed} move(s) with no redraw"
    ok = median(seen) <= TARGET_MS and not missed
    return Row(SECTION, case.label, figure, f"median <= {TARGET_MS:.0f} ms", ok)


def main(argv: Sequence[str] | None = None) -> None:
    parser = parser_with_only(__doc__, "cases")
    parser.add_argument("--moves", type=int, default=20, help="key presses per slider")
    args = parser.parse_args(argv)
    print_table(measure(args.moves, args.only),
                f"Browser: keyboard slider move -> chart redrawn, {args.moves} moves per case")


if __name__ == "__main__":
    main()
