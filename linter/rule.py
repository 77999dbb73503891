"""What a rule is, what it sees and what it returns.

A rule is a plain function decorated with ``@rule(...)``: the decorator turns it
into an immutable ``Rule`` record holding the metadata next to the logic. The
function receives one ``TaskView`` (canonical camelCase data, the containers,
the detected platform and the user's host knowledge) and yields ``Finding``s
at paths. Rules never parse, open files or compute positions: the engine turns
paths into file, line, column and JSON pointer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from ecslint.fix.operations import Applicability as Applicability
from ecslint.fix.operations import Fix as Fix
from ecslint.fix.operations import Remove as Remove
from ecslint.fix.operations import RenameKey as RenameKey
from ecslint.fix.operations import ReplaceText as ReplaceText
from ecslint.fix.operations import SetValue as SetValue
from ecslint.kinds import OS as OS
from ecslint.kinds import Shape as Shape

if TYPE_CHECKING:
    from ecslint.distribution.resolution import Resolution
    from ecslint.hosts import Placement
from ecslint.load.sourcemap import Path as Path

ID_PATTERN = re.compile(r"^(?P<family>[A-Z]+)(?P<number>\d{3})$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# An enum member read through its class (``OS.WINDOWS``) costs 0.1 µs on Python
# 3.11, whose enum metaclass has a ``__getattr__``; what runs for every rule on
# every task reads these names instead (a 10,000-file run makes 1.5 million reads).
_WINDOWS, _LINUX, _CONTAINER_LIST = OS.WINDOWS, OS.LINUX, Shape.CONTAINER_LIST


class Family(NamedTuple):
    """A built-in family of rules: its id prefix, the hundreds digits its numbers
    start with (unique across families, style.md 2.2), its heading in the rule
    docs and its word among the SARIF tags. (A named tuple: a dataclass costs a
    one-file run 0.7 ms to create.)"""

    prefix: str
    hundreds: str
    title: str
    tag: str


FAMILIES = {family.prefix: family for family in (
    Family("E", "0", "Input and schema", "input"),
    Family("WIN", "12", "Windows", "windows"),
    Family("FG", "3", "Fargate", "fargate"),
    Family("ECS", "4", "General ECS", "ecs"),
    Family("SEC", "5", "Security and compliance", "security"),
)}


class Severity(str, Enum):
    """How bad a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True)
class Finding:
    """A problem a rule found, at a canonical path of the task definition.

    ``on_key`` places the finding on the key rather than the value (an unknown
    or forbidden key). ``related`` names other places that explain it (the
    first of two duplicate names, the target of a reference). ``severity``
    lowers or raises one finding below its rule's default where the catalogue
    says so (an ltsc2022 image on a 2025 host is a warning, not an error); a
    severity the user configures for the rule still wins. ``fix`` is what would
    repair it (``ecslint.fix.operations``), when the rule knows.
    """

    path: Path
    message: str
    on_key: bool = False
    related: tuple[Path, ...] = ()
    severity: Severity | None = None
    fix: Fix | None = None

    @classmethod
    def at_key(cls, path: Path, message: str, related: Iterable[Path] = (),
               severity: Severity | None = None, fix: Fix | None = None) -> Finding:
        message, kept = _bounded_related(message, related)
        return cls(tuple(path), message, True, kept, severity, fix)

    @classmethod
    def at_value(cls, path: Path, message: str, related: Iterable[Path] = (),
                 severity: Severity | None = None, fix: Fix | None = None) -> Finding:
        message, kept = _bounded_related(message, related)
        return cls(tuple(path), message, False, kept, severity, fix)


# The first key of a finding's path on the service that runs the task rather than on
# the task definition (``hosts.Service.path``, with ``ecslint aws --cluster``): placed
# in the service's describe JSON (``hosts.Service.described``).
ON_SERVICE = "@service"

# A finding keeps this many related locations, a message lists this many names;
# the rest is counted ("and 7990 more"), so that output grows with the findings,
# never with the findings times the containers (issue 12).
MAX_RELATED = 10
MAX_LISTED = 10


def _bounded_related(message: str, related: Iterable[Path]) -> tuple[str, tuple[Path, ...]]:
    """The message and at most ``MAX_RELATED`` related paths; a note counts the rest."""
    if isinstance(related, Sequence):  # one list shared by many findings: no walk
        kept = [tuple(p) for p in related[:MAX_RELATED]]
        more = max(0, len(related) - MAX_RELATED)
    else:
        kept = []
        more = 0
        for p in related:
            if len(kept) < MAX_RELATED:
                kept.append(tuple(p))
            else:
                more += 1
    if more:
        message = f"{message} (and {more} more related locations)"
    return message, tuple(kept)


def listing(items: Iterable[str], separator: str = ", ", limit: int = MAX_LISTED) -> str:
    """``items`` joined, at most ``limit`` of them, then "and N more"."""
    shown: list[str] = []
    more = 0
    for item in items:
        if len(shown) < limit:
            shown.append(item)
        else:
            more += 1
    return separator.join(shown) + (f" and {more} more" if more else "")


@dataclass(frozen=True)
class Platform:
    """The operating system and launch types a task targets, and what decided them.

    ``os`` is an ``OS`` (windows, linux or unknown); ``os_family`` is the
    ``operatingSystemFamily`` value when one is known (from runtimePlatform, a
    placement constraint or the configured host). ``os_signal`` and
    ``launch_signal`` say, in words a user reads, which input decided;
    ``os_source`` says which kind of input it was, for rules: ``runtimePlatform``,
    ``placementConstraint``, ``configuration``, ``definition``, ``template`` (the
    container instances of the same CloudFormation template) or ``default``.
    """

    os: OS
    os_family: str | None
    os_signal: str
    launch_types: tuple[str, ...]
    launch_signal: str
    os_source: str = "default"

    @property
    def is_windows(self) -> bool:
        return self.os == _WINDOWS

    @property
    def is_linux(self) -> bool:
        return self.os == _LINUX

    @property
    def on_fargate(self) -> bool:
        return "FARGATE" in self.launch_types

    @property
    def on_ec2(self) -> bool:
        """EC2 in the catalogue's sense: EC2 or EXTERNAL (ECS Anywhere)."""
        return "EC2" in self.launch_types or "EXTERNAL" in self.launch_types


# How a configured ``images`` entry gives the Windows release of the images it matches.
_ImageRelease = TypedDict("_ImageRelease", {"windows-version": str, "dockerfile": str},
                          total=False)


class ConfiguredImage(_ImageRelease):
    """An ``images`` entry of the configuration: a glob on image references and
    either their ``windows-version`` or the absolute path of the ``dockerfile``
    that builds them."""

    pattern: str


@dataclass(frozen=True)
class HostKnowledge:
    """What the user told ecslint about their container instances.

    ``windows_source`` says in words where the Windows version came from, in the
    order of precedence: the command line (``--windows-host``), the configuration
    file, then what a CloudFormation template says about its own container instances.
    """

    windows_release: str | None = None
    windows_edition: str | None = None
    windows_source: str | None = None
    memory_unbounded_workaround: bool = False
    cpu_unbounded_workaround: bool = False
    logging_drivers: tuple[str, ...] | None = None
    images: tuple[ConfiguredImage, ...] = ()
    # What the images' registries said (``--resolve-images``), by reference as written.
    resolved: Mapping[str, Resolution] = field(default_factory=dict)
    # The cluster, service and container instances a task definition is checked
    # against (``ecslint aws --cluster``); ``None``: the hosts are not known.
    placement: Placement | None = None


@dataclass(frozen=True)
class Container:
    """One entry of ``containerDefinitions`` (only entries that are mappings)."""

    index: int
    path: Path
    name: str | None
    data: dict[str, Any]

    @property
    def label(self) -> str:
        """How a message names the container: its quoted name, else its position."""
        if self.name is not None and not is_unresolved(self.name):
            return quoted(self.name)
        return f"#{self.index + 1}"


# Longest name a message quotes in full: every valid name fits (255), a hostile
# 400 KB one does not make each message 400 KB.
QUOTED_LIMIT = 256


def quoted(text: str, limit: int = QUOTED_LIMIT) -> str:
    """``repr(text)``; past ``limit`` characters, its start and ``...``, ``limit`` in all."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def shown(value: Any, limit: int = QUOTED_LIMIT) -> str:
    """How a message shows a value from the task definition: a string as ``quoted``
    shows it, anything else as JSON (``{"a": 1, "b": null}``, never a Python repr)
    with sorted keys, so JSON and YAML sources give the same message. Past
    ``limit`` characters, its start and ``...``; a large value is never rendered
    in full."""
    if isinstance(value, str):
        return quoted(value, limit)
    text = ""
    for part in _json_parts(value):
        text += part
        if len(text) > limit:
            return text[: limit - 3] + "..."
    return text


def _json_parts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        yield "{"
        for index, key in enumerate(sorted(value, key=str)):
            yield (", " if index else "") + json.dumps(str(key), ensure_ascii=False) + ": "
            yield from _json_parts(value[key])
        yield "}"
    elif isinstance(value, list):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ", "
            yield from _json_parts(item)
        yield "]"
    elif value is None or isinstance(value, (bool, int, float)):
        yield json.dumps(value)
    else:  # a string, or a YAML date or timestamp
        yield json.dumps(str(value), ensure_ascii=False)


@dataclass(frozen=True)
class TaskView:
    """One task definition as every rule sees it.

    ``data`` has canonical camelCase API keys whatever the source format;
    ``shape`` is the ``Shape`` it is written in: ``Shape.CONTAINER_LIST`` is a
    bare list of container definitions, whose task-level fields are unknown.
    """

    name: str
    shape: Shape
    data: dict[str, Any]
    platform: Platform
    host: HostKnowledge = field(default_factory=HostKnowledge)

    @property
    def label(self) -> str:
        """How a message names the task: its quoted name (shortened past
        ``QUOTED_LIMIT`` characters)."""
        return quoted(self.name)

    @property
    def task_fields_known(self) -> bool:
        """False when the file holds only container definitions (Terraform's
        ``container_definitions``): the task-level fields (network mode, volumes, task
        size, roles, runtime platform) are written elsewhere, so no rule may judge
        them missing. Rules ask this, not which shape the file has."""
        return self.shape is not _CONTAINER_LIST

    @cached_property
    def containers(self) -> list[Container]:
        """The container definitions that are known before deployment: mappings,
        but not a CloudFormation ``Fn::If`` standing for a container."""
        items = self.data.get("containerDefinitions")
        if not isinstance(items, list):
            return []
        result = []
        for index, item in enumerate(items):
            if isinstance(item, dict) and not is_unresolved(item):
                name = item.get("name")
                result.append(
                    Container(index, ("containerDefinitions", index),
                              name if isinstance(name, str) else None, item)
                )
        return result


# Placeholders that template tools fill in before registering: ${VAR} and $VAR
# (envsubst, Terraform templatefile, shell), {{ x }} (Jinja, Proton, Handlebars,
# and CloudFormation's {{resolve:...}}), {% x %}, <% x %> and %{ x } (Jinja, ERB,
# Terraform directives) and $$$$VAR$$$$ (the ECS agent's test fixtures).
# The bracketed forms are found with str.find, in linear time: a regex search
# such as \{\{.*?\}\} retries at every "{{" and takes quadratic time on a value
# of "{{{{..." (4 s for 40 KB, hours for a 5 MB file). They match exactly what
# \$\{[^}]*\}, %\{[^}]*\}, \{\{.*?\}\}, \{%.*?%\} and <%.*?%> match.
_PLACEHOLDER = re.compile(r"\$\$\$\$\w+\$\$\$\$|(?<![$\w])\$[A-Za-z_]\w*")
# (opening, closing, whether the closing may be on a later line)
_BRACKETED = (("${", "}", True), ("%{", "}", True), ("{{", "}}", False), ("{%", "%}", False),
              ("<%", "%>", False))


def _bracketed_placeholder(value: str) -> bool:
    for opening, closing, any_line in _BRACKETED:
        start = value.find(opening)
        if any_line:
            if start != -1 and value.find(closing, start + 2) != -1:
                return True
            continue
        while start != -1:  # the first opening of each line is the one to try
            line_end = value.find("\n", start)
            line_end = len(value) if line_end == -1 else line_end
            if value.find(closing, start + 2, line_end) != -1:
                return True
            start = value.find(opening, line_end)
    return False


# Fill-in-the-blank names that documentation and scaffolding leave for a person:
# <TASK_NAME>, <your-family>, {INSERT_NAME_HERE}, {INSERT SERVICE NAME}. Words
# of letters, digits, _ . - separated by single spaces, in <> or {}. Such a token
# inside a longer value counts only when it reads as a placeholder (no lower-case
# letter, or words joined by _ - or a space), so "a{b}", "<b>" or "cat <in >out"
# in a command are not; the whole value "<family>" or "{name}" always counts.
_NAMED = re.compile(r"<([A-Za-z][\w.-]*(?: [\w.-]+)*)>|\{([A-Za-z][\w.-]*(?: [\w.-]+)*)\}")


def _named_placeholder(value: str) -> bool:
    for match in _NAMED.finditer(value):
        words = match.group(1) or match.group(2)
        if (len(match.group(0)) == len(value.strip()) or not any(c.islower() for c in words)
                or any(c in words for c in "_- ")):
            return True
    return False


def is_unresolved(value: Any) -> bool:
    """True for a value nobody knows until deployment: a CloudFormation intrinsic
    function, a dynamic reference (``{{resolve:ssm:...}}``), a template
    placeholder (``${IMAGE_TAG}``, ``$VAR``, ``{{ port }}``) or a name left to
    fill in (``<TASK_NAME>``, ``{INSERT SERVICE NAME}``). Rules skip such values,
    and the schema never reports them."""
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        return key == "Ref" or (isinstance(key, str) and key.startswith("Fn::"))
    if not isinstance(value, str):
        return False
    if ("$" in value or "{" in value or "%>" in value) and (
            _bracketed_placeholder(value) or _PLACEHOLDER.search(value) is not None):
        return True
    return ("<" in value or "{" in value) and _named_placeholder(value)


Check = Callable[[TaskView], Iterator[Finding]]


class Status(str, Enum):
    """Where a rule is in its life (ruff's ``RuleStatus``): ``stable``; ``preview``,
    still settling; ``deprecated``, still running but going away; ``removed``, kept
    in the registry so its id is never reused and old configurations still read,
    but never run."""

    STABLE = "stable"
    PREVIEW = "preview"
    DEPRECATED = "deprecated"
    REMOVED = "removed"


_REMOVED = Status.REMOVED


class AppliesTo(Enum):
    """Which tasks a rule looks at: ``Rule.run`` gives it no other, so a Windows
    rule does not start with its own platform test. The value is how ``ecslint
    rule ID`` says it."""

    ALL = "all tasks"
    WINDOWS = "Windows tasks"
    WINDOWS_EC2 = "Windows tasks on EC2 or external instances (ECS Anywhere)"

    def covers(self, platform: Platform) -> bool:
        if self is _ALL:
            return True
        return platform.is_windows and (self is _WINDOWS_TASKS or platform.on_ec2)


_ALL, _WINDOWS_TASKS = AppliesTo.ALL, AppliesTo.WINDOWS


@dataclass(frozen=True)
class Rule:
    """A rule's metadata and its check.

    ``check`` is ``None`` for the rules the engine itself reports (E001 parse
    errors, E003 files without a task definition). ``doc`` is the Markdown
    documentation with the sections ``What it does``, ``Why is this bad?``,
    ``Example``, ``Use instead`` and ``References``. ``applies_to`` says which
    tasks ``run`` passes to ``check``. ``since`` is the ecslint version that added
    the rule; ``former_ids`` and ``former_names`` are what it was called before a
    rename, and keep working wherever a rule is named (selectors, configuration,
    suppression comments), as ruff's redirects do. ``fix`` says whether its
    findings may carry a fix and how safe such fixes are (``Applicability.SAFE`` or
    ``UNSAFE``; ``None``: never).
    """

    id: str
    name: str
    severity: Severity
    summary: str
    fix_title: str
    doc: str
    check: Check | None
    default: bool = True
    module: str = ""
    applies_to: AppliesTo = AppliesTo.ALL
    since: str = ""
    status: Status = Status.STABLE
    former_ids: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    fix: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """Every id and name that means this rule: the current ones, then the former."""
        return (self.id, self.name, *self.former_ids, *self.former_names)

    @property
    def family(self) -> str:
        match = ID_PATTERN.match(self.id)
        return match.group("family") if match else self.id

    def run(self, task: TaskView) -> list[Finding]:
        applies = self.applies_to  # ALL without a call: most rules
        if (self.check is None or self.status is _REMOVED
                or (applies is not _ALL and not applies.covers(task.platform))):
            return []
        return list(self.check(task))


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    summary: str,
    fix_title: str,
    default: bool = True,
    applies_to: AppliesTo = AppliesTo.ALL,
    since: str = "",
    status: Status = Status.STABLE,
    former_ids: Iterable[str] = (),
    former_names: Iterable[str] = (),
    fix: str | None = None,
) -> Callable[[Check], Rule]:
    """Decorate a check function and return its ``Rule``; its docstring is the documentation."""

    def decorate(check: Check) -> Rule:
        return Rule(
            id=id,
            name=name,
            severity=severity,
            summary=summary,
            fix_title=fix_title,
            doc=_dedent(check.__doc__ or ""),
            check=check,
            default=default,
            module=check.__module__,
            applies_to=applies_to,
            since=since,
            status=status,
            former_ids=tuple(former_ids),
            former_names=tuple(former_names),
            fix=fix,
        )

    return decorate


def engine_rule(
    *, id: str, name: str, severity: Severity, summary: str, fix_title: str, doc: str,
    default: bool = True, module: str = "", since: str = "", fix: str | None = None,
) -> Rule:
    """Declare a rule whose findings the engine produces (no check function)."""
    return Rule(id=id, name=name, severity=severity, summary=summary, fix_title=fix_title,
                doc=_dedent(doc), check=None, default=default, module=module, since=since,
                fix=fix)


def _dedent(doc: str) -> str:
    lines = doc.expandtabs().splitlines()
    if not lines:
        return ""
    rest = [line for line in lines[1:] if line.strip()]
    indent = min((len(line) - len(line.lstrip()) for line in rest), default=0)
    body = [lines[0].strip()] + [line[indent:] for line in lines[1:]]
    return "\n".join(body).strip() + "\n"
