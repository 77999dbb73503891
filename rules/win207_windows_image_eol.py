"""WIN207: an image built on an end-of-life Windows release."""

from collections.abc import Iterator

from ecslint.platform.windows import container_images, image_build
from ecslint.rule import Finding, Severity, TaskView, rule


@rule(
    id="WIN207",
    name="windows-image-eol",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Image built on an end-of-life Windows release (1709 to 20H2)",
    fix_title="Rebuild the image on a supported LTSC release (ltsc2019, ltsc2022, ltsc2025) that "
        "matches the hosts.",
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

    ## References
    - [Windows container base image lifecycle (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/base-image-lifecycle)
    - [Amazon ECS-optimized Windows AMIs](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_windows_AMI.html)
    """
    for container, image in container_images(task):
        release, signal = image_build(image, task.host)
        if release is not None and release.is_end_of_life:
            yield Finding.at_value(
                container.path + ("image",),
                f"container {container.label} uses a {release.label} image ({signal}); "
                f"that release reached end of life on {release.end_of_support}",
            )
