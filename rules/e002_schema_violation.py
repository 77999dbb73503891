"""E002: the task definition does not fit the AWS API's shape."""

from collections.abc import Iterator

from ecslint.builtin_ids import SCHEMA_VIOLATION
from ecslint.rule import Applicability, Finding, Severity, Shape, TaskView, rule


@rule(
    id=SCHEMA_VIOLATION,
    name="schema-violation",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Task definition does not match the RegisterTaskDefinition schema",
    fix_title=("Use the key, type or value the message names (RegisterTaskDefinition "
               "API reference)."),
    fix=Applicability.UNSAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Checks the task definition against a JSON Schema generated from the AWS
    API model (botocore's `RegisterTaskDefinition` input), with the limits the
    model states only in prose (name patterns, health-check ranges, list
    sizes). Each violation is one finding, on the offending key (an unknown
    key, with the closest valid key: "did you mean protocol?") or value (wrong
    type, value outside an enum or range). A missing required key is reported
    on its parent. CloudFormation templates are checked through the same
    schema after their PascalCase keys are mapped to the API's; a value that is
    an intrinsic function (`!Ref`, `!Sub`, `Fn::If` ...) or a dynamic reference
    (`{{resolve:ssm:...}}`) is unknown until deployment and never reported;
    so is a template placeholder (`${IMAGE_TAG}`, `{{ port }}`) that a tool
    fills in before registering. A `portMappings` protocol other than `tcp` or
    `udp` is a warning rather than an error: ECS registers it and reads it as
    `tcp`, so `"UDP"` silently becomes TCP.

    An unknown key with exactly one close valid key has a fix that renames it
    (`protocl` to `protocol`); unsafe, because the value then takes effect,
    which ECS never applied before, and the guess may be wrong.

    ## Why is this bad?
    `register-task-definition` rejects the whole task definition with a
    `ClientException` or a parameter validation error, and CloudFormation
    rolls the stack back.

    ## Example
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": "512",
        "portMappings": [{"containerPort": 80, "protocl": "tcp"}]}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 512,
        "portMappings": [{"containerPort": 80, "protocol": "tcp"}]}]}
    ```

    ## References
    - [RegisterTaskDefinition API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    - [ContainerDefinition API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [AWS::ECS::TaskDefinition (CloudFormation)](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html)
    """
    from ecslint.validation.schema import validate

    yield from validate(
        task.data,
        cloudformation=task.shape == Shape.CLOUDFORMATION,
        task_fields_known=task.task_fields_known,
    )
