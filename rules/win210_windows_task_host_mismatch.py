"""WIN210: the task names a Windows release (or edition) the configured hosts do not run."""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.platform.windows import (
    Release,
    container_images,
    image_build,
    os_families,
    os_reason,
    parse_release,
)
from ecslint.rule import (
    Applicability,
    AppliesTo,
    Finding,
    Fix,
    ReplaceText,
    SetValue,
    Severity,
    TaskView,
    is_unresolved,
    quoted,
    rule,
)
from ecslint.rules._image_tags import retag_fix
from ecslint.rules._windows_host import FAMILY_PATH, family_constraints


@rule(
    id="WIN210",
    name="windows-task-host-mismatch",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Task names a Windows release other than the configured hosts'",
    fix_title="Set operatingSystemFamily (or the ecs.os-family constraint) to the hosts' release "
        "and edition, or run the task on hosts of the release it names.",
    applies_to=AppliesTo.WINDOWS_EC2,
    fix=Applicability.UNSAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a Windows task for EC2 or EXTERNAL whose
    `runtimePlatform.operatingSystemFamily`, or whose `memberOf` placement
    constraint on `ecs.os-family`, names a Windows release other than the
    configured hosts'. When the configured hosts name an edition too
    (`WINDOWS_SERVER_2022_CORE`, or an ECS-optimized AMI name), a task that
    asks for the other edition is reported as well; a bare release (`2022`)
    matches both editions. The finding sits on the family value.

    ## Why is this bad?
    Each Windows container instance advertises its release and edition in the
    `ecs.os-family` attribute (`WINDOWS_SERVER_2019_FULL`,
    `WINDOWS_SERVER_2022_CORE` ...), and ECS places a task that names a family
    only on instances that advertise it. A task that asks for
    `WINDOWS_SERVER_2019_FULL` in a cluster of 2022 hosts is placed on none of
    them: with a `memberOf` constraint it stays `PENDING` ("MemberOf placement
    constraint unsatisfied"). This is the question behind
    `ecslint aws --windows-host 2022`: which tasks break when the hosts move.

    ## Example
    ```yaml
    Parameters:
      WindowsAmi:
        Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
        Default: >-
          /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id
    Resources:
      Hosts:
        Type: AWS::EC2::LaunchTemplate
        Properties:
          LaunchTemplateData:
            ImageId: !Ref WindowsAmi
      Web:
        Type: AWS::ECS::TaskDefinition
        Properties:
          Family: web
          RuntimePlatform:
            OperatingSystemFamily: WINDOWS_SERVER_2019_FULL
          ContainerDefinitions:
            - Name: web
              Image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019
              Cpu: 1024
              Memory: 2048
    ```

    ## Use instead
    ```yaml
    Parameters:
      WindowsAmi:
        Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
        Default: >-
          /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id
    Resources:
      Hosts:
        Type: AWS::EC2::LaunchTemplate
        Properties:
          LaunchTemplateData:
            ImageId: !Ref WindowsAmi
      Web:
        Type: AWS::ECS::TaskDefinition
        Properties:
          Family: web
          RuntimePlatform:
            OperatingSystemFamily: WINDOWS_SERVER_2022_FULL
          ContainerDefinitions:
            - Name: web
              Image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
              Cpu: 1024
              Memory: 2048
    ```

    The Example is a template whose container instances run the Windows
    Server 2022 ECS-optimized AMI and whose task asks for 2019 hosts; the
    same holds with `--windows-host 2022` (or `host: windows-version: "2022"`
    in the configuration) for a task definition in JSON.

    ## Options
    The hosts come, in order of precedence, from `--windows-host` on the
    command line, from `host: windows-version` in the configuration file, or
    from the container instances of the same CloudFormation template (their
    ECS-optimized Windows AMI). Without any of them the rule is silent.

    ## Fix
    The fix sets `operatingSystemFamily` (or a constraint that names a
    single `ecs.os-family`) to the hosts' family: their release with their
    edition when the configuration names one, else the edition the task
    asked for (`WINDOWS_SERVER_2019_FULL` becomes `WINDOWS_SERVER_2022_FULL`
    on 2022 hosts), or the release's only edition (2016 is FULL only). A
    constraint listing several families, or a value read from a parameter
    or variable, is left alone. The same fix retags Microsoft's images of
    another release to the hosts' (as WIN201's fix does: the task and its
    images move together); other images are left to their owner. It is
    unsafe: the task then runs on another Windows release.

    ## References
    - [Amazon ECS task placement constraints (ecs.os-family)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html)
    - [aws/amazon-ecs-agent PR #3044: the os-family attribute for fine-grained task placement](https://github.com/aws/amazon-ecs-agent/pull/3044)
    """
    platform, host = task.platform, task.host
    if platform.on_fargate:
        return
    configured = parse_release(host.windows_release) if host.windows_release else None
    if configured is None:
        return
    edition = host.windows_edition.upper() if host.windows_edition else None
    hosts = f"{configured.title}{f' {edition.title()}' if edition else ''} hosts " \
            f"({host.windows_source or 'the configuration'})"
    runtime = task.data.get("runtimePlatform")
    family = runtime.get("operatingSystemFamily") if isinstance(runtime, dict) else None
    if isinstance(family, str) and _matches(family, configured, edition) is False:
        wanted = _host_family(family, configured, edition)
        yield Finding.at_value(
            FAMILY_PATH,
            f"{os_reason(task) if platform.os_source == 'runtimePlatform' else quoted(family)} "
            f"does not match the {hosts}; "
            "ECS places the task only on instances of that family, so on none of them",
            fix=None if wanted is None else _fix(
                task, configured, f"Set operatingSystemFamily to {wanted}",
                SetValue(FAMILY_PATH, wanted)),
        )
    seen = set()
    for index, values in family_constraints(task.data.get("placementConstraints")):
        if index in seen or not all(_matches(v, configured, edition) is False for v in values):
            continue
        seen.add(index)
        path = ("placementConstraints", index, "expression")
        wanted = _host_family(values[0], configured, edition) if len(values) == 1 else None
        yield Finding.at_value(
            path,
            f"the placement constraint asks for ecs.os-family {', '.join(values)}, which does "
            f"not match the {hosts}; the task stays PENDING "
            "(MemberOf placement constraint unsatisfied)",
            fix=None if wanted is None else _fix(
                task, configured, f"Ask for ecs.os-family {wanted}",
                ReplaceText(path, values[0], wanted)),
        )


def _matches(family: str, configured: Release, edition: str | None) -> bool | None:
    """Whether the hosts advertise ``family``; ``None`` when it names no Windows
    release ecslint knows (``LINUX``, a placeholder, a typo)."""
    if is_unresolved(family):
        return None
    value = family.strip().upper()
    release = parse_release(value) if value.startswith("WINDOWS_SERVER_") else None
    if release is None:
        return None
    if release.build != configured.build:
        return False
    return edition is None or value.rsplit("_", 1)[-1] == edition


def _fix(task: TaskView, configured: Release, title: str,
         operation: SetValue | ReplaceText) -> Fix:
    """``operation``, and the retagging of each Microsoft image of another release to
    the hosts' (WIN201's fix, which it cannot offer while the task names a release
    other than the hosts'): the task and its images move together."""
    retags = [op for container, image in container_images(task)
              for release in [image_build(image, task.host)[0]] if release is not None
              for fix in [retag_fix(container, image, release, configured)] if fix is not None
              for op in fix.operations]
    if retags:
        title += f" and retag {len(retags)} Microsoft image{'s' if len(retags) > 1 else ''}"
    return Fix(title, (operation, *retags))


def _host_family(family: str, configured: Release, edition: str | None) -> str | None:
    """The operatingSystemFamily of the configured hosts: their edition, else the one
    ``family`` names, else their release's only one; ``None`` when that is unclear."""
    offered = [name for name, (release, _) in os_families().items()
               if release == configured.name]
    kept = edition or family.strip().upper().rsplit("_", 1)[-1]
    wanted = f"WINDOWS_SERVER_{configured.name}_{kept}".upper()
    if wanted in offered:
        return wanted
    return offered[0] if len(offered) == 1 and edition is None else None
