"""Hostile registry answers, from a small local server: each one is an ``Unresolved``
with a reason that names the registry and the problem, within the time bound."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ecslint.distribution.resolution import Resolved, ResolveSettings, Unresolved
from ecslint.distribution.resolve import resolve

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG = json.dumps({"os": "windows", "architecture": "amd64",
                     "os.version": "10.0.20348.2322"}).encode()
CONFIG_DIGEST = "sha256:" + hashlib.sha256(CONFIG).hexdigest()
IMAGE = json.dumps({"schemaVersion": 2, "mediaType": DOCKER_MANIFEST,
                    "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                               "size": len(CONFIG), "digest": CONFIG_DIGEST},
                    "layers": []}).encode()
Handler = Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if "Content-Length" not in (headers or {}):
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    try:
        handler.wfile.write(body)
    except OSError:
        pass


def drip(handler: BaseHTTPRequestHandler) -> None:
    """A well-formed header, then a byte every 0.1 s of a 4,000-byte body."""
    handler.send_response(200)
    handler.send_header("Content-Type", DOCKER_MANIFEST)
    handler.send_header("Content-Length", "4000")
    handler.end_headers()
    try:
        for _ in range(4000):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def drip_headers(handler: BaseHTTPRequestHandler) -> None:
    """The status line, then headers a byte every 0.1 s, never ending."""
    try:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(1000):
            handler.wfile.write(b"X")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def streamed_huge(handler: BaseHTTPRequestHandler) -> None:
    """5 MiB without a Content-Length (the connection's end ends the body)."""
    handler.send_response(200)
    handler.send_header("Content-Type", DOCKER_MANIFEST)
    handler.end_headers()
    try:
        for _ in range(80):
            handler.wfile.write(b" " * 65536)
    except OSError:
        pass


ROUTES: dict[str, Handler] = {
    "/v2/huge/manifests/1": lambda h: send(h, 200, b" " * (5 * 1024 * 1024),
                                           {"Content-Type": DOCKER_MANIFEST}),
    "/v2/streamed/manifests/1": streamed_huge,
    "/v2/loop/manifests/1": lambda h: send(h, 302, headers={"Location": "/v2/loop/manifests/1"}),
    "/v2/drip/manifests/1": drip,
    "/v2/driphead/manifests/1": drip_headers,
    "/v2/malformed/manifests/1": lambda h: send(h, 200, b'{"schemaVersion": 2,',
                                                {"Content-Type": DOCKER_MANIFEST}),
    "/v2/deep/manifests/1": lambda h: send(h, 200, b"[" * 100_000 + b"]" * 100_000,
                                           {"Content-Type": DOCKER_MANIFEST}),
    "/v2/deepobject/manifests/1": lambda h: send(h, 200, b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
                                                 {"Content-Type": DOCKER_MANIFEST}),
    "/v2/schema1/manifests/1": lambda h: send(
        h, 200, b'{"schemaVersion": 1, "name": "schema1", "tag": "1"}',
        {"Content-Type": "application/vnd.docker.distribution.manifest.v1+prettyjws"}),
    "/v2/html/manifests/1": lambda h: send(h, 200, b'{"mediaType": "text/html"}',
                                           {"Content-Type": "text/html"}),
    "/v2/mismatch/manifests/1": lambda h: send(h, 200, IMAGE, {
        "Content-Type": DOCKER_MANIFEST, "Docker-Content-Digest": "sha256:" + "0" * 64}),
    "/v2/mismatch/manifests/sha256:" + "1" * 64: lambda h: send(
        h, 200, IMAGE, {"Content-Type": DOCKER_MANIFEST}),
    "/v2/badblob/manifests/1": lambda h: send(h, 200, IMAGE, {"Content-Type": DOCKER_MANIFEST}),
    f"/v2/badblob/blobs/{CONFIG_DIGEST}": lambda h: send(h, 200, CONFIG + b" "),
    "/v2/plain/manifests/1": lambda h: send(h, 200, IMAGE, {"Content-Type": DOCKER_MANIFEST}),
    f"/v2/plain/blobs/{CONFIG_DIGEST}": lambda h: send(
        h, 307, headers={"Location": "http://storage.example.com/blob"}),
    "/v2/redirected/manifests/1": lambda h: send(h, 200, IMAGE, {"Content-Type": DOCKER_MANIFEST}),
    f"/v2/redirected/blobs/{CONFIG_DIGEST}": lambda h: send(
        h, 307, headers={"Location": f"http://localhost:{h.server.server_address[1]}/storage?X-Amz-Signature=abc"}),
    "/storage": lambda h: send(h, 200, CONFIG),
}


class Server:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.seen.append((self.path, self.headers.get("Authorization")))
                route = ROUTES.get(self.path.split("?", 1)[0])
                if route is None:
                    send(self, 404)
                elif self.path.startswith("/v2/redirected/") and \
                        self.headers.get("Authorization") != "Basic dXNlcjpwYXNz":
                    send(self, 401, headers={"WWW-Authenticate": 'Basic realm="test"'})
                else:
                    route(self)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.host = f"127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.http.shutdown()
    running.http.server_close()


def timed(references: list[str], **kwargs: Any) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    found = resolve(references, ResolveSettings(**kwargs))
    return found, time.monotonic() - started


@pytest.mark.parametrize(("repository", "reason"), [
    ("huge", "response larger than 4 MiB"),
    ("streamed", "response larger than 4 MiB"),
    ("loop", "more than 5 redirects"),
    ("malformed", "manifest is not valid JSON (Expecting property name enclosed in double "
                  "quotes: line 1 column 21 (char 20))"),
    ("deep", "manifest is JSON nested too deeply"),
    ("deepobject", "manifest is JSON nested too deeply"),
    ("schema1", "unexpected manifest media type "
                "'application/vnd.docker.distribution.manifest.v1+prettyjws'"),
    ("html", "unexpected manifest media type 'text/html'"),
    ("mismatch", "manifest digest mismatch: the registry says sha256:" + "0" * 64
                 + ", the body is sha256:" + hashlib.sha256(IMAGE).hexdigest()),
    ("badblob", f"image config digest mismatch: asked for {CONFIG_DIGEST}, got sha256:"
                + hashlib.sha256(CONFIG + b" ").hexdigest()),
    ("plain", "storage.example.com: refusing http URL (plain HTTP is used for loopback "
              "registries only)"),
])
def test_a_hostile_answer_is_a_reason(server: Server, repository: str, reason: str) -> None:
    reference = f"{server.host}/{repository}:1"
    found, elapsed = timed([reference], timeout=5)
    assert found == {reference: Unresolved(reference, f"registry {server.host}: {reason}")}
    assert elapsed < 3


def test_a_pinned_digest_the_body_does_not_match(server: Server) -> None:
    reference = f"{server.host}/mismatch@sha256:" + "1" * 64
    found, _ = timed([reference])
    assert found == {reference: Unresolved(reference, (
        f"registry {server.host}: manifest digest mismatch: asked for sha256:{'1' * 64}, "
        f"got sha256:{hashlib.sha256(IMAGE).hexdigest()}"))}


@pytest.mark.parametrize("repository", ["drip", "driphead"])
def test_a_slow_drip_stops_at_the_timeout(server: Server, repository: str) -> None:
    reference = f"{server.host}/{repository}:1"
    found, elapsed = timed([reference], timeout=1)
    assert found == {reference: Unresolved(reference,
                                           f"registry {server.host}: timed out after 1 s")}
    assert 0.9 < elapsed < 2


def test_the_budget_ends_the_run(server: Server) -> None:
    references = [f"{server.host}/drip:1", f"{server.host}/driphead:1", f"{server.host}/huge:1"]
    found, elapsed = timed(references, timeout=10, budget=1.5)
    assert found == {
        references[0]: Unresolved(references[0], f"registry {server.host}: the budget of "
                                                 "1.5 s ran out"),
        references[1]: Unresolved(references[1], f"registry {server.host}: the budget of "
                                                 "1.5 s ran out"),
        references[2]: Unresolved(references[2], f"registry {server.host}: the budget of "
                                                 "1.5 s ran out"),
    }
    assert elapsed < 2.5


def test_a_redirect_to_storage_carries_no_authorization(server: Server, tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"auths": {server.host: {"auth": "dXNlcjpwYXNz"}}}))
    reference = f"{server.host}/redirected:1"
    server.seen.clear()
    found, _ = timed([reference], docker_config=str(config))
    assert isinstance(found[reference], Resolved)
    assert found[reference].platforms[0].os_version == "10.0.20348.2322"
    assert server.seen == [
        ("/v2/redirected/manifests/1", None),
        ("/v2/redirected/manifests/1", "Basic dXNlcjpwYXNz"),
        (f"/v2/redirected/blobs/{CONFIG_DIGEST}", "Basic dXNlcjpwYXNz"),
        ("/storage?X-Amz-Signature=abc", None),
    ]


def test_the_bounds_are_the_documented_ones() -> None:
    from helpers import ROOT

    from ecslint.distribution.manifests import MAX_DOCUMENT
    from ecslint.distribution.registry_client import MAX_TOKEN
    from ecslint.distribution.transport import MAX_REDIRECTS

    assert (MAX_DOCUMENT, MAX_TOKEN, MAX_REDIRECTS) == (4 * 1024 * 1024, 1024 * 1024, 5)
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for name in ("MAX_DOCUMENT", "MAX_TOKEN", "MAX_REDIRECTS", "4 MiB", "5 per request"):
        assert name in security


def test_registries_are_asked_in_parallel(server: Server) -> None:
    port = server.host.rsplit(":", 1)[1]
    references = [f"127.0.0.1:{port}/drip:1", f"localhost:{port}/drip:1"]
    found, elapsed = timed(references, timeout=1)
    assert [found[r] for r in references] == [
        Unresolved(references[0], f"registry 127.0.0.1:{port}: timed out after 1 s"),
        Unresolved(references[1], f"registry localhost:{port}: timed out after 1 s")]
    assert elapsed < 1.8
    found, elapsed = timed(references, timeout=1, workers=1)
    assert elapsed >= 2
