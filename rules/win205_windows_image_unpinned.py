"""WIN205: a Windows image whose tag names no Windows version."""

import re
from collections.abc import Iterator

from ecslint.facts import table
from ecslint.images import is_windows_image, split_image
from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.windows import container_images, normalize_repository, tag_build

# windows-ecs-facts.md §5d: the Windows variant words of shared (multi-version) tags.
_WINDOWS_WORD = re.compile(r"(?<![A-Za-z0-9])(?:windowsservercore|nanoserver)(?![A-Za-z0-9])", re.I)


@rule(
    id="WIN205",
    name="windows-image-unpinned",
    severity=Severity.WARNING,
    summary="Windows image tagged latest, untagged, or with a multi-platform tag",
    fix="Pin a tag that names the hosts' Windows release, e.g. "
        "mcr.microsoft.com/windows/servercore:ltsc2022 or 4.8-windowsservercore-ltsc2022.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a Windows image whose tag names no Windows version: an untagged
    reference, `:latest`, or a multi-platform tag such as
    `mcr.microsoft.com/dotnet/framework/aspnet:4.8` or
    `python:3.12-windowsservercore`. Images of repositories that publish
    Linux and Windows variants under one tag (`mcr.microsoft.com/dotnet/aspnet:8.0`,
    `mcr.microsoft.com/powershell`, `python` ...) are reported in Windows tasks.
    Digest-pinned references, and tags of your own on a Windows repository
    (`microsoft/windowsservercore:mybuild`, built locally), are left alone.

    ## Why is this bad?
    Microsoft has published no `latest` tag for the Windows base images
    (`windows/servercore`, `windows/nanoserver`, `windows`) since 2019-04-16,
    so such a pull fails. A multi-platform tag resolves to whatever Windows
    build the registry offers for the host at pull time: the image's build
    cannot be checked against the host's before deployment, and it changes
    under you when the tag moves to a new release.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## References
    - [Windows container version compatibility: matching versions (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility)
    - [Windows container base images (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-base-images)
    """
    data = table("windows-versions")
    no_latest = set(data["no_latest_repositories"]["repositories"])
    multi = set(data["multi_platform_repositories"]["repositories"])
    for container, image in container_images(task):
        repository, tag, digest = split_image(image)
        if digest is not None and tag is None:
            continue
        name = normalize_repository(repository)
        listed = task.platform.is_windows and name in multi
        if not (is_windows_image(image) or listed) or tag_build(image)[0] is not None:
            continue
        if tag is None or tag.lower() == "latest":
            what = "is untagged" if tag is None else "is tagged 'latest'"
            why = ("Microsoft publishes no 'latest' tag for it, so the pull fails"
                   if name in no_latest else "'latest' names no Windows version")
        elif listed or name.startswith("mcr.microsoft.com/") or _WINDOWS_WORD.search(tag):
            what = f"has the tag {tag!r}"
            why = "a multi-platform tag that names no Windows version"
        else:
            continue  # a tag of the user's own (microsoft/windowsservercore:mybuild)
        yield Finding.at_value(
            container.path + ("image",),
            f"container {container.label} image {image!r} {what}: {why}",
        )
