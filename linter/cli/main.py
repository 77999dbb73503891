"""The ``ecslint`` command: ``check``, ``aws``, ``rules``, ``rule``, ``server`` and ``--version``.

Exit status: 0 when nothing is at or above the fail level, 1 when something
is, 2 for usage, configuration or input errors (unreadable or unparsable
files, internal errors). Heavy modules (the engine, jsonschema, formatters)
are imported inside the commands, so ``--help`` and ``--version`` stay instant.
"""

from __future__ import annotations

import atexit
import gc
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ecslint import __version__
from ecslint.cli.aws import aws_command
from ecslint.cli.options import (
    CommonOptions,
    OptionsError,
    SectionedCommand,
    baseline_options,
    check_baseline_options,
    configuration_options,
    discard_stdout,
    echo,
    fail,
    jobs_option,
    load_baseline,
    output_options,
    pass_common,
    run,
    selection_options,
    with_unused,
)
from ecslint.cli.server import server_command
from ecslint.cli.stopping import stoppable

if TYPE_CHECKING:
    from ecslint.config.lint_options import LintOptions
    from ecslint.engine import ProgressCallback
    from ecslint.report.model import Report
    from ecslint.rule import Rule
    from ecslint.suppress.baseline import Baseline

# Options only `check` has, and where its help lists them.
_CHECK_SECTIONS = {"stdin_filename": "Input and speed", "sniff": "Input and speed",
                   "fix": "Fixes", "unsafe_fixes": "Fixes", "diff": "Fixes"}


class _Ecslint(click.Group):
    """The command group; a command that is stopped (Ctrl-C, SIGTERM) exits with
    128 + the signal's number, not click's "Aborted!" and status 1 (findings)."""

    def invoke(self, ctx: click.Context) -> object:
        with stoppable():
            return super().invoke(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Help, usage errors and the version are written by click; on a full disk
        or a closed stream that is an error message too, not a traceback."""
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            discard_stdout()
            fail(f"cannot write: {(exc.strerror or str(exc)).lower()}")


@click.group(cls=_Ecslint,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="ecslint")
def main() -> None:
    """A Windows-aware linter for Amazon ECS task definitions and CloudFormation templates."""
    # The process ends after this one command, and ending frees its memory at once:
    # the collector's passes over every object at shutdown (5% of a one-file run)
    # would find nothing worth freeing, so whatever is alive then is frozen out of
    # their reach. (Unregistered first: tests invoke the group many times.)
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


@main.command(cls=SectionedCommand, sections=_CHECK_SECTIONS)
@click.argument("paths", nargs=-1, type=click.Path(readable=False, path_type=str))
@selection_options
@configuration_options
@baseline_options
@output_options
@click.option("--stdin-filename", metavar="NAME", help="Name to show for standard input (-).")
@jobs_option
@click.option("--sniff", is_flag=True,
              help="Treat named files as a directory scan does: lint those that mention "
                   "a task definition, pass over the others silently (for pre-commit).")
@click.option("--fix", is_flag=True,
              help="Apply the safe fixes in place (standard input's fixed text goes to "
                   "standard output, the report to standard error).")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff, apply the unsafe fixes too.")
@click.option("--diff", is_flag=True,
              help="Print a unified diff of what --fix would change and write nothing "
                   "(the report goes to standard error).")
@pass_common
def check(
    paths: tuple[str, ...], baseline_file: Path | None, write_baseline: Path | None,
    report_unused: bool, stdin_filename: str | None, jobs: int, sniff: bool,
    fix: bool, unsafe_fixes: bool, diff: bool, common: CommonOptions,
) -> None:
    """Lint task definitions in PATHS (files, directories, or - for stdin; default: .).

    Reads register-task-definition input and describe-task-definition output
    (JSON or YAML), CloudFormation and CDK templates, and Terraform lists of
    container definitions. With many files on a terminal, a progress line
    shows on standard error.
    """
    check_baseline_options(baseline_file, write_baseline)
    if unsafe_fixes and not (fix or diff):
        fail("--unsafe-fixes applies with --fix or --diff")
    if (fix or diff) and write_baseline is not None:
        fail("--write-baseline records findings; it cannot be used with --fix or --diff")
    common = with_unused(common, report_unused)
    if diff or (fix and "-" in paths):
        common = replace(common, to_stderr=True)
    try:
        groups = common.build_for(paths or (".",), stdin_filename)
    except OptionsError as exc:
        fail(*exc.lines)
    baseline = load_baseline(baseline_file)
    members = {id(options): paths for _, options, paths in groups}

    def lint(options: LintOptions, baseline: Baseline | None,
             progress: ProgressCallback | None) -> Report:
        if fix or diff:
            from ecslint.cli.fixing import fix_paths

            return fix_paths(members[id(options)], options, stdin_filename,
                             unsafe=unsafe_fixes, diff=diff, sniff=sniff, jobs=jobs,
                             baseline=baseline, progress=progress)
        from ecslint.engine import lint_paths

        return lint_paths(members[id(options)], options, stdin_filename, jobs=jobs,
                          baseline=baseline, progress=progress, sniff=sniff)

    run(common, [(config, options) for config, options, _ in groups], lint,
        baseline=baseline, write_baseline=write_baseline, jobs=jobs)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(("table", "markdown", "json")),
              default="table", show_default=True)
@click.option("--update", type=click.Path(dir_okay=False, readable=False, path_type=Path),
              help="Rewrite the generated part of this Markdown file (docs/rules.md).")
def rules_command(output_format: str, update: Path | None) -> None:
    """List every rule with its id, name, default severity and summary."""
    from ecslint.cli import docs
    from ecslint.registry import all_rules

    rules = all_rules()
    if update is not None:
        _update(update, rules)
        return
    render = {"table": docs.as_table, "markdown": docs.as_markdown, "json": docs.as_json}
    echo(render[output_format](rules))


def _update(path: Path, rules: tuple[Rule, ...]) -> None:
    """Rewrite the generated part of ``path``, replacing the file whole (atomically)."""
    from ecslint.atomic import replacing
    from ecslint.cli import docs
    from ecslint.load.document import InputError
    from ecslint.load.sources import NoSuchFile, Source, read_bytes
    from ecslint.report.formatters._common import write_pieces

    try:
        current = read_bytes(Source(str(path), str(path), True)).decode("utf-8")
    except NoSuchFile:
        current = ""
    except InputError as exc:
        fail(f"cannot read {path}: {exc.message}")
    except UnicodeDecodeError as exc:
        fail(f"cannot update {path}: it is not UTF-8 text "
             f"(byte 0x{exc.object[exc.start]:02x} at offset {exc.start})")
    try:
        with replacing(path) as stream:
            write_pieces([docs.rules_md(current, rules)], stream)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")


@main.command("rule")
@click.argument("key")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text")
def rule_command(key: str, output_format: str) -> None:
    """Explain one rule, by id (WIN110) or name (windows-memory-reservation)."""
    from ecslint.cli import docs
    from ecslint.registry import find_rule

    found = find_rule(key)
    if found is None:
        fail(f"no rule {key!r}; `ecslint rules` lists them")
    echo(docs.as_json([found]) if output_format == "json" else docs.explain(found))


main.add_command(aws_command, "aws")
main.add_command(server_command, "server")
