"""YAML reader: exact positions, CloudFormation tags, unsafe tags, bounds, streams."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path as FilePath

import pytest
import yaml

from ecslint.load.document import Document, InputError, Notice, Parsed, SyntaxProblem
from ecslint.load.sourcemap import Path, Region
from ecslint.load.yaml_reader import parse_yaml

Position = tuple[int, int, int, int]
CONTROL = "control characters are not allowed"

BLOCK = """\
family: web
containerDefinitions:
  - name: app
    image: "nginx:latest"
    memory: 512
    essential: yes
    command:
      - sh
      - -c
      - |
        echo hello
        echo there

    entryPoint: >-
      folded
      text
    # a comment inside the container
  - {name: "side car", cpu: 0, links: [app]}
# trailing comment
cpu: '256'   # comment after a value
description: a plain scalar
  that continues on the next line
"""

CFN = """\
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Ref FamilyName
      ExecutionRoleArn: !GetAtt ExecutionRole.Arn
      TaskRoleArn: !GetAtt [TaskRole, Arn]
      Cpu: !If [IsBig, 1024, 256]
      ContainerDefinitions:
        - Name: app
          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app"
          Memory:
            Fn::If: [IsBig, 2048, 512]
          Environment:
            - Name: URL
              Value:
                Fn::Sub: https://${Host}
            - Name: ZONE
              Value: !Select [0, !GetAZs ""]
"""

MERGE = """\
base: &base
  image: nginx
  memory: 256
  cpu: 128
extra: &extra
  memory: 1024
  user: root
web:
  <<: [*base, *extra]
  cpu: 512
  name: web
"""


def as_tuple(region: Region) -> Position:
    return region.line, region.column, region.end_line, region.end_column


def positions(document: Document) -> dict[Path, tuple[Position, Position | None]]:
    """Every path with its value region and, for mapping members, its key region."""
    source_map = document.sourcemap
    return {
        path: (
            as_tuple(source_map.region(path)),
            as_tuple(source_map.region(path, key=True)) if span.key_start is not None else None,
        )
        for path, span in source_map.spans.items()
    }


def summary(parsed: Parsed) -> tuple[list[tuple[object, object, object]], object]:
    """What a ``Parsed`` holds, comparable with ``==`` (a SourceMap is not)."""
    documents = [(d.data, d.sourcemap.spans, d.notices) for d in parsed.documents]
    return documents, parsed.error


def only_document(text: str) -> Document:
    parsed = parse_yaml(text)
    assert parsed.error is None
    (document,) = parsed.documents
    return document


def test_exact_positions_in_block_and_flow_style() -> None:
    document = only_document(BLOCK)
    assert document.data == yaml.safe_load(BLOCK)
    assert document.notices == []
    app = ("containerDefinitions", 0)
    sidecar = ("containerDefinitions", 1)
    assert positions(document) == {
        (): ((1, 1, 22, 34), None),
        ("family",): ((1, 9, 1, 12), (1, 1, 1, 7)),
        ("containerDefinitions",): ((3, 3, 18, 45), (2, 1, 2, 21)),
        # a block mapping ends with its last value, before the comment line
        app: ((3, 5, 16, 11), None),
        (*app, "name"): ((3, 11, 3, 14), (3, 5, 3, 9)),
        (*app, "image"): ((4, 12, 4, 26), (4, 5, 4, 10)),
        (*app, "memory"): ((5, 13, 5, 16), (5, 5, 5, 11)),
        (*app, "essential"): ((6, 16, 6, 19), (6, 5, 6, 14)),
        (*app, "command"): ((8, 7, 12, 19), (7, 5, 7, 12)),
        (*app, "command", 0): ((8, 9, 8, 11), None),
        (*app, "command", 1): ((9, 9, 9, 11), None),
        # block scalars end at their last character, not at the next line
        (*app, "command", 2): ((10, 9, 12, 19), None),
        (*app, "entryPoint"): ((14, 17, 16, 11), (14, 5, 14, 15)),
        sidecar: ((18, 5, 18, 45), None),
        (*sidecar, "name"): ((18, 12, 18, 22), (18, 6, 18, 10)),
        (*sidecar, "cpu"): ((18, 29, 18, 30), (18, 24, 18, 27)),
        (*sidecar, "links"): ((18, 39, 18, 44), (18, 32, 18, 37)),
        (*sidecar, "links", 0): ((18, 40, 18, 43), None),
        ("cpu",): ((20, 6, 20, 11), (20, 1, 20, 4)),
        ("description",): ((21, 14, 22, 34), (21, 1, 21, 12)),
    }


def test_scalar_spans_are_their_source_text() -> None:
    document = only_document(BLOCK)
    spans = document.sourcemap.spans
    command = spans[("containerDefinitions", 0, "command", 2)]
    assert BLOCK[command.value_start : command.value_end] == (
        "|\n        echo hello\n        echo there"
    )
    image = spans[("containerDefinitions", 0, "image")]
    assert BLOCK[image.value_start : image.value_end] == '"nginx:latest"'


def test_non_bmp_characters_count_as_one_column() -> None:
    document = only_document("a: 😀😀\nb: [😀, x]\n")
    assert positions(document)[("b", 1)] == ((2, 8, 2, 9), None)


def test_cloudformation_short_and_long_forms() -> None:
    document = only_document(CFN)
    properties = document.data["Resources"]["Task"]["Properties"]
    container = properties["ContainerDefinitions"][0]
    assert properties["Family"] == {"Ref": "FamilyName"}
    assert properties["ExecutionRoleArn"] == {"Fn::GetAtt": ["ExecutionRole", "Arn"]}
    assert properties["TaskRoleArn"] == {"Fn::GetAtt": ["TaskRole", "Arn"]}
    assert properties["Cpu"] == {"Fn::If": ["IsBig", 1024, 256]}
    assert container["Image"] == {
        "Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app"
    }
    assert container["Memory"] == {"Fn::If": ["IsBig", 2048, 512]}
    assert container["Environment"] == [
        {"Name": "URL", "Value": {"Fn::Sub": "https://${Host}"}},
        {"Name": "ZONE", "Value": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}},
    ]
    assert document.notices == []


def test_cloudformation_positions_point_at_the_tagged_node_and_its_tag() -> None:
    got = positions(only_document(CFN))
    props = ("Resources", "Task", "Properties")
    env = (*props, "ContainerDefinitions", 0, "Environment")
    assert got[(*props, "Family")] == ((5, 15, 5, 30), (5, 7, 5, 13))
    assert got[(*props, "Family", "Ref")] == ((5, 15, 5, 30), (5, 15, 5, 19))
    assert got[(*props, "ExecutionRoleArn", "Fn::GetAtt")] == ((6, 25, 6, 50), (6, 25, 6, 32))
    assert got[(*props, "ExecutionRoleArn", "Fn::GetAtt", 1)] == ((6, 25, 6, 50), None)
    assert got[(*props, "TaskRoleArn", "Fn::GetAtt", 1)] == ((7, 39, 7, 42), None)
    assert got[(*props, "Cpu", "Fn::If")] == ((8, 12, 8, 34), (8, 12, 8, 15))
    assert got[(*props, "Cpu", "Fn::If", 2)] == ((8, 30, 8, 33), None)
    assert got[(*env, 0, "Value", "Fn::Sub")] == ((17, 26, 17, 41), (17, 17, 17, 24))
    assert got[(*env, 1, "Value", "Fn::Select", 1, "Fn::GetAZs")] == (
        (19, 34, 19, 44),
        (19, 34, 19, 41),
    )


def test_python_tags_are_never_constructed(
    tmp_path: FilePath, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    marker = tmp_path / "pwned"
    text = (
        f"a: !!python/object/apply:os.system ['touch {marker}']\n"
        f"b: !!python/object/apply:builtins.open ['{marker}', 'w']\n"
        "c: !!python/name:os.system x\n"
        "d: !Foo {x: 1}\n"
    )
    document = only_document(text)
    assert calls == []
    assert not marker.exists()
    assert document.data == {
        "a": [f"touch {marker}"],
        "b": [str(marker), "w"],
        "c": "x",
        "d": {"x": 1},
    }
    tags = ["!!python/object/apply:os.system", "!!python/object/apply:builtins.open"]
    tags += ["!!python/name:os.system", "!Foo"]
    plain = "ignored; the value is read as plain data"
    assert document.notices == [
        Notice((key,), f"unsupported YAML tag '{tag}' {plain}", False)
        for key, tag in zip("abcd", tags, strict=True)
    ]
    # The payload is live: a constructing loader does run it.
    yaml.unsafe_load(text.splitlines()[0])
    assert calls == [f"touch {marker}"]


def test_billion_laughs_is_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    with pytest.raises(InputError) as caught:
        parse_yaml("\n".join(lines))
    assert caught.value.message == (
        "YAML alias expansion exceeds 250000 nodes (possible alias bomb)"
    )


def test_merge_key_bomb_is_refused() -> None:
    lines = ["l0: &l0 {" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}"]
    for level in range(1, 10):
        lines.append(f"l{level}: &l{level} {{<<: [{', '.join([f'*l{level - 1}'] * 10)}]}}")
    with pytest.raises(InputError, match="possible alias bomb"):
        parse_yaml("\n".join(lines))


def test_merge_keys_follow_the_merge_spec_and_point_at_the_anchor_source() -> None:
    document = only_document(MERGE)
    # Own keys win, then earlier sources. PyYAML 6.0.4 lets the later source win
    # for keys longer than one character (yaml/pyyaml#953), so no safe_load here.
    assert document.data["web"] == {
        "image": "nginx", "memory": 256, "cpu": 512, "user": "root", "name": "web",
    }  # fmt: skip
    got = positions(document)
    assert got[("web", "image")] == ((2, 10, 2, 15), (2, 3, 2, 8))
    assert got[("web", "memory")] == ((3, 11, 3, 14), (3, 3, 3, 9))
    assert got[("web", "user")] == ((7, 9, 7, 13), (7, 3, 7, 7))
    assert got[("web", "cpu")] == ((10, 8, 10, 11), (10, 3, 10, 6))
    assert ("web", "<<") not in got
    assert document.notices == []


def test_an_alias_spans_its_token_and_its_members_the_anchor() -> None:
    document = only_document("base: &b {x: 1}\nuse: *b\n")
    assert document.data == {"base": {"x": 1}, "use": {"x": 1}}
    assert positions(document)[("use",)] == ((2, 6, 2, 8), (2, 1, 2, 4))
    assert positions(document)[("use", "x")] == ((1, 14, 1, 15), (1, 11, 1, 12))


def test_a_merge_of_a_scalar_is_an_ordinary_key_with_a_notice() -> None:
    document = only_document("a:\n  <<: 5\n  b: 1\n")
    assert document.data == {"a": {"<<": 5, "b": 1}}
    assert document.notices == [
        Notice(
            ("a", "<<"),
            "merge key '<<' needs a mapping or a list of mappings; it is read as an ordinary key",
        )
    ]


def test_duplicate_keys_keep_the_last_and_point_at_it() -> None:
    document = only_document("a:\n  x: 1\nb: 2\na: 3\n")
    assert document.data == {"a": 3, "b": 2}
    assert set(document.sourcemap.spans) == {(), ("a",), ("b",)}
    assert positions(document)[("a",)] == ((4, 4, 4, 5), (4, 1, 4, 2))
    assert document.notices == [
        Notice(("a",), "duplicate key 'a' (the last of 2 occurrences wins; first at line 1)")
    ]


def test_yaml_1_1_values_equal_safe_load_but_timestamps_stay_strings() -> None:
    text = (
        "a: yes\nb: 1.10\nc: 0o17\nd: 1_000\ne: off\nf: 017\ng: 0x1F\nh: 1:20\ni: ~\n"
        "j: .inf\nk: -.INF\nl: '1.10'\nm: 0b101\nn: 2001-12-14\no: +12\np: 1e3\nq: ''\n"
        "r: !!str 12\ns: !!int '12'\nt: !!float 1\nu: !!binary aGk=\nv: NO\n"
    )
    expected = yaml.safe_load(text)
    expected["n"] = "2001-12-14"
    expected["u"] = "aGk="
    document = only_document(text)
    assert document.data == expected
    assert document.data["a"] is True and document.data["b"] == 1.1
    assert document.notices == []


def test_keys_become_the_strings_json_would_write() -> None:
    document = only_document("1: a\nyes: b\n~: c\n1.5: d\n2001-01-01: e\n'2': f\n? [x, y]\n: g\n")
    assert document.data == {
        "1": "a", "true": "b", "null": "c", "1.5": "d", "2001-01-01": "e", "2": "f", "[x, y]": "g",
    }  # fmt: skip
    assert document.notices == [
        Notice(("[x, y]",), "a collection used as a mapping key is read as its source text")
    ]


def test_invalid_explicit_scalar_tags_are_read_as_strings() -> None:
    document = only_document("a: !!int abc\nb: !!bool maybe\n")
    assert document.data == {"a": "abc", "b": "maybe"}
    assert document.notices == [
        Notice(("a",), "'abc' is not a valid !!int; read as a string", on_key=False),
        Notice(("b",), "'maybe' is not a valid !!bool; read as a string", on_key=False),
    ]


def test_stream_keeps_documents_before_an_error_and_drops_empty_ones() -> None:
    parsed = parse_yaml("family: one\n---\nfamily: two\n---\n---\nfamily: [three\n")
    assert [document.data for document in parsed.documents] == [
        {"family": "one"},
        {"family": "two"},
    ]
    assert positions(parsed.documents[1])[("family",)] == ((3, 9, 3, 12), (3, 1, 3, 7))
    assert parsed.error == SyntaxProblem("did not find expected ',' or ']'", 7, 1)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a: b: c", SyntaxProblem("mapping values are not allowed in this context", 1, 5)),
        ("a: *nope", SyntaxProblem("found undefined alias 'nope'", 1, 4)),
        ("a:\n\tb: 1", SyntaxProblem("found character that cannot start any token", 2, 1)),
        ("é: 😀\x01", SyntaxProblem(f"unacceptable character #x0001: {CONTROL}", 1, 5)),
    ],
)
def test_syntax_errors_say_where_the_parser_stopped(text: str, error: SyntaxProblem) -> None:
    assert parse_yaml(text) == Parsed([], error)


def test_comment_only_stream_has_no_documents() -> None:
    assert parse_yaml("# nothing here\n") == Parsed([])


@pytest.mark.parametrize(
    "text",
    ["[" * 65 + "]" * 65, "- " * 65 + "x", "- " * 100_000, "{a: " * 100_000, "&a [*a]"],
)
def test_nesting_deeper_than_max_depth_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="^nesting deeper than 64 levels$"):
        parse_yaml(text)


def test_nesting_of_max_depth_is_read() -> None:
    document = only_document("[" * 64 + "]" * 64)
    assert len(document.sourcemap.spans) == 64


def test_very_deep_flow_nesting_stops_quickly() -> None:
    try:
        parsed = parse_yaml("[" * 100_000)
    except InputError as exc:
        assert exc.message.startswith("nesting deeper")
    else:
        assert parsed.documents == [] and parsed.error is not None


def test_a_lone_surrogate_is_an_input_error() -> None:
    with pytest.raises(InputError, match="lone surrogate"):
        parse_yaml("a: \ud800")


@pytest.fixture
def pure_python_parse_yaml(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Parsed]:
    """``parse_yaml`` from a fresh copy of the module loaded without libyaml."""
    monkeypatch.delattr(yaml, "CSafeLoader")
    spec = importlib.util.find_spec("ecslint.load.yaml_reader")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module._LIBYAML is False
    return module.parse_yaml


@pytest.mark.parametrize("text", [BLOCK, CFN, MERGE, "a: !Foo [1]\nb: 1\nb: 2\n"])
def test_pure_python_fallback_reads_the_same(
    pure_python_parse_yaml: Callable[[str], Parsed], text: str
) -> None:
    assert summary(pure_python_parse_yaml(text)) == summary(parse_yaml(text))


def test_pure_python_fallback_bounds_and_positions(
    pure_python_parse_yaml: Callable[[str], Parsed],
) -> None:
    with pytest.raises(InputError, match="^nesting deeper than 64 levels$"):
        pure_python_parse_yaml("[" * 100_000)
    error = pure_python_parse_yaml("é: 😀\x01").error
    assert error is not None and (error.line, error.column) == (1, 5)
