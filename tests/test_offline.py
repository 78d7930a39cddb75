"""The suite itself runs offline: any connection beyond loopback fails a test.

Proves the guard works both in the pytest process and in child Python processes
(notebook kernels, JupyterLab), and that loopback still works for them.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest

OUTSIDE = ("192.0.2.1", 80)  # TEST-NET-1: never routable, so a leak would hang, not succeed


def test_outside_connection_is_blocked_in_the_test_process() -> None:
    with pytest.raises(RuntimeError, match="192.0.2.1"):
        socket.create_connection(OUTSIDE, timeout=2)


def test_outside_connection_is_blocked_in_child_processes() -> None:
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=2)\n"
        "except RuntimeError as error:\n"
        "    print('BLOCKED', type(error).__name__)\n"
        "except OSError as error:\n"
        "    print('LEAKED', error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "BLOCKED SocketConnectBlockedError", done.stdout + done.stderr


def test_loopback_still_works_in_child_processes() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted = threading.Thread(target=lambda: server.accept()[0].close(), daemon=True)
    accepted.start()
    code = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5).close(); print('OK')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    accepted.join(timeout=5)
    server.close()
    assert done.stdout.strip() == "OK", done.stderr
