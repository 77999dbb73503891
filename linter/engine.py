"""Lint files end to end: read, parse, find tasks, run rules, locate findings.

The engine is the only place that knows about files and positions. Rules get
canonical data and return paths; the engine maps each path back to the
document (``shapes.TaskSource.to_document``), then to a region through the
document's ``SourceMap``, and applies selection, severity overrides and
suppressions. A rule that raises is contained: it becomes an internal error
naming the rule (exit 2) and the other rules and files still run; so does any
other exception while one file is linted.

``lint_paths`` streams: each file is read, parsed and linted on its own (in this
process, or in worker processes with ``jobs`` > 1, see ``ecslint.parallel``), and
only its located findings, errors and task summaries are kept, in the report's
spools, which hold a bounded number in memory. Files are linted and folded into the
report in the order of their names whatever the number of processes, so the report
is the same byte for byte, and each file's sorted findings extend the spools' sorted
runs. The baseline is applied per file as results arrive; suppressions that matched
nothing (E004) are known only at the end.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from ecslint.decoding import decode
from ecslint.parser import Document, InputError, Parsed
from ecslint.platform import detect
from ecslint.report import (
    BuildDecision,
    InputProblem,
    Location,
    Report,
    ReportedFinding,
    TaskSummary,
)
from ecslint.rule import Finding, HostKnowledge, Rule, Severity, TaskView
from ecslint.selection import Selection
from ecslint.shapes import STRONG_MARKERS, TASK_MARKERS, TaskSource, extract
from ecslint.sourcemap import Path, Region, SourceMap, pointer
from ecslint.sources import (
    TERRAFORM_UNSUPPORTED,
    MissingPath,
    Skipped,
    SourceFile,
    discover,
    is_terraform,
    read_bytes,
)
from ecslint.suppressions import ConfigIgnores, Directive, InlineSuppressions

if TYPE_CHECKING:
    from ecslint.baseline import Baseline
    from ecslint.config import Config
    from ecslint.unused import InlineUsage

PARSE_ERROR = "E001"
SCHEMA_VIOLATION = "E002"
NOT_A_TASK_DEFINITION = "E003"
UNUSED_SUPPRESSION = "E004"
INVALID_SUPPRESSION = "E005"

ProgressCallback = Callable[[int, int], None]
# Allocations between two young collections of the cyclic garbage collector while
# files are linted (Python's default: 700); see ``fewer_collections``.
GC_THRESHOLD = 10_000
# The longest rule message printed whole; the longest in the shared corpus is 285.
MAX_MESSAGE = 1_000


@dataclass
class LintOptions:
    """Everything a run needs besides the files.

    ``config`` is the configuration the options were built from (``from_config``);
    worker processes rebuild the options from it, so only options that have one
    can lint in parallel.
    """

    rules: Sequence[Rule]
    selection: Selection
    host: HostKnowledge = field(default_factory=HostKnowledge)
    assumed_os: str | None = None
    default_launch_type: str = "EC2"
    ignores: ConfigIgnores | None = None
    base_dir: str = "."
    excludes: tuple[str, ...] = ()
    raise_rule_errors: bool = False
    config: Config | None = None

    def __post_init__(self) -> None:
        self.enabled = self.selection.enabled_rules()
        self.enabled_ids = frozenset(r.id for r in self.enabled)
        self.checks = [r for r in self.enabled if r.check is not None]
        self.by_id = {r.id: r for r in self.rules}
        entries = self.ignores.entries if self.ignores is not None else ()
        self.ignore_index = {id(entry): index for index, entry in enumerate(entries)}
        # Whether per-file ignores or configuration ignores match file names at all.
        self.by_file = self.selection.by_file or bool(entries)

    @classmethod
    def from_config(cls, config: Config, rules: Sequence[Rule] | None = None, *,
                    base_dir: str | None = None, raise_rule_errors: bool = False) -> LintOptions:
        """The options ``config`` describes, over ``rules`` (default: every registered rule).

        ``base_dir`` is what per-file ignores and ``ignores`` match file names
        against (default: the configuration's directory). May raise
        ``SelectionError`` or ``ValueError``.
        """
        if rules is None:
            from ecslint.registry import all_rules

            rules = all_rules()
        return cls(
            rules=rules, selection=config.selection(rules), host=config.host_knowledge(),
            assumed_os=config.assumed_os, default_launch_type=config.launch_type,
            ignores=config.config_ignores(),
            base_dir=str(config.root) if base_dir is None else base_dir,
            excludes=config.exclude, raise_rule_errors=raise_rule_errors, config=config,
        )

    def ran(self, rule: Rule, relpath: str) -> bool:
        """Whether ``rule`` runs on the file at ``relpath`` (relative to ``base_dir``)."""
        return rule.id in self.enabled_ids and not self.selection.ignored_for_file(rule, relpath)


@dataclass
class FileResult:
    """What one file produced.

    ``used_ignores`` holds the indexes of the configuration ``ignores`` entries that
    suppressed a finding; ``linted`` says the file parsed and its rules ran, so
    that suppressions and baseline entries for it can be judged unused.
    ``suppressed`` counts the findings ignore comments and configuration
    ``ignores`` took.
    """

    findings: list[ReportedFinding] = field(default_factory=list)
    errors: list[InputProblem] = field(default_factory=list)
    tasks: list[TaskSummary] = field(default_factory=list)
    used_ignores: set[int] = field(default_factory=set)
    linted: bool = False
    suppressed: int = 0


def lint_paths(
    paths: Iterable[str], options: LintOptions, stdin_name: str | None = None, *,
    jobs: int = 1, baseline: Baseline | None = None, progress: ProgressCallback | None = None,
    sniff: bool = False,
) -> Report:
    """Lint every file under ``paths`` and return the sorted report.

    ``jobs`` > 1 lints in that many worker processes (options built by
    ``LintOptions.from_config`` only); the report is the same. Findings the
    ``baseline`` records are left out. ``progress(done, total)`` is called before
    the first file and after each one. A configuration or baseline file holding
    E004 findings counts as a file examined. ``sniff`` treats the named files as
    a directory scan treats the files it finds: one that mentions no task
    definition is passed over unparsed (pre-commit names every JSON and YAML file).
    """
    from ecslint.unused import Usage, leftovers

    report = Report(rules=options.enabled)
    sources: list[SourceFile] = []
    for item in discover(paths, options.excludes, stdin_name):
        if isinstance(item, MissingPath):
            report.add(errors=[InputProblem(item.path, "no such file or directory")])
        elif isinstance(item, Skipped):
            report.skipped.append((item.path, item.reason))
        else:
            sources.append(replace(item, explicit=False) if sniff else item)
    # In the order the report sorts by, so that findings stream into it in order.
    sources.sort(key=lambda source: source.display)
    usage = Usage() if UNUSED_SUPPRESSION in options.enabled_ids else None
    if progress is not None:
        progress(0, len(sources))
    with fewer_collections():
        results = zip(sources, _results(sources, options, jobs), strict=True)
        for done, (source, result) in enumerate(results, start=1):
            report.files += 1
            findings = result.findings
            if baseline is not None:  # in order, so that equal findings are absorbed alike
                findings = [f for f in sorted(findings, key=ReportedFinding.sort_key)
                            if not baseline.absorbs(f)]
                report.hidden_by_baseline += len(result.findings) - len(findings)
            report.hidden_by_suppressions += result.suppressed
            report.add(findings, result.errors, result.tasks)
            if result.errors and not result.linted:
                report.unread += 1
            elif not (result.tasks or result.findings or result.errors):
                report.taskless += 1
            if usage is not None:
                usage.add(source.display, result)
            if progress is not None:
                progress(done, len(sources))
    unused = leftovers(options, usage, baseline) if usage is not None else []
    report.add(unused)
    report.files += len({finding.location.file for finding in unused})
    return report


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often (``GC_THRESHOLD``) inside the block.

    Linting allocates many short-lived containers (parse data, spans, findings)
    that reference counting frees, as they form no cycles, while the findings kept
    for the report pile up: with the default threshold the collector rescanned that
    pile again and again, collected next to nothing and took a fifth of the time of
    a 10,000-file run. Worker processes call ``collect_less`` themselves; the findings
    are the same.
    """
    threshold = collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def collect_less() -> tuple[int, int, int]:
    """Raise the collector's young-generation threshold to at least ``GC_THRESHOLD``;
    return the thresholds it had."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    return threshold


def _results(sources: list[SourceFile], options: LintOptions, jobs: int) -> Iterator[FileResult]:
    if jobs > 1 and len(sources) > 1:
        from ecslint.parallel import lint_in_processes

        return lint_in_processes(sources, options, jobs)
    return (lint_file(source, options) for source in sources)


def lint_file(source: SourceFile, options: LintOptions) -> FileResult:
    """Lint one file; never raises for anything the file contains."""
    try:
        raw = read_bytes(source)
    except InputError as exc:
        return FileResult(errors=[InputProblem(source.display, exc.message)])
    return lint_bytes(raw, source.display, source.explicit, options)


def lint_bytes(raw: bytes, display: str, explicit: bool, options: LintOptions) -> FileResult:
    """Lint the content of one file shown as ``display``.

    Like a rule that raises, an unexpected exception anywhere else (decoding,
    parsing, finding the tasks, placing findings: a bug in ecslint, not in the
    file) becomes an internal error of this file (exit 2) and the other files
    still run, unless ``options.raise_rule_errors``.
    """
    try:
        return _lint_bytes(raw, display, explicit, options)
    except Exception as exc:
        if options.raise_rule_errors:
            raise
        message = f"internal error: {type(exc).__name__}: {exc}"
        return FileResult(errors=[InputProblem(display, message)])


def _lint_bytes(raw: bytes, display: str, explicit: bool, options: LintOptions) -> FileResult:
    result = FileResult()
    if is_terraform(display):
        result.errors.append(InputProblem(display, TERRAFORM_UNSUPPORTED))
        return result
    try:
        text = decode(raw)
    except InputError as exc:
        if explicit or any(marker.encode() in raw for marker in STRONG_MARKERS):
            result.errors.append(InputProblem(display, exc.message, exc.line, exc.column))
        return result
    if not explicit and not any(marker in text for marker in TASK_MARKERS):
        return result
    try:
        is_json = _is_json(text, display)
        parsed = _parse(text, is_json)
    except InputError as exc:
        result.errors.append(InputProblem(display, exc.message, exc.line, exc.column))
        return result
    wanted = explicit or any(marker in text for marker in STRONG_MARKERS)
    inline = None if is_json or "ecslint:" not in text else InlineSuppressions.from_text(text)
    _FileLinter(display, options, result, inline).run(parsed, explicit, wanted)
    return result


def _parse(text: str, is_json: bool) -> Parsed:
    if is_json:
        from ecslint.json_source import parse_json

        return parse_json(text)
    from ecslint.yaml_source import parse_yaml

    return parse_yaml(text)


def _is_json(text: str, display: str) -> bool:
    suffixes = [suffix.lower() for suffix in PurePath(display).suffixes[-2:]]
    if suffixes[-1:] in ([".yaml"], [".yml"]):
        return False
    if ".json" in suffixes:  # task.json, and templates: task.json.tpl, task.json.template
        return True
    return text.lstrip()[:1] in ("{", "[")


class _FileLinter:
    """Runs the rules over the tasks of one file and locates their findings."""

    def __init__(self, display: str, options: LintOptions, result: FileResult,
                 inline: InlineSuppressions | None) -> None:
        self.display = display
        self.options = options
        self.result = result
        # What per-file ignores and configuration ignores match; costly to compute
        # (``os.path.relpath``), so only when one is configured.
        self.relpath = relative_path(display, options.base_dir) if options.by_file else display
        self.inline: InlineUsage | None = None
        if inline is not None:
            from ecslint.unused import InlineUsage

            self.inline = InlineUsage(inline)
        self.stem = PurePath(display).stem or display

    def run(self, parsed: Parsed, explicit: bool, wanted: bool) -> None:
        """Lint every task of ``parsed``.

        ``wanted`` files (named explicitly, or mentioning task definitions) also
        report parse problems outside tasks; explicit ones report E003 when they
        hold no task at all.
        """
        found_task = False
        for document in parsed.documents:
            tasks = extract(document.data, self.stem)
            found_task = found_task or bool(tasks)
            if tasks or wanted:
                for notice in document.notices:
                    region = document.sourcemap.region(notice.path, key=notice.on_key)
                    self._emit(PARSE_ERROR, notice.message, region, pointer(notice.path), None)
            for task in tasks:
                self._lint_task(document, task)
        if parsed.error is not None and (wanted or found_task):
            error = parsed.error
            self._emit_at(PARSE_ERROR, error.message, error.line, error.column, "", None)
        if explicit and not found_task and parsed.error is None:
            self._emit_at(NOT_A_TASK_DEFINITION, "the file holds no ECS task definition",
                          1, 1, "", None)
        self.result.linted = parsed.error is None
        if self.inline is not None and (found_task or wanted):
            self._check_suppressions(self.inline)

    def _check_suppressions(self, inline: InlineUsage) -> None:
        """Report malformed and unknown codes (E005), then directives that suppressed
        nothing (E004); an E004 finding is never suppressed by the directive it names."""
        options = self.options
        if INVALID_SUPPRESSION in options.enabled_ids:
            for problem in inline.inline.problems(options.rules):
                self._emit_at(INVALID_SUPPRESSION, problem.message, problem.line,
                              problem.column, "", None)
        if UNUSED_SUPPRESSION not in options.enabled_ids:
            return
        for directive, code, message in inline.unused(
            options.rules, lambda rule: options.ran(rule, self.relpath)
        ):
            line, column = (code.line, code.column) if code else (directive.line, directive.column)
            end = column + len(code.text) if code else None
            self._emit_at(UNUSED_SUPPRESSION, message, line, column, "", None,
                          end_column=end, exclude=directive)

    def _lint_task(self, document: Document, task: TaskSource) -> None:
        options = self.options
        instances = task.instances
        platform = detect(
            task.data,
            assumed_os=options.assumed_os,
            default_launch_type=options.default_launch_type,
            task_fields_known=task.source != "container-list",
            image_patterns=[image["pattern"] for image in options.host.images],
            origin=task.origin,
            instances=(instances.os, instances.signal) if instances is not None else None,
        )
        host = options.host
        if instances is not None:
            from ecslint.cfn_parameters import with_instances

            host = with_instances(host, instances)
        view = TaskView(task.name, task.source, task.data, platform, host)
        host_build, image_builds = _builds(view) if not platform.is_linux else (None, ())
        self.result.tasks.append(
            TaskSummary(self.display, task.name, task.source, platform.os, platform.os_family,
                        platform.os_signal, platform.launch_types, platform.launch_signal,
                        host_build, image_builds)
        )
        found: list[tuple[Rule, Finding]] = []
        for rule in options.checks:
            try:
                found.extend((rule, finding) for finding in rule.run(view))
            except Exception as exc:
                if options.raise_rule_errors:
                    raise
                line, column = document.sourcemap.region(task.to_document(())).line, 1
                self.result.errors.append(InputProblem(
                    self.display,
                    f"internal error in rule {rule.id} ({rule.name}) on task {task.name!r}: "
                    f"{type(exc).__name__}: {exc}",
                    line, column,
                ))
        # A specific rule explains a value better than the schema's generic E002
        # (ECS410 on a health-check range, ECS413 on a name): say it once.
        # Only on a scalar: a finding on a whole task or container (ECS408, FG302)
        # does not explain the keys E002 finds missing there.
        specific = {f.path for rule, f in found
                    if rule.family != "E" and _is_scalar_at(task.data, f.path)}
        for rule, finding in found:
            if rule.id != SCHEMA_VIOLATION or finding.path not in specific:
                self._emit_finding(rule, finding, document.sourcemap, task)

    def _emit_finding(self, rule: Rule, finding: Finding, sourcemap: SourceMap,
                      task: TaskSource) -> None:
        place = _locatable(finding.path, task, sourcemap)
        exact = place == task.to_document(finding.path)
        region = sourcemap.region(place, key=finding.on_key and exact)
        related = tuple(
            self._location(sourcemap.region(_locatable(p, task, sourcemap)),
                           pointer(task.to_document(p)))
            for p in finding.related
        )
        self._emit(rule.id, _bounded(finding.message), region,
                   pointer(task.to_document(finding.path)),
                   task.name, related, finding.severity, _container_name(finding.path, task))

    def _emit(self, rule_id: str, message: str, region: Region, ptr: str, task: str | None,
              related: tuple[Location, ...] = (), severity: Severity | None = None,
              container: str | None = None) -> None:
        rule = self.options.by_id[rule_id]
        if not self._wanted(rule, region.line, ptr):
            return
        selection = self.options.selection
        effective = selection.severity_override(rule) or severity or rule.severity
        self.result.findings.append(ReportedFinding(
            rule, effective, message, self._location(region, ptr), task, related, container,
        ))

    def _emit_at(self, rule_id: str, message: str, line: int, column: int, ptr: str,
                 task: str | None, *, end_column: int | None = None,
                 exclude: Directive | None = None) -> None:
        rule = self.options.by_id[rule_id]
        if not self._wanted(rule, line, ptr, exclude):
            return
        end_line = None if end_column is None else line
        location = Location(self.display, line, column, end_line, end_column, ptr)
        self.result.findings.append(ReportedFinding(
            rule, self.options.selection.severity_of(rule), message, location, task,
        ))

    def _wanted(self, rule: Rule, line: int, ptr: str, exclude: Directive | None = None) -> bool:
        """Whether a finding of ``rule`` at ``line`` and ``ptr`` is reported; records
        which suppression, if any, took it."""
        options = self.options
        if not options.ran(rule, self.relpath):
            return False
        if self.inline is not None and self.inline.suppresses(rule, line, exclude):
            self.result.suppressed += 1
            return False
        ignores = options.ignores
        entry = ignores.match(rule, self.relpath, ptr) if ignores is not None else None
        if entry is not None:
            self.result.used_ignores.add(options.ignore_index[id(entry)])
            self.result.suppressed += 1
            return False
        return True

    def _location(self, region: Region, ptr: str) -> Location:
        return Location(self.display, region.line, region.column, region.end_line,
                        region.end_column, ptr)


def _bounded(message: str) -> str:
    """``message``, its middle left out past ``MAX_MESSAGE`` characters: a rule that
    quotes a huge value from the file (a 400 KB container name) must not make every
    line of the output that long."""
    if len(message) <= MAX_MESSAGE:
        return message
    head, tail = MAX_MESSAGE * 2 // 3, MAX_MESSAGE // 3
    left_out = len(message) - head - tail
    return f"{message[:head]}... [{left_out:,} characters left out] ...{message[-tail:]}"


def _builds(view: TaskView) -> tuple[BuildDecision, tuple[BuildDecision, ...]]:
    """The Windows build of the task's host and of each image, with their signals."""
    from ecslint.windows import build_summary

    summary = build_summary(view)
    host = summary["host"]
    images = tuple(
        BuildDecision(i["release"], i["build"], i["signal"], i["container"], i["image"])
        for i in summary["images"]
    )
    return BuildDecision(host["release"], host["build"], host["signal"]), images


def _is_scalar_at(data: Any, path: Path) -> bool:
    """Whether ``path`` leads to a value that is neither an object nor a list."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    return not isinstance(data, (dict, list))


def _container_name(path: Path, task: TaskSource) -> str | None:
    """The name of the container ``path`` lies in, if it lies in a named one."""
    if len(path) < 2 or path[0] != "containerDefinitions" or not isinstance(path[1], int):
        return None
    containers = task.data.get("containerDefinitions")
    if not isinstance(containers, list) or not 0 <= path[1] < len(containers):
        return None
    item = containers[path[1]]
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else None


def _locatable(path: Path, task: TaskSource, sourcemap: SourceMap) -> Path:
    """The document path to place a finding on.

    A missing node is placed on its nearest existing ancestor. A finding on a
    whole container (or on something missing in it) is placed on the
    container's ``name`` value, and one on the whole task on its ``family``
    value, which tells the reader at once what is meant (rather than a region
    spanning the whole file); the pointer still names the container or task.
    """
    for cut in range(len(path), -1, -1):
        document_path = task.to_document(path[:cut])
        if document_path in sourcemap.spans:
            label = {2: "name", 0: "family"}.get(cut)
            if label and (cut == 0 or path[0] == "containerDefinitions"):
                label_path = task.to_document(path[:cut] + (label,))
                if label_path in sourcemap.spans:
                    return label_path
            return document_path
    return ()


def relative_path(display: str, base_dir: str) -> str:
    """``display`` as a POSIX path relative to ``base_dir``, what globs match."""
    if display == "-":
        return display
    try:
        return PurePath(os.path.relpath(os.path.abspath(display), base_dir)).as_posix()
    except ValueError:
        return PurePath(display).as_posix()


def exit_code(report: Report, fail_on: str) -> int:
    """0 clean, 1 findings at or above ``fail_on``, 2 input or internal errors."""
    if report.errors or report.by_rule[PARSE_ERROR]:
        return 2
    if fail_on == "never":
        return 0
    threshold = Severity(fail_on).rank
    return 1 if any(severity.rank >= threshold for severity in report.by_severity) else 0
