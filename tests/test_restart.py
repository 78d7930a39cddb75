"""A kernel restart in the middle of a lesson loses none of the learner's work.

What learners do: run the lesson to the app, type their brand, their why, their
budget... then the kernel dies or they press "Restart", and they Run All from
the top. For the start notebook and each lesson that saves work (04-07):

1. kernel A runs the code cells up to the last app, then types into every
   control of every app (text, choices, numbers) exactly as a learner would,
   which saves to the store; kernel A is then shut down (the restart);
2. kernel B, on the same ``my_work``, runs all cells from the top: no error;
   every control of every app shows what was typed before the restart; the
   store's document for the lesson still holds it (re-running the app cells did
   not overwrite it with defaults); and every cell shows the same output as a
   clean run in a fresh kernel with an empty store, except the cells that are
   meant to show saved work (listed per lesson below).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from test_run_twice import _errors, _outputs

# Two kernels per notebook: left out of `make check` (the full suite runs it).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MARKER = "Restart-proof ✓ Café Lumière"


@dataclass(frozen=True)
class Lesson:
    notebook: str
    apps: tuple[str, ...]  # sources of the cells that build an app, as written in the lesson
    documents: tuple[str, ...]  # store documents the apps save to
    shows_saved_work: tuple[str, ...] = ()  # cells whose output is meant to change
    learner_code: tuple[str, ...] = field(default=())  # typed in cells after the apps
    # The edition run: both share their code cells (tests/test_translations.py), so the
    # lessons alternate between them and a restart is proven in each language.
    edition: str = ""

    @property
    def path(self) -> Path:
        return ROOT / "notebooks" / self.edition / self.notebook


LESSONS = [
    Lesson("00_start_here.ipynb", apps=(), documents=("progress",),
           shows_saved_work=("tl.progress()", "tl.my_work_panel()"),
           # the goal is an open answer now: written in its card's box, then Check
           learner_code=(f'q3.answer("{MARKER}: more people at our Saturday tastings")',)),
    Lesson("04_opportunity.ipynb", apps=("tl.build_scorecard_widget()",),
           documents=("opportunity",), edition="fr"),
    Lesson("05_tips.ipynb", apps=("tl.build_strategy_form()", "tl.build_rhythm_planner()"),
           documents=("publishing",)),
    Lesson("06_ads.ipynb", apps=("tl.build_format_chooser()", "tl.build_budget_estimator()",
                                 "tl.build_challenge_planner()"),
           documents=("ads",), edition="fr"),
    Lesson("07_my_strategy.ipynb", apps=("tl.build_strategy_builder()",),
           documents=("strategy",), shows_saved_work=("tl.saved_strategy()",)),
]

# Runs in the kernel: find the controls of an app (a widget tree) and act as a learner.
KERNEL_HELPERS = r'''
import json as _tl_json
import ipywidgets as _tl_w

def _tl_controls(widget, path=()):
    found = []
    if "tiktok-lab-share-bar" in getattr(widget, "_dom_classes", ()):
        return found  # sharing with the trainer is a choice of its own, not the app's work
    passive = (_tl_w.HTML, _tl_w.HTMLMath, _tl_w.Label, _tl_w.FileUpload)
    if isinstance(widget, _tl_w.ValueWidget) and not isinstance(widget, passive):
        found.append((path, widget))
    for index, child in enumerate(getattr(widget, "children", None) or ()):
        found += _tl_controls(child, path + (index,))
    return found

def _tl_type_into(widget, marker):
    """Change every enabled control once: text gets the marker, choices move on, numbers grow."""
    for path, control in _tl_controls(widget):
        if getattr(control, "disabled", False):
            continue
        if isinstance(control, (_tl_w.Text, _tl_w.Textarea)):
            control.value = f"{marker} {'.'.join(map(str, path))}"
        elif isinstance(control, (_tl_w.Dropdown, _tl_w.RadioButtons, _tl_w.Select,
                                  _tl_w.ToggleButtons)) and len(control.options) > 1:
            control.index = ((control.index or 0) + 1) % len(control.options)
        elif isinstance(control, (_tl_w.SelectMultiple, _tl_w.ToggleButtons)) and control.options:
            control.index = (len(control.options) - 1,)
        elif isinstance(control, (_tl_w.Checkbox, _tl_w.ToggleButton)):
            control.value = not control.value
        elif isinstance(control, (_tl_w.IntSlider, _tl_w.BoundedIntText, _tl_w.FloatSlider,
                                  _tl_w.BoundedFloatText, _tl_w.IntRangeSlider)):
            if not isinstance(control.value, tuple):
                middle = control.min + (control.max - control.min) * 0.6
                control.value = type(control.value)(round(middle))
        elif isinstance(control, (_tl_w.IntText, _tl_w.FloatText)):
            control.value = control.value + 3

def _tl_snapshot(widget):
    return {".".join(map(str, path)) or "root": control.value
            for path, control in _tl_controls(widget)}
'''


def _client(notebook: nbformat.NotebookNode, home: Path, monkeypatch,
            folder: Path = ROOT / "notebooks") -> NotebookClient:
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(home))
    return NotebookClient(notebook, timeout=180, kernel_name="python3",
                          resources={"metadata": {"path": str(folder)}})


def _run(client: NotebookClient, notebook: nbformat.NotebookNode, source: str) -> str:
    """Run extra code in the kernel (as a cell appended to the notebook); its stdout."""
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    cell = client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
    errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
    assert not errors, errors
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _run_all(client: NotebookClient, notebook: nbformat.NotebookNode, upto: int | None = None):
    for index, cell in enumerate(notebook.cells[:upto]):
        if cell.cell_type == "code":
            client.execute_cell(cell, index)


def _app_cells(notebook: nbformat.NotebookNode, lesson: Lesson) -> list[int]:
    cells = [i for i, cell in enumerate(notebook.cells)
             if cell.cell_type == "code" and cell.source.strip() in lesson.apps]
    assert len(cells) == len(lesson.apps), f"{lesson.notebook}: an app cell was renamed"
    return cells


def _snapshots(client, notebook, app_cells) -> list[dict]:
    return [json.loads(_run(client, notebook, (
        f"print(_tl_json.dumps(_tl_snapshot(Out[{notebook.cells[i].execution_count}]), "
        "default=str, sort_keys=True))"))) for i in app_cells]


def _documents(home: Path, names: tuple[str, ...]) -> dict:
    from tiktok_lab.work.store import Store

    return {name: Store(home).read(name) for name in names}


def _work_only(value):
    """Saved work without when it was saved nor how many tries: a re-run updates those."""
    if isinstance(value, dict):
        return {k: _work_only(v) for k, v in value.items()
                if not re.search(r"(^|_)(at|saved|time|attempts)$", k)}
    if isinstance(value, list):
        return [_work_only(v) for v in value]
    return value


def _comparable(notebook: nbformat.NotebookNode, lesson: Lesson, home: Path) -> list[str]:
    """Outputs to compare with a clean run. An app's plain-text fallback (what a
    frontend without widgets prints) spells out the controls' values, which are
    meant to be the learner's, so only the widget view itself is compared; the
    set-up check names the (temporary) ``my_work`` folder."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                data.pop("text/plain", None)
    outputs = _outputs(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return [text.replace(str(home), "MY_WORK") for cell, text in zip(code, outputs)
            if not any(pattern in cell.source for pattern in lesson.shows_saved_work)]


@pytest.mark.parametrize("lesson", LESSONS,
                         ids=[f"{lesson.edition or 'en'}/{lesson.notebook}" for lesson in LESSONS])
def test_a_restart_in_the_middle_loses_no_work(lesson: Lesson, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = lesson.path

    clean, clean_home = nbformat.read(path, as_version=4), tmp_path / "clean" / "my_work"
    with (client := _client(clean, clean_home, monkeypatch, path.parent)).setup_kernel():
        _run_all(client, clean)
    assert not _errors(clean), _errors(clean)

    home = tmp_path / "learner" / "my_work"
    before = nbformat.read(path, as_version=4)
    original_cells = len(before.cells)
    app_cells = _app_cells(before, lesson)
    with (client := _client(before, home, monkeypatch, path.parent)).setup_kernel():
        _run_all(client, before, upto=(app_cells[-1] + 1) if app_cells else None)
        _run(client, before, KERNEL_HELPERS)
        untouched = _snapshots(client, before, app_cells)
        for index in app_cells:
            _run(client, before, f"_tl_type_into(Out[{before.cells[index].execution_count}], "
                                 f"{MARKER!r})")
        for code in lesson.learner_code:
            _run(client, before, code)
        typed = _snapshots(client, before, app_cells)
        saved = _work_only(_documents(home, lesson.documents))
    assert not _errors(before), _errors(before)
    for app, (was, now) in enumerate(zip(untouched, typed)):
        assert was != now, f"{lesson.apps[app]}: the learner's typing changed no control"
    assert any(saved.values()), f"{lesson.notebook}: typing into the apps saved nothing"
    assert MARKER in json.dumps(saved, ensure_ascii=False), "what was typed reached the store"

    after = nbformat.read(path, as_version=4)
    with (client := _client(after, home, monkeypatch, path.parent)).setup_kernel():  # the restarted kernel
        _run_all(client, after)
        assert not _errors(after), _errors(after)
        _run(client, after, KERNEL_HELPERS)
        restored = _snapshots(client, after, app_cells)
    for app, (was, now) in enumerate(zip(typed, restored)):
        lost = {control: (was[control], now.get(control)) for control in was
                if now.get(control) != was[control]}
        assert not lost, f"{lesson.notebook}, app {lesson.apps[app]}: (typed, shown) {lost}"
    assert _work_only(_documents(home, lesson.documents)) == saved, (
        "running the lesson again overwrote the saved work")

    del after.cells[original_cells:]
    assert _comparable(after, lesson, home) == _comparable(clean, lesson, clean_home), (
        "after the restart, a cell shows something else than in a clean run")
