"""The trainer's live room (``tl.class_view()``, ``tiktok-lab class``): what the room shared,
on the projector.

It reads a folder of sharing files (:func:`tiktok_lab.room.class_folder.read_folder`: the
class hub's drop box, or the folder where the trainer drops the files handed over) and shows,
in tabs, the room's answers to each quiz question (first answers by default, one question at a
time, the right answer hidden until the trainer reveals it), progress per lesson, the
exercises where the room is stuck, the strategies for peer review (names hidden unless the
trainer shows them, one strategy projected on its own if wished, a printable page), and the
end of class: export the summary, delete the class data. The header is one line: a folder
path (``C:\\Users\\<name>\\…``) and skipped files' names stay folded, off the wall. Counting lives in :mod:`tiktok_lab.room.room_summary`, drawing in
:mod:`tiktok_lab.ui.class_pages`; this module only wires widgets.

Live: every few seconds the folder's listing (names, sizes, times) is compared with the last
one and the view re-reads the folder only when it changed. The widgets are updated in place,
so the trainer's choices (tab, lesson, first or latest answers, the question shown, the
answers revealed, names, the strategy projected) stay as they were. The loop is an
asyncio task on the kernel's own loop (JupyterLab and Voilà run one); it stops when the view
is closed, and nothing it meets is raised into the page.
"""

from __future__ import annotations

import asyncio
import os
import stat
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from tiktok_lab.core.html import box, download_link, esc
from tiktok_lab.core.i18n import get_language, normalise_language, speaking, t
from tiktok_lab.room.class_folder import (ClassFolderError, class_files, clear_folder,
                                          hub_class_folder, read_folder)
from tiktok_lab.room.room_summary import (progress_by_lesson, quiz_lessons, quiz_tallies,
                                          shared_strategies, stuck_exercises, summary_markdown)
from tiktok_lab.room.share_file import ShareFile
from tiktok_lab.ui import class_pages as pages

#: Seconds between two looks at the folder's listing.
REFRESH_SECONDS = 3.0
TABS = ("quiz", "progress", "stuck", "strategies", "end")
#: The view of this kernel that watches its folder (see :func:`class_view`).
_WATCHING: list["ClassView"] = []


def _listing(folder: Path | None) -> tuple:
    """What changes when a class file arrives, is replaced or goes: names, sizes, times."""
    if folder is None:
        return ("none",)
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted((entry.name, *_stamp(entry)) for entry in entries
                                if not entry.name.startswith(".")))
    except OSError as error:
        return ("error", str(error))


def _stamp(entry: os.DirEntry) -> tuple[int, int]:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return (-1, -1)
    return (info.st_mtime_ns, info.st_size)


def _is_drop_box(folder: Path) -> bool:
    """A class hub's drop box (its sticky bit set: participants write into it themselves),
    rather than a folder where the trainer drops the files handed over."""
    try:
        return bool(folder.stat().st_mode & stat.S_ISVTX)
    except OSError:
        return False


class QuestionRow:
    """One quiz question on the projector: its bars, and the trainer's Reveal/Hide button."""

    def __init__(self, view: "ClassView", key: tuple[str, str]) -> None:
        import ipywidgets as widgets

        self.view, self.key, self.tally = view, key, None
        self.html = widgets.HTML()
        self.button = widgets.Button(layout=widgets.Layout(width="auto"))
        self.button.on_click(lambda _: self.toggle())
        self.widget = widgets.VBox([self.html, widgets.HBox([self.button])])

    def draw(self, tally: Any) -> None:
        self.tally = tally
        revealed = self.key in self.view.revealed
        language = self.view.language
        self.html.value = pages.question_html(tally, revealed=revealed, language=language)
        self.button.description = t("class_view.quiz.hide" if revealed else
                                    "class_view.quiz.reveal", language=language)
        self.button.icon = "eye-slash" if revealed else "eye"

    def toggle(self) -> None:
        self.view.revealed ^= {self.key}
        if self.tally is not None:
            self.draw(self.tally)


class ClassView:
    """The trainer's view of one class folder; ``.widget`` is what the page shows."""

    def __init__(self, folder: Path | None, language: str, *,
                 interval: float = REFRESH_SECONDS) -> None:
        import ipywidgets as widgets

        self.folder, self.language, self.interval = folder, language, interval
        self.shares: list[ShareFile] = []
        self.revealed: set[tuple[str, str]] = set()
        self.rows: dict[tuple[str, str], QuestionRow] = {}
        self.current: dict[str, str] = {}  # per lesson, the question shown one at a time
        self.gallery_items: list = []
        self._signature: tuple | None = None
        self._task: asyncio.Task | None = None
        self._closed = False
        self._choosing = False
        self._keys: list[tuple[str, str]] = []
        self._question_ids: list[str] = []
        self.problem = ""
        self.skipped: list = []
        say = self.say
        self.header = widgets.HTML(layout=widgets.Layout(flex="1 1 auto"))
        self.refresh_button = widgets.Button(description=say("refresh"), icon="refresh",
                                             layout=widgets.Layout(width="auto",
                                                                   flex="0 0 auto"))
        self.refresh_button.on_click(lambda _: self.refresh(force=True))
        self.lesson = widgets.Dropdown(description=say("quiz.lesson"), options=[],
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="auto"))
        self.lesson.observe(self._lesson_chosen, "value")
        self.answers = widgets.ToggleButtons(
            options=[(say("quiz.first"), True), (say("quiz.latest"), False)], value=True,
            style={"button_width": "auto"})
        self.answers.observe(self._lesson_chosen, "value")
        self.answers_note = widgets.HTML()
        self.one = widgets.Checkbox(value=True, description=say("quiz.one"), indent=False,
                                    layout=widgets.Layout(width="auto"))
        self.one.observe(self._lesson_chosen, "value")
        self.previous = widgets.Button(description=say("quiz.previous"), icon="arrow-left",
                                       layout=widgets.Layout(width="auto"))
        self.previous.on_click(lambda _: self.step(-1))
        self.next = widgets.Button(description=say("quiz.next"), icon="arrow-right",
                                   layout=widgets.Layout(width="auto"))
        self.next.on_click(lambda _: self.step(1))
        self.position = widgets.HTML()
        self.quiz_bar = widgets.HBox([self.lesson, self.answers],
                                     layout=widgets.Layout(flex_flow="row wrap",
                                                           align_items="center"))
        self.quiz_nav = widgets.HBox([self.previous, self.position, self.next, self.one],
                                     layout=widgets.Layout(align_items="center"))
        self.quiz_note = widgets.HTML()
        self.questions = widgets.VBox()
        self.progress = widgets.HTML()
        self.stuck = widgets.HTML()
        self.gallery = widgets.HTML()
        self.names = widgets.Checkbox(value=False, description=say("strategies.names"),
                                      indent=False, tooltip=say("strategies.names_note"),
                                      layout=widgets.Layout(width="auto",
                                                            margin="0 24px 0 0"))
        self.names.observe(self._names_chosen, "value")
        self.project = widgets.Dropdown(description=say("strategies.project"),
                                        options=[(say("strategies.all"), "")], value="",
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="auto"))
        self.project.observe(self._strategy_chosen, "value")
        self.print_button = widgets.Button(description=say("strategies.prepare"), icon="print",
                                           layout=widgets.Layout(width="auto"))
        self.print_button.on_click(lambda _: self.prepare_printable())
        self.printable = widgets.HTML()
        self.export_button = widgets.Button(description=say("end.export"), icon="download",
                                            layout=widgets.Layout(width="auto"))
        self.export_button.on_click(lambda _: self.export())
        self.export_links = widgets.HTML()
        self.delete_button = widgets.Button(description=say("end.delete"), icon="trash",
                                            layout=widgets.Layout(width="auto"))
        self.delete_button.on_click(lambda _: self.ask_delete())
        self.confirm_button = widgets.Button(icon="trash", layout=widgets.Layout(width="auto"))
        self.confirm_button.add_class("cv-danger")  # ipywidgets' own red is too pale for text
        self.confirm_button.on_click(lambda _: self.delete())
        self.cancel_button = widgets.Button(description=say("end.cancel"),
                                            layout=widgets.Layout(width="auto"))
        self.cancel_button.on_click(lambda _: self.cancel_delete())
        self.confirm_row = widgets.HBox([self.confirm_button, self.cancel_button],
                                        layout=widgets.Layout(display="none"))
        self.delete_status = widgets.HTML()
        self.where = widgets.HTML()
        self.strategy_bar = widgets.HBox([self.names, self.project, self.print_button],
                                         layout=widgets.Layout(flex_flow="row wrap",
                                                               align_items="center"))
        self.tabs = widgets.Tab(children=[
            widgets.VBox([self.quiz_bar, self.answers_note, self.quiz_nav, self.quiz_note,
                          self.questions]),
            self.progress,
            self.stuck,
            widgets.VBox([self.strategy_bar, self.printable, self.gallery]),
            widgets.VBox([widgets.HTML(self._end_intro()), self.where,
                          widgets.HBox([self.export_button]),
                          self.export_links, widgets.HBox([self.delete_button]),
                          self.confirm_row, self.delete_status]),
        ])
        self.tabs.titles = tuple(say(f"tabs.{name}") for name in TABS)
        top = widgets.HBox([self.header, self.refresh_button],
                           layout=widgets.Layout(align_items="flex-start"))
        self.widget = widgets.VBox([widgets.HTML(pages.STYLE), top, self.tabs])
        self.widget.add_class(pages.ROOT_CLASS)
        self.refresh(force=True)

    # ------------------------------------------------------------------ showing

    def say(self, key: str, **values: Any) -> str:
        return t(f"class_view.{key}", language=self.language, **values)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _end_intro(self) -> str:
        return f'<div class="cv-html"><p>{esc(self.say("end.intro"))}</p></div>'

    # ------------------------------------------------------------------ reading

    def refresh(self, *, force: bool = False) -> bool:
        """Re-read the folder if its listing changed (or ``force``); True when it re-read.
        Never raises: a problem is said in the header, the last counts stay on screen."""
        signature = _listing(self.folder)
        checked = datetime.now().strftime("%H:%M:%S")
        if signature == self._signature and not force:
            self._draw_header(checked)
            return False
        self._signature = signature
        self.problem, self.skipped = "", []
        if self.folder is None:
            self.problem = self.say("no_folder")
        else:
            try:
                found = read_folder(self.folder, language=self.language)
            except ClassFolderError as error:
                self.problem = str(error)
            else:
                self.shares, self.skipped = found.shares, found.skipped
        self._draw_header(checked)
        with speaking(self.language):
            for draw in (self._draw_quiz, self._draw_progress, self._draw_stuck,
                         self._draw_strategies):
                try:
                    draw()
                except Exception:  # noqa: BLE001 - one odd share must not blank the room
                    self.problem = self.say("unexpected")
                    self._draw_header(checked)
        return True

    def _draw_header(self, checked: str) -> None:
        folder = str(self.folder or "—")
        drop_hint = self.folder is not None and not _is_drop_box(self.folder)
        self.header.value = pages.header_html(
            folder, len(self.shares), self.skipped, checked,
            language=self.language, problem=self.problem, drop_hint=drop_hint)
        self.where.value = pages.where_html(folder, language=self.language, drop_hint=drop_hint)

    def _draw_quiz(self) -> None:
        from tiktok_lab.course.syllabus import load_lessons

        titles = {lesson.id: f"{lesson.number:02d} · {lesson.title}" for lesson in load_lessons()}
        options = [(titles[lesson], lesson) for lesson in quiz_lessons(self.shares)]
        if list(self.lesson.options) != options:
            keep = self.lesson.value
            self._choosing = True
            try:
                self.lesson.options = options
                ids = [value for _, value in options]
                self.lesson.value = keep if keep in ids else (ids[0] if ids else None)
            finally:
                self._choosing = False
        self.quiz_bar.layout.display = "flex" if options else "none"
        self.quiz_note.value = "" if options else pages._empty(self.say("quiz.none"))
        self._draw_questions()

    def _lesson_chosen(self, change: dict) -> None:
        if self._choosing:
            return
        with speaking(self.language):
            try:
                self._draw_questions()
            except Exception:  # noqa: BLE001
                self.quiz_note.value = pages._empty(self.say("unexpected"))

    def _draw_questions(self) -> None:
        lesson = self.lesson.value
        first = bool(self.answers.value)
        tallies = (quiz_tallies(self.shares, lesson, language=self.language, first=first)
                   if lesson else [])
        keys = [(lesson, tally.id) for tally in tallies]
        self._question_ids = [tally.id for tally in tallies]
        for key in keys:
            if key not in self.rows:
                self.rows[key] = QuestionRow(self, key)
        shown = keys
        one = bool(self.one.value) and bool(keys)
        if one:
            ids = [key[1] for key in keys]
            if self.current.get(lesson) not in ids:
                self.current[lesson] = ids[0]
            index = ids.index(self.current[lesson])
            shown = [keys[index]]
            self.position.value = (f'<div class="cv-html"><strong>'
                                   f'{esc(self.say("quiz.position", number=index + 1, total=len(ids)))}'
                                   "</strong></div>")
            self.previous.disabled = index == 0
            self.next.disabled = index == len(ids) - 1
        for widget in (self.previous, self.position, self.next):
            widget.layout.display = "flex" if one else "none"
        self.quiz_nav.layout.display = "flex" if keys else "none"
        self.answers_note.value = (
            f'<div class="cv-html cv-small">'
            f'{esc(self.say("quiz.first_note" if first else "quiz.latest_note"))}</div>'
            if keys else "")
        if shown != self._keys:
            self.questions.children = tuple(self.rows[key].widget for key in shown)
            self._keys = shown
        for key, tally in zip(keys, tallies):
            self.rows[key].draw(tally)

    def step(self, by: int) -> None:
        """Show the previous (``by=-1``) or next question of the lesson, one at a time."""
        lesson, ids = self.lesson.value, self._question_ids
        if not lesson or not ids:
            return
        current = self.current.get(lesson)
        index = ids.index(current) if current in ids else 0
        self.current[lesson] = ids[max(0, min(len(ids) - 1, index + by))]
        self._lesson_chosen({})

    def _draw_progress(self) -> None:
        self.progress.value = pages.progress_html(progress_by_lesson(self.shares),
                                                  language=self.language)

    def _draw_stuck(self) -> None:
        self.stuck.value = pages.stuck_html(stuck_exercises(self.shares, language=self.language),
                                            language=self.language)

    def _draw_strategies(self) -> None:
        self.gallery_items = shared_strategies(self.shares, language=self.language)
        self._draw_project_options()
        self._draw_gallery()
        self.strategy_bar.layout.display = "flex" if self.gallery_items else "none"
        self.printable.value = ""  # a page prepared earlier may miss a strategy now

    def _draw_project_options(self) -> None:
        """"All strategies", then each by its brand (and its author when names are shown);
        the one projected stays chosen while it is still shared."""
        options = [(self.say("strategies.all"), "")]
        options += pages.strategy_choices(self.gallery_items, language=self.language,
                                          names=bool(self.names.value))
        if list(self.project.options) != options:
            keep = self.project.value
            self._choosing = True
            try:
                self.project.options = options
                self.project.value = keep if keep in [v for _, v in options] else ""
            finally:
                self._choosing = False

    def _draw_gallery(self) -> None:
        names = bool(self.names.value)
        chosen = [item for item in self.gallery_items
                  if pages.strategy_key(item) == self.project.value]
        if chosen:
            self.gallery.value = pages.gallery_html(chosen, language=self.language,
                                                    names=names, big=True)
        else:
            self.gallery.value = pages.gallery_html(self.gallery_items, language=self.language,
                                                    names=names)

    def _names_chosen(self, change: dict) -> None:
        self.printable.value = ""  # a page prepared earlier shows names, or not, as it was
        self._strategy_chosen(change, options=True)

    def _strategy_chosen(self, change: dict, *, options: bool = False) -> None:
        if self._choosing:
            return
        with speaking(self.language):
            try:
                if options:
                    self._draw_project_options()
                self._draw_gallery()
            except Exception:  # noqa: BLE001
                self.gallery.value = pages._empty(self.say("unexpected"))

    def prepare_printable(self) -> None:
        """The printable page of every strategy shared now, offered as a download (made on
        request: a brief per strategy is too slow to redo on every class file that arrives)."""
        try:
            with speaking(self.language):
                gallery = shared_strategies(self.shares, language=self.language)
                page = pages.printable_page(gallery, language=self.language,
                                            names=bool(self.names.value))
        except Exception:  # noqa: BLE001 - the trainer gets a sentence, not a traceback
            self.printable.value = box(esc(self.say("unexpected")), "warning")
            return
        link = download_link(page.encode("utf-8"), self.say("strategies.file"),
                             self.say("strategies.printable"), "text/html")
        self.printable.value = f'<div class="cv-html">{link}</div>'

    # ------------------------------------------------------------------ end of class

    def export(self) -> None:
        """The summary as Markdown and as a web page, offered as downloads."""
        stamp = datetime.now().strftime("%Y-%m-%d")
        try:
            with speaking(self.language):
                markdown = summary_markdown(self.shares, language=self.language)
                page = pages.summary_page(self.shares, language=self.language)
        except Exception:  # noqa: BLE001 - the trainer gets a sentence, not a traceback
            self.export_links.value = box(esc(self.say("unexpected")), "warning")
            return
        self.export_links.value = (
            '<div class="cv-html">'
            + download_link(markdown.encode("utf-8"), self.say("end.md_file", date=stamp),
                            self.say("end.markdown"), "text/markdown")
            + "<br>"
            + download_link(page.encode("utf-8"), self.say("end.html_file", date=stamp),
                            self.say("end.html"), "text/html")
            + "</div>")

    def ask_delete(self) -> None:
        """First step: say how many files would go, and ask."""
        names = class_files(self.folder) if self.folder is not None else []
        if not names:
            self.confirm_row.layout.display = "none"
            self.delete_status.value = box(esc(self.say("end.nothing")), "info")
            return
        self.confirm_button.description = self.say("end.confirm", count=len(names))
        self.confirm_row.layout.display = "flex"
        self.delete_status.value = box(esc(self.say("end.ask", folder=self.folder)), "warning")

    def cancel_delete(self) -> None:
        self.confirm_row.layout.display = "none"
        self.delete_status.value = ""

    def delete(self) -> None:
        """Second step: delete the class files; say how many went and what was left."""
        self.confirm_row.layout.display = "none"
        if self.folder is None:
            return
        try:
            deleted, left = clear_folder(self.folder, language=self.language)
        except ClassFolderError as error:
            self.delete_status.value = box(esc(str(error)), "problem")
            return
        message = esc(self.say("end.deleted", count=deleted))
        if left:
            message += "<br>" + esc(self.say("end.left", names=", ".join(left)))
        self.delete_status.value = box(message, "ok")
        self.refresh(force=True)

    # ------------------------------------------------------------------ live

    def start(self) -> bool:
        """Look at the folder every few seconds on the kernel's loop; False without one."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self._task = loop.create_task(self._watch())
        return True

    async def _watch(self) -> None:
        while not self._closed and self.widget.comm is not None:
            await asyncio.sleep(self.interval)
            if self._closed or self.widget.comm is None:
                break
            with suppress(Exception):  # the page never sees a failed look
                self.refresh()

    def stop(self) -> None:
        """Stop watching the folder (the page keeps what it shows)."""
        self._closed = True
        if self._task is not None:
            self._task.cancel()

    def close(self) -> None:
        """Stop watching the folder and close the widgets."""
        self.stop()
        self.widget.close()


def class_folder_setting(folder: Path | str | None) -> Path | None:
    """The folder given, else the one of ``TIKTOK_LAB_CLASS_DIR`` (the hub's or the one
    ``tiktok-lab class`` chose), else None."""
    if folder is not None and str(folder).strip():
        return Path(folder).expanduser()
    return hub_class_folder()


def class_view(folder: Path | str | None = None, *, language: str | None = None) -> ClassView:
    """The trainer's live room on ``folder`` (by default ``TIKTOK_LAB_CLASS_DIR``)."""
    view = ClassView(class_folder_setting(folder), normalise_language(language) or get_language())
    while _WATCHING:  # a cell run again: one view watches the folder, not one per run
        _WATCHING.pop().stop()
    if view.start():
        _WATCHING.append(view)
    return view
