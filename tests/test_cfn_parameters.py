"""CloudFormation parameters stand for their defaults, and a template's container
instances are the hosts of its tasks (below the command line and the configuration)."""

from __future__ import annotations

import pytest
from helpers import lint_text
from hypothesis import given
from hypothesis import strategies as st

from ecslint.rule import HostKnowledge
from ecslint.tasks.cfn_parameters import instance_os, parameter_values, resolve

WINDOWS_FARGATE = """\
Parameters:
  OsFamily:
    Type: String
    Default: WINDOWS_SERVER_2022_CORE
  LaunchType:
    Type: String
    Default: FARGATE
    AllowedValues: [FARGATE]
  Tag:
    Type: String
    Default: ltsc2019
Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [!Ref LaunchType]
      NetworkMode: awsvpc
      Cpu: "1024"
      Memory: "2048"
      RuntimePlatform:
        OperatingSystemFamily: !Ref OsFamily
      ContainerDefinitions:
        - Name: web
          Image: !Sub "mcr.microsoft.com/windows/servercore/iis:windowsservercore-${Tag}"
"""


def test_a_parameter_default_makes_a_windows_fargate_task() -> None:
    result = lint_text(WINDOWS_FARGATE, "web.yaml", select=["WIN201"])
    (task,) = result.tasks
    assert (task.os, task.os_family, task.launch_types) == (
        "windows", "WINDOWS_SERVER_2022_CORE", ("FARGATE",))
    assert task.os_signal == ("runtimePlatform.operatingSystemFamily from parameter "
                              "OsFamily's default")
    assert task.launch_signal == ("requiresCompatibilities from parameter LaunchType's "
                                  "only allowed value")
    (finding,) = result.findings
    # The image came from !Sub; the finding sits where the user wrote it.
    assert (finding.rule.id, finding.location.line, finding.location.pointer) == (
        "WIN201", 24, "/Resources/Web/Properties/ContainerDefinitions/0/Image")


def test_values_resolve_only_when_every_reference_is_known() -> None:
    known = parameter_values({"Parameters": {
        "A": {"Type": "String", "Default": "x"},
        "Port": {"Type": "Number", "Default": 80},
        "Subnets": {"Type": "CommaDelimitedList", "Default": "a, b"},
        "Choice": {"Type": "String", "Default": "x", "AllowedValues": ["x", "y"]},
        "Only": {"Type": "String", "AllowedValues": ["z", "z"]},
        "NoDefault": {"Type": "String"},
        "Ami": {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                "Default": "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"},
    }})
    assert known == {"A": ("x", "parameter A's default"), "Port": ("80", "parameter Port's default"),
                     "Subnets": (["a", "b"], "parameter Subnets's default"),
                     "Choice": ("x", "parameter Choice's default"),
                     "Only": ("z", "parameter Only's only allowed value")}
    origins: dict = {}
    value = {"a": {"Ref": "A"}, "b": {"Ref": "NoDefault"}, "c": {"Ref": "Ami"},
             "d": {"Fn::Sub": "${A}-${Port}-${!Literal}"}, "e": {"Fn::Sub": "${A}-${AWS::Region}"},
             "f": [{"Ref": "AWS::NoValue"}]}
    resolved = resolve(value, known, ("P",), origins)
    assert resolved == {"a": "x", "b": {"Ref": "NoDefault"}, "c": {"Ref": "Ami"},
                        "d": "x-80-${Literal}", "e": {"Fn::Sub": "${A}-${AWS::Region}"},
                        "f": [{"Ref": "AWS::NoValue"}]}
    assert origins == {("P", "a"): "parameter A's default",
                       ("P", "d"): "parameter A's default, parameter Port's default"}
    assert value["a"] == {"Ref": "A"}  # never mutated
    assert resolve(value["f"], known, (), {}) is value["f"]


def _template(*images) -> dict:
    kinds = [("AWS::EC2::LaunchTemplate", lambda i: {"LaunchTemplateData": {"ImageId": i}}),
             ("AWS::AutoScaling::LaunchConfiguration", lambda i: {"ImageId": i}),
             ("AWS::EC2::Instance", lambda i: {"ImageId": i})]
    resources = {f"Host{n}": {"Type": kinds[n % 3][0], "Properties": kinds[n % 3][1](image)}
                 for n, image in enumerate(images)}
    return {"Parameters": {"Ami": {
        "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
        "Default": "/aws/service/ami-windows-latest/Windows_Server-2019-English-Full-ECS_Optimized/image_id"}},
        "Resources": resources}


@pytest.mark.parametrize("images, expected", [
    (({"Ref": "Ami"},), ("windows", "2019", "FULL")),
    (("{{resolve:ssm:/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id}}",
      "{{resolve:ssm:/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id}}"),
     ("windows", "2022", "CORE")),
    (("{{resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id}}",),
     ("linux", None, None)),
    (({"Ref": "Ami"}, "{{resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id}}"),
     None),
    (({"Ref": "Ami"}, {"Fn::FindInMap": ["AMIs", {"Ref": "AWS::Region"}, "id"]}), None),
    (("ami-0123456789abcdef0",), None),
])
def test_what_the_container_instances_run(images, expected) -> None:
    found = instance_os(_template(*images))
    assert (found and (found.os, found.release, found.edition)) == (expected or None)


TEMPLATE_HOSTS = """\
Parameters:
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-windows-latest/Windows_Server-2019-English-Full-ECS_Optimized/image_id
Resources:
  Hosts:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: !Ref Ami
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: !Ref Image
          Cpu: 1024
          Memory: 2048
  Pinned:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RuntimePlatform:
        OperatingSystemFamily: WINDOWS_SERVER_2022_FULL
      ContainerDefinitions:
        - Name: web
          Image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
          Cpu: 1024
          Memory: 2048
"""


def test_the_template_instances_are_the_hosts_below_configuration() -> None:
    result = lint_text(TEMPLATE_HOSTS, "t.yaml", select=["WIN210", "WIN201"])
    web = next(t for t in result.tasks if t.task == "Web")
    assert (web.os, web.os_signal) == ("windows", (
        "the template's container instances (LaunchConfiguration Hosts: /aws/service/"
        "ami-windows-latest/Windows_Server-2019-English-Full-ECS_Optimized/image_id, parameter "
        "Ami's default)"))
    assert web.host_build.release == "2019"
    messages = sorted((f.rule.id, f.message) for f in result.findings)
    assert [m[0] for m in messages] == ["WIN201", "WIN210"]
    assert all("the template's container instances (LaunchConfiguration Hosts" in m
               for _, m in messages)
    configured = lint_text(TEMPLATE_HOSTS, "t.yaml", select=["WIN210", "WIN201"], host=HostKnowledge(
        windows_release="2022", windows_source="--windows-host on the command line"))
    assert configured.findings == []

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(
        ["Ref", "Fn::Sub", "A", "${A}", "Default", "AllowedValues", "Type", "String",
         "CommaDelimitedList", "ImageId", "AWS::EC2::Instance", "LaunchTemplateData",
         "Windows_Server-2022-English-Full-ECS_Optimized"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["Ref", "Fn::Sub", "A", "Parameters", "Resources", "Type",
                         "Properties", "Default", "AllowedValues", "ImageId",
                         "LaunchTemplateData"]), inner, max_size=3),
    max_leaves=12)


@given(VALUES)
def test_any_template_shape_is_read_without_error(template) -> None:
    if not isinstance(template, dict):
        template = {"Parameters": template, "Resources": template}
    known = parameter_values(template)
    resolve(template, known, (), {})
    instance_os(template)
