"""E003: a file named on the command line holds no task definition."""

from ecslint.builtin_ids import NOT_A_TASK_DEFINITION
from ecslint.rule import Severity, engine_rule

E003 = engine_rule(
    id=NOT_A_TASK_DEFINITION,
    name="not-a-task-definition",
    severity=Severity.INFO,
    since="0.1.0",
    summary="File named explicitly holds no ECS task definition",
    fix_title="Check the path, or stop passing this file to ecslint.",
    default=False,
    module=__name__,
    doc="""## What it does
    Reports a file that was named explicitly (on the command line or by a
    pre-commit hook) but holds none of the shapes ecslint reads: a
    `register-task-definition` input, `describe-task-definition` output, a
    CloudFormation template with an `AWS::ECS::TaskDefinition` resource, or a
    list of container definitions. Directory scans skip such files silently.

    The rule is disabled by default; enable it with `--extend-select E003`
    when a file pattern should only ever match task definitions.

    ## Why is this bad?
    A typo in a path or a too-wide file pattern can make a check pass without
    looking at anything.

    ## Example
    ```json
    {"name": "not a task definition"}
    ```

    ## Use instead
    ```json
    {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx"}]}
    ```

    ## References
    - [Amazon ECS task definition parameters](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    - [AWS::ECS::TaskDefinition (CloudFormation)](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html)
    """,
)
