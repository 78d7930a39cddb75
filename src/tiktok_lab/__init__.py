"""tiktok-lab: an interactive course on communicating on TikTok.

``import tiktok_lab as tl`` must stay instant in a workshop: the heavy
libraries (pandas, Altair, ipywidgets) load only when a function that needs
them is first used, through the lazy attribute table below.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "t": "core.i18n",
    "get_language": "core.i18n",
    "set_language": "core.i18n",
    "format_number": "core.i18n",
    "format_date": "core.i18n",
    "get_store": "work.store",
    "Store": "work.store",
    "load_figures": "lessons.figures.sourced",
    "load_article_claims": "lessons.figures.sourced",
    "figure": "lessons.figures.sourced",
    "figures_on": "lessons.figures.sourced",
    "make_users_chart": "lessons.figures.charts",
    "make_downloads_chart": "lessons.figures.charts",
    "make_time_spent_chart": "lessons.figures.charts",
    "make_audience_chart": "lessons.figures.charts",
    "make_age_sex_chart": "lessons.figures.charts",
    "estimate_reach": "lessons.figures.audience",
    "claims_table": "ui.figures_view",
    "figures_table": "ui.figures_view",
    "audience_calculator": "ui.audience",
    "load_lessons": "course.syllabus",
    "load_lesson": "course.syllabus",
    "record_visit": "course.progress_log",
    "progress_table": "course.progress_log",
    "make_progress_chart": "course.progress_log",
    "run_checks": "course.doctor",
    "enable_offline_charts": "core.charts",
    "make_path_chart": "course.course_plan",
    "check_setup": "ui.start",
    "choose_language": "ui.start",
    "course_path": "ui.start",
    "progress": "ui.start",
    "my_work_panel": "ui.start",
    "start_lesson": "ui.start",
    "quiz": "ui.quiz",
    "exercise": "ui.exercise",
    "load_platform": "lessons.platform",
    "simulate_retention": "lessons.platform",
    "make_length_history_chart": "lessons.platform",
    "make_retention_chart": "lessons.platform",
    "building_blocks": "ui.anatomy",
    "build_anatomy_widget": "ui.anatomy",
    "load_opportunity": "lessons.opportunity",
    "example_brand": "lessons.opportunity",
    "score_brand": "lessons.opportunity",
    "opportunity_changes": "lessons.opportunity",
    "make_scorecard_chart": "lessons.opportunity",
    "build_scorecard_widget": "ui.scorecard",
    "load_ad_formats": "lessons.ads.formats",
    "rank_formats": "lessons.ads.formats",
    "budget_minimums": "lessons.ads.budget",
    "check_budget": "lessons.ads.budget",
    "check_lifetime_budget": "lessons.ads.budget",
    "estimate_ad_reach": "lessons.ads.budget",
    "make_ad_reach_chart": "lessons.ads.budget",
    "default_challenge_plan": "lessons.ads.budget",
    "make_challenge_chart": "lessons.ads.budget",
    "ad_formats_table": "ui.ads",
    "ad_objectives_table": "ui.ads",
    "build_format_chooser": "ui.ads",
    "build_budget_estimator": "ui.ads",
    "build_challenge_planner": "ui.ads",
    "FeedParams": "lessons.feed.model",
    "rank_feed": "lessons.feed.refresh",
    "simulate_feed": "lessons.feed.pools",
    "upload_video": "lessons.feed.pools",
    "cold_start_feed": "lessons.feed.pools",
    "why_this_video": "lessons.feed.pools",
    "similar_video_percentiles": "lessons.feed.pools",
    "percentile_within": "lessons.feed.pools",
    "load_feed_lesson": "lessons.feed.charts",
    "signal_families": "lessons.feed.charts",
    "feed_claims": "lessons.feed.charts",
    "make_cold_start_chart": "lessons.feed.charts",
    "make_feed_ranking_chart": "lessons.feed.charts",
    "make_pool_funnel_chart": "lessons.feed.charts",
    "make_similar_videos_chart": "lessons.feed.charts",
    "make_feed_switches_chart": "lessons.feed.charts",
    "build_first_open_widget": "ui.feed_lab",
    "build_signal_weights_widget": "ui.feed_lab",
    "build_watch_time_widget": "ui.feed_lab",
    "build_pool_widget": "ui.feed_lab",
    "build_why_widget": "ui.feed_lab",
    "build_switches_widget": "ui.feed_lab",
    "signals_table": "ui.feed_lab",
    "feed_knowledge_table": "ui.feed_lab",
    "load_publishing": "lessons.publishing",
    "check_strategy": "lessons.publishing",
    "is_vague_target": "lessons.publishing",
    "check_rhythm": "lessons.publishing",
    "plan_calendar": "lessons.publishing",
    "make_calendar_chart": "lessons.publishing",
    "reply_feedback": "lessons.publishing",
    "comments_table": "lessons.publishing",
    "build_strategy_form": "ui.publishing",
    "build_rhythm_planner": "ui.publishing",
    "build_comment_practice": "ui.publishing",
    "example_strategy": "lessons.strategy.plan",
    "validate_strategy": "lessons.strategy.plan",
    "prefill_strategy": "lessons.strategy.plan",
    "saved_strategy": "lessons.strategy.plan",
    "strategy_to_json": "lessons.strategy.plan",
    "strategy_from_json": "lessons.strategy.plan",
    "strategy_to_markdown": "lessons.strategy.export",
    "strategy_to_html": "lessons.strategy.export",
    "make_strategy_chart": "lessons.strategy.export",
    "build_strategy_builder": "ui.strategy_builder",
    "____": "course.placeholder",
    "install_placeholder": "course.placeholder",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'tiktok_lab' has no attribute {name!r}")
    value = getattr(import_module(f"tiktok_lab.{module_name}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return __all__
