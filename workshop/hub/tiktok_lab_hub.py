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
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from traitlets import Unicode

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
    user_prefix: str = Field(default="tl-", pattern=r"^[a-z][a-z0-9]{0,5}-$")
    trainer: str = Field(default="trainer", pattern=USERNAME_PATTERN)
    public_ip: str = "0.0.0.0"
    public_port: int = Field(default=8000, ge=1, le=65535)
    hub_port: int = Field(default=8081, ge=1, le=65535)
    proxy_api_port: int = Field(default=8001, ge=1, le=65535)

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

    @property
    def account(self) -> str:
        return f"{self.account_prefix}{self.user.name}"

    async def start(self):  # type: ignore[override]
        await prepare_shared_charts(self.log)
        entry = await asyncio.to_thread(ensure_account, self.account, Path(self.homes))
        await asyncio.to_thread(self._copy_course, entry)
        self._cgroups = await asyncio.to_thread(
            CgroupLimits().prepare, self.account, self.mem_limit, self.cpu_limit)
        if not self._cgroups:
            self.log.warning("No writable cgroup: %s runs without memory and CPU limits", self.account)
        return await super().start()

    async def stop(self, now: bool = False) -> None:
        await super().stop(now=now)
        await asyncio.to_thread(CgroupLimits().release, self.account)

    def _copy_course(self, entry: pwd.struct_passwd) -> None:
        command = [*self.course_command.split(), str(Path(entry.pw_dir) / COURSE_FOLDER)]
        done = subprocess.run(command, preexec_fn=set_user_setuid(self.account), cwd=entry.pw_dir,
                              env={"HOME": entry.pw_dir, "PATH": os.environ.get("PATH", "")},
                              capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            self.log.error("Copying the course for %s failed: %s", self.account, done.stderr[-2000:])

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
