"""Private Amazon ECR: BatchGetImage against moto's server (which returns a pushed
manifest list as is), and the config-blob path (GetDownloadUrlForLayer, which moto does
not implement) with botocore's Stubber and a local HTTP server as the signed URL."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import moto_endpoint

from ecslint.distribution import ecr
from ecslint.distribution.resolution import Platform, Resolved, ResolveSettings, Unresolved
from ecslint.distribution.resolve import resolve

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto.server", reason="moto[server] is a test dependency")

ACCOUNT, REGION = "123456789012", "eu-west-1"
HOST = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
ACCEPTED = ["application/vnd.oci.image.index.v1+json", DOCKER_LIST,
            "application/vnd.oci.image.manifest.v1+json", DOCKER_MANIFEST]


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def entry(os_name: str, version: str | None, number: int) -> dict[str, Any]:
    platform = {"architecture": "amd64", "os": os_name}
    if version:
        platform["os.version"] = version
    return {"mediaType": DOCKER_MANIFEST, "size": 1000 + number,
            "digest": sha256(f"image {number}".encode()), "platform": platform}


LIST = json.dumps({"schemaVersion": 2, "mediaType": DOCKER_LIST, "manifests": [
    entry("windows", "10.0.17763.5458", 1), entry("windows", "10.0.20348.2322", 2),
    entry("linux", None, 3)]}, indent=3)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_endpoint() as url:
        yield url


@pytest.fixture
def aws(endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Fake credentials, the moto endpoint, a fresh moto state; an ECR client."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing-secret-key",
                        "AWS_CONFIG_FILE": str(tmp_path / "none"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
                        "AWS_EC2_METADATA_DISABLED": "true"}.items():
        monkeypatch.setenv(name, value)
    import urllib.request
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"",
                                                  method="POST"), timeout=10)
    return boto3.client("ecr", region_name=REGION)


def test_batch_get_image_gives_the_windows_builds_of_a_manifest_list(aws: Any, tmp_path: Path
                                                                      ) -> None:
    aws.create_repository(repositoryName="billing")
    aws.put_image(repositoryName="billing", imageManifest=LIST, imageTag="1.4.2",
                  imageManifestMediaType=DOCKER_LIST, imageDigest=sha256(LIST.encode()))
    references = [f"{HOST}/billing:1.4.2", f"{HOST}/billing@{sha256(LIST.encode())}",
                  f"{HOST}/billing:9.9", f"{HOST}/other:1"]
    found = resolve(references, ResolveSettings(cache_dir=str(tmp_path)))
    for reference in references[:2]:
        assert found[reference] == Resolved(reference, (
            Platform("windows", "amd64", "10.0.17763.5458", sha256(b"image 1")),
            Platform("windows", "amd64", "10.0.20348.2322", sha256(b"image 2")),
            Platform("linux", "amd64", None, sha256(b"image 3"))), True,
            sha256(LIST.encode()), "ECR BatchGetImage")
    assert found[references[2]] == Unresolved(
        references[2], f"ECR {HOST}: billing:9.9: ImageNotFound Requested image not found")
    other = found[references[3]]
    assert isinstance(other, Unresolved)
    assert other.reason.startswith(f"ECR {HOST}: BatchGetImage failed: "
                                   "RepositoryNotFoundException ")
    assert "testing-secret-key" not in repr(found)
    again = resolve(references[:1], ResolveSettings(cache_dir=str(tmp_path)))
    assert (again[references[0]].source, again[references[0]].cached) == (  # type: ignore[union-attr]
        "ECR BatchGetImage", True)


class Blobs:
    """The signed download URL: serves the config at /blob (and counts the requests)."""

    def __init__(self, body: bytes) -> None:
        self.paths: list[str] = []
        blobs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                blobs.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/blob?X-Amz-Signature=s"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


def test_a_single_image_reads_its_config_through_a_download_url(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from botocore.stub import Stubber

    config = json.dumps({"os": "windows", "architecture": "amd64",
                         "os.version": "10.0.20348.2322"}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": DOCKER_MANIFEST, "config": {
        "mediaType": "application/vnd.docker.container.image.v1+json", "size": len(config),
        "digest": sha256(config)}, "layers": []})
    blobs = Blobs(config)
    client = boto3.session.Session().client("ecr", region_name=REGION,
                                            aws_access_key_id="a", aws_secret_access_key="b")
    stubber = Stubber(client)
    stubber.add_response("batch_get_image", {
        "images": [{"registryId": ACCOUNT, "repositoryName": "billing",
                    "imageId": {"imageDigest": sha256(manifest.encode()), "imageTag": "2.0"},
                    "imageManifest": manifest, "imageManifestMediaType": DOCKER_MANIFEST}],
        "failures": []}, {"registryId": ACCOUNT, "repositoryName": "billing",
                          "imageIds": [{"imageTag": "2.0"}], "acceptedMediaTypes": ACCEPTED})
    stubber.add_response("get_download_url_for_layer", {
        "downloadUrl": blobs.url, "layerDigest": sha256(config)},
        {"registryId": ACCOUNT, "repositoryName": "billing", "layerDigest": sha256(config)})
    monkeypatch.setattr(boto3.session.Session, "client", lambda self, *a, **k: client)
    reference = f"{HOST}/billing:2.0"
    with stubber:
        found = resolve([reference], ResolveSettings(cache_dir=str(tmp_path)))
        stubber.assert_no_pending_responses()
    blobs.http.shutdown()
    assert found == {reference: Resolved(reference, (Platform(
        "windows", "amd64", "10.0.20348.2322", sha256(manifest.encode())),), False,
        sha256(manifest.encode()), "ECR BatchGetImage")}
    assert blobs.paths == ["/blob?X-Amz-Signature=s"]
    cached = b"".join(p.read_bytes() for p in tmp_path.rglob("*.json"))
    assert b"X-Amz-Signature" not in cached


def test_without_boto3_ecr_is_a_registry_and_the_reason_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ecr, "available", lambda: False)

    def no_dns(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    reference = f"{HOST}/billing:1.4.2"
    found = resolve([reference], ResolveSettings(cache_dir=str(tmp_path)))
    assert found == {reference: Unresolved(reference, (
        f"registry {HOST}: unreachable (host name not found); read through the registry "
        "API, as boto3 is not installed (pip install 'ecslint[aws]' to read ECR with the AWS "
        "credentials)"))}
