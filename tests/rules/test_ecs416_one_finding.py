"""ECS416 reports one finding per task, on the first describe-only field, with
the others as related locations (not one finding per field)."""

from __future__ import annotations

from helpers import lint_text

TASK = """{
  "taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7",
  "family": "web",
  "revision": 7,
  "status": "ACTIVE",
  "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 256}]
}
"""


def test_one_finding_lists_every_field_with_related_locations() -> None:
    result = lint_text(TASK, select=["ECS416"])
    (finding,) = result.findings
    assert finding.location.pointer == "/taskDefinitionArn"
    assert "(taskDefinitionArn, revision, status)" in finding.message
    assert [(r.pointer, r.line) for r in finding.related] == [("/revision", 4), ("/status", 5)]


def test_a_single_field_is_named_in_the_singular() -> None:
    task = '{"family": "web", "revision": 7, "containerDefinitions": []}'
    (finding,) = lint_text(task, select=["ECS416"]).findings
    assert finding.related == ()
    assert finding.message.endswith("(revision); register-task-definition rejects it")
