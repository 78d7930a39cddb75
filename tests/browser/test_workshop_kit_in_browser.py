"""The built workshop kit (handouts, slides, index page) in a real browser, offline.

The kit is built once per session by the ``built_kit`` fixture of
``tests/conftest.py`` (``tiktok-lab build site`` into a temporary folder). Every
page is opened from disk with every outside host cut off: charts must draw,
nothing may try to go online, and axe-core must find no serious or critical
accessibility violation in our content. Slides open in reveal.js' print view
(``?print-pdf``), where every slide is laid out, so none escapes the scan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import accessibility
from . import jupyterlab as lab

pytestmark = pytest.mark.browser

# Our content on a lesson page: outputs, widgets, Markdown (as in JupyterLab) and
# the kit's banner. Code cells are coloured by JupyterLab's theme and reveal.js
# draws its controls: both are reported, not failed on. The index is all ours.
LESSON_CONTENT = accessibility.NOTEBOOK_CONTENT + ", .kit-banner"
INDEX_CONTENT = "body"
# Widgets in exported pages are static snapshots (no kernel): there is nothing to
# tap, so WCAG 2.2's target size does not apply to them.
STATIC_PAGE_RULES = ("target-size",)

# reveal.js' print view lays every slide out but leaves all but the current one
# aria-hidden: in the room each slide is shown in turn, so scan them all as shown.
_UNHIDE_SLIDES_JS = """() => document.querySelectorAll('.reveal .slides section[aria-hidden]')
  .forEach((s) => { s.removeAttribute('aria-hidden'); s.removeAttribute('hidden'); })"""


def _built_kit(request: pytest.FixtureRequest) -> Path:
    try:
        return Path(request.getfixturevalue("built_kit"))
    except pytest.FixtureLookupError:
        pytest.skip("no `built_kit` fixture in tests/conftest.py yet: the workshop kit "
                    "(tiktok-lab build slides|handouts|site) is not buildable by the tests")


def kit_pages(kit: Path) -> list[Path]:
    """Every page a trainer or participant opens: the index, handouts and slides."""
    pages = [kit / "index.html", *sorted((kit / "handouts").glob("*.html")),
             *sorted((kit / "slides").glob("*.html"))]
    return [page for page in pages if page.is_file()]


def _open(browser: Any, page_path: Path) -> tuple[Any, list[str]]:
    page, outside = lab.new_page(browser)
    is_slides = page_path.parent.name == "slides"
    url = page_path.as_uri() + ("?print-pdf" if is_slides else "")
    page.goto(url, wait_until="load", timeout=60_000)
    if is_slides:
        page.wait_for_selector(".reveal.ready", timeout=20_000)
        page.evaluate(_UNHIDE_SLIDES_JS)
    return page, outside


def _check_page(page: Any, outside: list[str], name: str, least_charts: int) -> list[str]:
    """What is wrong on one page, as readable lines (empty when all is well).

    ``least_charts``: the chart divs written in the page's file (widgets add theirs from their
    saved state). reveal.js' print view lays slides out after it says it is ready: wait for
    at least those, all drawn, so that a page caught mid-layout cannot pass with none."""
    wrong: list[str] = []
    charts, drawn = lab.wait_charts_drawn(page, timeout_s=20, least=least_charts)
    if drawn < charts or charts < least_charts:
        wrong.append(f"{name}: {drawn}/{charts} charts drawn ({least_charts} in the file)")
    text = page.inner_text("body")
    wrong += [f'{name}: shows "{needle}"' for needle in lab.PROBLEM_NEEDLES if needle in text]
    wrong += [f"{name}: chart without a text description: {c}"
              for c in lab.undescribed_charts(page)]
    wrong += [f"{name}: asked for {url}" for url in outside]
    return wrong


def test_kit_pages_draw_offline_and_are_accessible(browser: Any, request: pytest.FixtureRequest,
                                                   axe_script: Path) -> None:
    kit = _built_kit(request)
    pages = kit_pages(kit)
    assert (kit / "index.html") in pages, f"no index.html in {kit}"
    assert any(p.parent.name == "handouts" for p in pages), f"no handout in {kit}"
    assert any(p.parent.name == "slides" for p in pages), f"no slides in {kit}"
    problems: list[str] = []
    blocking: list[str] = []
    for page_path in pages:
        name = str(page_path.relative_to(kit))
        page, outside = _open(browser, page_path)
        is_index = page_path.name == "index.html"
        try:
            in_file = page_path.read_text(encoding="utf-8").count('class="tiktok-lab-chart"')
            problems += _check_page(page, outside, name, in_file)
            report = accessibility.scan(
                page, "kit-" + name.replace("/", "-"), axe_script,
                INDEX_CONTENT if is_index else LESSON_CONTENT,
                () if is_index else STATIC_PAGE_RULES)
        finally:
            page.context.close()
        print(report.summary())
        if report.blocking():
            blocking.append(report.summary())
    assert not problems, "\n".join(problems)
    assert not blocking, "\n\n".join(blocking)
