"""Exercises: each kind of check, the ____ placeholder, hints, solutions, the card.

Exercises here are built from small rows (or files, for validation errors); the
course's own exercise files are proven by ``test_exercise_data.py``.
"""

from __future__ import annotations

import copy
import pickle
import sys
import types
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from save_faults import FAULTS, needs_permissions, saves_refused
from tiktok_lab.course import exercises
from tiktok_lab.course import progress_log
from tiktok_lab.core.datafiles import DataFileError, UnknownIdError
from tiktok_lab.course.exercises import (
    Exercise,
    ExerciseBrokenError,
    ExerciseRow,
    load_exercise,
    load_exercise_rows,
    run_code,
)
from tiktok_lab.course.placeholder import ____, Placeholder, install_placeholder, is_placeholder
from tiktok_lab.ui import exercise as ui_exercise
from tiktok_lab.core.html import esc
from tiktok_lab.course.verdicts import NotYet
from bilingual import bilingual

LESSON = "01_platform"


@pytest.fixture(autouse=True)
def learner(fresh_learner):
    """A fresh learner (see ``conftest.py``), with no cached expected values."""
    exercises._expected_cache.clear()
    exercises._wrong_cache.clear()


def make(**fields) -> Exercise:
    """An exercise from a row: the defaults are a number exercise."""
    row = {
        "id": "total-minutes",
        "kind": "equality",
        "task": {"en": "How many minutes?", "fr": "Combien de minutes ?"},
        "variable": "minutes",
        "starter": "minutes = ____\n",
        "solution": "minutes = 13 + 10\n",
        "hints": ["Look at the table.", {"en": "Add two numbers.", "fr": "Additionnez."},
                  "Add teaching and exercise minutes."],
        "wrong_answers": [{"code": "minutes = 13", "message": {
            "en": "Teaching only: add the exercises.", "fr": "Exposé seulement."}}],
    }
    row.update(fields)
    return Exercise(LESSON, ExerciseRow.model_validate(bilingual({k: v for k, v in row.items()
                                                                 if v is not None})))


def status(exercise: Exercise, value) -> str:
    return exercise.check(namespace={exercise.variable: value}).status


def message(exercise: Exercise, value) -> str:
    return exercise.check(namespace={exercise.variable: value}).message


def record(exercise: Exercise) -> dict:
    return progress_log.lesson_entry(LESSON).to_saved().get("exercises", {}).get(exercise.id, {})


# --------------------------------------------------------------------------
# equality: numbers


def test_numbers_exact_by_default_and_directions_named() -> None:
    exercise = make()
    for right in (23, 23.0, np.int64(23), np.float32(23), Fraction(46, 2)):
        assert status(exercise, right) == "correct", right
    assert message(exercise, 24) == "Your number, 24, is higher than expected."
    assert message(exercise, 22.5) == "Your number, 22.5, is lower than expected."
    assert message(exercise, 23.001) == "Your number, 23.001, is higher than expected."


def test_default_tolerance_absorbs_float_noise_only() -> None:
    exercise = make(solution="minutes = 0.1 + 0.2\n", wrong_answers=[
        {"code": "minutes = 0.1", "message": "Only one."}])
    assert status(exercise, 0.3) == "correct"
    assert status(exercise, 0.3001) == "not_yet"


def test_tolerance_is_relative_and_absolute_around_zero() -> None:
    rate = make(variable="rate", starter="rate = ____", solution="rate = 2 / 3 * 100",
                tolerance=0.01, wrong_answers=[{"code": "rate = 2 / 3", "message": "A ratio."}])
    assert status(rate, 66.7) == "correct"  # within 1 %
    assert status(rate, 67.3) == "correct"
    assert message(rate, 67.5) == "Your number, 67.5, is higher than expected."
    assert message(rate, 2 / 3) == "A ratio."
    zero = make(solution="minutes = 10 - 10", tolerance=0.5)
    assert status(zero, 0.4) == "correct" and status(zero, -0.6) == "not_yet"


def test_numbers_wrong_type_nan_and_infinity_are_named() -> None:
    exercise = make()
    assert message(exercise, "23") == (
        "I expected a number, you gave a text: '23'. Remove the quotes around it.")
    assert message(exercise, "twenty") == "I expected a number, you gave a text."
    assert message(exercise, True) == "I expected a number, you gave True or False."
    assert message(exercise, None) == "I expected a number, you gave nothing (None)."
    assert message(exercise, [23]) == "I expected a number, you gave a list."
    assert message(exercise, pd.DataFrame({"a": [23]})) == (
        "I expected a number, you gave a table (DataFrame).")
    assert "NaN" in message(exercise, float("nan"))
    assert "infinite" in message(exercise, float("-inf"))
    assert message(exercise, 10**400).startswith("Your number")


def test_a_wrong_answer_gets_its_own_kind_message_in_the_learner_language(monkeypatch) -> None:
    exercise = make()
    assert message(exercise, 13) == "Teaching only: add the exercises."
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    assert message(exercise, 13) == "Exposé seulement."
    assert message(exercise, 30) == "Votre nombre, 30, est plus grand que prévu."


# --------------------------------------------------------------------------
# equality: texts, lists, dictionaries


def test_texts_ignore_capitals_and_extra_spaces() -> None:
    exercise = make(variable="name", starter='name = "____"', solution='name = "For You feed"',
                    wrong_answers=[{"code": 'name = "Following"', "message": "Other tab."}])
    for right in ("For You feed", "  for   you FEED ", "FOR YOU FEED\n"):
        assert status(exercise, right) == "correct", right
    assert message(exercise, "following") == "Other tab."
    assert "not the one I expected" in message(exercise, "For You")
    assert message(exercise, 5) == "I expected a text, you gave a number."
    assert status(exercise, "____") == "not_attempted"


def test_lists_compare_item_by_item() -> None:
    exercise = make(variable="lengths", starter="lengths = [15, ____]",
                    solution="lengths = [15, 60, 600]",
                    wrong_answers=[{"code": "lengths = [15, 60]", "message": "Longer ones too."}])
    for right in ([15, 60, 600], (15, 60, 600.0), np.array([15, 60, 600]),
                  pd.Series([15, 60, 600])):
        assert status(exercise, right) == "correct", right
    assert message(exercise, [15, 60]) == "Longer ones too."
    assert message(exercise, [15]) == "I expected 3 items, your list has 1."
    assert message(exercise, [15, 60, 601]) == "Item 3 of your list is not right yet."
    assert message(exercise, "15, 60, 600") == "I expected a list, you gave a text."
    assert status(exercise, [15, ____, 600]) == "not_attempted"


def test_dictionaries_name_the_key_that_differs() -> None:
    exercise = make(variable="split", starter="split = ____",
                    solution='split = {"teaching": 13, "exercises": 10}',
                    wrong_answers=[{"code": 'split = {"teaching": 10, "exercises": 13}',
                                    "message": "Swapped."}])
    assert status(exercise, {"exercises": 10, "teaching": 13}) == "correct"
    assert message(exercise, {"teaching": 10, "exercises": 13}) == "Swapped."
    assert message(exercise, {"teaching": 13}) == "Your dictionary has no key 'exercises'."
    assert "did not expect" in message(exercise, {"teaching": 13, "exercises": 10, "x": 1})
    assert message(exercise, {"teaching": 13, "exercises": 9}) == (
        "The value for 'exercises' in your dictionary is not right yet.")


# --------------------------------------------------------------------------
# function


FUNCTION = {
    "id": "engagement-rate",
    "kind": "function",
    "variable": "engagement_rate",
    "starter": "def engagement_rate(likes, views):\n    return ____\n",
    "solution": "def engagement_rate(likes, views):\n    return likes / views * 100\n",
    "cases": [[50, 1000], [0, 10], [3, 4]],
    "tolerance": 0.001,
    "wrong_answers": [{"code": "def engagement_rate(likes, views):\n    return likes / views\n",
                       "message": "Multiply by 100 to get a percent."}],
}


def test_function_right_and_wrong_answers() -> None:
    exercise = make(**FUNCTION)
    assert status(exercise, lambda likes, views: 100 * likes / views) == "correct"
    assert message(exercise, lambda likes, views: likes / views) == (
        "Multiply by 100 to get a percent.")
    assert message(exercise, lambda likes, views: likes / views * 10) == (
        "With engagement_rate(50, 1000): Your number, 0.5, is lower than expected.")


def test_function_failures_are_named_never_raised() -> None:
    exercise = make(**FUNCTION)

    def raises(likes, views):
        raise ValueError("<b>oops</b>")

    def returns_nothing(likes, views):
        likes / views

    verdict = exercise.check(namespace={"engagement_rate": raises})
    assert verdict.status == "not_yet"
    assert verdict.message == (
        "With engagement_rate(50, 1000), your function stopped with an error: "
        "a value it could not use (a text that is not a number, for example).")
    assert "forget the word return" in message(exercise, returns_nothing)
    assert message(exercise, lambda likes, views: likes / 0).endswith(
        "stopped with an error: a division by zero.")
    assert "the wrong number of them" in message(exercise, lambda likes: likes)
    assert "exit() or quit()" in message(exercise, lambda likes, views: sys.exit(1))
    assert message(exercise, lambda likes, views: undefined_name).endswith(  # noqa: F821
        "a name Python does not know: undefined_name.")
    assert message(exercise, lambda likes, views: "high") == (
        "With engagement_rate(50, 1000): I expected a number, you gave a text.")
    assert message(exercise, 5) == (
        "I expected a function called engagement_rate: write it with "
        "def engagement_rate(...): and end it with return.")
    assert message(exercise, dict) == message(exercise, 5)


def test_errors_are_described_in_words_never_by_their_python_name(monkeypatch) -> None:
    """Issue 14, item 11: a learner read "(OverflowError)" and "ZeroDivisionError: ..."."""
    exercise = make(**FUNCTION)

    class Unprintable(Exception):
        def __str__(self):
            raise RuntimeError("no message")

    def unprintable(likes, views):
        raise Unprintable

    def overflows(likes, views):
        return float(10**400)

    for function in (unprintable, overflows, lambda likes, views: {}["views"],
                     lambda likes, views: [][3], lambda likes, views: likes.upper()):
        text = message(exercise, function)
        assert "stopped with an error: " in text
        assert "Error" not in text and "Exception" not in text and "Unprintable" not in text
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    assert message(exercise, lambda likes, views: likes / 0).endswith(
        "votre fonction s'est arrêtée sur une erreur\u00a0: une division par zéro.")


def test_a_value_that_fails_to_compare_gets_a_plain_reason(monkeypatch) -> None:
    class Stubborn:
        """A dictionary key that looks like "teaching" to a dict, then fails to compare."""

        def __hash__(self):
            return hash("teaching")

        def __eq__(self, other):
            raise OverflowError("int too large to convert to float")

    exercise = make(variable="split", starter="split = ____", solution='split = {"teaching": 13}',
                    wrong_answers=[{"code": 'split = {"teaching": 10}', "message": "No."}])
    assert message(exercise, {Stubborn(): 13}) == (
        "I could not check this answer (a number too large to calculate with). "
        "Try writing it another way, or ask your trainer.")
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    assert "(un nombre trop grand pour calculer)" in message(exercise, {Stubborn(): 13})


def test_a_number_too_large_for_a_float_is_compared_exactly() -> None:
    """Issue 14, item 11: ``10**5000`` against an expected NumPy number said "(OverflowError)"."""
    exercise = make(solution="minutes = np.float64(23)")
    assert message(exercise, 10**5000) == (
        "Your number, a number with about 5,001 digits, is higher than expected.")
    assert message(exercise, -(10**5000)) == (
        "Your number, a negative number with about 5,001 digits, is lower than expected.")
    assert message(make(), 10**5000).startswith("Your number, a number with about 5,001 digits")
    assert status(make(solution="minutes = 10**5000"), 10**5000) == "correct"
    assert message(make(solution="minutes = 10**5000"), 10**5000 + 1) == (
        "Your number, a number with about 5,001 digits, is higher than expected.")


def test_function_still_holding_the_blank_is_not_attempted() -> None:
    exercise = make(**FUNCTION)
    namespace = run_code(FUNCTION["starter"])
    assert exercise.check(namespace=namespace).status == "not_attempted"
    assert status(exercise, ____) == "not_attempted"
    assert status(exercise, lambda likes, views: [____]) == "not_attempted"
    assert status(exercise, run_code("def engagement_rate(l, v):\n    return l / ____ * 100")
                  ["engagement_rate"]) == "not_attempted"


def test_function_huge_output_and_prints_stay_small(capsys) -> None:
    exercise = make(**FUNCTION)

    def chatty(likes, views):
        for _ in range(100_000):
            print("spam " * 10)
        return list(range(1_000_000))

    verdict = exercise.check(namespace={"engagement_rate": chatty})
    assert verdict.message == (
        "With engagement_rate(50, 1000): I expected a number, you gave a list.")
    assert len(verdict._repr_html_()) < 1000
    assert capsys.readouterr().out == ""


def test_function_that_edits_its_input_does_not_change_the_cases() -> None:
    exercise = make(**{**FUNCTION, "cases": [[[1, 2, 3]]], "variable": "total",
                       "starter": "def total(values):\n    return ____",
                       "solution": "def total(values):\n    return sum(values)",
                       "wrong_answers": [{"code": "def total(values):\n    return len(values)",
                                         "message": "Count is not total."}]})

    def destructive(values):
        result = sum(values)
        values.clear()
        return result

    assert status(exercise, destructive) == "correct"
    assert status(exercise, destructive) == "correct"
    assert message(exercise, len) == "Count is not total."


# --------------------------------------------------------------------------
# dataframe


FRAME = {
    "id": "share-of-views",
    "kind": "dataframe",
    "variable": "videos",
    "starter": ('videos = pd.DataFrame({"video": ["a", "b"], "views": [100, 300]})\n'
                'videos["share"] = ____\n'),
    "solution": ('videos = pd.DataFrame({"video": ["a", "b"], "views": [100, 300]})\n'
                 'videos["share"] = videos["views"] / videos["views"].sum() * 100\n'),
    "columns": ["video", "share"],
    "wrong_answers": [{"code": ('videos = pd.DataFrame({"video": ["a", "b"], '
                                '"views": [100, 300]})\n'
                                'videos["share"] = videos["views"] / videos["views"].sum()\n'),
                       "message": "A share in percent: times 100."}],
}


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame({"video": ["a", "b"], "views": [100, 300], **columns})


def test_dataframe_checks_the_named_columns_only() -> None:
    exercise = make(**FRAME)
    assert status(exercise, frame(share=[25, 75])) == "correct"
    assert status(exercise, frame(share=[25.0, 75.0], extra=[1, 2]).set_index("views")) == "correct"
    assert message(exercise, frame(share=[0.25, 0.75])) == "A share in percent: times 100."
    assert message(exercise, frame(share=[25, 70])) == (
        'The values in the column "share" are not right yet (the first difference is in row 2).')
    assert message(exercise, frame(part=[25, 75])) == (
        'Your table has no column "share". Its columns are: video, views, part.')
    assert message(exercise, frame(share=[25, 75]).head(1)) == (
        "I expected 2 rows, your table has 1.")
    assert message(exercise, [25, 75]) == "I expected a table (DataFrame), you gave a list."
    assert message(exercise, pd.Series([25, 75])) == (
        "I expected a table (DataFrame), you gave a column (Series).")
    twice = pd.concat([frame(share=[25, 75]), pd.DataFrame({"share": [25, 75]})], axis=1)
    assert message(exercise, twice) == 'Your table has the column "share" twice. Keep only one.'
    assert "NaN" not in message(exercise, frame(share=[float("nan"), 75]))


def test_dataframe_with_the_blank_is_not_attempted() -> None:
    exercise = make(**FRAME)
    assert exercise.check(namespace=run_code(FRAME["starter"])).status == "not_attempted"
    half = frame()
    half["share"] = half["views"] / ____
    assert status(exercise, half) == "not_attempted"


# --------------------------------------------------------------------------
# reflection


REFLECTION = {
    "id": "my-goal",
    "kind": "reflection",
    "variable": "my_goal",
    "starter": 'my_goal = "____"',
    "solution": 'my_goal = "Make our bakery known to students"',
    "min_words": 4,
    "wrong_answers": None,
}


def test_reflection_empty_placeholder_short_and_full() -> None:
    exercise = make(**REFLECTION)
    for blank in ("", "   ", "____", ' ____ ', ____):
        assert status(exercise, blank) == "not_attempted", repr(blank)
    assert message(exercise, "More sales") == (
        "Please write a full sentence: at least 4 words (I count 2).")
    assert message(exercise, "- - - - 🎉") == (
        "Please write a full sentence: at least 4 words (I count 0).")
    assert message(exercise, 42) == "I expected a text between quotes, you gave a number."
    assert status(exercise, "Be known by students in Lyon") == "recorded"
    assert record(exercise)["verdict"] == "recorded"


def test_reflection_text_is_kept_verbatim_and_shown_escaped() -> None:
    exercise = make(**REFLECTION)
    text = "Make <script>alert('x')</script> our 🥐 bakery famous\n  with students & parents"
    verdict = exercise.check(namespace={"my_goal": text})
    assert verdict.status == "recorded"
    assert record(exercise)["answer"] == text
    markup = verdict._repr_html_()
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "🥐" in markup
    assert "&amp; parents" in markup


def test_default_minimum_is_three_words() -> None:
    exercise = make(**{**REFLECTION, "min_words": None})
    assert status(exercise, "Sell more") == "not_yet"
    assert status(exercise, "Sell more croissants") == "recorded"


# --------------------------------------------------------------------------
# where check() looks, what it records, and re-running


def test_missing_variable_is_not_attempted_with_a_pointer() -> None:
    verdict = make().check(namespace={})
    assert verdict.status == "not_attempted"
    assert verdict.message.startswith("I cannot find minutes yet.")


def test_check_reads_the_notebook_namespace(monkeypatch) -> None:
    shell = types.SimpleNamespace(user_ns={"minutes": 23})
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    assert make().check().status == "correct"


def test_check_falls_back_to_the_caller_globals() -> None:
    namespace = {"exercise": make(), "minutes": 22}
    exec("verdict = exercise.check()", namespace)
    assert namespace["verdict"].status == "not_yet"
    card = ui_exercise.ExerciseCard(make())
    namespace = {"card": card, "minutes": 23}
    exec("verdict = card.check()", namespace)  # the card's own frame is skipped
    assert namespace["verdict"].status == "correct"


def test_rerunning_gives_the_same_verdict_and_counts_attempts() -> None:
    exercise = make()
    first = exercise.check(namespace={"minutes": 24})
    assert exercise.check(namespace={"minutes": 24}) == first
    assert record(exercise)["attempts"] == 2 and record(exercise)["verdict"] == "not_yet"
    exercise.check(namespace={"minutes": 23})
    exercise.check(namespace={"minutes": 24})
    assert record(exercise)["verdict"] == "correct" and record(exercise)["attempts"] == 4


def test_verdicts_are_distinct_and_escaped() -> None:
    exercise = make()
    verdicts = [exercise.check(namespace=ns) for ns in ({}, {"minutes": 1}, {"minutes": 23})]
    assert [type(v).__name__ for v in verdicts] == ["NotAttempted", "NotYet", "Correct"]
    assert [v.status for v in verdicts] == ["not_attempted", "not_yet", "correct"]
    assert "Well done" in str(verdicts[2])
    html = NotYet("<img src=x onerror=alert(1)>")._repr_html_()
    assert "<img" not in html and "&lt;img" in html


def test_a_broken_solution_shows_a_friendly_box_and_fails_tests() -> None:
    for solution in ("minutes = 1 / 0", "if False:\n    minutes = 1"):
        exercise = make(solution=solution)
        verdict = exercise.check(namespace={"minutes": 23})
        assert verdict.status == "broken"
        assert "tell your trainer" in verdict.message and "total-minutes" in verdict.message
        assert "Traceback" not in verdict._repr_html_()
        with pytest.raises(ExerciseBrokenError, match="total-minutes"):
            exercise.expected()
    assert "attempts" not in record(exercise)
    broken_function = make(**{**FUNCTION, "solution":
                              "def engagement_rate(likes, views):\n    return views / likes"})
    assert status(broken_function, lambda likes, views: 1) == "broken"


def test_the_expected_value_is_computed_once_per_kernel(monkeypatch) -> None:
    runs = []
    real = exercises.run_code
    monkeypatch.setattr(exercises, "run_code",
                        lambda code, **kw: runs.append(code) or real(code, **kw))
    exercise = make()
    for value in (23, 24, 13):
        exercise.check(namespace={"minutes": value})
    assert runs.count("minutes = 13 + 10\n") == 1


# --------------------------------------------------------------------------
# hints and solution


def test_hints_one_by_one_then_no_more() -> None:
    exercise = make()
    shown = [exercise.hint() for _ in range(4)]
    assert [(h.number, h.total, h.no_more) for h in shown] == [
        (1, 3, False), (2, 3, False), (3, 3, False), (3, 3, True)]
    assert "Hint 1/3:" in shown[0]._repr_html_() and "Look at the table." in shown[0]._repr_html_()
    assert "No more hints" in shown[3]._repr_html_() and "solution()" in shown[3]._repr_html_()
    assert record(exercise)["hints"] == 3


def test_hint_count_continues_after_a_restart(monkeypatch) -> None:
    make().hint()
    make().hint()
    exercises._expected_cache.clear()  # a restarted kernel: new objects, same store
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    third = make().hint()
    assert (third.number, third.text) == (3, "Add teaching and exercise minutes.")
    assert "Indice 3/3" in third._repr_html_()


def test_solution_is_escaped_code_with_an_explanation_and_is_recorded() -> None:
    exercise = make(solution="minutes = 23 if 2 < 3 else 0  # <b>",
                    explanation="Teaching + exercises.")
    assert (exercise.starter, exercise.solution) == (exercise.row.starter, exercise.row.solution)
    shown = exercise.show_solution()
    markup = shown._repr_html_()
    assert "<pre" in markup and "2 &lt; 3" in markup and "# &lt;b&gt;" in markup
    assert "Teaching + exercises." in markup
    assert record(exercise)["solution_seen"] is True


# --------------------------------------------------------------------------
# the placeholder


def test_placeholder_reads_as_a_blank_and_survives_operations() -> None:
    assert repr(____) == str(____) == f"{____}" == f"{____:>10}" == "____"
    assert Placeholder() is ____ and copy.copy(____) is ____ and copy.deepcopy([____])[0] is ____
    assert pickle.loads(pickle.dumps(____)) is ____
    for result in (____ * 60, 60 * ____, ____ + 1, 1 - ____, ____ / 2, 2 ** ____, -____,
                   round(____, 1), ____(3), ____ == 3, 3 < ____, np.float64(2.0) * ____):
        assert result is ____
    assert not ____ and not (____ == ____) and {____: 1}[____] == 1
    with pytest.raises(TypeError, match="blank to fill in"):
        int(____)
    assert is_placeholder(____) and not is_placeholder("____")


def test_install_placeholder_and_starter_code() -> None:
    namespace: dict = {}
    install_placeholder(namespace)
    exec("feed_minutes = ____ * 1\nmy_goal = '____'", namespace)
    assert namespace["feed_minutes"] is ____
    assert make().check(namespace={"minutes": namespace["feed_minutes"]}).status == "not_attempted"


# --------------------------------------------------------------------------
# data files: errors name file, row and field


def write_file(folder: Path, rows: list, lesson_id: str = LESSON) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{lesson_id}.yaml"
    path.write_text(yaml.safe_dump({"schema_version": 1, "exercises": bilingual(rows)},
                                   sort_keys=False,
                                   allow_unicode=True), encoding="utf-8")
    return folder


GOOD = make().row.model_dump(exclude_none=True)


@pytest.mark.parametrize("changes, field, words", [
    ({"kind": "multiple"}, "kind", "must be one of equality, function, dataframe, reflection"),
    ({"id": "Total_Minutes"}, "id", "kebab-case"),
    ({"starter": "minutes = 0"}, "starter", "____"),
    ({"starter": "other = ____"}, "starter", 'must set "minutes"'),
    ({"solution": "minutes = (13 +"}, "solution", "is not valid Python"),
    ({"solution": "total = 23"}, "solution", 'must set "minutes"'),
    ({"hints": ["Only one."]}, "hints", "at least 2 items"),
    ({"task": {"de": "Wie viele?", "en": "How many?"}}, "task", 'has "de:"'),
    ({"task": {"fr": "Combien ?"}}, "task", 'has no "en:" text'),
    ({"wrong_answers": []}, "wrong_answers", "at least one plausible mistake"),
    ({"cases": [[1]]}, "cases", "function exercises only"),
    ({"min_words": 4}, "min_words", "reflection exercises only"),
    ({"variable": "class"}, "variable", "Python name"),
    ({"tolerance": -1}, "tolerance", "at least 0"),
    ({"answer": 23}, "answer", "not a known field"),
])
def test_invalid_rows_name_file_row_and_field(tmp_path, changes, field, words) -> None:
    other = {**GOOD, "id": "other", **changes}
    folder = write_file(tmp_path / "exercises", [GOOD, other])
    with pytest.raises(DataFileError) as caught:
        load_exercise_rows(LESSON, folder)
    error = caught.value
    assert (error.file, error.row, error.field) == (f"{LESSON}.yaml", 2, field)
    assert words in str(error) and f"{LESSON}.yaml, row 2" in str(error)


def test_kind_specific_fields_are_required(tmp_path) -> None:
    function = {**FUNCTION, "task": "Write it.", "hints": ["One.", "Two."]}
    del function["cases"]
    frame_row = {**FRAME, "task": "Add it.", "hints": ["One.", "Two."]}
    del frame_row["columns"]
    folder = write_file(tmp_path / "a", [function])
    with pytest.raises(DataFileError, match='field "cases": is required for function'):
        load_exercise_rows(LESSON, folder)
    folder = write_file(tmp_path / "b", [frame_row])
    with pytest.raises(DataFileError, match='field "columns": is required for dataframe'):
        load_exercise_rows(LESSON, folder)
    reflection = {**REFLECTION, "task": "Why?", "hints": ["One.", "Two."],
                  "wrong_answers": [{"code": "my_goal = 'x'", "message": "No."}]}
    with pytest.raises(DataFileError, match="reflections have no wrong answers"):
        load_exercise_rows(LESSON, write_file(tmp_path / "c", [reflection]))


def test_repeated_ids_and_unknown_ids(tmp_path) -> None:
    with pytest.raises(DataFileError) as caught:
        load_exercise_rows(LESSON, write_file(tmp_path / "a", [GOOD, GOOD]))
    assert (caught.value.row, caught.value.field) == (2, "id")
    folder = write_file(tmp_path / "b", [GOOD])
    assert load_exercise(LESSON, "total-minutes", folder).variable == "minutes"
    with pytest.raises(UnknownIdError, match="Did you mean: total-minutes"):
        load_exercise(LESSON, "total-minute", folder)
    with pytest.raises(DataFileError, match="not found"):
        load_exercise_rows("05_tips", folder)


# --------------------------------------------------------------------------
# the card


def test_card_shows_task_variable_and_buttons_that_fill_the_area() -> None:
    card = ui_exercise.ExerciseCard(make())
    heading, buttons, area = card.widget.children
    assert "How many minutes?" in heading.value and "minutes" in heading.value
    hint, solution = buttons.children
    assert (hint.description, solution.description) == ("Hint", "Solution")
    assert hint.tooltip and solution.tooltip
    hint.click()
    assert "Hint 1/3" in area.value
    hint.click()
    assert "Hint 2/3" in area.value
    solution.click()
    assert "<pre" in area.value and "13 + 10" in area.value
    assert card.hint().number == 3 and "Hint 3/3" in area.value
    bundle = card._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_card_speaks_french(monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    heading, buttons, _ = ui_exercise.ExerciseCard(make()).widget.children
    assert "Combien de minutes ?" in heading.value
    assert buttons.children[0].description == "Indice"


def test_exercise_shows_the_card_and_installs_the_placeholder(monkeypatch) -> None:
    namespace: dict = {}
    card = ui_exercise.exercise("00_start_here", "lesson-03-minutes", namespace=namespace)
    assert namespace["____"] is ____ and card.exercise.variable == "feed_minutes"
    shown = []
    shell = types.SimpleNamespace(user_ns={})
    import IPython
    import IPython.display

    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    monkeypatch.setattr(IPython.display, "display", shown.append)
    card = ui_exercise.exercise("00_start_here", "lesson-03-minutes")
    assert shown == [card] and shell.user_ns["____"] is ____
    assert card.check().status == "not_attempted"


# --------------------------------------------------------------------------
# Issue 14, item 7: when work cannot be saved, the verdict, hint and solution still
# show, with one plain notice (not one per click) saying why and where.


@pytest.mark.parametrize("fault", FAULTS)
def test_check_hint_and_solution_show_when_work_cannot_be_saved(fault) -> None:
    exercise = make()
    with saves_refused(fault):
        first = exercise.check(namespace={"minutes": 24})
        again = exercise.check(namespace={"minutes": 23})
        hints = [exercise.hint(), exercise.hint()]
        solution = exercise.show_solution()
    assert first.status == "not_yet" and first.message.startswith("Your number, 24")
    assert first.notice and "could not be saved" in first.notice
    assert esc(first.notice) in first._repr_html_()
    assert first.notice in str(first)
    assert again.status == "correct" and not again.notice  # told once, not on every click
    assert [h.number for h in hints] == [1, 2], "the next hint comes even if not saved"
    assert not hints[0].notice and not solution.notice
    assert solution.code == exercise.solution
    card = ui_exercise.ExerciseCard(exercise)
    card.widget
    with saves_refused(fault):
        card.hint()
    assert "Hint 3/3" in card._area.value


def test_the_notice_is_shown_in_the_card_when_the_first_refusal_is_a_hint() -> None:
    card = ui_exercise.ExerciseCard(make())
    card.widget
    with saves_refused("full"):
        card.hint()
    assert "Hint 1/3" in card._area.value and "the disk is full" in card._area.value


@needs_permissions
def test_check_in_a_really_read_only_folder_still_gives_its_verdict() -> None:
    exercise = make()
    exercise.check(namespace={"minutes": 1})
    home = progress_log.get_store().home
    home.chmod(0o500)
    try:
        verdict = exercise.check(namespace={"minutes": 23})
    finally:
        home.chmod(0o700)
    assert verdict.status == "correct" and str(home) in verdict.notice


# --------------------------------------------------------------------------
# Issue 14, item 10: an answer of any length or text is judged, and what is kept is said.


def test_a_reflection_with_a_lone_surrogate_is_recorded_not_raised() -> None:
    exercise = make(**REFLECTION)
    verdict = exercise.check(namespace={"my_goal": "Be known by \ud800 students in Lyon"})
    assert verdict.status == "recorded" and verdict.quote == "Be known by \ufffd students in Lyon"
    assert record(exercise)["answer"] == verdict.quote
    verdict._repr_html_().encode("utf-8")


def test_a_very_long_reflection_is_judged_whole_and_the_learner_told_what_is_kept() -> None:
    import time

    exercise = make(**REFLECTION)
    long_answer = "Make our bakery known to students. " * 300_000  # 10.5 million characters
    started = time.perf_counter()
    verdict = exercise.check(namespace={"my_goal": long_answer})
    assert time.perf_counter() - started < 2
    assert verdict.status == "recorded"
    assert verdict.message.startswith("Thank you. Your answer is long (10,500,000 characters): "
                                      "only its first 4,000 characters are saved")
    assert len(verdict.quote) == progress_log.MAX_ANSWER_CHARS
    assert long_answer.startswith(record(exercise)["answer"])
    assert len(record(exercise)["answer"]) == progress_log.MAX_ANSWER_CHARS
    assert progress_log.get_store().path("progress").stat().st_size < 20_000
    assert len(str(verdict)) < 20_000
    right_size = long_answer[:progress_log.MAX_ANSWER_CHARS]
    whole = exercise.check(namespace={"my_goal": right_size})
    assert whole.message.startswith("Thank you. Your answer is saved") and whole.quote == right_size


def test_a_long_reflection_says_what_is_kept_in_french(monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    verdict = make(**REFLECTION).check(namespace={"my_goal": "Un deux trois quatre. " * 1000})
    assert "seuls ses 4\u202f000 premiers caractères sont enregistrés" in verdict.message


# --------------------------------------------------------------------------
# whatever a learner types, check() answers with a verdict


SPICY_TEXT = st.sampled_from(["<script>alert(1)</script>", "🎉🔥 TikTok", "", "____", " ",
                              "&amp; <b>", "23", "nan", "\x00", "é" * 300])
LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), SPICY_TEXT, st.binary(max_size=20), st.complex_numbers(), st.decimals(),
    st.fractions(), st.just(____), st.just(float("nan")),
    st.sampled_from([int, str, float, list, dict, bytes, range]).flatmap(st.from_type),
)
VALUES = st.recursive(LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), inner, max_size=4),
), max_leaves=12)
LEARNER_VALUES = st.one_of(
    VALUES,
    st.functions(like=lambda likes, views: None, returns=VALUES, pure=True),
    st.builds(lambda v: pd.DataFrame({"video": ["a", "b"], "share": [v, v]}), VALUES),
    st.builds(lambda v: pd.Series([v]), VALUES),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=LEARNER_VALUES)
def test_check_never_raises_whatever_the_learner_gives(value) -> None:
    kinds = [make(), make(**FUNCTION), make(**FRAME), make(**REFLECTION),
             make(variable="name", starter='name = "____"', solution='name = "TikTok"',
                  wrong_answers=[{"code": 'name = "Vine"', "message": "Older."}])]
    for exercise in kinds:
        verdict = exercise.check(namespace={exercise.variable: value})
        assert verdict.status in ("not_attempted", "not_yet", "correct", "recorded")
        markup = verdict._repr_html_()
        assert "<script>" not in markup and "Traceback" not in markup
        assert len(verdict.message) < 600


def test_the_trainer_edition_reads_starter_and_solution_code() -> None:
    from tiktok_lab.kit.editions import default_exercise_code

    starter, solution = default_exercise_code("00_start_here", "lesson-03-minutes")
    assert starter.strip() == "feed_minutes = ____"
    assert solution.strip() == 'feed_minutes = tl.load_lesson("03_feed").minutes'


@pytest.mark.parametrize("fault", FAULTS)
def test_a_reflection_is_never_called_saved_while_saves_are_refused(fault) -> None:
    """Only the first refusal carries the store's notice; every later check of a
    reflection said "Saved" while nothing reached my_work."""
    reflection = make(**REFLECTION)
    answer = "I want students in Lyon to know our bakery"
    with saves_refused(fault):
        first = reflection.check(namespace={reflection.variable: answer})
        again = reflection.check(namespace={reflection.variable: answer + " first"})
    for verdict in (first, again):
        assert verdict.status == "not_saved" and verdict.level == "warning", str(verdict)
        assert "Saved" not in verdict.label and verdict.quote.startswith(answer)
    assert first.notice and not again.notice
    saved = reflection.check(namespace={reflection.variable: answer})
    assert saved.status == "recorded" and saved.label == "Saved"


def test_numpy_and_pandas_values_are_described_as_a_learner_reads_them() -> None:
    """``df[col].sum()`` gives ``np.int64(5)``: the message said "np.int64(5)"."""
    import numpy as np
    import pandas as pd

    exercise = make()
    for value, shown in ((np.int64(5), "Your number, 5,"), (np.float64(2.5), "Your number, 2.5,")):
        verdict = exercise.check(namespace={"minutes": value})
        assert verdict.message.startswith(shown), verdict.message
        assert "np." not in verdict.message and "int64" not in verdict.message
    missing = exercise.check(namespace={"minutes": pd.NaT})
    assert "missing value" in missing.message and "NaTType" not in missing.message


def test_a_task_shows_its_backticked_words_as_code() -> None:
    from tiktok_lab.core.html import esc_code

    assert esc_code("Replace `____` in <b>") == "Replace <code>____</code> in &lt;b&gt;"
    assert esc_code("one ` alone") == "one ` alone"
