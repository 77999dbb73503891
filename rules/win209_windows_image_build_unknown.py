"""WIN209: the Windows build of a Windows task's image cannot be determined."""

from collections.abc import Iterator

from ecslint.platform.windows import (
    container_images,
    image_build,
    is_linux_image,
    registry_answer,
)
from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule


@rule(
    id="WIN209",
    name="windows-image-build-unknown",
    severity=Severity.INFO,
    since="0.1.0",
    summary="Windows task container whose image build cannot be determined",
    fix_title="Tag the image with its Windows release (e.g. app:1.4-ltsc2022), or map its pattern "
        "to a windows-version or a dockerfile under images: in the configuration.",
    default=False,
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports each container of a Windows task whose image's Windows build
    ecslint cannot determine: no version token in the tag, no configured
    image pattern, or a Dockerfile that cannot be read or resolved. The
    message says why. Images that are clearly Linux are left to WIN204.
    Disabled by default: enable it to find the images that WIN201 and WIN202
    cannot check.

    ## Why is this bad?
    An image's Windows build must match its host's under process isolation,
    the only isolation ECS uses. Private images rarely say their build in the
    tag, so a mismatch shows up only when the task fails to start.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4-ltsc2022",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## Options
    `images` in the configuration maps image patterns to a `windows-version`
    or to the `dockerfile` that builds them.

    ## References
    - [Windows container version compatibility (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility)
    - [Amazon ECS Windows containers](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS_Windows.html)
    """
    for container, image in container_images(task):
        if is_linux_image(image):
            continue
        release, signal = image_build(image, task.host)
        answer = registry_answer(image, task.host)
        if release is None and answer is None:  # the registry's answer says more
            yield Finding.at_value(
                container.path + ("image",),
                f"the Windows build of container {container.label} image {image!r} is "
                f"unknown: {signal}",
            )
