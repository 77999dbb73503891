"""One file's suppression bookkeeping: which findings are reported, and what took the others.

A located finding is reported when its rule ran on the file (selection and
per-file ignores), no inline ``# ecslint: ignore`` directive covers its line and
no configuration ``ignores`` entry covers its pointer. The ``Suppressor`` decides
that for every finding of one file and records, in the file's ``FileResult``, how
many were suppressed and which configuration entries took them; ``InlineUsage``
remembers which directives did, so that the file's malformed codes (E005) and
directives that suppressed nothing (E004) can be reported at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from ecslint.builtin_ids import INVALID_SUPPRESSION, UNUSED_SUPPRESSION
from ecslint.config.lint_options import LintOptions, relative_path
from ecslint.load.document import InputError
from ecslint.report.model import FileResult, Location
from ecslint.rule import Rule
from ecslint.suppress.directives import Code, Directive, InlineSuppressions


class Problem:
    """An E004 or E005 finding about a directive, placed on the directive's text."""

    __slots__ = ("rule_id", "message", "line", "column", "end_column", "directive")

    def __init__(self, rule_id: str, message: str, line: int, column: int,
                 end_column: int | None = None, directive: Directive | None = None) -> None:
        self.rule_id, self.message, self.line, self.column = rule_id, message, line, column
        self.end_column, self.directive = end_column, directive


class Suppressor:
    """Decides, for one file, which findings are reported; see the module docstring."""

    def __init__(self, display: str, options: LintOptions, result: FileResult,
                 inline: InlineSuppressions | None) -> None:
        self.options = options
        self.result = result
        # What per-file ignores and configuration ignores match; costly to compute
        # (``os.path.relpath``), so only when one is configured.
        self.relpath = relative_path(display, options.base_dir) if options.by_file else display
        self.inline = InlineUsage(inline) if inline is not None else None
        self.display = display
        self.own_paths = (self.relpath,)
        self.others: dict[str, InlineUsage | None] = {}

    def wanted(self, rule: Rule, where: Location, exclude: Directive | None = None) -> bool:
        """Whether a finding of ``rule`` at ``where`` is reported; records which
        suppression, if any, took it. ``exclude`` is a directive that may not suppress
        it (an E004 finding about that directive). A finding shown in another file (a
        Terraform template, a module's file) is governed by that file's comments, and
        per-file and configuration ignores of either file's path take it."""
        options = self.options
        own = where.file == self.display
        paths = self.own_paths if own else (self.relpath, self._relative(where.file))
        if not all(options.ran(rule, path) for path in paths):
            return False
        inline = self.inline if own else self._inline_of(where.file)
        if inline is not None and inline.suppresses(rule, where.line, exclude):
            self.result.suppressed += 1
            return False
        ignores = options.ignores
        for path in paths:
            entry = ignores.match(rule, path, where.pointer) if ignores is not None else None
            if entry is not None:
                self.result.used_ignores.add(options.ignore_index[id(entry)])
                self.result.suppressed += 1
                return False
        return True

    def _relative(self, file: str) -> str:
        return relative_path(file, self.options.base_dir) if self.options.by_file else file

    def _inline_of(self, file: str) -> InlineUsage | None:
        """The directives of another file a finding is shown in, read once; ``None``
        for a format without comments (a JSON template) or a file that cannot be read.
        Which of them went unused is not reported: the file is read only through
        tasks of other files, each of which may use some of them."""
        if file not in self.others:
            from ecslint.load.decoding import decode
            from ecslint.load.readers import for_name
            from ecslint.load.sources import Source, read_bytes

            reader = for_name(file)
            usage = None
            if reader is not None and reader.comment is not None:
                try:
                    text = decode(read_bytes(Source(file, file, True)))
                except InputError:
                    text = None
                if text is not None:
                    usage = InlineUsage(InlineSuppressions.from_text(text, reader.comment))
            self.others[file] = usage
        return self.others[file]

    def problems(self) -> Iterator[Problem]:
        """Malformed and unknown codes (E005), then directives that suppressed nothing
        (E004), for the enabled ones of the two rules; call it after every other
        finding of the file went through ``wanted``."""
        inline, options = self.inline, self.options
        if inline is None:
            return
        if INVALID_SUPPRESSION in options.enabled_ids:
            for problem in inline.inline.problems(options.rules):
                yield Problem(INVALID_SUPPRESSION, problem.message, problem.line, problem.column)
        if UNUSED_SUPPRESSION not in options.enabled_ids:
            return
        for directive, code, message in inline.unused(
            options.rules, lambda rule: options.ran(rule, self.relpath)
        ):
            line, column = (code.line, code.column) if code else (directive.line, directive.column)
            end = column + len(code.text) if code else None
            yield Problem(UNUSED_SUPPRESSION, message, line, column, end, directive)


class InlineUsage:
    """The inline directives of one file, and which of them suppressed something."""

    def __init__(self, inline: InlineSuppressions) -> None:
        self.inline = inline
        self.used_codes: set[Code] = set()
        self.used_bare: set[Directive] = set()

    def suppresses(self, rule: Rule, line: int, exclude: Directive | None = None) -> bool:
        """Whether a directive other than ``exclude`` suppresses ``rule`` for a finding
        starting on ``line``; every such directive counts as used."""
        covering = [d for d in self.inline.by_line.get(line, ())
                    if d is not exclude and d.covers(rule)]
        for directive in covering:
            if directive.codes is None:
                self.used_bare.add(directive)
            self.used_codes.update(c for c in directive.codes or ()
                                   if c.text in rule.keys)
        return bool(covering)

    def unused(self, rules: Sequence[Rule],
               ran: Callable[[Rule], bool]) -> Iterator[tuple[Directive, Code | None, str]]:
        """The directives and codes that suppressed nothing, with a message; a code is
        judged only when ``ran(rule)`` says its rule ran on the file."""
        by_key = {key: rule for rule in rules for key in rule.keys}
        target = {id(d): line for line, found in self.inline.by_line.items() for d in found}
        for directive in self.inline.directives:
            line = target.get(id(directive))
            where = f"on line {line}" if line is not None else "(no line follows the comment)"
            if directive.codes is None:
                if directive not in self.used_bare:
                    yield directive, None, f"unused suppression: nothing is reported {where}"
                continue
            for code in directive.codes:
                rule = by_key.get(code.text)
                if (rule is None or rule.id == UNUSED_SUPPRESSION or code in self.used_codes
                        or not ran(rule)):
                    continue
                yield directive, code, (f"unused suppression: {rule.id} ({rule.name}) "
                                        f"reports nothing {where}")

