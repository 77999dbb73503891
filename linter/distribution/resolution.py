"""What resolving an image reference gives: the platforms it offers, or why not.

The rules read these; ``ecslint.distribution.resolve`` makes them. A reference is the
image string of a container definition as written (``mcr.microsoft.com/windows/
servercore:ltsc2022``, ``123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:...``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ecslint.kinds import OS


@dataclass(frozen=True)
class Platform:
    """One image a reference offers: a manifest list's or index's entry, or the image
    itself. ``os_version`` is Windows' ``10.0.BUILD.REVISION`` (``platform.os.version``
    of the entry, ``os.version`` of the image config), ``None`` when not given."""

    os: str
    architecture: str
    os_version: str | None = None
    digest: str | None = None

    @property
    def build(self) -> int | None:
        """The Windows build (``20348`` of ``10.0.20348.2527``), when the version says it."""
        parts = (self.os_version or "").split(".")
        return int(parts[2]) if len(parts) >= 3 and parts[2].isdigit() else None


@dataclass(frozen=True)
class Resolved:
    """A reference the registry answered for. ``multi_platform``: a manifest list or an
    OCI index (Docker picks one entry per host); else a single image. ``digest`` is the
    digest of what the reference names (the list's, or the image manifest's); ``source``
    says where the answer came from, for messages and ``--format json``
    (``registry manifest list``, ``registry image config``, ``ECR BatchGetImage``), the
    same whether ``cached`` (read from the disk cache) or not, so that a run's output
    does not depend on the cache."""

    reference: str
    platforms: tuple[Platform, ...]
    multi_platform: bool
    digest: str | None
    source: str
    cached: bool = False

    @property
    def windows(self) -> tuple[Platform, ...]:
        return tuple(platform for platform in self.platforms if platform.os == OS.WINDOWS)


@dataclass(frozen=True)
class Unresolved:
    """A reference the registry did not answer for, and why, in words that name no
    credential (``registry mcr.microsoft.com unreachable: timed out after 10 s``,
    ``401 Unauthorized from ...``, ``manifest larger than 4 MiB``)."""

    reference: str
    reason: str


Resolution = Resolved | Unresolved


@dataclass(frozen=True)
class ResolveSettings:
    """How to resolve. ``cache_dir`` ``None``: no cache; ``offline``: the cache only (a
    reference not in it is unresolved, no request made). ``tag_ttl``: seconds a tag's
    digest is trusted (a digest's content is kept for ever). ``timeout``: seconds per
    request; ``budget``: seconds for the whole resolution, after which what is left is
    unresolved. ``docker_config``: the Docker configuration file for credentials
    (``~/.docker/config.json``, ``DOCKER_CONFIG``), ``None`` for none; ``workers``:
    registries spoken to at once."""

    cache_dir: str | None = None
    offline: bool = False
    tag_ttl: float = 24 * 3600
    timeout: float = 10.0
    budget: float = 60.0
    docker_config: str | None = None
    workers: int = 8
