"""The trainer's live room (`tiktok-lab class`, Voilà) in a real browser, at projector size.

A simulated room (``tests/class_room.py``: three participants, one withdrawn, and a damaged
file) is served as the command serves it; the page shows the first question and its options
under a one-line header without scrolling, hides the right answer (and how many got it) until
Reveal is pressed, picks up a sharing file dropped while it is open (a participant who
retried: first and latest answers differ), keeps names off the gallery until they are shown,
and projects one strategy on its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from class_room import DAMAGED, fill_room, hand_over

from . import accessibility
from . import jupyterlab as lab
from .test_strategy_builder_in_browser import FONT_AWESOME_CDN, _SHOWN_CODE_JS, \
    _wait_until_answering

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
TEXTS = {
    "en": {"reveal": "Reveal the answer", "hide": "Hide the answer",
           "answered": "{n} answered", "correct": "the correct answer",
           "right": "{n} answers, {r} right", "latest": "Latest answers",
           "first": "First answers", "next": "Next", "position": "Question 2 of 5",
           "names": "Show names on screen", "all": "All strategies",
           "people": "participants shared something", "skipped": "file",
           "strategies": "Strategies", "by": "Shared by", "progress": "Progress",
           "prepare": "Prepare the printable view",
           "end": "End of class", "export": "Export the summary",
           "download": "Download the summary (Markdown)", "delete": "Delete the class data",
           "confirm": "Yes, delete 4 files", "deleted": "4 files deleted."},
    "fr": {"reveal": "Afficher la réponse", "hide": "Masquer la réponse",
           "answered": "{n} réponses", "correct": "la bonne réponse",
           "right": "{n} réponses, dont {r} juste", "latest": "Dernières réponses",
           "first": "Premières réponses", "next": "Suivante", "position": "Question 2 sur 5",
           "names": "Afficher les noms à l'écran", "all": "Toutes les stratégies",
           "people": "participants ont partagé quelque chose", "skipped": "fichier",
           "strategies": "Stratégies", "by": "Partagée par", "progress": "Progression",
           "prepare": "Préparer la version imprimable",
           "end": "Fin de la formation", "export": "Exporter le bilan",
           "download": "Télécharger le bilan (Markdown)",
           "delete": "Supprimer les données de la formation",
           "confirm": "Oui, supprimer 4 fichiers", "deleted": "4 fichiers supprimés."},
}


def _serve(folder: Path, home: Path, language: str) -> Iterator[str]:
    """``tiktok-lab class --folder … --lang …`` on a free port, with a private store."""
    port = lab.free_port()
    log_path = home / "class.log"
    log = log_path.open("wb")
    env = {**os.environ, "TIKTOK_LAB_HOME": str(home / "my_work"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTER_CONFIG_DIR": str(home / "config")}
    env.pop("TIKTOK_LAB_CLASS_DIR", None)
    env.pop("TIKTOK_LAB_LANG", None)
    server = subprocess.Popen([sys.executable, "-m", "tiktok_lab", "class", "--no-browser",
                               "--folder", str(folder), "--port", str(port),
                               "--lang", language], cwd=home, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_answering(f"http://127.0.0.1:{port}/api/status", server, log_path)
        yield f"http://127.0.0.1:{port}/"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_live_room_on_the_projector(browser: Any, tmp_path: Path, language: str,
                                        axe_script: Path) -> None:
    words = TEXTS[language]
    folder = tmp_path / "class-files"
    fill_room(folder)
    for url in _serve(folder, tmp_path, language):
        context = browser.new_context(viewport=PROJECTOR)
        page = context.new_page()
        outside = lab.record_outside_requests(page)
        try:
            page.goto(url, wait_until="commit", timeout=60_000)
            page.wait_for_selector(".tiktok-lab-class-view .cv-bar-row", timeout=120_000)
            page.wait_for_load_state("load", timeout=120_000)
            lab.expect(page.locator("#loading")).to_have_count(0, timeout=60_000)
            page.screenshot(path=str(lab.SCREENSHOT_DIR / f"class_view_quiz_{language}.png"))
            text = page.inner_text("body")
            assert f"2 {words['people']}" in text
            assert words["skipped"] in text and DAMAGED not in text  # folded on the projector
            assert str(folder) not in text  # the path (C:\Users\<name>\…) is not on the wall
            # the header is one line: the title, the people, the last check side by side
            top = page.locator(".cv-top").bounding_box()
            assert top["height"] < 60, top
            assert words["answered"].format(n=2) in text
            counts = page.locator(".cv-n").all_inner_texts()
            assert counts == ["1", "1", "0", "0"]  # one question at a time
            assert "50" in page.locator(".cv-count").first.inner_text()
            assert words["correct"] not in text and page.locator(".cv-right").count() == 0
            assert not page.evaluate(_SHOWN_CODE_JS), "code is shown"
            assert "import tiktok_lab" not in text
            for needle in (*lab.PROBLEM_NEEDLES, "Error"):
                assert needle not in text, needle
            # the first question, its options and its button fit under the header: no scroll
            reveal = page.get_by_role("button", name=words["reveal"])
            box = reveal.bounding_box()
            assert box["y"] + box["height"] <= PROJECTOR["height"], box
            assert page.evaluate("() => window.scrollY") == 0
            page.click(".cv-skipped summary")
            assert DAMAGED in page.inner_text(".cv-skipped")

            reveal.click()
            lab.expect(page.locator(".cv-right")).to_have_count(1, timeout=10_000)
            lab.expect(page.get_by_role("button", name=words["hide"])).to_have_count(1)
            text = page.inner_text("body")
            assert words["correct"] in text and words["right"].format(n=2, r=1) in text
            page.screenshot(path=str(lab.SCREENSHOT_DIR / f"class_view_revealed_{language}.png"))

            # a laptop's file dropped while the page is open: chose the third option first,
            # then the right one after the feedback
            hand_over(folder, 7, 0, first=2)
            lab.expect(page.locator(".cv-n").nth(2)).to_have_text("1", timeout=20_000)
            assert page.locator(".cv-n").all_inner_texts() == ["1", "1", "1", "0"]
            assert words["right"].format(n=3, r=1) in page.inner_text("body")
            assert page.locator(".cv-right").count() == 1, "the reveal was lost on refresh"
            page.get_by_role("radio", name=words["latest"]).or_(
                page.get_by_role("button", name=words["latest"])).first.click()
            lab.expect(page.locator(".cv-n").first).to_have_text("2", timeout=10_000)
            assert page.locator(".cv-n").all_inner_texts() == ["2", "1", "0", "0"]
            page.get_by_role("button", name=words["next"]).click()
            lab.expect(page.get_by_text(words["position"])).to_have_count(1, timeout=10_000)
            assert page.locator(".cv-right").count() == 0  # the next question, not revealed

            page.get_by_role("tab", name=words["strategies"]).click()
            lab.expect(page.locator(".cv-card")).to_have_count(2, timeout=10_000)
            gallery = page.inner_text(".tiktok-lab-class-view")
            assert "alert(1)" not in gallery and words["by"] not in gallery  # names hidden
            page.get_by_role("checkbox", name=words["names"]).check()
            lab.expect(page.get_by_text(words["by"]).first).to_be_visible(timeout=10_000)
            gallery = page.inner_text(".tiktok-lab-class-view")
            assert "<script>alert(1)</script>" in gallery  # the name typed, shown as text
            assert page.evaluate("() => window.__xss === undefined")
            page.get_by_role("button", name=words["prepare"]).click()
            lab.expect(page.locator("a[download$='.html']")).to_have_count(1, timeout=10_000)
            page.screenshot(path=str(lab.SCREENSHOT_DIR / f"class_view_strategies_{language}.png"))
            page.get_by_role("checkbox", name=words["names"]).uncheck()
            picker = page.locator("select", has=page.locator("option", has_text=words["all"]))
            picker.select_option(label="Cafe 2")
            lab.expect(page.locator(".cv-card")).to_have_count(1, timeout=10_000)
            assert "Cafe 2" in page.inner_text(".cv-card")
            page.screenshot(path=str(lab.SCREENSHOT_DIR / f"class_view_one_strategy_{language}.png"))
            page.get_by_role("tab", name=words["progress"]).click()
            lab.expect(page.locator(".tiktok-lab-class-view table").first).to_be_visible()
            page.screenshot(path=str(lab.SCREENSHOT_DIR / f"class_view_progress_{language}.png"))

            page.get_by_role("tab", name=words["end"]).click()
            lab.expect(page.locator("p", has_text=str(folder))).to_be_visible()  # the path, here
            page.get_by_role("button", name=words["export"]).click()
            lab.expect(page.get_by_role("link", name=words["download"])).to_have_count(1)
            page.get_by_role("button", name=words["delete"]).click()
            confirm = page.get_by_role("button", name=words["confirm"])
            lab.expect(confirm).to_have_count(1)
            assert len(list(folder.iterdir())) == 4  # asked, not deleted yet
            page.screenshot(path=str(lab.SCREENSHOT_DIR / f"class_view_end_{language}.png"))
            confirm.click()
            lab.expect(page.get_by_text(words["deleted"])).to_have_count(1, timeout=10_000)
            assert list(folder.iterdir()) == []
            report = accessibility.scan(page, f"class_view_{language}", axe_script)
            assert not report.blocking(), report.summary()
            leaks = lab.unexpected_outside(outside, FONT_AWESOME_CDN)
            assert not leaks, f"the view asked for outside hosts: {leaks}"
        finally:
            context.close()
