"""The class hub's configuration, read as JupyterHub reads it, without starting a hub.

What a trainer relies on: a typo in ``class.yaml`` or a missing password stops the hub with a
sentence; names with accents or spaces still log in; the idle culler stops servers but never
deletes users; limits are written where the kernel enforces them (cgroup v1 and v2); and the
Kubernetes form (``z2jh-values.yaml``) makes the same choices as the one-machine form.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytest.importorskip("jupyterhub", reason="the hub's tests need the hub extra (make test installs it)")

from traitlets.config import PyFileConfigLoader  # noqa: E402

from . import own_loop
from .classhub import HUB_ENV, HUB_FOLDER, PROXY, ROOT  # noqa: E402

import tiktok_lab_hub as hub_parts  # noqa: E402  (workshop/hub/, put on the path by classhub)

TRAINER_PASSWORD = "trainer-password-of-32-characters"
CONFIG = HUB_FOLDER / "jupyterhub_config.py"
PASSWORDS = {
    hub_parts.PASSWORD_ENV: "workshop-2026",
    hub_parts.PROXY_TOKEN_ENV: "proxy-token-for-tests",
}


def load_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, settings: dict | None = None,
                env: dict[str, str] | None = None):
    """``jupyterhub_config.py`` as JupyterHub loads it, with a class.yaml in ``tmp_path``."""
    values = yaml.safe_load((HUB_FOLDER / "class.yaml").read_text(encoding="utf-8"))
    values.update(state=str(tmp_path / "state"), homes=str(tmp_path / "homes"), **(settings or {}))
    path = tmp_path / "class.yaml"
    path.write_text(yaml.safe_dump(values), encoding="utf-8")
    monkeypatch.setenv(hub_parts.SETTINGS_ENV, str(path))
    for name in (hub_parts.PASSWORD_ENV, hub_parts.ADMIN_PASSWORD_ENV,
                 hub_parts.MONITOR_TOKEN_ENV, hub_parts.PROXY_TOKEN_ENV):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PASSWORDS, **(env or {})}.items():
        monkeypatch.setenv(name, value)
    loader = PyFileConfigLoader(CONFIG.name, path=str(HUB_FOLDER))
    return loader.load_config()


def culler_command(config) -> list[str]:
    (service,) = [s for s in config.JupyterHub.services if s["name"] == "idle-culler"]
    return service["command"]


# --- class.yaml ------------------------------------------------------------------------

def test_the_shipped_class_settings_are_valid() -> None:
    settings = hub_parts.load_settings(HUB_FOLDER / "class.yaml")
    assert settings.mem_limit_bytes == 1024**3
    assert settings.user_prefix.endswith("-")


@pytest.mark.parametrize("line, field", [
    ("memory_limit: lots", "memory_limit"),
    ("cpu_limit: 0", "cpu_limit"),
    ("language: de", "language"),
    ("user_prefix: root", "user_prefix"),
    ("idle_timout_minutes: 30", "idle_timout_minutes"),  # a typo is named, not ignored
])
def test_a_wrong_setting_stops_the_hub_with_its_name(tmp_path: Path, line: str, field: str) -> None:
    path = tmp_path / "class.yaml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(hub_parts.HubSettingsError) as error:
        hub_parts.load_settings(path)
    assert field in str(error.value) and str(path) in str(error.value)


def test_settings_that_are_not_yaml_are_named(tmp_path: Path) -> None:
    path = tmp_path / "class.yaml"
    path.write_text("memory_limit: [1G\n", encoding="utf-8")
    with pytest.raises(hub_parts.HubSettingsError, match="not valid YAML"):
        hub_parts.load_settings(path)


# --- passwords and names ------------------------------------------------------------------

def test_the_hub_refuses_to_start_without_a_workshop_password(tmp_path, monkeypatch) -> None:
    with pytest.raises(hub_parts.HubSettingsError, match=hub_parts.PASSWORD_ENV):
        load_config(tmp_path, monkeypatch, env={hub_parts.PASSWORD_ENV: "short"})


@pytest.mark.parametrize("typed, folded", [
    ("Élodie Martin", "elodie-martin"),
    ("  ZOË  ", "zoe"),
    ("jean_paul", "jean_paul"),
    ("<b>bob</b>", "b-bob-b"),
    ("François-Xavier", "francois-xavier"),
    ("🎉", ""),
])
def test_names_are_folded_to_what_an_account_accepts(typed: str, folded: str) -> None:
    assert hub_parts.fold_username(typed) == folded


def test_participants_log_in_with_the_workshop_password_only(tmp_path, monkeypatch) -> None:
    config = load_config(tmp_path, monkeypatch)
    authenticator = hub_parts.ClassroomAuthenticator(config=config)

    def login(name: str, password: str):
        data = {"username": name, "password": password}
        return own_loop.run(authenticator.get_authenticated_user(None, data))

    assert login("Élodie Martin", "workshop-2026")["name"] == "elodie-martin"
    assert login("elodie", "wrong-password") is None
    assert login("🎉", "workshop-2026") is None  # nothing left once folded: refused
    # Without a trainer password, the trainer's name is closed to participants.
    assert login("trainer", "workshop-2026") is None


def test_a_short_trainer_password_is_refused_at_start(tmp_path, monkeypatch) -> None:
    with pytest.raises(hub_parts.HubSettingsError, match="32 characters"):
        load_config(tmp_path, monkeypatch, env={hub_parts.ADMIN_PASSWORD_ENV: "trainer-secret"})


def test_the_trainer_logs_in_as_admin_with_their_own_password(tmp_path, monkeypatch) -> None:
    config = load_config(tmp_path, monkeypatch,
                         env={hub_parts.ADMIN_PASSWORD_ENV: TRAINER_PASSWORD})
    authenticator = hub_parts.ClassroomAuthenticator(config=config)
    user = own_loop.run(authenticator.get_authenticated_user(
        None, {"username": "trainer", "password": TRAINER_PASSWORD}))
    assert user["name"] == "trainer" and user["admin"] is True
    assert own_loop.run(authenticator.get_authenticated_user(
        None, {"username": "trainer", "password": "workshop-2026"})) is None


# --- servers, culling, limits ---------------------------------------------------------------

def test_idle_servers_are_stopped_but_users_and_homes_are_kept(tmp_path, monkeypatch) -> None:
    config = load_config(tmp_path, monkeypatch, settings={"idle_timeout_minutes": 45})
    command = culler_command(config)
    assert "--timeout=2700" in command
    assert not any(arg.startswith(("--cull-users", "--remove-named-servers")) for arg in command)
    (role,) = [r for r in config.JupyterHub.load_roles if r["name"] == "idle-culler"]
    assert "admin:users" not in role["scopes"] and "delete:servers" in role["scopes"]


def test_a_hub_restart_keeps_servers_and_the_proxy(tmp_path, monkeypatch) -> None:
    config = load_config(tmp_path, monkeypatch)
    assert config.JupyterHub.cleanup_servers is False
    assert config.ConfigurableHTTPProxy.should_start is False


def test_limits_and_start_page_come_from_the_class_settings(tmp_path, monkeypatch) -> None:
    config = load_config(tmp_path, monkeypatch,
                         settings={"memory_limit": "768M", "cpu_limit": 0.5, "language": "fr"})
    assert config.Spawner.mem_limit == "768M" and config.Spawner.cpu_limit == 0.5
    assert config.Spawner.default_url.endswith("/notebooks/fr/00_start_here.ipynb")
    assert config.Spawner.environment == {"TIKTOK_LAB_LANG": "fr"}
    assert any(arg.startswith("--LabApp.app_settings_dir=") for arg in config.Spawner.args)
    assert config.Spawner.args[-1].endswith("jupyterlab/fr")
    english = load_config(tmp_path, monkeypatch)
    assert english.Spawner.default_url.endswith("/notebooks/00_start_here.ipynb")
    assert english.Spawner.args[-1].endswith("jupyterlab/en")  # no news question either


def test_the_state_folder_is_private(tmp_path, monkeypatch) -> None:
    load_config(tmp_path, monkeypatch)
    assert (tmp_path / "state").stat().st_mode & 0o077 == 0


def fake_cgroup_v1(root: Path) -> Path:
    for controller in ("memory", "cpu"):
        (root / controller).mkdir(parents=True)
    (root / "memory" / "memory.limit_in_bytes").write_text("9223372036854771712")
    return root


def test_cgroup_v1_limits_are_written_for_memory_and_cpu(tmp_path: Path) -> None:
    limits = hub_parts.CgroupLimits(fake_cgroup_v1(tmp_path))
    assert limits.version == 1
    folders = limits.prepare("tl-ana", 1024**3, 0.5)
    memory = tmp_path / "memory" / "tiktok-lab" / "tl-ana"
    cpu = tmp_path / "cpu" / "tiktok-lab" / "tl-ana"
    assert folders == [memory, cpu]
    assert (memory / "memory.limit_in_bytes").read_text() == str(1024**3)
    assert (cpu / "cpu.cfs_quota_us").read_text() == "50000"
    assert (cpu / "cpu.cfs_period_us").read_text() == "100000"
    for file in (memory / "memory.limit_in_bytes", cpu / "cpu.cfs_quota_us",
                 cpu / "cpu.cfs_period_us"):
        file.unlink()
    limits.release("tl-ana")
    assert not memory.exists() and not cpu.exists()


def test_cgroup_v2_limits_are_one_folder_with_both_controllers(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids")
    limits = hub_parts.CgroupLimits(tmp_path)
    assert limits.version == 2
    (folder,) = limits.prepare("tl-ana", 512 * 1024**2, 2.0)
    assert folder == tmp_path / "tiktok-lab" / "tl-ana"
    assert (folder / "memory.max").read_text() == str(512 * 1024**2)
    assert (folder / "cpu.max").read_text() == "200000 100000"
    assert "+memory" in (tmp_path / "tiktok-lab" / "cgroup.subtree_control").read_text()


def test_no_cgroup_means_no_folders_to_join(tmp_path: Path) -> None:
    limits = hub_parts.CgroupLimits(tmp_path)
    assert limits.version is None and limits.prepare("tl-ana", 1024, 1.0) == []


def test_joining_writes_the_new_process_into_each_cgroup(tmp_path: Path) -> None:
    folders = [tmp_path / "memory", tmp_path / "cpu"]
    for folder in folders:
        folder.mkdir()
    hub_parts.join_cgroups(folders)()
    assert [(f / "cgroup.procs").read_text() for f in folders] == [str(os.getpid())] * 2


# --- the same class on Kubernetes -----------------------------------------------------------

def test_the_kubernetes_values_make_the_same_choices(tmp_path, monkeypatch) -> None:
    settings = hub_parts.load_settings(HUB_FOLDER / "class.yaml")
    config = load_config(tmp_path, monkeypatch)
    values = yaml.safe_load((HUB_FOLDER / "z2jh-values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    assert single["memory"]["limit"] == settings.memory_limit
    assert float(single["cpu"]["limit"]) == settings.cpu_limit
    assert single["defaultUrl"] == config.Spawner.default_url
    assert single["extraEnv"] == config.Spawner.environment
    assert single["lifecycleHooks"]["postStart"]["exec"]["command"][:2] == ["tiktok-lab", "copy-course"]
    assert single["lifecycleHooks"]["postStart"]["exec"]["command"][2].endswith(hub_parts.COURSE_FOLDER)
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == "shared-password"
    assert hub["Authenticator"]["username_pattern"] == hub_parts.USERNAME_PATTERN
    # The same server options; JupyterLab's defaults folder is a path of the hub's environment,
    # which the image does not share (workshop/hub/README.md says how the image sets them).
    assert hub["KubeSpawner"]["args"] == [arg for arg in config.Spawner.args
                                          if not arg.startswith("--LabApp.app_settings_dir=")]
    assert hub["SharedPasswordAuthenticator"]["admin_users"] == [settings.trainer]
    assert values["hub"]["templateVars"]["announcement_login"] == \
        config.JupyterHub.template_vars["announcement_login"]
    cull = values["cull"]
    assert cull["users"] is False and cull["removeNamedServers"] is False
    assert f"--timeout={cull['timeout']}" in culler_command(config)
    # Passwords are given at install time, never written in the repository's values.
    assert not {"user_password", "admin_password"} & set(hub["SharedPasswordAuthenticator"])


# --- the two services a trainer installs --------------------------------------------------------

def unit_exec(name: str) -> list[str]:
    text = (HUB_FOLDER / name).read_text(encoding="utf-8")
    (line,) = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_proxy_service_points_where_the_class_settings_say() -> None:
    settings = hub_parts.load_settings(HUB_FOLDER / "class.yaml")
    command = unit_exec("tiktok-lab-proxy.service")
    options = dict(zip(command[1::2], command[2::2]))
    assert options["--port"] == str(settings.public_port)
    assert options["--ip"] == settings.public_ip
    assert options["--api-port"] == str(settings.proxy_api_port)
    assert options["--default-target"] == f"http://127.0.0.1:{settings.hub_port}"
    assert unit_exec("tiktok-lab-hub.service")[-1].endswith("workshop/hub/jupyterhub_config.py")
    assert "KillMode=process" in (HUB_FOLDER / "tiktok-lab-hub.service").read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not here")
def test_the_services_are_valid_systemd_units(tmp_path: Path) -> None:
    """systemd's own check, with the install paths of the guide moved to this checkout."""
    if not (HUB_ENV / "bin" / "jupyterhub").is_file() or not PROXY.is_file():
        pytest.skip("the hub environment and the proxy are not installed (make test does it)")
    for name in ("tiktok-lab-proxy.service", "tiktok-lab-hub.service"):
        text = (HUB_FOLDER / name).read_text(encoding="utf-8")
        text = text.replace("/opt/tiktok-lab-hub", str(HUB_ENV.resolve())).replace(
            "/opt/tiktok-lab", str(ROOT)).replace("/etc/tiktok-lab-hub.env", str(tmp_path / "env"))
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "env").write_text("TIKTOK_LAB_HUB_PASSWORD=workshop-2026\n", encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / n) for n in (
        "tiktok-lab-proxy.service", "tiktok-lab-hub.service"))],
        capture_output=True, text=True, timeout=60, check=False)
    problems = [line for line in done.stderr.splitlines()
                if "tiktok-lab" in line and "network-online" not in line]
    assert done.returncode == 0 and not problems, done.stderr
