"""Cut every network connection except loopback, in every Python process of the tests.

The root ``conftest.py`` puts this folder first on ``PYTHONPATH``, so notebook
kernels, JupyterLab and any helper started by a test inherit the same rule as
the pytest process (pytest-socket's ``--allow-hosts``). A notebook that tries
to reach the Internet fails its test instead of hanging a workshop.
"""

try:
    import pytest_socket
except ImportError:  # the guard needs the test extras; without them, do nothing
    pytest_socket = None

if pytest_socket is not None:
    pytest_socket.socket_allow_hosts(["127.0.0.1", "::1", "localhost"], allow_unix_socket=True)
