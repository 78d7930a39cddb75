"""The class hub's configuration, read as JupyterHub reads it, without starting a hub.

What a trainer relies on: a typo in ``class.yaml`` or a missing password stops the hub with a
sentence; names with accents or spaces still log in; the idle culler stops servers but never
deletes users; limits are written where the kernel enforces them (cgroup v1 and v2); and the
Kubernetes form (``z2jh-values.yaml``) makes the same choices as the one-machine form.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

pytest.importorskip("jupyterhub", reason="the hub's tests need the hub extra (make test installs it)")

from traitlets.config import PyFileConfigLoader  # noqa: E402

from tiktok_lab.room.class_folder import CLASS_DIR_ENV, DROP_BOX_MODE  # noqa: E402

from . import own_loop
from .classhub import HUB_ENV, HUB_FOLDER, PROXY, ROOT  # noqa: E402

import tiktok_lab_hub as hub_parts  # noqa: E402  (workshop/hub/, put on the path by classhub)

TRAINER_PASSWORD = "trainer-password-of-32-characters"
CONFIG = HUB_FOLDER / "jupyterhub_config.py"
PASSWORDS = {
    hub_parts.PASSWORD_ENV: "workshop-2026",
    hub_parts.PROXY_TOKEN_ENV: "proxy-token-for-tests",
}


OPEN_FOLDERS: list[Path] = []


@pytest.fixture(autouse=True)
def open_folder():
    """A folder other accounts may enter (pytest's own are closed), removed afterwards: where
    the class folder goes, since the hub refuses one that participants cannot reach."""
    folder = Path(tempfile.mkdtemp(prefix="tiktok-lab-test-"))
    folder.chmod(0o755)
    OPEN_FOLDERS.append(folder)
    yield folder
    OPEN_FOLDERS.remove(folder)
    shutil.rmtree(folder, ignore_errors=True)


def someone_else() -> pwd.struct_passwd:
    """An account that is not this process's, to own a class folder ("nobody")."""
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no 'nobody' account on this machine")


def load_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, settings: dict | None = None,
                env: dict[str, str] | None = None):
    """``jupyterhub_config.py`` as JupyterHub loads it, with a class.yaml in ``tmp_path``.

    The trainer's account is not made on this machine: ``ensure_account`` answers with this
    process's own account (the accounts asked for are in ``hub_parts.accounts_asked``)."""
    values = yaml.safe_load((HUB_FOLDER / "class.yaml").read_text(encoding="utf-8"))
    values.update(state=str(tmp_path / "state"), homes=str(tmp_path / "homes"),
                  class_folder=str(OPEN_FOLDERS[-1] / "class"),
                  **(settings or {}))
    asked: list[str] = []
    monkeypatch.setattr(hub_parts, "accounts_asked", asked, raising=False)
    monkeypatch.setattr(hub_parts, "ensure_account",
                        lambda account, homes: asked.append(account) or pwd.getpwuid(os.getuid()))
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
    assert config.Spawner.environment["TIKTOK_LAB_LANG"] == "fr"
    assert any(arg.startswith("--LabApp.app_settings_dir=") for arg in config.Spawner.args)
    assert config.Spawner.args[-1].endswith("jupyterlab/fr")
    english = load_config(tmp_path, monkeypatch)
    assert english.Spawner.default_url.endswith("/notebooks/00_start_here.ipynb")
    assert english.Spawner.args[-1].endswith("jupyterlab/en")  # no news question either


def test_the_state_folder_is_private(tmp_path, monkeypatch) -> None:
    load_config(tmp_path, monkeypatch)
    assert (tmp_path / "state").stat().st_mode & 0o077 == 0


# --- the live room's drop box ------------------------------------------------------------------

def test_the_class_folder_defaults_beside_the_hub_state(tmp_path) -> None:
    path = tmp_path / "class.yaml"
    path.write_text("language: en\n", encoding="utf-8")
    settings = hub_parts.load_settings(path)
    assert settings.class_folder == Path("/var/lib/tiktok-lab-class")
    assert settings.state not in settings.class_folder.parents  # the state folder stays closed
    assert hub_parts.load_settings(HUB_FOLDER / "class.yaml").class_folder == settings.class_folder
    assert settings.trainer_account == "tl-trainer"


@pytest.mark.parametrize("line, says", [
    ("class_folder: class", "full path"),
    ("class_folder: /var/lib/tiktok-lab-hub/class", "state"),  # the default state folder
    ("class_folder: /home/tiktok-lab/tl-trainer/class", "homes"),
    ("class_folder: /home", "homes"),
    ("class_foldr: /srv/class", "class_foldr"),
])
def test_a_class_folder_inside_the_hub_state_or_the_homes_is_refused(
        tmp_path: Path, line: str, says: str) -> None:
    path = tmp_path / "class.yaml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(hub_parts.HubSettingsError) as error:
        hub_parts.load_settings(path)
    assert says in str(error.value) and str(path) in str(error.value)


def test_every_server_is_told_where_the_class_folder_is(tmp_path, monkeypatch, open_folder) -> None:
    config = load_config(tmp_path, monkeypatch, settings={"trainer": "marie", "user_prefix": "cl-"})
    folder = open_folder / "class"
    assert config.Spawner.environment[CLASS_DIR_ENV] == str(folder)
    assert config.ClassroomSpawner.trainer == "marie"
    # Made at start, owned by the trainer's account (asked for as a participant's would be).
    assert hub_parts.accounts_asked == ["cl-marie"]
    info = folder.stat()
    assert stat.S_IMODE(info.st_mode) == DROP_BOX_MODE
    assert (info.st_uid, info.st_gid) == (os.getuid(), os.getgid())


def nobody_stat(mode: int, owner: pwd.struct_passwd, uid: int | None = None) -> os.stat_result:
    fields = [stat.S_IFDIR | mode, 0, 0, 2, owner.pw_uid if uid is None else uid, owner.pw_gid,
              4096, 0, 0, 0]
    return os.stat_result(fields)


def test_the_drop_box_is_repaired_only_where_it_differs() -> None:
    trainer = pwd.struct_passwd(("tl-trainer", "x", 1500, 1500, "", "/home/t", "/bin/false"))
    assert hub_parts.drop_box_repairs(nobody_stat(DROP_BOX_MODE, trainer), trainer) == []
    assert hub_parts.drop_box_repairs(nobody_stat(0o755, trainer), trainer) == ["mode"]
    assert hub_parts.drop_box_repairs(nobody_stat(0o1773, trainer), trainer) == ["mode"]  # no setgid
    assert hub_parts.drop_box_repairs(nobody_stat(DROP_BOX_MODE, trainer, uid=0), trainer) == ["owner"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_class_folder_found_changed_is_given_back_to_the_trainer(open_folder: Path) -> None:
    trainer = someone_else()
    folder = open_folder / "class"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)  # a trainer who "fixed" it by opening it to everyone
    assert hub_parts.prepare_class_folder(folder, trainer) == ["owner", "mode"]
    info = folder.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == \
        (trainer.pw_uid, trainer.pw_gid, DROP_BOX_MODE)
    assert hub_parts.prepare_class_folder(folder, trainer) == []  # a hub restart changes nothing
    fresh = open_folder / "new" / "class"
    assert hub_parts.prepare_class_folder(fresh, trainer) == []  # made, not repaired
    assert stat.S_IMODE(fresh.stat().st_mode) == DROP_BOX_MODE


@pytest.mark.parametrize("found", ["notes.txt", "folder", ".hidden"])
def test_a_folder_in_use_is_never_taken_for_the_class_folder(open_folder: Path, found: str) -> None:
    """class_folder: /tmp (or /etc) by mistake: nothing is chowned nor opened to all."""
    folder = open_folder / "busy"
    folder.mkdir()
    os.chmod(folder, 0o755)
    (folder / found).mkdir() if found == "folder" else (folder / found).write_text("x")
    (folder / "0123456789abcdef0123456789abcdef.json").write_text("{}")  # a class file is fine
    with pytest.raises(hub_parts.HubSettingsError, match=f"holds other files \\({found}\\)"):
        hub_parts.prepare_class_folder(folder, someone_else())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755 and folder.stat().st_uid == os.getuid()


def test_a_class_folder_participants_cannot_reach_stops_the_hub(open_folder: Path) -> None:
    closed = open_folder / "closed"
    closed.mkdir(mode=0o700)
    os.chmod(closed, 0o700)
    me = pwd.getpwuid(os.getuid())
    with pytest.raises(hub_parts.HubSettingsError, match=f"chmod o\\+x {closed}"):
        hub_parts.prepare_class_folder(closed / "class", me)


def test_a_link_in_place_of_the_class_folder_stops_the_hub(open_folder: Path) -> None:
    (open_folder / "elsewhere").mkdir()
    (open_folder / "class").symlink_to(open_folder / "elsewhere")
    with pytest.raises(hub_parts.HubSettingsError, match="not a folder"):
        hub_parts.prepare_class_folder(open_folder / "class", pwd.getpwuid(os.getuid()))
    assert stat.S_IMODE((open_folder / "elsewhere").stat().st_mode) != DROP_BOX_MODE


# --- the trainer's view ---------------------------------------------------------------------

def spawner_for(account: pwd.struct_passwd, command: str, environment: dict[str, str]):
    from types import SimpleNamespace

    return hub_parts.ClassroomSpawner(user=SimpleNamespace(name=account.pw_name), account_prefix="",
                                      trainer=account.pw_name, class_view_command=command,
                                      environment=environment)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="setuid needs root")
def test_the_class_view_is_written_as_the_trainer_with_the_servers_settings(open_folder) -> None:
    trainer = someone_else()
    home = open_folder / "home"
    home.mkdir()
    os.chown(home, trainer.pw_uid, trainer.pw_gid)
    entry = pwd.struct_passwd((trainer.pw_name, "x", trainer.pw_uid, trainer.pw_gid, "",
                               str(home), "/bin/false"))
    script = open_folder / "write-view"
    script.write_text('#!/bin/sh\nid -u > "$1/class-view.ipynb"\n'
                      'echo "$TIKTOK_LAB_CLASS_DIR" >> "$1/class-view.ipynb"\n')
    script.chmod(0o755)
    spawner = spawner_for(trainer, str(script), {CLASS_DIR_ENV: "/srv/class"})
    spawner._write_class_view(entry)
    assert (home / "class-view.ipynb").read_text().split() == [str(trainer.pw_uid), "/srv/class"]


def test_a_class_view_that_cannot_be_written_does_not_stop_the_spawn(open_folder, caplog) -> None:
    """An older tiktok-lab without ``class --write-notebook``: logged, the server starts."""
    me = pwd.getpwuid(os.getuid())
    entry = pwd.struct_passwd((me.pw_name, "x", me.pw_uid, me.pw_gid, "", str(open_folder),
                               "/bin/false"))
    spawner = spawner_for(me, f"{open_folder}/no-such-command --write-notebook", {})
    spawner.log.propagate = True
    with caplog.at_level("WARNING"):
        spawner._write_class_view(entry)  # no exception
    assert "class view was not written" in caplog.text


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
    # The same environment, but for the class folder: pods all run as one account (jovyan), so
    # no drop box can keep participants from reading each other's file; README.md, "On
    # Kubernetes", says the class files are handed over as on laptops.
    assert single["extraEnv"] == {name: value for name, value in config.Spawner.environment.items()
                                  if name != CLASS_DIR_ENV}
    assert CLASS_DIR_ENV not in str(values)
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
