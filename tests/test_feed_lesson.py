"""Lesson 03: sourced tables, chart builders and the feed-lab widgets, driven headlessly."""

from __future__ import annotations

import json

import pytest

from tiktok_lab.lessons.feed.model import FeedParams
from tiktok_lab.lessons.feed.refresh import rank_feed
from tiktok_lab.lessons.feed.charts import (
    feed_claims,
    load_feed_lesson,
    make_cold_start_chart,
    make_feed_ranking_chart,
    make_feed_switches_chart,
    make_pool_funnel_chart,
    make_similar_videos_chart,
    signal_families,
)
from tiktok_lab.lessons.feed.pools import (
    cold_start_feed,
    similar_video_percentiles,
    simulate_feed,
    upload_video,
)
from tiktok_lab.ui.feed_lab import (
    FirstOpenApp,
    PoolApp,
    SignalWeightsApp,
    SwitchesApp,
    WatchTimeApp,
    WhyThisVideoApp,
    build_first_open_widget,
    build_pool_widget,
    build_signal_weights_widget,
    build_switches_widget,
    build_watch_time_widget,
    build_why_widget,
    feed_knowledge_table,
    signals_table,
)
from tiktok_lab.core.charts import caption_text

pytestmark = pytest.mark.usefixtures("fresh_learner")


def _round_trip(chart) -> dict:
    spec = chart.to_dict()
    assert json.loads(json.dumps(spec)) == spec
    assert json.loads(chart.to_json())["title"] == spec["title"]
    assert spec["title"]["text"] and caption_text(spec) and spec["description"]
    assert "not TikTok's code" in caption_text(spec)
    return spec


# ------------------------------------------------------------------ content as data


def test_the_three_signal_families_are_sourced_in_both_languages() -> None:
    lesson = load_feed_lesson()
    assert [s.id for s in lesson.signals] == ["interactions", "video-information", "device-account"]
    assert "18 June 2020" in lesson.signals_source["en"]
    assert "18 juin 2020" in lesson.signals_source["fr"]
    for language in ("en", "fr"):
        frame = signal_families(language)
        assert len(frame) == 3 and frame.notna().all().all()
    assert "same country" in signal_families("en").iloc[2, 3]


def test_claims_cover_known_folklore_and_unknown_with_sources() -> None:
    claims = feed_claims("en")
    assert set(claims["status"]) == {"known", "folklore", "unknown"}
    text = " ".join(claims["Source"])
    for source in ("TikTok newsroom", "NYT", "arXiv:2209.07663"):
        assert source in text
    pools = claims[claims["status"] == "folklore"]
    assert pools["Confidence"].tolist() == ["Low"]
    assert "Folklore" in feed_claims("fr").iloc[-1, 1]


def test_the_tables_render_as_html_with_their_sources() -> None:
    assert "18 June 2020" in signals_table().data
    html = feed_knowledge_table().data
    assert "Monolith" in html and "December 5, 2021" in html and "<script" not in html


def test_the_knowledge_table_speaks_french() -> None:
    """Sources and dates in the learner's language, "Fiabilité" as in the other lessons."""
    claims = feed_claims("fr")
    assert "Fiabilité" in claims.columns
    assert "Newsroom de TikTok" in " ".join(claims["Source"])
    assert "18 juin 2020" in set(claims["Date"])


# ------------------------------------------------------------------ charts


def test_cold_start_chart() -> None:
    spec = _round_trip(make_cold_start_chart(cold_start_feed(["pets", "travel"])))
    assert "10 videos" in spec["description"]


def test_ranking_chart_describes_the_top_video() -> None:
    spec = _round_trip(make_feed_ranking_chart(rank_feed()))
    assert "ranked by score" in spec["description"] and "expected watch time" in caption_text(spec)


def test_pool_funnel_chart_for_one_and_two_videos() -> None:
    one = _round_trip(make_pool_funnel_chart(upload_video()))
    assert "not an official one" in caption_text(one)
    two = _round_trip(make_pool_funnel_chart({"A": upload_video(completion=0.2),
                                              "B": upload_video(completion=0.7)}))
    assert "A:" in two["description"] and "B:" in two["description"]


def test_similar_videos_chart() -> None:
    spec = _round_trip(make_similar_videos_chart(similar_video_percentiles(simulate_feed())))
    assert "similar" in spec["description"]
    with pytest.raises(ValueError):
        make_similar_videos_chart(similar_video_percentiles(simulate_feed()), topic="nope")


def test_switches_chart() -> None:
    params = FeedParams.defaults()
    spec = _round_trip(make_feed_switches_chart({
        "default": simulate_feed(params).summary(),
        "EU": simulate_feed(params.replace(personalised=False)).summary()}))
    assert "default:" in spec["description"] and "EU:" in spec["description"]


def test_charts_speak_french() -> None:
    spec = make_cold_start_chart(cold_start_feed(["pets"]), language="fr").to_dict()
    assert "pas le code de TikTok" in caption_text(spec)


# ------------------------------------------------------------------ widgets


def test_every_builder_returns_a_labelled_widget_with_a_chart_or_reasons() -> None:
    import ipywidgets as widgets

    for build in (build_first_open_widget, build_signal_weights_widget, build_watch_time_widget,
                  build_pool_widget, build_why_widget, build_switches_widget):
        widget = build()
        assert isinstance(widget, widgets.VBox)
        assert "tiktok-lab-feed-lab" in widget._dom_classes
        for child in widget.children:
            if isinstance(child, widgets.ValueWidget) and not isinstance(child, widgets.HTML):
                assert child.description, (build.__name__, child)


def test_picking_interests_changes_the_first_feed() -> None:
    app = FirstOpenApp(())
    assert set(app.table["why"]) == {"popular"}
    app.picker.value = ("pets",)
    assert app.redraws == 2 and "your interest" in set(app.table["why"])
    assert set(app.table.loc[app.table["why"] == "your interest", "topic"]) == {"pets"}


def test_moving_a_weight_reranks_the_feed() -> None:
    app = SignalWeightsApp()
    before = app.table.sort_values("rank")["video"].tolist()
    for slider in app.sliders.values():
        assert slider.continuous_update is False
    app.sliders["v_playtime"].value = 0
    assert app.redraws == 2
    after = app.table.sort_values("rank")["video"].tolist()
    assert set(before) == set(after) and before != after


def test_watch_time_decides_reach_with_the_same_first_views() -> None:
    app = WatchTimeApp()
    a, b = app.table.itertuples(index=False)
    assert a.first_views == b.first_views
    assert b.reach > 2 * a.reach
    app.completion["a"].value = 0.7
    assert app.redraws == 2
    a, b = app.table.itertuples(index=False)
    assert a.reach == b.reach


def test_the_pool_widget_follows_the_upload_and_explains_bad_input() -> None:
    app = PoolApp()
    assert app.table.equals(upload_video(hook=0.5, length_seconds=30, topic="food"))
    app.hook.value = 0.9
    assert app.redraws == 2 and app.message.value == ""
    app.length.value = 0
    assert app.redraws == 2 and "Please check this value" in app.message.value
    assert "Traceback" not in app.message.value
    app.length.value = 45
    assert app.redraws == 3 and app.message.value == ""


def test_why_this_video_lists_reasons_and_refuses_unknown_people_kindly() -> None:
    app = WhyThisVideoApp()
    assert len(app.table) >= 1 and "<li>" in app.table_html.value
    app.person.value = 10**7
    assert "Please check this value" in app.message.value
    app.person.value = 3
    assert app.message.value == "" and len(app.video.options) >= 1


def test_switching_personalisation_off_changes_the_feed() -> None:
    app = SwitchesApp()
    default, mine = app.table.itertuples(index=False)
    assert default.watch_hours == mine.watch_hours
    app.personalised.value = False
    default, mine = app.table.itertuples(index=False)
    assert mine.outside_percent > default.outside_percent
    app.diversity.value = 0.0
    assert app.redraws == 3


def test_same_seed_same_tables() -> None:
    for cls in (FirstOpenApp, SignalWeightsApp, WatchTimeApp, PoolApp, WhyThisVideoApp,
                SwitchesApp):
        assert cls().table.equals(cls().table), cls.__name__
