"""The learner store: atomic writes, damaged and newer files, download and restore."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_lab import store as store_module
from tiktok_lab.store import SCHEMA_VERSION, Store, get_store


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
        "from tiktok_lab.store import Store\n"
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
