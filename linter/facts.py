"""Fact tables shipped as data files (``linter/data/*.json``), not as code.

Facts about Windows on ECS change (new Windows releases, Fargate sizes, reserved
ports), so each table lives in a JSON file whose entries name their source, and
a rule reads it through ``table(name)``, typed by the table's ``TypedDict`` below
(the descriptions and ``$comment`` keys are for people and left out). Tables
are parsed once per process and only when a rule asks, so a run pays only for
the tables it uses.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypedDict, overload

# Beside this module; a plain path, not importlib.resources (which costs some 5 ms
# of imports a run): ecslint is installed as files, never zipped.
DATA = Path(__file__).parent / "data"


class _Sourced(TypedDict):
    source: str


class _Note(TypedDict, total=False):
    note: str


class Range(_Sourced):
    min: int
    max: int
    unit: str


class CommandTypes(_Sourced):
    values: list[str]


class HealthCheckLimits(TypedDict):
    interval: Range
    timeout: Range
    retries: Range
    startPeriod: Range
    commandTypes: CommandTypes


class ByteLimit(_Sourced):
    bytes: int


class MibLimit(_Sourced):
    mib: int


class NamePattern(_Sourced):
    pattern: str
    maxLength: int


class Deprecation(_Sourced):
    service: str
    status: str
    replacement: str


class EcsLimits(TypedDict):
    healthCheck: HealthCheckLimits
    taskDefinitionSize: ByteLimit
    containerMemoryMinimum: MibLimit
    namePattern: NamePattern
    deprecated: dict[str, Deprecation]


class LogDrivers(_Sourced):
    drivers: list[str]


class FargateLogDrivers(TypedDict):
    linux: LogDrivers
    windows: LogDrivers


class FargateOsFamily(_Sourced, _Note):
    family: str
    fargate: str


class FargateOsFamilies(TypedDict):
    families: list[FargateOsFamily]


class MemoryStep(TypedDict):
    min: int
    max: int
    step: int


class _Status(TypedDict, total=False):
    status: str


class FargateSize(_Sourced, _Note, _Status):
    """A cpu value and the memory values that go with it: a list, or a range."""

    cpu: int
    memory: list[int] | MemoryStep


class FargateSizes(TypedDict):
    linux: list[FargateSize]
    windows: list[FargateSize]


class KeyEntry(_Sourced):
    key: str


class _Values(TypedDict, total=False):
    values: list[str]


class TaskKeyEntry(KeyEntry, _Values):
    """A task field Fargate refuses: any value, or only the listed ``values``."""


class _Presence(TypedDict, total=False):
    presence: bool


class VolumeKeyEntry(KeyEntry, _Presence):
    """A volume key Fargate refuses (``presence``: even when set to false or empty)."""


class CapabilityEntry(_Sourced):
    capability: str


class TypeEntry(_Sourced):
    type: str


class FargateUnsupportedParameters(TypedDict):
    task: list[TaskKeyEntry]
    container: list[KeyEntry]
    linuxParameters: list[KeyEntry]
    volume: list[VolumeKeyEntry]
    allowedCapabilities: list[CapabilityEntry]
    resourceTypes: list[TypeEntry]


class FargateWindowsFeature(_Sourced, _Note):
    feature: str
    status: str


class FargateWindowsFeatures(TypedDict):
    features: list[FargateWindowsFeature]


class Port(_Sourced):
    port: int


class FargateWindowsReservedPorts(TypedDict):
    ports: list[Port]


class SecretName(_Sourced):
    name: str


class AccessKeyPrefix(_Sourced):
    prefix: str
    kind: str


class SecuritySecrets(TypedDict):
    names: list[SecretName]
    accessKeyIdPrefixes: list[AccessKeyPrefix]


class LifecycleEntry(_Sourced):
    docker: str
    limits: str


class WindowsHostLifecycle(TypedDict):
    families: dict[str, LifecycleEntry]


class ReservedPort(Port):
    protocol: str
    service: str
    when: str


class WindowsReservedPorts(TypedDict):
    ports: list[ReservedPort]


class _Reason(TypedDict, total=False):
    reason: str


class UnsupportedKey(KeyEntry):
    reason: str


class UnsupportedContainerKey(KeyEntry, _Reason):
    """A container key Windows refuses, with the reason when the message gives one."""


class UnsupportedType(TypeEntry):
    reason: str


class WindowsUnsupportedParameters(TypedDict):
    container: list[UnsupportedContainerKey]
    resourceRequirementTypes: list[UnsupportedType]
    task: list[UnsupportedKey]


class _ReleaseDates(_Status, total=False):
    mainstream_end: str
    end_of_support: str
    revision_must_match: bool


class Release(_Sourced, _ReleaseDates):
    name: str
    title: str
    channel: str
    build: int
    tokens: list[str]
    os_families: list[str]


class CompatiblePair(_Sourced):
    host_build: int
    image_build: int
    severity: str
    note: str


class Repositories(_Sourced):
    repositories: list[str]


class NoLatestRepositories(Repositories):
    since: str


class _BuildRange(TypedDict, total=False):
    min_host_build: int
    max_host_build: int


class HostAvailability(_Sourced, _BuildRange):
    repository: str
    note: str


class LegacyNamespace(_Sourced):
    pattern: str
    replacements: dict[str, str]


class LinuxImages(Repositories):
    tag_words: list[str]


class WindowsVersions(TypedDict):
    releases: list[Release]
    compatible_pairs: list[CompatiblePair]
    no_latest_repositories: NoLatestRepositories
    multi_platform_repositories: Repositories
    host_availability: list[HostAvailability]
    legacy_namespace: LegacyNamespace
    linux_images: LinuxImages


@overload
def table(name: Literal["ecs-limits"]) -> EcsLimits: ...
@overload
def table(name: Literal["fargate-log-drivers"]) -> FargateLogDrivers: ...
@overload
def table(name: Literal["fargate-os-families"]) -> FargateOsFamilies: ...
@overload
def table(name: Literal["fargate-sizes"]) -> FargateSizes: ...
@overload
def table(name: Literal["fargate-unsupported-parameters"]) -> FargateUnsupportedParameters: ...
@overload
def table(name: Literal["fargate-windows-features"]) -> FargateWindowsFeatures: ...
@overload
def table(name: Literal["fargate-windows-reserved-ports"]) -> FargateWindowsReservedPorts: ...
@overload
def table(name: Literal["security-secrets"]) -> SecuritySecrets: ...
@overload
def table(name: Literal["windows-host-lifecycle"]) -> WindowsHostLifecycle: ...
@overload
def table(name: Literal["windows-reserved-ports"]) -> WindowsReservedPorts: ...
@overload
def table(name: Literal["windows-unsupported-parameters"]) -> WindowsUnsupportedParameters: ...
@overload
def table(name: Literal["windows-versions"]) -> WindowsVersions: ...
def table(name: str) -> Any:
    """The parsed content of ``data/<name>.json`` (shared: do not mutate it),
    typed by the ``TypedDict`` of its table."""
    return _load(name)


@cache
def _load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
