"""The ``tiktok-lab`` command: lab serves the start notebook, reset backs up then restores."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tiktok_lab.cli import main as cli
from tiktok_lab.work.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_lab_command_opens_the_start_notebook_without_going_online() -> None:
    command = cli.lab_command(ROOT, 8891, no_browser=True)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "notebooks/00_start_here.ipynb" in command
    assert "--port=8891" in command and "--no-browser" in command
    assert "--LabApp.news_url=None" in command
    assert "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate" in command
    assert "--LabApp.extension_manager=readonly" in command
    assert "--ServerApp.port_retries=0" in command
    assert cli.lab_command(ROOT, 1, False, ["--ip=0.0.0.0"])[-1] == "--ip=0.0.0.0"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_jupyterlab_never_asks_about_news_in_either_edition(language: str) -> None:
    """JupyterLab's own toast would ask every participant about "official Jupyter news"."""
    command = cli.lab_command(ROOT, 8891, no_browser=True, language=language)
    [option] = [arg for arg in command if arg.startswith("--LabApp.app_settings_dir=")]
    overrides = json.loads((Path(option.split("=", 1)[1]) / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    locale = overrides.get("@jupyterlab/translation-extension:plugin", {}).get("locale")
    assert locale == ("fr_FR" if language == "fr" else None)


def test_lab_as_root_allows_root_once(monkeypatch) -> None:
    monkeypatch.setattr(cli, "_is_root", lambda: True)
    assert cli.lab_command(ROOT, 1, False).count("--allow-root") == 1
    assert cli.lab_command(ROOT, 1, False, ["--allow-root"]).count("--allow-root") == 1
    monkeypatch.setattr(cli, "_is_root", lambda: False)
    assert "--allow-root" not in cli.lab_command(ROOT, 1, False)


@pytest.mark.slow  # starts a real server
def test_lab_serves_the_start_notebook(tmp_path) -> None:
    port, token = _free_port(), "tiktok-lab-test-token"
    env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"), "IPYTHONDIR": str(tmp_path / "ipy")}
    command = [sys.executable, "-m", "tiktok_lab", "lab", "--no-browser", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT / "notebooks", env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab did not start:\n" + _drain(server))
                time.sleep(0.3)
        url = f"{base}/api/contents/notebooks/00_start_here.ipynb?token={token}&content=0"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert json.load(answer)["type"] == "notebook"
        with urllib.request.urlopen(f"{base}/lab/tree/notebooks/00_start_here.ipynb?token={token}",
                                    timeout=10) as page:
            html = page.read()
            assert page.status == 200 and b"JupyterLab" in html
        # The Extensions panel lists what is installed and never searches PyPI.
        config = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                           html, re.S)
        manager = json.loads(config.group(1))["extensionManager"]
        assert manager["name"] == "read-only" and manager["can_install"] is False
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def _drain(process: subprocess.Popen) -> str:
    process.kill()
    return process.communicate(timeout=10)[0].decode("utf-8", "replace")[-3000:]


def test_lab_outside_a_course_explains_where_to_run(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tiktok_lab.course.course_source.packaged_notebooks", lambda: {})
    assert cli.main(["lab", "--no-browser"]) == 1
    assert "notebooks/" in capsys.readouterr().err


def _course_repo(tmp_path: Path) -> Path:
    """A git checkout of the course with one committed notebook."""
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", course / "notebooks")
    git = ["git", "-C", str(course), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "course"], check=True)
    return course


def test_reset_backs_up_then_restores_and_clears_work(tmp_path, monkeypatch, capsys) -> None:
    course = _course_repo(tmp_path)
    monkeypatch.chdir(course / "notebooks")
    monkeypatch.delenv("TIKTOK_LAB_HOME")
    start = course / "notebooks" / "00_start_here.ipynb"
    pristine = start.read_bytes()
    start.write_text('{"edited": "by a learner"}')
    work = course / "notebooks" / "my_work"
    Store(work).write("strategy", {"brand": "learner's strategy"})
    saved = (work / "strategy.json").read_bytes()

    assert cli.main(["reset", "--yes"]) == 0
    assert start.read_bytes() == pristine
    assert not work.exists()
    [backup] = (course / "backups").iterdir()
    assert (backup / "notebooks" / "00_start_here.ipynb").read_text() == '{"edited": "by a learner"}'
    assert (backup / "my_work" / "strategy.json").read_bytes() == saved
    assert "Done" in capsys.readouterr().out


def test_reset_piped_into_a_reader_that_stops_still_restores_everything(
        tmp_path, monkeypatch) -> None:
    """`tiktok-lab reset --yes | head -1`: the pipe closes after one line; the reset goes on."""
    course = _course_repo(tmp_path)
    monkeypatch.chdir(course / "notebooks")
    monkeypatch.delenv("TIKTOK_LAB_HOME")
    edited = sorted((course / "notebooks").glob("0*.ipynb"))[:3]
    pristine = {path: path.read_bytes() for path in edited}
    for path in edited:
        path.write_text('{"edited": "by a learner"}')
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone: every write now meets a closed pipe
    closed = os.fdopen(write_end, "w", buffering=1)  # a terminal-like stream: one write per line
    monkeypatch.setattr(sys, "stdout", closed)
    try:
        assert cli.main(["reset", "--yes", "--notebooks"]) == 0
    finally:
        monkeypatch.undo()
    assert {path: path.read_bytes() for path in edited} == pristine


def test_reset_asks_first_and_a_no_changes_nothing(tmp_path, monkeypatch, capsys) -> None:
    course = _course_repo(tmp_path)
    monkeypatch.chdir(course)
    start = course / "notebooks" / "00_start_here.ipynb"
    start.write_text("edited")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert cli.main(["reset", "--notebooks"]) == 1
    assert start.read_text() == "edited"
    assert not (course / "backups").exists()
    assert "Nothing was changed" in capsys.readouterr().out


def test_reset_work_only_keeps_the_notebooks(tmp_path, monkeypatch) -> None:
    course = _course_repo(tmp_path)
    monkeypatch.chdir(course)
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(tmp_path / "elsewhere"))
    Store(tmp_path / "elsewhere").write("progress", {})
    start = course / "notebooks" / "00_start_here.ipynb"
    start.write_text("edited")
    monkeypatch.setattr("builtins.input", lambda prompt: "oui")
    assert cli.main(["reset", "--work"]) == 0
    assert start.read_text() == "edited"
    assert not (tmp_path / "elsewhere").exists()
    assert list((course / "backups").glob("reset-*/my_work/progress.json"))


def test_reset_without_a_pristine_copy_refuses(tmp_path, monkeypatch, capsys) -> None:
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    (course / "notebooks" / "00_start_here.ipynb").write_text("{}")
    monkeypatch.chdir(course)
    monkeypatch.setattr("tiktok_lab.course.course_source.packaged_notebooks", lambda: {})
    assert cli.main(["reset", "--notebooks", "--yes"]) == 1
    assert "No original notebooks" in capsys.readouterr().err


def test_lab_from_a_wheel_install_lays_out_the_course_first(tmp_path, monkeypatch) -> None:
    """Installed from a wheel (USB stick), there is no checkout: the packed notebooks are used."""
    monkeypatch.chdir(tmp_path)
    start = (ROOT / "notebooks" / "00_start_here.ipynb").read_bytes()
    monkeypatch.setattr("tiktok_lab.course.course_source.packaged_notebooks",
                        lambda: {"00_start_here.ipynb": start})
    launched = {}
    monkeypatch.setattr(cli, "_serve",
                        lambda command, cwd: launched.update(command=command, cwd=cwd) or 0)
    assert cli.main(["lab", "--no-browser"]) == 0
    course = tmp_path / "tiktok-lab-course"
    assert (course / "notebooks" / "00_start_here.ipynb").read_bytes() == start
    assert launched["cwd"] == course
    assert f"--ServerApp.root_dir={course}" in launched["command"]
    (course / "notebooks" / "00_start_here.ipynb").write_text("a learner's edits")
    monkeypatch.chdir(course)
    assert cli.main(["lab", "--no-browser"]) == 0
    assert (course / "notebooks" / "00_start_here.ipynb").read_text() == "a learner's edits"


def test_copy_course_adds_what_is_missing_and_keeps_a_participants_edits(
        tmp_path, monkeypatch, capsys) -> None:
    """The class hub runs it in each home at every start: a new lesson arrives, edits stay."""
    monkeypatch.chdir(tmp_path)  # outside any checkout: the packed notebooks are used
    lessons = {"00_start_here.ipynb": b"start", "fr/00_start_here.ipynb": b"debut"}
    monkeypatch.setattr("tiktok_lab.course.course_source.packaged_notebooks", lambda: dict(lessons))
    course = tmp_path / "home" / "tiktok-lab-course"
    assert cli.main(["copy-course", str(course)]) == 0
    assert (course / "notebooks" / "fr" / "00_start_here.ipynb").read_bytes() == b"debut"
    (course / "notebooks" / "00_start_here.ipynb").write_bytes(b"a participant's edits")
    lessons["01_platform.ipynb"] = b"a lesson added later"
    assert cli.main(["copy-course", str(course)]) == 0
    assert (course / "notebooks" / "00_start_here.ipynb").read_bytes() == b"a participant's edits"
    assert (course / "notebooks" / "01_platform.ipynb").read_bytes() == b"a lesson added later"
    capsys.readouterr()
    (tmp_path / "a-file").write_text("x")
    assert cli.main(["copy-course", str(tmp_path / "a-file")]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err


def test_app_command_serves_the_strategy_builder_without_code() -> None:
    command = cli.app_command(ROOT, 8870, no_browser=True)
    assert command[:3] == [sys.executable, "-m", "voila"]
    assert "notebooks/07_my_strategy.ipynb" in command
    assert "--VoilaConfiguration.strip_sources=True" in command and "--no-browser" in command
    assert "--VoilaConfiguration.show_tracebacks=False" in command
    assert (ROOT / "notebooks" / cli.APP_NOTEBOOK).is_file()


def test_binder_server_config_holds_the_app_commands_settings(tmp_path: Path, capsys) -> None:
    """`tiktok-lab app --install-server-config DIR` (Binder's postBuild) writes the settings
    `tiktok-lab app` passes to Voilà, for Voilà's exporter only, and keeps the file's others."""
    from traitlets.config.loader import KVArgParseConfigLoader

    config_file = tmp_path / "jupyter_server_config.json"
    config_file.write_text(json.dumps({"ServerApp": {"tornado_settings": {"x": 1}},
                                       "VoilaConfiguration": {"theme": "dark"}}))
    assert cli.main(["app", "--install-server-config", str(tmp_path)]) == 0
    assert str(config_file) in capsys.readouterr().out
    installed = json.loads(config_file.read_text())
    options = [arg for arg in cli.app_command(ROOT, 8870, no_browser=True)
               if arg.startswith(("--VoilaConfiguration.", "--TagRemovePreprocessor."))]
    from_command = KVArgParseConfigLoader(options).load_config()
    # The command line's values are strings until a configurable reads them.
    assert {name: str(value) for name, value in installed["VoilaConfiguration"].items()} == {
        **{name: str(value) for name, value in from_command.VoilaConfiguration.items()},
        "theme": "dark"}
    assert installed["VoilaConfiguration"]["strip_sources"] is True
    preprocessor = installed["VoilaExporter"]["TagRemovePreprocessor"]
    assert preprocessor["enabled"] is True
    assert str(from_command.TagRemovePreprocessor.enabled) == "True"
    assert (set(preprocessor["remove_cell_tags"])
            == set(from_command.TagRemovePreprocessor.remove_cell_tags)
            == {"notebook-only", "data-corner"})
    # Not for the whole server: JupyterLab's own export keeps every cell.
    assert "TagRemovePreprocessor" not in installed
    assert installed["ServerApp"]["tornado_settings"] == {
        "x": 1, "mathjax_url": None, "mathjax_config": None}
    # Installing twice changes nothing.
    assert cli.main(["app", "--install-server-config", str(tmp_path)]) == 0
    assert json.loads(config_file.read_text()) == installed


def test_binder_server_config_leaves_an_unreadable_file_alone(tmp_path: Path, capsys) -> None:
    config_file = tmp_path / "jupyter_server_config.json"
    config_file.write_text("{ not json")
    assert cli.main(["app", "--install-server-config", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Nothing was changed" in err and "Traceback" not in err
    assert config_file.read_text() == "{ not json"


def test_the_app_drops_the_guidance_meant_for_code_runners() -> None:
    """"Run the set-up cell" and the exercises make no sense with the code hidden: the app
    command's own options, applied by nbconvert as Voilà does, remove them and nothing else."""
    import nbformat
    from traitlets.config import Config
    from traitlets.config.loader import KVArgParseConfigLoader

    from nbconvert.preprocessors import TagRemovePreprocessor

    command = cli.app_command(ROOT, 8870, no_browser=True)
    options = [arg for arg in command if arg.startswith("--TagRemovePreprocessor.")]
    config: Config = KVArgParseConfigLoader(options).load_config()
    notebook = nbformat.read(ROOT / "notebooks" / cli.APP_NOTEBOOK, as_version=4)
    kept, _ = TagRemovePreprocessor(config=config).preprocess(notebook, {})
    text = "\n".join(cell.source for cell in kept.cells)
    assert "Run the set-up cell" not in text and "____" not in text and ".check()" not in text
    # The data corner's code exercises go; the cards answered by clicking or typing stay.
    assert not [cell for cell in kept.cells if "data-corner" in cell.metadata.get("tags", [])]
    assert any("decision" in cell.metadata.get("tags", []) for cell in kept.cells)
    # Links to other notebooks lead nowhere in the app, which serves one notebook.
    assert ".ipynb" not in text and "tiktok-lab:nav" not in text
    assert "tl.start_lesson" in text and "tl.build_strategy_builder()" in text
    learner_cells = nbformat.read(ROOT / "notebooks" / cli.APP_NOTEBOOK, as_version=4).cells
    assert "Run the set-up cell" in "\n".join(cell.source for cell in learner_cells)


# --- ports -------------------------------------------------------------------------------

def _no_server(monkeypatch) -> list:
    """Record any attempt to start a server instead of starting one."""
    started: list = []
    monkeypatch.setattr(cli, "_serve", lambda command, cwd: started.append(command) or 0,
                        raising=False)
    monkeypatch.setattr(cli.subprocess, "call", lambda command, cwd: started.append(command) or 0)
    return started


@pytest.mark.parametrize("command", ["lab", "app"])
@pytest.mark.parametrize("port", ["70000", "0", "-1", "65536", "eighty", "8888.5", ""])
def test_a_port_that_cannot_exist_is_refused_plainly(command, port, monkeypatch, capsys) -> None:
    started = _no_server(monkeypatch)
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--no-browser", f"--port={port}"])
    assert exit_.value.code == 2 and started == []
    err = capsys.readouterr().err
    assert "is not a port: give a whole number from 1 to 65535" in err and "Traceback" not in err


def _listening(host: str = "127.0.0.1") -> socket.socket:
    holder = socket.socket()
    holder.bind((host, 0))
    holder.listen()
    return holder


@pytest.mark.parametrize("command", ["lab", "app"])
def test_a_busy_port_is_refused_before_starting_with_a_free_one_to_use(command, monkeypatch,
                                                                      capsys) -> None:
    started = _no_server(monkeypatch)
    monkeypatch.chdir(ROOT)
    with _listening() as holder:
        port = holder.getsockname()[1]
        assert cli.main([command, "--no-browser", "--port", str(port)]) == 1
        err = capsys.readouterr()
        assert started == [] and "Starting" not in err.out
        [line] = err.err.splitlines()
        assert f"Port {port} is already in use" in line and "Traceback" not in line
        free = int(re.search(rf"tiktok-lab {command} --port (\d+)$", line).group(1))
        assert free != port and cli.port_problem(free) is None


def test_the_port_check_sees_every_address_localhost_means() -> None:
    with _listening("127.0.0.1") as holder:
        assert cli.port_problem(holder.getsockname()[1], "localhost") == "busy"
    if socket.has_ipv6:
        try:
            holder = _listening("::1")
        except OSError:
            return  # no IPv6 loopback here
        with holder:
            assert cli.port_problem(holder.getsockname()[1], "localhost") == "busy"
    assert cli.port_problem(_free_port()) is None
    assert cli.listen_host(["--ip=0.0.0.0"]) == "0.0.0.0" and cli.listen_host(["--ip", "::"]) == "::"
    assert cli.listen_host(["--allow-root"]) == "localhost"


def _server_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "JUPYTER_TOKEN": "tiktok-lab-test-token",
            "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"), "JUPYTER_DATA_DIR": str(tmp_path / "data"),
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"), "IPYTHONDIR": str(tmp_path / "ipy"),
            "HOME": str(tmp_path), "TIKTOK_LAB_HOME": str(tmp_path / "my_work")}


@pytest.mark.slow  # starts a real server
@pytest.mark.parametrize("builder", [cli.lab_command, cli.app_command], ids=["lab", "app"])
def test_the_server_fails_rather_than_moving_to_another_port(builder, tmp_path) -> None:
    """If the port is taken between the check and the start, the server stops instead of
    listening on another port than the one the command printed."""
    with _listening() as holder:
        port = holder.getsockname()[1]
        server = subprocess.Popen(builder(ROOT, port, True), cwd=ROOT, env=_server_env(tmp_path),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  start_new_session=True)
        try:
            _, err = server.communicate(timeout=30)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
        assert server.returncode != 0
        assert b"port" in err.lower()


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _processes_on(port: int) -> list[str]:
    """Command lines of the processes started for ``port`` (Linux /proc), still alive."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = entry.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry.parent / "stat").read_text().split(") ", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if f"--port={port}" in line and state != "Z":
            found.append(line)
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc as on Linux")
@pytest.mark.parametrize(("command", "stop"), [
    ("lab", signal.SIGTERM),  # a service manager, a script
    ("app", signal.SIGHUP),  # the terminal was closed
    ("lab", signal.SIGKILL),  # the launcher killed outright: the server goes with it
], ids=["lab-SIGTERM", "app-SIGHUP", "lab-SIGKILL"])
@pytest.mark.slow  # starts a real server
def test_stopping_the_command_stops_the_server_and_frees_the_port(command, stop, tmp_path) -> None:
    port, log = _free_port(), tmp_path / "server.log"
    with open(log, "wb") as output:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "tiktok_lab", command, "--no-browser", "--port", str(port)],
            cwd=ROOT / "notebooks", env=_server_env(tmp_path), stdin=subprocess.DEVNULL,
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not _accepts(port):
            if time.monotonic() > deadline or launcher.poll() is not None:
                pytest.fail(f"{command} did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        os.kill(launcher.pid, stop)  # the launcher only, not its process group
        launcher.wait(timeout=30)
        deadline = time.monotonic() + 10
        while (_accepts(port) or _processes_on(port)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _accepts(port), "the server kept the port after the command was stopped"
        assert _processes_on(port) == [], "the server outlived the command"
    finally:
        try:
            os.killpg(launcher.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        launcher.wait(timeout=10)


@pytest.mark.slow  # starts a real server
def test_a_port_taken_while_starting_is_explained_plainly(tmp_path, monkeypatch, capfd) -> None:
    """The port was free at the check and taken before JupyterLab listened: the server stops
    (it never moves) and the command says why, in the same sentence as before starting."""
    real, calls = cli.port_problem, []

    def free_at_first_look(port: int, host: str = "localhost") -> str | None:
        calls.append(port)
        return None if len(calls) == 1 else real(port, host)

    monkeypatch.setattr(cli, "port_problem", free_at_first_look)
    for key, value in _server_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(ROOT)
    with _listening() as holder:
        port = holder.getsockname()[1]
        assert cli.main(["lab", "--no-browser", "--port", str(port)]) not in (0, None)
    err = capfd.readouterr().err
    assert f"Port {port} is already in use" in err.splitlines()[-1]
