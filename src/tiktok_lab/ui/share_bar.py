"""The "Share with the trainer" box under a quiz, the progress panel and the strategy builder.

Opt-in, one item at a time (:mod:`tiktok_lab.room.sharing` keeps the choices and carries the
sharing file). Before sharing, one short line says what the trainer would see, what the room
sees on the big screen, and that nothing leaves until the button is pressed; once shared, the
status line says the same under the name chosen, when it is kept up to date and where it went
(straight to the trainer on a hub, or a sharing file to download and hand over on a laptop),
with a Stop sharing button. A refusal (a class folder that does not accept the file) is a
warning in plain words, never a traceback, and never stops the quiz or the builder around
the bar.

CSS classes for tests and themes: ``tiktok-lab-share-bar`` (the box),
``tiktok-lab-share-button``, ``tiktok-lab-share-withdraw`` (Stop sharing) and
``tiktok-lab-share-status``.
"""

from __future__ import annotations

import ipywidgets as widgets

from tiktok_lab.core.html import box, download_link, esc
from tiktok_lab.core.i18n import get_language, normalise_language, t
from tiktok_lab.room.class_folder import hub_class_folder
from tiktok_lab.room.share_file import PROGRESS, QUIZ_PREFIX, STRATEGY, clean_name
from tiktok_lab.room.sharing import (ShareOutcome, SharingState, refresh_item, share_item,
                                     sharing_state, withdraw_item)

_BAR_LAYOUT = dict(border="1px solid #d0d7de", padding="4px 10px", margin="8px 0",
                   width="auto")
_HIDDEN, _SHOWN = "none", ""


def _kind(item: str) -> str:
    """Which texts speak of ``item``: ``quiz``, ``progress`` or ``strategy``."""
    if item.startswith(QUIZ_PREFIX):
        return "quiz"
    if item in (PROGRESS, STRATEGY):
        return item
    raise ValueError(f"not an item one can share: {item!r}")


class ShareBar(widgets.VBox):
    """Share one item (``quiz_item(lesson_id)``, ``"progress"`` or ``"strategy"``) with the
    trainer, under a name or anonymously, and stop sharing it.

    ``refresh()`` re-delivers the sharing file after a change (a quiz answer, a saved strategy)
    when the item is shared, and does nothing but read the saved choices otherwise.
    """

    def __init__(self, item: str, language: str | None = None) -> None:
        self.item = item
        self.kind = _kind(item)
        self.language = normalise_language(language) or get_language()
        #: What the last share, update or stop did (None until one happened here).
        self.outcome: ShareOutcome | None = None
        say = self._say
        state = sharing_state()
        self.intro = widgets.HTML(
            '<div style="font-size:13px;color:#333;line-height:1.4">'
            f"{esc(say('before', what=say(f'what.{self.kind}')))}</div>")
        self.name_box = widgets.Text(
            value=state.name or "", placeholder=say("name_placeholder"),
            description=say("name"), tooltip=say("name_tooltip"),
            style={"description_width": "initial"}, layout=widgets.Layout(width="20em"))
        self.anonymous = widgets.Checkbox(
            value=bool(state.items) and state.name is None, description=say("anonymous"),
            tooltip=say("anonymous_tooltip"), indent=False, layout=widgets.Layout(width="auto"))
        self.anonymous.observe(self._on_anonymous, names="value")
        self.name_box.disabled = self.anonymous.value
        self.share_button = widgets.Button(
            description=say("share"), tooltip=say("share_tooltip"), icon="share",
            layout=widgets.Layout(width="auto"))
        self.share_button.add_class("tiktok-lab-share-button")
        self.share_button.on_click(self.share)
        self.form = widgets.HBox([self.name_box, self.anonymous, self.share_button],
                                 layout=widgets.Layout(flex_flow="row wrap",
                                                       align_items="center"))
        self.status = widgets.HTML("")
        self.status.add_class("tiktok-lab-share-status")
        self.withdraw_button = widgets.Button(
            description=say("withdraw"), tooltip=say("withdraw_tooltip"), icon="times",
            layout=widgets.Layout(width="auto", margin="2px 0 2px 8px"))
        self.withdraw_button.add_class("tiktok-lab-share-withdraw")
        self.withdraw_button.on_click(self.withdraw)
        self.status.layout = widgets.Layout(flex="1 1 24em")
        row = widgets.HBox([self.status, self.withdraw_button],
                           layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        super().__init__([self.intro, self.form, row], layout=widgets.Layout(**_BAR_LAYOUT))
        self.add_class("tiktok-lab-share-bar")
        self._show_state(state)
        if state.shares(item):
            # Opened again (a new kernel, this cell run again): the file gets what is saved now.
            self.refresh()

    def _say(self, key: str, **values: object) -> str:
        return t(f"share_bar.{key}", language=self.language, **values)

    @property
    def shared(self) -> bool:
        """Whether the saved choices share this item (as of the last thing the bar did)."""
        return self._state.shares(self.item)

    # -- actions --------------------------------------------------------------

    def share(self, _button: widgets.Button | None = None) -> ShareOutcome | None:
        """Share the item under the name typed (or anonymously); None when a name is
        needed first (the bar says so)."""
        anonymous = self.anonymous.value
        # A name of spaces or invisible characters would share anonymously without a word.
        if not anonymous and clean_name(self.name_box.value) is None:
            self._set_status(box(esc(self._say("need_name")), "info"))
            return None
        name = None if anonymous else self.name_box.value
        outcome = share_item(self.item, name, language=self.language)
        self._show(outcome)
        return outcome

    def withdraw(self, _button: widgets.Button | None = None) -> ShareOutcome:
        """Stop sharing the item; the status says what happens to a file already handed over."""
        outcome = withdraw_item(self.item, language=self.language)
        self._show(outcome)
        return outcome

    def refresh(self) -> ShareOutcome | None:
        """After a change: deliver the sharing file again if the item is shared, and show the
        status (a fresh download on a laptop). None, and nothing shown, when not shared."""
        outcome = refresh_item(self.item, language=self.language)
        if outcome is None:
            if self.shared:  # stopped elsewhere (another window of the same my_work)
                self._show_state(sharing_state())
                self._set_status("")
            return None
        self._show(outcome)
        return outcome

    # -- what the bar shows ---------------------------------------------------

    def _on_anonymous(self, change: dict) -> None:
        self.name_box.disabled = bool(change["new"])

    def _show_state(self, state: SharingState) -> None:
        """The form, or the Stop sharing button, as the saved choices say."""
        self._state = state
        shared = state.shares(self.item)
        self.intro.layout.display = _HIDDEN if shared else _SHOWN
        self.form.layout.display = _HIDDEN if shared else _SHOWN
        self.withdraw_button.layout.display = _SHOWN if shared else _HIDDEN
        if state.name is not None:
            self.name_box.value = state.name

    def _show(self, outcome: ShareOutcome) -> None:
        self.outcome = outcome
        self._show_state(outcome.state)
        download = self._download(outcome)
        if not outcome.ok:
            markup = box(esc(outcome.message) + download, "warning")
        elif self.shared:
            markup = box(self._shared_text(outcome.state) + download, "ok")
        elif hub_class_folder() is None and outcome.download is None:
            markup = box(esc(self._say("withdrawn_nothing_left")), "info")
        else:  # stopped: on a hub the file is gone; on a laptop a new file replaces the old
            markup = box(esc(outcome.message) + download, "info")
        self._set_status(markup)

    def _set_status(self, markup: str) -> None:
        # A widget's HTML takes a control's line height: a box of three lines would fill a screen.
        self.status.value = f'<div style="line-height:1.45">{markup}</div>' if markup else ""

    def _shared_text(self, state: SharingState) -> str:
        seen = self._say(f"seen.{self.kind}")
        said = (self._say("shared_as", name=state.name, seen=seen) if state.name is not None
                else self._say("shared_anonymous", seen=seen))
        if hub_class_folder() is None:  # the laptop's hand-over line goes with its link
            return esc(said)
        return f"{esc(said)}<br>{esc(self._say('hub'))}"

    def _download(self, outcome: ShareOutcome) -> str:
        """The sharing file as a link, and how to hand it over (laptops only: on a hub,
        ``download`` is None)."""
        if outcome.download is None or not outcome.filename:
            return ""
        link = download_link(outcome.download, outcome.filename, self._say("download"),
                             "application/json")
        how = self._say("laptop", filename=outcome.filename) if self.shared else ""
        return (f'<div style="margin-top:4px">{link} '
                f'<span style="font-size:13px">{esc(how)}</span></div>')
