"""Fixtures for real-browser tests: Debian Chromium, one JupyterLab per session.

A missing browser must never turn into a silent green run: locally the tests
are skipped with a loud message (and Chromium is installed when we can), on CI
(``CI=true``) they fail.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from . import jupyterlab as lab

CHROMIUM = Path("/usr/bin/chromium")
APT_LOG = lab.LOG_DIR / "apt-chromium.log"


def _say(config: pytest.Config, message: str) -> None:
    """Print past pytest's output capture: status lines must be seen live."""
    capman = config.pluginmanager.getplugin("capturemanager")
    ctx = capman.global_and_fixture_disabled() if capman else contextlib.nullcontext()
    with ctx:
        print(message, file=sys.stderr, flush=True)


def _unavailable(config: pytest.Config, reason: str) -> NoReturn:
    """Skip loudly; on CI (``CI=true``) fail, since a skip would hide the gap."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"Browser tests cannot run on CI: {reason}", pytrace=False)
    banner = "!" * 78
    _say(config, f"\n{banner}\n!! BROWSER TESTS SKIPPED: {reason}\n{banner}")
    pytest.skip(f"BROWSER TESTS SKIPPED: {reason}")


def _apt_env() -> dict[str, str]:
    """os.environ without PYTHONPATH (a test network guard must not reach apt's hooks)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["DEBIAN_FRONTEND"] = "noninteractive"
    return env


def _install_chromium(config: pytest.Config) -> str | None:
    """Try ``apt-get install chromium``; return why it could not, or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not root, so apt-get cannot install it"
    if shutil.which("apt-get") is None:
        return "apt-get is not available on this system"
    APT_LOG.parent.mkdir(parents=True, exist_ok=True)
    _say(config, f"==> Chromium missing at {CHROMIUM}: installing it with apt-get "
                 f"(about 35 s and 500 MB); log in {APT_LOG}")
    with APT_LOG.open("ab") as log:
        for step in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            _say(config, f"==> {' '.join(step)} ...")
            try:
                code = subprocess.run(step, env=_apt_env(), stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, timeout=900).returncode
            except (OSError, subprocess.TimeoutExpired) as exc:
                return f"`{' '.join(step)}` could not run ({exc}); see {APT_LOG}"
            if code != 0:
                return f"`{' '.join(step)}` failed with exit code {code}; see {APT_LOG}"
    _say(config, "==> Chromium installed" if CHROMIUM.exists() else "==> apt-get finished")
    return None if CHROMIUM.exists() else f"apt-get ran but {CHROMIUM} is still missing"


@pytest.fixture(scope="session")
def chromium_path(pytestconfig: pytest.Config) -> str:
    """Path of Debian's Chromium, installed on the fly when we are root."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    why = _install_chromium(pytestconfig)
    if CHROMIUM.exists():
        return str(CHROMIUM)
    _unavailable(pytestconfig, f"Chromium not found at {CHROMIUM} ({why}). "
                               "Install it with: sudo apt-get install -y chromium")


@pytest.fixture(scope="session")
def jupyterlab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lab.LabServer]:
    """One JupyterLab for the session, rooted at the repository, fully private."""
    try:
        server = lab.start_server(work_dir=tmp_path_factory.mktemp("jupyterlab"))
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        lab.stop_server(server)


@pytest.fixture(scope="session")
def browser(pytestconfig: pytest.Config, chromium_path: str) -> Iterator[Any]:
    """Headless Chromium with the offline resolver rule, shared by the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(pytestconfig, f"Playwright for Python is not installed ({exc})")
    with sync_playwright() as playwright:
        chromium = lab.launch_browser(playwright, chromium_path)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page in its own context (no state shared between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
