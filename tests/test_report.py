"""The report: sorted whatever order findings arrive in, with the counts the summaries
and the exit status read, and findings that survive pickling without their rules."""

from __future__ import annotations

import pickle

from ecslint.cli.options import exit_code
from ecslint.report.model import InputProblem, Location, Report, ReportedFinding, TaskSummary
from ecslint.rule import Severity, engine_rule

RULE = engine_rule(id="WIN110", name="windows-memory-reservation", severity=Severity.ERROR,
                   summary="s", fix_title="f", doc="d")
PARSE = engine_rule(id="E001", name="parse-error", severity=Severity.ERROR, summary="s",
                    fix_title="f", doc="d")


def finding(file: str, line: int, severity: Severity = Severity.WARNING,
            rule: object = RULE) -> ReportedFinding:
    location = Location(file, line, 3, line, 9, "/containerDefinitions/0/memory")
    related = (Location(file, 1, 1, None, None, ""),)
    return ReportedFinding(rule, severity, f"m{line}", location, "web", related,  # type: ignore[arg-type]
                           "web")


def task(file: str, name: str) -> TaskSummary:
    return TaskSummary(file, name, "register", "windows", None, "s", ("EC2",), "s")


def test_items_come_out_sorted_and_counted_whatever_the_order_of_batches() -> None:
    report = Report(rules=[RULE])
    report.add([finding("b.json", 9), finding("b.json", 2, Severity.INFO)],
               [InputProblem("b.json", "x", 4, 1)], [task("b.json", "z"), task("b.json", "a")])
    report.add([finding("a.json", 5, Severity.ERROR)], [InputProblem("a.json", "y")],
               [task("a.json", "t")])
    assert [(f.location.file, f.location.line) for f in report.findings] == [
        ("a.json", 5), ("b.json", 2), ("b.json", 9)]
    assert [(e.file, e.message) for e in report.errors] == [("a.json", "y"), ("b.json", "x")]
    assert [(t.file, t.task) for t in report.tasks] == [
        ("a.json", "t"), ("b.json", "a"), ("b.json", "z")]
    assert report.by_severity == {Severity.ERROR: 1, Severity.WARNING: 1, Severity.INFO: 1}
    assert report.by_rule == {"WIN110": 3} and report.rule_of == {"WIN110": RULE}
    assert report.finding_files == {"a.json", "b.json"} == report.error_files
    assert len(report.findings) == 3


def test_exit_status_comes_from_the_counts() -> None:
    assert exit_code(Report([finding("a.json", 1, Severity.INFO)]), "warning") == 0
    assert exit_code(Report([finding("a.json", 1, Severity.INFO)]), "info") == 1
    assert exit_code(Report([finding("a.json", 1, Severity.ERROR)]), "never") == 0
    assert exit_code(Report([finding("a.json", 1, rule=PARSE)]), "never") == 2
    assert exit_code(Report(errors=[InputProblem("a.json", "unreadable")]), "never") == 2
    assert exit_code(Report(), "info") == 0


def test_a_packed_finding_pickles_and_comes_back_equal() -> None:
    original = finding("a.json", 7, Severity.INFO)
    data = pickle.loads(pickle.dumps(original.packed()))
    assert ReportedFinding.unpacked(data, {"WIN110": RULE}) == original
