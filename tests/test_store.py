"""The learner store: atomic writes, damaged and newer files, download and restore."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from save_faults import bound_documents
from tiktok_lab.work import store as store_module
from tiktok_lab.work import store_archive
from tiktok_lab.work.store import SCHEMA_VERSION, Store, get_store




@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "my_work")


def test_round_trip_keeps_unicode_and_html_as_data(store: Store) -> None:
    data = {"brand": "<script>alert(1)</script> 🎵 Crème", "posts": 3}
    store.write("strategy", data)
    assert store.read("strategy") == data
    envelope = json.loads((store.home / "strategy.json").read_text(encoding="utf-8"))
    assert envelope["schema_version"] == SCHEMA_VERSION
    assert envelope["app"] == "tiktok-lab"
    assert "🎵" in (store.home / "strategy.json").read_text(encoding="utf-8")


def test_missing_document_reads_empty_without_notice(store: Store) -> None:
    assert store.read("progress") == {}
    assert store.notices == []


def test_write_is_atomic_when_the_disk_fails(store: Store, monkeypatch) -> None:
    store.write("strategy", {"version": "good"})

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "replace", broken_replace)
    with pytest.raises(store_module.StoreWriteError) as refused:
        store.write("strategy", {"version": "half-written"})
    assert "disk is full" in str(refused.value) and "Errno" not in str(refused.value)
    monkeypatch.undo()
    assert store.read("strategy") == {"version": "good"}
    assert not list(store.home.glob("*.tmp")), "the temporary file must be cleaned up"


@pytest.mark.parametrize("content", [
    "{not json",
    "",
    json.dumps([1, 2, 3]),
    json.dumps({"app": "someone-else", "schema_version": 1, "data": {}}),
    json.dumps({"app": "tiktok-lab", "schema_version": "1", "data": {}}),
    json.dumps({"app": "tiktok-lab", "schema_version": 1, "data": ["not", "a", "dict"]}),
])
def test_damaged_file_is_moved_aside_and_reported(store: Store, content: str) -> None:
    store.home.mkdir(parents=True)
    (store.home / "progress.json").write_text(content, encoding="utf-8")
    assert store.read("progress") == {}
    kept = list(store.home.glob("progress.corrupted-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content
    assert not (store.home / "progress.json").exists()
    [notice] = store.take_notices()
    assert notice.problem == "corrupted" and notice.kept_at == kept[0]
    assert kept[0].name in notice.message() and "damaged" in notice.message()
    assert store.take_notices() == [], "a notice is shown once"


def test_binary_garbage_is_treated_as_damaged(store: Store) -> None:
    store.home.mkdir(parents=True)
    (store.home / "settings.json").write_bytes(b"\xff\xfe\x00garbage")
    assert store.read("settings") == {}
    assert list(store.home.glob("settings.corrupted-*.json"))


def test_newer_schema_is_kept_aside_not_overwritten(store: Store) -> None:
    store.home.mkdir(parents=True)
    newer = {"app": "tiktok-lab", "schema_version": SCHEMA_VERSION + 1, "data": {"x": 1}}
    (store.home / "strategy.json").write_text(json.dumps(newer), encoding="utf-8")
    assert store.read("strategy") == {}
    [kept] = store.home.glob("strategy.newer-*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == newer
    [notice] = store.take_notices()
    assert notice.problem == "newer" and "newer version" in notice.message()
    store.write("strategy", {"fresh": True})
    assert json.loads(kept.read_text(encoding="utf-8")) == newer, "set-aside file untouched"


def test_two_damaged_files_in_the_same_second_both_survive(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(store_module, "_stamp", lambda: "20260101-000000")
    store.home.mkdir(parents=True)
    for content in ("first", "second"):
        (store.home / "progress.json").write_text(content, encoding="utf-8")
        store.read("progress")
    kept = sorted(p.read_text() for p in store.home.glob("progress.corrupted-*.json"))
    assert kept == ["first", "second"]


def test_report_false_never_moves_files(store: Store) -> None:
    store.home.mkdir(parents=True)
    (store.home / "settings.json").write_text("{broken", encoding="utf-8")
    assert store.read("settings", report=False) == {}
    assert (store.home / "settings.json").exists()
    assert store.notices == []


@pytest.mark.parametrize("name", ["../escape", "a/b", "", "Settings", "x" * 80, "é"])
def test_document_names_cannot_escape_the_folder(store: Store, name: str) -> None:
    with pytest.raises(ValueError):
        store.write(name, {})


def test_archive_and_restore_round_trip(tmp_path: Path) -> None:
    source = Store(tmp_path / "a")
    source.write("strategy", {"brand": "Luxair crew"})
    source.write("progress", {"lessons": {"00_start_here": {"opened_at": "x"}}})
    archive = source.archive()
    names = zipfile.ZipFile(__import__("io").BytesIO(archive)).namelist()
    assert sorted(names) == ["my_work/progress.json", "my_work/strategy.json"]

    target = Store(tmp_path / "b")
    target.write("strategy", {"brand": "older draft"})
    assert sorted(target.restore(archive)) == ["progress", "strategy"]
    assert target.read("strategy") == {"brand": "Luxair crew"}
    [backup] = target.home.glob("strategy.before-restore-*.json")
    assert "older draft" in backup.read_text(encoding="utf-8")


@pytest.mark.parametrize("payload", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_restore_of_a_foreign_file_changes_nothing(store: Store, payload: bytes) -> None:
    store.write("strategy", {"brand": "mine"})
    assert store.restore(payload) == []
    assert store.read("strategy") == {"brand": "mine"}


def test_restore_skips_damaged_members_and_foreign_paths(store: Store, tmp_path: Path) -> None:
    bundle = tmp_path / "x.zip"
    good = json.dumps({"app": "tiktok-lab", "schema_version": 1, "data": {"ok": 1}})
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("my_work/settings.json", good)
        archive.writestr("my_work/progress.json", "{broken")
        archive.writestr("../../etc/evil.json", good)
        archive.writestr("my_work/sub/deep.json", good)
    assert store.restore(bundle.read_bytes()) == ["settings"]
    assert store.documents() == ["settings"]


def test_get_store_follows_the_home_variable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(tmp_path / "one"))
    first = get_store()
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(tmp_path / "two"))
    second = get_store()
    assert first.home == (tmp_path / "one").resolve()
    assert second.home == (tmp_path / "two").resolve()
    assert get_store() is second


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(data=st.dictionaries(st.text(), json_values, max_size=6))
def test_any_json_document_round_trips(tmp_path_factory, data: dict) -> None:
    store = Store(tmp_path_factory.mktemp("prop"))
    store.write("answers", data)
    assert store.read("answers") == data


@settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=200))
def test_any_file_content_reads_without_raising(tmp_path_factory, content: bytes) -> None:
    store = Store(tmp_path_factory.mktemp("junk"))
    store.home.mkdir(parents=True, exist_ok=True)
    (store.home / "settings.json").write_bytes(content)
    assert isinstance(store.read("settings"), dict)
    assert os.listdir(store.home), "nothing is deleted"


def test_a_writer_killed_mid_way_leaves_a_readable_version(tmp_path: Path) -> None:
    """SIGKILL a process that keeps rewriting a big document: what is on disk is always whole."""
    import signal
    import subprocess
    import sys
    import time

    home = tmp_path / "my_work"
    Store(home).write("strategy", {"version": -1, "text": "start"})
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tiktok_lab.work.store import Store\n"
        "store = Store(Path(sys.argv[1]))\n"
        "i = 0\n"
        "while True:\n"
        "    store.write('strategy', {'version': i, 'text': 'x' * 400_000})\n"
        "    i += 1\n"
    )
    for delay in (0.05, 0.15, 0.3, 0.45, 0.6):
        writer = subprocess.Popen([sys.executable, "-c", code, str(home)])
        time.sleep(0.6 + delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        store = Store(home)
        data = store.read("strategy")
        assert isinstance(data.get("version"), int), "the document is whole, old or new"
        assert store.notices == [], "nothing was damaged, so nothing is set aside"


# Issue 14: faults and odd input on the store's own paths.

def _refuse_opening(monkeypatch, target: Path, error_number: int) -> None:
    """Make opening ``target`` fail the way the operating system would (``io.open`` is
    what ``Path.read_*`` and ``open`` use)."""
    import builtins
    import io

    real_open = io.open

    def failing_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file) == target:
            raise OSError(error_number, os.strerror(error_number), str(target))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", failing_open)
    monkeypatch.setattr(builtins, "open", failing_open)


@pytest.mark.parametrize("error_number", ["EMFILE", "ENFILE", "EACCES", "EIO"])
def test_a_transient_read_error_leaves_a_healthy_file_alone(store: Store, monkeypatch,
                                                           error_number: str) -> None:
    """Too many open files, a permission hiccup, a network disk: not a damaged file."""
    import errno

    from strategies import assert_plain

    store.write("progress", {"lessons": {"00_start_here": {"opened_at": "x"}}})
    healthy = (store.home / "progress.json").read_bytes()
    _refuse_opening(monkeypatch, store.home / "progress.json", getattr(errno, error_number))
    assert store.read("progress") == {}
    monkeypatch.undo()
    assert (store.home / "progress.json").read_bytes() == healthy, "left where it was, untouched"
    assert not list(store.home.glob("progress.*-*.json")), "nothing was set aside"
    [notice] = store.take_notices()
    assert notice.problem == "unreadable"
    assert_plain(notice.message())
    assert "progress.json" in notice.message() and "left as it is" in notice.message()


def test_a_save_after_an_unreadable_read_never_replaces_the_unread_file(store: Store,
                                                                        monkeypatch) -> None:
    """The learner's progress must not restart empty because one read failed."""
    import errno

    from strategies import assert_plain

    store.write("progress", {"lessons": {"01_platform": {"opened_at": "x"}}})
    healthy = (store.home / "progress.json").read_bytes()
    _refuse_opening(monkeypatch, store.home / "progress.json", errno.EMFILE)
    started_from = store.read("progress")  # what a caller builds its next save on
    with pytest.raises(store_module.StoreError) as refused:
        store.update("progress", lambda data: {**data, "lessons": {}})
    assert_plain(str(refused.value))
    monkeypatch.undo()  # the hiccup is over, but the caller still holds the empty read
    with pytest.raises(store_module.StoreError) as refused:
        store.write("progress", {**started_from, "fresh": True})
    assert_plain(str(refused.value))
    assert "progress.json" in str(refused.value)
    assert (store.home / "progress.json").read_bytes() == healthy

    # Once the file reads again, saving works on the real content.
    store.update("progress", lambda data: {**data, "more": 1})
    assert store.read("progress") == {"lessons": {"01_platform": {"opened_at": "x"}}, "more": 1}
    store.write("progress", {"plain": "write"})
    assert store.read("progress") == {"plain": "write"}


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [100_000, 900, 200])
def test_deeply_nested_documents_are_damaged_not_a_crash(store: Store, depth: int) -> None:
    """Settings are read on every string lookup: a nested file must not crash every lesson."""
    store.home.mkdir(parents=True)
    envelope = ('{"app": "tiktok-lab", "schema_version": 1, "data": {"language": '
                + _nested(depth) + "}}")
    (store.home / "settings.json").write_text(envelope, encoding="utf-8")
    assert store.read("settings", report=False) == {}
    assert store.read("settings") == {}
    [notice] = store.take_notices()
    assert notice.problem == "corrupted"
    [kept] = store.home.glob("settings.corrupted-*.json")
    assert kept.read_text(encoding="utf-8") == envelope


def test_every_lookup_survives_a_deeply_nested_settings_file(fresh_learner: Path,
                                                             monkeypatch) -> None:
    from tiktok_lab.core.i18n import get_language, t

    monkeypatch.delenv("TIKTOK_LAB_LANG")
    fresh_learner.mkdir(parents=True)
    (fresh_learner / "settings.json").write_text(
        '{"app": "tiktok-lab", "schema_version": 1, "data": ' + _nested(100_000) + "}",
        encoding="utf-8")
    assert get_language() == "en"
    assert "Ready" in t("start.ready")


@pytest.mark.parametrize("depth", [100, 3000])
def test_saving_deeply_nested_data_is_refused_plainly(store: Store, depth: int) -> None:
    from strategies import assert_plain

    store.write("answers", {"kept": True})
    nested: list = []
    for _ in range(depth):
        nested = [nested]
    with pytest.raises(store_module.StoreError) as refused:
        store.write("answers", {"nested": nested})
    assert_plain(str(refused.value))
    assert store.read("answers") == {"kept": True}


def test_a_lone_surrogate_is_saved_as_a_replacement_character(store: Store) -> None:
    """A pasted half of an emoji ("\\ud800") used to raise while saving a reflection."""
    store.write("progress", {"answer": "before \ud800 after", "\udfff": "key", "ok": "🎬 é"})
    assert store.read("progress") == {"answer": "before \ufffd after", "\ufffd": "key",
                                      "ok": "🎬 é"}


def test_a_document_over_the_size_bound_is_refused_and_the_old_one_kept(store: Store,
                                                                      monkeypatch) -> None:
    from strategies import assert_plain

    bound_documents(monkeypatch, 10_000)
    store.write("progress", {"answer": "short"})
    with pytest.raises(store_module.StoreError) as refused:
        store.write("progress", {"answer": "x" * 10_000})
    assert_plain(str(refused.value))
    assert "MB" in str(refused.value)
    assert store.read("progress") == {"answer": "short"}
    assert not list(store.home.glob(".*.tmp"))


def test_a_file_over_the_size_bound_is_set_aside_unparsed(store: Store, monkeypatch) -> None:
    """A 50 MB progress file from before the bound is kept, not parsed on every check."""
    bound_documents(monkeypatch, 10_000)
    store.home.mkdir(parents=True)
    big = json.dumps({"app": "tiktok-lab", "schema_version": 1, "data": {"answer": "x" * 10_000}})
    (store.home / "progress.json").write_text(big, encoding="utf-8")
    assert store.read("progress") == {}
    [notice] = store.take_notices()
    assert notice.problem == "too_big" and notice.kept_at.name in notice.message()
    assert notice.kept_at.read_text(encoding="utf-8") == big


def test_the_download_never_follows_links_out_of_my_work(store: Store, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "id_rsa").write_text("PRIVATE KEY", encoding="utf-8")
    store.write("strategy", {"brand": "mine"})
    (store.home / "key.json").symlink_to(secret / "id_rsa")
    (store.home / "outside").symlink_to(secret, target_is_directory=True)
    (store.home / "notes").mkdir()
    (store.home / "notes" / "key.txt").symlink_to(secret / "id_rsa")
    (store.home / "notes" / "mine.txt").write_text("my notes", encoding="utf-8")
    archive = zipfile.ZipFile(__import__("io").BytesIO(store.archive()))
    assert sorted(archive.namelist()) == ["my_work/notes/mine.txt", "my_work/strategy.json"]
    assert all(b"PRIVATE" not in archive.read(name) for name in archive.namelist())


def _age(path: Path, seconds: float) -> None:
    import time

    old = time.time() - seconds
    os.utime(path, (old, old))


def test_temporary_files_left_by_killed_writers_are_cleaned(store: Store) -> None:
    store.home.mkdir(parents=True)
    stale = store.home / ".progress.k3j_x9a2.tmp"
    fresh = store.home / ".progress.ab12cd34.tmp"  # another writer may be filling it now
    foreign = [store.home / ".notes.ab12cd34.tmp", store.home / "progress.ab12cd34.tmp",
               store.home / ".progress.lesson.tmp"]
    for path in (stale, fresh, *foreign):
        path.write_text("half", encoding="utf-8")
        _age(path, 3600)
    _age(fresh, 5)
    store.write("progress", {"v": 1})
    assert not stale.exists()
    assert fresh.exists() and all(path.exists() for path in foreign)


def test_the_document_bound_leaves_room_for_the_largest_real_strategy(store: Store) -> None:
    """Four drafts with every field full, plus the most conflict records a document keeps,
    must fit several times over (the reasoning is beside ``MAX_DOCUMENT_BYTES``)."""
    import dataclasses

    from tiktok_lab.lessons.strategy import plan as strategy
    from tiktok_lab.work.shared_documents import MAX_CONFLICTS

    line = ("Une phrase de brief réaliste, accents é à ç et un émoji 🎬. " * 20)[:strategy.LINE_LIMIT]
    full = {}
    for item in dataclasses.fields(strategy.Strategy):
        default = getattr(strategy.Strategy(), item.name)
        if isinstance(default, str):
            full[item.name] = (line * 10)[:strategy.TEXT_LIMITS.get(item.name, strategy.MAX_TEXT)]
        elif isinstance(default, tuple):
            full[item.name] = [line] * strategy.MAX_ITEMS
    drafts = {f"draft-{i}": full for i in range(4)}
    conflict = {"field": ["drafts", "draft-1", "key_messages"], "kept": [line] * 20,
                "other": [line] * 20, "saved_at": "2026-01-01T00:00:00+00:00"}
    document = {"format": 1, "current": "draft-1", "drafts": drafts,
                "conflicts": [conflict] * MAX_CONFLICTS}
    store.write("strategy", document)
    size = (store.home / "strategy.json").stat().st_size
    assert size * 4 <= store_module.MAX_DOCUMENT_BYTES, f"{size:,} bytes leave too little room"
    assert store.read("strategy") == document


@settings(max_examples=40, deadline=None)
@given(depth=st.integers(1, 90), as_dict=st.booleans())
def test_whatever_saves_reads_back_and_whatever_is_refused_changes_nothing(
        tmp_path_factory, depth: int, as_dict: bool) -> None:
    """The write-side depth bound and the read-side one agree: no document is saved that
    the next read would set aside as damaged."""
    store = Store(tmp_path_factory.mktemp("depth"))
    store.write("answers", {"kept": True})
    nested: object = "leaf"
    for _ in range(depth):
        nested = {"k": nested} if as_dict else [nested]
    try:
        store.write("answers", {"nested": nested})
    except store_module.StoreDataError:
        assert store.read("answers") == {"kept": True}
    else:
        assert store.read("answers") == {"nested": nested}
    assert store.notices == []


def test_every_file_the_store_sets_aside_is_one_reset_recognises(store: Store,
                                                                  monkeypatch) -> None:
    """``tiktok-lab reset --work`` moves only what the store wrote: the copies it keeps
    aside (damaged, newer, too big, before a restore) must all be recognised as such."""
    from tiktok_lab.cli.reset import is_store_file

    bound_documents(monkeypatch, 10_000)
    store.home.mkdir(parents=True)
    contents = {"corrupted": "{broken", "newer": json.dumps(
        {"app": "tiktok-lab", "schema_version": SCHEMA_VERSION + 1, "data": {}}),
        "too_big": json.dumps({"app": "tiktok-lab", "schema_version": 1,
                               "data": {"x": "y" * 10_000}})}
    for problem, content in contents.items():
        (store.home / "progress.json").write_text(content, encoding="utf-8")
        store.read("progress")
    store.write("strategy", {"v": 1})
    store.restore(store.archive())
    kept = [p for p in store.home.iterdir() if p.name not in ("progress.json", "strategy.json")]
    assert len([p for p in kept if p.suffix == ".json"]) == 4, kept
    assert all(is_store_file(p) for p in kept), [p.name for p in kept if not is_store_file(p)]


def test_a_temporary_file_is_never_swept_while_its_writer_holds_the_lock(store: Store) -> None:
    """A writer stuck mid-save (holding the lock) keeps its temporary file, however old."""
    store.write("progress", {"v": 1})
    working = store.home / ".progress.abcd1234.tmp"
    working.write_text("half", encoding="utf-8")
    _age(working, 3600)
    other_kernel = Store(store.home, lock_timeout=0.1)
    with store.locked("progress"):
        with pytest.raises(store_module.StoreBusyError):
            other_kernel.write("progress", {"v": 2})
        assert working.exists()
    other_kernel.write("progress", {"v": 2})
    assert not working.exists(), "swept once the writer is gone"


def test_a_huge_file_of_the_learners_own_is_left_out_of_the_download_and_named(
        store: Store, monkeypatch) -> None:
    """A video dropped into my_work/ would be read into the kernel and sent to the
    page as base64; it stays on disk, and the download says so."""
    monkeypatch.setattr(store_archive, "MAX_DOWNLOAD_FILE_BYTES", 1_000)
    store.write("progress", {"lessons": {}})
    (store.home / "clip.mp4").write_bytes(b"\0" * 1_001)
    download = store.download()
    assert download.files == ("progress.json",)
    [left] = download.left_out
    assert (left.file, left.kind) == ("clip.mp4", "too_big_download")
    assert "MB" in left.reason() and (store.home / "clip.mp4").exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_messages_name_each_document_in_the_learners_words(store: Store, language: str,
                                                           monkeypatch) -> None:
    """The French said "Votre progress…": a file name is not what a learner calls it."""
    from tiktok_lab.core import i18n

    monkeypatch.setattr(i18n, "get_language", lambda: language)
    for name in ("progress", "settings", "strategy", "opportunity", "publishing", "ads"):
        label = store_module.document_label(name)
        assert i18n.load_strings(language).get(f"store.document.{name}") == label
        error = store_module.StoreWriteError(name, store.home, OSError(28, "No space left"))
        assert label in str(error)
        if language == "fr":
            assert f" {name} " not in str(error)
    assert store_module.document_label("unknown-doc") == "unknown-doc"
