"""The shape of each fact table in ``data/*.json``, for type checkers and tests.

``ecslint.facts.table`` returns these types; nothing imports this module at run
time. The descriptions and ``$comment`` keys are for people and left out.
"""

from __future__ import annotations

from typing import TypedDict


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


class _Frameworks(TypedDict, total=False):
    frameworks: dict[str, list[str]]
    successors: dict[str, str]


class ImageTags(Repositories, _Frameworks):
    """The tags of a Microsoft repository that name a Windows release: templates with
    ``{token}`` (and ``{framework}``), each host release's token and, for .NET
    Framework images, the releases each framework version is published for and the
    version that takes over a version's images on later releases (4.8 to 4.8.1)."""

    tags: list[str]
    tokens: dict[str, str]


class WindowsVersions(TypedDict):
    releases: list[Release]
    compatible_pairs: list[CompatiblePair]
    no_latest_repositories: NoLatestRepositories
    multi_platform_repositories: Repositories
    host_availability: list[HostAvailability]
    image_tags: list[ImageTags]
    legacy_namespace: LegacyNamespace
    linux_images: LinuxImages
