"""Memory one participant needs on a JupyterHub: kernel RSS per notebook, and the server's.

Sizing a hub (workshop/jupyterhub.md) needs measured figures, not guesses. Each
notebook runs top to bottom in a fresh kernel (nbclient) while this script
samples the kernel process's resident memory (``VmRSS`` in ``/proc/<pid>/status``,
Linux only) every 50 ms; it prints the peak and the memory left once the
notebook has run. ``--server`` also starts JupyterLab on a free loopback port and
prints its RSS once idle.

    python benchmarks/kernel_memory.py [--server] [notebooks/03_feed.ipynb ...]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB, from ``/proc`` (what the kernel really holds)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


class PeakSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except (OSError, RuntimeError):
                return
            time.sleep(0.05)


def measure_notebook(path: Path) -> tuple[float, float, float]:
    """``(peak MB, MB after the run, seconds)`` of a fresh kernel running ``path``."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        sampler = PeakSampler(pid)
        sampler.start()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - started
        after = rss_mb(pid)
        sampler.running = False
        sampler.join()
    return max(sampler.peak, after), after, seconds


def measure_server() -> float:
    """RSS of an idle JupyterLab server that has the start notebook's folder open."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scratch = Path(tempfile.mkdtemp(prefix="kernel-memory-"))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(scratch / "cfg"),
           "JUPYTER_RUNTIME_DIR": str(scratch / "rt"), "JUPYTER_TOKEN": "measure"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--allow-root", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=measure", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(2)
        return rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        default=sorted((ROOT / "notebooks").glob("*.ipynb")))
    parser.add_argument("--server", action="store_true", help="also measure an idle JupyterLab")
    args = parser.parse_args()
    os.environ.setdefault("TIKTOK_LAB_HOME", tempfile.mkdtemp(prefix="kernel-memory-home-"))
    print(f"{'notebook':<28} {'peak RSS':>9} {'after run':>10} {'time':>7}")
    for path in args.notebooks:
        peak, after, seconds = measure_notebook(path.resolve())
        print(f"{path.name:<28} {peak:>6.0f} MB {after:>7.0f} MB {seconds:>6.1f}s", flush=True)
    if args.server:
        print(f"{'JupyterLab server, idle':<28} {measure_server():>6.0f} MB")


if __name__ == "__main__":
    main()
