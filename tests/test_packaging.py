"""Set-up files agree with each other, so Binder, conda and pip install the same course."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pins_for_python(requirements: list[str], python: str) -> dict[str, str]:
    pins = {}
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate({"python_version": python}):
            continue
        [spec] = list(requirement.specifier)
        assert spec.operator == "==", f"{line}: shipped dependencies are pinned with =="
        pins[requirement.name.lower()] = spec.version
    return pins


def _conda_pins() -> tuple[str, dict[str, str]]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert environment["channels"] == ["conda-forge"]
    python, pins = None, {}
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            for line in entry["pip"]:
                name, version = line.split("==")
                pins[name.lower()] = version
            continue
        name, _, version = entry.partition("=")
        if name == "python":
            python = version
        elif name != "pip":
            assert version, f"environment.yml: {name} must be pinned"
            pins[name.lower()] = version
    assert python, "environment.yml must pin python"
    return python, pins


def test_environment_yml_and_pyproject_list_the_same_pinned_dependencies() -> None:
    python, conda = _conda_pins()
    pip = _pins_for_python(_pyproject()["project"]["dependencies"], python)
    assert conda == pip


def test_test_extras_are_pinned() -> None:
    extras = _pyproject()["project"]["optional-dependencies"]["test"]
    assert _pins_for_python(extras, "3.11")


def test_every_python_gets_a_pin_for_every_dependency() -> None:
    dependencies = _pyproject()["project"]["dependencies"]
    names = {Requirement(line).name for line in dependencies}
    for python in ("3.11", "3.12", "3.13"):
        assert set(_pins_for_python(dependencies, python)) == {n.lower() for n in names}, python


def test_readme_binder_badges_open_the_start_notebook_of_this_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    repository = _pyproject()["project"]["urls"]["Repository"]
    slug = repository.removeprefix("https://github.com/")
    badge = re.search(r"https://mybinder\.org/v2/gh/([^)\s]+)", readme)
    assert badge, "README needs a Binder badge"
    assert badge.group(1) == f"{slug}/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb"
    assert "vanish" in readme.lower() or "deleted" in readme.lower(), "warn that Binder sessions vanish"
    app = f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=voila/render/notebooks/07_my_strategy.ipynb"
    assert app in readme, "a second badge opens the strategy builder app"


def test_readme_quick_start_has_exactly_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)$", quick_start, flags=re.M)
    assert commands == ["make lab", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.M), ".ci/run must call the README's test command"


def test_binder_files_live_in_one_place() -> None:
    assert (ROOT / "postBuild").is_file() and (ROOT / "environment.yml").is_file()
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), (
        "repo2docker ignores root files when a binder/ folder exists"
    )
    assert "pip install" in (ROOT / "postBuild").read_text(encoding="utf-8")


def test_binder_installs_a_wheel_and_the_apps_server_configuration() -> None:
    """What tests/test_binder_install.py and the Binder browser test run is what postBuild runs."""
    commands = [line.strip() for line in (ROOT / "postBuild").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    pip = [line for line in commands if "pip install" in line]
    # Not editable: the wheel packs the notebooks `reset --notebooks` restores (no git on Binder).
    assert pip == ["python -m pip install --no-deps ."], pip
    # The environment's own configuration folder, which the Jupyter server of the image reads.
    assert ("tiktok-lab app --install-server-config "
            "\"$(python -c 'import sys; print(sys.prefix)')/etc/jupyter\"") in commands
    assert commands[-1].startswith("tiktok-lab doctor")


def test_the_python_floor_is_the_same_everywhere() -> None:
    from tiktok_lab.course.doctor import MIN_PYTHON

    floor = ".".join(map(str, MIN_PYTHON))
    assert _pyproject()["project"]["requires-python"] == f">={floor}"
    assert f"Python {floor} or newer" in (ROOT / "README.md").read_text(encoding="utf-8")
