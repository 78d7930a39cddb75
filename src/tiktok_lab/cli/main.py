"""The ``tiktok-lab`` command: ``lab``, ``doctor``, ``reset``, ``timing`` and the builds.

Over 400 lines: one short function per sub-command beside its parser, read together when a
command is added.

Written for trainers and participants: every failure prints what went wrong and
the command that fixes it, and exits non-zero, never with a traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from tiktok_lab.core import paths
from tiktok_lab.core.datafiles import DataFileError
from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, speaking, t
from tiktok_lab.kit.workshop.paths import learner_notebook

MARKS = {"ok": "✓", "warning": "!", "problem": "✗"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tiktok-lab", description=t("cli.description"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lab = commands.add_parser("lab", help=t("cli.lab.help"), epilog=t("cli.lab.epilog"))
    lab.add_argument("--port", type=port_number, default=8888, help=t("cli.lab.port"))
    lab.add_argument("--no-browser", action="store_true", help=t("cli.lab.no_browser"))
    lab.add_argument("--lang", choices=SUPPORTED_LANGUAGES, default=DEFAULT_LANGUAGE,
                     help=t("cli.lab.lang"))

    app = commands.add_parser("app", help=t("cli.app.help"))
    app.add_argument("--port", type=port_number, default=8866, help=t("cli.app.port"))
    app.add_argument("--no-browser", action="store_true", help=t("cli.lab.no_browser"))
    app.add_argument("--lang", choices=SUPPORTED_LANGUAGES, default=DEFAULT_LANGUAGE,
                     help=t("cli.app.lang"))
    app.add_argument("--install-server-config", metavar="DIR", type=Path,
                     help=t("cli.app.install_server_config"))

    from tiktok_lab.cli.class_room import add_class_parser

    add_class_parser(commands, port_number)

    commands.add_parser("doctor", help=t("cli.doctor.help"))

    timing = commands.add_parser("timing", help=t("cli.timing.help"))
    timing.add_argument("--segments", action="store_true", help=t("cli.timing.segments"))

    reset = commands.add_parser("reset", help=t("cli.reset.help"))
    reset.add_argument("--notebooks", action="store_true", help=t("cli.reset.notebooks"))
    reset.add_argument("--work", action="store_true", help=t("cli.reset.work"))
    reset.add_argument("--yes", action="store_true", help=t("cli.reset.assume_yes"))

    build = commands.add_parser("build", help=t("cli.build.help"))
    build.add_argument("target", choices=[*BUILDERS, "usb", *KIT_TARGETS, "all"],
                       help=t("cli.build.target"))
    build.add_argument("--check", action="store_true", help=t("cli.build.check"))
    build.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help=t("cli.build.lang"))
    add_usb_options(build)

    copy = commands.add_parser("copy-course", help=t("cli.copy_course.help"))
    copy.add_argument("folder", type=Path, help=t("cli.copy_course.folder"))

    link = commands.add_parser("link", help=t("hub_link.cli.help"))
    add_link_options(link)
    return parser


def port_number(value: str) -> int:
    """``--port``: a whole number a server can listen on (1-65535), else a plain refusal."""
    try:
        port = int(value.strip())
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(t("cli.port.invalid", value=value))
    return port


def add_usb_options(build: argparse.ArgumentParser) -> None:
    from tiktok_lab.kit.usb import PLATFORMS, PYTHONS, THIS_COMPUTER

    build.add_argument("--out", type=Path, metavar="FOLDER", help=t("usb_kit.cli.out"))
    build.add_argument("--platform", nargs="+", metavar="PLATFORM", default=list(PLATFORMS),
                       choices=[*PLATFORMS, THIS_COMPUTER.key], help=t("usb_kit.cli.platform"))
    build.add_argument("--python", nargs="+", metavar="X.Y", default=list(PYTHONS),
                       choices=PYTHONS, help=t("usb_kit.cli.python", pythons=" ".join(PYTHONS)))
    build.add_argument("--wheels-from", type=Path, metavar="FOLDER", help=t("usb_kit.cli.wheels_from"))


def add_link_options(link: argparse.ArgumentParser) -> None:
    from tiktok_lab.kit.hub_link import APPS, DEFAULT_BRANCH, DEFAULT_NOTEBOOK

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
               "build": run_build, "link": run_link, "timing": run_timing,
               "copy-course": run_copy_course, "class": run_class}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print()
        return 130


def lab_language_settings(language: str) -> Path | None:
    """JupyterLab's default settings for an edition: no "Would you like to get notified about
    official Jupyter news?" toast (a room may have no Internet, and thirty participants should
    not each have to answer it), and, for French, the menus in French from the pinned language
    pack. A user's own choice in Settings still wins. None if the folder is missing."""
    from tiktok_lab.core.datafiles import data_dir

    folder = Path(str(data_dir() / "jupyterlab" / language))
    return folder if folder.is_dir() else None


def lab_command(root: Path, port: int, no_browser: bool,
                extra: Sequence[str] = (), language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The JupyterLab command line: opened on the start notebook of the ``language`` edition,
    with JupyterLab's own menus in that language, nothing fetched online.

    ``extra`` options go to JupyterLab untouched (``--allow-root``, ``--ip=...``).
    """
    command = [
        sys.executable, "-m", "jupyterlab",
        learner_notebook(paths.START_NOTEBOOK, language),
        f"--ServerApp.root_dir={root}",
        f"--port={port}",
        # The port asked for or none: JupyterLab would otherwise move to the next free
        # one while this command has printed the first.
        "--ServerApp.port_retries=0",
        # A workshop room may have no Internet: do not ask for news or updates, and
        # keep the Extensions panel from searching PyPI (it lists what is installed).
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    settings = lab_language_settings(language)
    if settings is not None:
        command.append(f"--LabApp.app_settings_dir={settings}")
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
    host = listen_host(args.jupyter_options)
    if not _port_usable("lab", args.port, host):
        return 1
    notebook = learner_notebook(paths.START_NOTEBOOK, args.lang)
    print(t("cli.lab.starting", notebook=notebook, port=args.port))
    code = _serve(lab_command(root, args.port, args.no_browser, args.jupyter_options,
                              args.lang), root)
    return _explain_exit("lab", code, args.port, host)


APP_NOTEBOOK = "07_my_strategy.ipynb"


def app_command(root: Path, port: int, no_browser: bool,
                language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Voilà on the strategy builder: widgets only, no code shown, none runnable from the page."""
    from tiktok_lab.cli.app_settings import command_line_options

    return [
        sys.executable, "-m", "voila", learner_notebook(APP_NOTEBOOK, language),
        f"--port={port}",
        "--Voila.port_retries=0",  # this port or none, as for JupyterLab
        *command_line_options(),  # the same settings Binder's server reads (app_settings)
    ] + (["--no-browser"] if no_browser else [])


def run_app(args: argparse.Namespace) -> int:
    if args.install_server_config is not None:
        return _install_app_server_config(args.install_server_config)
    root = paths.find_course_root() or _unpack_course(Path.cwd() / "tiktok-lab-course")
    if root is None:
        print(t("cli.lab.no_course"), file=sys.stderr)
        return 1
    if not _port_usable("app", args.port, "localhost"):
        return 1
    print(t("cli.app.starting", port=args.port))
    code = _serve(app_command(root, args.port, args.no_browser, args.lang), root)
    return _explain_exit("app", code, args.port, "localhost")


def run_class(args: argparse.Namespace) -> int:
    """``tiktok-lab class``: the trainer's live room (see ``cli/class_room.py``)."""
    from tiktok_lab.cli.class_room import run_class as serve_class

    return serve_class(args, serve=_serve, port_usable=_port_usable, explain_exit=_explain_exit)


def _install_app_server_config(config_dir: Path) -> int:
    """Binder's set-up: the app's settings into a Jupyter server's configuration folder."""
    from tiktok_lab.cli.app_settings import SERVER_CONFIG_FILE, ServerConfigError, \
        install_server_config

    try:
        path = install_server_config(config_dir)
    except ServerConfigError:
        print(t("cli.app.config_unreadable", path=config_dir / SERVER_CONFIG_FILE),
              file=sys.stderr)
        return 1
    except OSError as error:
        print(t("cli.app.config_unwritable", folder=config_dir,
                reason=error.strerror or error), file=sys.stderr)
        return 1
    print(t("cli.app.config_installed", path=path))
    return 0


def listen_host(extra: Sequence[str]) -> str:
    """The address JupyterLab will listen on: ``--ip`` among the options passed on, else localhost."""
    options = list(extra)
    for index, option in enumerate(options):
        name, equals, value = option.partition("=")
        if name in {"--ip", "--ServerApp.ip"}:
            if equals:
                return value
            if index + 1 < len(options):
                return options[index + 1]
    return "localhost"


def port_problem(port: int, host: str = "localhost") -> str | None:
    """``"busy"``, ``"denied"`` or None: could a server listen on ``port`` of ``host`` now?

    Binds each address the server would bind (``localhost`` is 127.0.0.1 and ::1)
    the way Tornado does, then lets go at once.
    """
    try:
        addresses = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError):
        return None  # an address the server will explain itself
    for family, kind, proto, _, address in addresses:
        try:
            with socket.socket(family, kind, proto) as probe:
                if os.name != "nt":
                    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6 and hasattr(socket, "IPV6_V6ONLY"):
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(address)
        except OSError as error:
            if error.errno in {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)}:
                return "busy"
            if error.errno in {errno.EACCES, errno.EPERM}:
                return "denied"
    return None


def free_port(start: int, host: str = "localhost") -> int:
    """A port to suggest instead of ``start``: the next free one above 1024."""
    for port in range(max(start + 1, 1025), min(start + 100, 65535) + 1):
        if port_problem(port, host) is None:
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_usable(command: str, port: int, host: str) -> bool:
    """Refuse plainly before starting a server that could not listen where we say it does."""
    problem = port_problem(port, host)
    if problem is None:
        return True
    print(f"{MARKS['problem']} " + t(f"cli.port.{problem}", port=port, command=command,
                                     free=free_port(port, host)), file=sys.stderr)
    return False


def _explain_exit(command: str, code: int, port: int, host: str) -> int:
    """A server that stopped at once because its port was taken meanwhile: say so plainly."""
    if code not in (0, 130) and port_problem(port, host) is not None:
        _port_usable(command, port, host)
    return code


# The server runs as a child; a stop asked of this command (Ctrl+C, a closed terminal,
# a service manager's SIGTERM) is passed on to it as SIGTERM, its clean shutdown.
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
KILL_AFTER_SECONDS = 20.0


def _serve(command: Sequence[str], cwd: Path) -> int:
    """Run the server until it stops; never leave it running without this command.

    Returns its exit code (128 + signal number if a signal ended it).
    """
    child: list[subprocess.Popen] = []
    asked: list[float] = []

    def stop(signum: int, frame: object) -> None:
        asked.append(time.monotonic())
        if child:
            _terminate(child[0])

    previous = _install_handlers(stop)
    try:
        child.append(subprocess.Popen(list(command), cwd=cwd, preexec_fn=_die_with_parent()))
        if asked:
            _terminate(child[0])
        while True:
            try:
                code = child[0].wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if asked and time.monotonic() - asked[0] > KILL_AFTER_SECONDS:
                    child[0].kill()
    finally:
        if child and child[0].poll() is None:  # this command itself failed: take the server along
            child[0].kill()
            child[0].wait()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 128 - code if code < 0 else code


def _terminate(process: subprocess.Popen) -> None:
    try:
        process.terminate()
    except OSError:  # already gone
        pass


def _install_handlers(handler: Callable[[int, object], None]) -> dict[int, object]:
    previous: dict[int, object] = {}
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            previous[number] = signal.signal(number, handler)
        except (ValueError, OSError):  # not the main thread: the caller handles signals
            pass
    return previous


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, the server gets SIGTERM if this command is killed outright (SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def arm() -> None:  # runs in the child, between fork and exec
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the line above
            os.kill(os.getpid(), signal.SIGTERM)

    return arm


def _unpack_course(target: Path, notebooks: dict[str, bytes] | None = None) -> Path | None:
    """Outside a checkout, lay the packaged notebooks out in a fresh folder.

    Files already there are kept: a participant's edited notebook is theirs.
    """
    from tiktok_lab.course.course_source import packaged_notebooks

    notebooks = packaged_notebooks() if notebooks is None else notebooks
    if not notebooks:
        return None
    folder = target / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in notebooks.items():
        if not (folder / name).exists():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
    from tiktok_lab.kit.sources_page import build_sources

    build_sources(target, write=True)  # the page every lesson's navigation links
    print(t("cli.lab.unpacked", folder=str(target)))
    return target


def run_copy_course(args: argparse.Namespace) -> int:
    """``tiktok-lab copy-course FOLDER``: the class hub lays the course out in each home.

    Run as the participant at every start of their server (workshop/hub/classroom.py): what
    is missing is added, nothing is overwritten, so a new lesson arrives and edits stay.
    """
    from tiktok_lab.course.course_source import pristine_notebooks

    if args.folder.exists() and not args.folder.is_dir():
        print(t("cli.unsafe.not_folder", folder=str(args.folder)), file=sys.stderr)
        return 1
    notebooks = pristine_notebooks(paths.find_course_root())
    if _unpack_course(args.folder.resolve(), notebooks) is None:
        print(t("cli.lab.no_course"), file=sys.stderr)
        return 1
    return 0


def run_doctor(args: argparse.Namespace | None = None) -> int:
    from tiktok_lab.course.doctor import all_ok, iter_checks

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


def run_timing(args: argparse.Namespace) -> int:
    """Estimated minutes per lesson against the promised ones, and the assumptions."""
    from tiktok_lab.kit.timing import timing_report

    root = paths.find_course_root()
    if root is None:
        print(t("cli.lab.no_course"), file=sys.stderr)
        return 1
    try:
        print(timing_report(root, segments=args.segments), end="")
    except DataFileError as error:
        print(f"{MARKS['problem']} {error}", file=sys.stderr)
        return 1
    return 0


def run_reset(args: argparse.Namespace) -> int:
    from tiktok_lab.cli.reset import apply_reset, plan_reset
    from tiktok_lab.cli.safe_folders import UnsafeFolderError
    from tiktok_lab.work.store import plain_os_reason

    root = paths.find_course_root()
    if root is None:
        print(t("cli.lab.no_course"), file=sys.stderr)
        return 1
    notebooks, work = args.notebooks, args.work
    if not (notebooks or work):
        notebooks = work = True
    try:
        plan = plan_reset(root, notebooks=notebooks, work=work)
    except UnsafeFolderError as error:
        return refuse(error, _fix_work(error))
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 1
    _say(t("reset.plan_title", root=str(root)))
    if plan.notebooks:
        _say(t("reset.plan_notebooks", count=len(plan.notebooks)))
    if plan.work:
        _say(t("reset.plan_work", folder=str(plan.work)))
    if not args.yes and not _confirmed():
        _say(t("reset.cancelled"))
        return 1
    try:
        done = apply_reset(plan, report=_say)
    except UnsafeFolderError as error:  # the folder changed while the trainer was asked
        return refuse(error, _fix_work(error))
    except OSError as error:  # the backup itself could not be written (a full disk)
        print(f"{MARKS['problem']} " + t("reset.failed", reason=plain_os_reason(error),
                                         folder=str(plan.backup.parent)), file=sys.stderr)
        return 1
    if done.left:
        print(t("reset.done_partly", folder=str(done.backup)), file=sys.stderr)
        return 1
    _say(t("reset.done", folder=str(done.backup)))
    return 0


def _say(text: str) -> None:
    """Print, but never stop half-way because nobody reads any more.

    ``tiktok-lab reset --yes | head`` closes the pipe after a few lines; a plain print would
    then raise in the middle of restoring the notebooks. The rest of the output is dropped
    (stdout goes to the null device, so Python does not complain again at exit).
    """
    try:
        print(text, flush=True)
    except BrokenPipeError:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass


def _fix_work(error) -> str:
    """What to do about a refused work folder: the setting, or the folder's content."""
    if os.environ.get(paths.HOME_ENV, "").strip():
        return t("reset.fix_work")
    return t("reset.fix_work_default", folder=str(error.folder))


def refuse(error: Exception, fix: str) -> int:
    """A folder a command must not change: the plain sentence, then what to do instead."""
    print(f"{MARKS['problem']} {error}", file=sys.stderr)
    print(f"  {t('doctor.fix_label')} {fix}", file=sys.stderr)
    return 1


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
    kit_languages = (args.lang,) if args.lang else SUPPORTED_LANGUAGES
    for target in targets:
        try:
            if target in KIT_PAGE_TARGETS:
                names = BUILDERS[target](root, write=not args.check, languages=kit_languages)
            else:
                names = BUILDERS[target](root, write=not args.check)
        except DataFileError as error:  # a trainer's typo in a data file: say where, not a traceback
            print(f"{MARKS['problem']} {error}", file=sys.stderr)
            print(f"  {t('doctor.fix_label')} " + t("cli.build.fix_data", target=target),
                  file=sys.stderr)
            return 1
        for name in names:
            if name in stale:  # the schedule belongs to both "schedule" and "workshop"
                continue
            stale.append(name)
            print(t("cli.build.stale" if args.check else "cli.build.updated", name=name))
    if not stale:
        print(t("cli.build.up_to_date"))
    return 1 if (args.check and stale) else 0


def run_build_kit(root: Path, args: argparse.Namespace) -> int:
    """Slides, handouts or the whole site, from one fresh run of every lesson."""
    from tiktok_lab.core.i18n import speaking
    from tiktok_lab.kit.build import AssetsAltered, build_kit, default_out
    from tiktok_lab.kit.run import LessonFailed

    if args.check:
        print(t("kit.cli.check_unsupported", target=args.target), file=sys.stderr)
        return 2
    from tiktok_lab.cli.safe_folders import UnsafeFolderError, check_folder

    # One language's kit per build: English by default, French with --lang fr (its own
    # folder, workshop/build/fr/, so both kits can sit side by side on a USB stick).
    language = args.lang or DEFAULT_LANGUAGE
    out = (args.out or root / default_out(language)).resolve()
    try:
        check_folder(out, course_root=root, owned=kit_owns)
    except UnsafeFolderError as error:
        return refuse(error, t("cli.build.fix_out"))
    started = time.perf_counter()
    try:
        with speaking(language):
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
    from tiktok_lab.kit.usb import README, KitError, build_usb_kit, choose_targets

    if args.check:
        print(t("usb_kit.cli.check_unsupported"), file=sys.stderr)
        return 2
    if args.out is None:
        print(t("usb_kit.cli.out_missing"), file=sys.stderr)
        return 2
    from tiktok_lab.cli.safe_folders import UnsafeFolderError, check_folder

    try:
        check_folder(args.out.resolve(), course_root=root, owned=usb_kit_owns(root))
    except UnsafeFolderError as error:
        return refuse(error, t("usb_kit.fix.out"))
    from tiktok_lab.core.i18n import speaking

    try:  # --lang fr: a French room's stick (messages, README.txt, start scripts on notebooks/fr)
        with speaking(args.lang or DEFAULT_LANGUAGE):
            kit = build_usb_kit(root, args.out.resolve(),
                                choose_targets(args.platform, args.python),
                                wheels_from=args.wheels_from,
                                report=lambda line: print(line, flush=True))
    except KitError as error:
        print(f"{MARKS['problem']} {error.message}\n  {t('usb_kit.cli.fix_label')} {error.fix}",
              file=sys.stderr)
        return 1
    print(t("usb_kit.cli.ready", folder=str(kit.folder), wheels=kit.wheels,
            megabytes=f"{kit.megabytes:.0f}", count=len(kit.targets), readme=README))
    return 0


def kit_owns(entry: Path) -> bool:
    """Whether an entry of ``--out`` is part of a previous slides/handouts/site build.

    The build replaces ``assets/`` wholesale and rewrites the pages, so every file
    in them must be one it writes: the vendored files, the shared chart library,
    ``*.html`` pages.
    """
    import re

    from tiktok_lab.kit.assets import ASSETS_DIR, vendored_files
    from tiktok_lab.kit.build import TARGETS
    from tiktok_lab.kit.pages import CHART_LIBRARY_DIR

    if entry.is_symlink():
        return False
    if entry.name == "index.html":
        return entry.is_file()
    if entry.name in SUPPORTED_LANGUAGES and entry.is_dir():  # a language's own kit (--lang)
        return all(kit_owns(inner) for inner in entry.iterdir())
    if entry.name in {kind for kinds in TARGETS.values() for kind in kinds}:
        return _only_files(entry, lambda path: path.suffix == ".html" and path.parent == entry)
    if entry.name == ASSETS_DIR:
        vendored = {file.output_path for file in vendored_files()}
        library = re.compile(rf"^{ASSETS_DIR}/{re.escape(CHART_LIBRARY_DIR)}/vega-[0-9a-f]+\.js$")
        return _only_files(entry, lambda path: (
            path.relative_to(entry.parent).as_posix() in vendored
            or bool(library.match(path.relative_to(entry.parent).as_posix()))))
    return False


def usb_kit_owns(root: Path) -> Callable[[Path], bool]:
    """Whether an entry of ``build usb --out`` is part of a previous kit (see ``usb_kit``)."""
    from tiktok_lab.kit.usb import INSTALL_BAT, INSTALL_SH, NOTEBOOKS, README, WHEELS

    from tiktok_lab.kit.sources_page import page_name

    from tiktok_lab.course.course_source import notebook_names

    course = set(notebook_names(root / NOTEBOOKS))
    course |= {page_name(language) for language in SUPPORTED_LANGUAGES}

    def owns(entry: Path) -> bool:
        if entry.is_symlink():
            return False
        if entry.name == WHEELS:
            return _only_files(entry, lambda path: path.parent == entry and (
                path.suffix == ".whl" or path.name == ".platform-requirements.txt"))
        if entry.name == NOTEBOOKS:
            return _only_files(entry, lambda path: path.relative_to(entry).as_posix() in course)
        if entry.name in {README, INSTALL_SH, INSTALL_BAT}:
            return entry.is_file() and "tiktok-lab" in entry.read_text("utf-8", errors="replace")
        return entry.name == ".requirements.txt" and entry.is_file()

    return owns


def _only_files(folder: Path, allowed: Callable[[Path], bool]) -> bool:
    """A real folder whose every file is ``allowed`` (no link anywhere inside)."""
    if not folder.is_dir():
        return False
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(base, name)
            if path.is_symlink() or (name in files and not allowed(path)):
                return False
    return True


def run_link(args: argparse.Namespace) -> int:
    """Print the nbgitpuller link; a mistyped address gets a sentence, not a traceback."""
    from tiktok_lab.kit.hub_link import LinkError, build_link

    try:
        link = build_link(args.hub, args.repo, args.branch, args.notebook, args.app, args.targetpath)
    except LinkError as error:
        print(f"{MARKS['problem']} {error}", file=sys.stderr)
        return 2
    print(t("hub_link.cli.explain", notebook=link.urlpath), file=sys.stderr)
    print(link.url)
    return 0


def build_learner(root: Path, *, write: bool) -> list[str]:
    from tiktok_lab.kit.editions import build_editions

    return build_editions(root, "learner", write=write)


def build_trainer(root: Path, *, write: bool) -> list[str]:
    from tiktok_lab.kit.editions import build_editions

    return build_editions(root, "trainer", write=write)


def build_schedule(root: Path, *, write: bool,
                   languages: Sequence[str] = SUPPORTED_LANGUAGES) -> list[str]:
    """``workshop/schedule.md``, and ``workshop/fr/schedule.md`` in French."""
    from tiktok_lab.kit.workshop.build import sync_pages

    return sync_pages(root, _schedule_pages(languages), write=write, folders=())


def _schedule_pages(languages: Sequence[str]) -> dict[str, str]:
    from tiktok_lab.kit.workshop.schedule import build_schedule_markdown, schedule_page

    pages = {}
    for language in languages:
        with speaking(language):
            pages[schedule_page()] = build_schedule_markdown()
    return pages


def build_sources(root: Path, *, write: bool) -> list[str]:
    from tiktok_lab.kit.sources_page import build_sources as write_sources

    return write_sources(root, write=write)


def build_workshop(root: Path, *, write: bool,
                   languages: Sequence[str] = SUPPORTED_LANGUAGES) -> list[str]:
    """The trainer's printed kit (agendas, notes, participant sheets, schedule) in each
    language: English in ``workshop/``, French in ``workshop/fr/``, the same renderers run
    inside ``speaking(language)``."""
    from tiktok_lab.kit.workshop.build import generated_folders, sync_pages, workshop_pages

    changed = []
    for language in languages:
        with speaking(language):
            pages = workshop_pages(root)
            folders = generated_folders()
        changed += sync_pages(root, pages, write=write, folders=folders)
    return changed + sync_pages(root, _schedule_pages(languages), write=write, folders=())


# The editions render the lessons' generated cells (nav, header, key points) from source/en/.
BUILDERS = {"learner": build_learner, "trainer": build_trainer,
            "schedule": build_schedule, "workshop": build_workshop, "sources": build_sources}
BUILD_TARGETS = list(BUILDERS)
# Built once per language (``--lang`` picks one): English in workshop/, French in workshop/fr/.
KIT_PAGE_TARGETS = ("schedule", "workshop")
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
