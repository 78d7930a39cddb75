"""Every real exercise and quiz question of the course, answered with anything.

``tests/test_exercises.py`` and ``tests/test_quiz.py`` prove that checking never
raises on made-up exercises and questions; this file runs the course's own, all
lessons, and reads what the learner is told: plain words, never a Python
type name or a library's jargon.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import (
    Hostile,
    assert_plain,
    hostile_functions,
    hostile_values,
    learner_values,
    number_texts,
    texts,
)
from tiktok_lab.course.exercises import code_exercises, exercise_lesson_ids, load_exercises
from tiktok_lab.course.quizzes import evaluate, load_quiz, quiz_files

pytestmark = pytest.mark.usefixtures("fresh_learner")

EXERCISES = [exercise for lesson in exercise_lesson_ids() for exercise in code_exercises(lesson)]
DECISIONS = [exercise for lesson in exercise_lesson_ids() for exercise in load_exercises(lesson)
             if exercise.kind == "decision"]
OPEN_ANSWERS = [exercise for lesson in exercise_lesson_ids()
                for exercise in load_exercises(lesson) if exercise.kind == "open"]
QUESTIONS = [question for path in quiz_files() for question in load_quiz(path.stem).questions]


def _learner_function(result):
    def answer(*args, **kwargs):
        return result
    return answer


def _crashing_function(*args, **kwargs):
    return 1 / 0


answers = st.one_of(
    learner_values,
    learner_values.map(_learner_function),
    st.just(_crashing_function),
    st.just(print),
)


@settings(max_examples=20)
@given(value=answers, language=st.sampled_from(["en", "fr"]))
def test_every_exercise_answers_anything_in_plain_words(value, language, monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    for exercise in EXERCISES:
        verdict = exercise.check(namespace={exercise.variable: value})
        # "broken" (the exercise's own solution fails) is tests/test_exercise_data.py's
        # business; whatever the status, the learner reads plain words.
        assert verdict.status in ("not_attempted", "not_yet", "correct", "recorded", "broken")
        assert_plain(verdict.message)


@settings(max_examples=60)
@given(answer=st.one_of(learner_values, number_texts, texts,
                        st.lists(st.integers(-2, 8), max_size=6), st.sets(st.integers(-2, 8))),
       language=st.sampled_from(["en", "fr"]))
def test_every_quiz_question_answers_anything_in_plain_words(answer, language) -> None:
    for question in QUESTIONS:
        with Hostile.armed():
            result = evaluate(question, answer, language=language)
        assert result.feedback
        for text in result.feedback:
            assert_plain(text)


def _shown(verdict) -> None:
    """What the notebook shows: the box and the console text, both plain and sendable."""
    assert verdict.status in ("not_attempted", "not_yet", "correct", "recorded", "broken")
    assert_plain(verdict.message)
    for text in (str(verdict), verdict._repr_html_()):
        text.encode("utf-8")
        assert len(text) < 20_000


@settings(max_examples=40)
@given(value=st.one_of(hostile_values, hostile_functions), language=st.sampled_from(["en", "fr"]))
def test_every_exercise_answers_hostile_values_in_plain_words(value, language,
                                                              monkeypatch) -> None:
    """Huge whole numbers, 1e400, NaN, lone surrogates, lists nested past the recursion
    limit, objects whose repr/str/== raise, functions that stop with any error: every
    exercise of the course still gives a verdict in plain words (no exception name)."""
    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    for exercise in EXERCISES:
        with Hostile.armed():
            verdict = exercise.check(namespace={exercise.variable: value})
            _shown(verdict)


@settings(max_examples=100)
@given(answer=hostile_values, language=st.sampled_from(["en", "fr"]))
def test_every_quiz_question_answers_hostile_values_in_plain_words(answer, language) -> None:
    for question in QUESTIONS:
        with Hostile.armed():
            result = evaluate(question, answer, language=language)
        assert result.feedback
        for text in result.feedback:
            assert_plain(text)


@settings(max_examples=40)
@given(value=st.one_of(learner_values, hostile_values), language=st.sampled_from(["en", "fr"]))
def test_every_decision_answers_any_choice_in_plain_words(value, language) -> None:
    """A decision's card only offers its options, but a choice read back from a damaged file
    could be anything: it is "not attempted" in plain words, never an exception."""
    for decision in DECISIONS:
        with Hostile.armed():
            result = decision.choose(value, language)
        assert result.status == "not_attempted"
        assert_plain(result.headline)
        str(result).encode("utf-8")
        result._repr_html_().encode("utf-8")


@settings(max_examples=40)
@given(value=st.one_of(learner_values, hostile_values, st.text(max_size=300)),
       language=st.sampled_from(["en", "fr"]))
def test_every_open_answer_answers_any_text_in_plain_words(value, language) -> None:
    """The card sends a text, but a text read back from a damaged file, pasted emoji, a lone
    surrogate or markup could be anything: a judgement in plain words, never an exception."""
    for item in OPEN_ANSWERS:
        with Hostile.armed():
            result = item.submit(value, language)
        assert result.status in ("not_attempted", "not_yet", "correct")
        assert_plain(result.headline)
        for element in result.elements:
            assert_plain(element.label)
        str(result).encode("utf-8")
        result._repr_html_().encode("utf-8")
