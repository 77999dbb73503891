"""Check configuration data against ``config.schema.json`` and the rule registry.

The checks are format-neutral: each problem names the path of the offending
key or value, and the reader of the file (YAML or TOML) turns the path into a
line and column. Messages name the setting (``ignores[0].pointer``) and, for
unknown keys, enum values and selectors, the closest valid spelling. Values of
the wrong type are reported once, by the schema, and skipped by the semantic
checks (selectors, globs, Windows versions, Dockerfile paths) that follow.

The forms a Windows version takes in configuration are ``ecslint.platform.windows``'s
(``parse_windows_host``, ``parse_image_version``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, cast

from ecslint.config.selection import SelectionError, did_you_mean, glob_problem, resolve_selector
from ecslint.load.sourcemap import Path
from ecslint.load.sources import file_problem
from ecslint.platform.windows import parse_image_version, parse_windows_host
from ecslint.rule import Rule

if TYPE_CHECKING:
    from jsonschema import ValidationError

@dataclass(frozen=True)
class Problem:
    """One configuration error at a path; ``on_key`` places it on the key."""

    path: Path
    message: str
    on_key: bool = False
    value: Any = None


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The configuration schema, loaded from the package data."""
    from ecslint.schemas import read

    loaded: dict[str, Any] = json.loads(read("config.schema.json"))
    return loaded


def where(path: Path) -> str:
    """A setting's path as a reader writes it: ``ignores[0].pointer``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[\w-]+", part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out or "configuration"


def _kind(value: Any) -> str:
    kinds = ((bool, "true or false"), (str, "a string"), (int, "a number"),
             (float, "a number"), (list, "a list"), (dict, "a mapping"))
    if value is None:
        return "nothing"
    return next((word for t, word in kinds if isinstance(value, t)), type(value).__name__)


_EXPECTED = {"array": "a list", "object": "a mapping", "string": "a string",
             "boolean": "true or false", "number": "a number", "integer": "an integer"}


def check(data: Any, base_dir: FilePath, rules: Sequence[Rule]) -> list[Problem]:
    """Every problem of ``data``, schema problems first, then semantic ones."""
    # jsonschema costs some 40 ms to import: only a run that reads a configuration
    # file pays for it.
    from jsonschema import Draft202012Validator

    problems: list[Problem] = []
    for error in Draft202012Validator(schema()).iter_errors(data):
        problems.extend(_from_schema(error))
    problems.extend(_semantic(data, base_dir, rules))
    return problems


def _from_schema(error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    label = where(path)
    # jsonschema's stubs type these as possibly unset; a raised error always has them.
    keyword, instance, schema, expected = (
        error.validator, cast(Any, error.instance), cast(Any, error.schema),
        cast(Any, error.validator_value))
    if keyword == "additionalProperties":
        known = list(schema.get("properties", {}))
        for key in instance:
            if key not in known:
                guess = did_you_mean(key, known)
                hint = f" (did you mean {guess!r}?)" if guess else ""
                yield Problem(path + (key,), f"{where(path + (key,))}: unknown key{hint}", True)
        return
    custom = schema.get("x-error", {}).get(keyword)
    if custom:
        message = custom
    elif keyword == "type":
        message = f"expected {_EXPECTED[expected]}, got {_kind(instance)}"
    elif keyword == "enum":
        choices = [str(choice) for choice in expected]
        guess = did_you_mean(str(instance), choices) if isinstance(instance, str) else None
        hint = f" (did you mean {guess!r}?)" if guess else ""
        message = f"{json.dumps(instance, default=str)} is not one of {', '.join(choices)}{hint}"
    elif keyword == "required":
        missing = [k for k in expected if k not in instance]
        message = "missing required key " + ", ".join(repr(k) for k in missing)
    elif keyword == "minItems":
        message = "must not be empty"
    else:
        message = error.message
    yield Problem(path, f"{label}: {message}", value=instance)


def _semantic(data: Any, base_dir: FilePath, rules: Sequence[Rule]) -> Iterator[Problem]:
    if not isinstance(data, dict):
        return
    for key in ("select", "extend-select", "ignore"):
        yield from _selectors(data.get(key), (key,), rules)
    for index, text in enumerate(_list(data.get("exclude"))):
        if isinstance(text, str):
            yield from _glob(text, ("exclude", index))
    per_file = data.get("per-file-ignores")
    if isinstance(per_file, dict):
        for pattern, selectors in per_file.items():
            yield from _glob(pattern, ("per-file-ignores", pattern), on_key=True)
            yield from _selectors(selectors, ("per-file-ignores", pattern), rules)
    severity = data.get("severity")
    if isinstance(severity, dict):
        for text in severity:
            yield from _selector(text, ("severity", text), rules, on_key=True)
    host = data.get("host")
    if isinstance(host, dict) and isinstance(host.get("windows-version"), str):
        yield from _version(host["windows-version"], ("host", "windows-version"),
                            parse_windows_host)
    for index, item in _items(data.get("images")):
        path: Path = ("images", index)
        if isinstance(item.get("pattern"), str):
            yield from _glob(item["pattern"], path + ("pattern",))
        if isinstance(item.get("windows-version"), str):
            yield from _version(item["windows-version"], path + ("windows-version",),
                                parse_image_version)
        dockerfile = item.get("dockerfile")
        if isinstance(dockerfile, str) and dockerfile:
            problem = file_problem(base_dir / dockerfile)
            if problem is not None:
                yield Problem(path + ("dockerfile",),
                              f"{where(path + ('dockerfile',))}: {problem}: "
                              f"{base_dir / dockerfile}", value=dockerfile)
    for index, item in _items(data.get("ignores")):
        if isinstance(item.get("path"), str):
            yield from _glob(item["path"], ("ignores", index, "path"))
        yield from _selectors(item.get("rules"), ("ignores", index, "rules"), rules)


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    yield from ((i, item) for i, item in enumerate(_list(value)) if isinstance(item, dict))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _selectors(value: Any, path: Path, rules: Sequence[Rule]) -> Iterator[Problem]:
    for index, text in enumerate(_list(value)):
        if isinstance(text, str):
            yield from _selector(text, path + (index,), rules)


def _selector(text: str, path: Path, rules: Sequence[Rule], on_key: bool = False
              ) -> Iterator[Problem]:
    try:
        resolve_selector(text, rules)
    except SelectionError as exc:
        yield Problem(path, f"{where(path)}: {exc}", on_key, text)


def _glob(pattern: str, path: Path, on_key: bool = False) -> Iterator[Problem]:
    problem = glob_problem(pattern)
    if problem:
        yield Problem(path, f"{where(path)}: {problem}", on_key, pattern)


def _version(text: str, path: Path, parse: Callable[[str], object]) -> Iterator[Problem]:
    try:
        parse(text)
    except ValueError as exc:
        yield Problem(path, f"{where(path)}: {exc}", value=text)
