"""HTTP requests with hard bounds, on the standard library.

A registry is remote input: a response can be endless, dripped a byte at a time, or
redirect for ever. Each request here has a deadline for the whole exchange (connect,
headers and body; a watchdog shuts the socket when it passes, so a slow drip cannot
stretch it), a size limit on the body (checked against Content-Length first, then as it
arrives), and at most ``MAX_REDIRECTS`` redirects. Plain HTTP is refused except to a
loopback host, as Docker refuses it; the Authorization header is never carried to
another host by a redirect (blob storage is signed by its URL). HTTPS goes through
``HTTPS_PROXY`` (a CONNECT tunnel) unless ``NO_PROXY`` names the host. Errors are
``TransportError`` whose text names the host and the problem, never a header or a URL's
query (a signed storage URL is a credential).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from base64 import b64encode
from dataclasses import dataclass
from email.message import Message
from urllib.parse import SplitResult, unquote, urljoin, urlsplit
from urllib.request import getproxies_environment

from ecslint.distribution.reference import LOOPBACK

MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_TLS = ssl.create_default_context()


class TransportError(Exception):
    """A request that gave no usable response, in words safe to show: the host that
    failed (a redirect may have led to another) and the problem."""

    def __init__(self, host: str, problem: str) -> None:
        super().__init__(f"{host}: {problem}")
        self.host = host
        self.problem = problem


@dataclass(frozen=True)
class Deadline:
    """When a request must be over, and how to say it ran out (``timed out after 10 s``,
    or the whole run's budget)."""

    at: float
    why: str

    def remaining(self) -> float:
        return self.at - time.monotonic()


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""


def request(url: str, headers: dict[str, str], deadline: Deadline, limit: int,
            method: str = "GET", body: bytes | None = None) -> Response:
    """The response to ``url`` after redirects; raises ``TransportError``."""
    for _ in range(MAX_REDIRECTS + 1):
        response = _exchange(method, url, headers, body, deadline, limit)
        location = response.header("Location")
        if response.status not in _REDIRECTS or not location:
            return response
        target = urljoin(url, location)
        if urlsplit(target).netloc != urlsplit(url).netloc:
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        if response.status == 303:
            method, body = "GET", None
        url = target
    raise TransportError(_host(url), f"more than {MAX_REDIRECTS} redirects")


def _host(url: str) -> str:
    return urlsplit(url).netloc.rsplit("@", 1)[-1] or url[:40]


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https":
        proxy = _proxy(host)
        if proxy is None:
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, parts.port, timeout=timeout, context=_TLS)
        else:
            connection = http.client.HTTPSConnection(
                proxy.hostname or "", proxy.port or 80, timeout=timeout, context=_TLS)
            tunnel = {}
            if proxy.username:
                pair = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}"
                tunnel["Proxy-Authorization"] = "Basic " + b64encode(pair.encode()).decode()
            connection.set_tunnel(host, parts.port or 443, tunnel)
    elif parts.scheme == "http" and host in LOOPBACK:
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    else:
        raise TransportError(_host(url), f"refusing {parts.scheme or 'a schemeless'} URL "
                             "(plain HTTP is used for loopback registries only)")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return connection, path


def _proxy(host: str) -> SplitResult | None:
    """The HTTPS proxy Docker would use for ``host``: ``HTTPS_PROXY`` unless ``NO_PROXY``
    names it (the environment only, as Go reads it). Loopback hosts are spoken to over
    plain HTTP, never through a proxy."""
    proxies = getproxies_environment()
    found = proxies.get("https")
    if not found or _bypassed(host.lower(), proxies.get("no", "")):
        return None
    return urlsplit(found if "://" in found else f"http://{found}")


def _bypassed(host: str, no_proxy: str) -> bool:
    """``NO_PROXY``: ``*``, or hosts and domains (``example.com`` and ``.example.com``
    both take its subdomains), a port after a name ignored."""
    for entry in no_proxy.lower().split(","):
        name = entry.strip().lstrip("*").lstrip(".")
        if ":" in name and not name.startswith("["):
            name = name.rsplit(":", 1)[0]
        if entry.strip() == "*" or (name and (host == name or host.endswith(f".{name}"))):
            return True
    return False


def _abort(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _exchange(method: str, url: str, headers: dict[str, str], body: bytes | None,
              deadline: Deadline, limit: int) -> Response:
    remaining = deadline.remaining()
    if remaining <= 0:
        raise TransportError(_host(url), deadline.why)
    connection, path = _connection(url, remaining)
    watchdog = threading.Timer(remaining, _abort, (connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise TransportError(_host(url), f"response larger than {_size(limit)}")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise TransportError(_host(url), f"response larger than {_size(limit)}")
            if deadline.remaining() <= 0:
                raise TransportError(_host(url), deadline.why)
            chunks.append(chunk)
        if deadline.remaining() <= 0:  # the watchdog cut it: what came is not all
            raise TransportError(_host(url), deadline.why)
        return Response(response.status, response.headers, b"".join(chunks))
    except (OSError, http.client.HTTPException) as error:
        if deadline.remaining() <= 0:
            raise TransportError(_host(url), deadline.why) from None
        raise TransportError(_host(url), f"unreachable ({_describe(error)})") from None
    finally:
        watchdog.cancel()
        connection.close()


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def _describe(error: OSError | http.client.HTTPException) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason})"
    if isinstance(error, socket.gaierror):
        return "host name not found"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, http.client.HTTPException):
        return f"broken HTTP response ({type(error).__name__})"
    return getattr(error, "strerror", None) or type(error).__name__
