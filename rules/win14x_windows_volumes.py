"""WIN140-WIN144: volumes and mount points Windows containers cannot use
(windows-ecs-facts.md §1b, §1c)."""

from collections.abc import Iterator
from typing import Any

from ecslint.rule import AppliesTo, Finding, Path, Severity, TaskView, is_unresolved, quoted, rule
from ecslint.rules._windows_host import (
    FAMILY_PATH,
    drive_letter,
    host_families,
    host_volumes,
    is_posix_path,
)

_FSX = "fsxWindowsFileServerVolumeConfiguration"


def _volumes_with(task: TaskView, key: str) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(index, label, volume) of each volume that has ``key``; the label is the
    quoted name, else the position (``#2``), as ``Container.label`` names a container."""
    volumes = task.data.get("volumes")
    if not isinstance(volumes, list):
        return
    for index, volume in enumerate(volumes):
        if isinstance(volume, dict) and key in volume:
            name = volume.get("name")
            label = quoted(name) if isinstance(name, str) and not is_unresolved(name) else None
            yield index, label or f"#{index + 1}", volume


@rule(
    id="WIN140",
    name="windows-efs-volume",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows task uses an Amazon EFS volume",
    fix_title="Use an FSx for Windows File Server volume (SMB) for shared storage on Windows.",
    applies_to=AppliesTo.WINDOWS,
)
def check_efs_volume(task: TaskView) -> Iterator[Finding]:
    r"""## What it does
    Reports each volume of a Windows task that has `efsVolumeConfiguration`.

    ## Why is this bad?
    Amazon EFS is an NFS file system and ECS cannot mount it for Windows
    containers: the agent on Windows advertises no EFS capability, and EFS
    volumes are listed as unsupported for Windows on Fargate, so the task
    cannot be placed ([Windows considerations on Fargate](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate.html);
    AWS Batch's [RuntimePlatform](https://docs.aws.amazon.com/batch/latest/APIReference/API_RuntimePlatform.html)
    lists `efsVolumeConfiguration` among the parameters Windows containers
    cannot set). FSx for Windows File Server is the shared file system for
    Windows tasks on EC2.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "shared", "containerPath": "C:\\shared"}]}],
     "volumes": [{"name": "shared",
                  "efsVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef0"}}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "shared", "containerPath": "C:\\shared"}]}],
     "volumes": [{"name": "shared",
                  "fsxWindowsFileServerVolumeConfiguration": {
                    "fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "share",
                    "authorizationConfig": {
                      "credentialsParameter": "arn:aws:ssm:us-east-1:111122223333:parameter/fsx",
                      "domain": "example.com"}}}]}
    ```

    ## References
    - [Amazon EFS volumes (Amazon ECS Developer Guide)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html)
    - [FSx for Windows File Server volumes (Amazon ECS Developer Guide)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/wfsx-volumes.html)
    """
    for index, name, _ in _volumes_with(task, "efsVolumeConfiguration"):
        yield Finding.at_key(
            ("volumes", index, "efsVolumeConfiguration"),
            f"volume {name} is an Amazon EFS volume, which Windows containers cannot mount",
        )


def _fsx_blocker(task: TaskView) -> tuple[str, list[Path]] | None:
    """Why this task cannot use an FSx volume, and where that is said; None when it can."""
    platform = task.platform
    runtime = task.data.get("runtimePlatform")
    has_family = isinstance(runtime, dict) and "operatingSystemFamily" in runtime
    if platform.is_linux:
        return (f" in a Linux task ({platform.os_signal}); only Windows containers on EC2 "
                "can mount it", [FAMILY_PATH] if has_family else [])
    if platform.on_fargate:
        return (f" in a task for FARGATE ({platform.launch_signal}), which does not support "
                "FSx volumes",
                [("requiresCompatibilities",)] if "requiresCompatibilities" in task.data else [])
    families = host_families(task)
    if families and all(f.release == "2016" for f in families):
        first = families[0]
        named = first.family or "Windows Server 2016"
        return (f", which {named} hosts cannot mount ({first.origin})",
                [f.path for f in families if f.path is not None])
    return None


@rule(
    id="WIN141",
    name="fsx-volume-needs-windows-ec2",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="FSx for Windows File Server volume outside Windows on EC2 (2019 or later)",
    fix_title="Run the task as a Windows task on EC2 or EXTERNAL with Windows Server 2019 or "
        "later, or use another volume type.",
)
def check_fsx_volume(task: TaskView) -> Iterator[Finding]:
    r"""## What it does
    Reports an `fsxWindowsFileServerVolumeConfiguration` volume in a task that is
    Linux, that requires FARGATE, or whose host family is
    `WINDOWS_SERVER_2016_FULL` (from runtimePlatform, an `ecs.os-family`
    placement constraint, or the configured hosts).

    ## Why is this bad?
    FSx for Windows File Server volumes are available only to Windows
    containers on EC2 (and ECS Anywhere with connectivity to FSx and Active
    Directory). Fargate, including Windows on Fargate, does not support them,
    and the Windows Server 2016 ECS-optimized AMI cannot mount them, so the
    task cannot be registered or placed
    ([FSx for Windows File Server volumes](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/wfsx-volumes.html)).

    ## Example
    ```json
    {"family": "web",
     "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1024", "memory": "2048",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "mountPoints": [{"sourceVolume": "shared", "containerPath": "C:\\shared"}]}],
     "volumes": [{"name": "shared",
                  "fsxWindowsFileServerVolumeConfiguration": {
                    "fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "share",
                    "authorizationConfig": {
                      "credentialsParameter": "arn:aws:ssm:us-east-1:111122223333:parameter/fsx",
                      "domain": "example.com"}}}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "shared", "containerPath": "C:\\shared"}]}],
     "volumes": [{"name": "shared",
                  "fsxWindowsFileServerVolumeConfiguration": {
                    "fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "share",
                    "authorizationConfig": {
                      "credentialsParameter": "arn:aws:ssm:us-east-1:111122223333:parameter/fsx",
                      "domain": "example.com"}}}]}
    ```

    ## References
    - [FSx for Windows File Server volumes (Amazon ECS Developer Guide)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/wfsx-volumes.html)
    - [FSxWindowsFileServerVolumeConfiguration API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_FSxWindowsFileServerVolumeConfiguration.html)
    """
    volumes = list(_volumes_with(task, _FSX))
    if not volumes:
        return
    blocker = _fsx_blocker(task)
    if blocker is None:
        return
    reason, related = blocker
    for index, name, _ in volumes:
        yield Finding.at_key(
            ("volumes", index, _FSX),
            f"volume {name} uses FSx for Windows File Server{reason}",
            related=related,
        )


@rule(
    id="WIN142",
    name="windows-docker-volume-driver",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows task uses a Docker volume driver other than local",
    fix_title="Use the local driver (omit driver), a host bind mount, or an FSx for Windows "
        "File Server volume.",
    applies_to=AppliesTo.WINDOWS,
)
def check_docker_volume_driver(task: TaskView) -> Iterator[Finding]:
    r"""## What it does
    Reports a volume of a Windows task whose `dockerVolumeConfiguration.driver`
    is set to anything but `local`.

    ## Why is this bad?
    Windows containers support only the `local` Docker volume driver: the
    agent on Windows advertises no other volume plugin, so no instance
    matches the task ("Windows containers only support the use of the local
    driver": [Docker volumes on Amazon ECS](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/docker-volumes.html)).
    Older documentation said Docker
    volumes were not supported on Windows at all; current documentation allows
    the `local` driver.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "cache", "containerPath": "C:\\cache"}]}],
     "volumes": [{"name": "cache",
                  "dockerVolumeConfiguration": {"scope": "task", "driver": "rexray/ebs"}}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "cache", "containerPath": "C:\\cache"}]}],
     "volumes": [{"name": "cache",
                  "dockerVolumeConfiguration": {"scope": "task", "driver": "local"}}]}
    ```

    ## References
    - [Volume API reference (dockerVolumeConfiguration)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html)
    - [DockerVolumeConfiguration API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DockerVolumeConfiguration.html)
    """
    for index, name, volume in _volumes_with(task, "dockerVolumeConfiguration"):
        config = volume["dockerVolumeConfiguration"]
        if not isinstance(config, dict):
            continue
        driver = config.get("driver")
        if isinstance(driver, str) and not is_unresolved(driver) and driver != "local":
            yield Finding.at_value(
                ("volumes", index, "dockerVolumeConfiguration", "driver"),
                f"volume {name} uses the Docker volume driver {driver!r}; Windows "
                "containers support only the local driver",
            )


@rule(
    id="WIN143",
    name="windows-mount-cross-drive",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows bind mount from one drive letter to another",
    fix_title="Mount the host directory at a container path on the same drive letter "
        "(D:\\data at D:\\data), or move the host directory.",
    applies_to=AppliesTo.WINDOWS,
)
def check_mount_cross_drive(task: TaskView) -> Iterator[Finding]:
    r"""## What it does
    Reports a mount point of a Windows container whose `containerPath` starts with
    a different drive letter than the `sourcePath` of the host volume it mounts.
    Paths without a drive letter (relative, POSIX-style, named pipes) are left
    alone.

    ## Why is this bad?
    Windows containers cannot mount a directory across drives: `C:\my\path`
    at `C:\my\path` and `D:\` at `D:\` work, but `D:\my\path` at
    `C:\my\path` and `D:\` at `C:\my\path` do not, and the container fails
    to start ([ContainerDefinition API reference: mountPoints](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html),
    [Volume API reference: host](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html)).

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "data", "containerPath": "C:\\data"}]}],
     "volumes": [{"name": "data", "host": {"sourcePath": "D:\\data"}}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "data", "containerPath": "D:\\data"}]}],
     "volumes": [{"name": "data", "host": {"sourcePath": "D:\\data"}}]}
    ```

    ## References
    - [Volume API reference (host)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html)
    - [MountPoint API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_MountPoint.html)
    """
    hosts = host_volumes(task)
    if not hosts:
        return
    for container in task.containers:
        mounts = container.data.get("mountPoints")
        for index, mount in enumerate(mounts if isinstance(mounts, list) else []):
            volume = mount.get("sourceVolume") if isinstance(mount, dict) else None
            if not isinstance(volume, str) or volume not in hosts:
                continue
            volume_index, host = hosts[volume]
            source, target = host.get("sourcePath"), mount.get("containerPath")
            source_drive, target_drive = drive_letter(source), drive_letter(target)
            if source_drive and target_drive and source_drive != target_drive:
                yield Finding.at_value(
                    container.path + ("mountPoints", index, "containerPath"),
                    f"container {container.label} mounts volume {volume!r} "
                    f"from '{source}' at '{target}'; Windows cannot mount across drives "
                    f"({source_drive}: to {target_drive}:)",
                    related=[("volumes", volume_index, "host", "sourcePath")],
                )


@rule(
    id="WIN144",
    name="windows-posix-path",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Windows task uses a POSIX-style mount path",
    fix_title="Use a Windows path with a drive letter, such as C:\\data.",
    applies_to=AppliesTo.WINDOWS,
)
def check_posix_path(task: TaskView) -> Iterator[Finding]:
    r"""## What it does
    Reports a `mountPoints[].containerPath` or a host volume `sourcePath` in a
    Windows task that is a POSIX-style absolute path such as `/data`.

    ## Why is this bad?
    Windows containers mount Windows paths: whole directories on a drive, such
    as `C:\data`
    ([ContainerDefinition API reference: mountPoints](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)).
    A POSIX path is usually a
    leftover from a Linux task definition and makes the mount fail or land
    somewhere unexpected. This is a warning rather than an error because the
    documentation does not say how Docker on Windows resolves such a path.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}]}],
     "volumes": [{"name": "data", "host": {"sourcePath": "C:\\data"}}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "mountPoints": [{"sourceVolume": "data", "containerPath": "C:\\data"}]}],
     "volumes": [{"name": "data", "host": {"sourcePath": "C:\\data"}}]}
    ```

    ## References
    - [MountPoint API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_MountPoint.html)
    - [Volume API reference (host)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html)
    """
    for container in task.containers:
        mounts = container.data.get("mountPoints")
        for index, mount in enumerate(mounts if isinstance(mounts, list) else []):
            path = mount.get("containerPath") if isinstance(mount, dict) else None
            if is_posix_path(path) and not is_unresolved(path):
                yield Finding.at_value(
                    container.path + ("mountPoints", index, "containerPath"),
                    f"container {container.label} mounts at the POSIX path {path!r} "
                    "in a Windows task",
                )
    for index, name, volume in _volumes_with(task, "host"):
        host = volume["host"]
        path = host.get("sourcePath") if isinstance(host, dict) else None
        if is_posix_path(path) and not is_unresolved(path):
            yield Finding.at_value(
                ("volumes", index, "host", "sourcePath"),
                f"volume {name} has the POSIX host path {path!r} in a Windows task",
            )
