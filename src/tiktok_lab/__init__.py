"""tiktok-lab: an interactive course on communicating on TikTok.

``import tiktok_lab as tl`` must stay instant in a workshop: the heavy
libraries (pandas, Altair, ipywidgets) load only when a function that needs
them is first used, through the lazy attribute table below.

The table is the public API: what the lessons' notebooks (and the exercise
solutions) call, grouped by lesson. Everything else is imported from its module
(``docs/architecture.md`` draws the parts). A public name is never also the name
of a top-level part (``tests/test_package.py``).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from tiktok_lab.core import i18n as _i18n

__version__ = "0.1.0"


def _saved_language() -> str | None:
    """The learner's saved language: the store sits above ``t()``, so it is plugged in here."""
    from tiktok_lab.work.settings import saved_language

    return saved_language()


_i18n.use_saved_language(_saved_language)

# public name -> module that defines it
_LAZY = {
    # Every lesson: the set-up cell, exercises and quizzes
    "start_lesson": "ui.start",
    "exercise": "ui.exercise",
    "quiz": "ui.quiz",
    "set_language": "work.settings",
    # 00 Start here: set-up check, language, the course path, progress, my work
    "check_setup": "ui.start",
    "choose_language": "ui.start",
    "course_path": "ui.start",
    "make_path_chart": "course.course_plan",
    "load_lessons": "course.syllabus",
    "load_lesson": "course.syllabus",
    "progress": "ui.start",
    "my_work_panel": "ui.start",
    # 01 Platform: what a TikTok is made of
    "building_blocks": "ui.anatomy",
    "build_anatomy_widget": "ui.anatomy",
    "make_length_history_chart": "lessons.platform",
    # 02 Figures: sourced figures, their charts, the audience calculator (other lessons cite figures too)
    "load_figures": "lessons.figures.sourced",
    "load_article_claims": "lessons.figures.sourced",
    "figure": "lessons.figures.sourced",
    "figures_table": "ui.figures_view",
    "claims_table": "ui.figures_view",
    "make_users_chart": "lessons.figures.charts",
    "make_downloads_chart": "lessons.figures.charts",
    "make_time_spent_chart": "lessons.figures.charts",
    "make_audience_chart": "lessons.figures.charts",
    "make_age_sex_chart": "lessons.figures.charts",
    "audience_calculator": "ui.figures_view",
    "engagement_table": "ui.figures_view",
    "agency_slide": "ui.figures_view",
    # 03 Feed: the feed simulator
    "FeedParams": "lessons.feed.model",
    "rank_feed": "lessons.feed.refresh",
    "simulate_feed": "lessons.feed.pools",
    "upload_video": "lessons.feed.pools",
    "similar_video_percentiles": "lessons.feed.pools",
    "percentile_within": "lessons.feed.pools",
    "make_similar_videos_chart": "lessons.feed.charts",
    "similar_videos_chart": "lessons.feed.charts",
    "signals_table": "ui.feed_lab",
    "feed_knowledge_table": "ui.feed_lab",
    "build_first_open_widget": "ui.feed_lab",
    "build_signal_weights_widget": "ui.feed_lab",
    "build_watch_time_widget": "ui.feed_lab",
    "build_pool_widget": "ui.feed_lab",
    "build_why_widget": "ui.feed_lab",
    "build_switches_widget": "ui.feed_lab",
    # 04 Opportunity: does TikTok fit my brand?
    "example_brand": "lessons.opportunity",
    "score_brand": "lessons.opportunity",
    "opportunity_changes": "lessons.opportunity",
    "opportunity_changes_table": "ui.scorecard",
    "make_scorecard_chart": "lessons.opportunity",
    "build_scorecard_widget": "ui.scorecard",
    "show_scorecard": "ui.scorecard",
    # 05 Tips: why/what/whom, rhythm, replies
    "is_vague_target": "lessons.publishing",
    "build_strategy_form": "ui.publishing",
    "build_rhythm_planner": "ui.publishing",
    "build_comment_practice": "ui.publishing",
    # 06 Ads: formats, budget, reach, the 6-day challenge
    "ad_formats_table": "ui.ads",
    "ad_objectives_table": "ui.ads",
    "rank_formats": "lessons.ads.formats",
    "budget_minimums": "lessons.ads.budget",
    "build_format_chooser": "ui.ads",
    "build_budget_estimator": "ui.ads",
    "build_challenge_planner": "ui.ads",
    # 07 My strategy: assembled from 04-06, checked, exported; the rules before publishing
    "example_strategy": "lessons.strategy.plan",
    "validate_strategy": "lessons.strategy.checks",
    "saved_strategy": "lessons.strategy.drafts",
    "make_strategy_chart": "lessons.strategy.export",
    "build_strategy_builder": "ui.strategy_builder",
    "compliance_notes": "lessons.strategy.compliance",
    "compliance_table": "ui.compliance_view",
    "my_goal": "ui.goal_view",
    # The trainer: the live room on the projector (tiktok-lab class)
    "class_view": "ui.class_view",
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
