"""Image references read as Docker reads them, so ecslint asks the registry Docker would.

The grammar is Docker's (``github.com/distribution/reference``): the first path component
is a registry when it holds a ``.`` or a ``:``, is ``localhost``, or has an upper-case
letter; otherwise the image is on Docker Hub, whose API lives at ``registry-1.docker.io``
and whose one-component names are under ``library/``. No tag and no digest means
``latest``. A template placeholder (``${Tag}``, ``{{ tag }}``) cannot be resolved, so it
is refused here, before any request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOCKER_HUB = "docker.io"
_HUB_ALIASES = {"docker.io", "index.docker.io", "registry-1.docker.io"}
_HUB_API = "registry-1.docker.io"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}

_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(
    rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?")
_PATH = re.compile(rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
_TAG = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}")
_PLACEHOLDERS = ("${", "{{", "}}")
MAX_NAME = 255


class InvalidReference(ValueError):
    """The string is not an image reference Docker would pull."""


@dataclass(frozen=True)
class Reference:
    """A parsed reference. ``registry`` as written (``docker.io`` for Docker Hub),
    ``repository`` with ``library/`` added for Docker Hub's official images."""

    registry: str
    repository: str
    tag: str | None
    digest: str | None

    @property
    def host(self) -> str:
        """Where the registry API is (``host[:port]``)."""
        return _HUB_API if self.registry == DOCKER_HUB else self.registry

    @property
    def hostname(self) -> str:
        """The host without port or IPv6 brackets (``::1``, ``127.0.0.1``)."""
        host = self.host
        if host.startswith("["):
            return host[1:host.index("]")]
        return host.rsplit(":", 1)[0] if ":" in host else host

    @property
    def plain_http(self) -> bool:
        """Docker speaks plain HTTP to a loopback registry only; HTTPS to all others."""
        return self.hostname in LOOPBACK

    @property
    def selector(self) -> str:
        """What to ask the registry for: the digest when given (it pins the content),
        else the tag."""
        return self.digest or self.tag or "latest"

    @property
    def name(self) -> str:
        """``registry/repository``, the key for what a tag points to."""
        return f"{self.registry}/{self.repository}"


def parse(text: str) -> Reference:
    """``text`` as Docker normalises it; raises ``InvalidReference`` saying why."""
    if any(marker in text for marker in _PLACEHOLDERS):
        raise InvalidReference("it holds an unresolved template placeholder")
    if not text or text != text.strip():
        raise InvalidReference("it is empty or has surrounding white space")
    rest, digest = text, None
    if "@" in rest:
        rest, digest = rest.split("@", 1)
        if not _DIGEST.fullmatch(digest):
            raise InvalidReference("its digest is not sha256:<64 hex> or sha512:<128 hex>")
    tag = None
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1:]
        if not _TAG.fullmatch(tag):
            raise InvalidReference(f"its tag {tag[:40]!r} is not a valid tag")
    first, _, remainder = rest.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"
                      or first != first.lower()):
        registry, path = first, remainder
        if not _DOMAIN.fullmatch(registry):
            raise InvalidReference(f"its registry {registry[:60]!r} is not a host name")
    else:
        registry, path = DOCKER_HUB, rest
    if registry.lower() in _HUB_ALIASES:
        registry = DOCKER_HUB
        if "/" not in path:
            path = f"library/{path}"
    if not _PATH.fullmatch(path) or len(f"{registry}/{path}") > MAX_NAME:
        raise InvalidReference("its repository name is not valid (lower case, digits, "
                               "separators, at most 255 characters)")
    if tag is None and digest is None:
        tag = "latest"
    return Reference(registry, path, tag, digest)
