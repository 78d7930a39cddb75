"""Fixtures for real-browser tests: Debian Chromium, one JupyterLab per session, axe-core.

A missing browser must never turn into a silent green run: locally the tests
are skipped with a loud message (and Chromium is installed when we can), on CI
(``CI=true``) they fail. axe-core (accessibility) follows the same rule: it is
installed with ``npm ci`` when missing.

Every page a test opens records the requests it makes to hosts other than
loopback; the test fails if there was one (Chromium cannot reach them anyway:
see ``jupyterlab.CHROMIUM_ARGS``). A test that knowingly meets a third-party
request names it with ``@pytest.mark.outside_requests_allowed("substring", ...)``.
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

from . import accessibility
from . import jupyterlab as lab

CHROMIUM = Path("/usr/bin/chromium")
APT_LOG = lab.LOG_DIR / "apt-chromium.log"
NPM_LOG = lab.LOG_DIR / "npm-ci.log"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "outside_requests_allowed(*substrings): outside URLs containing one of these "
        "substrings do not fail the test (third-party requests we cannot remove)",
    )


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


def _install_axe(config: pytest.Config) -> str | None:
    """Run ``npm ci`` in tests/browser; return why it could not, or None."""
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed (install Node.js 18 or newer, which brings npm)"
    NPM_LOG.parent.mkdir(parents=True, exist_ok=True)
    _say(config, f"==> axe-core missing: npm ci in {accessibility.BROWSER_TESTS_DIR} "
                 f"(a few seconds); log in {NPM_LOG}")
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    with NPM_LOG.open("ab") as log:
        try:
            code = subprocess.run(command, cwd=accessibility.BROWSER_TESTS_DIR, env=_apt_env(),
                                  stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  timeout=300).returncode
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`npm ci` could not run ({exc}); see {NPM_LOG}"
    if code != 0:
        return f"`npm ci` failed with exit code {code}; see {NPM_LOG}"
    return None if accessibility.AXE_SCRIPT.exists() else f"npm ci ran but left no {accessibility.AXE_SCRIPT}"


@pytest.fixture(scope="session")
def axe_script(pytestconfig: pytest.Config) -> Path:
    """axe-core's script, installed from the lock file on first use."""
    if not accessibility.AXE_SCRIPT.exists():
        why = _install_axe(pytestconfig)
        if why is not None:
            _unavailable(pytestconfig, f"ACCESSIBILITY CHECKS: axe-core is missing ({why}). "
                                       "Install it with: npm ci --prefix tests/browser")
    return accessibility.AXE_SCRIPT


def _session_server(tmp_path_factory: pytest.TempPathFactory,
                    language: str) -> Iterator[lab.LabServer]:
    try:
        server = lab.start_server(work_dir=tmp_path_factory.mktemp(f"jupyterlab-{language}"),
                                  language=language)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        lab.stop_server(server)


@pytest.fixture(scope="session")
def jupyterlab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lab.LabServer]:
    """One JupyterLab for the session, rooted at the repository, fully private."""
    yield from _session_server(tmp_path_factory, "en")


@pytest.fixture(scope="session")
def french_jupyterlab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lab.LabServer]:
    """JupyterLab as ``tiktok-lab lab --lang fr`` starts it: its menus in French."""
    yield from _session_server(tmp_path_factory, "fr")


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
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page in its own context; the test fails if it reached outside hosts."""
    page, outside = lab.new_page(browser)
    marker = request.node.get_closest_marker("outside_requests_allowed")
    try:
        yield page
    finally:
        page.context.close()
    leaks = lab.unexpected_outside(outside, tuple(marker.args) if marker else ())
    if leaks:
        pytest.fail("The page asked for outside hosts (it must work offline):\n"
                    + "\n".join(f"  - {url}" for url in leaks), pytrace=False)
