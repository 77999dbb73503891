"""Engine behaviour: positions through every shape, suppressions, and locating
findings whose node is missing."""

from __future__ import annotations

import json

from helpers import lint_text, options, summary

from ecslint.config.ignores import ConfigIgnores, PointerIgnore
from ecslint.engine import lint_bytes

BAD_YAML = """family: web
networkMode: bridged
containerDefinitions:
  - name: web
    image: nginx
    memory: "512"
"""


def test_yaml_inline_suppression_on_the_line_and_the_line_before() -> None:
    assert summary(lint_text(BAD_YAML, "td.yaml", select=["E"])) == [
        ("E002", 2, 14, "/networkMode"), ("E002", 6, 13, "/containerDefinitions/0/memory")]
    suppressed = BAD_YAML.replace("bridged", "bridged  # ecslint: ignore[E002]").replace(
        '    memory: "512"', '    # ecslint: ignore[schema-violation]\n    memory: "512"')
    assert summary(lint_text(suppressed, "td.yaml", select=["E"])) == []
    other_rule = BAD_YAML.replace("bridged", "bridged  # ecslint: ignore[ECS401]")
    assert len(summary(lint_text(other_rule, "td.yaml", select=["E"]))) == 2


def test_json_strings_never_act_as_suppression_comments() -> None:
    text = json.dumps({"family": "web", "networkMode": "bridged # ecslint: ignore[E002]",
                       "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 1}]})
    assert [f[0] for f in summary(lint_text(text, select=["E"]))] == ["E002"]


def test_pointer_scoped_config_ignores_cover_the_subtree() -> None:
    text = json.dumps({"family": "web", "networkMode": "bridged", "containerDefinitions": [
        {"name": "web", "image": "nginx", "memory": "1"}]}, indent=2)
    ignores = ConfigIgnores([PointerIgnore("task.json", "/containerDefinitions/0", ("E002",), "ok")])
    found = lint_bytes(text.encode(), "task.json", True, options(["E"], ignores=ignores))
    assert summary(found) == [("E002", 3, 18, "/networkMode")]


def test_positions_through_describe_and_cloudformation_shapes() -> None:
    describe = json.dumps({"taskDefinition": {"family": "web", "networkMode": "bridged",
                                              "containerDefinitions": []}}, indent=1)
    assert summary(lint_text(describe, select=["E"])) == [("E002", 4, 18, "/taskDefinition/networkMode")]
    template = """Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: bridged
      ContainerDefinitions: []
"""
    found = lint_text(template, "t.yaml", select=["E"])
    assert summary(found) == [("E002", 5, 20, "/Resources/Web/Properties/NetworkMode")]
    assert found.findings[0].task == "Web"


def test_missing_key_in_a_container_is_placed_on_its_name() -> None:
    text = '{"family": "web",\n "containerDefinitions": [\n  {"memory": 512, "name": "web"}]}'
    found = lint_text(text, select=["E"])
    assert summary(found) == [("E002", 3, 27, "/containerDefinitions/0")]
    assert found.findings[0].message == "missing required key 'image'"


def test_yaml_stream_lints_every_document() -> None:
    stream = "family: a\ncontainerDefinitions: []\nnetworkMode: x\n---\nfamily: b\ncontainerDefinitions: []\nnetworkMode: y\n"
    found = lint_text(stream, "s.yaml", select=["E"])
    assert [(f.task, f.location.line) for f in found.findings] == [("a", 3), ("b", 7)]


def test_explicit_file_without_tasks_is_e003_only_when_selected() -> None:
    assert summary(lint_text('{"name": "x"}', select=["E003"])) == [("E003", 1, 1, "")]
    assert summary(lint_text('{"name": "x"}')) == []


def test_directory_scan_is_silent_about_broken_files_without_task_markers() -> None:
    assert lint_bytes(b"{ not json", "values.json", False, options()).findings == []
    broken = b'{"containerDefinitions": [}'
    assert [f.rule.id for f in lint_bytes(broken, "td.json", False, options()).findings] == ["E001"]
    assert lint_bytes(b"", "empty.json", False, options()).errors == []
    assert [e.message for e in lint_bytes(b"", "empty.json", True, options()).errors] == ["empty file"]


def _with_rule(extra):
    from ecslint.config.selection import Selection
    from ecslint.engine import LintOptions
    from ecslint.registry import all_rules

    def build(severity=None):
        rules = list(all_rules()) + [extra]
        return LintOptions(rules=rules, selection=Selection(rules, severity=severity),
                           raise_rule_errors=True)
    return build


def test_specific_rule_supersedes_e002_on_the_same_value_and_finding_severity() -> None:
    from ecslint.rule import Finding, Severity, rule

    @rule(id="ECS498", name="test-network-mode", severity=Severity.ERROR, summary="s", fix_title="f")
    def network(task):
        """doc"""
        yield Finding.at_value(("networkMode",), "specific", severity=Severity.WARNING)

    build = _with_rule(network)
    text = b'{"family": "a", "networkMode": "bridged", "containerDefinitions": []}'
    found = lint_bytes(text, "t.json", True, build())
    assert [(f.rule.id, f.severity.value, f.message) for f in found.findings] == [
        ("ECS498", "warning", "specific")]
    overridden = lint_bytes(text, "t.json", True, build({"ECS498": "info"}))
    assert [f.severity.value for f in overridden.findings] == ["info"]
