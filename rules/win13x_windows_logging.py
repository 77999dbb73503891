"""WIN130, WIN131: log drivers a Windows container cannot use, or can use only when the
hosts are configured for them (windows-ecs-facts.md §1b)."""

from collections.abc import Iterator
from typing import Any

from ecslint.rule import (
    AppliesTo,
    Container,
    Finding,
    Path,
    Severity,
    TaskView,
    is_unresolved,
    rule,
)

# windows-ecs-facts.md §1b: Docker's Windows build has no journald driver (moby
# daemon/logdrivers_windows.go) and the agent advertises no FireLens capability on
# Windows (agent_capability_windows.go; Developer Guide using_firelens).
UNSUPPORTED = {
    "journald": "Docker on Windows has no journald log driver",
    "awsfirelens": "FireLens is not supported for Windows containers",
}
# windows-ecs-facts.md §1b: drivers Docker on Windows has but the Windows agent does not
# enable by default (its ECS_AVAILABLE_LOGGING_DRIVERS default is json-file, none, awslogs).
HOST_CONFIGURED = ("fluentd", "gelf", "splunk", "syslog")


def _log_drivers(task: TaskView) -> Iterator[tuple[Container, Path, str]]:
    for container in task.containers:
        config = container.data.get("logConfiguration")
        if not isinstance(config, dict):
            continue
        driver: Any = config.get("logDriver")
        if isinstance(driver, str) and not is_unresolved(driver):
            yield container, container.path + ("logConfiguration", "logDriver"), driver


@rule(
    id="WIN130",
    name="windows-log-driver",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows container uses the awsfirelens or journald log driver",
    fix_title="Use awslogs, or the fluentd driver pointing at a Fluent Bit service on the host.",
    applies_to=AppliesTo.WINDOWS,
)
def check_log_driver(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Windows task whose `logConfiguration.logDriver` is
    `awsfirelens` or `journald`.

    ## Why is this bad?
    Docker on Windows has no `journald` driver, and the ECS agent on Windows
    advertises no FireLens capability ("Windows containers don't support
    FireLens"), so the task cannot be placed or its containers cannot start
    ([FireLens on Amazon ECS](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html)).
    For Fluent Bit on Windows, AWS documents the `fluentd` driver pointing at a
    Fluent Bit daemon service instead.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "logConfiguration": {"logDriver": "awsfirelens",
                             "options": {"Name": "cloudwatch"}}}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "logConfiguration": {"logDriver": "awslogs",
                             "options": {"awslogs-group": "/ecs/web",
                                         "awslogs-region": "us-east-1"}}}]}
    ```

    ## References
    - [Send Amazon ECS logs to an AWS service or AWS Partner (FireLens)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html)
    - [LogConfiguration API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html)
    """
    for container, path, driver in _log_drivers(task):
        if driver in UNSUPPORTED:
            yield Finding.at_value(
                path,
                f"container {container.label} uses the {driver} log driver; "
                f"{UNSUPPORTED[driver]}",
            )


@rule(
    id="WIN131",
    name="windows-log-driver-host-config",
    severity=Severity.INFO,
    since="0.1.0",
    summary="Windows container uses a log driver the hosts must enable",
    fix_title="List the driver in ECS_AVAILABLE_LOGGING_DRIVERS on the Windows container "
        "instances, and tell ecslint with `host: logging-drivers`.",
    applies_to=AppliesTo.WINDOWS_EC2,
)
def check_log_driver_host_config(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Windows task on EC2 or EXTERNAL whose log driver is
    `fluentd`, `gelf`, `splunk` or `syslog`, drivers the hosts must list in the
    agent's `ECS_AVAILABLE_LOGGING_DRIVERS`.

    ## Why is this bad?
    The ECS agent on Windows enables only `json-file`, `none` and `awslogs`
    by default; any other driver must be listed in `ECS_AVAILABLE_LOGGING_DRIVERS`
    before tasks that use it can be placed on the instance
    ([LogConfiguration API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html),
    [container agent configuration](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html)).
    `syslog` works only as network syslog on Windows.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "logConfiguration": {"logDriver": "fluentd",
                             "options": {"fluentd-address": "localhost:24224"}}}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "logConfiguration": {"logDriver": "awslogs",
                             "options": {"awslogs-group": "/ecs/web",
                                         "awslogs-region": "us-east-1"}}}]}
    ```

    ## Options
    Tell ecslint what the hosts enable with `host: logging-drivers` (a list).
    When it lists the driver there is nothing to report. When it is set and
    does not list the driver, the finding is an **error**: the agent does not
    register the driver, so no instance can take the task. Without the setting
    the finding is the rule's default, info.

    ## References
    - [LogConfiguration API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html)
    - [Amazon ECS container agent configuration](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html)
    """
    enabled = task.host.logging_drivers
    enabled_set = {d.lower() for d in enabled} if enabled is not None else None
    for container, path, driver in _log_drivers(task):
        if driver not in HOST_CONFIGURED:
            continue
        if enabled_set is None:
            yield Finding.at_value(
                path,
                f"container {container.label} uses the {driver} log driver; the Windows "
                "hosts must list it in ECS_AVAILABLE_LOGGING_DRIVERS",
            )
        elif driver not in enabled_set:
            yield Finding.at_value(
                path,
                f"container {container.label} uses the {driver} log driver, which the "
                f"configured hosts do not enable (ECS_AVAILABLE_LOGGING_DRIVERS: "
                f"{', '.join(enabled or ()) or 'empty'}); no instance can take the task",
                severity=Severity.ERROR,
            )
