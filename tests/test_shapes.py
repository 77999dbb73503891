"""Every input shape maps onto the canonical model with paths back to the source."""

from __future__ import annotations

from ecslint.shapes import extract


def test_register_input() -> None:
    (task,) = extract({"family": "web", "containerDefinitions": []}, "file")
    assert (task.name, task.source, task.root) == ("web", "register", ())
    assert task.to_document(("containerDefinitions", 0)) == ("containerDefinitions", 0)


def test_describe_output() -> None:
    (task,) = extract({"taskDefinition": {"family": "web", "containerDefinitions": []}}, "file")
    assert (task.name, task.source) == ("web", "describe")
    assert task.to_document(("family",)) == ("taskDefinition", "family")


def test_container_list() -> None:
    (task,) = extract([{"name": "a", "image": "nginx"}], "containers")
    assert (task.name, task.source) == ("containers", "container-list")
    assert task.data == {"containerDefinitions": [{"name": "a", "image": "nginx"}]}
    assert task.to_document(("containerDefinitions", 0, "image")) == (0, "image")
    assert task.to_document(()) == ()


def test_cloudformation_resources_in_order() -> None:
    template = {"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket"},
        "Web": {"Type": "AWS::ECS::TaskDefinition",
                "Properties": {"ContainerDefinitions": [{"Name": "web", "Image": "nginx"}]}},
        "Worker": {"Type": "AWS::ECS::TaskDefinition"},
        "Dynamic": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Fn::If": ["c", {}, {}]}},
    }}
    web, worker = extract(template, "t")
    assert (web.name, web.source) == ("Web", "cloudformation")
    assert web.data == {"containerDefinitions": [{"name": "web", "image": "nginx"}]}
    assert web.to_document(("containerDefinitions", 0, "image")) == (
        "Resources", "Web", "Properties", "ContainerDefinitions", 0, "Image")
    assert worker.data == {}


def test_terraform_nulls_are_dropped() -> None:
    (task,) = extract([{"name": "a", "image": "nginx", "cpu": None, "environment": [{"name": "x", "value": None}]}], "c")
    assert task.data == {"containerDefinitions": [{"name": "a", "image": "nginx", "environment": [{"name": "x"}]}]}


def test_not_task_definitions() -> None:
    for data in ({"name": "pkg"}, [], [1, 2], "text", None, {"Resources": {}}, [{"other": 1}],
                 {"family": "only-a-family"}):
        assert extract(data, "x") == []
