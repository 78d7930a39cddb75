"""Every exercise proves itself (Kaggle learntools' idea, automated).

For each file in ``data/exercises/`` (a new lesson's file is covered without
editing this test): the solution is judged correct (or recorded), each wrong
answer is judged "not yet" with its own message, the starter left unchanged is
"not attempted", and the content a learner reads is complete. Decision exercises
(``kind: decision``, no code) prove that each option gets its own feedback; open answers
(``kind: open``) that each rubric element can be found and has its own feedback.
"""

from __future__ import annotations

import re

import pytest

from tiktok_lab.course.exercises import (
    Exercise,
    code_exercises,
    exercise_lesson_ids,
    load_exercises,
    run_code,
)
from tiktok_lab.core.i18n import localized
from tiktok_lab.core.paths import find_course_root
from tiktok_lab.course.decisions import Decision
from tiktok_lab.course.open_answers import OpenAnswer
from tiktok_lab.course.syllabus import load_lessons

LESSON_IDS = exercise_lesson_ids()

pytestmark = pytest.mark.usefixtures("fresh_learner")


def _where(exercise: Exercise | Decision) -> str:
    return f"{exercise.lesson_id}.yaml, exercise {exercise.id}"


def test_there_are_exercise_files() -> None:
    assert "00_start_here" in LESSON_IDS


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_file_belongs_to_a_lesson_and_loads(lesson_id: str) -> None:
    assert lesson_id in {lesson.id for lesson in load_lessons()}, (
        f"data/exercises/{lesson_id}.yaml: no lesson has this id (see data/lessons/)"
    )
    assert load_exercises(lesson_id), f"{lesson_id}.yaml has no exercises"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_solution_is_judged_right(lesson_id: str) -> None:
    for exercise in code_exercises(lesson_id):
        exercise.expected()  # raises ExerciseBrokenError, with the reason, if the solution fails
        verdict = exercise.check(namespace=run_code(exercise.row.solution))
        wanted = "recorded" if exercise.kind == "reflection" else "correct"
        assert verdict.status == wanted, f"{_where(exercise)}: the solution gives {verdict}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_wrong_answer_gets_its_own_message(lesson_id: str, language: str,
                                                 monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    for exercise in code_exercises(lesson_id):
        for number, wrong in enumerate(exercise.row.wrong_answers, start=1):
            verdict = exercise.check(namespace=run_code(wrong.code))
            assert verdict.status == "not_yet", (
                f"{_where(exercise)}, wrong answer {number} gives {verdict}")
            assert verdict.message == localized(wrong.message, language=language), (
                f"{_where(exercise)}, wrong answer {number} gets another message: {verdict}")
        if exercise.kind == "reflection":
            verdict = exercise.check(namespace={exercise.variable: "TikTok"})
            assert verdict.status == "not_yet", f"{_where(exercise)}: one word gives {verdict}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_starter_left_unchanged_is_not_attempted(lesson_id: str) -> None:
    for exercise in code_exercises(lesson_id):
        verdict = exercise.check(namespace=run_code(exercise.row.starter))
        assert verdict.status == "not_attempted", f"{_where(exercise)}: the starter gives {verdict}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_wrong_answer_messages_and_hints_do_not_give_the_answer_away(lesson_id: str) -> None:
    for exercise in code_exercises(lesson_id):
        if exercise.kind != "equality":
            continue
        answer = exercise.expected()
        if isinstance(answer, (int, float, str)) and not isinstance(answer, bool):
            shown = re.compile(rf"(?<![\w.]){re.escape(str(answer))}(?![\w])")
            texts = [localized(w.message, language=lang) for w in exercise.row.wrong_answers
                     for lang in ("en", "fr")]
            texts += exercise.hints("en") + exercise.hints("fr")
            for text in texts:
                assert not shown.search(text), f"{_where(exercise)}: {text!r} gives the answer"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_exercise_has_hints_and_wrong_answers(lesson_id: str) -> None:
    """(A text not given in English and French is refused by the loader: TranslatedText.)"""
    for exercise in code_exercises(lesson_id):
        row = exercise.row
        assert len(row.hints) >= 2, f"{_where(exercise)}: give at least two graded hints"
        if exercise.kind != "reflection":
            assert len(row.wrong_answers) >= 1, f"{_where(exercise)}: add a plausible wrong answer"


def _decisions(lesson_id: str) -> list[Decision]:
    return [e for e in load_exercises(lesson_id) if isinstance(e, Decision)]


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_decision_option_gets_its_own_feedback(lesson_id: str, language: str) -> None:
    """Exactly one option is the strongest (the loader refuses two), and each choice is told
    something of its own: a weaker one what a stronger choice looks like, the strongest why."""
    for decision in _decisions(lesson_id):
        results = [decision.judge(option.id, language) for option in decision.options]
        assert [r.status for r in results].count("correct") == 1, _where(decision)
        feedback = [r.feedback for r in results]
        assert len(set(feedback)) == len(feedback), f"{_where(decision)}: feedback repeated"
        assert any(option.verdict == "weaker" for option in decision.options), (
            f"{_where(decision)}: give at least one weaker option, a mistake a marketer makes")
        texts = [localized(option.text, language=language) for option in decision.options]
        assert len(set(texts)) == len(texts), f"{_where(decision)}: two options read the same"
        for result in results:
            assert result.headline and result.next_step and result.feedback
            assert result.note == decision.nature_note(language)


def _open_answers(lesson_id: str) -> list[OpenAnswer]:
    return [e for e in load_exercises(lesson_id) if isinstance(e, OpenAnswer)]


# A phrase each detector must find (what an author may rely on).
_DETECTED = {"number": "three", "deadline": "within 24 hours", "percentage": "5 %"}


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_open_answer_element_can_be_found_and_has_its_own_feedback(
        lesson_id: str, language: str) -> None:
    """Each element of a rubric is met by its own words (or its detector) and by nothing
    else's, so the feedback names exactly what is missing; an answer of filler words misses
    every element; labels and feedback are never repeated."""
    for item in _open_answers(lesson_id):
        filler = " ".join(["blah"] * item.row.min_words)
        empty = item.judge(filler, language)
        assert empty.status == "not_yet" and not any(e.met for e in empty.elements), (
            f"{_where(item)}: filler words meet an element")
        for element in item.rubric:
            said = (element.look_for.en[0].rstrip("*") if element.look_for
                    else _DETECTED[element.detector])
            result = item.judge(f"{filler} {said}", language)
            met = [e.id for e in result.elements if e.met]
            assert element.id in met, f"{_where(item)}: {element.id} not found in {said!r}"
        labels = item.labels(language)
        missing = [localized(e.missing, language=language) for e in item.rubric]
        assert len(set(labels)) == len(labels), f"{_where(item)}: two labels read the same"
        assert len(set(missing)) == len(missing), f"{_where(item)}: feedback repeated"
        assert item.hint(language) not in labels


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_main_path_is_code_free(lesson_id: str) -> None:
    """A participant who never types Python completes every graded item of the main path:
    every exercise outside the data corner is a decision or an open answer."""
    from tiktok_lab.course.exercises import is_data_corner, load_exercise_rows

    typed = [f"{row.id} ({row.kind})" for row in load_exercise_rows(lesson_id)
             if not is_data_corner(row) and row.kind not in ("decision", "open")]
    assert not typed, f"{lesson_id}: on the main path, answered in code: {', '.join(typed)}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_lesson_practises_at_least_two_decisions(lesson_id: str) -> None:
    """The course trains judgement: each lesson puts at least two decisions (a brief, options,
    feedback on each) on its main path, and decisions are at least half of what it grades."""
    from tiktok_lab.course.exercises import main_path

    graded = main_path(lesson_id)
    decisions = [item.id for item in graded if item.kind == "decision"]
    assert len(decisions) >= 2, f"{lesson_id}: only {len(decisions)} decision(s) on the main path"
    assert 2 * len(decisions) >= len(graded), f"{lesson_id}: fewer decisions than other items"


def _source_cells(lesson_id: str) -> list[dict]:
    from tiktok_lab.kit.lesson_source import SUFFIX, read_source, source_folder

    return read_source(source_folder(find_course_root()) / f"{lesson_id}{SUFFIX}").cells


def _opened_exercise(cell: dict) -> str | None:
    """The exercise a code cell belongs to: its card (``tl.exercise(...)``) or its check cell."""
    from tiktok_lab.kit.lesson_source import exercise_id
    from tiktok_lab.kit.timing import EXERCISE_CALL

    if cell.get("cell_type") != "code":
        return None
    card = EXERCISE_CALL.search(cell.get("source", ""))
    return exercise_id(cell) or (card.group(1) if card else None)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_data_corner_is_tagged_and_comes_after_the_main_path(lesson_id: str) -> None:
    """An optional code exercise (``data_corner: true``) sits in the lesson's data corner:
    each of its cells tagged ``data-corner`` (so the timing and the short formats leave it
    out), and the corner after every main-path exercise; a main-path cell is never tagged."""
    from tiktok_lab.course.exercises import is_data_corner, load_exercise_rows

    corner = {row.id for row in load_exercise_rows(lesson_id) if is_data_corner(row)}
    last_main = first_corner = None
    for index, cell in enumerate(_source_cells(lesson_id)):
        tagged = "data-corner" in cell.get("metadata", {}).get("tags", [])
        opened = _opened_exercise(cell)
        if opened is not None:
            assert tagged == (opened in corner), (
                f"{lesson_id}: the cell of exercise {opened} "
                + ("needs" if opened in corner else "must not have") + " the data-corner tag")
            if opened not in corner:
                last_main = index
        if tagged and first_corner is None:
            first_corner = index
    if first_corner is not None and last_main is not None:
        assert first_corner > last_main, f"{lesson_id}: the data corner comes after the main path"


def _strictly_longest(right: str, others: list[str]) -> bool:
    return all(len(right) > len(other) for other in others)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_strongest_option_is_not_given_away_by_its_length(lesson_id: str) -> None:
    """A participant who always picks the longest, most detailed option must not win: in a
    lesson, the strongest option of a decision (and the right answer of a one-answer quiz
    question) is the longest one in at most half of them, in English and in French."""
    from tiktok_lab.course.quizzes import load_quiz, quiz_files

    for language in ("en", "fr"):
        decisions = _decisions(lesson_id)
        longest = [d.id for d in decisions if _strictly_longest(
            d.strongest.text[language],
            [o.text[language] for o in d.options if o.id != d.strongest.id])]
        assert len(longest) <= len(decisions) // 2, (
            f"{lesson_id} ({language}): the strongest option is the longest in "
            f"{len(longest)} of {len(decisions)} decisions ({', '.join(longest)}): give the "
            "weaker options the same concrete detail, or shorten the strongest")
        if not any(path.name == f"{lesson_id}.yaml" for path in quiz_files()):
            continue
        single = [q for q in load_quiz(lesson_id).questions if q.type == "multiple_choice"
                  and sum(1 for a in q.answers if a.correct) == 1]
        longest = [q.id for q in single if _strictly_longest(
            next(a for a in q.answers if a.correct).answer[language],
            [a.answer[language] for a in q.answers if not a.correct])]
        assert len(longest) <= len(single) // 2, (
            f"{lesson_id} quiz ({language}): the right answer is the longest in "
            f"{len(longest)} of {len(single)} questions ({', '.join(longest)})")
