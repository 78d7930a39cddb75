"""Every lesson notebook in JupyterLab, in headless Chromium, offline: as a participant uses it.

Each notebook is opened and run ONCE (a module-scoped fixture); three tests then
share that page, in this order:

1. it ran clean: no error output, no "Error displaying widget" or "Error
   loading script", every chart output drawn, every widget drawn, nothing
   asked of an outside host (a screenshot is saved per notebook);
2. the participant's key interactions, with real clicks and keys (a slider
   moves the chart, a quiz answer shows its feedback, a typed exercise answer
   gets its verdict, the lesson 07 builder downloads the plan);
3. axe-core finds no serious or critical accessibility violation in our
   content (after the interactions, so feedback and verdicts are scanned too).

Plus a self-test of the harness on a generated notebook with known content:
it proves that a widget, a chart *and* a problem are seen, so a green run of
the course test cannot come from a harness that sees nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tiktok_lab.course.exercises import load_exercise, load_exercises, main_path
from tiktok_lab.core.i18n import t
from tiktok_lab.course.quizzes import answer_order, load_quiz

from . import accessibility, learner
from . import jupyterlab as lab

pytestmark = pytest.mark.browser

# Every learner notebook; the start notebook must be among them.
LESSON_NOTEBOOKS = sorted(
    f"notebooks/{path.name}" for path in (lab.REPO_ROOT / "notebooks").glob("*.ipynb")
)
assert "notebooks/00_start_here.ipynb" in LESSON_NOTEBOOKS
# The French edition: the same code cells (tests/test_translations.py), so the participant's
# clicks are proven once, on the English edition; the French one must run clean, draw every
# chart and widget, and pass the accessibility scan, in a JupyterLab whose menus are French.
FRENCH_NOTEBOOKS = sorted(
    f"notebooks/fr/{path.name}" for path in (lab.REPO_ROOT / "notebooks" / "fr").glob("*.ipynb")
)
assert len(FRENCH_NOTEBOOKS) == len(LESSON_NOTEBOOKS)
HARNESS_NOTEBOOK = "test-artifacts/harness/harness_selftest.ipynb"


def _bullets(items: list[str]) -> str:
    return "\n".join(f"  - {item}" for item in items) or "  (none)"


def _lesson_id(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".ipynb")


@dataclass
class NotebookRun:
    """A notebook open in a page after run-all, and what the learner saw then."""

    path: str
    page: Any
    outside: list[str]
    page_errors: list[str]
    problems: list[str] = field(default_factory=list)
    charts: int = 0
    drawn: int = 0
    widgets_expected: int = 0
    widgets_drawn: int = 0
    screenshot: Path | None = None

    @property
    def lesson_id(self) -> str:
        return _lesson_id(self.path)

    def report(self) -> str:
        """Everything seen, appended to every failure message."""
        return (
            f"\ncharts: {self.drawn}/{self.charts} drawn, "
            f"widgets: {self.widgets_drawn}/{self.widgets_expected} drawn"
            f"\nproblems:\n{_bullets(self.problems)}"
            f"\noutside requests:\n{_bullets(self.outside)}"
            f"\npage errors (context):\n{_bullets(self.page_errors[:20])}"
            f"\nscreenshot: {self.screenshot}"
        )


def run_notebook(page: Any, outside: list[str], server: lab.LabServer, path: str,
                 shot: str | None = None) -> NotebookRun:
    """Open ``path``, run all, and gather what the learner would see."""
    run = NotebookRun(path, page, outside, lab.record_page_errors(page))
    lab.open_notebook(page, server, path)
    lab.wait_kernel_ready(page, path)
    lab.run_all_and_wait(page, timeout_s=180)
    run.charts, run.drawn = lab.wait_charts_drawn(page)
    run.widgets_expected, run.widgets_drawn = lab.count_widget_outputs(page)
    run.problems = lab.collect_problems(page)
    run.screenshot = lab.screenshot(page, shot or _lesson_id(path))
    return run


@pytest.fixture(scope="module", params=LESSON_NOTEBOOKS,
                ids=[_lesson_id(p) for p in LESSON_NOTEBOOKS])
def lesson(request: pytest.FixtureRequest, browser: Any,
           jupyterlab_server: lab.LabServer) -> Iterator[NotebookRun]:
    """The notebook, run once, shared by the tests of this module."""
    yield from _opened(browser, jupyterlab_server, request.param, _lesson_id(request.param))


def _opened(browser: Any, server: lab.LabServer, path: str, shot: str) -> Iterator[NotebookRun]:
    page, outside = lab.new_page(browser)
    try:
        yield run_notebook(page, outside, server, path, shot=shot)
    finally:
        lab.shutdown_kernel(page)
        page.context.close()


# --------------------------------------------------------------------------
# 1. It ran clean
# --------------------------------------------------------------------------


@pytest.fixture(scope="module", params=FRENCH_NOTEBOOKS,
                ids=[_lesson_id(p) for p in FRENCH_NOTEBOOKS])
def french_lesson(request: pytest.FixtureRequest, browser: Any,
                  french_jupyterlab_server: lab.LabServer) -> Iterator[NotebookRun]:
    """A notebook of the French edition, run once in the French JupyterLab."""
    yield from _opened(browser, french_jupyterlab_server, request.param,
                       f"fr_{_lesson_id(request.param)}")


def test_lesson_runs_clean_offline(lesson: NotebookRun) -> None:
    """No error, every chart and widget drawn, no network: as a learner runs it."""
    _assert_ran_clean(lesson)


def test_french_lesson_runs_clean_offline_in_a_french_jupyterlab(
        french_lesson: NotebookRun) -> None:
    """The French edition as a French room sees it: clean, drawn, offline, and French around
    it: the set-up line, and JupyterLab's own menus (its language pack, `--lang fr`)."""
    _assert_ran_clean(french_lesson)
    page = french_lesson.page
    menus = page.locator("#jp-MainMenu").inner_text()
    assert "Fichier" in menus and "Noyau" in menus, f"JupyterLab's menus: {menus!r}"
    assert page.get_by_text("Prêt", exact=False).count() >= 1, "the set-up line speaks French"


def test_french_lesson_is_accessible(french_lesson: NotebookRun, axe_script: Path) -> None:
    with lab.whole_notebook_view(french_lesson.page):
        report = accessibility.scan(french_lesson.page, f"fr_{french_lesson.lesson_id}",
                                    axe_script)
    print(report.summary())
    assert not report.blocking(), report.summary()
    assert not lab.undescribed_charts(french_lesson.page), "charts without a text description"


def _assert_ran_clean(lesson: NotebookRun) -> None:
    report = lesson.report()
    assert not lesson.problems, f"The learner would see problems:{report}"
    assert lesson.charts >= 1, f"No chart output in the notebook:{report}"
    assert lesson.drawn == lesson.charts, f"Some charts were not drawn:{report}"
    assert lesson.widgets_expected >= 1, f"The notebook displayed no widget:{report}"
    assert lesson.widgets_drawn == lesson.widgets_expected, f"Some widgets not drawn:{report}"
    assert not lesson.outside, f"The page tried to reach outside hosts:{report}"


# --------------------------------------------------------------------------
# 2. What a participant does, lesson by lesson
# --------------------------------------------------------------------------


def _first_checked_exercise(lesson_id: str) -> str:
    """The lesson's first exercise typed in code with a right answer (reflections are only
    saved; decisions and open answers are answered in their card)."""
    return next(e.id for e in load_exercises(lesson_id)
                if e.kind not in ("reflection", "decision", "open"))


def _quiz_and_exercise(page: Any, lesson_id: str) -> None:
    """The things every lesson asks: a quiz question, a typed exercise answer and, where the
    lesson has one, a decision chosen with the keyboard."""
    feedback = learner.answer_quiz_right(page, lesson_id)
    assert t("quiz.right") in feedback, feedback
    decision = next((e for e in load_exercises(lesson_id) if e.kind == "decision"), None)
    if decision is not None:
        feedback = learner.choose_decision_by_keyboard(page, decision)
        assert t("decision.strength.strongest") in feedback, feedback
    verdict = learner.type_exercise_answer(page, lesson_id, _first_checked_exercise(lesson_id))
    assert t("exercise.status.correct") in verdict and "Traceback" not in verdict, verdict


def _start_here(page: Any, _tmp_path: Path) -> None:
    """Untouched starter, a hint, a wrong then a right answer, the quiz by keyboard, progress."""
    lesson_id = "00_start_here"
    answer = lab.cell_index(page, "feed_minutes = ")
    assert t("exercise.status.not_attempted") in lab.cell_text(page, answer)

    # lesson-03-minutes is the data corner's exercise, after the main path's three.
    number = [e.id for e in load_exercises(lesson_id)].index("lesson-03-minutes") + 1
    card = page.locator(".jp-Notebook .jp-Cell").nth(lab.cell_index(page, f"q{number} = tl.exercise("))
    card = card.locator(".jupyter-widgets").first
    card.get_by_role("button", name=re.compile(t("exercise.button.hint"))).click()
    # The click goes to the kernel, which fills the card's hint area: wait for the hint.
    lab.expect(card).to_contain_text(re.compile(r"Hint 1/\d+"), use_inner_text=True,
                                     timeout=15_000)
    assert re.search(r"Hint 1/\d+", card.inner_text()), card.inner_text()

    exercise = load_exercise(lesson_id, "lesson-03-minutes")
    wrong = lab.run_cell(page, answer, f"feed_minutes = 1\nq{number}.check()")
    assert t("exercise.status.not_yet") in wrong and "Traceback" not in wrong
    solved = lab.run_cell(page, answer, exercise.solution.strip() + f"\nq{number}.check()")
    assert t("exercise.status.correct") in solved, solved

    # The quiz's first question with the keyboard: focus an option, Space, then Check.
    quiz = load_quiz(lesson_id)
    first = quiz.questions[0]
    right = next(i for i, a in enumerate(first.answers) if a.correct)
    position = answer_order(lesson_id, first).index(right)
    question = page.locator(".tiktok-lab-quiz-question").first
    question.locator("input[type=radio]").nth(position).focus()
    page.keyboard.press("Space")
    question.locator("button.tiktok-lab-quiz-check").click()
    # The kernel sets the feedback, then the score (two widget updates): wait for both.
    score_line = t("quiz.score", right=1, total=len(quiz.questions))
    lab.expect(question.locator(".tiktok-lab-quiz-feedback")).to_contain_text(
        t("quiz.right"), use_inner_text=True, timeout=15_000)
    lab.expect(page.locator(".tiktok-lab-quiz-score").first).to_have_text(
        re.compile("^" + re.escape(score_line)), use_inner_text=True, timeout=15_000)
    assert t("quiz.right") in question.locator(".tiktok-lab-quiz-feedback").inner_text()
    score = page.locator(".tiktok-lab-quiz-score").first.inner_text()
    assert score.startswith(score_line), score
    _share_the_quiz(page)

    # A decision of the main path, chosen with the keyboard.
    decision = next(e for e in load_exercises(lesson_id) if e.kind == "decision")
    feedback = learner.choose_decision_by_keyboard(page, decision)
    assert t("decision.strength.strongest") in feedback, feedback

    # Re-running the progress cell shows the solved decision and the right answer; the
    # data corner's exercise does not count.
    progress = lab.run_cell(page, lab.cell_index(page, "tl.progress()"))
    exercises = len(main_path(lesson_id))
    assert re.search(rf"00 Start here\s*\d+\s*opened\s*1/{exercises}\s*1/{len(quiz.questions)}",
                     progress), progress


def _share_the_quiz(page: Any) -> None:
    """The bar under the quiz: a name typed, Share pressed; on a laptop (no class hub) the
    status names what the trainer sees and offers the sharing file to download."""
    bar = page.locator(".tiktok-lab-quiz .tiktok-lab-share-bar").first
    bar.scroll_into_view_if_needed()
    lab.screenshot_element(bar, "share_bar_quiz_before")
    bar.get_by_role("textbox", name=t("share_bar.name")).fill("<b>Anne</b> B.")
    bar.locator("button.tiktok-lab-share-button").click()
    status = bar.locator(".tiktok-lab-share-status")
    lab.expect(status).to_contain_text(t("share_bar.shared_as", name="<b>Anne</b> B.",
                                         seen=t("share_bar.seen.quiz")),
                                       use_inner_text=True, timeout=15_000)
    link = status.locator("a[download]")
    assert link.get_attribute("download").startswith("tiktok-lab-class-"), link
    assert bar.locator("button.tiktok-lab-share-withdraw").is_visible()
    assert not bar.locator("button.tiktok-lab-share-button").is_visible()
    lab.screenshot_element(bar, "share_bar_quiz_shared")


def _platform(page: Any, _tmp_path: Path) -> None:
    """Anatomy of a TikTok: another length, another chart."""
    anatomy = learner.app(page, "tiktok-lab-anatomy")
    anatomy.locator(".vega-embed svg").first.wait_for()
    before = learner.chart_svg(anatomy)
    anatomy.locator(".widget-toggle-button:not(.mod-active)").first.click()
    learner.wait_for_new_chart(page, anatomy, before)
    _quiz_and_exercise(page, "01_platform")


def _figures(page: Any, _tmp_path: Path) -> None:
    """Audience calculator: another sex, another reach estimate."""
    calculator = learner.app(page, "tiktok-lab-audience-calculator")
    estimate = calculator.locator(".widget-html").last
    before = estimate.inner_text()
    calculator.locator(".widget-toggle-button:not(.mod-active)").first.click()
    page.wait_for_function("([el, text]) => el.innerText !== text",
                           arg=[estimate.element_handle(), before], timeout=15_000)
    _quiz_and_exercise(page, "02_figures")


def _slider_lesson(css_class: str, lesson_id: str) -> Callable[[Any, Path], None]:
    """A lesson whose key app has a slider that redraws its chart."""
    def interact(page: Any, _tmp_path: Path) -> None:
        app = learner.app(page, css_class, containing=".widget-slider")
        learner.slider_moves_chart(page, app)
        _quiz_and_exercise(page, lesson_id)

    interact.__doc__ = f"A slider of .{css_class} moves its chart; quiz; exercise."
    return interact


def _strategy(page: Any, tmp_path: Path) -> None:
    """The strategy builder: fill it in, the checklist reacts, both files download."""
    learner.use_strategy_builder(page, tmp_path)


INTERACTIONS: dict[str, Callable[[Any, Path], None]] = {
    "00_start_here": _start_here,
    "01_platform": _platform,
    "02_figures": _figures,
    "03_feed": _slider_lesson("tiktok-lab-feed-lab", "03_feed"),
    "04_opportunity": _slider_lesson("tiktok-lab-scorecard", "04_opportunity"),
    "05_tips": _slider_lesson("tiktok-lab-rhythm-planner", "05_tips"),
    "06_ads": _slider_lesson("tiktok-lab-ads-estimator", "06_ads"),
    "07_my_strategy": _strategy,
}


def test_every_lesson_has_interactions() -> None:
    assert sorted(INTERACTIONS) == [_lesson_id(p) for p in LESSON_NOTEBOOKS]


def test_participant_works_through_lesson(lesson: NotebookRun, tmp_path: Path) -> None:
    """The lesson's key interactions, with real clicks and key presses."""
    INTERACTIONS[lesson.lesson_id](lesson.page, tmp_path)
    problems = lab.collect_problems(lesson.page)
    assert not problems, f"Problems after the interactions:\n{_bullets(problems)}"
    assert not lesson.outside, f"Outside requests:\n{_bullets(lesson.outside)}"


# --------------------------------------------------------------------------
# 3. Accessibility
# --------------------------------------------------------------------------


def test_lesson_is_accessible(lesson: NotebookRun, axe_script: Path) -> None:
    """No serious or critical axe-core violation in our outputs, widgets and Markdown."""
    with lab.whole_notebook_view(lesson.page):
        report = accessibility.scan(lesson.page, lesson.lesson_id, axe_script)
        lab.screenshot(lesson.page, f"{lesson.lesson_id}_after_interactions")
    print(report.summary())
    assert not report.blocking(), report.summary()
    assert not lab.undescribed_charts(lesson.page), "charts without a text description"
    assert not lesson.outside, f"Outside requests:\n{_bullets(lesson.outside)}"


# --------------------------------------------------------------------------
# Harness self-test
# --------------------------------------------------------------------------

_VEGALITE_V5 = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"k": "a", "v": 3}, {"k": "b", "v": 5}]},
    "mark": "bar",
    "encoding": {"x": {"field": "k", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}},
}

_OUTSIDE_PROBE = "http://203.0.113.7/harness-probe.png"

_HARNESS_CELLS = [
    "import ipywidgets as widgets\nwidgets.IntSlider(value=3, description='probe')",
    "from IPython.display import HTML, display\ndisplay(HTML('<b>harness html ok</b>'))",
    # JupyterLab draws Vega-Lite v5 mime bundles itself: a chart with no CDN.
    "display({'application/vnd.vegalite.v5+json': %s, 'text/plain': ['chart']}, raw=True)"
    % json.dumps(_VEGALITE_V5),
    # Our renderer's div with no script: a chart output that never draws.
    "display(HTML('<div class=\"tiktok-lab-chart\">never drawn</div>'))",
    # An outside address written as digits (TEST-NET-3): recorded, and never reached.
    f"display(HTML('<img alt=\"probe\" src=\"{_OUTSIDE_PROBE}\">'))",
    "import sys\nprint('harness-probe-stderr', file=sys.stderr)",
    "raise RuntimeError('harness-probe-error')",
    "print('never runs: run-all stops at the error')",
]


def _write_harness_notebook() -> None:
    """Generate the self-test notebook under test-artifacts/ (git-ignored).

    Plain JSON, not nbformat: importing nbformat costs ~2 s of jsonschema.
    """
    cells = [
        {"cell_type": "code", "execution_count": None, "id": f"probe-{i}",
         "metadata": {}, "outputs": [], "source": src}
        for i, src in enumerate(_HARNESS_CELLS)
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = {"cells": cells, "metadata": {"kernelspec": kernelspec},
                "nbformat": 4, "nbformat_minor": 5}
    target = lab.REPO_ROOT / HARNESS_NOTEBOOK
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, indent=1))


def test_harness_sees_widgets_charts_and_problems(
    browser: Any, jupyterlab_server: lab.LabServer
) -> None:
    """The harness must see what is there, including what is broken."""
    _write_harness_notebook()
    page, outside = lab.new_page(browser)
    try:
        seen = run_notebook(page, outside, jupyterlab_server, HARNESS_NOTEBOOK)
        probe_loaded = page.evaluate(
            "() => { const img = document.querySelector('img[alt=probe]');"
            " return img ? img.complete && img.naturalWidth > 0 : 'no probe image'; }")
    finally:
        lab.shutdown_kernel(page)
        page.context.close()
    report = seen.report()
    assert probe_loaded is False, f"the outside image probe: {probe_loaded}"

    assert seen.widgets_expected == 1 and seen.widgets_drawn == 1, f"Slider not seen:{report}"
    assert seen.charts == 2 and seen.drawn == 1, f"Charts not counted right:{report}"
    assert set(seen.outside) == {_OUTSIDE_PROBE}, f"Outside request not recorded:{report}"
    problems = "\n".join(seen.problems)
    assert "harness-probe-stderr" in problems, f"stderr output missed:{report}"
    assert "harness-probe-error" in problems and "Traceback" in problems, f"Error missed:{report}"
    assert len(seen.problems) == 2, f"Expected exactly 2 problems:{report}"
