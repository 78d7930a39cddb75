"""The class hub of ``workshop/hub/``, started on loopback for tests and ``benchmarks/classroom.py``.

It runs the project's own ``jupyterhub_config.py`` unchanged, with a ``class.yaml`` of its own
(loopback ports, a throw-away folder for homes, an account prefix no real class uses) and
configurable-http-proxy as its own process, as ``workshop/hub/README.md`` tells a trainer to
run it. What it needs, ``make test`` installs: the hub's Python environment (``.cache/hub-env``,
from the lock, readable by the participants' accounts) and the proxy (``npm ci`` in
``workshop/hub/``). It must run as root, like a real hub: it creates Unix accounts.

The hub and the servers run this checkout's ``src/`` (``PYTHONPATH``, which JupyterHub passes
on to every server and so to every kernel): what is tested is the code beside the tests, even
when the hub environment was installed from an older commit. The commands the spawner runs as
a participant (``copy-course``, the trainer's ``class --write-notebook``) get no
``PYTHONPATH``, as on a real hub: they run the installed package, which carries the notebooks.

On the way out it stops every participant's server, the hub and the proxy, then deletes the
accounts, homes, class folder and cgroups it made, so a test run leaves the machine as it
found it.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HUB_FOLDER = ROOT / "workshop" / "hub"
HUB_ENV = Path(os.environ.get("TIKTOK_LAB_HUB_ENV") or ROOT / ".cache" / "hub-env")
PROXY = HUB_FOLDER / "node_modules" / ".bin" / "configurable-http-proxy"

sys.path.insert(0, str(HUB_FOLDER))
from tiktok_lab_hub import CgroupLimits, remove_account  # noqa: E402


def missing_parts() -> str | None:
    """Why a class hub cannot start on this machine, or None when it can."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "the class hub creates Unix accounts: run the hub tests as root"
    if shutil.which("useradd") is None:
        return "useradd is missing (Debian's passwd package)"
    if not (HUB_ENV / "bin" / "jupyterhub").is_file():
        return f"no hub environment in {HUB_ENV} (make test creates it)"
    python = (HUB_ENV / "bin" / "python").resolve()
    closed = [str(folder) for folder in python.parents if not folder.stat().st_mode & 0o001]
    if closed:
        return (f"the hub environment's Python ({python}) sits in {closed[0]}, which the "
                "participants' accounts cannot enter: make it from a Python outside it "
                "(make test uses /usr/bin/python3)")
    source = ROOT / "src"
    closed = [str(folder) for folder in [source, *source.parents]
              if not folder.stat().st_mode & 0o001]
    if closed:
        return (f"the participants' servers run this checkout's code, but {closed[0]} is "
                "closed to their accounts: put the checkout where other accounts may read it")
    if not PROXY.is_file():
        return "configurable-http-proxy is not installed (npm ci --prefix workshop/hub)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ClassHub:
    """One class hub on loopback: ``with ClassHub(tmp) as hub: ... hub.url ...``."""

    def __init__(self, workdir: Path, *, shared_password: str = "workshop-password",
                 memory_limit: str = "1G", cpu_limit: float = 1.0,
                 cull_timeout: int | None = None, language: str = "en",
                 trainer_password: str = "") -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.password = shared_password
        self.trainer_password = trainer_password  # 32 characters or more; "" keeps it closed
        self.trainer = "trainer"
        self.api_token = secrets.token_hex(32)
        self.proxy_token = secrets.token_hex(32)
        self.prefix = f"t{secrets.token_hex(2)}-"
        self.public_port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.public_port}"
        # Participants must reach their home: outside pytest's private (0700) folders.
        self.homes = Path(tempfile.mkdtemp(prefix="tiktok-lab-homes-"))
        self.homes.chmod(0o755)
        self.class_folder = Path(tempfile.mkdtemp(prefix="tiktok-lab-class-")) / "drop-box"
        self.class_folder.parent.chmod(0o755)  # the hub checks participants can reach it
        self.state = self.workdir / "state"
        idle = (cull_timeout / 60) if cull_timeout else 60
        self.settings = self.workdir / "class.yaml"
        self.settings.write_text(yaml.safe_dump({
            "language": language, "memory_limit": memory_limit, "cpu_limit": cpu_limit,
            "idle_timeout_minutes": idle, "homes": str(self.homes), "state": str(self.state),
            "class_folder": str(self.class_folder), "trainer": self.trainer,
            "user_prefix": self.prefix, "public_ip": "127.0.0.1", "public_port": self.public_port,
            "hub_port": self.hub_port, "proxy_api_port": self.api_port,
        }), encoding="utf-8")
        self.proxy: subprocess.Popen | None = None
        self.hub: subprocess.Popen | None = None
        self.names: set[str] = set()

    # --- life cycle ---------------------------------------------------------------------
    def __enter__(self) -> ClassHub:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        problem = missing_parts()
        if problem:
            raise RuntimeError(problem)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proxy = subprocess.Popen(
            [str(PROXY), "--ip", "127.0.0.1", "--port", str(self.public_port),
             "--api-ip", "127.0.0.1", "--api-port", str(self.api_port),
             "--default-target", f"http://127.0.0.1:{self.hub_port}",
             "--error-target", f"http://127.0.0.1:{self.hub_port}/hub/error"],
            env={**os.environ, "CONFIGPROXY_AUTH_TOKEN": self.proxy_token},
            stdout=self._log("proxy"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._start_hub()

    def _log(self, name: str):
        return open(self.workdir / f"{name}.log", "ab")

    def _environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("TIKTOK_LAB_", "JUPYTER", "PYTHON", "VIRTUAL_ENV"))}
        env.update({
            "PATH": f"{HUB_ENV / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}",
            "PYTHONPATH": str(ROOT / "src"),
            "TIKTOK_LAB_HUB_SETTINGS": str(self.settings),
            "TIKTOK_LAB_HUB_PASSWORD": self.password,
            "TIKTOK_LAB_HUB_MONITOR_TOKEN": self.api_token,
            "CONFIGPROXY_AUTH_TOKEN": self.proxy_token,
        })
        if self.trainer_password:
            env["TIKTOK_LAB_HUB_ADMIN_PASSWORD"] = self.trainer_password
        return env

    def _start_hub(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        self.hub = subprocess.Popen(
            [str(HUB_ENV / "bin" / "jupyterhub"), "-f", str(HUB_FOLDER / "jupyterhub_config.py")],
            cwd=self.state, env=self._environment(), stdout=self._log("hub"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.hub is not None and self.hub.poll() is not None:
                raise RuntimeError(f"the hub stopped at start:\n{self.log_tail('hub')}")
            try:
                self.api("GET", "/hub/api/")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer in {timeout:.0f} s:\n{self.log_tail('hub')}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.workdir / f"{name}.log"
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def restart_hub(self) -> None:
        """Stop the hub process only (as a crash or an upgrade would) and start it again."""
        self._terminate(self.hub)
        self._start_hub()

    def stop(self) -> None:
        try:
            if self.hub is not None and self.hub.poll() is None:
                for user in self.users():
                    if user.get("server"):
                        self.api("DELETE", f"/hub/api/users/{user['name']}/server")
                self._wait_servers_stopped()
        except (OSError, urllib.error.URLError):
            pass
        finally:
            self._terminate(self.hub)
            self._terminate(self.proxy)
            self._remove_accounts()

    def _wait_servers_stopped(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not any(user.get("server") or user.get("pending") for user in self.users()):
                return
            time.sleep(0.5)

    @staticmethod
    def _terminate(process: subprocess.Popen | None) -> None:
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _remove_accounts(self) -> None:
        for entry in pwd.getpwall():
            if entry.pw_name.startswith(self.prefix):
                subprocess.run(["pkill", "-KILL", "-u", entry.pw_name], check=False)
                time.sleep(0.2)
                remove_account(entry.pw_name)
                CgroupLimits().release(entry.pw_name)
        shutil.rmtree(self.homes, ignore_errors=True)
        shutil.rmtree(self.class_folder.parent, ignore_errors=True)

    # --- what tests look at ---------------------------------------------------------------
    def system_user(self, name: str) -> str:
        """The Unix account of hub user ``name``."""
        return f"{self.prefix}{name}"

    def home(self, name: str) -> Path:
        return self.homes / self.system_user(name)

    def api(self, method: str, path: str, body: dict | None = None) -> dict | list | None:
        """The hub's REST API with the monitor service's token (admin scopes)."""
        request = urllib.request.Request(
            f"{self.url}{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {self.api_token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            payload = answer.read()
        return json.loads(payload) if payload else None

    def users(self) -> list[dict]:
        return list(self.api("GET", "/hub/api/users") or [])

    def user(self, name: str) -> dict:
        return dict(self.api("GET", f"/hub/api/users/{name}?include_stopped_servers=1") or {})

    def server_pid(self, name: str) -> int | None:
        """The process id of ``name``'s single-user server (scope admin:server_state)."""
        server = self.user(name).get("servers", {}).get("")
        return (server or {}).get("state", {}).get("pid") or None
