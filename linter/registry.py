"""Find every rule: the built-ins in ``ecslint.rules`` and third-party plugins.

Built-in rule modules are imported in sorted order with ``pkgutil`` (modules
whose name starts with ``_`` hold shared data and are skipped); every ``Rule``
object at module level is registered. Plugins come from the ``ecslint.rules``
entry-point group: each entry point is a module (scanned the same way) or an
iterable of ``Rule`` objects. An import error is raised, never skipped, and a
duplicate id or name is refused (cfn-lint's ``DuplicateRuleError``), so a
plugin can neither shadow a built-in rule nor vanish silently.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Iterable
from functools import lru_cache
from importlib.machinery import PathFinder
from types import ModuleType
from typing import TYPE_CHECKING

from ecslint.rule import FAMILIES, ID_PATTERN, NAME_PATTERN, Rule

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

BUILTIN_FAMILIES = frozenset(FAMILIES)
ENTRY_POINT_GROUP = "ecslint.rules"


class RegistryError(Exception):
    """A rule is malformed, or its id or name is already taken."""


def _rules_in(module: ModuleType) -> list[Rule]:
    return [value for value in vars(module).values() if isinstance(value, Rule)]


def builtin_rules() -> list[Rule]:
    """Import every module of ``ecslint.rules`` and return its rules."""
    import ecslint.rules as package

    found: list[Rule] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            found.extend(_rules_in(importlib.import_module(f"{package.__name__}.{info.name}")))
    return found


def entry_points(group: str) -> Iterable[EntryPoint]:
    """``importlib.metadata.entry_points(group=group)``.

    ``importlib.metadata`` costs about 13 ms to import (it brings ``email``,
    ``zipfile`` and ``csv``), a tenth of a one-file run, so it is imported only
    when some distribution on ``sys.path`` may declare the group
    (``_may_declare``); otherwise there is nothing it could find.
    """
    if not _may_declare(group):
        return ()
    from importlib.metadata import entry_points as find

    return find(group=group)


def _may_declare(group: str) -> bool:
    """Whether a distribution that ``importlib.metadata`` would find may declare
    entry points in ``group``.

    Looks where ``importlib.metadata`` looks (each ``sys.path`` directory's
    ``*.dist-info`` and ``*.egg-info`` folders, an ``.egg``'s ``EGG-INFO``) for an
    ``entry_points.txt`` that mentions ``group`` at all. Whatever it cannot look at
    this way (a zip file on ``sys.path``, a finder with distributions of its own,
    an unreadable file) counts as a yes.
    """
    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None):
            return True
    for entry in sys.path:
        if not isinstance(entry, str):
            return True
        root = entry or "."
        try:
            children = os.listdir(root)
        except OSError:
            if os.path.exists(root):  # a zip file, or a folder it cannot list
                return True
            continue
        egg = os.path.basename(root).lower().endswith(".egg")
        for child in children:
            low = child.lower()
            if not (low.endswith((".dist-info", ".egg-info")) or (egg and low == "egg-info")):
                continue
            try:
                with open(os.path.join(root, child, "entry_points.txt"), "rb") as handle:
                    if group.encode() in handle.read():
                        return True
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError:
                return True
    return False


def plugin_rules() -> list[Rule]:
    """Load the rules that installed distributions declare under ``ecslint.rules``."""
    found: list[Rule] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        loaded = point.load()
        if isinstance(loaded, ModuleType):
            found.extend(_rules_in(loaded))
        elif isinstance(loaded, Rule):
            found.append(loaded)
        elif isinstance(loaded, Iterable):
            found.extend(loaded)
        else:
            raise RegistryError(
                f"entry point {point.name!r} ({point.value}) is neither a module nor rules"
            )
    return found


def check_rules(builtins: Iterable[Rule], plugins: Iterable[Rule]) -> list[Rule]:
    """Validate ids and names and refuse duplicates.

    Rules come back sorted by number, which is the catalogue's order (E0xx, WIN1xx-2xx,
    FG3xx, ECS4xx, SEC5xx) because the hundreds digit is unique across families.
    """
    by_id: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    tagged = [(r, False) for r in builtins] + [(r, True) for r in plugins]
    for rule, is_plugin in tagged:
        if not isinstance(rule, Rule):
            raise RegistryError(f"{rule!r} is not an ecslint Rule")
        match = ID_PATTERN.match(rule.id)
        if not match:
            raise RegistryError(f"rule id {rule.id!r} is not a family prefix plus three digits")
        if is_plugin and match.group("family") in BUILTIN_FAMILIES:
            raise RegistryError(
                f"plugin rule {rule.id} ({rule.module}) uses the built-in family "
                f"{match.group('family')}; plugins need a family prefix of their own"
            )
        if not NAME_PATTERN.match(rule.name):
            raise RegistryError(f"rule name {rule.name!r} of {rule.id} is not kebab-case")
        for former in rule.former_ids:
            if not ID_PATTERN.match(former):
                raise RegistryError(f"former id {former!r} of {rule.id} is not an id")
        for former in rule.former_names:
            if not NAME_PATTERN.match(former):
                raise RegistryError(f"former name {former!r} of {rule.id} is not kebab-case")
        keys = [(by_id, key) for key in (rule.id, *rule.former_ids)]
        keys += [(by_name, key) for key in (rule.name, *rule.former_names)]
        for table, key in keys:
            if key in table:
                other = table[key]
                raise RegistryError(
                    f"duplicate rule {key!r}: defined by {other.module} and by {rule.module}"
                )
            table[key] = rule
    return sorted({r.id: r for r in by_id.values()}.values(),
                  key=lambda r: (r.id[len(r.family):], r.id))


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, built-ins and plugins, checked and sorted."""
    return tuple(check_rules(builtin_rules(), plugin_rules()))


def find_rule(key: str) -> Rule | None:
    """Look a rule up by id (any case) or name, current or former."""
    wanted = key.strip()
    for rule in all_rules():
        if wanted.upper() in rule.keys or wanted.lower() in rule.keys:
            return rule
    return None
