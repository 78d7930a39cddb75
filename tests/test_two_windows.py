"""Two windows on one document lose nothing (issue 14, item 2).

Two kernels (or JupyterLab beside the Voilà app) can hold the same saved
document; so can one window while a ``.zip`` is restored in lesson 00. Each test
opens two apps on the same ``my_work/`` (each with the version it loaded), has
each change a different field, and checks that the file holds both changes and
that the window that saved last shows the other's change. A field changed
differently in both keeps the last window's text and the other text in the
document's ``conflicts`` record, with a message that shows it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from tiktok_lab.work.store import Store, get_store

pytestmark = pytest.mark.usefixtures("fresh_learner")


def _draft(home: Path | None = None) -> dict:
    store = Store(home) if home else get_store()
    document = store.read("strategy")
    return document["drafts"][document["current"]]


# ----------------------------------------------------------------------- lesson 07


def test_two_strategy_builders_keep_the_brand_of_one_and_the_tone_of_the_other() -> None:
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    a, b = StrategyBuilder(), StrategyBuilder()
    a.fields["brand"].value = "Infusia"
    b.fields["tone"].value = "Warm"
    assert "Saved" in a.status.value and "Saved" in b.status.value
    assert _draft()["brand"] == "Infusia" and _draft()["tone"] == "Warm"
    assert b.fields["brand"].value == "Infusia", "B shows A's change"
    assert "Brand" in b.status.value, "B says what came from elsewhere"
    a.fields["objective"].value = "Be known by students in Lyon"
    assert a.fields["tone"].value == "Warm"
    assert _draft() == {**_draft(), "brand": "Infusia", "tone": "Warm",
                        "objective": "Be known by students in Lyon"}


def test_the_same_field_changed_in_two_builders_keeps_both_texts() -> None:
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    a, b = StrategyBuilder(), StrategyBuilder()
    a.fields["objective"].value = "Objective typed in window A"
    b.fields["objective"].value = "Objective typed in window B"
    saved = get_store().read("strategy")
    assert _draft()["objective"] == "Objective typed in window B"
    assert [c["other"] for c in saved["conflicts"]] == ["Objective typed in window A"]
    assert "Objective typed in window A" in b.status.value, "the other text is shown in full"
    assert b.fields["objective"].value == "Objective typed in window B"


def test_the_other_text_stays_on_the_status_line_until_that_field_is_edited_again() -> None:
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    a, b = StrategyBuilder(), StrategyBuilder()
    a.fields["objective"].value = "Objective typed in window A"
    b.fields["objective"].value = "Objective typed in window B"
    b.fields["tone"].value = "Warm"
    assert "Objective typed in window A" in b.status.value, "not lost at the next change"
    b.fields["objective"].value = "Objective typed again in B"
    assert "Objective typed in window A" not in b.status.value


def test_drafts_created_in_two_builders_are_both_kept() -> None:
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    a, b = StrategyBuilder(), StrategyBuilder()
    a.fields["brand"].value = "Shared"
    a.on_new()
    a.fields["brand"].value = "New in A"
    b.on_duplicate()
    b.fields["brand"].value = "Copy in B"
    drafts = get_store().read("strategy")["drafts"]
    brands = sorted(d["brand"] for d in drafts.values())
    assert "New in A" in brands and "Copy in B" in brands and "Shared" in brands
    assert len(drafts) == 3
    assert b.fields["brand"].value == "Copy in B", "B stays on its own draft"
    assert len(b.picker.options) == 3, "B lists A's new draft"


def test_a_zip_restored_while_the_builder_is_open_survives_its_next_change() -> None:
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    builder = StrategyBuilder()
    builder.fields["brand"].value = "Before the restore"
    current = builder.drafts.current
    restored = get_store().read("strategy")
    restored["drafts"][current].update(objective="Restored objective", tone="Restored tone")
    envelope = {"app": "tiktok-lab", "schema_version": 1, "document": "strategy",
                "data": restored}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("my_work/strategy.json", json.dumps(envelope))
    assert get_store().restore(buffer.getvalue()) == ["strategy"]

    builder.fields["market"].value = "France"
    draft = _draft()
    assert (draft["objective"], draft["tone"], draft["market"]) == (
        "Restored objective", "Restored tone", "France")
    assert builder.fields["objective"].value == "Restored objective"
    assert builder.fields["tone"].value == "Restored tone"


WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    field, ready, start, rounds = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    builder = StrategyBuilder()
    ready.touch()
    while not start.exists():
        time.sleep(0.001)
    for i in range(rounds):
        builder.fields[field].value = f"{field} {i}"
    assert "Saved" in builder.status.value, builder.status.value
""")


def test_two_processes_typing_in_two_builders_keep_both_fields(fresh_learner: Path) -> None:
    """The real case: two kernels, each with the builder open before either saves."""
    rounds = 25
    start = fresh_learner.parent / "start"
    env = {**os.environ, "TIKTOK_LAB_HOME": str(fresh_learner)}
    workers = []
    for field in ("brand", "tone"):
        ready = fresh_learner.parent / f"ready-{field}"
        workers.append((ready, subprocess.Popen(
            [sys.executable, "-c", WORKER, field, str(ready), str(start), str(rounds)], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    start.touch()
    for _ready, worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err[-2000:]
    draft = _draft(fresh_learner)
    assert (draft["brand"], draft["tone"]) == (f"brand {rounds - 1}", f"tone {rounds - 1}")
    assert "conflicts" not in Store(fresh_learner).read("strategy")


# ----------------------------------------------------------------------- lesson 04


def test_two_scorecards_keep_the_sector_of_one_and_the_videos_of_the_other() -> None:
    from tiktok_lab.ui.scorecard import ScorecardApp

    a, b = ScorecardApp(), ScorecardApp()
    a.sector.value = "travel"
    b.videos.value = 5
    saved = get_store().read("opportunity")
    assert saved["sector"] == "travel" and saved["answers"]["videos_per_week"] == 5
    assert b.sector.value == "travel"
    from tiktok_lab.lessons.opportunity import BrandProfile, score_brand

    expected = score_brand(BrandProfile.from_store(saved)).total
    assert saved["scores"]["total"] == expected, "scores follow the merged answers"
    assert b.card.total == expected


# ----------------------------------------------------------------------- lesson 05


def test_two_strategy_forms_keep_the_why_of_one_and_the_whom_of_the_other() -> None:
    from tiktok_lab.ui.publishing import StrategyFormApp

    a, b = StrategyFormApp(), StrategyFormApp()
    a.why.value = "Recruit young nurses"
    b.whom.value = "Nursing students aged 18-24 in Lyon"
    saved = get_store().read("publishing")
    assert (saved["why"], saved["whom"]) == ("Recruit young nurses",
                                             "Nursing students aged 18-24 in Lyon")
    assert b.why.value == "Recruit young nurses"


def test_two_comment_practices_keep_both_replies() -> None:
    from tiktok_lab.ui.publishing import CommentPracticeApp

    a, b = CommentPracticeApp(), CommentPracticeApp()
    first, second = [c for _, c in a.comment.options][:2]
    a.comment.value, a.approach.value = first, "reply-public"
    a.on_answer(None)
    b.comment.value, b.approach.value = second, "humour"
    b.on_answer(None)
    third = [c for _, c in a.comment.options][2]
    a.comment.value, a.approach.value = third, "hide"
    a.on_answer(None)
    saved = get_store().read("publishing")
    assert saved["practice"] == {first: "reply-public", second: "humour", third: "hide"}
    assert a.practice == saved["practice"]


def test_a_rhythm_planner_and_a_form_in_two_windows_keep_both() -> None:
    from tiktok_lab.ui.publishing import RhythmPlannerApp, StrategyFormApp

    form, planner = StrategyFormApp(), RhythmPlannerApp()
    other_form = StrategyFormApp()
    form.what.value = "Behind the scenes of our bakery"
    planner.posts.value = 4
    other_form.why.value = "Sell more bread"
    saved = get_store().read("publishing")
    assert (saved["what"], saved["why"], saved["posts_per_week"]) == (
        "Behind the scenes of our bakery", "Sell more bread", 4)


# ----------------------------------------------------------------------- lesson 06


def test_two_format_choosers_keep_the_objective_of_one_and_the_landing_page_of_the_other() -> None:
    from tiktok_lab.ui.ads import FormatChooserApp

    a, b = FormatChooserApp(), FormatChooserApp()
    objective = [o for _, o in a.objective.options][2]
    a.objective.value = objective
    b.landing.value = True
    saved = get_store().read("ads")
    assert saved["objective"] == objective and saved["has_landing_page"] is True
    assert b.objective.value == objective


def test_two_challenge_planners_keep_the_notes_of_different_days() -> None:
    from tiktok_lab.ui.ads import ChallengePlannerApp

    a, b = ChallengePlannerApp(), ChallengePlannerApp()
    a.notes[0].value = "Teaser with our mascot"
    b.notes[3].value = "Duet with a creator"
    plan = get_store().read("ads")["challenge_plan"]
    assert plan[0]["note"] == "Teaser with our mascot" and plan[3]["note"] == "Duet with a creator"
    assert b.notes[0].value == "Teaser with our mascot"


def test_the_estimator_and_the_chooser_share_the_budget_without_erasing_each_other() -> None:
    from tiktok_lab.ui.ads import BudgetEstimatorApp, FormatChooserApp

    chooser, estimator = FormatChooserApp(), BudgetEstimatorApp()
    chooser.daily.value = 150.0
    estimator.frequency.value = 3.0
    saved = get_store().read("ads")
    assert saved["budget"]["daily"] == 150.0 and saved["cpm_assumption"]["frequency"] == 3.0
    assert estimator.daily.value == 150.0


def test_a_restore_without_the_open_draft_keeps_the_draft_being_edited() -> None:
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    builder = StrategyBuilder()
    builder.fields["brand"].value = "First"
    builder.on_new()
    builder.fields["brand"].value = "Second"
    opened = builder.drafts.current
    store = get_store()
    document = store.read("strategy")
    del document["drafts"][opened]
    store.write("strategy", document)  # as a restore of an older .zip leaves it

    builder.fields["tone"].value = "Warm"
    kept = store.read("strategy")["drafts"][opened]
    assert (kept["brand"], kept["tone"]) == ("Second", "Warm")
    assert builder.drafts.current == opened and builder.fields["brand"].value == "Second"
    assert "changed in another window" in builder.status.value


@pytest.mark.parametrize("lesson", ["scorecard", "strategy form", "challenge planner"])
def test_the_same_text_changed_in_two_windows_of_lessons_04_to_06_keeps_both(lesson) -> None:
    from tiktok_lab.ui.ads import ChallengePlannerApp
    from tiktok_lab.ui.publishing import StrategyFormApp
    from tiktok_lab.ui.scorecard import ScorecardApp

    make, box, status, document = {
        "scorecard": (ScorecardApp, lambda a: a.brand, "saving", "opportunity"),
        "strategy form": (StrategyFormApp, lambda a: a.why, "saving", "publishing"),
        "challenge planner": (ChallengePlannerApp, lambda a: a.notes[2], "status", "ads"),
    }[lesson]
    a, b = make(), make()
    box(a).value = "Typed in window A"
    box(b).value = "Typed in window B"
    saved = get_store().read(document)
    assert "Typed in window B" in json.dumps(saved, ensure_ascii=False)
    assert [c["other"] for c in saved["conflicts"]] == ["Typed in window A"]
    assert "Typed in window A" in getattr(b, status).value
    assert box(b).value == "Typed in window B"
