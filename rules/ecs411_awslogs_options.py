"""ECS411: the awslogs log driver without the options it requires."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule

_REQUIRED = ("awslogs-group", "awslogs-region")
_FARGATE_REQUIRED = ("awslogs-stream-prefix",)


@rule(
    id="ECS411",
    name="awslogs-options",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="awslogs without awslogs-group or awslogs-region (Fargate: awslogs-stream-prefix)",
    fix_title="Add the missing awslogs-* options to logConfiguration.options.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container whose `logConfiguration` uses the `awslogs` driver
    without `awslogs-group` or `awslogs-region` in its `options`, or, in a
    task that targets Fargate, without `awslogs-stream-prefix`. An option set
    to an empty string counts as missing; a value only CloudFormation knows
    (`!Ref LogGroup`) counts as set. The finding sits on `options` (or on
    `logConfiguration` when there are no options).

    ## Why is this bad?
    The ECS documentation lists `awslogs-group` and `awslogs-region` as
    required for the awslogs driver, and `awslogs-stream-prefix` as required
    on Fargate (optional on EC2). Without them the task cannot send its logs:
    registration or the container start fails. cfn-lint reports the first two
    as E3046.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "256", "memory": "512",
     "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
     "containerDefinitions": [
       {"name": "web", "image": "nginx",
        "logConfiguration": {"logDriver": "awslogs",
                             "options": {"awslogs-group": "/ecs/web"}}}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "256", "memory": "512",
     "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
     "containerDefinitions": [
       {"name": "web", "image": "nginx",
        "logConfiguration": {"logDriver": "awslogs",
                             "options": {"awslogs-group": "/ecs/web",
                                         "awslogs-region": "eu-west-1",
                                         "awslogs-stream-prefix": "web"}}}]}
    ```

    ## References
    - [LogConfiguration options (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html)
    - [Send Amazon ECS logs to CloudWatch (awslogs)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html)
    """
    required = _REQUIRED + (_FARGATE_REQUIRED if task.platform.on_fargate else ())
    for container in task.containers:
        config = container.data.get("logConfiguration")
        if not isinstance(config, dict) or config.get("logDriver") != "awslogs":
            continue
        options = config.get("options")
        path = container.path + ("logConfiguration",)
        if options is None:
            options = {}
        elif isinstance(options, dict) and not is_unresolved(options):
            path += ("options",)
        else:
            continue
        missing = [key for key in required if options.get(key) in (None, "")]
        if not missing:
            continue
        names = " and ".join(missing) if len(missing) < 3 else ", ".join(missing)
        where = " (required on Fargate)" if _FARGATE_REQUIRED[0] in missing else ""
        yield Finding.at_value(
            path,
            f"container {container.label} uses the awslogs log driver without "
            f"{names}{where}")
