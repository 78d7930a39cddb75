"""Re-fetch the JavaScript and CSS that exported slides and handouts load, from npm.

nbconvert's templates load reveal.js, require.js and the widget manager from
CDNs, so an exported page shows blank widgets and no slides in a room without
Wi-Fi. ``tiktok-lab build slides|handouts|site`` copies local copies next to the
pages instead; this maintainer script is how those copies get into the package:

    .venv/bin/python tools/vendor_assets.py

It runs ``npm pack`` (npm checks each tarball's integrity) at the pinned versions
below, copies only the files the pages need into ``src/tiktok_lab/data/vendor/``
with their licence files, and rewrites ``manifest.json`` (name, version, licence,
npm URL, size and sha256 of every file). ``tests/test_kit_build.py`` checks every
file against that manifest. To upgrade, change a version here, run the script,
rebuild the kit and look at a slide deck and a handout in a browser.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR_DIR = ROOT / "src" / "tiktok_lab" / "data" / "vendor"
MANIFEST = VENDOR_DIR / "manifest.json"


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    licence: str
    folder: str  # where its files go, under VENDOR_DIR
    files: tuple[str, ...]  # paths inside the tarball's package/ folder
    licence_files: tuple[str, ...]
    note: str = ""


PACKAGES = (
    NpmPackage(
        name="reveal.js", version="4.6.0", licence="MIT", folder="reveal.js",
        files=("dist/reveal.js", "dist/reveal.css", "dist/theme/serif.css",
               "plugin/notes/notes.js"),
        licence_files=("LICENSE",),
        # serif.css is the one reveal.js 4 theme that loads no font files
        # (the others @import ~0.5 MB of fonts); the slide template overrides its
        # colours and fonts for a projector.
        note="theme serif.css (no font files), restyled by the slide template",
    ),
    NpmPackage(
        name="requirejs", version="2.3.8", licence="MIT", folder="requirejs",
        files=("require.js",),
        licence_files=(),  # the package has none: the notice is in require.js's header
        note="MIT notice in the header of require.js; LICENSE.txt is written from it",
    ),
    NpmPackage(
        name="@jupyter-widgets/html-manager", version="1.0.6", licence="BSD-3-Clause",
        folder="html-manager",
        # The Font Awesome 5 Free woff2 fonts (SIL OFL 1.1) draw the icons of
        # buttons; embed-amd.js asks for them next to itself.
        files=("dist/embed-amd.js", "dist/1551f4f60c37af51121f.woff2",
               "dist/7a3337626410ca2f4071.woff2", "dist/d878b0a6a1144760244f.woff2"),
        licence_files=("LICENSE",),
        note="woff2 files: Font Awesome 5 Free fonts (SIL OFL 1.1) bundled by html-manager",
    ),
)

MIT_TEXT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
"""


def npm_pack(package: NpmPackage, workdir: Path) -> tuple[Path, str]:
    """Download the pinned tarball with npm; returns its path and its registry URL."""
    spec = f"{package.name}@{package.version}"
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
        check=True, capture_output=True, text=True)
    [info] = json.loads(result.stdout)
    url = subprocess.run(["npm", "view", spec, "dist.tarball"], check=True,
                         capture_output=True, text=True).stdout.strip()
    return workdir / info["filename"], url


def requirejs_licence(require_js: Path) -> str:
    """The MIT notice from require.js's header, followed by the MIT licence text."""
    header = require_js.read_text(encoding="utf-8").split("*/", 1)[0]
    notice = [line.strip(" /*") for line in header.splitlines() if "license" in line.lower()
              or "Released" in line]
    return "\n".join(line for line in notice if line) + "\n\n" + MIT_TEXT


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor(package: NpmPackage, workdir: Path) -> list[dict]:
    tarball, url = npm_pack(package, workdir)
    unpacked = workdir / package.folder
    with tarfile.open(tarball) as archive:
        archive.extractall(unpacked, filter="data")
    target = VENDOR_DIR / package.folder
    shutil.rmtree(target, ignore_errors=True)
    entries = []  # (file in the package, its path in the npm package)
    for relative in (*package.files, *package.licence_files):
        source = unpacked / "package" / relative
        # Flattened: a folder named dist/ is git-ignored, and so left out of the wheel.
        destination = target / relative.removeprefix("dist/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        entries.append((destination, relative))
    if package.name == "requirejs":
        licence = target / "LICENSE.txt"
        licence.write_text(requirejs_licence(target / "require.js"), encoding="utf-8")
        entries.append((licence, "LICENSE.txt"))
    return [{
        "path": path.relative_to(VENDOR_DIR).as_posix(),
        # Where pages look for it, under the output's assets/<folder>/: the npm layout.
        "npm_path": npm_path,
        "package": package.name,
        "version": package.version,
        "licence": package.licence,
        "npm_url": url,
        "bytes": path.stat().st_size,
        "sha256": sha256(path),
    } for path, npm_path in entries]


def main() -> int:
    if shutil.which("npm") is None:
        print("npm is needed to fetch the assets: install Node.js 20 (it brings npm).")
        return 1
    files: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            print(f"  {package.name}@{package.version}")
            files.extend(vendor(package, Path(tmp)))
    manifest = {
        "about": "Files copied next to exported slides and handouts so they work offline. "
                 "Regenerate with tools/vendor_assets.py; never edit by hand.",
        "packages": [{"name": p.name, "version": p.version, "licence": p.licence,
                      "note": p.note} for p in PACKAGES],
        "files": files,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    total = sum(entry["bytes"] for entry in files)
    print(f"{len(files)} files, {total / 1e6:.2f} MB, manifest: {MANIFEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
