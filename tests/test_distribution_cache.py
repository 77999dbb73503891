"""The disk cache against the real registry: a warm cache asks nothing (requests
counted in the registry's access log), an expired tag is asked again alone, offline
opens no socket, and a corrupt entry is ignored and rewritten."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distribution_servers import (
    DOCKER_LIST,
    DOCKER_MANIFEST,
    LTSC2022,
    Content,
    RunningRegistry,
    digest,
    image,
    populated_storage,
    push_manifest,
    run_registry,
)

from ecslint.distribution.resolution import Platform, Resolved, ResolveSettings, Unresolved
from ecslint.distribution.resolve import resolve

TAGS = 50


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningRegistry, Content]]:
    """The content, and 50 more tags of the single image and 50 of the list."""
    storage, content = populated_storage(tmp_path_factory.mktemp("registry"))
    with run_registry(tmp_path_factory.mktemp("open"), storage) as running:
        single = image("windows", LTSC2022).manifest
        listed = manifest_body(running, "windows/multi", "list", DOCKER_LIST)
        for number in range(TAGS):
            push_manifest(running.host, "billing/app", f"v{number}", single, DOCKER_MANIFEST)
            push_manifest(running.host, "windows/multi", f"v{number}", listed, DOCKER_LIST)
        yield running, content


def manifest_body(running: RunningRegistry, repository: str, tag: str, kind: str) -> bytes:
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
    connection.request("GET", f"/v2/{repository}/manifests/{tag}", headers={"Accept": kind})
    body = connection.getresponse().read()
    connection.close()
    return body


def hundred(host: str) -> list[str]:
    return [f"{host}/{repository}:v{number}" for number in range(TAGS)
            for repository in ("billing/app", "windows/multi")]


def test_a_warm_cache_answers_100_references_without_a_request(
        registry: tuple[RunningRegistry, Content], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    running, content = registry
    references = hundred(running.host)
    settings = ResolveSettings(cache_dir=str(tmp_path))
    before = len(running.requests())
    cold = resolve(references, settings)
    made = running.requests()[before:]
    # Cold: each tag's manifest once, and the image's config blob once (the other 49
    # tags name the same digest, whose content is then known).
    assert sorted(made) == sorted(
        [f"GET /v2/{r.split('/', 1)[1].replace(':', '/manifests/')}" for r in references]
        + [f"GET /v2/billing/app/blobs/{digest(image('windows', LTSC2022).config)}"])
    assert all(isinstance(found, Resolved) for found in cold.values())

    attempts: list[Any] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    before = len(running.requests())
    started = time.perf_counter()
    warm = resolve(references, settings)
    elapsed = time.perf_counter() - started
    assert running.requests()[before:] == [] and attempts == []
    assert elapsed < 1.0, elapsed
    for reference in references:
        was, now = cold[reference], warm[reference]
        assert isinstance(was, Resolved) and isinstance(now, Resolved)
        assert (now.platforms, now.multi_platform, now.digest) == \
            (was.platforms, was.multi_platform, was.digest)
        assert (now.source, now.cached) == (was.source, True)
    assert warm[f"{running.host}/billing/app:v7"].digest == content.digests["app:1.4.2"]


def test_an_expired_tag_is_asked_again_alone(
        registry: tuple[RunningRegistry, Content], tmp_path: Path) -> None:
    running, content = registry
    reference = f"{running.host}/billing/app:1.4.2"
    resolve([reference], ResolveSettings(cache_dir=str(tmp_path)))
    before = len(running.requests())
    found = resolve([reference], ResolveSettings(cache_dir=str(tmp_path), tag_ttl=0))
    assert running.requests()[before:] == ["GET /v2/billing/app/manifests/1.4.2"]
    assert found[reference] == Resolved(
        reference, (Platform("windows", "amd64", LTSC2022, content.digests["app:1.4.2"]),),
        False, content.digests["app:1.4.2"], "registry image config")
    before = len(running.requests())
    again = resolve([reference], ResolveSettings(cache_dir=str(tmp_path)))
    assert running.requests()[before:] == []
    assert isinstance(again[reference], Resolved)
    assert (again[reference].source, again[reference].cached) == ("registry image config", True)


def test_offline_uses_the_cache_and_opens_no_socket(
        registry: tuple[RunningRegistry, Content], tmp_path: Path) -> None:
    running, content = registry
    cached = f"{running.host}/windows/multi:list"
    resolve([cached], ResolveSettings(cache_dir=str(tmp_path)))
    pinned = f"{running.host}/windows/multi@{content.digests['multi:list']}"
    references = [cached, pinned, f"{running.host}/billing/app:1.4.2",
                  "123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing:1.4.2",
                  "mcr.microsoft.com/windows/servercore:ltsc2022"]
    attempts: list[Any] = []
    with pytest.MonkeyPatch.context() as patch:
        def refuse(self: socket.socket, address: Any) -> None:
            attempts.append(address)
            raise OSError("a socket was opened")
        patch.setattr(socket.socket, "connect", refuse)
        found = resolve(references, ResolveSettings(cache_dir=str(tmp_path), offline=True))
        without_cache = resolve([cached], ResolveSettings(offline=True))
    assert attempts == []
    assert isinstance(found[cached], Resolved) and isinstance(found[pinned], Resolved)
    assert (found[pinned].source, found[pinned].cached) == ("registry manifest list", True)
    assert [p.os_version for p in found[pinned].windows] == ["10.0.17763.5458", LTSC2022]
    for reference in references[2:]:
        assert found[reference] == Unresolved(reference, "not in the cache (offline)")
    assert without_cache == {cached: Unresolved(cached, "not in the cache (offline)")}


def test_a_corrupt_cache_entry_is_ignored_and_replaced(
        registry: tuple[RunningRegistry, Content], tmp_path: Path) -> None:
    running, content = registry
    reference = f"{running.host}/billing/app:1.4.2"
    settings = ResolveSettings(cache_dir=str(tmp_path))
    first = resolve([reference], settings)
    root = tmp_path / "registry-v1"
    [content_entry] = (root / "content").rglob("*.json")
    [tag_entry] = (root / "tags").rglob("*.json")
    garbage = [b'{"platforms": [', b"[]", b"\xff\xfe", b'{"a":' * 100_000,
               json.dumps({"platforms": [{"os": 1}], "multi_platform": 2}).encode(),
               json.dumps({"platforms": [{"os": "windows", "architecture": "amd64",
                                          "os_version": 10, "digest": None}],
                           "multi_platform": False, "source": "x"}).encode()]
    # A content entry gone bad: the tag is still trusted, the content read again.
    for bad in garbage:
        content_entry.write_bytes(bad)
        before = len(running.requests())
        assert resolve([reference], settings) == first
        assert [line.split("/")[-2] for line in running.requests()[before:]] == \
            ["manifests", "blobs"], bad[:20]
    # A tag entry gone bad: the tag is asked again, its content is known.
    for bad in [*garbage[:4], json.dumps({"name": reference, "digest": 5, "at": "x"}).encode()]:
        tag_entry.write_bytes(bad)
        before = len(running.requests())
        assert resolve([reference], settings) == first
        assert [line.split("/")[-2] for line in running.requests()[before:]] == \
            ["manifests"], bad[:20]
    answer = resolve([reference], settings)[reference]
    assert (answer.source, answer.cached) == ("registry image config", True)  # type: ignore[union-attr]
