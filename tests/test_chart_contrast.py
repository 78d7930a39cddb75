"""Every colour a course chart draws with stands out from the white page.

WCAG 2.1 success criterion 1.4.11 (non-text contrast) asks 3:1 for the parts of a
graphic needed to understand it: bars, lines, points, bands. The colours are
collected from the course theme and from the specs the chart builders really
produce, so a colour added to a builder tomorrow is checked too.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from contrast import contrast_ratio

import tiktok_lab
from tiktok_lab.core import charts

pytestmark = pytest.mark.usefixtures("fresh_learner")

MINIMUM = 3.0
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_COLOUR_KEYS = {"color", "fill", "stroke", "category", "range", "value"}


def test_the_contrast_formula_matches_known_ratios() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#fff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#E69F00", "#ffffff") < MINIMUM  # Okabe-Ito orange, the case fixed


def colours_in(spec: Any, key: str = "") -> Iterator[str]:
    """Hex colours under colour-bearing keys of a Vega-Lite spec (data rows skipped)."""
    if isinstance(spec, dict):
        for name, value in spec.items():
            if name not in ("data", "datasets"):
                yield from colours_in(value, name)
    elif isinstance(spec, list):
        for item in spec:
            yield from colours_in(item, key)
    elif isinstance(spec, str) and (key in _COLOUR_KEYS or key.endswith("Color")) \
            and _HEX.fullmatch(spec):
        yield spec


# ------------------------------------------------------------------ every chart builder


def _builders() -> dict[str, Callable[[], Any]]:
    """One call per chart builder of the package, with the inputs a lesson gives it."""
    from tiktok_lab.lessons.ads import budget as ad_budget
    from tiktok_lab.course import course_plan
    from tiktok_lab.lessons.feed import model as feed
    from tiktok_lab.lessons.feed import charts as feed_charts
    from tiktok_lab.lessons.feed import pools as feed_pools
    from tiktok_lab.lessons.feed import refresh as feed_refresh
    from tiktok_lab.lessons.figures import charts as figure_charts
    from tiktok_lab.lessons import opportunity
    from tiktok_lab.lessons import platform as platform_anatomy
    from tiktok_lab.course import progress_report
    from tiktok_lab.lessons import publishing
    from tiktok_lab.lessons.strategy import plan as strategy
    from tiktok_lab.lessons.strategy import export as strategy_export

    params = feed.FeedParams.defaults()
    pools = feed_pools.simulate_feed(params)
    return {
        "make_users_chart": figure_charts.make_users_chart,
        "make_downloads_chart": figure_charts.make_downloads_chart,
        "make_time_spent_chart": figure_charts.make_time_spent_chart,
        "make_audience_chart": figure_charts.make_audience_chart,
        "make_age_sex_chart": figure_charts.make_age_sex_chart,
        "make_length_history_chart": platform_anatomy.make_length_history_chart,
        "make_retention_chart": lambda: platform_anatomy.make_retention_chart(
            platform_anatomy.simulate_retention(length="m10")),
        "make_cold_start_chart": lambda: feed_charts.make_cold_start_chart(
            feed_pools.cold_start_feed(["pets", "travel"])),
        "make_feed_ranking_chart": lambda: feed_charts.make_feed_ranking_chart(feed_refresh.rank_feed()),
        "make_pool_funnel_chart": lambda: feed_charts.make_pool_funnel_chart(
            {"A": feed_pools.upload_video(completion=0.2), "B": feed_pools.upload_video()}),
        "make_similar_videos_chart": lambda: feed_charts.make_similar_videos_chart(
            feed_pools.similar_video_percentiles(pools)),
        "make_feed_switches_chart": lambda: feed_charts.make_feed_switches_chart({
            "default": pools.summary(),
            "EU": feed_pools.simulate_feed(params.replace(personalised=False)).summary()}),
        "make_scorecard_chart": lambda: opportunity.make_scorecard_chart(
            opportunity.score_brand(opportunity.example_brand())),
        "make_calendar_chart": lambda: publishing.make_calendar_chart(
            3, ["tips", "people", "behind-the-scenes"], ["tutorial"]),
        "make_ad_reach_chart": lambda: ad_budget.make_ad_reach_chart(
            ad_budget.estimate_ad_reach(60, 7)),
        "make_challenge_chart": lambda: ad_budget.make_challenge_chart(
            ad_budget.default_challenge_plan()),
        "make_strategy_chart": lambda: strategy_export.make_strategy_chart(
            strategy.example_strategy()),
        "make_progress_chart": progress_report.make_progress_chart,
        "make_path_chart": course_plan.make_path_chart,
    }


def _chart_builder_names() -> set[str]:
    """Every ``make_*_chart`` function the package defines, found by walking its modules."""
    names = set()
    for module_info in pkgutil.walk_packages(tiktok_lab.__path__, "tiktok_lab."):
        if module_info.name.endswith("__main__"):  # running it is the command line
            continue
        module = importlib.import_module(module_info.name)
        names |= {name for name, value in inspect.getmembers(module, inspect.isfunction)
                  if re.fullmatch(r"make_\w+_chart", name) and value.__module__ == module.__name__}
    return names


def test_every_chart_builder_is_checked() -> None:
    assert _chart_builder_names() == set(_builders())


def _used_colours() -> dict[str, set[str]]:
    """colour -> where it is used, from the theme and every builder's spec."""
    used: dict[str, set[str]] = {}
    for colour in colours_in(charts.course_theme()):
        used.setdefault(colour, set()).add("course theme")
    for name, build in _builders().items():
        for colour in colours_in(build().to_dict()):
            used.setdefault(colour, set()).add(name)
    return used


def test_every_chart_colour_reaches_3_to_1_on_white() -> None:
    used = _used_colours()
    assert set(charts.PALETTE) <= set(used)  # the collector sees the theme's colours
    too_pale = {colour: (round(contrast_ratio(colour, "#ffffff"), 2), sorted(where))
                for colour, where in used.items() if contrast_ratio(colour, "#ffffff") < MINIMUM}
    assert not too_pale, f"below {MINIMUM}:1 on white: {too_pale}"
