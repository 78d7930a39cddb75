"""Set-up files agree with each other, so Binder, conda, pip and the USB kit install the same course.

``pyproject.toml`` declares compatible ranges; ``requirements/lock.txt`` pins the whole tested
environment (``make lock``). These tests check that the ranges hold the lock's versions, that
the lock leaves no dependency out, that the environment running the tests IS the lock (so a
green suite vouches for the lock), and that make, Binder and the USB kit install under it.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tiktok_lab.core import tested_versions
from tiktok_lab.core.tested_versions import LOCK_FILE, Locked, parse_lock

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / LOCK_FILE
PLATFORM_CONSTRAINTS = ROOT / "requirements" / "platform-constraints.txt"
# Calendar versions (YY.N): a new major is a new year, not a breaking change; no upper bound.
CALENDAR_VERSIONS = {"packaging"}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> dict[str, list[Requirement]]:
    """The runtime dependencies (under ``""``) and each extra's, as pyproject.toml declares them."""
    project = _pyproject()["project"]
    groups = {"": project["dependencies"], **project["optional-dependencies"]}
    return {extra: [Requirement(line) for line in lines] for extra, lines in groups.items()}


def _lock_entries(text: str | None = None) -> list[Locked]:
    return parse_lock(LOCK.read_text(encoding="utf-8") if text is None else text)


def _floor() -> str:
    return _pyproject()["project"]["requires-python"].removeprefix(">=")


# --- the metadata declares ranges, the lock pins -----------------------------------------

def range_problems(requirements: list[Requirement]) -> list[str]:
    """Declared dependencies that are not a compatible range (floor, and below the next major)."""
    problems = []
    for requirement in requirements:
        operators = {spec.operator for spec in requirement.specifier}
        upper = "<" in operators or canonicalize_name(requirement.name) in CALENDAR_VERSIONS
        if not (">=" in operators and upper and operators <= {">=", "<"}):
            problems.append(str(requirement))
    return problems


def test_the_metadata_declares_ranges_not_pins() -> None:
    """Exact pins in the metadata would force their versions on every course of a shared hub."""
    for extra, requirements in _declared().items():
        assert not range_problems(requirements), f"[{extra or 'runtime'}]: {range_problems(requirements)}"
    assert _pyproject()["build-system"]["requires"] == ["hatchling==1.33.0"], "the build stays pinned"


def test_the_range_check_can_fail() -> None:
    assert range_problems([Requirement("altair==6.3.0"), Requirement("numpy>=2.4"),
                           Requirement("pandas<4"), Requirement("voila>=0.5.13,<0.6")]) == [
        "altair==6.3.0", "numpy>=2.4", "pandas<4"]


def unlocked_or_outside(requirements: list[Requirement], entries: list[Locked]) -> list[str]:
    """Declared dependencies the lock lacks, or locks at a version outside the declared range."""
    locked: dict[str, list[str]] = {}
    for entry in entries:
        locked.setdefault(entry.name, []).append(entry.version)
    problems = []
    for requirement in requirements:
        versions = locked.get(canonicalize_name(requirement.name))
        if not versions:
            problems.append(f"{requirement.name} is not locked")
        problems += [f"{requirement.name}=={version} is outside {requirement.specifier}"
                     for version in versions or []
                     if not requirement.specifier.contains(version, prereleases=True)]
    return problems


def test_every_declared_dependency_is_locked_inside_its_range() -> None:
    """Runtime, test and hub dependencies alike: the lock covers pyproject.toml, extras included."""
    entries = _lock_entries()
    for extra, requirements in _declared().items():
        assert not unlocked_or_outside(requirements, entries), extra or "runtime"
    assert "hub" in _declared() and "test" in _declared()


def test_the_lock_agreement_check_can_fail() -> None:
    entries = _lock_entries("altair==6.3.0\nvoila==0.6.0 ; sys_platform == 'win32'\n")
    assert unlocked_or_outside([Requirement("altair>=6.3.0,<7"), Requirement("voila>=0.5.13,<0.6"),
                                Requirement("numpy>=2.4.6,<3")], entries) == [
        "voila==0.6.0 is outside <0.6,>=0.5.13", "numpy is not locked"]


def test_the_lock_reads_uv_lines_with_conditions_and_notes() -> None:
    text = ("# header\nsoupsieve==2.10 ; python_full_version < '3.11.5'\n    # via beautifulsoup4\n"
            "soupsieve==4.1.4 ; python_full_version >= '3.11.5'\nPyYAML==6.0.4\n")
    entries = parse_lock(text)
    assert [(e.name, e.version) for e in entries] == [
        ("soupsieve", "2.10"), ("soupsieve", "4.1.4"), ("pyyaml", "6.0.4")]
    old = {"python_full_version": "3.11.2"}
    assert tested_versions.locked_versions(text, old) == {"soupsieve": "2.10", "pyyaml": "6.0.4"}
    assert tested_versions.locked_versions(text, {"python_full_version": "3.13.0"})["soupsieve"] == "4.1.4"
    with pytest.raises(tested_versions.LockError, match="line 2"):
        parse_lock("altair==6.3.0\nnumpy>=2.4\n")


# --- the lock is whole, and this environment is it -------------------------------------

def _installed() -> dict[str, metadata.Distribution]:
    return {canonicalize_name(d.metadata["Name"]): d for d in metadata.distributions()}


def _extras_in_play(installed: dict[str, metadata.Distribution]) -> list[str]:
    """The extras installed here: the test tools always (they run this), the hub if present."""
    return [extra for extra, requirements in _declared().items()
            if extra and any(canonicalize_name(r.name) in installed for r in requirements)]


def _closure(installed: dict[str, metadata.Distribution]) -> dict[str, list[str]]:
    """Every package the course and its extras in play need here, with who asked for it.

    Walks the installed metadata from pyproject.toml's declarations, judging each condition
    (``; sys_platform == 'win32'``, ``; extra == 'format'``) for this interpreter.
    """
    environment = default_environment()
    wanted: list[tuple[Requirement, str]] = [
        (requirement, "tiktok-lab") for extra in ["", *_extras_in_play(installed)]
        for requirement in _declared()[extra]]
    needed: dict[str, list[str]] = {}
    seen: set[tuple[str, frozenset]] = set()
    while wanted:
        requirement, parent = wanted.pop()
        name = canonicalize_name(requirement.name)
        needed.setdefault(name, []).append(parent)
        key = (name, frozenset(requirement.extras))
        if key in seen or name not in installed:
            continue
        seen.add(key)
        extras = {""} | set(requirement.extras)
        for line in installed[name].requires or []:
            child = Requirement(line)
            if child.marker is None or any(child.marker.evaluate({**environment, "extra": e})
                                           for e in extras):
                wanted.append((child, name))
    return needed


def lock_gaps(installed: dict[str, metadata.Distribution], versions: dict[str, str]) -> list[str]:
    """Requirements of installed locked packages that the lock leaves out or contradicts."""
    environment = default_environment()
    gaps = []
    for name, version in sorted(versions.items()):
        if name not in installed:
            continue
        for line in installed[name].requires or []:
            child = Requirement(line)
            if child.marker is not None and not child.marker.evaluate({**environment, "extra": ""}):
                continue
            locked = versions.get(canonicalize_name(child.name))
            if locked is None:
                gaps.append(f"{name} needs {child.name}, which the lock lacks")
            elif not child.specifier.contains(locked, prereleases=True):
                gaps.append(f"{name} needs {child}, the lock has {locked}")
    return gaps


def test_the_lock_is_closed() -> None:
    """Every requirement of every locked package installed here (for this platform and
    Python, extras included) is locked too, at a version it accepts."""
    installed, versions = _installed(), tested_versions.locked_versions(LOCK.read_text())
    assert not lock_gaps(installed, versions)
    for name, parents in _closure(installed).items():
        assert name in versions, f"{name} (needed by {', '.join(sorted(set(parents)))}) is not locked"


def test_the_closed_lock_check_can_fail() -> None:
    installed, versions = _installed(), tested_versions.locked_versions(LOCK.read_text())
    without_tornado = {name: version for name, version in versions.items() if name != "tornado"}
    assert "jupyter-server needs tornado, which the lock lacks" in lock_gaps(installed, without_tornado)
    assert any(gap.startswith("jupyter-server needs jupyter-client") and gap.endswith("the lock has 1.0")
               for gap in lock_gaps(installed, {**versions, "jupyter-client": "1.0"}))


def environment_differences(installed: dict[str, metadata.Distribution],
                            versions: dict[str, str], needed: dict[str, list[str]]) -> list[str]:
    """Where this environment is not the lock: a needed package missing, another version."""
    differences = [f"{name} is not installed" for name in sorted(needed)
                   if name in versions and name not in installed]
    differences += [f"{name} {installed[name].version} (lock: {version})"
                    for name, version in sorted(versions.items())
                    if name in installed and Version(installed[name].version) != Version(version)]
    return differences


def test_this_test_environment_is_the_lock() -> None:
    """What proves that a green suite tested the lock: every locked package that applies here is
    installed at the lock's version (make test installs with the lock as pip's constraints)."""
    installed = _installed()
    versions = tested_versions.locked_versions(LOCK.read_text())
    assert "test" in _extras_in_play(installed)
    assert not environment_differences(installed, versions, _closure(installed))


def test_the_environment_check_can_fail() -> None:
    installed = _installed()
    versions = tested_versions.locked_versions(LOCK.read_text())
    other = {**versions, "tornado": "1.0"}
    assert environment_differences(installed, other, {}) == [
        f"tornado {installed['tornado'].version} (lock: 1.0)"]
    assert environment_differences(installed, {**versions, "not-here": "1.0"},
                                   {"not-here": ["tiktok-lab"]}) == ["not-here is not installed"]


# --- who installs under the lock: Binder, make, the USB kit ------------------------------

def test_binder_gets_python_from_conda_and_every_package_from_the_lock() -> None:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert environment["channels"] == ["conda-forge"]
    # Conda brings the interpreter only: a conda package would bypass the lock.
    assert environment["dependencies"] == [f"python={_floor()}", "pip"]
    commands = _commands(ROOT / "postBuild")
    assert [c for c in commands if "pip install" in c] == [
        f"python -m pip install --constraint {LOCK_FILE.as_posix()} ."]


def test_the_lock_is_resolved_for_the_python_floor_and_every_platform() -> None:
    """`make lock`: universal (every platform's packages, with their conditions), from the floor."""
    [command] = [line for line in _make_dry_run("lock", "UV=uv") if " pip compile " in line]
    words = shlex.split(command)
    assert words[words.index("--python-version") + 1] == _floor()
    assert "--universal" in words and "--all-extras" in words
    assert words[words.index("--output-file") + 1] == LOCK_FILE.as_posix()
    assert words[words.index("--constraint") + 1] == PLATFORM_CONSTRAINTS.relative_to(ROOT).as_posix()
    header = LOCK.read_text(encoding="utf-8").splitlines()[:2]
    assert header[1].strip() == "#    make lock", "the lock's header names the command that writes it"
    conditions = {entry.marker for entry in _lock_entries() if entry.marker}
    assert any("win32" in c for c in conditions) and any("darwin" in c for c in conditions)


def platform_constraints_missed(lock_text: str) -> list[str]:
    """Lines of requirements/platform-constraints.txt that the lock does not follow on a laptop
    of the USB kit their condition names (or that name no such laptop)."""
    from tiktok_lab.kit import usb

    targets = [usb.Target(platform, python) for platform in usb.PLATFORMS.values()
               for python in usb.PYTHONS]
    missed = []
    for line in PLATFORM_CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement = Requirement(line)
        laptops = [t for t in targets if requirement.marker.evaluate(t.marker_environment())]
        versions = {tested_versions.locked_versions(lock_text, t.marker_environment()).get(
            canonicalize_name(requirement.name)) for t in laptops}
        if not laptops or not all(v and requirement.specifier.contains(v) for v in versions):
            missed.append(line)
    return missed


def test_laptops_whose_wheels_the_newest_releases_lack_get_older_ones_in_the_lock() -> None:
    """Intel Macs: the lock forks where requirements/platform-constraints.txt says (no wheel)."""
    text = LOCK.read_text(encoding="utf-8")
    assert not platform_constraints_missed(text)
    unforked = text.replace("argon2-cffi-bindings==25.1.0 ;", "argon2-cffi-bindings==26.2.0 ;")
    assert [line.split(" ;")[0] for line in platform_constraints_missed(unforked)] == [
        "argon2-cffi-bindings<26"]


def _commands(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _make_dry_run(*arguments: str) -> list[str]:
    """The commands make would run (``make -n``), one per line, backslash continuations joined."""
    if shutil.which("make") is None:  # Windows without make: README's pip commands instead
        pytest.skip("make is not installed here")
    done = subprocess.run(["make", "-n", "-B", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.replace("\\\n", " ").splitlines()


@pytest.mark.parametrize("stamp, extras", [(".installed-runtime", "."), (".installed-test", ".[test,hub]")])
def test_make_installs_the_course_under_the_lock(tmp_path: Path, stamp: str, extras: str) -> None:
    venv = tmp_path / "venv"
    lines = _make_dry_run(f"VENV={venv}", f"{venv}/{stamp}")
    [install] = [shlex.split(line) for line in lines if " -e " in line and "pip install" in line]
    assert install[install.index("--constraint") + 1] == LOCK_FILE.as_posix()
    assert install[install.index("-e") + 1] == extras
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^\$\(VENV\)/{re.escape(stamp)}: pyproject.toml \$\(LOCK\)", makefile, re.M), (
        "a change of the lock must reinstall")


def test_the_usb_kit_downloads_under_the_lock_for_each_laptop(tmp_path: Path) -> None:
    from tiktok_lab.kit import usb

    windows = usb.Target(usb.PLATFORMS["windows"], "3.12")
    command = usb.download_command(windows, tmp_path / "r.txt", tmp_path, constraints=tmp_path / "c.txt")
    assert command[command.index("--constraint") + 1] == str(tmp_path / "c.txt")
    entries = _lock_entries()
    for target in [windows, usb.Target(usb.PLATFORMS["linux-x86_64"], "3.11")]:
        expected = sorted(f"{e.name}=={e.version}" for e in entries
                          if e.applies(target.marker_environment()))
        assert sorted(usb.lock_constraints(ROOT, target)) == expected
    win, linux = (set(usb.lock_constraints(ROOT, usb.Target(usb.PLATFORMS[key], "3.12")))
                  for key in ("windows", "linux-x86_64"))
    assert any(line.startswith("pywinpty==") for line in win - linux), "judged for the laptop"


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
    assert pip == ["python -m pip install --constraint requirements/lock.txt ."], pip
    # The environment's own configuration folder, which the Jupyter server of the image reads.
    assert ("tiktok-lab app --install-server-config "
            "\"$(python -c 'import sys; print(sys.prefix)')/etc/jupyter\"") in commands
    assert commands[-1].startswith("tiktok-lab doctor")


def test_the_python_floor_is_the_same_everywhere() -> None:
    from tiktok_lab.course.doctor import MIN_PYTHON

    floor = ".".join(map(str, MIN_PYTHON))
    assert _pyproject()["project"]["requires-python"] == f">={floor}"
    assert f"Python {floor} or newer" in (ROOT / "README.md").read_text(encoding="utf-8")
