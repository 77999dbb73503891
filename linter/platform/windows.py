"""Which Windows build a task's hosts run and which build each of its images needs.

ECS runs Windows containers with process isolation only, so an image starts
only on a host of the same Windows build (windows-ecs-facts.md §5a, §5b, §5e).
This module decides both sides and says, in words, which signal decided:

- the host: ``runtimePlatform.operatingSystemFamily``, a ``memberOf``
  constraint naming one ``ecs.os-family``, or the configured host version
  (``--windows-host`` / ``host: windows-version``) for tasks that run on EC2
  or EXTERNAL instances;
- an image: a configured image pattern (a Windows version, or the Dockerfile
  that builds the image, followed through ``ARG`` defaults and multi-stage
  builds to the final stage's base), else a full ``10.0.NNNNN`` build tag,
  else a version token in the tag (``ltsc2022``, ``1809``, ``20H2``). Bare
  numeric tokens (``1809``) count only for images that are otherwise
  recognisably Windows, so ``myapp:2004`` is not taken for Windows 2004.

The facts (builds, tokens, lifecycle, repositories) live in
``data/windows-versions.json``. Nothing here raises on odd input: a value that
cannot be read gives ``None`` and a signal saying why.
"""

from __future__ import annotations

import datetime
import fnmatch
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ecslint.facts import table
from ecslint.kinds import OS
from ecslint.platform.images import is_windows_image, split_image
from ecslint.report.model import BuildDecision
from ecslint.rule import ConfiguredImage, Container, HostKnowledge, TaskView, is_unresolved

if TYPE_CHECKING:  # what --resolve-images and --cluster bring: imported when they are used
    from ecslint.distribution.resolution import Resolution, Resolved
    from ecslint.hosts import Instance

MAX_DOCKERFILE_BYTES = 1 << 20
MAX_ARG_EXPANSION = 1 << 20  # characters substituted for ARG references, per Dockerfile
_MAX_DEPTH = 4
_CACHE_LIMIT = 512
_FULL_BUILD = re.compile(r"(?<![0-9])10\.0\.(\d{5})(?:\.(\d+))?(?![0-9])")
_DOCKER_HUB = re.compile(
    r"^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)/)?(?:library/)?", re.I)
_ECR_PUBLIC_LIBRARY = re.compile(r"^public\.ecr\.aws/docker/library/", re.I)


def today() -> datetime.date:
    """The date support ends are judged against: ``ECSLINT_TODAY`` (``YYYY-MM-DD``) when
    set, so CI runs and tests are reproducible, else the local date."""
    pinned = os.environ.get("ECSLINT_TODAY")
    if pinned:
        try:
            return datetime.date.fromisoformat(pinned.strip())
        except ValueError:
            pass
    return datetime.date.today()


@dataclass(frozen=True)
class Release:
    """A Windows release: its name (``2022``, ``20H2``), OS build and lifecycle."""

    name: str
    title: str
    build: int
    channel: str
    end_of_support: str | None = None
    tokens: tuple[str, ...] = ()
    os_families: tuple[str, ...] = ()
    source: str = ""

    @property
    def is_end_of_life(self) -> bool:
        """Whether ``today()`` is past the last supported day; computed at each call,
        never stored, so a release leaves support on its date."""
        return self.end_of_support is not None and today() > datetime.date.fromisoformat(
            self.end_of_support)

    @property
    def label(self) -> str:
        """``Windows Server 2022 (build 20348)``, for messages."""
        return f"{self.title} (build {self.build})"


@cache
def releases() -> tuple[Release, ...]:
    """Every release of the data file, oldest build first."""
    return tuple(sorted((
        Release(name=r["name"], title=r["title"], build=r["build"], channel=r["channel"],
                end_of_support=r.get("end_of_support"),
                tokens=tuple(r["tokens"]), os_families=tuple(r["os_families"]),
                source=r["source"])
        for r in table("windows-versions")["releases"]
    ), key=lambda r: r.build))


@cache
def _lookup() -> dict[str, Release]:
    found: dict[str, Release] = {}
    for release in releases():
        found.setdefault(release.name.lower(), release)
        for key in (*release.tokens, *release.os_families):
            found.setdefault(key.lower(), release)
    return found


@cache
def _token_pattern() -> re.Pattern[str]:
    tokens = sorted({t for r in releases() for t in r.tokens}, key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9])(" + "|".join(map(re.escape, tokens)) + r")(?![A-Za-z0-9])",
                      re.I)


def parse_release(value: Any) -> Release | None:
    """The release a name, tag token, operatingSystemFamily value or ECS-optimized AMI
    name denotes (``2022``, ``ltsc2022``, ``WINDOWS_SERVER_2022_CORE``,
    ``Windows_Server-2022-English-Core-ECS_Optimized``); ``None`` when it names none."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    ami = re.match(r"^windows_server-(\w+)-english-(?:full|core)-ecs_optimized", text)
    return _lookup().get(ami.group(1) if ami else text)


# An operatingSystemFamily value, whatever release it names (ECS may add more).
_FAMILY = re.compile(r"^WINDOWS_SERVER_(?P<release>[0-9A-Z]+)_(?:FULL|CORE)$")
# An ECS-optimized Windows AMI name: Windows_Server-2022-English-Core-ECS_Optimized[-2025.09.13]
_AMI_NAME = r"Windows_Server-(?P<release>\w+?)-English-(?P<edition>Full|Core)-ECS_Optimized"
_AMI = re.compile(rf"^{_AMI_NAME}(?:-\d{{4}}\.\d{{2}}\.\d{{2}})?$", re.IGNORECASE)
_AMI_IN_TEXT = re.compile(_AMI_NAME, re.IGNORECASE)


def ami_release(text: str) -> tuple[str, str] | None:
    """The (release, edition) of the ECS-optimized Windows AMI a text names anywhere
    in it (an SSM parameter path such as
    ``/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id``)."""
    match = _AMI_IN_TEXT.search(text)
    return (match.group("release").upper(), match.group("edition").upper()) if match else None


def family_release(value: Any) -> str | None:
    """The release word of an operatingSystemFamily value (``WINDOWS_SERVER_2016_FULL``
    gives ``2016``), known to ecslint or not; ``None`` for anything else."""
    if not isinstance(value, str) or is_unresolved(value):
        return None
    match = _FAMILY.match(value.strip().upper())
    return match.group("release") if match else None


@cache
def os_families() -> dict[str, tuple[str, str]]:
    """Every operatingSystemFamily value ECS accepts, oldest release first, with its
    (release, edition): ``WINDOWS_SERVER_2022_CORE`` gives ``("2022", "CORE")``."""
    return {family: (release.name, family.rsplit("_", 1)[1])
            for release in releases() for family in release.os_families}


@cache
def host_releases() -> tuple[str, ...]:
    """The releases a host can run on ECS (those with an operatingSystemFamily), the
    long-term ones first."""
    hosts = [r for r in releases() if r.os_families]
    return tuple(r.name for r in sorted(hosts, key=lambda r: (r.channel != "LTSC", r.build)))


def _forms() -> str:
    return (f"give a release ({', '.join(host_releases())}), an operatingSystemFamily value "
            "such as WINDOWS_SERVER_2022_CORE, or an ECS-optimized AMI name such as "
            "Windows_Server-2022-English-Core-ECS_Optimized")


def _token_release(value: str) -> str | None:
    """The release an image tag token (``ltsc2022``, ``1809``) names."""
    token = value.lower()
    return next((r.name for r in releases() if token in r.tokens), None)


def parse_windows_host(value: str) -> tuple[str, str | None]:
    """The (release, edition) a configured host Windows version names.

    Accepts a release (``2022``; the edition is then ``None``), an
    operatingSystemFamily value (``WINDOWS_SERVER_2022_CORE``) or an
    ECS-optimized AMI name with or without its date suffix; edition is
    ``FULL`` or ``CORE``. Raises ``ValueError`` saying which forms are valid.
    """
    if value.upper() in host_releases():
        return value.upper(), None
    ami = _AMI.match(value)
    family = (
        f"WINDOWS_SERVER_{ami.group('release')}_{ami.group('edition')}".upper() if ami
        else value.upper()
    )
    if family in os_families():
        return os_families()[family]
    if ami or re.match(r"^WINDOWS_SERVER_\w+_(?:FULL|CORE)$", value, re.IGNORECASE):
        valid = ", ".join(os_families())
        raise ValueError(f"{value!r} names no Windows Server release and edition ECS "
                         f"supports (operatingSystemFamily values: {valid})")
    token = _token_release(value)
    if token is not None:
        raise ValueError(f"{value!r} is an image tag token; the host release is {token!r}")
    raise ValueError(f"unknown Windows version {value!r}: {_forms()}")


def instances_release(instances: Iterable[Instance]) -> tuple[str, str | None, str] | None:
    """The (release, edition, words that say so) of a cluster's Windows container
    instances when they all run one release (``instances_releases``); the edition only
    when they share it too. ``None`` when there is no Windows instance, or one whose
    release is not known, or they differ."""
    found = instances_releases(instances)
    releases = {release for release, _ in found or ()}
    if found is None or len(releases) != 1:
        return None
    [release] = releases
    editions = {edition for _, edition in found}
    counted = ", ".join(f"{count} WINDOWS_SERVER_{name}_{edition}"
                        for (name, edition), count in sorted(found.items()))
    return release, editions.pop() if len(editions) == 1 else None, counted


def instances_releases(instances: Iterable[Instance]) -> dict[tuple[str, str], int] | None:
    """How many of ``instances``' Windows ones run each (release, edition): each by
    its ``ecs.os-family`` attribute, else by the name of its AMI; ``None`` when one's
    release is not known."""
    found: dict[tuple[str, str], int] = {}
    for instance in instances:
        if instance.os_type != "windows":
            continue
        family = os_families().get((instance.os_family or "").upper())
        known = family or (ami_release(instance.ami_name) if instance.ami_name else None)
        if known is None:
            return None
        found[known] = found.get(known, 0) + 1
    return found


def parse_image_version(value: str) -> str:
    """The release a configured image Windows version names: the host forms, or an
    image tag token (``ltsc2022``, ``1809``)."""
    token = _token_release(value)
    if token is not None:
        return token
    try:
        return parse_windows_host(value)[0]
    except ValueError:
        raise ValueError(f"unknown Windows version {value!r}: {_forms()}, "
                         "or an image tag token such as ltsc2022 or 1809") from None


def release_for_build(build: int) -> Release | None:
    return next((r for r in releases() if r.build == build), None)


def compatibility(host: Release, image: Release) -> tuple[str, str] | None:
    """``None`` when an image of this release starts on the host under process
    isolation; else ``(severity, note)``: ``warning`` where the sources conflict
    (an ltsc2022 image on a 2025 host, §5b), ``error`` otherwise."""
    if host.build == image.build:
        return None
    for pair in table("windows-versions")["compatible_pairs"]:
        if (pair["host_build"], pair["image_build"]) == (host.build, image.build):
            return pair["severity"], pair["note"]
    return "error", "Windows does not start a process-isolated container of another build"


def host_build(task: TaskView) -> tuple[Release | None, str]:
    """The Windows release of the hosts a task runs on, and the signal that decided.

    ``runtimePlatform.operatingSystemFamily`` wins, then a ``memberOf``
    constraint with one ``ecs.os-family`` value (both as the platform
    detection read them), then the configured hosts (``configured_host``).
    """
    platform = task.platform
    if not platform.is_windows:
        known = "not known to be" if platform.os == OS.UNKNOWN else "not"
        return None, f"{known} a Windows task ({platform.os_signal})"
    runtime = task.data.get("runtimePlatform")
    family = runtime.get("operatingSystemFamily") if isinstance(runtime, dict) else None
    if is_unresolved(family):
        return None, "runtimePlatform.operatingSystemFamily is known only at deploy time"
    if platform.os_family:
        release = parse_release(platform.os_family)
        if release is None:
            return None, f"{platform.os_family!r} names no known Windows release"
        return release, os_reason(task)
    configured = configured_host(task)
    if configured is not None:
        return configured
    if platform.on_ec2:
        return None, ("no operatingSystemFamily, no ecs.os-family constraint and no "
                      "configured host Windows version")
    return None, "no runtimePlatform.operatingSystemFamily"


def configured_host(task: TaskView) -> tuple[Release, str] | None:
    """The release of the configured hosts and where it came from, for a Windows task
    that can run on EC2 or EXTERNAL instances (Fargate picks its host from
    runtimePlatform alone). The command line wins over the configuration file, which
    wins over a template's own container instances (``HostKnowledge.windows_source``)."""
    host = task.host
    if not (host.windows_release and task.platform.is_windows and task.platform.on_ec2):
        return None
    release = parse_release(host.windows_release)
    if release is None:
        return None
    return release, f"{host.windows_release} from {host.windows_source or 'the configuration'}"


def host_builds(task: TaskView) -> list[tuple[Release, str]]:
    """Every host release a task's images must match: the one ``host_build`` decides and,
    when they differ, the configured hosts the task runs on."""
    first, signal = host_build(task)
    found = [(first, signal)] if first is not None else []
    configured = configured_host(task)
    if configured is not None and all(r.build != configured[0].build for r, _ in found):
        found.append(configured)
    return found or landing_releases(task)


def landing_releases(task: TaskView) -> list[tuple[Release, str]]:
    """The releases of the container instances a Windows task on EC2 can land on when
    they run several (``ecslint aws --cluster``; one release is the configured hosts'),
    oldest first, each with how many instances run it."""
    placement = task.host.placement
    if placement is None or not (task.platform.is_windows and task.platform.on_ec2):
        return []
    landing = placement.landing(task.data) or ()
    found = instances_releases(landing) or {}
    counts: dict[str, int] = {}
    for (name, _), count in found.items():
        counts[name] = counts.get(name, 0) + count
    releases = [(release, counts[name]) for name in counts
                for release in [parse_release(name)] if release is not None]
    if len(releases) < 2:
        return []
    total = sum(counts.values())
    return [(release, f"{count} of the {total} Windows container instances of cluster "
                      f"{placement.cluster!r} it can land on")
            for release, count in sorted(releases, key=lambda pair: pair[0].build)]


def os_reason(task: TaskView) -> str:
    """The signal that decided the task's OS, with the operatingSystemFamily value."""
    signal = task.platform.os_signal
    name = "runtimePlatform.operatingSystemFamily"
    if signal.startswith(name) and task.platform.os_family:
        return f"{name} {task.platform.os_family}{signal[len(name):]}"
    return signal


def image_build(image: str, host: HostKnowledge, *, base_dir: str | os.PathLike[str] | None = None
                ) -> tuple[Release | None, str]:
    """The Windows release an image is built on, and the signal that decided.

    Configured image patterns come first (the user's knowledge beats a guess
    from the tag), then a full ``10.0.NNNNN`` build tag, then a version token
    in the tag. Relative Dockerfile paths are taken from ``base_dir`` (default:
    the working directory); configuration already makes them absolute.
    """
    return _image_build(image, host, base_dir, 0)


def _image_build(image: Any, host: HostKnowledge, base_dir: Any, depth: int
                 ) -> tuple[Release | None, str]:
    if not isinstance(image, str) or not image.strip():
        return None, "no image reference"
    image = image.strip()
    answer = registry_answer(image, host)
    if answer is not None:
        builds = offered_builds(answer)
        if len(builds) == 1:
            return build_release(builds[0]), registry_signal(answer)
        if builds:
            return None, (f"a multi-platform tag offering builds "
                          f"{', '.join(map(str, builds))} ({answer.source}): the host decides")
        return None, f"no Windows image: {registry_signal(answer)}"
    entry = _configured(image, host)
    if entry is not None:
        pattern = entry.get("pattern")
        version = entry.get("windows-version")
        if isinstance(version, str):
            release = parse_release(version)
            if release is not None:
                return release, f"configured image pattern {pattern!r} (windows-version {version})"
            return None, f"configured image pattern {pattern!r} names unknown version {version!r}"
        dockerfile = entry.get("dockerfile")
        if isinstance(dockerfile, str) and dockerfile:
            path = os.path.join(os.fspath(base_dir or os.getcwd()), dockerfile)
            return _from_dockerfile(path, host, base_dir, depth)
    return tag_build(image)


def registry_answer(image: str, host: HostKnowledge) -> Resolved | None:
    """What the image's registry said about it (``--resolve-images``), if it answered."""
    if not host.resolved:
        return None
    from ecslint.distribution.resolution import Resolved

    answer = host.resolved.get(image.strip())
    return answer if isinstance(answer, Resolved) else None


def registry_os(image: str, resolved: Mapping[str, Resolution]) -> OS | None:
    """What an image's registry says of its OS: Windows when every variant is a
    Windows image, Linux when none is, ``None`` when mixed or not answered."""
    if not resolved:
        return None
    from ecslint.distribution.resolution import Resolved

    answer = resolved.get(image.strip())
    if not isinstance(answer, Resolved) or not answer.platforms:
        return None
    if not answer.windows:
        return OS.LINUX
    return OS.WINDOWS if len(answer.windows) == len(answer.platforms) else None


def offered_builds(answer: Resolved) -> tuple[int, ...]:
    """The distinct Windows builds an image offers, in the order its registry lists
    them (the order Docker walks)."""
    builds = (platform.build for platform in answer.windows)
    return tuple(dict.fromkeys(build for build in builds if build is not None))


def registry_signal(answer: Resolved) -> str:
    """What the registry said, for a message: ``registry manifest list: windows
    10.0.20348.2527, linux/amd64``."""
    offered = ", ".join(dict.fromkeys(
        f"windows {platform.os_version}" if platform.os == OS.WINDOWS and platform.os_version
        else f"{platform.os}/{platform.architecture}" for platform in answer.platforms))
    return f"{answer.source}: {offered or 'no platform'}"


def build_release(build: int) -> Release:
    """The release of a Windows build, or one named by the build when it is no release
    ecslint knows (an Insider build)."""
    return release_for_build(build) or Release(
        name=f"10.0.{build}", title=f"Windows 10.0.{build}", build=build, channel="unknown")


def docker_pick(builds: tuple[int, ...], host: int) -> int | None:
    """The build Docker pulls from a multi-platform tag offering ``builds`` (in the
    list's order) onto a host of build ``host``: one of the host's build, else the
    first not newer than the host; ``None``: none fits, and the pull fails ("no
    matching manifest"). Moby skips entries newer than the host and moves the ones
    of the host's build to the front (distribution/pull_v2_windows.go)."""
    if host in builds:
        return host
    return next((build for build in builds if build <= host), None)


def tag_build(image: str) -> tuple[Release | None, str]:
    """The Windows release an image reference's tag names (no configuration)."""
    _, tag, digest = split_image(image.strip())
    if tag is None:
        return None, ("pinned by digest only; the reference names no Windows version" if digest
                      else "untagged: Docker pulls 'latest', which names no Windows version")
    windows = is_windows_image(image)
    full = _FULL_BUILD.search(tag)
    if full:
        build = int(full.group(1))
        release = release_for_build(build)
        if release is not None:
            return release, f"full build tag {full.group(0)!r}"
        if windows:
            return (Release(name=f"10.0.{build}", title=f"Windows 10.0.{build}", build=build,
                            channel="unknown"),
                    f"full build tag {full.group(0)!r}")
    found: dict[int, tuple[Release, str]] = {}
    for match in _token_pattern().finditer(tag):
        token = match.group(1)
        release = _lookup()[token.lower()]
        if token.isdigit() and not windows:
            continue
        found.setdefault(release.build, (release, token))
    if len(found) == 1:
        release, token = next(iter(found.values()))
        return release, f"tag token {token!r}"
    if found:
        tokens = ", ".join(repr(token) for _, token in found.values())
        return None, f"tag {tag!r} names several Windows versions ({tokens})"
    if tag.lower() == "latest":
        return None, "tag 'latest' names no Windows version"
    return None, f"tag {tag!r} names no Windows version"


def _configured(image: str, host: HostKnowledge) -> ConfiguredImage | None:
    repository = split_image(image)[0].lower()
    reference = image.lower()
    for entry in host.images if isinstance(host.images, (tuple, list)) else ():
        pattern = entry.get("pattern") if isinstance(entry, dict) else None
        if isinstance(pattern, str) and pattern:
            pattern = pattern.lower()
            if fnmatch.fnmatchcase(reference, pattern) or fnmatch.fnmatchcase(repository, pattern):
                return entry
    return None


def _from_dockerfile(path: str, host: HostKnowledge, base_dir: Any, depth: int
                     ) -> tuple[Release | None, str]:
    base, detail = dockerfile_base(path)
    shown = _display(path)
    if base is None:
        return None, f"Dockerfile {shown}: {detail}"
    if depth >= _MAX_DEPTH:
        return None, f"Dockerfile {shown}: {detail}; too many Dockerfiles in a chain"
    release, signal = _image_build(base, host, base_dir, depth + 1)
    return release, f"Dockerfile {shown}: {detail} ({signal})"


def _display(path: str) -> str:
    """A path as messages show it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith(os.pardir) else relative.replace(os.sep, "/")


# --- Dockerfiles ------------------------------------------------------------------

_DIRECTIVE = re.compile(r"^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$")
_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-+])(?P<word>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")
_dockerfiles: dict[str, tuple[tuple[int, int], tuple[str | None, str]]] = {}


# Stages a reason names on the way from the final FROM to the base image.
_STAGES_SHOWN = 5


def dockerfile_base(path: str | os.PathLike[str]) -> tuple[str | None, str]:
    """The base image of a Dockerfile's final stage, and how it was found.

    Reads at most ``MAX_DOCKERFILE_BYTES`` of a regular file and never raises:
    an unreadable, oversized or unparseable file gives ``None`` and the reason.
    Results are cached per path until the file's size or mtime changes.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if info.st_size > MAX_DOCKERFILE_BYTES:
            return None, f"larger than {MAX_DOCKERFILE_BYTES} bytes; not read"
        stamp = (info.st_mtime_ns, info.st_size)
        cached = _dockerfiles.get(name)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with open(name, "rb") as handle:
            raw = handle.read(MAX_DOCKERFILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return None, f"cannot be read ({reason})"
    if len(raw) > MAX_DOCKERFILE_BYTES:
        return None, f"larger than {MAX_DOCKERFILE_BYTES} bytes; not read"
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    result = parse_dockerfile(raw.decode(encoding, errors="replace"))
    if len(_dockerfiles) >= _CACHE_LIMIT:
        _dockerfiles.clear()
    _dockerfiles[name] = (stamp, result)
    return result


def parse_dockerfile(text: str) -> tuple[str | None, str]:
    """The final stage's base image of Dockerfile text, and how it was found.

    Follows the parser's ``escape`` directive, line continuations and comment
    lines, ``ARG`` defaults declared before the first ``FROM`` (``$VAR``,
    ``${VAR}``, ``${VAR:-word}``, ``${VAR:+word}``), ``FROM`` flags such as
    ``--platform``, and ``FROM <stage>`` back to that stage's base.
    """
    try:
        return _parse_dockerfile(text)
    except _ExpansionTooLarge:
        return None, (f"ARG defaults expand to more than {MAX_ARG_EXPANSION:,} characters "
                      "before the first FROM; not followed")


class _ExpansionTooLarge(Exception):
    pass


class _Budget:
    """Characters that ``ARG`` references may still substitute: each ``ARG A=${B}${B}``
    may double the text, so 40 lines of 670 bytes would otherwise need gigabytes."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_ARG_EXPANSION

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _ExpansionTooLarge


def _parse_dockerfile(text: str) -> tuple[str | None, str]:
    escape, lines = _logical_lines(text.lstrip("\ufeff"))
    args: dict[str, str | None] = {}
    budget = _Budget()
    stages: list[tuple[str | None, str, str]] = []  # (stage name, image, as written)
    for line in lines:
        parts = line.split(None, 1)
        instruction = parts[0].upper()
        rest = parts[1] if len(parts) > 1 else ""
        if instruction == "ARG" and not stages:
            for word in _words(rest):
                key, eq, default = word.partition("=")
                value = _expand(default, args, escape, budget)[0] if eq else None
                args[key] = value
        elif instruction == "FROM":
            words = [w for w in rest.split() if not w.startswith("--")]
            if not words:
                return None, "a FROM instruction names no image"
            image, missing = _expand(words[0], args, escape, budget)
            if image is None:
                return None, (f"FROM {words[0]} uses ${missing}, which has no default before "
                              "the first FROM (only a --build-arg sets it)")
            stage = words[2].lower() if len(words) > 2 and words[1].lower() == "as" else None
            stages.append((stage, image, words[0]))
    if not stages:
        return None, "no FROM instruction"
    stage, image, written = stages[-1]
    detail = _from_text(written, image)
    names = [s[0] for s in stages]
    index, shown = len(stages) - 1, 0
    while image.lower() in names[:index]:
        index = names.index(image.lower())
        stage, image, written = stages[index]
        shown += 1
        if shown <= _STAGES_SHOWN:
            detail += f", stage {_short(stage or '')!r} {_from_text(written, image)}"
        elif shown == _STAGES_SHOWN + 1:
            detail += ", ..."
    if image.lower() == "scratch":
        return None, f"{detail}: scratch has no Windows base"
    return image, detail


def _from_text(written: str, image: str) -> str:
    """A FROM line as the reason quotes it: the ARG defaults can expand it to a
    megabyte, and the reason is in every report of the task."""
    if written == image:
        return f"FROM {_short(written)}"
    return f"FROM {_short(written)} (ARG defaults: {_short(image)})"


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


def _logical_lines(text: str) -> tuple[str, list[str]]:
    physical = [line.rstrip("\r") for line in text.split("\n")]
    escape = "\\"
    start = 0
    while start < len(physical):
        directive = _DIRECTIVE.match(physical[start].strip())
        if not directive:
            break
        if directive.group(1).lower() == "escape" and directive.group(2) in ("\\", "`"):
            escape = directive.group(2)
        start += 1
    continuation = re.compile(re.escape(escape) + r"[ \t]*$")
    lines: list[str] = []
    pending = ""
    for line in physical[start:]:
        stripped = line.strip()
        if stripped.startswith("#") or (pending and not stripped):
            continue
        match = continuation.search(line)
        if match:
            pending += line[:match.start()] + " "
            continue
        joined = (pending + line).strip()
        pending = ""
        if joined:
            lines.append(joined)
    if pending.strip():
        lines.append(pending.strip())
    return escape, lines


def _words(text: str) -> Iterator[str]:
    """Whitespace-separated words, quotes kept together and removed."""
    for match in re.finditer(r"""(?:"[^"]*"|'[^']*'|[^\s"'])+""", text):
        yield re.sub(r""""([^"]*)"|'([^']*)'""", lambda m: m.group(1) or m.group(2) or "",
                     match.group(0))


def _expand(word: str, args: dict[str, str | None], escape: str, budget: _Budget
            ) -> tuple[str | None, str]:
    """``word`` with ``ARG`` defaults substituted (no ``--build-arg`` assumed), or
    ``(None, name)`` when a variable has no value before the first ``FROM``. Every
    substituted value is charged to ``budget``, which raises once it is spent."""
    out: list[str] = []
    i = 0
    while i < len(word):
        char = word[i]
        if char == escape and word[i + 1:i + 2] == "$":
            out.append("$")
            i += 2
            continue
        match = _VARIABLE.match(word, i) if char == "$" else None
        if match is None:
            out.append(char)
            i += 1
            continue
        name = match.group("braced") or match.group("bare")
        op = match.group("op")
        value = args.get(name)  # None: undeclared, or declared without a default
        if op is None:
            if value is None:
                return None, name
        elif op in (":-", "-"):
            if not (value if op == ":-" else value is not None):
                value, missing = _expand(match.group("word") or "", args, escape, budget)
                if value is None:
                    return None, missing
        elif value if op == ":+" else value is not None:
            value, missing = _expand(match.group("word") or "", args, escape, budget)
            if value is None:
                return None, missing
        else:
            value = ""
        if value:
            budget.spend(len(value))
            out.append(value)
        i = match.end()
    return "".join(out), ""


# --- Images -----------------------------------------------------------------------

def normalize_repository(repository: str) -> str:
    """A repository as the data file names it: lower-case, without ``docker.io/``,
    ``library/`` or ``public.ecr.aws/docker/library/``."""
    repository = repository.strip().lower()
    repository = _ECR_PUBLIC_LIBRARY.sub("", repository)
    return _DOCKER_HUB.sub("", repository)


@cache
def _linux_tag() -> re.Pattern[str]:
    words = table("windows-versions")["linux_images"]["tag_words"]
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, words))
                      + r")(?:\d+(?:\.\d+)*)?(?![A-Za-z0-9])", re.I)


def is_linux_image(image: str) -> bool:
    """True when the reference clearly names a Linux-only image: a Linux distribution's
    repository (``alpine``, ``amazonlinux``, ``ubuntu`` ...) or a Linux variant tag
    (``-alpine``, ``-bookworm``, ``-jammy`` ...). Anything doubtful is False."""
    if not isinstance(image, str) or not image.strip() or is_windows_image(image):
        return False
    repository, tag, _ = split_image(image.strip())
    name = repository.rsplit("/", 1)[-1].lower()
    if name in table("windows-versions")["linux_images"]["repositories"]:
        return True
    return tag is not None and _linux_tag().search(tag) is not None


def is_windows_reference(image: str, host: HostKnowledge, *, base_dir: Any = None) -> bool:
    """True when an image is a Windows image: by its reference (§5d), or because a
    configured pattern, its Dockerfile or a build tag gives it a Windows release; with
    the registry's answer, when it offers Windows images only."""
    if registry_answer(image, host) is not None:
        return registry_os(image, host.resolved) == OS.WINDOWS
    return is_windows_image(image) or image_build(image, host, base_dir=base_dir)[0] is not None


def container_images(task: TaskView) -> Iterator[tuple[Container, str]]:
    """Each container with a known image reference (CloudFormation intrinsics,
    dynamic references, non-strings and blanks are skipped)."""
    for container in task.containers:
        image = container.data.get("image")
        if isinstance(image, str) and image.strip() and not is_unresolved(image):
            yield container, image.strip()


def build_summary(task: TaskView, *, base_dir: Any = None
                  ) -> tuple[BuildDecision, tuple[BuildDecision, ...]]:
    """What ``--format json`` and ``--verbose`` can show for a task: the host's
    release and build with its signal (and the configured hosts, where the task
    names another release), and each container image's."""
    images = tuple(
        BuildDecision(*_described(*image_build(image, task.host, base_dir=base_dir)),
                      container.name, image, answer.digest if answer is not None else None)
        for container, image in container_images(task)
        for answer in [registry_answer(image, task.host)]
    )
    release, signal = host_build(task)
    configured = configured_host(task)
    if configured is not None and (release is None or configured[0].build != release.build):
        signal = f"{signal}; the configured hosts run {configured[0].label} ({configured[1]})"
    return BuildDecision(*_described(release, signal)), images


def _described(release: Release | None, signal: str) -> tuple[str | None, int | None, str]:
    return (release.name if release else None, release.build if release else None, signal)
