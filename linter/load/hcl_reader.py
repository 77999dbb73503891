"""Read Terraform's native syntax (HCL2) into Terraform's JSON syntax, with positions.

The document a ``.tf`` file gives is what Terraform's JSON syntax would write for
its task definitions, ``{"resource": {"aws_ecs_task_definition": {"web": {...}}}}``
(blocks as lists of objects), so that ``ecslint.tasks.terraform`` maps both onto
the API. Every node has the span of the HCL it was read from: an argument's name
and value, an object key inside ``jsonencode(...)``, a JSON key inside a heredoc.

Values are evaluated as far as the module says them: literals, strings with known
interpolations, ``local.x``, ``var.x`` with a ``default``, ``jsonencode``, ``merge``,
``concat``, ``tolist``/``toset``, conditionals with a known condition, indexing of
known values. Anything else (resources, data sources, ``path.module``, ``for``
expressions, ``dynamic`` blocks, other functions) is unknown and becomes its own
source text in a ``${...}`` placeholder, which ``ecslint.rule.is_unresolved`` reads
as unknown, so no rule reports on it. ``container_definitions`` written as a JSON
string or heredoc is read as JSON (leniently, as a template: interpolations are
unknown) with positions inside the string. A value found through a local or a
variable is located at its use when it is a scalar and where it is written inside
when it is a structure.

Parsing is tree-sitter's with the tree-sitter-hcl grammar: exact rows and columns
inside ``jsonencode`` and heredocs (a hand-written parser is not an option, and
python-hcl2 flattens ``jsonencode`` into a string). tree-sitter counts columns in
bytes; spans here are character offsets, like every reader's.
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from ecslint.load.document import MAX_DEPTH, Document, InputError, Notice, Parsed, SyntaxProblem
from ecslint.load.sourcemap import LineIndex, Origin, Path, SourceMap, Span

# The one resource type read; the others of a module are left out of its document,
# but for the data sources that look up the AMI of its container instances.
RESOURCE_TYPE = "aws_ecs_task_definition"
AMI_LOOKUPS = frozenset({"aws_ssm_parameter", "aws_ami"})
# The community module whose calls define task definitions: its root module (services)
# and its service module, from the registry or from git.
ECS_MODULE = re.compile(r"terraform-aws-modules/ecs/aws(//modules/service)?[\"?]"
                        r"|terraform-aws-modules/terraform-aws-ecs(\.git)?(//modules/service)?[\"?]")

_ESCAPES = re.compile(r'\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|\$\$\{|%%\{', re.DOTALL)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
# How deep locals may refer to locals before the value is taken as unknown.
_MAX_REFERENCES = 32
# The other .tf files of a folder read for its definitions.
MAX_SIBLINGS = 200
# Instances of one resource read from a literal count or for_each.
MAX_INSTANCES = 100
# A module call's arguments that are not the module's variables.
_MODULE_META = frozenset({"source", "version", "count", "for_each", "providers",
                          "depends_on"})
# A reference to a variable, a resource, a data source or a module in an expression.
_REFERENCE = re.compile(r"\b(?:var|data|module|aws_\w+)\.")


class _Unknown(Exception):
    """The expression's value cannot be known from the module."""


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


def parse_hcl(text: str, path: str | None = None) -> Parsed:
    """The task definitions of one ``.tf`` file, or where its syntax breaks. With the
    file's ``path``, the other files of its module (folder) say what its locals,
    variables and ``file()`` references hold."""
    return read_module(text, path)[0]


def read_module(text: str, path: str | None) -> tuple[Parsed, set[str]]:
    """``parse_hcl``, and the real paths of the files its task definitions were read
    from through ``file()``, ``templatefile()`` and ``template_file``."""
    raw = text.encode("utf-8", "surrogatepass")
    tree = _parser().parse(raw)
    module = _Module(path)
    primary = _File(text, raw, module, None)
    if tree.root_node.has_error:
        line, column, message = primary.error(tree.root_node)
        return Parsed([], SyntaxProblem(message, line, column)), set()
    primary.collect(tree.root_node)
    if path is not None and (RESOURCE_TYPE in text or "module" in text):
        module.load_siblings(path)
    return Parsed([primary.read(tree.root_node)]), module.consumed


def consumed(paths: Iterable[str]) -> set[str]:
    """The real paths of the files that the task definitions of the ``.tf`` files
    ``paths`` read through ``file()`` and templates (also from a local defined in
    another file of the folder): linted through their task, with its variables, they
    are not linted again on their own."""
    from ecslint.load.decoding import decode
    from ecslint.load.sources import Source, read_bytes

    found: set[str] = set()
    for path in paths:
        if os.path.realpath(path) in found:  # read through an earlier file's call: not a
            continue                         # consumer, so modules calling each other keep one
        try:
            raw = read_bytes(Source(path, path, True))
        except InputError:
            continue
        if RESOURCE_TYPE.encode() in raw or b"module" in raw:
            try:
                found |= read_module(decode(raw), path)[1] - {os.path.realpath(path)}
            except InputError:
                continue
    return found


class _Module:
    """What the files of one module share: the spans and notices of the document
    being read, and the module's locals, variable values and template_file data
    sources, each with the file it is written in."""

    def __init__(self, path: str | None) -> None:
        self.spans: dict[Path, Span] = {}
        self.notices: list[Notice] = []
        self.locals: dict[str, tuple[_File, Any]] = {}
        self.defaults: dict[str, tuple[_File, Any]] = {}
        self.templates: dict[str, tuple[_File, Any]] = {}
        self.definitions: dict[Path, Span] = {}
        self.resolving: list[str] = []
        self.consumed: set[str] = set()
        # each.key and each.value, or count.index, of the resource instance being read.
        self.instance: dict[tuple[str, str], Any] = {}
        self.shown = os.path.dirname(path) if path is not None else None
        self.directory = os.path.dirname(os.path.abspath(path)) if path is not None else None
        self.root = _repository_root(self.directory) if self.directory is not None else None

    def load_siblings(self, path: str) -> None:
        """Definitions from the other ``.tf`` files of the folder, then variable values
        from ``terraform.tfvars`` and ``*.auto.tfvars`` (later ones win, as in Terraform)."""
        assert self.directory is not None
        try:
            names = sorted(os.listdir(self.directory))
        except OSError:
            return
        own = os.path.basename(path)
        siblings = [name for name in names if name.endswith(".tf") and name != own]
        values = ["terraform.tfvars"] + [name for name in names if name.endswith(".auto.tfvars")]
        for name in siblings[:MAX_SIBLINGS]:
            sibling = self.open(os.path.join(self.directory, name))
            if sibling is not None:
                sibling.collect(sibling.root)
        for name in values:
            if name in names:
                assignments = self.open(os.path.join(self.directory, name))
                if assignments is not None:
                    for attribute in _children(assignments.root, "body", "attribute"):
                        key = assignments.source(attribute.named_children[0])
                        self.defaults[key] = (assignments, attribute)

    def child(self, source: str) -> _Module | None:
        """The module a call's local ``source`` names, sharing this document's spans,
        notices and references; ``None`` outside the repository or not a folder."""
        if self.directory is None or self.root is None:
            return None
        real = os.path.realpath(os.path.join(self.directory, source))
        if (not _inside(real, self.root) or not os.path.isdir(real)
                or real == os.path.realpath(self.directory)):
            return None
        made = _Module(None)
        made.spans, made.notices, made.definitions = self.spans, self.notices, self.definitions
        made.consumed, made.resolving = self.consumed, self.resolving
        made.directory, made.root = real, self.root
        made.shown = os.path.dirname(self.show(os.path.join(real, "x")))
        return made

    def load_all(self) -> list[_File]:
        """Every ``.tf`` file of this (called) module, its definitions collected; each
        is linted through the call, not again on its own."""
        assert self.directory is not None
        try:
            names = sorted(name for name in os.listdir(self.directory) if name.endswith(".tf"))
        except OSError:
            return []
        files = []
        for name in names[:MAX_SIBLINGS]:
            path = os.path.join(self.directory, name)
            file = self.open(path)
            if file is not None:
                file.collect(file.root)
                files.append(file)
                self.consumed.add(os.path.realpath(path))
        return files

    def open(self, path: str) -> _File | None:
        """Another file of the module, parsed; ``None`` when it cannot be read or parsed,
        is a symlink, or lies outside the repository (``root``)."""
        text = self.read(path)
        if text is None:
            return None
        raw = text.encode("utf-8", "surrogatepass")
        tree = _parser().parse(raw)
        if tree.root_node.has_error:
            return None
        return _File(text, raw, self, Origin(self.show(path), LineIndex(text)), tree.root_node)

    def show(self, path: str) -> str:
        """How another file is named in findings: as a directory scan names it."""
        shown = os.path.normpath(os.path.join(self.shown or "",
                                              os.path.relpath(path, self.directory or ".")))
        if (self.shown or "").startswith(("./", ".\\")) or self.shown == ".":
            if not shown.startswith(("..", os.sep)):
                shown = os.path.join(".", shown)
        return shown

    def read(self, path: str) -> str | None:
        from ecslint.load.decoding import decode
        from ecslint.load.sources import Source, read_bytes

        real = os.path.realpath(path)
        if self.root is None or os.path.islink(path) or not _inside(real, self.root):
            return None
        try:
            return decode(read_bytes(Source(real, real, True)))
        except InputError:
            return None

    def referenced(self, target: str) -> tuple[str, Origin] | None:
        """The text of a file named by ``file()`` or ``templatefile()`` and where it is
        shown, if it lies inside the repository; it is then consumed by this file."""
        if self.directory is None:
            return None
        path = os.path.join(self.directory, target)
        text = self.read(path)
        if text is None:
            return None
        self.consumed.add(os.path.realpath(path))
        return text, Origin(self.show(path), LineIndex(text))


class _File:
    """One file of a module: its text, and the evaluation of its expressions."""

    def __init__(self, text: str, raw: bytes, module: _Module, origin: Origin | None,
                 root: Any = None) -> None:
        self.text, self.raw, self.module, self.origin, self.root = text, raw, module, origin, root
        self.lines = LineIndex(text)
        self.spans, self.notices = module.spans, module.notices
        self.locals, self.defaults = module.locals, module.defaults
        self.resolving = module.resolving
        # Byte offset -> character offset, for text that is not ASCII.
        self._starts: list[int] | None = None
        if not text.isascii():
            starts, position = [], 0
            for character in text:
                starts.append(position)
                position += len(character.encode("utf-8", "surrogatepass"))
            self._starts = starts

    # -- positions ------------------------------------------------------------------------

    def offset(self, byte: int) -> int:
        if self._starts is None:
            return byte
        return bisect_right(self._starts, byte) - 1 if byte < len(self.raw) else len(self.text)

    def span(self, node: Any, key: Any = None) -> Span:
        start, end = self.offset(node.start_byte), self.offset(node.end_byte)
        if key is None:
            return Span(start, end, origin=self.origin)
        return Span(start, end, self.offset(key.start_byte), self.offset(key.end_byte),
                    self.origin)

    def source(self, node: Any) -> str:
        return self.raw[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def error(self, root: Any) -> tuple[int, int, str]:
        """The first node tree-sitter could not fit into the grammar."""
        node = _first_error(root) or root
        line, column = self.lines.position(self.offset(node.start_byte))
        if node.is_missing:
            return line, column, f"HCL syntax error: missing {node.type!r}"
        found = self.source(node).strip().split("\n", 1)[0][:40]
        return line, column, (f"HCL syntax error: unexpected {found!r}" if found
                              else "HCL syntax error")

    # -- the module -----------------------------------------------------------------------

    def collect(self, root: Any) -> None:
        """Register the file's locals, variable defaults and template_file data sources
        with the module (the first file to define a name keeps it)."""
        for block in _children(root, "body", "block"):
            kind, labels = self.block_header(block)
            if kind == "locals":
                for attribute in _children(_block_body(block), "attribute"):
                    self.locals.setdefault(self.source(attribute.named_children[0]),
                                           (self, attribute))
            elif kind == "variable" and labels:
                for attribute in _children(_block_body(block), "attribute"):
                    if self.source(attribute.named_children[0]) == "default":
                        self.defaults.setdefault(labels[0], (self, attribute))
            elif kind == "data" and labels[:1] == ["template_file"] and len(labels) == 2:
                self.module.templates.setdefault(labels[1], (self, block))

    def read(self, root: Any) -> Document:
        tasks: list[tuple[str, Any, Any]] = []
        lookups: dict[str, dict[str, Any]] = {}
        modules: dict[str, Any] = {}
        for block in _children(root, "body", "block"):
            kind, labels = self.block_header(block)
            at: Path
            if kind == "resource" and labels[:1] == [RESOURCE_TYPE] and len(labels) == 2:
                tasks.append((labels[1], block, block.named_children[2]))
            elif kind == "module" and len(labels) == 1 and self.ecs_module(block):
                at = ("module", labels[0])
                self.spans[at] = self.span(block, block.named_children[1])
                modules[labels[0]] = self.block(block, at)
            elif kind == "module" and len(labels) == 1 and self.origin is None:
                called = self.local_module(block, labels[0])
                if called is not None:
                    modules[labels[0]] = called
            elif kind == "data" and len(labels) == 2 and labels[0] in AMI_LOOKUPS:
                at = ("data", labels[0], labels[1])
                self.spans[at] = self.span(block, block.named_children[2])
                lookups.setdefault(labels[0], {})[labels[1]] = self.block(block, at)
        resources: dict[str, Any] = {}
        root_path: Path = ("resource", RESOURCE_TYPE)
        self.spans[()] = Span(0, len(self.text))
        if tasks:
            self.spans[("resource",)] = self.spans[root_path] = Span(0, len(self.text))
        for name, block, label in tasks:
            for suffix, instance in self.instances(block):
                path = root_path + (name + suffix,)
                self.spans[path] = self.span(block, label)
                self.module.instance = instance
                resources[name + suffix] = self.block(block, path)
            self.module.instance = {}
        data: dict[str, Any] = {"resource": {RESOURCE_TYPE: resources} if resources else {}}
        if modules:
            self.spans[("module",)] = Span(0, len(self.text))
            data["module"] = modules
        if lookups and (resources or modules):
            self.spans[("data",)] = Span(0, len(self.text))
            data["data"] = lookups
        return Document(data, SourceMap(self.lines, self.spans, self.module.definitions),
                        self.notices)

    def instances(self, block: Any) -> list[tuple[str, dict[tuple[str, str], Any]]]:
        """The instances of a resource, by the address suffix Terraform gives them:
        one per key of a ``for_each`` map or set, and one per index of a ``count``, when
        written as literals (a variable's default is not the value every deployment
        gives, and a feature flag at 0 must not hide the task); else one instance whose
        ``each``/``count`` values are unknown."""
        arguments = {self.source(node.named_children[0]): node.named_children[-1]
                     for node in _children(block, "body", "attribute")}
        for meta in ("for_each", "count"):
            node = arguments.get(meta)
            if node is None or _REFERENCE.search(self.source(node)):
                continue
            try:
                value = self.evaluate(node, (), 0)
            except _Unknown:
                continue
            if meta == "count" and isinstance(value, int) and 0 <= value <= MAX_INSTANCES:
                return [(f"[{index}]", {("count", "index"): index}) for index in range(value)]
            items = (list(value.items()) if isinstance(value, dict) else
                     [(item, item) for item in value] if isinstance(value, list) else None)
            if (meta == "for_each" and items is not None and len(items) <= MAX_INSTANCES
                    and all(isinstance(key, str) for key, _ in items)):
                return [(f"[{json.dumps(key)}]", {("each", "key"): key, ("each", "value"): item})
                        for key, item in items]
        return [("", {})]

    def local_module(self, block: Any, name: str) -> dict[str, Any] | None:
        """The task definitions of a module in a folder of the repository
        (``source = "./modules/task"``), its variables bound to the call's arguments:
        ``{"resource": {"aws_ecs_task_definition": {...}}}`` under ``module.NAME``, each
        located in the module's own files. One level deep: a module's own calls are not
        followed."""
        arguments = {self.source(node.named_children[0]): node
                     for node in _children(block, "body", "attribute")}
        if "source" not in arguments:
            return None
        try:
            source = self.evaluate(arguments["source"].named_children[-1], (), 0)
        except _Unknown:
            return None
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            return None
        child = self.module.child(source)
        if child is None:
            return None
        files = child.load_all()
        for key, node in arguments.items():
            if key not in _MODULE_META:
                child.defaults[key] = (self, node)
        at: Path = ("module", name)
        resources: dict[str, Any] = {}
        for file in files:
            for task in _children(file.root, "body", "block"):
                kind, labels = file.block_header(task)
                if kind == "resource" and labels[:1] == [RESOURCE_TYPE] and len(labels) == 2:
                    path = at + ("resource", RESOURCE_TYPE, labels[1])
                    self.spans[path] = file.span(task, task.named_children[2])
                    resources[labels[1]] = file.block(task, path)
        if not resources:
            return None
        self.spans[at] = self.span(block, block.named_children[1])
        self.spans[at + ("resource",)] = self.spans[at + ("resource", RESOURCE_TYPE)] = \
            self.spans[at]
        return {"resource": {RESOURCE_TYPE: resources}}

    def ecs_module(self, block: Any) -> bool:
        """Whether a ``module`` block calls terraform-aws-modules/ecs (the root module or
        its service module), which build task definitions from ``container_definitions``."""
        for attribute in _children(block, "body", "attribute"):
            if self.source(attribute.named_children[0]) == "source":
                source = self.source(attribute.named_children[-1])
                return ECS_MODULE.search(source) is not None
        return False

    def block_header(self, block: Any) -> tuple[str, list[str]]:
        named = block.named_children
        labels = [self.string_label(node) for node in named[1:] if node.type == "string_lit"]
        return self.source(named[0]), labels

    def string_label(self, node: Any) -> str:
        return "".join(self.source(part) for part in node.named_children
                       if part.type == "template_literal")

    def block(self, block: Any, path: Path) -> dict[str, Any]:
        """A block's arguments, and its nested blocks as lists of objects."""
        result: dict[str, Any] = {}
        for node in _block_body(block).named_children:
            if node.type == "attribute":
                key = node.named_children[0]
                name = self.source(key)
                value = node.named_children[-1]
                self.spans[path + (name,)] = self.span(value, key)
                result[name] = self.argument(name, value, path + (name,))
            elif node.type == "block":
                kind, labels = self.block_header(node)
                if kind == "dynamic" and labels:  # repeated by for_each: unknown
                    kind, item = labels[0], f"${{dynamic {labels[0]}}}"
                else:
                    item = None
                items = result.setdefault(kind, [])
                if not isinstance(items, list):
                    continue
                at = path + (kind, len(items))
                self.spans.setdefault(path + (kind,), self.span(node, node.named_children[0]))
                self.spans[at] = self.span(node, node.named_children[0])
                items.append(item if item is not None else self.block(node, at))
        return result

    def argument(self, name: str, node: Any, path: Path) -> Any:
        value = self.value(node, path)
        if name == "container_definitions" and isinstance(value, _Text):
            return self.module_json(value, path)
        template = _template_node(node) if name == "container_definitions" else None
        if template is not None and isinstance(value, str):
            unknown = _is_placeholder(value, self.source(node))  # a directive: parse as written
            return self.json_in(template, path, None if unknown else value)
        return value

    # -- values ---------------------------------------------------------------------------

    def value(self, node: Any, path: Path, depth: int = 0) -> Any:
        """The value of an expression, its spans recorded under ``path``; unknown parts
        become placeholders."""
        if depth > MAX_DEPTH:
            raise InputError(f"nesting deeper than {MAX_DEPTH} levels",
                             *self.lines.position(self.offset(node.start_byte)))
        try:
            return self.evaluate(node, path, depth)
        except _Unknown:
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
            raise _Unknown
        if kind == "numeric_lit":
            text = self.source(node)
            try:
                number = float(text)
                return int(text) if text.isdigit() else number
            except ValueError:
                raise _Unknown from None
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
                raise _Unknown
            return self.evaluate(yes if chosen else no, path, depth + 1)
        raise _Unknown

    def object(self, node: Any, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for element in _children(node, "object_elem"):
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
        except _Unknown:
            return self.unknown(node)
        return value if isinstance(value, str) else json.dumps(value)

    def template(self, node: Any, depth: int, path: Path = ()) -> Any:
        """A string or heredoc: its text between the quotes or markers, literal parts
        unescaped, interpolations replaced when known, kept as written when not. A
        string that is one interpolation (``"${var.x}"``, Terraform 0.11's style) is
        that value, of its own type, as Terraform reads it."""
        heredoc = node.type == "heredoc_template"
        start, end = _content(node, self.raw)
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
            parts.append(literal if heredoc else _unescape(literal))
            position = part.end_byte
            inner = [child for child in part.named_children if child.type == "expression"]
            value = None
            if part.type == "template_interpolation" and inner:
                try:
                    value = self.evaluate(inner[0], (), depth + 1)
                except _Unknown:
                    value = None
            if isinstance(value, bool):
                parts.append("true" if value else "false")
            elif isinstance(value, (str, int, float)):
                parts.append(str(value))
            else:
                known = False
                parts.append(self.source(part))
        literal = self.raw[position:end].decode("utf-8", "replace")
        parts.append(literal if heredoc else _unescape(literal))
        text = "".join(parts)
        if heredoc and self.source(node).startswith("<<-"):
            text = _dedent(text)
        if not known and "${" not in text:
            raise _Unknown
        return text

    def traversal(self, node: Any, path: Path, depth: int) -> Any:
        """``local.x``, ``var.x`` (its default), then attribute and index steps."""
        named = node.named_children if node.type == "expression" else [node]
        if named[0].type != "variable_expr" or len(named) < 2 or named[1].type != "get_attr":
            raise _Unknown
        root = self.source(named[0])
        name = self.source(named[1].named_children[0])
        if root == "path" and name == "module" and len(named) == 2:
            if self.module.directory is None:
                raise _Unknown
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
        elif root == "var":
            definition = self.defaults.get(name)
        else:
            raise _Unknown
        key = f"{root}.{name}"
        if definition is None or key in self.resolving or len(self.resolving) > _MAX_REFERENCES:
            raise _Unknown
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
        found = self.module.templates.get(name)
        if found is None or named[3].type != "get_attr" or \
                self.source(named[3].named_children[0]) != "rendered":
            raise _Unknown
        owner, block = found
        arguments = {owner.source(node.named_children[0]): node.named_children[-1]
                     for node in _children(block, "body", "attribute")}
        if "template" not in arguments:
            raise _Unknown
        template = owner.evaluate(arguments["template"], (), depth + 1)
        variables = owner.variables(arguments.get("vars"), depth)
        if not isinstance(template, _Text):
            raise _Unknown
        return _Text(template, template.origin, variables)

    def variables(self, node: Any | None, depth: int) -> dict[str, Any]:
        """A template's variables: each known one by name (unknown ones stay out)."""
        if node is None:
            return {}
        try:
            value = self.evaluate(node, (), depth + 1)
        except _Unknown:
            return {}
        return {key: item for key, item in value.items() if not _unresolved(item)} \
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
            raise _Unknown
        try:
            return value[key]
        except (KeyError, IndexError, TypeError):
            raise _Unknown from None

    def call(self, node: Any, path: Path, depth: int) -> Any:
        name = self.source(node.named_children[0])
        arguments = [child for args in _children(node, "function_arguments")
                     for child in args.named_children if child.type == "expression"]
        if name in ("jsonencode", "tolist", "toset") and len(arguments) == 1:
            value = self.evaluate(arguments[0], path, depth + 1)
            if name == "jsonencode" and path[-1:] != ("container_definitions",):
                return _json(value)
            return value
        if name in ("file", "templatefile") and arguments:
            target = self.evaluate(arguments[0], (), depth + 1)
            found = self.module.referenced(target) if isinstance(target, str) else None
            if found is None:
                raise _Unknown
            text, origin = found
            variables = (self.variables(arguments[1], depth)
                         if name == "templatefile" and len(arguments) > 1 else None)
            return _Text(text, origin, variables)
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
        raise _Unknown

    def located(self, value: Any, arguments: list[Any], path: Path, depth: int) -> Any:
        """Evaluate ``merge``/``concat`` arguments again under ``path``, so that their
        members have spans there (the last argument that sets a key wins, as in merge)."""
        if isinstance(value, dict):
            for argument in arguments:
                try:
                    self.evaluate(argument, path, depth + 1)
                except _Unknown:
                    pass
            return value
        offset = 0
        for argument in arguments:
            items = self.evaluate(argument, (), depth + 1)
            for index in range(len(items)):
                inner = _tuple_items(argument)
                if inner is not None and index < len(inner):
                    self.spans[path + (offset + index,)] = self.span(inner[index])
                    self.value(inner[index], path + (offset + index,), depth + 1)
                else:
                    self.spans[path + (offset + index,)] = self.span(argument)
            offset += len(items)
        return value

    def json_in(self, template: Any, path: Path, known: str | None) -> Any:
        """``container_definitions`` written as JSON text: parsed with positions inside
        the string or heredoc (as a template when interpolations are unknown)."""
        from ecslint.load.json_reader import parse_json

        start, end = _content(template, self.raw)
        content = self.raw[start:end].decode("utf-8", "replace")
        if template.type != "heredoc_template" and known is not None:
            content = known  # escapes make offsets inexact: the value's span for all
        try:
            parsed = parse_json(content)
        except InputError:
            return known if known is not None else self.unknown(template)
        if parsed.error is not None or not parsed.documents:
            problem = parsed.error
            if problem is not None:
                self.notices.append(Notice(path, f"container_definitions is not JSON: "
                                                 f"{problem.message}", on_key=False))
            return known if known is not None else self.unknown(template)
        document = parsed.documents[0]
        if template.type == "heredoc_template":
            self.splice(document, path, self.offset(start), self.origin)
        return document.data

    def module_json(self, text: _Text, path: Path) -> Any:
        """``container_definitions`` read from another file (``file()``, a template):
        its JSON, located in that file, with a template's known variables filled in."""
        from ecslint.load.json_reader import parse_json

        try:
            parsed = parse_json(text)
        except InputError:
            return f"${{file {text.origin.display}}}"
        if parsed.error is not None or not parsed.documents:
            if parsed.error is not None:
                self.spans[path] = Span(0, len(text), origin=text.origin)
                self.notices.append(Notice(path, f"{text.origin.display} is not JSON: "
                                                 f"{parsed.error.message}", on_key=False))
            return f"${{file {text.origin.display}}}"
        document = parsed.documents[0]
        self.splice(document, path, 0, text.origin)
        data = document.data
        return _filled(data, text.variables) if text.variables is not None else data

    def splice(self, document: Document, path: Path, base: int, origin: Origin | None) -> None:
        """Record the spans and notices of a document read from a part of a text (a
        heredoc at offset ``base``, another file) under ``path``."""
        for inner, span in document.sourcemap.spans.items():
            self.spans[path + inner] = Span(
                span.value_start + base, span.value_end + base,
                None if span.key_start is None else span.key_start + base,
                None if span.key_end is None else span.key_end + base, origin)
        for notice in document.notices:
            self.notices.append(Notice(path + notice.path, notice.message, notice.on_key))


class _Text(str):
    """The text of another file (``file()``, ``templatefile()``), where it came from,
    and, for a template, its known variables."""

    origin: Origin
    variables: dict[str, Any] | None

    def __new__(cls, text: str, origin: Origin, variables: dict[str, Any] | None = None
                ) -> _Text:
        made = super().__new__(cls, text)
        made.origin, made.variables = origin, variables
        return made


def _unresolved(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


_INTERPOLATION = re.compile(r"\$\{\s*([A-Za-z_][\w-]*)\s*\}")


def _filled(value: Any, variables: dict[str, Any]) -> Any:
    """A template's data with its known variables in place: a string that is only
    ``${name}`` takes the variable's value (and type), a longer one its text; what
    refers to an unknown variable stays a placeholder."""
    if isinstance(value, dict):
        return {key: _filled(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, variables) for item in value]
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


def _first_error(node: Any) -> Any | None:
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = _first_error(child)
            if found is not None:
                return found
    return None


def _block_body(block: Any) -> Any:
    return next((child for child in block.named_children if child.type == "body"), block)


def _children(node: Any, *kinds: str) -> list[Any]:
    """The children of ``node`` of the last kind, below its first child of each
    kind before it: ``_children(root, "body", "block")``."""
    for kind in kinds[:-1]:
        node = next((child for child in node.named_children if child.type == kind), None)
        if node is None:
            return []
    return [child for child in node.named_children if child.type == kinds[-1]]


def _repository_root(directory: str) -> str:
    """The folder a module's references must stay in: its repository's (the nearest
    folder above holding ``.git``), else its own. A pull request must not make
    ``file("/etc/passwd")`` print a file of the runner in a finding."""
    for folder in (directory, *map(str, PurePath(directory).parents)):
        if os.path.lexists(os.path.join(folder, ".git")):
            return os.path.realpath(folder)
    return os.path.realpath(directory)


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive
        return False


def _tuple_items(node: Any) -> list[Any] | None:
    while node.type in ("expression", "collection_value") and len(node.named_children) == 1:
        node = node.named_children[0]
    if node.type != "tuple":
        return None
    return [child for child in node.named_children if child.type == "expression"]


def _template_node(node: Any) -> Any | None:
    """The string or heredoc an expression is, if it is one."""
    while node.type in ("expression", "template_expr", "literal_value") and \
            len(node.named_children) == 1:
        node = node.named_children[0]
    return node if node.type in ("string_lit", "quoted_template", "heredoc_template") else None


def _content(template: Any, raw: bytes) -> tuple[int, int]:
    """Byte offsets of a string's or heredoc's content (without quotes or markers)."""
    if template.type == "heredoc_template":
        markers = _children(template, "heredoc_identifier")
        start = raw.find(b"\n", markers[0].end_byte) + 1 if markers else template.start_byte
        end = markers[-1].start_byte if len(markers) > 1 else template.end_byte
        end = raw.rfind(b"\n", start, end) + 1 or start  # the closing marker's indent
        return start, max(start, end)
    return template.start_byte + 1, max(template.start_byte + 1, template.end_byte - 1)


def _dedent(text: str) -> str:
    """An indented heredoc's (``<<-``) value: the indent its lines share removed."""
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        escape = match.group(0)
        if escape in ("$${", "%%{"):
            return escape[1:]
        letter = escape[1]
        if letter in "uU":
            return chr(int(escape[2:], 16)) if int(escape[2:], 16) <= 0x10FFFF else escape
        return _SIMPLE.get(letter, escape)

    return _ESCAPES.sub(one, text) if "\\" in text or "$$" in text or "%%" in text else text


def _is_placeholder(value: str, source: str) -> bool:
    return value.startswith("${") and value.endswith("}") and value[2:-1].strip() == source.strip()


def _json(value: Any) -> str:
    """What ``jsonencode`` gives, when every part of ``value`` is known."""
    return json.dumps(value, separators=(",", ":"))
