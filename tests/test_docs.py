"""The maintainer docs name real files and real tests.

``docs/authoring.md`` is followed by people adding to the course, and
``docs/robustness.md`` points at the test behind each promise: a path or a
test renamed without the docs following would send them nowhere.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["docs/authoring.md", "docs/robustness.md", "docs/architecture.md", "docs/sources.md"]
# A repository path in backticks, e.g. `src/tiktok_lab/data/figures.yaml`; paths with a
# <placeholder> or a glob are patterns, not files.
PATH = re.compile(r"`((?:src|tests|docs|workshop|source|notebooks|benchmarks|tools)/[^`\s]+)`")


def _test_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        names[path.stem] = set(re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), re.M))
    return names


@pytest.mark.parametrize("doc", DOCS)
def test_every_path_named_in_the_docs_exists(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    missing = [p for p in PATH.findall(text)
               if not re.search(r"[<*{]", p) and not (ROOT / p.rstrip("/.,")).exists()]
    assert not missing, f"{doc} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS)
def test_every_test_named_in_the_docs_exists(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    names = _test_names()
    every = set().union(*names.values())
    missing = []
    for match in re.finditer(r"`(?:(test_\w+)\.py)?::(test_\w+)`", text):
        module, test = match.groups()
        if (module and test not in names.get(module, set())) or test not in every:
            missing.append(match.group(0))
    assert not missing, f"{doc} names tests that do not exist: {missing}"


def test_the_check_can_fail(tmp_path: Path) -> None:
    assert PATH.findall("see `src/tiktok_lab/nowhere.py`") == ["src/tiktok_lab/nowhere.py"]
    assert not (ROOT / "src/tiktok_lab/nowhere.py").exists()


# --- the READMEs and the trainer's guides, in English and in French ---------------------------

PAGES = ["README.md", "README.fr.md", "workshop/README.md", "workshop/README.fr.md"]
# The USB plan and the classroom hub, in English and in French: paths, links and commands too.
SERVER_PAGES = ["workshop/offline.md", "workshop/offline.fr.md",
                "workshop/jupyterhub.md", "workshop/jupyterhub.fr.md"]
# The class hub's own guide, in English and in French: paths, links and anchors (its commands
# are the server's: apt-get, git clone, npm, not the course's command line).
HUB_PAGES = ["workshop/hub/README.md", "workshop/hub/README.fr.md"]
# Made by `tiktok-lab build site` on the trainer's laptop, never in the repository.
GENERATED = ("workshop/build/",)


def _code(text: str) -> list[str]:
    """The page's code: each line of a fenced block, each inline code span."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M)
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    return ([line for block in blocks for line in block.splitlines()]
            + re.findall(r"`([^`\n]+)`", prose))


def _exists(path: str) -> bool:
    return (ROOT / path.rstrip("/.,")).exists()


@pytest.mark.parametrize("page", PAGES + SERVER_PAGES + HUB_PAGES)
def test_every_path_named_in_the_readmes_exists(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    missing = [p for p in PATH.findall(text)
               if not re.search(r"[<*{]", p) and not p.startswith(GENERATED) and not _exists(p)]
    assert not missing, f"{page} names paths that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES + SERVER_PAGES + HUB_PAGES)
def test_every_link_of_the_readmes_leads_to_a_file(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    folder = Path(page).parent
    links = [link for link in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
             if not re.match(r"[a-z]+:", link)]
    assert links
    missing = [link for link in links if not _exists((folder / link).as_posix())]
    assert not missing, f"{page} links to files that do not exist: {missing}"


def _commands(text: str) -> tuple[list[list[str]], list[str]]:
    """The `tiktok-lab …` command lines (their arguments) and the `make` targets a page gives."""
    tiktok, make = [], []
    for code in _code(text):
        if re.match(r"\[\d+/\d+\] ", code):  # a command's progress line, not a command
            continue
        code = code.split("#")[0]
        match = re.search(r"(?:^|[\s/\\])tiktok-lab ([^`]+)", code)
        if match:
            tiktok.append(shlex.split(match.group(1)))
        make += re.findall(r"(?:^|\s)make ([\w-]+)", code)
    return tiktok, make


@pytest.mark.parametrize("page", PAGES + SERVER_PAGES)
def test_every_command_of_the_readmes_is_real(page: str, capsys) -> None:
    """Each `tiktok-lab …` line parses with the real command line (sub-command, options,
    choices), each `make X` is a target of the Makefile."""
    from tiktok_lab.cli.main import build_parser

    tiktok, make = _commands((ROOT / page).read_text(encoding="utf-8"))
    assert tiktok and (make or page in SERVER_PAGES), page
    refused = []
    for arguments in tiktok:
        if len(arguments) == 1:  # a sub-command named in prose (`tiktok-lab link`)
            arguments = [*arguments, "--help"]
        try:
            build_parser().parse_args(arguments)
        except SystemExit as stop:
            if stop.code:  # `--help` stops with 0: a real command
                refused.append("tiktok-lab " + " ".join(arguments))
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), flags=re.M))
    refused += [f"make {target}" for target in make if target not in targets]
    capsys.readouterr()
    assert not refused, f"{page} gives commands that do not exist: {refused}"


def test_the_command_check_can_fail() -> None:
    tiktok, make = _commands("Run `tiktok-lab lab --lang de` or\n```\nmake lab-de\n```\n")
    assert tiktok == [["lab", "--lang", "de"]] and make == ["lab-de"]
    assert _commands("```\n[1/19] Building the tiktok-lab wheel…\n```\n") == ([], [])


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("\u00a0", " "))
    return text.replace(" ", "-")


@pytest.mark.parametrize("page", PAGES + SERVER_PAGES + HUB_PAGES)
def test_every_anchor_of_the_readmes_is_a_heading(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    headings = {_anchor(heading) for heading in re.findall(r"^#+ (.+)$", text, flags=re.M)}
    missing = [anchor for anchor in re.findall(r"\]\(#([^)]+)\)", text) if anchor not in headings]
    assert not missing, f"{page} links to sections that do not exist: {missing}"


def _headings(path: Path) -> set[str]:
    return {_anchor(heading)
            for heading in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M)}


@pytest.mark.parametrize("page", PAGES + SERVER_PAGES + HUB_PAGES)
def test_every_anchor_into_another_page_is_a_heading_there(page: str) -> None:
    """`hub/README.fr.md#combien-de-participants-par-serveur-mesuré`: a heading reworded (or
    an anchor spelled without its accent) sends the reader to the top of the page."""
    text = (ROOT / page).read_text(encoding="utf-8")
    folder = (ROOT / page).parent
    missing = [f"{link}#{anchor}"
               for link, anchor in re.findall(r"\]\(([^)#\s:]+\.md)#([^)]+)\)", text)
               if anchor not in _headings(folder / link)]
    assert not missing, f"{page} links to sections that do not exist: {missing}"


def test_the_anchor_check_can_fail() -> None:
    assert _anchor("The link: one click for participants") == "the-link-one-click-for-participants"
    assert _anchor("Le lien\u00a0: un clic") != "le-lien-un-clic-pour-tous"
    # GitHub keeps accents and drops brackets: the French sizing heading's anchor.
    assert (_anchor("Combien de participants par serveur (mesuré)")
            == "combien-de-participants-par-serveur-mesuré")
    sizing = "hub/README.fr.md#combien-de-participants-par-serveur-mesuré"
    assert f"]({sizing})" in (ROOT / "workshop/jupyterhub.fr.md").read_text(encoding="utf-8")
    assert "combien-de-participants-par-serveur-mesure" not in _headings(
        ROOT / "workshop/hub/README.fr.md")
