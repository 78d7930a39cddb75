"""What a participant does in a lesson, with real clicks and key presses.

Used by the lesson tests after a run-all: move a slider and see the chart
change, answer a quiz question and see its feedback, type an exercise's answer
into its cell, run it with Shift+Enter and see the verdict. Expected values
come from the course data (quizzes, exercises, UI strings), never from
constants here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tiktok_lab.course.exercises import load_exercise, load_exercises
from tiktok_lab.core.i18n import t
from tiktok_lab.course.quizzes import CHOICE_TYPES, answer_order, load_quiz

from . import jupyterlab as lab

_SVG_JS = """(root) => {
  const svg = root.querySelector('.vega-embed svg');
  return svg ? svg.outerHTML : null;
}"""


def chart_svg(scope: Any) -> str | None:
    """The SVG markup of the first drawn chart inside ``scope`` (a locator)."""
    return scope.evaluate(_SVG_JS)


_NEW_SVG_JS = """([root, before]) => {
  const svg = root.querySelector('.vega-embed svg');
  return !!svg && svg.outerHTML !== before;
}"""


def wait_for_new_chart(page: Any, scope: Any, before: str | None, timeout_s: float = 15.0) -> str:
    """Wait until the chart inside ``scope`` is drawn and differs from ``before``."""
    lab.wait_until(page, _NEW_SVG_JS, [scope.element_handle(), before], timeout_s)
    after = chart_svg(scope)
    assert after is not None, "the chart vanished after the change"
    assert after != before, f"the chart did not change within {timeout_s:.0f} s"
    return after


def app(page: Any, css_class: str, containing: str | None = None) -> Any:
    """The first widget app with ``css_class`` (holding ``containing``, if given), in view."""
    scope = page.locator(f".{css_class}")
    if containing:
        scope = scope.filter(has=page.locator(containing))
    scope = scope.first
    scope.scroll_into_view_if_needed()
    return scope


def slider_moves_chart(page: Any, scope: Any, presses: int = 3) -> tuple[str, str]:
    """Focus the first slider handle in ``scope``, press ArrowRight; the chart must change.

    Returns the slider's readout before and after, for the failure message.
    """
    scope.locator(".vega-embed svg").first.wait_for(timeout=15_000)
    before = chart_svg(scope)
    slider = scope.locator(".widget-slider").first
    readout_before = slider.locator(".widget-readout").inner_text()
    handle = slider.locator(".noUi-handle").first
    # A screen reader announces the handle by its name (ui/slider_labels.py).
    label = slider.locator(".widget-label").inner_text().strip()
    assert label and handle.get_attribute("aria-label") == label, (
        f"slider handle named {handle.get_attribute('aria-label')!r}, label {label!r}")
    handle.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    wait_for_new_chart(page, scope, before)
    readout_after = slider.locator(".widget-readout").inner_text()
    assert readout_after != readout_before, f"slider did not move: {readout_before}"
    return readout_before, readout_after


def answer_quiz_right(page: Any, lesson_id: str) -> str:
    """Tick the right option(s) of the lesson's first choice question, click Check.

    Returns the feedback text, which must carry the quiz's "right" headline.
    """
    quiz = load_quiz(lesson_id)
    number, question = next((i, q) for i, q in enumerate(quiz.questions)
                            if q.type in CHOICE_TYPES)
    order = answer_order(lesson_id, question)
    card = page.locator(".tiktok-lab-quiz-question").nth(number)
    card.scroll_into_view_if_needed()
    kind = "radio" if question.type == "multiple_choice" else "checkbox"
    inputs = card.locator(f"input[type={kind}]")
    for position, index in enumerate(order):
        if question.answers[index].correct:
            inputs.nth(position).click()
    card.locator("button.tiktok-lab-quiz-check").click()
    feedback = card.locator(".tiktok-lab-quiz-feedback")
    right = t("quiz.right")
    page.wait_for_function("([el, text]) => el.innerText.includes(text)",
                           arg=[feedback.element_handle(), right], timeout=15_000)
    return feedback.inner_text()


_EXERCISE_CELL_JS = """(id) => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  return cells.findIndex((c) => {
    const meta = c.model.getMetadata('tiktok_lab');
    return c.model.type === 'code' && meta && meta.exercise === id;
  });
}"""


def choose_decision_by_keyboard(page: Any, decision: Any) -> str:
    """Choose a decision's strongest option with the keyboard (focus, Space), press Check
    with Enter, and return the feedback text once the kernel has filled it in."""
    number = [e.id for e in load_exercises(decision.lesson_id)].index(decision.id) + 1
    index = lab.cell_index(page, f'q{number} = tl.exercise("{decision.lesson_id}", "{decision.id}")')
    card = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".tiktok-lab-decision")
    card.scroll_into_view_if_needed()
    position = [option.id for option in decision.options].index(decision.strongest.id)
    card.locator("input[type=radio]").nth(position).focus()
    page.keyboard.press("Space")
    card.locator("button.tiktok-lab-decision-check").focus()
    page.keyboard.press("Enter")
    feedback = card.locator(".tiktok-lab-decision-feedback")
    lab.expect(feedback).to_contain_text(t("decision.strength.strongest"), use_inner_text=True,
                                         timeout=15_000)
    return feedback.inner_text()


def type_exercise_answer(page: Any, lesson_id: str, exercise_id: str) -> str:
    """Type the reference answer into the exercise's cell, run it with Shift+Enter.

    The cell keeps its last line (``qN.check()``), as a learner who only
    replaces ``____`` would. Returns the cell's output text.
    """
    exercise = load_exercise(lesson_id, exercise_id)
    index = int(page.evaluate(_EXERCISE_CELL_JS, exercise_id))
    assert index >= 0, f"no cell carries exercise {exercise_id}"
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    # JupyterLab draws only the cells near the view: wait until this one has its code.
    lab.expect(cell.locator(".cm-content")).to_contain_text(re.compile(r"\.check\(\)"),
                                                           timeout=15_000)
    starter = "\n".join(cell.locator(".cm-content .cm-line").all_text_contents())
    check_line = starter.strip().splitlines()[-1]
    assert re.fullmatch(r"q\d+\.check\(\)", check_line), f"unexpected last line: {check_line}"
    cell.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    # insert_text types like a paste: no auto-indent or auto-closed brackets
    # in the middle of the reference code.
    page.keyboard.insert_text(exercise.solution.rstrip() + "\n" + check_line)
    lab.arm_cell(page, index)  # wait_cell_done then waits for this run, not an earlier one
    page.keyboard.press("Shift+Enter")
    return lab.wait_cell_done(page, index, timeout_s=60)


BUILDER_BRAND = "<script>alert('x')</script> Crème & Co 🎬"


def use_strategy_builder(page: Any, tmp_path: Path) -> None:
    """What a participant does in the lesson 07 builder (JupyterLab or the Voilà app).

    Fill the brand (with markup and an emoji) and the objective, see the
    checklist stop asking for an objective, prepare the files, download the
    JSON (it holds what was typed) and the HTML page (the typed text escaped).
    """
    builder = page.locator(".tiktok-lab-strategy-builder")
    builder.wait_for(timeout=120_000)
    builder.scroll_into_view_if_needed()  # JupyterLab renders cells out of view lazily
    # The builder's parts are widget views drawn one after the other: wait for its checklist.
    lab.expect(builder).to_contain_text("Write your objective", use_inner_text=True, timeout=15_000)
    assert "Write your objective" in builder.inner_text(), "an empty objective blocks the plan"

    brand = builder.get_by_placeholder("The brand or organisation the plan is for.")
    brand.fill(BUILDER_BRAND)
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
    assert BUILDER_BRAND in json.dumps(exported, ensure_ascii=False), "the download holds the text"

    with page.expect_download() as download:
        builder.locator("a[download$='.html']").click()
    page_file = tmp_path / "strategy.html"
    download.value.save_as(page_file)
    html = page_file.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html, "user text is escaped"
