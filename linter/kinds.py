"""The kinds of task ecslint tells apart: the shape it is written in and the OS it runs on.

Both are string enums, so a member equals its text (``Shape.REGISTER ==
"register"``), prints as it (``str``, ``format``) and serialises as it in every
output: what the JSON report and ``--verbose`` show does not change.
"""

from __future__ import annotations

from enum import Enum


class Shape(str, Enum):
    """How a task definition is written (``ecslint.tasks.shapes`` finds each)."""

    REGISTER = "register"  # register-task-definition input
    DESCRIBE = "describe"  # describe-task-definition output
    CLOUDFORMATION = "cloudformation"  # an AWS::ECS::TaskDefinition resource
    CONTAINER_LIST = "container-list"  # a bare list of container definitions (Terraform)
    TERRAFORM = "terraform"  # an aws_ecs_task_definition resource
    TERRAFORM_PLAN = "terraform-plan"  # one in a plan's JSON (terraform show -json)

    def __str__(self) -> str:
        return str(self.value)


class OS(str, Enum):
    """The OS a task runs on, as ``ecslint.platform.detect`` decides it."""

    WINDOWS = "windows"
    LINUX = "linux"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
