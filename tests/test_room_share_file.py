"""The class file (room/share_file.py): one format for the hub's drop box and the file handed
over on laptops, validated field by field; anything else is refused in plain words."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st

from tiktok_lab.room.share_file import (MAX_FILE_BYTES, MAX_NAME_CHARS, SharedAnswer,
                                        SharedLesson, SharedProgress, SharedQuiz, ShareFile,
                                        ShareFileError, clean_name, decode, encode, export_name)

PARTICIPANT = "0123456789abcdef0123456789abcdef"
WHEN = datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc)


def a_share(**values) -> ShareFile:
    base = dict(participant=PARTICIPANT, name="Anne B.", updated_at=WHEN,
                quizzes={"03_feed": SharedQuiz(answers={
                    "strong-signal": SharedAnswer(correct=True, choice=[0])})})
    return ShareFile(**{**base, **values})


def raw(share: ShareFile, **changes) -> bytes:
    data = json.loads(encode(share))
    data.update(changes)
    return json.dumps(data).encode()


def test_a_file_reads_back_as_it_was_written_and_equal_shares_give_equal_bytes():
    share = a_share(progress=SharedProgress(lessons={"03_feed": SharedLesson(
        opened=True, exercises=3, solved=1, questions=5, right=2)},
        unsuccessful={"03_feed/slow-tutorial": 2}))
    assert decode(encode(share)) == share
    assert encode(share) == encode(decode(encode(share)))
    assert share.items == ("quiz:03_feed", "progress")


@pytest.mark.parametrize("payload, reason", [
    (b"{", "not readable JSON"),
    (b"\xff\xfe", "not readable JSON"),
    (b"[1, 2]", "not a tiktok-lab sharing file"),
    (b'{"format": "something-else"}', "not a tiktok-lab sharing file"),
    (b"%PDF-1.7", "not readable JSON"),
    (b" " * (MAX_FILE_BYTES + 1), "too big"),
])
def test_what_is_not_a_class_file_is_refused_with_the_reason(payload, reason):
    with pytest.raises(ShareFileError) as refused:
        decode(payload)
    assert reason in refused.value.reason


def test_a_file_from_a_newer_release_says_to_update_rather_than_damaged():
    with pytest.raises(ShareFileError, match="newer version"):
        decode(raw(a_share(), schema_version=2, unknown_field=1))


@pytest.mark.parametrize("changes, field", [
    ({"participant": "robert'); drop table"}, "participant"),
    ({"name": "Anne\u0000B"}, "name"),
    ({"name": "x" * (MAX_NAME_CHARS + 1)}, "name"),
    ({"updated_at": "2026-12-07T09:30:00"}, "updated_at"),  # no time zone
    ({"quizzes": {"03_feed": {"answers": {"strong-signal": {"correct": True,
                                                            "choice": [500]}}}}}, "quizzes"),
    ({"quizzes": {"03_feed": {"answers": {"strong-signal": {"correct": "yes"}}}}}, "quizzes"),
    ({"quizzes": {"../../etc": {"answers": {}}}}, "quizzes"),
    ({"progress": {"lessons": {"03_feed": {"solved": -1}}}}, "progress"),
    ({"extra": "field"}, "extra"),
])
def test_a_damaged_file_names_the_field_that_is_wrong(changes, field):
    with pytest.raises(ShareFileError) as refused:
        decode(raw(a_share(), **changes))
    assert "damaged" in refused.value.reason
    assert field in refused.value.reason


def test_a_number_that_is_not_finite_is_refused():
    data = json.loads(encode(a_share()))
    data["quizzes"]["03_feed"]["answers"]["strong-signal"] = {"correct": False, "number": "NaN"}
    text = json.dumps(data).replace('"NaN"', "NaN")
    with pytest.raises(ShareFileError, match="damaged"):
        decode(text.encode())


def test_a_shared_strategy_is_read_through_the_builders_own_cleaning():
    long_brand = "B" * 10_000
    share = decode(raw(a_share(), strategy={"brand": long_brand, "posts_per_week": 1e300,
                                            "goal": "<script>", "unknown": 1}))
    assert 0 < len(share.strategy["brand"]) < len(long_brand)
    assert share.strategy["posts_per_week"] < 1e300
    assert "unknown" not in share.strategy
    assert share.items == ("quiz:03_feed", "strategy")


def test_the_french_reader_gets_french_reasons():
    with pytest.raises(ShareFileError) as refused:
        decode(b"{", language="fr")
    assert "n'est pas un fichier de partage" in refused.value.reason


@given(st.binary(max_size=400))
def test_any_bytes_give_a_class_file_or_a_plain_refusal(payload):
    try:
        decode(payload)
    except ShareFileError as error:
        assert error.reason


@given(st.dictionaries(st.sampled_from(["participant", "name", "quizzes", "progress",
                                        "strategy", "updated_at", "language"]),
                       st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                                    lambda inner: st.lists(inner) | st.dictionaries(
                                        st.text(max_size=12), inner), max_leaves=8)))
def test_any_json_in_the_right_envelope_gives_a_class_file_or_a_plain_refusal(fields):
    data = {"format": "tiktok-lab-class-share", "schema_version": 1, **fields}
    try:
        decode(json.dumps(data).encode())
    except ShareFileError as error:
        assert error.reason


@pytest.mark.parametrize("typed, kept", [
    ("  Anne   B. ", "Anne B."),
    ("", None),
    ("   ", None),
    (None, None),
    ("Anne\tB\u200b", "Anne B"),  # a tab and a zero-width space (format characters) fold away
    ("<b>Anne</b> 🎉", "<b>Anne</b> 🎉"),  # kept as typed; every view escapes it
    ("é" * 100, "é" * MAX_NAME_CHARS),
    ("\ud800x", "\ufffdx"),
])
def test_a_display_name_is_what_was_typed_made_safe_to_keep(typed, kept):
    assert clean_name(typed) == kept


def test_every_kept_name_is_accepted_by_the_file():
    for typed in ("  Anne ", "\u0007bell", "x" * 200, "🎉" * 50):
        a_share(name=clean_name(typed))


@pytest.mark.parametrize("name, start", [
    ("Élodie Martin", "tiktok-lab-class-elodie-martin-"),
    (None, "tiktok-lab-class-anonymous-"),
    ("🎉🎉", "tiktok-lab-class-anonymous-"),
    ("../../etc/passwd", "tiktok-lab-class-etc-passwd-"),
])
def test_the_exported_name_is_readable_safe_and_unique_per_participant(name, start):
    filename = export_name(a_share(name=name))
    assert filename.startswith(start)
    assert filename.endswith(f"-{PARTICIPANT[:6]}.json")
    assert "/" not in filename
