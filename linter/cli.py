"""The ``ecslint`` command: ``check``, ``rules``, ``rule`` and ``--version``.

Exit status: 0 when nothing is at or above the fail level, 1 when something
is, 2 for usage, configuration or input errors (unreadable or unparsable
files, internal errors). Heavy modules (the engine, jsonschema, formatters)
are imported inside the commands, so ``--help`` and ``--version`` stay instant.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ecslint import __version__

FORMATS = ("text", "json", "sarif", "github")
SEVERITIES = ("error", "warning", "info", "never")
EXIT_USAGE = 2


def _selectors(values: Sequence[str]) -> list[str] | None:
    """Flatten repeated, comma-separated selector options; None when not given."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fail(message: str) -> None:
    click.echo(f"ecslint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="ecslint")
def main() -> None:
    """A Windows-aware linter for Amazon ECS task definitions and CloudFormation templates."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the report to FILE instead of standard output.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: .ecslint.yaml or pyproject.toml, found upwards).")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, metavar="SELECTORS",
              help="Rules to run instead of the defaults: ids, names, families (WIN, WIN1) or ALL.")
@click.option("--extend-select", multiple=True, metavar="SELECTORS",
              help="Rules to run in addition (opt-in rules need their id or name).")
@click.option("--ignore", multiple=True, metavar="SELECTORS", help="Rules not to run.")
@click.option("--fail-on", type=click.Choice(SEVERITIES),
              help="Lowest severity that makes the exit status 1 [default: warning].")
@click.option("--windows-host", metavar="VERSION",
              help="Windows version of the EC2 hosts: 2019, 2022, 2025, an "
                   "operatingSystemFamily value, or an ECS-optimized AMI name.")
@click.option("--platform", type=click.Choice(("auto", "windows", "linux")),
              help="OS to assume for a task that gives no signal [default: auto].")
@click.option("--stdin-filename", metavar="NAME", help="Name to show for standard input (-).")
@click.option("--statistics", is_flag=True, help="Count findings per rule (text format).")
@click.option("--show-fix", is_flag=True, help="Print each rule's fix under its finding (text).")
@click.option("--verbose", "-v", is_flag=True,
              help="Show each task's detected platform and why (text format).")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary (text).")
@click.option("--no-color", is_flag=True, help="Never colour the text output.")
def check(
    paths: tuple[str, ...], output_format: str, output: Path | None, config_file: Path | None,
    isolated: bool, select: tuple[str, ...], extend_select: tuple[str, ...],
    ignore: tuple[str, ...], fail_on: str | None, windows_host: str | None,
    platform: str | None, stdin_filename: str | None, statistics: bool, show_fix: bool,
    verbose: bool, quiet: bool, no_color: bool,
) -> None:
    """Lint task definitions in PATHS (files, directories, or - for stdin; default: .).

    Reads register-task-definition input and describe-task-definition output
    (JSON or YAML), CloudFormation and CDK templates, and Terraform lists of
    container definitions.
    """
    from ecslint.config import load_config
    from ecslint.config_files import ConfigError
    from ecslint.engine import LintOptions, exit_code, lint_paths
    from ecslint.formatters import get
    from ecslint.registry import RegistryError, all_rules
    from ecslint.selection import SelectionError

    try:
        rules = all_rules()
        config = load_config(config_file=config_file, isolated=isolated, rules=rules).merged(
            select=_selectors(select), extend_select=_selectors(extend_select),
            ignore=_selectors(ignore), fail_on=fail_on, windows_version=windows_host,
            platform=platform,
        )
        selection = config.selection(rules)
        options = LintOptions(
            rules=rules, selection=selection, host=config.host_knowledge(),
            assumed_os=config.assumed_os, default_launch_type=config.launch_type,
            ignores=config.config_ignores(), base_dir=str(config.root),
            excludes=config.exclude,
        )
    except ConfigError as exc:
        _fail(str(exc))
    except (RegistryError, SelectionError, ValueError) as exc:
        _fail(str(exc))

    report = lint_paths(paths or (".",), options, stdin_filename)
    render = get(output_format)
    if output_format == "text":
        stream_is_tty = output is None and sys.stdout.isatty()
        text = render(report, color=stream_is_tty and not no_color, show_fix=show_fix,
                      verbose=verbose, statistics=statistics, quiet=quiet)
    else:
        text = render(report)
    # Lone surrogates (from "\ud800" in JSON, or undecodable file names) cannot be
    # encoded; write them as backslash escapes rather than crash.
    data = text.encode("utf-8", "backslashreplace")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            output.write_bytes(data)
        except OSError as exc:
            _fail(f"cannot write {output}: {exc.strerror or exc}")
    sys.exit(exit_code(report, config.fail_on))


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
        _fail(f"no rule {key!r}; `ecslint rules` lists them")
        return
    click.echo(docs.as_json([found]) if output_format == "json" else docs.explain(found), nl=False)
