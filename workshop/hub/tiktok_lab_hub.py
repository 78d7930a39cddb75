"""The class hub's own parts: who may log in, and how each participant's server is started.

A one-day class needs three things JupyterHub does not do out of the box on one machine:

- **Logins without accounts to prepare.** Participants type a name of their choice and the
  workshop password written on the board (JupyterHub's own ``SharedPasswordAuthenticator``).
  Names are folded to what a Unix account accepts ("Élodie Martin" logs in as
  ``elodie-martin``), so nobody is refused for an accent or a space.
- **One Unix account per participant, made at first spawn.** Each hub user ``name`` runs as
  the system account ``<prefix><name>`` (``tl-elodie-martin``), whose home is private
  (mode 0700): nobody can read another's ``my_work/``. The prefix keeps a participant from
  logging in as ``root`` or any account of the machine.
- **Limits that hold.** ``Spawner.mem_limit`` and ``Spawner.cpu_limit`` are JupyterHub's own
  settings, which ``LocalProcessSpawner`` documents but does not enforce. Here each
  participant's server (and every kernel it starts, which inherits it) runs in its own cgroup
  with those limits, so a runaway cell kills one kernel, not the class. On a machine with
  systemd as PID 1, ``jupyterhub-systemdspawner`` does the same through systemd; this spawner
  writes the cgroup files itself so that it also works where systemd does not run (a
  container, this project's CI).

The course is copied into each home at every start, by ``tiktok-lab copy-course`` run as the
participant (so a file they own can never make root write elsewhere); it adds what is
missing and never overwrites a file, so their edits and their work survive.

The live room (``tiktok_lab.room``) needs a **drop box**: the class folder, made at start-up,
owned by the trainer's account with mode ``3773``. Participants may create their class file in
it but neither list the folder nor read anyone's file; only the trainer reads them, in the
view ``tiktok-lab class --write-notebook`` lays out in the trainer's home at each spawn. Every
server is told where the folder is (``TIKTOK_LAB_CLASS_DIR``).

Settings come from ``class.yaml`` beside this file (or the file named by
``TIKTOK_LAB_HUB_SETTINGS``), validated at start so a typo stops the hub with a sentence,
not in the middle of the class. The passwords come from the environment, never from a file
in the repository.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

import yaml
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from jupyterhub.traitlets import ByteSpecification
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from traitlets import Unicode

from tiktok_lab.room.class_folder import (  # noqa: F401 (CLASS_DIR_ENV: for the config)
    CLASS_DIR_ENV, DROP_BOX_MODE, OWN_FILE)

HERE = Path(__file__).resolve().parent
SETTINGS_ENV = "TIKTOK_LAB_HUB_SETTINGS"
PASSWORD_ENV = "TIKTOK_LAB_HUB_PASSWORD"
ADMIN_PASSWORD_ENV = "TIKTOK_LAB_HUB_ADMIN_PASSWORD"
MONITOR_TOKEN_ENV = "TIKTOK_LAB_HUB_MONITOR_TOKEN"
PROXY_TOKEN_ENV = "CONFIGPROXY_AUTH_TOKEN"
COURSE_FOLDER = "tiktok-lab-course"
# What a hub user name may be once folded: a Unix account name, short enough for the prefix.
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{0,23}$"


class HubSettingsError(ValueError):
    """The class settings cannot start a hub; the message says what to change."""


class ClassSettings(BaseModel):
    """What a trainer sets for a class (``class.yaml``); every field is explained there."""

    model_config = ConfigDict(extra="forbid")

    language: Literal["en", "fr"] = "en"
    memory_limit: str = Field(default="1G", pattern=r"^\d+(\.\d+)?[KMGT]$")
    cpu_limit: float = Field(default=1.0, gt=0, le=64)
    idle_timeout_minutes: float = Field(default=60, ge=0.1, le=24 * 60)
    kernel_idle_timeout_minutes: int = Field(default=20, ge=1, le=24 * 60)
    homes: Path = Path("/home/tiktok-lab")
    state: Path = Path("/var/lib/tiktok-lab-hub")
    # Beside the state folder, not in it: participants must traverse the class folder's parents,
    # and the state folder (user list, cookie secret) stays closed to them.
    class_folder: Path = Path("/var/lib/tiktok-lab-class")
    user_prefix: str = Field(default="tl-", pattern=r"^[a-z][a-z0-9]{0,5}-$")
    trainer: str = Field(default="trainer", pattern=USERNAME_PATTERN)
    public_ip: str = "0.0.0.0"
    public_port: int = Field(default=8000, ge=1, le=65535)
    hub_port: int = Field(default=8081, ge=1, le=65535)
    proxy_api_port: int = Field(default=8001, ge=1, le=65535)

    @model_validator(mode="after")
    def _class_folder_stands_apart(self) -> ClassSettings:
        folder = self.class_folder
        if not folder.is_absolute():
            raise ValueError(f"class_folder must be a full path (/var/lib/...), not {folder}")
        for other, name in ((self.state, "state"), (self.homes, "homes")):
            if folder == other or other in folder.parents or folder in other.parents:
                raise ValueError(f"class_folder ({folder}) must stand apart from {name} "
                                 f"({other}): participants may enter it, not those")
        return self

    @property
    def trainer_account(self) -> str:
        """The trainer's Unix account, made like a participant's (prefix + login name)."""
        return f"{self.user_prefix}{self.trainer}"

    @property
    def mem_limit_bytes(self) -> int:
        """The limit as JupyterHub reads ``Spawner.mem_limit`` ("1G" is 1024³ bytes)."""
        return int(ByteSpecification().validate(None, self.memory_limit))


def settings_path() -> Path:
    return Path(os.environ.get(SETTINGS_ENV) or HERE / "class.yaml")


def load_settings(path: Path | None = None) -> ClassSettings:
    """The class settings, or :class:`HubSettingsError` naming the line to fix."""
    path = path or settings_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise HubSettingsError(f"Cannot read the class settings {path}: {error.strerror}.") from None
    except yaml.YAMLError as error:
        raise HubSettingsError(f"The class settings {path} are not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise HubSettingsError(f"The class settings {path} must be 'name: value' lines.")
    try:
        return ClassSettings.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise HubSettingsError(f"Fix {path}: {problems}.") from None


def secret_from_env(name: str, *, required: bool, least: int = 8) -> str:
    """A password or token from the environment, as long as JupyterHub asks (8 characters for
    the workshop password, 32 for the trainer's, which opens everyone's server)."""
    value = os.environ.get(name, "")
    if not value and not required:
        return ""
    if len(value) < least:
        raise HubSettingsError(
            f"Set {name} to a password of {least} characters or more before starting the hub "
            f"(for example: export {name}=\"$(openssl rand -base64 {max(12, least)})\")."
        )
    return value


def fold_username(typed: str) -> str:
    """A login name as a Unix account accepts it: no accents, lower case, '-' for spaces."""
    ascii_only = unicodedata.normalize("NFKD", typed).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_-]+", "-", ascii_only.lower()).strip("-_")


class ClassroomAuthenticator(SharedPasswordAuthenticator):
    """The workshop password for everyone, the trainer's own password for the trainer."""

    def normalize_username(self, username: str) -> str:
        return super().normalize_username(fold_username(username))


# --- per-participant limits ---------------------------------------------------------------

CGROUP_ROOT = Path("/sys/fs/cgroup")
CGROUP_PARENT = "tiktok-lab"


@dataclass(frozen=True)
class CgroupLimits:
    """A participant's cgroup: made before their server starts, joined by it before exec.

    cgroup v2 (one tree, ``memory.max``/``cpu.max``) on current distributions; v1 (one tree
    per controller, ``memory.limit_in_bytes``/``cpu.cfs_quota_us``) on older hosts and here.
    """

    root: Path = CGROUP_ROOT

    @property
    def version(self) -> int | None:
        if (self.root / "cgroup.controllers").is_file():
            return 2
        if (self.root / "memory" / "memory.limit_in_bytes").is_file():
            return 1
        return None

    def folders(self, account: str) -> list[Path]:
        if self.version == 2:
            return [self.root / CGROUP_PARENT / account]
        if self.version == 1:
            return [self.root / controller / CGROUP_PARENT / account for controller in ("memory", "cpu")]
        return []

    def prepare(self, account: str, mem_limit: int | None, cpu_limit: float | None) -> list[Path]:
        """Create the participant's cgroup with its limits (None: unlimited); return the
        folders the server must join."""
        period = 100_000
        quota = max(1000, int(cpu_limit * period)) if cpu_limit else None
        if self.version == 2:
            parent = self.root / CGROUP_PARENT
            parent.mkdir(exist_ok=True)
            (self.root / "cgroup.subtree_control").write_text("+memory +cpu")
            (parent / "cgroup.subtree_control").write_text("+memory +cpu")
            folder = parent / account
            folder.mkdir(exist_ok=True)
            (folder / "memory.max").write_text(str(mem_limit) if mem_limit else "max")
            swap = folder / "memory.swap.max"
            if swap.exists():
                swap.write_text("0")  # a limit that swap can dodge is no limit
            (folder / "cpu.max").write_text(f"{quota or 'max'} {period}")
            return [folder]
        if self.version == 1:
            memory, cpu = self.folders(account)
            for folder in (memory, cpu):
                folder.mkdir(parents=True, exist_ok=True)
            (memory / "memory.limit_in_bytes").write_text(str(mem_limit or -1))
            swap = memory / "memory.memsw.limit_in_bytes"
            if swap.exists():
                swap.write_text(str(mem_limit or -1))
            (cpu / "cpu.cfs_period_us").write_text(str(period))
            (cpu / "cpu.cfs_quota_us").write_text(str(quota or -1))
            return [memory, cpu]
        return []

    def release(self, account: str) -> None:
        """Remove the participant's cgroup once their server has stopped (kept if still busy)."""
        for folder in self.folders(account):
            try:
                folder.rmdir()
            except OSError:
                pass


def join_cgroups(folders: list[Path]) -> Callable[[], None]:
    """What the new server process runs, as root, before it drops to the participant."""
    targets = [str(folder / "cgroup.procs") for folder in folders]

    def join() -> None:
        pid = str(os.getpid())
        for target in targets:
            with open(target, "w") as handle:
                handle.write(pid)

    return join


# --- accounts ---------------------------------------------------------------------------------

_ACCOUNTS_LOCK = threading.Lock()  # useradd locks /etc/passwd: thirty at once would collide


def ensure_account(account: str, homes: Path) -> pwd.struct_passwd:
    """The participant's Unix account with a private home, created the first time."""
    with _ACCOUNTS_LOCK:
        try:
            entry = pwd.getpwnam(account)
        except KeyError:
            homes.mkdir(parents=True, exist_ok=True)
            homes.chmod(0o755)
            subprocess.run(
                ["useradd", "--create-home", "--home-dir", str(homes / account),
                 "--shell", "/usr/sbin/nologin", "--user-group", account],
                check=True, capture_output=True, timeout=60,
            )
            entry = pwd.getpwnam(account)
    Path(entry.pw_dir).chmod(0o700)
    return entry


# --- the live room's drop box ------------------------------------------------------------------

def closed_parent(folder: Path) -> Path | None:
    """The first folder above ``folder`` that other accounts cannot enter (no ``x`` for
    others), or None when participants can reach it."""
    for parent in reversed(folder.parents):
        if not parent.stat().st_mode & stat.S_IXOTH:
            return parent
    return None


def drop_box_repairs(info: os.stat_result, owner: pwd.struct_passwd) -> list[str]:
    """What a class folder found on disk needs to become the drop box: its owner and group
    (the trainer's, so the trainer reads and deletes every file despite the sticky bit) and
    its mode. Empty when it is right already (a hub restarted mid-class)."""
    repairs = []
    if (info.st_uid, info.st_gid) != (owner.pw_uid, owner.pw_gid):
        repairs.append("owner")
    if stat.S_IMODE(info.st_mode) != DROP_BOX_MODE:
        repairs.append("mode")
    return repairs


def prepare_class_folder(folder: Path, owner: pwd.struct_passwd) -> list[str]:
    """Make ``folder`` the class's drop box (mode ``3773``, owned by the trainer's account and
    group), or repair one found changed; returns what was repaired (nothing for a new one).
    :class:`HubSettingsError` when it cannot be one: a link or a file in its place, or a
    parent participants cannot enter."""
    existed = folder.is_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HubSettingsError(f"Cannot make the class folder {folder}: {error.strerror}. "
                               "Set class_folder in class.yaml to a folder of its own.") from None
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise HubSettingsError(f"The class folder {folder} is a link or a file, not a folder: "
                               "set class_folder in class.yaml to a folder of its own.")
    repairs = drop_box_repairs(info, owner)
    if repairs and existed:
        _refuse_a_folder_in_use(folder)
    if "owner" in repairs:
        os.chown(folder, owner.pw_uid, owner.pw_gid, follow_symlinks=False)
    os.chmod(folder, DROP_BOX_MODE)  # after chown, which may clear the setgid bit
    closed = closed_parent(folder)
    if closed is not None:
        raise HubSettingsError(
            f"Participants cannot reach the class folder {folder}: {closed} is closed to "
            f"other accounts. Open it (chmod o+x {closed}) or set class_folder elsewhere.")
    return repairs if existed else []


def _refuse_a_folder_in_use(folder: Path) -> None:
    """A folder holding anything but class files is not a drop box to repair: a class_folder
    set to /tmp or /etc by mistake must not be handed to the trainer and opened to all."""
    others = sorted(entry.name for entry in os.scandir(folder)
                    if not (entry.is_file(follow_symlinks=False) and OWN_FILE.match(entry.name)))
    if others:
        raise HubSettingsError(
            f"The class folder {folder} already holds other files ({', '.join(others[:3])}): "
            "set class_folder in class.yaml to a folder of its own (the hub makes it).")


def open_class_folder(settings: ClassSettings) -> list[str]:
    """At hub start: the trainer's account (made as a participant's would be at first spawn)
    and the class folder it owns. Returns what was repaired, for the hub's log."""
    trainer = ensure_account(settings.trainer_account, settings.homes)
    return prepare_class_folder(settings.class_folder, trainer)


_charts_lock = asyncio.Lock()
_charts_ready = False


async def prepare_shared_charts(log) -> None:
    """Build the offline chart library once, for everyone, into the environment (read-only for
    participants): otherwise each first set-up cell builds its own, and thirty at once wait
    half a minute (benchmarks/classroom.py). The first start of the day pays ~3 s."""
    global _charts_ready
    async with _charts_lock:
        if _charts_ready:
            return
        done = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "tiktok_lab.core.charts"],
            capture_output=True, text=True, timeout=300, check=False)
        built = done.stdout.strip().splitlines()[-1:] if done.returncode == 0 else []
        if not built or not Path(built[0]).is_file():
            log.warning("The shared chart library was not built (each participant's first "
                        "set-up cell will build its own): %s", done.stderr[-2000:])
        _charts_ready = True


class ClassroomSpawner(LocalProcessSpawner):
    """``LocalProcessSpawner`` with a private account, the course and enforced limits."""

    homes = Unicode("/home/tiktok-lab", help="Where participants' homes are made.").tag(config=True)
    account_prefix = Unicode("tl-", help="Prefix of participants' Unix accounts.").tag(config=True)
    course_command = Unicode(
        f"{sys.executable} -m tiktok_lab.cli.main copy-course",
        help="Lays the course out in the folder given as last argument (run as the participant).",
    ).tag(config=True)
    trainer = Unicode("", help="The trainer's hub name: their server also gets the class view.").tag(
        config=True)
    class_view_command = Unicode(
        f"{sys.executable} -m tiktok_lab.cli.main class --write-notebook",
        help="Writes the trainer's view (class-view.ipynb) into the folder given as last argument.",
    ).tag(config=True)

    @property
    def account(self) -> str:
        return f"{self.account_prefix}{self.user.name}"

    async def start(self):  # type: ignore[override]
        await prepare_shared_charts(self.log)
        entry = await asyncio.to_thread(ensure_account, self.account, Path(self.homes))
        await asyncio.to_thread(self._copy_course, entry)
        if self.trainer and self.user.name == self.trainer:
            await asyncio.to_thread(self._write_class_view, entry)
        self._cgroups = await asyncio.to_thread(
            CgroupLimits().prepare, self.account, self.mem_limit, self.cpu_limit)
        if not self._cgroups:
            self.log.warning("No writable cgroup: %s runs without memory and CPU limits", self.account)
        return await super().start()

    async def stop(self, now: bool = False) -> None:
        await super().stop(now=now)
        await asyncio.to_thread(CgroupLimits().release, self.account)

    def _run_as_owner(self, entry: pwd.struct_passwd, command: list[str]):
        """``command`` as the server's own account, in its home, with the server's settings
        (language, class folder) and nothing else of the hub's environment."""
        env = {"HOME": entry.pw_dir, "PATH": os.environ.get("PATH", ""),
               **{name: value for name, value in self.environment.items() if isinstance(value, str)}}
        try:
            return subprocess.run(command, preexec_fn=set_user_setuid(self.account),
                                  cwd=entry.pw_dir, env=env, capture_output=True, text=True,
                                  timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            return subprocess.CompletedProcess(command, -1, "", str(error))

    def _copy_course(self, entry: pwd.struct_passwd) -> None:
        command = [*self.course_command.split(), str(Path(entry.pw_dir) / COURSE_FOLDER)]
        done = self._run_as_owner(entry, command)
        if done.returncode != 0:
            self.log.error("Copying the course for %s failed: %s", self.account, done.stderr[-2000:])

    def _write_class_view(self, entry: pwd.struct_passwd) -> None:
        """The trainer's view, ``class-view.ipynb`` in their home (opened with Voilà). A failure
        (an older tiktok-lab without the command) is logged: the trainer's server starts all
        the same, with JupyterLab."""
        done = self._run_as_owner(entry, [*self.class_view_command.split(), entry.pw_dir])
        if done.returncode != 0:
            self.log.warning("The class view was not written for %s (the server starts without "
                             "it): %s", self.account, done.stderr[-2000:])

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        drop = set_user_setuid(self.account)
        join = join_cgroups(getattr(self, "_cgroups", []))

        def preexec() -> None:
            join()
            drop()

        return preexec

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        entry = pwd.getpwnam(self.account)
        env.update(USER=self.account, HOME=entry.pw_dir, SHELL="/bin/bash")
        return env


def remove_account(account: str) -> None:
    """Delete a participant's account and home (after the class, by the trainer's choice)."""
    try:
        entry = pwd.getpwnam(account)
    except KeyError:
        return
    subprocess.run(["userdel", account], check=False, capture_output=True, timeout=60)
    shutil.rmtree(entry.pw_dir, ignore_errors=True)
