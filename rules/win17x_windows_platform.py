"""WIN170-WIN174: the Windows platform a task asks for: its CPU architecture, its launch
type and the release of its hosts."""

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ecslint.facts import table
from ecslint.platform.windows import parse_release
from ecslint.rule import AppliesTo, Finding, Path, Severity, TaskView, is_unresolved, rule
from ecslint.rules._windows_host import (
    FAMILY_PATH,
    HostFamily,
    constraints_pin_os,
    host_families,
    placement_pinned,
)

if TYPE_CHECKING:
    from ecslint.facts.tables import LifecycleEntry
    from ecslint.hosts import Placement

_ARCH_PATH: Path = ("runtimePlatform", "cpuArchitecture")
# WINDOWS_SERVER_2016_FULL is the only 2016 operatingSystemFamily value (API_RuntimePlatform).
_WS2016 = "WINDOWS_SERVER_2016_FULL"


def _lifecycle() -> dict[str, "LifecycleEntry"]:
    return table("windows-host-lifecycle")["families"]


def _named(found: HostFamily) -> str:
    return found.family or f"Windows Server {found.release}"


def _at(found: HostFamily, message: str) -> Finding:
    """A finding on the value that names the family; a configured host is named in no
    file, so its finding sits on the task as a whole."""
    if found.path is None:
        return Finding.at_key((), message)
    return Finding.at_value(found.path, message)


@rule(
    id="WIN170",
    name="windows-arm64",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows task with cpuArchitecture ARM64",
    fix_title="Set cpuArchitecture to X86_64 (or omit it) for Windows tasks.",
    applies_to=AppliesTo.WINDOWS,
)
def check_arm64(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `runtimePlatform.cpuArchitecture: ARM64` in a Windows task.

    ## Why is this bad?
    ARM64 is available only for Linux tasks (EC2 Linux, Fargate Linux, Managed
    Instances). Windows tasks run on X86_64 only, on EC2 and on Fargate, so the
    task cannot be registered or placed
    ([RuntimePlatform API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html),
    [Fargate Windows considerations](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate.html)).

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE",
                         "cpuArchitecture": "ARM64"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE",
                         "cpuArchitecture": "X86_64"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## References
    - [RuntimePlatform API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html)
    """
    runtime = task.data.get("runtimePlatform")
    if not isinstance(runtime, dict):
        return
    arch = runtime.get("cpuArchitecture")
    if isinstance(arch, str) and not is_unresolved(arch) and arch.strip().upper() == "ARM64":
        yield Finding.at_value(
            _ARCH_PATH,
            f"cpuArchitecture {arch!r} in a Windows task ({task.platform.os_signal}); "
            "Windows tasks run on X86_64 only",
            related=[FAMILY_PATH] if "operatingSystemFamily" in runtime else [],
        )


@rule(
    id="WIN171",
    name="windows-managed-instances",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows task requires MANAGED_INSTANCES",
    fix_title="Run Windows tasks on EC2 (or EXTERNAL, or Fargate for 2019/2022) and drop "
        "MANAGED_INSTANCES.",
    applies_to=AppliesTo.WINDOWS,
)
def check_managed_instances(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `MANAGED_INSTANCES` in `requiresCompatibilities` of a Windows task.

    ## Why is this bad?
    Amazon ECS Managed Instances run AWS-managed Linux instances: the
    Developer Guide says "Amazon ECS Managed Instances support Linux
    containers"
    ([Amazon ECS Managed Instances](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ManagedInstances.html)),
    and AWS Batch on Managed Instances accepts only
    `operatingSystemFamily: LINUX`. A Windows task has no capacity there, so
    it is never placed.

    ## Example
    ```json
    {"family": "web",
     "requiresCompatibilities": ["MANAGED_INSTANCES"], "networkMode": "awsvpc",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "requiresCompatibilities": ["EC2"], "networkMode": "awsvpc",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## References
    - [Amazon ECS Managed Instances](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ManagedInstances.html)
    - [Task definition parameters for Amazon ECS Managed Instances](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters-managed-instances.html)
    """
    requires = task.data.get("requiresCompatibilities")
    for index, value in enumerate(requires if isinstance(requires, list) else []):
        if isinstance(value, str) and value.strip().upper() == "MANAGED_INSTANCES":
            yield Finding.at_value(
                ("requiresCompatibilities", index),
                f"a Windows task ({task.platform.os_signal}) requires MANAGED_INSTANCES, "
                "which runs Linux instances only",
            )


@rule(
    id="WIN172",
    name="windows-2016-deprecated",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Task targets Windows Server 2016 hosts",
    fix_title="Move to WINDOWS_SERVER_2019 or 2022 (FULL or CORE) hosts and matching images.",
)
def check_2016(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `WINDOWS_SERVER_2016_FULL` where it chooses the host: in
    `runtimePlatform.operatingSystemFamily`, in a `memberOf` placement
    constraint on `ecs.os-family`, or, for a Windows task on EC2 with neither,
    in the configured hosts (`host: windows-version`; that finding sits on the
    task).

    ## Why is this bad?
    The Windows Server 2016 ECS-optimized AMI is still published but frozen on
    Docker 20.10.23 with no Docker runtime patches, and AWS recommends moving to
    2019 or 2022. It cannot run awsvpc tasks, ECS Exec or FSx for Windows File
    Server volumes
    ([Amazon ECS-optimized Windows AMI versions](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-windows-ami-versions.html)),
    and Microsoft's extended support for Windows Server 2016 ends on
    2027-01-12
    ([Windows Server 2016 lifecycle](https://learn.microsoft.com/lifecycle/products/windows-server-2016));
    the message says "ends" or "ended" by the date of the run (set
    `ECSLINT_TODAY=YYYY-MM-DD` to pin that date in CI).

    The configured hosts come, in order of precedence, from `--windows-host`,
    from `host: windows-version` in the configuration file, or from the
    container instances of the same CloudFormation template; the message
    names the source.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2016_FULL"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2016",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## References
    - [Amazon ECS-optimized Windows AMI versions](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-windows-ami-versions.html)
    - [Windows Server 2016 lifecycle (Microsoft)](https://learn.microsoft.com/lifecycle/products/windows-server-2016)
    """
    facts = _lifecycle()[_WS2016]
    release = parse_release(_WS2016)
    seen: set[Path | None] = set()
    for found in host_families(task):
        if release is None or found.release != release.name or found.path in seen:
            continue
        seen.add(found.path)
        yield _at(found, (
            f"{_named(found)} ({found.origin}) is deprecated: its ECS-optimized AMI is frozen "
            f"on Docker {facts['docker']} with {facts['limits']}, and extended support "
            f"{'ended' if release.is_end_of_life else 'ends'} {release.end_of_support}"
        ))


@rule(
    id="WIN173",
    name="windows-sac-eol",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Task targets an end-of-life Windows Server SAC release (2004, 20H2)",
    fix_title="Move to WINDOWS_SERVER_2022 (FULL or CORE) hosts and ltsc2022 images.",
)
def check_sac_eol(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `WINDOWS_SERVER_2004_CORE` or `WINDOWS_SERVER_20H2_CORE` where it
    chooses the host: in `runtimePlatform.operatingSystemFamily`, in a
    `memberOf` placement constraint on `ecs.os-family`, or, for a Windows task on
    EC2 with neither, in the configured hosts (that finding sits on the task).

    ## Why is this bad?
    Windows Server 2004 and 20H2 were Semi-Annual Channel releases. Microsoft
    ended their support on 2021-12-14 and 2022-08-09; their ECS-optimized AMIs are
    deprecated and get no new versions
    ([Windows container base image lifecycle](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/base-image-lifecycle),
    [Amazon ECS-optimized Windows AMIs](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_windows_AMI.html)).
    Hosts and images get no security updates.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_20H2_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore:20H2",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore:ltsc2022",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## References
    - [Windows container base image lifecycle (Microsoft Learn)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/base-image-lifecycle)
    - [Amazon ECS-optimized Windows AMIs](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_windows_AMI.html)
    """
    seen: set[Path | None] = set()
    for found in host_families(task):
        release = parse_release(found.release)
        if release is None or release.channel != "SAC" or not release.is_end_of_life:
            continue
        if found.path in seen:
            continue
        seen.add(found.path)
        yield _at(found, (
            f"{_named(found)} ({found.origin}) is an end-of-life Semi-Annual Channel release "
            f"(support ended {release.end_of_support})"
        ))


@rule(
    id="WIN174",
    name="windows-placement-unpinned",
    severity=Severity.INFO,
    since="0.1.0",
    summary="Windows task on EC2 does not pin its placement to Windows hosts",
    fix_title="Set runtimePlatform.operatingSystemFamily, or add a memberOf placement constraint "
        "on ecs.os-family (or ecs.os-type == windows).",
    applies_to=AppliesTo.WINDOWS_EC2,
)
def check_placement_unpinned(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a Windows task for EC2 or EXTERNAL that has neither
    `runtimePlatform.operatingSystemFamily` nor a `memberOf` placement
    constraint on `ecs.os-family` or `ecs.os-type`. A bare list of container
    definitions is not reported, since its task-level fields are elsewhere.

    ## Why is this bad?
    Windows containers cannot run on Linux instances, and a Windows image runs
    only on a host of the same Windows build. Without runtimePlatform or an
    `ecs.os-family`/`ecs.os-type` constraint, ECS may place the task on any
    instance of the cluster, and the task fails there. AWS advises separate
    clusters or these constraints
    ([Amazon ECS task placement constraints](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html)).
    Advice only: a
    cluster with a single Windows version is safe.

    With the cluster's real hosts known (`ecslint aws --cluster`), the rule
    says so exactly: a cluster whose instances all run one Windows family is
    not reported; a mixed one is a warning naming how many instances of each
    family it has, unless the service's own placement constraints pin the OS.

    ## Example
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "placementConstraints": [
       {"type": "memberOf",
        "expression": "attribute:ecs.os-family == WINDOWS_SERVER_2022_CORE"}],
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024}]}
    ```

    ## References
    - [Amazon ECS task placement constraints](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html)
    - [Amazon ECS task definition parameters (runtimePlatform)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    """
    if not task.task_fields_known or placement_pinned(task):
        return
    hosts = task.host.placement
    if hosts is not None:
        yield from _mixed_cluster(task, hosts)
        return
    yield Finding.at_key(
        (),
        f"Windows task {task.label} ({task.platform.os_signal}) names no operatingSystemFamily "
        "and no ecs.os-family or ecs.os-type placement constraint; ECS may place it on a "
        "Linux instance or a host of another Windows build",
    )


def _mixed_cluster(task: TaskView, hosts: "Placement") -> Iterator[Finding]:
    """WIN174 against the cluster's real instances: only when they run more than one
    OS family and the service does not pin it either."""
    if hosts.service is not None and constraints_pin_os(list(hosts.service.placement_constraints)):
        return
    counts = Counter(i.os_family or i.os_type or "unknown OS" for i in hosts.instances)
    if len(counts) < 2:
        return
    counted = ", ".join(f"{count} {family}" for family, count in sorted(counts.items()))
    yield Finding.at_key(
        (),
        f"Windows task {task.label} ({task.platform.os_signal}) names no operatingSystemFamily "
        f"and no ecs.os-family or ecs.os-type placement constraint, and cluster "
        f"{hosts.cluster!r} mixes its instances ({counted}): ECS may place it on one it "
        f"cannot run on",
        severity=Severity.WARNING,
    )
