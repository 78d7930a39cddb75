"""The start notebook's widgets, driven headlessly (set values, click, upload)."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tiktok_lab.course.course_plan import make_path_chart, path_minutes
from tiktok_lab.course.syllabus import load_lessons
from tiktok_lab.work.store import get_store
from tiktok_lab.ui import start
from tiktok_lab.core.charts import caption_text

ROOT = Path(__file__).resolve().parents[1]
EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def learner(fresh_learner, monkeypatch):
    """A fresh learner with no room language, working in the course's notebooks folder."""
    monkeypatch.delenv("TIKTOK_LAB_LANG")
    monkeypatch.chdir(ROOT / "notebooks")


def test_language_buttons_switch_and_remember_the_language() -> None:
    box = start.choose_language()
    picker, message = box.children
    assert picker.value == "en"
    picker.value = "fr"
    assert "français" in message.value.lower()
    assert get_store().read("settings") == {"language": "fr"}
    ready = start.start_lesson("03_feed").data
    assert "Prêt" in ready and "Comment le fil Pour toi choisit les vidéos" in ready
    assert "How the For You feed" not in ready


def test_the_course_path_and_its_chart_speak_the_language_spoken() -> None:
    from tiktok_lab.core.i18n import speaking

    with speaking("fr"):
        markup = start.course_path().data
        labels = set(path_minutes()["lesson"])
    assert "Commencer ici" in markup and "Start here" not in markup
    assert "Vérifier que tout fonctionne" in markup
    assert "00 Commencer ici" in labels and "06 La publicité sur TikTok" in labels


def test_start_lesson_records_the_visit_and_shows_damaged_files_once(tmp_path) -> None:
    home = get_store().home
    home.mkdir(parents=True)
    (home / "progress.json").write_text("{half a file", encoding="utf-8")
    first = start.start_lesson("00_start_here").data
    assert "could not be read" in first and "Ready" in first
    assert "could not be read" not in start.start_lesson("00_start_here").data
    lessons = get_store().read("progress")["lessons"]
    assert lessons["00_start_here"]["opened_at"] <= lessons["00_start_here"]["last_opened_at"]


def test_setup_table_lists_every_check_with_a_verdict() -> None:
    markup = start.check_setup().data
    for check in ("Python", "Libraries", "Widgets in JupyterLab", "Charts offline",
                  "Course notebooks", "Saving your work"):
        assert check in markup
    assert "Everything is ready" in markup


def test_course_path_links_only_the_notebooks_that_exist() -> None:
    markup = start.course_path().data
    present = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    for lesson in load_lessons():
        link = f'href="{lesson.notebook}"'
        assert (link in markup) == (lesson.notebook in present), lesson.id
    total = sum(lesson.minutes for lesson in load_lessons())
    assert f"{total} minutes in all" in markup


def test_path_chart_adds_up_the_lesson_minutes() -> None:
    lessons = load_lessons()
    data = path_minutes(lessons)
    assert data["minutes"].sum() == sum(lesson.minutes for lesson in lessons)
    spec = make_path_chart(lessons).to_dict()
    assert spec["title"]["text"] == f"The course in {data['minutes'].sum()} minutes"
    assert "lesson plan" in caption_text(spec)
    assert spec["description"].startswith(f"Horizontal bar chart of the {len(lessons)} lessons")


def test_progress_shows_opened_lessons_then_solved_items() -> None:
    from tiktok_lab.course import progress_log, progress_report
    from tiktok_lab.course.exercises import load_exercises, main_path
    from tiktok_lab.course.quizzes import load_quiz

    start.start_lesson("00_start_here")
    markup = start.progress().data
    assert re.search(r"00 Start here</td><td[^>]*>\d+</td><td[^>]*>opened", markup)
    assert markup.count("not started") == len(load_lessons()) - 1
    exercises = main_path("00_start_here")  # the data corner does not count
    corner = [e for e in load_exercises("00_start_here") if e not in exercises]
    assert corner, "lesson 00 shows how a data corner works"
    questions = load_quiz("00_start_here").questions
    assert re.search(rf">0/{len(exercises)}</td><td[^>]*>0/{len(questions)}</td>", markup)
    assert "Your progress: 0 of" in markup, "the chart comes with the table"

    for exercise in exercises + corner:
        progress_log.record_check("00_start_here", exercise.id, "correct")
    for question in questions:
        progress_log.record_quiz("00_start_here", question.id, True)
    progress_log.record_check("00_start_here", "an-exercise-that-was-removed", "correct")
    markup = start.progress().data
    assert re.search(r"00 Start here</td><td[^>]*>\d+</td><td[^>]*>done", markup)
    done = len(exercises) + len(questions)
    planned = sum(sum(progress_report.planned_items(lesson.id)) for lesson in load_lessons())
    assert f"Your progress: {done} of {planned} done" in markup, (
        "removed exercises and the data corner do not count")


def _click(button) -> None:
    button.click()


def test_download_then_restore_round_trip_in_the_widgets() -> None:
    panel = start.my_work_panel()
    where, buttons, link, message = panel.children
    prepare, upload = buttons.children
    _click(prepare)
    assert "Nothing is saved yet" in link.value

    get_store().write("strategy", {"brand": "<script>alert('x')</script> 🎬"})
    _click(prepare)
    href = re.search(r'href="data:application/zip;base64,([^"]+)"', link.value)
    assert href and "download=" in link.value
    archive = base64.b64decode(href.group(1))
    assert "my_work/strategy.json" in zipfile.ZipFile(io.BytesIO(archive)).namelist()

    get_store().write("strategy", {"brand": "overwritten"})
    upload.value = ({"name": "w.zip", "type": "application/zip", "size": len(archive),
                     "content": memoryview(archive), "last_modified": EPOCH},)
    assert "restored strategy" in message.value
    assert upload.value == (), "the same file can be chosen again"
    assert get_store().read("strategy")["brand"].startswith("<script>")


def test_a_wrong_upload_is_refused_kindly() -> None:
    panel = start.my_work_panel()
    upload = panel.children[1].children[1]
    message = panel.children[3]
    upload.value = ({"name": "cat.png", "type": "image/png", "size": 3,
                     "content": memoryview(b"\x89PN"), "last_modified": EPOCH},)
    assert "not a tiktok-lab download" in message.value


def test_learner_text_is_escaped_everywhere() -> None:
    from tiktok_lab.core.html import table

    markup = table(["<b>h</b>"], [["<img src=x onerror=alert(1)>"]])
    assert "<img" not in markup and "&lt;img" in markup and "<b>" not in markup


def test_dollar_amounts_are_never_typeset_as_maths() -> None:
    """"$50 a day … $20 per ad group" in one output must not become italic maths in JupyterLab."""
    from tiktok_lab.core.html import box, table

    for markup in (box("$50 a day, $20 per ad group"), table(["a"], [["$50 and $20"]])):
        assert "tex2jax_ignore" in markup and "mathjax_ignore" in markup


def _upload(upload, payload: bytes, name: str = "w.zip") -> None:
    upload.value = ({"name": name, "type": "application/zip", "size": len(payload),
                     "content": memoryview(payload), "last_modified": EPOCH},)


def test_each_restore_replaces_the_previous_answer_and_names_every_file() -> None:
    """A failed restore after a good one must not leave "Welcome back" on screen."""
    from test_store_restore import _with_header_field

    panel = start.my_work_panel()
    upload, message = panel.children[1].children[1], panel.children[3]
    get_store().write("strategy", {"brand": "mine"})
    _upload(upload, get_store().archive())
    assert "restored strategy" in message.value

    buffer = io.BytesIO()
    envelope = '{"app": "tiktok-lab", "schema_version": 1, "data": {"language": "fr"}}'
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("my_work/ads.json", envelope)
        bundle.writestr("my_work/strategy.json", envelope)
        bundle.writestr("my_work/<img src=x onerror=alert(1)>.json", envelope)
    _upload(upload, _with_header_field(buffer.getvalue(), "my_work/strategy.json", flags=1))
    assert "restored ads" in message.value and "restored strategy" not in message.value
    assert "my_work/strategy.json: it is protected by a password" in message.value
    assert "<img" not in message.value and "&lt;img src=x" in message.value
    assert get_store().read("strategy") == {"brand": "mine"}

    _upload(upload, b"\x89PNG", "cat.png")
    assert "not a tiktok-lab download" in message.value and "restored" not in message.value


def test_the_download_says_what_it_left_out(tmp_path: Path) -> None:
    panel = start.my_work_panel()
    prepare, link = panel.children[1].children[0], panel.children[2]
    (tmp_path / "secret.txt").write_text("private", encoding="utf-8")
    get_store().write("strategy", {"brand": "mine"})
    (get_store().home / "secret.txt").symlink_to(tmp_path / "secret.txt")
    _click(prepare)
    href = re.search(r'href="data:application/zip;base64,([^"]+)"', link.value)
    names = zipfile.ZipFile(io.BytesIO(base64.b64decode(href.group(1)))).namelist()
    assert names == ["my_work/strategy.json"]
    assert "Left out of the download" in link.value and "secret.txt: a link" in link.value


def test_a_download_never_claims_files_it_could_not_read(monkeypatch) -> None:
    """With my_work unreadable just now, the panel says so instead of offering an empty .zip
    that claims to hold the learner's documents."""
    import errno
    import os

    get_store().write("strategy", {"brand": "mine"})
    panel = start.my_work_panel()
    prepare, link = panel.children[1].children[0], panel.children[2]
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if str(path).startswith(str(get_store().home)):
            raise OSError(errno.EMFILE, "Too many open files")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    _click(prepare)
    monkeypatch.undo()
    assert "href=" not in link.value and "It holds" not in link.value
    assert "strategy.json: it could not be read: the computer has too many files open" in link.value
