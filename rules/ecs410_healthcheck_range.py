"""ECS410: a health check value outside its range, or a command without CMD / CMD-SHELL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ecslint.rule import Container, Finding, Severity, TaskView, is_unresolved, quoted, rule
from ecslint.rules._ecs import as_int, limits

_FIELDS = ("interval", "timeout", "retries", "startPeriod")
# "CMD-SHELL curl ..." or "CMD-SHELL, curl ..." (the console's comma form pasted as one element).
_JOINED = re.compile(r"^\s*(CMD-SHELL|CMD)(?:\s*,\s*|\s+)\S")


@rule(
    id="ECS410",
    name="healthcheck-range",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="healthCheck interval/timeout/retries/startPeriod out of range, or a bad command type",
    fix_title=("Keep interval 5-300, timeout 2-60, retries 1-10, startPeriod 0-300; "
               "start with CMD or "
               "CMD-SHELL."),
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Checks each container's `healthCheck`:
    - `interval` 5 to 300 seconds, `timeout` 2 to 60 seconds, `retries` 1 to
      10, `startPeriod` 0 to 300 seconds;
    - `command` starts with `CMD` (run the arguments directly) or `CMD-SHELL`
      (run the command with the container's default shell: `/bin/sh` on
      Linux images, `cmd.exe` on Windows images). Docker's `NONE` is not
      among the values ECS documents; to have no health check, omit
      `healthCheck`. A first element such as `"CMD-SHELL curl -f ..."`, which
      glues the type to the command, is reported with that explanation.

    The finding sits on the offending value (this rule replaces E002's generic
    range message there). Values of the wrong type are E002's; values only
    CloudFormation knows are skipped.

    ## Why is this bad?
    The API rejects a health check outside these ranges. A first element that
    glues the type to the command (`"CMD-SHELL curl ..."`, or the console's
    `"CMD-SHELL, curl ..."` pasted into JSON) or misspells it (`cmd-shell`)
    cannot run: Docker knows only `CMD`, `CMD-SHELL` and `NONE`, so the
    container is never reported healthy and a `dependsOn` with `HEALTHY` waits
    forever.

    Uncertain, so reported as a **warning**: a command that starts with a
    program (`["/healthcheck"]`, `["powershell", "-c", ...]`) or with `NONE`.
    The API reference says the array *must* start with `CMD` or `CMD-SHELL`,
    but ECS registers such commands, and AWS's own examples (the ADOT
    collector's `["/healthcheck"]`, an ECS agent Windows test) use them; what
    ECS runs then is not documented. Writing `CMD` first is always safe.

    ## Example
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256,
        "healthCheck": {"command": ["CMD-SHELL curl -f http://localhost/ || exit 1"],
                        "interval": 2, "timeout": 90}}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256,
        "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                        "interval": 10, "timeout": 5}}]}
    ```

    ## References
    - [HealthCheck (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html)
    - [Determine Amazon ECS task health using container health checks](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html)
    """
    ranges = limits()["healthCheck"]
    for container in task.containers:
        health = container.data.get("healthCheck")
        if not isinstance(health, dict):
            continue
        for field in _FIELDS:
            value = as_int(health.get(field))
            low, high, unit = ranges[field]["min"], ranges[field]["max"], ranges[field]["unit"]
            if value is not None and not low <= value <= high:
                yield Finding.at_value(
                    container.path + ("healthCheck", field),
                    f"container {container.label} sets healthCheck.{field} to {value}; "
                    f"ECS accepts {low} to {high} {unit}")
        yield from _command(container, health.get("command"),
                            tuple(ranges["commandTypes"]["values"]))


def _command(container: Container, command: Any, types: tuple[str, ...]) -> Iterator[Finding]:
    if not isinstance(command, list) or is_unresolved(command):
        return
    path = container.path + ("healthCheck", "command")
    who = container.label
    if not command:
        yield Finding.at_value(path, f"container {who} has an empty healthCheck command; it must "
                                     "start with CMD or CMD-SHELL")
        return
    first = command[0]
    if not isinstance(first, str) or is_unresolved(first) or first in types:
        return
    joined = _JOINED.match(first)
    shown = quoted(first, 40)
    severity = None
    if joined and joined.group(1) in types:
        detail = (f"the first element {shown} joins {joined.group(1)!r} and the command; "
                  f"make {joined.group(1)!r} an element of its own")
    elif first.strip().upper() in types:
        detail = f"the first element {first!r} must be written {first.strip().upper()!r}"
    elif first.strip().upper() == "NONE":
        detail = "NONE is not a type ECS documents; omit healthCheck to have no health check"
        severity = Severity.WARNING
    else:
        # ECS registers such a command, and tasks in the wild use one; what runs
        # is undocumented, so this case is a warning (see the rule's doc).
        detail = (f"the first element is {shown}, but ECS documents only CMD and "
                  "CMD-SHELL there; put 'CMD' before it")
        severity = Severity.WARNING
    yield Finding.at_value(
        path + (0,),
        f"container {who} has a healthCheck command that does not start with CMD or CMD-SHELL: "
        f"{detail}",
        severity=severity)
