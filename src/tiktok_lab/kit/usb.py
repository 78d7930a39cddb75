"""``tiktok-lab build usb``: a folder for a USB stick, to install the course with no Internet.

Over 400 lines: one build whose steps (versions, wheels per platform, install scripts, README)
run in order on shared versions.

Workshop rooms often have weak or no Wi-Fi, and thirty laptops downloading
JupyterLab at once saturate even a good one. The kit carries every wheel the
course needs for each platform and Python it supports, so a participant's
laptop installs with ``pip install --no-index --find-links wheels tiktok-lab``
and never touches the network. The versions are the tested ones: pip is given
``pyproject.toml``'s ranges as requirements and the lock (``requirements/lock.txt``,
every package of the tested environment) as constraints, the lock's lines chosen for
each laptop's platform and Python (``core/tested_versions.py``).

Only wheels go on the stick (``--only-binary=:all:``): participants have no
compiler, and a source package that needs one would fail in the room, not here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Sequence

from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, get_language, t
from tiktok_lab.core.tested_versions import LOCK_FILE, constraints_for

DISTRIBUTION = "tiktok-lab"
WHEELS = "wheels"
NOTEBOOKS = "notebooks"
INSTALL_SH = "install.sh"
INSTALL_BAT = "install.bat"
README = "README.txt"
DEFAULT_FOLDER_NAME = "tiktok-lab"

# The Pythons a kit carries wheels for: the floor is requires-python (tested in
# tests/test_usb_kit.py), the newest is the newest every pinned dependency ships
# wheels for at the locked versions (see workshop/offline.md for the table).
PYTHONS = ("3.11", "3.12", "3.13", "3.14")


@dataclass(frozen=True)
class Platform:
    """A kind of laptop, and the pip platform tags its wheels may carry.

    ``tags`` is empty for "this computer": pip then uses the running
    interpreter's own tags and Python version.
    """

    key: str
    tags: tuple[str, ...]
    markers: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return t(f"usb_kit.platform.{self.key.replace('-', '_')}")


def _markers(os_name: str, sys_platform: str, system: str, machine: str) -> tuple[tuple[str, str], ...]:
    return (("os_name", os_name), ("sys_platform", sys_platform), ("platform_system", system),
            ("platform_machine", machine))


# pip expands macOS tags to older compatible releases itself, but not
# manylinux_2_x ones: list every glibc from the floor (2.17) to 2.28.
_MANYLINUX = tuple(f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1))

PLATFORMS = {
    platform.key: platform
    for platform in (
        Platform("windows", ("win_amd64",), _markers("nt", "win32", "Windows", "AMD64")),
        Platform("macos-arm64", ("macosx_12_0_arm64",), _markers("posix", "darwin", "Darwin", "arm64")),
        Platform("macos-x86_64", ("macosx_12_0_x86_64",), _markers("posix", "darwin", "Darwin", "x86_64")),
        Platform("linux-x86_64", (*_MANYLINUX, "manylinux2014_x86_64"),
                 _markers("posix", "linux", "Linux", "x86_64")),
    )
}
THIS_COMPUTER = Platform("this", ())


@dataclass(frozen=True)
class Target:
    """One platform and one Python: one ``pip download`` run."""

    platform: Platform
    python: str

    @property
    def label(self) -> str:
        return f"{self.platform.label}, Python {self.python}"

    def marker_environment(self) -> dict[str, str]:
        """What ``; sys_platform == "win32"``-style conditions see on the participant's laptop."""
        return {**dict(self.platform.markers), "python_version": self.python,
                "python_full_version": f"{self.python}.0", "implementation_name": "cpython",
                "platform_python_implementation": "CPython", "extra": ""}

    def lock_environment(self) -> dict[str, str] | None:
        """Where the lock's conditions are judged: the laptop, or (None) this very computer."""
        return self.marker_environment() if self.platform.markers else None


class KitError(Exception):
    """A step failed: ``message`` says what, ``fix`` says what to do."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


@dataclass(frozen=True)
class Kit:
    folder: Path
    targets: tuple[Target, ...]
    wheels: int
    megabytes: float


def running_python() -> str:
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def choose_targets(platforms: Sequence[str], pythons: Sequence[str]) -> list[Target]:
    """Every platform × Python pair asked for; ``this`` means this computer's own Python."""
    targets: list[Target] = []
    for key in platforms:
        if key == THIS_COMPUTER.key:
            targets.append(Target(THIS_COMPUTER, running_python()))
            continue
        targets.extend(Target(PLATFORMS[key], python) for python in pythons)
    return targets


def project_table(root: Path) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))


def runtime_requirements(root: Path) -> list[str]:
    """The runtime dependencies, exactly as ``pyproject.toml`` declares them (ranges)."""
    return list(project_table(root)["project"]["dependencies"])


def lock_constraints(root: Path, target: Target) -> list[str]:
    """The lock's ``name==version`` lines for ``target``'s laptop, conditions already judged."""
    lock = root / LOCK_FILE
    if not lock.is_file():
        raise KitError(t("usb_kit.error.no_lock", file=str(lock)), t("usb_kit.fix.no_lock"))
    return constraints_for(target.lock_environment(), lock.read_text(encoding="utf-8"))


def build_requirements(root: Path) -> list[str]:
    """What building tiktok-lab's own wheel needs (the hatchling pin)."""
    return list(project_table(root)["build-system"]["requires"])


def pip_source_options(wheels_from: Path | None) -> list[str]:
    """Where pip looks: PyPI, or only a local folder of wheels (no network at all)."""
    return [] if wheels_from is None else ["--no-index", "--find-links", str(wheels_from)]


def download_command(target: Target, requirements: Path, dest: Path,
                     wheels_from: Path | None = None, constraints: Path | None = None) -> list[str]:
    """``pip download`` of every wheel one platform × Python needs, and nothing to compile.

    ``constraints`` (the lock's lines for this target) fixes every version, indirect ones too.
    """
    command = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
               "--only-binary=:all:", "--dest", str(dest), "--requirement", str(requirements)]
    if constraints is not None:
        command += ["--constraint", str(constraints)]
    if target.platform.tags:
        for tag in target.platform.tags:
            command += ["--platform", tag]
        abi = "cp" + target.python.replace(".", "")
        command += ["--python-version", target.python, "--implementation", "cp", "--abi", abi]
    return command + pip_source_options(wheels_from)


def wheel_command(root: Path, dest: Path, wheels_from: Path | None = None) -> list[str]:
    """Build tiktok-lab's wheel with the project's own backend (it packs the notebooks)."""
    return [sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--no-deps",
            "--wheel-dir", str(dest), str(root), *pip_source_options(wheels_from)]


# --- what pip said -----------------------------------------------------------------

NETWORK_SIGNS = (
    "Failed to establish a new connection", "Temporary failure in name resolution",
    "Name or service not known", "nodename nor servname", "Network is unreachable",
    "Connection refused", "ConnectTimeoutError", "Read timed out", "ProxyError",
    "SSLError", "No route to host",
)
NO_MATCH = re.compile(r"No matching distribution found for (\S+)")
# Under the lock's constraints pip reports a missing wheel as a conflict, then names it.
NO_DISTRIBUTION = re.compile(r"no matching distributions available for your environment:\s*\n\s+(\S+)")


def explain_pip_failure(output: str, what: str, wheels_from: Path | None) -> KitError:
    """Turn pip's output into one sentence and the thing to do next."""
    missing = NO_MATCH.search(output) or NO_DISTRIBUTION.search(output)
    if wheels_from is None and any(sign in output for sign in NETWORK_SIGNS):
        return KitError(t("usb_kit.error.network", what=what), t("usb_kit.fix.network"))
    if missing and wheels_from is not None:
        return KitError(t("usb_kit.error.not_in_folder", package=missing.group(1), what=what,
                          folder=str(wheels_from)), t("usb_kit.fix.not_in_folder"))
    if missing:
        return KitError(t("usb_kit.error.no_wheel", package=missing.group(1), what=what),
                        t("usb_kit.fix.no_wheel"))
    tail = "\n".join(line for line in output.strip().splitlines()[-6:])
    return KitError(t("usb_kit.error.pip", what=what, output=tail), t("usb_kit.fix.pip"))


Runner = Callable[[Sequence[str]], subprocess.CompletedProcess]
SAVED = re.compile(r"^\s*(?:Saved|File was already downloaded) (.+\.whl)\s*$", re.M)


def saved_wheels(output: str) -> list[Path]:
    """The wheels one ``pip download`` run chose (fetched now or found in the folder)."""
    return [Path(match) for match in SAVED.findall(output)]


def _requires_dist(wheel: Path) -> list[str]:
    from email.parser import HeaderParser

    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist()
                  if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        metadata = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []


def missing_platform_requirements(wheels: Iterable[Path], environment: dict[str, str]) -> list[str]:
    """Dependencies the target laptop needs that pip, running here, left out.

    ``pip download --platform`` evaluates ``; os_name == "nt"`` conditions for
    the computer it runs on, not for the laptop: a kit built on Linux would lack
    pywinpty and colorama (Windows) and appnope (macOS), and fail in the room.
    Conditions on extras are left to pip (the kit asks for none).
    """
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename

    wheels = list(wheels)
    present = {canonicalize_name(parse_wheel_filename(wheel.name)[0]) for wheel in wheels}
    missing: list[str] = []
    for wheel in wheels:
        for line in _requires_dist(wheel):
            requirement = Requirement(line)
            marker = requirement.marker
            if (marker is None or "extra" in str(marker) or not marker.evaluate(environment)
                    or canonicalize_name(requirement.name) in present):
                continue
            requirement.marker = None
            if str(requirement) not in missing:
                missing.append(str(requirement))
    return missing


def run_pip(command: Sequence[str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), capture_output=True, text=True, check=False)


def _run_step(command: Sequence[str], what: str, wheels_from: Path | None,
              runner: Runner) -> str:
    done = runner(command)
    if done.returncode != 0:
        raise explain_pip_failure(f"{done.stdout}\n{done.stderr}", what, wheels_from)
    return done.stdout or ""


def download_for(target: Target, requirements: Path, dest: Path, wheels_from: Path | None,
                 runner: Runner, constraints: Path | None = None) -> None:
    """Every wheel ``target`` needs, including the ones only its own platform asks for.

    ``constraints`` holds the lock's lines for ``target``: both rounds download under it, so
    the wheels only a Windows or macOS laptop needs are at their locked versions too.
    """
    output = _run_step(download_command(target, requirements, dest, wheels_from, constraints),
                       target.label, wheels_from, runner)
    if not target.platform.markers:
        return  # this computer: pip already evaluated the conditions for it
    chosen = saved_wheels(output)
    extra = requirements.with_name(".platform-requirements.txt")
    for _ in range(5):  # each round may bring a dependency with its own condition
        missing = missing_platform_requirements(chosen, target.marker_environment())
        if not missing:
            return
        extra.write_text("\n".join(missing) + "\n", encoding="utf-8")
        try:
            output = _run_step(download_command(target, extra, dest, wheels_from, constraints),
                               target.label, wheels_from, runner)
        finally:
            extra.unlink()
        chosen += saved_wheels(output)


# --- the kit's own files -----------------------------------------------------------

def _render(template: str, variables: dict[str, str] | None,
            variable: Callable[[str], str], literal: Callable[[str], str]) -> str:
    """``template`` with each ``{name}`` of ``variables`` as a script variable, the rest as quoted text."""
    variables = variables or {}
    parts = []
    for piece in re.split(r"(\{\w+\})", template):
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name in variables:
            parts.append(variable(variables[name]))
        elif piece:
            parts.append(literal(piece))
    return "".join(parts)


def sh_text(template: str, variables: dict[str, str] | None = None) -> str:
    """``template`` as one POSIX shell word; ``{name}`` becomes ``"$VAR"``.

    Literal text is single-quoted, so apostrophes, ``$`` and backticks in a
    translation are printed, never run.
    """
    return _render(template, variables, lambda name: f'"${{{name}}}"',
                   lambda text: "'" + text.replace("'", "'\\''") + "'") or "''"


def sh_line(template: str, variables: dict[str, str] | None = None) -> str:
    """A line of ``install.sh`` that prints ``template``."""
    return "say " + sh_text(template, variables)


_BAT_SPECIAL = re.compile(r"([\^&|<>()])")


def bat_line(template: str, variables: dict[str, str] | None = None) -> str:
    """A cmd.exe ``echo`` line; ``{name}`` becomes ``%VAR%`` and specials are escaped."""
    return "echo(" + _render(template, variables, lambda name: f"%{name}%",
                             lambda text: _BAT_SPECIAL.sub(r"^\1", text.replace("%", "%%")))


def _lab_options() -> str:
    """What ``start.sh``/``start.bat`` pass to ``tiktok-lab lab``: a kit built in French
    (``build usb --lang fr``) opens the French edition, JupyterLab's menus included."""
    language = get_language()
    return "" if language == DEFAULT_LANGUAGE else f" --lang {language}"


def install_sh(pythons: Sequence[str]) -> str:
    """The macOS/Linux installer: venv on the laptop, wheels from the stick, then doctor."""
    wanted = " ".join(pythons)
    candidates = " ".join([*(f"python{p}" for p in sorted(pythons, reverse=True)), "python3", "python"])
    say = sh_line
    lab_options = _lab_options()
    return f"""#!/bin/sh
# tiktok-lab: install from this USB stick on macOS or Linux, with no Internet.
# Usage: sh install.sh [FOLDER]    (default: $HOME/{DEFAULT_FOLDER_NAME})
set -u
say() {{ printf '%s\\n' "$1"; }}
fail() {{ say "$1"; exit 1; }}
KIT=$(cd "$(dirname "$0")" && pwd)
TARGET=${{1:-"$HOME/{DEFAULT_FOLDER_NAME}"}}
PYTHON=""
for candidate in {candidates}; do
  command -v "$candidate" >/dev/null 2>&1 || continue
  version=$("$candidate" -c 'import sys; print(".".join(map(str, sys.version_info[:2])))' 2>/dev/null) || continue
  case " {wanted} " in *" $version "*) PYTHON=$candidate; break ;; esac
done
if [ -z "$PYTHON" ]; then
  {say(t("usb_kit.script.no_python", pythons=wanted))}
  {say(t("usb_kit.script.python_hint"))}
  exit 1
fi
{say(t("usb_kit.script.step_venv", folder="{folder}"), {"folder": "TARGET"})}
mkdir -p "$TARGET" && TARGET=$(cd "$TARGET" && pwd) && "$PYTHON" -m venv "$TARGET/.venv" \
  || fail {sh_text(t("usb_kit.script.venv_failed"))}
{say(t("usb_kit.script.step_install"))}
"$TARGET/.venv/bin/python" -m pip install --disable-pip-version-check --no-index --find-links "$KIT/{WHEELS}" {DISTRIBUTION} \\
  || fail {sh_text(t("usb_kit.script.install_failed"))}
{say(t("usb_kit.script.step_notebooks"))}
mkdir -p "$TARGET/{NOTEBOOKS}/fr"
for notebook in "$KIT/{NOTEBOOKS}"/*.ipynb "$KIT/{NOTEBOOKS}"/sources*.md "$KIT/{NOTEBOOKS}"/fr/*.ipynb; do
  [ -e "$notebook" ] || continue
  name=${{notebook#"$KIT/{NOTEBOOKS}/"}}
  [ -e "$TARGET/{NOTEBOOKS}/$name" ] || cp "$notebook" "$TARGET/{NOTEBOOKS}/$name"
done
printf '#!/bin/sh\\ncd "%s" && exec ./.venv/bin/tiktok-lab lab{lab_options} "$@"\\n' "$TARGET" > "$TARGET/start.sh"
chmod +x "$TARGET/start.sh"
{say(t("usb_kit.script.step_doctor"))}
cd "$TARGET" && ./.venv/bin/tiktok-lab doctor || fail {sh_text(t("usb_kit.script.doctor_failed"))}
{say(t("usb_kit.script.done_sh", folder="{folder}"), {"folder": "TARGET"})}
"""


def install_bat(pythons: Sequence[str]) -> str:
    """The Windows installer (double-click): the same steps as ``install.sh``, in cmd.exe."""
    newest_first = " ".join(sorted(pythons, reverse=True))
    echo = bat_line
    lines = [
        "@echo off",
        "rem tiktok-lab: install from this USB stick on Windows, with no Internet.",
        f"rem Usage: install.bat [FOLDER]    (default: %USERPROFILE%\\{DEFAULT_FOLDER_NAME})",
        "chcp 65001 >nul",
        "setlocal",
        'set "KIT=%~dp0"',
        'set "TARGET=%~1"',
        f'if "%TARGET%"=="" set "TARGET=%USERPROFILE%\\{DEFAULT_FOLDER_NAME}"',
        'set "PY="',
        f'for %%v in ({newest_first}) do if not defined PY py -%%v -c "" >nul 2>&1 && set "PY=py -%%v"',
        f"for %%v in ({newest_first}) do if not defined PY python -c \"import sys; "
        "sys.exit('.'.join(map(str, sys.version_info[:2])) != '%%v')\" >nul 2>&1 && set \"PY=python\"",
        "if not defined PY goto no_python",
        echo(t("usb_kit.script.step_venv", folder="{folder}"), {"folder": "TARGET"}),
        'if not exist "%TARGET%" mkdir "%TARGET%"',
        # start.bat must work from anywhere: keep the folder as an absolute path.
        'for %%i in ("%TARGET%") do set "TARGET=%%~fi"',
        '%PY% -m venv "%TARGET%\\.venv" || goto venv_failed',
        echo(t("usb_kit.script.step_install")),
        f'"%TARGET%\\.venv\\Scripts\\python.exe" -m pip install --disable-pip-version-check '
        f'--no-index --find-links "%KIT%{WHEELS}" {DISTRIBUTION} || goto install_failed',
        echo(t("usb_kit.script.step_notebooks")),
        f'if not exist "%TARGET%\\{NOTEBOOKS}\\fr" mkdir "%TARGET%\\{NOTEBOOKS}\\fr"',
        f'for %%f in ("%KIT%{NOTEBOOKS}\\*.ipynb" "%KIT%{NOTEBOOKS}\\sources*.md") do '
        f'if not exist "%TARGET%\\{NOTEBOOKS}\\%%~nxf" '
        f'copy "%%f" "%TARGET%\\{NOTEBOOKS}\\" >nul',
        f'for %%f in ("%KIT%{NOTEBOOKS}\\fr\\*.ipynb") do '
        f'if not exist "%TARGET%\\{NOTEBOOKS}\\fr\\%%~nxf" '
        f'copy "%%f" "%TARGET%\\{NOTEBOOKS}\\fr\\" >nul',
        '> "%TARGET%\\start.bat" echo @echo off',
        '>> "%TARGET%\\start.bat" echo cd /d "%TARGET%"',
        f'>> "%TARGET%\\start.bat" echo ".venv\\Scripts\\tiktok-lab.exe" lab{_lab_options()}',
        echo(t("usb_kit.script.step_doctor")),
        'cd /d "%TARGET%"',
        '".venv\\Scripts\\tiktok-lab.exe" doctor || goto doctor_failed',
        echo(t("usb_kit.script.done_bat", folder="{folder}"), {"folder": "TARGET"}),
        "pause",
        "exit /b 0",
        ":no_python",
        echo(t("usb_kit.script.no_python", pythons=" ".join(pythons))),
        echo(t("usb_kit.script.python_hint")),
        "goto stop",
        ":venv_failed",
        echo(t("usb_kit.script.venv_failed")),
        "goto stop",
        ":install_failed",
        echo(t("usb_kit.script.install_failed")),
        "goto stop",
        ":doctor_failed",
        echo(t("usb_kit.script.doctor_failed")),
        ":stop",
        "pause",
        "exit /b 1",
    ]
    return "\r\n".join(lines) + "\r\n"


def readme_text(targets: Sequence[Target], version: str, built: date) -> str:
    """What the person holding the stick needs: what is on it, how to install, what can go wrong."""
    covered = "\n".join(f"  - {target.label}" for target in targets)
    return t("usb_kit.readme", version=version, date=built.isoformat(), targets=covered,
             wheels=WHEELS, notebooks=NOTEBOOKS, folder=DEFAULT_FOLDER_NAME) + "\n"


# --- assembling the folder ---------------------------------------------------------

def _check_out_folder(out: Path) -> None:
    """Refuse to write into a folder that holds something else than a previous kit."""
    if not out.exists():
        return
    if not out.is_dir():
        raise KitError(t("usb_kit.error.out_not_folder", folder=str(out)), t("usb_kit.fix.out"))
    entries = {entry.name for entry in out.iterdir()}
    if entries and not {WHEELS, README} <= entries:
        raise KitError(t("usb_kit.error.out_not_empty", folder=str(out)), t("usb_kit.fix.out"))


def _changed_notebooks(root: Path) -> list[str]:
    """Notebooks that differ from the committed ones (a trainer's outputs or edits)."""
    from tiktok_lab.course.course_source import committed_notebooks

    def differs(name: str, content: bytes) -> bool:
        path = root / NOTEBOOKS / name
        return not path.is_file() or path.read_bytes() != content

    return sorted(name for name, content in committed_notebooks(root).items() if differs(name, content))


def _write(path: Path, text: str, *, executable: bool = False) -> None:
    # newline="" keeps install.bat's CRLF and install.sh's LF as generated.
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    if executable:
        path.chmod(0o755)


def build_usb_kit(root: Path, out: Path, targets: Sequence[Target], *,
                  wheels_from: Path | None = None, report: Callable[[str], None] = print,
                  runner: Runner = run_pip, today: date | None = None) -> Kit:
    """Assemble the kit in ``out``, reporting one status line per step.

    Raises ``KitError`` with the fix when a step fails; wheels already
    downloaded stay in ``out/wheels`` so a second run only fetches what is missing.
    """
    if not targets:
        raise KitError(t("usb_kit.error.no_target"), t("usb_kit.fix.no_target"))
    _check_out_folder(out)
    changed = _changed_notebooks(root)
    if changed:
        raise KitError(t("usb_kit.error.notebooks_changed", names=", ".join(changed)),
                       t("usb_kit.fix.notebooks_changed"))
    locked = {target: lock_constraints(root, target) for target in targets}
    wheels = out / WHEELS
    wheels.mkdir(parents=True, exist_ok=True)
    steps = len(targets) + 3
    version = project_table(root)["project"]["version"]

    report(t("usb_kit.step.wheel", step=1, steps=steps))
    for old in wheels.glob("tiktok_lab-*.whl"):
        old.unlink()  # a kit carries one version of the course, the one just built
    _run_step(wheel_command(root, wheels, wheels_from), "tiktok-lab", wheels_from, runner)

    requirements, constraints = out / ".requirements.txt", out / ".constraints.txt"
    requirements.write_text("\n".join(runtime_requirements(root)) + "\n", encoding="utf-8")
    try:
        for number, target in enumerate(targets, start=2):
            report(t("usb_kit.step.download", step=number, steps=steps, target=target.label))
            constraints.write_text("\n".join(locked[target]) + "\n", encoding="utf-8")
            download_for(target, requirements, wheels, wheels_from, runner, constraints)
    finally:
        requirements.unlink()
        constraints.unlink(missing_ok=True)

    report(t("usb_kit.step.notebooks", step=steps - 1, steps=steps))
    shutil.copytree(root / NOTEBOOKS, out / NOTEBOOKS, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "my_work"))

    report(t("usb_kit.step.scripts", step=steps, steps=steps))
    pythons = sorted({target.python for target in targets}, key=lambda v: tuple(map(int, v.split("."))))
    _write(out / INSTALL_SH, install_sh(pythons), executable=True)
    _write(out / INSTALL_BAT, install_bat(pythons))
    _write(out / README, readme_text(targets, version, today or date.today()))

    files = list(wheels.glob("*.whl"))
    size = sum(path.stat().st_size for path in files) / 1e6
    return Kit(out, tuple(targets), len(files), size)


# --- the maintainers' wheelhouse (``make test`` fills it once) ---------------------

WHEELHOUSE_COMPLETE = ".complete"


def fill_wheelhouse(root: Path, dest: Path, runner: Runner = run_pip) -> None:
    """This computer's wheels at the locked versions, and the build backend, for the offline
    kit test."""
    dest.mkdir(parents=True, exist_ok=True)
    complete = dest / WHEELHOUSE_COMPLETE
    complete.unlink(missing_ok=True)
    target = Target(THIS_COMPUTER, running_python())
    requirements, constraints = dest / ".requirements.txt", dest / ".constraints.txt"
    wanted = runtime_requirements(root) + build_requirements(root)
    locked = lock_constraints(root, target)
    requirements.write_text("\n".join(wanted) + "\n", encoding="utf-8")
    constraints.write_text("\n".join(locked) + "\n", encoding="utf-8")
    try:
        _run_step(download_command(target, requirements, dest, constraints=constraints),
                  "wheelhouse", None, runner)
    finally:
        requirements.unlink()
        constraints.unlink()
    # Only a whole download counts: the test skips on a half-filled folder instead of failing.
    complete.write_text("\n".join(wanted + locked) + "\n", encoding="utf-8")


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m tiktok_lab.kit.usb wheelhouse DIR`` (used by the Makefile)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "wheelhouse":
        print("usage: python -m tiktok_lab.kit.usb wheelhouse DIR", file=sys.stderr)
        return 2
    from tiktok_lab.core import paths

    root = paths.find_course_root(Path(__file__).resolve().parent) or paths.find_course_root()
    if root is None or not (root / "pyproject.toml").is_file():
        print(t("usb_kit.error.no_checkout"), file=sys.stderr)
        return 1
    try:
        fill_wheelhouse(root, Path(args[1]))
    except KitError as error:
        print(f"{error.message}\n{error.fix}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
