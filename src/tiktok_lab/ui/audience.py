"""The "your audience on TikTok" calculator: a drop-down, age boxes, a sex choice.

The estimate itself is :func:`tiktok_lab.lessons.figures.audience.estimate_reach`; this module
only draws it and the figures it used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiktok_lab.core.html import box, esc, table

if TYPE_CHECKING:
    import ipywidgets as widgets

    from tiktok_lab.lessons.figures.audience import ReachEstimate


def estimate_html(estimate: "ReachEstimate") -> str:
    """The range in words, labelled as rough, then the figures it used with their dates."""
    from tiktok_lab.lessons.figures.sourced import format_value
    from tiktok_lab.core.i18n import t
    from tiktok_lab.ui.figures_view import cite

    if not estimate.ok:
        return box(esc(estimate.message), "warning")
    low = format_value(estimate.low, estimate.unit)
    high = format_value(estimate.high, estimate.unit)
    key = "figures.calc.result_percent" if estimate.unit == "percent" else "figures.calc.result"
    text = t(key, range=low if low == high else t("figures.calc.range", low=low, high=high))
    rows = [(f.metric, format_value(f.value, f.unit), f.scope, cite(f), f.confidence)
            for f in estimate.figures]
    headers = [t("figures.col.metric"), t("figures.col.value"), t("figures.col.scope"),
               t("figures.col.source"), t("figures.col.confidence")]
    note = f"<br>{esc(estimate.note)}" if estimate.note else ""
    return (box(f"<strong>{esc(text)}</strong>{note}<br>{esc(t('figures.calc.rough'))}", "info")
            + table(headers, rows, caption=t("figures.calc.used")))


def audience_calculator() -> "widgets.VBox":
    """Pick a place, age bands and a sex; see a rough reach range and its sources."""
    import ipywidgets as widgets

    from tiktok_lab.lessons.figures.audience import ALL, SCOPES, SEXES, estimate_reach, scope_names
    from tiktok_lab.core.i18n import t

    scope = widgets.Dropdown(options=[(name, key) for key, name in scope_names().items()],
                             value="worldwide", description=t("figures.calc.scope"))
    sex = widgets.ToggleButtons(options=[(t(f"figures.sex.{s}"), s) for s in SEXES], value=ALL,
                                description=t("figures.calc.sex"))
    bands_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
    result = widgets.HTML()
    checks: list[tuple[str, widgets.Checkbox]] = []

    def band_label(band: str) -> str:
        return t(f"figures.calc.band_all_{scope.value}") if band == ALL else band

    def on_change(_change: object = None) -> None:
        chosen = [band for band, check in checks if check.value]
        result.value = estimate_html(estimate_reach(scope.value, chosen, sex.value))

    def on_scope_change(_change: object = None) -> None:
        bands = SCOPES[scope.value].bands()
        checks[:] = [(band, widgets.Checkbox(value=band == bands[0], description=band_label(band),
                                             indent=False, layout=widgets.Layout(width="auto")))
                     for band in bands]
        for _band, check in checks:
            check.observe(on_change, names="value")
        bands_box.children = [check for _band, check in checks]
        on_change()

    scope.observe(on_scope_change, names="value")
    sex.observe(on_change, names="value")
    on_scope_change()
    label = widgets.HTML(f"<strong>{esc(t('figures.calc.bands'))}</strong>")
    calculator = widgets.VBox([scope, widgets.HBox([label, bands_box]), sex, result])
    calculator.add_class("tiktok-lab-audience-calculator")  # for browser tests and themes
    return calculator
