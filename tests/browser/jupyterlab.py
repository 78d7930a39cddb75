"""Drive a real JupyterLab in headless Chromium, offline, for notebook tests.

Everything here follows the recipe verified on this machine
(/work/shared/recipes.md, "Real-browser tests of JupyterLab"). The point of
these helpers is that a learner's notebook is only proven to work when it has
run in the same browser UI the learner uses, with every outside host cut off:
executing cells with nbclient says nothing about widgets or charts drawing.

Server side: :func:`start_server` / :func:`stop_server` (used by the
``jupyterlab_server`` fixture in ``conftest.py``).
Browser side: :func:`launch_browser`, :func:`open_notebook`,
:func:`wait_kernel_ready`, :func:`run_all_and_wait`, :func:`collect_problems`,
:func:`count_charts`, :func:`wait_charts_drawn`, :func:`count_widgets`,
:func:`count_widget_outputs`, :func:`record_outside_requests`, :func:`record_page_errors`,
:func:`screenshot`, :func:`whole_notebook_view`, :func:`shutdown_kernel`.

No fixed sleeps: every wait is on the condition it stands for (a page function
polled by Playwright's ``page.wait_for_function``, see :func:`wait_until`, or an
auto-waiting ``expect``), so a fast machine does not wait and a slow one is not flaky.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
SCREENSHOT_DIR = ARTIFACTS_DIR / "screenshots"
LOG_DIR = ARTIFACTS_DIR / "logs"

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# Schemes that never leave the machine (no host to check).
_LOCAL_SCHEMES = frozenset({"data", "blob", "about", "javascript", "chrome", "devtools", "file"})

# Chromium flags from the recipe. The resolver rule makes every outside host
# unresolvable: a page that still works is the proof that it works offline.
# An address written as digits needs no resolver, so everything not loopback
# (which Chromium never proxies) also goes to a proxy on a closed local port.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--proxy-server=http://127.0.0.1:9",
)

# Texts that mean a learner sees something broken in an output.
PROBLEM_NEEDLES = (
    "Traceback",
    "Error displaying widget",
    "Error loading script",
    "could not be drawn",
)

# User settings written before the server starts. Without the notification
# one, a news toast covers the page; without autosave off, JupyterLab would
# write the executed notebook (with outputs) back into the repository.
LAB_USER_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {
        "autosave": False,
    },
}


# --------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------


@dataclass
class LabServer:
    """A running JupyterLab: what a test needs to reach it and debug it."""

    process: subprocess.Popen[bytes]
    port: int
    token: str
    root_dir: Path
    work_dir: Path
    lab_home: Path
    log_path: Path
    _log_file: IO[bytes] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of a server path, token included (no login page)."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def log_tail(self, chars: int = 4000) -> str:
        """End of the server log, for failure messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"
        return text[-chars:]


def free_port() -> int:
    """A port free right now on 127.0.0.1 (the OS picks it; no guessing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_lab_settings(config_dir: Path) -> None:
    """Write LAB_USER_SETTINGS under ``$JUPYTER_CONFIG_DIR/lab/user-settings``."""
    base = config_dir / "lab" / "user-settings"
    for rel, settings in LAB_USER_SETTINGS.items():
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(settings, indent=2))


def server_command(port: int, token: str, root_dir: Path, work_dir: Path,
                   language: str = "en") -> list[str]:
    """The JupyterLab command line: the venv's Python, every recipe flag.

    Checkpoints go to the private work dir: opening a notebook makes Lab
    write one, and the repository must stay untouched. ``language`` other than English
    takes JupyterLab's menus from ``tiktok-lab lab --lang``'s own settings.
    """
    from tiktok_lab.cli.main import lab_language_settings

    settings = lab_language_settings(language)
    menus = [f"--LabApp.app_settings_dir={settings}"] if settings else []
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--port-retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
        f"--FileCheckpoints.checkpoint_dir={work_dir / 'checkpoints'}",
    ] + menus


def server_env(work_dir: Path, lab_home: Path) -> dict[str, str]:
    """os.environ (keeps e.g. a PYTHONPATH network guard) plus private dirs.

    The private config/runtime/IPython dirs keep the developer's own settings,
    workspaces and startup scripts out of the test; TIKTOK_LAB_HOME keeps the
    learner store written by the notebook out of the repository.
    """
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(work_dir / "config"),
        JUPYTER_RUNTIME_DIR=str(work_dir / "runtime"),
        IPYTHONDIR=str(work_dir / "ipython"),
        TIKTOK_LAB_HOME=str(lab_home),
        PYTHONUNBUFFERED="1",
    )
    return env


def start_server(
    work_dir: Path | None = None,
    root_dir: Path = REPO_ROOT,
    timeout_s: float = 60.0,
    language: str = "en",
) -> LabServer:
    """Start JupyterLab in its own process group and wait until it answers.

    Raises RuntimeError with the server log when it does not come up.
    """
    work_dir = Path(work_dir or tempfile.mkdtemp(prefix="tiktok-lab-browser-"))
    lab_home = work_dir / "tiktok_lab_home"
    for sub in ("config", "runtime", "ipython"):
        (work_dir / sub).mkdir(parents=True, exist_ok=True)
    lab_home.mkdir(parents=True, exist_ok=True)
    write_lab_settings(work_dir / "config")

    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"jupyterlab-server-{language}.log"
    log_file = log_path.open("wb")
    port, token = free_port(), secrets.token_hex(24)
    process = subprocess.Popen(
        server_command(port, token, root_dir, work_dir, language),
        cwd=root_dir,
        env=server_env(work_dir, lab_home),
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # own process group: killed as a whole
    )
    server = LabServer(process, port, token, root_dir, work_dir, lab_home, log_path, log_file)
    try:
        wait_until_up(server, timeout_s)
    except BaseException:
        stop_server(server)
        raise
    return server


def _get(server: LabServer, path: str, method: str = "GET", timeout: float = 2.0) -> int:
    """HTTP status of a server API call; never goes through a proxy."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(
        server.base_url + path,
        method=method,
        headers={"Authorization": f"token {server.token}"},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def wait_until_up(server: LabServer, timeout_s: float) -> None:
    """Poll /api/status until 200; fail fast if the process died."""
    deadline = time.monotonic() + timeout_s
    last = "no answer yet"
    while time.monotonic() < deadline:
        code = server.process.poll()
        if code is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {code} before answering.\n"
                f"--- {server.log_path} ---\n{server.log_tail()}"
            )
        try:
            status = _get(server, "/api/status", timeout=1.0)
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise RuntimeError(
        f"JupyterLab did not answer /api/status within {timeout_s:.0f} s ({last}).\n"
        f"--- {server.log_path} ---\n{server.log_tail()}"
    )


def stop_server(server: LabServer, grace_s: float = 10.0) -> None:
    """Stop the server and its kernels, then kill its whole process group.

    Kernels run in their own sessions (jupyter_client starts them so), so the
    polite /api/shutdown comes first: it shuts the kernels down too.
    """
    process = server.process
    if process.poll() is None:
        try:
            _get(server, "/api/shutdown", method="POST", timeout=5.0)
            process.wait(timeout=grace_s)
        except (OSError, subprocess.TimeoutExpired):
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            continue
    if server._log_file is not None:
        server._log_file.close()


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------


def launch_browser(playwright: Any, executable_path: str) -> Any:
    """Headless Debian Chromium with the offline flags of the recipe."""
    return playwright.chromium.launch(
        executable_path=executable_path,
        headless=True,
        args=list(CHROMIUM_ARGS),
    )


def is_outside_url(url: str) -> bool:
    """True when the URL would leave the machine."""
    parts = urlsplit(url)
    if parts.scheme in _LOCAL_SCHEMES or not parts.scheme:
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS


def record_outside_requests(page: Any) -> list[str]:
    """Start recording outside URLs the page asks for; returns the live list.

    Call it before :func:`open_notebook`. The resolver rule already makes such
    requests fail; recording them tells *what* tried to go online.
    """
    seen: list[str] = []

    def on_url(url: str) -> None:
        if is_outside_url(url):
            seen.append(url)

    page.on("request", lambda request: on_url(request.url))
    page.on("websocket", lambda ws: on_url(ws.url))
    return seen


def unexpected_outside(seen: list[str], allowed: tuple[str, ...] = ()) -> list[str]:
    """Outside URLs in ``seen`` that contain none of the ``allowed`` substrings."""
    return [url for url in seen if not any(part in url for part in allowed)]


def new_page(browser: Any) -> tuple[Any, list[str]]:
    """A page in a fresh context, and the live list of outside URLs it requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    return page, record_outside_requests(page)


def record_page_errors(page: Any) -> list[str]:
    """Record uncaught page exceptions and console errors (context for failures)."""
    seen: list[str] = []
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: seen.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None,
    )
    return seen


def wait_until(page: Any, expression: str, arg: Any = None, timeout_s: float = 30.0) -> bool:
    """Wait until the page function ``expression`` (called with ``arg``) returns a truthy value.

    Playwright polls it in the page (``page.wait_for_function``, every 100 ms) and keeps
    polling across a navigation. Returns False when ``timeout_s`` ran out, so that the
    caller fails with its own message (or checks the state it was waiting for).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(expression, arg=arg, polling=100, timeout=timeout_s * 1000)
    except PlaywrightTimeoutError:
        return False
    return True


def expect(target: Any) -> Any:
    """Playwright's auto-waiting ``expect`` (imported late: a missing Playwright must
    become the loud skip of ``conftest.py``, not an import error of this module)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def open_notebook(page: Any, server: LabServer, path: str, timeout_s: float = 60.0) -> None:
    """Open ``path`` (relative to the server root) in a fresh Lab layout.

    ``&reset`` stops old tabs from being restored; ``wait_until="commit"``
    because Lab keeps loading long after the document is there.
    """
    url = server.url(f"/lab/tree/{quote(path)}") + "&reset"
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)


# JavaScript run in the page. window.jupyterapp exists thanks to
# --LabApp.expose_app_in_browser.
_FIND_PANEL = """
const findPanel = (path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.sessionContext) return w;
  }
  return null;
};
"""

_KERNEL_STATE_JS = (
    "(path) => {"
    + _FIND_PANEL
    + """
  const p = findPanel(path);
  const dialogs = Array.from(document.querySelectorAll('.jp-Dialog'))
    .map(d => d.innerText.replace(/\\s+/g, ' ').trim());
  if (!p) return {panel: false, appExposed: !!window.jupyterapp, dialogs};
  if (!p.__tiktokReadyHooked) {
    p.__tiktokReadyHooked = true;
    p.sessionContext.ready.then(() => { p.__tiktokSessionReady = true; });
  }
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  return {
    panel: true,
    sessionReady: !!p.__tiktokSessionReady,
    kernel: k ? k.status : null,
    connection: k ? k.connectionStatus : null,
    dialogs,
  };
}"""
)


def kernel_state(page: Any, path: str) -> dict[str, Any]:
    """Where the notebook's kernel stands (panel found, session, status)."""
    return dict(page.evaluate(_KERNEL_STATE_JS, path))


_KERNEL_READY_JS = (
    "(path) => { try { const s = ("
    + _KERNEL_STATE_JS
    + """)(path);
  return !!(s.panel && s.sessionReady && s.connection === 'connected' && s.kernel === 'idle');
} catch (e) { return false; } }"""
)


def wait_kernel_ready(page: Any, path: str, timeout_s: float = 60.0) -> None:
    """Wait until ``path`` is open with a connected, idle kernel.

    The toolbar "idle" indicator lies (idle before any kernel exists, and a
    run-all issued then is lost), hence the checks on the panel's own session.
    """
    if wait_until(page, _KERNEL_READY_JS, path, timeout_s):
        return
    try:
        state = kernel_state(page, path)
    except Exception as exc:  # noqa: BLE001 - the state is only context for the failure
        state = {"evaluate_error": str(exc)}
    raise AssertionError(
        f"Kernel of {path} not ready after {timeout_s:.0f} s: {state}\n"
        "(an open dialog above usually means a kernel picker or an error)"
    )


_RUN_ALL_JS = """async () => {
  const app = window.jupyterapp;
  // Clear first so that old execution counts cannot look like a finished run.
  await app.commands.execute('notebook:clear-all-cell-outputs');
  window.__tiktokRunAll = null;
  // Not awaited here (a run outlasts one evaluate): the promise of run-all, which settles
  // when every cell's execution is over, leaves its result for _RUN_OVER_JS.
  Promise.resolve(app.commands.execute('notebook:run-all-cells')).then(
    (ran) => { window.__tiktokRunAll = {ran}; },
    (error) => { window.__tiktokRunAll = {error: String(error)}; });
  return true;
}"""

_RUN_STATE_JS = """() => {
  const p = window.jupyterapp.shell.currentWidget;
  if (!p || !p.content || !p.sessionContext) return {notebook: false};
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  const cells = [];
  let errors = 0;
  p.content.widgets.forEach((cell, index) => {
    const m = cell.model;
    if (m.type !== 'code' || !m.sharedModel.getSource().trim()) return;
    for (let i = 0; i < m.outputs.length; i++) {
      if (m.outputs.get(i).type === 'error') errors++;
    }
    cells.push({
      index,
      count: m.executionCount,
      running: m.executionState === 'running',
      outputs: m.outputs.length,
    });
  });
  return {notebook: true, path: p.context.path, kernel: k ? k.status : null, errors, cells};
}"""


# Run-all's promise settled, and the notebook says the same: idle kernel, nothing
# running, every cell numbered (or an error stopped the run).
_RUN_OVER_JS = (
    "() => { try { if (!window.__tiktokRunAll) return false; const s = ("
    + _RUN_STATE_JS
    + """)();
  if (!s.notebook || s.kernel !== 'idle' || s.cells.some((c) => c.running)) return false;
  return s.cells.every((c) => c.count !== null) || s.errors > 0;
} catch (e) { return false; } }"""
)


def run_state(page: Any) -> dict[str, Any]:
    """Execution snapshot of the current notebook (model side, windowing-proof)."""
    return dict(page.evaluate(_RUN_STATE_JS))


def run_all_and_wait(
    page: Any,
    timeout_s: float = 120.0,
    draw_timeout_s: float = 15.0,
) -> dict[str, Any]:
    """Run every cell of the current notebook and wait until it is really done.

    Done = run-all's own promise settled and the notebook agrees (see ``_RUN_OVER_JS``);
    then wait (up to ``draw_timeout_s``) until every widget the kernel displayed is drawn,
    which the tests check next. Returns the final snapshot. Raises AssertionError naming
    the cells that never ran.
    """
    page.evaluate(_RUN_ALL_JS)
    if wait_until(page, _RUN_OVER_JS, timeout_s=timeout_s):
        wait_until(page, _WIDGETS_DRAWN_JS, timeout_s=draw_timeout_s)
        return run_state(page)
    state = run_state(page)
    pending = [c["index"] + 1 for c in state.get("cells", []) if c["count"] is None]
    raise AssertionError(
        f"Run-all not finished after {timeout_s:.0f} s: kernel={state.get('kernel')}, "
        f"code cells not run (1-based, as in Lab's status bar): {pending}\n"
        f"problems so far: {collect_problems(page)}"
    )


_PROBLEMS_JS = """(needles) => {
  const found = [];
  // 1-based, like Lab's status bar ("Cell 6/20").
  const label = (el) => {
    const cell = el.closest('.jp-Cell');
    if (!cell) return 'outside a cell';
    const idx = cell.getAttribute('data-windowed-list-index');
    if (idx !== null) return `cell ${Number(idx) + 1}`;
    return `cell ${Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).indexOf(cell) + 1}`;
  };
  const short = (t) => t.replace(/\\s+$/g, '').slice(0, 1500);
  // What a reader sees: never the source of scripts or styles. (innerText falls
  // back to textContent, scripts included, for cells scrolled out of view.)
  const shown = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('script, style').forEach((node) => node.remove());
    return copy.textContent || '';
  };
  document.querySelectorAll('.jp-OutputArea-output').forEach((out) => {
    const text = shown(out);
    if (out.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr') {
      found.push(`${label(out)} stderr: ${short(text)}`);
      return;
    }
    const hit = needles.find((n) => text.includes(n));
    if (hit) found.push(`${label(out)} "${hit}": ${short(text)}`);
  });
  document.querySelectorAll('.jupyter-widgets-error-widget').forEach((w) => {
    const text = (w.closest('.jupyter-widgets') || w).innerText || '';
    found.push(`${label(w)} widget error: ${short(text)}`);
  });
  return found;
}"""


def collect_problems(page: Any) -> list[str]:
    """Everything a learner would see as broken, one readable line each.

    stderr outputs (tracebacks included: Lab renders them as stderr), outputs
    containing PROBLEM_NEEDLES, and ipywidgets' error widgets.
    """
    return [str(p) for p in page.evaluate(_PROBLEMS_JS, list(PROBLEM_NEEDLES))]


# A chart is the div our renderer writes (``.tiktok-lab-chart``, there even when
# its script never ran) or any other Vega embed (``.vega-embed``, e.g. Lab's own
# Vega-Lite renderer); vega-embed adds its class to our div, hence the Set.
_CHARTS_JS = """() => {
  const charts = new Set(document.querySelectorAll('.tiktok-lab-chart, .vega-embed'));
  const all = Array.from(charts).filter(c => !c.parentElement.closest('.vega-embed'));
  return [all.length, all.filter(c => c.querySelector('svg, canvas')).length];
}"""


def count_charts(page: Any) -> tuple[int, int]:
    """(chart outputs, drawn charts); drawn = an ``svg`` or ``canvas`` inside it."""
    total, drawn = page.evaluate(_CHARTS_JS)
    return int(total), int(drawn)


# Vega puts a spec's `description` on the SVG as aria-label (role
# graphics-document): that is what a screen reader says for the chart.
_UNDESCRIBED_JS = """() => Array.from(document.querySelectorAll('.vega-embed')).filter((c) => {
  const svg = c.querySelector('svg');
  if (!svg) return false;
  const label = svg.getAttribute('aria-label') || c.getAttribute('aria-label') || '';
  return !label.trim();
}).map((c) => (c.textContent || '').trim().slice(0, 80) || c.id || '(chart)')"""


def undescribed_charts(page: Any) -> list[str]:
    """Drawn charts with no text description (``aria-label``) for screen readers."""
    return [str(item) for item in page.evaluate(_UNDESCRIBED_JS)]


def wait_charts_drawn(page: Any, timeout_s: float = 10.0, least: int = 0) -> tuple[int, int]:
    """Wait until every chart is drawn and there are at least ``least`` (or time is up);
    returns :func:`count_charts` then."""
    wait_until(page, f"(least) => {{ const [total, drawn] = ({_CHARTS_JS})(); "
                     "return drawn === total && total >= least; }", least, timeout_s)
    return count_charts(page)


_WIDGETS_JS = """() => Array.from(document.querySelectorAll('.jupyter-widgets')).filter(
  (w) => !w.querySelector('.jupyter-widgets-error-widget')
      && !w.classList.contains('jupyter-widgets-error-widget')
      && !(w.textContent || '').startsWith('Error displaying widget')
).length"""


def count_widgets(page: Any) -> int:
    """Rendered ipywidgets views (``.jupyter-widgets``, error views excluded)."""
    return int(page.evaluate(_WIDGETS_JS))


# The notebook model says how many widgets the kernel displayed (one
# widget-view output each); the DOM says how many of them Lab drew.
_WIDGET_OUTPUTS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const mime = 'application/vnd.jupyter.widget-view+json';
  let expected = 0, drawn = 0;
  panel.content.widgets.forEach((cell) => {
    const outputs = cell.model.outputs;
    if (!outputs || !cell.outputArea) return;
    for (let i = 0; i < outputs.length; i++) {
      if (!outputs.get(i).data[mime]) continue;
      expected++;
      const child = cell.outputArea.widgets[i];
      const node = child && child.node;
      if (node && node.querySelector('.jupyter-widgets')
          && !node.querySelector('.jupyter-widgets-error-widget')
          && !(node.textContent || '').includes('Error displaying widget')) drawn++;
    }
  });
  return [expected, drawn];
}"""


_WIDGETS_DRAWN_JS = (
    "() => { try { const [expected, drawn] = ("
    + _WIDGET_OUTPUTS_JS
    + ")(); return drawn === expected; } catch (e) { return false; } }"
)


def count_widget_outputs(page: Any) -> tuple[int, int]:
    """(widgets the kernel displayed, widgets drawn) in the current notebook."""
    expected, drawn = page.evaluate(_WIDGET_OUTPUTS_JS)
    return int(expected), int(drawn)


_NOTEBOOK_HEIGHT_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const outer = panel && panel.querySelector('.jp-WindowedPanel-outer');
  const inner = outer && outer.querySelector('.jp-WindowedPanel-inner');
  if (!inner) return null;
  outer.scrollTop = 0;  // run-all leaves the notebook scrolled to its end
  const footer = panel.querySelector('.jp-Notebook-footer');
  const box = outer.getBoundingClientRect();
  const content = inner.getBoundingClientRect().height + (footer ? footer.offsetHeight : 0);
  return Math.ceil(box.top + content + (window.innerHeight - box.bottom) + 20);
}"""

_MAX_SHOT_HEIGHT = 15000  # Chromium cannot capture much taller bitmaps

# Room between the notebook's scrolling box and the window's bottom (the status bar):
# the same before and after a resize once Lab has laid its panels out again.
_NOTEBOOK_GAP_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const outer = panel && panel.querySelector('.jp-WindowedPanel-outer');
  return outer ? Math.round(window.innerHeight - outer.getBoundingClientRect().bottom) : null;
}"""

_RELAID_OUT_JS = (
    "([height, gap]) => window.innerHeight === height && ("
    + _NOTEBOOK_GAP_JS
    + ")() === gap"
)

# Two animation frames: the browser has painted the new layout, so cells that came
# into view (content-visibility) have their real height.
_NEXT_PAINT_JS = """() => new Promise((resolve) =>
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))"""


def _grow_to_notebook(page: Any, width: int, start_height: int) -> None:
    """Grow the viewport until the whole notebook fits (no inner scrolling).

    Repeated because off-screen cells only get their real height once
    rendered (content-visibility), and Lab pads the end with the viewport height.
    """
    current = start_height
    for _ in range(5):
        needed = page.evaluate(_NOTEBOOK_HEIGHT_JS)
        if not needed or needed <= current or current >= _MAX_SHOT_HEIGHT:
            return
        gap = page.evaluate(_NOTEBOOK_GAP_JS)
        current = min(int(needed), _MAX_SHOT_HEIGHT)
        page.set_viewport_size({"width": width, "height": current})
        # Lab relays its panels out on the next frame after a resize: wait for it, then a paint.
        assert wait_until(page, _RELAID_OUT_JS, [current, gap], timeout_s=15), (
            f"JupyterLab did not lay the notebook out again for a {current}px high window")
        page.evaluate(_NEXT_PAINT_JS)


@contextlib.contextmanager
def whole_notebook_view(page: Any) -> Iterator[None]:
    """Grow the viewport to the whole notebook for the ``with`` block, then restore it.

    Lab scrolls inside the notebook and skips painting cells out of view, so
    a capture or an accessibility scan (colour contrast needs painted text)
    would otherwise see one screen only.
    """
    viewport = page.viewport_size
    if not viewport:
        yield
        return
    try:
        _grow_to_notebook(page, viewport["width"], viewport["height"])
        page.evaluate(_NOTEBOOK_HEIGHT_JS)  # scroll to top once more
        yield
    finally:
        page.set_viewport_size(viewport)


def screenshot(page: Any, name: str, whole_notebook: bool = True) -> Path:
    """Save a full-page PNG to ``test-artifacts/screenshots/<name>.png``.

    With ``whole_notebook`` the capture shows every cell (see
    :func:`whole_notebook_view`); call it inside that block to reuse the view.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    if not whole_notebook:
        page.screenshot(path=str(path), full_page=True)
        return path
    with whole_notebook_view(page):
        page.screenshot(path=str(path), full_page=True)
    return path


def screenshot_element(locator: Any, name: str) -> Path:
    """Save a PNG of one element (a widget as the learner sees it) to the screenshots folder."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    locator.screenshot(path=str(path))
    return path


_SHUTDOWN_JS = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (panel && panel.sessionContext) await panel.sessionContext.shutdown();
  return true;
}"""


def shutdown_kernel(page: Any) -> None:
    """Stop the current notebook's kernel: a session runs many notebooks on 2 cores."""
    try:
        page.evaluate(_SHUTDOWN_JS)
    except Exception:  # noqa: BLE001 - a page already closed has no kernel left to stop
        pass


# --------------------------------------------------------------------------
# Driving single cells, as a learner who edits and re-runs one
# --------------------------------------------------------------------------

_CELL_INDEX_JS = """(start) => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  return cells.findIndex((c) => c.model.sharedModel.getSource().startsWith(start));
}"""

# What a cell's execution count was before a run we start: the run is over only when
# the cell has a new one (the kernel's counter only grows), so an earlier run's count
# cannot pass for this one.
_ARM_CELL_JS = """(index) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
  cell.__tiktokCountBefore = cell.model.executionCount;
}"""

_SET_AND_RUN_JS = """async ([index, source]) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cell = panel.content.widgets[index];
  if (source !== null) cell.model.sharedModel.setSource(source);
  cell.__tiktokCountBefore = cell.model.executionCount;
  panel.content.activeCellIndex = index;
  await window.jupyterapp.commands.execute('notebook:run-cell');
}"""

# Done: the run we started (see _ARM_CELL_JS) is over, the kernel idle, and every
# output in the model is shown (one output node each, widget views drawn).
_CELL_DONE_JS = """(index) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cell = panel.content.widgets[index];
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const count = cell.model.executionCount;
  const ran = !!kernel && kernel.status === 'idle' && count !== null
    && count !== cell.__tiktokCountBefore
    && !cell.node.classList.contains('jp-mod-running')
    && cell.promptNode && !cell.promptNode.textContent.includes('*');
  if (!ran || !cell.outputArea) return false;
  const outputs = cell.model.outputs;
  const shown = cell.outputArea.widgets;
  if (shown.length !== outputs.length) return false;
  const mime = 'application/vnd.jupyter.widget-view+json';
  for (let i = 0; i < outputs.length; i++) {
    if (outputs.get(i).data[mime] && !shown[i].node.querySelector('.jupyter-widgets')) return false;
  }
  return true;
}"""

_CELL_TEXT_JS = """(index) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
  const copy = cell.node.querySelector('.jp-OutputArea').cloneNode(true);
  copy.querySelectorAll('script, style').forEach((node) => node.remove());
  return copy.textContent || '';
}"""


def cell_index(page: Any, source_start: str) -> int:
    """Index of the first cell whose source starts with ``source_start``."""
    index = int(page.evaluate(_CELL_INDEX_JS, source_start))
    assert index >= 0, f"no cell starts with {source_start!r}"
    return index


def arm_cell(page: Any, index: int) -> None:
    """Note cell ``index``'s execution count before a run started by a key press, so that
    :func:`wait_cell_done` waits for that run (:func:`run_cell` does it itself)."""
    page.evaluate(_ARM_CELL_JS, index)


def run_cell(page: Any, index: int, source: str | None = None, timeout_s: float = 30.0) -> str:
    """Optionally replace a cell's source, run it, wait, and return its output text."""
    page.evaluate(_SET_AND_RUN_JS, [index, source])
    return wait_cell_done(page, index, timeout_s)


def wait_cell_done(page: Any, index: int, timeout_s: float = 30.0) -> str:
    """Wait until cell ``index`` has run (since :func:`arm_cell` or :func:`run_cell`), the
    kernel is idle and its outputs are shown; return its output text."""
    if not wait_until(page, _CELL_DONE_JS, index, timeout_s):
        raise AssertionError(f"cell {index + 1} still running after {timeout_s:.0f} s")
    return cell_text(page, index)


def cell_text(page: Any, index: int) -> str:
    """What a reader sees in a cell's outputs (scripts and styles left out)."""
    return str(page.evaluate(_CELL_TEXT_JS, index))
