"""SEC504: a container's environment holds AWS credentials in plain text."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._security import (
    has_access_key_id,
    has_secret_key,
    secret_names,
)


@rule(
    id="SEC504",
    name="secret-in-environment",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Container environment holds AWS credentials in plain text",
    fix_title="Move the value to Secrets Manager or SSM Parameter Store and reference it under "
        '"secrets" with valueFrom; better, give the task a taskRoleArn instead of keys.',
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports an entry of a container's `environment` that is named
    `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` or `ECS_ENGINE_AUTH_DATA`
    (the keys of the AWS Config managed rule `ecs-no-environment-secrets` in
    the AWS conformance pack for ECS; Control Tower CT.ECS.PR.12), or whose value
    holds an AWS access key id (`AKIA` or `ASIA` and 16 more characters) or,
    in a variable whose name says key, secret, token, credential or password,
    a 40-character secret access key. An empty value is not reported, nor are
    documentation placeholders such as `AKIAIOSFODNN7EXAMPLE`. Entries under
    `secrets` (with `valueFrom`) and `environmentFiles` are the fix, not the
    problem. The message never repeats the value.

    ## Why is this bad?
    Environment values are stored in the task definition in plain text:
    anyone allowed to call `DescribeTaskDefinition`, read the CloudFormation
    template or the repository sees them, and every revision keeps them.
    Long-term keys in a task also bypass the short-lived credentials of the
    task role.

    ## Example
    ```json
    {"family": "worker",
     "containerDefinitions": [
       {"name": "worker", "image": "amazon/aws-cli", "memory": 256,
        "environment": [{"name": "AWS_SECRET_ACCESS_KEY", "value": "from-the-wiki"}]}]}
    ```

    ## Use instead
    ```json
    {"family": "worker",
     "taskRoleArn": "arn:aws:iam::111122223333:role/worker",
     "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
     "containerDefinitions": [
       {"name": "worker", "image": "amazon/aws-cli", "memory": 256,
        "secrets": [{"name": "API_TOKEN",
                     "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:api"}]}]}
    ```

    ## References
    - [AWS Config rule ecs-no-environment-secrets](https://docs.aws.amazon.com/config/latest/developerguide/ecs-no-environment-secrets.html)
    - [Pass sensitive data to an Amazon ECS container](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html)
    - [IAM identifiers: unique ID prefixes](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html)
    """
    names = secret_names()
    for container in task.containers:
        environment = container.data.get("environment")
        for index, entry in enumerate(environment if isinstance(environment, list) else []):
            if not isinstance(entry, dict):
                continue
            name, value = entry.get("name"), entry.get("value")
            if not isinstance(name, str) or is_unresolved(name):
                continue
            path = container.path + ("environment", index)
            known = value if isinstance(value, str) and not is_unresolved(value) else None
            if name.strip().upper() in names and (value is not None and value != ""):
                yield Finding.at_value(
                    path + ("name",),
                    f"container {container.label} sets {name!r} in its environment, "
                    "where the credential is stored in plain text",
                )
            elif known is not None and has_access_key_id(known):
                yield Finding.at_value(
                    path + ("value",),
                    f"container {container.label} puts an AWS access key id in environment "
                    f"variable {name!r}",
                )
            elif known is not None and has_secret_key(name, known):
                yield Finding.at_value(
                    path + ("value",),
                    f"container {container.label} puts what looks like an AWS secret access key "
                    f"in environment variable {name!r}",
                )
