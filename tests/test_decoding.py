"""Decoding: encodings with and without BOM, line endings, and what is refused."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.load.decoding import decode
from ecslint.load.document import InputError
from ecslint.load.json_reader import parse_json
from ecslint.load.yaml_reader import parse_yaml

TASK = '{\n  "family": "wé😀b",\n  "cpu": "256"\n}\n'


def test_plain_utf8_is_returned_unchanged() -> None:
    assert decode(TASK.encode()) == TASK


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_a_bom_selects_the_encoding_and_is_dropped(bom: bytes, codec: str) -> None:
    assert decode(bom + TASK.encode(codec)) == TASK


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode(b"a\r\nb\rc\n\r\n") == "a\nb\nc\n\n"


def test_positions_on_a_crlf_file_equal_those_on_the_lf_file() -> None:
    lf = '{\n\t"family": "web",\n\t"containerDefinitions": [{"name": "app"}]\n}\n'
    for ending in ("\r\n", "\r"):
        raw = lf.replace("\n", ending).encode()
        for parse in (parse_json, parse_yaml):
            expected = parse(lf).documents[0].sourcemap
            got = parse(decode(raw)).documents[0].sourcemap
            assert got.spans == expected.spans
            assert got.region(("containerDefinitions", 0, "name"), key=True) == (
                expected.region(("containerDefinitions", 0, "name"), key=True)
            )


def test_crlf_utf16_file_is_normalised_too() -> None:
    raw = codecs.BOM_UTF16_LE + "a: 1\r\nb: 2\r\n".encode("utf-16-le")
    assert decode(raw) == "a: 1\nb: 2\n"


def test_invalid_utf8_names_line_and_character_column() -> None:
    raw = b'{\r\n  "family": "w\xc3\xa9\xffb"\r\n}'
    with pytest.raises(InputError) as caught:
        decode(raw)
    assert caught.value.message == "not UTF-8 text: invalid byte 0xff at line 2, column 16"
    assert (caught.value.line, caught.value.column) == (2, 16)


def test_truncated_utf8_sequence_is_refused_at_its_first_byte() -> None:
    with pytest.raises(InputError, match=r"invalid byte 0xe2 at line 1, column 3"):
        decode(b"ab\xe2\x82")


def test_invalid_utf16_is_refused_as_utf16() -> None:
    with pytest.raises(InputError, match=r"^not UTF-16 text: .* at line 1, column 2$"):
        decode(codecs.BOM_UTF16_LE + "a".encode("utf-16-le") + b"\x00\xdc")


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(InputError) as caught:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert caught.value.message == "binary file: NUL byte at line 3, column 1"


def test_utf16_without_bom_is_refused_as_binary() -> None:
    with pytest.raises(InputError, match="^binary file"):
        decode('{"a": 1}'.encode("utf-16-le"))


@pytest.mark.parametrize(
    "raw", [b"", b"   ", b" \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + b" \x00"]
)
def test_empty_or_blank_files_are_refused(raw: bytes) -> None:
    with pytest.raises(InputError) as caught:
        decode(raw)
    assert caught.value.message == "empty file"
    assert caught.value.line is None


@settings(deadline=None, max_examples=200)
@given(st.text().filter(lambda text: text.strip(" \t\r\n")))
def test_every_text_survives_every_bom_encoding(text: str) -> None:
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    for bom, codec in ((codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le")):
        assert decode(bom + text.encode(codec)) == expected
    if "\0" not in text:
        assert decode(text.encode()) == expected
