"""ecslint.distribution against the real CNCF distribution registry (docker-registry
2.8): manifest lists, OCI indexes, single images read through their config blob, and
authentication both ways the real world uses (htpasswd Basic with credentials from a
Docker config, and the bearer-token flow with a token server)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distribution_servers import (
    LTSC2019,
    LTSC2022,
    PASSWORD,
    USER,
    ConnectProxy,
    Content,
    RunningRegistry,
    TokenServer,
    digest,
    free_port,
    image,
    populated_storage,
    run_registry,
    tls_files,
)
from helpers import missing_tool

from ecslint.distribution.resolution import Platform, Resolved, ResolveSettings, Unresolved
from ecslint.distribution.resolve import resolve

AMD64 = "amd64"


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Content]:
    return populated_storage(tmp_path_factory.mktemp("registry"))


@pytest.fixture(scope="module")
def open_registry(storage: tuple[Path, Content], tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[RunningRegistry]:
    with run_registry(tmp_path_factory.mktemp("open"), storage[0]) as registry:
        yield registry


@pytest.fixture(scope="module")
def basic_registry(storage: tuple[Path, Content], tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[RunningRegistry]:
    htpasswd = shutil.which("htpasswd")
    if htpasswd is None:
        missing_tool("htpasswd (Debian package apache2-utils) is not installed; .ci/run "
                     "installs it")
    tmp = tmp_path_factory.mktemp("basic")
    line = subprocess.run([htpasswd, "-Bbn", USER, PASSWORD], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert line.startswith(f"{USER}:$2y$")  # bcrypt, the only hash distribution accepts
    (tmp / "htpasswd").write_text(line + "\n")
    auth = {"htpasswd": {"realm": "ecslint-test", "path": str(tmp / "htpasswd")}}
    with run_registry(tmp, storage[0], auth) as registry:
        yield registry


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TokenServer]:
    server = TokenServer(tmp_path_factory.mktemp("tokens"), "ecslint-test-registry",
                         "ecslint-test-issuer")
    yield server
    server.close()


@pytest.fixture(scope="module")
def token_registry(storage: tuple[Path, Content], tokens: TokenServer,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningRegistry]:
    with run_registry(tmp_path_factory.mktemp("token"), storage[0],
                      tokens.auth_config()) as registry:
        yield registry


def settings(tmp_path: Path, docker_config: dict[str, Any] | None = None,
             **kwargs: Any) -> ResolveSettings:
    path = None
    if docker_config is not None:
        path = tmp_path / "docker" / "config.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(docker_config))
    return ResolveSettings(cache_dir=str(tmp_path / "cache"), docker_config=str(path) if path
                           else None, **kwargs)


def windows(version: str, digest: str | None) -> Platform:
    return Platform("windows", AMD64, version, digest)


def test_a_manifest_list_and_an_oci_index_offer_each_windows_build(
        open_registry: RunningRegistry, storage: tuple[Path, Content], tmp_path: Path) -> None:
    host, content = open_registry.host, storage[1]
    found = resolve([f"{host}/windows/multi:list", f"{host}/windows/multi:index"],
                    settings(tmp_path))
    listed = found[f"{host}/windows/multi:list"]
    assert isinstance(listed, Resolved)
    assert listed.multi_platform and listed.source == "registry manifest list"
    assert listed.digest == content.digests["multi:list"]
    assert [(p.os, p.architecture, p.os_version) for p in listed.platforms] == [
        ("windows", AMD64, LTSC2019), ("windows", AMD64, LTSC2022), ("linux", AMD64, None)]
    assert [p.build for p in listed.windows] == [17763, 20348]
    assert listed.platforms[1].digest == content.digests["app:1.4.2"]  # the same image
    index = found[f"{host}/windows/multi:index"]
    assert isinstance(index, Resolved) and index.multi_platform
    assert index.digest == content.digests["multi:index"]
    assert [(p.os, p.architecture, p.os_version) for p in index.platforms] == [
        ("windows", AMD64, LTSC2019), ("windows", AMD64, LTSC2022), ("linux", "arm64", None)]


def test_a_single_image_is_read_from_its_config_blob(
        open_registry: RunningRegistry, storage: tuple[Path, Content], tmp_path: Path) -> None:
    host, content = open_registry.host, storage[1]
    before = len(open_registry.requests())
    found = resolve([f"{host}/billing/app:1.4.2", f"{host}/linux/only"], settings(tmp_path))
    digest = content.digests["app:1.4.2"]
    assert found[f"{host}/billing/app:1.4.2"] == Resolved(
        f"{host}/billing/app:1.4.2", (windows(LTSC2022, digest),), False, digest,
        "registry image config")
    linux = content.digests["linux:latest"]
    assert found[f"{host}/linux/only"] == Resolved(
        f"{host}/linux/only", (Platform("linux", AMD64, None, linux),), False, linux,
        "registry image config")
    made = open_registry.requests()[before:]
    assert [line.split("/")[-2] for line in made] == ["manifests", "blobs"] * 2


def test_each_reference_is_asked_once_and_a_digest_is_verified(
        open_registry: RunningRegistry, storage: tuple[Path, Content], tmp_path: Path) -> None:
    host, content = open_registry.host, storage[1]
    pinned = f"{host}/windows/multi@{content.digests['multi:list']}"
    references = [f"{host}/linux/only", f"{host}/linux/only:latest", f"{host}/linux/only",
                  pinned, pinned]
    before = len(open_registry.requests())
    found = resolve(references, settings(tmp_path))
    assert list(found) == [f"{host}/linux/only", f"{host}/linux/only:latest", pinned]
    assert found[f"{host}/linux/only:latest"].reference == f"{host}/linux/only:latest"
    assert isinstance(found[pinned], Resolved) and found[pinned].multi_platform
    assert sorted(open_registry.requests()[before:]) == sorted([
        "GET /v2/linux/only/manifests/latest",
        f"GET /v2/linux/only/blobs/{json.loads(manifest_of(open_registry, 'linux/only'))['config']['digest']}",
        f"GET /v2/windows/multi/manifests/{content.digests['multi:list']}"])


def manifest_of(registry: RunningRegistry, repository: str) -> bytes:
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=10)
    connection.request("GET", f"/v2/{repository}/manifests/latest",
                       headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"})
    body = connection.getresponse().read()
    connection.close()
    return body


def test_missing_tags_and_unreachable_registries_are_reasons(
        open_registry: RunningRegistry, tmp_path: Path) -> None:
    host, closed = open_registry.host, f"127.0.0.1:{free_port()}"
    found = resolve([f"{host}/billing/app:9.9", f"{closed}/app:1", "${Image}", "Bad/Name"],
                    settings(tmp_path))
    assert found == {
        f"{host}/billing/app:9.9": Unresolved(
            f"{host}/billing/app:9.9", f"registry {host}: billing/app:9.9 not found (404)"),
        f"{closed}/app:1": Unresolved(
            f"{closed}/app:1", f"registry {closed}: unreachable (connection refused)"),
        "${Image}": Unresolved("${Image}", "not a valid image reference: it holds an "
                                           "unresolved template placeholder"),
        "Bad/Name": Unresolved("Bad/Name", "not a valid image reference: its repository "
                                           "name is not valid (lower case, digits, "
                                           "separators, at most 255 characters)"),
    }


# -- htpasswd Basic authentication, with the credentials Docker would use -----------

def helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, registry: str) -> Path:
    """``docker-credential-<name>`` on PATH: the test credentials for ``registry``, and
    the not-found answer (exit 1) for any other server; it logs what it was asked."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    log = tmp_path / f"{name}.log"
    script = folder / f"docker-credential-{name}"
    script.write_text(f"""#!/bin/sh
read server
echo "$1 $server" >> {log}
if [ "$server" = "{registry}" ]; then
  printf '{{"ServerURL": "%s", "Username": "{USER}", "Secret": "{PASSWORD}"}}' "$server"
else
  echo "credentials not found in native keychain"; exit 1
fi
""")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def basic_auth(user: str = USER, password: str = PASSWORD) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_auth_with_each_kind_of_docker_credentials(
        basic_registry: RunningRegistry, storage: tuple[Path, Content], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    host = basic_registry.host
    reference = f"{host}/billing/app:1.4.2"
    log = helper(tmp_path, monkeypatch, "test", host)
    configs = {
        "auths auth": {"auths": {host: {"auth": basic_auth()}}},
        "auths with a scheme and username/password": {
            "auths": {f"http://{host}/v2/": {"username": USER, "password": PASSWORD}}},
        "credHelpers": {"credHelpers": {host: "test"}, "auths": {host: {"auth": basic_auth(
            "someone", "else")}}},
        "credsStore": {"credsStore": "test"},
    }
    for kind, config in configs.items():
        folder = tmp_path / kind.replace(" ", "-").replace("/", "-")
        folder.mkdir()
        found = resolve([reference], settings(folder, config))[reference]
        assert isinstance(found, Resolved), (kind, found)
        assert found.platforms[0].os_version == LTSC2022
    assert log.read_text().splitlines() == [f"get {host}", f"get {host}"]


def test_basic_auth_failures_say_why_without_the_password(
        basic_registry: RunningRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    host = basic_registry.host
    reference = f"{host}/billing/app:1.4.2"
    what = "billing/app:1.4.2"
    cases = {
        "none": (None, f"registry {host}: 401 Unauthorized for {what} (no credentials for "
                       "it in the Docker configuration)"),
        "empty config": ({}, f"registry {host}: 401 Unauthorized for {what} (no credentials "
                             "for it in the Docker configuration)"),
        "wrong password": ({"auths": {host: {"auth": basic_auth(USER, "wrong")}}},
                           f"registry {host}: 401 Unauthorized for {what} (the credentials "
                           "from the Docker configuration were refused)"),
        "absent helper": ({"credHelpers": {host: "absent"}},
                          f"registry {host}: credential helper docker-credential-absent is "
                          "not on PATH"),
        "broken auth": ({"auths": {host: {"auth": "%%%"}}},
                        f"registry {host}: Docker config auths entry for {host}: 'auth' is "
                        "not base64 of user:password"),
    }
    for kind, (config, reason) in cases.items():
        folder = tmp_path / kind.replace(" ", "-")
        folder.mkdir()
        found = resolve([reference], settings(folder, config))
        assert found == {reference: Unresolved(reference, reason)}, kind
    hanging = tmp_path / "bin" / "docker-credential-slow"
    hanging.parent.mkdir(exist_ok=True)
    hanging.write_text("#!/bin/sh\nsleep 30\n")
    hanging.chmod(0o755)
    monkeypatch.setenv("PATH", f"{hanging.parent}{os.pathsep}{os.environ['PATH']}")
    found = resolve([reference], settings(tmp_path, {"credsStore": "slow"}, timeout=0.5))
    assert found == {reference: Unresolved(
        reference, f"registry {host}: credential helper docker-credential-slow took more "
                   "than 0.5 s")}


# -- the bearer-token flow ---------------------------------------------------------

def test_anonymous_bearer_tokens_one_per_repository(
        token_registry: RunningRegistry, tokens: TokenServer, storage: tuple[Path, Content],
        tmp_path: Path) -> None:
    host = token_registry.host
    tokens.require = None
    tokens.requests.clear()
    tokens.authorizations.clear()
    before = len(token_registry.requests())
    references = [f"{host}/windows/multi:list", f"{host}/windows/multi:index",
                  f"{host}/billing/app:1.4.2"]
    found = resolve(references, settings(tmp_path))
    assert all(isinstance(found[r], Resolved) for r in references), found
    app = found[f"{host}/billing/app:1.4.2"]
    assert isinstance(app, Resolved) and app.platforms[0].os_version == LTSC2022
    # One 401 teaches the token server; each repository then gets its token first.
    assert tokens.requests == [("GET", "repository:windows/multi:pull"),
                               ("GET", "repository:billing/app:pull")]
    assert tokens.authorizations == [None, None]
    made = token_registry.requests()[before:]
    assert made == ["GET /v2/windows/multi/manifests/list",
                    "GET /v2/windows/multi/manifests/list",
                    "GET /v2/windows/multi/manifests/index",
                    "GET /v2/billing/app/manifests/1.4.2",
                    f"GET /v2/billing/app/blobs/{digest(image('windows', LTSC2022).config)}"]


def test_bearer_tokens_with_docker_credentials(
        token_registry: RunningRegistry, tokens: TokenServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    host = token_registry.host
    reference = f"{host}/windows/multi:list"
    tokens.require = f"Basic {basic_auth()}"
    try:
        tokens.requests.clear()
        refused = resolve([reference], settings(tmp_path / "anonymous"))
        assert refused == {reference: Unresolved(
            reference, f"registry {host}: token server refused an anonymous token (HTTP 401)")}
        helper(tmp_path, monkeypatch, "test", host)
        found = resolve([reference], settings(tmp_path, {"credHelpers": {host: "test"}}))
        assert isinstance(found[reference], Resolved)
        assert tokens.authorizations[-1] == f"Basic {basic_auth()}"
        wrong = resolve([reference], settings(tmp_path / "wrong", {"auths": {host: {
            "auth": basic_auth(USER, "wrong")}}}))
        assert wrong == {reference: Unresolved(
            reference, f"registry {host}: token server refused the credentials (HTTP 401)")}
        # An identity token (docker login with an OAuth identity) is traded with the
        # refresh-token grant, as Docker does.
        tokens.require = "refresh identity-token-value"
        found = resolve([reference], settings(tmp_path / "identity", {"auths": {host: {
            "identitytoken": "identity-token-value"}}}))
        assert isinstance(found[reference], Resolved)
        assert tokens.requests[-1] == ("POST", "repository:windows/multi:pull")
    finally:
        tokens.require = None


def test_no_credential_in_reasons_or_the_cache(
        basic_registry: RunningRegistry, token_registry: RunningRegistry, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    helper(tmp_path, monkeypatch, "test", basic_registry.host)
    config = {"credHelpers": {basic_registry.host: "test"},
              "auths": {token_registry.host: {"auth": basic_auth()}}}
    references = [f"{basic_registry.host}/billing/app:1.4.2",
                  f"{basic_registry.host}/windows/multi:list",
                  f"{basic_registry.host}/missing:1",
                  f"{token_registry.host}/windows/multi:index",
                  f"{token_registry.host}/missing:1"]
    found = resolve(references, settings(tmp_path, config))
    assert [type(found[r]).__name__ for r in references] == [
        "Resolved", "Resolved", "Unresolved", "Resolved", "Unresolved"]
    secrets = [PASSWORD, basic_auth(), base64.b64encode(PASSWORD.encode()).decode()]
    shown = repr(found)
    cache = tmp_path / "cache"
    written = b"".join(path.read_bytes() for path in cache.rglob("*") if path.is_file())
    assert len(list(cache.rglob("*.json"))) == 6  # 3 contents, 3 tags
    for secret in secrets:
        assert secret not in shown
        assert secret.encode() not in written


# -- HTTPS, as every registry but a loopback one is spoken to ----------------------

def test_https_with_a_trusted_certificate_and_refused_without(
        storage: tuple[Path, Content], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import ssl

    from ecslint.distribution import transport

    ca, certificate, key = tls_files(tmp_path, "registry.test")
    real = socket.getaddrinfo

    def test_dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == "registry.test" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", test_dns)
    with run_registry(tmp_path, storage[0], tls=(certificate, key)) as registry:
        reference = f"registry.test:{registry.port}/windows/multi:list"
        untrusted = resolve([reference], ResolveSettings())
        assert untrusted == {reference: Unresolved(reference, (
            f"registry registry.test:{registry.port}: unreachable (TLS certificate not "
            "trusted (unable to get local issuer certificate))"))}
        monkeypatch.setattr(transport, "_TLS", ssl.create_default_context(cafile=str(ca)))
        found = resolve([reference], ResolveSettings())
        assert isinstance(found[reference], Resolved)
        assert [p.os_version for p in found[reference].windows] == [LTSC2019, LTSC2022]
        assert registry.requests()[-1] == "GET /v2/windows/multi/manifests/list"
        wrong_name = f"localhost:{registry.port}/windows/multi:list"  # plain HTTP to TLS
        refused = resolve([wrong_name], ResolveSettings())[wrong_name]
        assert isinstance(refused, Unresolved)
        assert refused.reason == f"registry localhost:{registry.port}: HTTP 400 for windows/multi:list"


def test_https_through_the_proxy_docker_would_use(
        storage: tuple[Path, Content], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl

    from ecslint.distribution import transport

    ca, certificate, key = tls_files(tmp_path, "registry.test")
    monkeypatch.setattr(transport, "_TLS", ssl.create_default_context(cafile=str(ca)))
    proxy = ConnectProxy()
    for name in ("https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://proxy-user:p%40ss@127.0.0.1:{proxy.port}")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    try:
        with run_registry(tmp_path, storage[0], tls=(certificate, key)) as registry:
            reference = f"registry.test:{registry.port}/billing/app:1.4.2"
            found = resolve([reference, f"{registry.host}/nothing:1"], ResolveSettings())
            assert isinstance(found[reference], Resolved), found
            assert found[reference].platforms[0].os_version == LTSC2022
            # Both requests (manifest, config blob) tunnelled, the proxy's own
            # credentials sent to it; the loopback registry was not proxied.
            assert proxy.tunnels == [(f"registry.test:{registry.port}",
                                      f"Basic {basic_auth('proxy-user', 'p@ss')}")] * 2
            assert found[f"{registry.host}/nothing:1"] == Unresolved(
                f"{registry.host}/nothing:1",
                f"registry {registry.host}: HTTP 400 for nothing:1")  # plain HTTP to TLS
            monkeypatch.setenv("NO_PROXY", "internal.example,registry.test")
            bypassed = resolve([reference], ResolveSettings())[reference]
            assert isinstance(bypassed, Unresolved)
            assert bypassed.reason.endswith("unreachable (host name not found)")
            assert len(proxy.tunnels) == 2
    finally:
        proxy.close()
