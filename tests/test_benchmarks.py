"""The benchmark scripts still run: each core function on a tiny input, no timing asserted.

Speed targets are judged by the scripts in ``benchmarks/`` (never by timed tests);
these tests only keep those scripts from rotting: the notebook runner, the
widget-latency harness (in-process and in a fresh kernel), the import check, the
chart-size measure, the browser cases and the one-table runner.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import browser_latency  # noqa: E402
import chart_bundle  # noqa: E402
import feed  # noqa: E402
import import_time  # noqa: E402
import notebook_runs  # noqa: E402
import room  # noqa: E402
import run_all  # noqa: E402
import widget_latency  # noqa: E402
from report import Row, percentile, print_table  # noqa: E402

# Runs the benchmark scripts in fresh kernels: left out of `make check` (the full suite runs it).
pytestmark = pytest.mark.slow

REPO_ROOT = BENCH_DIR.parent


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([5.0], 95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([10.0, 20.0], 95) == pytest.approx(19.5)
    with pytest.raises(ValueError):
        percentile([], 50)


def test_table_names_every_figure_over_target(capsys: pytest.CaptureFixture[str]) -> None:
    print_table([Row("s", "fast", "1 ms", "<= 5 ms", True), Row("s", "slow", "9 ms", "<= 5 ms",
                                                                 False), Row("s", "info", "x")])
    out = capsys.readouterr().out
    assert "| s       | slow | 9 ms     | <= 5 ms | OVER |" in out
    assert "1 figure(s) over target: s / slow" in out


def test_widget_harness_times_every_control_of_a_form() -> None:
    from tiktok_lab.ui.publishing import StrategyFormApp

    case = widget_latency.WidgetCase("strategy form", lambda: StrategyFormApp(save=False))
    result = widget_latency.measure_case(case, repeats=2)
    controls = {c["control"]: c for c in result["controls"]}
    # three text fields and the Check button, each with a callback
    assert sorted(k.split(" ")[0] for k in controls) == ["Button", "Text", "Text", "Text"]
    for control in controls.values():
        assert control["error"] is None
        assert len(control["samples_ms"]) == 2
        assert all(isinstance(ms, float) and ms >= 0 for ms in control["samples_ms"])
        assert control["redrawn"] == 3  # warm-up + 2 timed changes, each re-checked the form
    assert result["build_ms"] > 0
    rows = widget_latency.rows_from([result])
    assert [r.case for r in rows] == ["strategy form"]
    assert rows[0].figure.startswith("median ")


def test_widget_harness_restores_each_control_and_reports_missed_redraws() -> None:
    from tiktok_lab.ui.publishing import StrategyFormApp

    app = StrategyFormApp(save=False)
    app.why.value = "sell more shoes"
    key = next(k for k in widget_latency.find_controls(app.widget) if k.startswith("Text"))
    result = widget_latency.measure_control(app, key, repeats=3)
    assert app.why.value == "sell more shoes"
    result["redrawn"] = 1  # as if an error box had replaced the redraw
    rows = widget_latency.rows_from([{"case": "form", "build_ms": 1.0, "controls": [result]}])
    assert any(r.ok is False and "redrawn after 1 of 4 changes" in r.figure for r in rows)


def test_widget_catalogue_builds_in_a_fresh_kernel() -> None:
    """The kernel driver: one widget, one change per control, parsed back from the kernel."""
    results = widget_latency.measure_in_kernel(1, only=["start: language"])
    assert [r["case"] for r in results] == ["start: language"]
    (control,) = results[0]["controls"]
    assert control["error"] is None and len(control["samples_ms"]) == 1


def test_catalogue_has_a_case_per_lesson_quiz_and_exercise() -> None:
    from tiktok_lab.course.exercises import exercise_lesson_ids, load_exercise_rows

    labels = [case.label for case in widget_latency.catalogue()]
    exercises = sum(len(load_exercise_rows(lesson)) for lesson in exercise_lesson_ids())
    assert sum(label.startswith("exercise card ") for label in labels) == exercises
    assert "quiz 00_start_here" in labels
    assert len(labels) == len(set(labels))


def test_notebook_runner_runs_the_floor_notebook_once() -> None:
    run = notebook_runs.run_notebook(notebook_runs.floor_notebook())
    assert run.seconds > 0
    assert run.peak_rss_mb > 20  # pandas, Altair and ipywidgets are resident


def test_notebook_runner_reports_a_failing_cell() -> None:
    import nbformat
    from notebook_runs import CellError

    nb = notebook_runs.floor_notebook()
    nb.cells = [nbformat.v4.new_code_cell("raise ValueError('broken lesson')")]
    with pytest.raises(CellError) as caught:
        notebook_runs.run_notebook(nb)
    assert "ValueError: broken lesson" in notebook_runs._first_error_line(caught.value)


def test_import_check_finds_no_heavy_library() -> None:
    assert import_time.heavy_modules_loaded() == []


def test_chart_sizes_inside_an_output_leave_the_library_out() -> None:
    sizes = chart_bundle.output_sizes()
    top_kb, _ = sizes["top-level chart"]
    inside_kb, _ = sizes["inside an Output widget"]
    assert inside_kb < top_kb / 10


def test_feed_benchmark_measures_and_compares_two_source_trees(
        capsys: pytest.CaptureFixture[str]) -> None:
    from tiktok_lab.lessons.feed.model import FeedParams

    params = FeedParams.defaults(n_users=300, n_videos=60, pool_sizes=(5, 20, 100, 200))
    ms, best, mb = feed.measure(params, runs=2)
    assert 0 < best <= ms and mb > 0
    assert feed.machine_check() > 0
    feed.compare(feed.SRC, batches=1, runs=1)  # this tree against itself, one run each
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["this", "other"]
    assert all("(1 runs)" in line for line in lines)
    with pytest.raises(SystemExit, match="no tiktok_lab package"):
        feed.compare(REPO_ROOT / "docs", batches=1)


def test_browser_cases_point_at_real_notebooks_and_widget_classes() -> None:
    sources = "".join(p.read_text() for p in (REPO_ROOT / "src/tiktok_lab/ui").glob("*.py"))
    for case in browser_latency.CASES:
        assert (REPO_ROOT / case.notebook).is_file(), case
        assert case.app.lstrip(".") in sources, case


def test_browser_row_fails_when_a_move_never_redraws() -> None:
    case = browser_latency.CASES[0]
    assert browser_latency._row(case, [100.0, 120.0, 110.0]).ok is True
    assert browser_latency._row(case, [100.0, None]).ok is False
    assert browser_latency._row(case, [None]).figure.startswith("no redraw seen")


def test_run_all_turns_a_failing_section_into_a_row(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    def broken(quick: bool) -> list[Row]:
        raise RuntimeError("no kernel")

    monkeypatch.setitem(run_all.SECTIONS, "import", broken)
    monkeypatch.setitem(run_all.SECTIONS, "charts", lambda quick: [Row("charts", "c", "1 ms")])
    assert run_all.main(["--only", "import", "--only", "charts"]) == 1
    out = capsys.readouterr().out
    assert "section failed" in out and "RuntimeError: no kernel" in out
    assert "| charts" in out


def test_room_benchmark_times_an_update_and_a_refresh(fresh_learner) -> None:
    rows = room.measure(participants=(3,), repeats=2)
    assert [row.case.split(",")[0] for row in rows] == [
        "a quiz check recorded and shared (quiz shared)",
        "a quiz check recorded and shared (quiz", "trainer's refresh"]
    assert all("median" in row.figure for row in rows)
