"""Server-side latency of every interactive widget of the course: trait change to callback done.

Each widget is built in a fresh kernel (as in a lesson, with the offline charts on
and the learner store in a temporary folder). Every control that has a callback
is then changed programmatically ``--repeats`` times (a button is clicked) and the
time from the assignment to its return is recorded: traitlets runs observers
synchronously, so that covers the whole callback, chart rendering and the
messages sent to the page (an ``Output`` redrawn) included. One untimed warm-up
change per control comes first; its time is reported apart ("first").

Controls without a callback (a quiz's radio buttons, the reply approach of
lesson 05) are inputs a button reads: before each click of a button they are
given another value, untimed, so the click judges a real answer. Each control
gets its original value back afterwards, so the next one starts from the same
state.

Target: the 95th percentile of every widget's changes at or under 50 ms.

    .venv/bin/python benchmarks/widget_latency.py [--repeats 30] [--only feed] [--detail]
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report import Row, parser_with_only, median, percentile, print_table

BENCH_DIR = Path(__file__).resolve().parent
TARGET_MS = 50.0
SECTION = "widget callbacks"
MARK = "TIKTOK_LAB_WIDGET_LATENCY "


# ---------------------------------------------------------------- the course's widgets


@dataclass(frozen=True)
class WidgetCase:
    """A widget as a lesson builds it; ``upload`` makes the bytes a FileUpload receives.

    ``build`` returns the widget, or an app object with a ``widget`` attribute.
    """

    label: str
    build: Callable[[], Any]
    upload: Callable[[], bytes] | None = None


def _exercise_cases() -> list[WidgetCase]:
    from tiktok_lab.course.exercises import exercise_lesson_ids, load_exercise_rows
    from tiktok_lab.ui.exercise import exercise

    return [WidgetCase(f"exercise card {lesson}/{row.id}",
                       lambda lesson=lesson, row=row: exercise(lesson, row.id, namespace={},
                                                               show=False).widget)
            for lesson in exercise_lesson_ids() for row in load_exercise_rows(lesson)]


def _quiz_cases() -> list[WidgetCase]:
    from tiktok_lab.course.quizzes import quiz_files
    from tiktok_lab.ui.quiz import build_quiz_widget

    lessons = sorted(Path(str(path)).stem for path in quiz_files())
    return [WidgetCase(f"quiz {lesson}", lambda lesson=lesson: build_quiz_widget(lesson))
            for lesson in lessons]


def _my_work_panel() -> Any:
    """The panel with something saved already, so Prepare really builds an archive."""
    from tiktok_lab.course.progress_log import record_visit
    from tiktok_lab.ui.start import my_work_panel

    record_visit("00_start_here")
    return my_work_panel()


def _store_archive() -> bytes:
    from tiktok_lab.work.store import get_store

    return get_store().archive()


def _strategy_file() -> bytes:
    from tiktok_lab.lessons.strategy.files import strategy_to_json
    from tiktok_lab.lessons.strategy.plan import example_strategy

    return strategy_to_json(example_strategy()).encode("utf-8")


def catalogue() -> list[WidgetCase]:
    """Every interactive widget of the notebooks, by ``ui/`` module.

    Where a lesson's builder returns ``SomeApp().widget``, the app itself is
    built (same widget), so its ``redraws`` counter can tell a real redraw from
    an error box. ``ui/figures_view`` draws tables only (no control): no case.
    """
    from tiktok_lab.ui import ads, anatomy, feed_lab, figures_view, publishing, scorecard, start
    from tiktok_lab.ui import strategy_builder

    return [
        WidgetCase("start: language", start.choose_language),
        WidgetCase("start: my work panel", _my_work_panel, upload=_store_archive),
        *_exercise_cases(),
        *_quiz_cases(),
        WidgetCase("anatomy (01)", anatomy.AnatomyApp),
        WidgetCase("audience calculator (02)", figures_view.audience_calculator),
        WidgetCase("feed_lab first open (03)", feed_lab.FirstOpenApp),
        WidgetCase("feed_lab signal weights (03)", feed_lab.SignalWeightsApp),
        WidgetCase("feed_lab watch time (03)", feed_lab.WatchTimeApp),
        WidgetCase("feed_lab pools (03)", feed_lab.PoolApp),
        WidgetCase("feed_lab why this video (03)", feed_lab.WhyThisVideoApp),
        WidgetCase("feed_lab switches (03)", feed_lab.SwitchesApp),
        WidgetCase("scorecard (04)", scorecard.ScorecardApp),
        WidgetCase("publishing strategy form (05)", publishing.StrategyFormApp),
        WidgetCase("publishing rhythm planner (05)", publishing.RhythmPlannerApp),
        WidgetCase("publishing comment practice (05)", publishing.CommentPracticeApp),
        WidgetCase("ads format chooser (06)", ads.FormatChooserApp),
        WidgetCase("ads budget estimator (06)", ads.BudgetEstimatorApp),
        WidgetCase("ads challenge planner (06)", ads.ChallengePlannerApp),
        WidgetCase("strategy builder (07)", strategy_builder.StrategyBuilder,
                   upload=_strategy_file),
    ]


# ---------------------------------------------------------------- finding and driving controls


def _is_control(widget: Any) -> bool:
    import ipywidgets as widgets

    if isinstance(widget, widgets.Button):
        return True
    passive = (widgets.HTML, widgets.HTMLMath, widgets.Label, widgets.Output, widgets.Valid)
    return isinstance(widget, widgets.ValueWidget) and not isinstance(widget, passive)


def _walk(widget: Any) -> Iterator[Any]:
    import ipywidgets as widgets

    if _is_control(widget):
        yield widget
    if isinstance(widget, widgets.Box):
        for child in widget.children:
            yield from _walk(child)


def find_controls(root: Any) -> dict[str, Any]:
    """Controls under ``root`` by a stable name: type, description, and a number if repeated."""
    found: dict[str, Any] = {}
    for widget in _walk(root):
        name = f"{type(widget).__name__} '{getattr(widget, 'description', '')}'"
        key, n = name, 1
        while key in found:
            n += 1
            key = f"{name} #{n}"
        found[key] = widget
    return found


def has_callback(widget: Any) -> bool:
    """True when the course (not ipywidgets itself) reacts to this control."""
    import ipywidgets as widgets
    from traitlets import ObserveHandler

    if isinstance(widget, widgets.Button):
        return bool(widget._click_handlers.callbacks)
    handlers = widget._trait_notifiers.get("value", {}).get("change", [])
    return any(not isinstance(h, ObserveHandler) for h in handlers)


def _spread(low: float, high: float, step: float, points: int = 10) -> list[float]:
    values = []
    for k in range(points + 1):
        raw = low + (high - low) * k / points
        values.append(min(high, low + round((raw - low) / step) * step))
    return values


def candidate_values(widget: Any, upload: Callable[[], bytes] | None = None) -> list[Any]:
    """Values to cycle through for one control (the current one is skipped when met)."""
    import ipywidgets as widgets

    value = widget.value
    if isinstance(widget, widgets.FileUpload):
        if upload is None:
            return []
        payload = upload()
        return [({"name": "benchmark", "type": "", "size": len(payload),
                  "content": memoryview(payload),
                  "last_modified": datetime.now(timezone.utc)},)]
    if isinstance(widget, (widgets.Checkbox, widgets.ToggleButton)):
        return [not value, value]
    if isinstance(widget, widgets.SelectMultiple):
        options = list(widget._options_values)
        singles = [(o,) for o in options]
        pairs = [(a, b) for a, b in zip(options, options[1:])]
        return singles + pairs + [tuple(value)]
    if isinstance(widget, (widgets.Dropdown, widgets.RadioButtons, widgets.ToggleButtons,
                           widgets.Select)):
        return list(widget._options_values)
    if isinstance(widget, (widgets.IntSlider, widgets.FloatSlider)):
        spread = _spread(widget.min, widget.max, widget.step)
        return [int(v) for v in spread] if isinstance(widget, widgets.IntSlider) else spread
    if isinstance(widget, widgets.IntText):
        return [value + 1, value + 2, value + 3, value]
    if isinstance(widget, widgets.FloatText):
        return [value * 1.25, value * 0.8, value * 1.5, value] if value else [1.0, 2.5, 0.5, 0.0]
    if isinstance(widget, (widgets.Text, widgets.Textarea)):
        return [f"benchmark text {k}" for k in range(4)] + [value]
    return []


def _values(widget: Any, candidates: list[Any], count: int) -> Iterator[Any]:
    """``count`` values from ``candidates``, cycling, never equal to the current value."""
    produced, index = 0, 0
    current = widget.value
    while produced < count and candidates:
        value = candidates[index % len(candidates)]
        index += 1
        if value != current or len(set(map(repr, candidates))) == 1:
            produced += 1
            current = value
            yield value
        if index > 10 * (count + len(candidates)):
            return


def _vary_passive(controls: dict[str, Any], step: int) -> None:
    """Give every control without a callback another value (the answers a button reads)."""
    for widget in controls.values():
        if has_callback(widget):
            continue
        candidates = candidate_values(widget)
        if candidates:
            widget.value = candidates[step % len(candidates)]


def _timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _redraws(app: Any) -> int | None:
    """The app's redraw counter (``redraws``, or ``checks`` for a form), if it keeps one."""
    for name in ("redraws", "checks"):
        if isinstance(getattr(app, name, None), int):
            return int(getattr(app, name))
    return None


def measure_control(app: Any, key: str, repeats: int,
                    upload: Callable[[], bytes] | None = None) -> dict[str, Any]:
    """Warm up once, then time ``repeats`` changes of one control (found afresh in ``app``).

    ``redrawn`` counts the changes after which the app's redraw counter moved
    (None when it keeps none): fewer than the changes means a message box
    replaced the chart, so the time measured is not a redraw's.
    """
    import ipywidgets as widgets

    controls = find_controls(getattr(app, "widget", app))
    widget = controls[key]
    result: dict[str, Any] = {"control": key, "samples_ms": [], "first_ms": None, "error": None,
                              "redrawn": None}
    before = _redraws(app)
    try:
        if isinstance(widget, widgets.Button):
            times = []
            for step in range(repeats + 1):
                _vary_passive(controls, step)
                times.append(_timed(widget.click))
            original = None
        else:
            candidates = candidate_values(widget, upload)
            if not candidates:
                result["error"] = f"no way to drive a {type(widget).__name__}"
                return result
            original = widget.value
            times = [_timed(lambda value=value: setattr(widget, "value", value))
                     for value in _values(widget, candidates, repeats + 1)]
        after = _redraws(app)
        if before is not None and after is not None:
            result["redrawn"] = after - before
        restore = not isinstance(widget, (widgets.Button, widgets.FileUpload))
        if restore and widget.value != original:
            widget.value = original
    except Exception as error:  # noqa: BLE001 - a broken control is a result, not a crash
        result["error"] = f"{type(error).__name__}: {error}"
        return result
    result["first_ms"], result["samples_ms"] = times[0], times[1:]
    return result


def measure_case(case: WidgetCase, repeats: int) -> dict[str, Any]:
    """Build one widget and time every control that has a callback."""
    start = time.perf_counter()
    try:
        app = case.build()
    except Exception as error:  # noqa: BLE001 - reported as a failed case, the others go on
        return {"case": case.label, "build_ms": None, "controls": [],
                "error": f"building it failed: {type(error).__name__}: {error}"}
    build_ms = (time.perf_counter() - start) * 1000
    root = getattr(app, "widget", app)
    keys = [key for key, widget in find_controls(root).items() if has_callback(widget)]
    return {"case": case.label, "build_ms": build_ms,
            "controls": [measure_control(app, key, repeats, case.upload) for key in keys]}


def select(only: Sequence[str] = ()) -> list[WidgetCase]:
    return [c for c in catalogue() if not only or any(o in c.label for o in only)]


# ---------------------------------------------------------------- in a fresh kernel


def kernel_notebook(repeats: int, only: Sequence[str] = ()) -> Any:
    """A notebook measuring each selected widget in its own cell, one JSON line each."""
    import nbformat

    labels = [case.label for case in select(only)]
    setup = ("import json, sys\n"
             f"sys.path.insert(0, {str(BENCH_DIR)!r})\n"
             "import widget_latency\n"
             "from tiktok_lab.core.charts import enable_offline_charts\n"
             "enable_offline_charts()\n"
             "cases = {case.label: case for case in widget_latency.catalogue()}")
    cells = [nbformat.v4.new_code_cell(setup)]
    for label in labels:
        cells.append(nbformat.v4.new_code_cell(
            f"print({MARK!r} + json.dumps(widget_latency.measure_case(cases[{label!r}], "
            f"{repeats})))"))
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def measure_in_kernel(repeats: int, only: Sequence[str] = ()) -> list[dict[str, Any]]:
    from notebook_runs import kernel_output

    text = kernel_output(kernel_notebook(repeats, only))
    return [json.loads(line[len(MARK):]) for line in text.splitlines() if line.startswith(MARK)]


def rows_from(results: list[dict[str, Any]], detail: bool = False) -> list[Row]:
    """One row per widget (median and p95 over all its changes, slowest control named)."""
    rows = []
    for result in results:
        measured = [c for c in result["controls"] if c["samples_ms"]]
        samples = [s for c in measured for s in c["samples_ms"]]
        broken = [c for c in result["controls"] if c["error"]]
        if result.get("error"):
            rows.append(Row(SECTION, result["case"], result["error"], "no error", False))
        elif not samples:
            rows.append(Row(SECTION, result["case"], "no control measured", "", not broken))
        else:
            p95 = percentile(samples, 95)
            slowest = max(measured, key=lambda c: percentile(c["samples_ms"], 95))
            first = max(c["first_ms"] for c in measured)
            rows.append(Row(
                SECTION, result["case"],
                f"median {median(samples):.1f} ms, p95 {p95:.1f} ms, first <= {first:.0f} ms; "
                f"{len(measured)} control(s) x {len(slowest['samples_ms'])}; slowest p95: "
                f"{slowest['control']} {percentile(slowest['samples_ms'], 95):.1f} ms",
                f"p95 <= {TARGET_MS:.0f} ms", p95 <= TARGET_MS))
        if detail:
            for control in measured:
                p95 = percentile(control["samples_ms"], 95)
                rows.append(Row(SECTION, f"  {control['control']}",
                                f"median {median(control['samples_ms']):.1f} ms, p95 {p95:.1f} ms",
                                f"p95 <= {TARGET_MS:.0f} ms", p95 <= TARGET_MS))
        for control in broken:
            rows.append(Row(SECTION, f"  {result['case']}: {control['control']}",
                            control["error"], "no error", False))
        for control in measured:
            changes = len(control["samples_ms"]) + 1
            if control["redrawn"] is not None and control["redrawn"] < changes:
                rows.append(Row(SECTION, f"  {result['case']}: {control['control']}",
                                f"redrawn after {control['redrawn']} of {changes} changes "
                                "(a message box instead: times are not redraws)",
                                "every change redraws", False))
    return rows


def measure(repeats: int = 30, only: Sequence[str] = (), detail: bool = False) -> list[Row]:
    return rows_from(measure_in_kernel(repeats, only), detail)


def main(argv: Sequence[str] | None = None) -> None:
    parser = parser_with_only(__doc__, "widgets")
    parser.add_argument("--repeats", type=int, default=30, help="timed changes per control")
    parser.add_argument("--detail", action="store_true", help="one row per control too")
    args = parser.parse_args(argv)
    print_table(measure(args.repeats, args.only, args.detail),
                f"Widget callbacks, {args.repeats} changes per control, in a fresh kernel")


if __name__ == "__main__":
    main()
