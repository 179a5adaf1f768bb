# SPDX-License-Identifier: MIT
"""HTTP for a SPARQL server: credentials, TLS, timeouts, retries, one-line errors.

The standard library's urllib is enough for POSTing a query or an update and
reading the answer; it verifies TLS certificates by default (the system's
trust store, or SSL_CERT_FILE), and keeps spec-check free of another
dependency. Credentials never come from the command line (it ends up in
shell history and in `ps`): SPEC_CHECK_ENDPOINT_TOKEN (a bearer token) or
SPEC_CHECK_ENDPOINT_USER and SPEC_CHECK_ENDPOINT_PASSWORD, else the
endpoint's host in the netrc file (NETRC, else ~/.netrc). Redirects are not
followed: urllib would resend the Authorization header to wherever the server
points.
"""

from __future__ import annotations

import base64
import ipaddress
import netrc
import os
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import SpecCheckError

# Worth another try: the server is busy or restarting. Anything else is an answer.
_RETRY_STATUS = frozenset({429, 502, 503, 504})
_MAX_MESSAGE = 300


@dataclass(frozen=True)
class HttpSettings:
    timeout: float = 60.0  # seconds for one request
    retries: int = 3  # further attempts after a failure worth retrying
    backoff: float = 0.5  # seconds before the first retry; doubled each time


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SpecCheckError(f"{url}: an endpoint is an http:// or https:// URL")
    if parts.username or parts.password:
        raise SpecCheckError(
            f"{parts.scheme}://{parts.hostname}: credentials in the URL are refused (they end up in shell "
            "history); set SPEC_CHECK_ENDPOINT_USER and SPEC_CHECK_ENDPOINT_PASSWORD, "
            "SPEC_CHECK_ENDPOINT_TOKEN, or a ~/.netrc entry for the host")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def authorization(url: str, environ=None) -> str | None:
    """The Authorization header for ``url``: environment first, then netrc; None without credentials."""
    environ = os.environ if environ is None else environ
    token = environ.get("SPEC_CHECK_ENDPOINT_TOKEN")
    if token:
        return f"Bearer {token}"
    user = environ.get("SPEC_CHECK_ENDPOINT_USER")
    if user:
        password = environ.get("SPEC_CHECK_ENDPOINT_PASSWORD", "")
        return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    host = urlsplit(url).hostname or ""
    path = environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as e:
        raise SpecCheckError(f"cannot read the credentials file: {e}", path=path) from None
    if entry is None:
        return None
    login, _account, password = entry
    return "Basic " + base64.b64encode(f"{login}:{password or ''}".encode("utf-8")).decode("ascii")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise SpecCheckError(f"{req.full_url}: the server redirects to {newurl}; give that URL instead")


class HttpClient:
    def __init__(self, settings: HttpSettings | None = None, environ=None):
        self.settings = settings or HttpSettings()
        self.environ = os.environ if environ is None else environ
        self._auth: dict[str, str | None] = {}

    def _opener(self, url: str):
        handlers = [_NoRedirect(), urllib.request.HTTPSHandler(context=ssl.create_default_context())]
        if is_loopback(urlsplit(url).hostname or ""):
            handlers.append(urllib.request.ProxyHandler({}))  # loopback never goes through a proxy
        return urllib.request.build_opener(*handlers)

    def post(self, url: str, body: str, content_type: str, accept: str) -> tuple[str, bytes]:
        """POST ``body``; (response content type, response bytes). Raises SpecCheckError, one line."""
        check_url(url)
        if url not in self._auth:
            self._auth[url] = authorization(url, self.environ)
        headers = {"Content-Type": f"{content_type}; charset=utf-8", "Accept": accept,
                   "User-Agent": "spec-check"}
        if self._auth[url]:
            parts = urlsplit(url)
            if parts.scheme != "https" and not is_loopback(parts.hostname or ""):
                raise SpecCheckError(f"{url}: credentials are sent only over https (or to a loopback address)")
            headers["Authorization"] = self._auth[url]
        data = body.encode("utf-8")
        opener = self._opener(url)
        settings = self.settings
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            try:
                with opener.open(request, timeout=settings.timeout) as response:
                    return response.headers.get("Content-Type", ""), response.read()
            except urllib.error.HTTPError as e:
                detail = _server_message(e)
                problem = f"{url}: the server answered {e.code} {e.reason}" + (f": {detail}" if detail else "")
                retry = e.code in _RETRY_STATUS
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as e:
                reason = getattr(e, "reason", e)
                if isinstance(reason, ssl.SSLError):
                    raise SpecCheckError(f"{url}: TLS failed: {reason}") from None
                if isinstance(reason, (socket.timeout, TimeoutError)):
                    problem = f"{url}: no answer within {settings.timeout:g} s"
                else:
                    problem = f"{url}: cannot reach the server ({reason})"
                retry = True
            except OSError as e:  # the connection dropped half-way through the answer
                problem, retry = f"{url}: the connection failed ({e})", True
            if not retry or attempt >= settings.retries:
                tries = f" (after {attempt + 1} attempts)" if attempt else ""
                raise SpecCheckError(problem + tries)
            time.sleep(settings.backoff * (2 ** attempt))
            attempt += 1


def _server_message(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    text = " ".join(text.split())
    return text[:_MAX_MESSAGE] + ("…" if len(text) > _MAX_MESSAGE else "")
