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
    "t": "i18n",
    "get_language": "i18n",
    "set_language": "i18n",
    "format_number": "i18n",
    "format_date": "i18n",
    "get_store": "store",
    "Store": "store",
    "load_figures": "figures",
    "load_article_claims": "figures",
    "figure": "figures",
    "figures_on": "figures",
    "make_users_chart": "figure_charts",
    "make_downloads_chart": "figure_charts",
    "make_time_spent_chart": "figure_charts",
    "make_audience_chart": "figure_charts",
    "make_age_sex_chart": "figure_charts",
    "estimate_reach": "audience",
    "claims_table": "ui.figures_view",
    "figures_table": "ui.figures_view",
    "audience_calculator": "ui.audience",
    "load_lessons": "lessons",
    "load_lesson": "lessons",
    "record_visit": "progress_log",
    "progress_table": "progress_log",
    "make_progress_chart": "progress_log",
    "run_checks": "doctor",
    "enable_offline_charts": "charts",
    "make_path_chart": "course_plan",
    "check_setup": "ui.start",
    "choose_language": "ui.start",
    "course_path": "ui.start",
    "progress": "ui.start",
    "my_work_panel": "ui.start",
    "start_lesson": "ui.start",
    "quiz": "ui.quiz",
    "exercise": "ui.exercise",
    "load_platform": "platform_anatomy",
    "simulate_retention": "platform_anatomy",
    "make_length_history_chart": "platform_anatomy",
    "make_retention_chart": "platform_anatomy",
    "building_blocks": "ui.anatomy",
    "build_anatomy_widget": "ui.anatomy",
    "load_opportunity": "opportunity",
    "example_brand": "opportunity",
    "score_brand": "opportunity",
    "opportunity_changes": "opportunity",
    "make_scorecard_chart": "opportunity",
    "build_scorecard_widget": "ui.scorecard",
    "load_ad_formats": "ad_formats",
    "rank_formats": "ad_formats",
    "budget_minimums": "ad_budget",
    "check_budget": "ad_budget",
    "check_lifetime_budget": "ad_budget",
    "estimate_ad_reach": "ad_budget",
    "make_ad_reach_chart": "ad_budget",
    "default_challenge_plan": "ad_budget",
    "make_challenge_chart": "ad_budget",
    "ad_formats_table": "ui.ads",
    "ad_objectives_table": "ui.ads",
    "build_format_chooser": "ui.ads",
    "build_budget_estimator": "ui.ads",
    "build_challenge_planner": "ui.ads",
    "FeedParams": "feed",
    "rank_feed": "feed_refresh",
    "simulate_feed": "feed_pools",
    "upload_video": "feed_pools",
    "cold_start_feed": "feed_pools",
    "why_this_video": "feed_pools",
    "similar_video_percentiles": "feed_pools",
    "percentile_within": "feed_pools",
    "load_feed_lesson": "feed_charts",
    "signal_families": "feed_charts",
    "feed_claims": "feed_charts",
    "make_cold_start_chart": "feed_charts",
    "make_feed_ranking_chart": "feed_charts",
    "make_pool_funnel_chart": "feed_charts",
    "make_similar_videos_chart": "feed_charts",
    "make_feed_switches_chart": "feed_charts",
    "build_first_open_widget": "ui.feed_lab",
    "build_signal_weights_widget": "ui.feed_lab",
    "build_watch_time_widget": "ui.feed_lab",
    "build_pool_widget": "ui.feed_lab",
    "build_why_widget": "ui.feed_lab",
    "build_switches_widget": "ui.feed_lab",
    "signals_table": "ui.feed_lab",
    "feed_knowledge_table": "ui.feed_lab",
    "load_publishing": "publishing",
    "check_strategy": "publishing",
    "is_vague_target": "publishing",
    "check_rhythm": "publishing",
    "plan_calendar": "publishing",
    "make_calendar_chart": "publishing",
    "reply_feedback": "publishing",
    "comments_table": "publishing",
    "build_strategy_form": "ui.publishing",
    "build_rhythm_planner": "ui.publishing",
    "build_comment_practice": "ui.publishing",
    "example_strategy": "strategy",
    "validate_strategy": "strategy",
    "prefill_strategy": "strategy",
    "saved_strategy": "strategy",
    "strategy_to_json": "strategy",
    "strategy_from_json": "strategy",
    "strategy_to_markdown": "strategy_export",
    "strategy_to_html": "strategy_export",
    "make_strategy_chart": "strategy_export",
    "build_strategy_builder": "ui.strategy_builder",
    "____": "placeholder",
    "install_placeholder": "placeholder",
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
