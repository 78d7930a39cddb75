"""The trainer's live room (``tl.class_view``): first or latest answers, one question at a
time, the hidden answer, a one-line header, names hidden unless shown, one strategy projected,
skipped files, escaping, French, live refresh, export and the two-step delete, on a simulated
room."""

from __future__ import annotations

import asyncio
import base64
import re
from pathlib import Path

import pytest

from class_room import DAMAGED, LESSON, QUESTION, SCRIPT_NAME, fill_room, hand_over
from tiktok_lab.core.i18n import t
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
    return [int(n) for n in re.findall(r'class="cv-n">(\d+)<', html)]


def _status(html: str) -> str:
    return re.findall(r'<div class="cv-muted">([^<]*)</div>', html)[-1]


def _shown(view: ClassView) -> list:
    return [row for row in view.rows.values() if row.widget in view.questions.children]


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
    assert _status(html) == "2 answered"
    assert "2 participants shared something." in view.header.value
    assert "1 · 50%" in re.sub("<[^>]+>", "", html)  # a count and its share of the answers


def test_the_right_answer_stays_hidden_until_the_trainer_reveals_it(room) -> None:
    view = _view(room)
    row = _question(view)
    assert "correct answer" not in row.html.value and "cv-right" not in row.html.value
    assert "right" not in _status(row.html.value)  # "1 right" would give the answer away
    assert row.button.description == "Reveal the answer"
    row.button.click()
    revealed = row.html.value
    assert revealed.count("cv-right") == 1 and "✓ the correct answer" in revealed
    # the right option is the first one of the quiz file
    assert revealed.index("cv-right") < revealed.index("cv-count")
    assert _status(revealed) == "2 answers, 1 right"
    assert row.button.description == "Hide the answer"
    row.button.click()
    assert "cv-right" not in row.html.value and "right" not in _status(row.html.value)


def test_first_answers_are_counted_unless_the_trainer_asks_for_the_latest(room) -> None:
    hand_over(room, 5, 0, first=2)  # chose the third option, saw the feedback, then the right
    view = _view(room)
    assert view.answers.value is True
    assert "before any feedback" in view.answers_note.value
    assert _counts(_question(view).html.value) == [1, 1, 1, 0]
    view.answers.value = False
    assert _counts(_question(view).html.value) == [2, 1, 0, 0]
    assert "after retries" in view.answers_note.value
    hand_over(room, 6, 1)
    view.refresh()
    assert view.answers.value is False  # kept across refreshes
    assert _counts(_question(view).html.value) == [2, 2, 0, 0]
    _question(view).toggle()
    assert _status(_question(view).html.value) == "4 answers, 2 right"
    view.answers.value = True
    assert _status(_question(view).html.value) == "4 answers, 1 right"


def test_one_question_at_a_time_with_previous_and_next_keeping_what_was_revealed(room) -> None:
    view = _view(room)
    assert view.one.value is True and len(view.questions.children) == 1
    assert [row.key[1] for row in _shown(view)] == [QUESTION]
    assert "Question 1 of 5" in view.position.value and view.previous.disabled
    _question(view).toggle()
    view.next.click()
    assert [row.key[1] for row in _shown(view)] == ["judge-a-long-video"]
    assert "Question 2 of 5" in view.position.value and not view.previous.disabled
    hand_over(room, 5, 1)
    view.refresh()
    assert [row.key[1] for row in _shown(view)] == ["judge-a-long-video"]  # kept
    view.previous.click()
    assert "cv-right" in _question(view).html.value  # still revealed
    for _ in range(9):
        view.next.click()
    assert "Question 5 of 5" in view.position.value and view.next.disabled
    view.one.value = False
    assert len(view.questions.children) == 5
    assert view.previous.layout.display == "none"


def test_the_header_is_one_line_and_keeps_the_folder_off_the_wall(room) -> None:
    view = _view(room)
    header = view.header.value
    top = re.search(r'<div class="cv-top">(.*?)</div>', header).group(1)
    assert "The live room" in top and "2 participants shared something." in top
    assert "Checked at" in top and str(room) not in top
    # the path (often C:\Users\<name>\…) and the drop hint: folded, and in the End tab
    folded = re.search(r'<details class="cv-where">(.*?)</details>', header).group(1)
    assert str(room) in folded and "Drop the sharing files" in folded
    assert header.count(str(room)) == 1
    assert str(room) in view.where.value and "Drop the sharing files" in view.where.value


def test_a_damaged_file_is_listed_with_its_reason_and_breaks_nothing(room) -> None:
    header = _view(room).header.value
    assert DAMAGED in header and "2 files skipped" in header
    assert "<details" in header  # folded: file names often carry a participant's name
    assert "is damaged" in header and "notes.txt" in header  # a foreign file is said too
    assert "Traceback" not in header


def test_what_participants_typed_is_shown_as_text(room) -> None:
    view = _view(room)
    view.names.value = True
    gallery = view.gallery.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in gallery and "<script>" not in gallery
    assert "Anne&#x27;s &lt;b&gt;Bakery&lt;/b&gt;" in gallery and "<b>Bakery" not in gallery
    assert "Anonymous 1" in gallery  # the anonymous one
    assert "Chloé" not in gallery + view.header.value  # withdrew


def test_names_stay_off_the_screen_and_the_printout_until_the_trainer_shows_them(room) -> None:
    view = _view(room)
    assert view.names.value is False
    assert "alert(1)" not in view.gallery.value and "Shared by" not in view.gallery.value
    assert "Anonymous 1" not in view.gallery.value
    assert "Anne&#x27;s &lt;b&gt;Bakery" in view.gallery.value  # the brands stay
    view.print_button.click()
    page = _downloads(view.printable.value)["class-strategies.html"].decode()
    assert "alert(1)" not in page and "Shared by" not in page
    view.names.value = True
    assert view.printable.value == ""  # the page prepared without names is withdrawn
    assert "Shared by &lt;script&gt;alert(1)" in view.gallery.value
    assert "Shared by Anonymous 1" in view.gallery.value
    view.print_button.click()
    page = _downloads(view.printable.value)["class-strategies.html"].decode()
    assert "Shared by &lt;script&gt;alert(1)&lt;/script&gt;" in page
    hand_over(room, 5, 0)
    view.refresh()
    assert view.names.value is True  # kept across refreshes


def test_one_strategy_can_be_projected_on_its_own_and_stays_chosen(room) -> None:
    view = _view(room)
    labels = [label for label, _ in view.project.options]
    assert labels == ["All strategies", "Anne's <b>Bakery</b>", "Cafe 2"]  # no names
    assert view.gallery.value.count('class="cv-card"') == 2
    view.project.value = view.project.options[2][1]
    assert view.gallery.value.count('class="cv-card"') == 1
    assert "Cafe 2" in view.gallery.value and "Bakery" not in view.gallery.value
    assert "cv-big" in view.gallery.value
    hand_over(room, 5, 0, brand="Late bakes")
    view.refresh()
    assert "Cafe 2" in view.gallery.value and "Late bakes" not in view.gallery.value
    assert len(view.project.options) == 4
    view.names.value = True
    assert view.project.options[2][0] == "Cafe 2 · Anonymous 1"
    assert "Cafe 2" in view.gallery.value and view.gallery.value.count('class="cv-card"') == 1
    view.project.value = ""
    assert view.gallery.value.count('class="cv-card"') == 3


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
    assert "&lt;b&gt;Bakery" in page and "http" not in page


def test_the_french_view_speaks_french(room) -> None:
    view = _view(room, "fr")
    assert view.tabs.titles == ("Quiz", "Progression", "Blocages", "Stratégies",
                                "Fin de la formation")
    row = _question(view)
    assert row.button.description == "Afficher la réponse"
    assert "L&#x27;office de tourisme" in row.html.value and _status(row.html.value) == "2 réponses"
    assert "1 · 50\u00a0%" in re.sub("<[^>]+>", "", row.html.value)
    assert "La formation en direct" in view.header.value
    assert "2 participants ont partagé quelque chose." in view.header.value
    assert "fichiers ignorés (cliquez" in view.header.value
    assert "Premières réponses\u00a0: données avant toute correction." in view.answers_note.value
    assert [label for label, _ in view.answers.options] == ["Premières réponses",
                                                            "Dernières réponses"]
    assert "Question 1 sur 5" in view.position.value
    row.toggle()
    assert "la bonne réponse" in row.html.value
    assert _status(row.html.value) == "2 réponses, dont 1 juste"
    assert "Partagée par" not in view.gallery.value
    view.names.value = True
    assert "Partagée par Anonyme 1" in view.gallery.value
    assert view.names.description == "Afficher les noms à l\'écran"


@pytest.mark.parametrize(("language", "key", "values", "expected"), [
    ("en", "room.stuck.counts", {"checks": 1, "people": 1}, "1 unsuccessful check by 1 participant"),
    ("en", "room.stuck.counts", {"checks": 5, "people": 2},
     "5 unsuccessful checks by 2 participants"),
    ("fr", "room.stuck.counts", {"checks": 1, "people": 1},
     "1 vérification sans succès, par 1 participant"),
    ("fr", "room.stuck.counts", {"checks": 4, "people": 3},
     "4 vérifications sans succès, par 3 participants"),
    ("en", "room.summary.right", {"answered": 1, "right": 0}, "1 answer, none right"),
    ("en", "room.summary.right", {"answered": 2, "right": 1}, "2 answers, 1 right"),
    ("fr", "room.summary.right", {"answered": 1, "right": 1}, "1 réponse, dont 1 juste"),
    ("fr", "room.summary.right", {"answered": 3, "right": 2}, "3 réponses, dont 2 justes"),
    ("fr", "room.summary.right", {"answered": 2, "right": 0}, "2 réponses, dont aucune juste"),
    ("fr", "room.anonymous", {"number": 2}, "Anonyme 2"),
    ("en", "class_view.quiz.right", {"answered": 1, "right": 1}, "1 answer, 1 right"),
])
def test_counts_agree_with_their_number(language, key, values, expected) -> None:
    assert t(key, language=language, **values) == expected


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
        assert "alert(1)" not in text and "Anonymous 1" not in text


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
    assert "no sharing file to delete" in view.delete_status.value


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
    assert "Part of the view could not be shown" in view.header.value
    assert "RuntimeError" not in view.header.value
    assert _counts(_question(view).html.value) == [1, 1, 0, 0]
    assert "2 of 2" in view.progress.value


def test_only_a_laptop_s_folder_asks_for_files_to_be_dropped(room) -> None:
    assert "Drop the sharing files" in _view(room).header.value
    room.chmod(0o3773)  # the class hub's drop box: participants write into it themselves
    assert "Drop the sharing files" not in _view(room).header.value


def test_running_the_cell_again_leaves_one_view_watching(room) -> None:
    async def scenario() -> tuple[bool, bool]:
        first, second = class_view(room), class_view(room)
        await asyncio.sleep(0.05)
        stopped = first._task.done()
        second.close()
        return stopped, second._task is not None

    first_stopped, second_watched = asyncio.run(scenario())
    assert first_stopped and second_watched
