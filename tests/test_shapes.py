"""Every input shape maps onto the canonical model with paths back to the source."""

from __future__ import annotations

from ecslint.kinds import OS, Shape
from ecslint.tasks.shapes import extract


def test_register_input() -> None:
    (task,) = extract({"family": "web", "containerDefinitions": []}, "file")
    assert (task.name, task.shape, task.root) == ("web", "register", ())
    assert task.to_document(("containerDefinitions", 0)) == ("containerDefinitions", 0)


def test_describe_output() -> None:
    (task,) = extract({"taskDefinition": {"family": "web", "containerDefinitions": []}}, "file")
    assert (task.name, task.shape) == ("web", "describe")
    assert task.to_document(("family",)) == ("taskDefinition", "family")


def test_container_list() -> None:
    (task,) = extract([{"name": "a", "image": "nginx"}], "containers")
    assert (task.name, task.shape) == ("containers", "container-list")
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
    assert (web.name, web.shape) == ("Web", "cloudformation")
    assert web.data == {"containerDefinitions": [{"name": "web", "image": "nginx"}]}
    assert web.to_document(("containerDefinitions", 0, "image")) == (
        "Resources", "Web", "Properties", "ContainerDefinitions", 0, "Image")
    assert worker.data == {}


def test_terraform_nulls_are_dropped() -> None:
    (task,) = extract([{"name": "a", "image": "nginx", "cpu": None, "environment": [{"name": "x", "value": None}]}], "c")
    assert task.data == {"containerDefinitions": [{"name": "a", "image": "nginx", "environment": [{"name": "x"}]}]}


def test_not_task_definitions() -> None:
    for data in ({"name": "pkg"}, [], [1, 2], "text", None, {"Resources": {}}, [{"other": 1}],
                 {"family": "only-a-family"}, {"resource": {"aws_vpc": {"v": {}}}},
                 {"resource": [{"aws_ecs_task_definition": "x"}]}):
        assert extract(data, "x") == []


def test_shapes_are_registered_in_order_and_tried_until_one_claims_the_document() -> None:
    from ecslint.tasks.shapes import SHAPES

    assert [shape for shape, _ in SHAPES] == [
        Shape.DESCRIBE, Shape.CLOUDFORMATION, Shape.TERRAFORM, Shape.TERRAFORM_PLAN,
        Shape.REGISTER, Shape.CONTAINER_LIST]
    # A template claims its document even without a task definition resource.
    assert extract({"Resources": {}, "family": "web", "containerDefinitions": []}, "t") == []
    (task,) = extract({"taskDefinition": {"family": "web"}, "Resources": {}}, "t")
    assert task.shape is Shape.DESCRIBE


def test_shape_and_os_are_enums_that_print_and_serialise_as_their_text() -> None:
    import json

    from ecslint.platform.detect import detect

    (task,) = extract([{"name": "a", "image": "nginx"}], "containers")
    assert task.shape is Shape.CONTAINER_LIST
    platform = detect({"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}})
    assert platform.os is OS.WINDOWS and platform.is_windows
    for member, text in ((Shape.CONTAINER_LIST, "container-list"), (OS.WINDOWS, "windows")):
        assert member == text and str(member) == f"{member}" == text
        assert json.dumps(member) == json.dumps(text) and hash(member) == hash(text)


_KIND_TEXTS = {"register", "describe", "cloudformation", "container-list",
               "windows", "linux", "unknown"}


def test_no_shape_or_os_is_compared_as_a_string() -> None:
    """``task.shape == "container-list"`` and ``platform.os == "windows"`` are written
    with the enums, so that a new shape or OS is found by its name."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    found = []
    for path in sorted([*(root / "linter").rglob("*.py"), *(root / "rules").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            compared = any(isinstance(s, ast.Attribute) and s.attr in ("source", "os")
                           for s in sides)
            texts = any(isinstance(s, ast.Constant) and s.value in _KIND_TEXTS for s in sides)
            if compared and texts:
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []


def test_rules_ask_whether_task_fields_are_known_not_which_shape() -> None:
    """A new shape whose task-level fields live in another file changes
    ``TaskView.task_fields_known``, not the rules."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    asking = [f"{path.name}:{number}" for path in sorted((root / "rules").glob("*.py"))
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if "CONTAINER_LIST" in line]
    assert asking == []
