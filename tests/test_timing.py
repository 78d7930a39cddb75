"""The timing estimate (``kit/timing``, ``data/timing.yaml``) and the promises it checks.

- the arithmetic, on a small fixture lesson whose every minute is counted by hand;
- the course's promises: no lesson (full or short), no agenda and no trainer-note segment
  with exercises or a quiz promises less time than the estimate says it needs.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tiktok_lab.core.schemas import ShortVersion
from tiktok_lab.course.syllabus import Lesson
from tiktok_lab.kit.lesson_source import read_source
from tiktok_lab.kit.timing import (ExerciseInfo, LessonContent, QuizInfo, SegmentInfo, Timing,
                                   course_estimates, estimate, load_timing, timing_report, words)
from tiktok_lab.kit.workshop.agendas import build_agenda, load_formats

ROOT = Path(__file__).resolve().parents[1]

# Round numbers, so each minute below can be checked by hand.
TIMING = Timing.model_validate({
    "nature": "assumption",
    "reading_words_per_minute": 100,
    "speaking_words_per_minute": 100,
    "room_question_minutes": 2,
    "short_room_questions": 1,
    "code_cell_minutes": 0.5,
    "output_minutes": {"chart": 2, "table": 1, "result": 0.5},
    "outputs": [{"kind": "widget", "pattern": r"\btl\.build_\w+\("},
                {"kind": "chart", "pattern": r"\btl\.make_\w*chart\("}],
    "widget_minutes": 1,
    "widget_step_minutes": 1,
    "step_verbs": ["move", "pick"],
    "exercise_minutes": {"equality": 3, "dataframe": 5, "function": 5, "reflection": 2},
    "quiz_answer_minutes": 0.5,
    "round_to_minutes": 5,
})

HUNDRED = " ".join(["word"] * 100)
FIFTY = " ".join(["word"] * 50)

SOURCE = f"""---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

+++ {{"id": "nav", "slideshow": {{"slide_type": "skip"}}}}

<!-- tiktok-lab:nav -->

+++ {{"id": "intro", "slideshow": {{"slide_type": "slide"}}}}

{HUNDRED}

```{{code-cell}}
---
id: chart
---
tl.make_users_chart()
```

+++ {{"id": "note-intro", "slideshow": {{"slide_type": "notes"}}, "tags": ["trainer-note"]}}

<!-- tiktok-lab:segment Intro -->

+++ {{"id": "widget-intro", "slideshow": {{"slide_type": "slide"}}}}

Move the slider and pick a topic.

```{{code-cell}}
---
id: widget
---
tl.build_pool_widget()
```

+++ {{"id": "ex-1-intro", "slideshow": {{"slide_type": "slide"}}}}

## One

```{{code-cell}}
---
id: ex-1-card
---
q1 = tl.exercise("99_test", "ex-one")
```

```{{code-cell}}
---
id: ex-1-check
tags: [exercise]
tiktok_lab:
  exercise: ex-one
---
q1.check()
```

+++ {{"id": "ex-2-intro", "slideshow": {{"slide_type": "slide"}}}}

## Two

```{{code-cell}}
---
id: ex-2-card
---
q2 = tl.exercise("99_test", "ex-two")
```

```{{code-cell}}
---
id: ex-2-check
tags: [exercise]
tiktok_lab:
  exercise: ex-two
---
q2.check()
```

+++ {{"id": "note-exercises", "slideshow": {{"slide_type": "notes"}}, "tags": ["trainer-note"]}}

<!-- tiktok-lab:segment Exercises -->

+++ {{"id": "quiz-intro", "slideshow": {{"slide_type": "slide"}}}}

## Quiz

```{{code-cell}}
---
id: quiz
---
tl.quiz("99_test")
```
"""


def fixture_lesson(tmp_path: Path, **short: object) -> LessonContent:
    path = tmp_path / "99_test.md"
    path.write_text(SOURCE, encoding="utf-8")
    version = ShortVersion.model_validate({
        "teaching_minutes": 10, "exercise_minutes": 5, "exercises": ["ex-one"],
        "objectives": [1], "skip": [{"en": "The widget", "fr": "Le widget"}], "skip_cells": ["widget-intro"],
        **short})
    lesson = Lesson(id="99_test", number=99, title="Test", goal="Test.", article_section=None,
                    questions=[], objectives=["Test"], key_points=[], teaching_minutes=15,
                    exercise_minutes=10, short=version)
    return LessonContent(
        lesson, read_source(path).cells,
        exercises={"ex-one": ExerciseInfo("equality", FIFTY),
                   "ex-two": ExerciseInfo("reflection", FIFTY)},
        quiz=[QuizInfo("q1", 50), QuizInfo("q2", 50)],
        segments=[SegmentInfo("Intro", 5, HUNDRED, questions=2),
                  SegmentInfo("Exercises", 5, FIFTY, questions=1, exercises=("ex-one", "ex-two"))])


def test_words_are_counted_as_read() -> None:
    assert words("Growth is the new value, minus 1: 1,000 users.") == 9
    assert words("<!-- tiktok-lab:nav -->") == 0
    assert words("## {exercise}`growth`: compute it") == 4  # "Exercise N: compute it"


def test_the_full_lesson_adds_up_part_by_part(tmp_path: Path) -> None:
    full = estimate(fixture_lesson(tmp_path), TIMING, "full")
    kinds = full.by_kind()
    assert kinds["prose"] == pytest.approx((100 + 7 + 1 + 1 + 1) / 100)  # intro, widget, headings
    assert kinds["code"] == pytest.approx(1.0)          # the chart and the widget cells
    assert kinds["chart"] == pytest.approx(2)
    assert kinds["widget"] == pytest.approx(1 + 2 * 1)  # "Move" and "pick": two steps
    assert kinds["exercise"] == pytest.approx((0.5 + 3) + (0.5 + 2))  # task read, then by kind
    assert kinds["quiz"] == pytest.approx(2 * (0.5 + 0.5))
    assert kinds["talk"] == pytest.approx(1 + 0.5)
    assert kinds["room_question"] == pytest.approx(3 * 2)
    assert full.teaching == pytest.approx(1.1 + 1 + 2 + 3 + 1.5 + 6)
    assert full.exercises == pytest.approx(6 + 2)
    assert (full.rounded(full.teaching), full.rounded(full.exercises)) == (15, 10)
    # A cell counts in the segment of the next note (the widget's), the quiz after the last
    # note in the last segment.
    assert full.by_segment() == pytest.approx({
        "Intro": 1 + 2.5 + 1 + 4,
        "Exercises": 0.07 + 3.5 + 0.03 + 6 + 2 + 0.5 + 2})


def test_the_short_version_leaves_out_what_short_says(tmp_path: Path) -> None:
    short = estimate(fixture_lesson(tmp_path), TIMING, "short")
    kinds = short.by_kind()
    assert "widget" not in kinds                    # skip_cells names its slide
    assert "quiz" not in kinds                      # quiz: false
    assert kinds["exercise"] == pytest.approx(3.5)  # only ex-one
    assert kinds["room_question"] == pytest.approx(2)  # one question a lesson
    assert short.teaching == pytest.approx(1.01 + 0.5 + 2 + 1.5 + 2)
    with_quiz = estimate(fixture_lesson(tmp_path, quiz=True), TIMING, "short")
    assert with_quiz.exercises == pytest.approx(3.5 + 2)


def test_a_skipped_cell_that_does_not_exist_is_named(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no-such-cell"):
        estimate(fixture_lesson(tmp_path, skip_cells=["no-such-cell"]), TIMING, "short")


# ------------------------------------------------------------------ the course's promises


@pytest.fixture(scope="module")
def estimates():
    return course_estimates(ROOT)


def _too_short(one) -> str | None:
    teaching, exercises = one.promised
    if teaching < one.teaching or exercises < one.exercises:
        return (f"{one.lesson.id} ({one.version}) promises {teaching} + {exercises} minutes, "
                f"but needs {one.teaching:.1f} + {one.exercises:.1f}: write "
                f"{one.rounded(one.teaching)} + {one.rounded(one.exercises)} in "
                f"data/lessons/{one.lesson.id}.yaml (see `tiktok-lab timing`)")
    return None


def test_no_lesson_promises_less_time_than_it_needs(estimates) -> None:
    problems = [_too_short(one) for pair in estimates for one in pair if one is not None]
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


def test_no_agenda_gives_a_lesson_less_time_than_it_needs(estimates) -> None:
    needed = {full.lesson.id: {"full": full.total, "deep": full.total,
                               "short": short.total if short else math.inf}
              for full, short in estimates}
    problems = []
    for fmt in load_formats():
        for item in build_agenda(fmt).placed():
            want = needed[item.lesson.id][item.version]
            if item.minutes < want:
                problems.append(f"{fmt.id}: {item.lesson.id} ({item.version}) has "
                                f"{item.minutes} minutes, needs {want:.1f}")
    assert not problems, "\n".join(problems)


def test_trainer_segments_leave_time_for_their_exercises_and_quiz(estimates) -> None:
    from tiktok_lab.kit.timing import lesson_segments

    problems = []
    for full, _ in estimates:
        planned = {s.title: s.minutes for s in lesson_segments(full)}
        practice: dict[str, float] = {}
        for part in full.parts:
            if part.kind in ("exercise", "quiz") and part.segment:
                practice[part.segment] = practice.get(part.segment, 0) + part.minutes
        for title, minutes in practice.items():
            if planned[title] < math.floor(minutes):
                problems.append(f"{full.lesson.id}, segment {title!r}: {planned[title]} minutes "
                                f"for {minutes:.1f} minutes of exercises or quiz")
    assert not problems, "\n".join(problems)


def test_the_report_names_every_lesson_and_its_assumptions() -> None:
    report = timing_report(ROOT)
    for full, _ in course_estimates(ROOT):
        assert f"| {full.lesson.id} | full |" in report
    assert f"{load_timing().reading_words_per_minute} words a minute" in report
