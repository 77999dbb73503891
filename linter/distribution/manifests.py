"""Reading manifests, lists, indexes and image configs into platforms, distrustfully.

The four media types Docker pulls today are asked for and accepted (schema 1 is long
gone from the registries that serve Windows images); anything else is refused with its
type named. Every body is checked against the digest it is meant to have, parsed with
its nesting bounded (the parser's recursion limit turns 100,000 levels into an error, not
a crash) and read for the few fields that matter, each type-checked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ecslint.distribution.resolution import Platform

MAX_DOCUMENT = 4 * 1024 * 1024
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
LISTS = (OCI_INDEX, DOCKER_LIST)
IMAGES = (OCI_MANIFEST, DOCKER_MANIFEST)
ACCEPT = ", ".join(LISTS + IMAGES)
_GENERIC = {"", "application/json", "application/octet-stream", "text/plain"}


class BadContent(ValueError):
    """A body that is not what it claims or what was asked for."""


@dataclass(frozen=True)
class Manifest:
    """A manifest that was read: a list's platforms, or an image's config digest."""

    media_type: str
    digest: str
    platforms: tuple[Platform, ...] = ()
    config_digest: str | None = None

    @property
    def is_list(self) -> bool:
        return self.media_type in LISTS


def digest_of(body: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm}:{hashlib.new(algorithm, body).hexdigest()}"


def verify(body: bytes, expected: str | None, what: str) -> str:
    """The body's digest (in ``expected``'s algorithm when given); raises ``BadContent``
    when it is not ``expected``."""
    algorithm = expected.split(":", 1)[0] if expected else "sha256"
    if algorithm not in ("sha256", "sha512"):
        raise BadContent(f"{what} digest uses unsupported algorithm {algorithm[:20]!r}")
    actual = digest_of(body, algorithm)
    if expected is not None and actual != expected:
        raise BadContent(f"{what} digest mismatch: asked for {expected}, got {actual}")
    return actual


def load_json(body: bytes, what: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except RecursionError:
        raise BadContent(f"{what} is JSON nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise BadContent(f"{what} is not valid JSON ({str(error)[:80]})") from None
    if not isinstance(data, dict):
        raise BadContent(f"{what} is not a JSON object")
    return data


def media_type(content_type: str, data: dict[str, Any]) -> str:
    """The manifest's media type: the Content-Type when it is one we asked for, else the
    body's ``mediaType`` when the header is generic; they must not disagree."""
    header = content_type.split(";", 1)[0].strip().lower()
    declared = data.get("mediaType")
    if header in LISTS + IMAGES:
        if isinstance(declared, str) and declared and declared != header:
            raise BadContent(f"manifest says media type {declared[:80]!r} but was served "
                             f"as {header!r}")
        return header
    if header in _GENERIC and declared in LISTS + IMAGES:
        return str(declared)
    shown = header or (declared if isinstance(declared, str) else "") or "none"
    raise BadContent(f"unexpected manifest media type {shown[:80]!r}")


def read_manifest(body: bytes, content_type: str, digest: str) -> Manifest:
    data = load_json(body, "manifest")
    kind = media_type(content_type, data)
    if kind in LISTS:
        entries = data.get("manifests")
        if not isinstance(entries, list):
            raise BadContent("manifest list has no list of manifests")
        return Manifest(kind, digest, tuple(_entries(entries)))
    config = data.get("config")
    config_digest = config.get("digest") if isinstance(config, dict) else None
    if not isinstance(config_digest, str) or ":" not in config_digest:
        raise BadContent("image manifest has no config digest")
    return Manifest(kind, digest, config_digest=config_digest)


def _entries(entries: list[Any]) -> list[Platform]:
    """One platform per entry that names one; attestations (``unknown/unknown``,
    BuildKit's provenance) are not images a host can run."""
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("platform"), dict):
            continue
        annotations = entry.get("annotations")
        if isinstance(annotations, dict) and "vnd.docker.reference.type" in annotations:
            continue
        platform = platform_of(entry["platform"], entry.get("digest"))
        if platform is not None:
            found.append(platform)
    return found


def platform_of(data: dict[str, Any], digest: object = None) -> Platform | None:
    """The platform an entry's ``platform`` or an image config says, if it says one."""
    os_name, architecture = data.get("os"), data.get("architecture")
    version = data.get("os.version")
    if not isinstance(os_name, str) or not isinstance(architecture, str) or not os_name:
        return None
    return Platform(os=os_name[:40], architecture=architecture[:40],
                    os_version=version[:40] if isinstance(version, str) and version else None,
                    digest=digest if isinstance(digest, str) else None)


def read_config(body: bytes, digest: str, manifest_digest: str) -> Platform:
    verify(body, digest, "image config")
    platform = platform_of(load_json(body, "image config"), manifest_digest)
    if platform is None:
        raise BadContent("image config names no os and architecture")
    return platform
