"""ECS416: a register-task-definition input carries fields only describe returns."""

from collections.abc import Iterator

from ecslint.rule import Applicability, Finding, Fix, Remove, Severity, Shape, TaskView, rule
from ecslint.validation.schema import readonly_fields


@rule(
    id="ECS416",
    name="read-only-field",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Register input carries read-only fields that only describe-task-definition returns",
    fix_title=("Delete the field, or keep the whole describe output wrapped in "
               "{\"taskDefinition\": ...}."),
    fix=Applicability.SAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports, in a file shaped as `register-task-definition` input, the
    top-level fields that only `describe-task-definition` returns:
    `taskDefinitionArn`, `revision`, `status`, `requiresAttributes`,
    `compatibilities`, `registeredAt`, `registeredBy`, `deregisteredAt` and
    `deleteRequestedAt` (the fields the schema marks read-only). One finding
    per task names them all; it sits on the first such key, and the others
    are its related locations. Output that is still wrapped in `{"taskDefinition": ...}`
    is describe output and never reported, nor are CloudFormation templates.
    The fix deletes the fields (safe: register-task-definition rejects them,
    so no working deployment depends on them).

    ## Why is this bad?
    Such a file usually is describe output with the wrapper removed (for
    example `--query taskDefinition`), saved to be registered again.
    `aws ecs register-task-definition --cli-input-json` rejects it ("Unknown
    parameter in input"), and SDK calls fail parameter validation. Some
    deployment tools strip these fields first, which is why this is a warning.

    ## Example
    ```json
    {"taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7",
     "revision": 7, "status": "ACTIVE",
     "family": "web",
     "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 256}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 256}]}
    ```

    ## References
    - [RegisterTaskDefinition request parameters (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    - [TaskDefinition: fields returned by describe (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html)
    """
    if task.shape != Shape.REGISTER:
        return
    readonly = readonly_fields()
    present = [key for key in task.data if key in readonly]
    if not present:
        return
    fields = ", ".join(present)
    which = f"fields only describe-task-definition returns ({fields}); " \
        "register-task-definition rejects them" if len(present) > 1 else \
        f"a field only describe-task-definition returns ({fields}); " \
        "register-task-definition rejects it"
    yield Finding.at_key((present[0],), f"task {task.label} carries {which}",
                         related=[(key,) for key in present[1:]],
                         fix=Fix(f"Remove {fields}" if len(present) < 4
                                 else f"Remove the {len(present)} describe-only fields",
                                 tuple(Remove((key,)) for key in present)))
