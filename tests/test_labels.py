"""Every rule of thumb, model or assumption a learner sees is labelled as such where it is shown.

Found by the data's flag, not by wording: every block of ``src/tiktok_lab/data/`` that carries
``nature: rule_of_thumb | model | assumption`` is collected from the files themselves, and each
one must have an entry in :data:`VIEWS`, the functions that show it to a learner (its widget,
its chart, its exports). Each view is rendered for real, in English and in French, and must
contain the label of the block's nature (``core.nature.nature_label``). So:

- a new flagged block with no registered view fails (say where it shows);
- a view that drops the label fails;
- a block of a flagged kind without its ``nature:`` is refused by its loader
  (:func:`test_a_flagged_block_without_its_flag_is_refused`), so a new weight table cannot
  slip in unlabelled. Exercises are the exception: most rest on facts, so their ``nature`` is
  optional, and the flagged ones are checked like any other block.

Fast: widgets are built headless, nothing runs a notebook.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tiktok_lab.core.charts import caption_text
from tiktok_lab.core.datafiles import DataFileError, data_dir
from tiktok_lab.core.nature import NATURES, nature_label

pytestmark = pytest.mark.usefixtures("fresh_learner")

DATA = Path(str(data_dir()))
LANGUAGES = ("en", "fr")
#: Folders of data/ that hold no course content: vendored files, page templates, and the
#: interface strings (where each nature's label lives, under ``nature:``).
NOT_CONTENT = ("vendor", "kit_templates", "strings")


# ------------------------------------------------------------------ the flagged blocks


def _walk(value: Any, path: str) -> Iterator[tuple[str, dict]]:
    if isinstance(value, dict):
        if "nature" in value:
            yield path, value
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            name = item.get("id", index) if isinstance(item, dict) else index
            yield from _walk(item, f"{path}[{name}]")


def flagged_blocks() -> list[tuple[str, dict]]:
    """("platform.yaml#platform.model", block), ... for every block carrying ``nature``."""
    found = []
    for file in sorted(DATA.rglob("*.yaml")):
        relative = file.relative_to(DATA)
        if relative.parts[0] in NOT_CONTENT:
            continue
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        for path, block in _walk(document, ""):
            found.append((f"{relative.as_posix()}#{path}", block))
    return found


FLAGGED = flagged_blocks()


# ------------------------------------------------------------------ rendering


def widget_text(widget: Any) -> str:
    """Every text a widget tree shows: HTML values, labels, descriptions, options."""
    parts = []
    for name in ("value", "description", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            parts.append(value)
    for option in getattr(widget, "options", ()) or ():
        parts.append(str(option[0] if isinstance(option, tuple) else option))
    for child in getattr(widget, "children", ()) or ():
        parts.append(widget_text(child))
    return "\n".join(parts)


def chart_text(chart: Any) -> str:
    """A chart's title, caption (however wrapped) and description."""
    if chart is None:
        return ""
    spec = chart.to_dict()
    title = spec.get("title", {})
    return "\n".join((title.get("text", ""), caption_text(spec), spec.get("description", "")))


def app_text(app: Any) -> "str | dict[str, str]":
    """A widget app as the learner sees it (its widgets and the chart drawn in it) and, when it
    has a chart, the chart alone: a chart is copied, printed and exported on its own."""
    chart = getattr(app, "chart", None)
    shown = widget_text(app.widget) + "\n" + chart_text(chart)
    return {"": shown, "(its chart)": chart_text(chart)} if chart is not None else shown


# ------------------------------------------------------------------ the views, per block

#: A view renders a block's widget, chart or export in a language: its text, or several
#: texts by name (an export's files), each of which must carry the label.
View = Callable[..., "str | dict[str, str]"]


def _retention_chart(block: dict, language: str) -> str:
    from tiktok_lab.lessons.platform import make_retention_chart, read_choices, simulate_retention

    curve = simulate_retention()
    return chart_text(make_retention_chart(curve)) + "\n".join(read_choices(curve,
                                                                             language=language))


def _anatomy_app(block: dict, language: str) -> str:
    from tiktok_lab.ui.anatomy import AnatomyApp

    return app_text(AnatomyApp())


def _feed_app(name: str) -> View:
    def view(block: dict, language: str) -> str:
        from tiktok_lab.ui import feed_lab

        return app_text(getattr(feed_lab, name)())
    view.__name__ = name
    return view


def _similar_videos_chart(block: dict, language: str) -> str:
    from tiktok_lab.lessons.feed.charts import make_similar_videos_chart
    from tiktok_lab.lessons.feed.pools import simulate_feed, similar_video_percentiles

    return chart_text(make_similar_videos_chart(similar_video_percentiles(simulate_feed()),
                                                language=language))


# Lesson 04: a profile that leads to each verdict (the view checks it still does).
VERDICT_PROFILES = {"core": dict(sector="travel", bands=("18-24", "25-34"), videos_per_week=4),
                    "complement": None,  # the example brand
                    "not-now": dict(videos_per_week=0)}


def _scorecard_app(**answers: Any) -> Any:
    from tiktok_lab.lessons.opportunity import BrandProfile, example_brand
    from tiktok_lab.ui.scorecard import ScorecardApp

    profile = example_brand()
    if answers:
        profile = BrandProfile(**{**profile.__dict__, **answers})
    return ScorecardApp(profile)


def _scorecard(block: dict, language: str) -> str:
    return app_text(_scorecard_app())


def _scorecard_saved(block: dict, language: str) -> str:
    from tiktok_lab.work.store import get_store

    _scorecard_app()
    return json.dumps(get_store().read("opportunity"), ensure_ascii=False)


def _scorecard_with_goal(block: dict, language: str) -> str:
    app = _scorecard_app(goals=(block["id"],))
    return app_text(app)


def _scorecard_with_tone(block: dict, language: str) -> str:
    return app_text(_scorecard_app(tone=block["id"]))


def _scorecard_with_verdict(block: dict, language: str) -> str:
    answers = VERDICT_PROFILES[block["id"]] or {}
    app = _scorecard_app(**answers)
    assert app.card.verdict == block["id"], "VERDICT_PROFILES no longer leads to this verdict"
    return app_text(app)


def _strategy_form(block: dict, language: str) -> str:
    from tiktok_lab.ui.publishing import StrategyFormApp

    app = StrategyFormApp()
    app.whom.value = "everyone"
    return app_text(app)


def _rhythm_planner(block: dict, language: str) -> str:
    from tiktok_lab.ui.publishing import RhythmPlannerApp

    # Its calendar chart shows the learner's own plan against a sourced median, not the
    # checks: the checks show in the planner's messages.
    return widget_text(RhythmPlannerApp().widget)


def _comment_practice(block: dict, language: str) -> str:
    from tiktok_lab.ui.publishing import CommentPracticeApp

    app = CommentPracticeApp()
    app.on_answer(None)
    return app_text(app)


def _format_chooser(block: dict, language: str) -> str:
    from tiktok_lab.ui.ads import FormatChooserApp

    return app_text(FormatChooserApp())


def _chooser_saved(block: dict, language: str) -> str:
    from tiktok_lab.ui.ads import FormatChooserApp
    from tiktok_lab.work.store import get_store

    app = FormatChooserApp()
    for objective in ("reach", "sales"):  # a change saves (in this language)
        app.objective.value = objective
    return json.dumps(get_store().read("ads"), ensure_ascii=False)


def _budget_estimator(block: dict, language: str) -> str:
    from tiktok_lab.ui.ads import BudgetEstimatorApp

    return app_text(BudgetEstimatorApp())


def _reach_sentence_and_chart(block: dict, language: str) -> str:
    from tiktok_lab.lessons.ads.budget import (describe_estimate, estimate_ad_reach,
                                               make_ad_reach_chart)

    estimate = estimate_ad_reach(60, 7)
    return describe_estimate(estimate, language=language) + chart_text(make_ad_reach_chart(estimate))


def _checklist(block: dict, language: str) -> str:
    from tiktok_lab.lessons.strategy.checks import checklist_html, validate_strategy
    from tiktok_lab.lessons.strategy.plan import example_strategy

    return checklist_html(validate_strategy(example_strategy(), language=language),
                          language=language)


def _section(text: str, heading: str, next_heading: str) -> str:
    """The part of an export under ``heading``, up to the next heading of its level: the label
    must be in the section that shows the flagged block, not elsewhere on the page."""
    assert heading in text, f"no section {heading!r}"
    return text.split(heading, 1)[1].split(next_heading, 1)[0]


def _section_title(key: str, language: str) -> str:
    from tiktok_lab.lessons.strategy.plan import load_strategy_data

    return load_strategy_data().text("sections", key, language)


def _strategy_files(language: str, *, downloads: bool) -> dict[str, str]:
    """The Markdown, HTML and JSON of the example strategy: straight from the export
    functions, or the three files the builder's "Prepare my files" offers, decoded."""
    import base64

    from tiktok_lab.lessons.strategy.export import strategy_to_html, strategy_to_markdown
    from tiktok_lab.lessons.strategy.files import strategy_to_json
    from tiktok_lab.lessons.strategy.plan import example_strategy

    strategy = example_strategy()
    if not downloads:
        return {"md": strategy_to_markdown(strategy, language=language),
                "html": strategy_to_html(strategy, language=language, with_chart=False),
                "json": strategy_to_json(strategy, language=language)}
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    builder = StrategyBuilder(language)
    builder.drafts.update(strategy)
    builder.on_prepare()
    decoded = {extension: base64.b64decode(data).decode("utf-8") for extension, data in
               re.findall(r'download="[^"]+\.(\w+)" href="data:[^;]+;base64,([^"]+)"',
                          builder.links.value)}
    assert set(decoded) == {"md", "html", "json"}, "the builder offers .md, .html and .json"
    return decoded


def _checklist_exports(downloads: bool) -> View:
    def view(block: dict, language: str) -> str:
        files = _strategy_files(language, downloads=downloads)
        title = _section_title("checklist", language)
        return {"Markdown": _section(files["md"].replace("\\", ""), f"## {title}", "\n## "),
                "HTML": _section(files["html"], f"<h2>{html.escape(title)}</h2>", "<h2>")}
    view.__name__ = "the builder's downloads" if downloads else "the exports"
    return view


def _marked(section: str, page: str) -> str:
    """A section of the brief, with the one legend of its † marks when it carries one: the
    brief prints the rule-of-thumb label once, under its sections (review trainer5)."""
    if "\u2020" not in section:
        return section
    legend = re.search(r'^_(\u2020 [^\n]+)_$|<p class="legend">(\u2020 [^<]+)</p>', page,
                       re.MULTILINE)
    assert legend, "a † in the brief, but no legend"
    return section + "\n" + (legend.group(1) or legend.group(2))


def _verdict_exports(downloads: bool) -> View:
    def view(block: dict, language: str) -> str:
        files = _strategy_files(language, downloads=downloads)
        # the verdict stands in "In short" and beside the objective (its reasons), marked †
        short, title = _section_title("summary", language), _section_title("why", language)
        notes = json.loads(files["json"]).get("notes", {})
        md = files["md"].replace("\\", "")
        html_ = files["html"]
        return {"Markdown": _marked(_section(md, f"## {title}", "\n## "), md),
                "Markdown, in short": _marked(_section(md, f"## {short}", "\n## "), md),
                "HTML": _marked(_section(html_, f"<h2>{html.escape(title)}</h2>", "<h2>"),
                                html_),
                "HTML, in short": _marked(_section(html_, f"<h2>{html.escape(short)}</h2>",
                                                   "<h2>"), html_),
                "JSON": json.dumps(notes.get("verdict", ""), ensure_ascii=False)}
    view.__name__ = "the builder's downloads" if downloads else "the exports"
    return view


def _measures_exports(downloads: bool) -> View:
    def view(block: dict, language: str) -> str:
        files = _strategy_files(language, downloads=downloads)
        title = _section_title("why", language)
        notes = json.loads(files["json"]).get("notes", {})
        md = files["md"].replace("\\", "")
        return {"Markdown": _marked(_section(md, f"## {title}", "\n## "), md),
                "HTML": _marked(_section(files["html"], f"<h2>{html.escape(title)}</h2>",
                                         "<h2>"), files["html"]),
                "JSON": json.dumps(notes.get("measures", ""), ensure_ascii=False)}
    view.__name__ = "the builder's downloads" if downloads else "the exports"
    return view


def _builder_measures(block: dict, language: str) -> str:
    """The builder's form, from the objective's heading to the next heading."""
    import ipywidgets as widgets

    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    builder = StrategyBuilder(language)
    form = next(box for box in _boxes(builder.widget)
                if any(child is builder.fields["measures"]
                       for child in getattr(box, "children", ())))
    title = html.escape(_section_title("why", language))
    texts = [widget_text(child) for child in form.children]
    start = next(i for i, text in enumerate(texts) if f"<h3>{title}</h3>" in text)
    end = next(i for i in range(start + 1, len(texts)) if "<h3>" in texts[i])
    assert all(isinstance(child, widgets.Widget) for child in form.children)
    return "\n".join(texts[start:end])


def _builder_checklist(block: dict, language: str) -> str:
    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    return StrategyBuilder(language).checklist.value


def _builder_verdict(block: dict, language: str) -> str:
    """The builder's form, from the verdict's heading to the end of the form."""
    import ipywidgets as widgets

    from tiktok_lab.ui.strategy_builder import StrategyBuilder

    builder = StrategyBuilder(language)
    form = next(box for box in _boxes(builder.widget)
                if any(child is builder.fields["verdict"]
                       for child in getattr(box, "children", ())))
    title = html.escape(_section_title("verdict", language))
    texts = [widget_text(child) for child in form.children]
    start = next(i for i, text in enumerate(texts) if f"<h3>{title}</h3>" in text)
    assert all(isinstance(child, widgets.Widget) for child in form.children)
    return "\n".join(texts[start:])


def _boxes(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _boxes(child)


def _exercise(block: dict, path: str) -> Any:
    from tiktok_lab.course.exercises import load_exercise

    lesson = Path(path.split("#")[0]).stem
    return load_exercise(lesson, block["id"])


def _exercise_card(block: dict, language: str, path: str = "") -> str:
    from tiktok_lab.ui.decision import DecisionCard
    from tiktok_lab.ui.exercise import ExerciseCard
    from tiktok_lab.ui.open_answer import OpenAnswerCard

    exercise = _exercise(block, path)
    if exercise.kind == "decision":
        return widget_text(DecisionCard(exercise, language=language).widget)
    if exercise.kind == "open":
        return widget_text(OpenAnswerCard(exercise, language=language).widget)
    return widget_text(ExerciseCard(exercise).widget)


def _exercise_feedback(block: dict, language: str, path: str = "") -> str:
    """The verdicts on the right answer and on each planned mistake, and the solution; for a
    decision, the feedback on each option; for an open answer, the judgement of an answer that
    misses every element."""
    exercise = _exercise(block, path)
    if exercise.kind == "decision":
        return "\n".join(exercise.judge(option.id, language)._repr_html_()
                         for option in exercise.options)
    if exercise.kind == "open":
        return exercise.judge(" ".join(["word"] * exercise.row.min_words),
                              language)._repr_html_()
    verdicts = [exercise.verdict_for(exercise.expected()) if exercise.kind != "function"
                else exercise.verdict_for(_solution_function(exercise))]
    verdicts += [exercise.verdict_for(wrong) for _, wrong in exercise.wrong_values()
                 if exercise.kind != "function"]
    assert {v.status for v in verdicts[:1]} == {"correct"}
    return "\n".join([*(v._repr_html_() for v in verdicts), exercise.show_solution()._repr_html_()])


def _solution_function(exercise: Any) -> Any:
    from tiktok_lab.course.exercises import run_code

    return run_code(exercise.solution)[exercise.variable]


def _timing_report(block: dict, language: str) -> str:
    from tiktok_lab.kit.timing import timing_report

    return timing_report(Path(__file__).resolve().parents[1], language=language)


#: Where each flagged block is shown: "file#path" patterns (``*``: any text) and their views.
VIEWS: dict[str, tuple[View, ...]] = {
    "platform.yaml#platform.model": (_retention_chart, _anatomy_app),
    "feed.yaml#feed.model": (_feed_app("FirstOpenApp"), _feed_app("SignalWeightsApp"),
                             _feed_app("WatchTimeApp"), _feed_app("PoolApp"),
                             _feed_app("WhyThisVideoApp"), _feed_app("SwitchesApp"),
                             _similar_videos_chart),
    "feed.yaml#feed.pools": (_feed_app("WatchTimeApp"), _feed_app("PoolApp")),
    "opportunity.yaml#opportunity.scorecard": (_scorecard, _scorecard_saved),
    "opportunity.yaml#opportunity.goals[*]": (_scorecard_with_goal,),
    "opportunity.yaml#opportunity.tones[*]": (_scorecard_with_tone,),
    "opportunity.yaml#opportunity.verdicts[*]": (_scorecard_with_verdict,),
    "publishing.yaml#publishing.checks": (_strategy_form, _rhythm_planner),
    "publishing.yaml#publishing.levels": (_comment_practice,),
    "ad_formats.yaml#catalogue.chooser": (_format_chooser, _chooser_saved),
    "ad_formats.yaml#catalogue.assumptions": (_budget_estimator, _reach_sentence_and_chart),
    "strategy.yaml#strategy.checklist": (_checklist, _builder_checklist,
                                         _checklist_exports(downloads=False),
                                         _checklist_exports(downloads=True)),
    "strategy.yaml#strategy.measures": (_builder_measures, _measures_exports(downloads=False),
                                        _measures_exports(downloads=True)),
    "strategy.yaml#strategy.verdicts": (_builder_verdict, _verdict_exports(downloads=False),
                                        _verdict_exports(downloads=True)),
    "exercises/*.yaml#exercises[*]": (_exercise_card, _exercise_feedback),
    # A maintainer's view, not a learner's: `tiktok-lab timing` prints the assumptions.
    "timing.yaml#timing": (_timing_report,),
}


def matches(where: str, pattern: str) -> bool:
    """``*`` stands for any text; everything else is literal (``[`` included)."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), where) is not None


def views_of(where: str) -> tuple[View, ...]:
    return tuple(view for pattern, views in VIEWS.items() if matches(where, pattern)
                 for view in views)


# ------------------------------------------------------------------ the tests


def test_the_data_flags_the_rules_models_and_assumptions_of_every_lesson() -> None:
    files = {where.split("#")[0] for where, _ in FLAGGED}
    assert {"platform.yaml", "feed.yaml", "opportunity.yaml", "publishing.yaml",
            "ad_formats.yaml", "strategy.yaml"} <= files
    assert {nature for _, block in FLAGGED for nature in [block["nature"]]} == set(NATURES)
    for where, block in FLAGGED:
        assert block["nature"] in NATURES, f"{where}: nature {block['nature']!r}"


def test_every_view_pattern_still_matches_a_flagged_block() -> None:
    for pattern in VIEWS:
        assert any(matches(where, pattern) for where, _ in FLAGGED), (
            f"{pattern} names no flagged block any more: update VIEWS")


@pytest.mark.parametrize("where, block", FLAGGED, ids=[where for where, _ in FLAGGED])
def test_each_flagged_block_shows_its_label_wherever_it_is_shown(
        where: str, block: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    views = views_of(where)
    assert views, (f"{where} is flagged nature: {block['nature']}, but no view is registered "
                   "for it in tests/test_labels.py (VIEWS): say where a learner sees it")
    for language in LANGUAGES:
        monkeypatch.setenv("TIKTOK_LAB_LANG", language)
        label = nature_label(block["nature"], language)
        for view in views:
            extra = {"path": where} if where.startswith("exercises/") else {}
            shown = view(block, language, **extra)
            parts = shown if isinstance(shown, dict) else {"": shown}
            for part, text in parts.items():
                assert label in html.unescape(text), (
                    f"{where} ({block['nature']}) is shown by {view.__name__} {part} in "
                    f"{language} without its label {label!r}")


def _loader(file: str) -> Callable[[Path], Any]:
    from tiktok_lab.lessons.ads.formats import load_ad_formats
    from tiktok_lab.lessons.feed.model import load_feed_data
    from tiktok_lab.lessons.opportunity import load_opportunity
    from tiktok_lab.lessons.platform import load_platform
    from tiktok_lab.lessons.publishing import load_publishing
    from tiktok_lab.lessons.strategy.plan import load_strategy_data
    from tiktok_lab.kit.timing import load_timing

    return {"platform.yaml": load_platform, "feed.yaml": load_feed_data,
            "opportunity.yaml": load_opportunity, "publishing.yaml": load_publishing,
            "ad_formats.yaml": load_ad_formats, "strategy.yaml": load_strategy_data,
            "timing.yaml": load_timing}[file]


def _without_flag(document: Any, path: str, target: dict) -> bool:
    """Remove ``nature`` from the block at ``path`` (the same object as ``target``)."""
    for _, block in _walk(document, ""):
        if block == target and "nature" in block:
            del block["nature"]
            return True
    return False


REQUIRED = [(where, block) for where, block in FLAGGED if not where.startswith("exercises/")]


@pytest.mark.parametrize("where, block", REQUIRED, ids=[where for where, _ in REQUIRED])
def test_a_flagged_block_without_its_flag_is_refused(where: str, block: dict,
                                                     tmp_path: Path) -> None:
    file, path = where.split("#")
    document = yaml.safe_load((DATA / file).read_text(encoding="utf-8"))
    assert _without_flag(document, path, block)
    broken = tmp_path / file
    broken.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    with pytest.raises(DataFileError, match="nature"):
        _loader(file)(broken)


def test_each_nature_has_one_label_per_language() -> None:
    for language in LANGUAGES:
        labels = [nature_label(nature, language) for nature in NATURES]
        assert len(set(labels)) == len(NATURES) and all(labels)
    assert nature_label("rule_of_thumb", "fr") == "Règle empirique du cours, pas une règle ni un chiffre officiels de TikTok"
    with pytest.raises(ValueError):
        nature_label("fact")
