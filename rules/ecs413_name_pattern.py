"""ECS413: a family, container or volume name outside 1-255 letters, digits, _ and -."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ecslint.rule import Finding, Path, Severity, TaskView, is_unresolved, quoted, rule
from ecslint.rules._ecs import limits, mappings

_ALLOWED = re.compile(r"[A-Za-z0-9_-]")


@rule(
    id="ECS413",
    name="name-pattern",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Family, container or volume name is not 1-255 letters, digits, hyphens, underscores",
    fix_title="Use only letters, digits, hyphens and underscores, at most 255 of them.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Checks the task `family`, each container `name` and each volume `name`
    against the API's rule: 1 to 255 characters, each a letter, a digit, a
    hyphen or an underscore. The message names the characters that are not
    allowed (a space, a dot, a slash...). The finding sits on the name (this
    rule replaces E002's generic pattern message there). Names only
    CloudFormation knows are skipped, and a template may omit `Family`
    (CloudFormation then generates one). A name holding a placeholder is an
    unknown value, not a violation, since a tool or a person fills it in
    before registering: template variables (`${ENV}-web`, `$FAMILY`,
    `{{ service.name }}`) and names left to fill in (`<TASK_NAME>`,
    `<your-family>`, `{INSERT SERVICE NAME}`, `{SERVICE_NAME}-sidecar`).

    ## Why is this bad?
    The API rejects the task definition. Dots and slashes are a common slip
    when a family is derived from a domain or repository name
    (`web.example.com`, `team/api`).

    ## Example
    ```json
    {"family": "web.example.com",
     "containerDefinitions": [{"name": "web app", "image": "nginx", "memory": 256}]}
    ```

    ## Use instead
    ```json
    {"family": "web-example-com",
     "containerDefinitions": [{"name": "web-app", "image": "nginx", "memory": 256}]}
    ```

    ## References
    - [RegisterTaskDefinition: family (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    - [ContainerDefinition: name (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Volume: name (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html)
    """
    spec = limits()["namePattern"]
    pattern, longest = re.compile(spec["pattern"]), spec["maxLength"]
    if task.task_fields_known:
        yield from _name(task.data.get("family"), ("family",), "family", pattern, longest)
        for i, volume in mappings(task.data.get("volumes")):
            yield from _name(volume.get("name"), ("volumes", i, "name"), "volume name",
                             pattern, longest)
    for container in task.containers:
        yield from _name(container.data.get("name"), container.path + ("name",),
                         "container name", pattern, longest)


def _name(value: Any, path: Path, what: str, pattern: re.Pattern[str],
          longest: int) -> Iterator[Finding]:
    if not isinstance(value, str) or is_unresolved(value) or pattern.fullmatch(value):
        return
    shown = quoted(value, 60)
    bad = sorted({ch for ch in value if not _ALLOWED.match(ch)})
    if not value:
        problem = "is empty"
    elif bad:
        problem = "contains " + ", ".join(repr(ch) for ch in bad[:5])
        if len(value) > longest:
            problem += f" and is {len(value)} characters long"
    else:
        problem = f"is {len(value)} characters long"
    yield Finding.at_value(
        path,
        f"{what} {shown} {problem}; names may hold only 1 to {longest} letters, digits, "
        "hyphens and underscores")
