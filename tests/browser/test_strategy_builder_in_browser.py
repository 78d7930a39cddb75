"""The strategy builder as an app (`tiktok-lab app`, Voilà) in a real browser, offline.

The same builder inside JupyterLab is driven by the lesson 07 test in
``test_notebooks_in_browser.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import accessibility, learner
from . import jupyterlab as lab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``tiktok-lab app`` on a free loopback port, with a private learner store."""
    yield from _serve_app(tmp_path_factory, "en")


@pytest.fixture(scope="module")
def french_voila_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``tiktok-lab app --lang fr``: the French edition's strategy builder."""
    yield from _serve_app(tmp_path_factory, "fr")


def _serve_app(tmp_path_factory: pytest.TempPathFactory, language: str) -> Iterator[str]:
    port = lab.free_port()
    home = tmp_path_factory.mktemp(f"voila-{language}")
    log = (home / "voila.log").open("wb")
    env = {**os.environ, "TIKTOK_LAB_HOME": str(home / "my_work"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_CONFIG_DIR": str(home / "config")}
    server = subprocess.Popen([sys.executable, "-m", "tiktok_lab", "app", "--no-browser",
                               "--port", str(port), "--lang", language], cwd=lab.REPO_ROOT,
                              env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_answering(url + "api/status", server, home / "voila.log")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()


def _wait_until_answering(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("Voilà stopped:\n" + log.read_text(errors="replace")[-3000:])
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means the server is up
        except OSError:
            time.sleep(0.3)
    pytest.fail("Voilà did not answer within 60 s:\n" + log.read_text(errors="replace")[-3000:])


# Voilà's template links Font Awesome from a CDN; Chromium cannot reach it, and
# the icons still draw from the copy bundled in Voilà's own JavaScript
# (checked below). No other outside request is allowed.
FONT_AWESOME_CDN = ("cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free",)


@pytest.fixture(scope="module")
def app_page(browser: Any, voila_url: str) -> Iterator[tuple[Any, list[str]]]:
    """The app, loaded once for this module's tests (Voilà runs the notebook per load)."""
    yield from _load_app(browser, voila_url)


def _load_app(browser: Any, voila_url: str) -> Iterator[tuple[Any, list[str]]]:
    page, outside = lab.new_page(browser)
    try:
        page.goto(voila_url, wait_until="commit", timeout=60_000)
        page.wait_for_selector(".tiktok-lab-strategy-builder", timeout=120_000)
        page.wait_for_selector(".vega-embed svg", timeout=60_000)
        # The page is whole: every cell streamed in (load), Voilà's spinner gone (it shows
        # the cells), the icon font's loads over, no request left in flight.
        page.wait_for_load_state("load", timeout=120_000)
        lab.expect(page.locator("#loading")).to_have_count(0, timeout=60_000)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.wait_for_load_state("networkidle", timeout=60_000)
        yield page, outside
    finally:
        page.context.close()


def _no_outside(outside: list[str]) -> None:
    leaks = lab.unexpected_outside(outside, FONT_AWESOME_CDN)
    assert not leaks, f"the app asked for outside hosts: {leaks}"


# Markdown cells use .jp-InputArea too: only code editors and prompts count, when visible.
_SHOWN_CODE_JS = """() => Array.from(document.querySelectorAll(
    '.jp-CodeCell .jp-InputArea-editor, .jp-CodeCell .jp-InputPrompt, .cm-editor, .highlight pre'))
  .filter((el) => el.getClientRects().length > 0 && (el.textContent || '').trim())
  .map((el) => el.textContent.trim().slice(0, 60))"""


_ICONS_JS = """() => {
  // A hidden button (the share bar's Withdraw before sharing) draws nothing: not counted.
  const icons = Array.from(document.querySelectorAll('.jupyter-widgets i.fa'))
    .filter((i) => i.getClientRects().length > 0);
  const drawn = icons.filter((i) => {
    const style = getComputedStyle(i, '::before');
    return /Font Awesome/.test(style.fontFamily) && style.content && style.content !== 'none'
      && i.getBoundingClientRect().width > 0;
  });
  return [icons.length, drawn.length, document.fonts.check('900 14px "Font Awesome 5 Free"')];
}"""


def _shows_the_app_only(page: Any, outside: list[str]) -> None:
    """Widgets and chart drawn; no code, no guidance for code runners, no outside host."""
    text = page.inner_text("body")
    shown_code = page.evaluate(_SHOWN_CODE_JS)
    assert not shown_code, f"code cells shown: {shown_code}"
    assert "import tiktok_lab" not in text and "tl.start_lesson" not in text, "code is visible"
    # Guidance for people who run code (set-up cell, exercises) is not in the app.
    assert "Run the set-up cell" not in text and "____" not in text, "notebook-only text shown"
    for needle in lab.PROBLEM_NEEDLES:
        assert needle not in text, needle
    assert page.locator(".jupyter-widgets").count() >= 3
    charts, drawn = lab.wait_charts_drawn(page)
    assert charts >= 1 and drawn == charts, f"{drawn}/{charts} charts drawn"
    icons, drawn_icons, font_ready = page.evaluate(_ICONS_JS)
    assert icons >= 1 and drawn_icons == icons and font_ready, (
        f"button icons without the CDN: {drawn_icons}/{icons} drawn, font loaded: {font_ready}")
    _no_outside(outside)


def test_strategy_app_shows_widgets_and_chart_but_no_code(app_page: tuple[Any, list[str]]) -> None:
    page, outside = app_page
    _shows_the_app_only(page, outside)
    lab.screenshot(page, "voila_strategy_app", whole_notebook=False)


def test_participant_uses_the_builder_in_the_app(app_page: tuple[Any, list[str]],
                                                 tmp_path: Path) -> None:
    page, outside = app_page
    learner.use_strategy_builder(page, tmp_path)
    _no_outside(outside)


def test_strategy_app_is_accessible(app_page: tuple[Any, list[str]], axe_script: Path) -> None:
    """After use (checklist and download links shown): no serious or critical violation."""
    page, outside = app_page
    report = accessibility.scan(page, "voila_strategy_app", axe_script)
    print(report.summary())
    assert not report.blocking(), report.summary()
    _no_outside(outside)


def test_the_french_app_speaks_french_and_is_accessible(browser: Any, french_voila_url: str,
                                                        axe_script: Path) -> None:
    """`tiktok-lab app --lang fr`: the French edition's builder, French from title to buttons."""
    for page, outside in _load_app(browser, french_voila_url):
        text = page.inner_text("body")
        assert "Vérifier" in text or "Préparer mes fichiers" in text, text[:400]
        assert "Prepare my files" not in text and "Ready:" not in text, "English left"
        assert "import tiktok_lab" not in text
        charts, drawn = lab.wait_charts_drawn(page)
        assert charts >= 1 and drawn == charts
        report = accessibility.scan(page, "voila_strategy_app_fr", axe_script)
        assert not report.blocking(), report.summary()
        lab.screenshot(page, "voila_strategy_app_fr", whole_notebook=False)
        _no_outside(outside)


# ----------------------------------------------------------------- Binder's app badge

BINDER_APP_PATHS = {"en": "notebooks/07_my_strategy.ipynb",
                    "fr": "notebooks/fr/07_my_strategy.ipynb"}


@pytest.fixture(scope="module")
def binder_like_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lab.LabServer]:
    """JupyterLab's server with Voilà as its extension, configured as Binder's postBuild does.

    The app's settings come from the same command postBuild runs, written into the
    server's private configuration folder (Binder writes into the environment's own).
    """
    work_dir = tmp_path_factory.mktemp("binder-like")
    config_dir = work_dir / "config"
    done = subprocess.run([sys.executable, "-m", "tiktok_lab", "app", "--install-server-config",
                           str(config_dir)], cwd=lab.REPO_ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    server = lab.start_server(work_dir=work_dir)
    try:
        yield server
    finally:
        lab.stop_server(server)


def _left_out_headings(notebook: Path) -> list[str]:
    """The headings of the cells the app leaves out (notebook-only, data corner)."""
    cells = json.loads(notebook.read_text("utf-8"))["cells"]
    return [line.lstrip("#").strip() for cell in cells
            if cell["cell_type"] == "markdown"
            and {"notebook-only", "data-corner"} & set(cell["metadata"].get("tags", []))
            for line in "".join(cell["source"]).splitlines() if line.startswith("#")]


@pytest.mark.parametrize("language", list(BINDER_APP_PATHS))
def test_binder_app_badge_serves_the_app_as_tiktok_lab_app(
        browser: Any, binder_like_server: lab.LabServer, language: str) -> None:
    """The README's app badge (``?urlpath=voila/render/…``): Voilà under the Jupyter server."""
    path = BINDER_APP_PATHS[language]
    left_out = _left_out_headings(lab.REPO_ROOT / path)
    assert len(left_out) >= 3, left_out  # set-up, data corner, its exercises
    for page, outside in _load_app(browser, binder_like_server.url(f"/voila/render/{path}")):
        _shows_the_app_only(page, outside)
        text = page.inner_text("body")
        shown = [heading for heading in left_out if heading in text]
        assert not shown, f"cells the app leaves out are shown: {shown}"
        assert "Exécutez la cellule" not in text
        lab.screenshot(page, f"binder_strategy_app_{language}", whole_notebook=False)
