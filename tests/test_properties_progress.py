"""Any JSON value anywhere in the saved ``progress`` and ``settings`` documents.

A hand edit, a restored download or an older release can put any JSON value at
any place of these documents (issue 14, item 8: ``"attempts": "three"``,
``1e400``, ``NaN``, ``[1]``, ``{"lessons": []}``, a verdict of 7, a quiz record
that is a text). Whatever is there, every progress function, ``check()``,
``hint()``, ``solution()``, the quiz and the language lookup work, say plain
words, and save clean records.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import assert_plain
from tiktok_lab.core import i18n
from tiktok_lab.course import progress_log, progress_report
from tiktok_lab.course.exercises import code_exercises
from tiktok_lab.course.quizzes import load_quiz
from tiktok_lab.work.saved_documents import MAX_ATTEMPTS, VERDICTS
from tiktok_lab.work.store import get_store
from tiktok_lab.ui.quiz import QuizApp

LESSON = "00_start_here"
EXERCISES = code_exercises(LESSON)
QUIZ = load_quiz(LESSON)
NOW = "2026-11-25T21:50:00+00:00"

PROGRESS = {"lessons": {
    LESSON: {
        "opened_at": NOW, "last_opened_at": NOW,
        "exercises": {e.id: {"verdict": "not_yet", "attempts": 2, "hints": 1, "solution_seen": False,
                             "answer": "A sentence of mine", "at": NOW} for e in EXERCISES},
        "quiz": {q.id: {"correct": False, "attempts": 1, "at": NOW} for q in QUIZ.questions},
    },
    "01_platform": {"opened_at": NOW},
}}
SETTINGS = {"language": "fr"}

KEYS = ("lessons", "exercises", "quiz", "attempts", "hints", "verdict", "correct", "answer", "at",
        "opened_at", "language", LESSON, *(e.id for e in EXERCISES))
json_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400), 2**63, -1, 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["three", "", "correct", "recorded", "broken", NOW, "yesterday", "fr", "FR_be",
                     "klingon", "\u00e9\u00e8", "<b>x</b>", "{name}", "\u202eevil"]),
    st.text(max_size=12),
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)),
                                            inner, max_size=3)),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a document: the keys that lead to it."""
    places = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            places += _paths(item, (*prefix, key))
    return places


PLACES = [("progress", path) for path in _paths(PROGRESS)] + [
    ("settings", path) for path in _paths(SETTINGS)]


def _placed(document: dict, path: tuple, value: Any, extra_key: str | None) -> dict:
    """A deep copy of ``document`` with ``value`` at ``path`` (or under a new key there)."""
    import copy

    document = copy.deepcopy(document)
    if extra_key is not None:
        path = (*path, extra_key)
    if not path:
        return value if isinstance(value, dict) else {"lessons": value}
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if isinstance(parent, dict):
        parent[path[-1]] = value
    return document


@pytest.fixture
def learner(fresh_learner, monkeypatch):
    """The room does not force a language: the saved settings choose it."""
    monkeypatch.delenv("TIKTOK_LAB_LANG")
    return fresh_learner


def _clean(record: dict, counts: tuple[str, ...]) -> None:
    for name in counts:
        assert type(record[name]) is int and 1 <= record[name] <= MAX_ATTEMPTS, record


placements = st.lists(
    st.tuples(st.sampled_from(PLACES), json_values,
              st.one_of(st.none(), st.sampled_from(KEYS), st.text(max_size=6))),
    min_size=1, max_size=6)


@settings(max_examples=80)
@given(placements=placements)
def test_any_json_anywhere_in_saved_progress_or_settings_is_read_plainly(
        learner, monkeypatch, placements) -> None:
    documents = {"progress": PROGRESS, "settings": SETTINGS}
    for (name, path), value, extra_key in placements:
        try:
            documents[name] = _placed(documents[name], path, value, extra_key)
        except (KeyError, TypeError):  # an earlier placement replaced the way there
            continue
    store = get_store()
    for name, document in documents.items():
        store.write(name, document)
    monkeypatch.setattr(i18n, "_session_language", None)  # a new kernel reads the settings

    assert i18n.get_language() in i18n.SUPPORTED_LANGUAGES
    assert_plain(i18n.t("quiz.check"))
    status = progress_log.lesson_status(progress_log.lesson_entry(LESSON).to_saved())
    assert 0 <= status["exercises_solved"] <= len(EXERCISES)
    assert len(progress_report.progress_rows()) >= 8

    assert progress_log.record_visit(LESSON) is None
    for exercise in EXERCISES:
        verdict = exercise.check(namespace={exercise.variable: "Be known by students in Lyon"})
        assert verdict.status in VERDICTS and not verdict.notice
        assert_plain(verdict.message)
        hint = exercise.hint()
        assert 1 <= hint.number <= hint.total and not hint.notice
        assert_plain(hint.heading())
        assert exercise.show_solution().code == exercise.solution

    app = QuizApp(QUIZ)
    card = app.cards[0]
    card.control.value = card.order[0]
    result = card.on_check()
    assert result.attempted and not result.notice
    for text in result.feedback:
        assert_plain(text)
    assert f"of {len(QUIZ.questions)}" in app.score.value or "sur" in app.score.value

    saved = get_store().read("progress")["lessons"][LESSON]
    assert saved["opened_at"] and saved["last_opened_at"]
    for exercise in EXERCISES:
        record = saved["exercises"][exercise.id]
        _clean(record, ("attempts", "hints"))
        assert record["verdict"] in VERDICTS and record["solution_seen"] is True
    quiz = saved["quiz"][card.question.id]
    _clean(quiz, ("attempts",))
    assert isinstance(quiz["correct"], bool)
