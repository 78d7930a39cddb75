"""The trainer's live room (``tl.class_view``): counts, the hidden answer, skipped files,
escaping, French, live refresh, export and the two-step delete, on a simulated room."""

from __future__ import annotations

import asyncio
import base64
import re
from pathlib import Path

import pytest

from class_room import DAMAGED, LESSON, QUESTION, SCRIPT_NAME, fill_room, hand_over
from tiktok_lab.ui.class_view import ClassView, class_view

pytestmark = pytest.mark.usefixtures("fresh_learner")


@pytest.fixture
def room(tmp_path: Path) -> Path:
    folder = tmp_path / "class-files"
    fill_room(folder)
    (folder / "notes.txt").write_text("the trainer's own notes")
    return folder


def _view(folder: Path | None, language: str = "en") -> ClassView:
    return ClassView(folder, language)


def _counts(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="cv-count">(\d+)<', html)]


def _question(view: ClassView):
    return view.rows[(LESSON, QUESTION)]


def _downloads(html: str) -> dict[str, bytes]:
    return {name: base64.b64decode(data) for name, data in
            re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', html)}


def test_each_option_shows_how_many_chose_it_withdrawn_and_damaged_files_left_out(room) -> None:
    view = _view(room)
    assert view.lesson.value == LESSON
    html = _question(view).html.value
    # Anne chose the right option, participant 2 the second; Chloé withdrew, Dan's is damaged
    assert _counts(html) == [1, 1, 0, 0]
    assert "2 answered" in html
    assert "2 participants shared something." in view.header.value


def test_the_right_answer_stays_hidden_until_the_trainer_reveals_it(room) -> None:
    view = _view(room)
    row = _question(view)
    assert "correct answer" not in row.html.value and "cv-right" not in row.html.value
    assert row.button.description == "Reveal the answer"
    row.button.click()
    revealed = row.html.value
    assert revealed.count("cv-right") == 1 and "✓ the correct answer" in revealed
    # the right option is the first one of the quiz file
    assert revealed.index("cv-right") < revealed.index("cv-count")
    assert "1 right" in revealed and row.button.description == "Hide the answer"
    row.button.click()
    assert "cv-right" not in row.html.value


def test_a_damaged_file_is_listed_with_its_reason_and_breaks_nothing(room) -> None:
    header = _view(room).header.value
    assert DAMAGED in header and "2 files skipped" in header
    assert "<details" in header  # folded: file names often carry a participant's name
    assert "is damaged" in header and "notes.txt" in header  # a foreign file is said too
    assert "Traceback" not in header


def test_what_participants_typed_is_shown_as_text(room) -> None:
    view = _view(room)
    view.refresh(force=True)
    gallery = view.gallery.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in gallery and "<script>" not in gallery
    assert "Anne&#x27;s &lt;b&gt;Bakery&lt;/b&gt;" in gallery and "<b>Bakery" not in gallery
    assert "Participant 1" in gallery  # the anonymous one
    assert "Chloé" not in gallery + view.header.value  # withdrew


def test_a_card_marked_with_a_rule_of_thumb_says_so_under_it(room) -> None:
    view = _view(room)
    view.refresh(force=True)
    gallery = view.gallery.value
    assert "Complement†" in gallery  # lesson 04's verdict is the course's rule of thumb
    assert "† The course&#x27;s rule of thumb" in gallery or "† The course's rule of thumb" in gallery


def test_progress_and_stuck_exercises_count_those_sharing(room) -> None:
    view = _view(room)
    assert "2 participants share their progress." in view.progress.value
    assert "2 of 2" in view.progress.value and "1 of 2" in view.progress.value
    assert "Lesson 03, exercise 2" in view.stuck.value  # stalled-video
    assert "<td>7</td><td>2</td>" in view.stuck.value  # 3 + 4 checks, two participants


def test_the_printable_view_puts_each_strategy_on_its_own_page(room) -> None:
    view = _view(room)
    assert view.printable.value == ""  # made on request, not on every refresh
    view.print_button.click()
    files = _downloads(view.printable.value)
    page = files["class-strategies.html"].decode()
    assert page.count('<section class="strategy">') == 2
    assert "break-after: page" in page and "<script" not in page.lower()
    assert "&lt;script&gt;" in page and "http" not in page


def test_the_french_view_speaks_french(room) -> None:
    view = _view(room, "fr")
    assert view.tabs.titles == ("Quiz", "Progression", "Blocages", "Stratégies",
                                "Fin de la formation")
    row = _question(view)
    assert row.button.description == "Révéler la réponse"
    assert "L&#x27;office de tourisme" in row.html.value and "2 réponses" in row.html.value
    assert "2 participants ont partagé quelque chose." in view.header.value
    assert "fichiers ignorés (cliquez" in view.header.value
    row.toggle()
    assert "la bonne réponse" in row.html.value
    assert "Partagée par" in view.gallery.value


def test_refresh_rereads_only_on_change_and_keeps_the_trainer_s_choices(room) -> None:
    view = _view(room)
    view.tabs.selected_index = 0
    _question(view).toggle()
    first_widget = _question(view).widget
    assert view.refresh() is False  # nothing changed
    hand_over(room, 5, 0)
    assert view.refresh() is True
    assert _counts(_question(view).html.value) == [2, 1, 0, 0]
    assert "cv-right" in _question(view).html.value  # still revealed
    assert _question(view).widget is first_widget  # updated in place: no flicker
    assert view.lesson.value == LESSON and view.tabs.selected_index == 0


def test_an_unreadable_or_missing_folder_is_said_in_plain_words(tmp_path) -> None:
    view = _view(tmp_path / "nowhere")
    assert "cannot be read" in view.header.value
    assert "No class folder" in _view(None).header.value
    assert "No quiz shared yet" in view.quiz_note.value


def test_export_gives_the_summary_as_markdown_and_a_web_page(room) -> None:
    view = _view(room)
    view.export_button.click()
    files = _downloads(view.export_links.value)
    [markdown] = [v.decode() for k, v in files.items() if k.endswith(".md")]
    [page] = [v.decode() for k, v in files.items() if k.endswith(".html")]
    assert "# Class summary" in markdown and ": 1" in markdown and "✓" in markdown
    assert "cv-right" in page  # the answers shown, the class is over
    for text in (markdown, page):  # a summary, not a register
        assert "alert(1)" not in text and "Participant 1" not in text


def test_deleting_the_class_data_asks_first_then_says_what_it_did(room) -> None:
    view = _view(room)
    assert view.confirm_row.layout.display == "none"
    view.delete_button.click()
    assert view.confirm_button.description == "Yes, delete 3 files"
    assert len(list(room.iterdir())) == 4  # nothing deleted yet
    view.cancel_button.click()
    assert view.confirm_row.layout.display == "none"
    view.delete_button.click()
    view.confirm_button.click()
    assert "3 files deleted." in view.delete_status.value
    assert "notes.txt" in view.delete_status.value
    assert [p.name for p in room.iterdir()] == ["notes.txt"]
    assert "Nobody has shared anything yet." in view.header.value
    view.delete_button.click()
    assert "no class file to delete" in view.delete_status.value


def test_the_view_watches_the_folder_on_the_kernel_s_loop_and_stops_when_closed(room) -> None:
    async def scenario() -> tuple[list[int], bool]:
        view = ClassView(room, "en", interval=0.05)
        assert view.start()
        hand_over(room, 6, 1)
        for _ in range(100):
            await asyncio.sleep(0.02)
            if _counts(_question(view).html.value) == [1, 2, 0, 0]:
                break
        counts = _counts(_question(view).html.value)
        view.close()
        await asyncio.sleep(0.1)
        return counts, view._task.done()

    counts, stopped = asyncio.run(scenario())
    assert counts == [1, 2, 0, 0] and stopped


def test_the_notebooks_function_reads_the_class_folder_setting(room, monkeypatch) -> None:
    import tiktok_lab as tl

    monkeypatch.setenv("TIKTOK_LAB_CLASS_DIR", str(room))
    view = tl.class_view(language="fr")  # no loop running here: no watching, no error
    assert view.folder == room and view.language == "fr" and view._task is None
    assert SCRIPT_NAME not in view.header.value


def test_a_file_name_is_shown_as_text_too(room) -> None:
    (room / "<img src=x onerror=alert(1)>.json").write_text("{}")
    header = _view(room).header.value
    assert "&lt;img src=x onerror=alert(1)&gt;.json" in header and "<img" not in header


def test_a_part_that_fails_to_draw_is_said_and_leaves_the_rest(room, monkeypatch) -> None:
    from tiktok_lab.ui import class_view as module

    def broken(*args, **kwargs):
        raise RuntimeError("an odd share")

    monkeypatch.setattr(module, "stuck_exercises", broken)
    view = _view(room)
    assert "Part of the room could not be shown" in view.header.value
    assert "RuntimeError" not in view.header.value
    assert _counts(_question(view).html.value) == [1, 1, 0, 0]
    assert "2 of 2" in view.progress.value


def test_only_a_laptop_s_folder_asks_for_files_to_be_dropped(room) -> None:
    assert "Drop the class files" in _view(room).header.value
    room.chmod(0o3773)  # the class hub's drop box: participants write into it themselves
    assert "Drop the class files" not in _view(room).header.value


def test_running_the_cell_again_leaves_one_view_watching(room) -> None:
    async def scenario() -> tuple[bool, bool]:
        first, second = class_view(room), class_view(room)
        await asyncio.sleep(0.05)
        stopped = first._task.done()
        second.close()
        return stopped, second._task is not None

    first_stopped, second_watched = asyncio.run(scenario())
    assert first_stopped and second_watched
