"""Platform detection follows the catalogue's order and says which signal decided."""

from __future__ import annotations

import pytest

from ecslint.platform.detect import detect
from ecslint.platform.images import is_windows_image, split_image


def td(**fields):
    base = {"family": "t", "containerDefinitions": [{"name": "app", "image": "nginx"}]}
    base.update(fields)
    return base


def test_runtime_platform_decides_first() -> None:
    data = td(runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
              placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}])
    platform = detect(data)
    assert (platform.os, platform.os_family, platform.os_signal) == (
        "windows", "WINDOWS_SERVER_2022_CORE", "runtimePlatform.operatingSystemFamily")


def test_linux_runtime_platform_beats_windows_image() -> None:
    data = td(runtimePlatform={"operatingSystemFamily": "LINUX"},
              containerDefinitions=[{"name": "a", "image": "mcr.microsoft.com/windows/servercore:ltsc2022"}])
    assert detect(data).os == "linux"


@pytest.mark.parametrize("expression, os_name, family", [
    ("attribute:ecs.os-type == windows", "windows", None),
    ("attribute:ecs.os-family == WINDOWS_SERVER_2019_FULL", "windows", "WINDOWS_SERVER_2019_FULL"),
    ("attribute:ecs.os-family in [WINDOWS_SERVER_2022_CORE, WINDOWS_SERVER_2022_FULL]", "windows", None),
    ("attribute:ecs.os-type == 'linux'", "linux", None),
])
def test_member_of_constraint(expression: str, os_name: str, family: str | None) -> None:
    platform = detect(td(placementConstraints=[{"type": "memberOf", "expression": expression}]))
    assert (platform.os, platform.os_family) == (os_name, family)
    assert platform.os_signal == f"placementConstraints[0] ({expression})"


def test_negated_or_unrelated_constraints_do_not_decide() -> None:
    constraints = [{"type": "memberOf", "expression": "attribute:ecs.os-type != windows"},
                   {"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t2.*"}]
    assert detect(td(placementConstraints=constraints)).os_source == "default"


def test_configured_platform_before_definition_signals() -> None:
    data = td(containerDefinitions=[{"name": "a", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022"}])
    assert detect(data, assumed_os="linux").os_signal == "configured platform"
    assert detect(data).os_signal == "Windows image mcr.microsoft.com/windows/nanoserver:ltsc2022"


@pytest.mark.parametrize("extra, signal", [
    ({"volumes": [{"name": "v", "fsxWindowsFileServerVolumeConfiguration": {}}]},
     "an FSx for Windows File Server volume"),
    ({"containerDefinitions": [{"name": "a", "image": "x", "entryPoint": ["powershell", "-Command"]}]},
     "Windows shell in entryPoint (powershell)"),
    ({"containerDefinitions": [{"name": "a", "image": "x", "command": ["cmd.exe /c run.bat"]}]},
     "Windows shell in command (cmd.exe)"),
    ({"containerDefinitions": [{"name": "a", "image": "x",
                                "mountPoints": [{"sourceVolume": "v", "containerPath": "C:\\data"}]}]},
     "drive-letter path C:\\data"),
])
def test_definition_signals(extra, signal) -> None:
    platform = detect(td(**extra))
    assert (platform.os, platform.os_signal) == ("windows", signal)


PRIVATE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"


@pytest.mark.parametrize("requires", [None, ["EC2"], ["EXTERNAL"]])
def test_no_signal_on_ec2_is_unknown(requires) -> None:
    fields = {"containerDefinitions": [{"name": "app", "image": PRIVATE}]}
    if requires:
        fields["requiresCompatibilities"] = requires
    platform = detect(td(**fields))
    where = requires[0] if requires else "EC2"
    assert (platform.os, platform.os_signal) == (
        "unknown", f"unknown: no OS signal ({where} without runtimePlatform)")
    assert detect(td(**fields), assumed_os="linux").os == "linux"


@pytest.mark.parametrize("requires, signal", [
    (["FARGATE"], "default: FARGATE without runtimePlatform is LINUX"),
    (["EC2", "FARGATE"], "default: FARGATE without runtimePlatform is LINUX"),
    (["MANAGED_INSTANCES"], "default: Managed Instances run Linux containers only"),
])
def test_no_signal_on_fargate_or_managed_instances_is_linux(requires, signal) -> None:
    platform = detect(td(requiresCompatibilities=requires,
                         containerDefinitions=[{"name": "app", "image": PRIVATE}]))
    assert (platform.os, platform.os_signal) == ("linux", signal)
    assert detect(td(containerDefinitions=[{"name": "app", "image": PRIVATE}]),
                  default_launch_type=requires[-1]).os == "linux"


@pytest.mark.parametrize("image", ["alpine:3.20", "public.ecr.aws/amazonlinux/amazonlinux:2023",
                                   "nginx:1.27-alpine", "python:3.12-bookworm"])
def test_a_linux_only_image_is_a_linux_signal(image) -> None:
    platform = detect(td(containerDefinitions=[{"name": "a", "image": PRIVATE},
                                              {"name": "b", "image": image}]))
    assert (platform.os, platform.os_signal) == ("linux", f"Linux-only image {image}")


def test_linux_parameters_are_no_signal() -> None:
    """WIN120 reports linuxParameters on a Windows task; they must not make it Linux."""
    data = td(containerDefinitions=[{"name": "a", "image": PRIVATE, "linuxParameters": {}}])
    assert detect(data).os == "unknown"


@pytest.mark.parametrize("path, signal", [
    ("\\\\.\\pipe\\docker_engine", "a named pipe \\\\.\\pipe\\docker_engine"),
    ("//./pipe/docker_engine", "a named pipe //./pipe/docker_engine"),
    ("\\\\fs01\\share", "UNC path \\\\fs01\\share"),
    ("D:", "drive-letter path D:"),
])
def test_windows_paths_say_what_they_are(path, signal) -> None:
    data = td(volumes=[{"name": "v", "host": {"sourcePath": path}}],
              containerDefinitions=[{"name": "a", "image": PRIVATE}])
    assert (detect(data).os, detect(data).os_signal) == ("windows", signal)


def test_launch_types() -> None:
    assert detect(td(requiresCompatibilities=["FARGATE", "EC2"])).launch_types == ("EC2", "FARGATE")
    default = detect(td())
    assert (default.launch_types, default.launch_signal) == (("EC2",), "default EC2: no requiresCompatibilities")
    assert detect(td(), default_launch_type="FARGATE").launch_types == ("FARGATE",)
    assert detect(td(requiresCompatibilities=[{"Ref": "X"}])).launch_types == ("EC2",)


@pytest.mark.parametrize("image, windows", [
    ("mcr.microsoft.com/windows/servercore:ltsc2019", True),
    ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022", True),
    ("mcr.microsoft.com/windows:1809", True),
    ("mcr.microsoft.com/dotnet/framework/aspnet:4.8", True),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", True),
    ("mcr.microsoft.com/dotnet/aspnet:8.0", False),
    ("microsoft/iis", True),
    ("python:3.12-windowsservercore-ltsc2022", True),
    ("111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.0-ltsc2019", True),
    ("nginx:latest", False),
    ("myregistry:5000/windowsish/app:1809", False),
    ("mcr.microsoft.com/windowsx/app:1", False),
])
def test_windows_images(image: str, windows: bool) -> None:
    assert is_windows_image(image) is windows


def test_split_image() -> None:
    assert split_image("reg:5000/a/b:tag@sha256:abc") == ("reg:5000/a/b", "tag", "sha256:abc")
    assert split_image("reg:5000/a/b") == ("reg:5000/a/b", None, None)


def test_credential_specs_and_pwsh_are_not_windows_signals() -> None:
    linux_gmsa = td(containerDefinitions=[{"name": "a", "image": "x", "entryPoint": ["pwsh"],
                                           "credentialSpecs": ["credentialspecdomainless:arn"]}])
    assert detect(linux_gmsa).os == "unknown"


def test_values_that_are_no_launch_type_do_not_decide() -> None:
    """A bool in register input, the string CloudFormation makes of it, or any other
    word: ECS refuses them (E002), and the default decides as if none were given."""
    for requires in ([False], ["false"], ["STRING"]):
        platform = detect({"requiresCompatibilities": requires, "containerDefinitions": []})
        assert platform.launch_types == ("EC2",), requires
        assert platform.launch_signal == "default EC2: requiresCompatibilities names no launch type"
    mixed = detect({"requiresCompatibilities": ["fargate", "x"], "containerDefinitions": []})
    assert mixed.launch_types == ("FARGATE",)
