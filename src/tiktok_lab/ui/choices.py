"""Several choices as checkboxes: what a multi-select list box does, without the
Ctrl-click a non-coder does not know.

:class:`CheckboxList` behaves like ``ipywidgets.SelectMultiple`` where the builders use it:
``value`` is the tuple of the ticked options' values (in the options' order), setting it ticks
the boxes, and ``observe(handler, names="value")`` hears one change per tick or per setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import traitlets

from tiktok_lab.core.html import esc

# Options that are whole sentences (an opening, a reply, a quiz answer): a radio label must
# wrap onto several lines instead of running over the next option or off the card (ipywidgets
# draws each on one fixed-height line; French answers run longer). Add the class
# WRAPPED_OPTIONS to the RadioButtons and put WRAP_OPTIONS_STYLE once on the page.
WRAPPED_OPTIONS = "tiktok-lab-wrapped-options"
WRAP_OPTIONS_STYLE = (f"<style>.{WRAPPED_OPTIONS} .widget-radio-box label"
                      "{height:auto;min-height:var(--jp-widgets-inline-height);white-space:normal;"
                      "display:grid;grid-template-columns:auto 1fr;column-gap:6px;"
                      "align-items:flex-start;line-height:1.4;margin-bottom:6px}"
                      f".{WRAPPED_OPTIONS} .widget-radio-box input"
                      "{grid-column:1;grid-row:1;margin:3px 0 0 0}</style>")


class CheckboxList(widgets.VBox):
    """Titled checkboxes (side by side, wrapping) whose ``value`` is the tuple of ticked option values."""

    value = traitlets.Tuple()

    def __init__(self, options: Iterable[tuple[str, Any]], *, description: str = "",
                 tooltip: str = "", **kwargs: Any) -> None:
        self.options = tuple(options)
        self.description = description
        self._syncing = False
        self.boxes = {value: widgets.Checkbox(value=False, description=label, indent=False,
                                              tooltip=tooltip, layout=widgets.Layout(
                                                  width="auto", margin="0 18px 0 0"))
                      for label, value in self.options}
        title = widgets.HTML(f"<strong>{esc(description)}</strong>"
                             + (f" <small>{esc(tooltip)}</small>" if tooltip else ""))
        # side by side, each box as wide as its whole label, wrapping to the next line: a
        # long list stays short on the page and no label is cut (a grid column cuts them)
        flow = widgets.Box(list(self.boxes.values()), layout=widgets.Layout(
            flex_flow="row wrap", width="100%"))
        super().__init__([title, flow], **kwargs)
        for box in self.boxes.values():
            box.observe(self._ticked, names="value")

    def _ticked(self, _change: Any) -> None:
        if self._syncing:
            return
        self.value = tuple(v for v, box in self.boxes.items() if box.value)

    @traitlets.observe("value")
    def _show(self, change: Any) -> None:
        ticked = set(change["new"])
        self._syncing = True
        try:
            for value, box in self.boxes.items():
                box.value = value in ticked
        finally:
            self._syncing = False

    @traitlets.validate("value")
    def _known(self, proposal: Any) -> tuple:
        wanted = set(proposal["value"])
        return tuple(v for v in self.boxes if v in wanted)


__all__ = ["CheckboxList"]
