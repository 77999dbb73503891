"""ecslint.platform.windows: Windows releases, host and image builds, Dockerfile bases.

Tag extraction is table-driven over the repositories and tag patterns of
windows-ecs-facts.md §5d; host forms over §4 and §6.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import lint_text
from hypothesis import given
from hypothesis import strategies as st

from ecslint.platform import windows
from ecslint.platform.detect import detect
from ecslint.platform.windows import (
    build_summary,
    compatibility,
    dockerfile_base,
    host_build,
    image_build,
    is_linux_image,
    parse_dockerfile,
    parse_release,
    releases,
    tag_build,
)
from ecslint.report.model import BuildDecision
from ecslint.rule import HostKnowledge, Severity, TaskView

NONE = HostKnowledge()

# (image, release name or None): every repository and tag form of §5d.
TAGS = [
    # mcr.microsoft.com/windows/servercore
    ("mcr.microsoft.com/windows/servercore:ltsc2016", "2016"),
    ("mcr.microsoft.com/windows/servercore:ltsc2019", "2019"),
    ("mcr.microsoft.com/windows/servercore:1809", "2019"),
    ("mcr.microsoft.com/windows/servercore:ltsc2022", "2022"),
    ("mcr.microsoft.com/windows/servercore:ltsc2025", "2025"),
    ("mcr.microsoft.com/windows/servercore:1809-KB5005568", "2019"),
    ("mcr.microsoft.com/windows/servercore:ltsc2022-KB5034129", "2022"),
    ("mcr.microsoft.com/windows/servercore:ltsc2022-amd64", "2022"),
    ("mcr.microsoft.com/windows/servercore:10.0.17763.437", "2019"),
    ("mcr.microsoft.com/windows/servercore:10.0.20348.2966", "2022"),
    ("mcr.microsoft.com/windows/servercore:10.0.26100.2605", "2025"),
    ("mcr.microsoft.com/windows/servercore:10.0.14393.1944", "2016"),
    ("mcr.microsoft.com/windows/servercore:1709", "1709"),
    ("mcr.microsoft.com/windows/servercore:1803", "1803"),
    ("mcr.microsoft.com/windows/servercore:1903", "1903"),
    ("mcr.microsoft.com/windows/servercore:1909", "1909"),
    ("mcr.microsoft.com/windows/servercore:2004", "2004"),
    ("mcr.microsoft.com/windows/servercore:20H2", "20H2"),
    ("mcr.microsoft.com/windows/servercore:ltsc2022@sha256:" + "a" * 64, "2022"),
    ("MCR.Microsoft.com/Windows/ServerCore:LTSC2022", "2022"),
    ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019", "2019"),
    ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022", "2022"),
    ("mcr.microsoft.com/windows/servercore/insider:10.0.20348.1", "2022"),
    # mcr.microsoft.com/windows/nanoserver
    ("mcr.microsoft.com/windows/nanoserver:1809", "2019"),
    ("mcr.microsoft.com/windows/nanoserver:ltsc2022", "2022"),
    ("mcr.microsoft.com/windows/nanoserver:ltsc2025", "2025"),
    ("mcr.microsoft.com/windows/nanoserver:1809-KB5034127", "2019"),
    ("mcr.microsoft.com/windows/nanoserver:10.0.17763.437", "2019"),
    # mcr.microsoft.com/windows/server and mcr.microsoft.com/windows
    ("mcr.microsoft.com/windows/server:ltsc2022", "2022"),
    ("mcr.microsoft.com/windows/server:ltsc2025", "2025"),
    ("mcr.microsoft.com/windows:1809", "2019"),
    ("mcr.microsoft.com/windows:ltsc2019", "2019"),
    ("mcr.microsoft.com/windows:20H2", "20H2"),
    # legacy Docker Hub microsoft/*
    ("microsoft/windowsservercore:1709", "1709"),
    ("microsoft/windowsservercore:10.0.14393.206", "2016"),
    ("docker.io/microsoft/nanoserver:10.0.14393.2068", "2016"),
    ("microsoft/iis:windowsservercore-1709", "1709"),
    ("microsoft/windowsservercore:latest", None),
    ("microsoft/windowsservercore", None),
    # .NET Framework
    ("mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2016", "2016"),
    ("mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2019", "2019"),
    ("mcr.microsoft.com/dotnet/framework/aspnet:4.8-20241112-windowsservercore-ltsc2022", "2022"),
    ("mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022", "2022"),
    ("mcr.microsoft.com/dotnet/framework/wcf:4.8-windowsservercore-ltsc2025", "2025"),
    ("mcr.microsoft.com/dotnet/framework/aspnet:4.8", None),
    ("mcr.microsoft.com/dotnet/framework/aspnet:latest", None),
    # .NET 5+
    ("mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-1809", "2019"),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", "2022"),
    ("mcr.microsoft.com/dotnet/sdk:9.0-nanoserver-ltsc2025", "2025"),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-windowsservercore-ltsc2019", "2019"),
    ("mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022", "2022"),
    ("mcr.microsoft.com/dotnet/runtime:8.0-windowsservercore-ltsc2025", "2025"),
    ("mcr.microsoft.com/dotnet/aspnet:8.0", None),
    # PowerShell
    ("mcr.microsoft.com/powershell:lts-nanoserver-1809", "2019"),
    ("mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022", "2022"),
    ("mcr.microsoft.com/powershell:lts-windowsservercore-1809", "2019"),
    ("mcr.microsoft.com/powershell:lts-windowsservercore-ltsc2022", "2022"),
    # Docker official images
    ("eclipse-temurin:21-jdk-nanoserver-ltsc2025", "2025"),
    ("eclipse-temurin:17-jre-windowsservercore-ltsc2022", "2022"),
    ("openjdk:21-windowsservercore-ltsc2022", "2022"),
    ("hello-world:nanoserver-1809", "2019"),
    ("golang:1.22-windowsservercore-ltsc2022", "2022"),
    ("python:3.12-windowsservercore-ltsc2022", "2022"),
    ("python:3.12-nanoserver-1809", "2019"),
    ("python:3.12-windowsservercore", None),
    # private images: a bare number is no Windows version; an ltsc token is
    ("111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4-ltsc2022", "2022"),
    ("111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:2024.11-ltsc2019", "2019"),
    ("111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1809", None),
    ("myapp:2004", None),
    ("myapp:v1.1909", None),
    ("myapp:20H2", "20H2"),
    ("registry.example.com:5000/team/app:10.0.17763.1", "2019"),
    ("registry.example.com:5000/team/app:10.0.12345.1", None),
    ("mcr.microsoft.com/windows/servercore:10.0.22000.1", "10.0.22000"),
    ("ubuntu:20.04", None),
    ("nginx", None),
    ("mcr.microsoft.com/windows/servercore@sha256:" + "b" * 64, None),
    ("app:ltsc2019-2004", None),  # two versions: unknown
]


@pytest.mark.parametrize("image, expected", TAGS, ids=[t[0][-60:] for t in TAGS])
def test_tag_build(image: str, expected: str | None) -> None:
    release, signal = tag_build(image)
    assert (release.name if release else None) == expected, signal
    assert signal


def test_signals_name_what_decided() -> None:
    assert tag_build("mcr.microsoft.com/windows/servercore:ltsc2022")[1] == "tag token 'ltsc2022'"
    assert tag_build("mcr.microsoft.com/windows/nanoserver:10.0.17763.437")[1] == (
        "full build tag '10.0.17763.437'")
    assert "untagged" in tag_build("mcr.microsoft.com/windows/servercore")[1]
    assert "digest" in tag_build("x@sha256:" + "c" * 64)[1]
    assert "several" in tag_build("app:ltsc2019-ltsc2022")[1]


@pytest.mark.parametrize("value, name", [
    ("2016", "2016"), ("2019", "2019"), ("2022", "2022"), ("2025", "2025"),
    ("2004", "2004"), ("20H2", "20H2"), ("20h2", "20H2"),
    ("WINDOWS_SERVER_2016_FULL", "2016"), ("WINDOWS_SERVER_2019_CORE", "2019"),
    ("WINDOWS_SERVER_2004_CORE", "2004"), ("WINDOWS_SERVER_20H2_CORE", "20H2"),
    ("WINDOWS_SERVER_2022_FULL", "2022"), ("windows_server_2025_core", "2025"),
    ("Windows_Server-2022-English-Core-ECS_Optimized", "2022"),
    ("Windows_Server-2016-English-Full-ECS_Optimized-2025.09.13", "2016"),
    ("Windows_Server-2025-English-Full-ECS_Optimized", "2025"),
    ("ltsc2022", "2022"), ("1809", "2019"), (" 2022 ", "2022"),
    ("2023", None), ("WINDOWS_SERVER_2023_CORE", None), ("LINUX", None), ("", None),
    (2022, None), (None, None),
])
def test_parse_release_host_forms(value: object, name: str | None) -> None:
    release = parse_release(value)
    assert (release.name if release else None) == name


def test_release_table() -> None:
    by_name = {r.name: r for r in releases()}
    assert {n: r.build for n, r in by_name.items() if r.os_families} == {
        "2016": 14393, "2019": 17763, "2004": 19041, "20H2": 19042, "2022": 20348, "2025": 26100}
    assert {r.name for r in releases() if r.is_end_of_life} == {
        "1709", "1803", "1903", "1909", "2004", "20H2"}
    assert by_name["2022"].label == "Windows Server 2022 (build 20348)"
    assert all(r.source for r in releases())
    with pytest.raises(AttributeError):
        by_name["2022"].build = 1  # type: ignore[misc]


def test_compatibility() -> None:
    r = {x.name: x for x in releases()}
    assert compatibility(r["2022"], r["2022"]) is None
    assert compatibility(r["2025"], r["2022"])[0] == "warning"
    assert compatibility(r["2022"], r["2025"])[0] == "error"
    assert compatibility(r["2022"], r["2019"])[0] == "error"
    assert compatibility(r["2019"], r["2016"])[0] == "error"


# --- the host ---------------------------------------------------------------------

def view(data: dict, host: HostKnowledge = NONE, **platform: object) -> TaskView:
    return TaskView("t", "register", data, detect(data, **platform), host)  # type: ignore[arg-type]


def task(**fields: object) -> dict:
    data = {"family": "t", "containerDefinitions": [
        {"name": "app", "image": "mcr.microsoft.com/windows/servercore:ltsc2022"}]}
    data.update(fields)
    return data


def test_host_from_runtime_platform() -> None:
    release, signal = host_build(view(task(
        runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"})))
    assert (release.name, signal) == (
        "2019", "runtimePlatform.operatingSystemFamily WINDOWS_SERVER_2019_CORE")


def test_host_from_single_os_family_constraint() -> None:
    release, signal = host_build(view(task(placementConstraints=[
        {"type": "memberOf", "expression": "attribute:ecs.os-family == WINDOWS_SERVER_2025_FULL"}])))
    assert release.name == "2025"
    assert signal.startswith("placementConstraints[0]")


def test_host_from_configuration_on_ec2_only() -> None:
    host = HostKnowledge(windows_release="2022", windows_source="--windows-host on the command line")
    release, signal = host_build(view(task(), host))
    assert (release.name, signal) == ("2022", "2022 from --windows-host on the command line")
    fargate = task(requiresCompatibilities=["FARGATE"])
    assert host_build(view(fargate, host))[0] is None
    external = task(requiresCompatibilities=["EXTERNAL"])
    assert host_build(view(external, host))[0].name == "2022"


def test_runtime_platform_beats_configuration() -> None:
    host = HostKnowledge(windows_release="2022")
    data = task(runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"})
    assert host_build(view(data, host))[0].name == "2019"


def test_constraint_with_two_families_falls_back_to_configuration() -> None:
    data = task(placementConstraints=[{"type": "memberOf", "expression":
                "attribute:ecs.os-family in [WINDOWS_SERVER_2019_CORE, WINDOWS_SERVER_2022_CORE]"}])
    assert host_build(view(data))[0] is None
    assert host_build(view(data, HostKnowledge(windows_release="2019")))[0].name == "2019"


def test_host_unknown_cases() -> None:
    assert host_build(view(task()))[0] is None
    linux = host_build(view(task(runtimePlatform={"operatingSystemFamily": "LINUX"})))
    assert linux[0] is None and "not a Windows task" in linux[1]
    intrinsic = task(runtimePlatform={"operatingSystemFamily": {"Ref": "Os"}})
    assert host_build(view(intrinsic, HostKnowledge(windows_release="2022")))[0] is None
    odd = task(runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2023_CORE"})
    assert host_build(view(odd))[0] is None


# --- configured images and Dockerfiles --------------------------------------------

def test_configured_pattern_beats_the_tag() -> None:
    host = HostKnowledge(images=({"pattern": "*.dkr.ecr.*.amazonaws.com/web:*",
                                  "windows-version": "2019"},))
    release, signal = image_build("111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:ltsc2022", host)
    assert release.name == "2019"
    assert signal == "configured image pattern '*.dkr.ecr.*.amazonaws.com/web:*' (windows-version 2019)"


def test_configured_pattern_matches_the_repository_and_ignores_case() -> None:
    host = HostKnowledge(images=({"pattern": "Registry.example.com/App", "windows-version": "ltsc2022"},))
    assert image_build("registry.example.com/app:7", host)[0].name == "2022"
    assert image_build("registry.example.com/other:7", host)[0] is None


def test_odd_configuration_entries_do_not_raise() -> None:
    host = HostKnowledge(images=("x", {"pattern": 3}, {"pattern": "a*", "windows-version": "2099"},
                                 {"pattern": "b*"}))  # type: ignore[arg-type]
    assert image_build("a:1", host) == (None, "configured image pattern 'a*' names unknown version '2099'")
    assert image_build("b:ltsc2022", host)[0].name == "2022"
    assert image_build(None, host)[0] is None  # type: ignore[arg-type]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_dockerfile_relative_to_base_dir(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", "FROM mcr.microsoft.com/windows/nanoserver:1809\n")
    host = HostKnowledge(images=({"pattern": "web:*", "dockerfile": "Dockerfile"},))
    release, signal = image_build("web:1", host, base_dir=tmp_path)
    assert release.name == "2019"
    assert "FROM mcr.microsoft.com/windows/nanoserver:1809 (tag token '1809')" in signal


def test_missing_dockerfile_is_unknown_with_a_reason(tmp_path: Path) -> None:
    host = HostKnowledge(images=({"pattern": "web:*", "dockerfile": str(tmp_path / "nope")},))
    release, signal = image_build("web:1", host)
    assert release is None and "cannot be read" in signal


def test_dockerfile_chain_is_bounded(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", "FROM web:base\n")
    host = HostKnowledge(images=({"pattern": "web:*", "dockerfile": str(tmp_path / "Dockerfile")},))
    release, signal = image_build("web:1", host)
    assert release is None and "too many Dockerfiles" in signal


@pytest.mark.parametrize("text, base", [
    ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\n",
     "mcr.microsoft.com/windows/servercore:ltsc2022"),
    # ARG defaults: ${VAR} and $VAR, an ARG built from another, several ARGs on one line
    ("ARG BASE=mcr.microsoft.com/windows/servercore:ltsc2022\nFROM ${BASE}\n",
     "mcr.microsoft.com/windows/servercore:ltsc2022"),
    ("ARG BASE=mcr.microsoft.com/windows/servercore:ltsc2022\nFROM $BASE\n",
     "mcr.microsoft.com/windows/servercore:ltsc2022"),
    ("ARG TAG=ltsc2019\nARG BASE=mcr.microsoft.com/windows/nanoserver:${TAG}\nFROM $BASE\n",
     "mcr.microsoft.com/windows/nanoserver:ltsc2019"),
    ('ARG A=1 REPO="mcr.microsoft.com/windows/nanoserver" TAG=\'1809\'\nFROM ${REPO}:${TAG}\n',
     "mcr.microsoft.com/windows/nanoserver:1809"),
    # ${VAR:-word}, ${VAR-word}, ${VAR:+word}
    ("ARG TAG\nFROM mcr.microsoft.com/windows/servercore:${TAG:-ltsc2019}\n",
     "mcr.microsoft.com/windows/servercore:ltsc2019"),
    ("ARG TAG=ltsc2025\nFROM mcr.microsoft.com/windows/servercore:${TAG:-ltsc2019}\n",
     "mcr.microsoft.com/windows/servercore:ltsc2025"),
    ("ARG TAG=\nFROM img:${TAG-ltsc2022}x\n", "img:x"),
    ("ARG SUFFIX=1\nFROM img:ltsc2022${SUFFIX:+-amd64}\n", "img:ltsc2022-amd64"),
    ("ARG SUFFIX\nFROM img:ltsc2022${SUFFIX:+-amd64}\n", "img:ltsc2022"),
    # an escaped dollar stays literal
    ("FROM img:a\\$b\n", "img:a$b"),
    # --platform and other flags, AS, lower-case instructions
    ("FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base\n",
     "mcr.microsoft.com/windows/nanoserver:ltsc2022"),
    ("from --platform=$BUILDPLATFORM img:1809 as build\n", "img:1809"),
    # multi-stage: the final stage; a final FROM <stage> resolves to that stage's base
    ("FROM img:ltsc2019 AS build\nRUN x\nFROM img:ltsc2022\n", "img:ltsc2022"),
    ("FROM img:ltsc2019 AS build\nFROM img:ltsc2022 AS runtime\nFROM build\n", "img:ltsc2019"),
    ("FROM img:ltsc2019 AS Base\nFROM base AS mid\nFROM MID\n", "img:ltsc2019"),
    # ARGs inside a stage do not reach later FROMs
    ("ARG BASE=img:ltsc2019\nFROM $BASE AS a\nARG BASE=img:ltsc2022\nFROM $BASE\n", "img:ltsc2019"),
    # comments, continuations, empty lines inside a continuation, CRLF, BOM
    ("# a comment\n  # indented comment\nFROM \\\n  img:ltsc2022 \\\n  AS final\n", "img:ltsc2022"),
    ("FROM img:ltsc2019 AS a\nRUN one \\\n# dropped\n\n  two\nFROM img:ltsc2022\n", "img:ltsc2022"),
    ("\ufeffFROM img:ltsc2022\r\nRUN x\r\n", "img:ltsc2022"),
    # the escape directive (Windows Dockerfiles) and C:\ paths
    ("# escape=`\nFROM img:ltsc2022 AS b\nWORKDIR C:\\app\nRUN a `\n    b\nFROM b\n", "img:ltsc2022"),
    ("# syntax=docker/dockerfile:1\n# escape=`\nARG T=1809\nFROM img:${T}\n", "img:1809"),
])
def test_parse_dockerfile(text: str, base: str) -> None:
    found, detail = parse_dockerfile(text)
    assert found == base, detail
    assert detail.startswith("FROM ")


@pytest.mark.parametrize("text, reason", [
    ("", "no FROM instruction"),
    ("# only a comment\nRUN x\n", "no FROM instruction"),
    ("FROM\n", "names no image"),
    ("FROM --platform=windows/amd64\n", "names no image"),
    ("ARG BASE\nFROM $BASE\n", "uses $BASE, which has no default"),
    ("FROM ${UNDECLARED}\n", "uses $UNDECLARED"),
    ("FROM img:ltsc2022 AS a\nARG LATE=img:1809\nFROM $LATE\n", "uses $LATE"),
    ("ARG T\nFROM img:${T:+x}${T}\n", "uses $T"),
    ("FROM scratch\n", "scratch has no Windows base"),
])
def test_parse_dockerfile_unknown(text: str, reason: str) -> None:
    found, detail = parse_dockerfile(text)
    assert found is None
    assert reason in detail


def test_dockerfile_base_reads_files_safely(tmp_path: Path) -> None:
    assert dockerfile_base(tmp_path / "missing") == (
        None, "cannot be read (No such file or directory)")
    assert dockerfile_base(tmp_path) == (None, "not a regular file")
    big = tmp_path / "Big.Dockerfile"
    big.write_bytes(b"FROM img:ltsc2022\n" + b"#" * windows.MAX_DOCKERFILE_BYTES)
    found, reason = dockerfile_base(big)
    assert found is None and "larger than" in reason
    binary = tmp_path / "bin"
    binary.write_bytes(b"FROM img:ltsc2022 \x80\xff AS \xc3\n")
    assert dockerfile_base(binary)[0] == "img:ltsc2022"  # decoded with replacement
    utf16 = tmp_path / "utf16"  # PowerShell's `>` writes UTF-16 with a BOM
    utf16.write_bytes("FROM img:1809\r\n".encode("utf-16"))
    assert dockerfile_base(utf16)[0] == "img:1809"
    odd = tmp_path / "odd"
    odd.write_bytes(b"\xff\xfeF\x00R")  # truncated UTF-16
    assert dockerfile_base(odd)[0] is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_dockerfile_base_does_not_block_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert dockerfile_base(fifo) == (None, "not a regular file")


def test_dockerfile_cache_follows_changes(tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", "FROM img:ltsc2019\n")
    assert dockerfile_base(path)[0] == "img:ltsc2019"
    assert dockerfile_base(path)[0] == "img:ltsc2019"  # cached
    write(path, "FROM img:ltsc2022 AS x\n")
    os.utime(path, ns=(1, 10**18))
    assert dockerfile_base(path)[0] == "img:ltsc2022"


# --- Linux images -----------------------------------------------------------------

@pytest.mark.parametrize("image, linux", [
    ("alpine", True), ("alpine:3.20", True), ("public.ecr.aws/docker/library/alpine:3.20", True),
    ("amazonlinux:2023", True), ("public.ecr.aws/amazonlinux/amazonlinux:2", True),
    ("ubuntu:24.04", True), ("127.0.0.1:51670/ubuntu:latest", True), ("debian:bookworm", True),
    ("busybox", True), ("redis:7-alpine", True), ("node:20-alpine3.19", True),
    ("python:3.12-slim-bookworm", True), ("nginx:1.27-bookworm", True), ("golang:1.22-bullseye", True),
    ("ruby:3-jammy", True),
    ("nginx", False), ("nginx:1.27", False), ("httpd:2.4", False), ("python:3.12", False),
    ("amazon/aws-for-fluent-bit:latest", False), ("myorg/alpine-tools:1", False),
    ("mcr.microsoft.com/windows/servercore:ltsc2022", False),
    ("python:3.12-windowsservercore-ltsc2022", False), ("", False), (None, False),
])
def test_is_linux_image(image: str, linux: bool) -> None:
    assert is_linux_image(image) is linux


# --- what the engine shows and per-finding severities -------------------------------

def test_build_summary() -> None:
    data = task(runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
                containerDefinitions=[
                    {"name": "web", "image": "mcr.microsoft.com/windows/servercore:ltsc2019"},
                    {"name": "cf", "image": {"Fn::Sub": "${Repo}:ltsc2022"}},
                    {"name": "app", "image": "web:1"}])
    assert build_summary(view(data)) == (
        BuildDecision("2022", 20348,
                      "runtimePlatform.operatingSystemFamily WINDOWS_SERVER_2022_CORE"),
        (BuildDecision("2019", 17763, "tag token 'ltsc2019'", "web",
                       "mcr.microsoft.com/windows/servercore:ltsc2019"),
         BuildDecision(None, None, "tag '1' names no Windows version", "app", "web:1")))


def test_ltsc2022_on_2025_is_a_warning_and_1809_on_2022_an_error() -> None:
    text = """{"family": "t", "runtimePlatform": {"operatingSystemFamily": "%s"},
               "containerDefinitions": [{"name": "a", "image": "%s", "memory": 512}]}"""
    warn = lint_text(text % ("WINDOWS_SERVER_2025_CORE", "mcr.microsoft.com/windows/nanoserver:ltsc2022"),
                     select=["WIN201"])
    assert [f.severity for f in warn.findings] == [Severity.WARNING]
    error = lint_text(text % ("WINDOWS_SERVER_2022_CORE", "mcr.microsoft.com/windows/nanoserver:1809"),
                      select=["WIN201"])
    assert [f.severity for f in error.findings] == [Severity.ERROR]


def test_mixed_2022_and_2025_images_are_a_warning_unless_the_host_is_2022() -> None:
    text = """{"family": "t", %s "containerDefinitions": [
        {"name": "a", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022", "memory": 512},
        {"name": "b", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2025", "memory": 512}]}"""
    unknown = lint_text(text % "", select=["WIN202"])
    assert [f.severity for f in unknown.findings] == [Severity.WARNING]
    on_2022 = lint_text(text % '"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},',
                        select=["WIN202"])
    assert [f.severity for f in on_2022.findings] == [Severity.ERROR]


def test_rules_skip_unresolved_images() -> None:
    text = """Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RuntimePlatform: {OperatingSystemFamily: LINUX}
      ContainerDefinitions:
        - Name: a
          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/mcr:ltsc2019"
        - Name: b
          Image: "{{resolve:ssm:/images/windows/servercore:ltsc2019}}"
"""
    ids = ["WIN201", "WIN202", "WIN203", "WIN204", "WIN205", "WIN206", "WIN207", "WIN208", "WIN209"]
    assert lint_text(text, "t.yaml", select=ids).findings == []


# --- nothing raises ------------------------------------------------------------------

dockerfile_text = st.lists(st.one_of(
    st.sampled_from(["FROM", "from", "ARG", "AS", "as", "--platform=x", "$", "${", "}", ":-", ":+",
                     "\\", "`", "\n", "\r\n", " ", "#", "# escape=`\n", "=", '"', "'", "scratch",
                     "img:ltsc2022", "B", "${B:-", "$B"]),
    st.text(max_size=5)), max_size=40).map("".join)


@given(dockerfile_text)
def test_parse_dockerfile_never_raises(text: str) -> None:
    found, detail = parse_dockerfile(text)
    assert found is None or isinstance(found, str)
    assert isinstance(detail, str) and detail


@given(st.text(max_size=60))
def test_image_functions_never_raise(image: str) -> None:
    tag_build(image)
    is_linux_image(image)
    image_build(image, HostKnowledge(images=({"pattern": "*", "windows-version": "2022"},)))


@pytest.mark.parametrize(("day", "ended"), [
    ("2027-01-11", False), ("2027-01-12", False), ("2027-01-13", True)])
def test_2016_support_ends_on_patch_tuesday_judged_on_the_pinned_date(
        monkeypatch: pytest.MonkeyPatch, day: str, ended: bool) -> None:
    monkeypatch.setenv("ECSLINT_TODAY", day)
    release = parse_release("2016")
    assert release is not None and release.end_of_support == "2027-01-12"
    assert release.is_end_of_life is ended
    text = '{"family": "web", "runtimePlatform": {"operatingSystemFamily": ' \
           '"WINDOWS_SERVER_2016_FULL"}, "containerDefinitions": [{"name": "web", ' \
           '"image": "mcr.microsoft.com/windows/servercore:ltsc2016", "memory": 512}]}'
    messages = [f.message for f in lint_text(text, select=["WIN172", "WIN207"]).findings]
    word = "ended" if ended else "ends"
    assert any(f"extended support {word} 2027-01-12" in m for m in messages), messages
    assert any("ltsc2016" in m or "2016" in m for m in messages)
    assert (len(messages) == 2) is ended  # WIN207: the image's release has reached end of life


def test_today_falls_back_to_the_clock_on_a_bad_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime

    monkeypatch.setenv("ECSLINT_TODAY", "soon")
    assert windows.today() == datetime.date.today()


def test_configured_versions_are_read_from_the_same_table_as_tags() -> None:
    """One owner of "which Windows release is this": the configuration accepts every
    operatingSystemFamily of windows-versions.json and each tag token the image
    tags are read with, so a tag ecslint reads (23h2) is a valid image version too."""
    from ecslint.platform.windows import parse_image_version, parse_windows_host, releases

    for release in releases():
        for family in release.os_families:
            assert parse_windows_host(family) == (release.name, family.rsplit("_", 1)[1])
        for token in release.tokens:
            assert parse_image_version(token) == release.name
            assert parse_release(token) == release
    assert parse_image_version("23h2") == "23H2"


def test_ami_names_are_read_in_one_place() -> None:
    from ecslint.platform.windows import ami_release

    assert ami_release("/aws/service/ami-windows-latest/"
                       "Windows_Server-2019-English-Full-ECS_Optimized/image_id") == ("2019", "FULL")
    assert ami_release("Windows_Server-2022-English-Desktop") is None
    root = Path(__file__).resolve().parents[1]
    readers = sorted(p.name for folder in ("linter", "rules") for p in (root / folder).rglob("*.py")
                     if "(?P<release>" in p.read_text(encoding="utf-8"))
    assert readers == ["windows.py"]


def _doubling_args(lines: int) -> str:
    """ARG defaults that double on each line: 2**lines characters if all were expanded."""
    text = "ARG A0=xxxxxxxx\n"
    text += "".join(f"ARG A{n}=$A{n - 1}$A{n - 1}\n" for n in range(1, lines))
    return text + f"FROM img:${{A{lines - 1}}}\n"


@pytest.mark.parametrize("text", [
    _doubling_args(40),  # 666 bytes: 8 * 2**39 characters, over 5 GB before the budget
    # the same growth through ${A:-word} and ${A:+word}, and in the FROM line itself
    "ARG A0=xxxxxxxx\n" + "".join(f"ARG A{n}=${{A{n - 1}:+$A{n - 1}}}${{U:-$A{n - 1}}}\n"
                                  for n in range(1, 40)) + "FROM img:$A39\n",
    "ARG A0=" + "x" * 1000 + "\nFROM " + "$A0" * 2000 + "\n",
])
def test_parse_dockerfile_arg_expansion_is_bounded(text: str) -> None:
    found, detail = parse_dockerfile(text)
    assert found is None
    assert detail == (f"ARG defaults expand to more than {windows.MAX_ARG_EXPANSION:,} "
                      "characters before the first FROM; not followed")


def test_parse_dockerfile_arg_expansion_under_the_budget() -> None:
    found, detail = parse_dockerfile(_doubling_args(10).replace("FROM img:${A9}", "FROM img:1809"))
    assert (found, detail) == ("img:1809", "FROM img:1809")
    found, _ = parse_dockerfile(_doubling_args(10))
    assert found == "img:" + "x" * 8 * 2 ** 9


def test_dockerfile_base_with_doubling_args_file(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(_doubling_args(40), encoding="utf-8")
    assert len(path.read_bytes()) == 666
    found, detail = dockerfile_base(path)
    assert found is None and "ARG defaults expand to more than" in detail
