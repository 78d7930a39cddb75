"""``tiktok-lab build usb``: the kit's layout, its installers, and a real install with no network.

The slow test at the end builds a kit for this computer from the wheelhouse that
``make test`` fills once (``.cache/wheelhouse``, with network, before pytest),
runs the kit's own ``install.sh`` into a fresh folder with every outside host
cut off, and runs the installed ``tiktok-lab``. Without the wheelhouse it skips
loudly; under ``CI=true`` it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_lab.cli import main as cli
from tiktok_lab.kit import usb as usb_kit
from tiktok_lab.course.doctor import MIN_PYTHON
from tiktok_lab.kit.usb import PLATFORMS, THIS_COMPUTER, KitError, Target

# Builds a USB kit and installs it: left out of `make check` (the full suite runs it).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
WHEELHOUSE = ROOT / ".cache" / "wheelhouse"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SH = shutil.which("sh")

# Loopback only, for Pythons that do not have pytest-socket (a fresh venv): the
# same rule as tests/offline/sitecustomize.py, written without the test extras.
NETWORK_GUARD = '''
import socket
_ALLOWED = {"127.0.0.1", "::1", "localhost"}
def _guard(connect):
    def guarded(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _ALLOWED:
            raise OSError("network blocked by the tiktok-lab tests: " + str(address[0]))
        return connect(self, address, *args)
    return guarded
socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
'''


def offline_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Children see no pip configuration of this machine and cannot leave loopback."""
    guard = tmp_path / "network-guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(NETWORK_GUARD, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PYTHONPATH=str(guard), **extra)
    return env


class RecordingPip:
    """Stands in for pip where only the kit's plan is under test: records, writes a wheel."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []
        self.requirements: list[str] = []
        self.constraints: list[list[str]] = []

    def __call__(self, command):
        command = list(command)
        self.commands.append(command)
        dest = Path(command[command.index("--wheel-dir" if "wheel" in command[3] else "--dest") + 1])
        if command[3] == "download":
            reqs = Path(command[command.index("--requirement") + 1])
            self.requirements = reqs.read_text(encoding="utf-8").split()
            self.constraints.append(
                Path(command[command.index("--constraint") + 1]).read_text(encoding="utf-8").split())
        name = "tiktok_lab-0.1.0-py3-none-any.whl" if command[3] == "wheel" else f"dep{len(self.commands)}.whl"
        (dest / name).write_bytes(b"wheel")
        return subprocess.CompletedProcess(command, 0, "", "")


# --- the plan ------------------------------------------------------------------------

def test_the_kit_asks_for_pyprojects_dependencies_at_the_locks_versions() -> None:
    assert usb_kit.runtime_requirements(ROOT) == PYPROJECT["project"]["dependencies"]
    assert usb_kit.build_requirements(ROOT) == PYPROJECT["build-system"]["requires"]
    # The lock's lines for the laptop, its conditions judged there, not on this computer.
    old_python, new_python = (set(usb_kit.lock_constraints(ROOT, Target(PLATFORMS["macos-arm64"], python)))
                              for python in ("3.11", "3.14"))
    assert any(line.startswith("appnope==") for line in old_python)
    assert not any(line.startswith("pywinpty==") for line in old_python | new_python)
    assert "overrides==7.7.0" in old_python - new_python  # only Pythons before 3.12 need it


def test_a_checkout_without_its_lock_is_refused_before_anything_is_downloaded(tmp_path: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copy(ROOT / "pyproject.toml", root)
    pip = RecordingPip()
    with pytest.raises(KitError) as refused:
        usb_kit.build_usb_kit(root, tmp_path / "stick", usb_kit.choose_targets(["windows"], ["3.12"]),
                              report=lambda _: None, runner=pip)
    assert "requirements/lock.txt" in refused.value.message and "make lock" in refused.value.fix
    assert pip.commands == []


def test_the_oldest_python_of_the_kit_is_the_course_floor() -> None:
    floor = ".".join(map(str, MIN_PYTHON))
    assert usb_kit.PYTHONS[0] == floor and PYPROJECT["project"]["requires-python"] == f">={floor}"
    assert list(usb_kit.PYTHONS) == sorted(usb_kit.PYTHONS, key=lambda v: tuple(map(int, v.split("."))))


def test_each_platform_download_asks_pip_for_its_wheels_only(tmp_path: Path) -> None:
    windows = usb_kit.download_command(Target(PLATFORMS["windows"], "3.12"), tmp_path / "r.txt", tmp_path)
    assert "--only-binary=:all:" in windows
    assert windows[windows.index("--platform") + 1] == "win_amd64"
    assert windows[windows.index("--python-version") + 1] == "3.12"
    assert windows[windows.index("--abi") + 1] == "cp312"
    assert "--no-index" not in windows
    linux = usb_kit.download_command(Target(PLATFORMS["linux-x86_64"], "3.13"), tmp_path / "r.txt", tmp_path)
    tags = [linux[i + 1] for i, word in enumerate(linux) if word == "--platform"]
    assert "manylinux_2_28_x86_64" in tags and "manylinux_2_17_x86_64" in tags and "manylinux2014_x86_64" in tags
    here = usb_kit.download_command(Target(THIS_COMPUTER, "3.11"), tmp_path / "r.txt", tmp_path, tmp_path)
    assert "--platform" not in here and "--python-version" not in here
    assert here[-3:] == ["--no-index", "--find-links", str(tmp_path)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_platform_has_a_label_in_every_language(language: str, monkeypatch) -> None:
    from tiktok_lab.core.i18n import load_strings

    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    strings = load_strings(language)
    for platform in [*PLATFORMS.values(), THIS_COMPUTER]:
        assert platform.label == strings[f"usb_kit.platform.{platform.key.replace('-', '_')}"]


def test_choose_targets_pairs_every_platform_with_every_python() -> None:
    targets = usb_kit.choose_targets(["windows", "macos-arm64"], ["3.11", "3.13"])
    assert [(t.platform.key, t.python) for t in targets] == [
        ("windows", "3.11"), ("windows", "3.13"), ("macos-arm64", "3.11"), ("macos-arm64", "3.13")]
    [here] = usb_kit.choose_targets(["this"], ["3.13"])
    assert here.python == f"{sys.version_info[0]}.{sys.version_info[1]}"


def test_the_kit_folder_has_wheels_notebooks_installers_and_a_readme(tmp_path: Path) -> None:
    pip, lines = RecordingPip(), []
    targets = usb_kit.choose_targets(["windows", "linux-x86_64"], ["3.11", "3.12"])
    out = tmp_path / "stick"
    kit = usb_kit.build_usb_kit(ROOT, out, targets, report=lines.append, runner=pip,
                                today=date(2026, 11, 26))

    assert sorted(p.name for p in out.iterdir()) == ["README.txt", "install.bat", "install.sh",
                                                     "notebooks", "wheels"]
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == sorted(
        [p.name for p in (ROOT / "notebooks").glob("*.ipynb")]
        + ["fr", "sources.fr.md", "sources.md"])
    assert sorted(p.name for p in (out / "notebooks" / "fr").iterdir()) == sorted(
        p.name for p in (ROOT / "notebooks" / "fr").glob("*.ipynb"))
    assert [c[3] for c in pip.commands] == ["wheel"] + ["download"] * 4
    assert pip.requirements == PYPROJECT["project"]["dependencies"]
    assert pip.constraints == [usb_kit.lock_constraints(ROOT, target) for target in targets]
    assert not (out / ".requirements.txt").exists() and not (out / ".constraints.txt").exists()
    assert kit.wheels == 5 and len(kit.targets) == 4
    assert len(lines) == 7 and lines[0].startswith("[1/7]") and lines[-1].startswith("[7/7]")
    assert any("Windows" in line and "3.12" in line for line in lines)
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "2026-11-26" in readme and PYPROJECT["project"]["version"] in readme
    assert all(target.label in readme for target in targets)
    assert os.access(out / "install.sh", os.X_OK)


def test_a_second_build_updates_a_kit_but_never_writes_into_another_folder(tmp_path: Path) -> None:
    out = tmp_path / "stick"
    targets = usb_kit.choose_targets(["windows"], ["3.12"])
    usb_kit.build_usb_kit(ROOT, out, targets, report=lambda _: None, runner=RecordingPip())
    (out / "wheels" / "tiktok_lab-0.0.9-py3-none-any.whl").write_bytes(b"old")
    usb_kit.build_usb_kit(ROOT, out, targets, report=lambda _: None, runner=RecordingPip())
    assert [p.name for p in (out / "wheels").glob("tiktok_lab-*")] == ["tiktok_lab-0.1.0-py3-none-any.whl"]

    holiday = tmp_path / "photos"
    holiday.mkdir()
    (holiday / "beach.jpg").write_bytes(b"jpg")
    with pytest.raises(KitError, match="other files"):
        usb_kit.build_usb_kit(ROOT, holiday, targets, report=lambda _: None, runner=RecordingPip())
    assert [p.name for p in holiday.iterdir()] == ["beach.jpg"]


def test_edited_notebooks_never_go_on_the_stick(tmp_path: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copy(ROOT / "pyproject.toml", root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "notebooks"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
                   check=True)
    with open(root / "notebooks" / "03_feed.ipynb", "a", encoding="utf-8") as notebook:
        notebook.write("\n")
    with pytest.raises(KitError) as refused:
        usb_kit.build_usb_kit(root, tmp_path / "stick", usb_kit.choose_targets(["windows"], ["3.12"]),
                              report=lambda _: None, runner=RecordingPip())
    assert "03_feed.ipynb" in refused.value.message and "reset --notebooks" in refused.value.fix


def _wheel(folder: Path, name: str, *requires: str) -> Path:
    path = folder / f"{name}-1.0-py3-none-any.whl"
    metadata = "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n" + "".join(
        f"Requires-Dist: {line}\n" for line in requires)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-1.0.dist-info/METADATA", metadata)
    return path


def test_dependencies_only_the_laptops_platform_needs_are_found(tmp_path: Path) -> None:
    """pip evaluates ``; os_name == "nt"`` for the computer building the kit, not for the laptop."""
    wheels = [
        _wheel(tmp_path, "terminado", 'pywinpty>=1.1.0; os_name == "nt"', 'ptyprocess; os_name != "nt"'),
        _wheel(tmp_path, "ipykernel", 'appnope>=0.1.2; platform_system == "Darwin"', "comm>=0.1.1"),
        _wheel(tmp_path, "ipython", 'colorama>=0.4.4; sys_platform == "win32"',
               'exceptiongroup; python_version < "3.11"', 'pytest; extra == "test"'),
        _wheel(tmp_path, "ptyprocess"), _wheel(tmp_path, "comm"),
    ]

    def missing(platform: str) -> list[str]:
        target = Target(PLATFORMS[platform], "3.12")
        return usb_kit.missing_platform_requirements(wheels, target.marker_environment())

    assert missing("windows") == ["pywinpty>=1.1.0", "colorama>=0.4.4"]
    assert missing("macos-arm64") == missing("macos-x86_64") == ["appnope>=0.1.2"]
    assert missing("linux-x86_64") == []


def test_each_laptop_platform_gets_its_own_extra_wheels(tmp_path: Path) -> None:
    """The second download round asks for what the first one's wheels need on that platform."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    first = _wheel(wheels, "terminado", 'pywinpty>=1.1.0; os_name == "nt"')
    asked: list[str] = []
    constrained: list[str] = []

    def pip(command):
        requirements = Path(command[command.index("--requirement") + 1]).read_text(encoding="utf-8")
        asked.append(requirements.strip())
        constrained.append(command[command.index("--constraint") + 1])
        saved = first if "terminado" in requirements else _wheel(wheels, "pywinpty")
        return subprocess.CompletedProcess(command, 0, f"Saved {saved}\nSuccessfully downloaded\n", "")

    (tmp_path / "r.txt").write_text("terminado==1.0\n", encoding="utf-8")
    lock = tmp_path / "c.txt"  # the lock's lines for Windows: pywinpty at its locked version
    usb_kit.download_for(Target(PLATFORMS["windows"], "3.13"), tmp_path / "r.txt", wheels, None, pip,
                         lock)
    assert asked == ["terminado==1.0", "pywinpty>=1.1.0"]
    assert constrained == [str(lock)] * 2, "the second round is under the lock too"
    asked.clear()
    usb_kit.download_for(Target(PLATFORMS["linux-x86_64"], "3.13"), tmp_path / "r.txt", wheels, None, pip,
                         lock)
    assert asked == ["terminado==1.0"]


# --- what pip says, in plain words ------------------------------------------------------

def test_no_internet_says_so_and_what_to_do(tmp_path: Path, monkeypatch, capsys) -> None:
    """A real pip run against an index nobody answers on: the room-without-Wi-Fi case."""
    project = tmp_path / "course"
    (project / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", project / "notebooks")
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copytree(ROOT / "requirements", project / "requirements")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    for key in [k for k in os.environ if k.startswith("PIP_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{closed}/simple")
    monkeypatch.setenv("PIP_RETRIES", "1")  # the default is 5; its warnings name the cause
    monkeypatch.chdir(project)

    assert cli.main(["build", "usb", "--out", str(tmp_path / "stick"), "--platform", "windows",
                     "--python", "3.12"]) == 1
    captured = capsys.readouterr()
    assert "[1/4]" in captured.out
    assert "PyPI cannot be reached" in captured.err
    assert "Connect this computer to the Internet and run the same command again" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_a_missing_wheel_names_the_package_and_the_platform() -> None:
    target = Target(PLATFORMS["windows"], "3.14").label
    output = "ERROR: Could not find a version that satisfies the requirement pywinpty==3.0.2\n" \
             "ERROR: No matching distribution found for pywinpty==3.0.2\n"
    error = usb_kit.explain_pip_failure(output, target, None)
    assert "pywinpty==3.0.2" in error.message and "Windows" in error.message and "3.14" in error.message
    assert "--python" in error.fix
    # Under the lock's constraints pip words it as a conflict, then names the package.
    conflict = ("The conflict is caused by:\n    The user requested numpy<3 and >=2.4.6\n"
                "    The user requested (constraint) numpy==2.4.6\n\nAdditionally, some packages in "
                "these conflicts have no matching distributions available for your environment:\n"
                "    numpy\n\nERROR: ResolutionImpossible: for help visit https://pip.pypa.io\n")
    error = usb_kit.explain_pip_failure(conflict, target, None)
    assert error.message.startswith("numpy has no ready-made wheel for Windows"), error.message
    other = usb_kit.explain_pip_failure("ERROR: something unexpected\nbad wheel", target, None)
    assert "bad wheel" in other.message


def test_the_build_usb_command_asks_for_a_folder_and_has_nothing_to_check(capsys, tmp_path) -> None:
    assert cli.main(["build", "usb"]) == 2
    assert "--out FOLDER" in capsys.readouterr().err
    assert cli.main(["build", "usb", "--check", "--out", str(tmp_path / "stick")]) == 2
    assert "--check does not apply to usb" in capsys.readouterr().err
    assert not (tmp_path / "stick").exists()


# --- the installers ------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "fr"])
def test_install_sh_is_valid_shell_and_installs_from_the_stick_only(language: str, monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    script = usb_kit.install_sh(["3.11", "3.12"])
    if SH:
        subprocess.run([SH, "-n", "-c", script], check=True)
    assert re.search(r'-m pip install [^\n]*--no-index --find-links "\$KIT/wheels" tiktok-lab', script)
    assert 'KIT=$(cd "$(dirname "$0")" && pwd)' in script
    assert "./.venv/bin/tiktok-lab doctor" in script
    assert 'TARGET=${1:-"$HOME/tiktok-lab"}' in script
    assert "for candidate in python3.12 python3.11 python3 python;" in script
    assert "\r" not in script


@pytest.mark.parametrize("language", ["en", "fr"])
def test_install_bat_installs_from_the_stick_only_with_windows_line_endings(language: str,
                                                                             monkeypatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    script = usb_kit.install_bat(["3.11", "3.12", "3.13"])
    lines = script.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)
    assert any(re.search(r'-m pip install .*--no-index --find-links "%KIT%wheels" tiktok-lab', line)
               for line in lines)
    assert 'set "KIT=%~dp0"' in lines
    assert '".venv\\Scripts\\tiktok-lab.exe" doctor || goto doctor_failed' in lines
    assert any(line.startswith("for %%v in (3.13 3.12 3.11) do") for line in lines)
    labels = {line[1:] for line in lines if line.startswith(":")}
    assert set(re.findall(r"goto (\w+)", script)) <= labels


@pytest.mark.skipif(SH is None, reason="no POSIX shell on this machine")
def test_install_sh_without_a_suitable_python_explains_and_stops(tmp_path: Path) -> None:
    (tmp_path / "install.sh").write_text(usb_kit.install_sh(["3.99"]), encoding="utf-8")
    done = subprocess.run([SH, str(tmp_path / "install.sh"), str(tmp_path / "course")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "No suitable Python was found" in done.stdout and "3.99" in done.stdout
    assert not (tmp_path / "course").exists()


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)


@pytest.mark.skipif(SH is None, reason="no POSIX shell on this machine")
@settings(max_examples=40, deadline=None)
@given(text=_TEXT)
def test_any_translation_is_printed_by_sh_never_run(text: str) -> None:
    done = subprocess.run([SH, "-c", "TARGET='/the folder'; say() { printf '%s' \"$1\"; }; "
                          + usb_kit.sh_line(text + " {folder}", {"folder": "TARGET"})],
                          capture_output=True, timeout=30)
    assert done.stdout.decode("utf-8") == text + " /the folder"


@settings(max_examples=200)
@given(text=_TEXT)
def test_any_translation_is_escaped_for_cmd_echo(text: str) -> None:
    line = usb_kit.bat_line(text)
    assert line.startswith("echo(")
    body = line[len("echo("):]
    unescaped = re.sub(r"\^(.)", r"\1", body).replace("%%", "%")
    assert unescaped == text
    assert not re.search(r"(?<!\^)[&|<>()]", re.sub(r"\^\^", "", body))
    assert usb_kit.bat_line("In {folder}", {"folder": "TARGET"}) == "echo(In %TARGET%"


# --- the real thing: build, install with no network, run --------------------------------

@pytest.fixture(scope="module")
def wheelhouse() -> Path:
    if not (WHEELHOUSE / usb_kit.WHEELHOUSE_COMPLETE).is_file():
        message = (f"{WHEELHOUSE} is not filled: run `make test` (it downloads this computer's wheels "
                   "once) or `python -m tiktok_lab.kit.usb wheelhouse .cache/wheelhouse`")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return WHEELHOUSE


def test_no_wheel_in_a_local_folder_names_the_package_and_the_folder(wheelhouse: Path, tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(usb_kit.runtime_requirements(ROOT)), encoding="utf-8")
    target = Target(PLATFORMS["windows"], "3.12")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(usb_kit.lock_constraints(ROOT, target)), encoding="utf-8")
    command = usb_kit.download_command(target, requirements, tmp_path / "wheels", wheelhouse,
                                       constraints)
    done = subprocess.run(command, capture_output=True, text=True, env=offline_env(tmp_path), timeout=300)
    assert done.returncode != 0
    error = usb_kit.explain_pip_failure(done.stdout + done.stderr, target.label, wheelhouse)
    assert str(wheelhouse) in error.message and "Windows" in error.message
    # The package pip could not find: one the lock pins.
    missing = re.match(r"([A-Za-z0-9_.\-]+)", error.message).group(1)
    assert any(line.startswith(f"{missing}==") for line in usb_kit.lock_constraints(ROOT, target)), (
        error.message)


def test_usb_kit_installs_and_runs_with_no_network(wheelhouse: Path, tmp_path: Path) -> None:
    """Build the kit from local wheels, run its install.sh into a fresh folder, use the course."""
    if SH is None:
        pytest.skip("no POSIX shell: install.sh cannot run here")
    env = offline_env(tmp_path)
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    # install.sh looks for python3.X on PATH: give it this very interpreter's base.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / f"python{python}").symlink_to(getattr(sys, "_base_executable", sys.executable))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    guard = subprocess.run([str(bin_dir / f"python{python}"), "-c",
                            "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert "network blocked" in guard.stderr, "the guard must cut the network before the install"

    stick, course = tmp_path / "stick", tmp_path / "laptop" / "tiktok-lab"
    course.parent.mkdir()
    started = time.perf_counter()
    build = subprocess.run([sys.executable, "-m", "tiktok_lab", "build", "usb", "--out", str(stick),
                            "--platform", "this", "--wheels-from", str(wheelhouse)],
                           cwd=ROOT, capture_output=True, text=True, env=env, timeout=900)
    assert build.returncode == 0, build.stdout + build.stderr
    built = time.perf_counter()
    [own] = (stick / "wheels").glob("tiktok_lab-*.whl")
    with zipfile.ZipFile(own) as wheel:
        packed = {Path(name).name for name in wheel.namelist() if name.startswith("tiktok_lab/course/notebooks/")}
    assert packed == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}

    # A relative folder, as a participant would type it: start.sh must still work from anywhere.
    install = subprocess.run([SH, str(stick / "install.sh"), "tiktok-lab"], cwd=course.parent,
                             capture_output=True, text=True, env=env, timeout=1500)
    installed = time.perf_counter()
    output = install.stdout + install.stderr
    assert install.returncode == 0, output[-4000:]
    assert "All good: the workshop can start." in output
    assert sorted(p.name for p in (course / "notebooks").glob("*.ipynb")) == sorted(packed)
    assert f'cd "{course}"' in (course / "start.sh").read_text(encoding="utf-8")

    tiktok_lab = course / ".venv" / "bin" / "tiktok-lab"
    helped = subprocess.run([str(tiktok_lab), "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert helped.returncode == 0 and "doctor" in helped.stdout
    where = subprocess.run([str(course / ".venv" / "bin" / "python"), "-c",
                            "import tiktok_lab, sys; print(tiktok_lab.__file__); print(sys.prefix)"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert where.stdout.splitlines()[0].startswith(str(course / ".venv")), where.stdout
    print(f"\nUSB kit: build {built - started:.0f} s, install.sh (venv, pip from local wheels, doctor) "
          f"{installed - built:.0f} s")


def test_a_french_kit_starts_the_french_edition() -> None:
    """`build usb --lang fr`: start.sh and start.bat open notebooks/fr/ with French menus."""
    from tiktok_lab.core.i18n import speaking
    from tiktok_lab.kit.usb import install_bat, install_sh

    with speaking("fr"):
        french = install_sh(["3.11"]) + install_bat(["3.11"])
    english = install_sh(["3.11"]) + install_bat(["3.11"])
    assert french.count("lab --lang fr") == 2
    assert "--lang" not in english
