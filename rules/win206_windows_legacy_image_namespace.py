"""WIN206: an image from the retired Docker Hub microsoft/* namespace."""

import re
from collections.abc import Iterator

from ecslint.facts import table
from ecslint.platform.images import split_image
from ecslint.platform.windows import container_images
from ecslint.rule import Finding, Severity, TaskView, rule


@rule(
    id="WIN206",
    name="windows-legacy-image-namespace",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Image from the deprecated Docker Hub microsoft/* namespace",
    fix_title="Pull the image from mcr.microsoft.com (microsoft/windowsservercore -> "
        "mcr.microsoft.com/windows/servercore) with a tag that names the hosts' release.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports an image from the Docker Hub `microsoft/*` namespace
    (`microsoft/windowsservercore`, `microsoft/nanoserver`, `microsoft/iis`
    ...), with the Microsoft Container Registry repository that replaced it
    where one is known.

    ## Why is this bad?
    Microsoft moved its images to the Microsoft Container Registry
    (`mcr.microsoft.com`). The Docker Hub copies get no updates: their
    newest tags are Windows releases that reached end of life long ago
    (`1709`, `10.0.14393.*`), and their `latest` tag is no longer published.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
     "containerDefinitions": [
       {"name": "web", "image": "microsoft/iis", "cpu": 1024, "memory": 2048}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019",
        "cpu": 1024, "memory": 2048}]}
    ```

    ## References
    - [Windows container base images (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-base-images)
    - [Windows container version compatibility (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility)
    """
    legacy = table("windows-versions")["legacy_namespace"]
    pattern = re.compile(legacy["pattern"], re.IGNORECASE)
    for container, image in container_images(task):
        repository = split_image(image)[0]
        match = pattern.match(repository)
        if not match:
            continue
        short = "microsoft/" + repository[match.end():].lower()
        replacement = legacy["replacements"].get(short)
        hint = f"; its images moved to {replacement}" if replacement else ""
        yield Finding.at_value(
            container.path + ("image",),
            f"container {container.label} image {image!r} comes from the deprecated Docker Hub "
            f"microsoft/* namespace{hint}",
        )
