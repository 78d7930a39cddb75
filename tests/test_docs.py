"""The maintainer docs name real files and real tests.

``docs/authoring.md`` is followed by people adding to the course, and
``docs/robustness.md`` points at the test behind each promise: a path or a
test renamed without the docs following would send them nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["docs/authoring.md", "docs/robustness.md", "docs/architecture.md", "docs/sources.md"]
# A repository path in backticks, e.g. `src/tiktok_lab/data/figures.yaml`; paths with a
# <placeholder> or a glob are patterns, not files.
PATH = re.compile(r"`((?:src|tests|docs|workshop|source|notebooks|benchmarks|tools)/[^`\s]+)`")


def _test_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        names[path.stem] = set(re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), re.M))
    return names


@pytest.mark.parametrize("doc", DOCS)
def test_every_path_named_in_the_docs_exists(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    missing = [p for p in PATH.findall(text)
               if not re.search(r"[<*{]", p) and not (ROOT / p.rstrip("/.,")).exists()]
    assert not missing, f"{doc} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS)
def test_every_test_named_in_the_docs_exists(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    names = _test_names()
    every = set().union(*names.values())
    missing = []
    for match in re.finditer(r"`(?:(test_\w+)\.py)?::(test_\w+)`", text):
        module, test = match.groups()
        if (module and test not in names.get(module, set())) or test not in every:
            missing.append(match.group(0))
    assert not missing, f"{doc} names tests that do not exist: {missing}"


def test_the_check_can_fail(tmp_path: Path) -> None:
    assert PATH.findall("see `src/tiktok_lab/nowhere.py`") == ["src/tiktok_lab/nowhere.py"]
    assert not (ROOT / "src/tiktok_lab/nowhere.py").exists()
