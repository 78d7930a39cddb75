"""Redrawing a chart inside an ``ipywidgets.Output``, the one way every widget app does it.

``clear_output(wait=True)`` keeps the old chart until the new one arrives, so the
page does not jump on a projector; displaying inside ``with out:`` (not
``append_display_data``) lets the offline renderer see that it draws inside an
Output and reuse the page's chart library instead of carrying its own copy.

A redraw follows a learner's click, so it must be quick (50 ms target,
``benchmarks/widget_latency.py``). ``display(chart)`` would validate the whole
spec against the Vega-Lite JSON schema on every redraw, which costs more than
building the chart; the specs our chart builders make are validated by their
tests, so here the spec is converted without validation and handed to the active
renderer, which gives the same output.
"""

from __future__ import annotations

from typing import Any


def redraw(output: Any, chart: Any | None) -> None:
    """Replace what ``output`` shows with ``chart`` (or nothing, when it is None)."""
    from IPython.display import display

    output.clear_output(wait=True)
    if chart is None:
        return
    import altair as alt

    spec = chart.to_dict(validate=False, context={"pre_transform": False})
    with output:
        # The renderer runs inside the Output: it checks that to leave the library out.
        display(alt.renderers.get()(spec), raw=True)
