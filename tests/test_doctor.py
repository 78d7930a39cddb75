"""``tiktok-lab doctor``: passes on a good install, names the fix for each failure."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tests.strategies import assert_plain
from tiktok_lab.core import tested_versions
from tiktok_lab.course import doctor
from tiktok_lab.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
LOCKED = tested_versions.locked_versions((ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8"))


def test_doctor_passes_on_this_install(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "✗" not in out and "All good" in out


def test_missing_widget_frontend_fails_with_its_fix(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(doctor, "labextension_dirs", lambda: [tmp_path])
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "✗ Widgets in JupyterLab" in out
    # The version the lock pins (requirements/lock.txt), not one written into the text.
    assert f"pip install --force-reinstall jupyterlab_widgets=={LOCKED['jupyterlab-widgets']}" in out


@pytest.mark.parametrize("language, words", [("en", "Run `pip install --force-reinstall"),
                                             ("fr", "Lancez `pip install --force-reinstall")])
def test_the_widget_fix_names_the_version_of_the_lock(monkeypatch, tmp_path, language: str,
                                                       words: str) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    monkeypatch.setattr(tested_versions, "lock_text", lambda: "jupyterlab-widgets==3.9.1\n")
    fix = doctor.check_widgets_frontend([tmp_path]).fix
    assert fix.startswith(f"{words} jupyterlab_widgets==3.9.1`"), fix
    monkeypatch.setattr(tested_versions, "lock_text", lambda: None)  # no lock: the installed one
    assert f"jupyterlab_widgets=={metadata.version('jupyterlab_widgets')}`" in (
        doctor.check_widgets_frontend([tmp_path]).fix)


def test_widget_frontend_found_in_any_search_folder(tmp_path) -> None:
    manifest = tmp_path / "b" / doctor.WIDGETS_EXTENSION / "package.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"version": "5.0.16"}))
    result = doctor.check_widgets_frontend([tmp_path / "a", tmp_path / "b"])
    assert result.ok and "5.0.16" in result.detail


def test_missing_chart_frontend_is_a_problem(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_vl_convert(name, *args, **kwargs):
        if name == "vl_convert":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_vl_convert)
    result = doctor.check_charts_frontend()
    assert result.level == doctor.PROBLEM
    assert f"pip install vl-convert-python=={LOCKED['vl-convert-python']}`" in result.fix


def test_old_python_is_refused() -> None:
    assert doctor.check_python((3, 10, 13)).level == doctor.PROBLEM
    assert doctor.check_python((3, 11, 0)).ok


def test_libraries_missing_versus_different() -> None:
    def installed(name: str) -> str:
        if name == "gone":
            raise metadata.PackageNotFoundError(name)
        return "1.0"

    missing = doctor.check_libraries({"gone": "1.0", "same": "1.0"}, installed)
    assert missing.level == doctor.PROBLEM and "gone" in missing.detail
    different = doctor.check_libraries({"same": "1.0", "older": "2.0"}, installed)
    assert different.level == doctor.WARNING and "older 1.0" in different.detail and different.ok
    assert "make lab" in different.fix and "-c requirements/lock.txt" in different.fix
    assert doctor.check_libraries({"same": "1.0.0", "unlocked": ""}, installed).level == doctor.OK


def test_tested_versions_are_the_locks_for_the_runtime_requirements() -> None:
    pins = doctor.tested_requirements()
    assert pins["ipywidgets"] == LOCKED["ipywidgets"] == metadata.version("ipywidgets")
    assert "pytest" not in pins and "jupyterhub" not in pins, "extras are not runtime requirements"
    assert "tornado" not in pins, "the course's own requirements, not the whole lock"
    assert doctor.tested_requirements(versions={})["ipywidgets"] == ""


def test_deleted_notebook_is_reported_with_the_reset_fix(tmp_path, monkeypatch) -> None:
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    (course / "notebooks" / "00_start_here.ipynb").write_text('{"cells": []}')
    (course / "notebooks" / "01_platform.ipynb").write_text("{broken")
    monkeypatch.setattr("tiktok_lab.course.course_source.pristine_notebooks", lambda root: {
        "00_start_here.ipynb": b"{}", "01_platform.ipynb": b"{}", "02_figures.ipynb": b"{}"})
    result = doctor.check_notebooks(course)
    assert result.level == doctor.PROBLEM
    assert "02_figures.ipynb" in result.detail and "01_platform.ipynb" in result.detail
    assert "tiktok-lab reset --notebooks" in result.fix


def test_outside_the_course_says_where_to_run(tmp_path) -> None:
    result = doctor.check_notebooks(tmp_path)
    assert result.level == doctor.PROBLEM and "notebooks/" in result.fix


@pytest.mark.skipif(__import__("os").geteuid() == 0, reason="root can write anywhere")
def test_unwritable_store_is_a_problem(tmp_path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = doctor.check_store(locked / "my_work")
    assert result.level == doctor.PROBLEM and "TIKTOK_LAB_HOME" in result.fix


def test_store_path_that_is_a_file_is_a_problem(tmp_path) -> None:
    blocker = tmp_path / "my_work"
    blocker.write_text("not a folder")
    result = doctor.check_store(blocker)
    assert result.level == doctor.PROBLEM and "TIKTOK_LAB_HOME" in result.fix


def test_a_crashing_check_is_reported_plainly_and_logged_for_maintainers(caplog) -> None:
    """The set-up cell shows the doctor's lines to learners: no exception name there."""
    def check_exploding():
        raise RuntimeError("boom")

    [result] = doctor.run_checks([check_exploding])
    assert result.level == doctor.PROBLEM and result.name == "exploding"
    assert_plain(result.detail)
    assert "boom" not in result.detail + result.fix
    assert "boom" in caplog.text and "RuntimeError" in caplog.text


def test_chart_check_builds_the_library_and_reports_a_broken_build(monkeypatch) -> None:
    import tiktok_lab.core.charts as charts

    monkeypatch.setattr(charts, "prepare_chart_library", lambda: 900 * 1024)
    result = doctor.check_charts_frontend()
    assert result.ok and "900 KB" in result.detail

    def broken() -> int:
        raise RuntimeError("vega bundle failed")

    monkeypatch.setattr(charts, "prepare_chart_library", broken)
    result = doctor.check_charts_frontend()
    assert result.level == doctor.PROBLEM and "vega bundle failed" in result.detail


# --- saving work: a real save through the store, lock included ----------------------------

def _fail(monkeypatch, target: str, error: int, when=lambda *args: True) -> None:
    """Make ``target`` (``module.name``) raise ``OSError(error)`` when ``when(*args)``."""
    import importlib

    module_name, _, attribute = target.rpartition(".")
    module = importlib.import_module(module_name)
    real = getattr(module, attribute)

    def failing(*args, **kwargs):
        if when(*args):
            raise OSError(error, os.strerror(error))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, attribute, failing)


def _is_lock(path, *rest) -> bool:
    return str(path).endswith(".lock")


@pytest.mark.parametrize(("target", "error", "when"), [
    ("os.open", errno.EACCES, _is_lock),  # the probe's lock cannot be made
    ("tempfile.mkstemp", errno.EROFS, lambda *a: True),  # a read-only folder
    ("tempfile.mkstemp", errno.ENOSPC, lambda *a: True),  # a full disk
    ("os.fsync", errno.ENOSPC, lambda *a: True),  # a full disk noticed on flush
    ("os.replace", errno.EACCES, lambda *a: True),  # the rename refused
])
def test_a_save_that_fails_at_any_step_is_a_problem(target, error, when, tmp_path, monkeypatch) -> None:
    home = tmp_path / "my_work"
    home.mkdir()
    _fail(monkeypatch, target, error, when)
    result = doctor.check_store(home)
    assert result.level == doctor.PROBLEM, result
    assert str(home) in result.detail and "TIKTOK_LAB_HOME" in result.fix
    assert_plain(result.detail)
    assert "Errno" not in result.detail and "Error" not in result.detail
    assert list(home.iterdir()) == [], "the probe leaves nothing behind"


def test_a_lock_file_left_unwritable_by_a_sudo_run_is_a_problem(tmp_path, monkeypatch) -> None:
    """Only the progress lock is unwritable: saving anything else works, progress does not."""
    from tiktok_lab.work.store import Store

    home = tmp_path / "my_work"
    Store(home).write("progress", {"visited": []})
    Store(home).write("strategy", {"brand": "x"})
    _fail(monkeypatch, "os.open", errno.EACCES, lambda path, *rest: str(path).endswith(".progress.lock"))
    result = doctor.check_store(home)
    assert result.level == doctor.PROBLEM, result
    assert ".progress.lock" in result.detail and ".strategy.lock" not in result.detail
    assert "sudo chown -R $USER" in result.fix and str(home) in result.fix
    assert_plain(result.detail)
    assert sorted(p.name for p in home.iterdir()) == [
        ".progress.lock", ".strategy.lock", "progress.json", "strategy.json"]


def test_a_lock_held_by_an_open_lesson_is_not_a_problem(tmp_path, monkeypatch) -> None:
    from tiktok_lab.work.store import Store

    home = tmp_path / "my_work"
    Store(home).write("progress", {"visited": []})
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from filelock import FileLock; "
         "lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); time.sleep(60)",
         str(home / ".progress.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(doctor, "STORE_PROBE_TIMEOUT", 0.2)
        assert doctor.check_store(home).level == doctor.OK
    finally:
        holder.kill()
        holder.wait()


def test_the_doctor_reports_an_unwritable_lock_on_its_line(tmp_path, monkeypatch, capsys) -> None:
    from tiktok_lab.work.store import Store

    home = tmp_path / "my_work"
    Store(home).write("progress", {"visited": []})
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(home))
    _fail(monkeypatch, "os.open", errno.EACCES, lambda path, *rest: str(path).endswith(".progress.lock"))
    only_store = doctor.iter_checks
    monkeypatch.setattr(doctor, "iter_checks", lambda: only_store([doctor.check_store]))
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "✗ Saving your work" in out and "✓ Saving your work" not in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_lock_file_is_a_problem_for_real(tmp_path) -> None:
    from tiktok_lab.work.store import Store

    home = tmp_path / "my_work"
    Store(home).write("progress", {"visited": []})
    (home / ".progress.lock").chmod(0o444)
    result = doctor.check_store(home)
    assert result.level == doctor.PROBLEM and ".progress.lock" in result.detail


_AS_NOBODY = f"/usr/bin/python{sys.version_info[0]}.{sys.version_info[1]}"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv") or not os.access(_AS_NOBODY, os.X_OK),
                    reason="needs root, setpriv and a system Python like this one to act as another user")
def test_a_lock_file_left_by_root_blocks_another_user_for_real() -> None:
    """The ``sudo`` case itself: root made ``.progress.lock``; the participant's doctor says ✗."""
    import site
    import tempfile

    from tiktok_lab.work.store import Store

    shared = Path(tempfile.mkdtemp(prefix="tiktok-lab-doctor-"))
    try:
        shared.chmod(0o777)
        Store(shared).write("progress", {"visited": []})  # as root: .progress.lock is root's, 0644
        (shared / "progress.json").chmod(0o644)
        paths = [str(ROOT / "src"), *site.getsitepackages()]
        script = ("import json, sys; from pathlib import Path; from tiktok_lab.course import doctor; "
                  "r = doctor.check_store(Path(sys.argv[1])); print(json.dumps([r.level, r.detail]))")
        done = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", _AS_NOBODY, "-c", script,
             str(shared)], capture_output=True, text=True, timeout=60,
            env={"PYTHONPATH": os.pathsep.join(paths), "TIKTOK_LAB_LANG": "en", "HOME": str(shared)})
        if done.returncode != 0 and "Permission denied" in done.stderr and "tiktok_lab" not in done.stderr:
            pytest.skip("the course cannot be imported as another user here")
        level, detail = json.loads(done.stdout.strip().splitlines()[-1])
        assert level == doctor.PROBLEM and ".progress.lock" in detail, done.stderr
    finally:
        shutil.rmtree(shared, ignore_errors=True)
