"""Restoring a ``.zip`` (issue 14): every odd archive gets an answer, never an exception,
and the answer says, file by file, what was and was not restored.

The archives are built by hand to carry what a careless or unlucky upload carries: an
encrypted entry, a compression method the course cannot open, broken deflate data,
JSON nested deeper than Python can follow, a zip bomb, thousands of entries.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from save_faults import bound_documents
from strategies import assert_plain
from tiktok_lab.work import store_archive
from tiktok_lab.work.store import APP_NAME, SCHEMA_VERSION, Store




@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "my_work")
    store.write("progress", {"kept": True})
    return store


def _document(data: object = None, name: str = "x") -> str:
    return json.dumps({"app": APP_NAME, "schema_version": SCHEMA_VERSION, "document": name,
                       "data": {"restored": True} if data is None else data})


def _zip(*members: tuple[str, str | bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as bundle:
        for name, content in members:
            bundle.writestr(name, content)
    return buffer.getvalue()


def _with_header_field(archive: bytes, member: str, **fields: int) -> bytes:
    """Rewrite ``member``'s headers (local and central) as a hand-made zip would have them:
    ``method`` (compression), ``flags`` (bit 0: encrypted), ``file_size``."""
    data = bytearray(archive)
    encoded = member.encode()
    # (signature, offset of flags, offset of method, offset of file size, offset of name length)
    for signature, flags, method, size, name_at, name_from in (
            (b"PK\x03\x04", 6, 8, 22, 26, 30), (b"PK\x01\x02", 8, 10, 24, 28, 46)):
        start = data.find(signature)
        while start != -1:
            (length,) = struct.unpack_from("<H", data, start + name_at)
            if bytes(data[start + name_from:start + name_from + length]) == encoded:
                if "flags" in fields:
                    struct.pack_into("<H", data, start + flags, fields["flags"])
                if "method" in fields:
                    struct.pack_into("<H", data, start + method, fields["method"])
                if "file_size" in fields:
                    struct.pack_into("<I", data, start + size, fields["file_size"])
            start = data.find(signature, start + 4)
    return bytes(data)


def _broken_deflate(archive: bytes, member: str) -> bytes:
    """Overwrite ``member``'s compressed bytes with data zlib rejects."""
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo(member)
    data = bytearray(archive)
    (name_length, extra_length) = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    data[start:start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(data)


def _outcome(result) -> dict[str, str]:
    return {skipped.file: skipped.kind for skipped in result.skipped}


def _assert_answers_plainly(result) -> None:
    for skipped in result.skipped:
        assert_plain(skipped.reason())
    if result.problem:
        assert_plain(result.message())


GOOD = ("my_work/settings.json", _document({"language": "fr"}))


@pytest.mark.parametrize("case, kind", [
    ("encrypted", "encrypted"),
    ("unknown method", "compression"),
    ("broken deflate", "damaged"),
    ("nested JSON", "damaged"),
    ("bad utf-8", "damaged"),
    ("newer", "newer"),
])
def test_an_odd_entry_is_skipped_with_its_reason_and_the_rest_restored(store: Store, case: str,
                                                                       kind: str) -> None:
    member = "my_work/strategy.json"
    archive = _zip(GOOD, (member, _document({"brand": "b" * 2000})))
    if case == "encrypted":
        archive = _with_header_field(archive, member, flags=0x1)
    elif case == "unknown method":
        archive = _with_header_field(archive, member, method=99)
    elif case == "broken deflate":
        archive = _broken_deflate(archive, member)
    elif case == "nested JSON":
        nested = "[" * 100_000 + "]" * 100_000
        envelope = '{"app": "tiktok-lab", "schema_version": 1, "data": {"deep": ' + nested + "}}"
        archive = _zip(GOOD, (member, envelope))
    elif case == "bad utf-8":
        archive = _zip(GOOD, (member, b"\xff\xfe" + _document().encode("utf-16-le")))
    elif case == "newer":
        archive = _zip(GOOD, (member, json.dumps({"app": APP_NAME, "schema_version": 99,
                                                  "data": {}})))
    result = store.restore(archive)
    assert list(result) == ["settings"]
    assert _outcome(result) == {member: kind}
    _assert_answers_plainly(result)
    assert store.read("settings") == {"language": "fr"}
    assert "strategy" not in store.documents()


@pytest.mark.parametrize("error", [zlib.error("invalid block type"), EOFError("truncated"),
                                   RuntimeError("unknown"), NotImplementedError("method"),
                                   RecursionError("deep"), OSError(5, "I/O error")])
def test_any_error_while_unpacking_one_entry_is_an_answer(store: Store, monkeypatch,
                                                          error: Exception) -> None:
    """Whatever zipfile, zlib or the JSON reader raise for one entry, the others are restored."""
    real_open = zipfile.ZipFile.open

    def failing_open(self, member, *args, **kwargs):
        name = member.filename if isinstance(member, zipfile.ZipInfo) else member
        if name == "my_work/strategy.json":
            raise error
        return real_open(self, member, *args, **kwargs)

    archive = _zip(GOOD, ("my_work/strategy.json", _document()))
    monkeypatch.setattr(zipfile.ZipFile, "open", failing_open)
    result = store.restore(archive)
    assert list(result) == ["settings"]
    assert list(_outcome(result)) == ["my_work/strategy.json"]
    _assert_answers_plainly(result)


def test_a_restore_that_fails_part_way_says_what_was_and_was_not_restored(store: Store,
                                                                         monkeypatch) -> None:
    """The disk fills up after the first document: the second is named as not restored, and
    its current version is intact."""
    import os

    store.write("strategy", {"brand": "current"})
    real_replace = os.replace

    def full_disk_for_strategy(src, dst, *args, **kwargs):
        if Path(dst).name == "strategy.json":
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full_disk_for_strategy)
    result = store.restore(_zip(GOOD, ("my_work/strategy.json", _document({"brand": "zip"}))))
    monkeypatch.undo()
    assert list(result) == ["settings"]
    [skipped] = result.skipped
    assert skipped.file == "my_work/strategy.json" and "disk is full" in skipped.reason()
    _assert_answers_plainly(result)
    assert store.read("strategy") == {"brand": "current"}
    assert not list(store.home.glob(".*.tmp"))


def test_a_header_that_understates_the_size_cannot_unpack_more_than_the_bound(
        store: Store, monkeypatch) -> None:
    """The size written in the zip is not trusted: unpacking stops at the bound."""
    bound_documents(monkeypatch, 50_000)
    member = "my_work/strategy.json"
    big = _document({"text": "x" * 200_000})
    archive = _with_header_field(_zip(GOOD, (member, big)), member, file_size=100)
    read = []
    real_open = zipfile.ZipFile.open

    def counting_open(self, *args, **kwargs):
        entry = real_open(self, *args, **kwargs)
        real_read = entry.read

        def read_counted(n=-1):
            chunk = real_read(n)
            read.append(len(chunk))
            return chunk

        entry.read = read_counted
        return entry

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    result = store.restore(archive)
    assert list(result) == ["settings"] and member in _outcome(result)
    assert max(read) <= 100_000, "never more than the bound (plus one chunk) in memory"


def test_an_entry_larger_than_a_document_can_be_is_skipped(store: Store, monkeypatch) -> None:
    bound_documents(monkeypatch, 50_000)
    member = "my_work/strategy.json"
    result = store.restore(_zip(GOOD, (member, _document({"text": "é" * 60_000}))))
    assert list(result) == ["settings"] and _outcome(result) == {member: "too_big"}
    _assert_answers_plainly(result)


def test_a_zip_bomb_is_refused_without_unpacking_it(store: Store) -> None:
    """97 KB that unpacks to 100 MB (the issue's example) never reaches the kernel's memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(*GOOD)
        with bundle.open("my_work/progress.json", "w") as bomb:  # streamed: no 100 MB string
            bomb.write(b'{"app": "tiktok-lab", "schema_version": 1, "data": {"text": "')
            for _ in range(100):
                bomb.write(b"0" * 1_000_000)
            bomb.write(b'"}}')
    archive = buffer.getvalue()
    assert len(archive) < 200_000
    result = store.restore(archive)
    assert list(result) == ["settings"]
    assert _outcome(result)["my_work/progress.json"] in ("too_big", "suspicious")
    assert store.read("progress") == {"kept": True}
    _assert_answers_plainly(result)


def test_a_highly_compressed_entry_is_refused_below_the_size_bound(store: Store,
                                                                   monkeypatch) -> None:
    """Deflate packs a run of one character a thousand times: no learner's text does that."""
    monkeypatch.setattr(store_archive, "RATIO_CHECK_FROM_BYTES", 1_000, raising=False)
    member = "my_work/strategy.json"
    result = store.restore(_zip(GOOD, (member, _document({"text": "0" * 2_000_000}))))
    assert _outcome(result) == {member: "suspicious"}
    _assert_answers_plainly(result)


def test_too_many_entries_are_refused_as_a_whole(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(store_archive, "MAX_ARCHIVE_ENTRIES", 20, raising=False)
    members = [GOOD] + [(f"my_work/photo-{i}.jpg", b"x") for i in range(25)]
    result = store.restore(_zip(*members))
    assert list(result) == [] and result.problem == "too_many"
    _assert_answers_plainly(result)
    assert store.documents() == ["progress"]


def test_too_much_in_all_is_refused_as_a_whole(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(store_archive, "MAX_ARCHIVE_BYTES", 30_000, raising=False)
    members = [(f"my_work/doc-{i}.json", _document({"text": "y" * 10_000})) for i in range(5)]
    result = store.restore(_zip(*members))
    assert list(result) == [] and result.problem == "too_big"
    _assert_answers_plainly(result)
    assert store.documents() == ["progress"]


def test_the_copies_a_download_carries_are_named_not_restored(store: Store) -> None:
    """A download holds copies kept aside earlier: they are reported apart, as such."""
    result = store.restore(_zip(GOOD, ("my_work/progress.before-restore-20260101-000000.json",
                                       _document()), ("my_work/notes.txt", "hello"),
                                ("my_work/", b"")))
    assert list(result) == ["settings"]
    assert _outcome(result) == {"my_work/progress.before-restore-20260101-000000.json": "kept_copy",
                                "my_work/notes.txt": "not_ours"}
    _assert_answers_plainly(result)


def test_a_foreign_upload_says_so(store: Store) -> None:
    result = store.restore(b"\x89PNG not a zip")
    assert list(result) == [] and result.problem == "not_zip"
    _assert_answers_plainly(result)


@st.composite
def damaged_archives(draw) -> bytes:
    """A real download with some bytes changed, cut short, or headers rewritten."""
    archive = bytearray(_zip(GOOD, ("my_work/strategy.json", _document({"brand": "b" * 300})),
                             ("my_work/progress.json", _document({"lessons": {}}))))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(archive) - 1))
        archive[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        archive = archive[:draw(st.integers(0, len(archive)))]
    return bytes(archive)


@settings(max_examples=150)
@given(archive=damaged_archives())
def test_a_damaged_download_never_raises_and_answers_plainly(tmp_path_factory, archive) -> None:
    store = Store(tmp_path_factory.mktemp("damaged") / "my_work")
    store.write("progress", {"kept": True})
    result = store.restore(archive)
    _assert_answers_plainly(result)
    assert set(result) <= {"settings", "strategy", "progress"}
    outcome = set(result) | {Path(s.file).stem for s in result.skipped}
    if "progress" not in result:
        assert store.read("progress") == {"kept": True}
    assert outcome or result.problem, "every attempt has an answer"


@pytest.mark.parametrize("member", ["progress.json", "my_work 2/progress.json",
                                    "Téléchargements/progress.json"])
def test_a_download_zipped_again_by_the_learners_computer_restores(store: Store,
                                                                    member: str) -> None:
    """Unpacked, then re-zipped with the computer's own "Compress": the documents are
    at the top of the .zip, or in a renamed folder, and still theirs."""
    result = store.restore(_zip((member, _document({"lessons": {"01": {}}}, "progress"))))
    assert list(result) == ["progress"] and not result.skipped
    assert store.read("progress") == {"lessons": {"01": {}}}


@pytest.mark.parametrize("member", ["a/b/progress.json", "__MACOSX/._progress.json",
                                    "../progress.json"])
def test_only_documents_at_the_top_or_one_folder_down_are_restored(store: Store,
                                                                   member: str) -> None:
    result = store.restore(_zip((member, _document({"lessons": {}}, "progress"))))
    assert list(result) == [] and [s.kind for s in result.skipped] == ["not_ours"]
    assert store.read("progress") == {"kept": True}
