"""Lesson 07's strategy builder: a form, a live checklist, drafts, downloads and import.

No business logic here: the strategy, its checks and drafts come from
:mod:`tiktok_lab.lessons.strategy.plan`, the files from :mod:`tiktok_lab.lessons.strategy.export`.
Text boxes use ``continuous_update=False``: a change arrives (and is saved)
when the learner leaves the box or presses Enter, not on every key stroke,
which is the debounce. Every change is saved atomically in ``my_work/``,
merged with what another window (or a restored ``.zip``) saved meanwhile: the
fields the other side changed are shown here too, and a field both changed
keeps this window's text with the other shown in the status line. Each text
field's help says its limit; a text past it is named in the status line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tiktok_lab.work.merge import Path, touches
from tiktok_lab.work.shared_documents import Saved, TooLong, limit_hint, lines_hint
from tiktok_lab.lessons.strategy.checks import validate_strategy
from tiktok_lab.lessons.strategy.drafts import load_drafts_with_overflows, save_drafts
from tiktok_lab.lessons.strategy.files import (StrategyImportError, imported_overflows,
                                               strategy_from_json, strategy_to_json)
from tiktok_lab.lessons.strategy.money import CURRENCIES
from tiktok_lab.lessons.strategy.plan import (IDEA_FIELDS, LINE_LIMIT, MAX_ITEMS, SEXES,
                                              STORE_DOCUMENT, TEST_FIELDS, VERDICTS, Strategy,
                                              load_strategy_data, text_limit, text_overflows)
from tiktok_lab.core.i18n import colon
from tiktok_lab.core.html import box, download_link, esc
from tiktok_lab.core.nature import nature_html
from tiktok_lab.ui.save_status import StatusLine, attempt, edited_places

TEXTS = ("name", "brand", "sector", "market", "landing_page", "tone", "country",
         "comment_owner", "start", "end", "filmer", "approver")
AREAS = ("objective", "interests", *TEST_FIELDS, "comment_rules")
LISTS = ("key_messages", "pillars", "ages", "formats", "challenges", "ad_formats", "creators",
         *IDEA_FIELDS)
WHOLE = ("posts_per_week", "comment_hours", "views", "followers", "clicks")
DECIMAL = ("daily_budget", "completion_rate", "engagement_rate")
#: The form's sections, in the brief's order (lesson 04's verdict and the targets beside the
#: objective, the rhythm with the content); the earlier answers first, to start from.
LAYOUT = (("identity", ("name", "brand", "sector", "market")),
          ("earlier", ()),
          ("verdict", ("verdict",)),
          ("why", ("goal", "objective", "measures", "landing_page")),
          ("kpis", ("views", "completion_rate", "engagement_rate", "followers", "clicks")),
          ("whom", ("ages", "sex", "country", "interests")),
          ("what", ("key_messages", "tone", "pillars", *IDEA_FIELDS)),
          ("organic", ("posts_per_week", "formats", "challenges", "reposts_elsewhere")),
          ("tests", TEST_FIELDS),
          ("roles", ("filmer", "approver", "comment_owner", "comment_hours", "comment_rules")),
          ("paid", ("ad_formats", "currency", "daily_budget", "start", "end", "creators")),
          ("compliance", ()))



# A field's label above its box, whole: ipywidgets draws a description beside the box, cut at a
# fixed width; a column keeps the <label> tied to its input (axe: every box has a visible name).
_STACKED = ("<style>.tiktok-lab-stacked.widget-inline-hbox{flex-direction:column;"
            "align-items:stretch;height:auto}"
            ".tiktok-lab-stacked>.widget-label{width:auto;max-width:none;text-align:left;"
            "font-weight:bold;white-space:normal;line-height:1.3;height:auto;margin:6px 0 2px}"
            # in a column, ipywidgets' flex basis (a width) would become the box's height
            ".tiktok-lab-stacked>:not(.widget-label){flex:0 0 auto}"
            "</style>")

class StrategyBuilder:
    """The builder; ``.widget`` is what the notebook shows."""

    def __init__(self, language: str | None = None) -> None:
        import ipywidgets as widgets

        self.language = language
        self.data = load_strategy_data()
        self.drafts, cut = load_drafts_with_overflows(language=language)
        self._loading = False
        self.fields: dict[str, Any] = {}
        wide = widgets.Layout(width="95%")
        style = {"description_width": "11em"}
        for name in (*TEXTS, *AREAS, *LISTS, *WHOLE, *DECIMAL, "goal", "sex", "verdict",
                     "currency", "measures", "reposts_elsewhere"):
            help_ = self.data.help(name, language)
            if name in TEXTS or name in AREAS:
                help_ += f" ({limit_hint(text_limit(name), language)})"
            elif name in LISTS:
                help_ += f" ({lines_hint(MAX_ITEMS, LINE_LIMIT, language)})"
            common = {"description": self.data.label(name, language), "style": style,
                      "tooltip": help_}
            if name in TEXTS:
                box_ = widgets.Text(continuous_update=False, layout=wide, placeholder=help_,
                                    **common)
            elif name in AREAS or name in LISTS:
                # the test plan's sentences and the video ideas are read whole: three rows
                rows = 3 if name in (*TEST_FIELDS, *IDEA_FIELDS) else 2
                box_ = widgets.Textarea(continuous_update=False, layout=wide, rows=rows,
                                        placeholder=help_, **common)
            elif name in WHOLE:
                box_ = widgets.IntText(continuous_update=False, **common)
            elif name in DECIMAL:
                box_ = widgets.FloatText(continuous_update=False, **common)
            elif name == "goal":
                box_ = widgets.Dropdown(options=[(self.data.goal_label(g, language), g)
                                                 for g in self.data.goal_ids()], **common)
            elif name == "sex":
                box_ = widgets.Dropdown(options=[(self.data.text("sexes", s, language), s)
                                                 for s in SEXES], **common)
            elif name == "currency":
                box_ = widgets.Dropdown(options=list(CURRENCIES), **common)
            elif name == "measures":  # checkboxes: no Ctrl-click to pick several
                from tiktok_lab.ui.choices import CheckboxList

                box_ = CheckboxList([(self.data.text("measure_names", m, language), m)
                                     for m in self.data.measures.names],
                                    description=common["description"], tooltip=help_,
                                    layout=wide)
            elif name == "verdict":
                box_ = widgets.Dropdown(options=[(self.data.text("verdicts", v or "none",
                                                                 language), v)
                                                 for v in ("", *VERDICTS)], **common)
            else:
                box_ = widgets.Checkbox(description=self.data.label(name, language),
                                        indent=False, layout=wide)
            box_.observe(self.on_change, names="value")
            self.fields[name] = box_

        def say(key: str, **values: Any) -> str:
            return self.data.text("widget", key, language, **values)

        self.say = say
        self.picker = widgets.Dropdown(description=say("drafts"))
        self.picker.observe(self.on_pick, names="value")
        self.new_button = widgets.Button(description=say("new"), icon="file")
        self.duplicate_button = widgets.Button(description=say("duplicate"), icon="copy")
        self.new_button.on_click(self.on_new)
        self.duplicate_button.on_click(self.on_duplicate)
        self.prepare_button = widgets.Button(description=say("prepare"), icon="download",
                                             button_style="primary",
                                             layout=widgets.Layout(width="auto"))
        self.prepare_button.on_click(self.on_prepare)
        self.upload = widgets.FileUpload(accept=".json", multiple=False, description=say("import"),
                                         layout=widgets.Layout(width="auto"))
        self.upload.observe(self.on_upload, names="value")
        self.status = widgets.HTML()
        self.status_line = StatusLine()
        self.links = widgets.HTML()
        self.message = widgets.HTML()
        self.checklist = widgets.HTML()
        self.earlier = widgets.HTML()
        self.compliance = widgets.HTML()

        sections = []
        for key, names in LAYOUT:
            title = widgets.HTML(f"<h3>{esc(self.data.text('sections', key, language))}</h3>")
            sections.append(title)
            for name in names:
                sections += self.labelled(name)
            if key == "earlier":
                sections.append(self.earlier)
            if key == "compliance":
                sections.append(self.compliance)
            if key == "why":  # which measures fit which objective: the course's rule of thumb
                sections.append(widgets.HTML(nature_html(self.data.measures, language)))
            if key == "verdict":  # lesson 04's verdict is the course's rule of thumb
                sections.append(widgets.HTML(nature_html(self.data.verdicts, language)))
        form = widgets.VBox(sections, layout=widgets.Layout(width="62%"))
        self.summary = widgets.HTML()
        side = widgets.VBox([
            widgets.HTML(f"<h3>{esc(self.data.text('sections', 'summary', language))}</h3>"),
            self.summary,
            widgets.HTML(f"<h3>{esc(self.data.text('sections', 'checklist', language))}</h3>"),
            self.checklist], layout=widgets.Layout(width="36%"))
        top = widgets.HBox([self.picker, self.new_button, self.duplicate_button])
        files = widgets.HBox([self.prepare_button, self.upload])
        from tiktok_lab.room.share_file import STRATEGY
        from tiktok_lab.ui.share_bar import ShareBar

        self.share_bar = ShareBar(STRATEGY, language)
        self.widget = widgets.VBox([widgets.HTML(_STACKED), top, self.status,
                                    widgets.HBox([form, side]), files, self.links,
                                    self.message, self.share_bar])
        self.widget.add_class("tiktok-lab-strategy-builder")
        self.show(self.drafts.strategy)
        # A first draft pre-filled from earlier lessons: say which answers it could
        # not hold whole (the full text stays in those lessons).
        self.status.value = "".join(
            box(esc(p.message(self.data.label(p.field, language), language)), "warning")
            for p in cut)

    def labelled(self, name: str) -> list[Any]:
        """A field with its full label above it (a label beside a box is cut at the form's
        width); the test plan's fields under a heading per period, each with a short label."""
        import ipywidgets as widgets

        from tiktok_lab.ui.choices import CheckboxList

        field = self.fields[name]
        if isinstance(field, (widgets.Checkbox, CheckboxList)):  # they show their own title
            return [field]
        parts: list[Any] = []
        label = self.data.label(name, self.language)
        if name in TEST_FIELDS:
            number, part = name.split("_")[1], name.split("_", 2)[2]
            if part == "hypothesis":
                parts.append(widgets.HTML(
                    f"<h4 style=\"margin:10px 0 2px\">"
                    f"{esc(self.data.text('brief', f'weeks_{number}', self.language))}</h4>"))
            label = self.data.text("widget", f"test_{part}", self.language)
        # The label stays the field's own <label> (screen readers name the box by it), shown
        # above the box by _STACKED, so a long label is never cut at the form's width.
        field.description = label
        field.style.description_width = "initial"
        field.add_class("tiktok-lab-stacked")
        parts.append(field)
        help_ = self.data.help(name, self.language)
        parts.append(widgets.HTML(f'<small style="color:#555">{esc(help_)}</small>'))
        return parts

    # -- between the form and the strategy --------------------------------

    def read(self) -> Strategy:
        values: dict[str, Any] = {name: box_.value for name, box_ in self.fields.items()}
        values["earlier"] = self.drafts.strategy.to_dict()["earlier"]  # shown, not edited here
        return Strategy.from_dict(values, self.data)

    def show(self, strategy: Strategy, names: Any = None) -> None:
        """Put a strategy (or only its fields ``names``) in the form without saving;
        refresh the drafts list and the checklist."""
        self._loading = True
        try:
            for name in self.fields if names is None else names:
                value = getattr(strategy, name)
                if isinstance(value, tuple) and name != "measures":
                    value = "\n".join(value)
                self.fields[name].value = value
            options = [(d.name or k, k) for k, d in self.drafts.drafts.items()]
            if list(self.picker.options) != options:
                self.picker.options = options
            self.picker.value = self.drafts.current
        finally:
            self._loading = False
        self.refresh()

    def refresh(self) -> None:
        from tiktok_lab.lessons.strategy.checks import checklist_html

        from tiktok_lab.lessons.strategy.brief import compliance_html, earlier_html, summary_html

        check = validate_strategy(self.drafts.strategy, data=self.data, language=self.language)
        self.checklist.value = checklist_html(check, language=self.language)
        self.summary.value = summary_html(self.drafts.strategy, language=self.language)
        self.earlier.value = earlier_html(self.drafts.strategy, language=self.language)
        self.compliance.value = compliance_html(self.drafts.strategy, language=self.language)

    def typed_texts(self) -> dict[str, Any]:
        """What the learner typed in the text and list boxes, before any cleaning."""
        return {name: self.fields[name].value for name in (*TEXTS, *AREAS, *LISTS)}

    def label(self, path: Path) -> str | None:
        """A place of the ``strategy`` document in words: the field, and the draft if not open."""
        if len(path) < 2 or path[0] != "drafts":
            return self.say("drafts")
        draft = self.drafts.drafts.get(path[1])
        name = (draft.name if draft else "") or str(path[1])
        if len(path) == 2:
            return name
        field = self.data.label(path[2], self.language) if path[2] in self.fields else path[2]
        return field if path[1] == self.drafts.current else f"{name}{colon(self.language)}{field}"

    def save(self, edited: Any = (), cut: Iterable[TooLong] = ()) -> Saved | None:
        """Save (merged with other windows), say how it went, show what came from elsewhere;
        a saved strategy shared with the trainer is sent anew.

        A failed save changes nothing here: the learner's text stays in the form and
        goes with the next save. ``edited``: the places the learner just changed.
        """
        saved, error = attempt(lambda: save_drafts(self.drafts), STORE_DOCUMENT)
        too_long = [p.message(self.data.label(p.field, self.language), self.language)
                    for p in (*cut, *text_overflows(self.typed_texts()))]
        ok = self.say("saved", name=self.drafts.strategy.name or self.drafts.current)
        self.status.value = self.status_line.html(saved, self.label, document=STORE_DOCUMENT,
                                                  error=error, ok=ok, warnings=too_long,
                                                  edited=edited)
        if not error:
            self.share_bar.refresh()  # composes and sends only when the strategy is shared
        return saved

    def take(self, saved: Saved | None, opened: str) -> None:
        """Show the fields of the open draft that another window changed (no save), and
        the drafts list (new drafts, new names); refresh the checklist. ``opened`` is the
        draft open before the save: if a restore removed it, the form shows the draft
        now open, whole."""
        if self.drafts.current != opened:
            self.show(self.drafts.strategy)
            return
        changed = [] if saved is None else [
            name for name in self.fields
            if touches(("drafts", self.drafts.current, name), saved.from_theirs)]
        self.show(self.drafts.strategy, changed)

    # -- events -------------------------------------------------------------

    def on_change(self, _change: Any = None) -> None:
        if self._loading:
            return
        opened = self.drafts.current
        self.drafts.update(self.read())
        edited = edited_places(_change, {("drafts", opened, name): control
                                         for name, control in self.fields.items()})
        self.take(self.save(edited), opened)

    def on_pick(self, change: dict) -> None:
        if self._loading or change["new"] not in self.drafts.drafts:
            return
        self.drafts.load(change["new"])
        self.save()
        self.show(self.drafts.strategy)

    def on_new(self, _button: Any = None) -> None:
        from tiktok_lab.lessons.strategy.drafts import prefill_with_overflows

        strategy, cut = prefill_with_overflows(language=self.language)
        self.drafts.new(strategy, language=self.language)
        self.save(cut=cut)
        self.show(self.drafts.strategy)

    def on_duplicate(self, _button: Any = None) -> None:
        self.drafts.duplicate(language=self.language)
        self.save()
        self.show(self.drafts.strategy)

    def on_prepare(self, _button: Any = None) -> None:
        """Three download links; the files travel inside the page (data: URLs)."""
        from tiktok_lab.lessons.strategy.export import strategy_to_html, strategy_to_markdown

        strategy = self.drafts.strategy
        stem = "tiktok-strategy-" + (self.drafts.current or "draft")
        files = ((f"{stem}.html", strategy_to_html(strategy, language=self.language),
                  "text/html"),
                 (f"{stem}.md", strategy_to_markdown(strategy, language=self.language),
                  "text/markdown"),
                 (f"{stem}.json", strategy_to_json(strategy, language=self.language),
                  "application/json"))
        self.links.value = box(" · ".join(
            download_link(text.encode("utf-8"), name, self.say("download", filename=name), mime)
            for name, text, mime in files), "ok")

    def import_json(self, payload: bytes) -> bool:
        """Add an exported strategy as a new draft; a bad file changes nothing."""
        try:
            strategy = strategy_from_json(payload, language=self.language, data=self.data)
        except StrategyImportError as error:
            self.message.value = box(esc(self.say("import_failed", reason=str(error))), "problem")
            return False
        self.drafts.add(strategy)
        self.save()
        self.show(self.drafts.strategy)
        cut = [box(esc(p.message(self.data.label(p.field, self.language), self.language)),
                   "warning") for p in imported_overflows(payload)]
        self.message.value = box(esc(self.say("imported", name=strategy.name
                                              or self.drafts.current)), "ok") + "".join(cut)
        return True

    def on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        self.import_json(bytes(files[0]["content"]))
        self.upload.value = ()  # lets the learner pick the same file again


def build_strategy_builder(language: str | None = None) -> Any:
    """The strategy builder (pre-filled from lessons 04-06, reloads the saved drafts)."""
    return StrategyBuilder(language).widget
