"""The one rule every shared document is saved by: a three-way merge, field by field.

Properties of :func:`tiktok_lab.work.merge.merge_documents` on JSON documents
(nested dicts, lists, text, numbers, booleans, null) and of
:func:`tiktok_lab.work.shared_documents.save_merged` on a real store.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_lab.work.merge import ABSENT, merge_documents, same, touches
from tiktok_lab.work.shared_documents import (CONFLICTS, TooLong, check_length, check_lines,
                                         conflict_messages, save_merged, tidy_text,
                                         update_message)
from tiktok_lab.work.store import Store

KEYS = st.sampled_from(["brand", "tone", "objective", "drafts", "draft-1", "draft-2", "budget",
                        "daily", "days", "plan", "note", "é🎵"])
leaves = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False),
                   st.text(max_size=4))
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(KEYS, inner, max_size=4), max_leaves=12)
documents = st.dictionaries(KEYS, values, max_size=5)


def leaf_paths(document: Any, prefix: tuple = ()) -> dict[tuple, Any]:
    """Every place of a document and the value there (dicts are walked into)."""
    if isinstance(document, dict) and document:
        found: dict[tuple, Any] = {}
        for key, value in document.items():
            found.update(leaf_paths(value, (*prefix, key)))
        return found
    return {prefix: document}


def at(document: Any, path: tuple) -> Any:
    for key in path:
        if not isinstance(document, dict) or key not in document:
            return ABSENT
        document = document[key]
    return document


@st.composite
def edits(draw, base: dict) -> dict:
    """``base`` with some top-level fields changed, added or removed."""
    document = dict(base)
    for key in draw(st.lists(KEYS, max_size=3, unique=True)):
        if key in document and draw(st.booleans()):
            del document[key]
        else:
            document[key] = draw(values)
    return document


@given(base=documents)
def test_nothing_changed_merges_to_the_same_document(base) -> None:
    merge = merge_documents(base, base, base)
    assert same(merge.merged, base) and not merge.conflicts and not merge.from_theirs


@given(base=documents, data=st.data())
def test_when_one_side_changed_nothing_the_other_side_is_the_result(base, data) -> None:
    changed = data.draw(edits(base))
    mine_only = merge_documents(base, changed, base)
    assert same(mine_only.merged, changed) and not mine_only.conflicts
    assert not mine_only.from_theirs
    theirs_only = merge_documents(base, base, changed)
    assert same(theirs_only.merged, changed) and not theirs_only.conflicts


@given(base=documents, data=st.data())
def test_the_same_change_on_both_sides_is_no_conflict(base, data) -> None:
    changed = data.draw(edits(base))
    merge = merge_documents(base, changed, changed)
    assert same(merge.merged, changed) and not merge.conflicts


@settings(max_examples=150)
@given(base=documents, mine_keys=st.lists(KEYS, max_size=4, unique=True), data=st.data())
def test_fields_changed_by_only_one_side_always_survive(base, mine_keys, data) -> None:
    """Two windows editing different fields: the merge holds both edits, no conflict."""
    theirs_keys = data.draw(st.lists(KEYS.filter(lambda k: k not in mine_keys), max_size=4,
                                     unique=True))
    mine, theirs = dict(base), dict(base)
    for key in mine_keys:
        mine[key] = data.draw(values)
    for key in theirs_keys:
        theirs[key] = data.draw(values)
    merge = merge_documents(base, mine, theirs)
    assert not merge.conflicts
    for key in mine_keys:
        assert same(merge.merged[key], mine[key]), key
    for key in theirs_keys:
        assert same(merge.merged[key], theirs[key]), key
    for key in set(base) - set(mine_keys) - set(theirs_keys):
        assert same(merge.merged[key], base[key])


@settings(max_examples=150)
@given(base=documents, data=st.data())
def test_conflicts_are_symmetric_and_keep_mine(base, data) -> None:
    mine, theirs = data.draw(edits(base)), data.draw(edits(base))
    forward, backward = merge_documents(base, mine, theirs), merge_documents(base, theirs, mine)
    assert sorted(map(repr, (c.path for c in forward.conflicts))) == \
        sorted(map(repr, (c.path for c in backward.conflicts)))
    for conflict in forward.conflicts:
        assert same(at(forward.merged, conflict.path), conflict.mine)
        assert same(at(backward.merged, conflict.path), conflict.theirs)
    conflicted = [c.path for c in forward.conflicts]
    for path, value in leaf_paths(forward.merged).items():
        if not touches(path, conflicted):
            assert same(at(backward.merged, path), value), path


@settings(max_examples=150)
@given(base=documents, data=st.data())
def test_nothing_the_other_side_changed_is_lost(base, data) -> None:
    """Every value the other window saved is in the result, or in a conflict record."""
    mine, theirs = data.draw(edits(base)), data.draw(edits(base))
    merge = merge_documents(base, mine, theirs)
    for path, value in leaf_paths(theirs).items():
        if same(at(base, path), value):
            continue  # not a change of theirs
        kept = same(at(merge.merged, path), value) or (
            value == {} and isinstance(at(merge.merged, path), dict))  # an empty dict, filled
        recorded = any(path[:len(c.path)] == c.path and same(at(c.theirs, path[len(c.path):])
                                                             if c.theirs is not ABSENT else
                                                             ABSENT, value)
                       for c in merge.conflicts)
        assert kept or recorded, path


def test_lists_of_the_same_length_merge_position_by_position() -> None:
    base = {"plan": [{"note": "a"}, {"note": "b"}, {"note": "c"}]}
    mine = {"plan": [{"note": "A"}, {"note": "b"}, {"note": "c"}]}
    theirs = {"plan": [{"note": "a"}, {"note": "b"}, {"note": "C"}]}
    merge = merge_documents(base, mine, theirs)
    assert merge.merged == {"plan": [{"note": "A"}, {"note": "b"}, {"note": "C"}]}
    assert merge.from_theirs == (("plan", 2),)


def test_json_types_count() -> None:
    assert not same(1, True) and not same(0, False) and same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    merge = merge_documents({"x": 1}, {"x": True}, {"x": 1})
    assert merge.merged == {"x": True}


# ---------------------------------------------------------------- save_merged on a store


def read_plain(raw: Any) -> dict:
    """A read path: keeps the text fields, repairs anything else to empty text."""
    raw = raw if isinstance(raw, dict) else {}
    return {k: (raw.get(k) if isinstance(raw.get(k), str) else "") for k in ("brand", "tone")}


def test_two_windows_saving_different_fields_both_survive(tmp_path) -> None:
    store = Store(tmp_path / "my_work")
    base = read_plain({})
    first = save_merged("doc", base, {**base, "brand": "Infusia"}, read=read_plain, store=store)
    second = save_merged("doc", base, {**base, "tone": "Warm"}, read=read_plain, store=store)
    assert store.read("doc") == {"brand": "Infusia", "tone": "Warm"}
    assert second.from_theirs == (("brand",),) and not second.conflicts
    assert "Brand" in update_message(second, lambda path: path[0].title())
    assert first.document == {"brand": "Infusia", "tone": ""}
    assert second.document == {"brand": "Infusia", "tone": "Warm"}


def test_a_conflict_keeps_mine_records_theirs_and_says_so(tmp_path) -> None:
    store = Store(tmp_path / "my_work")
    base = read_plain({})
    save_merged("doc", base, {**base, "brand": "From A"}, read=read_plain, store=store)
    saved = save_merged("doc", base, {**base, "brand": "From B"}, read=read_plain, store=store)
    on_disk = store.read("doc")
    assert on_disk["brand"] == "From B"
    assert on_disk[CONFLICTS][0]["other"] == "From A" and on_disk[CONFLICTS][0]["field"] == ["brand"]
    messages = conflict_messages(saved, lambda path: "Brand", document="doc")
    assert len(messages) == 1 and "From A" in messages[0] and "Brand" in messages[0]
    assert update_message(saved, lambda path: "Brand") == ""
    # The record survives later saves, and the read path never sees it.
    again = save_merged("doc", saved.document, {**saved.document, "tone": "x"}, read=read_plain,
                        store=store)
    assert CONFLICTS not in again.document and store.read("doc")[CONFLICTS][0]["other"] == "From A"


def test_keys_the_read_path_does_not_know_are_kept(tmp_path) -> None:
    store = Store(tmp_path / "my_work")
    store.write("doc", {"brand": "A", "from_a_newer_course": [1, 2]})
    base = read_plain(store.read("doc"))
    save_merged("doc", base, {**base, "tone": "x"}, read=read_plain, store=store)
    assert store.read("doc") == {"brand": "A", "tone": "x", "from_a_newer_course": [1, 2]}


def test_odd_values_on_disk_are_repaired_by_the_read_path_before_merging(tmp_path) -> None:
    store = Store(tmp_path / "my_work")
    base = read_plain({})
    store.write("doc", {"brand": {"nested": 1}, "tone": float("nan")})
    saved = save_merged("doc", base, {**base, "brand": "B"}, read=read_plain, store=store)
    assert saved.document == {"brand": "B", "tone": ""}


# ---------------------------------------------------------------- text limits


@given(text=st.text(max_size=40), limit=st.integers(1, 30))
def test_a_text_past_its_limit_is_always_named(text, limit) -> None:
    problem = check_length("brand", text, limit)
    assert (problem is None) == (len(tidy_text(text)) <= limit)
    if problem:
        message = problem.message("Brand")
        assert "Brand" in message and str(limit) in message


def test_lists_say_too_many_lines_and_too_long_lines() -> None:
    problems = check_lines("pillars", ["a" * 12, "b", "c"], max_lines=2, line_limit=10)
    assert problems == [TooLong("pillars", 2, 3, "lines"), TooLong("pillars", 10, 12, "line")]
    assert "3 lines" in problems[0].message("Pillars")


@pytest.mark.parametrize("value, text", [({"a": 1}, ""), ([1], ""), (None, ""), (3, "3"),
                                         ("a\x00b\ud800", "a b")])
def test_tidy_text_takes_anything(value, text) -> None:
    assert tidy_text(value) == text


def test_two_windows_trading_the_same_texts_keep_an_older_different_one(tmp_path) -> None:
    """The conflict record keeps MAX_CONFLICTS entries: two windows alternating the same
    two tones pushed the brand's set-aside text out after twenty rounds."""
    from tiktok_lab.work.shared_documents import MAX_CONFLICTS

    store = Store(tmp_path / "my_work")
    base = read_plain({})
    save_merged("doc", base, {**base, "brand": "A's brand"}, read=read_plain, store=store)
    save_merged("doc", base, {**base, "brand": "B's brand"}, read=read_plain, store=store)
    for round_ in range(MAX_CONFLICTS + 5):
        current = read_plain(store.read("doc"))
        tone = "Warm" if round_ % 2 else "Bold"
        save_merged("doc", current, {**current, "tone": tone}, read=read_plain, store=store)
        save_merged("doc", current, {**current, "tone": "Calm" if round_ % 2 else "Dry"},
                    read=read_plain, store=store)
    others = [r["other"] for r in store.read("doc")[CONFLICTS]]
    assert "A's brand" in others and len(others) <= MAX_CONFLICTS
