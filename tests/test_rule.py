"""The rule API's helpers: what counts as unknown until deployment."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecslint.rule import (
    QUOTED_LIMIT,
    AppliesTo,
    Finding,
    Platform,
    Severity,
    TaskView,
    is_unresolved,
    quoted,
    rule,
)


@pytest.mark.parametrize("value", [
    {"Ref": "Image"}, {"Fn::Sub": "${AWS::StackName}"}, {"Fn::If": ["c", 1, 2]},
    "{{resolve:ssm:/app/memory}}", "${IMAGE_TAG}", "repo:${TAG}", "$TASK_FAMILY",
    "{{ service.name }}", "network-$$$$MODE$$$$", "{% if x %}a{% endif %}", "<%= tag %>", "%{ if x }",
    "<TASK_NAME>", "<your-family>", "{INSERT_NAME_HERE}", "{INSERT SERVICE NAME}", "{SERVICE_NAME}",
    "<family>", " {name} ", "web-<ENV>", "{INSERT SERVICE NAME}-task",
    "arn:aws:iam::<ACCOUNT_ID>:role/ecsTaskExecutionRole",
])
def test_unresolved(value) -> None:
    assert is_unresolved(value)


@pytest.mark.parametrize("value", [
    "nginx", "C:\\data", "price: 5$", "US$100", {"Ref": "a", "Other": 1}, {"Condition": "c"},
    512, None, ["${X}"], "{}", "a{b}", "<b>bold", "cat <in >out", "echo <html> ok", "a<b && c>d",
    "{0}", "x{1,3}", "<br/>", '{"a": 1}', "< TASK >", "{ name }x",
])
def test_resolved(value) -> None:
    assert not is_unresolved(value)


def test_messages_quote_names_in_full_up_to_the_limit_then_shortened() -> None:
    assert quoted("web") == "'web'"
    assert quoted("a" * QUOTED_LIMIT) == repr("a" * QUOTED_LIMIT)
    assert quoted("a" * 400_000) == repr("a" * (QUOTED_LIMIT - 3) + "...")
    assert quoted("abcdefgh", 6) == "'abc...'"
    platform = Platform("windows", None, "s", ("EC2",), "s")
    task = TaskView("t" * 1000, "register", {"containerDefinitions": [{"name": "x" * 1000}]},
                    platform)
    assert task.label == repr("t" * (QUOTED_LIMIT - 3) + "...")
    assert task.containers[0].label == repr("x" * (QUOTED_LIMIT - 3) + "...")


def _windows_only_rule(applies_to):
    @rule(id="XYZ970", name="windows-only", severity=Severity.INFO, summary="s",
          fix_title="f", applies_to=applies_to)
    def check(task):
        yield Finding.at_value(("family",), "seen")

    return check


def _task(os: str, launch_types: tuple[str, ...]) -> TaskView:
    return TaskView("t", "register", {"family": "t"},
                    Platform(os, None, "test", launch_types, "test"))


def test_applies_to_keeps_a_rule_from_the_tasks_it_does_not_cover() -> None:
    windows, windows_ec2 = _windows_only_rule(AppliesTo.WINDOWS), _windows_only_rule(
        AppliesTo.WINDOWS_EC2)
    everywhere = _windows_only_rule(AppliesTo.ALL)
    linux, fargate = _task("linux", ("EC2",)), _task("windows", ("FARGATE",))
    anywhere = _task("windows", ("EXTERNAL",))
    assert [len(r.run(t)) for r in (windows, windows_ec2, everywhere) for t in (
        linux, fargate, anywhere)] == [0, 1, 1, 0, 0, 1, 1, 1, 1]


def test_no_windows_rule_tests_the_platform_itself() -> None:
    """The guard is ``applies_to``; a rule that starts with its own test of the OS
    is the copy this replaced."""
    rules = Path(__file__).resolve().parents[1] / "rules"
    copies = [p.name for p in rules.glob("*.py")
              if "if not task.platform.is_windows:" in p.read_text(encoding="utf-8")]
    assert copies == []
