"""JSON reader: exact positions, duplicate keys, syntax errors and bounds."""

from __future__ import annotations

import json
import math
import sys

import pytest

from ecslint.load.decoding import decode
from ecslint.load.document import Document, InputError, Notice, SyntaxProblem
from ecslint.load.json_reader import parse_json
from ecslint.load.sourcemap import Path, Region

TASK = """{
  "family": "web",
  "containerDefinitions": [
    {
      "name": "app",
      "memory": 512,
      "essential": true,
      "environment": [{"name": "GREETING", "value": "h\u00e9llo \U0001f600"},
                      {"name": "X", "value": null}],
      "portMappings": []
    }
  ],
  "cpu": "256"
}
"""

Position = tuple[int, int, int, int]


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


def only_document(text: str) -> Document:
    parsed = parse_json(text)
    assert parsed.error is None
    (document,) = parsed.documents
    return document


def test_exact_positions_of_every_key_and_value() -> None:
    document = only_document(TASK)
    assert document.data == json.loads(TASK)
    assert document.notices == []
    container = ("containerDefinitions", 0)
    environment = (*container, "environment")
    assert positions(document) == {
        (): ((1, 1, 14, 2), None),
        ("family",): ((2, 13, 2, 18), (2, 3, 2, 11)),
        ("containerDefinitions",): ((3, 27, 12, 4), (3, 3, 3, 25)),
        container: ((4, 5, 11, 6), None),
        (*container, "name"): ((5, 15, 5, 20), (5, 7, 5, 13)),
        (*container, "memory"): ((6, 17, 6, 20), (6, 7, 6, 15)),
        (*container, "essential"): ((7, 20, 7, 24), (7, 7, 7, 18)),
        environment: ((8, 22, 9, 52), (8, 7, 8, 20)),
        (*environment, 0): ((8, 23, 8, 63), None),
        (*environment, 0, "name"): ((8, 32, 8, 42), (8, 24, 8, 30)),
        # columns count code points: the emoji is one column
        (*environment, 0, "value"): ((8, 53, 8, 62), (8, 44, 8, 51)),
        (*environment, 1): ((9, 23, 9, 51), None),
        (*environment, 1, "name"): ((9, 32, 9, 35), (9, 24, 9, 30)),
        (*environment, 1, "value"): ((9, 46, 9, 50), (9, 37, 9, 44)),
        (*container, "portMappings"): ((10, 23, 10, 25), (10, 7, 10, 21)),
        ("cpu",): ((13, 10, 13, 15), (13, 3, 13, 8)),
    }


def test_tab_indentation_and_tab_after_colon() -> None:
    document = only_document('{\n\t"cpu":\t"256",\n\t\t"memory" :\t512\n}')
    assert document.data == {"cpu": "256", "memory": 512}
    assert positions(document)[("cpu",)] == ((2, 9, 2, 14), (2, 2, 2, 7))
    assert positions(document)[("memory",)] == ((3, 14, 3, 17), (3, 3, 3, 11))


def test_crlf_file_through_decode_has_the_lf_positions() -> None:
    crlf = decode(TASK.replace("\n", "\r\n").encode())
    assert positions(only_document(crlf)) == positions(only_document(TASK))


def test_top_level_scalars_and_arrays_keep_a_root_span() -> None:
    document = only_document('  "x"\n')
    assert document.data == "x"
    assert positions(document) == {(): ((1, 3, 1, 6), None)}
    text = "[NaN, -Infinity, Infinity, -0.5e3, true, false, null, {}]"
    document = only_document(text)
    assert math.isnan(document.data[0])
    assert document.data[1:] == json.loads(text)[1:]
    spans = document.sourcemap.spans
    assert [text[spans[(i,)].value_start : spans[(i,)].value_end] for i in range(8)] == [
        "NaN", "-Infinity", "Infinity", "-0.5e3", "true", "false", "null", "{}",
    ]  # fmt: skip


def test_key_spans_keep_escapes_as_written() -> None:
    text = '{"a\\"b": 1, "\\u00e9": 2}'
    document = only_document(text)
    assert document.data == {'a"b': 1, "é": 2}
    key = document.sourcemap.spans[("é",)]
    assert text[key.key_start : key.key_end] == '"\\u00e9"'


def test_duplicate_key_keeps_the_last_value_and_points_at_it() -> None:
    text = '{\n  "cpu": {"units": 1},\n  "memory": 512,\n  "cpu": 256\n}'
    document = only_document(text)
    assert document.data == json.loads(text) == {"cpu": 256, "memory": 512}
    assert set(document.sourcemap.spans) == {(), ("cpu",), ("memory",)}
    assert positions(document)[("cpu",)] == ((4, 10, 4, 13), (4, 3, 4, 8))
    assert document.notices == [
        Notice(("cpu",), "duplicate key 'cpu' (the last of 2 occurrences wins; first at line 2)")
    ]


def test_one_notice_per_duplicated_key_counting_every_occurrence() -> None:
    text = '[{"a": 1,\n "b": 2,\n "a": 3,\n "a": {"x": [4]}}]'
    document = only_document(text)
    assert document.data == [{"a": {"x": [4]}, "b": 2}]
    assert (0, "a", "x", 0) in document.sourcemap.spans
    assert document.notices == [
        Notice((0, "a"), "duplicate key 'a' (the last of 3 occurrences wins; first at line 1)")
    ]


@pytest.mark.parametrize(
    "text",
    [
        '{\n  "family": "web",\n}',
        '{"a": [1, 2,]}',
        '{"a" 1}',
        "{'a': 1}",
        '{"a": 1}\n{"b": 2}',
        '{"a": "tab\there"}',
        "\ufeff{}",
        '{"a": tru}',
        "[1, 2\n\n",
    ],
)
def test_syntax_errors_are_reported_where_json_stops(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    expected = SyntaxProblem(caught.value.msg, caught.value.lineno, caught.value.colno)
    assert parse_json(text).documents == []
    assert parse_json(text).error == expected


def test_trailing_comma_position() -> None:
    error = parse_json('{\n  "family": "web",\n}').error
    assert error == SyntaxProblem("Expecting property name enclosed in double quotes", 3, 1)


def test_nesting_is_bounded_at_max_depth() -> None:
    assert only_document("[" * 64 + "]" * 64).sourcemap.spans
    for depth in (65, 2_000, 100_000):
        with pytest.raises(InputError) as caught:
            parse_json("[" * depth + "]" * depth)
        assert caught.value.message == "nesting deeper than 64 levels"
        assert (caught.value.line, caught.value.column) == (1, 65)


def test_deep_objects_report_the_line_of_the_first_too_deep_container() -> None:
    text = '{"a":\n' * 70 + "1" + "}" * 70
    with pytest.raises(InputError) as caught:
        parse_json(text)
    assert (caught.value.line, caught.value.column) == (65, 1)


@pytest.mark.skipif(not hasattr(sys, "set_int_max_str_digits"), reason="no digit limit")
def test_numbers_python_refuses_are_an_input_error() -> None:
    with pytest.raises(InputError, match="^cannot read a number"):
        parse_json('{"cpu": ' + "1" * 5000 + "}")
