"""The vendored reveal.js, require.js and widget manager that exported pages load.

They ship inside the package (``data/vendor/``, fetched by
``tools/vendor_assets.py``) and are copied to ``<output>/assets/`` in their npm
layout, so every built page points at them with a relative path and works from
a USB stick in a room without Wi-Fi.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

ASSETS_DIR = "assets"


@dataclass(frozen=True)
class VendoredFile:
    path: str  # inside data/vendor/
    npm_path: str  # inside its npm package
    package: str
    version: str
    sha256: str

    @property
    def folder(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def output_path(self) -> str:
        """Where the file goes under the output folder (``assets/<folder>/<npm path>``)."""
        return f"{ASSETS_DIR}/{self.folder}/{self.npm_path}"


def vendor_dir() -> Path:
    return Path(str(resources.files("tiktok_lab") / "data" / "vendor"))


def vendored_files() -> list[VendoredFile]:
    manifest = json.loads((vendor_dir() / "manifest.json").read_text(encoding="utf-8"))
    return [VendoredFile(entry["path"], entry["npm_path"], entry["package"], entry["version"],
                         entry["sha256"]) for entry in manifest["files"]]


def altered_files() -> list[str]:
    """Vendored files missing or not byte-identical to what the manifest recorded."""
    altered = []
    for entry in vendored_files():
        path = vendor_dir() / entry.path
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != entry.sha256:
            altered.append(entry.path)
    return altered


def copy_assets(out: Path) -> None:
    """Lay the vendored files out under ``out/assets/`` (replacing an older copy)."""
    shutil.rmtree(out / ASSETS_DIR, ignore_errors=True)
    for entry in vendored_files():
        target = out / entry.output_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(vendor_dir() / entry.path, target)


def page_urls(depth: int = 1) -> dict[str, str]:
    """Relative URLs of the assets, for a page ``depth`` folders below the output root."""
    up = "../" * depth + ASSETS_DIR
    return {
        "reveal": f"{up}/reveal.js",
        "require_js": f"{up}/requirejs/require.js",
        "widget_renderer": f"{up}/html-manager/dist/embed-amd.js",
        "widget_assets": f"{up}/html-manager/dist",
    }
