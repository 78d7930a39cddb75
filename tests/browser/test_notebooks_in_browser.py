"""Every lesson notebook, run for real in JupyterLab in headless Chromium, offline.

Plus a self-test of the harness on a generated notebook with known content:
it proves that a widget, a chart *and* a problem are seen, so a green run of
the course test cannot come from a harness that sees nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from . import jupyterlab as lab

pytestmark = pytest.mark.browser

# Every learner notebook; the start notebook must be among them.
LESSON_NOTEBOOKS = sorted(
    f"notebooks/{path.name}" for path in (lab.REPO_ROOT / "notebooks").glob("*.ipynb")
)
assert "notebooks/00_start_here.ipynb" in LESSON_NOTEBOOKS
HARNESS_NOTEBOOK = "test-artifacts/harness/harness_selftest.ipynb"


def _bullets(items: list[str]) -> str:
    return "\n".join(f"  - {item}" for item in items) or "  (none)"


def _run_notebook(page: Any, server: lab.LabServer, path: str) -> dict[str, Any]:
    """Open, run all, and gather what the learner would see."""
    outside = lab.record_outside_requests(page)
    page_errors = lab.record_page_errors(page)
    lab.open_notebook(page, server, path)
    lab.wait_kernel_ready(page, path)
    lab.run_all_and_wait(page, timeout_s=120)
    charts, drawn = lab.wait_charts_drawn(page)
    return {
        "problems": lab.collect_problems(page),
        "charts": charts,
        "drawn": drawn,
        "widgets": lab.count_widgets(page),
        "outside": list(outside),
        "page_errors": list(page_errors),
        "screenshot": lab.screenshot(page, path.rsplit("/", 1)[-1].removesuffix(".ipynb")),
    }


def _report(seen: dict[str, Any]) -> str:
    """Everything seen, appended to every failure message."""
    return (
        f"\ncharts: {seen['drawn']}/{seen['charts']} drawn, widgets: {seen['widgets']}"
        f"\nproblems:\n{_bullets(seen['problems'])}"
        f"\noutside requests:\n{_bullets(seen['outside'])}"
        f"\npage errors (context):\n{_bullets(seen['page_errors'][:20])}"
        f"\nscreenshot: {seen['screenshot']}"
    )


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=[p.rsplit("/", 1)[-1] for p in LESSON_NOTEBOOKS])
def test_notebook_runs_clean_offline(page: Any, jupyterlab_server: lab.LabServer, path: str) -> None:
    """Every lesson as a learner runs it: no error, charts drawn, widgets live, no network."""
    seen = _run_notebook(page, jupyterlab_server, path)
    report = _report(seen)

    assert not seen["problems"], f"The learner would see problems:{report}"
    assert seen["charts"] >= 1, f"No chart (.vega-embed) in the notebook:{report}"
    assert seen["drawn"] == seen["charts"], f"Some charts were not drawn:{report}"
    assert seen["widgets"] >= 1, f"No widget rendered:{report}"
    assert not seen["outside"], f"The page tried to reach outside hosts:{report}"


# --------------------------------------------------------------------------
# Harness self-test
# --------------------------------------------------------------------------

_VEGALITE_V5 = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"k": "a", "v": 3}, {"k": "b", "v": 5}]},
    "mark": "bar",
    "encoding": {"x": {"field": "k", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}},
}

_HARNESS_CELLS = [
    "import ipywidgets as widgets\nwidgets.IntSlider(value=3, description='probe')",
    "from IPython.display import HTML, display\ndisplay(HTML('<b>harness html ok</b>'))",
    # JupyterLab draws Vega-Lite v5 mime bundles itself: a chart with no CDN.
    "display({'application/vnd.vegalite.v5+json': %s, 'text/plain': ['chart']}, raw=True)"
    % json.dumps(_VEGALITE_V5),
    "import sys\nprint('harness-probe-stderr', file=sys.stderr)",
    "raise RuntimeError('harness-probe-error')",
    "print('never runs: run-all stops at the error')",
]


def _write_harness_notebook() -> None:
    """Generate the self-test notebook under test-artifacts/ (git-ignored).

    Plain JSON, not nbformat: importing nbformat costs ~2 s of jsonschema.
    """
    cells = [
        {"cell_type": "code", "execution_count": None, "id": f"probe-{i}",
         "metadata": {}, "outputs": [], "source": src}
        for i, src in enumerate(_HARNESS_CELLS)
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = {"cells": cells, "metadata": {"kernelspec": kernelspec},
                "nbformat": 4, "nbformat_minor": 5}
    target = lab.REPO_ROOT / HARNESS_NOTEBOOK
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, indent=1))


def test_harness_sees_widgets_charts_and_problems(
    page: Any, jupyterlab_server: lab.LabServer
) -> None:
    """The harness must see what is there, including what is broken."""
    _write_harness_notebook()
    seen = _run_notebook(page, jupyterlab_server, HARNESS_NOTEBOOK)
    report = _report(seen)

    assert seen["widgets"] >= 1, f"Slider not seen:{report}"
    assert seen["charts"] == 1 and seen["drawn"] == 1, f"Chart not seen drawn:{report}"
    assert not seen["outside"], f"Outside requests:{report}"
    problems = "\n".join(seen["problems"])
    assert "harness-probe-stderr" in problems, f"stderr output missed:{report}"
    assert "harness-probe-error" in problems and "Traceback" in problems, f"Error missed:{report}"
    assert len(seen["problems"]) == 2, f"Expected exactly 2 problems:{report}"
