"""FG304: a Fargate task names a Windows operatingSystemFamily that Fargate does not run."""

from collections.abc import Iterator

from ecslint.facts import table
from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._fargate import fargate_task

FAMILY_PATH = ("runtimePlatform", "operatingSystemFamily")


@rule(
    id="FG304",
    name="fargate-windows-os-family",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Fargate task with a Windows operatingSystemFamily other than 2019 or 2022",
    fix_title="Use WINDOWS_SERVER_2019_* or WINDOWS_SERVER_2022_* (FULL or CORE) on Fargate, "
        "or run the task on EC2.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a task definition that targets FARGATE (alone or together with
    EC2) and whose `runtimePlatform.operatingSystemFamily` is a Windows value
    other than `WINDOWS_SERVER_2019_FULL`, `WINDOWS_SERVER_2019_CORE`,
    `WINDOWS_SERVER_2022_FULL` or `WINDOWS_SERVER_2022_CORE`.
    `WINDOWS_SERVER_2016_FULL`, `WINDOWS_SERVER_2004_CORE` and
    `WINDOWS_SERVER_20H2_CORE` are errors. Windows Server 2025 is reported as
    a warning only, because the sources disagree: the Fargate task definition
    parameters page lists `WINDOWS_SERVER_2025_FULL` and `_CORE`, while the
    Fargate Windows platform version page still names only 2019 and 2022 and
    the public request for Windows Server 2025 on Fargate
    (aws/containers-roadmap#2754) was open and unanswered in mid-2026.

    ## Why is this bad?
    Fargate runs Windows tasks on Windows Server 2019 and 2022 only (Full and
    Core). The older values exist in the API for EC2 and ECS Anywhere hosts;
    on Fargate the task definition fails validation or the task cannot be
    placed.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1024", "memory": "2048",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2016_FULL"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2016"}]}
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
    - [Fargate Windows platform versions](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-windows-fargate.html)
    - [Amazon ECS task definition parameters for Fargate: runtime platform](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    - [RuntimePlatform API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html)
    """
    if not fargate_task(task):
        return
    runtime = task.data.get("runtimePlatform")
    family = runtime.get("operatingSystemFamily") if isinstance(runtime, dict) else None
    if not isinstance(family, str) or is_unresolved(family):
        return
    wanted = family.strip().upper()
    if not wanted.startswith("WINDOWS"):
        return
    entries = {e["family"]: e for e in table("fargate-os-families")["families"]}
    entry = entries.get(wanted)
    status = entry["fargate"] if entry is not None else "unsupported"
    if status == "supported":
        return
    supported = [f for f, e in entries.items() if e["fargate"] == "supported"]
    offered = ", ".join(supported[:-1]) + f" or {supported[-1]}"
    if status == "conflicting":
        yield Finding.at_value(
            FAMILY_PATH,
            f"task {task.label} targets FARGATE with {family!r}; AWS sources disagree on "
            f"whether Fargate runs it yet (it certainly runs {offered})",
            severity=Severity.WARNING,
        )
    else:
        yield Finding.at_value(
            FAMILY_PATH,
            f"task {task.label} targets FARGATE with {family!r}, which Fargate does not run; "
            f"use {offered}",
        )
