"""The rule API's helpers: what counts as unknown until deployment."""

from __future__ import annotations

import pytest

from ecslint.rule import is_unresolved


@pytest.mark.parametrize("value", [
    {"Ref": "Image"}, {"Fn::Sub": "${AWS::StackName}"}, {"Fn::If": ["c", 1, 2]},
    "{{resolve:ssm:/app/memory}}", "${IMAGE_TAG}", "repo:${TAG}", "$TASK_FAMILY",
    "{{ service.name }}", "network-$$$$MODE$$$$", "{% if x %}a{% endif %}", "<%= tag %>", "%{ if x }",
])
def test_unresolved(value) -> None:
    assert is_unresolved(value)


@pytest.mark.parametrize("value", [
    "nginx", "C:\\data", "price: 5$", "US$100", {"Ref": "a", "Other": 1}, {"Condition": "c"},
    512, None, ["${X}"], "{}", "a{b}",
])
def test_resolved(value) -> None:
    assert not is_unresolved(value)
