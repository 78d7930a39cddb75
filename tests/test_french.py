"""Every notebook runs in French too: English and French are both first-class.

The rest of the suite runs in English (the root conftest forces it); here the
kernel gets ``TIKTOK_LAB_LANG=fr``, as a trainer would set it for a room.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_in_french(path: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(tmp_path / "my_work"))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    setup = "".join(o.get("data", {}).get("text/html", "")
                    for cell in notebook.cells if cell.cell_type == "code"
                    for o in cell.outputs)
    assert "Prêt : leçon" in setup, "the set-up cell speaks French"
