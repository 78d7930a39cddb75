"""The built kit in a real browser, opened from disk (file://) with every outside host cut:
a handout draws its charts and widgets, a slide deck starts and draws its chart.

The pages come from the session's ``built_kit`` (one build of the real lessons).
Screenshots go to ``test-artifacts/screenshots/kit-*.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import jupyterlab as lab

pytestmark = pytest.mark.browser

LESSON = "02_figures"  # the lesson with the most charts


def _open(page: Any, path: Path) -> tuple[list[str], list[str]]:
    """Open a built page; returns the live lists of failed requests and page errors."""
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    errors = lab.record_page_errors(page)
    page.goto(path.as_uri(), wait_until="load")
    return failed, errors


def test_a_handout_draws_every_chart_and_widget_offline(built_kit: Path, page: Any) -> None:
    failed, errors = _open(page, built_kit / "handouts" / f"{LESSON}.html")
    page.wait_for_function("document.querySelectorAll('.jupyter-widgets').length > 0")
    total, drawn = lab.wait_charts_drawn(page, timeout_s=20)
    assert total >= 5 and drawn == total, f"{drawn} of {total} charts drawn"
    assert lab.count_widgets(page) > 0
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.get_by_text("could not be drawn").count() == 0
    # Icon fonts load lazily, once laid out: wait until the page's font loads are over and
    # no request is left in flight, so that any that fails is in `failed` now.
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    lab.screenshot(page, f"kit-handout-{LESSON}", whole_notebook=False)
    assert failed == [] and errors == []


_FIRST_CHART_SLIDE_JS = """() => {
  const stacks = Array.from(document.querySelectorAll('.reveal .slides > section'));
  for (let h = 0; h < stacks.length; h++) {
    const inner = stacks[h].querySelectorAll(':scope > section');
    const slides = inner.length ? Array.from(inner) : [stacks[h]];
    for (let v = 0; v < slides.length; v++) {
      if (slides[v].querySelector('.tiktok-lab-chart')) return [h, v];
    }
  }
  return null;
}"""

# Where reveal.js stands: [horizontal, vertical, fragments shown] of the present slide.
_STEP_JS = """() => {
  const stacks = Array.from(document.querySelectorAll('.reveal .slides > section'));
  const h = stacks.findIndex((s) => s.classList.contains('present'));
  if (h < 0) return null;
  const inner = Array.from(stacks[h].querySelectorAll(':scope > section'));
  const v = inner.length ? inner.findIndex((s) => s.classList.contains('present')) : 0;
  const slide = inner.length ? inner[v] : stacks[h];
  return [h, v, slide ? slide.querySelectorAll('.fragment.visible').length : 0];
}"""

# reveal.js has shown slide [h, v] (after the hash changed).
_AT_SLIDE_JS = (f"([h, v]) => {{ const at = ({_STEP_JS})(); "
                "return !!at && at[0] === h && at[1] === v; }")
# reveal.js has moved on from `before` (another fragment shown, or another slide).
_MOVED_JS = f"(before) => JSON.stringify(({_STEP_JS})()) !== JSON.stringify(before)"

_CHART_SHOWN_JS = """() => {
  const slide = document.querySelector('.reveal .slides section.present section.present')
             || document.querySelector('.reveal .slides > section.present');
  const chart = slide && slide.querySelector('.tiktok-lab-chart');
  if (!chart) return 'no chart on the current slide';
  const fragment = chart.closest('.fragment');
  if (fragment && !fragment.classList.contains('visible')) return 'hidden';
  return chart.querySelector('svg, canvas') ? 'drawn' : 'not drawn';
}"""

# The fade is over: no CSS transition left running in the slides (a transition
# shows in getAnimations, which flushes styles first), and the present slide opaque.
_FADE_OVER_JS = """() => {
  const slides = document.querySelector('.reveal .slides');
  const slide = document.querySelector('.reveal .slides section.present section.present')
             || document.querySelector('.reveal .slides > section.present');
  return !!slides && slides.getAnimations({subtree: true}).length === 0
    && !!slide && getComputedStyle(slide).opacity === '1';
}"""


def test_a_slide_deck_starts_and_draws_its_chart_offline(built_kit: Path, page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})  # a 16:9 projector
    failed, errors = _open(page, built_kit / "slides" / f"{LESSON}.html")
    page.wait_for_selector(".reveal.ready", timeout=20_000)
    assert page.locator("aside.notes").count() > 0
    assert not page.locator("aside.notes").first.is_visible(), "notes are for the speaker only"
    lab.screenshot(page, f"kit-slides-{LESSON}-title", whole_notebook=False)
    position = page.evaluate(_FIRST_CHART_SLIDE_JS)
    assert position is not None, "no slide holds a chart"
    page.evaluate(f"location.hash = '#/{position[0]}/{position[1]}'")
    lab.wait_until(page, _AT_SLIDE_JS, position, timeout_s=10)
    state = page.evaluate(_CHART_SHOWN_JS)
    for _ in range(7):  # reveal the slide's fragments until the chart shows
        if state != "hidden":
            break
        before = page.evaluate(_STEP_JS)
        page.keyboard.press("ArrowRight")
        lab.wait_until(page, _MOVED_JS, before, timeout_s=10)
        state = page.evaluate(_CHART_SHOWN_JS)
    if state == "not drawn":  # shown: its chart draws (or the assertion below fails)
        lab.wait_until(page, f"() => ({_CHART_SHOWN_JS})() !== 'not drawn'", timeout_s=10)
        state = page.evaluate(_CHART_SHOWN_JS)
    assert state == "drawn"
    lab.wait_until(page, _FADE_OVER_JS, timeout_s=10)  # the fade transition
    lab.screenshot(page, f"kit-slides-{LESSON}-chart", whole_notebook=False)
    assert failed == [] and errors == []
