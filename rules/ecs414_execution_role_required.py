"""ECS414: the task needs a task execution role but has none."""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.rule import Finding, Path, Severity, TaskView, rule
from ecslint.rules._ecs import is_private_ecr_image

# Task execution IAM role page (current): on Fargate, Managed Instances and
# external instances the execution role pulls private ECR images and sends
# awslogs logs; on EC2 the container instance role does that.
_AGENT_WITHOUT_INSTANCE_ROLE = ("FARGATE", "EXTERNAL", "MANAGED_INSTANCES")


@rule(
    id="ECS414",
    name="execution-role-required",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="awslogs, secrets or a private registry image without executionRoleArn",
    fix_title="Set executionRoleArn to a role with AmazonECSTaskExecutionRolePolicy (plus the "
        "secrets it reads).",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a task definition without `executionRoleArn` that needs one:
    - on any launch type, a container that reads `secrets` (Secrets Manager or
      SSM Parameter Store), passes `secretOptions` to its log driver, or pulls
      with `repositoryCredentials` (private registry authentication);
    - on Fargate (and, per the current AWS documentation, on ECS Managed
      Instances and external instances), a container that uses the `awslogs`
      log driver or pulls an image from a private Amazon ECR registry
      (`<account>.dkr.ecr.<region>.amazonaws.com/...`, also when a
      CloudFormation `!Sub` builds it). On EC2 the container instance role
      does these two.

    One finding per task, on the first place that needs the role, with the
    others as related locations. A role only CloudFormation knows
    (`!GetAtt Role.Arn`) counts as set. A file of container definitions alone
    is not checked (its task-level fields live elsewhere).

    ## Why is this bad?
    The ECS agent (or Fargate) uses the task execution role, not the task role,
    to fetch secrets, authenticate to registries and write logs. Without it,
    registration fails ("Fargate requires task definition to have execution
    role ARN to support log driver awslogs"; "When you are specifying container
    secrets, you must also specify a value for 'executionRoleArn'") or the
    image pull fails when the task starts.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "256", "memory": "512",
     "containerDefinitions": [
       {"name": "web", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2",
        "secrets": [{"name": "DB_PASSWORD",
                     "valueFrom": "arn:aws:ssm:eu-west-1:111122223333:parameter/web/db"}]}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "256", "memory": "512",
     "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
     "containerDefinitions": [
       {"name": "web", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2",
        "secrets": [{"name": "DB_PASSWORD",
                     "valueFrom": "arn:aws:ssm:eu-west-1:111122223333:parameter/web/db"}]}]}
    ```

    ## References
    - [Amazon ECS task execution IAM role](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html)
    - [Task definition parameters: executionRoleArn](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    """
    if not task.task_fields_known or task.data.get("executionRoleArn") not in (None, ""):
        return
    agent_pulls = [t for t in task.platform.launch_types if t in _AGENT_WITHOUT_INSTANCE_ROLE]
    needs: list[tuple[Path, bool, str]] = []  # (path, on the key?, reason)
    for container in task.containers:
        who = f"container {container.label}"
        data = container.data
        if isinstance(data.get("secrets"), list) and data["secrets"]:
            needs.append((container.path + ("secrets",), True, f"{who} reads secrets"))
        if data.get("repositoryCredentials") is not None:
            needs.append((container.path + ("repositoryCredentials",), True,
                          f"{who} pulls its image with repositoryCredentials"))
        config = data.get("logConfiguration")
        config = config if isinstance(config, dict) else {}
        if isinstance(config.get("secretOptions"), list) and config["secretOptions"]:
            needs.append((container.path + ("logConfiguration", "secretOptions"), True,
                          f"{who} passes secretOptions to its log driver"))
        if not agent_pulls:
            continue
        on = " or ".join(agent_pulls)
        if config.get("logDriver") == "awslogs":
            needs.append((container.path + ("logConfiguration", "logDriver"), False,
                          f"{who} sends logs with awslogs on {on}"))
        if is_private_ecr_image(data.get("image")):
            needs.append((container.path + ("image",), False,
                          f"{who} pulls a private Amazon ECR image on {on}"))
    if not needs:
        return
    (path, on_key, reason), rest = needs[0], needs[1:]
    more = ""
    if rest:
        more = f" ({len(rest)} more {'places need' if len(rest) > 1 else 'place needs'} it)"
    make = Finding.at_key if on_key else Finding.at_value
    yield make(
        path,
        f"task {task.label} has no executionRoleArn, but {reason}, which needs the task "
        f"execution role{more}",
        related=[p for p, _, _ in rest],
    )
