"""The class folder (room/class_folder.py): atomic writes into the drop box, a folder read
file by file (a bad or foreign file is reported and skipped, never fatal), the one-step
delete, and thirty participants sharing at once."""

from __future__ import annotations

import multiprocessing
import os
import stat
from datetime import timedelta

import pytest

from tiktok_lab.room.class_folder import (SHARE_FILE_MODE, ClassFolderError, clear_folder,
                                          publish, read_folder)
from tiktok_lab.room.share_file import SharedQuiz, encode, export_name

from tests.test_room_share_file import PARTICIPANT, WHEN, a_share

OTHER = "f" * 32


def test_publish_writes_one_file_per_participant_atomically_and_readable_by_the_group(tmp_path):
    path = publish(tmp_path, a_share())
    assert path == tmp_path / f"{PARTICIPANT}.json"
    assert stat.S_IMODE(path.stat().st_mode) == SHARE_FILE_MODE
    publish(tmp_path, a_share(name="Anne Bis", updated_at=WHEN + timedelta(minutes=1)))
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary file left
    assert read_folder(tmp_path).shares[0].name == "Anne Bis"


def test_withdrawing_everything_removes_the_file(tmp_path):
    publish(tmp_path, a_share())
    assert publish(tmp_path, a_share(quizzes={})) is None
    assert list(tmp_path.iterdir()) == []
    assert publish(tmp_path, a_share(quizzes={})) is None  # twice: still fine


def test_a_missing_or_refusing_folder_is_said_in_plain_words(tmp_path):
    with pytest.raises(ClassFolderError, match="did not accept your file"):
        publish(tmp_path / "missing", a_share())
    with pytest.raises(ClassFolderError, match="cannot be read"):
        read_folder(tmp_path / "missing")


def test_a_folder_of_good_bad_and_foreign_files_gives_the_good_ones_and_says_why_not(tmp_path):
    (tmp_path / export_name(a_share())).write_bytes(encode(a_share()))
    (tmp_path / "damaged.json").write_bytes(encode(a_share(participant=OTHER))[:-40])
    (tmp_path / "notes.txt").write_text("bring croissants")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # hidden: not handed in
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to(tmp_path / export_name(a_share()))
    os.mkfifo(tmp_path / "pipe.json")  # would block a naive reader forever
    folder = read_folder(tmp_path)
    assert [share.participant for share in folder.shares] == [PARTICIPANT]
    skipped = {s.name: s.reason for s in folder.skipped}
    assert sorted(skipped) == ["damaged.json", "link.json", "notes.txt", "photo.jpg",
                               "pipe.json", "sub"]
    assert "not readable JSON" in skipped["damaged.json"]
    assert "not a tiktok-lab sharing file" in skipped["pipe.json"]


def test_the_same_participant_handed_in_twice_counts_once_with_the_newest_file(tmp_path):
    old, new = a_share(name="Old"), a_share(name="New", updated_at=WHEN + timedelta(hours=1))
    (tmp_path / "tiktok-lab-class-new-012345.json").write_bytes(encode(new))
    (tmp_path / "tiktok-lab-class-old-012345 (1).json").write_bytes(encode(old))
    assert [share.name for share in read_folder(tmp_path).shares] == ["New"]


def test_delete_removes_the_course_files_and_only_them(tmp_path):
    publish(tmp_path, a_share())
    (tmp_path / "tiktok-lab-class-bob-abcdef.json").write_bytes(b"{damaged")
    (tmp_path / "renamed-by-mail.json").write_bytes(encode(a_share(participant=OTHER)))
    (tmp_path / f".{PARTICIPANT}.abcd1234.tmp").write_bytes(b"half a write")
    (tmp_path / "agenda.json").write_text('{"not": "ours"}')
    (tmp_path / "notes.txt").write_text("keep me")
    deleted, left = clear_folder(tmp_path)
    assert deleted == 4
    assert left == ["agenda.json", "notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agenda.json", "notes.txt"]
    assert read_folder(tmp_path).shares == []


def _participant(number: int, folder: str, homes: str, ready, rounds: int) -> None:
    """One participant's kernel: answer, share, answer again and again (forked child)."""
    os.environ["TIKTOK_LAB_HOME"] = f"{homes}/p{number}"
    os.environ["TIKTOK_LAB_CLASS_DIR"] = folder
    from tiktok_lab.course import progress_log
    from tiktok_lab.room import sharing

    ready.wait()
    sharing.share_item("quiz:03_feed", f"P{number}")
    sharing.share_item("progress", f"P{number}")
    for round_ in range(rounds):
        progress_log.record_quiz("03_feed", "strong-signal", round_ % 2 == 0, [round_ % 4])
        outcome = sharing.refresh_item("quiz:03_feed")
        assert outcome is not None and outcome.ok, outcome
    os._exit(0)


def test_thirty_participants_sharing_at_once_lose_nothing(tmp_path, monkeypatch):
    """Thirty processes share and update their files in the same drop box at the same time:
    the trainer reads thirty files, each with its participant's last answer."""
    from tiktok_lab.course.progress_report import progress_rows

    progress_rows()  # the course data, read once before forking (as a warm kernel has it)
    folder, homes = tmp_path / "class", tmp_path / "homes"
    folder.mkdir()
    homes.mkdir()
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(30)
    rounds = 6
    workers = [context.Process(target=_participant,
                               args=(n, str(folder), str(homes), ready, rounds))
               for n in range(30)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0] * 30
    room = read_folder(folder)
    assert room.skipped == []
    assert sorted(share.name for share in room.shares) == sorted(f"P{n}" for n in range(30))
    last = (rounds - 1) % 4
    for share in room.shares:
        answer = share.quizzes["03_feed"].answers["strong-signal"]
        assert answer.choice == [last]
        assert answer.correct is ((rounds - 1) % 2 == 0)
        assert share.progress is not None
    assert len(list(folder.iterdir())) == 30  # no temporary file left behind


def test_the_same_files_handed_over_on_laptops_read_the_same(tmp_path):
    """The laptop transport: each participant's downloaded file dropped in one folder."""
    for n in range(30):
        share = a_share(participant=f"{n:032x}", name=f"P{n}",
                        quizzes={"03_feed": SharedQuiz()})
        (tmp_path / export_name(share)).write_bytes(encode(share))
    room = read_folder(tmp_path)
    assert len(room.shares) == 30 and room.skipped == []
