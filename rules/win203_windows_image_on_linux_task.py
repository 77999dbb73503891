"""WIN203: a Windows image in a task that runs on Linux."""

from collections.abc import Iterator

from ecslint.platform.windows import (
    container_images,
    is_windows_reference,
    os_reason,
    registry_answer,
    registry_signal,
)
from ecslint.rule import Finding, Path, Severity, TaskView, is_unresolved, rule


@rule(
    id="WIN203",
    name="windows-image-on-linux-task",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows image in a task that runs on Linux",
    fix_title="Set runtimePlatform.operatingSystemFamily to the image's Windows release "
        "(e.g. WINDOWS_SERVER_2022_CORE), or use a Linux image.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container whose image is a Windows image (a Microsoft Windows
    repository, a Windows tag such as `windowsservercore-ltsc2022`, or an
    image the configuration maps to a Windows version) in a task that runs on
    Linux: one that says so (`runtimePlatform.operatingSystemFamily: LINUX`,
    a `memberOf` constraint on `ecs.os-type == linux`, or `platform: linux`
    in the configuration), or a Fargate task without
    `runtimePlatform.operatingSystemFamily`, which Fargate runs on Linux.

    With `--resolve-images` the registry decides: an image whose every
    variant is a Windows image is reported whatever its name, and one that
    also offers a Linux variant is not.

    ## Why is this bad?
    Windows containers cannot run on Linux hosts. On Fargate the task is
    placed on Linux and the image pull or container start fails; on EC2 the
    task is placed on Linux instances and fails the same way.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1024", "memory": "2048",
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1024", "memory": "2048",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## References
    - [Amazon ECS task definition parameters: runtime platform](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform)
    - [Windows containers on AWS Fargate](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-windows-fargate.html)
    - [Amazon ECS Windows containers](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS_Windows.html)
    """
    why, related = _linux(task)
    if why is None:
        return
    for container, image in container_images(task):
        if is_windows_reference(image, task.host):
            answer = registry_answer(image, task.host)
            said = f" ({registry_signal(answer)})" if answer is not None else ""
            yield Finding.at_value(
                container.path + ("image",),
                f"container {container.label} uses the Windows image {image!r}{said} but {why}",
                related=related,
            )


def _linux(task: TaskView) -> tuple[str | None, list[Path]]:
    """Why the task runs on Linux, and where that is said; ``None`` when it does not."""
    platform = task.platform
    runtime = task.data.get("runtimePlatform")
    family = runtime.get("operatingSystemFamily") if isinstance(runtime, dict) else None
    if platform.is_linux and platform.os_source != "default":
        related: list[Path] = []
        if platform.os_source == "runtimePlatform":
            related = [("runtimePlatform", "operatingSystemFamily")]
        return f"the task runs on Linux ({os_reason(task)})", related
    known = task.task_fields_known and (runtime is None or isinstance(runtime, dict))
    if platform.on_fargate and known and family is None and not is_unresolved(runtime):
        related = [("requiresCompatibilities",)] if "requiresCompatibilities" in task.data else []
        return ("Fargate runs a task without runtimePlatform.operatingSystemFamily on "
                "Linux"), related
    return None, []
