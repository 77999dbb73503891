"""A JSON Schema validator compiled once for the task-definition schema.

It reports exactly the errors jsonschema's ``Draft202012Validator.iter_errors``
reports, for the keywords the generated schema uses, without importing
jsonschema (about 40 ms at start-up) and without its per-node overhead. Every
error has the attributes ``ecslint.validation.schema`` reads from jsonschema's
``ValidationError``: ``validator`` (the keyword), ``validator_value``,
``instance``, ``schema`` (the schema object holding the keyword, after ``$ref``),
``absolute_path`` and ``message`` (built only when read, word for word
jsonschema's). ``tests/test_validator.py`` checks both validators against each
other on generated and mutated task definitions; jsonschema stays the reference.

Supported keywords: ``type``, ``enum``, ``properties``, ``additionalProperties``,
``required``, ``items``, ``minItems``, ``maxItems``, ``minimum``, ``maximum``,
``pattern``, ``minLength``, ``maxLength``, ``minProperties``, ``maxProperties``,
``$ref`` (to a JSON pointer in the same document) and boolean schemas.
Annotations (``$comment``, ``description``, ``readOnly`` ...) and ``x-`` keys
are ignored, as jsonschema ignores them. Any other keyword raises
``UnsupportedSchema`` when the validator is built, so a regenerated schema that
starts using one cannot be validated differently from jsonschema.

Errors come in an order of their own (jsonschema's follows the schema's keys);
callers that need an order sort them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from numbers import Number
from typing import Any

from ecslint.load.sourcemap import Path

ANNOTATIONS = frozenset({
    "$comment", "$schema", "$defs", "definitions", "title", "description", "default",
    "examples", "readOnly", "writeOnly", "deprecated",
})
_KEYWORDS = frozenset({
    "type", "enum", "properties", "additionalProperties", "required", "items", "minItems",
    "maxItems", "minimum", "maximum", "pattern", "minLength", "maxLength", "minProperties",
    "maxProperties", "$ref",
})


class UnsupportedSchema(ValueError):
    """The schema uses a keyword or reference this validator does not implement."""


class ValidationError:
    """One failed keyword, with the attributes of jsonschema's ``ValidationError``."""

    __slots__ = ("validator", "validator_value", "instance", "schema", "absolute_path",
                 "_detail")

    def __init__(self, validator: str | None, validator_value: Any, instance: Any,
                 schema: Any, absolute_path: Path, detail: Any = None) -> None:
        self.validator = validator
        self.validator_value = validator_value
        self.instance = instance
        self.schema = schema
        self.absolute_path = absolute_path
        self._detail = detail

    @property
    def path(self) -> Path:
        """The same as ``absolute_path`` (errors are never nested here)."""
        return self.absolute_path

    @property
    def message(self) -> str:
        """jsonschema's message for this error."""
        return _message(self.validator, self.validator_value, self.instance, self.schema,
                        self._detail)

    def __repr__(self) -> str:
        return f"<ValidationError: {self.message!r}>"


Errors = list[ValidationError]
Check = Callable[[Any, Path, Errors], None]


class CompiledValidator:
    """``iter_errors(instance)`` over one schema, compiled when constructed."""

    def __init__(self, schema: Mapping[str, Any] | bool) -> None:
        self.schema = schema
        self._compiled: dict[int, Check] = {}
        self._check = self._compile(schema)

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        """Every error of ``instance``, as jsonschema yields them (in another order)."""
        errors: Errors = []
        self._check(instance, (), errors)
        return iter(errors)

    def is_valid(self, instance: Any) -> bool:
        errors: Errors = []
        self._check(instance, (), errors)
        return not errors

    # -- compilation ------------------------------------------------------------------

    def _compile(self, schema: Any) -> Check:
        key = id(schema)
        if key in self._compiled:
            return self._compiled[key]
        # Recursive references compile to a trampoline that finds the finished check.
        self._compiled[key] = lambda instance, path, errors: self._compiled[key](
            instance, path, errors)
        check = self._build(schema)
        self._compiled[key] = check
        return check

    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise UnsupportedSchema(f"$ref {ref!r}: only references within the schema")
        target: Any = self.schema
        pointer = ref[1:]
        if pointer and not pointer.startswith("/"):
            raise UnsupportedSchema(f"$ref {ref!r}: only JSON pointers")
        for part in pointer.split("/")[1:] if pointer else ():
            part = part.replace("~1", "/").replace("~0", "~")
            try:
                target = target[int(part) if isinstance(target, list) else part]
            except (KeyError, IndexError, ValueError, TypeError):
                raise UnsupportedSchema(f"$ref {ref!r} points at nothing") from None
        return target

    def _build(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return _accept
        if schema is False:
            return _reject
        if not isinstance(schema, dict):
            raise UnsupportedSchema(f"a schema must be an object or a boolean, not {schema!r}")
        unknown = [k for k in schema
                   if k not in _KEYWORDS and k not in ANNOTATIONS and not k.startswith("x-")]
        if unknown:
            raise UnsupportedSchema(f"unsupported keywords {', '.join(sorted(unknown))}")
        checks: list[Check] = []
        if "type" in schema:
            checks.append(_type(schema))
        if "enum" in schema:
            checks.append(_enum(schema))
        for keyword, make in _SIMPLE.items():
            if keyword in schema:
                checks.append(make(schema, schema[keyword]))
        if "required" in schema:
            checks.append(_required(schema))
        if "properties" in schema or "additionalProperties" in schema:
            checks.append(self._properties(schema))
        if "items" in schema:
            checks.append(self._items(schema))
        if "$ref" in schema:
            checks.append(self._compile(self._resolve(schema["$ref"])))
        return _all(checks)

    def _properties(self, schema: dict[str, Any]) -> Check:
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            raise UnsupportedSchema("properties must be an object")
        compiled = {key: self._compile(sub) for key, sub in properties.items()}
        # jsonschema reports a property whose schema is ``false`` on the object, not the key.
        on_parent = frozenset(key for key, sub in properties.items() if sub is False)
        additional = schema.get("additionalProperties", True)
        extra_check: Check
        if additional is True or additional == {}:
            mode, extra_check = "any", _accept
        elif additional is False:
            mode, extra_check = "none", _reject
        elif isinstance(additional, dict):
            mode, extra_check = "schema", self._compile(additional)
        else:
            raise UnsupportedSchema(f"additionalProperties {additional!r}")

        def check(instance: Any, path: Path, errors: Errors) -> None:
            if not isinstance(instance, dict):
                return
            extras = None
            for key, value in instance.items():
                sub = compiled.get(key)
                if sub is not None:
                    if sub is not _accept:
                        sub(value, path if key in on_parent else (*path, key), errors)
                elif mode == "schema":
                    extra_check(value, (*path, key), errors)
                elif mode == "none":
                    if extras is None:
                        extras = []
                    extras.append(key)
            if extras is not None:
                errors.append(ValidationError("additionalProperties", additional, instance,
                                              schema, path))

        return check

    def _items(self, schema: dict[str, Any]) -> Check:
        items = schema["items"]
        if "prefixItems" in schema:
            raise UnsupportedSchema("prefixItems")
        if items is False:
            def reject(instance: Any, path: Path, errors: Errors) -> None:
                if isinstance(instance, list) and instance:
                    errors.append(ValidationError("items", items, instance, schema, path))

            return reject
        item_check = self._compile(items)
        if item_check is _accept:
            return _accept

        def check(instance: Any, path: Path, errors: Errors) -> None:
            if isinstance(instance, list):
                for index, item in enumerate(instance):
                    item_check(item, (*path, index), errors)

        return check


# -- checks ----------------------------------------------------------------------------


def _accept(instance: Any, path: Path, errors: Errors) -> None:
    return None


def _reject(instance: Any, path: Path, errors: Errors) -> None:
    errors.append(ValidationError(None, None, instance, False, path))


def _all(checks: Sequence[Check]) -> Check:
    checks = [c for c in checks if c is not _accept]
    if not checks:
        return _accept
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks

        def both(instance: Any, path: Path, errors: Errors) -> None:
            first(instance, path, errors)
            second(instance, path, errors)

        return both

    def each(instance: Any, path: Path, errors: Errors) -> None:
        for check in checks:
            check(instance, path, errors)

    return each


def is_number(instance: Any) -> bool:
    """jsonschema's "number": any ``numbers.Number`` but a bool."""
    kind = type(instance)
    if kind is int or kind is float:
        return True
    return isinstance(instance, Number) and not isinstance(instance, bool)


def is_integer(instance: Any) -> bool:
    """An int, not a bool, and not a float with no fraction (512.0), which JSON Schema's
    "integer" accepts but botocore, and so the AWS CLI, rejects (issue 6, B1)."""
    return isinstance(instance, int) and not isinstance(instance, bool)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "array": lambda i: isinstance(i, list),
    "boolean": lambda i: isinstance(i, bool),
    "integer": is_integer,
    "null": lambda i: i is None,
    "number": is_number,
    "object": lambda i: isinstance(i, dict),
    "string": lambda i: isinstance(i, str),
}
# Exact types that settle a type check without a call (bool before int: it is one).
_EXACT = {list: "array", bool: "boolean", type(None): "null", dict: "object", str: "string",
          int: "integer"}


def _type(schema: dict[str, Any]) -> Check:
    expected = schema["type"]
    names = [expected] if isinstance(expected, str) else list(expected)
    unknown = [n for n in names if n not in _TYPES]
    if unknown:
        raise UnsupportedSchema(f"unknown type {unknown!r}")
    wanted = frozenset(names)
    if "number" in wanted:  # an integer is a number too
        accepted = wanted | {"integer"}
    else:
        accepted = wanted
    tests = [_TYPES[n] for n in names]

    def check(instance: Any, path: Path, errors: Errors) -> None:
        exact = _EXACT.get(type(instance))
        if exact is not None:
            if exact in accepted:
                return
            if exact != "integer" or "number" not in wanted:
                errors.append(ValidationError("type", expected, instance, schema, path))
                return
        if not any(test(instance) for test in tests):
            errors.append(ValidationError("type", expected, instance, schema, path))

    return check


def equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: ``True`` is not ``1``, containers compared item by item."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and equal(value, two[key]) for key, value in one.items()
        )
    return bool(_unbool(one) == _unbool(two))


_TRUE, _FALSE = object(), object()


def _unbool(value: Any) -> Any:
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    return value


def _enum(schema: dict[str, Any]) -> Check:
    values = schema["enum"]
    if all(isinstance(v, str) for v in values):
        strings = frozenset(values)

        def check_strings(instance: Any, path: Path, errors: Errors) -> None:
            if not (isinstance(instance, str) and instance in strings):
                errors.append(ValidationError("enum", values, instance, schema, path))

        return check_strings

    def check(instance: Any, path: Path, errors: Errors) -> None:
        if all(not equal(each, instance) for each in values):
            errors.append(ValidationError("enum", values, instance, schema, path))

    return check


def _required(schema: dict[str, Any]) -> Check:
    required = schema["required"]

    def check(instance: Any, path: Path, errors: Errors) -> None:
        if isinstance(instance, dict):
            for key in required:
                if key not in instance:
                    errors.append(ValidationError("required", required, instance, schema, path,
                                                  key))

    return check


def _bound(keyword: str, applies: Callable[[Any], bool],
           fails: Callable[[Any, Any], bool]) -> Callable[[dict[str, Any], Any], Check]:
    def make(schema: dict[str, Any], limit: Any) -> Check:
        def check(instance: Any, path: Path, errors: Errors) -> None:
            if applies(instance) and fails(instance, limit):
                errors.append(ValidationError(keyword, limit, instance, schema, path))

        return check

    return make


# An escape, a character class, or a bare "$".
_DOLLAR = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\$")


def ecma_anchors(pattern: str) -> str:
    """``pattern`` with ECMA-262's ``$``, which JSON Schema specifies: the end of the
    input. Python's ``$`` also matches before a final newline, so "http\\n" matched
    ``^[a-z0-9_][a-z0-9_-]{0,63}$`` (issue 6, B2)."""
    return _DOLLAR.sub(lambda m: r"\Z" if m.group() == "$" else m.group(), pattern)


def _pattern(schema: dict[str, Any], pattern: str) -> Check:
    search = re.compile(ecma_anchors(pattern)).search

    def check(instance: Any, path: Path, errors: Errors) -> None:
        if isinstance(instance, str) and not search(instance):
            errors.append(ValidationError("pattern", pattern, instance, schema, path))

    return check


def _is_str(i: Any) -> bool:
    return isinstance(i, str)


def _is_list(i: Any) -> bool:
    return isinstance(i, list)


def _is_dict(i: Any) -> bool:
    return isinstance(i, dict)


_SIMPLE: dict[str, Callable[[dict[str, Any], Any], Check]] = {
    "minimum": _bound("minimum", is_number, lambda i, m: bool(i < m)),
    "maximum": _bound("maximum", is_number, lambda i, m: bool(i > m)),
    "pattern": _pattern,
    "minLength": _bound("minLength", _is_str, lambda i, m: len(i) < m),
    "maxLength": _bound("maxLength", _is_str, lambda i, m: len(i) > m),
    "minItems": _bound("minItems", _is_list, lambda i, m: len(i) < m),
    "maxItems": _bound("maxItems", _is_list, lambda i, m: len(i) > m),
    "minProperties": _bound("minProperties", _is_dict, lambda i, m: len(i) < m),
    "maxProperties": _bound("maxProperties", _is_dict, lambda i, m: len(i) > m),
}


# -- messages (jsonschema 4.x, word for word) --------------------------------------------


def _message(keyword: str | None, value: Any, instance: Any, schema: Any, detail: Any) -> str:
    if keyword is None:
        return f"False schema does not allow {instance!r}"
    if keyword == "type":
        types = [value] if isinstance(value, str) else value
        return f"{instance!r} is not of type {', '.join(repr(t) for t in types)}"
    if keyword == "enum":
        return f"{instance!r} is not one of {value!r}"
    if keyword == "required":
        return f"{detail!r} is a required property"
    if keyword == "additionalProperties":
        properties = schema.get("properties", {})
        extras = sorted({k for k in instance if k not in properties}, key=str)
        verb = "was" if len(extras) == 1 else "were"
        return (f"Additional properties are not allowed "
                f"({', '.join(repr(e) for e in extras)} {verb} unexpected)")
    if keyword == "items":
        rest = instance if len(instance) != 1 else instance[0]
        return f"Expected at most 0 items but found {len(instance)} extra: {rest!r}"
    if keyword == "minimum":
        return f"{instance!r} is less than the minimum of {value!r}"
    if keyword == "maximum":
        return f"{instance!r} is greater than the maximum of {value!r}"
    if keyword == "pattern":
        return f"{instance!r} does not match {value!r}"
    if keyword in ("minLength", "minItems"):
        return f"{instance!r} {'should be non-empty' if value == 1 else 'is too short'}"
    if keyword in ("maxLength", "maxItems"):
        return f"{instance!r} {'is expected to be empty' if value == 0 else 'is too long'}"
    if keyword == "minProperties":
        words = "should be non-empty" if value == 1 else "does not have enough properties"
        return f"{instance!r} {words}"
    if keyword == "maxProperties":
        words = "is expected to be empty" if value == 0 else "has too many properties"
        return f"{instance!r} {words}"
    raise AssertionError(keyword)  # pragma: no cover - every keyword above
