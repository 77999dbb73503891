"""The rule API's helpers: what counts as unknown until deployment."""

from __future__ import annotations

import pytest

from ecslint.rule import QUOTED_LIMIT, Platform, TaskView, is_unresolved, quoted


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
