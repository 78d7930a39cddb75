"""The package's public face: ``import tiktok_lab as tl`` stays light and its names stay stable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tiktok_lab

PACKAGE = Path(tiktok_lab.__file__).parent


def test_no_public_name_is_also_a_submodule() -> None:
    """Importing ``tiktok_lab.x`` rebinds ``tl.x`` to the module: ``tl.x()`` would then break
    for a learner who re-runs a cell, so public names and module names must differ."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {p.name for p in PACKAGE.iterdir() if p.is_dir()}
    assert not set(tiktok_lab._LAZY) & modules


def test_every_public_name_resolves() -> None:
    for name in tiktok_lab._LAZY:
        assert getattr(tiktok_lab, name) is not None, name


def test_import_loads_no_heavy_library() -> None:
    code = ("import sys, tiktok_lab\n"
            "heavy = {'pandas', 'altair', 'ipywidgets', 'numpy', 'pydantic', 'yaml'} & set(sys.modules)\n"
            "print(sorted(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
