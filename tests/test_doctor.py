"""``tiktok-lab doctor``: passes on a good install, names the fix for each failure."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest

from tiktok_lab import doctor
from tiktok_lab.cli import main

ROOT = Path(__file__).resolve().parents[1]


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
    assert "pip install --force-reinstall jupyterlab_widgets==3.0.17" in out


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
    assert result.level == doctor.PROBLEM and "vl-convert-python==" in result.fix


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


def test_pins_come_from_the_installed_package_metadata() -> None:
    pins = doctor.pinned_requirements()
    assert pins["ipywidgets"] == metadata.version("ipywidgets")
    assert "pytest" not in pins, "test extras are not runtime requirements"


def test_deleted_notebook_is_reported_with_the_reset_fix(tmp_path, monkeypatch) -> None:
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    (course / "notebooks" / "00_start_here.ipynb").write_text('{"cells": []}')
    (course / "notebooks" / "01_platform.ipynb").write_text("{broken")
    monkeypatch.setattr("tiktok_lab.course_source.pristine_notebooks", lambda root: {
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


def test_a_crashing_check_is_reported_not_raised() -> None:
    def check_exploding():
        raise RuntimeError("boom")

    [result] = doctor.run_checks([check_exploding])
    assert result.level == doctor.PROBLEM and "boom" in result.detail and result.name == "exploding"


def test_chart_check_builds_the_library_and_reports_a_broken_build(monkeypatch) -> None:
    import tiktok_lab.charts as charts

    monkeypatch.setattr(charts, "prepare_chart_library", lambda: 900 * 1024)
    result = doctor.check_charts_frontend()
    assert result.ok and "900 KB" in result.detail

    def broken() -> int:
        raise RuntimeError("vega bundle failed")

    monkeypatch.setattr(charts, "prepare_chart_library", broken)
    result = doctor.check_charts_frontend()
    assert result.level == doctor.PROBLEM and "vega bundle failed" in result.detail
