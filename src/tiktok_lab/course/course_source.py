"""Pristine copies of the course notebooks, for restoring and for doctor.

Two places can hold them: the copies packed into a wheel (``tiktok_lab/course``,
used by USB-stick and pip installs) and, in a git checkout, the committed
version (``git show HEAD:notebooks/...``). Learners edit the files in
``notebooks/``; the pristine copy is what ``tiktok-lab reset`` brings back.

A notebook is named by its path inside ``notebooks/``: ``03_feed.ipynb`` for the English
edition, ``fr/03_feed.ipynb`` for the French one (:data:`EDITIONS`).
"""

from __future__ import annotations

import subprocess
from importlib import resources
from pathlib import Path

# The folders of ``notebooks/`` that hold an edition: the English one itself, then each
# translation (``kit.editions`` builds them).
EDITIONS = ("", "fr")


def notebook_names(folder: Path) -> list[str]:
    """The notebooks of every edition in ``folder`` (``notebooks/``), by relative name."""
    return sorted(path.relative_to(folder).as_posix()
                  for edition in EDITIONS for path in (folder / edition).glob("*.ipynb"))


def packaged_notebooks() -> dict[str, bytes]:
    """Notebooks shipped inside the installed package (empty for a git checkout)."""
    base = resources.files("tiktok_lab") / "course" / "notebooks"
    found: dict[str, bytes] = {}
    for edition in EDITIONS:
        folder = base / edition if edition else base
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.name.endswith(".ipynb"):
                    found[f"{edition}/{entry.name}".lstrip("/")] = entry.read_bytes()
    return found


def committed_notebooks(root: Path) -> dict[str, bytes]:
    """Notebooks as committed in ``root``'s git repository (empty if not a repo)."""
    listing = _git(root, "ls-tree", "-r", "--name-only", "HEAD", "notebooks/")
    if listing is None:
        return {}
    notebooks: dict[str, bytes] = {}
    for line in listing.decode("utf-8").splitlines():
        name = line.removeprefix("notebooks/")
        if name.endswith(".ipynb") and Path(name).parent.as_posix().strip(".") in EDITIONS:
            content = _git(root, "show", f"HEAD:{line}")
            if content is not None:
                notebooks[name] = content
    return notebooks


def pristine_notebooks(root: Path | None) -> dict[str, bytes]:
    """The reference notebooks, by file name: the git checkout first, then the wheel."""
    return (committed_notebooks(root) if root else {}) or packaged_notebooks()


def _git(root: Path, *args: str) -> bytes | None:
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
