"""Turn CloudFormation ``AWS::ECS::TaskDefinition`` properties into API-shaped data.

CloudFormation spells the RegisterTaskDefinition keys in PascalCase
(``ContainerDefinitions``, ``EFSVolumeConfiguration``, ``FilesystemId``) and
accepts scalars the API would reject (``"512"`` for an integer, ``256`` for a
string). ``canonicalize`` walks the data alongside the task-definition schema
so that rules and the schema see one shape whatever the source, and records
every renamed key so findings can be placed on the key the user wrote.

Guarantees: keys of schema objects are renamed to the API key when they match
case-insensitively or through ``ALIASES``; keys of map-typed objects (log
options, docker labels) and unknown keys are kept as written (so E002 reports
the unknown ones); scalars are converted only when the conversion is exact;
unresolved values (intrinsic functions, dynamic references) are left untouched
and not descended into. The input is never mutated.
"""

from __future__ import annotations

from typing import Any

from ecslint.load.sourcemap import Path
from ecslint.rule import is_unresolved
from ecslint.validation.schema import load_schema

Renames = dict[Path, dict[str, str]]

# CloudFormation names that differ from the API beyond letter case, per schema
# shape ($defs name): (shape, CloudFormation key) -> API key.
ALIASES: dict[tuple[str, str], str] = {
    # AWS::ECS::TaskDefinition ProxyConfiguration.ProxyConfigurationProperties is the API's
    # ProxyConfiguration.properties (CloudFormation resource schema aws-ecs-taskdefinition.json,
    # as shipped with cfn-lint).
    ("ProxyConfiguration", "ProxyConfigurationProperties"): "properties",
}

# The strings CloudFormation reads as booleans (cfn-lint helpers.BOOLEAN_STRINGS_TRUE/FALSE).
_BOOLEANS = {"true": True, "True": True, "false": False, "False": False}


def canonicalize(props: Any) -> tuple[Any, Renames]:
    """Return ``props`` with API keys and API scalar types, and the renames table.

    The table maps each canonical parent path to ``{canonical key: source key}``
    for the keys that were renamed under it.
    """
    renames: Renames = {}
    schema = load_schema()
    return _walk(props, schema, None, (), schema["$defs"], renames), renames


def source_path(path: Path, renames: Renames) -> Path:
    """Translate a canonical path back to the keys the source document uses."""
    result: list[str | int] = []
    for depth, part in enumerate(path):
        table = renames.get(path[:depth], {})
        result.append(table.get(part, part) if isinstance(part, str) else part)
    return tuple(result)


def _walk(value: Any, node: dict[str, Any], shape: str | None, path: Path,
          defs: dict[str, Any], renames: Renames) -> Any:
    while "$ref" in node:
        shape = node["$ref"].rsplit("/", 1)[-1]
        node = defs[shape]
    if is_unresolved(value):
        return value
    kind = node.get("type")
    if kind == "object" and isinstance(value, dict):
        if "properties" in node:
            return _object(value, node["properties"], shape, path, defs, renames)
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            return {key: _walk(item, values, None, path + (key,), defs, renames)
                    for key, item in value.items()}
        return value
    if kind == "array" and isinstance(value, list) and "items" in node:
        return [_walk(item, node["items"], None, path + (index,), defs, renames)
                for index, item in enumerate(value)]
    return _coerce(value, kind)


def _object(value: dict[Any, Any], properties: dict[str, Any], shape: str | None, path: Path,
            defs: dict[str, Any], renames: Renames) -> dict[Any, Any]:
    by_lower = {key.lower(): key for key in properties}
    # Keys already spelled the API way win, so a later near-duplicate stays unknown.
    taken = {key for key in value if key in properties}
    result: dict[Any, Any] = {}
    for key, item in value.items():
        target = key
        if key not in properties and isinstance(key, str):
            candidate = ALIASES.get((shape or "", key)) or by_lower.get(key.lower())
            if candidate is not None and candidate not in taken:
                target = candidate
                taken.add(candidate)
                renames.setdefault(path, {})[candidate] = key
        if target in properties:
            result[target] = _walk(item, properties[target], None, path + (target,),
                                   defs, renames)
        else:
            result[target] = item
    return result


def _coerce(value: Any, kind: Any) -> Any:
    if kind == "integer" and isinstance(value, str):
        try:
            number = int(value)
        except ValueError:
            return value
        return number if str(number) == value else value
    if kind == "boolean" and isinstance(value, str):
        return _BOOLEANS.get(value, value)
    if kind == "string" and isinstance(value, (bool, int)):
        # bool before int: True is an int too.
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    return value
