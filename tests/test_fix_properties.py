"""What ``--fix`` promises, checked on every file at hand and on generated ones.

``fix_bytes(..., unsafe=True)`` with every rule enabled must be:

(a) idempotent: fixing the fixed bytes changes nothing;
(b) sound: the fixed file parses (no E001, no input error) when the original did,
    and a file that does not parse is left alone;
(c) effective: a finding whose fix was applied is gone from the pass's result, and
    stays gone; every fixable finding left at the end comes with a notice saying why
    its fix was dropped;
(d) harmless: no finding at warning or above appears that the original lacked;
(f) faithful: the parsed documents of each pass's result equal its input's except
    at the nodes its edits name (an edit of a suppression comment names none, so
    it changes no value);
(e) local: every byte outside the edits is the original's. Checked without
    ``splice``: each pass's edits are mapped to byte ranges of that pass's input
    here (BOM, UTF-16/32 code units, CRLF as two bytes of one character), and the
    output must be the input with exactly those ranges replaced by the edit's text,
    encoded as the file is and with its line-ending style.

The files: ../shared/corpus and ../shared/corpus-terraform (skipped when absent, as
test_corpus.py does), the repository's examples/, every rule fixture, and task
definitions hypothesis writes as JSON, YAML block and flow style and CloudFormation
templates in every encoding and line-ending style ecslint reads. No list of rules
with fixes is written here: whatever rules offer fixes are exercised.
"""

from __future__ import annotations

import codecs
import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import CORPUS, FIXTURES, ROOT, SHARED, options
from hypothesis import given
from hypothesis import strategies as st

from ecslint.builtin_ids import PARSE_ERROR
from ecslint.config.lint_options import LintOptions
from ecslint.engine import lint_bytes
from ecslint.fix import apply
from ecslint.fix.apply import fix_bytes
from ecslint.load.decoding import decode
from ecslint.load.readers import for_text
from ecslint.report.model import FileResult, ReportedEdit, ReportedFinding
from ecslint.rule import Severity

CORPUS_TERRAFORM = SHARED / "corpus-terraform"
ALL = options(["ALL"])
Key = tuple[str, str | None, str, str]


# ---------------------------------------------------------------------------
# The properties


@dataclass
class Spliced:
    """One call of ``splice``: its input, its edits and what it returned."""

    before: bytes
    edits: list[ReportedEdit]
    after: bytes


@dataclass
class Checked:
    """What checking one file found: the fixes applied and the passes that made them."""

    applied: int = 0
    passes: int = 0
    rules: Counter[str] = field(default_factory=Counter)


@contextmanager
def recording_splices() -> Iterator[list[Spliced]]:
    calls: list[Spliced] = []
    real = apply.splice

    def recording(raw: bytes, edits: list[ReportedEdit]) -> bytes:
        after = real(raw, edits)
        calls.append(Spliced(raw, list(edits), after))
        return after

    apply.splice = recording  # type: ignore[assignment]
    try:
        yield calls
    finally:
        apply.splice = real  # type: ignore[assignment]


def key(finding: ReportedFinding) -> Key:
    return (finding.rule.id, finding.task, finding.location.pointer, finding.message)


def parses(result: FileResult) -> bool:
    return not result.errors and not any(f.rule.id == PARSE_ERROR for f in result.findings)


def serious(result: FileResult) -> Counter[Key]:
    return Counter(key(f) for f in result.findings if f.severity.rank >= Severity.WARNING.rank)


def fixable(result: FileResult, display: str) -> list[ReportedFinding]:
    return [f for f in result.findings
            if f.fix is not None and f.fix.edits and f.location.file == display]


def check_fix(raw: bytes, display: str, lint_options: LintOptions = ALL) -> Checked:
    """Fix ``raw`` and assert properties (a) to (e); what was fixed."""

    linted: dict[bytes, FileResult] = {}

    def lint(data: bytes) -> FileResult:
        if data not in linted:
            linted[data] = lint_bytes(data, display, True, lint_options)
        return linted[data]

    with recording_splices() as calls:
        fixed = fix_bytes(raw, display, lint_options, unsafe=True)
    for call in calls:  # (e), for every splice made, kept or not
        assert_only_edits_changed(call.before, call.edits, call.after)

    original = lint(raw)
    if not parses(original):  # (b): nothing can be fixed in a file that does not parse
        assert fixed.data == raw and fixed.applied == 0
        return Checked()

    # Follow the passes: in each, the last splice of the pass's input is the one kept.
    checked = Checked()
    current, result = raw, original
    gone: Counter[Key] = Counter()
    while current != fixed.data:
        kept = [call for call in calls if call.before == current]
        assert kept, "the fixed bytes are not the output of a chain of splices"
        call = kept[-1]
        assert call.after != current, "a kept pass changed nothing"
        taken = {(e.start, e.end, e.text) for e in call.edits}
        applied = [f for f in fixable(result, display)
                   if {(e.start, e.end, e.text) for e in f.fix.edits} <= taken]  # type: ignore[union-attr]
        assert applied, "a pass applied edits of no finding"
        # Every edit made is some finding's; two findings may share one (WIN201, WIN205).
        assert {(e.start, e.end, e.text) for f in applied
                for e in f.fix.edits} == taken  # type: ignore[union-attr]
        after = lint(call.after)
        assert parses(after), "(b) a pass's result does not parse"
        assert_same_data(call.before, call.after, display, [e.pointer for e in call.edits])
        counts, removed = Counter(key(f) for f in after.findings), Counter(map(key, applied))
        before_counts = Counter(key(f) for f in result.findings)
        for finding_key, times in removed.items():  # (c) a fixed finding is gone
            assert counts[finding_key] <= before_counts[finding_key] - times, (
                f"(c) fixed but still there: {finding_key}")
        gone += removed
        checked.applied += len(applied)
        checked.passes += 1
        checked.rules.update(f.rule.id for f in applied)
        current, result = call.after, after
        assert checked.passes <= apply.MAX_PASSES

    final = lint(fixed.data)
    assert fixed.applied == checked.applied
    assert parses(final), "(b) the fixed file does not parse"
    new = serious(final) - serious(original)
    assert not new, f"(d) new findings at warning or above: {sorted(new)}"
    counts = Counter(key(f) for f in final.findings)
    for finding_key in gone:  # (c) and stays gone
        assert counts[finding_key] <= Counter(key(f) for f in original.findings)[finding_key]
    if checked.passes < apply.MAX_PASSES:  # (c) what is left fixable was dropped, and said so
        left = fixable(final, display)
        assert not left or fixed.notices, (
            f"fixable findings left without a notice: {sorted(map(key, left))}")

    again = fix_bytes(fixed.data, display, lint_options, unsafe=True)  # (a)
    assert again.data == fixed.data, "(a) fixing the fixed file changed it again"
    assert again.applied == 0
    return checked


# (f): the documents, but for the nodes the edits name.

_EDITED = object()


def documents_of(raw: bytes, display: str, pointers: list[str]) -> list[Any]:
    text = decode(raw)
    parsed = for_text(text, display).parse(text, display)
    assert parsed.error is None
    found = []
    for document in parsed.documents:
        data = copy.deepcopy(document.data)
        for where in pointers:
            if where:
                data = _without(data, [part.replace("~1", "/").replace("~0", "~")
                                       for part in where.split("/")[1:]])
        found.append(data)
    return found


def _without(data: Any, parts: list[str]) -> Any:
    """``data`` with the node at ``parts`` replaced by a marker (absent or not)."""
    if not parts:
        return _EDITED
    head, rest = parts[0], parts[1:]
    if isinstance(data, dict):
        if head in data or not rest:
            data[head] = _without(data.get(head), rest)
    elif isinstance(data, list) and head.isdigit() and int(head) < len(data):
        data[int(head)] = _without(data[int(head)], rest)
    return data


def assert_same_data(before: bytes, after: bytes, display: str, pointers: list[str]) -> None:
    assert documents_of(before, display, pointers) == documents_of(after, display, pointers), (
        "(f) a value the edits do not name changed")


# (e), independently of ``splice``: offsets of the decoded text as bytes of the file.

BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))


def encoding_of(raw: bytes) -> tuple[bytes, str]:
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def byte_offsets(raw: bytes) -> list[int]:
    """The byte offset in ``raw`` of each character of its decoded text, then its end."""
    bom, codec = encoding_of(raw)
    text = raw[len(bom):].decode(codec)
    offsets, at, index = [], len(bom), 0
    while index < len(text):
        offsets.append(at)
        width = 2 if text.startswith("\r\n", index) else 1
        at += len(text[index:index + width].encode(codec))
        index += width
    offsets.append(at)
    assert at == len(raw)
    assert len(offsets) == len(decode(raw)) + 1
    return offsets


def line_ending(raw: bytes) -> str:
    bom, codec = encoding_of(raw)
    text = raw[len(bom):].decode(codec)
    crlf = text.count("\r\n")
    lf, cr = text.count("\n") - crlf, text.count("\r") - crlf
    if crlf > max(lf, cr):
        return "\r\n"
    return "\r" if cr > lf else "\n"


def assert_only_edits_changed(before: bytes, edits: list[ReportedEdit], after: bytes) -> None:
    offsets = byte_offsets(before)
    _, codec = encoding_of(before)
    newline = line_ending(before)
    expected, position = [], 0
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        start, end = offsets[edit.start], offsets[edit.end]
        assert position <= start <= end, "overlapping edits"
        expected += [before[position:start], edit.text.replace("\n", newline).encode(codec)]
        position = end
    expected.append(before[position:])
    assert after == b"".join(expected), "(e) bytes outside the edits changed"


# ---------------------------------------------------------------------------
# The files at hand


def files_under(folder: Path, *, skip: Callable[[Path], bool] = lambda path: False) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file() and not skip(path))


def corpus_skip(path: Path) -> bool:
    return "_licenses" in path.parts or path.name in ("README.md", "PROVENANCE.md")


def fixture_skip(path: Path) -> bool:
    return path.suffix in (".expected", ".diff") or path.name.endswith(
        (".ecslint.yaml", ".registry.json", ".hosts.json"))


CORPUS_FILES = files_under(CORPUS, skip=corpus_skip)
TERRAFORM_FILES = files_under(CORPUS_TERRAFORM, skip=corpus_skip)
LOCAL_FILES = files_under(ROOT / "examples") + files_under(FIXTURES, skip=fixture_skip)


def test_the_shared_corpora_are_all_here() -> None:
    if not CORPUS.is_dir() or not CORPUS_TERRAFORM.is_dir():
        pytest.skip("../shared/corpus or ../shared/corpus-terraform is absent")
    assert len(CORPUS_FILES) == 208
    assert TERRAFORM_FILES


@pytest.mark.parametrize("path", CORPUS_FILES + TERRAFORM_FILES,
                         ids=lambda p: p.relative_to(SHARED).as_posix()[-90:])
def test_fixing_a_shared_corpus_file_keeps_the_promises(path: Path) -> None:
    check_fix(path.read_bytes(), str(path))


@pytest.mark.parametrize("path", LOCAL_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_fixing_an_example_or_fixture_keeps_the_promises(path: Path) -> None:
    check_fix(path.read_bytes(), str(path))


# The corpora's files with fixable problems added, so that fixes are made in real
# files' text: suppressions of an unknown (E005) or unused (E004) code before
# top-level lines of YAML and Terraform, and memoryReservation next to each memory
# of a JSON file that mentions Windows (WIN110).
_TOP_LEVEL = {".tf": re.compile(r"(resource|data|locals|module|variable|output)\b"),
              ".yaml": re.compile(r"[A-Za-z\"'][^:#]*:(\s|$)")}
_MEMORY = re.compile(r'^([ \t]*)("[Mm]emory"[ \t]*:[ \t]*)(\d+)(,?)([ \t]*)$')
DIRECTIVES = ("# ecslint: ignore[WIN999]", "# ecslint: ignore[WIN110, WIN999]",
              "# ecslint: ignore[WIN998] # ecslint: ignore[E005]",
              "# ecslint: ignore[WIN998, WIN999]")  # two fixes that overlap: two passes


def with_problems(raw: bytes, suffix: str) -> bytes | None:
    """``raw`` with problems added, in its own encoding and line endings; ``None`` for
    a file that gets none."""
    bom, codec = encoding_of(raw)
    try:
        lines = raw[len(bom):].decode(codec).splitlines(keepends=True)
    except UnicodeDecodeError:
        return None
    newline = line_ending(raw)
    added, out = 0, []
    top = _TOP_LEVEL.get(".yaml" if suffix in (".yml", ".template") else suffix)
    windows = suffix == ".json" and "windows" in raw.decode(codec, "replace").lower()
    for line in lines:
        if top is not None and out and top.match(line) and added < len(DIRECTIVES):
            out.append(DIRECTIVES[added] + newline)
            added += 1
        match = _MEMORY.match(line.rstrip("\r\n")) if windows else None
        if match:
            indent, key, value, comma, blank = match.groups()
            reservation = key.replace("emory", "emoryReservation")
            ending = line[len(line.rstrip("\r\n")):] or newline
            line = (f"{indent}{key}{value},{blank}{ending}"
                    f"{indent}{reservation}{int(value) // 2}{comma}{blank}{ending}")
            added += 1
        out.append(line)
    return bom + "".join(out).encode(codec) if added else None


MUTATED = {path: mutated for path in CORPUS_FILES + TERRAFORM_FILES
           if (mutated := with_problems(path.read_bytes(), path.suffix)) is not None}


@pytest.mark.parametrize("path", MUTATED, ids=lambda p: p.relative_to(SHARED).as_posix()[-90:])
def test_fixing_a_shared_corpus_file_with_problems_added_keeps_the_promises(path: Path) -> None:
    check_fix(MUTATED[path], str(path))


def test_the_files_at_hand_have_fixes_to_make() -> None:
    """The properties hold, and are not empty, on every fixture whose ``.diff`` says
    its rule fixes it, run with its rule alone (as test_fixtures does) and with all."""
    fixed = [path for path in LOCAL_FILES if path.with_name(path.name + ".diff").exists()
             and not path.with_name(path.name + ".ecslint.yaml").exists()]
    assert fixed
    made = 0
    for path in fixed:
        assert check_fix(path.read_bytes(), str(path), options([path.parent.name])).applied, path
        made += check_fix(path.read_bytes(), str(path)).applied
    assert made


# Files that broke a property once: what each did wrong.
WINDOWS_HEAD = ("family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
                "containerDefinitions:\n")
IIS_2019 = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"
REGRESSIONS = {
    # E005's fix cut "# ecslint: ignore[WIN999]" out of the script: not a comment.
    "directive-text-in-a-block-scalar": (
        WINDOWS_HEAD + "  - name: web\n    image: " + IIS_2019 + "\n"
        "    memory: 2048\n    command:\n      - |\n        echo hi # ecslint: ignore[WIN999]\n",
        0),
    # WIN110's fix of the anchored container also took memoryReservation from the
    # container that merges it: text another node shares cannot be edited for one.
    "anchored-container-merged-into-another": (
        WINDOWS_HEAD + "  - &base\n    name: web\n    image: " + IIS_2019 + "\n"
        "    memory: 2048\n    memoryReservation: 1024\n  - <<: *base\n    name: two\n", 0),
    "anchored-mapping-aliased-whole": (
        WINDOWS_HEAD + "  - name: web\n    image: " + IIS_2019 + "\n"
        "    memory: 2048\n    environment: &env\n      - {name: A, value: b}\n"
        "    memoryReservation: 1024\n  - name: two\n"
        "    image: " + IIS_2019 + "\n    memory: 1024\n"
        "    environment: *env\n", 1),  # the member removed is not the shared one
}


@pytest.mark.parametrize(("text", "applied"), REGRESSIONS.values(), ids=list(REGRESSIONS))
def test_fixing_a_file_that_broke_a_promise_keeps_them_now(text: str, applied: int) -> None:
    assert check_fix(text.encode(), "task.yaml").applied == applied


# ---------------------------------------------------------------------------
# Generated task definitions

WINDOWS_IMAGES = ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019",
                  "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
# A string YAML reads as that string when written without quotes.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_ .\u00c0-\uffff-]*[A-Za-z0-9\u00c0-\uffff]")
BOM_OF = {"utf-8": b"", "utf-8-sig": b"", "utf-16-le": codecs.BOM_UTF16_LE,
          "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE,
          "utf-32-be": codecs.BOM_UTF32_BE}


@st.composite
def ordered(draw: st.DrawFn, members: dict[str, Any]) -> dict[str, Any]:
    """``members`` in an order hypothesis picks."""
    order = draw(st.permutations(list(members)))
    return {name: members[name] for name in order}


@st.composite
def containers(draw: st.DrawFn, index: int) -> dict[str, Any]:
    members: dict[str, Any] = {"name": f"app{index}",
                               "image": draw(st.sampled_from(WINDOWS_IMAGES))}
    memory = draw(st.sampled_from((1024, 2048)))
    if draw(st.booleans()):
        members["memory"] = memory
    if draw(st.booleans()):
        members["memoryReservation"] = memory // 2
    if draw(st.booleans()):
        members["cpu"] = 512
    if draw(st.booleans()):
        members["essential"] = index == 0
    if draw(st.booleans()):
        members["environment"] = [{"name": "GREETING", "value": "h\u00e9llo \u2603 w\u00f6rld"}]
    if draw(st.booleans()):
        members["workingDirectory"] = "C:\\app"
    if draw(st.booleans()):  # a YAML block scalar whose text looks like a directive
        members["command"] = ["powershell", Script("Write-Output hi # ecslint: ignore[WIN999]\n"
                                                   "exit 0")]
    return draw(ordered(members))


@st.composite
def tasks(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 3))
    members: dict[str, Any] = {
        "family": draw(st.sampled_from(("web", "caf\u00e9-api"))),
        "containerDefinitions": [draw(containers(index)) for index in range(count)]}
    if draw(st.booleans()):
        members["runtimePlatform"] = {"operatingSystemFamily": draw(st.sampled_from(
            ("WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2022_CORE")))}
    if draw(st.booleans()):
        members["requiresCompatibilities"] = ["EC2"]
    if draw(st.booleans()):
        members["tags"] = [{"key": "owner", "value": "team-\u00f8"}]
    return draw(ordered(members))


class Script(str):
    """A string YAML writes as a literal block scalar."""

    __slots__ = ()


def cloudformation_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {name[0].upper() + name[1:]: cloudformation_keys(item)
                for name, item in value.items()}
    if isinstance(value, list):
        return [cloudformation_keys(item) for item in value]
    return value


def yaml_scalar(value: Any, quoting: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if quoting == "double" or not _PLAIN.fullmatch(text):
        return json.dumps(text, ensure_ascii=False)
    if quoting == "single":
        return "'" + text.replace("'", "''") + "'"
    return text


def yaml_block(value: Any, indent: int, quoting: str, comments: list[str],
               level: int = 0, *, dash_indent: bool = True) -> list[str]:
    """``value`` (a mapping) as YAML block lines, a comment drawn from ``comments``
    after some of them."""
    pad = " " * (indent * level)
    lines: list[str] = []
    for name, item in value.items():
        if isinstance(item, dict):
            lines.append(f"{pad}{name}:")
            lines += yaml_block(item, indent, quoting, comments, level + 1,
                                dash_indent=dash_indent)
        elif isinstance(item, list):
            lines.append(f"{pad}{name}:")
            inner = level + 1 if dash_indent else level
            for element in item:
                if isinstance(element, dict):
                    body = yaml_block(element, indent, quoting, comments, 0,
                                      dash_indent=dash_indent)
                    dash = " " * (indent * inner) + "- "
                    lines.append(dash + body[0])
                    lines += [" " * len(dash) + line for line in body[1:]]
                elif isinstance(element, Script):  # "\0": a line of the scalar's text
                    lines.append(" " * (indent * inner) + "- |")
                    lines += ["\0" + " " * (indent * inner + 2 + indent) + line
                              for line in element.split("\n")]
                else:
                    lines.append(" " * (indent * inner) + "- " + yaml_scalar(element, quoting))
        else:
            line = f"{pad}{name}: {yaml_scalar(item, quoting)}"
            if comments:
                line += "  " + comments.pop()
            lines.append(line)
    return lines


def yaml_flow(value: Any, quoting: str, between: str = ", ") -> str:
    """``value`` in YAML flow style, ``between`` its members (a line break in it
    spreads the mappings over lines)."""
    if isinstance(value, dict):
        return "{" + between.join(f"{name}: {yaml_flow(item, quoting, between + ' ')}"
                                  for name, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + between.join(yaml_flow(item, quoting, between + " ") for item in value) + "]"
    return yaml_scalar(value, quoting)


def with_comments(lines: list[str], comments: list[str], places: list[int]) -> str:
    """``lines`` joined, a comment line before each of ``places`` (indented as the
    line after it; never inside a block scalar's text, whose lines hold "\0")."""
    for place, comment in zip(sorted(places, reverse=True), comments, strict=False):
        place %= len(lines) + 1
        following = lines[place] if place < len(lines) else ""
        if "\0" in following:
            continue
        lines.insert(place, following[:len(following) - len(following.lstrip())] + comment)
    return "\n".join(line.replace("\0", "") for line in lines)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str]:
    """A task definition as text, and the name of its file."""
    task = draw(tasks())
    style = draw(st.sampled_from(("json", "yaml", "flow", "cloudformation")))
    if style == "json":
        indent = draw(st.sampled_from((None, 1, 2, 4, "\t")))
        separators = draw(st.sampled_from(((", ", ": "), (",", ":"), (",", ": "))))
        ascii_only = draw(st.booleans())
        return json.dumps(task, indent=indent, separators=separators,
                          ensure_ascii=ascii_only), "task.json"
    quoting = draw(st.sampled_from(("plain", "single", "double")))
    if style == "flow":
        return yaml_flow(task, quoting, draw(st.sampled_from((", ", ",", ",\n ")))), "task.yaml"
    indent = draw(st.sampled_from((2, 3, 4)))
    comments = draw(st.lists(st.sampled_from(
        ("# ecslint: ignore[WIN999]", "# ecslint: ignore[WIN110, WIN999]", "# a note",
         "# ecslint: ignore[E005]", "# ecslint: ignore[WIN110]",
         "# ecslint: ignore[WIN998, WIN999]")), max_size=3))
    lone = draw(st.lists(st.sampled_from(("# ecslint: ignore[WIN999]", "# a note",
                                          "# ecslint: ignore[WIN110]")), max_size=3))
    places = draw(st.lists(st.integers(0, 200), min_size=len(lone), max_size=len(lone)))
    dash_indent = draw(st.booleans())
    if style == "cloudformation":
        template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
            "Task": {"Type": "AWS::ECS::TaskDefinition",
                     "Properties": cloudformation_keys(task)}}}
        lines = yaml_block(template, indent, quoting, comments, dash_indent=dash_indent)
        return with_comments(lines, lone, places), "template.yaml"
    lines = yaml_block(task, indent, quoting, comments, dash_indent=dash_indent)
    return with_comments(lines, lone, places), "task.yaml"


@st.composite
def encoded(draw: st.DrawFn) -> tuple[bytes, str]:
    text, name = draw(documents())
    if draw(st.booleans()):
        text += "\n"
    text = text.replace("\n", draw(st.sampled_from(("\n", "\r\n", "\r"))))
    codec = draw(st.sampled_from(ENCODINGS))
    return BOM_OF[codec] + text.encode(codec), name


@given(encoded())
def test_fixing_a_generated_task_definition_keeps_the_promises(case: tuple[bytes, str]) -> None:
    raw, name = case
    assert parses(lint_bytes(raw, name, True, ALL)), "the generator wrote a broken file"
    check_fix(raw, name)


def test_a_fix_that_changes_nothing_is_not_applied_over_and_over(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule's fix whose edits give the same text (a value set to what it is) was
    "applied" in every pass: ``Fixed 10 of 1 problem``. It is dropped, with a notice."""
    from dataclasses import replace

    from ecslint import engine
    from ecslint.report.model import ReportedFix

    raw = b'{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx"}]}\n'
    real = engine.lint_bytes

    def with_idle_fix(data: bytes, display: str, explicit: bool,
                      lint_options: LintOptions) -> FileResult:
        result = real(data, display, explicit, lint_options)
        first = result.findings[0]
        idle = ReportedEdit(1, 9, 1, 2, 1, 10, "/family", '"family"')
        result.findings[0] = replace(first, fix=ReportedFix("Idle", "safe", (idle,)))
        return result

    monkeypatch.setattr(engine, "lint_bytes", with_idle_fix)
    fixed = fix_bytes(raw, "task.json", ALL, unsafe=True)
    assert fixed.data == raw
    assert fixed.applied == 0
    assert len(fixed.notices) == 1 and "changes nothing" in fixed.notices[0]
