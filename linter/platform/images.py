"""Recognise Windows container images from their reference alone.

ECS cannot run a Windows image on a Linux host or the reverse, and most task
definitions say nothing about their OS except through their images. The
patterns come from windows-ecs-facts.md §5d: Microsoft's repositories on MCR
and the retired Docker Hub ``microsoft/*`` namespace, and the tag words that
official images use for their Windows variants (``windowsservercore``,
``nanoserver``, ``ltsc2019`` ...).
"""

from __future__ import annotations

import re

# windows-ecs-facts.md §5d: repositories whose every image is a Windows image.
_WINDOWS_REPOSITORY = re.compile(
    r"""^(?:mcr\.microsoft\.com/(?:windows(?:/|$)|dotnet/framework/)
        |(?:docker\.io/|index\.docker\.io/)?microsoft/
          (?:windowsservercore|nanoserver|iis|aspnet|dotnet-framework|mssql-server-windows))""",
    re.IGNORECASE | re.VERBOSE,
)
# windows-ecs-facts.md §5d: tag words of Windows variants (official images, MCR).
_WINDOWS_TAG = re.compile(
    r"(?:^|[-_.])(?:windowsservercore|nanoserver|ltsc20(?:16|19|22|25))(?:$|[-_.])",
    re.IGNORECASE,
)


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """Split an image reference into repository, tag and digest."""
    rest, _, digest = image.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        return rest[:colon], rest[colon + 1 :], digest or None
    return rest, None, digest or None


def is_windows_image(image: str) -> bool:
    """True when the reference clearly names a Windows image."""
    repository, tag, _ = split_image(image.strip())
    if _WINDOWS_REPOSITORY.match(repository):
        return True
    return tag is not None and _WINDOWS_TAG.search(tag) is not None
