"""The course as Binder installs it: a wheel (postBuild's ``pip install ... .``), no git.

``tiktok-lab reset --notebooks`` must then restore the notebooks of both editions from the
copies the wheel carries (hatch_build.py). The wheel is built offline from the wheelhouse
``make test`` fills (the same one tests/test_usb_kit.py uses); without it the test skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.test_usb_kit import offline_env, wheelhouse  # noqa: F401 - the fixture
from tiktok_lab.kit import usb as usb_kit

ROOT = Path(__file__).resolve().parents[1]

# The installed package, and the reset a trainer types, in one process.
RESET = ("import sys, tiktok_lab; print(tiktok_lab.__file__, flush=True); "
         "from tiktok_lab.core.tested_versions import locked_versions; "
         "assert locked_versions()['tornado'], 'the packaged lock is read'; "
         "from tiktok_lab.cli.main import main; sys.exit(main(sys.argv[1:]))")


def test_reset_restores_both_editions_from_a_wheel_install_without_git(
        wheelhouse: Path, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    env = offline_env(tmp_path)
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    built = subprocess.run(usb_kit.wheel_command(ROOT, wheels, wheelhouse), cwd=ROOT,
                           capture_output=True, text=True, env=env, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = wheels.glob("tiktok_lab-*.whl")
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
                                "--no-deps", "--no-index", "--target", str(site), str(wheel)],
                               capture_output=True, text=True, env=env, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # The wheel carries the lock, which doctor reads away from any checkout.
    assert (site / "tiktok_lab" / "data" / "lock.txt").read_bytes() == (
        ROOT / "requirements" / "lock.txt").read_bytes()

    # A course folder as Binder has it: the notebooks, no .git (and no git to ask).
    course = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks", course / "notebooks",
                    ignore=shutil.ignore_patterns("my_work", ".ipynb_checkpoints", "backups"))
    assert not (course / ".git").exists()
    damaged = {"03_feed.ipynb": b'{"cells": "a learner broke this"}',
               "fr/07_my_strategy.ipynb": b"not even JSON"}
    for name, content in damaged.items():
        (course / "notebooks" / name).write_bytes(content)
    (course / "notebooks" / "fr" / "05_tips.ipynb").unlink()  # deleted by mistake

    env["PYTHONPATH"] = os.pathsep.join([str(site), env["PYTHONPATH"]])  # this install, not src/
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if not (Path(p) / "git").exists())
    assert shutil.which("git", path=env["PATH"]) is None
    reset = subprocess.run([sys.executable, "-c", RESET, "reset", "--notebooks", "--yes"],
                           cwd=course, capture_output=True, text=True, env=env, timeout=300)
    output = reset.stdout + reset.stderr
    assert reset.returncode == 0, output
    assert output.splitlines()[0].startswith(str(site)), output  # the wheel's package ran
    assert "Traceback" not in output

    for name in [*damaged, "fr/05_tips.ipynb", "00_start_here.ipynb", "fr/00_start_here.ipynb"]:
        assert (course / "notebooks" / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes(), name
    [backup] = (course / "backups").glob("reset-*")
    for name, content in damaged.items():
        assert (backup / "notebooks" / name).read_bytes() == content, name
