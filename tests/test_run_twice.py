"""Run All twice in the same kernel, in the French edition: no error, the same outputs the
second time.

Learners re-run cells all the time; a lesson that only works once is broken. (nbval checks
the first run in a fresh kernel, of both editions; this checks the second run.) The two
editions run the same code cells (``tests/test_translations.py`` proves it), so running the
second pass on the French edition, whose kernel speaks French because it starts in
``notebooks/fr/``, proves the re-run for both and French widgets and messages at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import html
import nbformat
import pytest
from nbclient import NotebookClient

from tests.bilingual import english_probes

# Runs every notebook twice in a kernel: left out of `make check` (the full suite runs it).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks" / "fr").glob("*.ipynb"))
PROBES = english_probes()
# Ids that are new on every display by design: chart divs and widget models.
VOLATILE = [
    (re.compile(r"tiktok-lab-chart-[0-9a-f]{32}"), "tiktok-lab-chart-ID"),
    (re.compile(r'"model_id": "[0-9a-f]+"'), '"model_id": "ID"'),
]


def _outputs(notebook: nbformat.NotebookNode) -> list[str]:
    text = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            dumped = json.dumps([{k: v for k, v in o.items() if k != "execution_count"}
                                 for o in cell.outputs], sort_keys=True)
            for pattern, replacement in VOLATILE:
                dumped = pattern.sub(replacement, dumped)
            text.append(dumped)
    return text


def _html(notebook: nbformat.NotebookNode) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for cell in notebook.cells
                   if cell.cell_type == "code" for o in cell.outputs)


def _errors(notebook: nbformat.NotebookNode) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for cell in notebook.cells
            if cell.cell_type == "code" for o in cell.outputs if o.get("output_type") == "error"]


def test_the_french_edition_is_there() -> None:
    assert len(NOTEBOOKS) >= 8


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_run_all_twice_in_one_kernel_in_french(path: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "en")  # the edition's folder wins over the room's
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(tmp_path / "my_work"))
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    runs = []
    with client.setup_kernel():
        for _ in range(2):
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            assert not _errors(notebook), _errors(notebook)
            runs.append(_outputs(notebook))
            assert "Prêt\u00a0: leçon" in _html(notebook), "the set-up cell speaks French"
        client.set_widgets_metadata()
    changed = [i for i, (a, b) in enumerate(zip(*runs)) if a != b]
    assert not changed, f"{path.name}: code cells {changed} show something else the second time"
    shown = html.unescape("\n".join(runs[-1]) + json.dumps(notebook.metadata.get("widgets", {}),
                                                            ensure_ascii=False))
    english = sorted({f"{where}: {text[:70]}" for text, where in PROBES.items() if text in shown})
    assert not english, f"{path.name} shows English to a French learner:\n" + "\n".join(english)
