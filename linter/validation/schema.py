"""Validate a task definition against the generated JSON Schema (rule E002).

The schema (``ecslint.schemas/task-definition.json``, generated from botocore's
ECS model by ``scripts/generate_schema.py``) is loaded and compiled once per
process by ``ecslint.validation.validator``, which reports exactly jsonschema's errors (the
differential test ``tests/test_validator.py`` holds it to that) without importing
jsonschema. ``validate`` turns every schema error into exactly one ``Finding``
at the offending place: unknown keys on the key (one per key, with a
did-you-mean), everything else on the value, a missing key on its parent
object. Values CloudFormation resolves at deploy time (intrinsic functions,
dynamic references), and everything below them, never produce findings. The
result has no duplicates and is sorted by path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from ecslint.config.selection import did_you_mean
from ecslint.load.sourcemap import Path
from ecslint.rule import Finding, Fix, RenameKey, Severity, is_unresolved, quoted
from ecslint.validation.validator import CompiledValidator, ValidationError

SCHEMA_RESOURCE = "task-definition.json"
_QUOTE_LIMIT = 60
_SUGGESTION_CUTOFF = 0.7
_ARTICLE = {"integer": "an integer", "object": "an object", "array": "an array"}
# CloudFormation registers an omitted Family under a generated name: its resource
# schema for AWS::ECS::TaskDefinition requires nothing at the root.
_CLOUDFORMATION_OPTIONAL = frozenset({((), "family")})


@cache
def load_schema() -> dict[str, Any]:
    """The task-definition schema as a dict (parsed once; do not mutate it)."""
    from ecslint.schemas import read

    schema: dict[str, Any] = json.loads(read(SCHEMA_RESOURCE))
    return schema


@cache
def _validator() -> CompiledValidator:
    """The schema compiled once per process (``ecslint.validation.validator``: jsonschema's errors,
    without importing jsonschema)."""
    return CompiledValidator(load_schema())


@cache
def readonly_fields() -> frozenset[str]:
    """Root keys that only DescribeTaskDefinition returns (``readOnly`` in the schema)."""
    properties = load_schema()["properties"]
    return frozenset(key for key, sub in properties.items() if sub.get("readOnly"))


def validate(
    data: dict[str, Any], *, cloudformation: bool = False, task_fields_known: bool = True
) -> list[Finding]:
    """Check canonical (camelCase) task-definition data against the schema.

    With ``cloudformation`` the messages name keys the way a CloudFormation
    template spells them (first letter upper-cased); paths stay canonical.
    Without ``task_fields_known`` (a bare list of container definitions, whose
    task-level fields live elsewhere) missing task-level keys are not reported.
    """
    errors = [(tuple(e.absolute_path), e) for e in _validator().iter_errors(data)]
    # A value of the wrong type also fails its enum, pattern or range: say it once.
    mistyped = {path for path, error in errors if error.validator == "type"}
    found: set[Finding] = set()
    for path, error in errors:
        if (path in mistyped and error.validator != "type") or not _resolved(data, path):
            continue
        if path == () and error.validator == "required" and not task_fields_known:
            continue
        if cloudformation and _integral_float(error):
            continue  # botocore's int check (B1) is not CloudFormation's: keep its verdict
        found.update(_findings(error, path, cloudformation))
    return sorted(found, key=lambda f: (_sort_key(f.path), not f.on_key, f.message))


def _integral_float(error: ValidationError) -> bool:
    wanted = error.validator_value
    return (error.validator == "type" and isinstance(error.instance, float)
            and error.instance.is_integer()
            and "integer" in ([wanted] if isinstance(wanted, str) else wanted))


def _resolved(data: Any, path: Path) -> bool:
    value = data
    for part in path:
        if is_unresolved(value):
            return False
        value = value[part]
    return not is_unresolved(value)


def _findings(error: ValidationError, path: Path, cf: bool) -> Iterator[Finding]:
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "additionalProperties":
        known = [k for k, sub in error.schema.get("properties", {}).items()
                 if not sub.get("readOnly")]
        for key in value:
            if key not in error.schema.get("properties", {}):
                only = did_you_mean(str(key), known, _SUGGESTION_CUTOFF, only=True)
                fix = None if only is None or _name(only, cf) == key else Fix(
                    f"Rename {_quote(key)} to {_quote(_name(only, cf))}",
                    (RenameKey(path + (key,), only),))
                yield Finding.at_key(path + (key,), _unknown(key, path, known, cf), fix=fix)
    elif kind == "required":
        for key in expected:
            if key not in value and not (cf and (path, key) in _CLOUDFORMATION_OPTIONAL):
                yield Finding.at_value(path, f"missing required key {_quote(_name(key, cf))}")
    elif kind == "enum" and path[-1:] == ("protocol",) and "portMappings" in path:
        # The model says tcp and udp, case-sensitive, but ECS reads any other value
        # as tcp (windows-ecs-facts.md §7): registration passes and "UDP" silently
        # becomes TCP. Worth a warning, not the error of a rejected registration.
        yield Finding.at_value(
            path, _message(error, path, cf) + "; ECS reads any other value as tcp",
            severity=Severity.WARNING)
    else:
        yield Finding.at_value(path, _message(error, path, cf))


def _message(error: ValidationError, path: Path, cf: bool) -> str:
    kind, expected, value = error.validator, error.validator_value, error.instance
    label = _label(path, cf)
    if kind == "type":
        wanted = " or ".join(_article(t) for t in ([expected] if isinstance(expected, str)
                                                  else expected))
        return f"{label} must be {wanted}, got {_describe(value)}"
    if kind == "enum":
        return f"{label} must be one of {', '.join(str(v) for v in expected)}, got {_quote(value)}"
    if kind == "minimum":
        return f"{value} is below the minimum of {expected} for {label}"
    if kind == "maximum":
        return f"{value} is above the maximum of {expected} for {label}"
    if kind == "pattern":
        wanted = error.schema.get("description", f"the pattern {expected}")
        return f"{_quote(value)} is not a valid {label}: expected {wanted}"
    if kind == "minLength":
        return f"{_quote(value)} is shorter than the minimum length of {expected} for {label}"
    if kind == "maxLength":
        return (f"{_quote(value)} is {len(value)} characters long, above the maximum of "
                f"{expected} for {label}")
    if kind == "minItems":
        return f"{label} has {len(value)} items, below the minimum of {expected}"
    if kind == "maxItems":
        return f"{label} has {len(value)} items, above the maximum of {expected}"
    if kind in ("minProperties", "maxProperties"):
        keys = ", ".join(_name(k, cf) for k in error.schema.get("properties", {}))
        return f"{label} must set exactly one of {keys}"
    return f"{label}: {error.message}"


def _unknown(key: Any, parent: Path, known: list[str], cf: bool) -> str:
    where = _label(parent, cf) if parent else "the task definition"
    message = f"unknown key {_quote(key)} in {where}"
    close = did_you_mean(str(key), known, _SUGGESTION_CUTOFF)
    if close is not None:
        suggestion = _name(close, cf)
        if suggestion != key:
            message += f"; did you mean {_quote(suggestion)}?"
    return message


def _label(path: Path, cf: bool) -> str:
    """Name a place by its last list item and the keys below it: ``healthCheck.interval``,
    ``portMappings[0]``, ``containerDefinitions[0].memory``."""
    indexes = [i for i, part in enumerate(path) if isinstance(part, int)]
    start = indexes[-1] + 1 if indexes else 0
    if len(path) - start < 2 and indexes and indexes[-1] > 0:
        start = indexes[-1] - 1
    text = ""
    for part in path[start:]:
        text += f"[{part}]" if isinstance(part, int) else f".{_name(part, cf)}"
    return text.lstrip(".") or "the task definition"


def _name(key: str, cf: bool) -> str:
    return key[:1].upper() + key[1:] if cf else key


def _article(json_type: str) -> str:
    return _ARTICLE.get(json_type, f"a {json_type}")


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value}"
    if isinstance(value, str):
        return f"string {_quote(value)}"
    return "an object" if isinstance(value, dict) else "an array"


def _quote(value: Any) -> str:
    return quoted(str(value), _QUOTE_LIMIT)


def _sort_key(path: Path) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)
