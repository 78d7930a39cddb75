"""``tiktok-lab doctor``: is this machine ready for the workshop?

Each check answers in plain words and, when something is wrong, says the one
command that fixes it: the person reading is often a trainer 15 minutes before a
session, not a Python developer. Checks never raise; a check that crashes is
itself reported as a problem.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Iterator

from tiktok_lab.core import paths
from tiktok_lab.core.i18n import t
from tiktok_lab.core.tested_versions import locked_versions, tested_requirement

OK, WARNING, PROBLEM = "ok", "warning", "problem"
MIN_PYTHON = (3, 11)
WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"


@dataclass(frozen=True)
class Check:
    """The outcome of one check: what was looked at, what was found, the fix."""

    name: str
    level: str
    detail: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        return self.level != PROBLEM


def check_python(version: tuple[int, int, int] | None = None) -> Check:
    version = version or sys.version_info[:3]
    shown = ".".join(map(str, version))
    if tuple(version[:2]) >= MIN_PYTHON:
        return Check(t("doctor.python.name"), OK, shown)
    return Check(t("doctor.python.name"), PROBLEM, shown, t("doctor.python.fix"))


def tested_requirements(distribution: str = "tiktok-lab",
                        versions: dict[str, str] | None = None) -> dict[str, str]:
    """``{name: tested version}`` for the runtime dependencies that apply here.

    The names are the installed package's runtime requirements (compatible ranges); the
    versions are the lock's (``core/tested_versions.py``), ``""`` for a name it lacks.
    """
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    versions = locked_versions() if versions is None else versions
    tested: dict[str, str] = {}
    for line in metadata.requires(distribution) or []:
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        tested[requirement.name] = versions.get(canonicalize_name(requirement.name), "")
    return tested


def check_libraries(pins: dict[str, str] | None = None,
                    installed: Callable[[str], str] = metadata.version) -> Check:
    """Missing libraries are a problem; other versions than the lock's are a warning."""
    pins = tested_requirements() if pins is None else pins
    missing, different = [], []
    for name, wanted in sorted(pins.items()):
        try:
            found = installed(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if wanted and not _same_version(found, wanted):
            different.append(f"{name} {found} ({t('doctor.libraries.tested')} {wanted})")
    name = t("doctor.libraries.name")
    if missing:
        return Check(name, PROBLEM, t("doctor.libraries.missing", names=", ".join(missing)),
                     t("doctor.libraries.fix"))
    if different:
        return Check(name, WARNING, "; ".join(different), t("doctor.libraries.fix"))
    return Check(name, OK, t("doctor.libraries.all_ok", count=len(pins)))


def _same_version(found: str, wanted: str) -> bool:
    """``1.0`` and ``1.0.0`` are one version; a version pip cannot read is compared as text."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(found) == Version(wanted)
    except InvalidVersion:
        return found == wanted


def fix_requirement(name: str) -> str:
    """``name==version`` for a fix to print: the lock's version, else the installed one."""
    requirement = tested_requirement(name)
    if "==" in requirement:
        return requirement
    try:
        return f"{name}=={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return name


def labextension_dirs() -> list[Path]:
    from jupyter_core.paths import jupyter_path

    return [Path(p) for p in jupyter_path("labextensions")]


def check_widgets_frontend(search: Iterable[Path] | None = None) -> Check:
    """The JupyterLab side of ipywidgets; without it every widget shows an error."""
    name = t("doctor.widgets.name")
    for folder in (labextension_dirs() if search is None else search):
        manifest = Path(folder) / WIDGETS_EXTENSION / "package.json"
        if manifest.is_file():
            try:
                version = json.loads(manifest.read_text(encoding="utf-8")).get("version", "?")
            except ValueError:
                continue
            return Check(name, OK, f"{WIDGETS_EXTENSION} {version}")
    return Check(name, PROBLEM, t("doctor.widgets.missing"),
                 t("doctor.widgets.fix", requirement=fix_requirement("jupyterlab_widgets")))


def check_charts_frontend() -> Check:
    """Charts draw offline only with the vega bundle that vl-convert builds.

    Building it for real (then caching it) proves it works and spares the
    first lesson the wait.
    """
    name = t("doctor.charts.name")
    try:
        import vl_convert

        from tiktok_lab.core.charts import prepare_chart_library

        size = prepare_chart_library()
    except ImportError:
        return Check(name, PROBLEM, t("doctor.charts.missing"),
                     t("doctor.charts.fix", requirement=fix_requirement("vl-convert-python")))
    except Exception as error:  # noqa: BLE001 - a broken build is reported with its reason
        return Check(name, PROBLEM, t("doctor.charts.broken", reason=str(error)[:200]),
                     t("doctor.charts.fix", requirement=fix_requirement("vl-convert-python")))
    version = getattr(vl_convert, "__version__", "?")
    return Check(name, OK, t("doctor.charts.ok", version=version, size=size // 1024))


def check_kernel() -> Check:
    """A notebook needs a Python kernel that sees this very installation."""
    name = t("doctor.kernel.name")
    try:
        import ipykernel  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager

        specs = KernelSpecManager().find_kernel_specs()
    except Exception:  # noqa: BLE001 - any failure here means "no usable kernel"
        specs = {}
    if "python3" in specs:
        return Check(name, OK, "python3")
    return Check(name, PROBLEM, t("doctor.kernel.missing"), t("doctor.kernel.fix"))


def check_notebooks(start: Path | None = None) -> Check:
    """Every notebook the course ships is here and is valid JSON."""
    from tiktok_lab.course.course_source import notebook_names, pristine_notebooks

    name = t("doctor.notebooks.name")
    root = paths.find_course_root(start)
    if root is None:
        return Check(name, PROBLEM, t("doctor.notebooks.no_course"), t("doctor.notebooks.fix_cd"))
    folder = root / "notebooks"
    present = notebook_names(folder)
    expected = set(pristine_notebooks(root)) or set(present)
    missing = sorted(expected - set(present))
    broken = [n for n in present if not _is_notebook(folder / n)]
    if missing or broken:
        detail = t("doctor.notebooks.bad", missing=", ".join(missing) or "–",
                   broken=", ".join(broken) or "–")
        return Check(name, PROBLEM, detail, t("doctor.notebooks.fix_reset"))
    return Check(name, OK, t("doctor.notebooks.ok", count=len(present), folder=str(folder)))


def _is_notebook(path: Path) -> bool:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(content, dict) and isinstance(content.get("cells"), list)


def check_store(home: Path | None = None) -> Check:
    """Learners lose work if a save fails: make a real one through the store, lock included.

    A probe document is written (temporary file, rename, its own lock) and removed
    with its lock; then every lock and document already there is opened, since one
    left unwritable by another account (a ``sudo`` run) blocks that document only.
    The folder is left as it was found (a folder made for the probe is removed).
    """
    from tiktok_lab.work.store import Store, StoreError, StoreWriteError

    name = t("doctor.store.name")
    home = Path(home or paths.work_dir())
    made = _missing_folders(home)
    store = Store(home, lock_timeout=STORE_PROBE_TIMEOUT)
    probe = f"doctor-probe-{os.getpid()}"
    try:
        store.write(probe, {"written_by": "tiktok-lab doctor"})
        blocked = _blocked_files(store, skip=probe)
    except StoreError as error:
        reason = error.reason if isinstance(error, StoreWriteError) else str(error)
        detail = t("doctor.store.unwritable", folder=str(home), reason=reason.rstrip(". "))
        return Check(name, PROBLEM, detail, t("doctor.store.fix"))
    finally:
        _remove_probe(store, probe, made)
    if blocked:
        detail = t("doctor.store.blocked", folder=str(home), files=", ".join(blocked))
        return Check(name, PROBLEM, detail, t("doctor.store.fix_owner", folder=str(home)))
    return Check(name, OK, str(home))


# Long enough for a lesson's save to finish, short enough for a doctor run.
STORE_PROBE_TIMEOUT = 2.0


def _blocked_files(store, skip: str) -> list[str]:
    """Locks and documents already in the folder that this account cannot open."""
    from tiktok_lab.work.store import StoreBusyError, StoreWriteError

    blocked = []
    for lock in sorted(store.home.glob(".*.lock")):
        document = lock.name[1:-len(".lock")]
        if document == skip or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", document):
            continue
        try:
            with store.locked(document):
                pass
        except StoreBusyError:
            continue  # an open lesson is saving it: the lock works
        except StoreWriteError:
            blocked.append(lock.name)
    for document in store.documents():
        try:
            with open(store.path(document), "rb") as handle:
                handle.read(1)
        except OSError:
            blocked.append(store.path(document).name)
    return blocked


def _missing_folders(home: Path) -> list[Path]:
    """The folders a save would create, deepest first (the doctor removes them after)."""
    missing = []
    for folder in (home, *home.parents):
        if os.path.lexists(folder):
            break
        missing.append(folder)
    return missing


def _remove_probe(store, probe: str, made: list[Path]) -> None:
    for path in (store.path(probe), store.home / f".{probe}.lock"):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
    for folder in made:
        try:
            folder.rmdir()  # only if still empty
        except OSError:
            break


CHECKS: tuple[Callable[[], Check], ...] = (
    check_python, check_libraries, check_kernel, check_widgets_frontend,
    check_charts_frontend, check_notebooks, check_store,
)


def iter_checks(checks: Iterable[Callable[[], Check]] = CHECKS) -> Iterator[Check]:
    """Run the checks one by one, so a terminal can show each result as it comes.

    A check that crashes becomes a reported problem, not a traceback.
    """
    for check in checks:
        try:
            yield check()
        except Exception:  # noqa: BLE001 - doctor must always finish its report
            # The set-up cell shows these lines to learners: plain words there, and
            # the traceback in the log (the terminal running Jupyter) for a maintainer.
            logging.getLogger(__name__).exception("doctor check %s failed", check.__name__)
            label = check.__name__.removeprefix("check_").replace("_", " ")
            yield Check(label, PROBLEM, t("doctor.crashed.detail"), t("doctor.crashed.fix"))


def run_checks(checks: Iterable[Callable[[], Check]] = CHECKS) -> list[Check]:
    """Every check's result, in order."""
    return list(iter_checks(checks))


def all_ok(results: Iterable[Check]) -> bool:
    return all(result.ok for result in results)
