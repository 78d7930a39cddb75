"""Quiz answers are checked by pure functions (any input, never an exception),
options come in a seeded order, and the widget, driven headlessly, gives
feedback, keeps the score and records every real attempt."""

from __future__ import annotations

import math
import random
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from save_faults import FAULTS, saves_refused
from tiktok_lab.course import progress_log
from tiktok_lab.work.store import get_store
from tiktok_lab.course.quizzes import (
    QuizQuestion,
    QuizResult,
    answer_order,
    evaluate,
    load_quiz,
    parse_number,
    read_quiz,
)
from tiktok_lab.ui.quiz import QuizApp, quiz
from bilingual import bilingual

LESSON = "00_start_here"
# The widget tests run on a frozen quiz with one question of each type (tests/quiz_fixture/),
# so that rewriting lesson 00's own quiz does not rewrite them.
QUIZ_FIXTURE = Path(__file__).parent / "quiz_fixture"

pytestmark = pytest.mark.usefixtures("fresh_learner", "frozen_quiz")


@pytest.fixture
def frozen_quiz(monkeypatch: pytest.MonkeyPatch) -> None:
    from tiktok_lab.course import quizzes

    monkeypatch.setattr(quizzes, "quizzes_dir", lambda: QUIZ_FIXTURE)


def make_question(data: dict) -> QuizQuestion:
    return QuizQuestion.model_validate(bilingual(data))


ONE = make_question({
    "id": "run-a-cell",
    "type": "multiple_choice",
    "question": {"en": "How do you run a cell?", "fr": "Comment exécuter une cellule ?"},
    "answers": [
        {"answer": "Shift + Enter", "correct": True,
         "feedback": {"en": "It runs the cell.", "fr": "Elle exécute la cellule."}},
        {"answer": "Enter", "correct": False,
         "feedback": {"en": "That adds a line.", "fr": "Cela ajoute une ligne."}},
        {"answer": "Ctrl + S", "correct": False,
         "feedback": {"en": "That saves.", "fr": "Cela enregistre."}},
    ],
})
MANY = make_question({
    "id": "saved",
    "type": "many_choice",
    "question": "What is saved?",
    "answers": [
        {"answer": "Progress", "correct": True, "feedback": "Yes, progress."},
        {"answer": "Answers", "correct": True, "feedback": "Yes, answers."},
        {"answer": "Strategy", "correct": True, "feedback": "Yes, strategy."},
        {"answer": "Password", "correct": False, "feedback": "Never your password."},
    ],
})
NUMBER = make_question({
    "id": "lessons",
    "type": "numeric",
    "question": "How many lessons follow lesson 00?",
    "answers": [
        {"type": "value", "value": 7, "correct": True, "feedback": "Seven, yes."},
        {"type": "value", "value": 8, "correct": False, "feedback": "Lesson 00 itself doesn't count."},
        {"type": "range", "range": [0, 6], "correct": False, "feedback": "More than that."},
        {"type": "default", "feedback": "Count the lessons."},
    ],
})
PI = make_question({
    "id": "pi",
    "type": "numeric",
    "question": "Pi to two decimals?",
    "precision": 2,
    "answers": [
        {"type": "value", "value": 3.14, "correct": True, "feedback": "Yes."},
        {"type": "range", "range": [3.15, 3.2], "correct": False, "feedback": "A bit less."},
        {"type": "default", "feedback": "No."},
    ],
})


# --------------------------------------------------------------------------
# Evaluation, question type by question type.


def test_multiple_choice_gives_the_chosen_options_feedback() -> None:
    right = evaluate(ONE, 0, language="en")
    assert (right.correct, right.attempted, right.feedback) == (True, True, ("It runs the cell.",))
    wrong = evaluate(ONE, 2, language="fr")
    assert (wrong.correct, wrong.attempted, wrong.feedback) == (False, True, ("Cela enregistre.",))


@pytest.mark.parametrize("answer", [None, -1, 3, 99, True, "0", 0.0, [0], object()])
def test_multiple_choice_without_a_real_choice_is_not_an_attempt(answer) -> None:
    result = evaluate(ONE, answer, language="en")
    assert not result.attempted and not result.correct
    assert result.feedback == ("Choose an answer first, then press Check.",)


def test_many_choice_is_right_only_with_every_right_option_and_no_wrong_one() -> None:
    result = evaluate(MANY, {2, 0, 1}, language="en")
    assert result.correct and result.missed == 0
    assert result.feedback == ("Yes, progress.", "Yes, answers.", "Yes, strategy.")


def test_many_choice_says_how_many_were_missed_without_revealing_them() -> None:
    result = evaluate(MANY, [0], language="en")
    assert not result.correct and result.attempted and result.missed == 2
    assert result.feedback == ("Yes, progress.", "You missed 2 right answers: have another look.")
    text = " ".join(result.feedback)
    assert "answers." not in text and "strategy" not in text  # the missed ones stay hidden
    one_missed = evaluate(MANY, [0, 1], language="fr")
    assert one_missed.feedback[-1] == "Il vous manque une bonne réponse\u00a0: regardez encore."


def test_many_choice_shows_the_feedback_of_a_wrong_tick() -> None:
    result = evaluate(MANY, [0, 1, 2, 3], language="en")
    assert not result.correct and result.missed == 0
    assert "Never your password." in result.feedback


@pytest.mark.parametrize("answer", [None, [], set(), "012", 5, [7, -1, True], {"a": 1}, 3.5])
def test_many_choice_without_a_tick_is_not_an_attempt(answer) -> None:
    result = evaluate(MANY, answer, language="en")
    assert not result.attempted
    assert result.feedback == ("Tick at least one answer first, then press Check.",)


@pytest.mark.parametrize(
    ("typed", "correct", "feedback"),
    [
        ("7", True, "Seven, yes."),
        ("  7 ", True, "Seven, yes."),
        ("7,0", True, "Seven, yes."),
        ("7.0", True, "Seven, yes."),
        (7, True, "Seven, yes."),
        (7.0, True, "Seven, yes."),
        ("8", False, "Lesson 00 itself doesn't count."),
        ("3", False, "More than that."),
        ("0", False, "More than that."),
        ("6", False, "More than that."),
        ("6,5", False, "Count the lessons."),
        ("-3", False, "Count the lessons."),
        ("1e300", False, "Count the lessons."),
    ],
)
def test_numeric_answers_get_the_matching_feedback(typed, correct, feedback) -> None:
    result = evaluate(NUMBER, typed, language="en")
    assert result.attempted and result.correct is correct
    assert result.feedback[-1] == feedback


def test_numeric_feedback_repeats_the_number_as_understood() -> None:
    assert evaluate(NUMBER, "6,5", language="fr").feedback[0] == "Vous avez tapé 6,5."
    assert evaluate(NUMBER, "6,5", language="en").feedback[0] == "You typed 6.5."
    assert evaluate(NUMBER, "1e300", language="en").feedback[0] == "You typed 1e+300."


def test_precision_rounds_the_answer_before_checking() -> None:
    assert evaluate(PI, "3,14159", language="fr").correct
    assert evaluate(PI, "3.141", language="en").correct
    assert evaluate(PI, "3.149", language="en").feedback[-1] == "A bit less."


@pytest.mark.parametrize(
    "typed",
    ["abc", "", "   ", "🙂", "7️⃣", "sept", "nan", "NaN", "inf", "-inf", "1e999", "1,2,3", "--7",
     "7 lessons", "9" * 500, math.nan, math.inf, -math.inf, 10**400, None, True, [7], b"7"],
)
def test_something_that_is_not_a_number_asks_for_one_and_is_not_an_attempt(typed) -> None:
    result = evaluate(NUMBER, typed, language="en")
    assert not result.attempted and not result.correct
    assert result.feedback == (
        "Please type a number, for example 12 or 3,5. This try was not counted.",)


@pytest.mark.parametrize(
    ("typed", "english", "french"),
    [
        ("3,5", 3.5, 3.5),
        ("3.5", 3.5, 3.5),
        ("  12 ", 12, 12),
        ("1 234,5", 1234.5, 1234.5),
        ("1\u202f234,5", 1234.5, 1234.5),  # French thousands with a narrow no-break space
        ("1\xa0234", 1234, 1234),
        ("1,234.5", 1234.5, 1234.5),
        ("1.234,5", 1234.5, 1234.5),
        ("1,234", 1234, 1.234),  # English thousands, French decimals
        ("1.234.567", 1234567, 1234567),
        ("−2", -2, -2),  # the typographic minus sign
        ("+5", 5, 5),
        ("41 %", 41, 41),
        (",5", 0.5, 0.5),
        ("１２", 12, 12),  # full-width digits from a Japanese keyboard
    ],
)
def test_numbers_are_read_as_people_type_them(typed, english, french) -> None:
    assert parse_number(typed, language="en") == pytest.approx(english)
    assert parse_number(typed, language="fr") == pytest.approx(french)


ANSWERS = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="0123456789,.-+eE %\u202f\xa0−", max_size=30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.none(),
    st.booleans(),
    st.lists(st.integers(min_value=-10, max_value=10), max_size=8),
    st.sets(st.integers(min_value=-3, max_value=8)),
    st.binary(max_size=10),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=ANSWERS, which=st.sampled_from([ONE, MANY, NUMBER, PI]), language=st.sampled_from(["en", "fr"]))
def test_evaluation_never_raises_and_always_says_something(answer, which, language) -> None:
    result = evaluate(which, answer, language=language)
    assert isinstance(result, QuizResult)
    assert result.feedback and all(isinstance(text, str) and text for text in result.feedback)
    assert result.attempted or not result.correct
    if which.type == "numeric" and result.attempted:
        assert result.number is not None and math.isfinite(result.number)


def test_an_answer_that_stops_python_when_read_is_not_an_attempt() -> None:
    """An object whose iteration raises SystemExit (not an Exception) still gets feedback."""
    from strategies import Hostile

    with Hostile.armed():
        for question in (ONE, MANY, NUMBER):
            result = evaluate(question, Hostile(SystemExit), language="en")
            assert not result.attempted and result.feedback


# --------------------------------------------------------------------------
# Seeded order of the options.


def test_the_order_depends_only_on_lesson_and_question() -> None:
    quiz_ = load_quiz(LESSON)
    for question in quiz_.questions:
        order = answer_order(LESSON, question)
        assert order == answer_order(LESSON, question)  # same run
        if question.type == "numeric":
            assert order == tuple(range(len(question.answers)))
        else:
            expected = list(range(len(question.answers)))
            random.Random(f"{LESSON}:{question.id}").shuffle(expected)
            assert order == tuple(expected)  # hence the same in every run and on every machine


def test_the_shuffle_moves_options_and_the_right_one_is_not_always_first() -> None:
    quiz_ = load_quiz(LESSON)
    choices = [q for q in quiz_.questions if q.type != "numeric"]
    orders = [answer_order(LESSON, q) for q in choices]
    assert any(order != tuple(range(len(order))) for order in orders)
    first_shown = [q.answers[order[0]].correct for q, order in zip(choices, orders)]
    assert not all(first_shown)


# --------------------------------------------------------------------------
# The widget, driven headlessly.


def card_of(app: QuizApp, question_id: str):
    return next(card for card in app.cards if card.question.id == question_id)


def quiz_record(question_id: str) -> dict:
    return progress_log.lesson_entry(LESSON).to_saved().get("quiz", {}).get(question_id, {})


def test_the_quiz_shows_one_card_per_question_with_accessible_controls() -> None:
    app = quiz(LESSON)
    assert isinstance(app, widgets.VBox) and "tiktok-lab-quiz" in app._dom_classes
    assert len(app.cards) == len(load_quiz(LESSON).questions) == 4
    for card in app.cards:
        assert "tiktok-lab-quiz-question" in card._dom_classes
        assert "tiktok-lab-quiz-feedback" in card.feedback._dom_classes
        assert card.feedback.value == ""
        assert card.check_button.description == "Check" and card.check_button.tooltip
        assert card.question.id  # the card knows its question
        assert card in app.children
    radio = card_of(app, "run-a-cell").control
    assert isinstance(radio, widgets.RadioButtons) and radio.value is None and radio.description
    assert [label for label, _ in radio.options] != ["Press Shift + Enter", "Press Enter",
                                                      "Double-click the cell",
                                                      "Save the notebook with Ctrl + S"]
    boxes = card_of(app, "saved-in-my-work").checkboxes
    assert len(boxes) == 5 and all(isinstance(b, widgets.Checkbox) and b.description for b in boxes)
    assert not any(b.value for b in boxes)
    text = card_of(app, "lessons-after-start").control
    assert isinstance(text, widgets.Text) and text.placeholder and text.description
    assert app.score.value.count("Answered: 0 of 4") == 1, "no score before any check"
    assert "tiktok-lab-quiz-score" in app.score._dom_classes


def test_checking_shows_feedback_updates_the_score_and_records_the_attempt() -> None:
    app = quiz(LESSON)
    card = card_of(app, "run-a-cell")
    card.control.value = 1  # "Press Enter" (the value is the index in the file)
    card.check_button.click()
    assert "Not quite." in card.feedback.value and "Hold Shift" in card.feedback.value
    assert "#8b1a1a" in card.feedback.value  # the "problem" box
    assert "Source: This notebook" in card.feedback.value
    assert quiz_record("run-a-cell")["attempts"] == 1 and quiz_record("run-a-cell")["correct"] is False
    assert quiz_record("run-a-cell")["answer"] == [1], "the option's index in the quiz file"
    assert quiz_record("run-a-cell")["answer_correct"] is False
    assert "0 of 4 right" in app.score.value

    card.control.value = 0
    card.check_button.click()
    assert "Right!" in card.feedback.value and "#1b5e20" in card.feedback.value
    assert quiz_record("run-a-cell") | {"at": None} == {
        "attempts": 2, "correct": True, "answer": [0], "answer_correct": True, "at": None,
        "first_answer": [1], "first_correct": False}, "the first answer stays beside the last"
    assert "1 of 4 right" in app.score.value
    assert "tiktok-lab-quiz-right" in card._dom_classes


def test_many_choice_card_counts_missed_options_then_accepts_the_full_set() -> None:
    app = quiz(LESSON)
    card = card_of(app, "saved-in-my-work")
    by_label = {b.description: b for b in card.checkboxes}
    by_label["Your progress through the lessons"].value = True
    card.check_button.click()
    assert "You missed 2 right answers" in card.feedback.value
    assert "strategy" not in card.feedback.value.lower()
    assert quiz_record("saved-in-my-work")["correct"] is False
    assert quiz_record("saved-in-my-work")["answer"] == [0]
    by_label["Your TikTok strategy"].value = True
    by_label["Your answers to the exercises"].value = True
    card.check_button.click()
    assert "Right!" in card.feedback.value and "missed" not in card.feedback.value
    # the ticked options by their index in the file, sorted, whatever order they show in
    assert quiz_record("saved-in-my-work")["answer"] == [0, 1, 2]
    assert quiz_record("saved-in-my-work")["answer_correct"] is True
    by_label["Your browser history"].value = True
    card.check_button.click()
    assert quiz_record("saved-in-my-work")["answer"] == [0, 1, 2, 3]
    assert quiz_record("saved-in-my-work") | {"at": None} == {
        "attempts": 3, "correct": True, "answer": [0, 1, 2, 3], "answer_correct": False,
        "first_answer": [0], "first_correct": False,
        "at": None}, "right once stays right; the last answer is the wrong one"
    assert "1 of 4 right" in app.score.value


def test_numeric_card_accepts_french_decimals_and_does_not_record_garbage() -> None:
    app = quiz(LESSON)
    card = card_of(app, "lessons-after-start")
    card.control.value = "sept 🙂"
    card.check_button.click()
    assert "Please type a number" in card.feedback.value
    assert quiz_record("lessons-after-start") == {}  # not an attempt
    card.control.value = "8"
    card.check_button.click()
    assert "doesn&#x27;t count" in card.feedback.value
    card.control.value = " 7,0 "
    card.check_button.click()
    assert "Right!" in card.feedback.value and "You typed 7." in card.feedback.value
    assert quiz_record("lessons-after-start")["attempts"] == 2
    assert quiz_record("lessons-after-start")["answer"] == 7.0, "the number as understood"


def test_each_check_passes_the_answer_given_to_the_progress_log(monkeypatch) -> None:
    """What a shared quiz shows the trainer: option indices in the file, sorted; the number."""
    given = []
    monkeypatch.setattr(progress_log, "record_quiz",
                        lambda lesson, question, correct, answer=None: given.append(
                            (question, correct, answer)))
    app = quiz(LESSON)
    card_of(app, "run-a-cell").control.value = 2
    card_of(app, "run-a-cell").check_button.click()
    many = card_of(app, "saved-in-my-work")
    for box_ in reversed(many.checkboxes):  # every option but the last shown, last first
        box_.value = box_ is not many.checkboxes[-1]
    many.check_button.click()
    card_of(app, "lessons-after-start").control.value = "6,5"
    card_of(app, "lessons-after-start").check_button.click()
    ticked = sorted(index for index in many.order[:-1])
    assert many.order[:-1] != ticked, "the options show in another order than the file's"
    assert given == [("run-a-cell", False, [2]), ("saved-in-my-work", False, ticked),
                     ("lessons-after-start", False, 6.5)]


def test_checking_with_nothing_chosen_explains_and_records_nothing() -> None:
    app = quiz(LESSON)
    card = card_of(app, "cell-still-running")
    card.check_button.click()
    assert "Choose an answer first" in card.feedback.value
    assert progress_log.lesson_entry(LESSON).to_saved() == {}


def test_after_a_restart_the_quiz_shows_what_was_already_right_and_nothing_else() -> None:
    first = quiz(LESSON)
    card_of(first, "run-a-cell").control.value = 0
    card_of(first, "run-a-cell").check_button.click()
    card_of(first, "cell-still-running").control.value = 2  # wrong
    card_of(first, "cell-still-running").check_button.click()

    again = quiz(LESSON)  # a new kernel builds a new widget on the same store
    assert "1 of 4 right" in again.score.value
    right, wrong = card_of(again, "run-a-cell"), card_of(again, "cell-still-running")
    assert "already answered this question right" in right.feedback.value
    assert "tiktok-lab-quiz-right" in right._dom_classes
    assert right.control.value is None  # the answer itself is not shown
    assert "Shift" not in right.feedback.value
    assert wrong.feedback.value == "" and wrong.control.value is None
    assert "tiktok-lab-quiz-right" not in wrong._dom_classes


@pytest.mark.parametrize("fault", FAULTS)
def test_feedback_and_score_show_when_answers_cannot_be_saved(fault) -> None:
    """Issue 14, item 7: a read-only or full my_work made quiz answers raise."""
    app = quiz(LESSON)
    card = card_of(app, "run-a-cell")
    card.control.value = 1
    with saves_refused(fault):
        first = card.on_check()
        card.control.value = 0
        second = card.on_check()
    assert "Right!" in card.feedback.value and "could not be saved" not in card.feedback.value
    assert first.notice and "could not be saved" in first.notice and not second.notice
    assert "1 of 4 right" in app.score.value, "the score counts what was answered here"
    assert "tiktok-lab-quiz-right" in card._dom_classes


def test_the_save_notice_shows_under_the_feedback_once() -> None:
    app = quiz(LESSON)
    card = card_of(app, "run-a-cell")
    card.control.value = 1
    with saves_refused("full"):
        card.check_button.click()
        assert "Not quite." in card.feedback.value and "the disk is full" in card.feedback.value
        card.check_button.click()
        assert "Not quite." in card.feedback.value and "the disk is full" not in card.feedback.value


def test_what_the_learner_types_is_never_stored_only_the_number_understood() -> None:
    """Issue 14, item 10: one answer stores a bounded record, whatever was typed."""
    app = quiz(LESSON)
    card = card_of(app, "lessons-after-start")
    card.control.value = " 7" + "\u00a0" * 90
    card.check_button.click()
    assert set(quiz_record("lessons-after-start")) == {"attempts", "correct", "answer",
                                                       "answer_correct", "first_answer",
                                                       "first_correct", "at"}
    assert quiz_record("lessons-after-start")["answer"] == 7.0
    card.control.value = "7" * 10_000_000
    card.check_button.click()
    assert "Please type a number" in card.feedback.value
    assert quiz_record("lessons-after-start")["attempts"] == 1
    assert get_store().path("progress").stat().st_size < 2_000


def test_the_quiz_reads_damaged_saved_answers() -> None:
    """Issue 14, item 8: a quiz record that is a string, or counts of the wrong type."""
    get_store().write("progress", {"lessons": {LESSON: {"quiz": {
        "run-a-cell": "right", "cell-still-running": {"correct": "yes", "attempts": "two"},
        "saved-in-my-work": {"correct": True, "attempts": math.nan}}}}})
    app = quiz(LESSON)
    assert "1 of 4 right" in app.score.value
    card = card_of(app, "cell-still-running")
    card.control.value = 2
    card.check_button.click()
    assert quiz_record("cell-still-running")["attempts"] == 1


def test_the_quiz_speaks_the_learners_language() -> None:
    app = quiz(LESSON, language="fr")
    card = card_of(app, "run-a-cell")
    assert "Vous avez cliqué" in card.prompt.value and card.check_button.description == "Vérifier"
    assert "Appuyer sur Maj + Entrée" in [label for label, _ in card.control.options]
    text = card_of(app, "lessons-after-start")
    text.control.value = "6,5"
    text.check_button.click()
    assert "Vous avez tapé 6,5." in text.feedback.value
    assert "Score\u00a0: 0 sur 4" in app.score.value


def test_question_and_feedback_text_are_escaped(tmp_path: Path) -> None:
    hostile = "<script>alert('x')</script> & <b>bold</b>"
    doc = {"schema_version": 1, "questions": [{
        "id": "hostile",
        "type": "multiple_choice",
        "question": hostile,
        "answers": [
            {"answer": "<img src=x onerror=alert(1)>", "correct": True,
             "feedback": "<img src=x onerror=alert(2)>"},
            {"answer": "Plain", "correct": False, "feedback": "No."},
        ],
    }]}
    folder = tmp_path / "quizzes"
    folder.mkdir()
    path = folder / "00_start_here.yaml"
    path.write_text(yaml.safe_dump(bilingual(doc), allow_unicode=True), encoding="utf-8")
    app = QuizApp(read_quiz(path))
    card = app.cards[0]
    assert "<script>" not in card.prompt.value and "&lt;script&gt;" in card.prompt.value
    assert "&amp; &lt;b&gt;bold&lt;/b&gt;" in card.prompt.value
    card.control.value = 0
    card.check_button.click()
    assert "<img" not in card.feedback.value and "&lt;img src=x" in card.feedback.value
    assert not card.control.description_allow_html  # option labels are shown as text


def test_an_unknown_lesson_is_reported_with_close_ids() -> None:
    with pytest.raises(KeyError, match="Did you mean: 00_start_here"):
        quiz("00_start")


def test_tl_quiz_shows_the_quiz_even_after_the_domain_module_was_imported() -> None:
    import tiktok_lab
    import tiktok_lab.course.quizzes  # noqa: F401 - a submodule import must not hide tl.quiz

    shown = tiktok_lab.quiz(LESSON, language="fr")
    assert isinstance(shown, QuizApp) and shown.language == "fr"
