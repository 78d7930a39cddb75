"""The direction of imports is a checked contract (``[tool.importlinter]`` in pyproject.toml).

``docs/architecture.md`` draws the parts: cli, then kit or ui, then lessons, course, work,
core, each importing only the parts below it; no widgets below ``ui/``; lessons 01-06
independent of one another; no import cycle. import-linter reads every import, those inside
functions included. The second test proves the check can fail: a copy of the package with one
forbidden import added breaks exactly the contract that forbids it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tiktok_lab

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(tiktok_lab.__file__).resolve().parent
CONFIG = ROOT / "pyproject.toml"


def lint_imports(src: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the package found in ``src`` (only ``contracts``, if named)."""
    code = ("import sys\nfrom importlinter.cli import lint_imports\n"
            f"sys.exit(lint_imports(config_filename={str(CONFIG)!r}, "
            f"limit_to_contracts={contracts!r}, no_cache=True, no_logo=True))")
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([sys.executable, "-c", code], cwd=src, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_import_contracts_hold() -> None:
    done = lint_imports(PACKAGE.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    assert "4 kept" in done.stdout, "a contract of pyproject.toml is not checked here"


# (contract id, module to change, the import added inside a function there)
BREAKS = [
    ("layers", "core/paths.py", "from tiktok_lab.course import syllabus"),
    ("no-widgets-below-ui", "lessons/platform.py", "import ipywidgets"),
    ("no-widgets-below-ui", "course/verdicts.py", "from tiktok_lab.ui import html_views"),
    ("lessons", "lessons/feed/model.py", "from tiktok_lab.lessons import publishing"),
    ("no-cycles", "core/i18n.py", "from tiktok_lab.core import content_types"),
]


@pytest.mark.parametrize(("contract", "module", "statement"), BREAKS,
                         ids=[f"{c}:{m}" for c, m, _ in BREAKS])
def test_a_forbidden_import_breaks_its_contract(tmp_path: Path, contract: str, module: str,
                                                statement: str) -> None:
    copy = tmp_path / "src" / "tiktok_lab"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("data", "__pycache__"))
    if statement.startswith("from tiktok_lab.ui import html_views"):  # a ui module to import
        (copy / "ui" / "html_views.py").write_text('"""A view."""\n', encoding="utf-8")
    with (copy / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\n\ndef _added_for_the_test() -> None:\n    {statement}  # noqa\n")
    broken = lint_imports(tmp_path / "src", contract)
    assert broken.returncode != 0, broken.stdout + broken.stderr
    assert "BROKEN" in broken.stdout and "1 broken" in broken.stdout, broken.stdout
