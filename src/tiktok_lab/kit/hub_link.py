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
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

from tiktok_lab.core.i18n import t

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


# Characters that do not show (controls, bidi overrides, zero-width): a pasted address
# carrying them is not what the trainer sees.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# What may stay unencoded in a path segment (RFC 3986 pchar, without "%").
_SEGMENT_SAFE = "!$&'()*+,;=:@-._~"


def _shown(value: str) -> str:
    """``value`` as a message may quote it: invisible characters marked, length bounded."""
    text = _INVISIBLE.sub("\ufffd", value)
    return text if len(text) <= 200 else text[:199] + "…"


def _web_address(value: str, kind: str) -> tuple[str, str, str, str]:
    """``(scheme, netloc, path, trimmed text)`` of an http(s) address, or a LinkError saying why not.

    ``netloc`` is rebuilt from the parts (lower-case ASCII host, IPv6 in brackets,
    a port from 1 to 65535) and ``path`` is percent-encoded, so what goes into a
    link is always a valid address, whatever was pasted.
    """
    text = value.strip()
    label = t(f"hub_link.kind.{kind}")
    if not text:
        raise LinkError(t(f"hub_link.error.{kind}_empty"))
    if _INVISIBLE.search(text):
        raise LinkError(t("hub_link.error.invisible", kind=label, value=_shown(text)))
    if re.search(r"\s", text):
        raise LinkError(t("hub_link.error.spaces", kind=label, value=_shown(text)))
    if "://" not in text:
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:(?![0-9]+(?:[/?#]|$))", text):
            # "javascript:...", "mailto:...": another kind of address, not a server name
            raise LinkError(t("hub_link.error.scheme", kind=label, value=_shown(text)))
        suggestion = "https://" + text.lstrip("/")
        try:  # suggest only what would itself be accepted (never "https://javascript:...")
            _web_address(suggestion, kind)
        except LinkError:
            raise LinkError(t("hub_link.error.scheme", kind=label, value=_shown(text))) from None
        raise LinkError(t("hub_link.error.no_scheme", kind=label, value=_shown(text),
                          suggestion=suggestion))
    try:
        parts = urlsplit(text)
    except ValueError:  # "https://[::1": an unclosed bracket
        raise LinkError(t("hub_link.error.host", kind=label, value=_shown(text))) from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise LinkError(t("hub_link.error.scheme", kind=label, value=_shown(text)))
    host, port = _host_and_port(parts.netloc, text, label)
    return parts.scheme.lower(), host + (f":{port}" if port else ""), _encoded_path(parts.path), text


def _host_and_port(netloc: str, text: str, label: str) -> tuple[str, int | None]:
    """The server name as a link carries it (``[::1]``, ``xn--...``) and the port, or a LinkError."""
    refused = LinkError(t("hub_link.error.host", kind=label, value=_shown(text)))
    if "@" in netloc:
        raise refused  # a user name or password does not belong in a shared link
    match = re.fullmatch(r"(\[[^\]]*\]|[^:\[\]]*)(?::([^:]*))?", netloc)
    if match is None:
        raise refused
    name, port_text = match.group(1), match.group(2)
    port = None
    if port_text:
        if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 1 <= int(port_text) <= 65535:
            raise LinkError(t("hub_link.error.port", value=_shown(text)))
        port = int(port_text)
    if name.startswith("["):
        address = _ip(name[1:-1])
        if address is None or address.version != 6 or "%" in name:
            raise refused
        return f"[{address.compressed}]", port
    try:
        name = name.encode("idna").decode("ascii").lower() if name else ""
    except UnicodeError:
        raise refused from None
    labels = name.split(".")
    if re.fullmatch(r"[0-9]+|0x[0-9a-f]*", labels[-1]):  # a number: an IPv4 address or nothing
        address = _ip(name)
        if address is None or address.version != 4:
            raise refused
        return str(address), port
    if not _HOST.match(name):
        raise refused
    return name, port


def _ip(text: str):
    import ipaddress

    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _encoded_path(path: str) -> str:
    """``path`` with dot segments resolved and every segment percent-encoded exactly once."""
    segments: list[str] = []
    for raw in path.split("/"):
        segment = unquote(raw, errors="replace")
        if segment in {"", "."}:
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(quote(segment, safe=_SEGMENT_SAFE))
    return "".join(f"/{segment}" for segment in segments)


def normalise_hub(value: str) -> str:
    """``https://hub.example.org`` from whatever address of the hub a trainer pasted.

    Keeps a base path (a hub served under ``/jupyter/``) and drops JupyterHub's
    own pages after it (``/hub/login``, ``/user/alice/lab``), a query and a fragment.
    """
    scheme, netloc, path, _ = _web_address(value, "hub")
    segments = [segment for segment in path.split("/") if segment]
    for index, segment in enumerate(segments):
        if unquote(segment) in _HUB_SEGMENTS:
            segments = segments[:index]
            break
    base = "/" + "/".join(segments) if segments else ""
    return urlunsplit((scheme, netloc, base, "", ""))


def check_repository(value: str) -> str:
    """A clonable https repository address, without a trailing slash."""
    _, _, path, text = _web_address(value, "repo")
    if not path.strip("/"):
        raise LinkError(t("hub_link.error.repo_path", value=_shown(text)))
    return text.rstrip("/")


def repository_folder(repo: str) -> str:
    """The folder nbgitpuller clones into by default: the repository's last path segment."""
    name = unquote(urlsplit(repo).path.rstrip("/").rsplit("/", 1)[-1])
    return name[:-4] if name.endswith(".git") else name


def check_branch(value: str) -> str:
    branch = value.strip()
    if not branch or _BAD_BRANCH.search(branch):
        raise LinkError(t("hub_link.error.branch", value=_shown(value)))
    return branch


def check_notebook(value: str) -> str:
    """A path inside the repository, with forward slashes."""
    path = value.strip().replace("\\", "/")
    segments = path.split("/")
    # "?", "#" and "%" would end or re-encode the path once nbgitpuller redirects to it.
    if (not path or path.startswith("/") or ".." in segments or "." in segments or "" in segments
            or re.search(r"[?#%\x00-\x1f\x7f]", path)):
        raise LinkError(t("hub_link.error.notebook", value=_shown(value)))
    return path


def build_link(hub: str, repo: str | None = None, branch: str = DEFAULT_BRANCH,
               notebook: str = DEFAULT_NOTEBOOK, app: str = "lab",
               targetpath: str | None = None) -> HubLink:
    """The nbgitpuller link that clones ``repo`` and opens ``notebook`` in ``app``."""
    if app not in APPS:
        raise LinkError(t("hub_link.error.app", value=_shown(app), choices=", ".join(APPS)))
    repo = check_repository(repo if repo is not None else default_repository())
    folder = check_notebook(targetpath) if targetpath is not None else repository_folder(repo)
    if not folder:
        raise LinkError(t("hub_link.error.repo_path", value=repo))
    return HubLink(hub=normalise_hub(hub), repo=repo, branch=check_branch(branch),
                   targetpath=folder, urlpath=f"{APPS[app]}{folder}/{check_notebook(notebook)}")
