"""WIN205: a Windows image whose tag names no Windows version."""

import re
from collections.abc import Iterator

from ecslint.facts import table
from ecslint.platform.images import is_windows_image, split_image
from ecslint.platform.windows import (
    container_images,
    host_builds,
    normalize_repository,
    offered_builds,
    registry_answer,
    tag_build,
)
from ecslint.rule import Applicability, Finding, Fix, Severity, TaskView, quoted, rule
from ecslint.rules._image_tags import image_operation, pin, sole_host

# windows-ecs-facts.md §5d: the Windows variant words of shared (multi-version) tags.
_WINDOWS_WORD = re.compile(r"(?<![A-Za-z0-9])(?:windowsservercore|nanoserver)(?![A-Za-z0-9])", re.I)


@rule(
    id="WIN205",
    name="windows-image-unpinned",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Image in a Windows task tagged latest or untagged, or a Windows image with a "
            "multi-platform tag",
    fix_title="Pin a version tag (for Windows base images one that names the hosts' Windows "
        "release, e.g. mcr.microsoft.com/windows/servercore:ltsc2022 or "
        "4.8.1-windowsservercore-ltsc2022), or a digest.",
    fix=Applicability.UNSAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports, in a Windows task, any image that is untagged or tagged
    `latest` (`datadog/agent:latest`, `myrepo/app`), and any Windows image
    whose tag names no Windows version: a multi-platform tag such as
    `mcr.microsoft.com/dotnet/framework/aspnet:4.8` or
    `python:3.12-windowsservercore`. Images of repositories that publish
    Linux and Windows variants under one tag (`mcr.microsoft.com/dotnet/aspnet:8.0`,
    `mcr.microsoft.com/powershell`, `python` ...) are reported in Windows tasks.
    Digest-pinned references (`@sha256:...`), template placeholders, other
    tags of your own (`myrepo/app:1.4.2`, `microsoft/windowsservercore:mybuild`)
    and images in tasks that are not Windows are left alone.

    With `--resolve-images`, a tag its registry lists with several Windows
    builds is reported with the digest that pins what the tag names today:
    each host pulls the variant of its own build, so only a digest makes the
    task reproducible.

    ## Why is this bad?
    Under process isolation an image's Windows build must match the host's.
    `latest` (which an untagged reference means) and other multi-platform
    tags resolve to whatever build the registry offers for the host at pull
    time. Where the tag is multi-platform the pull works today, but it is
    not reproducible: the image's build cannot be checked against the host's
    before deployment, and it changes under you when the tag moves to a new
    release. Microsoft has published no `latest` tag for its Windows base
    images (`mcr.microsoft.com/windows/servercore`, `windows/nanoserver`,
    `windows/server`, `windows`) since 2019-04-16, so for those a `latest` or
    untagged pull fails.

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
        "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Fix
    When the hosts run one known release, the fix pins an untagged, `latest`
    or multi-platform image of Microsoft's Windows repositories to that
    release's tag: `windows/servercore` becomes
    `windows/servercore:ltsc2022`, `dotnet/framework/aspnet:4.8` becomes
    `4.8.1-windowsservercore-ltsc2022` on 2022 hosts (4.8's images stop at
    2019: the shared `4.8` tag offers no 2022 image, 4.8.1 is its in-place
    update) and `4.8-windowsservercore-ltsc2019` on 2019 hosts,
    `windows/servercore/iis` becomes
    `iis:windowsservercore-ltsc2022`. It offers nothing for other images
    (which tag of yours is meant?), for a .NET Framework image without a
    framework version (`aspnet:latest`), for a release the repository does
    not publish, or when the hosts' release is not known. It is unsafe: the
    image then runs the build that tag names, which may not be the one the
    hosts pulled until now.

    ## References
    - [Windows container version compatibility: matching versions (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility)
    - [Windows container base images (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-base-images)
    - [ContainerDefinition API reference: image (tags and digests)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    """
    data = table("windows-versions")
    no_latest = set(data["no_latest_repositories"]["repositories"])
    multi = set(data["multi_platform_repositories"]["repositories"])
    windows_task = task.platform.is_windows
    host = sole_host(host_builds(task))
    for container, image in container_images(task):
        repository, tag, digest = split_image(image)
        answer = registry_answer(image, task.host)
        builds = offered_builds(answer) if answer is not None and digest is None else ()
        if len(builds) > 1 and answer is not None:
            pinned = f" ({repository}@{answer.digest})" if answer.digest else ""
            yield Finding.at_value(
                container.path + ("image",),
                f"container {container.label} image {quoted(image)} is a multi-platform tag "
                f"offering Windows builds {', '.join(map(str, builds))} ({answer.source}): "
                f"each host pulls the variant of its build, so a task runs reproducibly only "
                f"when pinned by digest{pinned}")
            continue
        if digest is not None or tag_build(image)[0] is not None:
            continue
        name = normalize_repository(repository)
        windows_image = is_windows_image(image)
        listed = windows_task and name in multi
        if not (windows_task or windows_image):
            continue
        if tag is None or tag.lower() == "latest":
            what = "is untagged (so it pulls 'latest')" if tag is None else "is tagged 'latest'"
            if name in no_latest:
                why = "Microsoft publishes no 'latest' tag for it, so the pull fails"
            else:
                why = ("'latest' names no version, so which build runs changes when the tag "
                       "moves, and it cannot be checked against the hosts' Windows release")
        elif (windows_image or listed) and (
                listed or name.startswith("mcr.microsoft.com/") or _WINDOWS_WORD.search(tag)):
            what = f"has the tag {quoted(tag)}"
            why = "a multi-platform tag that names no Windows version"
        else:
            continue  # a tag of the user's own (myrepo/app:1.4.2)
        change = pin(image, host) if host is not None else None
        yield Finding.at_value(
            container.path + ("image",),
            f"container {container.label} image {quoted(image)} {what}: {why}",
            fix=None if change is None or host is None else Fix(
                f"Pin the image to {change[1].rsplit(':', 1)[-1]} ({host.title})",
                (image_operation(container, change),)),
        )
