"""WIN201: a container image's Windows build differs from the host's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ecslint.platform.windows import (
    Release,
    build_release,
    compatibility,
    container_images,
    docker_pick,
    host_builds,
    image_build,
    offered_builds,
    registry_answer,
)
from ecslint.rule import Applicability, Container, Finding, Severity, TaskView, rule
from ecslint.rules._image_tags import retag_fix, sole_host

if TYPE_CHECKING:
    from ecslint.distribution.resolution import Resolved


@rule(
    id="WIN201",
    name="windows-image-host-mismatch",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows image built on another Windows build than the task's hosts",
    fix_title=("Use the image tag for the host's release (ltsc2022 on a "
               "WINDOWS_SERVER_2022_* host), "
               "or change operatingSystemFamily / the hosts to the image's release."),
    fix=Applicability.UNSAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container whose image is built on a different Windows build
    than the hosts of its task. The host build comes from
    `runtimePlatform.operatingSystemFamily`, a `memberOf` constraint naming
    one `ecs.os-family`, or the configured hosts; for a task on EC2 or
    EXTERNAL each image is also compared with the configured hosts, since
    those are the hosts the task runs on, and the message names the source
    of the host build. The image build comes from a configured image
    pattern or the Dockerfile that builds it, a full `10.0.NNNNN` tag, or a
    version token in the tag (`ltsc2019`, `1809`, `ltsc2022`, `20H2` ...).
    Tasks whose host or image build cannot be determined are skipped (see
    WIN209).

    With `--resolve-images` the registry says the build: a single image's
    config `os.version` comes before any configuration or tag. A
    multi-platform tag is judged as Docker pulls it on the hosts: moby skips
    the variants newer than the host, prefers one of the host's build, and
    otherwise takes the first remaining one in the list's order. So a tag
    that offers the host's build is fine (WIN205 says to pin it); one whose
    variants are all older pulls an image process isolation refuses; one
    whose variants are all newer fails to pull ("no matching manifest").

    ## Why is this bad?
    ECS runs Windows containers with process isolation only, and Windows
    blocks a process-isolated container whose base image build differs from
    the host's ("The operating system of the container does not match the
    operating system of the host"). The classic mistake is an `ltsc2019` or
    `1809` image on a Windows Server 2022 host: the task never starts.

    One case is uncertain and reported as a warning: an `ltsc2022` image on a
    Windows Server 2025 host. Microsoft's compatibility table allows it under
    process isolation, while the same page's prose and the AWS documentation
    say the builds must match. On Windows Server 2016 hosts the revision
    must match too; tags rarely say it, so that is not checked.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Options
    The Windows version of the EC2 hosts comes, in order of precedence, from
    `--windows-host` on the command line, from `host: windows-version` in the
    configuration file, or from the container instances of the same
    CloudFormation template (their ECS-optimized AMI). With `ecslint aws
    --cluster` the real container instances the task can land on come
    first (`--windows-host` then asks "what if they ran that release");
    when they run several releases, the image must match each, and the
    finding says how many instances run the release it does not match.
    `images` maps private image patterns to a `windows-version` or to the
    `dockerfile` that builds them.

    ## Fix
    For Microsoft's own images (`windows/servercore`, `windows/nanoserver`,
    `windows/server`, `windows`, `windows/servercore/iis` and
    `dotnet/framework/{runtime,aspnet,sdk,wcf}`) the fix swaps the Windows
    token of the tag for the hosts' (`ltsc2019` or `1809` to `ltsc2022`),
    keeping the rest of the tag, when the hosts run one known release and the
    repository publishes that tag (Nano Server has no 2016 image and uses
    `1809` for 2019). .NET Framework 4.8 images stop at 2019 and 4.8.1, its
    in-place update, takes over on 2022 and 2025 (Microsoft's supported tags
    since October 2025): there the fix moves a 4.8 image to 4.8.1 and its
    title says so; retired 3.5 and 4.7.2 images get no fix. It offers
    nothing for other images (a private image built FROM servercore names its
    base nowhere in its tag), for digests, KB or dated
    tags, or for hosts of several releases. It is unsafe: the container then
    runs another Windows build, whose behaviour and patches differ.

    ## References
    - [Windows container version compatibility (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility)
    - [Amazon ECS Windows containers](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS_Windows.html)
    - [Amazon ECS task placement constraints (ecs.os-family)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html)
    - [How Docker picks a Windows image from a manifest list (moby, distribution/pull_v2_windows.go)](https://github.com/moby/moby/blob/master/distribution/pull_v2_windows.go)
    """
    hosts = host_builds(task)
    for container, image in container_images(task):
        release, signal = image_build(image, task.host)
        if release is None:
            answer = registry_answer(image, task.host)
            if answer is not None and len(offered_builds(answer)) > 1:
                yield from _multi_platform(container, answer, hosts)
            continue
        for host, host_signal in hosts:
            verdict = compatibility(host, release)
            if verdict is None:
                continue
            severity, note = verdict
            yield Finding.at_value(
                container.path + ("image",),
                f"container {container.label} uses a {release.label} image ({signal}) but "
                f"the task runs on {host.label} hosts ({host_signal}); {note}",
                severity=Severity(severity),
                fix=retag_fix(container, image, release, sole_host(hosts)),
            )
            break


def _multi_platform(container: Container, answer: Resolved,
                    hosts: list[tuple[Release, str]]) -> Iterator[Finding]:
    """A multi-platform tag, as Docker pulls it on each host: the variant of the
    host's build, else the first older one (which then may not start), else none."""
    builds = offered_builds(answer)
    for host, host_signal in hosts:
        pick = docker_pick(builds, host.build)
        if pick == host.build:
            continue
        offer = (f"container {container.label} uses a multi-platform image offering Windows "
                 f"builds {', '.join(map(str, builds))} ({answer.source}), none of them the "
                 f"build of the task's {host.label} hosts ({host_signal})")
        if pick is None:
            yield Finding.at_value(
                container.path + ("image",),
                f"{offer}; every one is newer than the host, so the pull fails with 'no "
                f"matching manifest'")
            return
        verdict = compatibility(host, build_release(pick))
        if verdict is not None:
            severity, note = verdict
            yield Finding.at_value(
                container.path + ("image",),
                f"{offer}; Docker pulls the build {pick} image: {note}",
                severity=Severity(severity))
            return
