"""Test-wide set-up shared by the unit tests, nbval notebooks and browser tests.

Runs before anything is collected:
- the learner store goes to a throw-away folder, so tests never touch ``my_work/``;
- the course language is forced to English for stable outputs;
- the offline chart library is cached in a throw-away folder too (built once per
  run by the first process that needs it, then read by every kernel);
- child Python processes (notebook kernels, JupyterLab) get the offline guard in
  ``tests/offline/sitecustomize.py``; the pytest process itself is guarded by
  pytest-socket's ``--allow-hosts`` option (see ``pyproject.toml``);
- Hypothesis runs the same examples on every machine (``derandomize``, no example
  database), so a red property test is red for everyone and CI never flakes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

OFFLINE_GUARD = Path(__file__).parent / "tests" / "offline"


def _hypothesis_profile() -> None:
    from hypothesis import HealthCheck, settings

    # function_scoped_fixture: property tests share one throw-away learner store
    # (``fresh_learner``) across their examples on purpose.
    settings.register_profile(
        "tiktok-lab", derandomize=True, database=None, deadline=None, print_blob=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    settings.load_profile("tiktok-lab")


_hypothesis_profile()


def pytest_configure(config) -> None:
    os.environ["TIKTOK_LAB_HOME"] = tempfile.mkdtemp(prefix="tiktok-lab-test-home-")
    os.environ["TIKTOK_LAB_LANG"] = "en"
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="tiktok-lab-test-cache-")
    existing = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(OFFLINE_GUARD), existing) if p)


def pytest_collection_modifyitems(config, items) -> None:
    """Mark everything ``make check`` leaves out, so that ``make test`` runs the unit tests on
    every core (``-m "not slow and not browser" -n auto``) and the rest once, in order
    (``-m "slow or browser"``): the notebooks nbval runs are slow, and every test under
    tests/browser drives Chromium (some without a marker of their own)."""
    import pytest

    browser_tests = Path(__file__).resolve().parent / "tests" / "browser"
    for item in items:
        path = Path(str(item.path)).resolve()
        if path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
        elif browser_tests in path.parents:
            item.add_marker(pytest.mark.browser)
