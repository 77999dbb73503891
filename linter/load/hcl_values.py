"""The value of an HCL expression, as far as the module says it.

Known: literals, strings with known interpolations, ``local.x``, ``var.x`` with a
default (or a value from the call of the module, or ``terraform.tfvars``),
``path.module``, ``each``/``count`` of a literal instance and the iterator of a
``dynamic`` block over a literal, ``jsonencode``,
``merge``, ``concat``, ``tolist``/``toset``, ``file``/``templatefile`` of a file in
the repository, ``data.template_file.x.rendered``, conditionals with a known
condition and indexing of known values. Anything else raises ``Unknown``, and
``Expressions.value`` turns it into its own source text in a ``${...}``
placeholder, which ``ecslint.rule.is_unresolved`` reads as unknown, so no rule
reports on it. Spans are recorded as values are read: a value found through a
local or a variable is located at its use when it is a scalar and where it is
written when it is a structure, its definition kept as a related location.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ecslint.load.document import MAX_DEPTH, InputError
from ecslint.load.hcl_syntax import (
    SourceText,
    argument_values,
    block_body,
    children,
    content,
    dedent,
    tuple_items,
    unescape,
)
from ecslint.load.sourcemap import Origin, Path

if TYPE_CHECKING:
    from ecslint.load.hcl_module import Module

# How deep locals may refer to locals before the value is taken as unknown.
_MAX_REFERENCES = 32
_INTERPOLATION = re.compile(r"\$\{\s*([A-Za-z_][\w-]*)\s*\}")


class Unknown(Exception):
    """The expression's value cannot be known from the module."""


class FileText(str):
    """The text of another file (``file()``, ``templatefile()``), where it came from,
    and, for a template, its known variables."""

    origin: Origin
    variables: dict[str, Any] | None

    def __new__(cls, text: str, origin: Origin, variables: dict[str, Any] | None = None
                ) -> FileText:
        made = super().__new__(cls, text)
        made.origin, made.variables = origin, variables
        return made


class Expressions(SourceText):
    """A file of a module whose expressions are evaluated with the module's
    definitions, recording spans in the module's shared map."""

    def __init__(self, text: str, raw: bytes, module: Module, origin: Origin | None,
                 root: Any = None) -> None:
        super().__init__(text, raw, origin)
        self.module, self.root = module, root
        self.spans, self.notices = module.spans, module.notices
        self.locals, self.defaults = module.locals, module.defaults
        self.resolving = module.resolving

    def value(self, node: Any, path: Path, depth: int = 0) -> Any:
        """The value of an expression, its spans recorded under ``path``; unknown parts
        become placeholders."""
        if depth > MAX_DEPTH:
            raise InputError(f"nesting deeper than {MAX_DEPTH} levels",
                             *self.lines.position(self.offset(node.start_byte)))
        try:
            return self.evaluate(node, path, depth)
        except Unknown:
            return self.unknown(node)

    def unknown(self, node: Any) -> str:
        text = self.source(node).strip()
        return text if text.startswith("${") and text.endswith("}") else f"${{{text}}}"

    def evaluate(self, node: Any, path: Path, depth: int) -> Any:
        kind = node.type
        if kind in ("expression", "literal_value", "collection_value", "template_expr"):
            named = node.named_children
            if named and named[0].type == "variable_expr":
                return self.traversal(node, path, depth)
            if len(named) == 1:  # one value, or one in parentheses
                return self.evaluate(named[0], path, depth)
            raise Unknown
        if kind == "numeric_lit":
            text = self.source(node)
            try:
                number = float(text)
                return int(text) if text.isdigit() else number
            except ValueError:
                raise Unknown from None
        if kind == "bool_lit":
            return self.source(node) == "true"
        if kind == "null_lit":
            return None
        if kind in ("string_lit", "quoted_template", "heredoc_template"):
            return self.template(node, depth, path)
        if kind == "tuple":
            items = [child for child in node.named_children if child.type == "expression"]
            result = []
            for index, child in enumerate(items):
                self.spans[path + (index,)] = self.span(child)
                result.append(self.value(child, path + (index,), depth + 1))
            return result
        if kind == "object":
            return self.object(node, path, depth)
        if kind == "variable_expr":
            return self.traversal(node, path, depth)
        if kind == "function_call":
            return self.call(node, path, depth)
        if kind == "conditional":
            condition, yes, no = (child for child in node.named_children)
            chosen = self.evaluate(condition, (), depth + 1)
            if not isinstance(chosen, bool):
                raise Unknown
            return self.evaluate(yes if chosen else no, path, depth + 1)
        raise Unknown

    def object(self, node: Any, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for element in children(node, "object_elem"):
            key_node, value_node = element.named_children[0], element.named_children[-1]
            key = self.key(key_node, depth)
            self.spans[path + (key,)] = self.span(value_node, key_node)
            result[key] = self.value(value_node, path + (key,), depth + 1)
        return result

    def key(self, node: Any, depth: int) -> str:
        """An object key: a bare name, a string, or a parenthesised expression."""
        named = node.named_children
        if len(named) == 1 and named[0].type == "variable_expr" and not self.source(
                node).startswith("("):
            return self.source(named[0])
        try:
            value = self.evaluate(node, (), depth + 1)
        except Unknown:
            return self.unknown(node)
        return value if isinstance(value, str) else json.dumps(value)

    def template(self, node: Any, depth: int, path: Path = ()) -> Any:
        """A string or heredoc: its text between the quotes or markers, literal parts
        unescaped, interpolations replaced when known, kept as written when not. A
        string that is one interpolation (``"${var.x}"``, Terraform 0.11's style) is
        that value, of its own type, as Terraform reads it."""
        heredoc = node.type == "heredoc_template"
        start, end = content(node, self.raw)
        pieces = [part for part in node.named_children
                  if part.type in ("template_interpolation", "template_directive")]
        if (not heredoc and len(pieces) == 1 and pieces[0].type == "template_interpolation"
                and (pieces[0].start_byte, pieces[0].end_byte) == (start, end)):
            inner = [child for child in pieces[0].named_children if child.type == "expression"]
            if inner:
                return self.evaluate(inner[0], path, depth + 1)
        parts, known, position = [], True, start
        for part in node.named_children:
            if part.type not in ("template_interpolation", "template_directive"):
                continue
            literal = self.raw[position:part.start_byte].decode("utf-8", "replace")
            parts.append(literal if heredoc else unescape(literal))
            position = part.end_byte
            inner = [child for child in part.named_children if child.type == "expression"]
            value = None
            if part.type == "template_interpolation" and inner:
                try:
                    value = self.evaluate(inner[0], (), depth + 1)
                except Unknown:
                    value = None
            if isinstance(value, bool):
                parts.append("true" if value else "false")
            elif isinstance(value, (str, int, float)):
                parts.append(str(value))
            else:
                known = False
                parts.append(self.source(part))
        literal = self.raw[position:end].decode("utf-8", "replace")
        parts.append(literal if heredoc else unescape(literal))
        text = "".join(parts)
        if heredoc and self.source(node).startswith("<<-"):
            text = dedent(text)
        if not known and "${" not in text:
            raise Unknown
        return text

    def traversal(self, node: Any, path: Path, depth: int) -> Any:
        """``local.x``, ``var.x`` (its default), then attribute and index steps."""
        named = node.named_children if node.type == "expression" else [node]
        if named[0].type != "variable_expr" or len(named) < 2 or named[1].type != "get_attr":
            raise Unknown
        root = self.source(named[0])
        name = self.source(named[1].named_children[0])
        if root == "path" and name == "module" and len(named) == 2:
            if self.module.directory is None:
                raise Unknown
            return self.module.directory
        if root == "data" and name == "template_file" and len(named) == 4:
            return self.rendered(named, path, depth)
        if (root, name) in self.module.instance:  # each.key, each.value, count.index
            value = self.module.instance[(root, name)]
            for step in named[2:]:
                value = self.step(value, step, depth)
            return value
        if root == "local":
            definition = self.locals.get(name)
        elif root == "var" and not self.module.literal:
            definition = self.defaults.get(name)
        else:
            raise Unknown
        key = f"{root}.{name}"
        if definition is None or key in self.resolving or len(self.resolving) > _MAX_REFERENCES:
            raise Unknown
        owner, attribute = definition
        if path and len(named) == 2:
            self.module.definitions.setdefault(path, owner.span(attribute.named_children[-1]))
        self.resolving.append(key)
        try:
            value = owner.evaluate(attribute.named_children[-1], path, depth + 1)
        finally:
            self.resolving.pop()
        for step in named[2:]:
            value = self.step(value, step, depth)
        return value

    def rendered(self, named: list[Any], path: Path, depth: int) -> Any:
        """``data.template_file.NAME.rendered``: its ``template`` with its ``vars``."""
        name = self.source(named[2].named_children[0]) if named[2].type == "get_attr" else ""
        found = self.module.data.get(("template_file", name))
        if found is None or named[3].type != "get_attr" or \
                self.source(named[3].named_children[0]) != "rendered":
            raise Unknown
        owner, block = found
        given = argument_values(block)
        if "template" not in given:
            raise Unknown
        template = owner.evaluate(given["template"], (), depth + 1)
        if not isinstance(template, FileText):
            raise Unknown
        if "vars" in given:
            return FileText(template, template.origin, owner.variables(given["vars"], depth))
        variables: dict[str, Any] = {}
        for written in children(block, "body", "block"):  # Terraform 0.11's ``vars { }``
            if owner.block_header(written)[0] == "vars":
                for node in children(block_body(written), "attribute"):
                    try:
                        value = owner.evaluate(node.named_children[-1], (), depth + 1)
                    except Unknown:
                        continue
                    if not unresolved(value):
                        variables[owner.source(node.named_children[0])] = value
        return FileText(template, template.origin, variables)

    def variables(self, node: Any | None, depth: int) -> dict[str, Any]:
        """A template's variables: each known one by name (unknown ones stay out)."""
        if node is None:
            return {}
        try:
            value = self.evaluate(node, (), depth + 1)
        except Unknown:
            return {}
        return {key: item for key, item in value.items() if not unresolved(item)} \
            if isinstance(value, dict) else {}

    def step(self, value: Any, step: Any, depth: int) -> Any:
        key: Any
        if step.type == "get_attr" and isinstance(value, dict):
            key = self.source(step.named_children[0])
        elif step.type == "index":
            inner = [child for child in step.named_children[0].named_children
                     if child.type == "expression"]
            key = self.evaluate(inner[0], (), depth + 1) if inner else None
        else:
            raise Unknown
        try:
            return value[key]
        except (KeyError, IndexError, TypeError):
            raise Unknown from None

    def call(self, node: Any, path: Path, depth: int) -> Any:
        name = self.source(node.named_children[0])
        arguments = [child for args in children(node, "function_arguments")
                     for child in args.named_children if child.type == "expression"]
        if name in ("jsonencode", "tolist", "toset") and len(arguments) == 1:
            value = self.evaluate(arguments[0], path, depth + 1)
            if name == "jsonencode" and path[-1:] != ("container_definitions",):
                return to_json(value)
            return value
        if name in ("file", "templatefile") and arguments:
            target = self.evaluate(arguments[0], (), depth + 1)
            found = self.module.referenced(target) if isinstance(target, str) else None
            if found is None:
                raise Unknown
            text, origin = found
            variables = (self.variables(arguments[1], depth)
                         if name == "templatefile" and len(arguments) > 1 else None)
            return FileText(text, origin, variables)
        if name in ("merge", "concat") and arguments:
            values = [self.evaluate(argument, (), depth + 1) for argument in arguments]
            if name == "merge" and all(isinstance(value, dict) for value in values):
                merged: dict[str, Any] = {}
                for value in values:
                    merged.update(value)
                return self.located(merged, arguments, path, depth)
            if name == "concat" and all(isinstance(value, list) for value in values):
                return self.located([item for value in values for item in value], arguments,
                                    path, depth)
        raise Unknown

    def located(self, value: Any, arguments: list[Any], path: Path, depth: int) -> Any:
        """Evaluate ``merge``/``concat`` arguments again under ``path``, so that their
        members have spans there (the last argument that sets a key wins, as in merge)."""
        if isinstance(value, dict):
            for argument in arguments:
                try:
                    self.evaluate(argument, path, depth + 1)
                except Unknown:
                    pass
            return value
        offset = 0
        for argument in arguments:
            items = self.evaluate(argument, (), depth + 1)
            for index in range(len(items)):
                inner = tuple_items(argument)
                if inner is not None and index < len(inner):
                    self.spans[path + (offset + index,)] = self.span(inner[index])
                    self.value(inner[index], path + (offset + index,), depth + 1)
                else:
                    self.spans[path + (offset + index,)] = self.span(argument)
            offset += len(items)
        return value


def unresolved(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


def filled(value: Any, variables: dict[str, Any]) -> Any:
    """A template's data with its known variables in place: a string that is only
    ``${name}`` takes the variable's value (and type), a longer one its text; what
    refers to an unknown variable stays a placeholder."""
    if isinstance(value, dict):
        return {key: filled(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [filled(item, variables) for item in value]
    if not isinstance(value, str) or "${" not in value:
        return value
    whole = _INTERPOLATION.fullmatch(value.strip())
    if whole is not None:
        return variables.get(whole.group(1), value)

    def one(match: re.Match[str]) -> str:
        known = variables.get(match.group(1))
        if isinstance(known, bool):
            return "true" if known else "false"
        return str(known) if isinstance(known, (str, int, float)) else match.group(0)

    return _INTERPOLATION.sub(one, value)


def to_json(value: Any) -> str:
    """What ``jsonencode`` gives, when every part of ``value`` is known."""
    return json.dumps(value, separators=(",", ":"))
