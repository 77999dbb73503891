"""WIN208: a Windows base image that is not published for the task's hosts."""

from collections.abc import Iterator

from ecslint.facts import table
from ecslint.platform.images import split_image
from ecslint.platform.windows import container_images, host_build
from ecslint.rule import Finding, Severity, TaskView, rule


@rule(
    id="WIN208",
    name="windows-server-image-host",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows Server image on a host older than 2022, or Windows image on 2025",
    fix_title="Use mcr.microsoft.com/windows/servercore (or the Windows image's successor for the "
        "host) with a tag for the hosts' release.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `mcr.microsoft.com/windows/server` (the "Windows Server" base
    image) in a task whose hosts run a release older than Windows Server
    2022, and `mcr.microsoft.com/windows` (the "Windows" base image) in a
    task on Windows Server 2025 hosts. The host release comes from
    `runtimePlatform.operatingSystemFamily`, an `ecs.os-family` constraint or
    the configured host version.

    ## Why is this bad?
    Microsoft publishes the Windows Server image for Windows Server 2022 and
    later only (tags `ltsc2022`, `ltsc2025`), and the Windows image for
    releases up to Windows Server 2022 only. No tag of these repositories
    matches such a host, so under process isolation no container of that
    image can start there.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
     "containerDefinitions": [
       {"name": "web", "image": "mcr.microsoft.com/windows/server:ltsc2022",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
     "containerDefinitions": [
       {"name": "web", "image": "mcr.microsoft.com/windows/servercore:ltsc2019",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## References
    - [Windows container base images (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-base-images)
    - [Windows container version compatibility (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility)
    """
    host, host_signal = host_build(task)
    if host is None:
        return
    limits = {e["repository"]: e for e in table("windows-versions")["host_availability"]}
    for container, image in container_images(task):
        entry = limits.get(split_image(image)[0].lower())
        if entry is None:
            continue
        if host.build < entry.get("min_host_build", 0) or host.build > entry.get(
                "max_host_build", host.build):
            yield Finding.at_value(
                container.path + ("image",),
                f"container {container.label} uses {entry['repository']} but the task runs on "
                f"{host.label} hosts ({host_signal}); {entry['note']}",
            )
