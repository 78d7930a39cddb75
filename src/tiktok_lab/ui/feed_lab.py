"""Lesson 03's widgets: the illustrative feed simulator, one small app per step.

Over 400 lines: lesson 03's six widget apps share the simulator's world, its redraw and its
labels.

No business logic here: the model is :mod:`tiktok_lab.lessons.feed.model` and :mod:`tiktok_lab.lessons.feed.pools`
(an illustrative teaching model, never TikTok's code), the charts and sourced tables are
:mod:`tiktok_lab.lessons.feed.charts`. Each app has ``widget`` (what the notebook shows), ``chart``
(the last chart drawn), ``redraws`` (a counter), ``table`` (the last DataFrame) and
``message`` (an HTML widget: a friendly box instead of a traceback when an input is wrong),
so headless tests can follow every change. Every app is seeded: re-running gives the same
result.

CSS classes for browser tests: ``tiktok-lab-feed-lab`` on every app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from tiktok_lab.lessons.feed.charts import (
    STATUSES,
    feed_claims,
    load_feed_lesson,
    make_cold_start_chart,
    make_feed_ranking_chart,
    make_feed_switches_chart,
    make_pool_funnel_chart,
    signal_families,
)
from tiktok_lab.core.i18n import format_number, get_language, speaking, t
from tiktok_lab.core.nature import nature_html
from tiktok_lab.ui.chart_output import redraw
from tiktok_lab.core.html import box, esc, table
from tiktok_lab.ui.source_links import documents_html, source_html

if TYPE_CHECKING:
    import pandas as pd
    from IPython.display import HTML



def _topic_options(language: str) -> list[tuple[str, str]]:
    from tiktok_lab.lessons.feed.model import load_feed_data

    data = load_feed_data()
    return [(data.topic_label(topic.id, language), topic.id) for topic in data.topics]


def _html_table(frame: "pd.DataFrame", columns: Sequence[str], headers: Sequence[str],
                caption: str = "") -> str:
    rows = []
    for values in frame[list(columns)].itertuples(index=False):
        rows.append(tuple(_cell(v) for v in values))
    return table(headers, rows, caption=caption)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        if value != value:  # NaN: no impressions this round
            return "—"
        return format_number(round(value, 1))
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


class _FeedApp:
    """Shared plumbing: an Output for the chart, an HTML for the table, a message box."""

    css = "tiktok-lab-feed-lab"

    def __init__(self) -> None:
        import ipywidgets as widgets

        self.language = get_language()
        self.chart_output = widgets.Output(layout=widgets.Layout(min_height="300px"))
        self.table_html = widgets.HTML()
        self.message = widgets.HTML()
        self.chart: Any = None
        self.table: pd.DataFrame | None = None
        self.redraws = 0

    def _hint(self, key: str) -> Any:
        """A control's instructions on their own line above it: a long description would
        squeeze the control itself to nothing (French labels run longer)."""
        import ipywidgets as widgets

        return widgets.HTML(f'<span class="tiktok-lab-hint">'
                            f'{esc(t(f"feed_lesson.widget.{key}_hint", language=self.language))}'
                            '</span>')

    def _assemble(self, heading: str, controls: list[Any]) -> None:
        import ipywidgets as widgets

        title = widgets.HTML(f"<strong>{esc(heading)}</strong>")
        self.widget = widgets.VBox([title, *controls, self.message, self.chart_output,
                                    self.table_html])
        self.widget.add_class(self.css)
        self.redraw()

    def on_change(self, _change: dict | None = None) -> None:
        self.redraw()

    def compute(self) -> tuple[Any, "pd.DataFrame", str]:
        """The chart, the table behind it and the table's HTML; raises FeedInputError."""
        raise NotImplementedError

    def redraw(self) -> None:

        from tiktok_lab.lessons.feed.model import FeedInputError

        try:
            with speaking(self.language):  # a refusal speaks the widget's language
                chart, frame, html = self.compute()
        except FeedInputError as error:
            self.message.value = box(esc(t("feed_lesson.widget.fix", language=self.language,
                                           problem=str(error))), "warning")
            return
        except Exception as error:  # noqa: BLE001 - a widget must never raise at a learner
            self.message.value = box(esc(str(error)), "problem")
            return
        self.message.value = ""
        self.chart, self.table = chart, frame
        self.redraws += 1
        redraw(self.chart_output, chart)
        self.table_html.value = html


# ------------------------------------------------------------------ step 1: first open


class FirstOpenApp(_FeedApp):
    """Pick interests as at first open; see the cold-start feed (popular + your interests)."""

    def __init__(self, interests: Sequence[str] = ("pets", "travel")) -> None:
        from tiktok_lab.ui.choices import CheckboxList  # ipywidgets: on first use

        super().__init__()
        options = _topic_options(self.language)
        known = {value for _, value in options}
        # Checkboxes, not a list box: a non-coder does not know Ctrl-click (ui/choices.py).
        self.picker = CheckboxList(
            options, description=t("feed_lesson.widget.interests", language=self.language),
            tooltip=t("feed_lesson.widget.interests_hint", language=self.language))
        self.picker.value = tuple(i for i in interests if i in known)
        self.picker.observe(self.on_change, names="value")
        self._assemble(t("feed_lesson.widget.first_open", language=self.language),
                       [self.picker])

    def compute(self):
        from tiktok_lab.lessons.feed.pools import cold_start_feed

        feed = cold_start_feed(self.picker.value, language=self.language)
        return make_cold_start_chart(feed, self.language), feed, ""


# ------------------------------------------------------------------ step 2: weights


class SignalWeightsApp(_FeedApp):
    """Sliders for V_like, V_comment, V_playtime, V_play: one person's feed re-ranks."""

    def __init__(self, user: int = 0) -> None:
        import ipywidgets as widgets

        from tiktok_lab.lessons.feed.model import WEIGHTS, FeedParams

        super().__init__()
        self.user = user
        self.params = FeedParams.defaults()
        self.sliders: dict[str, Any] = {}
        for name in WEIGHTS:
            slider = widgets.FloatSlider(
                value=getattr(self.params, name), min=0, max=5, step=0.5,
                continuous_update=False, readout_format=".1f",
                description=t(f"feed_lesson.widget.{name}", language=self.language),
                style={"description_width": "340px"}, layout=widgets.Layout(width="600px"))
            slider.observe(self.on_change, names="value")
            self.sliders[name] = slider
        self._assemble(t("feed_lesson.widget.weights", language=self.language),
                       list(self.sliders.values()))

    def _shown(self, params: Any) -> tuple["pd.DataFrame", "pd.DataFrame"]:
        from tiktok_lab.lessons.feed.refresh import rank_feed

        ranked = rank_feed(params, users=(self.user,), language=self.language)
        shown = ranked[ranked["shown"] & (ranked["slot"] == "ranked")].sort_values("rank")
        return ranked, shown

    def compute(self):
        params = self.params.replace(**{n: s.value for n, s in self.sliders.items()})
        ranked, shown = self._shown(params)
        top = shown.iloc[0]
        line = t("feed_lesson.widget.top_video", language=self.language,
                 topic=top["topic_label"], seconds=int(top["length_seconds"]))
        # Say what moved against the default weights: the chart alone often looks unchanged.
        default = list(self._shown(self.params)[1]["video"])
        now = list(shown["video"])
        entered = len(set(now) - set(default))
        if entered:
            change = t("feed_lesson.widget.swapped", language=self.language, count=entered)
        elif now != default:
            change = t("feed_lesson.widget.reordered", language=self.language)
        else:
            change = t("feed_lesson.widget.same_feed", language=self.language)
        return (make_feed_ranking_chart(ranked, self.language), ranked,
                box(f"{esc(line)}<br>{esc(change)}", "info"))


# ------------------------------------------------------------------ step 3: watch time


class WatchTimeApp(_FeedApp):
    """Two videos, same hook (so about the same first views), different completion."""

    def __init__(self, topic: str = "travel", length_seconds: int = 60,
                 completion_a: float = 0.2, completion_b: float = 0.7, hook: float = 0.6) -> None:
        import ipywidgets as widgets

        super().__init__()
        self.hook = hook
        self.topic = widgets.Dropdown(options=_topic_options(self.language), value=topic,
                                      description=t("feed_lesson.widget.topic", language=self.language))
        self.length = widgets.IntSlider(value=length_seconds, min=5, max=600, step=5,
                                        continuous_update=False,
                                        description=t("feed_lesson.widget.length",
                                                      language=self.language),
                                        style={"description_width": "initial"})
        self.completion = {}
        for key, value in (("a", completion_a), ("b", completion_b)):
            slider = widgets.FloatSlider(
                value=value, min=0.05, max=1, step=0.05, continuous_update=False,
                readout_format=".2f",
                description=t(f"feed_lesson.widget.completion_{key}", language=self.language),
                style={"description_width": "320px"}, layout=widgets.Layout(width="580px"))
            self.completion[key] = slider
        for control in (self.topic, self.length, *self.completion.values()):
            control.observe(self.on_change, names="value")
        self._assemble(t("feed_lesson.widget.watch_time", language=self.language),
                       [self.topic, self.length, *self.completion.values()])

    def names(self) -> dict[str, str]:
        return {key: t(f"feed_lesson.widget.video_{key}", language=self.language)
                for key in ("a", "b")}

    def compute(self):
        import pandas as pd

        from tiktok_lab.lessons.feed.pools import upload_video

        names = self.names()
        uploads = {names[key]: upload_video(hook=self.hook, length_seconds=self.length.value,
                                            topic=self.topic.value, completion=slider.value,
                                            language=self.language)
                   for key, slider in self.completion.items()}
        frame = pd.DataFrame([{
            "video": name,
            "completion": slider.value,
            "first_views": int(u["views"].iloc[0]),
            "first_percentile": float(u["percentile_watch"].iloc[0]),
            "reach": int(u["reach"].iloc[-1]),
            "top_pool": int(u["pool"].max()),
        } for (name, u), slider in zip(uploads.items(), self.completion.values())])
        headers = [t(f"feed_lesson.table.{c}", language=self.language) for c in frame.columns]
        html = _html_table(frame, list(frame.columns), headers)
        return make_pool_funnel_chart(uploads, self.language), frame, html


# ------------------------------------------------------------------ step 4: pools


class PoolApp(_FeedApp):
    """Upload a video (hook, length, topic); follow it through the pools, round by round."""

    def __init__(self, hook: float = 0.5, length_seconds: float = 30, topic: str = "food") -> None:
        import ipywidgets as widgets

        super().__init__()
        self.hook = widgets.FloatSlider(value=hook, min=0.05, max=1, step=0.05,
                                        continuous_update=False, readout_format=".2f",
                                        description=t("feed_lesson.widget.hook",
                                                      language=self.language),
                                        style={"description_width": "initial"})
        self.length = widgets.FloatText(value=length_seconds,
                                        description=t("feed_lesson.widget.length",
                                                      language=self.language),
                                        style={"description_width": "initial"})
        self.topic = widgets.Dropdown(options=_topic_options(self.language), value=topic,
                                      description=t("feed_lesson.widget.topic",
                                                    language=self.language))
        for control in (self.hook, self.length, self.topic):
            control.observe(self.on_change, names="value")
        self._assemble(t("feed_lesson.widget.pools", language=self.language),
                       [self._hint("hook"), self.hook, self.length, self.topic])

    def compute(self):
        from tiktok_lab.lessons.feed.pools import upload_video

        journey = upload_video(hook=self.hook.value, length_seconds=self.length.value,
                               topic=self.topic.value, language=self.language)
        frame = journey.assign(decision_text=[
            t(f"feed_lesson.decision.{d.replace(' ', '_')}", language=self.language)
            for d in journey["decision"]])
        columns = ["round", "pool", "impressions", "views", "percentile", "decision_text", "reach"]
        headers = [t(f"feed_lesson.table.{c}", language=self.language) for c in columns]
        return make_pool_funnel_chart(journey, self.language), journey, _html_table(
            frame, columns, headers)


# ------------------------------------------------------------------ step 5: why this video


class WhyThisVideoApp(_FeedApp):
    """Pick a person and a video of their feed: the reasons, in plain words."""

    def __init__(self, user: int = 0) -> None:
        import ipywidgets as widgets

        super().__init__()
        self.chart_output.layout.min_height = "0px"
        self.person = widgets.IntText(value=user, description=t("feed_lesson.widget.person",
                                                                 language=self.language),
                                      style={"description_width": "initial"})
        self.video = widgets.Dropdown(description=t("feed_lesson.widget.video",
                                                    language=self.language),
                                      layout=widgets.Layout(width="420px"))
        self._fill_videos()
        self.person.observe(self.on_person, names="value")
        self.video.observe(self.on_change, names="value")
        self._assemble(t("feed_lesson.widget.why", language=self.language),
                       [self._hint("person"), self.person, self.video])

    def _fill_videos(self) -> None:
        from tiktok_lab.lessons.feed.refresh import rank_feed

        ranked = rank_feed(users=(self.person.value,), language=self.language)
        shown = ranked[ranked["shown"]]
        options = [(t("feed_lesson.widget.video_option", language=self.language,
                      video=int(v), topic=topic, seconds=int(s)), int(v))
                   for v, topic, s in zip(shown["video"], shown["topic_label"],
                                          shown["length_seconds"])]
        self._filling = True
        try:
            self.video.options = options
            if options:
                self.video.value = options[0][1]
        finally:
            self._filling = False

    def on_change(self, _change: dict | None = None) -> None:
        if not self._filling:
            self.redraw()

    def on_person(self, _change: dict | None = None) -> None:
        from tiktok_lab.lessons.feed.model import FeedInputError

        try:
            with speaking(self.language):
                self._fill_videos()
        except FeedInputError as error:
            self.message.value = box(esc(t("feed_lesson.widget.fix", language=self.language,
                                           problem=str(error))), "warning")
            self.table_html.value = ""
            return
        self.redraw()

    def compute(self):
        from tiktok_lab.lessons.feed.model import load_feed_data
        from tiktok_lab.lessons.feed.pools import simulate_feed, why_this_video

        reasons = why_this_video(simulate_feed(), self.person.value, self.video.value,
                                 language=self.language)
        items = "".join(f"<li>{esc(text)}</li>" for text in reasons["text"])
        heading = t("feed_lesson.widget.because", language=self.language)
        # No chart (and so no caption) here: the reasons say which model they come from.
        label = nature_html(load_feed_data().model, self.language)
        return None, reasons, box(f"{esc(heading)}<ul style='margin:4px 0'>{items}</ul>"
                                  f"{label}", "info")

    def redraw(self) -> None:
        # No chart here: the reasons are words; keep the Output empty.
        super().redraw()
        self.chart_output.clear_output()


# ------------------------------------------------------------------ step 6: switches


class SwitchesApp(_FeedApp):
    """Diversity share and the European non-personalised feed, against the default feed."""

    def __init__(self, diversity_share: float | None = None, personalised: bool = True) -> None:
        import ipywidgets as widgets

        from tiktok_lab.lessons.feed.model import FeedParams

        super().__init__()
        self.params = FeedParams.defaults()
        self.diversity = widgets.FloatSlider(
            value=self.params.diversity_share if diversity_share is None else diversity_share,
            min=0, max=1, step=0.05, continuous_update=False, readout_format=".2f",
            description=t("feed_lesson.widget.diversity", language=self.language),
            style={"description_width": "initial"}, layout=widgets.Layout(width="460px"))
        self.personalised = widgets.Checkbox(
            value=personalised, indent=False,
            description=t("feed_lesson.widget.personalised", language=self.language))
        for control in (self.diversity, self.personalised):
            control.observe(self.on_change, names="value")
        self._assemble(t("feed_lesson.widget.switches", language=self.language),
                       [self._hint("diversity"), self.diversity, self.personalised])

    def compute(self):
        import pandas as pd

        from tiktok_lab.lessons.feed.pools import simulate_feed

        mine = self.params.replace(diversity_share=self.diversity.value,
                                   personalised=self.personalised.value)
        names = (t("feed_lesson.widget.default_feed", language=self.language),
                 t("feed_lesson.widget.your_feed", language=self.language))
        summaries = {names[0]: simulate_feed(self.params).summary(),
                     names[1]: simulate_feed(mine).summary()}
        frame = pd.DataFrame([{
            "scenario": name,
            "impressions": int(s["impressions"].sum()),
            "views": int(s["views"].sum()),
            "watch_hours": float(s["watch_hours"].sum()),
            "outside_percent": float(s["out_of_profile_share"].mean() * 100),
        } for name, s in summaries.items()])
        headers = [t(f"feed_lesson.table.{c}", language=self.language) for c in frame.columns]
        return (make_feed_switches_chart(summaries, self.language), frame,
                _html_table(frame, list(frame.columns), headers))


# ------------------------------------------------------------------ builders and tables


def build_first_open_widget(interests: Sequence[str] = ("pets", "travel")) -> Any:
    """Step 1: pick interests, see the cold-start feed."""
    return FirstOpenApp(interests).widget


def build_signal_weights_widget(user: int = 0) -> Any:
    """Step 2: four weight sliders; one person's feed re-ranks."""
    return SignalWeightsApp(user).widget


def build_watch_time_widget(**options: Any) -> Any:
    """Step 3: two videos with the same hook but different completion, side by side."""
    return WatchTimeApp(**options).widget


def build_pool_widget(**options: Any) -> Any:
    """Step 4: upload a video and follow it through the pools (industry description)."""
    return PoolApp(**options).widget


def build_why_widget(user: int = 0) -> Any:
    """Step 5: "Why this video", in plain words."""
    return WhyThisVideoApp(user).widget


def build_switches_widget(**options: Any) -> Any:
    """Step 6: diversity share and the European non-personalised feed."""
    return SwitchesApp(**options).widget


def signals_table() -> "HTML":
    """The three signal families with strong and weak examples, and their source."""
    from IPython.display import HTML

    frame = signal_families()
    caption = t("feed_lesson.signals.caption", source=frame.attrs["source"])
    pages = documents_html(load_feed_lesson().signals_seen_in)
    links = f'<p style="font-size:12px">{pages}</p>' if pages else ""
    return HTML(table(list(frame.columns), frame.itertuples(index=False), caption=caption) + links)


def feed_knowledge_table() -> "HTML":
    """Known vs folklore vs unknown about the feed, each with source, date and confidence."""
    from IPython.display import HTML

    frame = feed_claims().drop(columns=["status"])
    # The same order as feed_claims(): by status, then the file's order.
    claims = sorted(load_feed_lesson().claims, key=lambda c: STATUSES.index(c.status))
    column = list(frame.columns).index(t("feed_lesson.claims.source"))
    # One page to open per row (the first of seen_in): a wall of links loses a non-coder;
    # every page is listed on the course's sources page.
    rows = [tuple(source_html(value, claim.seen_in[:1]) if i == column else value
                  for i, value in enumerate(row))
            for row, claim in zip(frame.itertuples(index=False), claims)]
    return HTML(table(list(frame.columns), rows, raw_columns=frozenset({column}),
                      caption=t("feed_lesson.claims.caption")))


