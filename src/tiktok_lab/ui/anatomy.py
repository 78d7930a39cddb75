"""Lesson 01's widgets: the building blocks as tables, and "anatomy of a TikTok".

No business logic here: blocks, the illustrative retention model, its reading
and charts come from :mod:`tiktok_lab.lessons.platform`.

CSS classes for browser tests: ``tiktok-lab-anatomy`` (the app),
``tiktok-lab-anatomy-reading`` (the sentences under the chart).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiktok_lab.core.i18n import get_language, localized, t
from tiktok_lab.lessons.platform import (
    CHOICE_KINDS,
    Choices,
    PlatformData,
    load_platform,
    make_retention_chart,
    read_choices,
    simulate_retention,
)
from tiktok_lab.ui.chart_output import redraw
from tiktok_lab.core.html import box, esc, table

if TYPE_CHECKING:
    import altair as alt
    from IPython.display import HTML

# Widget label key and Choices field for each kind the learner picks.
_FIELD = {"lengths": "length", "hooks": "hook", "sounds": "sound", "effects": "effect",
          "genres": "genre"}


def building_blocks(kind: str) -> "HTML":
    """One kind of building block as a table: label and what it is (genres: in the article?)."""
    from IPython.display import HTML

    data = load_platform()
    blocks = data.blocks(kind)
    language = get_language()
    headers = [t("platform.blocks.col_part"), t("platform.blocks.col_what")]
    rows: list[tuple[Any, ...]] = []
    for block in blocks:
        label, description = block.text(language)
        row: tuple[Any, ...] = (label, description)
        if hasattr(block, "in_article"):
            row += (t("platform.blocks.named") if block.in_article else t("platform.blocks.not_named"),)
        rows.append(row)
    if rows and len(rows[0]) == 3:
        headers.append(t("platform.blocks.col_article"))
    return HTML(table(headers, rows))


class AnatomyApp:
    """Pick a length, hook, sound, effect and genre; see the illustrative curve and a reading.

    ``widget`` is what the notebook shows. ``chart`` is the last chart drawn and
    ``redraws`` counts redraws, so headless tests can follow every change.
    """

    def __init__(self, data: PlatformData | None = None, choices: Choices | None = None) -> None:
        import ipywidgets as widgets

        self.data = data or load_platform()
        self.language = get_language()
        start = choices or Choices()
        self.controls: dict[str, Any] = {}
        for kind in CHOICE_KINDS:
            options = [(localized(b.label, language=self.language), b.id)
                       for b in self.data.blocks(kind)]
            ids = [value for _, value in options]
            value = getattr(start, _FIELD[kind])
            value = value if value in ids else ids[0]
            description = t(f"platform.widget.{_FIELD[kind]}", language=self.language)
            if kind == "lengths":
                control = widgets.ToggleButtons(options=options, value=value,
                                                description=description,
                                                style={"button_width": "70px"})
            else:
                control = widgets.Dropdown(options=options, value=value,
                                           description=description,
                                           layout=widgets.Layout(width="360px"))
            control.observe(self.on_choice_change, names="value")
            self.controls[kind] = control
        self.chart_output = widgets.Output(layout=widgets.Layout(min_height="380px"))
        self.reading = widgets.HTML()
        self.reading.add_class("tiktok-lab-anatomy-reading")
        self.chart: alt.TopLevelMixin | None = None
        self.redraws = 0
        heading = widgets.HTML(f"<strong>{esc(t('platform.widget.heading'))}</strong>")
        pickers = widgets.VBox([self.controls[k] for k in CHOICE_KINDS])
        self.widget = widgets.VBox([heading, pickers, self.chart_output, self.reading])
        self.widget.add_class("tiktok-lab-anatomy")
        self.redraw()

    @property
    def choices(self) -> Choices:
        return Choices(**{_FIELD[k]: self.controls[k].value for k in CHOICE_KINDS})

    def on_choice_change(self, _change: dict) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Recompute the curve, redraw the chart inside the Output, rewrite the reading.

        Any failure is shown as a message in the widget, never as a traceback in
        the middle of a workshop.
        """

        try:
            curve = simulate_retention(self.choices, data=self.data)
            self.chart = make_retention_chart(curve, data=self.data)
            lines = read_choices(curve, data=self.data, language=self.language)
        except Exception as error:  # noqa: BLE001 - a widget must never raise at a learner
            self.reading.value = box(esc(str(error)), "problem")
            return
        self.redraws += 1
        redraw(self.chart_output, self.chart)
        first, *rest = lines
        items = "".join(f"<li>{esc(line)}</li>" for line in rest)
        self.reading.value = box(f"{esc(first)}<ul style='margin:4px 0'>{items}</ul>", "info")


def build_anatomy_widget(**choices: str) -> Any:
    """The "anatomy of a TikTok" app, e.g. ``tl.build_anatomy_widget(length="m3")``."""
    return AnatomyApp(choices=Choices(**choices) if choices else None).widget
