"""Read YAML and CloudFormation YAML into plain data plus where every node sits.

A safe loader forgets positions and builds objects from tags, so the node graph
is composed (on libyaml's events when available) and walked here; no tag ever
constructs an object. Guarantees:

- standard scalars read as ``yaml.safe_load`` reads them (YAML 1.1: ``yes`` is
  true, ``1.10`` is 1.1), but timestamps and ``!!binary`` stay strings; another
  tag is ignored with a ``Notice`` and its node read as the plain data it holds;
- CloudFormation short forms become long ones (``!Ref x`` is ``{"Ref": "x"}``,
  ``!GetAtt a.b`` is ``{"Fn::GetAtt": ["a", "b"]}``), spanning the tagged node;
- keys are strings, as JSON pointers need: a non-string scalar key is the key
  ``json.dumps`` writes (``1``, ``true``, ``null``), a collection key its source;
- merge keys (``<<``) follow the YAML merge spec, as PyYAML did before 6.0.4
  (yaml/pyyaml#953): own keys win, then the earlier sources of ``[*a, *b]``;
- duplicate keys keep the last value, with one ``Notice`` at the last occurrence;
- every path, the root ``()`` included, has a ``Span`` in character offsets: a
  scalar spans its source text (tag and anchor included), a block collection
  ends with its last value, an alias spans ``*alias`` and its members the anchor;
- nesting past ``MAX_DEPTH``, and walks past ``MAX_YAML_NODES`` nodes or
  ``MAX_YAML_CHARS`` characters of scalars and keys (alias bombs, among them
  thousands of aliases of one long string) raise ``InputError``; a syntax
  error returns the documents before it and a ``SyntaxProblem``. Empty
  documents are dropped;
- an integer of more than ``MAX_INT_BITS`` bits (``0x`` and 4000 digits, which
  Python cannot print), and a sexagesimal number of ``MAX_SEXAGESIMAL_PARTS``
  parts or more, is read as the string it is written as, with a ``Notice``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple, cast

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.error import MarkedYAMLError
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from ecslint.load.document import (
    MAX_DEPTH,
    MAX_YAML_NODES,
    Document,
    InputError,
    Notice,
    Parsed,
    SyntaxProblem,
)
from ecslint.load.sourcemap import LineIndex, Path, SourceMap, Span

_LIBYAML = hasattr(yaml, "CSafeLoader")
# Characters of the scalars and keys a walk produces. Without aliases they are
# fewer than the text's (at most ecslint.load.sources.MAX_FILE_BYTES); through
# aliases a 4 MB string written 100,000 times would be 400 GB for the rules to
# scan and for ECS412 to serialise.
MAX_YAML_CHARS = 10 * 1024 * 1024
# YAML 1.1's 0x, 0b, 0777 and 1:2:3 forms write huge integers in few characters; past
# 4300 digits Python refuses to print one (ValueError in every message, schema
# check and output that shows it). No ECS value needs more than 64 bits.
MAX_INT_BITS = 1024
# YAML 1.1 sexagesimal numbers (``1:30`` is 90): PyYAML builds one of 100,000 parts
# in quadratic time (400 KB took 18 s) and a float of more than 173 parts
# overflows; past this many parts the value is read as the string it is.
MAX_SEXAGESIMAL_PARTS = 100
_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
_COLLECTION_KEY = "a collection used as a mapping key is read as its source text"
_YAML = "tag:yaml.org,2002:"
_MERGE = _YAML + "merge"
_SEXAGESIMAL = {_YAML + "int", _YAML + "float"}
_STR = _YAML + "str"
_COLLECTION_TAGS = {_YAML + "map", _YAML + "seq"}
_BAD_MERGE = "merge key '<<' needs a mapping or a list of mappings; it is read as an ordinary key"
_CONSTRUCTOR = SafeConstructor()
_RESOLVER: Any = Resolver()  # PyYAML's stubs leave resolve() untyped
_SCALARS: dict[str, Callable[[ScalarNode], Any]] = {
    _YAML + "null": _CONSTRUCTOR.construct_yaml_null,
    _YAML + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _YAML + "int": _CONSTRUCTOR.construct_yaml_int,
    _YAML + "float": _CONSTRUCTOR.construct_yaml_float,
    **{
        _YAML + name: _CONSTRUCTOR.construct_scalar
        for name in ("str", "timestamp", "binary", "merge", "value")
    },
}
_CFN_FUNCTIONS = (
    "And", "Base64", "Cidr", "Contains", "EachMemberEquals", "EachMemberIn", "Equals",
    "FindInMap", "ForEach", "GetAZs", "GetAtt", "If", "ImportValue", "Join", "Length",
    "Not", "Or", "RefAll", "Select", "Split", "Sub", "ToJsonString", "Transform",
    "ValueOf", "ValueOfAll",
)  # fmt: skip
_CFN_TAGS = {"!Ref": "Ref", "!Condition": "Condition"} | {
    f"!{name}": f"Fn::{name}" for name in _CFN_FUNCTIONS
}


class _Alias(NamedTuple):
    """One ``*alias`` occurrence: the node it stands for and where it is written."""

    target: Node
    start: int
    end: int


_Member = Node | _Alias
_NO_KEY = (None, None)


# Python's composer over libyaml's events: libyaml's own composer recurses in C
# with no depth bound before libyaml 0.2.6. SafeLoader already has the composer.
_BASES: tuple[type, ...] = (Composer, yaml.CSafeLoader) if _LIBYAML else (yaml.SafeLoader,)
_CParser: Any = yaml.CSafeLoader if _LIBYAML else None


class _Loader(*_BASES):  # type: ignore[misc]
    """Composes with a depth bound; aliases come back as ``_Alias`` with their position."""

    def __init__(self, stream: str) -> None:
        _BASES[-1].__init__(self, stream)  # type: ignore[misc]
        Composer.__init__(self)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            target = super().compose_node(parent, index)
            return _Alias(target, event.start_mark.index, event.end_mark.index)
        return super().compose_node(parent, index)

    def compose_sequence_node(self, anchor: str | None) -> SequenceNode:
        return cast(SequenceNode, self._nested(super().compose_sequence_node, anchor))

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:
        return cast(MappingNode, self._nested(super().compose_mapping_node, anchor))

    def _nested(self, compose: Callable[[str | None], Any], anchor: str | None) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise InputError(_TOO_DEEP, mark.line + 1, mark.column + 1)
        node = compose(anchor)
        self.depth -= 1
        return node


def parse_yaml(text: str) -> Parsed:
    """Parse a YAML stream into one ``Document`` per non-empty document.

    Raises ``InputError`` for nesting deeper than ``MAX_DEPTH``, alias expansion
    past ``MAX_YAML_NODES`` and text that is not valid Unicode.

    Most files take ``_FastBuilder``'s single pass over libyaml's events; whatever
    it does not handle (see there) is read by composing nodes and walking them,
    which defines the result.
    """
    parsed = _parse(text)
    if ("{{" in text or "{%" in text or "%{" in text) and _troubled(parsed):
        return _parse_template(text) or parsed
    return parsed


def _parse(text: str) -> Parsed:
    lines = LineIndex(text)
    if _LIBYAML:
        documents = _FastBuilder(text, lines).run()
        if documents is not None:
            return Parsed(documents)
    return _parse_composed(text, lines)


def _troubled(parsed: Parsed) -> bool:
    """Whether ``parsed`` has a syntax error or read a collection as a key, as an
    unquoted ``{{ x }}`` is read."""
    return parsed.error is not None or any(
        notice.message == _COLLECTION_KEY for document in parsed.documents
        for notice in document.notices)


def _parse_template(text: str) -> Parsed | None:
    """``text`` read as a template (``ecslint.load.templates``) when that reads it cleanly."""
    from ecslint.load.templates import rewrite_yaml

    rewrite = rewrite_yaml(text)
    if rewrite is None:
        return None
    try:
        parsed = _parse(rewrite.text)
    except InputError:
        return None
    if _troubled(parsed):
        return None
    return rewrite.remap(parsed, text)


def _parse_composed(text: str, lines: LineIndex) -> Parsed:
    """``parse_yaml`` by composing nodes (``_Loader``) and walking them (``_Walker``)."""
    walker = _Walker(text, lines)
    documents: list[Document] = []
    try:
        for root in yaml.compose_all(text, Loader=_Loader):
            document = walker.document(root)
            if document.data is not None:
                documents.append(document)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = lines.position(mark.index) if mark else (1, 1)
        return Parsed(documents, SyntaxProblem(exc.problem or str(exc), line, column))
    except ReaderError as exc:
        position = exc.position
        if _LIBYAML:  # libyaml reports a byte offset into the UTF-8 encoding
            position = len(text.encode()[:position].decode(errors="ignore"))
        problem = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
        return Parsed(documents, SyntaxProblem(problem, *lines.position(position)))
    except RecursionError:
        raise InputError(_TOO_DEEP) from None
    except UnicodeEncodeError as exc:
        raise InputError("not Unicode text: lone surrogate", *lines.position(exc.start)) from None
    return Parsed(documents)


class _Fallback(Exception):
    """The fast path met something it leaves to the composing reader."""


class _Frame:
    """A collection ``_FastBuilder`` is inside: its ``container`` (a dict or a list)
    at ``path``, the ``depth`` of its members, its ``start`` and ``flow`` style, the
    ``key_span`` (path, key start, key end) it is written under, its CloudFormation
    ``function`` and tag or ``None``, the ``end`` of its last member so far, and the
    ``key`` (key, start, end) of a mapping whose value comes next, or ``None``."""

    __slots__ = ("container", "path", "depth", "start", "flow", "key_span", "function",
                 "end", "key")

    def __init__(self, container: Any, path: Path, depth: int,
                 start: int, flow: bool | None, key_span: tuple[Path, int | None, int | None],
                 function: tuple[str, str] | None) -> None:
        self.container = container
        self.path = path
        self.depth = depth
        self.start = start
        self.flow = flow
        self.key_span = key_span
        self.function = function
        self.end = 0
        self.key: Any = None


_TRIMMED = " \t\r\n"


class _FastBuilder:
    """Plain data and spans straight from libyaml's events, in one pass.

    ``_parse_composed`` composes a node graph (about 2 µs a node in Python) and
    walks it (as much again); this builds the same data and the same spans without
    nodes, for the streams almost every file is: no anchors or aliases, no merge
    keys, no duplicate keys, no tags but CloudFormation's short forms, scalar keys
    that read as themselves, no syntax error, nesting and size within the bounds.
    On anything else, ``run`` returns ``None`` and the caller composes instead, so
    notices, errors and every corner case come from one place. The spans follow
    the walker's rules (``_start``, ``_end``), including their order.
    """

    def __init__(self, text: str, lines: LineIndex) -> None:
        self.text = text
        self.lines = lines

    def run(self) -> list[Document] | None:
        try:
            return self._documents()
        except (_Fallback, yaml.YAMLError, UnicodeError):
            return None

    def _end(self, start: int, end: int) -> int:
        text = self.text
        while end > start and text[end - 1] in _TRIMMED:
            end -= 1
        return end

    def _scalar(self, event: ScalarEvent, plain: dict[str, tuple[str, Any]]) -> tuple[str, Any]:
        """The resolved tag and the value of an untagged scalar (as ``_read_scalar``).

        Only plain scalars resolve to another tag than ``str``; ``plain`` caches them.
        """
        if not event.implicit[0]:
            return _STR, event.value
        found = plain.get(event.value)
        if found is None:
            tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
            if tag == _STR:
                found = (tag, event.value)
            else:
                node = ScalarNode(tag, event.value, cast(Any, event.start_mark),
                                  cast(Any, event.end_mark),
                                  style=event.style)
                value, problem = _read_scalar(node)
                if problem:
                    raise _Fallback
                found = (tag, value)
            plain[event.value] = found
        return found

    def _documents(self) -> list[Document]:
        text, lines = self.text, self.lines
        parser = _CParser(text)
        get_event = parser.get_event
        plain: dict[str, tuple[str, Any]] = {}
        documents: list[Document] = []
        nodes = 0
        stack: list[_Frame] = []
        spans: dict[Path, Span] = {}
        root: Any = None
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent or kind is SequenceStartEvent or kind is MappingStartEvent:
                if event.anchor is not None:
                    raise _Fallback
                if stack:
                    frame = stack[-1]
                    container = frame.container
                    if type(container) is dict:
                        if frame.key is None:  # a key
                            if kind is not ScalarEvent or event.tag is not None:
                                raise _Fallback
                            tag, key = self._scalar(event, plain)
                            if tag == _MERGE:
                                raise _Fallback
                            if type(key) is not str:
                                key = json.dumps(key)
                            if key in container:
                                raise _Fallback
                            start, end = event.start_mark.index, event.end_mark.index
                            if end > start and text[end - 1] in _TRIMMED:
                                end = self._end(start, end)
                            frame.key = (key, start, end)
                            continue
                        key, key_start, key_end = frame.key
                        path = (*frame.path, key)
                    else:
                        key_start = key_end = None
                        path = (*frame.path, len(container))
                    depth = frame.depth
                else:
                    path, depth, key_start, key_end = (), 0, None, None
                nodes += 1
                if nodes > MAX_YAML_NODES:
                    raise _Fallback
                start = event.start_mark.index
                tag = event.tag
                function = None
                if tag is not None and tag != "!":
                    function = _CFN_TAGS.get(tag)
                    if function is None:
                        raise _Fallback
                if kind is ScalarEvent:
                    end = event.end_mark.index
                    if end > start and text[end - 1] in _TRIMMED:
                        end = self._end(start, end)
                    spans[path] = Span(start, end, key_start, key_end)
                    if function is None:
                        value = self._scalar(event, plain)[1]
                    else:
                        if depth >= MAX_DEPTH:
                            raise _Fallback
                        inner = (*path, function)
                        if text.startswith(tag, start):
                            spans[inner] = Span(start, end, start, start + len(tag))
                        else:
                            spans[inner] = Span(start, end)
                        if function != "Fn::GetAtt":
                            value = {function: event.value}
                        else:
                            parts = event.value.split(".", 1)
                            for index in range(len(parts)):
                                spans[(*inner, index)] = Span(start, end)
                            value = {function: parts}
                else:
                    spans[path] = None  # type: ignore[assignment] # filled at its end
                    collection_path, collection_depth = path, depth
                    if function is not None:
                        collection_path, collection_depth = (*path, function), depth + 1
                        spans[collection_path] = None  # type: ignore[assignment]
                    if collection_depth >= MAX_DEPTH:
                        raise _Fallback
                    stack.append(_Frame(
                        {} if kind is MappingStartEvent else [], collection_path,
                        collection_depth + 1, start, event.flow_style, (path, key_start, key_end),
                        None if function is None else (function, tag),
                    ))
                    continue
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                frame = stack.pop()
                value, start = frame.container, frame.start
                if not frame.flow and value:
                    end = frame.end
                else:
                    end = self._end(start, event.end_mark.index)
                path, key_start, key_end = frame.key_span
                spans[path] = Span(start, end, key_start, key_end)
                if frame.function is not None:
                    function, tag = frame.function
                    if text.startswith(tag, start):
                        spans[frame.path] = Span(start, end, start, start + len(tag))
                    else:
                        spans[frame.path] = Span(start, end)
                    value = {function: value}
            elif kind is DocumentStartEvent:
                spans, root = {}, None
                continue
            elif kind is DocumentEndEvent:
                if root is not None:
                    documents.append(Document(root, SourceMap(lines, spans), []))
                continue
            elif kind is StreamEndEvent:
                return documents
            elif kind is StreamStartEvent:
                continue
            else:  # an alias
                raise _Fallback
            # A finished value: hand it to its collection, or make it the root.
            if stack:
                frame = stack[-1]
                container = frame.container
                if type(container) is dict:
                    container[frame.key[0]] = value
                    frame.key = None
                else:
                    container.append(value)
                frame.end = end
            else:
                root = value


class _Walker:
    """Turns composed nodes into plain data, recording spans and notices.

    A node reached through several aliases is walked each time (its data is
    copied), but its notices are reported once.
    """

    def __init__(self, text: str, lines: LineIndex) -> None:
        self.text = text
        self.lines = lines
        self.nodes = 0
        self.chars = 0
        self.spans: dict[Path, Span] = {}
        self.notices: list[Notice] = []
        self.reported: set[tuple[int, str]] = set()

    def document(self, root: Node) -> Document:
        self.spans, self.notices, self.reported = {}, [], set()
        data = self._node(root, (), _NO_KEY, 0)
        return Document(data, SourceMap(self.lines, self.spans), self.notices)

    def _node(
        self, node: _Member, path: Path, key: tuple[int | None, int | None], depth: int
    ) -> Any:
        self._count(1)
        span = self.spans[path] = Span(_start(node), _end(node, self.text), *key)
        target = _target(node)
        if isinstance(target, ScalarNode):
            self._count_chars(len(target.value))
        function = _CFN_TAGS.get(target.tag)
        if isinstance(target, ScalarNode) and function is None:
            value, problem = _read_scalar(target)
            if problem:
                self._notice(target, path, problem, on_key=False)
            return value
        if function is None:
            if target.tag not in _COLLECTION_TAGS:
                self._notice(target, path, _unsupported(target.tag), on_key=False)
            return self._collection(target, path, depth)
        self._check_depth(target, depth)
        inner = (*path, function)
        start, end = span.value_start, span.value_end
        if self.text.startswith(target.tag, start):
            self.spans[inner] = Span(start, end, start, start + len(target.tag))
        else:
            self.spans[inner] = Span(start, end)
        if not isinstance(target, ScalarNode):
            return {function: self._collection(target, inner, depth + 1)}
        if function != "Fn::GetAtt":
            return {function: target.value}
        parts = target.value.split(".", 1)
        for index in range(len(parts)):
            self.spans[(*inner, index)] = Span(start, end)
        return {function: parts}

    def _collection(self, node: Node, path: Path, depth: int) -> Any:
        self._check_depth(node, depth)
        if isinstance(node, SequenceNode):
            items = enumerate(node.value)
            return [self._node(item, (*path, i), _NO_KEY, depth + 1) for i, item in items]
        return self._mapping(cast(MappingNode, node), path, depth + 1)

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        members: dict[str, tuple[_Member, _Member]] = {}
        for key_node, value_node in self._merged(node, depth):
            members[_key(key_node, self.text)[0]] = (key_node, value_node)
        own: dict[str, tuple[int, int]] = {}  # key -> (offset of its first occurrence, count)
        for key_node, value_node in node.value:
            if _is_merge(key_node, value_node):
                continue
            key, problem = _key(key_node, self.text)
            if problem:
                self._notice(_target(key_node), (*path, key), problem, on_key=True)
            elif _target(key_node).tag == _MERGE:
                self._notice(_target(key_node), (*path, key), _BAD_MERGE, on_key=True)
            first, count = own.get(key, (_start(key_node), 0))
            own[key] = (first, count + 1)
            members[key] = (key_node, value_node)
        for key, (first, count) in own.items():
            if count > 1:
                line = self.lines.position(first)[0]
                message = f"duplicate key {key!r} (the last of {count} occurrences wins; "
                self._notice(node, (*path, key), f"{message}first at line {line})", on_key=True)
        self._count_chars(sum(len(key) for key in members))
        return {
            key: self._node(
                value, (*path, key), (_start(key_node), _end(key_node, self.text)), depth
            )
            for key, (key_node, value) in members.items()
        }

    def _merged(self, node: MappingNode, depth: int) -> list[tuple[_Member, _Member]]:
        """The members brought in by the merge keys of ``node``; later ones win.

        So ``<<: [*a, *b]`` lists ``b`` before ``a``, and a second ``<<`` key comes
        after the first (PyYAML before 6.0.4 did the same).
        """
        merged: list[tuple[_Member, _Member]] = []
        for key_node, value_node in node.value:
            if not _is_merge(key_node, value_node):
                continue
            value = _target(value_node)
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for source in reversed(sources):
                source = _target(source)
                self._check_depth(source, depth)
                self._count(len(source.value))
                merged.extend(self._merged(cast(MappingNode, source), depth + 1))
                merged.extend(pair for pair in source.value if not _is_merge(*pair))
        return merged

    def _count(self, nodes: int) -> None:
        self.nodes += nodes
        if self.nodes > MAX_YAML_NODES:
            raise InputError(
                f"YAML alias expansion exceeds {MAX_YAML_NODES} nodes (possible alias bomb)"
            )

    def _count_chars(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_YAML_CHARS:
            raise InputError(
                f"YAML alias expansion exceeds {MAX_YAML_CHARS} characters (possible alias bomb)"
            )

    def _check_depth(self, node: Node, depth: int) -> None:
        if depth >= MAX_DEPTH:
            raise InputError(_TOO_DEEP, *self.lines.position(node.start_mark.index))

    def _notice(self, node: Node, path: Path, message: str, *, on_key: bool) -> None:
        if (id(node), message) not in self.reported:
            self.reported.add((id(node), message))
            self.notices.append(Notice(path, message, on_key))


def _target(node: _Member) -> Node:
    return node.target if isinstance(node, _Alias) else node


def _start(node: _Member) -> int:
    return node.start if isinstance(node, _Alias) else node.start_mark.index


def _is_merge(key_node: _Member, value_node: _Member) -> bool:
    if _target(key_node).tag != _MERGE:
        return False
    value = _target(value_node)
    if isinstance(value, SequenceNode):
        return all(isinstance(_target(item), MappingNode) for item in value.value)
    return isinstance(value, MappingNode)


def _end(node: _Member, text: str) -> int:
    """Offset after the node's last character.

    The end marks of block collections and block scalars lie where the next token
    starts, past line breaks and comments, so a block collection ends with its
    last value and a scalar before trailing blanks.
    """
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    if isinstance(node, _Alias):
        return node.end
    start, end = node.start_mark.index, node.end_mark.index
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _read_scalar(node: ScalarNode) -> tuple[Any, str | None]:
    """The value of a scalar and, when its tag was not honoured, why."""
    construct = _SCALARS.get(node.tag)
    problem = None
    if construct is None:
        problem = _unsupported(node.tag)
        construct = _SCALARS[_RESOLVER.resolve(ScalarNode, node.value, (not node.style, False))]
    if node.tag in _SEXAGESIMAL and node.value.count(":") >= MAX_SEXAGESIMAL_PARTS:
        return node.value, (f"{_quoted(node.value)} is a sexagesimal number of more than "
                            f"{MAX_SEXAGESIMAL_PARTS} parts; read as a string")
    try:
        value = construct(node)
    except (ValueError, KeyError, IndexError, OverflowError):
        return node.value, (f"{_quoted(node.value)} is not a valid {_show(node.tag)}; "
                            "read as a string")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        return node.value, (f"{_quoted(node.value)} is an integer of more than "
                            f"{MAX_INT_BITS} bits; read as a string")
    return value, problem


def _quoted(value: str) -> str:
    """A scalar in a message, cut to 40 characters: the scalar may be megabytes."""
    return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"


def _key(node: _Member, text: str) -> tuple[str, str | None]:
    """A mapping key as a string and, when it needed converting with loss, why."""
    target = _target(node)
    if not isinstance(target, ScalarNode):
        source = text[target.start_mark.index : _end(target, text)]
        return source, _COLLECTION_KEY
    value, problem = _read_scalar(target)
    return (value if isinstance(value, str) else json.dumps(value)), problem


def _unsupported(tag: str) -> str:
    return f"unsupported YAML tag '{_show(tag)}' ignored; the value is read as plain data"


def _show(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
