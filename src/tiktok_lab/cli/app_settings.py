"""The strategy builder app's Voilà settings, in one place.

``tiktok-lab app`` starts Voilà with them on its command line. On Binder (and on a
JupyterHub), the app is Voilà running inside the Jupyter server (``/voila/render/…``), which
reads only the server's configuration: ``tiktok-lab app --install-server-config DIR`` writes
the same settings into ``DIR/jupyter_server_config.json``, and Binder's ``postBuild`` runs it
for the environment's own configuration folder.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from tiktok_lab.kit.notebook_cells import NOTEBOOK_ONLY_TAG
from tiktok_lab.kit.timing import DATA_CORNER as DATA_CORNER_TAG

SERVER_CONFIG_FILE = "jupyter_server_config.json"

# The preprocessor is set for Voilà's exporter only: a bare TagRemovePreprocessor section in
# the server's configuration would also cut these cells from JupyterLab's File → Save and
# Export (the server's nbconvert uses the same configuration).
VOILA_EXPORTER = "VoilaExporter"


def app_settings() -> dict[str, dict[str, object]]:
    """Voilà's settings for the app, by configurable class."""
    return {
        # Only the notebook's own cells run; the page shows no code and no traceback.
        "VoilaConfiguration": {"strip_sources": True, "show_tracebacks": False},
        # nbconvert's preprocessor, run by Voilà's exporter before it renders and executes.
        # Guidance for code runners and the optional data corner (code exercises) go; the
        # decision and open-answer cards stay: they are answered by clicking and typing.
        "TagRemovePreprocessor": {"enabled": True,
                                  "remove_cell_tags": [NOTEBOOK_ONLY_TAG, DATA_CORNER_TAG]},
    }


def command_line_options() -> list[str]:
    """The settings as Voilà command-line options (a list is one option per item)."""
    options = []
    for section, values in app_settings().items():
        for name, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                options.append(f"--{section}.{name}={item}")
    return options


def server_config() -> dict[str, dict[str, object]]:
    """The settings as a Jupyter server's configuration serves them to its Voilà."""
    settings = app_settings()
    preprocessor = settings.pop("TagRemovePreprocessor")
    return {
        **settings,
        VOILA_EXPORTER: {"TagRemovePreprocessor": preprocessor},
        # Voilà alone has no MathJax address nor configuration, so its page loads no MathJax;
        # inside the server it falls back to a CDN's, a request the app (it shows no
        # formula) does not need. JupyterLab 4 typesets with its own bundled MathJax.
        "ServerApp": {"tornado_settings": {"mathjax_url": None, "mathjax_config": None}},
    }


def _merged(base: dict, extra: dict) -> dict:
    """``base`` with ``extra``'s values, dictionaries merged key by key."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            value = _merged(merged[key], value)
        merged[key] = value
    return merged


class ServerConfigError(ValueError):
    """The configuration file already there cannot be read as a JSON object."""


def install_server_config(config_dir: Path) -> Path:
    """Merge the app's settings into ``config_dir/jupyter_server_config.json``; return its path.

    Other settings already in the file stay; the app's own ones are set.
    """
    path = Path(config_dir) / SERVER_CONFIG_FILE
    config: object = {}
    if path.is_file():
        try:
            config = json.loads(path.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ServerConfigError(str(error)) from error
        if not isinstance(config, dict):
            raise ServerConfigError(type(config).__name__)
    config = _merged(config, server_config())
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tiktok-lab-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(config, out, indent=2, sort_keys=True)
            out.write("\n")
        os.chmod(tmp, 0o644)  # read by the server, whoever runs it
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path
