"""The set-up cell of every lesson (``tl.start_lesson``) and the set-up check of lesson 00
when the learner's work cannot be saved (issue 14, item 7).

A read-only or full ``my_work/``, or a lock file left unwritable by a ``sudo`` run,
made the set-up cell raise. It must still prepare the lesson, and say once, in plain
words, that work cannot be saved and where to look.
"""

from __future__ import annotations

import html
import re

import pytest

from save_faults import FAULTS, saves_refused
from strategies import assert_plain
from tiktok_lab.store import get_store
from tiktok_lab.ui import start

pytestmark = pytest.mark.usefixtures("fresh_learner")


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup.split("<script", 1)[0]))


@pytest.mark.parametrize("fault", FAULTS)
def test_the_set_up_cell_prepares_the_lesson_and_says_work_cannot_be_saved(fault) -> None:
    with saves_refused(fault):
        first = start.start_lesson("01_platform").data
        again = start.start_lesson("01_platform").data
    text = _text(first)
    assert "Ready: lesson 01" in text and "could not be saved" in text
    assert "cannot be saved for now" in text and "saved in the" not in text
    assert text.count("could not be saved") == 1, "one notice, even when the store noticed too"
    assert str(get_store().home) in text or fault == "busy"
    assert_plain(text)
    assert "Ready: lesson 01" in again and "could not be saved" not in again, "told once"
    assert "cannot be saved for now" in again, "the status stays honest"
    working = start.start_lesson("01_platform").data
    assert "Your work is saved in the" in working and "could not be saved" not in working


def test_the_set_up_cell_speaks_french_when_work_cannot_be_saved(monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    with saves_refused("full"):
        text = _text(start.start_lesson("02_figures").data)
    assert "Prêt : leçon 02" in text and "le disque est plein" in text
    assert "ne peut pas être enregistré pour l'instant" in text


@pytest.mark.parametrize("fault", ["read_only", "lock_unwritable"])
def test_the_set_up_check_reports_instead_of_raising(fault) -> None:
    with saves_refused(fault):
        markup = start.check_setup().data
    assert "Saving your work" in markup and "Something needs fixing" in markup
    assert "Traceback" not in markup
