"""The input formats ecslint reads, one registered ``Reader`` each.

A reader says which file names are its own (``claims``), whether text of unknown
name looks like it (``sniffs``), which names a directory walk picks up
(``walk``), how text becomes ``Parsed`` documents with their source maps
(``parse``; lenient template reading is part of the JSON and YAML parsers), and
what starts a comment, where ``# ecslint: ignore[...]`` suppresses findings
(``comment``; ``None`` where the format has no comments).

``for_name`` picks a reader by file name before the file is read, ``for_text``
by content when the name does not decide. ``parse`` is given the file's path too
(``None`` for standard input): a Terraform module spans the files of its folder.
Adding a format is adding one ``Reader`` to ``READERS``, before any reader that
would claim its names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from ecslint.load.document import Parsed

# Template files of any format: read, and recognised by their content.
TEMPLATE_SUFFIXES = (".template", ".tpl", ".tftpl")


class Reader:
    """One input format; see the module docstring."""

    __slots__ = ("name", "claims", "walk", "parse", "sniffs", "comment")

    def __init__(self, name: str, claims: Callable[[str], bool], walk: tuple[str, ...], *,
                 parse: Callable[[str, str | None], Parsed],
                 sniffs: Callable[[str], bool] | None = None,
                 comment: str | tuple[str, ...] | None = None) -> None:
        self.name, self.claims, self.walk = name, claims, walk
        self.parse, self.sniffs, self.comment = parse, sniffs, comment


def _suffixes(name: str) -> list[str]:
    return [suffix.lower() for suffix in PurePath(name).suffixes[-2:]]


def _parse_json(text: str, _path: str | None) -> Parsed:
    from ecslint.load.json_reader import parse_json

    return parse_json(text)


def _parse_yaml(text: str, _path: str | None) -> Parsed:
    from ecslint.load.yaml_reader import parse_yaml

    return parse_yaml(text)


def _parse_hcl(text: str, path: str | None) -> Parsed:
    from ecslint.load.hcl_reader import parse_hcl

    return parse_hcl(text, path)


# Terraform's native syntax (HCL); Terraform's JSON syntax is read by JSON.
TERRAFORM = Reader(
    name="terraform",
    claims=lambda name: name.lower().endswith(".tf"),
    walk=(".tf",),
    parse=_parse_hcl,
    comment=("#", "//"),
)
YAML = Reader(
    name="yaml",
    claims=lambda name: _suffixes(name)[-1:] in ([".yaml"], [".yml"]),
    walk=(".yaml", ".yml"),
    parse=_parse_yaml,
    sniffs=lambda text: True,
    comment="#",
)
# task.json, and templates of it: task.json.tpl, task.json.template
JSON = Reader(
    name="json",
    claims=lambda name: ".json" in _suffixes(name),
    walk=(".json",),  # main.tf.json too
    parse=_parse_json,
    sniffs=lambda text: text.lstrip()[:1] in ("{", "["),
)
# In order: the first reader that claims a name reads it; by content, the first that
# sniffs the text (JSON before YAML, which reads anything).
READERS = (TERRAFORM, YAML, JSON)
SNIFF_ORDER = (JSON, YAML)


def for_name(name: str) -> Reader | None:
    """The reader whose files are named like ``name``; ``None`` when the name does
    not decide."""
    return next((reader for reader in READERS if reader.claims(name)), None)


def for_text(text: str, name: str) -> Reader:
    """The reader for ``text`` of the file ``name``: by name, else by content."""
    reader = for_name(name)
    if reader is not None:
        return reader
    return next(reader for reader in SNIFF_ORDER if reader.sniffs is not None
                and reader.sniffs(text))


def walked(name: str) -> bool:
    """Whether a directory walk picks up a file named ``name``."""
    lowered = name.lower()
    return lowered.endswith(TEMPLATE_SUFFIXES) or any(
        lowered.endswith(reader.walk) for reader in READERS)
