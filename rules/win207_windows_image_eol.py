"""WIN207: an image built on an end-of-life Windows release."""

from collections.abc import Iterator

from ecslint.platform.windows import container_images, host_builds, image_build
from ecslint.rule import Applicability, Finding, Severity, TaskView, rule
from ecslint.rules._image_tags import retag_fix, sole_host


@rule(
    id="WIN207",
    name="windows-image-eol",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Image built on an end-of-life Windows release (1709 to 20H2)",
    fix_title="Rebuild the image on a supported LTSC release (ltsc2019, ltsc2022, ltsc2025) that "
        "matches the hosts.",
    fix=Applicability.UNSAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports an image whose Windows version is a Semi-Annual Channel release
    that has reached end of life: 1709, 1803, 1903, 1909, 2004 or 20H2 (the
    version comes from the tag, a full `10.0.NNNNN` build tag, or the
    configured image patterns and Dockerfiles).

    ## Why is this bad?
    Microsoft publishes no more security updates for these base images, and
    ECS has no current host for them: there are no ECS-optimized AMIs for
    1709, 1803, 1903 or 1909 any more, and the 2004 and 20H2 AMIs are
    deprecated. Under process isolation the image only runs on a host of the
    same end-of-life build.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_20H2_CORE"},
     "containerDefinitions": [
       {"name": "web", "image": "mcr.microsoft.com/windows/servercore:20H2",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "image": "mcr.microsoft.com/windows/servercore:ltsc2022",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Fix
    When the task's hosts run one known supported release and the image is
    one of Microsoft's whose tag names the release (`windows/servercore:20H2`,
    `dotnet/framework/aspnet:4.8-windowsservercore-1909`), the fix retags it
    to the hosts' release (`ltsc2022`), keeping the rest of the tag. Hosts
    that run the end-of-life release themselves, other images, and a
    release the repository does not publish get no fix. It is unsafe: the
    container moves to another Windows build, with its own behaviour.

    ## References
    - [Windows container base image lifecycle (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/base-image-lifecycle)
    - [Amazon ECS-optimized Windows AMIs](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_windows_AMI.html)
    """
    host = sole_host(host_builds(task))
    if host is not None and host.is_end_of_life:
        host = None  # a host of that release: nothing supported to move to
    for container, image in container_images(task):
        release, signal = image_build(image, task.host)
        if release is not None and release.is_end_of_life:
            yield Finding.at_value(
                container.path + ("image",),
                f"container {container.label} uses a {release.label} image ({signal}); "
                f"that release reached end of life on {release.end_of_support}",
                fix=retag_fix(container, image, release, host),
            )
