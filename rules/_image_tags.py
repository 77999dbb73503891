"""The tag of a Microsoft Windows image for another release, for the WIN2xx fixes.

Only Microsoft's own repositories are retagged (``image_tags`` in
``data/windows-versions.json``): their tags follow a pattern whose Windows token can
be swapped (``servercore:ltsc2019``, ``iis:windowsservercore-ltsc2019``,
``aspnet:4.8-windowsservercore-ltsc2019``), and the table says which releases each
publishes (no Nano Server for 2016; .NET Framework 4.8 up to 2019, 4.8.1 from 2022 on). An image of
anyone else, even one built FROM servercore, names its base nowhere in its tag.
Anything else (a digest, a KB or dated tag, a release the repository lacks) gives
``None``: no fix.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from ecslint.facts import table
from ecslint.platform.images import split_image
from ecslint.platform.windows import Release, parse_release, releases, tag_build
from ecslint.rule import Container, Fix, ReplaceText

if TYPE_CHECKING:
    from ecslint.facts.tables import ImageTags

_FRAMEWORK = r"(?P<framework>\d+(?:\.\d+)+)"


@cache
def _repositories() -> dict[str, tuple[ImageTags, tuple[re.Pattern[str], ...]]]:
    tokens = sorted({t for r in releases() for t in r.tokens}, key=len, reverse=True)
    token = "(?P<token>" + "|".join(map(re.escape, tokens)) + ")"
    found = {}
    for entry in table("windows-versions")["image_tags"]:
        patterns = tuple(
            re.compile(re.escape(tag).replace(re.escape("{token}"), token)
                       .replace(re.escape("{framework}"), _FRAMEWORK), re.IGNORECASE)
            for tag in entry["tags"])
        for repository in entry["repositories"]:
            found[repository] = (entry, patterns)
    return found


def _target(entry: ImageTags, release: Release, framework: str | None
            ) -> tuple[str | None, str] | None:
    """The framework version and the repository's token for ``release``: the same
    version when it is published there, else its successor's (4.8 images stop at
    2019; 4.8.1, an in-place update, takes over on 2022 and 2025)."""
    token = entry["tokens"].get(release.name)
    if token is None or "frameworks" not in entry:
        return (framework, token) if token is not None else None
    published = entry["frameworks"]
    for version in (framework, entry.get("successors", {}).get(framework or "")):
        if version is not None and release.name in published.get(version, ()):
            return version, token
    return None


def retag(image: str, release: Release) -> tuple[str, str] | None:
    """``(":old-tag", ":new-tag")``: the text to replace in ``image`` so that it names
    the same Microsoft image built on ``release`` (with 4.8's successor where 4.8 has
    no image); ``None`` when there is none."""
    repository, tag, digest = split_image(image.strip())
    known = _repositories().get(repository.lower())
    if known is None or tag is None or digest is not None:
        return None
    entry, patterns = known
    match = next((m for p in patterns for m in [p.fullmatch(tag)] if m), None)
    if match is None:
        return None
    current = parse_release(match.group("token"))
    framework = match.groupdict().get("framework")
    target = _target(entry, release, framework)
    if current is None or target is None or current.build == release.build:
        return None
    version, token = target
    new = f"{tag[:match.start('token')]}{token}{tag[match.end('token'):]}"
    if framework is not None and version != framework:
        new = f"{version}{new[match.end('framework'):]}"
    return f":{tag}", f":{new}"


def pin(image: str, release: Release) -> tuple[str, str] | None:
    """The text to replace in an untagged, ``latest`` or multi-platform Microsoft image
    (``aspnet:4.8``, ``iis:windowsservercore``) so that its tag names ``release``;
    ``None`` when the repository has no such tag or which one is meant is unclear
    (``aspnet:latest``: which framework version?)."""
    stripped = image.strip()
    repository, tag, digest = split_image(stripped)
    known = _repositories().get(repository.lower())
    if known is None or digest is not None:
        return None
    entry, _ = known
    template = entry["tags"][0]
    framework = tag if tag is not None and re.fullmatch(_FRAMEWORK, tag) else None
    if "{framework}" in template:
        if framework is None:
            return None
        target = _target(entry, release, framework)
        if target is None:
            return None
        new = target[1]
        pinned = template.replace("{framework}", target[0] or framework)
    elif tag is None or tag.lower() == "latest" or (
            template.startswith(f"{tag.lower()}-") and "{token}" not in tag):
        target = _target(entry, release, None)
        if target is None:
            return None
        new = target[1]
        pinned = template if tag is None or tag.lower() == "latest" else f"{tag}-{{token}}"
    else:
        return None
    if tag is None:
        return stripped, f"{stripped}:{pinned.replace('{token}', new)}"
    return f":{tag}", f":{pinned.replace('{token}', new)}"


def image_operation(container: Container, change: tuple[str, str]) -> ReplaceText:
    """The fix's operation: replace the text in the container's image."""
    return ReplaceText(container.path + ("image",), *change)


def sole_host(hosts: list[tuple[Release, str]]) -> Release | None:
    """The one release of a task's hosts (``host_builds``), when there is exactly one:
    images cannot be retagged to fit hosts of two releases at once."""
    return hosts[0][0] if len(hosts) == 1 else None


def retag_fix(container: Container, image: str, release: Release,
              host: Release | None) -> Fix | None:
    """The fix that retags a Microsoft image of ``release`` to the one host release,
    when its tag is what named the image's release (not a configured pattern or a
    Dockerfile, which the tag does not change)."""
    tagged = tag_build(image)[0]
    if host is None or tagged is None or tagged.build != release.build:
        return None
    change = retag(image, host)
    if change is None:
        return None
    return Fix(f"Retag the image to {change[1][1:]} ({host.title}{_successor(change)})",
               (image_operation(container, change),))


def _successor(change: tuple[str, str]) -> str:
    """", .NET Framework 4.8.1 replaces 4.8" when the retag changes the version too."""
    old, new = (text[1:].split("-", 1)[0] for text in change)
    if old == new or not re.fullmatch(_FRAMEWORK, old) or not re.fullmatch(_FRAMEWORK, new):
        return ""
    return f", .NET Framework {new} replaces {old}, which has no image for it"
