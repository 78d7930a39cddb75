"""The ``tiktok-lab`` command: ``lab``, ``doctor`` and ``reset``.

Written for trainers and participants: every failure prints what went wrong and
the command that fixes it, and exits non-zero, never with a traceback.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from tiktok_lab import paths
from tiktok_lab.datafiles import DataFileError
from tiktok_lab.i18n import t

MARKS = {"ok": "✓", "warning": "!", "problem": "✗"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tiktok-lab", description=t("cli.description"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lab = commands.add_parser("lab", help=t("cli.lab.help"), epilog=t("cli.lab.epilog"))
    lab.add_argument("--port", type=int, default=8888, help=t("cli.lab.port"))
    lab.add_argument("--no-browser", action="store_true", help=t("cli.lab.no_browser"))

    app = commands.add_parser("app", help=t("cli.app.help"))
    app.add_argument("--port", type=int, default=8866, help=t("cli.app.port"))
    app.add_argument("--no-browser", action="store_true", help=t("cli.lab.no_browser"))

    commands.add_parser("doctor", help=t("cli.doctor.help"))

    reset = commands.add_parser("reset", help=t("cli.reset.help"))
    reset.add_argument("--notebooks", action="store_true", help=t("cli.reset.notebooks"))
    reset.add_argument("--work", action="store_true", help=t("cli.reset.work"))
    reset.add_argument("--yes", action="store_true", help=t("cli.reset.assume_yes"))

    build = commands.add_parser("build", help=t("cli.build.help"))
    build.add_argument("target", choices=[*BUILDERS, "usb", *KIT_TARGETS, "all"],
                       help=t("cli.build.target"))
    build.add_argument("--check", action="store_true", help=t("cli.build.check"))
    add_usb_options(build)

    link = commands.add_parser("link", help=t("hub_link.cli.help"))
    add_link_options(link)
    return parser


def add_usb_options(build: argparse.ArgumentParser) -> None:
    from tiktok_lab.usb_kit import PLATFORMS, PYTHONS, THIS_COMPUTER

    build.add_argument("--out", type=Path, metavar="FOLDER", help=t("usb_kit.cli.out"))
    build.add_argument("--platform", nargs="+", metavar="PLATFORM", default=list(PLATFORMS),
                       choices=[*PLATFORMS, THIS_COMPUTER.key], help=t("usb_kit.cli.platform"))
    build.add_argument("--python", nargs="+", metavar="X.Y", default=list(PYTHONS),
                       choices=PYTHONS, help=t("usb_kit.cli.python", pythons=" ".join(PYTHONS)))
    build.add_argument("--wheels-from", type=Path, metavar="FOLDER", help=t("usb_kit.cli.wheels_from"))


def add_link_options(link: argparse.ArgumentParser) -> None:
    from tiktok_lab.hub_link import APPS, DEFAULT_BRANCH, DEFAULT_NOTEBOOK

    link.add_argument("--hub", required=True, help=t("hub_link.cli.hub"))
    link.add_argument("--repo", help=t("hub_link.cli.repo", repo="[project.urls] Repository"))
    link.add_argument("--branch", default=DEFAULT_BRANCH, help=t("hub_link.cli.branch"))
    link.add_argument("--notebook", default=DEFAULT_NOTEBOOK, help=t("hub_link.cli.notebook"))
    link.add_argument("--app", default="lab", choices=list(APPS), help=t("hub_link.cli.app"))
    link.add_argument("--targetpath", help=t("hub_link.cli.targetpath"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(t("cli.unknown_options", options=" ".join(extra)))
    args.jupyter_options = extra
    handler = {"lab": run_lab, "app": run_app, "doctor": run_doctor, "reset": run_reset,
               "build": run_build, "link": run_link}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print()
        return 130


def lab_command(root: Path, port: int, no_browser: bool,
                extra: Sequence[str] = ()) -> list[str]:
    """The JupyterLab command line: opened on the start notebook, nothing fetched online.

    ``extra`` options go to JupyterLab untouched (``--allow-root``, ``--ip=...``).
    """
    command = [
        sys.executable, "-m", "jupyterlab",
        f"notebooks/{paths.START_NOTEBOOK}",
        f"--ServerApp.root_dir={root}",
        f"--port={port}",
        # A workshop room may have no Internet: do not ask for news or updates.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if no_browser:
        command.append("--no-browser")
    if _is_root() and "--allow-root" not in extra:
        # Containers and classroom VMs often run as root; JupyterLab refuses then.
        command.append("--allow-root")
    return command + list(extra)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def run_lab(args: argparse.Namespace) -> int:
    root = paths.find_course_root() or _unpack_course(Path.cwd() / "tiktok-lab-course")
    if root is None:
        print(t("cli.lab.no_course"), file=sys.stderr)
        return 1
    print(t("cli.lab.starting", notebook=paths.START_NOTEBOOK, port=args.port))
    return subprocess.call(
        lab_command(root, args.port, args.no_browser, args.jupyter_options), cwd=root)


APP_NOTEBOOK = "07_my_strategy.ipynb"


def app_command(root: Path, port: int, no_browser: bool) -> list[str]:
    """Voilà on the strategy builder: widgets only, no code shown, none runnable from the page."""
    from tiktok_lab.notebook_cells import NOTEBOOK_ONLY_TAG

    command = [
        sys.executable, "-m", "voila", f"notebooks/{APP_NOTEBOOK}",
        f"--port={port}",
        # Only the notebook's own cells run; the page cannot send code to the kernel.
        "--strip_sources=True",
        "--show_tracebacks=False",
        # nbconvert's preprocessor, run by Voilà's exporter before it renders and executes.
        "--TagRemovePreprocessor.enabled=True",
        f"--TagRemovePreprocessor.remove_cell_tags={NOTEBOOK_ONLY_TAG}",
    ]
    if no_browser:
        command.append("--no-browser")
    return command


def run_app(args: argparse.Namespace) -> int:
    root = paths.find_course_root() or _unpack_course(Path.cwd() / "tiktok-lab-course")
    if root is None:
        print(t("cli.lab.no_course"), file=sys.stderr)
        return 1
    print(t("cli.app.starting", port=args.port))
    return subprocess.call(app_command(root, args.port, args.no_browser), cwd=root)


def _unpack_course(target: Path) -> Path | None:
    """Outside a checkout, lay the packaged notebooks out in a fresh folder."""
    from tiktok_lab.course_source import packaged_notebooks

    notebooks = packaged_notebooks()
    if not notebooks:
        return None
    folder = target / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in notebooks.items():
        if not (folder / name).exists():
            (folder / name).write_bytes(content)
    print(t("cli.lab.unpacked", folder=str(target)))
    return target


def run_doctor(args: argparse.Namespace | None = None) -> int:
    from tiktok_lab.doctor import all_ok, iter_checks

    print(t("doctor.title"), flush=True)
    results = []
    for result in iter_checks():
        results.append(result)
        print(f" {MARKS[result.level]} {result.name}: {result.detail}", flush=True)
        if result.fix and result.level != "ok":
            print(f"     {t('doctor.fix_label')} {result.fix}", flush=True)
    ok = all_ok(results)
    print(t("doctor.summary_ok") if ok else t("doctor.summary_problem"))
    return 0 if ok else 1


def run_reset(args: argparse.Namespace) -> int:
    from tiktok_lab.reset import apply_reset, plan_reset

    root = paths.find_course_root()
    if root is None:
        print(t("cli.lab.no_course"), file=sys.stderr)
        return 1
    notebooks, work = args.notebooks, args.work
    if not (notebooks or work):
        notebooks = work = True
    try:
        plan = plan_reset(root, notebooks=notebooks, work=work)
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(t("reset.plan_title", root=str(root)))
    if plan.notebooks:
        print(t("reset.plan_notebooks", count=len(plan.notebooks)))
    if plan.work:
        print(t("reset.plan_work", folder=str(plan.work)))
    if not args.yes and not _confirmed():
        print(t("reset.cancelled"))
        return 1
    backup = apply_reset(plan)
    print(t("reset.done", folder=str(backup)))
    return 0


def run_build(args: argparse.Namespace) -> int:
    """Regenerate what is built from the lesson metadata; ``--check`` only reports."""
    root = paths.find_course_root()
    if root is None:
        print(t("cli.lab.no_course"), file=sys.stderr)
        return 1
    if args.target == "usb":
        return run_build_usb(root, args)
    if args.target in KIT_TARGETS:
        return run_build_kit(root, args)
    targets = BUILD_TARGETS if args.target == "all" else [args.target]
    stale: list[str] = []
    for target in targets:
        try:
            names = BUILDERS[target](root, write=not args.check)
        except DataFileError as error:  # a trainer's typo in a data file: say where, not a traceback
            print(f"{MARKS['problem']} {error}", file=sys.stderr)
            print(f"  {t('doctor.fix_label')} " + t("cli.build.fix_data", target=target),
                  file=sys.stderr)
            return 1
        for name in names:
            stale.append(name)
            print(t("cli.build.stale" if args.check else "cli.build.updated", name=name))
    if not stale:
        print(t("cli.build.up_to_date"))
    return 1 if (args.check and stale) else 0


def run_build_kit(root: Path, args: argparse.Namespace) -> int:
    """Slides, handouts or the whole site, from one fresh run of every lesson."""
    from tiktok_lab.kit_build import DEFAULT_OUT, AssetsAltered, build_kit
    from tiktok_lab.kit_run import LessonFailed

    if args.check:
        print(t("kit.cli.check_unsupported", target=args.target), file=sys.stderr)
        return 2
    out = (args.out or root / DEFAULT_OUT).resolve()
    started = time.perf_counter()
    try:
        page = build_kit(root, out, args.target)
    except LessonFailed as failure:
        print(flush=True)
        print(t("kit.cli.failed", lesson=failure.lesson, cell=failure.cell_number,
                line=failure.first_line, error=failure.error), file=sys.stderr)
        print(f"  {t('doctor.fix_label')} "
              + t("kit.cli.fix", lesson=failure.lesson, target=args.target), file=sys.stderr)
        return 1
    except AssetsAltered as altered:
        print(f"{MARKS['problem']} " + t("kit.cli.assets_altered", files=str(altered)),
              file=sys.stderr)
        return 1
    print(t("kit.cli.done", seconds=f"{time.perf_counter() - started:.0f}", page=str(page)))
    return 0


def run_build_usb(root: Path, args: argparse.Namespace) -> int:
    """The USB-stick kit: wheels for every chosen laptop, notebooks, installers."""
    from tiktok_lab.usb_kit import README, KitError, build_usb_kit, choose_targets

    if args.check:
        print(t("usb_kit.cli.check_unsupported"), file=sys.stderr)
        return 2
    if args.out is None:
        print(t("usb_kit.cli.out_missing"), file=sys.stderr)
        return 2
    try:
        kit = build_usb_kit(root, args.out.resolve(), choose_targets(args.platform, args.python),
                            wheels_from=args.wheels_from, report=lambda line: print(line, flush=True))
    except KitError as error:
        print(f"{MARKS['problem']} {error.message}\n  {t('usb_kit.cli.fix_label')} {error.fix}",
              file=sys.stderr)
        return 1
    print(t("usb_kit.cli.ready", folder=str(kit.folder), wheels=kit.wheels,
            megabytes=f"{kit.megabytes:.0f}", count=len(kit.targets), readme=README))
    return 0


def run_link(args: argparse.Namespace) -> int:
    """Print the nbgitpuller link; a mistyped address gets a sentence, not a traceback."""
    from tiktok_lab.hub_link import LinkError, build_link

    try:
        link = build_link(args.hub, args.repo, args.branch, args.notebook, args.app, args.targetpath)
    except LinkError as error:
        print(f"{MARKS['problem']} {error}", file=sys.stderr)
        return 2
    print(t("hub_link.cli.explain", notebook=link.urlpath), file=sys.stderr)
    print(link.url)
    return 0


def build_nav(root: Path, *, write: bool) -> list[str]:
    from tiktok_lab.editions import SOURCE_DIR
    from tiktok_lab.notebook_cells import sync_notebook

    return [f"{SOURCE_DIR}/{path.name}" for path in sorted((root / SOURCE_DIR).glob("*.ipynb"))
            if sync_notebook(path, write=write)]


def build_learner(root: Path, *, write: bool) -> list[str]:
    from tiktok_lab.editions import build_editions

    return build_editions(root, "learner", write=write)


def build_trainer(root: Path, *, write: bool) -> list[str]:
    from tiktok_lab.editions import build_editions

    return build_editions(root, "trainer", write=write)


def build_schedule(root: Path, *, write: bool) -> list[str]:
    from tiktok_lab.schedule import build_schedule_markdown

    target = root / "workshop" / "schedule.md"
    wanted = build_schedule_markdown()
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if current == wanted:
        return []
    if write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(wanted, encoding="utf-8")
    return [str(target.relative_to(root))]


def build_workshop(root: Path, *, write: bool) -> list[str]:
    from tiktok_lab.workshop_kit import sync_pages, workshop_pages

    return sync_pages(root, workshop_pages(root), write=write)


# In dependency order: the editions are built from the refreshed source.
BUILDERS = {"nav": build_nav, "learner": build_learner, "trainer": build_trainer,
            "schedule": build_schedule, "workshop": build_workshop}
BUILD_TARGETS = list(BUILDERS)
# Built from a fresh run of every lesson (~10 s each): never part of "all".
KIT_TARGETS = ("slides", "handouts", "site")


def _confirmed() -> bool:
    try:
        answer = input(t("reset.confirm"))
    except EOFError:
        return False
    return answer.strip().lower() in {"yes", "y", "oui", "o"}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
