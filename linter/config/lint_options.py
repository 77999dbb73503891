"""What a lint run needs besides its sources: rules, selection, host knowledge, ignores.

``LintOptions`` is built once per configuration; the engine, worker processes
(which rebuild it from its ``Config``) and the unused-suppression check all read it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import TYPE_CHECKING

from ecslint.config.ignores import ConfigIgnores
from ecslint.config.selection import Selection
from ecslint.rule import HostKnowledge, Rule

if TYPE_CHECKING:
    from ecslint.config.settings import Config
    from ecslint.distribution.resolution import Resolution, ResolveSettings


@dataclass
class LintOptions:
    """Everything a run needs besides the files.

    ``config`` is the configuration the options were built from (``from_config``);
    worker processes rebuild the options from it, so only options that have one
    can lint in parallel.
    """

    rules: Sequence[Rule]
    selection: Selection
    host: HostKnowledge = field(default_factory=HostKnowledge)
    assumed_os: str | None = None
    default_launch_type: str = "EC2"
    ignores: ConfigIgnores | None = None
    base_dir: str = "."
    excludes: tuple[str, ...] = ()
    raise_rule_errors: bool = False
    config: Config | None = None
    # --resolve-images: how to ask the images' registries (``None``: never).
    resolve: ResolveSettings | None = None

    def __post_init__(self) -> None:
        self.enabled = self.selection.enabled_rules()
        self.enabled_ids = frozenset(r.id for r in self.enabled)
        self.checks = [r for r in self.enabled if r.check is not None]
        self.by_id = {r.id: r for r in self.rules}
        entries = self.ignores.entries if self.ignores is not None else ()
        self.ignore_index = {id(entry): index for index, entry in enumerate(entries)}
        # Whether per-file ignores or configuration ignores match file names at all.
        self.by_file = self.selection.by_file or bool(entries)

    @classmethod
    def from_config(cls, config: Config, rules: Sequence[Rule] | None = None, *,
                    base_dir: str | None = None, raise_rule_errors: bool = False) -> LintOptions:
        """The options ``config`` describes, over ``rules`` (default: every registered rule).

        ``base_dir`` is what per-file ignores and ``ignores`` match file names
        against (default: the configuration's directory). May raise
        ``SelectionError`` or ``ValueError``.
        """
        if rules is None:
            from ecslint.registry import all_rules

            rules = all_rules()
        return cls(
            rules=rules, selection=config.selection(rules), host=config.host_knowledge(),
            assumed_os=config.assumed_os, default_launch_type=config.launch_type,
            ignores=config.config_ignores(),
            base_dir=str(config.root) if base_dir is None else base_dir,
            excludes=config.exclude, raise_rule_errors=raise_rule_errors, config=config,
            resolve=resolve_settings(config) if config.resolve_images or config.offline else None,
        )

    def with_resolved(self, answers: Mapping[str, Resolution]) -> LintOptions:
        """These options, knowing what the images' registries answered."""
        config = replace(self.config, resolved_images=answers) if self.config else None
        return replace(self, host=replace(self.host, resolved=answers), config=config)

    def ran(self, rule: Rule, relpath: str) -> bool:
        """Whether ``rule`` runs on the file at ``relpath`` (relative to ``base_dir``)."""
        return rule.id in self.enabled_ids and not self.selection.ignored_for_file(rule, relpath)



def resolve_settings(config: Config) -> ResolveSettings:
    """How ``--resolve-images`` asks: the user cache directory (``XDG_CACHE_HOME``
    respected, ``LOCALAPPDATA`` on Windows) and Docker's own configuration file
    (``DOCKER_CONFIG`` respected) for credentials."""
    from ecslint.distribution.resolution import ResolveSettings

    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        cache = os.path.join(os.environ["LOCALAPPDATA"], "ecslint", "Cache")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        cache = os.path.join(base, "ecslint")
    docker = os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    return ResolveSettings(cache_dir=cache, offline=config.offline,
                           tag_ttl=float(config.image_tag_ttl),
                           docker_config=os.path.join(docker, "config.json"))


def relative_path(display: str, base_dir: str) -> str:
    """``display`` as a POSIX path relative to ``base_dir``, what globs match."""
    if display == "-":
        return display
    try:
        return PurePath(os.path.relpath(os.path.abspath(display), base_dir)).as_posix()
    except ValueError:
        return PurePath(display).as_posix()
