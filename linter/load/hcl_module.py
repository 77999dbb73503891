"""A Terraform module as the reading of one file sees it: the other files of its
folder (their locals, variable defaults and template_file data sources), the values
in ``terraform.tfvars``, the modules it calls from the repository, and the files
its expressions read with ``file()`` and ``templatefile()``.

Nothing outside the repository is ever read (the nearest folder above holding
``.git``, else the file's own): a pull request must not make ``file("/etc/passwd")``
print a file of the runner in a finding.
"""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import Any

from ecslint.load.document import InputError, Notice
from ecslint.load.hcl_syntax import block_body, children, parser
from ecslint.load.hcl_values import Expressions
from ecslint.load.sourcemap import LineIndex, Origin, Path, Span

# The other .tf files of a folder read for its definitions.
MAX_SIBLINGS = 200


class Module:
    """What the files of one module share: the spans and notices of the document
    being read, and the module's locals, variable values and template_file data
    sources, each with the file it is written in. Its files are read as
    ``file_type``, the reader's kind of file."""

    def __init__(self, path: str | None, file_type: type[ModuleFile] | None = None) -> None:
        self.file_type = file_type or ModuleFile
        self.spans: dict[Path, Span] = {}
        self.notices: list[Notice] = []
        self.locals: dict[str, tuple[ModuleFile, Any]] = {}
        self.defaults: dict[str, tuple[ModuleFile, Any]] = {}
        # Data sources by type and name: template_file, and the AMI lookups.
        self.data: dict[tuple[str, str], tuple[ModuleFile, Any]] = {}
        self.definitions: dict[Path, Span] = {}
        self.resolving: list[str] = []
        self.consumed: set[str] = set()
        # each.key and each.value, or count.index, of the resource instance being read.
        self.instance: dict[tuple[str, str], Any] = {}
        # Reading a count or for_each: variables are unknown, as their defaults are.
        self.literal = False
        self.shown = os.path.dirname(path) if path is not None else None
        self.directory = os.path.dirname(os.path.abspath(path)) if path is not None else None
        self.root = repository_root(self.directory) if self.directory is not None else None

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
                    for attribute in children(assignments.root, "body", "attribute"):
                        key = assignments.source(attribute.named_children[0])
                        self.defaults[key] = (assignments, attribute)

    def child(self, source: str) -> Module | None:
        """The module a call's local ``source`` names, sharing this document's spans,
        notices and references; ``None`` outside the repository or not a folder."""
        if self.directory is None or self.root is None:
            return None
        real = os.path.realpath(os.path.join(self.directory, source))
        if (not inside(real, self.root) or not os.path.isdir(real)
                or real == os.path.realpath(self.directory)):
            return None
        made = Module(None, self.file_type)
        made.spans, made.notices, made.definitions = self.spans, self.notices, self.definitions
        made.consumed, made.resolving = self.consumed, self.resolving
        made.directory, made.root = real, self.root
        made.shown = os.path.dirname(self.show(os.path.join(real, "x")))
        return made

    def load_all(self) -> list[ModuleFile]:
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

    def open(self, path: str) -> ModuleFile | None:
        """Another file of the module, parsed; ``None`` when it cannot be read or parsed,
        is a symlink, or lies outside the repository (``root``)."""
        text = self.read(path)
        if text is None:
            return None
        raw = text.encode("utf-8", "surrogatepass")
        tree = parser().parse(raw)
        if tree.root_node.has_error:
            return None
        origin = Origin(self.show(path), LineIndex(text))
        return self.file_type(text, raw, self, origin, tree.root_node)

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
        if self.root is None or os.path.islink(path) or not inside(real, self.root):
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


class ModuleFile(Expressions):
    """One file of a module."""

    def collect(self, root: Any) -> None:
        """Register the file's locals, variable defaults and data sources with the
        module (the first file to define a name keeps it)."""
        for block in children(root, "body", "block"):
            kind, labels = self.block_header(block)
            if kind == "locals":
                for attribute in children(block_body(block), "attribute"):
                    self.locals.setdefault(self.source(attribute.named_children[0]),
                                           (self, attribute))
            elif kind == "variable" and labels:
                for attribute in children(block_body(block), "attribute"):
                    if self.source(attribute.named_children[0]) == "default":
                        self.defaults.setdefault(labels[0], (self, attribute))
            elif kind == "data" and len(labels) == 2:
                self.module.data.setdefault((labels[0], labels[1]), (self, block))


def repository_root(directory: str) -> str:
    """The folder a module's references must stay in: its repository's (the nearest
    folder above holding ``.git``), else its own. A pull request must not make
    ``file("/etc/passwd")`` print a file of the runner in a finding."""
    for folder in (directory, *map(str, PurePath(directory).parents)):
        if os.path.lexists(os.path.join(folder, ".git")):
            return os.path.realpath(folder)
    return os.path.realpath(directory)


def inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive
        return False
