"""The result of one run, as every formatter receives it.

Formatters are pure functions of a ``Report``: findings are already located
(file, region, JSON pointer), filtered by selection and suppressions, and carry
their effective severity. The report keeps findings, errors and task summaries
sorted in ``Spool``s, so its memory stays flat however many files a run lints,
and counts what the summaries and the exit status need as items are added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecslint.records import Record
from ecslint.report.spool import Spool
from ecslint.rule import Rule, Severity

if TYPE_CHECKING:
    from ecslint.suppress.baseline import Baseline


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: 1-based region plus the RFC 6901 pointer of the node."""

    file: str
    line: int
    column: int
    end_line: int | None
    end_column: int | None
    pointer: str


class ReportedEdit(Record):
    """One replacement of a fix: the characters ``[start, end)`` of the decoded text
    (what ``ecslint.fix.apply`` maps to bytes), the same region as lines and columns,
    the pointer of the node edited and the text that replaces it."""

    __slots__ = ("start", "end", "line", "column", "end_line", "end_column", "pointer", "text")
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    pointer: str
    text: str


class ReportedFix(Record):
    """A finding's fix, written for its file: what it does, ``safe`` or ``unsafe``,
    and its edits, applied together or not at all."""

    __slots__ = ("title", "applicability", "edits")
    title: str
    applicability: str
    edits: tuple[ReportedEdit, ...]

    def packed(self) -> tuple[Any, ...]:
        return (self.title, self.applicability, tuple(edit.fields() for edit in self.edits))

    @classmethod
    def unpacked(cls, data: tuple[Any, ...]) -> ReportedFix:
        title, applicability, edits = data
        return cls(title, applicability, tuple(ReportedEdit(*edit) for edit in edits))


@dataclass(frozen=True, slots=True)
class ReportedFinding:
    """A finding ready to print.

    ``container`` is the ``name`` of the container the finding lies in (its pointer
    is below ``/containerDefinitions/<i>``), when that container has a name:
    baselines match such findings by container name, not by position.
    """

    rule: Rule
    severity: Severity
    message: str
    location: Location
    task: str | None = None
    related: tuple[Location, ...] = ()
    container: str | None = None
    fix: ReportedFix | None = None

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule.id, loc.pointer, self.message)

    def packed(self) -> tuple[Any, ...]:
        """Plain data for pickling: the rule by id (rules hold functions)."""
        loc = self.location
        return (self.rule.id, self.severity.value, self.message, _packed(loc), self.task,
                tuple(_packed(related) for related in self.related), self.container,
                self.fix.packed() if self.fix is not None else None)

    @classmethod
    def unpacked(cls, data: tuple[Any, ...], rules: Mapping[str, Rule]) -> ReportedFinding:
        """The finding ``packed`` gave ``data`` for; ``rules`` maps ids to rules."""
        rule_id, severity, message, location, task, related, container, fix = data
        return cls(rules[rule_id], Severity(severity), message, Location(*location), task,
                   tuple(Location(*item) for item in related), container,
                   ReportedFix.unpacked(fix) if fix is not None else None)


def _packed(location: Location) -> tuple[Any, ...]:
    return (location.file, location.line, location.column, location.end_line,
            location.end_column, location.pointer)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A file that could not be linted, or an internal error; always exit 2."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.message)


@dataclass(frozen=True, slots=True)
class BuildDecision:
    """The Windows release and build of a host or of one container's image, and the
    signal that decided it (``release`` and ``build`` are ``None`` when unknown)."""

    release: str | None
    build: int | None
    signal: str
    container: str | None = None
    image: str | None = None
    digest: str | None = None  # what the registry said the reference names


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """The platform decision for one task, shown by ``--format json`` and ``--verbose``.

    ``host_build`` and ``image_builds`` are filled for tasks that are, or may be,
    Windows tasks; a Linux task has no Windows build to show.
    """

    file: str
    task: str
    shape: str
    os: str
    os_family: str | None
    os_signal: str
    launch_types: tuple[str, ...]
    launch_signal: str
    host_build: BuildDecision | None = None
    image_builds: tuple[BuildDecision, ...] = ()


@dataclass
class FileResult:
    """What one file produced.

    ``used_ignores`` holds the indexes of the configuration ``ignores`` entries that
    suppressed a finding; ``linted`` says the file parsed and its rules ran, so
    that suppressions and baseline entries for it can be judged unused.
    ``suppressed`` counts the findings ignore comments and configuration
    ``ignores`` took. ``skipped`` is why a file a walk found was left alone
    unread (too large to be a task definition); the report lists it as skipped.
    """

    findings: list[ReportedFinding] = field(default_factory=list)
    errors: list[InputProblem] = field(default_factory=list)
    tasks: list[TaskSummary] = field(default_factory=list)
    used_ignores: set[int] = field(default_factory=set)
    linted: bool = False
    suppressed: int = 0
    skipped: str | None = None


class Report:
    """Everything a formatter needs.

    ``findings`` (by file, line, column, rule id, pointer and message), ``errors``
    (by file and position) and ``tasks`` (by file and task) iterate sorted however
    they were added. ``rules`` are the rules that ran, ``files`` the number of files
    examined; ``by_severity``, ``by_rule`` and ``rule_of`` count the findings per
    severity and per rule id and name their rules, ``finding_files`` and
    ``error_files`` are the distinct files with a finding and with an error.
    ``unread`` counts the files examined that could not be read or parsed at all,
    ``taskless`` those that hold no task definition (both count in ``files`` but no
    rule ran on them), and ``skipped`` lists the files a directory walk left alone,
    with why: none of them is ever reported clean. ``hidden_by_baseline`` and
    ``hidden_by_suppressions`` count the findings a baseline and the suppressions
    (ignore comments, configuration ``ignores``) left out, so that the summary can
    say a clean run was not clean by itself.
    """

    def __init__(self, findings: Iterable[ReportedFinding] = (),
                 errors: Iterable[InputProblem] = (), rules: Iterable[Rule] = (),
                 tasks: Iterable[TaskSummary] = (), files: int = 0) -> None:
        self.rules = list(rules)
        self.files = files
        self.unread = 0
        self.taskless = 0
        self.skipped: list[tuple[str, str]] = []
        self.rule_of: dict[str, Rule] = {}
        self.by_severity: Counter[Severity] = Counter()
        self.by_rule: Counter[str] = Counter()
        self.finding_files: set[str] = set()
        self.error_files: set[str] = set()
        self.hidden_by_baseline = 0
        self.hidden_by_suppressions = 0
        # What the run could not do but did not need (an image's registry that did
        # not answer, --resolve-images): said, but neither a finding nor an error.
        self.notices: list[str] = []
        # The real hosts of the clusters a run checked (``ecslint aws --cluster``).
        self.clusters: list[dict[str, Any]] = []
        # The findings that carry a fix, by applicability; with ``--fix`` or ``--diff``
        # (``fixing``: "fix" or "diff"; "none" for a command that cannot fix), how many
        # findings the applied fixes repaired.
        self.fixable: Counter[str] = Counter()
        self.fixing: str | None = None
        self.fixed = 0
        self.findings: Spool[ReportedFinding] = Spool(
            ReportedFinding.sort_key, pack=ReportedFinding.packed,
            unpack=lambda data: ReportedFinding.unpacked(data, self.rule_of),
        )
        self.errors: Spool[InputProblem] = Spool(InputProblem.sort_key)
        self.tasks: Spool[TaskSummary] = Spool(_task_key)
        self.add(findings, errors, tasks)

    def add(self, findings: Iterable[ReportedFinding] = (), errors: Iterable[InputProblem] = (),
            tasks: Iterable[TaskSummary] = (), file: str | None = None) -> None:
        """Add what one file (or any batch) produced, in any order; a finding counts
        for ``file``, the file linted, when given (a Terraform task's findings may be
        shown in its templates), else for the file it is shown in."""
        for finding in sorted(findings, key=ReportedFinding.sort_key):
            rule = finding.rule
            self.rule_of.setdefault(rule.id, rule)
            self.by_severity[finding.severity] += 1
            self.by_rule[rule.id] += 1
            if finding.fix is not None:
                self.fixable[finding.fix.applicability] += 1
            self.finding_files.add(file or finding.location.file)
            self.findings.add(finding)
        for error in sorted(errors, key=InputProblem.sort_key):
            self.error_files.add(error.file)
            self.errors.add(error)
        self.tasks.extend(sorted(tasks, key=_task_key))

    def add_file(self, result: FileResult, baseline: Baseline | None = None,
                 file: str | None = None) -> None:
        """Fold in what the file ``file`` produced, without the findings ``baseline``
        records."""
        self.files += 1
        findings = result.findings
        if baseline is not None:  # in order, so that equal findings are absorbed alike
            findings = [f for f in sorted(findings, key=ReportedFinding.sort_key)
                        if not baseline.absorbs(f)]
            self.hidden_by_baseline += len(result.findings) - len(findings)
        self.hidden_by_suppressions += result.suppressed
        self.add(findings, result.errors, result.tasks, file)
        if result.errors and not result.linted:
            self.unread += 1
        elif not (result.tasks or result.findings or result.errors):
            self.taskless += 1

    def extend(self, other: Report) -> Report:
        """Add everything ``other`` holds and counts (another run's report); return self."""
        known = {rule.id for rule in self.rules}
        self.rules.extend(rule for rule in other.rules if rule.id not in known)
        self.files += other.files
        self.unread += other.unread
        self.taskless += other.taskless
        self.skipped.extend(other.skipped)
        self.hidden_by_baseline += other.hidden_by_baseline
        self.hidden_by_suppressions += other.hidden_by_suppressions
        self.notices.extend(other.notices)
        self.clusters.extend(other.clusters)
        self.fixing = self.fixing or other.fixing
        self.fixed += other.fixed
        self.add(other.findings, other.errors, other.tasks)
        return self


def _task_key(task: TaskSummary) -> tuple[str, str]:
    return (task.file, task.task)
