"""The participant's "Share with the trainer" bar: opt-in per item, under a name or anonymously,
stopped at will; the sharing file holds exactly what was shared, kept up to date as the quiz
is answered and the strategy saved, on a class hub (the drop box) and on a laptop (a file to
download and hand over). Never a traceback; every name shown is escaped."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from tiktok_lab.room.class_folder import CLASS_DIR_ENV, read_folder
from tiktok_lab.room.share_file import PROGRESS, STRATEGY, decode, quiz_item
from tiktok_lab.room.sharing import laptop_folder, sharing_state
from tiktok_lab.ui.quiz import QuizApp, quiz
from tiktok_lab.ui.share_bar import ShareBar

LESSON = "00_start_here"
QUIZ = quiz_item(LESSON)
QUIZ_FIXTURE = Path(__file__).parent / "quiz_fixture"

pytestmark = pytest.mark.usefixtures("fresh_learner", "frozen_quiz")


@pytest.fixture
def frozen_quiz(monkeypatch: pytest.MonkeyPatch) -> None:
    """The frozen quiz of tests/test_quiz.py: one question of each type, fixed ids."""
    from tiktok_lab.course import quizzes

    monkeypatch.setattr(quizzes, "quizzes_dir", lambda: QUIZ_FIXTURE)


@pytest.fixture(autouse=True)
def laptop(monkeypatch: pytest.MonkeyPatch) -> None:
    """No class hub unless a test makes one."""
    monkeypatch.delenv(CLASS_DIR_ENV, raising=False)


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A class hub's drop-box folder."""
    folder = tmp_path / "class"
    folder.mkdir()
    monkeypatch.setenv(CLASS_DIR_ENV, str(folder))
    return folder


def card_of(app: QuizApp, question_id: str):
    return next(card for card in app.cards if card.question.id == question_id)


def answer(app: QuizApp, question_id: str, value) -> None:
    card = card_of(app, question_id)
    card.control.value = value
    card.check_button.click()


def visible(widget) -> bool:
    return widget.layout.display != "none"


def shared_file(folder: Path):
    """The one sharing file of the drop box."""
    found = read_folder(folder)
    assert not found.skipped, found.skipped
    assert len(found.shares) == 1, [p.name for p in folder.iterdir()]
    return found.shares[0]


def download_of(bar: ShareBar):
    """The sharing file the bar's download link carries (None when it offers none)."""
    match = re.search(r'href="data:application/json;base64,([^"]+)"', bar.status.value)
    return decode(base64.b64decode(match.group(1))) if match else None


# -- the quiz, on a class hub ------------------------------------------------------------


def test_shared_as_a_name_the_sharing_file_holds_exactly_the_answers_given(hub: Path) -> None:
    app = quiz(LESSON)
    bar = app.share_bar
    assert bar in app.children and app.children[-1] is bar, "under the score line"
    assert bar.item == QUIZ
    answer(app, "run-a-cell", 1)  # "Press Enter": wrong
    answer(app, "lessons-after-start", "7")
    bar.name_box.value = "Anne B."
    outcome = bar.share_button.click() or bar.outcome
    assert outcome.ok, outcome.message

    share = shared_file(hub)
    assert share.name == "Anne B." and share.items == (QUIZ,)
    assert share.progress is None and share.strategy is None, "only the item shared"
    answers = share.quizzes[LESSON].answers
    assert set(answers) == {"run-a-cell", "lessons-after-start"}, "nothing not answered"
    assert answers["run-a-cell"].choice == [1] and answers["run-a-cell"].correct is False
    assert answers["lessons-after-start"].number == 7.0
    assert answers["lessons-after-start"].correct is True

    status = bar.status.value
    assert "Shared with the trainer as “Anne B.”" in status
    assert "first and latest answer to each question" in status
    assert "each time you press Check" in status
    assert "answers appear only as room totals: nobody sees who answered what" in status
    assert "Sent straight to the trainer: only the trainer can open it." in status
    assert "download" not in status.lower(), "on a hub nothing is to be handed over"
    assert visible(bar.withdraw_button) and not visible(bar.form)


def test_a_check_after_sharing_updates_the_file(hub: Path) -> None:
    app = quiz(LESSON)
    app.share_bar.name_box.value = "Anne B."
    app.share_bar.share()
    assert shared_file(hub).quizzes[LESSON].answers == {}
    answer(app, "run-a-cell", 1)
    assert shared_file(hub).quizzes[LESSON].answers["run-a-cell"].choice == [1]
    answer(app, "run-a-cell", 0)
    last = shared_file(hub).quizzes[LESSON].answers["run-a-cell"]
    assert last.choice == [0] and last.correct is True


def test_a_check_before_sharing_writes_nothing_into_the_class_folder(hub: Path) -> None:
    app = quiz(LESSON)
    answer(app, "run-a-cell", 0)
    answer(app, "lessons-after-start", "7")
    assert "Right!" in card_of(app, "run-a-cell").feedback.value
    assert list(hub.iterdir()) == []
    assert not laptop_folder().exists()
    assert app.share_bar.status.value == "" and not app.share_bar.shared
    intro = app.share_bar.intro.value
    assert "Until you press the button, this stays with you." in intro
    assert "only as room totals: nobody sees who answered what" in intro, "said before deciding"
    assert "my_work" not in intro, "no folder jargon where the participant decides"


def test_anonymous_shares_without_a_name(hub: Path) -> None:
    bar = quiz(LESSON).share_bar
    bar.name_box.value = "Anne B."
    bar.anonymous.value = True
    assert bar.name_box.disabled, "the name box is off while anonymous"
    bar.share()
    assert shared_file(hub).name is None
    assert "anonymously" in bar.status.value and "Anne" not in bar.status.value
    bar.anonymous.value = False
    assert not bar.name_box.disabled


def test_a_name_is_asked_for_before_sharing_unless_anonymous(hub: Path) -> None:
    bar = quiz(LESSON).share_bar
    for typed in ("", "   ", "\u200b\u200b"):  # nothing, spaces, invisible characters
        bar.name_box.value = typed
        assert bar.share() is None
        assert "Type the name to show" in bar.status.value
    assert list(hub.iterdir()) == [] and not sharing_state().items


def test_withdrawing_removes_the_file_from_the_hub(hub: Path) -> None:
    bar = quiz(LESSON).share_bar
    bar.name_box.value = "Anne B."
    bar.share()
    assert len(list(hub.iterdir())) == 1
    assert bar.withdraw_button.description == "Stop sharing"
    bar.withdraw_button.click()
    assert list(hub.iterdir()) == []
    assert not bar.shared and QUIZ not in sharing_state().items
    assert "Sharing stopped: the trainer no longer sees it." in bar.status.value
    assert visible(bar.form) and visible(bar.intro) and not visible(bar.withdraw_button)


def test_a_reopened_quiz_shows_the_share_and_sends_what_is_saved(hub: Path) -> None:
    first = quiz(LESSON)
    first.share_bar.name_box.value = "Anne B."
    first.share_bar.share()
    answer(first, "run-a-cell", 2)
    (hub / f"{sharing_state().participant}.json").unlink()  # the trainer cleared the folder

    again = quiz(LESSON)  # a new kernel on the same my_work
    assert again.share_bar.shared and "“Anne B.”" in again.share_bar.status.value
    assert not visible(again.share_bar.form)
    assert shared_file(hub).quizzes[LESSON].answers["run-a-cell"].choice == [2]
    again.share_bar.withdraw()
    third = quiz(LESSON)
    assert third.share_bar.name_box.value == "Anne B.", "the saved name is offered again"
    assert not third.share_bar.anonymous.value and visible(third.share_bar.form)


def test_a_withdrawal_in_another_window_shows_at_the_next_check(hub: Path) -> None:
    here, there = quiz(LESSON), quiz(LESSON)
    here.share_bar.anonymous.value = True
    here.share_bar.share()
    there.share_bar.refresh()
    assert there.share_bar.shared
    there.share_bar.withdraw()
    answer(here, "run-a-cell", 0)
    assert list(hub.iterdir()) == [], "a withdrawn quiz is not sent again"
    assert not here.share_bar.shared and visible(here.share_bar.form)
    assert here.share_bar.status.value == ""


def test_an_unwritable_class_folder_is_a_warning_and_the_quiz_still_answers(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "class"
    not_a_folder.write_text("a file where the drop box should be", encoding="utf-8")
    monkeypatch.setenv(CLASS_DIR_ENV, str(not_a_folder))
    app = quiz(LESSON)
    bar = app.share_bar
    bar.name_box.value = "Anne B."
    outcome = bar.share()
    assert not outcome.ok
    assert "did not accept your file" in bar.status.value and "#7a4d00" in bar.status.value
    assert "Traceback" not in bar.status.value and "Error" not in bar.status.value
    answer(app, "run-a-cell", 0)
    assert "Right!" in card_of(app, "run-a-cell").feedback.value
    assert "1 of 4 right" in app.score.value
    assert "did not accept your file" in bar.status.value
    assert visible(bar.withdraw_button), "the choice is kept: it can be withdrawn"


def test_a_hand_edited_progress_file_does_not_stop_the_share(hub: Path) -> None:
    """Question ids a hand edit made up are left out of the file, not a traceback."""
    from tiktok_lab.work.store import get_store

    odd = {"Bad id!": {"correct": True, "answer": [1]},
           **{f"made-up-{i}": {"correct": False, "answer": [0]} for i in range(80)}}
    get_store().write("progress", {"lessons": {LESSON: {"quiz": odd}}})
    app = quiz(LESSON)
    app.share_bar.anonymous.value = True
    assert app.share_bar.share().ok
    answer(app, "run-a-cell", 0)
    answers = shared_file(hub).quizzes[LESSON].answers
    assert "Bad id!" not in answers and len(answers) == 60
    assert answers["run-a-cell"].correct, "the answer just given is kept"


def test_a_name_is_cleaned_and_escaped(hub: Path) -> None:
    bar = quiz(LESSON).share_bar
    bar.name_box.value = "<img src=x onerror=alert(1)> 🙂 & <b>Zoé</b>" + "x" * 10_000
    bar.share()
    name = shared_file(hub).name
    assert len(name) <= 40 and name.startswith("<img src=x")
    status = bar.status.value
    assert "<img" not in status and "<b>Zo" not in status
    assert "&lt;img src=x onerror=alert(1)&gt; 🙂 &amp; &lt;b&gt;" in status
    assert "x" * 41 not in status


def test_the_bar_speaks_french(hub: Path) -> None:
    app = quiz(LESSON, language="fr")
    bar = app.share_bar
    assert bar.share_button.description == "Partager avec le formateur ou la formatrice"
    assert bar.anonymous.description == "Rester anonyme"
    assert bar.name_box.placeholder == "Prénom et initiale"
    assert "Tant que vous ne cliquez pas sur le bouton, cela reste chez vous." in bar.intro.value
    assert "seulement les totaux du groupe" in bar.intro.value
    bar.name_box.value = "Anne B."
    bar.share()
    assert "Partagé sous le nom «\u00a0Anne B.\u00a0»\u00a0: votre première et votre dernière" \
        in bar.status.value
    assert "mises à jour à chaque clic sur Vérifier" in bar.status.value
    assert "personne d&#x27;autre ne peut l&#x27;ouvrir" in bar.status.value
    assert shared_file(hub).language == "fr"
    assert bar.withdraw_button.description == "Ne plus partager"
    bar.withdraw()
    assert "Partage arrêté\u00a0: le formateur ou la formatrice ne le voit plus." \
        in bar.status.value


@pytest.mark.parametrize("language", ["en", "fr"])
def test_what_the_trainer_would_see_is_said_in_two_lines_before_sharing(language: str) -> None:
    """The line above the button is read at the moment of deciding: at the notebook's usual
    width (about 125 characters a line at 13 px), the quiz's and the progress's fit in two
    lines; the strategy's, which has more to say (big screen, print, names), in three."""
    from tiktok_lab.core.i18n import t

    def line(kind: str) -> str:
        return t("share_bar.before", language=language,
                 what=t(f"share_bar.what.{kind}", language=language))

    assert len(line("quiz")) <= 250 and len(line("progress")) <= 250
    assert len(line("strategy")) <= 375


def test_the_anonymous_box_says_what_it_does_not_hide() -> None:
    bar = ShareBar(STRATEGY)
    assert "your strategy still names your brand" in bar.anonymous.tooltip
    assert "on a laptop the trainer sees who hands the file over" in bar.anonymous.tooltip
    assert "cannot be taken back" in bar.withdraw_button.tooltip


def test_the_bar_has_its_css_classes() -> None:
    bar = quiz(LESSON).share_bar
    assert "tiktok-lab-share-bar" in bar._dom_classes
    assert "tiktok-lab-share-button" in bar.share_button._dom_classes
    assert "tiktok-lab-share-withdraw" in bar.withdraw_button._dom_classes
    assert "tiktok-lab-share-status" in bar.status._dom_classes


def test_an_unknown_item_is_refused() -> None:
    with pytest.raises(ValueError, match="not an item"):
        ShareBar("everything")


# -- the quiz, on a laptop ---------------------------------------------------------------


def test_on_a_laptop_the_file_is_offered_to_download_and_kept_in_my_work() -> None:
    app = quiz(LESSON)
    answer(app, "run-a-cell", 1)
    bar = app.share_bar
    bar.name_box.value = "Anne B."
    bar.share()
    offered = download_of(bar)
    assert offered is not None and offered.name == "Anne B."
    assert offered.quizzes[LESSON].answers["run-a-cell"].choice == [1]
    kept = list(laptop_folder().iterdir())
    assert [p.name for p in kept] == [bar.outcome.filename]
    assert decode(kept[0].read_bytes()) == offered
    status = bar.status.value
    assert "Download your sharing file" in status
    assert f"It goes to your Downloads folder ({bar.outcome.filename})." in status, \
        "the name to look for in Downloads"
    assert "One file holds everything you share" in status
    assert "download it again when the trainer asks, and hand over only the newest one" in status

    answer(app, "run-a-cell", 0)  # the link and the kept file follow the answers
    assert download_of(bar).quizzes[LESSON].answers["run-a-cell"].choice == [0]
    assert decode(kept[0].read_bytes()).quizzes[LESSON].answers["run-a-cell"].correct


def test_on_a_laptop_withdrawing_the_last_item_offers_nothing_and_removes_the_file() -> None:
    bar = quiz(LESSON).share_bar
    bar.name_box.value = "Anne B."
    bar.share()
    assert list(laptop_folder().iterdir())
    bar.withdraw()
    assert download_of(bar) is None and "download" not in bar.status.value.lower()
    assert list(laptop_folder().iterdir()) == []
    assert "Sharing stopped: you share nothing now." in bar.status.value
    assert "ask the trainer to delete it" in bar.status.value


def test_on_a_laptop_withdrawing_one_item_offers_the_file_without_it() -> None:
    quiz_bar = quiz(LESSON).share_bar
    quiz_bar.name_box.value = "Anne B."
    quiz_bar.share()
    ShareBar(PROGRESS).share()  # the saved name is the box's value
    quiz_bar.withdraw()
    assert "Sharing stopped: download your sharing file again and hand over the new one" \
        in quiz_bar.status.value
    assert "What was already shown cannot be taken back." in quiz_bar.status.value
    left = download_of(quiz_bar)
    assert left is not None and left.items == (PROGRESS,)
    assert [decode(p.read_bytes()).items for p in laptop_folder().iterdir()] == [(PROGRESS,)]


# -- the progress panel and the strategy builder ------------------------------------------


def test_the_progress_panel_shows_its_bar_under_the_table(hub: Path, monkeypatch) -> None:
    from tiktok_lab.ui import start

    panel = start.progress()
    assert "Your progress" in panel.data and panel._repr_html_() == panel.data
    assert panel.share_bar.item == PROGRESS
    assert "where you are in each lesson" in panel.share_bar.intro.value
    assert "shown only as room totals" in panel.share_bar.intro.value
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **_: shown.append(obj))
    panel._ipython_display_()
    assert [type(o).__name__ for o in shown] == ["HTML", "ShareBar"]
    assert shown[0].data == panel.data, "the chart's script runs in an output of its own"

    panel.share_bar.anonymous.value = True
    panel.share_bar.share()
    share = shared_file(hub)
    assert share.items == (PROGRESS,) and LESSON in share.progress.lessons
    assert "each time you run this cell" in panel.share_bar.status.value


def test_running_the_progress_cell_again_sends_the_progress_anew(hub: Path) -> None:
    from tiktok_lab.course import progress_log
    from tiktok_lab.ui import start

    panel = start.progress()
    panel.share_bar.anonymous.value = True
    panel.share_bar.share()
    assert not shared_file(hub).progress.lessons[LESSON].opened
    progress_log.record_visit(LESSON)
    start.progress()
    assert shared_file(hub).progress.lessons[LESSON].opened


def test_a_saved_strategy_is_sent_again_once_shared(hub: Path) -> None:
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    builder = StrategyBuilder()
    assert builder.share_bar in builder.widget.children and builder.share_bar.item == STRATEGY
    builder.fields["brand"].value = "Before sharing"
    assert list(hub.iterdir()) == [], "a save before sharing sends nothing"

    builder.share_bar.name_box.value = "Team 3"
    builder.share_bar.share()
    assert shared_file(hub).strategy["brand"] == "Before sharing"
    builder.fields["brand"].value = "Café <Lumière>"
    share = shared_file(hub)
    assert share.strategy["brand"] == "Café <Lumière>" and share.name == "Team 3"
    status = builder.share_bar.status.value
    assert "your strategy as it is now, updated each time you save" in status
    assert "with your name only if you typed one and the trainer shows names" in status
    assert "the end-of-class summary keeps its short lines without names" in status
    assert builder.share_bar.outcome.message == "The trainer now sees your latest version."


def test_a_strategy_that_could_not_be_saved_is_not_sent_again(hub: Path) -> None:
    from save_faults import saves_refused
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    builder = StrategyBuilder()
    builder.share_bar.anonymous.value = True
    builder.share_bar.share()
    sent = []
    builder.share_bar.refresh = lambda: sent.append("sent")
    with saves_refused("busy"):
        builder.fields["brand"].value = "Not saved"
    assert "Not saved" == builder.fields["brand"].value and sent == []
    builder.fields["brand"].value = "Saved"
    assert sent == ["sent"]
