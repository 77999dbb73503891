"""The compiled validator (``ecslint.validation.validator``) reports exactly jsonschema's errors.

jsonschema's ``Draft202012Validator`` is the reference. Both validators must give
the same errors, compared as multisets of (keyword, keyword value, path, message,
instance, schema object), on:

- task definitions hypothesis-jsonschema generates from the shipped schema, as
  generated (valid) and with faults injected (wrong types, values out of range or
  enum, unknown and missing keys, intrinsic functions, oversized strings and lists);
- every task definition of ``examples/`` and the shared corpus;
- random schemas over the keywords the validator supports, with random instances,
  so that keywords the shipped schema uses only in one form are covered in all.

``ecslint.validation.schema.validate`` (rule E002) reads only these attributes, so equal errors
mean equal E002 findings.
"""

from __future__ import annotations

import copy
import re
import types
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import CORPUS, ROOT, needs_shared
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator as _Draft202012
from jsonschema import ValidationError, validators

from ecslint.validation.schema import load_schema
from ecslint.validation.validator import CompiledValidator, UnsupportedSchema, ecma_anchors


def _ecma_pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Any:
    if validator.is_type(instance, "string") and not re.search(ecma_anchors(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# jsonschema with the two semantics AWS has (issue 6): an integer is an int, not 512.0
# (B1), and a pattern's "$" is ECMA-262's end of input (B2).
Draft202012Validator = validators.extend(
    _Draft202012, validators={"pattern": _ecma_pattern},
    type_checker=_Draft202012.TYPE_CHECKER.redefine(
        "integer", lambda _checker, i: isinstance(i, int) and not isinstance(i, bool)))

SCHEMA = load_schema()
REFERENCE = Draft202012Validator(SCHEMA)
COMPILED = CompiledValidator(SCHEMA)
SLOW = settings(deadline=None, suppress_health_check=list(HealthCheck))


def _key(error: Any) -> tuple[Any, ...]:
    return (error.validator, repr(error.validator_value), tuple(error.absolute_path),
            error.message, repr(error.instance), id(error.schema))


def errors_of(validator: Any, instance: Any) -> Counter[tuple[Any, ...]]:
    return Counter(_key(error) for error in validator.iter_errors(instance))


def assert_same(instance: Any, reference: Any = REFERENCE, compiled: Any = COMPILED) -> None:
    expected, actual = errors_of(reference, instance), errors_of(compiled, instance)
    assert actual == expected, (
        f"missing: {list((expected - actual).elements())}\n"
        f"extra: {list((actual - expected).elements())}"
    )


# -- task definitions generated from the schema ---------------------------------------------


def _from_schema() -> Any:
    """hypothesis-jsonschema's strategy over the shipped schema.

    hypothesis-jsonschema 0.23 drives Hypothesis's private ``many`` helper through a
    ``more()`` method that newer Hypothesis releases replaced by iteration; when it
    is missing, the same protocol is provided on top of the new one.
    """
    import hypothesis_jsonschema._from_schema as generator
    from hypothesis.internal.conjecture import utils as cu
    from hypothesis_jsonschema import from_schema

    if not hasattr(cu.many, "more"):
        class Many(cu.many):  # type: ignore[misc, name-defined]
            _steps: Iterator[None] | None = None

            def more(self) -> bool:
                if self._steps is None:
                    self.__enter__()
                    self._steps = iter(self)
                try:
                    next(self._steps)
                except StopIteration:
                    self.__exit__(None)
                    return False
                return True

        generator.cu = types.SimpleNamespace(**{**vars(cu), "many": Many})  # type: ignore[attr-defined]
    # from_schema rewrites parts of the schema it is given: hand it a copy.
    return from_schema(copy.deepcopy(SCHEMA))


TASKS = _from_schema()


def _enum_values(schema: Any) -> Iterator[Any]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "enum":
                yield from value
            elif key != "required":
                yield from _enum_values(value)


ENUMS = sorted({v for v in _enum_values(SCHEMA) if isinstance(v, str)})
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=8),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 2, 3, 10, 60, 120, 255, 256, 300, 65535, 65536, 2**31, 1.0,
                     1.5, -0.0, "", "a" * 64, "a" * 65, "a" * 256, "A-b_9", "-name", "Web"]),
    st.sampled_from(ENUMS),
    st.sampled_from(ENUMS).map(str.upper),
    st.sampled_from(ENUMS).map(str.lower),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=6), st.sampled_from(ENUMS)), children,
                        max_size=4),
        st.builds(lambda name: {"Ref": name}, st.text(max_size=4)),
        st.builds(lambda parts: {"Fn::Join": ["", parts]}, st.lists(children, max_size=2)),
    ),
    max_leaves=8,
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _known_keys(schema: Any) -> list[str]:
    keys: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties":
                keys.update(value)
            if key not in ("enum", "required"):
                keys.update(_known_keys(value))
    return sorted(keys)


KNOWN_KEYS = _known_keys(SCHEMA)


def inject(draw: Any, task: Any) -> Any:
    """Apply one fault to ``task`` in place (the root when it is not a container)."""
    places = list(_places(task))
    path = draw(st.sampled_from(places))
    if not path:
        return draw(JSON) if draw(st.booleans()) and draw(st.booleans()) else task
    parent, last = _at(task, path[:-1]), path[-1]
    kind = draw(st.sampled_from(["replace", "delete", "add", "typo", "grow", "float"]))
    current = parent[last]
    if kind == "replace":
        parent[last] = draw(JSON)
    elif kind == "delete":
        del parent[last]
    elif kind in ("add", "typo") and isinstance(current, dict):
        if kind == "typo" and current:
            key = draw(st.sampled_from(sorted(current)))
            current[key.swapcase() if draw(st.booleans()) else key[:-1]] = draw(JSON)
        else:
            current[draw(st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=6)))] = \
                draw(JSON)
    elif kind == "grow" and isinstance(current, list):
        current.extend([current[0] if current else draw(JSON)] * draw(st.integers(1, 12)))
    elif kind == "grow" and isinstance(current, str):
        parent[last] = current * draw(st.integers(2, 300))
    elif kind == "float" and isinstance(current, int) and not isinstance(current, bool):
        parent[last] = float(current) + draw(st.sampled_from([0.0, 0.5]))
    else:
        parent[last] = draw(SCALARS)
    return task


@settings(SLOW, max_examples=25)
@given(TASKS)
def test_generated_task_definitions_are_valid_for_both(task: Any) -> None:
    assert_same(task)
    assert COMPILED.is_valid(task)


@settings(SLOW, max_examples=100)
@given(TASKS, st.data())
def test_faulty_task_definitions_get_the_same_errors(task: Any, data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 6))):
        task = inject(data.draw, task)
    assert_same(task)


@settings(max_examples=100)
@given(st.dictionaries(st.sampled_from(KNOWN_KEYS), JSON, max_size=6),
       st.lists(st.dictionaries(st.sampled_from(KNOWN_KEYS), JSON, max_size=8), max_size=3))
def test_arbitrary_values_under_known_keys(task: dict[str, Any],
                                           containers: list[Any]) -> None:
    task["containerDefinitions"] = containers
    assert_same(task)


@given(JSON)
def test_arbitrary_json_at_the_root(value: Any) -> None:
    assert_same(value)


def _check_tasks_in(files: list[Path]) -> int:
    """Validate every task definition in ``files`` both ways; how many there were."""
    from ecslint.load.document import InputError
    from ecslint.load.readers import for_text
    from ecslint.tasks.shapes import extract

    tasks = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            parsed = for_text(text, path.name).parse(text, str(path))
        except InputError:
            continue
        for document in parsed.documents:
            for task in extract(document.data, path.stem):
                tasks += 1
                assert_same(task.data)
    return tasks


def test_the_examples() -> None:
    assert _check_tasks_in(sorted((ROOT / "examples").iterdir())) >= 5


@needs_shared(CORPUS)
def test_the_real_task_definitions_of_the_corpus() -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and "_licenses" not in p.parts)
    assert _check_tasks_in(files) >= 200


def test_a_known_set_of_errors() -> None:
    task = {
        "family": "bad name!", "cpu": 1.5, "memory": True, "networkMode": "AWSVPC",
        "containerDefinitions": [{"name": "", "image": 7, "memory": -1, "protocl": "tcp",
                                  "portMappings": [{"containerPort": 80, "protocol": "TCP"}],
                                  "healthCheck": {"interval": 1000}}],
        "unknown": 1, "tags": [{"key": "", "value": "v" * 300}],
    }
    assert_same(task)
    kinds = {error.validator for error in COMPILED.iter_errors(task)}
    assert {"pattern", "type", "enum", "additionalProperties", "minimum", "maxLength",
            "minLength", "required"} <= kinds


# -- random schemas over the supported keywords ----------------------------------------------

NAMES = st.sampled_from(["a", "b", "c", "name", "x-y"])
TYPE_NAMES = st.sampled_from(["string", "integer", "number", "boolean", "object", "array",
                              "null"])
SMALL_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text("ab", max_size=3),
                         st.sampled_from([1.0, 2.5, -0.0]))
SMALL_JSON = st.recursive(
    SMALL_VALUES,
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(NAMES, children, max_size=3)),
    max_leaves=10,
)


def _schemas(with_ref: bool) -> st.SearchStrategy[Any]:
    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        keywords = {
            "type": st.one_of(TYPE_NAMES,
                              st.lists(TYPE_NAMES, min_size=1, max_size=3, unique=True)),
            "enum": st.lists(SMALL_JSON, min_size=1, max_size=4),
            "minimum": st.one_of(st.integers(-3, 3), st.sampled_from([0.5, -1.5])),
            "maximum": st.one_of(st.integers(-3, 3), st.sampled_from([0.5, -1.5])),
            "pattern": st.sampled_from(["^a", "b$", "^[ab]{1,2}$", "a|b", ""]),
            "minLength": st.integers(0, 3), "maxLength": st.integers(0, 3),
            "minItems": st.integers(0, 3), "maxItems": st.integers(0, 3),
            "minProperties": st.integers(0, 3), "maxProperties": st.integers(0, 3),
            "required": st.lists(NAMES, max_size=3, unique=True),
            "properties": st.dictionaries(NAMES, children, max_size=3),
            "additionalProperties": children,
            "items": children,
            "description": st.just("an annotation"),
        }
        if with_ref:
            keywords["$ref"] = st.just("#/$defs/shared")
        return st.one_of(st.booleans(), st.fixed_dictionaries({}, optional=keywords))

    return st.recursive(st.one_of(st.booleans(), st.just({}),
                                  st.fixed_dictionaries({"type": TYPE_NAMES})),
                        extend, max_leaves=6)


@settings(max_examples=300)
@given(_schemas(with_ref=True).filter(lambda s: isinstance(s, dict)), _schemas(with_ref=False),
       st.lists(SMALL_JSON, min_size=1, max_size=5))
def test_random_schemas(schema: dict[str, Any], shared: Any, instances: list[Any]) -> None:
    schema = {**schema, "$defs": {"shared": shared}}
    reference = Draft202012Validator(schema)
    compiled = CompiledValidator(schema)
    for instance in instances:
        assert_same(instance, reference, compiled)


def test_recursive_references_are_followed() -> None:
    schema = {"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}},
                                 "additionalProperties": False}},
              "$ref": "#/$defs/node"}
    instance = {"next": {"next": {"next": 3, "other": 1}}}
    assert_same(instance, Draft202012Validator(schema), CompiledValidator(schema))


@pytest.mark.parametrize("schema", [
    {"oneOf": [{"type": "string"}]},
    {"format": "email"},
    {"const": 1},
    {"patternProperties": {"^a": {}}},
    {"items": {"uniqueItems": True}},
    {"$ref": "other.json#/a"},
    {"$ref": "#/$defs/missing"},
    {"type": "text"},
])
def test_unsupported_schemas_are_refused_when_compiled(schema: Any) -> None:
    with pytest.raises(UnsupportedSchema):
        CompiledValidator(schema)


def test_messages_are_built_only_when_read() -> None:
    error = next(COMPILED.iter_errors({"family": 5, "containerDefinitions": []}))
    assert "_detail" in type(error).__slots__
    assert error.message == "5 is not of type 'string'"
