"""The options every linting command shares, and what they turn into.

``ecslint check`` and ``ecslint aws`` lint different sources with the same
selection, configuration and output options. ``selection_options``,
``configuration_options``, ``output_options`` and ``pass_common`` declare them
once and hand the command one ``CommonOptions`` value, whose methods build the
configuration and ``LintOptions``, render the report and write it: both commands
apply configuration, selection, ``--fail-on`` and the output rules in exactly the
same way, and ``SectionedCommand`` lists their help under the same headings.
``baseline_options`` and ``jobs_option`` are the options of how a run treats its
findings and how many processes it uses, and ``run`` lints, applies the baseline,
tunes the garbage collector and works out the exit status for both. Only click is
imported here; the engine, configuration and formatters load when a command runs,
which keeps ``--help`` instant."""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ecslint.report.formatters import FORMATTERS

if TYPE_CHECKING:
    from ecslint.config.lint_options import LintOptions
    from ecslint.config.settings import Config
    from ecslint.engine import ProgressCallback
    from ecslint.report.model import Report
    from ecslint.suppress.baseline import Baseline

# ``auto`` and every registered output format (its module loads only when chosen).
FORMATS = ("auto", *FORMATTERS)
SEVERITIES = ("error", "warning", "info", "never")
EXIT_USAGE = 2
# Allocations between two young collections of the cyclic garbage collector while
# files are linted (Python's default: 700); see ``fewer_collections``.
GC_THRESHOLD = 10_000
SECTIONS = {
    "baseline_file": "Baseline and suppressions", "write_baseline": "Baseline and suppressions",
    "report_unused": "Baseline and suppressions", "jobs": "Input and speed",
    "select": "Rule selection", "extend_select": "Rule selection", "ignore": "Rule selection",
    "fail_on": "Rule selection",
    "config_file": "Configuration", "isolated": "Configuration",
    "windows_host": "Configuration", "platform": "Configuration",
    "resolve_images": "Configuration", "offline": "Configuration",
    "output_format": "Output", "output": "Output", "statistics": "Output", "show_fix": "Output",
    "verbose": "Output", "quiet": "Output", "no_color": "Output",
}


class OptionsError(Exception):
    """The options or the configuration they lead to cannot be used (exit 2); one
    line per problem."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def error(message: str, *more: str) -> None:
    """Print ``ecslint: error: message`` on standard error, then each of ``more``
    (further problems) on a line of its own.

    A line can quote file names, values and an endpoint's answer: each is printed
    as one line with visible escapes, and never as a workflow command."""
    from ecslint.report.formatters._common import inert, visible

    lines = [f"ecslint: error: {visible(message)}", *map(visible, more)]
    try:
        click.echo("\n".join(map(inert, lines)), err=True)
    except OSError:  # standard error closed or full: the exit status still tells
        pass


def fail(message: str, *more: str) -> NoReturn:
    """``error(message, *more)``, then exit with status 2."""
    error(message, *more)
    sys.exit(EXIT_USAGE)


def resolve_format(name: str) -> str:
    """The format ``name`` stands for: ``auto`` is ``github`` inside GitHub Actions
    (``GITHUB_ACTIONS=true``), where workflow commands become annotations, else ``text``."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def selectors(values: Sequence[str]) -> list[str] | None:
    """Flatten repeated, comma-separated selector options; None when not given."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class CommonOptions:
    """The output and selection options of one run, as given on the command line."""

    output_format: str = "auto"
    output: Path | None = None
    config_file: Path | None = None
    isolated: bool = False
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    windows_host: str | None = None
    platform: str | None = None
    resolve_images: bool | None = None
    offline: bool = False
    statistics: bool = False
    show_fix: bool = False
    verbose: bool = False
    quiet: bool = False
    no_color: bool = False
    # The report goes to standard error: standard output carries the fixed text of
    # standard input (``check --fix -``) or the diff (``--diff``). Not an option.
    to_stderr: bool = field(default=False, metadata={"option": False})

    def build(self, base_dir: str | None = None, files: int | None = None
              ) -> tuple[Config, LintOptions]:
        """The configuration with these options applied, and the engine's options.

        Without ``--config`` or ``--isolated`` the configuration is found from the
        working directory upwards. ``base_dir`` is what per-file ignores match file
        names against (default: the configuration file's directory). With
        ``--verbose``, standard error says which configuration file applies (to
        ``files`` of the paths given, when counted). Raises ``OptionsError``.
        """
        from ecslint.config.files import ConfigError
        from ecslint.config.lint_options import LintOptions
        from ecslint.config.selection import SelectionError
        from ecslint.config.settings import load_config
        from ecslint.registry import RegistryError, all_rules

        try:
            rules = all_rules()
            config = load_config(
                config_file=self.config_file, isolated=self.isolated, rules=rules,
            ).merged(
                select=selectors(self.select), extend_select=selectors(self.extend_select),
                ignore=selectors(self.ignore), fail_on=self.fail_on,
                windows_version=self.windows_host, platform=self.platform,
                resolve_images=self.resolve_images, offline=self.offline or None,
            )
            options = LintOptions.from_config(config, rules, base_dir=base_dir)
        except ConfigError as exc:
            raise OptionsError(*exc.problems) from None
        except (RegistryError, SelectionError, ValueError) as exc:
            raise OptionsError(str(exc)) from None
        if self.verbose and (files is not None or not self.isolated):  # --isolated: none
            self._say_config(config.source, files)
        return config, options

    def _say_config(self, source: Path | None, files: int | None) -> None:
        from ecslint.report.formatters._common import visible

        if source is not None:
            where = visible(str(source)) + (" (--config)" if self.config_file == source
                                            and files is None else "")
        else:
            where = "none found, defaults apply"
        counted = "" if files is None else f" for {files} path{'s' if files != 1 else ''}"
        click.echo(f"ecslint: configuration{counted}: {where}", err=True)

    def build_for(self, paths: Sequence[str], stdin_name: str | None = None
                  ) -> list[tuple[Config, LintOptions, list[str]]]:
        """``(configuration, options, paths)`` for each configuration file ``paths`` use.

        As ruff does, a path's configuration is the closest one found from the path
        upwards (a file: from its directory; ``-``: from the directory of
        ``stdin_name``, else the working directory), so the result does not depend
        on where ecslint runs; a path with none above it gets the defaults.
        ``--config`` and ``--isolated`` apply to every path. Groups keep the order
        of their first path. Raises ``OptionsError``.
        """
        from ecslint.config.files import find_config

        if self.config_file is not None or self.isolated:
            return [(*self.build(), list(paths))]
        by_file: dict[Path | None, list[str]] = {}
        found_from: dict[Path, Path | None] = {}  # pre-commit names many files per folder
        for path in paths:
            start = _start(path, stdin_name)
            if start not in found_from:
                found_from[start] = find_config(start)
            by_file.setdefault(found_from[start], []).append(path)
        return [(*replace(self, config_file=found, isolated=found is None).build(
                    files=len(members)), members)
                for found, members in by_file.items()]

    def render(self, report: Report) -> Iterator[str]:
        """``report`` in the chosen format, in pieces; text is coloured only on a terminal,
        and never with ``--no-color`` or a non-empty ``NO_COLOR`` (no-color.org)."""
        output_format = resolve_format(self.output_format)
        render = FORMATTERS[output_format]
        if output_format != "text":
            return render(report)
        on_tty = self.output is None and sys.stdout is not None and sys.stdout.isatty()
        color = on_tty and not self.no_color and not os.environ.get("NO_COLOR")
        return render(report, color=color, show_fix=self.show_fix,
                      verbose=self.verbose, statistics=self.statistics, quiet=self.quiet)

    def write(self, pieces: Iterable[str]) -> None:
        """Write ``pieces`` to ``--output`` or standard output as they come. Raises
        ``OptionsError``."""
        from ecslint.report.formatters._common import write_pieces

        if self.output is None and self.to_stderr:
            to_stderr(pieces)
            return
        if self.output is None:
            to_stdout(pieces)
            return
        from ecslint.atomic import replacing

        try:
            with replacing(self.output) as stream:
                write_pieces(pieces, stream)
        except OSError as exc:
            raise OptionsError(f"cannot write {self.output}: {exc.strerror or exc}") from None

    def finish(self, report: Report, config: Config, status: int | None = None) -> NoReturn:
        """Render and write ``report``, then exit with ``status`` (default: the report's
        under the configuration's fail-on: 0, 1 or 2)."""
        try:
            self.write(self.render(report))
        except OptionsError as exc:
            fail(*exc.lines)
        sys.exit(exit_code(report, config.fail_on) if status is None else status)


def to_stdout(pieces: Iterable[str]) -> None:
    """Write ``pieces`` to standard output as they come. A reader that goes away
    (``| head``) just ends the output, as with cat and grep: the exit status still
    tells the result. Output that cannot be written (standard output closed, a full
    disk) raises ``OptionsError``: a report that was lost is not a clean run."""
    from ecslint.report.formatters._common import write_pieces

    if sys.stdout is None:  # started with it closed
        if any(pieces):
            raise OptionsError("cannot write to standard output: it is closed")
        return
    try:
        sys.stdout.flush()
        write_pieces(pieces, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except OSError as exc:
        discard_stdout()
        if not isinstance(exc, BrokenPipeError):
            raise OptionsError(f"cannot write to standard output: "
                               f"{(exc.strerror or str(exc)).lower()}") from None


def to_stderr(pieces: Iterable[str]) -> None:
    """Write ``pieces`` to standard error (a closed one loses them; the status tells)."""
    from ecslint.report.formatters._common import write_pieces

    if sys.stderr is None:
        return
    try:
        sys.stderr.flush()
        write_pieces(pieces, sys.stderr.buffer)
        sys.stderr.buffer.flush()
    except OSError:
        pass


def discard_stdout() -> None:
    """Point standard output at the null device: what could not be written must not
    fail again when the interpreter flushes it at exit."""
    if sys.stdout is not None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def echo(text: str) -> None:
    """``to_stdout([text])``, exiting with status 2 when it cannot be written."""
    try:
        to_stdout([text])
    except OptionsError as exc:
        fail(*exc.lines)


def _start(path: str, stdin_name: str | None) -> Path:
    """The directory a path's configuration is looked for from."""
    if path == "-":
        path = stdin_name or "-"
    start = Path(os.path.abspath(path))  # without "..", whose parents would be wrong
    return start if os.path.isdir(start) else start.parent


Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _group(*options: Decorator) -> Decorator:
    def apply(function: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            function = option(function)
        return function

    return apply


selection_options = _group(
    click.option("--select", multiple=True, metavar="SELECTORS",
                 help="Rules to run instead of the defaults: ids, names, families (WIN, WIN1) "
                      "or ALL."),
    click.option("--extend-select", multiple=True, metavar="SELECTORS",
                 help="Rules to run in addition (opt-in rules need their id or name)."),
    click.option("--ignore", multiple=True, metavar="SELECTORS", help="Rules not to run."),
    click.option("--fail-on", type=click.Choice(SEVERITIES),
                 help="Lowest severity that makes the exit status 1 [default: warning]."),
)
configuration_options = _group(
    click.option("--config", "config_file",
                 type=click.Path(dir_okay=False, readable=False, path_type=Path),
                 help="Configuration file (default: .ecslint.yaml or pyproject.toml, "
                      "found upwards)."),
    click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
    click.option("--windows-host", metavar="VERSION",
                 help="Windows version of the EC2 hosts: 2019, 2022, 2025, an "
                      "operatingSystemFamily value, or an ECS-optimized AMI name."),
    click.option("--platform", type=click.Choice(("auto", "windows", "linux")),
                 help="OS to assume for a task that gives no signal [default: auto]."),
    click.option("--resolve-images/--no-resolve-images", default=None,
                 help="Ask the images' registries for their Windows builds (cached) "
                      "[default: off, or resolve-images in the configuration]."),
    click.option("--offline", is_flag=True,
                 help="With --resolve-images, use what the cache holds and ask no registry."),
)
output_options = _group(
    click.option("--format", "output_format", type=click.Choice(FORMATS), default="auto",
                 show_default=True,
                 help="Output format; auto is github inside GitHub Actions, else text."),
    click.option("--output", "-o",
                 type=click.Path(dir_okay=False, writable=True, path_type=Path),
                 help="Write the report to FILE instead of standard output."),
    click.option("--statistics", is_flag=True,
                 help="Print the number of findings per rule instead of the findings (text)."),
    click.option("--show-fix", is_flag=True,
                 help="Print each rule's fix under its finding (text)."),
    click.option("--verbose", "-v", is_flag=True,
                 help="Show each task's detected platform and why (text format)."),
    click.option("--quiet", "-q", is_flag=True,
                 help="Print findings only: no summary (text), no progress line."),
    click.option("--no-color", is_flag=True,
                 help="Never colour the text output (nor when NO_COLOR is set)."),
)
_FIELDS = tuple(f.name for f in fields(CommonOptions) if f.metadata.get("option", True))


def pass_common(command: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the shared options to ``command`` as one keyword argument, ``common``
    (a ``CommonOptions``). Put it below the option decorators, next to the function."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        common = CommonOptions(**{name: kwargs.pop(name) for name in _FIELDS})
        return command(*args, common=common, **kwargs)

    return wrapper


class SectionedCommand(click.Command):
    """A command whose help lists its options under headings.

    ``sections`` maps parameter names to headings; it extends ``SECTIONS`` (the
    headings of the shared options). Sections appear in the order of their first
    option; options without a heading go under "Other options".
    """

    def __init__(self, *args: Any, sections: Mapping[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = {**SECTIONS, **(sections or {})}

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        groups: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
            if record is not None:
                title = self.sections.get(param.name or "", "Other options")
                groups.setdefault(title, []).append(record)
        # One width for every section, so that the help columns line up.
        width = min(max(len(term) for rows in groups.values() for term, _ in rows), 30)
        for title, rows in groups.items():
            with formatter.section(title):
                formatter.write_dl([(term.ljust(width), text) for term, text in rows])


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


baseline_options = _group(
    click.option("--baseline", "baseline_file", metavar="FILE",
                 type=click.Path(dir_okay=False, readable=False, path_type=Path),
                 help="Report only findings that FILE does not record."),
    click.option("--write-baseline", metavar="FILE",
                 type=click.Path(dir_okay=False, readable=False, path_type=Path),
                 help="Record the findings in FILE instead of reporting them, and exit 0."),
    click.option("--report-unused-suppressions", "report_unused", is_flag=True,
                 help="Also report ignore comments, configuration ignores and baseline "
                      "entries that matched nothing (rule E004)."),
)
jobs_option = click.option("--jobs", "-j", default="1", metavar="N", callback=_jobs,
                           help="Lint in N processes; 0 or auto is one per CPU [default: 1].")

# Lints one group of sources under its options, given the baseline and a progress callback.
Lint = Callable[["LintOptions", "Baseline | None", "ProgressCallback | None"], "Report"]


def with_unused(common: CommonOptions, report_unused: bool) -> CommonOptions:
    """``common``, selecting E004 too with ``--report-unused-suppressions``."""
    from ecslint.builtin_ids import UNUSED_SUPPRESSION

    if not report_unused:
        return common
    return replace(common, extend_select=common.extend_select + (UNUSED_SUPPRESSION,))


def check_baseline_options(baseline_file: Path | None, write_baseline: Path | None) -> None:
    """Exit with status 2 when both ``--baseline`` and ``--write-baseline`` are given."""
    if baseline_file is not None and write_baseline is not None:
        fail("--baseline and --write-baseline cannot be used together")


def load_baseline(baseline_file: Path | None) -> Baseline | None:
    """The ``--baseline`` file, loaded; exits with status 2 when it cannot be."""
    if baseline_file is None:
        return None
    from ecslint.suppress.baseline import Baseline, BaselineError

    try:
        return Baseline.load(baseline_file)
    except BaselineError as exc:
        fail(str(exc))


def run(common: CommonOptions, groups: Sequence[tuple[Config, LintOptions]], lint: Lint, *,
        baseline: Baseline | None, write_baseline: Path | None, jobs: int) -> NoReturn:
    """Lint each group with its options (each under its own configuration, fail-on
    included), with a progress line on a terminal unless ``--quiet``; then write the
    baseline or the report, and exit."""
    from ecslint.cli.progress import Progress

    worker_errors: tuple[type[Exception], ...] = ()
    if jobs > 1:  # multiprocessing costs 10 ms to import: only when it is used
        from ecslint.parallel import WorkerError

        worker_errors = (WorkerError,)
    report, status = None, 0
    for config, options in groups:
        progress = None if common.quiet else Progress.on_terminal(sys.stderr)
        try:
            try:
                with fewer_collections():
                    part = lint(options, baseline, progress)
            finally:
                if progress is not None:
                    progress.close()
        except worker_errors as exc:
            fail(str(exc))
        status = max(status, exit_code(part, config.fail_on))
        report = part if report is None else report.extend(part)
    assert report is not None
    if write_baseline is not None:
        _write_baseline(write_baseline, report, common.quiet)
    common.finish(report, groups[0][0], status)


def _write_baseline(path: Path, report: Report, quiet: bool) -> NoReturn:
    """Record the findings of ``report`` in ``path`` and exit: 0, or 2 when some files
    could not be linted (their findings are missing from the baseline; they are listed)."""
    from ecslint.builtin_ids import PARSE_ERROR
    from ecslint.report.formatters import get
    from ecslint.report.model import Report
    from ecslint.suppress.baseline import BaselineError, write

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


def exit_code(report: Report, fail_on: str) -> int:
    """0 clean, 1 findings at or above ``fail_on``, 2 input or internal errors."""
    from ecslint.builtin_ids import PARSE_ERROR
    from ecslint.rule import Severity

    if report.errors or report.by_rule[PARSE_ERROR]:
        return 2
    if fail_on == "never":
        return 0
    threshold = Severity(fail_on).rank
    return 1 if any(severity.rank >= threshold for severity in report.by_severity) else 0


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often (``GC_THRESHOLD``) inside the block.

    Linting allocates many short-lived containers (parse data, spans, findings)
    that reference counting frees, as they form no cycles, while the findings kept
    for the report pile up: with the default threshold the collector rescanned that
    pile again and again, collected next to nothing and took a fifth of the time of
    a 10,000-file run. Worker processes started inside the block take the same
    thresholds (``ecslint.parallel``); the findings are the same.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
