"""FG305: a Windows task on Fargate uses a feature Windows on Fargate does not have."""

from collections.abc import Callable, Iterator
from typing import Any

from ecslint.facts import table
from ecslint.rule import AppliesTo, Finding, Path, Severity, TaskView, is_unresolved, rule
from ecslint.rules._fargate import fargate_task, is_set

# What each feature of fargate-windows-features.json looks like in a task definition.
Finder = Callable[[TaskView], Iterator[tuple[Path, bool, str]]]


def _used(value: Any) -> bool:
    """True for a value known to configure the feature. A list whose every item
    is a condition (``[!If [HasEnvFile, {...}, !Ref AWS::NoValue]]``) may be empty."""
    if not is_set(value) or is_unresolved(value):
        return False
    return not (isinstance(value, list) and all(_may_vanish(item) for item in value))


def _may_vanish(item: Any) -> bool:
    return isinstance(item, dict) and ("Fn::If" in item or item.get("Ref") == "AWS::NoValue")


def _task_key(key: str) -> Finder:
    def find(task: TaskView) -> Iterator[tuple[Path, bool, str]]:
        value = task.data.get(key)
        if _used(value):
            yield (key,), True, f"task {task.label} sets {key}"
    return find


def _container_key(key: str) -> Finder:
    def find(task: TaskView) -> Iterator[tuple[Path, bool, str]]:
        for container in task.containers:
            value = container.data.get(key)
            if _used(value):
                yield container.path + (key,), True, f"container {container.label} sets {key}"
    return find


def _volume_key(key: str) -> Finder:
    def find(task: TaskView) -> Iterator[tuple[Path, bool, str]]:
        volumes = task.data.get("volumes")
        for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
            value = volume.get(key) if isinstance(volume, dict) else None
            if _used(value):
                name = volume.get("name")
                shown = repr(name) if isinstance(name, str) else f"#{index + 1}"
                yield ("volumes", index, key), True, f"volume {shown} uses {key}"
    return find


def _gmsa_options(task: TaskView) -> Iterator[tuple[Path, bool, str]]:
    for container in task.containers:
        options = container.data.get("dockerSecurityOptions")
        for index, option in enumerate(options if isinstance(options, list) else []):
            if isinstance(option, str) and option.lower().startswith("credentialspec"):
                yield (container.path + ("dockerSecurityOptions", index), False,
                       f"container {container.label} asks for a gMSA credential spec")


FINDERS: dict[str, Finder] = {
    "ephemeralStorage": _task_key("ephemeralStorage"),
    "credentialSpecs": _container_key("credentialSpecs"),
    "gmsaSecurityOptions": _gmsa_options,
    "fsxWindowsFileServerVolumeConfiguration":
        _volume_key("fsxWindowsFileServerVolumeConfiguration"),
    "efsVolumeConfiguration": _volume_key("efsVolumeConfiguration"),
    "proxyConfiguration": _task_key("proxyConfiguration"),
    "firelensConfiguration": _container_key("firelensConfiguration"),
    "ulimits": _container_key("ulimits"),
    "linuxParameters": _container_key("linuxParameters"),
    "pidMode": _task_key("pidMode"),
    "environmentFiles": _container_key("environmentFiles"),
}
# How a feature's status in fargate-windows-features.json is reported.
SEVERITY = {"unsupported": Severity.ERROR, "conflicting": Severity.WARNING}


@rule(
    id="FG305",
    name="fargate-windows-unsupported-feature",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows task on Fargate uses a feature Windows on Fargate does not support",
    fix_title="Remove the feature, or run the Windows task on EC2 where it is supported.",
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports, one finding each, the features a Windows task that targets
    FARGATE uses although Windows on Fargate does not support them:
    gMSA (`credentialSpecs`, or a `credentialspec:` entry in
    `dockerSecurityOptions`), FSx for Windows File Server and EFS volumes,
    `proxyConfiguration` (App Mesh), `firelensConfiguration`, `ulimits`,
    `linuxParameters`, `pidMode` and `environmentFiles`. These are errors.
    The `EnvironmentFile` API reference lists only "Linux platform version
    1.4.0 or later" for Fargate.

    `ephemeralStorage` is reported as a **warning**, because the AWS sources
    conflict. Since the API model change of November 2026 the
    `EphemeralStorage` API reference names only "Linux platform version 1.4.0
    or later" (it used to add "Windows platform version 1.0.0 or later"), and
    the Developer Guide's Fargate task storage page says "This isn't
    supported for Windows containers on AWS Fargate"; yet the same page
    still documents up to 200 GiB for Windows platform version 1.0.0 and
    later. The list lives in `fargate-windows-features.json`, each entry with
    its source.

    ## Why is this bad?
    Windows containers on Fargate run on a managed Windows host without
    domain join, FireLens, App Mesh or Linux kernel features, so ECS rejects
    the task definition or the task fails to start.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1024", "memory": "2048",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "credentialSpecs": [
          "credentialspecdomainless:arn:aws:ssm:us-east-1:111122223333:parameter/gmsa"]}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "credentialSpecs": [
          "credentialspecdomainless:arn:aws:ssm:us-east-1:111122223333:parameter/gmsa"]}]}
    ```

    ## References
    - [Architect for AWS Fargate for Amazon ECS (Windows considerations)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate.html)
    - [Fargate task ephemeral storage (Windows containers)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html)
    - [EphemeralStorage API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html)
    - [EnvironmentFile API reference (platforms for the Fargate launch type)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EnvironmentFile.html)
    """
    if not fargate_task(task):
        return
    for feature in table("fargate-windows-features")["features"]:
        find = FINDERS.get(feature["feature"])
        severity = SEVERITY.get(feature["status"])
        if severity is None or find is None:
            continue
        for path, on_key, what in find(task):
            if severity is Severity.ERROR:
                message = f"{what}, which Windows on Fargate does not support"
            else:
                message = (f"{what}; AWS sources disagree on whether Windows on Fargate "
                           "supports it (the API reference lists only Linux platforms, one "
                           "Developer Guide section lists Windows)")
            yield (Finding.at_key(path, message, severity=severity) if on_key
                   else Finding.at_value(path, message, severity=severity))
