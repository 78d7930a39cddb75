# The class hub: JupyterHub for a one-day tiktok-lab workshop on one machine.
#
#   sudo TIKTOK_LAB_HUB_PASSWORD=... CONFIGPROXY_AUTH_TOKEN=... \
#        /opt/tiktok-lab-hub/bin/jupyterhub -f workshop/hub/jupyterhub_config.py
#
# workshop/hub/README.md is the trainer's guide (install, start, sizing, after the class);
# class.yaml holds what a trainer changes; tiktok_lab_hub.py the parts JupyterHub lacks.
# tests/hub/ starts this very file, with a class.yaml of its own.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiktok_lab_hub import (  # noqa: E402
    ADMIN_PASSWORD_ENV,
    CLASS_DIR_ENV,
    COURSE_FOLDER,
    MONITOR_TOKEN_ENV,
    PASSWORD_ENV,
    PROXY_TOKEN_ENV,
    USERNAME_PATTERN,
    ClassroomAuthenticator,
    ClassroomSpawner,
    load_settings,
    open_class_folder,
    secret_from_env,
)

c = get_config()  # noqa: F821 (JupyterHub provides it)
settings = load_settings()

# --- where the hub keeps its state (the user list, cookies): never in the course folder -------
settings.state.mkdir(parents=True, exist_ok=True)
settings.state.chmod(0o700)
c.JupyterHub.db_url = f"sqlite:///{settings.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(settings.state / "proxy.pid")

# --- the proxy runs as its own service, so that restarting the hub cuts nobody off ------------
c.JupyterHub.bind_url = f"http://{settings.public_ip}:{settings.public_port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.hub_port}"
c.ConfigurableHTTPProxy.should_start = False
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.auth_token = secret_from_env(PROXY_TOKEN_ENV, required=True)
# A hub restart in the middle of the class keeps every participant's server and kernels.
c.JupyterHub.cleanup_servers = False

# --- who logs in: any name and the workshop password; the trainer with their own --------------
c.JupyterHub.authenticator_class = ClassroomAuthenticator
c.ClassroomAuthenticator.user_password = secret_from_env(PASSWORD_ENV, required=True)
c.ClassroomAuthenticator.allow_all = True
c.ClassroomAuthenticator.username_pattern = USERNAME_PATTERN
admin_password = secret_from_env(ADMIN_PASSWORD_ENV, required=False, least=32)
if admin_password:
    c.ClassroomAuthenticator.admin_users = {settings.trainer}
    c.ClassroomAuthenticator.admin_password = admin_password
else:  # without a trainer password, the trainer's name is simply not open to participants
    c.ClassroomAuthenticator.blocked_users = {settings.trainer}
c.JupyterHub.template_vars = {
    "announcement_login": (
        "Type your first name and the initial of your surname (marie-d) and the workshop password. · "
        "Tapez votre prénom et l'initiale de votre nom (marie-d) et le mot de passe de l'atelier."
    ),
}

# --- each participant: own account, the course, limits, JupyterLab on the start notebook ------
c.JupyterHub.spawner_class = ClassroomSpawner
c.ClassroomSpawner.homes = str(settings.homes)
c.ClassroomSpawner.account_prefix = settings.user_prefix
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.mem_limit = settings.memory_limit
c.Spawner.cpu_limit = settings.cpu_limit
edition = "notebooks/fr" if settings.language == "fr" else "notebooks"
c.Spawner.default_url = f"/lab/tree/{COURSE_FOLDER}/{edition}/00_start_here.ipynb"
c.Spawner.environment = {"TIKTOK_LAB_LANG": settings.language,
                         CLASS_DIR_ENV: str(settings.class_folder)}
c.Spawner.args = [
    # Kernels of lessons left open are shut after a while (work is saved in my_work/, not in
    # the kernel); a kernel whose notebook is open in a tab is spared.
    f"--MappingKernelManager.cull_idle_timeout={settings.kernel_idle_timeout_minutes * 60}",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=False",
    # No Internet needed in the room: no news, no update check, no extension search.
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
]
# JupyterLab's defaults of the edition, as `tiktok-lab lab` gives them: no news question, and
# for French the menus in French.
from tiktok_lab.cli.main import lab_language_settings  # noqa: E402

c.Spawner.args.append(f"--LabApp.app_settings_dir={lab_language_settings(settings.language)}")
c.Spawner.start_timeout = 120  # thirty servers starting at 9:00 on a small machine
c.Spawner.http_timeout = 60
c.JupyterHub.concurrent_spawn_limit = 30

# --- the live room: the drop box participants share into, only the trainer reads ----------------
# Owned by the trainer's account (made now if missing), mode 3773; repaired if a rerun finds it
# changed. The trainer's server also gets the view: class-view.ipynb in their home, for Voilà.
repaired = open_class_folder(settings)
if repaired:
    print(f"The class folder {settings.class_folder} was repaired ({', '.join(repaired)}).",
          file=sys.stderr)
c.ClassroomSpawner.trainer = settings.trainer

# --- idle servers stop (their files stay): jupyterhub-idle-culler, without --cull-users -------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable, "-m", "jupyterhub_idle_culler",
            f"--timeout={round(settings.idle_timeout_minutes * 60)}",
            f"--cull-every={min(60, max(5, round(settings.idle_timeout_minutes * 30)))}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
monitor_token = secret_from_env(MONITOR_TOKEN_ENV, required=False)
if monitor_token:  # tests, benchmarks/classroom.py and the trainer's own checks
    c.JupyterHub.services.append({"name": "class-monitor", "api_token": monitor_token})
    c.JupyterHub.load_roles.append({
        "name": "class-monitor",
        "scopes": ["admin:users", "admin:servers", "admin:server_state", "list:users"],
        "services": ["class-monitor"],
    })
