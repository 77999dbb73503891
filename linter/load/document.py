"""Turn text into plain Python data plus a ``SourceMap``, for JSON and YAML.

Guarantees:
- JSON values are exactly those of ``json.loads``; JSON never goes through PyYAML,
  which rejects tabs JSON allows and reads numbers differently.
- YAML is composed, never constructed: no tag ever builds a Python object.
  CloudFormation short-form tags (``!Ref x``) become their long form
  (``{"Ref": "x"}``); standard scalar tags resolve as PyYAML's safe loader does.
- Duplicate keys keep the last value (as ``json.loads`` and the AWS CLI do) and
  are reported as notices at the duplicate key.
- Nesting depth and YAML alias expansion are bounded; past the bounds the
  document is refused with an ``InputError`` instead of exhausting memory.
- Nothing raises but ``InputError``: syntax errors come back as a
  ``SyntaxProblem`` with the position where the parser stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecslint.load.sourcemap import Path, SourceMap

MAX_DEPTH = 64
MAX_YAML_NODES = 250_000


class InputError(Exception):
    """The file cannot be linted at all (binary, too deep, alias bomb, ...)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class SyntaxProblem:
    """Where and why the parser stopped (reported as E001)."""

    message: str
    line: int
    column: int


@dataclass(frozen=True)
class Notice:
    """A problem with a parsed node that does not stop linting (duplicate key, unknown tag)."""

    path: Path
    message: str
    on_key: bool = True


@dataclass
class Document:
    """One parsed document: plain data, its source map, and parse notices."""

    data: Any
    sourcemap: SourceMap
    notices: list[Notice] = field(default_factory=list)


@dataclass
class Parsed:
    """The documents of one text (YAML streams hold several) and the syntax error, if any.

    Documents parsed before a syntax error are kept, so a broken third document
    of a YAML stream does not hide findings in the first two.
    """

    documents: list[Document]
    error: SyntaxProblem | None = None
