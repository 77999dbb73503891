"""Read Terraform's native syntax (HCL2) into Terraform's JSON syntax, with positions.

The document a ``.tf`` file gives is what Terraform's JSON syntax would write for
its task definitions, ``{"resource": {"aws_ecs_task_definition": {"web": {...}}}}``
(blocks as lists of objects), so that ``ecslint.tasks.terraform`` maps both onto
the API. Every node has the span of the HCL it was read from: an argument's name
and value, an object key inside ``jsonencode(...)``, a JSON key inside a heredoc.
Beside the resources: calls of terraform-aws-modules/ecs and of modules of the
repository, and the AMI lookups that say the hosts' Windows release.

Values are evaluated as far as the module says them (``hcl_values``), the module's
other files read by ``hcl_module``. ``container_definitions`` written as a JSON
string or heredoc is read as JSON (leniently, as a template: interpolations are
unknown) with positions inside the string; read from another file, it is located
in that file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import Any

from ecslint.load.document import Document, InputError, Notice, Parsed, SyntaxProblem
from ecslint.load.hcl_module import Module, ModuleFile
from ecslint.load.hcl_syntax import (
    argument_values,
    block_body,
    children,
    content,
    is_placeholder,
    parser,
    template_node,
    unescape_offsets,
)
from ecslint.load.hcl_values import FileText, Unknown, filled
from ecslint.load.sourcemap import LineIndex, Origin, Path, SourceMap, Span

# The one resource type read; the others of a module are left out of its document,
# but for the data sources that look up the AMI of its container instances.
RESOURCE_TYPE = "aws_ecs_task_definition"
AMI_LOOKUPS = frozenset({"aws_ssm_parameter", "aws_ami"})
# The community module whose calls define task definitions: its root module (services)
# and its service module, from the registry or from git.
ECS_MODULE = re.compile(r"terraform-aws-modules/ecs/aws(//modules/service)?[\"?]"
                        r"|terraform-aws-modules/terraform-aws-ecs(\.git)?(//modules/service)?[\"?]")

# Instances of one resource read from a literal count or for_each.
MAX_INSTANCES = 100
# A module call's arguments that are not the module's variables.
_MODULE_META = frozenset({"source", "version", "count", "for_each", "providers",
                          "depends_on"})


def parse_hcl(text: str, path: str | None = None) -> Parsed:
    """The task definitions of one ``.tf`` file, or where its syntax breaks. With the
    file's ``path``, the other files of its module (folder) say what its locals,
    variables and ``file()`` references hold."""
    return read_module(text, path)[0]


def read_module(text: str, path: str | None) -> tuple[Parsed, set[str]]:
    """``parse_hcl``, and the real paths of the files its task definitions were read
    from through ``file()``, ``templatefile()`` and ``template_file``."""
    raw = text.encode("utf-8", "surrogatepass")
    tree = parser().parse(raw)
    module = Module(path, _TaskFile)
    primary = _TaskFile(text, raw, module, None)
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


class _TaskFile(ModuleFile):
    """A file of a module read for its task definitions."""

    def read(self, root: Any) -> Document:
        tasks: list[tuple[str, Any, Any]] = []
        lookups: dict[str, dict[str, Any]] = {}
        modules: dict[str, Any] = {}
        for block in children(root, "body", "block"):
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
        for (kind, name), (owner, block) in self.module.data.items():
            if kind in AMI_LOOKUPS and isinstance(owner, _TaskFile):
                at = ("data", kind, name)  # in any file of the module
                self.spans[at] = owner.span(block, block.named_children[2])
                lookups.setdefault(kind, {})[name] = owner.block(block, at)
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
        arguments = argument_values(block)
        for meta in ("for_each", "count"):
            value = self.literal(arguments.get(meta))
            if meta == "count" and isinstance(value, int) and 0 <= value <= MAX_INSTANCES:
                return [(f"[{index}]", {("count", "index"): index}) for index in range(value)]
            items = (list(value.items()) if isinstance(value, dict) else
                     [(item, item) for item in value] if isinstance(value, list) else None)
            if (meta == "for_each" and items is not None and len(items) <= MAX_INSTANCES
                    and all(isinstance(key, str) for key, _ in items)):
                return [(f"[{json.dumps(key)}]", {("each", "key"): key, ("each", "value"): item})
                        for key, item in items]
        return [("", {})]

    def literal(self, node: Any | None) -> Any:
        """The value of a ``count`` or ``for_each`` as the module writes it (literals and
        locals, no variable: a default is not the value every deployment gives, and a
        feature flag at 0 must not hide a task); ``None`` when it is not known so."""
        if node is None:
            return None
        self.module.literal = True
        try:
            return self.evaluate(node, (), 0)
        except Unknown:
            return None
        finally:
            self.module.literal = False

    def local_module(self, block: Any, name: str) -> dict[str, Any] | None:
        """The task definitions of a module in a folder of the repository
        (``source = "./modules/task"``), its variables bound to the call's arguments:
        ``{"resource": {"aws_ecs_task_definition": {...}}}`` under ``module.NAME``, each
        located in the module's own files. One level deep: a module's own calls are not
        followed."""
        arguments = {self.source(node.named_children[0]): node
                     for node in children(block, "body", "attribute")}
        if "source" not in arguments:
            return None
        try:
            source = self.evaluate(arguments["source"].named_children[-1], (), 0)
        except Unknown:
            return None
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            return None
        child = self.module.child(source)
        if child is None:
            return None
        files = [file for file in child.load_all() if isinstance(file, _TaskFile)]
        for key, node in arguments.items():
            if key not in _MODULE_META:
                child.defaults[key] = (self, node)
        at: Path = ("module", name)
        resources: dict[str, Any] = {}
        for file in files:
            for task in children(file.root, "body", "block"):
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
        for attribute in children(block, "body", "attribute"):
            if self.source(attribute.named_children[0]) == "source":
                source = self.source(attribute.named_children[-1])
                return ECS_MODULE.search(source) is not None
        return False

    def block(self, block: Any, path: Path) -> dict[str, Any]:
        """A block's arguments, and its nested blocks as lists of objects."""
        result: dict[str, Any] = {}
        for node in block_body(block).named_children:
            if node.type == "attribute":
                key = node.named_children[0]
                name = self.source(key)
                value = node.named_children[-1]
                self.spans[path + (name,)] = self.span(value, key)
                result[name] = self.argument(name, value, path + (name,))
            elif node.type == "block":
                kind, labels = self.block_header(node)
                dynamic = kind == "dynamic" and bool(labels)
                kind = labels[0] if dynamic else kind
                items = result.setdefault(kind, [])
                if not isinstance(items, list):
                    continue
                self.spans.setdefault(path + (kind,), self.span(node, node.named_children[0]))
                for scope in (self.repeated(node, kind) if dynamic else [None]):
                    at = path + (kind, len(items))
                    self.spans[at] = self.span(node, node.named_children[0])
                    if scope is None:
                        items.append(self.block(node, at))
                    elif isinstance(scope, str):
                        items.append(scope)
                    else:
                        outer, self.module.instance = self.module.instance, scope[1]
                        try:
                            items.append(self.block(scope[0], at))
                        finally:
                            self.module.instance = outer
        return result

    def repeated(self, node: Any, kind: str) -> list[Any]:
        """The blocks a ``dynamic`` block makes: for each item of a literal
        ``for_each``, its ``content`` with the iterator's ``key`` and ``value`` known
        (a list's keys are its indexes); one unknown block when ``for_each`` is not
        literal."""
        arguments = argument_values(node)
        content = next((block for block in children(node, "body", "block")
                        if self.block_header(block)[0] == "content"), None)
        value = self.literal(arguments.get("for_each")) if content is not None else None
        pairs = (list(value.items()) if isinstance(value, dict) else
                 list(enumerate(value)) if isinstance(value, list) else None)
        if pairs is None or len(pairs) > MAX_INSTANCES:
            return [f"${{dynamic {kind}}}"]
        iterator = self.source(arguments["iterator"]).strip() if "iterator" in arguments else kind
        return [(content, {**self.module.instance, (iterator, "key"): key,
                           (iterator, "value"): item}) for key, item in pairs]

    def argument(self, name: str, node: Any, path: Path) -> Any:
        value = self.value(node, path)
        if name == "container_definitions" and isinstance(value, FileText):
            return self.module_json(value, path)
        template = template_node(node) if name == "container_definitions" else None
        if template is not None and isinstance(value, str):
            unknown = is_placeholder(value, self.source(node))  # a directive: parse as written
            return self.json_in(template, path, None if unknown else value)
        return value

    def json_in(self, template: Any, path: Path, known: str | None) -> Any:
        """``container_definitions`` written as JSON text: parsed with positions inside
        the string or heredoc (as a template when interpolations are unknown)."""
        from ecslint.load.json_reader import parse_json

        start, end = content(template, self.raw)
        written = self.raw[start:end].decode("utf-8", "replace")
        offsets = None
        if template.type != "heredoc_template" and known is not None:
            written, offsets = unescape_offsets(written)
            if written != known:  # interpolated: the string's span for all it holds
                written, offsets = known, None
        try:
            parsed = parse_json(written)
        except InputError:
            return known if known is not None else self.unknown(template)
        if parsed.error is not None or not parsed.documents:
            problem = parsed.error
            if problem is not None:  # on the value, saying where in it JSON broke
                inner = LineIndex(written).offset(problem.line, problem.column)
                at = self.offset(start) + (inner if offsets is None else offsets[inner])
                line, column = self.lines.position(at)
                self.notices.append(Notice(path, f"container_definitions is not JSON: "
                                                 f"{problem.message} (line {line}, column "
                                                 f"{column})", on_key=False))
            return self.unknown(template)
        document = parsed.documents[0]
        if template.type == "heredoc_template" or offsets is not None:
            self.splice(document, path, self.offset(start), self.origin, offsets)
        return document.data

    def module_json(self, text: FileText, path: Path) -> Any:
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
        return filled(data, text.variables) if text.variables is not None else data

    def splice(self, document: Document, path: Path, base: int, origin: Origin | None,
               offsets: list[int] | None = None) -> None:
        """Record the spans and notices of a document read from a part of a text (a
        heredoc or string at offset ``base``, another file) under ``path``; ``offsets``
        maps a string's value back to its escaped text."""
        def at(offset: int) -> int:
            return base + (offset if offsets is None else offsets[offset])

        for inner, span in document.sourcemap.spans.items():
            self.spans[path + inner] = Span(
                at(span.value_start), at(span.value_end),
                None if span.key_start is None else at(span.key_start),
                None if span.key_end is None else at(span.key_end), origin)
        for notice in document.notices:
            self.notices.append(Notice(path + notice.path, notice.message, notice.on_key))

