"""A simulated workshop participant: what a browser does on a JupyterHub, through its proxy.

One :class:`Participant` logs in through the hub's real login form, follows the
redirects of the spawn (spawn-pending, the single-user server's OAuth dance) until
``/user/<name>/lab`` answers 200, opens a lesson notebook (contents API, then a
session with a ``python3`` kernel) and runs its code cells over the kernel's
websocket as JupyterLab does: Jupyter ``execute_request`` messages on the shell
channel, each finished when its ``execute_reply`` and the iopub ``status: idle``
for it have both arrived. It sends the headers a browser sends (``Sec-Fetch-Mode``,
``Origin``, ``X-XSRFToken`` from the ``_xsrf`` cookie of the path it calls), keeps
cookies per path like a browser (:class:`CookieJar`), and never uses a token: what
it can do, a participant with a browser can do.

Everything waits with a timeout. A request, a spawn or a cell that fails or takes
too long raises :class:`ParticipantError` with a message saying what and where
(never a hang); a cell whose code raises is not a failure of the participant: it
comes back as a :class:`CellRun` with its ``errors``.

Used by ``benchmarks/classroom.py`` (the load run) and by the hub's tests.
Only the standard library and tornado (the Jupyter server's own dependency).
"""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import html
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse
from tornado.websocket import WebSocketClientConnection, websocket_connect

PROTOCOL_VERSION = "5.3"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) tiktok-lab-participant/1 ({name})"


class ParticipantError(Exception):
    """A step a participant could not do: the message says which step, for whom, and why."""


# --------------------------------------------------------------------------- cookies


@dataclass
class Cookie:
    name: str
    value: str
    host: str
    path: str
    expires: float | None = None  # time.time() after which it is gone; None: session cookie


def default_path(request_path: str) -> str:
    """RFC 6265 5.1.4: the cookie path when Set-Cookie names none (the request's "directory")."""
    if not request_path.startswith("/") or request_path.count("/") == 1:
        return "/"
    return request_path[: request_path.rindex("/")]


def path_matches(request_path: str, cookie_path: str) -> bool:
    """RFC 6265 5.1.4: is a cookie set for ``cookie_path`` sent with a request for ``request_path``?"""
    if request_path == cookie_path:
        return True
    if request_path.startswith(cookie_path):
        return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    return False


class CookieJar:
    """A browser's cookie store for one host: cookies by (name, path), expiry, path matching.

    Every participant talks to one host (the hub's proxy), so the domain attribute is
    not used: a cookie is kept for the host that set it (host-only, port ignored, as
    browsers do). The hub and the single-user server both set an ``_xsrf`` cookie, on
    ``/hub/`` and on ``/user/<name>/``: :meth:`get` returns the one a request to a
    given URL would carry, the most specific path first, as :meth:`header` sends them.
    """

    def __init__(self) -> None:
        self._cookies: dict[tuple[str, str, str], Cookie] = {}

    def update(self, url: str, set_cookie_headers: list[str], now: float | None = None) -> None:
        """Store the cookies of a response to ``url`` (its ``Set-Cookie`` header values)."""
        now = time.time() if now is None else now
        parts = urlsplit(url)
        host = parts.hostname or ""
        for header in set_cookie_headers:
            parsed = SimpleCookie()
            try:
                parsed.load(header)
            except CookieError:
                continue
            for name, morsel in parsed.items():
                path = morsel["path"] if morsel["path"].startswith("/") else \
                    default_path(parts.path or "/")
                expires: float | None = None
                if morsel["max-age"]:
                    try:
                        expires = now + int(morsel["max-age"])
                    except ValueError:
                        expires = None
                elif morsel["expires"]:
                    try:
                        expires = email.utils.parsedate_to_datetime(morsel["expires"]).timestamp()
                    except (TypeError, ValueError):
                        expires = None
                key = (host, path, name)
                if expires is not None and expires <= now:
                    self._cookies.pop(key, None)  # how a server deletes a cookie
                else:
                    self._cookies[key] = Cookie(name, morsel.value, host, path, expires)

    def matching(self, url: str, now: float | None = None) -> list[Cookie]:
        """The cookies a request to ``url`` carries, longest path first (RFC 6265 5.4)."""
        now = time.time() if now is None else now
        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path or "/"
        found = [c for c in self._cookies.values()
                 if c.host == host and path_matches(path, c.path)
                 and (c.expires is None or c.expires > now)]
        return sorted(found, key=lambda c: -len(c.path))

    def header(self, url: str) -> str:
        """The ``Cookie`` request header for ``url`` ("" when no cookie matches)."""
        return "; ".join(f"{c.name}={c.value}" for c in self.matching(url))

    def get(self, name: str, url: str) -> str | None:
        """The value of cookie ``name`` a request to ``url`` would send first, or None."""
        return next((c.value for c in self.matching(url) if c.name == name), None)

    def __len__(self) -> int:
        return len(self._cookies)


# --------------------------------------------------------------------------- messages


def execute_request(code: str, session: str, username: str) -> dict[str, Any]:
    """A Jupyter ``execute_request`` (protocol 5.3) for the shell channel, as JupyterLab
    sends it over the kernel websocket (JSON, with its ``channel``)."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "session": session,
            "username": username,
            "msg_type": "execute_request",
            "version": PROTOCOL_VERSION,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }


def kernel_info_request(session: str, username: str) -> dict[str, Any]:
    """The ``kernel_info_request`` a frontend sends first, to know the kernel answers."""
    message = execute_request("", session, username)
    message["header"]["msg_type"] = "kernel_info_request"
    message["content"] = {}
    return message


def parent_id(message: dict[str, Any]) -> str | None:
    """The ``msg_id`` of the request a kernel message answers (None for unprompted ones)."""
    parent = message.get("parent_header") or {}
    return parent.get("msg_id") or None


@dataclass
class CellRun:
    """One code cell run by a participant: what came back and how long it took."""

    index: int
    code: str
    seconds: float = 0.0
    status: str = ""  # the execute_reply's status: "ok", "error" or "aborted"
    errors: list[tuple[str, str]] = field(default_factory=list)  # (ename, evalue)
    stream: str = ""  # stdout and stderr text, in order
    reply: bool = False
    idle: bool = False

    @property
    def failed(self) -> bool:
        return self.status != "ok" or bool(self.errors)

    def describe_errors(self) -> str:
        if self.errors:
            return "; ".join(f"{ename}: {evalue}" for ename, evalue in self.errors)
        return f"status {self.status or 'missing'}"

    def take(self, message: dict[str, Any]) -> None:
        """Record a kernel message whose parent is this cell's request."""
        kind = message.get("msg_type") or message.get("header", {}).get("msg_type")
        content = message.get("content") or {}
        if kind == "execute_reply":
            self.reply = True
            self.status = content.get("status", "")
            if self.status == "error" and not self.errors:
                self.errors.append((content.get("ename", ""), content.get("evalue", "")))
        elif kind == "error":
            self.errors.append((content.get("ename", ""), content.get("evalue", "")))
        elif kind == "stream":
            self.stream += content.get("text", "")
        elif kind == "status" and content.get("execution_state") == "idle":
            self.idle = True

    @property
    def done(self) -> bool:
        return self.reply and self.idle


def notebook_code(notebook: dict[str, Any]) -> list[str]:
    """The code cells of a notebook (its JSON), in order, all of them."""
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append("".join(source) if isinstance(source, list) else source)
    return cells


def lesson_cells(course_root: Path, lesson: str) -> list[str]:
    """The code cells of ``notebooks/<lesson>.ipynb`` under ``course_root``, in order, all
    of them (the set-up cell first): what a participant runs, cell by cell."""
    path = Path(course_root) / "notebooks" / f"{lesson}.ipynb"
    cells = notebook_code(json.loads(path.read_text(encoding="utf-8")))
    if not cells:
        raise ValueError(f"{path} has no code cell")
    return cells


# --------------------------------------------------------------------------- participant


class Participant:
    """One participant with a browser, on the hub at ``hub_url`` (its proxy's public URL).

    >>> someone = Participant("http://127.0.0.1:8000", "ana", "workshop password")
    >>> await someone.login()              # seconds from the login form to JupyterLab
    >>> await someone.open_lesson("03_feed")
    >>> run = await someone.run_cell("1 + 1")
    >>> await someone.shutdown()
    """

    def __init__(self, hub_url: str, name: str, password: str, *, course_folder: str = "",
                 timeout: float = 60, spawn_timeout: float = 300,
                 cell_timeout: float = 300) -> None:
        self.hub_url = hub_url.rstrip("/")
        self.name = name  # what the participant types in the login form
        self.hub_name = name  # the hub's name for them (it may fold case): learnt at login
        self.course_folder = course_folder.strip("/")  # where the course is in their home
        self.lesson_code: list[str] = []  # the open lesson's code cells, as their server has it
        self.password = password
        self.timeout, self.spawn_timeout, self.cell_timeout = timeout, spawn_timeout, cell_timeout
        self.jar = CookieJar()
        self.user_agent = USER_AGENT.format(name=name)
        self.session_id = uuid.uuid4().hex  # the frontend's client session
        self.kernel_session: dict[str, Any] | None = None  # the server's session record
        self.runs: list[CellRun] = []
        self._http: AsyncHTTPClient | None = None  # made in the event loop, at the first request
        self._ws: WebSocketClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[str, tuple[CellRun, asyncio.Event]] = {}
        self._kernel_info: asyncio.Future[dict[str, Any]] | None = None
        self._kernel_info_id: str | None = None
        self._ws_closed: str | None = None

    # ------------------------------------------------------------------ URLs

    @property
    def user_path(self) -> str:
        return f"/user/{quote(self.hub_name)}/"

    def url(self, path: str) -> str:
        return urljoin(self.hub_url + "/", path.lstrip("/"))

    def user_url(self, path: str) -> str:
        return self.url(self.user_path + path.lstrip("/"))

    # ------------------------------------------------------------------ HTTP

    async def _request(self, url: str, method: str = "GET", *, body: str | bytes | None = None,
                       headers: dict[str, str] | None = None,
                       mode: str = "navigate") -> HTTPResponse:
        """One request with the browser's headers and cookies; stores the cookies it gets.

        ``mode`` is the ``Sec-Fetch-Mode`` a browser would send: ``navigate`` for a page,
        ``cors`` for the frontend's API calls (which then carry the ``X-XSRFToken``).
        """
        sent = {"User-Agent": self.user_agent, "Sec-Fetch-Mode": mode,
                "Sec-Fetch-Site": "same-origin", "Accept": "*/*"}
        cookie = self.jar.header(url)
        if cookie:
            sent["Cookie"] = cookie
        if method not in ("GET", "HEAD"):
            sent["Origin"] = self.hub_url
        if mode == "cors":
            xsrf = self.jar.get("_xsrf", url)
            if xsrf:
                sent["X-XSRFToken"] = xsrf
        sent.update(headers or {})
        request = HTTPRequest(url, method=method, body=body, headers=sent,
                              follow_redirects=False, connect_timeout=self.timeout,
                              request_timeout=self.timeout,
                              allow_nonstandard_methods=True)
        if self._http is None:
            self._http = AsyncHTTPClient(force_instance=True)
        try:
            response = await self._http.fetch(request, raise_error=False)
        except (OSError, HTTPClientError) as error:
            raise ParticipantError(f"{self.name}: {method} {url} failed: {error}") from error
        if response.code == 599:  # tornado's code for "no response" (timeout, refused)
            raise ParticipantError(
                f"{self.name}: {method} {url} got no answer: {response.error}")
        self.jar.update(url, response.headers.get_list("Set-Cookie"))
        return response

    async def _navigate(self, url: str, method: str = "GET", body: str | None = None,
                        headers: dict[str, str] | None = None,
                        max_redirects: int = 20) -> HTTPResponse:
        """Follow redirects like a browser's address bar (cookies stored at each hop)."""
        for _ in range(max_redirects):
            response = await self._request(url, method, body=body, headers=headers)
            if response.code not in (301, 302, 303, 307, 308):
                return response
            location = response.headers.get("Location")
            if not location:
                raise ParticipantError(f"{self.name}: {url} redirected without a Location")
            url = urljoin(url, location)
            if response.code in (301, 302, 303):
                method, body, headers = "GET", None, None
        raise ParticipantError(f"{self.name}: more than {max_redirects} redirects from {url}")

    @staticmethod
    def _path(response: HTTPResponse) -> str:
        return urlsplit(response.effective_url).path

    def _fail(self, step: str, response: HTTPResponse) -> ParticipantError:
        text = response.body.decode("utf-8", "replace") if response.body else ""
        message = _page_message(text)
        return ParticipantError(f"{self.name}: {step}: HTTP {response.code} at "
                                f"{self._path(response)}" + (f": {message}" if message else ""))

    async def _api(self, method: str, path: str, payload: Any = None,
                   expect: tuple[int, ...] = (200,)) -> Any:
        """A JupyterLab API call on the participant's server (JSON in, JSON out)."""
        body = None if payload is None else json.dumps(payload)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        url = self.user_url(path)
        response = await self._request(url, method, body=body, headers=headers, mode="cors")
        if response.code not in expect:
            raise self._fail(f"{method} {path}", response)
        if not response.body:
            return None
        try:
            return json.loads(response.body)
        except ValueError as error:
            raise self._fail(f"{method} {path} (not JSON)", response) from error

    # ------------------------------------------------------------------ login and spawn

    async def login(self) -> float:
        """Log in through the login form and wait for JupyterLab: seconds from the form to
        ``/user/<name>/lab`` answering 200 (the spawn included, if the server was not running)."""
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self._login(), self.spawn_timeout + self.timeout)
        except asyncio.TimeoutError:
            raise ParticipantError(
                f"{self.name}: JupyterLab not reached {self.spawn_timeout:.0f} s after "
                "logging in") from None
        return time.perf_counter() - started

    async def _login(self) -> None:
        form = await self._navigate(self.url("/hub/login"))
        if form.code != 200:
            raise self._fail("login page", form)
        token = _form_xsrf(form.body.decode("utf-8", "replace"))
        if token is None:
            token = self.jar.get("_xsrf", form.effective_url)
        if token is None:
            raise ParticipantError(f"{self.name}: the login page has no _xsrf token")
        fields = {"username": self.name, "password": self.password, "_xsrf": token}
        response = await self._request(
            form.effective_url, "POST", body=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        if response.code not in (302, 303):
            raise self._fail("login refused", response)
        location = urljoin(form.effective_url, response.headers.get("Location", "/hub/"))
        await self._reach_lab(location)

    async def _reach_lab(self, url: str) -> None:
        """From the page after login, through the spawn, to a 200 from ``/user/<name>/lab``."""
        deadline = time.monotonic() + self.spawn_timeout
        lab = self.user_url("lab")
        spawn = self.url("/hub/spawn")  # the Start button: the logged-in user's server
        while True:
            response = await self._navigate(url)
            path = self._path(response)
            served = re.match(r"/user/([^/]+)/", path)
            if response.code == 200 and served:
                self.hub_name = unquote(served.group(1))  # the hub's spelling of the name
                lab = self.user_url("lab")
                if path.rstrip("/") == urlsplit(lab).path or \
                        path.startswith(urlsplit(lab).path + "/"):
                    return  # JupyterLab, maybe opened on the hub's first notebook
                url = lab  # the server's default page is not JupyterLab: open it
            elif response.code == 200 and "/hub/spawn-pending/" in path:
                url = response.effective_url  # the spawn page: it moves on when ready
                await asyncio.sleep(1)
            elif response.code == 200 and path.rstrip("/").endswith("/hub/home") or \
                    response.code == 424:  # no server running: the Start button
                url = spawn
            else:
                raise self._fail("spawn", response)
            if time.monotonic() > deadline:
                raise ParticipantError(f"{self.name}: spawn not finished after "
                                       f"{self.spawn_timeout:.0f} s (last page {path})")

    async def reconnect(self) -> float:
        """A new browser for the same person (no cookies): log in again and find the
        server (started again if it stopped). Closes the kernel connection; seconds to lab."""
        await self._close_websocket()
        self.jar = CookieJar()
        self.kernel_session = None
        return await self.login()

    # ------------------------------------------------------------------ files

    async def read_file(self, path: str) -> str:
        """A file's text through the contents API (a notebook comes back as its JSON)."""
        model = await self._api("GET", f"api/contents/{quote(path)}?content=1")
        content = model.get("content")
        if model.get("type") == "notebook" or not isinstance(content, str):
            return json.dumps(content)
        return content

    async def write_file(self, path: str, text: str) -> None:
        """Save a text file (or a notebook, when ``path`` ends with ``.ipynb``) as Save does."""
        if path.endswith(".ipynb"):
            model = {"type": "notebook", "format": "json", "content": json.loads(text)}
        else:
            model = {"type": "file", "format": "text", "content": text}
        await self._api("PUT", f"api/contents/{quote(path)}", model, expect=(200, 201))

    async def open_page(self, path: str) -> tuple[int, str]:
        """A page of their server (``voila/render/...``) as the address bar opens it: the
        final status and the page's text."""
        response = await self._navigate(self.user_url(path))
        return response.code, (response.body or b"").decode("utf-8", "replace")

    # ------------------------------------------------------------------ kernel

    def lesson_path(self, lesson: str) -> str:
        """Where lesson ``lesson`` is, from the server's root (the home)."""
        return "/".join(p for p in (self.course_folder, "notebooks", f"{lesson}.ipynb") if p)

    async def open_lesson(self, lesson: str) -> None:
        """Open ``<course_folder>/notebooks/<lesson>.ipynb`` as JupyterLab does: read it (its
        code cells go to :attr:`lesson_code`), start its session (kernel ``python3``),
        connect to the kernel's websocket and wait for the kernel to answer."""
        path = self.lesson_path(lesson)
        notebook = json.loads(await self.read_file(path))
        self.lesson_code = notebook_code(notebook)
        if not self.lesson_code:
            raise ParticipantError(f"{self.name}: {path} has no code cell")
        self.kernel_session = await self._api(
            "POST", "api/sessions",
            {"path": path, "name": f"{lesson}.ipynb", "type": "notebook",
             "kernel": {"name": "python3"}},
            expect=(200, 201))
        await self.connect_kernel()

    @property
    def kernel_id(self) -> str:
        if not self.kernel_session:
            raise ParticipantError(f"{self.name}: no notebook open")
        return self.kernel_session["kernel"]["id"]

    async def connect_kernel(self) -> None:
        """Open the kernel's websocket (cookies, Origin) and wait for its ``kernel_info_reply``."""
        await self._close_websocket()
        ws_url = self.user_url(f"api/kernels/{self.kernel_id}/channels") + \
            f"?session_id={self.session_id}"
        ws_url = "ws" + ws_url[len("http"):]
        http_url = self.user_url(f"api/kernels/{self.kernel_id}/channels")
        request = HTTPRequest(ws_url, headers={
            "User-Agent": self.user_agent, "Origin": self.hub_url, "Sec-Fetch-Mode": "websocket",
            "Sec-Fetch-Site": "same-origin", "Cookie": self.jar.header(http_url)},
            # The server answers the handshake once the kernel has answered it (or after its
            # kernel_info_timeout, 60 s): the kernel's start counts, as for a cell.
            connect_timeout=self.timeout, request_timeout=self.cell_timeout)
        try:
            self._ws = await asyncio.wait_for(
                websocket_connect(request, max_message_size=256 * 1024 * 1024),
                self.cell_timeout + 5)
        except asyncio.TimeoutError:
            raise ParticipantError(f"{self.name}: kernel websocket: no answer in "
                                   f"{self.cell_timeout:.0f} s") from None
        except (OSError, HTTPClientError) as error:
            raise ParticipantError(f"{self.name}: kernel websocket refused: {error}") from error
        self._ws_closed = None
        self._reader = asyncio.ensure_future(self._read_messages(self._ws))
        loop = asyncio.get_running_loop()
        message = kernel_info_request(self.session_id, self.name)
        self._kernel_info_id = message["header"]["msg_id"]
        self._kernel_info = loop.create_future()
        await self._send(message)
        try:
            await asyncio.wait_for(asyncio.shield(self._kernel_info), self.cell_timeout)
        except asyncio.TimeoutError:
            raise ParticipantError(f"{self.name}: the kernel did not answer kernel_info in "
                                   f"{self.cell_timeout:.0f} s") from None

    async def _send(self, message: dict[str, Any]) -> None:
        if self._ws is None or self._ws_closed:
            raise ParticipantError(f"{self.name}: kernel connection closed"
                                   + (f" ({self._ws_closed})" if self._ws_closed else ""))
        try:
            await self._ws.write_message(json.dumps(message))
        except Exception as error:  # tornado raises WebSocketClosedError and StreamClosedError
            raise ParticipantError(f"{self.name}: sending to the kernel failed: {error!r}") \
                from error

    async def _read_messages(self, ws: WebSocketClientConnection) -> None:
        """Route every kernel message to the request it answers (by parent ``msg_id``)."""
        while True:
            raw = await ws.read_message()
            if raw is None:
                self._connection_lost(f"websocket closed (code {ws.close_code})")
                return
            if isinstance(raw, bytes):  # binary frames carry widget buffers: not needed
                continue
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            self.dispatch(message)

    def dispatch(self, message: dict[str, Any]) -> None:
        """Handle one message from the kernel's websocket."""
        parent = parent_id(message)
        kind = message.get("msg_type") or message.get("header", {}).get("msg_type")
        if kind == "status" and (message.get("content") or {}).get("execution_state") in (
                "restarting", "dead"):
            state = message["content"]["execution_state"]
            self._connection_lost(f"kernel {state} (killed by its memory limit?)")
            return
        if parent and parent == self._kernel_info_id and kind == "kernel_info_reply":
            if self._kernel_info is not None and not self._kernel_info.done():
                self._kernel_info.set_result(message.get("content") or {})
            return
        pending = self._pending.get(parent or "")
        if pending is not None:
            run, finished = pending
            run.take(message)
            if run.done:
                finished.set()

    async def wait_for_kernel(self, timeout: float | None = None) -> None:
        """After the kernel died (its memory limit, a crash) and the server restarts it:
        wait until it is back, then connect to it again (a fresh websocket, as
        JupyterLab reconnects). Raises if the kernel is gone or dead for good."""
        limit = self.cell_timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        path = f"api/kernels/{self.kernel_id}"
        while True:
            model = await self._api("GET", path, expect=(200, 404))
            state = (model or {}).get("execution_state")
            if state is None or state == "dead" or "id" not in (model or {}):
                raise ParticipantError(f"{self.name}: the kernel is gone (state {state})")
            if state not in ("restarting", "starting", "autorestarting"):
                try:
                    await self.connect_kernel()
                    return
                except ParticipantError:
                    if time.monotonic() > deadline:
                        raise
            if time.monotonic() > deadline:
                raise ParticipantError(f"{self.name}: the kernel is not back after "
                                       f"{limit:.0f} s (state {state})")
            await asyncio.sleep(0.5)

    def _connection_lost(self, reason: str) -> None:
        self._ws_closed = reason
        for run, finished in self._pending.values():
            if not run.done:
                run.status = run.status or "lost"
                run.errors.append(("ConnectionLost", reason))
                run.reply = run.idle = True
            finished.set()
        if self._kernel_info is not None and not self._kernel_info.done():
            self._kernel_info.set_exception(ParticipantError(f"{self.name}: {reason}"))

    async def run_cell(self, code: str, index: int | None = None) -> CellRun:
        """Run ``code`` in the open notebook's kernel and wait for its reply and for the
        kernel to go idle. A cell that raises comes back with ``errors``; a kernel that
        does not answer in ``cell_timeout`` raises :class:`ParticipantError`."""
        message = execute_request(code, self.session_id, self.name)
        msg_id = message["header"]["msg_id"]
        run = CellRun(len(self.runs) if index is None else index, code)
        finished = asyncio.Event()
        self._pending[msg_id] = (run, finished)
        started = time.perf_counter()
        try:
            await self._send(message)
            await asyncio.wait_for(finished.wait(), self.cell_timeout)
        except asyncio.TimeoutError:
            raise ParticipantError(
                f"{self.name}: cell {run.index} not finished after "
                f"{self.cell_timeout:.0f} s: {code.splitlines()[0] if code else ''}") from None
        finally:
            self._pending.pop(msg_id, None)
        run.seconds = time.perf_counter() - started
        self.runs.append(run)
        return run

    # ------------------------------------------------------------------ leaving

    async def _close_websocket(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 5)
            except (asyncio.TimeoutError, Exception):
                self._reader.cancel()
            self._reader = None

    async def stop_server(self) -> None:
        """Stop this participant's server as the hub's home page does (its Stop button)."""
        page = await self._navigate(self.url("/hub/home"))
        if page.code != 200:
            raise self._fail("hub home page", page)
        response = await self._request(self.url(f"/hub/api/users/{quote(self.hub_name)}/server"),
                                       "DELETE", mode="cors")
        if response.code not in (202, 204):
            raise self._fail("stop server", response)
        deadline = time.monotonic() + self.spawn_timeout
        while response.code == 202 and time.monotonic() < deadline:  # stopping: wait for it
            await asyncio.sleep(1)
            user = await self._request(self.url(f"/hub/api/users/{quote(self.hub_name)}"),
                                       mode="cors")
            if user.code != 200 or not json.loads(user.body).get("servers", {}).get(""):
                return

    async def shutdown(self, stop_server: bool = False) -> None:
        """Close the notebook (its session and kernel), optionally stop the server, and
        let go of the connections. Safe to call more than once, or after a failure."""
        try:
            await self._close_websocket()
            if self.kernel_session:
                session, self.kernel_session = self.kernel_session, None
                await self._api("DELETE", f"api/sessions/{session['id']}", expect=(204, 404))
            if stop_server:
                await self.stop_server()
        finally:
            if self._http is not None:
                self._http.close()
                self._http = None


def _form_xsrf(page: str) -> str | None:
    """The hidden ``_xsrf`` field of a form (the login page's)."""
    match = re.search(r'name="_xsrf"\s+value="([^"]*)"', page) or \
        re.search(r'value="([^"]*)"\s+name="_xsrf"', page)
    return html.unescape(match.group(1)) if match else None


def _page_message(page: str) -> str:
    """The error a hub or server page shows (login error, spawn failure, JSON message), short."""
    try:
        data = json.loads(page)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])[:300]
    for pattern in (r'class="[^"]*login_error[^"]*"[^>]*>(.*?)</', r"<p[^>]*error[^>]*>(.*?)</p>",
                    r"<title>(.*?)</title>"):
        match = re.search(pattern, page, re.S)
        if match and match.group(1).strip():
            return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", match.group(1))))\
                .strip()[:300]
    return ""
