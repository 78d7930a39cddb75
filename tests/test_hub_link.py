"""``tiktok-lab link``: the nbgitpuller link parses back to what was asked, bad addresses are explained."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import assert_plain
from tiktok_lab.cli import main as cli
from tiktok_lab.kit import hub_link
from tiktok_lab.kit.hub_link import LinkError, build_link

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
@given(hosts=st.lists(_LABEL, min_size=1, max_size=3).filter(  # a numeric last label is an IPv4 address
           lambda labels: not re.fullmatch(r"[0-9]+|0x[0-9a-f]*", labels[-1])),
       base=st.lists(_LABEL, max_size=2),
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


# --- odd addresses: a sentence, never a traceback, never a link to somewhere else ----------

@pytest.mark.parametrize(("hub", "words"), [
    ("https://[::1", "no valid server name"),
    ("https://[::1]x", "no valid server name"),
    ("https://[fe80::1%25eth0]", "no valid server name"),
    ("https://hub.example.org:0", "between 1 and 65535"),
    ("https://hub.example.org:65536", "between 1 and 65535"),
    ("https://hub.example.org:99999999999999999999", "between 1 and 65535"),
    ("https://hub.example.org:+80", "between 1 and 65535"),
    ("https://hub.example.org:８０", "between 1 and 65535"),
    ("https://999.1.1.1", "no valid server name"),
    ("https://256.0.0.1:8000", "no valid server name"),
    ("https://1.2.3", "no valid server name"),
    ("https://10.0.0.0x5", "no valid server name"),
    ("https://hub.example.org/\x1b[2Jjupyter", "invisible characters"),
    ("https://hub.example\u202e.org", "invisible characters"),
])
def test_an_impossible_hub_address_is_refused_in_a_sentence(hub: str, words: str, capsys) -> None:
    assert cli.main(["link", f"--hub={hub}"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and words in captured.err
    assert "Traceback" not in captured.err and "\x1b" not in captured.err
    assert_plain(captured.err)


@pytest.mark.parametrize(("pasted", "base"), [
    ("https://[::1]:8000/hub/login", "https://[::1]:8000"),
    ("http://[2001:DB8::1]/", "http://[2001:db8::1]"),
    ("https://127.0.0.1:65535", "https://127.0.0.1:65535"),
    ("https://example.org/my%20hub/hub/home", "https://example.org/my%20hub"),
    ("https://example.org/équipe/jupyter/", "https://example.org/%C3%A9quipe/jupyter"),
    ("https://example.org/a%2Fb/", "https://example.org/a%2Fb"),
    ("https://example.org/100%/", "https://example.org/100%25"),
    ("https://example.org/<script>/", "https://example.org/%3Cscript%3E"),
    ("https://example.org/x\"onmouseover=1/", "https://example.org/x%22onmouseover=1"),
    ("https://example.org/a/./b/../c/", "https://example.org/a/c"),
    ("https://hub.example.org:", "https://hub.example.org"),
    ("https://bücher.example/", "https://xn--bcher-kva.example"),
])
def test_the_hub_base_is_a_clean_percent_encoded_address(pasted: str, base: str) -> None:
    assert hub_link.normalise_hub(pasted) == base
    assert hub_link.normalise_hub(base) == base
    url = build_link(pasted).url
    assert url.startswith(base + "/hub/user-redirect/git-pull?") and url.isascii()


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "JavaScript:alert(document.cookie)",
                                   "data:text/html,<script>alert(1)</script>", "mailto:a@b.org",
                                   "file:/etc/passwd", "hub.example.org:notaport", ":8000",
                                   "@evil.example", "a@b:c"])
def test_write_it_in_full_never_suggests_something_that_is_not_a_hub(typed: str, capsys) -> None:
    assert cli.main(["link", f"--hub={typed}"]) == 2
    err = capsys.readouterr().err
    assert "Write it in full" not in err and "https://javascript" not in err.lower()
    assert "is not a web address" in err or "no valid server name" in err


@pytest.mark.parametrize("typed", ["hub.example.org", "hub.example.org:8443", "//hub.example.org/jupyter",
                                   "10.0.0.5:8000", "[::1]:8000"])
def test_write_it_in_full_suggests_an_address_that_works(typed: str) -> None:
    with pytest.raises(LinkError, match="Write it in full: ") as refused:
        build_link(typed)
    suggestion = str(refused.value).rsplit("Write it in full: ", 1)[1]
    assert build_link(suggestion).url.startswith(hub_link.normalise_hub(suggestion) + "/hub/")


@pytest.mark.parametrize("targetpath", [".", "..", "./", "/home/jovyan", "a/../b", "a/./b", "a//b", "",
                                        "~/../..", "x\x00y"])
def test_a_target_folder_outside_the_participants_home_is_refused(targetpath: str, capsys) -> None:
    assert cli.main(["link", "--hub", "https://hub.example.org", f"--targetpath={targetpath}"]) == 2
    err = capsys.readouterr().err
    assert "not a path inside" in err and "Traceback" not in err


_URL_PIECES = st.sampled_from([
    "https://", "http://", "HTTPS://", "//", "javascript:", "ftp://", "https:", "hub.example.org",
    "Hub.Example.ORG", "[::1", "[::1]", "]", "[", "999.1.1.1", "10.0.0.5", "1.2.3", "0x7f.1",
    "[fe80::1%25eth0]", "bücher.example", "a..b", "-a.com", "localhost", "@", "user:pw@", ":",
    ":0", ":8443", ":65536", ":99999999999", ":-1", "/", "/jupyter", "/hub", "/user/alice",
    "/my%20hub", "/%zz", "/%ff", "/é", "/..", "/.", "/%2e%2e", "?next=/hub", "#top", "%", "\\",
    "\x00", "\u202e", " ", "<", '"', "'",
])
_HUBS = st.one_of(st.text(max_size=40), st.lists(_URL_PIECES, max_size=8).map("".join),
                  st.tuples(st.lists(_URL_PIECES, max_size=5).map("".join), st.text(max_size=6))
                  .map("".join))


@settings(max_examples=400, deadline=None)
@given(_HUBS)
def test_any_hub_gives_a_link_that_round_trips_or_a_plain_refusal(text: str) -> None:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["link", f"--hub={text}"])
    if code == 2:
        assert out.getvalue() == "" and err.getvalue().startswith("✗ ")
        assert_plain(err.getvalue().replace(hub_link._shown(text.strip()), "…"))
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", err.getvalue())
        if "Write it in full: " in err.getvalue():  # the suggestion itself makes a link
            build_link(err.getvalue().rsplit("Write it in full: ", 1)[1].strip())
        return
    assert code == 0
    url = out.getvalue().strip()
    parts = urlsplit(url)
    assert parts.scheme in {"http", "https"} and url.isascii() and " " not in url
    assert parts.hostname and not parts.username and not parts.password
    assert parts.port is None or 1 <= parts.port <= 65535
    assert _is_host(parts.hostname), url
    assert parts.path.endswith("/hub/user-redirect/git-pull") and not parts.fragment
    base = url.split("/hub/user-redirect/git-pull?")[0]
    assert hub_link.normalise_hub(base) == base, "the hub base round-trips"
    assert hub_link.normalise_hub(text) == base


def _is_host(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        labels = name.split(".")
        return (all(re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", label) for label in labels)
                and not re.fullmatch(r"[0-9]+|0x[0-9a-f]*", labels[-1]))
