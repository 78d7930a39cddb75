"""A refusal meant for a learner shows as its message, not as a traceback.

Run in a real IPython shell: the set-up cell installs the handler, then a cell
that a learner got wrong shows one plain sentence, while a learner's own Python
mistake keeps its usual traceback (the optional code exercises need it).
"""

from __future__ import annotations

import pytest

from strategies import assert_plain
from tiktok_lab.core.datafiles import UnknownIdError
from tiktok_lab.lessons.feed.model import FeedInputError
from tiktok_lab.core.learner_errors import LearnerError
from tiktok_lab.lessons.publishing import plan_calendar
from tiktok_lab.work.store import StoreError


@pytest.fixture
def shell(monkeypatch, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    yield shell
    shell.set_custom_exc((), None)
    InteractiveShell.clear_instance()


def _run(shell, code: str, capsys) -> str:
    capsys.readouterr()
    shell.run_cell(code)
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_the_set_up_cell_makes_a_learners_refusal_one_plain_sentence(shell, capsys) -> None:
    before = _run(shell, "import tiktok_lab as tl\ntl.upload_video(hook=2)", capsys)
    assert "Traceback" in before or "FeedInputError" in before  # what learners saw
    _run(shell, 'tl.start_lesson("03_feed")', capsys)
    shown = _run(shell, "tl.upload_video(hook=2)", capsys)
    assert "FeedInputError" not in shown and "Traceback" not in shown
    assert "⚠ The hook strength must be at most 1" in shown
    assert_plain(shown.replace("⚠", ""))
    unknown = _run(shell, 'tl.figure("mau-2020")', capsys)
    assert "UnknownIdError" not in unknown and "Traceback" not in unknown and "mau" in unknown


def test_a_learners_own_python_mistake_keeps_its_traceback(shell, capsys) -> None:
    _run(shell, 'import tiktok_lab as tl\ntl.start_lesson("02_figures")', capsys)
    shown = _run(shell, "1 / 0", capsys)
    assert "ZeroDivisionError" in shown


@pytest.mark.parametrize("error", [UnknownIdError, FeedInputError, StoreError])
def test_every_learner_facing_error_is_marked(error) -> None:
    assert issubclass(error, LearnerError)


def test_a_calendar_of_an_impossible_rhythm_is_a_learner_error() -> None:
    with pytest.raises(LearnerError):
        plan_calendar(-3, ["tips"], ["talking-head"])
