"""Write a fix's operations as exact edits of the text a document was read from.

Each operation becomes replacements of character spans, found through the document's
``SourceMap``, in the syntax around them: JSON, YAML block and flow style, HCL object
constructors and the JSON in heredocs or ``jsonencode``. A member is deleted with its
separator (the comma before or after it, or its whole lines when it has them to
itself) and added after the last member with that member's indentation and style; a
value keeps its quoting where the new value allows it. A CloudFormation key gets its
casing from the task's ``to_document``.

What cannot be written exactly gives ``None`` and the finding has no fix: a node read
from another file or through a reference (a Terraform variable's default, a YAML
alias or merge key, whose text other nodes share), a span holding template syntax
(``${``, ``{{``, ``<%``...), the only key of a YAML block mapping, a key Terraform
spells in its own arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ecslint.fix.operations import Fix, Remove, RenameKey, ReplaceText, SetValue, TextEdit
from ecslint.load.document import Document
from ecslint.load.sourcemap import Path, Span
from ecslint.tasks.shapes import FoundTask

_PLACEHOLDER = re.compile(r"\$\{|\{\{|\{%|%\{|<%|\$\$\$\$")
# A YAML plain scalar that stays a string and needs no quotes.
_PLAIN = re.compile(r"[A-Za-z_/.][A-Za-z0-9_./@+-]*(?::[A-Za-z0-9_./@+-]+)*")
_YAML_NOT_STRINGS = re.compile(
    r"(?i:y|yes|n|no|true|false|on|off|null|~|[-+]?(\.inf|\.nan)|[-+]?[0-9][0-9_.:e+-]*)")


def text_edits(fix: Fix, task: FoundTask, document: Document, text: str,
               syntax: str) -> tuple[TextEdit, ...] | None:
    """The edits that make ``fix`` in ``text`` (of a ``syntax`` reader: ``json``,
    ``yaml``, ``terraform``), or ``None`` when one operation cannot be written."""
    writer = _Writer(task, document, text, syntax)
    edits: list[TextEdit] = []
    for operation in fix.operations:
        found = _OPERATIONS[type(operation)](writer, operation)
        if found is None:
            return None
        path = task.to_document(operation.path)
        edits.extend(TextEdit(edit.start, edit.end, edit.text, path) for edit in found)
    if any(_PLACEHOLDER.search(text, edit.start, edit.end) for edit in edits):
        return None
    return tuple(edits)


class _Writer:
    def __init__(self, task: FoundTask, document: Document, text: str, syntax: str) -> None:
        self.task, self.document, self.text, self.syntax = task, document, text, syntax
        self.spans = document.sourcemap.spans

    def span(self, path: Path) -> Span | None:
        """The span of the document node at ``path`` when it is written here, in this
        text, inside its parents' text (not reached through an alias or a reference)."""
        span = self.spans.get(path)
        if span is None or span.origin is not None or path in self.document.sourcemap.definitions:
            return None
        for cut in range(len(path) - 1, -1, -1):
            parent = self.spans.get(path[:cut])
            if parent is None:
                continue
            if parent.origin is not None or not (
                    parent.value_start <= span.value_start and span.value_end <= parent.value_end):
                return None
            break
        return span

    def node(self, path: Path) -> Any:
        data = self.document.data
        for part in path:
            try:
                data = data[part]
            except (KeyError, IndexError, TypeError):
                return None
        return data

    def members(self, parent: Path) -> list[Span] | None:
        """The spans of the members of the mapping at ``parent``, in text order."""
        mapping = self.node(parent)
        if not isinstance(mapping, dict):
            return None
        spans = [self.span(parent + (key,)) for key in mapping]
        if any(span is None or span.key_start is None for span in spans):
            return None
        return sorted(spans, key=lambda span: span.key_start)  # type: ignore[arg-type, return-value]

    def flow(self, parent: Path) -> bool:
        """Whether the mapping at ``parent`` is written between braces (JSON, YAML
        flow style, an HCL object) rather than as a YAML block."""
        span = self.spans.get(parent)
        return span is not None and self.text.startswith("{", span.value_start)

    def value(self, value: Any, path: Path, like: Span | None = None) -> str:
        """``value`` as this syntax writes it, quoted like the value at ``like``."""
        if isinstance(value, dict):
            items = ", ".join(f"{self.key(path + (key,), None)}{self.separator(None)}"
                              f"{self.value(item, path + (key,))}"
                              for key, item in value.items())
            return "{" + items + "}"
        old = self.text[like.value_start:like.value_end] if like is not None else ""
        written = json.dumps(value, ensure_ascii=False)
        if old.startswith('\\"'):  # JSON in an HCL string: its quotes are escaped
            return json.dumps(written, ensure_ascii=False)[1:-1]
        if self.syntax == "terraform" and isinstance(value, str):
            return written.replace("${", "$${").replace("%{", "%%{")
        if self.syntax == "yaml" and isinstance(value, str):
            if old.startswith("'") and "\n" not in value:
                return "'" + value.replace("'", "''") + "'"
            if not old.startswith('"') and _PLAIN.fullmatch(value) and not (
                    _YAML_NOT_STRINGS.fullmatch(value)):
                return value
        return written

    def key(self, path: Path, like: Span | None) -> str:
        """The document's key at ``path`` (a CloudFormation key in PascalCase), quoted
        like the key at ``like``, else as the syntax quotes keys."""
        key = str(self.task.to_document(path)[-1])
        old = self.text[like.key_start:like.key_end] if like and like.key_start is not None else ""
        if old.startswith('\\"'):
            return json.dumps(json.dumps(key))[1:-1]
        if old.startswith('"') or (not old and self.syntax == "json"):
            return json.dumps(key, ensure_ascii=False)
        if old.startswith("'"):
            return "'" + key.replace("'", "''") + "'"
        return key

    def separator(self, like: Span | None) -> str:
        """What stands between a key and its value, as at ``like``."""
        if like is None or like.key_end is None:
            return ": "
        between = self.text[like.key_end:like.value_start]
        return between if between.strip() in (":", "=") and "\n" not in between else ": "

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def after(self, offset: int) -> int:
        """The offset of the first character after ``offset`` that is not a space or tab."""
        while offset < len(self.text) and self.text[offset] in " \t":
            offset += 1
        return offset

    def line_end(self, offset: int) -> int | None:
        """Where the line ends (its ``\\n``, or the text's end) when only a separator
        comma, blanks and a comment follow ``offset`` on it; ``None`` otherwise."""
        at = self.after(offset)
        if self.text.startswith(",", at):
            at = self.after(at + 1)
        if at == len(self.text) or self.text[at] == "\n":
            return at
        if self.syntax != "json" and self.text.startswith(("#", "//"), at):
            end = self.text.find("\n", at)
            return len(self.text) if end == -1 else end
        return None


def _remove(writer: _Writer, operation: Remove) -> list[TextEdit] | None:
    path = writer.task.to_document(operation.path)
    span = writer.span(path)
    siblings = writer.members(path[:-1]) if path else None
    if span is None or span.key_start is None or not siblings or span not in siblings:
        return None
    text, index = writer.text, siblings.index(span)
    before = siblings[index - 1] if index else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    flow = writer.flow(path[:-1])
    if before is None and following is None and not flow:
        return None  # a YAML block mapping would become null
    start = writer.line_start(span.key_start)
    end = writer.line_end(span.value_end)
    if not text[start:span.key_start].strip() and end is not None:
        edits = [TextEdit(start, min(end + 1, len(text)), "")]
        if following is None and before is not None:  # the comma before it now ends the list
            comma = writer.after(before.value_end)
            while comma < len(text) and text[comma] in " \t\n":
                comma += 1
            if text.startswith(",", comma) and comma < start:
                edits.append(TextEdit(comma, comma + 1, ""))
        return edits
    if following is not None:
        return [TextEdit(span.key_start, following.key_start, "")]  # type: ignore[arg-type]
    if before is not None:
        return [TextEdit(before.value_end, span.value_end, "")]
    return [TextEdit(span.key_start, span.value_end, "")]


def _set(writer: _Writer, operation: SetValue) -> list[TextEdit] | None:
    path = writer.task.to_document(operation.path)
    if path in writer.spans:
        span = writer.span(path)
        if span is None or isinstance(writer.node(path), (dict, list)):
            return None
        return [TextEdit(span.value_start, span.value_end,
                         writer.value(operation.value, operation.path, span))]
    parent = path[:-1]
    if writer.syntax == "terraform" and parent == writer.task.to_document(()):
        return None  # a task-level argument: Terraform spells it its own way
    siblings = writer.members(parent) if path else None
    parent_span = writer.span(parent) if path else None
    if siblings is None or parent_span is None:
        return None
    last = siblings[-1] if siblings else None
    key = writer.key(operation.path, last)
    member = f"{key}{writer.separator(last)}{writer.value(operation.value, operation.path)}"
    text = writer.text
    if last is None:
        if not writer.flow(parent):
            return None
        return [TextEdit(parent_span.value_start + 1, parent_span.value_end - 1, member)]
    line_start = writer.line_start(last.key_start)  # type: ignore[arg-type]
    lead = text[line_start:last.key_start]
    own_line = writer.line_end(last.value_end) is not None and not lead.strip(" \t-")
    at = writer.after(last.value_end)
    trailing = text.startswith(",", at)
    comma = "," if writer.flow(parent) and writer.separator(last).strip() == ":" else ""
    if own_line:
        indent = re.sub(r"[^ \t]", " ", lead)
        if trailing:
            return [TextEdit(at + 1, at + 1, f"\n{indent}{member},")]
        return [TextEdit(last.value_end, last.value_end, f"{comma}\n{indent}{member}")]
    if trailing:
        return [TextEdit(at + 1, at + 1, f" {member},")]
    return [TextEdit(last.value_end, last.value_end, f"{comma or ','} {member}")]


def _rename(writer: _Writer, operation: RenameKey) -> list[TextEdit] | None:
    path = writer.task.to_document(operation.path)
    span = writer.span(path)
    if span is None or span.key_start is None or span.key_end is None:
        return None
    renamed = operation.path[:-1] + (operation.key,)
    if writer.task.to_document(renamed) in writer.spans:
        return None  # the key it would take is there already
    return [TextEdit(span.key_start, span.key_end, writer.key(renamed, span))]


def _replace_text(writer: _Writer, operation: ReplaceText) -> list[TextEdit] | None:
    span = writer.span(writer.task.to_document(operation.path))
    if span is None or not operation.old:
        return None
    written = writer.text[span.value_start:span.value_end]
    if written.count(operation.old) != 1:
        return None
    start = span.value_start + written.index(operation.old)
    return [TextEdit(start, start + len(operation.old), operation.new)]


_OPERATIONS: dict[type, Callable[[_Writer, Any], list[TextEdit] | None]] = {
    Remove: _remove, SetValue: _set, RenameKey: _rename, ReplaceText: _replace_text}

