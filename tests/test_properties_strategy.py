"""Lesson 07's strategy: any typed field, any uploaded file, any saved draft.

``tests/test_strategy.py`` already round-trips typed fields through JSON and the
exports; here: files that are not ours (``StrategyImportError``, plainly worded,
is the only way to fail), saved documents from older courses or hand edits
(they always open), and the checklist's words.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok_lab as tl
from tiktok_lab.lessons.strategy.export import strategy_to_html, strategy_to_markdown
from tiktok_lab.lessons.strategy.files import (StrategyImportError, strategy_from_json,
                                               strategy_to_json)
from strategies import assert_plain, learner_values, scalars
from tiktok_lab.lessons.opportunity import BrandProfile
from tiktok_lab.lessons.publishing import PublishingPlan
from tiktok_lab.lessons.strategy.drafts import Drafts, prefill_from
from tiktok_lab.lessons.strategy.plan import Strategy

pytestmark = pytest.mark.usefixtures("fresh_learner")

FIELD_NAMES = ["brand", "why", "what", "whom", "goal", "pillars", "posts_per_week", "start",
               "end", "ads", "daily_budget", "days", "kpi", "comment_owner", "drafts", "current",
               "answers", "audience", "goals", "sector", "lessons", "exercises", "answer"]
# JSON as a hand edit, an older course or another app leaves it: known keys, odd values.
saved_json = st.recursive(
    scalars.filter(lambda v: not isinstance(v, float) or v == v),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=6)), inner,
                      max_size=6),
    max_leaves=20)
saved_documents = st.dictionaries(st.sampled_from(FIELD_NAMES), saved_json, max_size=8)


def _export(strategy_part) -> str:
    return json.dumps({"app": "tiktok-lab", "kind": "tiktok-lab-strategy", "schema_version": 1,
                       "strategy": strategy_part}, default=str)


@settings(max_examples=100)
@given(payload=st.one_of(learner_values, st.binary(max_size=300),
                         saved_json.map(lambda v: json.dumps(v, default=str)),
                         saved_documents.map(_export)),
       language=st.sampled_from(["en", "fr"]))
def test_importing_any_file_gives_a_strategy_or_a_plain_reason(payload, language) -> None:
    try:
        strategy = strategy_from_json(payload, language=language)
    except StrategyImportError as refused:
        assert_plain(str(refused))
        return
    assert isinstance(strategy, Strategy)
    assert strategy_from_json(strategy_to_json(strategy)) == strategy


@settings(max_examples=60)
@given(saved=saved_documents, language=st.sampled_from(["en", "fr"]))
def test_an_imported_strategy_checks_and_exports_plainly(saved, language) -> None:
    strategy = strategy_from_json(_export(saved))
    check = tl.validate_strategy(strategy, language=language)
    for finding in (*check.blocking, *check.advice):
        assert finding.field and finding.field in Strategy.__dataclass_fields__
        assert_plain(finding.message)
    markdown = strategy_to_markdown(strategy, language=language)
    page = strategy_to_html(strategy, language=language, with_chart=False)
    assert "<script>alert" not in page, "typed HTML is shown as text, never run"
    assert markdown.strip() and page.strip()


@settings(max_examples=60)
@given(anything=learner_values)
def test_the_checklist_takes_anything(anything) -> None:
    check = tl.validate_strategy(anything)
    assert not check.ok, "nothing filled in blocks the plan"
    for finding in check.blocking:
        assert_plain(finding.message)


@settings(max_examples=80)
@given(saved=st.one_of(saved_json, saved_documents))
def test_any_saved_document_reopens(saved) -> None:
    """What lessons 04-07 read back from ``my_work/`` never stops a lesson from opening."""
    Strategy.from_dict(saved)
    drafts = Drafts.from_store(saved)
    assert drafts.current in drafts.drafts or not drafts.drafts
    BrandProfile.from_store(saved)
    PublishingPlan.from_store(saved)
    documents = saved if isinstance(saved, dict) else {}
    prefill_from(documents)
    prefill_from({"opportunity": saved, "publishing": saved, "ads": saved, "progress": saved})
