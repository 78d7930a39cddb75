"""What the trainer's view counts (room/room_summary.py): per question the room's last
answers, progress per lesson, the exercises the room is stuck on, the strategies, and the
summary kept at the end (without names)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tiktok_lab.course.quizzes import load_quiz, read_quiz
from tiktok_lab.room import room_summary
from tiktok_lab.room.share_file import SharedAnswer, SharedLesson, SharedProgress, SharedQuiz

from tests.test_room_share_file import WHEN, a_share

QUIZ = load_quiz("03_feed")
FIRST = QUIZ.questions[0]
RIGHT = next(i for i, a in enumerate(FIRST.answers) if a.correct)
WRONG = next(i for i, a in enumerate(FIRST.answers) if not a.correct)


def participant(n: int, **values):
    return a_share(participant=f"{n:032x}", name=values.pop("name", f"P{n}"),
                   updated_at=WHEN + timedelta(minutes=n), **values)


def answered(*choices):
    return {"03_feed": SharedQuiz(answers={FIRST.id: SharedAnswer(
        correct=choices == (RIGHT,), choice=list(choices))})}


def test_each_option_counts_the_participants_who_chose_it_in_the_quiz_files_order():
    shares = [participant(1, quizzes=answered(RIGHT)), participant(2, quizzes=answered(RIGHT)),
              participant(3, quizzes=answered(WRONG)), participant(4, quizzes={})]
    tally = room_summary.quiz_tallies(shares, "03_feed")[0]
    assert [o.label for o in tally.options] == [a.answer["en"] for a in FIRST.answers]
    counts = {i: o.count for i, o in enumerate(tally.options)}
    assert counts[RIGHT] == 2 and counts[WRONG] == 1 and sum(counts.values()) == 3
    assert [o.correct for o in tally.options] == [a.correct for a in FIRST.answers]
    assert (tally.answered, tally.right) == (3, 2)
    assert room_summary.quiz_tallies(shares, "03_feed")[1].answered == 0


def test_an_answer_to_an_option_the_course_no_longer_has_is_not_counted():
    tally = room_summary.quiz_tallies([participant(1, quizzes=answered(99))], "03_feed")[0]
    assert sum(o.count for o in tally.options) == 0 and tally.answered == 1


def test_a_number_question_is_counted_by_the_quiz_files_own_answer_rows(monkeypatch):
    from pathlib import Path

    quiz = read_quiz(Path(__file__).parent / "quiz_fixture" / "00_start_here.yaml")
    question = next(q for q in quiz.questions if q.type == "numeric")
    monkeypatch.setattr(room_summary, "load_quiz", lambda lesson_id: quiz)
    right = next(a for a in question.answers if a.correct)
    value = right.value if right.type == "value" else right.range[0]
    shares = [participant(n, quizzes={"00_start_here": SharedQuiz(answers={question.id: (
        SharedAnswer(correct=n < 2, number=value if n < 2 else 123456.0))})}) for n in range(3)]
    tally = next(t for t in room_summary.quiz_tallies(shares, "00_start_here")
                 if t.id == question.id)
    counted = {o.label: o.count for o in tally.options}
    assert counted[room_summary.t("room.quiz.other_number")] == 1
    assert sum(counted.values()) == 3
    assert sum(o.count for o in tally.options if o.correct) == 2


def test_progress_per_lesson_counts_opened_and_finished_among_those_sharing_it():
    done = SharedLesson(opened=True, exercises=1, solved=1, questions=2, right=2)
    half = SharedLesson(opened=True, exercises=1, solved=0, questions=2, right=2)
    shares = [participant(1, progress=SharedProgress(lessons={"03_feed": done})),
              participant(2, progress=SharedProgress(lessons={"03_feed": half})),
              participant(3)]  # shares a quiz only: not counted in progress
    row = next(r for r in room_summary.progress_by_lesson(shares) if r.lesson_id == "03_feed")
    assert (row.sharing, row.opened, row.finished) == (2, 2, 1)


def test_the_most_unsuccessful_exercises_come_first_with_how_many_people_tried():
    def stuck(**counts):
        return SharedProgress(unsuccessful={f"03_feed/{k.replace('_', '-')}": v
                                            for k, v in counts.items()})

    shares = [participant(1, progress=stuck(slow_tutorial=4, biggest_term=1)),
              participant(2, progress=stuck(slow_tutorial=1, stalled_video=2)),
              participant(3, progress=stuck(stalled_video=3, biggest_term=1))]
    rows = room_summary.stuck_exercises(shares, top=2)
    assert [(r.exercise_id, r.unsuccessful, r.participants) for r in rows] == [
        ("slow-tutorial", 5, 2), ("stalled-video", 5, 2)]
    assert rows[0].label == ("Lesson 03, exercise 1: What do you change for the new version?")
    assert room_summary.stuck_exercises(shares, top=5)[2].exercise_id == "biggest-term"


def test_an_exercise_the_course_no_longer_has_is_named_by_its_ids():
    shares = [participant(1, progress=SharedProgress(unsuccessful={"03_feed/gone-now": 2}))]
    assert room_summary.stuck_exercises(shares)[0].label == "03_feed · gone-now"


def test_the_gallery_numbers_anonymous_strategies_in_the_order_shared():
    shares = [participant(1, name=None, strategy={"brand": "Tisanes"}),
              participant(2, strategy={"brand": "Velo"}),
              participant(3, name=None, strategy={"brand": "Café"}),
              participant(4)]
    gallery = room_summary.shared_strategies(shares)
    assert [(g.shown_as, g.strategy.brand) for g in gallery] == [
        ("Anonymous 1", "Tisanes"), ("P2", "Velo"), ("Anonymous 2", "Café")]


def test_the_summary_keeps_results_not_names_and_makes_typed_text_inert():
    shares = [participant(1, name="Anne Secret", quizzes=answered(RIGHT),
                          strategy={"brand": "[click](http://evil.example) <img src=x>",
                                    "objective": "Sell *more*"}),
              participant(2, name="Bob Secret", quizzes=answered(WRONG))]
    text = room_summary.summary_markdown(shares, class_name="Lyon, 7 December")
    assert "Secret" not in text
    assert "Lyon, 7 December" in text.splitlines()[0]
    assert "(2 answers, 1 right)" in text and "first answers" in text
    assert FIRST.answers[RIGHT].answer["en"] + " ✓: 1" in text
    assert "\\[click\\]\\(http://evil" in text and "\\<img src=x\\>" in text
    assert "](http" not in text


def test_the_french_summary_is_french():
    text = room_summary.summary_markdown([participant(1, quizzes=answered(RIGHT))],
                                         language="fr")
    assert text.startswith("# Bilan de la formation")
    assert "Quiz de la leçon 03" in text
    assert FIRST.answers[RIGHT].answer["fr"] in text


@pytest.mark.parametrize("lesson", ["00_start_here", "07_my_strategy"])
def test_every_question_of_a_real_quiz_can_be_tallied_in_both_languages(lesson):
    for language in ("en", "fr"):
        tallies = room_summary.quiz_tallies([], lesson, language=language)
        assert len(tallies) == len(load_quiz(lesson).questions)
        assert all(t.options for t in tallies)


def test_first_answers_are_counted_by_default_and_last_answers_on_request():
    retried = {"03_feed": SharedQuiz(answers={FIRST.id: SharedAnswer(
        correct=True, choice=[RIGHT], first_correct=False, first_choice=[WRONG])})}
    shares = [participant(1, quizzes=retried), participant(2, quizzes=answered(RIGHT))]
    first = room_summary.quiz_tallies(shares, "03_feed")[0]
    assert (first.options[WRONG].count, first.options[RIGHT].count, first.right) == (1, 1, 1)
    last = room_summary.quiz_tallies(shares, "03_feed", first=False)[0]
    assert (last.options[WRONG].count, last.options[RIGHT].count, last.right) == (0, 2, 2)
