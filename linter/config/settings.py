"""What the configuration means, and command-line overrides on top of it.

Configuration is found by walking up from a start directory (``ecslint check``:
each named path's, see ``CommonOptions.build_for``; ``ecslint aws``: the working
directory): the first directory holding ``.ecslint.yaml``, ``.ecslint.yml`` or a
``pyproject.toml`` with a ``[tool.ecslint]`` table wins, and within one
directory they rank in that order. ``--config PATH`` names the file instead
(``*.toml`` is read as pyproject.toml, anything else as YAML) and
``--isolated`` reads none (``ecslint.config.files`` does the reading).

Guarantees:
- A configuration that is not exactly right raises ``ConfigError`` listing
  every problem as ``file:line:column: message``; nothing is half applied.
- ``Config`` is immutable; ``Config.merged`` returns a new one with
  command-line values, checked like configuration values.
- Paths in ``per-file-ignores``, ``ignores`` and ``images[].dockerfile`` are
  relative to the configuration file's directory (``Config.root``; the working
  directory when there is no file).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecslint.config.checks import check, schema
from ecslint.config.files import ConfigError, find_config, read_data
from ecslint.config.ignores import ConfigIgnores, PointerIgnore
from ecslint.config.selection import Selection
from ecslint.platform.windows import parse_image_version, parse_windows_host
from ecslint.registry import all_rules
from ecslint.rule import ConfiguredImage, HostKnowledge, Rule

if TYPE_CHECKING:
    from ecslint.distribution.resolution import Resolution
    from ecslint.hosts import Placement

DEFAULT_FAIL_ON = "warning"


@dataclass(frozen=True)
class ImageVersion:
    """An ``images`` entry: a glob on image references and the Windows release of those
    images, given directly or through the (absolute) path of the Dockerfile that builds them."""

    pattern: str
    windows_version: str | None = None
    dockerfile: Path | None = None

    def configured(self) -> ConfiguredImage:
        """The entry as ``HostKnowledge.images`` holds it."""
        if self.windows_version:
            return {"pattern": self.pattern, "windows-version": self.windows_version}
        return {"pattern": self.pattern, "dockerfile": str(self.dockerfile)}


@dataclass(frozen=True)
class Config:
    """The settings of one run. ``source`` is the file they came from (``None`` when
    defaults); ``root`` is its directory, the base of every relative path in it."""

    root: Path
    source: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str = DEFAULT_FAIL_ON
    exclude: tuple[str, ...] = ()
    platform: str = "auto"
    launch_type: str = "EC2"
    windows_version: str | None = None
    windows_version_source: str | None = None
    memory_unbounded_workaround: bool = False
    cpu_unbounded_workaround: bool = False
    logging_drivers: tuple[str, ...] | None = None
    images: tuple[ImageVersion, ...] = ()
    ignores: tuple[PointerIgnore, ...] = ()
    resolve_images: bool = False
    offline: bool = False  # --offline: what the registries said, from the cache only
    image_tag_ttl: int = 24 * 3600
    # What the registries answered, once asked (``ecslint.resolving``): workers
    # rebuild their options from the configuration, so it travels here.
    resolved_images: Mapping[str, Resolution] = dataclasses.field(default_factory=dict)
    # The cluster's real hosts a group of task definitions is checked against
    # (``ecslint aws --cluster``); like the answers above, not read from a file.
    placement: Placement | None = None

    @property
    def assumed_os(self) -> str | None:
        """The OS to assume for tasks without a signal; ``None`` for ``auto``."""
        return None if self.platform == "auto" else self.platform

    def selection(self, rules: Sequence[Rule]) -> Selection:
        """The rule selection these settings describe (may raise ``SelectionError``)."""
        return Selection(rules, self.select, self.extend_select, self.ignore,
                         severity=dict(self.severity),
                         per_file_ignores=dict(self.per_file_ignores))

    def config_ignores(self) -> ConfigIgnores:
        """The pointer-scoped ``ignores`` entries, ready for the engine."""
        return ConfigIgnores(self.ignores)

    def host_knowledge(self) -> HostKnowledge:
        """What the rules may assume about the hosts and the images.

        ``images`` become ``{"pattern", "windows-version"}`` or
        ``{"pattern", "dockerfile"}`` dicts, the Dockerfile as an absolute path.
        """
        release, edition = (
            parse_windows_host(self.windows_version) if self.windows_version else (None, None)
        )
        images = tuple(image.configured() for image in self.images)
        return HostKnowledge(
            windows_release=release,
            windows_edition=edition,
            windows_source=self._windows_source() if release else None,
            memory_unbounded_workaround=self.memory_unbounded_workaround,
            cpu_unbounded_workaround=self.cpu_unbounded_workaround,
            logging_drivers=self.logging_drivers,
            images=images,
            resolved=self.resolved_images,
            placement=self.placement,
        )

    def _windows_source(self) -> str:
        if self.windows_version_source == "command line":
            return "--windows-host on the command line"
        if self.windows_version_source and self.windows_version_source.startswith("the "):
            return self.windows_version_source  # the container instances of a cluster
        where = self.source.name if self.source is not None else "the configuration"
        return f"host: windows-version in {where}"

    def merged(self, **overrides: Any) -> Config:
        """These settings with command-line values applied; ``None`` means not given.

        ``select`` replaces the configured ``select`` and drops the configured
        ``extend_select`` (as ruff's ``--select`` does); ``extend_select``,
        ``ignore``, ``exclude``, ``severity`` and ``per_file_ignores`` (mappings)
        add to the configured ones; every other field is replaced. Raises
        ``ValueError`` for a bad ``fail_on``, ``platform``, ``launch_type`` or
        ``windows_version`` and ``TypeError`` for an unknown field.
        """
        names = {f.name for f in dataclasses.fields(self)} - {
            "root", "source", "windows_version_source", "resolved_images", "placement"}
        unknown = set(overrides) - names
        if unknown:
            raise TypeError(f"unknown configuration fields: {', '.join(sorted(unknown))}")
        given = {k: v for k, v in overrides.items() if v is not None}
        changes: dict[str, Any] = {}
        if "select" in given:
            changes["select"], changes["extend_select"] = tuple(given.pop("select")), ()
        if "windows_version" in given:
            changes["windows_version_source"] = "command line"
        for name, value in given.items():
            if name in ("severity", "per_file_ignores"):
                value = tuple((k, _frozen(v)) for k, v in dict(value).items())
            if name in ("extend_select", "ignore", "exclude", "severity", "per_file_ignores"):
                value = changes.get(name, getattr(self, name)) + tuple(value)
            elif isinstance(value, list):
                value = tuple(value)
            changes[name] = value
        merged = dataclasses.replace(self, **changes)
        _check_choices(merged)
        return merged


def _frozen(value: Any) -> Any:
    return value if isinstance(value, str) else tuple(value)


def _check_choices(config: Config) -> None:
    properties = schema()["properties"]
    for field, key in (("fail_on", "fail-on"), ("platform", "platform"),
                       ("launch_type", "launch-type")):
        allowed = properties[key]["enum"]
        if getattr(config, field) not in allowed:
            raise ValueError(f"{key} must be one of {', '.join(allowed)}, "
                             f"not {getattr(config, field)!r}")
    if config.windows_version is not None:
        parse_windows_host(config.windows_version)


def load_config(
    cwd: Path | None = None,
    config_file: Path | None = None,
    isolated: bool = False,
    rules: Sequence[Rule] | None = None,
) -> Config:
    """The configuration of a run started in ``cwd`` (default: the working directory).

    Selectors are checked against ``rules`` (default: every registered rule).
    """
    start = (cwd or Path.cwd()).absolute()
    if isolated and config_file is not None:
        raise ConfigError(["--config and --isolated cannot be used together"])
    path = None if isolated else (config_file or find_config(start))
    if path is None:
        return Config(root=start)
    return read_config(path, rules)


def read_config(path: Path, rules: Sequence[Rule] | None = None) -> Config:
    """Read, validate and return the configuration in ``path``."""
    if rules is None:
        rules = all_rules()
    data, locate = read_data(path)
    root = path.absolute().parent
    problems = check(data, root, rules)
    if problems:
        placed = sorted((locate(p.path, p.on_key, p.value), p.message) for p in problems)
        raise ConfigError([f"{path}:{line}:{column}: {message}"
                           for (line, column), message in placed])
    return _build(data, path, root)


def _build(data: dict[str, Any], source: Path, root: Path) -> Config:
    host = data.get("host", {})
    return Config(
        root=root,
        source=source,
        select=tuple(data["select"]) if "select" in data else None,
        extend_select=tuple(data.get("extend-select", ())),
        ignore=tuple(data.get("ignore", ())),
        per_file_ignores=tuple(
            (glob, tuple(selectors)) for glob, selectors in data.get("per-file-ignores", {}).items()
        ),
        severity=tuple(data.get("severity", {}).items()),
        fail_on=data.get("fail-on", DEFAULT_FAIL_ON),
        exclude=tuple(data.get("exclude", ())),
        platform=data.get("platform", "auto"),
        launch_type=data.get("launch-type", "EC2"),
        resolve_images=data.get("resolve-images", False),
        image_tag_ttl=data.get("image-tag-ttl", 24 * 3600),
        windows_version=host.get("windows-version"),
        windows_version_source="configuration file" if "windows-version" in host else None,
        memory_unbounded_workaround=host.get("memory-unbounded-workaround", False),
        cpu_unbounded_workaround=host.get("cpu-unbounded-workaround", False),
        logging_drivers=(
            tuple(host["logging-drivers"]) if "logging-drivers" in host else None
        ),
        images=tuple(
            ImageVersion(
                item["pattern"],
                parse_image_version(item["windows-version"]) if "windows-version" in item
                else None,
                Path(os.path.realpath(root / item["dockerfile"])) if "dockerfile" in item
                else None,
            )
            for item in data.get("images", ())
        ),
        ignores=tuple(
            PointerIgnore(item["path"], item["pointer"], tuple(item["rules"]), item["reason"])
            for item in data.get("ignores", ())
        ),
    )
