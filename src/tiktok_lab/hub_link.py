"""``tiktok-lab link``: the one link that gives every participant the course on a JupyterHub.

nbgitpuller (installed on the hub) clones the course repository into the
participant's home on the first click and pulls updates on later clicks without
overwriting their edits, then opens the start notebook. Trainers paste what
their browser shows, so the hub address is checked and tidied here, and every
mistake gets a sentence saying what to type instead.

The link's shape follows nbgitpuller's documented URL options (``repo``,
``branch``, ``urlpath``, ``targetpath``):
https://nbgitpuller.readthedocs.io/en/latest/topic/url-options.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urlencode, urlsplit, urlunsplit

from tiktok_lab.i18n import t

DEFAULT_BRANCH = "main"
DEFAULT_NOTEBOOK = "notebooks/00_start_here.ipynb"
# Where each front end opens a file, relative to the single-user server.
APPS = {"lab": "lab/tree/", "voila": "voila/render/"}
PULL_PATH = "hub/user-redirect/git-pull"

_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
# Git refuses these in branch names (git check-ref-format), and a few also break a link.
_BAD_BRANCH = re.compile(r"(\.\.|[\s~^:?*\[\\]|@\{|^[-/.]|[/.]$|\.lock$|//)")
# Path segments where a JupyterHub's own pages start: what comes before is the hub's base.
_HUB_SEGMENTS = {"hub", "user"}


class LinkError(ValueError):
    """A value the trainer typed cannot make a working link; the message says what to type."""


@dataclass(frozen=True)
class HubLink:
    hub: str
    repo: str
    branch: str
    targetpath: str
    urlpath: str

    @property
    def url(self) -> str:
        query = urlencode({"repo": self.repo, "branch": self.branch,
                           "targetpath": self.targetpath, "urlpath": self.urlpath})
        return f"{self.hub}/{PULL_PATH}?{query}"


def default_repository(distribution: str = "tiktok-lab") -> str:
    """The course repository, as ``[project.urls] Repository`` in pyproject.toml declares it."""
    for entry in metadata.metadata(distribution).get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository":
            return url.strip()
    raise LinkError(t("hub_link.error.no_default_repo"))


def _web_address(value: str, kind: str) -> tuple[str, str, str, str]:
    """``(scheme, netloc, path, trimmed text)`` of an http(s) address, or a LinkError saying why not."""
    text = value.strip()
    if not text:
        raise LinkError(t(f"hub_link.error.{kind}_empty"))
    if re.search(r"\s", text):
        raise LinkError(t("hub_link.error.spaces", kind=t(f"hub_link.kind.{kind}"), value=text))
    if "://" not in text:
        suggestion = "https://" + text.lstrip("/")
        raise LinkError(t("hub_link.error.no_scheme", kind=t(f"hub_link.kind.{kind}"), value=text,
                          suggestion=suggestion))
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"}:
        raise LinkError(t("hub_link.error.scheme", kind=t(f"hub_link.kind.{kind}"), value=text))
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise LinkError(t("hub_link.error.port", value=text)) from None
    host = parts.hostname or ""
    if parts.username or parts.password or not (_HOST.match(host) or _is_ip(host)):
        raise LinkError(t("hub_link.error.host", kind=t(f"hub_link.kind.{kind}"), value=text))
    return parts.scheme.lower(), parts.netloc.lower(), parts.path, text


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def normalise_hub(value: str) -> str:
    """``https://hub.example.org`` from whatever address of the hub a trainer pasted.

    Keeps a base path (a hub served under ``/jupyter/``) and drops JupyterHub's
    own pages after it (``/hub/login``, ``/user/alice/lab``), a query and a fragment.
    """
    scheme, netloc, path, _ = _web_address(value, "hub")
    segments = [segment for segment in path.split("/") if segment]
    for index, segment in enumerate(segments):
        if segment in _HUB_SEGMENTS:
            segments = segments[:index]
            break
    base = "/" + "/".join(segments) if segments else ""
    return urlunsplit((scheme, netloc, base, "", ""))


def check_repository(value: str) -> str:
    """A clonable https repository address, without a trailing slash."""
    _, _, path, text = _web_address(value, "repo")
    if not path.strip("/"):
        raise LinkError(t("hub_link.error.repo_path", value=text))
    return text.rstrip("/")


def repository_folder(repo: str) -> str:
    """The folder nbgitpuller clones into by default: the repository's last path segment."""
    name = repo.rstrip("/").rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".git") else name


def check_branch(value: str) -> str:
    branch = value.strip()
    if not branch or _BAD_BRANCH.search(branch):
        raise LinkError(t("hub_link.error.branch", value=value))
    return branch


def check_notebook(value: str) -> str:
    """A path inside the repository, with forward slashes."""
    path = value.strip().replace("\\", "/")
    segments = path.split("/")
    # "?", "#" and "%" would end or re-encode the path once nbgitpuller redirects to it.
    if (not path or path.startswith("/") or ".." in segments or "" in segments
            or re.search(r"[?#%\x00-\x1f\x7f]", path)):
        raise LinkError(t("hub_link.error.notebook", value=value))
    return path


def build_link(hub: str, repo: str | None = None, branch: str = DEFAULT_BRANCH,
               notebook: str = DEFAULT_NOTEBOOK, app: str = "lab",
               targetpath: str | None = None) -> HubLink:
    """The nbgitpuller link that clones ``repo`` and opens ``notebook`` in ``app``."""
    if app not in APPS:
        raise LinkError(t("hub_link.error.app", value=app, choices=", ".join(APPS)))
    repo = check_repository(repo if repo is not None else default_repository())
    folder = check_notebook(targetpath) if targetpath is not None else repository_folder(repo)
    if not folder:
        raise LinkError(t("hub_link.error.repo_path", value=repo))
    return HubLink(hub=normalise_hub(hub), repo=repo, branch=check_branch(branch),
                   targetpath=folder, urlpath=f"{APPS[app]}{folder}/{check_notebook(notebook)}")
