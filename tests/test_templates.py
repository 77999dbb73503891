"""Templates: placeholders and directives are unknown values, never syntax errors."""

from __future__ import annotations

import json
import time

import pytest
from helpers import lint_text, summary

from ecslint.load.document import Document, InputError
from ecslint.load.json_reader import parse_json
from ecslint.load.templates import rewrite_json, rewrite_yaml
from ecslint.load.yaml_reader import parse_yaml
from ecslint.rule import is_unresolved


def only_document(text: str) -> Document:
    parsed = parse_json(text)
    assert parsed.error is None, parsed.error
    (document,) = parsed.documents
    return document


def located(document: Document, text: str) -> dict[tuple[object, ...], tuple[str, str | None]]:
    """Each path's value text and key text, cut from ``text`` at the mapped spans."""
    found = {}
    for path, span in document.sourcemap.spans.items():
        key = None if span.key_start is None else text[span.key_start:span.key_end]
        found[path] = (text[span.value_start:span.value_end], key)
    return found


@pytest.mark.parametrize("placeholder", [
    "${memory}", "$MEMORY", "{{ memory }}", "{{memory}}", "$$$$MEMORY$$$$", "<MEMORY>",
    "{INSERT MEMORY HERE}", "${ max(var.a, 512) }", "${jsonencode({a = 1})}", "<%= memory %>",
])
def test_an_unquoted_placeholder_is_its_own_text_at_its_own_place(placeholder: str) -> None:
    text = f'{{"family": "web",\n  "memory": {placeholder}, "cpu": "256",\n  "x": [1, {placeholder}]}}'
    document = only_document(text)
    assert document.data == {"family": "web", "memory": placeholder, "cpu": "256",
                             "x": [1, placeholder]}
    assert located(document, text) == {
        (): (text, None),
        ("family",): ('"web"', '"family"'),
        ("memory",): (placeholder, '"memory"'),
        ("cpu",): ('"256"', '"cpu"'),
        ("x",): (f"[1, {placeholder}]", '"x"'),
        ("x", 0): ("1", None),
        ("x", 1): (placeholder, None),
    }


@pytest.mark.parametrize("placeholder", [
    "${memory}", "$MEMORY", "{{ memory }}", "$$$$MEMORY$$$$", "%{ if x }1%{ endif }",
    "{% if x %}1{% endif %}",
])
def test_placeholder_values_are_unresolved(placeholder: str) -> None:
    document = only_document(f'{{"memory": {placeholder}}}')
    assert is_unresolved(document.data["memory"])


def test_positions_after_placeholders_are_exact() -> None:
    text = ('{"a": $A, "b": ${bb}, "c": {{ c }}, "d": [$$$$D$$$$, <E>, 3],\n'
            '   "e": {"f": $F}, "g": "${G}"}')
    document = only_document(text)
    spans = located(document, text)
    assert spans[("d", 2)] == ("3", None)
    assert spans[("e", "f")] == ("$F", '"f"')
    assert spans[("g",)] == ('"${G}"', '"g"')
    assert document.sourcemap.region(("g",)).line == 2
    assert document.sourcemap.region(("g",)).column == text.splitlines()[1].index('"${G}"') + 1


def test_a_placeholder_standing_for_members_is_left_out() -> None:
    # The ECS agent's test fixtures put "startPeriod" in or leave it out this way.
    text = '{"timeout": 2,\n  $$$$START_PERIOD$$$$\n  "retries": 3}'
    document = only_document(text)
    assert document.data == {"timeout": 2, "retries": 3}
    assert located(document, text)[("retries",)] == ("3", '"retries"')
    assert only_document('{"timeout": 2, $$$$START_PERIOD$$$$ }').data == {"timeout": 2}
    assert only_document('{$$$$START_PERIOD$$$$, "a": 1}').data == {"a": 1}


@pytest.mark.parametrize(("text", "data"), [
    # Members a directive governs are left out: their presence is the template's choice.
    ('{"a": 1, %{ if x }"b": 2, %{ endif }"c": 3}', {"a": 1, "c": 3}),
    ('{"a": 1 %{ if x }, "b": 2%{ endif }}', {"a": 1}),
    ('{"a": 1\n%{ if x }"b": 2,%{ endif }\n"c": 3}', {"a": 1, "c": 3}),
    ('{"a": 1, {% if x %}"b": 2{% else %}"b": 3{% endif %}}', {"a": 1}),
    # A value a directive governs is unknown.
    ('{"a": %{ if x }true%{ else }false%{ endif }}',
     {"a": "%{ if x }true%{ else }false%{ endif }"}),
    # Elements a loop makes are one unknown element.
    ('[%{ for p in ps }{"n": "${p}"},%{ endfor }]',
     ['%{ for p in ps }{"n": "${p}"},%{ endfor }']),
    ('[{"x": 1}, %{ for p in ps }{"n": 1},%{ endfor }]',
     [{"x": 1}, '%{ for p in ps }{"n": 1},%{ endfor }']),
    ('[{"x": 1} {% for p in ps %}, {"n": 1}{% endfor %}]',
     [{"x": 1}, '{% for p in ps %}, {"n": 1}{% endfor %}']),
    ('[{% for p in ps %}{"n": 1}, {% endfor %}{"x": 1}]',
     ['{% for p in ps %}{"n": 1}, {% endfor %}', {"x": 1}]),
    ('{"a": [%{ for p in ps }"${p}", %{ endfor }], "b": 1}',
     {"a": ['%{ for p in ps }"${p}", %{ endfor }'], "b": 1}),
    # Nested blocks are one block; a tag that governs nothing goes.
    ('{"a": 1, %{ if x }%{ for y in z }"b": 2,%{ endfor }%{ endif }"c": 3}', {"a": 1, "c": 3}),
    ('{% set x = 1 %}{"a": 1}', {"a": 1}),
    ('{"a": 1, {# a comment #} "b": 2}', {"a": 1, "b": 2}),
])
def test_directives_make_what_they_govern_unknown(text: str, data: object) -> None:
    assert only_document(text).data == data


def test_positions_after_a_directive_are_exact() -> None:
    text = '{"a": 1,\n%{ if x }\n  "b": 2,\n%{ endif }\n  "c": [true]}'
    document = only_document(text)
    assert located(document, text)[("c", 0)] == ("true", None)
    assert document.sourcemap.region(("c", 0)).line == 5


@pytest.mark.parametrize(("text", "line", "column"), [
    ('{"a": 1, "b": }', 1, 15),        # no template in it: the error as written
    ('{"a": ${x', 1, 7),                # an unclosed placeholder
    ('{"a": $X, "b": }', 1, 7),         # a template with a real error
    ('{"a": %{ if x }1', 1, 7),         # a block that never ends
    ('{"a": "x\n"}', 1, 9),        # a newline in a string
])
def test_what_no_template_explains_stays_a_syntax_error(text: str, line: int,
                                                        column: int) -> None:
    parsed = parse_json(text)
    assert parsed.documents == []
    assert parsed.error is not None
    assert (parsed.error.line, parsed.error.column) == (line, column)


def test_placeholders_inside_strings_are_untouched() -> None:
    text = '{"a": "${x} $Y {{ z }}", "b": $B}'
    assert only_document(text).data == {"a": "${x} $Y {{ z }}", "b": "$B"}
    assert rewrite_json('{"a": "%{ if x }"}') is None


def test_a_terraform_container_definition_template_is_linted() -> None:
    text = """[
  {
    "name": "${app_name}",
    "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019",
    "cpu": ${app_cpu},
    "memory": ${app_memory},
    "essential": ${essential},
    "privileged": true,
    "portMappings": [{"containerPort": ${port}, "hostPort": 0}]
  }
]
"""
    result = lint_text(text, "container-definition.json.tpl")
    found = summary(result)
    assert not [f for f in found if f[0] == "E001"]
    assert not [f for f in found if f[0] == "E002"], found
    # The rest is linted: a Windows container cannot be privileged.
    assert ("WIN120", 8, 5, "/0/privileged") in found


def test_a_container_list_with_a_directive_governed_container_is_linted() -> None:
    """Terraform's ``%{ if } {...}, %{ else } {...}, %{ endif }`` around one entry of
    ``container_definitions`` leaves that entry unknown; the real entries are still
    linted (coralogix's container_definitions.tftpl.json)."""
    text = """[
  %{ if app_image != "" }
  {"name": "app", "image": "${app_image}", "cpu": 512, "memory": 1024},
  %{ else }
  {"name": "demo", "image": "mcr.microsoft.com/windows/servercore:ltsc2019"},
  %{ endif }
  {
    "name": "agent",
    "image": "mcr.microsoft.com/windows/servercore:ltsc2019",
    "memory": 1024,
    "privileged": true
  }
]
"""
    found = summary(lint_text(text, "container_definitions.tftpl.json"))
    assert ("WIN120", 11, 5, "/1/privileged") in found
    assert not [f for f in found if f[0] in ("E001", "E002", "E003", "ECS404")], found


def test_a_linux_task_with_unquoted_placeholders_gets_findings_only_on_real_values() -> None:
    text = """{
  "family": "web",
  "networkMode": $NETWORK_MODE,
  "cpu": "{{ cpu }}",
  "memory": ${memory},
  "containerDefinitions": [
    {"name": "web", "image": "nginx:1.27", "essential": {{ essential }},
     "memory": $$$$MEMORY$$$$, "logConfiguration": $LOG_CONFIGURATION,
     "privileged": true}
  ]
}
"""
    found = summary(lint_text(text, "task.json.template", extend_select=["ALL"]))
    pointers = {f[3] for f in found}
    assert "/containerDefinitions/0/privileged" in pointers
    placeholders = {"/networkMode", "/cpu", "/memory", "/containerDefinitions/0/essential",
                    "/containerDefinitions/0/memory",
                    "/containerDefinitions/0/logConfiguration"}
    assert not pointers & placeholders, found
    assert not [f for f in found if f[0] in ("E001", "E002")], found


@pytest.mark.parametrize("unit", ["${", "{{", "{%", "%{", "{#", "<%", "$$$$A", "$", "<a", "{I",
                                  '{"a":${x}'])
def test_the_lenient_reading_stays_linear(unit: str) -> None:
    text = '{"a": ' + unit * (2_000_000 // len(unit))
    started = time.perf_counter()
    parse_json(text)
    assert time.perf_counter() - started < 10


def test_a_template_of_many_placeholders_reads_fast() -> None:
    text = json.dumps({f"k{i}": "@" for i in range(50_000)}).replace('"@"', "${v}")
    started = time.perf_counter()
    document = only_document(text)
    assert time.perf_counter() - started < 10
    assert document.data["k49999"] == "${v}"


def only_yaml_document(text: str) -> Document:
    parsed = parse_yaml(text)
    assert parsed.error is None, parsed.error
    (document,) = parsed.documents
    assert not document.notices, document.notices
    return document


def test_an_unquoted_yaml_placeholder_is_a_string_at_its_own_place() -> None:
    text = ("family: web\n"
            "memory: {{ memory }}\n"
            "cpu: !FindInMap [TaskSize, {{size}}, cpu]\n"
            "name: '{{(service.name~\"--\")|truncate(29, true, 'zzz', 0)}}'\n"
            "containerDefinitions:\n"
            "  - {{ container }}\n"
            "  - name: ${name}\n"
            "    image: <IMAGE>\n")
    document = only_yaml_document(text)
    assert document.data == {
        "family": "web", "memory": "{{ memory }}",
        "cpu": {"Fn::FindInMap": ["TaskSize", "{{size}}", "cpu"]},
        "name": "{{(service.name~\"--\")|truncate(29, true, 'zzz', 0)}}",
        "containerDefinitions": ["{{ container }}", {"name": "${name}", "image": "<IMAGE>"}],
    }
    assert is_unresolved(document.data["memory"])
    assert located(document, text)[("memory",)] == ("{{ memory }}", "memory")
    assert located(document, text)[("cpu", "Fn::FindInMap", 1)] == ("{{size}}", None)
    assert located(document, text)[("containerDefinitions", 1, "image")] == ("<IMAGE>", "image")
    assert document.sourcemap.region(("containerDefinitions", 1, "image")).line == 8


def test_yaml_directive_lines_leave_out_what_they_govern() -> None:
    text = ("Resources:\n"
            "  Task:\n"
            "    Type: AWS::ECS::TaskDefinition\n"
            "    Properties:\n"
            "      {% if inputs.windows %}\n"
            "      RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2022_CORE}\n"
            "      {% else %}\n"
            "      RuntimePlatform: {OperatingSystemFamily: LINUX}\n"
            "      {% endif %}\n"
            "      ContainerDefinitions:\n"
            "        - Name: web\n"
            "          Environment:\n"
            "            - {Name: A, Value: b}\n"
            "            {{ outputs\n"
            "               | env_vars }}\n"
            "          Image: nginx\n")
    document = only_yaml_document(text)
    assert document.data["Resources"]["Task"]["Properties"] == {
        "ContainerDefinitions": [{"Name": "web", "Environment": [{"Name": "A", "Value": "b"}],
                                  "Image": "nginx"}]}
    path = ("Resources", "Task", "Properties", "ContainerDefinitions", 0, "Image")
    assert located(document, text)[path] == ("nginx", "Image")
    assert document.sourcemap.region(path).line == 16


def test_yaml_that_reads_as_written_is_not_rewritten() -> None:
    text = "a: '{{ x }}'\nb: {c: 1}\n"
    assert only_yaml_document(text).data == {"a": "{{ x }}", "b": {"c": 1}}
    assert parse_yaml("a: {{ x }\n").error is not None  # no template explains it


@pytest.mark.parametrize("text", [
    "a: " + "{{" * 1_000_000,
    "a: [" + "{{x}}, " * 100_000 + "1]\nb: {{",
    "{{\n" * 500_000 + "a: {{ b",
    "  {% if x %}\n" * 150_000 + "a: {{ b",
    "a: {{ x }}\n" + "- '{{" * 400_000,
    "a: {{ x }}\n" + "- {{ x }}\n" * 100_000,
])
def test_the_lenient_yaml_reading_stays_linear(text: str) -> None:
    started = time.perf_counter()
    rewrite_yaml(text)
    assert time.perf_counter() - started < 5


def test_a_template_nested_too_deep_is_refused_where_it_is_too_deep() -> None:
    text = '{"a": $A, "b": ' + "[" * 70 + "]" * 70 + "}"
    with pytest.raises(InputError) as caught:
        parse_json(text)
    assert (caught.value.line, caught.value.column) == (1, 15 + 64)  # the 64th "["


@pytest.mark.parametrize("placeholder", [
    "${name}", "$NAME", "{{ name }}", "$$$$NAME$$$$", "<TASK_NAME>", "{INSERT NAME}",
])
def test_an_unquoted_placeholder_lints_as_the_same_placeholder_quoted(placeholder: str) -> None:
    def task(value: str) -> str:
        return ('{"family": @, "networkMode": "bridge",\n'
                ' "containerDefinitions": [{"name": @, "image": "nginx:1.27",\n'
                '   "memory": @, "privileged": true, "logConfiguration": @}]}'
                ).replace("@", value)

    unquoted = summary(lint_text(task(placeholder), "t.json.tpl", extend_select=["ALL"]))
    as_string = summary(lint_text(task(json.dumps(placeholder)), "t.json",
                                  extend_select=["ALL"]))
    assert [(rule, line, pointer) for rule, line, _, pointer in unquoted] == [
        (rule, line, pointer) for rule, line, _, pointer in as_string]
    column = f'   "memory": {placeholder}, "privileged": true'.index("true") + 1
    assert ("SEC501", 3, column, "/containerDefinitions/0/privileged") in unquoted
