"""Every quiz file is valid, and a broken one fails with a DataFileError that a
trainer can act on: it names the file, the question (row) and the field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from bilingual import bilingual

from tiktok_lab.core.datafiles import DataFileError
from tiktok_lab.core.i18n import localized
from tiktok_lab.course.syllabus import load_lessons
from tiktok_lab.course.quizzes import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    ChoiceAnswer,
    answer_order,
    load_quiz,
    quiz_files,
    read_quiz,
)

QUIZ_FILES = quiz_files()

pytestmark = pytest.mark.usefixtures("fresh_learner")


def test_there_is_a_quiz_for_the_start_lesson() -> None:
    assert "00_start_here.yaml" in [path.name for path in QUIZ_FILES]


# --------------------------------------------------------------------------
# Every packaged quiz file (parametrized, so a new lesson's quiz is covered).


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda path: path.name)
def test_quiz_file_is_valid_and_belongs_to_a_lesson(path) -> None:
    quiz = read_quiz(path)
    assert quiz.lesson_id in {lesson.id for lesson in load_lessons()}, (
        f"{path.name}: no lesson has the id {quiz.lesson_id}"
    )
    assert load_quiz(quiz.lesson_id) == quiz
    assert quiz.questions


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda path: path.name)
def test_each_question_has_the_right_number_of_correct_answers(path) -> None:
    for question in read_quiz(path).questions:
        right = [answer for answer in question.answers if answer.correct]
        if question.type == "multiple_choice":
            assert len(right) == 1, question.id
        elif question.type == "many_choice":
            assert 1 <= len(right) < len(question.answers), question.id
        else:
            assert right and all(a.type != "default" for a in right), question.id
            assert [a.type for a in question.answers].count("default") == 1, question.id
            assert question.answers[-1].type == "default", question.id
        if question.type != "numeric":
            assert MIN_OPTIONS <= len(question.answers) <= MAX_OPTIONS, question.id


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_option_has_feedback_in_every_language(path, language) -> None:
    for question in read_quiz(path).questions:
        assert localized(question.question, language=language).strip()
        for answer in question.answers:
            assert localized(answer.feedback, language=language).strip(), question.id
            if isinstance(answer, ChoiceAnswer):
                assert localized(answer.answer, language=language).strip(), question.id


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda path: path.name)
def test_options_are_shown_in_a_shuffled_but_complete_order(path) -> None:
    quiz = read_quiz(path)
    for question in quiz.questions:
        order = answer_order(quiz.lesson_id, question)
        assert sorted(order) == list(range(len(question.answers)))


def test_start_quiz_is_bilingual_and_shows_both_kinds_of_choice() -> None:
    """The first quiz a participant meets has one right answer and tick-all questions, so the
    later quizzes hold no surprise; its questions are situations, not counts to recall."""
    quiz = load_quiz("00_start_here")
    types = [question.type for question in quiz.questions]
    assert "multiple_choice" in types and "many_choice" in types
    for question in quiz.questions:
        assert isinstance(question.question, dict) and set(question.question) == {"en", "fr"}


# --------------------------------------------------------------------------
# Malformed files.

GOOD_CHOICE = {
    "id": "run-a-cell",
    "type": "multiple_choice",
    "question": {"en": "How do you run a cell?", "fr": "Comment exécuter une cellule ?"},
    "answers": [
        {"answer": {"en": "Shift + Enter", "fr": "Maj + Entrée"}, "correct": True,
         "feedback": {"en": "It runs the cell.", "fr": "Elle exécute la cellule."}},
        {"answer": {"en": "Enter", "fr": "Entrée"}, "correct": False,
         "feedback": {"en": "That adds a line.", "fr": "Cela ajoute une ligne."}},
    ],
}
GOOD_NUMERIC = {
    "id": "how-many",
    "type": "numeric",
    "question": {"en": "How many?", "fr": "Combien ?"},
    "answers": [
        {"type": "value", "value": 7, "correct": True, "feedback": {"en": "Yes.", "fr": "Oui."}},
        {"type": "range", "range": [0, 6], "correct": False,
         "feedback": {"en": "More.", "fr": "Plus."}},
        {"type": "default", "feedback": {"en": "No.", "fr": "Non."}},
    ],
}


def write_quiz(tmp_path: Path, questions: object, *, name: str = "03_feed.yaml",
               schema_version: object = 1) -> Path:
    doc = {"schema_version": schema_version, "questions": questions}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def as_second_row(question: dict) -> list[dict]:
    """A good first question, then the one under test (so row numbers are checked)."""
    return [copy.deepcopy(GOOD_CHOICE if question["type"] == "numeric" else GOOD_NUMERIC),
            question]


def changed(base: dict, **changes: object) -> dict:
    question = copy.deepcopy(base)
    question.update(changes)
    return question


def with_answer(base: dict, index: int, **changes: object) -> dict:
    question = copy.deepcopy(base)
    answer = question["answers"][index]
    answer.update(changes)
    for key in [k for k, v in changes.items() if v is _DROP]:
        del answer[key]
    return question


_DROP = object()

CHOICE_3 = changed(GOOD_CHOICE, answers=GOOD_CHOICE["answers"] + bilingual([
    {"answer": "Double-click", "correct": False, "feedback": "That edits it."}]))


def english_only(question: dict) -> dict:
    """The same question with every text in English only."""

    def strip(value: object) -> object:
        if isinstance(value, dict) and set(value) <= {"en", "fr"} and "en" in value:
            return value["en"]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(copy.deepcopy(question))  # type: ignore[return-value]


MALFORMED = {
    "two correct in multiple_choice": (
        with_answer(GOOD_CHOICE, 1, correct=True), "answers", "exactly one"),
    "no correct in multiple_choice": (
        with_answer(GOOD_CHOICE, 0, correct=False), "answers", "no correct answer"),
    "missing feedback": (
        with_answer(GOOD_CHOICE, 1, feedback=_DROP), "answers", 'answer 2, "feedback" is missing'),
    "empty feedback": (
        with_answer(GOOD_CHOICE, 1, feedback="   "), "answers", '"feedback" must not be empty'),
    "empty French feedback": (
        with_answer(GOOD_CHOICE, 1, feedback={"en": "Fine.", "fr": ""}), "answers",
        '"feedback" must not be empty in "fr"'),
    "feedback without English": (
        with_answer(GOOD_CHOICE, 1, feedback={"fr": "Bien."}), "answers", 'has no "en:" text'),
    "feedback in an unknown language": (
        with_answer(GOOD_CHOICE, 1, feedback={"en": "Fine.", "de": "Gut."}), "answers",
        'has "de:", but the course speaks en and fr'),
    "correct written as text": (
        with_answer(GOOD_CHOICE, 1, correct="no"), "answers", '"correct" must be true or false'),
    "unknown field in an answer": (
        with_answer(GOOD_CHOICE, 1, hint="x"), "answers", '"hint" is not a known field'),
    "answer not a mapping": (
        changed(GOOD_CHOICE, answers=[GOOD_CHOICE["answers"][0], "Enter"]), "answers",
        "answer 2 must be a group"),
    "one option only": (
        changed(GOOD_CHOICE, answers=GOOD_CHOICE["answers"][:1]), "answers",
        "has only 1 answer, but a choice question offers 2 to 6"),
    "seven options": (
        changed(GOOD_CHOICE, answers=GOOD_CHOICE["answers"] + bilingual([
            {"answer": f"Option {n}", "correct": False, "feedback": "No."} for n in range(5)])),
        "answers", "has 7 answers"),
    "same option twice": (
        with_answer(CHOICE_3, 2, answer={"en": "enter", "fr": "Entrée"}),
        "answers", "same text"),
    "many_choice without a wrong answer": (
        changed(with_answer(GOOD_CHOICE, 1, correct=True), type="many_choice"), "answers",
        "only correct answers"),
    "many_choice without a right answer": (
        changed(with_answer(GOOD_CHOICE, 0, correct=False), type="many_choice"), "answers",
        "no correct answer"),
    "no default in numeric": (
        changed(GOOD_NUMERIC, answers=GOOD_NUMERIC["answers"][:2]), "answers",
        '"type: default"'),
    "default not last": (
        changed(GOOD_NUMERIC, answers=[GOOD_NUMERIC["answers"][i] for i in (0, 2, 1)]),
        "answers", '"type: default"'),
    "two defaults": (
        changed(GOOD_NUMERIC, answers=GOOD_NUMERIC["answers"] + GOOD_NUMERIC["answers"][2:]),
        "answers", "found at answers 3, 4"),
    "correct default": (
        with_answer(GOOD_NUMERIC, 2, correct=True), "answers", "cannot be correct"),
    "no correct value": (
        with_answer(GOOD_NUMERIC, 0, correct=False), "answers", "no correct value or range"),
    "overlapping ranges": (
        with_answer(GOOD_NUMERIC, 1, range=[5, 8]), "answers", "answers 1 and 2 overlap"),
    "range upside down": (
        with_answer(GOOD_NUMERIC, 1, range=[6, 0]), "answers",
        "answer 2: the range [6, 0] must go from low to high"),
    "range with three ends": (
        with_answer(GOOD_NUMERIC, 1, range=[0, 3, 6]), "answers", '"range" must have at most 2'),
    "range without range": (
        with_answer(GOOD_NUMERIC, 1, range=_DROP), "answers", 'needs "range: [low, high]"'),
    "value given as text": (
        with_answer(GOOD_NUMERIC, 0, value="seven"), "answers", '"value" must be a number'),
    "value without correct": (
        with_answer(GOOD_NUMERIC, 0, correct=_DROP), "answers", '"correct: true"'),
    "precision on a choice question": (
        changed(GOOD_CHOICE, precision=2), "precision", "only used by numeric"),
    "unknown type": (
        changed(GOOD_CHOICE, type="true_false"), "type", "must be one of multiple_choice"),
    "id not kebab-case": (
        changed(GOOD_CHOICE, id="Run_A_Cell"), "id", "kebab-case"),
    "empty question": (
        changed(GOOD_CHOICE, question=""), "question", "must not be empty"),
    "question as a number": (
        changed(GOOD_CHOICE, question=12), "question", "must be text"),
    "answers not a list": (
        changed(GOOD_CHOICE, answers="Shift + Enter"), "answers", "must be a list"),
    "missing answers": (
        {k: v for k, v in GOOD_CHOICE.items() if k != "answers"}, "answers", "is missing"),
    "unknown field in a question": (
        changed(GOOD_CHOICE, hint="x"), "hint", "not a known field"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_question_names_file_row_and_field(tmp_path, case) -> None:
    question, field, words = MALFORMED[case]
    path = write_quiz(tmp_path, as_second_row(question))
    with pytest.raises(DataFileError) as caught:
        read_quiz(path)
    error = caught.value
    assert (error.file, error.row, error.field) == ("03_feed.yaml", 2, field), str(error)
    message = str(error)
    assert message.startswith("03_feed.yaml, row 2"), message
    assert f'field "{field}"' in message and words in message, message
    assert "line " in message  # the row's line in the file, to find it quickly


def test_the_row_id_is_named_when_there_is_one(tmp_path) -> None:
    path = write_quiz(tmp_path, as_second_row(with_answer(GOOD_CHOICE, 1, correct=True)))
    with pytest.raises(DataFileError, match='row 2 \\(id "run-a-cell", line'):
        read_quiz(path)


def test_ids_must_be_unique(tmp_path) -> None:
    path = write_quiz(tmp_path, [GOOD_CHOICE, GOOD_NUMERIC, changed(GOOD_NUMERIC, type="numeric")])
    with pytest.raises(DataFileError) as caught:
        read_quiz(path)
    assert (caught.value.row, caught.value.field) == (3, "id")
    assert "already used by row 2" in str(caught.value)


def test_a_text_in_english_only_is_named_and_asks_for_french(tmp_path) -> None:
    untranslated = with_answer(GOOD_CHOICE, 1, feedback="That adds a line.")
    path = write_quiz(tmp_path, [GOOD_NUMERIC, untranslated])
    with pytest.raises(DataFileError) as caught:
        read_quiz(path)
    error = caught.value
    assert (error.file, error.row, error.row_id, error.field) == (
        "03_feed.yaml", 2, "run-a-cell", "answers")
    assert 'in answer 2, "feedback" is in one language only' in str(error)
    assert '"fr:"' in str(error)


def test_an_english_only_quiz_is_refused(tmp_path) -> None:
    """A learner who picked French must not meet an English quiz: every text is in both
    languages (the rule of ``core.content_types.TranslatedText``)."""
    path = write_quiz(tmp_path, [english_only(GOOD_CHOICE), english_only(GOOD_NUMERIC)])
    with pytest.raises(DataFileError, match='field "question": is in one language only'):
        read_quiz(path)


def test_overlaps_that_agree_are_allowed(tmp_path) -> None:
    numeric = changed(GOOD_NUMERIC, answers=[
        {"type": "range", "range": [6, 8], "correct": True, "feedback": "Close enough."},
        {"type": "value", "value": 7, "correct": True, "feedback": "Exactly."},
        {"type": "range", "range": [0, 5.5], "correct": False, "feedback": "More."},
        {"type": "default", "feedback": "No."},
    ])
    assert read_quiz(write_quiz(tmp_path, [bilingual(numeric)])).questions[0].answers[1].value == 7


def test_a_value_inside_a_range_of_the_other_kind_is_an_overlap(tmp_path) -> None:
    numeric = with_answer(GOOD_NUMERIC, 1, range=[7, 7.5])  # 7 is both right and wrong
    with pytest.raises(DataFileError, match="overlap"):
        read_quiz(write_quiz(tmp_path, [numeric]))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("schema_version: 1\nquestions:\n  - id: a\n   type: numeric\n", "not valid YAML"),
        ("schema_version: 1\nquestions: [\n", "not valid YAML"),
        ("questions: []\n", "schema_version"),
        ("schema_version: 1\nquestions: []\n", "at least one question"),
        ("schema_version: 1\nquestions:\n  id: a\n", "must be a list"),
        ("schema_version: 1\nquestions:\n  - id: a\n    id: b\n", "appears twice"),
    ],
    ids=["bad indentation", "unclosed list", "no schema_version", "no questions",
         "questions not a list", "field twice"],
)
def test_a_broken_file_is_reported_with_its_name(tmp_path, text, words) -> None:
    path = tmp_path / "03_feed.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=words) as caught:
        read_quiz(path)
    assert caught.value.file == "03_feed.yaml"
    assert str(caught.value).startswith("03_feed.yaml")


def test_bad_yaml_gives_the_line(tmp_path) -> None:
    path = tmp_path / "03_feed.yaml"
    path.write_text("schema_version: 1\nquestions:\n  - id: a\n   type: numeric\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_quiz(path)
    assert caught.value.line in (3, 4)


def test_an_unknown_lesson_suggests_the_quizzes_that_exist() -> None:
    with pytest.raises(KeyError, match="00_start_here"):
        load_quiz("00_start")
