"""Restoring ``my_work`` from whatever a learner uploads.

The start notebook's "restore my work" takes any file the learner picks: the
right zip, another zip, a photo, nothing. ``Store.restore`` must never raise,
never write outside ``my_work/``, restore only documents of ours, and lose
nothing it replaces.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import assert_plain, learner_values
from tiktok_lab.work.store import APP_NAME, SCHEMA_VERSION, Store

NAMES = st.one_of(
    st.sampled_from(["progress", "strategy", "settings", "opportunity", "a-b_c", "x" * 64]),
    st.sampled_from(["", "..", "PROGRESS", "pro gress", "ü", "../../outside", "x" * 65]),
)
MEMBERS = st.one_of(
    NAMES.map(lambda n: f"my_work/{n}.json"),
    NAMES.map(lambda n: f"{n}.json"),
    NAMES.map(lambda n: f"my_work/sub/{n}.json"),
    NAMES.map(lambda n: f"/my_work/{n}.json"),
    NAMES.map(lambda n: f"my_work/../{n}.json"),
    st.text(max_size=30),
)


def _envelope(name: str, data, *, version: int = SCHEMA_VERSION, app: str = APP_NAME) -> str:
    return json.dumps({"app": app, "schema_version": version, "document": name, "data": data})


CONTENTS = st.one_of(
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3).map(
        lambda data: _envelope("x", data)),
    st.just(_envelope("x", {"a": 1}, version=SCHEMA_VERSION + 1)),
    st.just(_envelope("x", {"a": 1}, app="someone-else")),
    st.just(_envelope("x", ["not", "a", "dict"])),
    st.text(max_size=40),
    st.binary(max_size=40),
)


def _zip(members: list[tuple[str, object]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name, content in members:
            if name:
                bundle.writestr(name, content)
    return buffer.getvalue()


@settings(max_examples=80)
@given(members=st.lists(st.tuples(MEMBERS, CONTENTS), max_size=5, unique_by=lambda m: m[0]),
       upload=st.one_of(st.none(), learner_values, st.binary(max_size=60)),
       zipped=st.booleans())
def test_restoring_any_upload_never_raises_nor_escapes(tmp_path_factory, members, upload,
                                                       zipped) -> None:
    root = tmp_path_factory.mktemp("restore")
    store = Store(root / "my_work")
    store.write("progress", {"kept": True})
    before = {p.relative_to(root) for p in root.rglob("*")}

    payload = _zip(members) if zipped else upload
    restored = store.restore(payload)

    _every_file_is_accounted_for(payload, restored)
    created = {p.relative_to(root) for p in root.rglob("*")} - before
    assert all(path.parts[0] == "my_work" and len(path.parts) == 2 for path in created), created
    for name in restored:
        assert (store.home / f"{name}.json").is_file()
        assert isinstance(store.read(name), dict)
    if "progress" in restored:
        kept = list(store.home.glob("progress.before-restore-*.json"))
        assert kept, "the version replaced by a restore is kept beside it"
    else:
        assert store.read("progress") == {"kept": True}
    assert store.notices == []


def _every_file_is_accounted_for(payload: object, result) -> None:
    """Each file of the .zip is restored or named with a plain reason; a refusal says why."""
    for skipped in result.skipped:
        assert_plain(skipped.reason())
    if result.problem:
        assert_plain(result.message())
        assert list(result) == []
        return
    assert isinstance(payload, (bytes, bytearray, memoryview)), "only a file can be opened"
    bundle = zipfile.ZipFile(io.BytesIO(payload))
    files = {i.filename for i in bundle.infolist() if not i.is_dir()}
    skipped = {s.file for s in result.skipped}
    restored_from = files - skipped
    # Each file not named as skipped brought back exactly one document, by its name.
    assert sorted(PurePosixPath(f).stem for f in restored_from) == sorted(result)
    assert all(PurePosixPath(f).name.endswith(".json") and len(PurePosixPath(f).parts) <= 2
               for f in restored_from)
