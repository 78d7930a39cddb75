"""The lock: the exact version of every package the course is tested with.

``pyproject.toml`` declares compatible ranges (so the course installs beside other courses on
a shared hub); ``requirements/lock.txt`` pins the whole tested environment, indirect
dependencies included, for every platform and Python (uv's universal lock: a line may carry a
condition such as ``; sys_platform == 'win32'``, and a package may have one line per Python
range). ``make``, the USB kit and Binder install under it; ``tiktok-lab doctor`` names its
versions in its fixes. docs/architecture.md ("Dependencies") gives the policy.

A checkout reads the file itself; a wheel carries a copy (``hatch_build.py`` packs it as
``tiktok_lab/data/lock.txt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Mapping

LOCK_FILE = Path("requirements") / "lock.txt"
PACKAGED_LOCK = "lock.txt"  # inside tiktok_lab/data/ in a wheel


@dataclass(frozen=True)
class Locked:
    """One line of the lock: ``name==version``, for the environments its condition names."""

    name: str  # canonical: lower case, runs of ``-_.`` as one ``-``
    version: str
    marker: str = ""

    def applies(self, environment: Mapping[str, str] | None = None) -> bool:
        """Whether this line is for ``environment`` (None: the running interpreter)."""
        if not self.marker:
            return True
        from packaging.markers import Marker, default_environment

        return Marker(self.marker).evaluate({**default_environment(), **(environment or {})})


class LockError(ValueError):
    """A line of the lock is not ``name==version`` (with an optional condition)."""


def parse_lock(text: str) -> list[Locked]:
    """Every pinned line of a lock file (comments and uv's ``# via`` notes are skipped)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise LockError(f"line {number}: {raw.strip()!r} ({error})") from error
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==" or requirement.extras:
            raise LockError(f"line {number}: {raw.strip()!r} is not name==version")
        entries.append(Locked(canonicalize_name(requirement.name), specifiers[0].version,
                              str(requirement.marker) if requirement.marker else ""))
    return entries


def checkout_lock() -> Path:
    """Where the lock sits in a checkout (this file is ``src/tiktok_lab/core/`` below the root)."""
    return Path(__file__).resolve().parents[3] / LOCK_FILE


def lock_text() -> str | None:
    """The lock of this installation: the wheel's copy, else the checkout's; None if neither."""
    packaged = resources.files("tiktok_lab") / "data" / PACKAGED_LOCK
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    path = checkout_lock()
    return path.read_text(encoding="utf-8") if path.is_file() else None


def locked_versions(text: str | None = None,
                    environment: Mapping[str, str] | None = None) -> dict[str, str]:
    """``{canonical name: version}`` of the lines for ``environment`` (None: this interpreter).

    ``text`` defaults to this installation's lock; without one the answer is empty.
    """
    text = lock_text() if text is None else text
    if text is None:
        return {}
    versions: dict[str, str] = {}
    for entry in parse_lock(text):
        if entry.applies(environment):
            if versions.get(entry.name, entry.version) != entry.version:
                raise LockError(f"{entry.name}: two versions for one environment")
            versions[entry.name] = entry.version
    return versions


def tested_requirement(name: str, versions: Mapping[str, str] | None = None) -> str:
    """``name==version`` as the lock pins it here, for a fix to print; ``name`` alone if unlocked."""
    from packaging.utils import canonicalize_name

    versions = locked_versions() if versions is None else versions
    version = versions.get(canonicalize_name(name))
    return f"{name}=={version}" if version else name


def constraints_for(environment: Mapping[str, str] | None = None,
                    text: str | None = None) -> list[str]:
    """The lock as plain ``name==version`` lines for one environment, for ``pip -c``.

    ``pip download --platform`` judges a constraint's condition on the computer it runs on,
    not on the laptop the wheels are for: the USB kit gives pip the lines already chosen for
    the laptop, with no condition left to misjudge.
    """
    return [f"{name}=={version}" for name, version in
            sorted(locked_versions(text, environment).items())]
