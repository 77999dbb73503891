"""``--format json``: the whole run as one JSON document, for scripts and dashboards.

This is a versioned public interface. Within ``version`` 1 fields may be added but are
never renamed, removed or given another meaning; anything else bumps ``version``.
Keys appear in the order below, lists in the report's order (findings by file, line,
column and rule id), and equal reports give byte-identical output. Characters that could
act on a terminal (C0 and C1 controls, DEL, U+2028/U+2029, bidi controls, lone
surrogates) appear only as ``\\uXXXX`` escapes; the document ends with a newline.

::

    {
      "version": 1,
      "tool": {"name": "ecslint", "version": "0.1.0"},
      "findings": [                       one per finding
        {
          "rule": {
            "id": "WIN110",               permanent rule id
            "name": "windows-memory-reservation",
            "severity": "error",          effective severity: error | warning | info
            "helpUri": "https://…/docs/rules.md#win110"
          },
          "message": "container 'web' sets …",
          "task": "web",                  task definition (family or resource), or null
          "location": LOCATION,
          "related": [LOCATION, …],       other places that explain the finding
          "fix": "remove …",              the rule's fix hint, or null
          "autofix": {                    the edits --fix would make, or null
            "title": "Remove memoryReservation",
            "applicability": "safe",      safe (--fix) | unsafe (--unsafe-fixes)
            "edits": [                    applied together, none overlapping
              {"line": 9, "column": 1, "endLine": 10, "endColumn": 1,
               "pointer": "/containerDefinitions/0/memoryReservation",
               "replacement": ""}         the text that replaces the region
            ]
          }
        }
      ],
      "errors": [                         files that could not be linted (exit status 2)
        {"file": "…", "message": "…", "line": 3, "column": 7}    line, column: int or null
      ],
      "tasks": [                          the platform decision for each task
        {
          "file": "…", "task": "web",
          "source": "register",           register | describe | cloudformation | terraform |
                                          terraform-plan | container-list
          "os": "windows",                windows | linux | unknown
          "osFamily": "WINDOWS_SERVER_2022_CORE",     or null
          "osSignal": "…",                which input decided the os, in words
          "launchTypes": ["EC2"],
          "launchSignal": "…",            which input decided the launch types
          "windows": {                    null for a Linux task
            "host": {"release": "2022", "build": 20348, "signal": "…"},   release, build: or null
            "images": [{"container": "web", "image": "…", "release": "2022",
                        "build": 20348, "signal": "…",
                        "digest": "sha256:…"}]    only with --resolve-images: what the
          }                                       registry said the reference names
        }
      ],
      "notices": ["image …: not resolved: …"],    only when there are some: what the run
                                                  could not learn (a registry's answer)
      "clusters": [                       only with ecslint aws --cluster: the real hosts
        {"cluster": "prod", "arn": "…", "instances": 3, "instancesRead": true,
         "byOsFamily": {"WINDOWS_SERVER_2022_CORE": 2, "LINUX": 1},
         "byAmi": {"Windows_Server-2022-English-Core-ECS_Optimized-…": 2, …},
         "byAgentVersion": {"1.94.0": 3},
         "services": [{"service": "web", "taskDefinition": "arn:…", "desiredCount": 3,
                       "landsOn": ["0a1…", …]}]}       null: Fargate runs it, or the
                                                  instances could not be read
      ],
      "summary": {
        "files": 5,                       files examined
        "filesWithFindings": 2,
        "findings": 3,
        "bySeverity": {"error": 2, "warning": 1, "info": 0},
        "filesNotLinted": 1,              distinct files among "errors"
        "filesWithoutTaskDefinition": 4,  files examined that hold no task definition
        "filesSkipped": 2,                files a directory walk left alone (over the size limit)
        "byRule": {"WIN110": 2, "ECS403": 1},     findings per rule id, ids sorted
        "hiddenByBaseline": 0,            findings --baseline left out
        "hiddenBySuppressions": 4         findings ignore comments and ``ignores`` left out
      }
    }

A LOCATION is ``{"file", "line", "column", "endLine", "endColumn", "pointer"}``: the file
as given on the command line, a 1-based region in characters (Unicode code points) whose
end is exclusive (``endLine`` and ``endColumn`` may be null), and the RFC 6901 JSON pointer
of the node in the document as written (a CloudFormation finding points into
``/Resources/<id>/Properties/...`` with the template's own PascalCase keys; ``""`` is the
whole document).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecslint import __version__
from ecslint.report.formatters._common import Items, help_uri, stream_json
from ecslint.report.model import (
    BuildDecision,
    InputProblem,
    Location,
    Report,
    ReportedFinding,
    TaskSummary,
)
from ecslint.rule import Severity

FORMAT_VERSION = 1


def render(report: Report) -> Iterator[str]:
    """Render ``report`` as the version 1 JSON document described above, in pieces."""
    severities = {severity.value: report.by_severity[severity] for severity in Severity}
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "ecslint", "version": __version__},
        "findings": Items(_finding(finding) for finding in report.findings),
        "errors": Items(_error(error) for error in report.errors),
        "tasks": Items(_task(task) for task in report.tasks),
        **({"notices": report.notices} if report.notices else {}),
        **({"clusters": report.clusters} if report.clusters else {}),
        "summary": {
            "files": report.files,
            "filesWithFindings": len(report.finding_files),
            "findings": len(report.findings),
            "bySeverity": severities,
            "filesNotLinted": len(report.error_files),
            "filesWithoutTaskDefinition": report.taskless,
            "filesSkipped": len(report.skipped),
            "byRule": dict(sorted(report.by_rule.items())),
            "hiddenByBaseline": report.hidden_by_baseline,
            "hiddenBySuppressions": report.hidden_by_suppressions,
        },
    }
    return stream_json(document)


def _location(location: Location) -> dict[str, Any]:
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "endLine": location.end_line,
        "endColumn": location.end_column,
        "pointer": location.pointer,
    }


def _finding(finding: ReportedFinding) -> dict[str, Any]:
    rule = finding.rule
    return {
        "rule": {
            "id": rule.id,
            "name": rule.name,
            "severity": finding.severity.value,
            "helpUri": help_uri(rule),
        },
        "message": finding.message,
        "task": finding.task,
        "location": _location(finding.location),
        "related": [_location(location) for location in finding.related],
        "fix": rule.fix_title or None,
        "autofix": None if finding.fix is None else {
            "title": finding.fix.title,
            "applicability": finding.fix.applicability,
            "edits": [{"line": edit.line, "column": edit.column, "endLine": edit.end_line,
                       "endColumn": edit.end_column, "pointer": edit.pointer,
                       "replacement": edit.text} for edit in finding.fix.edits],
        },
    }


def _error(error: InputProblem) -> dict[str, Any]:
    return {
        "file": error.file, "message": error.message, "line": error.line, "column": error.column
    }


def _task(task: TaskSummary) -> dict[str, Any]:
    return {
        "file": task.file,
        "task": task.task,
        "source": task.shape,
        "os": task.os,
        "osFamily": task.os_family,
        "osSignal": task.os_signal,
        "launchTypes": list(task.launch_types),
        "launchSignal": task.launch_signal,
        "windows": None if task.host_build is None else {
            "host": _build(task.host_build),
            "images": [
                {"container": b.container, "image": b.image, **_build(b)}
                for b in task.image_builds
            ],
        },
    }


def _build(decision: BuildDecision) -> dict[str, Any]:
    built = {"release": decision.release, "build": decision.build, "signal": decision.signal}
    return built if decision.digest is None else {**built, "digest": decision.digest}
