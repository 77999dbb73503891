"""The ``ecslint`` command: ``check``, ``aws``, ``rules``, ``rule`` and ``--version``.

Exit status: 0 when nothing is at or above the fail level, 1 when something
is, 2 for usage, configuration or input errors (unreadable or unparsable
files, internal errors). Heavy modules (the engine, jsonschema, formatters)
are imported inside the commands, so ``--help`` and ``--version`` stay instant.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ecslint import __version__
from ecslint.aws import aws_command
from ecslint.options import (
    EXIT_USAGE,
    CommonOptions,
    OptionsError,
    SectionedCommand,
    configuration_options,
    fail,
    output_options,
    pass_common,
    selection_options,
)

if TYPE_CHECKING:
    from ecslint.baseline import Baseline
    from ecslint.engine import LintOptions
    from ecslint.report import Report

# Options only `check` has, and where its help lists them.
_CHECK_SECTIONS = {
    "baseline_file": "Baseline and suppressions", "write_baseline": "Baseline and suppressions",
    "report_unused": "Baseline and suppressions",
    "stdin_filename": "Input and speed", "jobs": "Input and speed", "sniff": "Input and speed",
}


def _jobs(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    """``--jobs``: a number of processes; 0 or ``auto`` is one per CPU."""
    text = value.strip().lower()
    if text != "auto":
        try:
            number = int(text)
        except ValueError:
            raise click.BadParameter("expected a number of processes or 'auto'") from None
        if number < 0:
            raise click.BadParameter("expected 0 (one per CPU) or more")
        if number:
            return number
    from ecslint.parallel import cpu_count

    return cpu_count()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="ecslint")
def main() -> None:
    """A Windows-aware linter for Amazon ECS task definitions and CloudFormation templates."""


@main.command(cls=SectionedCommand, sections=_CHECK_SECTIONS)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@selection_options
@configuration_options
@click.option("--baseline", "baseline_file", metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings that FILE does not record.")
@click.option("--write-baseline", metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Record the findings in FILE instead of reporting them, and exit 0.")
@click.option("--report-unused-suppressions", "report_unused", is_flag=True,
              help="Also report ignore comments, configuration ignores and baseline "
                   "entries that matched nothing (rule E004).")
@output_options
@click.option("--stdin-filename", metavar="NAME", help="Name to show for standard input (-).")
@click.option("--jobs", "-j", default="1", metavar="N", callback=_jobs,
              help="Lint in N processes; 0 or auto is one per CPU [default: 1].")
@click.option("--sniff", is_flag=True,
              help="Treat named files as a directory scan does: lint those that mention "
                   "a task definition, pass over the others silently (for pre-commit).")
@pass_common
def check(
    paths: tuple[str, ...], baseline_file: Path | None, write_baseline: Path | None,
    report_unused: bool, stdin_filename: str | None, jobs: int, sniff: bool,
    common: CommonOptions,
) -> None:
    """Lint task definitions in PATHS (files, directories, or - for stdin; default: .).

    Reads register-task-definition input and describe-task-definition output
    (JSON or YAML), CloudFormation and CDK templates, and Terraform lists of
    container definitions. With many files on a terminal, a progress line
    shows on standard error.
    """
    from ecslint.engine import UNUSED_SUPPRESSION

    if baseline_file is not None and write_baseline is not None:
        fail("--baseline and --write-baseline cannot be used together")
    if report_unused:
        common = replace(common, extend_select=common.extend_select + (UNUSED_SUPPRESSION,))
    from ecslint.engine import exit_code

    try:
        groups = common.build_for(paths or (".",), stdin_filename)
    except OptionsError as exc:
        fail(str(exc))
    baseline = _load_baseline(baseline_file) if baseline_file is not None else None

    # Each group of paths is linted under its own configuration, fail-on included.
    report, status = None, 0
    for config, options, members in groups:
        part = _lint(members, options, stdin_filename, jobs, baseline, common.quiet, sniff)
        status = max(status, exit_code(part, config.fail_on))
        report = part if report is None else report.extend(part)
    assert report is not None
    if write_baseline is not None:
        _write_baseline(write_baseline, report, common.quiet)
    common.finish(report, groups[0][0], status)


def _load_baseline(path: Path) -> Baseline:
    from ecslint.baseline import Baseline, BaselineError

    try:
        return Baseline.load(path)
    except BaselineError as exc:
        fail(str(exc))


def _lint(paths: Sequence[str], options: LintOptions, stdin_filename: str | None, jobs: int,
          baseline: Baseline | None, quiet: bool, sniff: bool) -> Report:
    """Run the engine, with a progress line on a terminal unless ``quiet``."""
    from ecslint.engine import lint_paths
    from ecslint.progress import Progress

    worker_errors: tuple[type[Exception], ...] = ()
    if jobs > 1:  # multiprocessing costs 10 ms to import: only when it is used
        from ecslint.parallel import WorkerError

        worker_errors = (WorkerError,)
    progress = None if quiet else Progress.on_terminal(sys.stderr)
    try:
        try:
            return lint_paths(paths, options, stdin_filename, jobs=jobs, baseline=baseline,
                              progress=progress, sniff=sniff)
        finally:
            if progress is not None:
                progress.close()
    except worker_errors as exc:
        fail(str(exc))


def _write_baseline(path: Path, report: Report, quiet: bool) -> NoReturn:
    """Record the findings of ``report`` in ``path`` and exit: 0, or 2 when some files
    could not be linted (their findings are missing from the baseline; they are listed)."""
    from ecslint.baseline import BaselineError, write
    from ecslint.engine import PARSE_ERROR
    from ecslint.formatters import get
    from ecslint.report import Report

    try:
        count = write(path, report.findings)
    except BaselineError as exc:
        fail(str(exc))
    broken = bool(report.by_rule[PARSE_ERROR] or report.errors)
    if broken:
        unlinted = Report(findings=(f for f in report.findings if f.rule.id == PARSE_ERROR),
                          errors=report.errors)
        for piece in get("text")(unlinted, quiet=True):
            click.echo(piece, err=True, nl=False)
    if not quiet:
        noun = "finding" if count == 1 else "findings"
        click.echo(f"ecslint: recorded {count} {noun} in {path}", err=True)
    sys.exit(EXIT_USAGE if broken else 0)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(("table", "markdown", "json")),
              default="table", show_default=True)
@click.option("--update", type=click.Path(dir_okay=False, path_type=Path),
              help="Rewrite the generated part of this Markdown file (docs/rules.md).")
def rules_command(output_format: str, update: Path | None) -> None:
    """List every rule with its id, name, default severity and summary."""
    from ecslint import docs
    from ecslint.registry import all_rules

    rules = all_rules()
    if update is not None:
        current = update.read_text(encoding="utf-8") if update.exists() else ""
        update.write_text(docs.rules_md(current, rules), encoding="utf-8")
        return
    render = {"table": docs.as_table, "markdown": docs.as_markdown, "json": docs.as_json}
    click.echo(render[output_format](rules), nl=False)


@main.command("rule")
@click.argument("key")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text")
def rule_command(key: str, output_format: str) -> None:
    """Explain one rule, by id (WIN110) or name (windows-memory-reservation)."""
    from ecslint import docs
    from ecslint.registry import find_rule

    found = find_rule(key)
    if found is None:
        fail(f"no rule {key!r}; `ecslint rules` lists them")
    click.echo(docs.as_json([found]) if output_format == "json" else docs.explain(found), nl=False)


main.add_command(aws_command, "aws")
