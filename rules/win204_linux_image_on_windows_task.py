"""WIN204: a clearly Linux image in a Windows task."""

from collections.abc import Iterator

from ecslint.platform.windows import (
    container_images,
    is_linux_image,
    os_reason,
    registry_answer,
    registry_signal,
)
from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule


@rule(
    id="WIN204",
    name="linux-image-on-windows-task",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Linux-only image in a Windows task",
    fix_title="Use a Windows variant of the image (windowsservercore / nanoserver), or move the "
        "container to a Linux task.",
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Windows task whose image is clearly a Linux
    image: a Linux distribution's repository (`alpine`, `amazonlinux`,
    `ubuntu`, `debian`, `busybox` ...) or a Linux variant tag (`-alpine`,
    `-bookworm`, `-bullseye`, `-jammy` ...). Images that might have a Windows
    variant (most application images) are never reported.

    With `--resolve-images` the registry decides: an image that offers no
    Windows variant at all is reported as an error, whatever its name, and
    one that offers a Windows variant is not.

    ## Why is this bad?
    Windows and Linux containers cannot run on each other's hosts, so the
    container fails to pull or start on the task's Windows host. The list of
    Linux-only images is general knowledge rather than a documented AWS fact,
    hence a warning.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "cpu": 1024, "memory": 2048},
       {"name": "sidecar", "image": "public.ecr.aws/docker/library/alpine:3.20",
        "cpu": 128, "memory": 256, "essential": false}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "cpu": 1024, "memory": 2048},
       {"name": "sidecar", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022",
        "cpu": 128, "memory": 256, "essential": false}]}
    ```

    ## References
    - [Amazon ECS Windows containers](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS_Windows.html)
    - [Amazon ECS task placement constraints](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html)
    """
    for container, image in container_images(task):
        answer = registry_answer(image, task.host)
        if answer is not None and answer.platforms and not answer.windows:
            yield Finding.at_value(
                container.path + ("image",),
                f"container {container.label} uses the image {image!r}, which has no Windows "
                f"variant ({registry_signal(answer)}), in a Windows task ({os_reason(task)})",
                severity=Severity.ERROR,
            )
        elif answer is None and is_linux_image(image):
            yield Finding.at_value(
                container.path + ("image",),
                f"container {container.label} uses the Linux image {image!r} in a Windows "
                f"task ({os_reason(task)})",
            )
