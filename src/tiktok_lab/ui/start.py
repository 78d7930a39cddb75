"""The widgets and tables of the start notebook (``00_start_here``).

No business logic here: checks come from :mod:`tiktok_lab.course.doctor`, lessons
from :mod:`tiktok_lab.course.syllabus`, saved work from :mod:`tiktok_lab.work.store`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tiktok_lab.core import paths
from tiktok_lab.core.i18n import LANGUAGE_NAMES, SUPPORTED_LANGUAGES, get_language, t
from tiktok_lab.work.settings import set_language
from tiktok_lab.core.html import box, download_link, esc, mark, table

if TYPE_CHECKING:
    import ipywidgets as widgets
    from IPython.display import HTML

    from tiktok_lab.ui.share_bar import ShareBar
    from tiktok_lab.work.store import RestoreResult, Skipped


def _html(markup: str) -> "HTML":
    from IPython.display import HTML

    return HTML(markup)


def _notice_boxes() -> str:
    from tiktok_lab.work.store import get_store

    return "".join(box(esc(n.message()), "warning") for n in get_store().take_notices())


def start_lesson(lesson_id: str) -> "HTML":
    """The set-up cell of every lesson: charts offline, visit recorded, status shown.

    When the visit cannot be saved (a read-only or full ``my_work/``, a lock file
    left by a ``sudo`` run), the lesson is set up all the same: the reason shows
    once, and the status line says that work cannot be saved for now.
    """
    from tiktok_lab.core.charts import enable_offline_charts
    from tiktok_lab.course.syllabus import load_lesson
    from tiktok_lab.course.progress_log import after_each_check, cannot_save, record_visit
    from tiktok_lab.room.sharing import refresh_progress
    from tiktok_lab.work.store import get_store
    from tiktok_lab.ui.cell_errors import show_learner_errors_plainly
    from tiktok_lab.ui.slider_labels import slider_labels_script

    lesson = load_lesson(lesson_id)
    enable_offline_charts()
    _install_placeholder()
    show_learner_errors_plainly()
    after_each_check(refresh_progress)  # shared progress follows each check (live room)
    unsaved = record_visit(lesson.id)
    # A busy store also keeps a notice for the next lesson: the same words, shown once.
    notices = dict.fromkeys([n.message() for n in get_store().take_notices()]
                            + ([unsaved] if unsaved else []))
    key = "start.ready_unsaved" if cannot_save() else "start.ready"
    status = t(key, number=f"{lesson.number:02d}", title=lesson.title,
               language_name=t(f"language.names.{get_language()}"),
               folder=paths.work_dir().name)
    warnings = "".join(box(esc(message), "warning") for message in notices)
    return _html(warnings + box(esc(status), "ok") + slider_labels_script())


def _install_placeholder() -> None:
    """Give the notebook ``____`` so exercise starter cells never raise NameError."""
    from IPython import get_ipython

    from tiktok_lab.course.placeholder import install_placeholder

    shell = get_ipython()
    if shell is not None:
        install_placeholder(shell.user_ns)


def check_setup() -> "HTML":
    """The doctor's report as a friendly table, with a fix beside each problem."""
    from tiktok_lab.course.doctor import all_ok, run_checks

    results = run_checks()
    # A participant reads "Works"; the versions and paths a trainer needs are in the tooltip.
    # A fix needs a terminal or a reinstall: it is addressed to the trainer.
    rows = [(mark(r.level),
             esc(r.name),
             f'<span title="{esc(r.detail)}">{esc(t("setup.works"))}</span>' if r.level == "ok"
             else esc(r.detail),
             esc(t("setup.show_trainer", fix=r.fix)) if r.level != "ok" and r.fix else "")
            for r in results]
    headers = ["", t("setup.col.check"), t("setup.col.found"), t("setup.col.fix")]
    verdict = box(esc(t("setup.all_ok")), "ok") if all_ok(results) else box(
        esc(t("setup.problems")), "problem")
    return _html(table(headers, rows, raw_columns=frozenset({0, 1, 2, 3})) + verdict)


def choose_language() -> "widgets.VBox":
    """Two buttons; the choice is saved so every later notebook speaks it."""
    import ipywidgets as widgets

    picker = widgets.ToggleButtons(
        options=[(LANGUAGE_NAMES[code], code) for code in SUPPORTED_LANGUAGES],
        value=get_language(),
        description=t("language.label"),
        tooltips=[LANGUAGE_NAMES[code] for code in SUPPORTED_LANGUAGES],
    )
    message = widgets.HTML(box(esc(t("language.current",
                                     name=t(f"language.names.{picker.value}")))))

    def on_language_change(change: dict) -> None:
        message.value = box(esc(set_language(change["new"])), "ok")

    picker.observe(on_language_change, names="value")
    return widgets.VBox([picker, message])


def course_path() -> "HTML":
    """Lessons 00-07 with their minutes, linked when the notebook is present."""
    from tiktok_lab.course.syllabus import load_lessons

    folder = paths.notebooks_dir()
    rows, total = [], 0
    for lesson in load_lessons():
        total += lesson.minutes
        present = folder is not None and (folder / lesson.notebook).is_file()
        title = (f'<a href="{esc(lesson.notebook)}">{esc(lesson.title)}</a>' if present
                 else f"{esc(lesson.title)} <em>({esc(t('path.in_preparation'))})</em>")
        rows.append((f"{lesson.number:02d}", title, lesson.teaching_minutes,
                     lesson.exercise_minutes, esc(lesson.goal)))
    rows.append(("", f"<strong>{esc(t('path.total'))}</strong>", "", "",
                 esc(t("path.total_time", hours=round(total / 60),
                       minutes=t("path.total_minutes", minutes=total)))))
    headers = ["#", t("path.col.lesson"), t("path.col.teaching"), t("path.col.exercises"),
               t("path.col.goal")]
    return _html(table(headers, rows, raw_columns=frozenset({1, 4})))


class ProgressPanel:
    """The progress panel: its HTML (``data``, a table then a chart) and, under it, the bar
    that shares the progress with the trainer (``share_bar``).

    Shown as two outputs of one cell: the chart's ``<script>`` runs only in an output of its
    own (a widget's HTML would show it as dead text), and handouts keep the table as plain HTML.
    """

    def __init__(self, markup: str, share_bar: "ShareBar") -> None:
        self.data = markup
        self.share_bar = share_bar

    def _repr_html_(self) -> str:
        return self.data

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(_html(self.data))
        display(self.share_bar)


def progress() -> ProgressPanel:
    """The learner's progress as saved in ``my_work/``: a table, a chart, and the bar that
    shares it with the trainer (opt-in; nothing leaves ``my_work/`` until then).

    The chart carries its own copy of the chart library (like any top-level chart), so it
    draws even if this cell runs first. Running the cell again sends the progress anew when
    it is shared.
    """
    from tiktok_lab.core.charts import chart_html
    from tiktok_lab.course.progress_report import make_progress_chart, progress_table
    from tiktok_lab.room.share_file import PROGRESS
    from tiktok_lab.ui.share_bar import ShareBar

    frame = progress_table()
    markup = _notice_boxes() + table(list(frame.columns), frame.itertuples(index=False, name=None))
    chart = make_progress_chart()
    if chart.data.shape[0]:
        markup += chart_html(chart)
    return ProgressPanel(markup, ShareBar(PROGRESS))


def _download_link(payload: bytes, filename: str) -> str:
    return download_link(payload, filename, t("work.download_link", filename=filename),
                         "application/zip")


# A restore or download lists at most this many files one by one; the rest are counted.
_LISTED_FILES = 10


def _file_list(skipped: "list[Skipped] | tuple[Skipped, ...]") -> str:
    """Each file with the reason it was not restored (or left out), as an escaped list."""
    items = "".join(
        f"<li>{esc(t('work.file_reason', file=_short_name(s.file), reason=s.reason()))}</li>"
        for s in skipped[:_LISTED_FILES])
    if len(skipped) > _LISTED_FILES:
        items += f"<li>{esc(t('work.more', count=len(skipped) - _LISTED_FILES))}</li>"
    return f'<ul style="margin:4px 0 0 18px;padding:0">{items}</ul>'


def _short_name(name: str) -> str:
    """A file name from an upload, cut to fit a line (a zip may name one in 60,000 characters)."""
    return name if len(name) <= 80 else name[:79] + "…"


def _restore_message(result: "RestoreResult") -> str:
    """What a restore did, file by file, in a box whose colour says how it went."""
    if result.problem and result.problem != "not_zip":
        return box(esc(result.message()), "problem")
    copies = [s for s in result.skipped if s.kind == "kept_copy"]
    # The course's own documents first: a stray photo matters less than a damaged progress.
    listed = sorted((s for s in result.skipped if s.kind != "kept_copy"),
                    key=lambda s: s.kind == "not_ours")
    if not result and all(s.kind == "not_ours" for s in listed):
        return box(esc(t("work.restore_failed")), "problem")  # a photo, another zip, nothing
    summary = (t("work.restored", names=", ".join(result)) if result
               else t("work.nothing_restored"))
    markup = esc(summary)
    if listed:
        markup += "<br>" + esc(t("work.not_restored")) + _file_list(listed)
    if copies:
        markup += "<br>" + esc(t("work.kept_copies", count=len(copies)))
    level = "problem" if not result else ("warning" if listed else "ok")
    return box(markup, level)


def my_work_panel() -> "widgets.VBox":
    """Where work is saved, a download of all of it, and a restore from a download.

    The download travels inside the page (a data: link), so it works on Binder
    and in Voilà where the server's disk may vanish with the session. Each
    restore replaces the previous message and says, file by file, what was and
    was not restored.
    """
    import ipywidgets as widgets

    from tiktok_lab.work.store import get_store

    store = get_store()
    where = widgets.HTML(box(esc(t("work.where", folder=str(store.home)))))
    prepare = widgets.Button(description=t("work.prepare"), icon="download",
                             tooltip=t("work.prepare_tooltip"), button_style="primary",
                             layout=widgets.Layout(width="auto"))
    link = widgets.HTML()
    upload = widgets.FileUpload(accept=".zip", multiple=False, description=t("work.restore"),
                                layout=widgets.Layout(width="auto"))
    message = widgets.HTML()

    def on_prepare(_button: widgets.Button) -> None:
        download = store.download()
        if not download.files and not download.left_out:
            link.value = box(esc(t("work.nothing_yet")))
            return
        left_out = ""
        if download.left_out:
            left_out = esc(t("work.left_out")) + _file_list(download.left_out)
        if not download.files:  # nothing could be read: no empty .zip to download
            link.value = box(left_out, "problem")
            return
        names = [n for n in store.documents() if f"{n}.json" in download.files]
        filename = f"tiktok-lab-my-work-{date.today().isoformat()}.zip"
        markup = _download_link(download.payload, filename) + "<br>" + esc(
            t("work.saved_documents", names=", ".join(names or download.files)))
        link.value = box(markup + ("<br>" + left_out if left_out else ""),
                         "warning" if left_out else "ok")

    def on_upload(change: dict) -> None:
        files = change["new"]
        if not files:
            return
        message.value = ""  # never leave an earlier attempt's answer beside this one
        result = store.restore(bytes(files[0]["content"]))
        upload.value = ()  # lets the learner pick the same file again
        message.value = _restore_message(result)

    prepare.on_click(on_prepare)
    upload.observe(on_upload, names="value")
    return widgets.VBox([where, widgets.HBox([prepare, upload]), link, message])
