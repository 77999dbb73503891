"""Differential tests: ecslint's E002 verdict against botocore's own parameter validation.

botocore is what the AWS CLI and the SDKs run on a ``RegisterTaskDefinition`` request
before anything is sent: ``ParamValidator().validate(params, input_shape)``, offline, on
the model bundled with botocore (no network, no credentials). Hypothesis generates task
definitions from ``schemas/task-definition.json``, valid ones and ones with injected faults
(a value of another type, an unknown or a missing key, a boundary value), and both sides
judge the same request. Each verdict is a set of *fields*: the path of the offending
value, of the unknown key, or of the missing key (its parent plus its name). Both accept,
or both reject the same fields, except for the differences listed here, on purpose. Each
has an example test below, and the property allows exactly these:

ecslint rejects, botocore accepts (the service or the AWS CLI rejects them later, or the
value cannot mean what it says):

- D1 ``true`` or ``false`` for an integer: botocore type-checks with ``isinstance(value,
  int)``, and ``bool`` is an ``int`` in Python. The JSON request then says ``true``.
- D2 ``ContainerDefinition.name`` and ``image`` are required: the model marks nothing
  required there, but the service and the CloudFormation resource schema do.
- D3 Lower bounds the model states only in prose (ports, health-check timings,
  ``sizeInGiB``, ``restartAttemptPeriod``, cpu and memory at least 0 ...): botocore checks
  only ``min`` from the model.
- D4 Upper bounds (``max`` of a length, range or list, from the model or from prose):
  botocore's ``range_check`` checks ``min`` only; the service enforces ``max``.
- D5 Enums: botocore never checks them; the service does. (``networkMode: nat`` is in
  ecslint's enum as an extension, for CDK's Windows tasks: rule WIN102 says more.)
- D6 Name patterns from prose (family, container, volume and port-mapping names).

botocore rejects, ecslint accepts:

- D7 The fields only ``describe-task-definition`` returns (``revision``, ``status``,
  ``registeredAt`` ...): ecslint reads a described task definition as one, and rule
  ECS416 reports the fields; for botocore they are unknown parameters.
- D8 A value nobody knows before deployment (``{"Ref": ...}``, ``Fn::*``, ``${VAR}``,
  ``{{ x }}``, ``$VAR``) and everything below it: E002 never judges it (a template tool or
  CloudFormation fills it in); botocore sees the placeholder itself.

Two differences were bugs, found here and fixed, each with its regression test: B1, an
integral float (``"memory": 512.0``) for an integer, which JSON Schema's ``integer``
accepts, but botocore rejects a float, so ``aws ecs register-task-definition
--cli-input-json`` fails. B2, a name that ends in a
newline (``"http\n"``): JSON Schema patterns are ECMA-262 regexes, whose ``$`` ends the
input, but Python's ``$`` also matches before a final newline (botocore checks no pattern,
so only B2's own test sees it). The reference the schema errors come from here is
jsonschema with both fixed.

hypothesis-jsonschema 0.23.1 draws objects through Hypothesis's old ``many().more()``
API, which the installed Hypothesis no longer has, so objects are composed here from the
schema's properties (a few optional members each, to keep requests small) and
hypothesis-jsonschema draws every leaf (strings with their patterns and lengths, integers
with their ranges, enums).
"""

from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from helpers import lint_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError, validators

from ecslint.load.sourcemap import Path
from ecslint.rule import is_unresolved
from ecslint.validation.schema import load_schema, readonly_fields, validate

botocore_session = pytest.importorskip("botocore.session",
                                       reason="botocore (test extra) is the reference")
hypothesis_jsonschema = pytest.importorskip("hypothesis_jsonschema")
from botocore.validate import ParamValidator  # noqa: E402

PROPERTY = settings(deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SCHEMA = load_schema()


def _strict_integer(_checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_DOLLAR = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\$")  # an escape, a class, or a bare $


def _ecma_pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[Any]:
    python = _DOLLAR.sub(lambda m: r"\Z" if m.group() == "$" else m.group(), pattern)
    if validator.is_type(instance, "string") and not re.search(python, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# jsonschema, with an integer that is an int (B1) and ECMA-262's "$" (B2).
Reference = validators.extend(
    Draft202012Validator, validators={"pattern": _ecma_pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer))
VALIDATOR = Reference(SCHEMA)
# Non-validating keywords that hypothesis-jsonschema need not see.
_ANNOTATIONS = ("$comment", "description", "deprecated", "readOnly", "title")


@cache
def request_shape() -> Any:
    model = botocore_session.get_session().get_service_model("ecs")
    return model.operation_model("RegisterTaskDefinition").input_shape


# -- the two verdicts -------------------------------------------------------------------


def botocore_verdict(params: dict[str, Any]) -> dict[Path, str]:
    """The fields botocore rejects, each with botocore's reason."""
    report = ParamValidator().validate(params, request_shape())
    names: dict[str, Path] = {}

    def index(value: Any, name: str, path: Path) -> None:
        assert names.setdefault(name, path) == path, f"two paths are named {name!r}"
        if isinstance(value, dict):
            for key, item in value.items():
                index(item, f"{name}.{key}", (*path, key))
        elif isinstance(value, list):
            for number, item in enumerate(value):
                index(item, f"{name}[{number}]", (*path, number))

    index(params, "", ())
    verdict: dict[Path, str] = {}
    # ``_errors`` holds (reason, name, details), the structured form of generate_report().
    for reason, name, details in report._errors:
        path = names[name]
        if reason == "missing required field":
            path = (*path, details["required_name"])
        elif reason == "unknown field":
            path = (*path, details["unknown_param"])
        verdict[path] = reason
    return verdict


_MISSING = re.compile(r"missing required key (.+)")


def ecslint_verdict(params: dict[str, Any]) -> set[Path]:
    """The fields rule E002 reports."""
    fields = set()
    for finding in validate(params):
        missing = _MISSING.fullmatch(finding.message)
        fields.add((*finding.path, ast.literal_eval(missing.group(1))) if missing
                   else finding.path)
    return fields


def schema_errors(params: dict[str, Any]) -> dict[Path, list[tuple[str, Any]]]:
    """The raw jsonschema errors by field: (keyword, error) pairs."""
    found: dict[Path, list[tuple[str, Any]]] = {}
    for error in VALIDATOR.iter_errors(params):
        path = tuple(error.absolute_path)
        if error.validator == "required":
            fields = [(*path, key) for key in error.validator_value if key not in error.instance]
        elif error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            fields = [(*path, key) for key in error.instance if key not in known]
        else:
            fields = [path]
        for field in fields:
            found.setdefault(field, []).append((error.validator, error))
    return found


def shape_at(path: Path) -> Any:
    """botocore's shape of the value at ``path``, or None outside the model."""
    shape = request_shape()
    for part in path:
        if shape.type_name == "structure":
            shape = shape.members.get(part)
        elif shape.type_name == "list":
            shape = shape.member
        elif shape.type_name == "map":
            shape = shape.value
        else:
            return None
        if shape is None:
            return None
    return shape


def value_at(data: Any, path: Path) -> Iterator[Any]:
    """The values from the root down to ``path``, as far as they exist."""
    yield data
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return
        yield data


# -- each documented difference, as a reason --------------------------------------------


def why_only_botocore_rejects(field: Path, reason: str, data: dict[str, Any]) -> str | None:
    if any(is_unresolved(value) for value in value_at(data, field)):
        return "D8"
    if reason == "unknown field" and len(field) == 1 and field[0] in readonly_fields():
        return "D7"
    return None


def why_only_ecslint_rejects(field: Path, errors: list[tuple[str, Any]]) -> str | None:
    """The documented difference that explains every schema error at ``field``, if one does."""
    reasons = set()
    for keyword, error in errors:
        if keyword == "type" and isinstance(error.instance, bool) and "integer" in (
                [error.validator_value] if isinstance(error.validator_value, str)
                else error.validator_value):
            reasons.add("D1")
        elif keyword == "required":
            shape = shape_at(field[:-1])
            if shape is None or field[-1] in shape.required_members:
                return None
            reasons.add("D2")
        elif keyword in ("minimum", "minLength", "minItems"):
            shape = shape_at(field)
            if shape is not None and "min" in shape.metadata:
                return None  # botocore checks a model minimum
            reasons.add("D3")
        elif keyword in ("maximum", "maxLength", "maxItems"):
            reasons.add("D4")
        elif keyword == "enum":
            reasons.add("D5")
        elif keyword == "pattern":
            reasons.add("D6")
        else:
            return None
    return "+".join(sorted(reasons)) or None


def assert_same_verdict(data: dict[str, Any]) -> None:
    theirs = botocore_verdict(data)
    ours = ecslint_verdict(data)
    errors = schema_errors(data)
    assert ours <= set(errors), "E002 reports only what the schema rejects"
    for field, reason in theirs.items():
        if field not in ours:
            assert why_only_botocore_rejects(field, reason, data), (
                f"botocore rejects {field} ({reason}), ecslint accepts it")
    for field in ours - set(theirs):
        assert why_only_ecslint_rejects(field, errors[field]), (
            f"ecslint rejects {field} ({[k for k, _ in errors[field]]}), botocore accepts it")


# -- strategies ---------------------------------------------------------------------------


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


@cache
def _definition(name: str) -> st.SearchStrategy[Any]:
    return st.deferred(lambda: strategy(SCHEMA["$defs"][name]))


def strategy(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid under ``schema`` (a register request: no read-only fields)."""
    if "$ref" in schema:
        return _definition(schema["$ref"].rsplit("/", 1)[1])
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        return _structure(schema)
    if kind == "object":
        values = strategy(schema.get("additionalProperties", {}))
        keys = st.text(st.characters(codec="utf-8", exclude_characters=".[]"), max_size=8)
        return st.dictionaries(keys, values, max_size=2)
    if kind == "array":
        low = schema.get("minItems", 0)
        return st.lists(strategy(schema["items"]), min_size=low,
                        max_size=min(schema.get("maxItems", 2), low + 2))
    leaf = {key: value for key, value in schema.items() if key not in _ANNOTATIONS}
    # from_regex lets "$" match before a final newline, as Python does (B2).
    return hypothesis_jsonschema.from_schema(leaf).filter(Reference(leaf).is_valid)


def _structure(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    members = {key: sub for key, sub in schema["properties"].items() if not sub.get("readOnly")}
    required = schema.get("required", [])
    if schema.get("maxProperties") == 1:  # a tagged union: exactly one member
        return st.one_of([st.fixed_dictionaries({key: strategy(sub)})
                          for key, sub in members.items()])
    optional = sorted(set(members) - set(required))

    @st.composite
    def structure(draw: st.DrawFn) -> dict[str, Any]:
        keys = list(required)
        if optional:
            keys += draw(st.lists(st.sampled_from(optional), max_size=4, unique=True))
        return {key: draw(strategy(members[key])) for key in keys}

    return structure()


REQUESTS = strategy(SCHEMA)

UNKNOWN_KEYS = ["bogus", "Family", "famliy", "containerdefinitions", "x-y", "valueFrom", "0"]
ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2**40, 2**40), st.sampled_from([-1, 0, 65536, 2**31]),
    st.floats(allow_nan=False, allow_infinity=False), st.just(5.0), st.text(max_size=6),
    st.sampled_from(["", "a" * 300, "bad name!", "bogus", "tcp", "nat", "awsvpc", "512"]),
    st.sampled_from([[], {}, ["x"], [1], {"k": 1}, {"name": "x"}]),
    st.sampled_from([{"Ref": "Param"}, {"Fn::If": ["c", 1, 2]}, "${IMAGE}", "{{ port }}"]),
)


def nodes(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from nodes(value, (*path, key))
    elif isinstance(data, list):
        for number, value in enumerate(data):
            yield from nodes(value, (*path, number))


@st.composite
def faulty_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A valid request with one to three faults injected."""
    data = copy.deepcopy(draw(REQUESTS))
    for _ in range(draw(st.integers(1, 3))):
        path, value = draw(st.sampled_from(list(nodes(data))))
        fault = draw(st.sampled_from(["replace", "unknown key", "drop key", "grow list"]))
        if fault == "replace" and path:
            parent = next(v for p, v in nodes(data) if p == path[:-1])
            parent[path[-1]] = draw(ODD_VALUES)
        elif fault == "unknown key" and isinstance(value, dict):
            value[draw(st.sampled_from(UNKNOWN_KEYS))] = draw(ODD_VALUES)
        elif fault == "drop key" and isinstance(value, dict) and value:
            del value[draw(st.sampled_from(sorted(value)))]
        elif fault == "grow list" and isinstance(value, list) and value:
            value.extend([copy.deepcopy(value[0])] * 10)
    return data


# -- properties -----------------------------------------------------------------------------


@PROPERTY
@given(REQUESTS)
def test_generated_valid_requests_pass_both(data: dict[str, Any]) -> None:
    assert botocore_verdict(data) == {}
    assert ecslint_verdict(data) == set()


@PROPERTY
@given(faulty_requests())
def test_faulty_requests_are_rejected_at_the_same_fields(data: dict[str, Any]) -> None:
    assert_same_verdict(data)


# -- each difference, by example --------------------------------------------------------------

BASE: dict[str, Any] = {
    "family": "web",
    "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 512,
                              "portMappings": [{"containerPort": 80}]}],
}


def changed(path: Path, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


MEMORY = ("containerDefinitions", 0, "memory")
PORT = ("containerDefinitions", 0, "portMappings", 0, "containerPort")


@pytest.mark.parametrize(("path", "value", "reason"), [
    (MEMORY, True, "D1"),
    (("containerDefinitions", 0, "image"), KeyError, "D2"),
    (PORT, -1, "D3"),
    (PORT, 65536, "D4"),
    (("placementConstraints",), [{"type": "memberOf"}] * 11, "D4"),
    (("family",), "a" * 256, "D6"),
    (("networkMode",), "bridged", "D5"),
    (("containerDefinitions", 0, "portMappings", 0, "protocol"), "UDP", "D5"),
    (("family",), "my.app", "D6"),
])
def test_what_only_ecslint_rejects(path: Path, value: Any, reason: str) -> None:
    data = changed(path, value)
    assert botocore_verdict(data) == {}
    assert ecslint_verdict(data) == {path}
    assert why_only_ecslint_rejects(path, schema_errors(data)[path]) == reason
    assert_same_verdict(data)


@pytest.mark.parametrize(("path", "value", "reason"), [
    (("revision",), 7, "D7"),
    (("status",), "ACTIVE", "D7"),
    (MEMORY, {"Ref": "Memory"}, "D8"),
    (MEMORY, "${MEMORY}", "D8"),
    (("containerDefinitions", 0, "portMappings"), {"Fn::If": ["c", [], []]}, "D8"),
])
def test_what_only_botocore_rejects(path: Path, value: Any, reason: str) -> None:
    data = changed(path, value)
    theirs = botocore_verdict(data)
    assert set(theirs) == {path}
    assert ecslint_verdict(data) == set()
    assert why_only_botocore_rejects(path, theirs[path], data) == reason


@pytest.mark.parametrize(("path", "value", "reason"), [
    (MEMORY, "512", "invalid type"),
    (("family",), KeyError, "missing required field"),
    (("containerDefinitions", 0, "memroy"), 512, "unknown field"),
    (("tags",), [{"key": "", "value": "v"}], "invalid length"),
    (("containerDefinitions", 0, "resourceRequirements"), [{"value": "1"}],
     "missing required field"),
])
def test_both_reject_the_same_field(path: Path, value: Any, reason: str) -> None:
    data = changed(path, value)
    theirs = botocore_verdict(data)
    field = {"invalid length": ("tags", 0, "key"),
             "missing required field": path if value is KeyError else (*path, 0, "type")
             }.get(reason, path)
    assert theirs == {field: reason}
    assert ecslint_verdict(data) == {field}


def test_a_tagged_union_needs_exactly_one_member() -> None:
    resources = ("containerDefinitions", 0, "resourceRequirements")
    for strategy_ in ({}, {"nvidiaMps": {"memory": 1}, "other": 1}):
        data = changed(resources, [{"type": "GPU", "value": "1",
                                    "sharingStrategy": strategy_}])
        if "sharingStrategy" not in request_shape().members["containerDefinitions"].member \
                .members["resourceRequirements"].member.members:
            pytest.skip("this botocore has no sharingStrategy")
        assert_same_verdict(data)
        assert (*resources, 0, "sharingStrategy") in botocore_verdict(data)
        assert (*resources, 0, "sharingStrategy") in ecslint_verdict(data)


def test_an_integral_float_is_not_an_integer() -> None:
    data = changed(MEMORY, 512.0)
    assert botocore_verdict(data) == {MEMORY: "invalid type"}
    assert ecslint_verdict(data) == {MEMORY}


def test_a_name_ending_in_a_newline_does_not_match_its_pattern() -> None:
    name = ("containerDefinitions", 0, "portMappings", 0, "name")
    data = changed(name, "http\n")
    assert schema_errors(data)[name][0][0] == "pattern"
    assert ecslint_verdict(data) == {name}


@pytest.mark.parametrize(("data", "pointer"), [
    # ECS408 and SEC506 report the container as a whole; E002 says what registration says.
    ({"family": "web", "containerDefinitions": [{"name": "web"}]}, "/containerDefinitions/0"),
    # FG302 reports the task as a whole.
    ({"requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
      "containerDefinitions": [{"name": "web", "image": "nginx"}]}, ""),
])
def test_e002_is_not_hidden_by_a_finding_on_the_whole_object(
        data: dict[str, Any], pointer: str) -> None:
    messages = [f.message for f in validate(data)]
    assert messages == ["missing required key 'image'" if pointer
                        else "missing required key 'family'"]
    found = lint_text(json.dumps(data), "task.json").findings
    assert [(f.location.pointer, f.message) for f in found if f.rule.id == "E002"] == [
        (pointer, message) for message in messages]
