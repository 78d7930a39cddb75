"""The strategy builder in a real browser: as an app (`tiktok-lab app`, Voilà) and in JupyterLab."""

from __future__ import annotations

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

from . import jupyterlab as lab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``tiktok-lab app`` on a free loopback port, with a private learner store."""
    port = lab.free_port()
    home = tmp_path_factory.mktemp("voila")
    log = (home / "voila.log").open("wb")
    env = {**os.environ, "TIKTOK_LAB_HOME": str(home / "my_work"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_CONFIG_DIR": str(home / "config")}
    server = subprocess.Popen([sys.executable, "-m", "tiktok_lab", "app", "--no-browser",
                               "--port", str(port)], cwd=lab.REPO_ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
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


def test_strategy_app_shows_widgets_and_chart_but_no_code(page: Any, voila_url: str) -> None:
    outside = lab.record_outside_requests(page)
    page.goto(voila_url, wait_until="commit", timeout=60_000)
    page.wait_for_selector(".jupyter-widgets", timeout=120_000)
    page.wait_for_selector(".vega-embed svg", timeout=60_000)
    page.wait_for_timeout(1500)
    text = page.inner_text("body")
    assert "import tiktok_lab" not in text and "tl.start_lesson" not in text, "code is visible"
    for needle in ("Traceback", "Error displaying widget", "could not be drawn"):
        assert needle not in text, needle
    assert page.locator(".jupyter-widgets").count() >= 3
    # Only Font Awesome icons come from a CDN in Voilà (recipes.md); nothing else may leave.
    leaks = [u for u in outside if "font-awesome" not in u and "fontawesome" not in u]
    assert not leaks, leaks
    lab.screenshot(page, "voila_strategy_app", whole_notebook=False)


BRAND = "<script>alert('x')</script> Crème & Co 🎬"


def _fill_check_and_download(page: Any, tmp_path: Path) -> None:
    """What a participant does in the builder, wherever it is shown (JupyterLab or Voilà)."""
    import json

    builder = page.locator(".tiktok-lab-strategy-builder")
    builder.wait_for(timeout=120_000)
    builder.scroll_into_view_if_needed()  # JupyterLab renders cells out of view lazily
    page.wait_for_timeout(500)
    assert "Write your objective" in builder.inner_text(), "an empty objective blocks the plan"

    brand = builder.get_by_placeholder("The brand or organisation the plan is for.")
    brand.fill(BRAND)
    brand.press("Tab")
    objective = builder.get_by_placeholder("One sentence: what you want to achieve, with whom, "
                                           "by when.")
    objective.fill("Fill our spring flights to Porto with families from Luxembourg")
    objective.press("Tab")
    page.wait_for_function(
        "() => !document.querySelector('.tiktok-lab-strategy-builder')"
        ".innerText.includes('Write your objective')", timeout=15_000)

    builder.get_by_role("button", name="Prepare my files").click()
    json_link = builder.locator("a[download$='.json']")
    json_link.wait_for(timeout=30_000)
    with page.expect_download() as download:
        json_link.click()
    saved = tmp_path / "strategy.json"
    download.value.save_as(saved)
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert BRAND in json.dumps(exported, ensure_ascii=False), "the download holds what was typed"

    with page.expect_download() as download:
        builder.locator("a[download$='.html']").click()
    page_file = tmp_path / "strategy.html"
    download.value.save_as(page_file)
    html = page_file.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html, "user text is escaped"


def test_participant_uses_the_builder_in_the_app(page: Any, voila_url: str,
                                                 tmp_path: Path) -> None:
    page.goto(voila_url, wait_until="commit", timeout=60_000)
    _fill_check_and_download(page, tmp_path)


def test_participant_uses_the_builder_in_jupyterlab(page: Any, jupyterlab_server: lab.LabServer,
                                                   tmp_path: Path) -> None:
    notebook = "notebooks/07_my_strategy.ipynb"
    lab.open_notebook(page, jupyterlab_server, notebook)
    lab.wait_kernel_ready(page, notebook)
    lab.run_all_and_wait(page, timeout_s=120)
    _fill_check_and_download(page, tmp_path)
