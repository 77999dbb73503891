"""The result of one run, as every formatter receives it.

Formatters are pure functions of a ``Report``: findings are already located
(file, region, JSON pointer), sorted, filtered by selection and suppressions,
and carry their effective severity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecslint.rule import Rule, Severity


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based region plus the RFC 6901 pointer of the node."""

    file: str
    line: int
    column: int
    end_line: int | None
    end_column: int | None
    pointer: str


@dataclass(frozen=True)
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

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule.id, loc.pointer, self.message)


@dataclass(frozen=True)
class InputProblem:
    """A file that could not be linted, or an internal error; always exit 2."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class BuildDecision:
    """The Windows release and build of a host or of one container's image, and the
    signal that decided it (``release`` and ``build`` are ``None`` when unknown)."""

    release: str | None
    build: int | None
    signal: str
    container: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class TaskSummary:
    """The platform decision for one task, shown by ``--format json`` and ``--verbose``.

    ``host_build`` and ``image_builds`` are filled for tasks that are, or may be,
    Windows tasks; a Linux task has no Windows build to show.
    """

    file: str
    task: str
    source: str
    os: str
    os_family: str | None
    os_signal: str
    launch_types: tuple[str, ...]
    launch_signal: str
    host_build: BuildDecision | None = None
    image_builds: tuple[BuildDecision, ...] = ()


@dataclass
class Report:
    """Everything a formatter needs."""

    findings: list[ReportedFinding] = field(default_factory=list)
    errors: list[InputProblem] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    tasks: list[TaskSummary] = field(default_factory=list)
    files: int = 0

    def sort(self) -> None:
        self.findings.sort(key=ReportedFinding.sort_key)
        self.errors.sort(key=lambda e: (e.file, e.line or 0, e.column or 0, e.message))
        self.tasks.sort(key=lambda t: (t.file, t.task))
