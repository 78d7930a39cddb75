"""``tiktok-lab class``: the trainer's live room (``tl.class_view()``) as a Voilà page.

The view itself is a notebook of one code cell (``import tiktok_lab as tl`` and
``tl.class_view(...)``), served by Voilà with the strategy app's settings (no code shown, no
traceback). The folder and the language reach the kernel through the environment
(``TIKTOK_LAB_CLASS_DIR``, ``TIKTOK_LAB_LANG``), which Voilà's kernels inherit.

Which folder: ``--folder``; else, on a class hub, the drop box its ``TIKTOK_LAB_CLASS_DIR``
names; else, on a laptop, ``class-files/`` beside the course, where the trainer drops the
files participants hand over.

``--write-notebook DIR`` only writes the notebook, as ``DIR/class-view.ipynb``: the class hub
runs it in the trainer's home, and the trainer opens ``/user/<trainer>/voila/render/class-view.ipynb``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable

from tiktok_lab.core import paths
from tiktok_lab.core.i18n import LANGUAGE_ENV, SUPPORTED_LANGUAGES, normalise_language, t

NOTEBOOK_NAME = "class-view.ipynb"
LAPTOP_FOLDER = "class-files"
DEFAULT_PORT = 8867
CLASS_DIR_ENV = "TIKTOK_LAB_CLASS_DIR"  # room.class_folder.CLASS_DIR_ENV (cli imports no room)
#: The notebook's mark: what ``--write-notebook`` may replace is a notebook it wrote.
MARK = "class-view"
PROBLEM = "✗"


def add_class_parser(commands: argparse._SubParsersAction, port_number) -> None:
    """The ``class`` sub-command's options."""
    room = commands.add_parser("class", help=t("cli.class.help"), epilog=t("cli.class.epilog"))
    room.add_argument("--folder", type=Path, metavar="DIR", help=t("cli.class.folder"))
    room.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help=t("cli.class.lang"))
    room.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                      help=t("cli.class.port", port=DEFAULT_PORT))
    room.add_argument("--no-browser", action="store_true", help=t("cli.lab.no_browser"))
    room.add_argument("--write-notebook", type=Path, metavar="DIR",
                      help=t("cli.class.write_notebook", name=NOTEBOOK_NAME))


def notebook(language: str | None = None) -> dict:
    """The view's notebook: one code cell; the language written into it when one is asked
    for (else the kernel's: ``TIKTOK_LAB_LANG`` or the trainer's saved choice)."""
    call = f'tl.class_view(language="{language}")' if language else "tl.class_view()"
    cell = {"cell_type": "code", "execution_count": None, "id": "class-view",
            "metadata": {}, "outputs": [], "source": f"import tiktok_lab as tl\n{call}"}
    return {"cells": [cell], "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"},
                         "language_info": {"name": "python"},
                         "tiktok_lab": {"app": MARK, "language": language}}}


def write_notebook(folder: Path, language: str | None = None) -> Path:
    """``folder/class-view.ipynb`` (the folder made if missing); a file of that name that
    is not the view's notebook is left alone (:class:`FileExistsError`)."""
    path = folder / NOTEBOOK_NAME
    if path.exists() and not _is_ours(path):
        raise FileExistsError(path)
    folder.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=".class-view-", suffix=".ipynb")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(notebook(language), out, indent=1, ensure_ascii=False)
            out.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def _is_ours(path: Path) -> bool:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("metadata"), dict) and \
        (data["metadata"].get("tiktok_lab") or {}).get("app") == MARK


def class_folder(given: Path | None) -> tuple[Path, bool]:
    """The folder to read, and whether it is a laptop's (the trainer drops files there)."""
    if given is not None:
        return given.expanduser().resolve(), True
    hub = os.environ.get(CLASS_DIR_ENV, "").strip()
    if hub:
        return Path(hub), False
    root = paths.find_course_root() or Path.cwd()
    return (root / LAPTOP_FOLDER).resolve(), True


def class_command(notebook_path: Path, port: int, no_browser: bool) -> list[str]:
    """Voilà on the view's notebook, with the app's settings (no code, no traceback)."""
    from tiktok_lab.cli.app_settings import command_line_options

    return [sys.executable, "-m", "voila", str(notebook_path), f"--port={port}",
            "--Voila.port_retries=0", *command_line_options()] + \
        (["--no-browser"] if no_browser else [])


def run_class(args: argparse.Namespace, *, serve: Callable[[list[str], Path], int],
              port_usable: Callable[[str, int, str], bool],
              explain_exit: Callable[[str, int, int, str], int]) -> int:
    """Serve the view (``cli.main`` lends its server helpers: port check, child process,
    exit explained), or only write its notebook."""
    if args.write_notebook is not None:
        return _write_only(args.write_notebook, args.lang)
    folder, laptop = class_folder(args.folder)
    try:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError
        if laptop:
            folder.mkdir(parents=True, exist_ok=True)
    except NotADirectoryError:
        print(f"{PROBLEM} " + t("cli.class.not_folder", folder=folder),
              file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{PROBLEM} " + t("cli.class.unwritable", folder=folder,
                                 reason=error.strerror or error), file=sys.stderr)
        return 1
    if not port_usable("class", args.port, "localhost"):
        return 1
    print(t("cli.class.laptop" if laptop else "cli.class.hub", folder=folder))
    language = args.lang or normalise_language(os.environ.get(LANGUAGE_ENV))
    os.environ[CLASS_DIR_ENV] = str(folder)  # the kernels Voilà starts inherit both
    if language:
        os.environ[LANGUAGE_ENV] = language
    work = Path(tempfile.mkdtemp(prefix="tiktok-lab-class-"))
    try:
        path = write_notebook(work, language)
        print(t("cli.class.starting", port=args.port))
        code = serve(class_command(path, args.port, args.no_browser), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return explain_exit("class", code, args.port, "localhost")


def _write_only(folder: Path, language: str | None) -> int:
    try:
        path = write_notebook(folder.expanduser(), language)
    except FileExistsError as error:
        print(t("cli.class.notebook_foreign", path=error.args[0]), file=sys.stderr)
        return 1
    except OSError as error:
        print(t("cli.class.unwritable", folder=folder, reason=error.strerror or error),
              file=sys.stderr)
        return 1
    print(t("cli.class.notebook_written", path=path, name=NOTEBOOK_NAME))
    return 0
