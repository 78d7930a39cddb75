"""The participant's side of the live room (room/sharing.py): only what they chose leaves
my_work, under the name they typed or none, and a withdrawal takes it back."""

from __future__ import annotations

import json

import pytest

from tiktok_lab.course import progress_log
from tiktok_lab.room import sharing
from tiktok_lab.room.class_folder import read_folder
from tiktok_lab.room.share_file import decode
from tiktok_lab.work.store import get_store

pytestmark = pytest.mark.usefixtures("fresh_learner")


@pytest.fixture
def drop_box(tmp_path, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    monkeypatch.setenv("TIKTOK_LAB_CLASS_DIR", str(folder))
    return folder


def test_the_participant_id_is_random_kept_and_not_the_account_name():
    first = sharing.share_item("progress", "Anne").state.participant
    again = sharing.sharing_state().participant
    assert first == again and len(first) == 32
    assert first not in (get_store().home.parent.name, "anne")


def test_nothing_is_written_anywhere_before_a_share(drop_box):
    progress_log.record_quiz("03_feed", "strong-signal", True, [0])
    assert sharing.refresh_item("quiz:03_feed") is None
    assert list(drop_box.iterdir()) == []
    assert not sharing.laptop_folder().exists()


def test_a_shared_quiz_holds_the_last_answers_and_nothing_else(drop_box):
    progress_log.record_quiz("03_feed", "strong-signal", False, [2])
    progress_log.record_quiz("03_feed", "strong-signal", True, [0])
    progress_log.record_quiz("00_start_here", "run-a-cell", True, [0])
    progress_log.record_check("03_feed", "slow-tutorial", "not_yet")
    outcome = sharing.share_item("quiz:03_feed", "Anne B.")
    assert outcome.ok and "Shared with the trainer" in outcome.message
    share = read_folder(drop_box).shares[0]
    assert share.name == "Anne B."
    assert list(share.quizzes) == ["03_feed"]
    answer = share.quizzes["03_feed"].answers["strong-signal"]
    assert (answer.choice, answer.correct) == ([0], True)
    assert share.progress is None and share.strategy is None


def test_a_later_wrong_answer_is_what_the_room_sees_though_the_course_keeps_the_success(drop_box):
    progress_log.record_quiz("03_feed", "strong-signal", True, [0])
    sharing.share_item("quiz:03_feed", None)
    progress_log.record_quiz("03_feed", "strong-signal", False, [3])
    sharing.refresh_item("quiz:03_feed")
    answer = read_folder(drop_box).shares[0].quizzes["03_feed"].answers["strong-signal"]
    assert (answer.choice, answer.correct) == ([3], False)
    assert progress_log.lesson_entry("03_feed").quiz["strong-signal"].correct is True


def test_progress_counts_the_unsuccessful_checks_of_each_exercise(drop_box):
    for _ in range(3):
        progress_log.record_check("03_feed", "slow-tutorial", "not_yet")
    progress_log.record_check("03_feed", "slow-tutorial", "correct")
    progress_log.record_check("03_feed", "hashtags-and-sound", "not_attempted")
    share = sharing.share_item("progress", "Anne").share
    assert share.progress.unsuccessful == {"03_feed/slow-tutorial": 3}
    assert share.progress.lessons["03_feed"].solved == 1


def test_anonymous_means_no_name_in_the_file(drop_box):
    sharing.share_item("progress", "Anne")
    sharing.share_item("progress", "   ")
    assert read_folder(drop_box).shares[0].name is None
    text = next(drop_box.iterdir()).read_text()
    assert "Anne" not in text


def test_withdrawing_one_item_keeps_the_others_and_withdrawing_all_removes_the_file(drop_box):
    sharing.share_item("progress", "Anne")
    sharing.share_item("strategy", "Anne")
    outcome = sharing.withdraw_item("progress")
    assert "no longer sees it" in outcome.message
    assert read_folder(drop_box).shares[0].items == ("strategy",)
    sharing.withdraw_item("strategy")
    assert list(drop_box.iterdir()) == []


def test_on_a_laptop_the_file_is_kept_in_my_work_and_offered_to_download(monkeypatch):
    monkeypatch.delenv("TIKTOK_LAB_CLASS_DIR", raising=False)
    outcome = sharing.share_item("progress", "Anne")
    assert outcome.ok and "download" in outcome.message
    kept = sharing.laptop_folder() / outcome.filename
    assert kept.read_bytes() == outcome.download
    assert decode(outcome.download).name == "Anne"
    renamed = sharing.share_item("progress", "Anne Martin")
    assert [p.name for p in sharing.laptop_folder().iterdir()] == [renamed.filename]
    gone = sharing.withdraw_item("progress")
    assert gone.download is None and gone.filename is None
    assert list(sharing.laptop_folder().iterdir()) == []


def test_a_folder_that_refuses_the_file_gives_a_message_and_keeps_the_choice(tmp_path,
                                                                              monkeypatch):
    monkeypatch.setenv("TIKTOK_LAB_CLASS_DIR", str(tmp_path / "removed-by-the-trainer"))
    outcome = sharing.share_item("progress", "Anne")
    assert not outcome.ok
    assert "did not accept your file" in outcome.message and "my_work" in outcome.message
    assert sharing.sharing_state().shares("progress")


def test_a_damaged_choices_file_is_set_aside_and_sharing_still_works(drop_box):
    store = get_store()
    store.home.mkdir(parents=True, exist_ok=True)
    store.path("sharing").write_text("{not json")
    outcome = sharing.share_item("quiz:03_feed", "Anne")
    assert outcome.ok
    assert read_folder(drop_box).shares[0].name == "Anne"


def test_hand_edited_choices_are_repaired_not_trusted(drop_box):
    store = get_store()
    store.write("sharing", {"participant": "../../../root", "name": "\u0007" * 5 + "Bob",
                            "items": ["progress", "secrets", 7, "quiz:03_feed"]})
    state = sharing.sharing_state()
    assert len(state.participant) == 32 and state.participant != "../../../root"
    assert state.name == "Bob"
    assert state.items == frozenset({"progress", "quiz:03_feed"})


def test_the_french_participant_reads_french_messages(drop_box):
    outcome = sharing.share_item("progress", "Anne", language="fr")
    assert outcome.message == "Partagé avec le formateur ou la formatrice."
    assert json.loads(next(drop_box.iterdir()).read_text())["language"] == "fr"


def test_a_download_carries_the_class_file_and_a_restore_passes_over_it_silently(monkeypatch):
    monkeypatch.delenv("TIKTOK_LAB_CLASS_DIR", raising=False)
    outcome = sharing.share_item("progress", "Anne")
    download = get_store().download()
    assert f"class/{outcome.filename}" in download.files
    restored = get_store().restore(download.payload)
    assert list(restored) == ["sharing"]
    assert restored.skipped == []


def test_shared_progress_follows_each_exercise_check_once_a_lesson_has_started(drop_box,
                                                                                monkeypatch):
    monkeypatch.setattr(progress_log, "_after_check", [])
    sharing.share_item("progress", "Anne")
    progress_log.record_check("03_feed", "slow-tutorial", "not_yet")
    assert read_folder(drop_box).shares[0].progress.unsuccessful == {}  # nothing plugged yet
    from tiktok_lab.ui.start import start_lesson

    start_lesson("03_feed")
    start_lesson("03_feed")  # a lesson's set-up cell run twice plugs the refresh once
    assert progress_log._after_check == [sharing.refresh_progress]
    progress_log.record_check("03_feed", "slow-tutorial", "not_yet")
    assert read_folder(drop_box).shares[0].progress.unsuccessful == {"03_feed/slow-tutorial": 2}


def test_an_exercise_check_shares_nothing_when_the_progress_is_not_shared(drop_box,
                                                                          monkeypatch):
    monkeypatch.setattr(progress_log, "_after_check", [sharing.refresh_progress])
    sharing.share_item("quiz:03_feed", "Anne")
    before = next(drop_box.iterdir()).read_bytes()
    progress_log.record_check("03_feed", "slow-tutorial", "not_yet")
    assert next(drop_box.iterdir()).read_bytes() == before
    sharing.withdraw_item("quiz:03_feed")
    progress_log.record_check("03_feed", "slow-tutorial", "not_yet")
    assert list(drop_box.iterdir()) == []


def test_the_first_answer_is_kept_beside_the_last(drop_box):
    progress_log.record_quiz("03_feed", "strong-signal", False, [2])
    progress_log.record_quiz("03_feed", "strong-signal", False, [3])
    progress_log.record_quiz("03_feed", "strong-signal", True, [0])
    sharing.share_item("quiz:03_feed", "Anne")
    answer = read_folder(drop_box).shares[0].quizzes["03_feed"].answers["strong-signal"]
    assert (answer.choice, answer.correct) == ([0], True)
    assert (answer.first_choice, answer.first_correct) == ([2], False)
    assert answer.first() == type(answer)(correct=False, choice=[2])
