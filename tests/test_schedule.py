"""The workshop schedule: breaks placed by rule, and the committed page kept fresh."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tiktok_lab.cli.main import main
from tiktok_lab.core.datafiles import DataFileError
from tiktok_lab.course.syllabus import load_lessons
from tiktok_lab.core.i18n import speaking
from tiktok_lab.kit.workshop.schedule import (WorkshopSettings, build_schedule_markdown,
                                              load_workshop_settings, plan_schedule,
                                              schedule_markdown)

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = WorkshopSettings(start_time="09:00", max_block_minutes=60, break_minutes=10)


def _lessons(*minutes: int):
    template = load_lessons()[0]
    return [replace(template, id=f"{n:02d}_x", number=n, teaching_minutes=m, exercise_minutes=0)
            for n, m in enumerate(minutes)]


def test_breaks_go_between_lessons_before_a_block_gets_too_long() -> None:
    slots = plan_schedule(_lessons(25, 25, 25, 25), SETTINGS)
    kinds = ["B" if s.is_break else "L" for s in slots]
    assert kinds == ["L", "L", "B", "L", "L"]
    assert [(s.start, s.end) for s in slots] == [(0, 25), (25, 50), (50, 60), (60, 85), (85, 110)]


def test_a_lesson_longer_than_a_block_is_never_cut_and_never_opens_with_a_break() -> None:
    slots = plan_schedule(_lessons(90, 10), SETTINGS)
    assert [s.is_break for s in slots] == [False, True, False]
    assert slots[0].end - slots[0].start == 90


def test_every_lesson_appears_once_in_order_and_times_add_up() -> None:
    lessons = load_lessons()
    slots = plan_schedule(lessons, load_workshop_settings())
    assert [s.lesson.id for s in slots if s.lesson] == [lesson.id for lesson in lessons]
    assert all(a.end == b.start for a, b in zip(slots, slots[1:]))
    breaks = sum(s.end - s.start for s in slots if s.is_break)
    assert slots[-1].end == sum(lesson.minutes for lesson in lessons) + breaks


def test_markdown_shows_times_from_the_start_and_objectives() -> None:
    """The full course is no day plan: its times count from its start, not from 09:00."""
    lessons = _lessons(50, 20)
    page = schedule_markdown(plan_schedule(lessons, SETTINGS), SETTINGS)
    assert "| 0:00–0:50 |" in page and "| 0:50–1:00 | *Break* |" in page
    assert "| 1:00–1:20 |" in page
    assert "09:00" not in page
    assert lessons[0].objectives[0] in page
    assert "80 minutes in all: 70 of teaching, 0 of exercises and 10 of breaks." in page


def test_committed_schedule_is_fresh(capsys) -> None:
    """workshop/schedule.md (and workshop/fr/schedule.md) must be rebuilt whenever lesson
    minutes change."""
    assert main(["build", "schedule", "--check"]) == 0, capsys.readouterr().out
    assert (ROOT / "workshop" / "schedule.md").read_text(encoding="utf-8").startswith(
        "# Running order of the full course")
    assert (ROOT / "workshop" / "fr" / "schedule.md").read_text(
        encoding="utf-8").startswith("# Déroulé de référence du cours complet")


def test_the_french_schedule_speaks_french_and_opens_the_french_notebooks() -> None:
    with speaking("fr"):
        page, lessons = build_schedule_markdown(), load_lessons()
    assert "| Depuis le début | Leçon |" in page and "| *Pause* |" in page
    assert "*Break*" not in page and "By the end, participants can" not in page
    for lesson in lessons:
        assert f"[{lesson.number:02d} {lesson.title}](../../notebooks/fr/{lesson.notebook})" in page
        assert (ROOT / "notebooks" / "fr" / lesson.notebook).is_file()
        assert lesson.objectives[0] in page


def test_build_check_reports_a_stale_schedule(tmp_path, monkeypatch, capsys) -> None:
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    (course / "notebooks" / "00_start_here.ipynb").write_text("{}")
    (course / "workshop").mkdir()
    (course / "workshop" / "schedule.md").write_text("# old\n")
    monkeypatch.chdir(course)
    assert main(["build", "schedule", "--check"]) == 1
    out = capsys.readouterr().out
    assert "out of date: workshop/schedule.md" in out
    assert "out of date: workshop/fr/schedule.md" in out
    assert main(["build", "schedule"]) == 0
    assert main(["build", "schedule", "--check"]) == 0


@pytest.mark.parametrize("body, field", [
    ('start_time: "25:00"\n  max_block_minutes: 60\n  break_minutes: 10', "start_time"),
    ('start_time: "09:00"\n  max_block_minutes: 5\n  break_minutes: 10', "max_block_minutes"),
    ('start_time: "09:00"\n  max_block_minutes: 60', "break_minutes"),
])
def test_bad_workshop_settings_name_the_field(tmp_path, body: str, field: str) -> None:
    path = tmp_path / "workshop.yaml"
    path.write_text(f"schema_version: 1\nworkshop:\n  {body}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=f'"{field}"'):
        load_workshop_settings(path)


@pytest.mark.parametrize("language, length, day", [
    ("en", "{total} minutes ({hours} h {minutes})", "does not fit in a training day"),
    ("fr", "{total} minutes ({hours}\u00a0h\u00a0{minutes})", "ne tient pas dans une journée"),
])
def test_the_schedule_states_the_computed_length_and_sends_a_day_to_the_full_day_agenda(
        language: str, length: str, day: str) -> None:
    """565 minutes of lessons run 09:00 to past 19:00 without lunch: the page says the course is
    no day, gives its length computed from the lessons, and links the full-day agenda."""
    with speaking(language):
        page = build_schedule_markdown()
    total = sum(lesson.minutes for lesson in load_lessons())
    assert length.format(total=total, hours=total // 60, minutes=f"{total % 60:02d}") in page
    assert day in page and "](agendas/full-day.md)" in page
    assert "| 0:00–" in page and "09:00" not in page
