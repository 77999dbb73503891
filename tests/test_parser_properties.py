"""Hypothesis properties tying the parsers' spans to their values.

Span soundness: for generated values serialized in many styles, the parsed data
equals the reference loader's, the source map holds exactly the value's paths,
and slicing the text by a span gives back the value (and the key). For YAML the
slice check covers scalars and flow collections; block collections are skipped
because their slice keeps the indentation of the surrounding document, so it is
not a standalone YAML document.

Robustness: decoding and parsing arbitrary bytes or text raises nothing but
``InputError``, and every span lies inside the text.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.load.decoding import decode
from ecslint.load.document import InputError, Parsed
from ecslint.load.json_reader import parse_json
from ecslint.load.sourcemap import Path
from ecslint.load.yaml_reader import parse_yaml

SETTINGS = settings(deadline=None, max_examples=200)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)


def paths(value: Any, path: Path = ()) -> dict[Path, Any]:
    found = {path: value}
    if isinstance(value, dict):
        for key, item in value.items():
            found.update(paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(paths(item, (*path, index)))
    return found


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    value = draw(values)
    indent = draw(st.sampled_from([None, 0, 2, "\t", " \t"]))
    separators = draw(st.sampled_from([(",", ":"), (", ", ": "), (" ,\t", "\t: ")]))
    ensure_ascii = draw(st.booleans())
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=ensure_ascii)
    return draw(st.sampled_from(["", " ", "\n\t"])) + text + draw(st.sampled_from(["", "\n"]))


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    return yaml.safe_dump(
        draw(values),
        default_flow_style=draw(st.sampled_from([False, True, None])),
        width=draw(st.sampled_from([20, 80, 1000])),
        indent=draw(st.sampled_from([2, 4])),
        allow_unicode=draw(st.booleans()),
        sort_keys=draw(st.booleans()),
    )


@SETTINGS
@given(json_texts())
def test_json_spans_slice_back_to_values_and_keys(text: str) -> None:
    parsed = parse_json(text)
    assert parsed.error is None
    (document,) = parsed.documents
    expected = json.loads(text)
    assert document.data == expected
    expected_paths = paths(expected)
    spans = document.sourcemap.spans
    assert set(spans) == set(expected_paths)
    for path, value in expected_paths.items():
        span = spans[path]
        assert json.loads(text[span.value_start : span.value_end]) == value
        if path and isinstance(path[-1], str):
            assert span.key_start is not None and span.key_end is not None
            assert json.loads(text[span.key_start : span.key_end]) == path[-1]
        else:
            assert span.key_start is None


@SETTINGS
@given(yaml_texts())
def test_yaml_spans_slice_back_to_values_and_keys(text: str) -> None:
    parsed = parse_yaml(text)
    assert parsed.error is None
    expected = yaml.safe_load(text)
    if expected is None:
        assert parsed.documents == []
        return
    (document,) = parsed.documents
    assert document.data == expected
    assert document.notices == []
    expected_paths = paths(expected)
    spans = document.sourcemap.spans
    assert set(spans) == set(expected_paths)
    for path, value in expected_paths.items():
        span = spans[path]
        source = text[span.value_start : span.value_end]
        if not isinstance(value, (dict, list)) or source.startswith(("[", "{")):
            assert yaml.safe_load(source) == value
        if path and isinstance(path[-1], str):
            assert span.key_start is not None and span.key_end is not None
            assert yaml.safe_load(text[span.key_start : span.key_end]) == path[-1]


def check_spans(parsed: Parsed, text: str) -> None:
    for document in parsed.documents:
        assert () in document.sourcemap.spans
        for span in document.sourcemap.spans.values():
            assert 0 <= span.value_start <= span.value_end <= len(text)
            if span.key_start is not None:
                assert span.key_end is not None
                assert 0 <= span.key_start <= span.key_end <= len(text)


def parse_everything(text: str) -> None:
    for parse in (parse_json, parse_yaml):
        try:
            parsed = parse(text)
        except InputError:
            continue
        check_spans(parsed, text)


yaml_soup = st.text(alphabet="[]{}:,-?!&*#|>'\"\n \tab01.~<=%@`\\\x85\u2028é😀")


@SETTINGS
@given(st.binary())
def test_any_bytes_give_data_or_input_error(raw: bytes) -> None:
    try:
        text = decode(raw)
    except InputError:
        return
    parse_everything(text)


@SETTINGS
@given(st.text() | yaml_soup)
def test_any_text_gives_data_or_input_error(text: str) -> None:
    parse_everything(text)
