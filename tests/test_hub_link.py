"""``tiktok-lab link``: the nbgitpuller link parses back to what was asked, bad addresses are explained."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_lab import cli, hub_link
from tiktok_lab.hub_link import LinkError, build_link

ROOT = Path(__file__).resolve().parents[1]
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"][
    "Repository"]


def _query(url: str) -> dict[str, str]:
    parsed = parse_qs(urlsplit(url).query, strict_parsing=True)
    assert all(len(values) == 1 for values in parsed.values()), parsed
    return {key: values[0] for key, values in parsed.items()}


def test_default_link_clones_the_course_repository_and_opens_the_start_notebook() -> None:
    link = build_link("https://hub.example.org")
    parts = urlsplit(link.url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "hub.example.org", "/hub/user-redirect/git-pull")
    folder = REPOSITORY.rstrip("/").rsplit("/", 1)[-1]
    assert _query(link.url) == {
        "repo": REPOSITORY,
        "branch": "main",
        "targetpath": folder,
        "urlpath": f"lab/tree/{folder}/notebooks/00_start_here.ipynb",
    }
    assert (ROOT / "notebooks" / "00_start_here.ipynb").is_file()


def test_the_default_repository_is_the_one_pyproject_declares() -> None:
    assert hub_link.default_repository() == REPOSITORY


def test_voila_app_opens_the_strategy_builder_without_code() -> None:
    link = build_link("https://hub.example.org/", notebook="notebooks/07_my_strategy.ipynb", app="voila",
                      repo="https://gitlab.example.org/team/course.git", branch="workshop-2026")
    query = _query(link.url)
    assert query["repo"] == "https://gitlab.example.org/team/course.git"
    assert query["targetpath"] == "course"
    assert query["urlpath"] == "voila/render/course/notebooks/07_my_strategy.ipynb"
    assert query["branch"] == "workshop-2026"


@pytest.mark.parametrize(("pasted", "base"), [
    ("https://hub.example.org", "https://hub.example.org"),
    ("  https://Hub.Example.org/  ", "https://hub.example.org"),
    ("https://hub.example.org/hub/login?next=%2Fhub%2F", "https://hub.example.org"),
    ("https://hub.example.org/user/alice/lab/tree/x.ipynb", "https://hub.example.org"),
    ("https://example.org/jupyter/hub/home", "https://example.org/jupyter"),
    ("http://10.0.0.5:8000/#top", "http://10.0.0.5:8000"),
    ("https://hub.example.org/hubble/", "https://hub.example.org/hubble"),
])
def test_what_a_trainer_pastes_from_the_browser_becomes_the_hub_base(pasted: str, base: str) -> None:
    assert hub_link.normalise_hub(pasted) == base
    assert build_link(pasted).url.startswith(base + "/hub/user-redirect/git-pull?")


@pytest.mark.parametrize(("hub", "words"), [
    ("hub.example.org", "Write it in full: https://hub.example.org"),
    ("https://hub example.org", "contains spaces"),
    ("", "is empty"),
    ("ftp://hub.example.org", "must start with https://"),
    ("https://", "no valid server name"),
    ("https://hub_example!.org", "no valid server name"),
    ("https://hub.example.org:http", "not a number"),
    ("https://alice:secret@hub.example.org", "no valid server name"),
])
def test_a_bad_hub_address_gets_a_sentence_and_exit_code_2(hub: str, words: str, capsys) -> None:
    assert cli.main(["link", "--hub", hub]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert words in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--repo", "github.com/tiktok-lab/tiktok-lab", "Write it in full: https://github.com/tiktok-lab/tiktok-lab"),
    ("--repo", "https://github.com/", "is a server, not a repository"),
    ("--branch", "my branch", "not a valid git branch name"),
    ("--branch", "main..old", "not a valid git branch name"),
    ("--notebook", "../secrets.ipynb", "not a path inside the repository"),
    ("--notebook", "/etc/passwd", "not a path inside the repository"),
    ("--notebook", "notebooks/00.ipynb?x=1", "not a path inside the repository"),
])
def test_other_bad_values_are_refused_with_an_example(option: str, value: str, words: str, capsys) -> None:
    assert cli.main(["link", "--hub", "https://hub.example.org", option, value]) == 2
    assert words in capsys.readouterr().err


def test_the_command_prints_only_the_link_on_stdout(capsys) -> None:
    assert cli.main(["link", "--hub", "https://hub.example.org", "--branch", "dev"]) == 0
    captured = capsys.readouterr()
    [line] = captured.out.splitlines()
    assert _query(line)["branch"] == "dev"
    assert "00_start_here.ipynb" in captured.err


_SEGMENT = st.text(st.characters(codec="utf-8", categories=("L", "N"), include_characters=" -_&=+,;@!'"),
                   min_size=1, max_size=12).filter(lambda s: s.strip() == s and s not in {".", ".."})
_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
_BRANCH = st.from_regex(r"[A-Za-z0-9_]([A-Za-z0-9_-]{0,8}/)?[A-Za-z0-9_-]{1,8}", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(hosts=st.lists(_LABEL, min_size=1, max_size=3), base=st.lists(_LABEL, max_size=2),
       owner=_LABEL, name=_LABEL, branch=_BRANCH,
       notebook=st.lists(_SEGMENT, min_size=1, max_size=3), app=st.sampled_from(sorted(hub_link.APPS)),
       scheme=st.sampled_from(["https", "http"]), port=st.none() | st.integers(1, 65535))
def test_every_link_parses_back_to_exactly_what_was_asked(hosts, base, owner, name, branch, notebook,
                                                          app, scheme, port) -> None:
    host = ".".join(hosts) + (f":{port}" if port else "")
    hub = f"{scheme}://{host}" + "".join(f"/{segment}" for segment in base if segment not in {"hub", "user"})
    repo = f"https://git.example.org/{owner}/{name}.git"
    path = "/".join(notebook) + ".ipynb"
    link = build_link(hub, repo=repo, branch=branch, notebook=path, app=app)

    parts = urlsplit(link.url)
    assert f"{parts.scheme}://{parts.netloc}" == f"{scheme}://{host}".lower()
    assert parts.path == urlsplit(hub).path + "/hub/user-redirect/git-pull"
    assert not parts.fragment
    assert _query(link.url) == {"repo": repo, "branch": branch, "targetpath": name,
                                "urlpath": f"{hub_link.APPS[app]}{name}/{path}"}
    assert " " not in link.url


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_any_text_as_hub_gives_a_link_or_a_friendly_refusal(text: str) -> None:
    try:
        link = build_link(text)
    except LinkError as error:
        assert str(error) and "Traceback" not in str(error)
    else:
        assert urlsplit(link.url).scheme in {"http", "https"}
