"""Properties of a whole lint: no input makes it raise, JSON and YAML agree, and
output is deterministic. Rule errors are raised here (not contained), so a rule
that crashes on odd data fails these tests."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from helpers import options
from hypothesis import assume, example, given
from hypothesis import strategies as st

from ecslint.cli.main import main
from ecslint.engine import lint_bytes

ALL = options(["ALL"], raise_rule_errors=True)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12), st.sampled_from(["awsvpc", "bridge", "FARGATE", "EC2", "WINDOWS_SERVER_2022_CORE",
                                           "mcr.microsoft.com/windows/servercore:ltsc2019", "C:\\data", "512"]),
)
keys = st.sampled_from([
    "family", "networkMode", "cpu", "memory", "requiresCompatibilities", "runtimePlatform",
    "operatingSystemFamily", "containerDefinitions", "name", "image", "memoryReservation",
    "portMappings", "containerPort", "hostPort", "essential", "volumes", "mountPoints",
    "containerPath", "placementConstraints", "expression", "type", "healthCheck", "Ref", "Fn::If",
]) | st.text(max_size=6)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=5), max_leaves=25)
containers = st.lists(st.dictionaries(keys, values, max_size=6), max_size=12)
task_definitions = st.fixed_dictionaries(
    {"family": st.text(max_size=8) | values, "containerDefinitions": containers | values},
    optional={k: values for k in ("networkMode", "cpu", "memory", "requiresCompatibilities",
                                  "runtimePlatform", "volumes", "placementConstraints")},
)


def ids_and_pointers(result):
    return sorted((f.rule.id, f.location.pointer, f.message) for f in result.findings)


@given(st.binary(max_size=400), st.sampled_from(["x.json", "x.yaml", "x.template", "-"]))
def test_arbitrary_bytes_never_raise(raw: bytes, name: str) -> None:
    result = lint_bytes(raw, name, True, ALL)
    assert all(e.message for e in result.errors)


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    lint_bytes(text.encode(), "x.yaml", True, ALL)
    lint_bytes(text.encode(), "x.json", True, ALL)


@given(task_definitions)
def test_task_shaped_data_never_makes_a_rule_raise(data: dict) -> None:
    result = lint_bytes(json.dumps(data).encode(), "td.json", True, ALL)
    assert not result.errors
    for finding in result.findings:
        assert finding.location.line >= 1 and finding.location.column >= 1


@given(task_definitions)
# FG302 once showed this cpu as a Python dict, whose key order YAML sorts.
@example({"family": "", "containerDefinitions": [], "requiresCompatibilities": ["FARGATE"],
          "cpu": {"b": 0, "a": 0}, "memory": "512"})
def test_json_and_yaml_give_the_same_findings(data: dict) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    assume(yaml.safe_load(text) == data)  # PyYAML's dumper does not round-trip some controls
    as_json = lint_bytes(json.dumps(data, indent=2).encode(), "td.json", True, ALL)
    as_yaml = lint_bytes(text.encode(), "td.yaml", True, ALL)
    assert ids_and_pointers(as_json) == ids_and_pointers(as_yaml)


@given(task_definitions)
def test_cloudformation_and_register_input_agree_on_rule_ids(data: dict) -> None:
    register = lint_bytes(json.dumps(data).encode(), "td.json", True, ALL)
    ids = {f.rule.id for f in register.findings} - {"E002"}
    template = {"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": data}}}
    cfn = lint_bytes(json.dumps(template).encode(), "t.json", True, ALL)
    assert not cfn.errors
    assert ids <= {f.rule.id for f in cfn.findings} | {"E002"}


@given(st.binary(max_size=200))
def test_cli_exit_code_is_always_0_1_or_2_and_output_deterministic(raw: bytes) -> None:
    runner = CliRunner()
    args = ["check", "--isolated", "--format", "json", "-", "--stdin-filename", "in.json"]
    first = runner.invoke(main, args, input=raw)
    second = runner.invoke(main, args, input=raw)
    assert first.exit_code in (0, 1, 2), first.output
    assert first.output == second.output
    json.loads(first.output)
