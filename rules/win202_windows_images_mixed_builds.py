"""WIN202: the containers of one task use images of different Windows builds."""

from collections.abc import Iterator

from ecslint.platform.windows import (
    Release,
    compatibility,
    container_images,
    host_build,
    image_build,
)
from ecslint.rule import Container, Finding, Path, Severity, TaskView, listing, rule


@rule(
    id="WIN202",
    name="windows-images-mixed-builds",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Containers of one task use images of different Windows builds",
    fix_title="Rebuild every image of the task on the same Windows release (the hosts' release).",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports the containers of a task whose images are built on a different
    Windows build than the task's other images (builds as WIN201 determines
    them; images whose build is unknown are left out). The finding sits on
    each image outside the task's main build (the host's build when it is
    known, else the build most images share, else the first image's), with
    the other images as related locations.

    ## Why is this bad?
    All containers of a task run on the same host, and ECS runs Windows
    containers with process isolation, where an image starts only on a host
    of its own build. Images of two builds in one task mean that at least one
    container fails to start on any host. Mixing `ltsc2022` and `ltsc2025`
    images is a warning: Microsoft's table lets a Windows Server 2025 host run
    both, while its prose and the AWS documentation require matching builds.

    ## Example
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "cpu": 1024, "memory": 2048},
       {"name": "agent", "image": "mcr.microsoft.com/windows/nanoserver:1809",
        "cpu": 256, "memory": 512, "essential": false}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "cpu": 1024, "memory": 2048},
       {"name": "agent", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022",
        "cpu": 256, "memory": 512, "essential": false}]}
    ```

    ## References
    - [Windows container version compatibility (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility)
    - [Amazon ECS Windows containers](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS_Windows.html)
    """
    found: list[tuple[Container, Release]] = []
    for container, image in container_images(task):
        release = image_build(image, task.host)[0]
        if release is not None:
            found.append((container, release))
    builds = [release.build for _, release in found]
    if len(set(builds)) < 2:
        return
    host = host_build(task)[0]
    main = host.build if host is not None and host.build in builds else max(
        dict.fromkeys(builds), key=builds.count)
    main_containers = [c for c, r in found if r.build == main]
    main_release = next(r for _, r in found if r.build == main)
    severity = _severity(host, found)
    names = listing(c.label for c in main_containers)
    others: dict[int, list[Path]] = {}  # build -> the images of the other builds, once
    for container, release in found:
        if release.build == main:
            continue
        if release.build not in others:
            others[release.build] = [c.path + ("image",) for c, r in found
                                     if r.build != release.build]
        yield Finding.at_value(
            container.path + ("image",),
            f"container {container.label} uses a {release.label} image while "
            f"{'container' if len(main_containers) == 1 else 'containers'} {names} "
            f"use{'s' if len(main_containers) == 1 else ''} {main_release.label}; "
            + (_MAYBE if severity is Severity.WARNING else _ONE),
            related=others[release.build],
            severity=severity,
        )


_ONE = "a host starts only one of these builds"
_MAYBE = ("only a Windows Server 2025 host might start both: Microsoft's table allows it, "
          "the AWS documentation requires matching builds")


def _severity(host: Release | None, found: list[tuple[Container, Release]]) -> Severity | None:
    """A warning for ltsc2022 next to ltsc2025 images when the host is a 2025 one or
    unknown: Microsoft's table lets a 2025 host run both (§5b, conflicting)."""
    by_build = {release.build: release for _, release in found}
    if len(by_build) != 2:
        return None
    low, high = (by_build[b] for b in sorted(by_build))
    if host is not None and host.build != high.build:
        return None
    verdict = compatibility(high, low)
    return Severity.WARNING if verdict is not None and verdict[0] == "warning" else None
