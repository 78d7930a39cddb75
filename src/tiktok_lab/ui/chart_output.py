"""Redrawing a chart inside an ``ipywidgets.Output``, the one way every widget app does it.

``clear_output(wait=True)`` keeps the old chart until the new one arrives, so the
page does not jump on a projector; ``with out: display(chart)`` (not
``append_display_data``) lets the offline renderer see that it draws inside an
Output and reuse the page's chart library instead of carrying its own copy.
"""

from __future__ import annotations

from typing import Any


def redraw(output: Any, chart: Any | None) -> None:
    """Replace what ``output`` shows with ``chart`` (or nothing, when it is None)."""
    from IPython.display import display

    output.clear_output(wait=True)
    if chart is not None:
        with output:
            display(chart)
