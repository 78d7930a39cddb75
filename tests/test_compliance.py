"""Lesson 07's rules before publishing (``data/compliance.yaml``): loaded, sourced, translated,
and shown through the interface the strategy brief uses."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from tiktok_lab.core.datafiles import DataFileError, data_dir
from tiktok_lab.core.sources import citations, registry
from tiktok_lab.lessons.strategy.compliance import (
    APPLIES_TO,
    TOPICS,
    ComplianceNote,
    compliance_notes,
    load_compliance,
)

DATA = Path(str(data_dir()))


def test_the_rules_load_and_cover_the_brief() -> None:
    """The capstone brief needs disclosure, minors and music; claims matter to a herbal tea."""
    items = load_compliance().items
    assert {item.topic for item in items} >= {"disclosure", "minors", "music", "claims"}
    for item in items:
        assert item.topic in TOPICS
        assert set(item.applies_to) <= set(APPLIES_TO)


def test_every_rule_cites_documents_that_exist_and_cite_it_back() -> None:
    known = registry()
    cited = {i for c in citations() if c.file == "compliance.yaml" for i in c.ids}
    for item in load_compliance().items:
        assert item.seen_in, item.id
        for document_id in item.seen_in:
            assert document_id in known, (item.id, document_id)
        assert set(item.seen_in) <= cited


def test_a_dated_rule_is_no_more_precise_than_its_pages() -> None:
    """``as_of`` keeps the precision of the pages: a rule whose pages show no date says so."""
    known = registry()
    for item in load_compliance().items:
        dated = [known[i] for i in item.seen_in if known[i].date is not None]
        if item.as_of == "undated":
            assert item.date is None
            continue
        assert dated, f"{item.id} is dated but none of its pages is"
        finest = {"year": 0, "month": 1, "day": 2}
        assert max(finest[d.date_precision] for d in dated) >= finest[item.date_precision]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_note_is_given_in_both_languages(language: str) -> None:
    notes = compliance_notes(language)
    other = compliance_notes("fr" if language == "en" else "en")
    assert len(notes) == len(load_compliance().items)
    for note, twin in zip(notes, other):
        assert note.title and note.rule and note.source_text and note.source_html
        assert note.rule != twin.rule, note.id
    if language == "fr":
        for note in notes:
            for mark in (" :", " ;", " ?", " !", "« ", " »"):
                assert mark not in note.rule + note.title, (note.id, mark)


def test_the_interface_the_brief_codes_against() -> None:
    fields = {f.name: f.type for f in dataclasses.fields(ComplianceNote)}
    for name in ("id", "topic", "applies_to", "title", "rule", "source_text", "source_html"):
        assert name in fields
    note = next(n for n in compliance_notes("en") if n.id == "no-personalised-ads-to-teens")
    assert isinstance(note.applies_to, frozenset) and "paid" in note.applies_to
    # The duty is EU law (DSA art. 28) before it is TikTok's choice: the citation says so.
    assert note.source_text == "EU Digital Services Act, art. 28; TikTok, as of October 2024"
    assert 'href="https://ads.tiktok.com/help/article/protecting-minors' in note.source_html
    assert 'rel="noopener"' in note.source_html
    undated = next(n for n in compliance_notes("fr") if n.id == "tiktok-disclosure-setting")
    assert undated.source_text == "TikTok, page non datée"
    assert "<a href=" in undated.source_html and "<script" not in undated.source_html
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.rule = "changed"  # type: ignore[misc]


def test_the_french_law_is_cited_as_french_lawyers_cite_it() -> None:
    """Its number, date, article and amending ordinance, the date said once (French editor's
    review of issue 17); the table shows a French reliability grade, not "High"."""
    import tiktok_lab as tl

    note = next(n for n in compliance_notes("fr") if n.id == "france-commercial-mention")
    assert note.source_text == ("Loi n°\u00a02023-451 du 9 juin 2023, art. 5, modifié par "
                                "l'ordonnance n°\u00a02024-978 du 6 novembre 2024")
    assert "legifrance.gouv.fr" in note.source_html
    english = next(n for n in compliance_notes("en") if n.id == "france-commercial-mention")
    assert english.source_text.endswith(", as of November 2024")
    table = tl.compliance_table("disclosure", language="fr").data
    assert "fiabilité\u00a0: Élevée" in table and "High" not in table  # confidence_label


def test_the_table_shows_every_rule_with_its_link() -> None:
    import tiktok_lab as tl

    html = tl.compliance_table(language="en").data
    for note in compliance_notes("en"):
        assert note.source_html in html
    assert "There is no topic" in tl.compliance_table("legal", language="en").data
    assert tl.compliance_table("music", language="fr").data.count("<tr>") == 1 + sum(
        n.topic == "music" for n in compliance_notes("fr"))


def test_a_document_no_rule_cites_any_more_is_refused(tmp_path: Path) -> None:
    """The other direction: dropping a rule's only citation leaves its page uncited."""
    _copy_data(tmp_path)
    path = tmp_path / "compliance.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("seen_in: [tiktok-help-undated-weight-management-ads]",
                                 "seen_in: [tiktok-help-2024-10-protecting-minors]"), encoding="utf-8")
    with pytest.raises(DataFileError, match="no content file cites this document"):
        load_compliance(path)


def _copy_data(tmp_path: Path) -> None:
    for name in ("compliance.yaml", "sources.yaml", "figures.yaml", "article_claims.yaml",
                 "platform.yaml", "feed_lesson.yaml", "feed.yaml", "ad_formats.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    shutil.copytree(DATA / "quizzes", tmp_path / "quizzes")


@pytest.mark.parametrize(("old", "new", "words"), [
    ("seen_in: [tiktok-help-undated-weight-management-ads]", "seen_in: [tiktok-help-undated-weight-management-ads, no-such-page]",
     "is not the id of a document"),
    ("as_of: 2024-10\n", "as_of: October 2024\n", "at the precision of its pages"),
    ("applies_to: [paid]\n", "applies_to: [everyone]\n", "must be one of all, paid"),
    ("topic: music\n", "topic: legal\n", "must be one of disclosure, minors"),
])
def test_a_broken_row_is_refused_with_its_field(tmp_path: Path, old: str, new: str,
                                                words: str) -> None:
    _copy_data(tmp_path)
    path = tmp_path / "compliance.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=words):
        load_compliance(path)


def test_the_rules_state_no_more_than_their_sources() -> None:
    """Review of issue 17: the French mention is an example, not an obligation; plant claims
    "on hold" exist; the duty on teen ads is EU law; the table says it is not exhaustive."""
    notes = {n.id: n for n in compliance_notes("en")}
    mention = notes["france-commercial-mention"]
    assert "equivalent mention" in mention.title and "unless the context" in mention.rule
    assert mention.seen_in[0] == "legifrance-2024-11-influence-article-5"
    claims = notes["authorised-health-claims-only"]
    assert "on hold" in claims.rule and "1169/2011" in claims.source_text
    assert "Paid partnership" not in compliance_notes("fr")[0].rule
    assert {"creator-written-contract", "people-on-screen-consent"} <= set(notes)
    assert "not every rule" in tl_caption("en") and "ni la liste" in tl_caption("fr")


def tl_caption(language: str) -> str:
    import tiktok_lab as tl

    html = tl.compliance_table(language=language).data
    assert "<details>" in html
    return html


def test_my_goal_recalls_the_lesson_00_goal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lesson 07 shows the goal written in lesson 00 above first-kpi, or says how to get one."""
    import tiktok_lab as tl
    from tiktok_lab.course.progress_log import record_answer

    monkeypatch.setenv("TIKTOK_LAB_HOME", str(tmp_path))
    assert "No goal saved" in tl.my_goal(language="en").data
    record_answer("00_start_here", "my-goal", "Faire connaître nos tisanes aux 25-45 ans de Lyon")
    assert "Faire connaître nos tisanes" in tl.my_goal(language="fr").data
