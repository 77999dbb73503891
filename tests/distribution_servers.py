"""Real servers for the ecslint.distribution tests: the CNCF distribution registry
(Debian's ``docker-registry``, run as a plain process on 127.0.0.1), a token server for
its ``auth: token`` mode (JWTs signed with a key whose certificate is the registry's
``rootcertbundle``), and Windows-shaped content pushed through the registry's HTTP API.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import http.client
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from helpers import missing_tool

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
LTSC2019 = "10.0.17763.5458"
LTSC2022 = "10.0.20348.2322"
USER, PASSWORD = "ci-user", "s3cret-Pa55word-never-shown"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical(data: Any) -> bytes:
    return json.dumps(data, indent=3).encode()


def docker_registry() -> str:
    program = shutil.which("docker-registry")
    if program is None:
        missing_tool("docker-registry (Debian package docker-registry) is not installed; "
                     ".ci/run installs it")
    return program


@dataclass
class RunningRegistry:
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def requests(self) -> list[str]:
        """The request lines of its access log (``GET /v2/app/manifests/1.0``)."""
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            if '"GET ' in line or '"HEAD ' in line or '"PUT ' in line or '"POST ' in line:
                found.append(line.split('"', 2)[1].rsplit(" ", 1)[0])
        return found


@contextmanager
def run_registry(tmp: Path, storage: Path, auth: dict[str, Any] | None = None,
                 tls: tuple[Path, Path] | None = None) -> Iterator[RunningRegistry]:
    """``docker-registry serve`` on a free port of 127.0.0.1, until the block ends;
    with ``tls`` (certificate, key), over HTTPS only."""
    program = docker_registry()
    port = free_port()
    config: dict[str, Any] = {
        "version": 0.1,
        "log": {"level": "error"},
        "storage": {"filesystem": {"rootdirectory": str(storage)}},
        "http": {"addr": f"127.0.0.1:{port}", "secret": "test-only"},
        # Windows base layers are foreign (pulled from Microsoft's URLs, never pushed).
        "validation": {"manifests": {"urls": {"allow": ["^https://"]}}},
    }
    if auth:
        config["auth"] = auth
    if tls:
        config["http"]["tls"] = {"certificate": str(tls[0]), "key": str(tls[1])}
    directory = tmp / f"registry-{port}"
    directory.mkdir()
    (directory / "config.yml").write_text(json.dumps(config))  # JSON is YAML
    log = directory / "access.log"
    with log.open("wb") as stream:
        process = subprocess.Popen([program, "serve", str(directory / "config.yml")],
                                   stdout=stream, stderr=subprocess.STDOUT)
    running = RunningRegistry(port, log, process)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("docker-registry did not start: "
                                       + log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.05)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _call(host: str, method: str, path: str, body: bytes = b"",
          headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(*host.split(":"), timeout=10)
    connection.request(method, path, body, headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def push_blob(host: str, repository: str, data: bytes) -> str:
    started = _call(host, "POST", f"/v2/{repository}/blobs/uploads/")
    assert started.status == 202, started.status
    location = started.getheader("Location") or ""
    path = location.split(host, 1)[-1]
    separator = "&" if "?" in path else "?"
    done = _call(host, "PUT", f"{path}{separator}digest={digest(data)}", data,
                 {"Content-Type": "application/octet-stream"})
    assert done.status == 201, done.status
    return digest(data)


def push_manifest(host: str, repository: str, reference: str, body: bytes,
                  media_type: str) -> str:
    done = _call(host, "PUT", f"/v2/{repository}/manifests/{reference}", body,
                 {"Content-Type": media_type})
    assert done.status == 201, (done.status, repository, reference)
    return digest(body)


@dataclass
class Image:
    manifest: bytes
    media_type: str
    config: bytes
    layer: bytes  # the one pushed; a Windows image's base layer is foreign

    @property
    def digest(self) -> str:
        return digest(self.manifest)


def image(os_name: str, os_version: str | None, oci: bool = False,
          architecture: str = "amd64") -> Image:
    config: dict[str, Any] = {"architecture": architecture, "os": os_name,
                              "rootfs": {"type": "layers", "diff_ids": []},
                              "config": {"Cmd": ["cmd"]}}
    if os_version:
        config["os.version"] = os_version
    config_bytes = canonical(config)
    layer = f"layer of {os_name} {os_version}".encode()
    if oci:
        layers = [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                   "size": len(layer), "digest": digest(layer)}]
        kinds = (OCI_MANIFEST, "application/vnd.oci.image.config.v1+json")
    else:
        layers = [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                   "size": len(layer), "digest": digest(layer)}]
        kinds = (DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json")
    if os_name == "windows":  # the base layer, as Microsoft's images carry it
        layers.insert(0, {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar",
                          "size": 1024, "digest": digest(b"foreign " + layer),
                          "urls": ["https://mcr.microsoft.com/v2/windows/servercore/blobs/x"]})
    manifest = {"schemaVersion": 2, "mediaType": kinds[0],
                "config": {"mediaType": kinds[1], "size": len(config_bytes),
                           "digest": digest(config_bytes)},
                "layers": layers}
    return Image(canonical(manifest), kinds[0], config_bytes, layer)


def push_image(host: str, repository: str, built: Image, tag: str | None = None) -> str:
    push_blob(host, repository, built.config)
    push_blob(host, repository, built.layer)
    return push_manifest(host, repository, tag or built.digest, built.manifest, built.media_type)


def push_list(host: str, repository: str, tag: str, images: list[Image], oci: bool) -> str:
    """A manifest list (or an OCI index) of ``images``, each pushed first."""
    entries = []
    for built in images:
        push_image(host, repository, built)
        config = json.loads(built.config)
        platform = {"architecture": config["architecture"], "os": config["os"]}
        if "os.version" in config:
            platform["os.version"] = config["os.version"]
        entries.append({"mediaType": built.media_type, "size": len(built.manifest),
                        "digest": built.digest, "platform": platform})
    kind = OCI_INDEX if oci else DOCKER_LIST
    body = canonical({"schemaVersion": 2, "mediaType": kind, "manifests": entries})
    return push_manifest(host, repository, tag, body, kind)


@dataclass
class Content:
    """What ``populate`` pushed: the digests the tests expect."""

    digests: dict[str, str] = field(default_factory=dict)


def populate(host: str) -> Content:
    """The Windows-shaped repositories every registry test reads."""
    content = Content()
    windows_2019 = image("windows", LTSC2019)
    windows_2022 = image("windows", LTSC2022)
    linux = image("linux", None)
    content.digests["multi:list"] = push_list(host, "windows/multi", "list",
                                              [windows_2019, windows_2022, linux], oci=False)
    oci = [image("windows", LTSC2019, oci=True), image("windows", LTSC2022, oci=True),
           image("linux", None, oci=True, architecture="arm64")]
    content.digests["multi:index"] = push_list(host, "windows/multi", "index", oci, oci=True)
    content.digests["app:1.4.2"] = push_image(host, "billing/app", windows_2022, "1.4.2")
    content.digests["linux:latest"] = push_image(host, "linux/only", linux, "latest")
    return content


def populated_storage(tmp: Path) -> tuple[Path, Content]:
    """Registry storage with the Windows-shaped content, pushed through an open
    registry that is stopped then; the tests' registries serve this storage."""
    with run_registry(tmp, tmp / "storage") as registry:
        content = populate(registry.host)
    return tmp / "storage", content


# -- the token server ---------------------------------------------------------------

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenServer:
    """Issues registry JWTs (RS256, the signing certificate in ``x5c``) for
    ``GET /token?service=...&scope=repository:<name>:pull``; with ``require`` set,
    only to a request with that Basic authorization."""

    def __init__(self, directory: Path, service: str, issuer: str) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ecslint test tokens")])
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                       .public_key(self.key.public_key())
                       .serial_number(x509.random_serial_number())
                       .not_valid_before(now - datetime.timedelta(days=1))
                       .not_valid_after(now + datetime.timedelta(days=1))
                       .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                       .sign(self.key, hashes.SHA256()))
        self.bundle = directory / "token-ca.pem"
        self.bundle.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        self.x5c = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
        self.service, self.issuer = service, issuer
        self.require: str | None = None
        self.requests: list[tuple[str, str]] = []  # (method, scope)
        self.authorizations: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                from urllib.parse import parse_qs, urlsplit
                query = parse_qs(urlsplit(self.path).query)
                server._answer(self, "GET", query.get("scope", [""])[0],
                               self.headers.get("Authorization"))

            def do_POST(self) -> None:
                from urllib.parse import parse_qs
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                refresh = form.get("refresh_token", [""])[0]
                server._answer(self, "POST", form.get("scope", [""])[0],
                               f"refresh {refresh}", token_key="access_token")

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.http.server_address[1]
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    @property
    def realm(self) -> str:
        return f"http://127.0.0.1:{self.port}/token"

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, method: str, scope: str,
                authorization: str | None, token_key: str = "token") -> None:
        self.requests.append((method, scope))
        self.authorizations.append(authorization)
        if self.require is not None and authorization != self.require:
            handler.send_response(401)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body = json.dumps({token_key: self.sign(scope), "expires_in": 300}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def sign(self, scope: str) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        access = []
        parts = scope.split(":")
        if len(parts) == 3 and parts[0] == "repository":
            access.append({"type": "repository", "name": parts[1],
                           "actions": parts[2].split(",")})
        now = int(time.time())
        header = {"alg": "RS256", "typ": "JWT", "x5c": [self.x5c]}
        claims = {"iss": self.issuer, "sub": USER, "aud": self.service, "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": f"{now}-{len(self.requests)}",
                  "access": access}
        signed = _b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(claims).encode())
        signature = self.key.sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signed + "." + _b64url(signature)

    def auth_config(self) -> dict[str, Any]:
        return {"token": {"realm": self.realm, "service": self.service, "issuer": self.issuer,
                          "rootcertbundle": str(self.bundle)}}


def tls_files(directory: Path, name: str) -> tuple[Path, Path, Path]:
    """A CA, and a certificate and key for ``name`` that it signed: (ca, cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ecslint test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
            .sign(ca_key, hashes.SHA256()))
    paths = directory / "ca.pem", directory / "cert.pem", directory / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


class ConnectProxy:
    """An HTTP proxy that only tunnels (CONNECT), as corporate proxies do for HTTPS; it
    sends every tunnel to 127.0.0.1 at the port asked for, and records the targets and
    their Proxy-Authorization."""

    def __init__(self) -> None:
        self.tunnels: list[tuple[str, str | None]] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self) -> None:
        self.listener.close()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        lines = head.decode().split("\r\n")
        target = lines[0].split()[1]
        authorization = next((line.split(":", 1)[1].strip() for line in lines
                              if line.lower().startswith("proxy-authorization:")), None)
        self.tunnels.append((target, authorization))
        upstream = socket.create_connection(("127.0.0.1", int(target.rsplit(":", 1)[1])))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pump(source: socket.socket, sink: socket.socket) -> None:
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)
