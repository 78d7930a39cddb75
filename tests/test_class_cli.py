"""``tiktok-lab class``: which folder, the notebook Voilà serves, the hub's --write-notebook."""

from __future__ import annotations

import json
import os
import re
import socket
import sys
from pathlib import Path

import pytest

from tiktok_lab.cli import class_room
from tiktok_lab.cli import main as cli
from tiktok_lab.core import paths


@pytest.fixture
def served(monkeypatch) -> list:
    """Record what would be served (command, notebook, environment) instead of serving."""
    started: list = []

    def serve(command, cwd):
        notebook = json.loads(Path(command[3]).read_text("utf-8"))
        started.append({"command": command, "notebook": notebook, "cwd": cwd,
                        "folder": os.environ.get("TIKTOK_LAB_CLASS_DIR"),
                        "lang": os.environ.get("TIKTOK_LAB_LANG")})
        return 0

    monkeypatch.setattr(cli, "_serve", serve)
    for name in ("TIKTOK_LAB_CLASS_DIR", "TIKTOK_LAB_LANG"):
        monkeypatch.delenv(name, raising=False)  # restored after the test
    return started


def _code(notebook: dict) -> str:
    [cell] = notebook["cells"]
    assert cell["cell_type"] == "code"
    return cell["source"]


def test_on_a_laptop_the_room_reads_class_files_beside_the_course(served, tmp_path, monkeypatch,
                                                                   capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["class", "--no-browser", "--port", str(_free_port())]) == 0
    folder = (paths.find_course_root() or tmp_path).resolve() / "class-files"
    out = capsys.readouterr().out
    assert str(folder) in out and "Drop the participants' sharing files here" in out
    [run] = served
    assert folder.is_dir() and run["folder"] == str(folder)
    assert run["command"][:3] == [sys.executable, "-m", "voila"]
    assert "--VoilaConfiguration.strip_sources=True" in run["command"]
    assert "--VoilaConfiguration.show_tracebacks=False" in run["command"]
    assert "--Voila.port_retries=0" in run["command"] and "--no-browser" in run["command"]
    assert _code(run["notebook"]) == "import tiktok_lab as tl\ntl.class_view()"
    assert not Path(run["cwd"]).exists()  # the notebook's temporary folder is gone


def test_the_folder_and_language_asked_for_reach_the_view(served, tmp_path, capsys) -> None:
    folder = tmp_path / "room"
    assert cli.main(["class", "--folder", str(folder), "--lang", "fr", "--no-browser",
                     "--port", str(_free_port())]) == 0
    [run] = served
    assert run["folder"] == str(folder) and run["lang"] == "fr" and folder.is_dir()
    assert _code(run["notebook"]).endswith('tl.class_view(language="fr")')
    assert f"--port={run['command'][4].split('=')[1]}" in run["command"]


def test_on_a_class_hub_the_room_reads_the_drop_box(served, tmp_path, monkeypatch,
                                                     capsys) -> None:
    monkeypatch.setenv("TIKTOK_LAB_CLASS_DIR", str(tmp_path / "drop-box"))
    (tmp_path / "drop-box").mkdir()
    assert cli.main(["class", "--no-browser", "--port", str(_free_port())]) == 0
    assert served[0]["folder"] == str(tmp_path / "drop-box")
    assert "class hub" in capsys.readouterr().out


def test_a_file_instead_of_a_folder_is_refused_plainly(served, tmp_path, capsys) -> None:
    (tmp_path / "room").write_text("not a folder")
    assert cli.main(["class", "--folder", str(tmp_path / "room"), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert served == [] and "is a file, not a folder" in err and "Traceback" not in err


def test_a_busy_port_is_refused_before_starting(served, tmp_path, capsys) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert cli.main(["class", "--folder", str(tmp_path), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert served == [] and re.search(r"tiktok-lab class --port \d+$", err.strip())


@pytest.mark.parametrize(("options", "call"), [
    ([], "tl.class_view()"), (["--lang", "fr"], 'tl.class_view(language="fr")')])
def test_write_notebook_writes_only_the_hub_s_notebook(served, tmp_path, capsys, options,
                                                       call) -> None:
    home = tmp_path / "home"
    assert cli.main(["class", "--write-notebook", str(home), *options]) == 0
    path = home / "class-view.ipynb"
    notebook = json.loads(path.read_text("utf-8"))
    assert _code(notebook) == f"import tiktok_lab as tl\n{call}"
    assert served == [] and sorted(p.name for p in home.iterdir()) == ["class-view.ipynb"]
    assert "/voila/render/class-view.ipynb" in capsys.readouterr().out
    assert cli.main(["class", "--write-notebook", str(home), "--lang", "en"]) == 0  # rewritten
    assert _code(json.loads(path.read_text("utf-8"))).endswith('language="en")')


def test_write_notebook_leaves_a_notebook_of_the_trainer_s_alone(served, tmp_path,
                                                                 capsys) -> None:
    (tmp_path / "class-view.ipynb").write_text('{"cells": [], "metadata": {}}')
    assert cli.main(["class", "--write-notebook", str(tmp_path)]) == 1
    assert "is not the live room's notebook" in capsys.readouterr().err
    assert (tmp_path / "class-view.ipynb").read_text() == '{"cells": [], "metadata": {}}'


def test_the_notebook_is_a_valid_one_cell_notebook() -> None:
    import nbformat

    notebook = nbformat.from_dict(class_room.notebook("fr"))
    nbformat.validate(notebook)
    assert notebook.metadata["tiktok_lab"] == {"app": "class-view", "language": "fr"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
