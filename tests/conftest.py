"""Fixtures shared by the unit tests (the root ``conftest.py`` sets the test-wide
environment once, before collection; this file works per test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiktok_lab.core import i18n


@pytest.fixture
def fresh_learner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A learner who just arrived: an empty store of their own, in English, with no
    language chosen in this kernel. Returns the store's folder (not created yet).

    A test file opts in with ``pytestmark = pytest.mark.usefixtures("fresh_learner")``,
    or by asking for it in its own fixture to add more (another language, a folder).
    """
    home = tmp_path / "my_work"
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(home))
    monkeypatch.setenv("TIKTOK_LAB_LANG", "en")
    monkeypatch.setattr(i18n, "_session_language", None)
    return home


@pytest.fixture(scope="session")
def built_kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workshop kit (``tiktok-lab build site``) built once per session from the real
    lessons. Returns the output folder: ``index.html``, ``handouts/*.html``,
    ``slides/*.html`` and ``assets/``; each executed notebook is kept in
    ``built_kit.parent / "executed"`` for tests that compare pages with the run.
    """
    from tiktok_lab.kit.build import build_kit
    from tiktok_lab.core.paths import find_course_root

    folder = tmp_path_factory.mktemp("kit")
    out = folder / "build"
    build_kit(find_course_root(Path(__file__).parent), out, "site",
              report=lambda text, end="\n": None, executed_dir=folder / "executed")
    return out
