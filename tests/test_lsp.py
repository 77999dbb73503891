"""``ecslint server`` over the protocol: pygls' own client starts it as a subprocess over
standard input and output, opens, changes and closes documents, and asks for code
actions and hover, as an editor does.

Positions are UTF-16 code units (what a client gets unless it negotiates another
encoding): the task definitions put 'é' and an emoji (two UTF-16 units, one code
point) before the findings on their line.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

try:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    from ecslint.cli.lsp.positions import Lines
except ImportError:  # the lsp extra, in the test extras: on CI, missing is a failure
    if os.environ.get("CI"):
        raise
    pytest.skip("pygls is not installed (pip install -e '.[test]' brings it)",
                allow_module_level=True)

# WIN110 (a safe fix: remove memoryReservation) after 'é' and '😀' on line 6.
YAML = """family: billing
requiresCompatibilities: [EC2]
runtimePlatform:
  operatingSystemFamily: WINDOWS_SERVER_2022_CORE
containerDefinitions:
  - {name: "bé😀ling", image: "mcr.microsoft.com/windows/servercore:ltsc2022", essential: true, memory: 2048, memoryReservation: 1024, cpu: 512, user: ContainerUser}
"""
FIXED = YAML.replace(" memoryReservation: 1024,", "")
# The same in JSON, which has no comments: no suppression action.
JSON = """{"family": "billing", "requiresCompatibilities": ["EC2"],
 "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
 "containerDefinitions": [
  {"name": "bé😀ling", "image": "mcr.microsoft.com/windows/servercore:ltsc2022", "essential": true, "memory": 2048, "memoryReservation": 1024, "cpu": 512, "user": "ContainerUser"}
 ]}
"""
TERRAFORM = """resource "aws_ecs_task_definition" "billing" {
  family                   = "billing"
  requires_compatibilities = ["EC2"]
  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }
  container_definitions = jsonencode([
    { name = "bé😀ling", image = "mcr.microsoft.com/windows/servercore:ltsc2022", essential = true, memory = 2048, memoryReservation = 1024, cpu = 512, user = "ContainerUser" }
  ])
}
"""
SERVER = [sys.executable, "-c", "from ecslint.cli.main import main; main(['server'])"]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Session:
    """A client talking to one ``ecslint server``, collecting what it publishes."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: dict[str, list[list[types.Diagnostic]]] = {}
        self.logs: list[str] = []
        self.changed = asyncio.Event()
        self.versions: dict[str, int] = {}

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params.diagnostics)
            self.changed.set()

        @client.feature(types.WINDOW_LOG_MESSAGE)
        def log(params: types.LogMessageParams) -> None:
            self.logs.append(params.message)

    async def publications(self, uri: str, count: int) -> list[types.Diagnostic]:
        """The ``count``-th diagnostics published for ``uri``, waited for (20 s at most)."""
        async def wait() -> None:
            while len(self.published.get(uri, [])) < count:
                self.changed.clear()
                await self.changed.wait()
        await asyncio.wait_for(wait(), 20)
        return self.published[uri][count - 1]

    def open(self, uri: str, text: str, language: str = "yaml") -> None:
        self.versions[uri] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1,
                                                 text=text)))

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def actions(self, uri: str, at: types.Range) -> list[types.CodeAction]:
        found = await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=at,
            context=types.CodeActionContext(diagnostics=[])))
        return [action for action in found or [] if isinstance(action, types.CodeAction)]

    async def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line, character)))


def run_session(scenario: Callable[[Session], Awaitable[Any]], tmp_path: Path,
                command: list[str] | None = None,
                capabilities: types.ClientCapabilities | None = None) -> Any:
    """Start a server, initialize it, run ``scenario``, shut it down; returns what the
    scenario returned."""
    async def main() -> Any:
        client = LanguageClient("ecslint-tests", "1")
        session = Session(client)
        await client.start_io(*(command or SERVER), cwd=str(tmp_path))
        try:
            result = await asyncio.wait_for(client.initialize_async(types.InitializeParams(
                capabilities=capabilities or types.ClientCapabilities(),
                root_uri=tmp_path.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(),
                                                         name="w")])), 30)
            client.initialized(types.InitializedParams())
            session.initialize_result = result  # type: ignore[attr-defined]
            return await scenario(session)
        finally:
            try:
                await asyncio.wait_for(client.shutdown_async(None), 10)
                client.exit(None)
            finally:
                await client.stop()
    return asyncio.run(main())


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """The text with LSP (UTF-16) edits applied, last first, as an editor applies them."""
    lines = Lines(text)
    offsets = []
    starts = [0]
    for line in lines.lines:
        starts.append(starts[-1] + len(line) + 1)
    for edit in edits:
        def offset(position: types.Position) -> int:
            line, column = lines.to_ecslint(position.line, position.character)
            return starts[line - 1] + column - 1
        offsets.append((offset(edit.range.start), offset(edit.range.end), edit.new_text))
    for start, end, new in sorted(offsets, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def by_code(diagnostics: list[types.Diagnostic], code: str) -> types.Diagnostic:
    found = [diagnostic for diagnostic in diagnostics if diagnostic.code == code]
    assert len(found) == 1, diagnostics
    return found[0]


def test_initialize_says_what_the_server_does(tmp_path: Path) -> None:
    async def scenario(session: Session) -> types.InitializeResult:
        return session.initialize_result  # type: ignore[attr-defined,no-any-return]

    result = run_session(scenario, tmp_path)
    capabilities = result.capabilities
    assert result.server_info is not None and result.server_info.name == "ecslint"
    assert capabilities.hover_provider and capabilities.code_action_provider
    assert capabilities.position_encoding in (None, types.PositionEncodingKind.Utf16)


def test_diagnostics_on_open_change_and_close_in_utf16(tmp_path: Path) -> None:
    """The WIN110 diagnostic starts after 'é' and '😀': one more UTF-16 unit than code
    points before it; a change that fixes the file clears it; closing clears all."""
    path = tmp_path / "task.yaml"
    path.write_text(YAML, encoding="utf-8")
    uri = path.as_uri()

    async def scenario(session: Session) -> tuple[list[types.Diagnostic], ...]:
        session.open(uri, YAML)
        opened = await session.publications(uri, 1)
        session.change(uri, YAML.replace("memoryReservation", "memoryReservatio"))
        session.change(uri, FIXED)  # debounced: one lint of the last text
        changed = await session.publications(uri, 2)
        session.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        closed = await session.publications(uri, 3)
        await asyncio.sleep(0.4)
        assert len(session.published[uri]) == 3  # the first change was never linted
        return opened, changed, closed

    opened, changed, closed = run_session(scenario, tmp_path)
    win110 = by_code(opened, "WIN110")
    line = YAML.splitlines()[5]
    column = line.index("memoryReservation")
    assert win110.range.start == types.Position(5, utf16(line[:column]))
    assert utf16(line[:column]) == column + 1  # the emoji takes two units
    assert win110.range.end == types.Position(5, utf16(line[:column]) + len("memoryReservation"))
    assert win110.source == "ecslint"
    assert win110.severity == types.DiagnosticSeverity.Error
    assert win110.code_description is not None
    assert win110.code_description.href.endswith("#win110")
    assert "memoryReservation" in win110.message
    assert "WIN110" not in [diagnostic.code for diagnostic in changed]
    assert "ECS413" in [diagnostic.code for diagnostic in changed]
    assert list(closed) == []


def test_code_actions_fix_and_suppress_yaml(tmp_path: Path) -> None:
    path = tmp_path / "task.yaml"
    path.write_text(YAML, encoding="utf-8")
    uri = path.as_uri()

    async def scenario(session: Session) -> tuple[Any, ...]:
        session.open(uri, YAML)
        diagnostics = await session.publications(uri, 1)
        win110 = by_code(diagnostics, "WIN110")
        actions = await session.actions(uri, win110.range)
        hover = await session.hover(uri, win110.range.start.line,
                                    win110.range.start.character + 2)
        return win110, actions, hover

    win110, actions, hover = run_session(scenario, tmp_path)
    titles = [action.title for action in actions]
    assert titles == ["Remove memoryReservation", "Suppress WIN110 on this line"], titles
    fix, suppress = actions
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    assert fix.diagnostics is not None and fix.diagnostics[0].code == "WIN110"
    assert fix.edit is not None and fix.edit.changes is not None
    assert apply(YAML, fix.edit.changes[uri]) == FIXED
    assert not suppress.is_preferred
    assert suppress.edit is not None and suppress.edit.changes is not None
    suppressed = apply(YAML, suppress.edit.changes[uri])
    assert suppressed.splitlines()[5] == YAML.splitlines()[5] + "  # ecslint: ignore[WIN110]"
    from helpers import lint_text

    assert "WIN110" not in [finding.rule.id for finding in lint_text(suppressed, "task.yaml").findings]
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("# windows-memory-reservation (WIN110)")
    assert hover.range == win110.range


def test_unsafe_fixes_say_so_and_json_gets_no_suppression(tmp_path: Path) -> None:
    text = JSON.replace('"memoryReservation": 1024, ', "").replace(
        '"name": "bé😀ling"', '"name": "bé😀ling", "portMappings": [{"containerPort": 80, "protocl": "tcp"}]')
    path = tmp_path / "task.json"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()

    async def scenario(session: Session) -> tuple[Any, ...]:
        session.open(uri, text, "json")
        diagnostics = await session.publications(uri, 1)
        e002 = by_code(diagnostics, "E002")
        return e002, await session.actions(uri, e002.range)

    e002, actions = run_session(scenario, tmp_path)
    line = text.splitlines()[3]
    assert e002.range.start == types.Position(3, utf16(line[:line.index('"protocl"')]))
    assert [action.title for action in actions] == ["Rename 'protocl' to 'protocol' (unsafe)"]
    assert not actions[0].is_preferred
    changes = actions[0].edit.changes[uri]  # type: ignore[union-attr,index]
    assert apply(text, changes) == text.replace('"protocl"', '"protocol"')


def test_terraform_fix_and_suppression(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(TERRAFORM, encoding="utf-8")
    uri = path.as_uri()

    async def scenario(session: Session) -> tuple[Any, ...]:
        session.open(uri, TERRAFORM, "terraform")
        win110 = by_code(await session.publications(uri, 1), "WIN110")
        return win110, await session.actions(uri, win110.range)

    win110, actions = run_session(scenario, tmp_path)
    line = TERRAFORM.splitlines()[7]
    assert win110.range.start == types.Position(7, utf16(line[:line.index("memoryReservation")]))
    fix, suppress = actions
    assert fix.is_preferred
    assert apply(TERRAFORM, fix.edit.changes[uri]) == TERRAFORM.replace(  # type: ignore[union-attr,index]
        " memoryReservation = 1024,", "")
    assert suppress.title == "Suppress WIN110 on this line"
    suppressed = apply(TERRAFORM, suppress.edit.changes[uri])  # type: ignore[union-attr,index]
    assert suppressed.splitlines()[7].endswith("}  # ecslint: ignore[WIN110]")


def test_a_broken_file_gets_e001_and_the_server_recovers(tmp_path: Path) -> None:
    path = tmp_path / "task.json"
    uri = path.as_uri()
    broken = JSON.replace('"essential": true,', '"essential": true,,')

    async def scenario(session: Session) -> tuple[Any, ...]:
        session.open(uri, broken, "json")
        first = await session.publications(uri, 1)
        hover = await session.hover(uri, first[0].range.start.line, first[0].range.start.character)
        session.change(uri, JSON)
        return first, hover, await session.publications(uri, 2)

    first, hover, second = run_session(scenario, tmp_path)
    e001 = by_code(first, "E001")
    assert e001.severity == types.DiagnosticSeverity.Error
    assert e001.range.start.line == 3
    assert hover is not None and "(E001)" in hover.contents.value  # type: ignore[union-attr]
    assert "E001" not in [diagnostic.code for diagnostic in second]
    assert "WIN110" in [diagnostic.code for diagnostic in second]


def test_a_request_that_raises_is_logged_and_the_server_goes_on(tmp_path: Path) -> None:
    """The hover code is replaced by one that raises: the hover answers nothing, the
    client's log gets the error, and diagnostics and code actions still work."""
    command = [sys.executable, "-c",
               "import ecslint.cli.lsp.actions as actions\n"
               "def boom(*args):\n    raise RuntimeError('boom in hover')\n"
               "actions.hover = boom\n"
               "from ecslint.cli.main import main; main(['server'])"]
    path = tmp_path / "task.yaml"
    uri = path.as_uri()

    async def scenario(session: Session) -> tuple[Any, ...]:
        session.open(uri, YAML)
        win110 = by_code(await session.publications(uri, 1), "WIN110")
        hover = await session.hover(uri, win110.range.start.line, win110.range.start.character)
        session.change(uri, FIXED)
        after = await session.publications(uri, 2)
        actions = await session.actions(uri, types.Range(start=types.Position(5, 0),
                                                         end=types.Position(6, 0)))
        return hover, after, actions, session.logs

    hover, after, actions, logs = run_session(scenario, tmp_path, command)
    assert hover is None
    assert any("boom in hover" in message and "RuntimeError" in message for message in logs)
    assert "WIN110" not in [diagnostic.code for diagnostic in after]
    assert "Suppress ECS413 on this line" in [action.title for action in actions]


def test_the_configuration_of_the_folder_applies_and_is_reread(tmp_path: Path) -> None:
    """The closest .ecslint.yaml applies, as for check; editing it applies at the next
    lint, without any notification."""
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".ecslint.yaml"
    config.write_text("ignore: [ECS413]\n")
    folder = tmp_path / "deploy"
    folder.mkdir()
    uri = (folder / "task.yaml").as_uri()

    async def scenario(session: Session) -> tuple[Any, ...]:
        session.open(uri, YAML)
        first = await session.publications(uri, 1)
        config.write_text("ignore: [WIN110]\n")
        session.change(uri, YAML + "\n")
        return first, await session.publications(uri, 2)

    first, second = run_session(scenario, tmp_path)
    assert {d.code for d in first} >= {"WIN110"} and "ECS413" not in {d.code for d in first}
    assert "ECS413" in {d.code for d in second} and "WIN110" not in {d.code for d in second}


def test_utf32_when_the_client_offers_it(tmp_path: Path) -> None:
    uri = (tmp_path / "task.yaml").as_uri()
    capabilities = types.ClientCapabilities(general=types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf32]))

    async def scenario(session: Session) -> tuple[Any, ...]:
        session.open(uri, YAML)
        return (session.initialize_result.capabilities.position_encoding,  # type: ignore[attr-defined]
                by_code(await session.publications(uri, 1), "WIN110"))

    encoding, win110 = run_session(scenario, tmp_path, capabilities=capabilities)
    assert encoding == types.PositionEncodingKind.Utf32
    assert win110.range.start.character == YAML.splitlines()[5].index("memoryReservation")


def test_without_pygls_the_command_names_the_extra(tmp_path: Path) -> None:
    import subprocess

    code = ("import sys\nsys.modules['pygls'] = None\n"
            "from ecslint.cli.main import main\nmain(['server'])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "needs the lsp extra (pygls is missing)" in result.stderr
    assert "pip install '.[lsp]'" in result.stderr


def test_a_changed_configuration_file_relints_the_open_documents(tmp_path: Path) -> None:
    """A client that watches files is asked to watch the configuration files; when it
    says one changed, the open documents are linted again with it."""
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".ecslint.yaml"
    config.write_text("ignore: [ECS413]\n")
    uri = (tmp_path / "task.yaml").as_uri()
    capabilities = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
            dynamic_registration=True)))
    registrations: list[types.Registration] = []

    async def scenario(session: Session) -> tuple[Any, ...]:
        @session.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            registrations.extend(params.registrations)

        session.open(uri, YAML)
        first = await session.publications(uri, 1)
        config.write_text("ignore: [WIN110]\n")
        session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
        return first, await session.publications(uri, 2)

    first, second = run_session(scenario, tmp_path, capabilities=capabilities)
    assert "ECS413" not in {d.code for d in first}
    assert "ECS413" in {d.code for d in second} and "WIN110" not in {d.code for d in second}
    assert [r.method for r in registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    options = registrations[0].register_options  # plain JSON: its type depends on the method
    assert isinstance(options, dict)
    assert "**/.ecslint.yaml" in [watcher["globPattern"] for watcher in options["watchers"]]


def test_related_places_and_code_action_kinds(tmp_path: Path) -> None:
    """ECS403 (a duplicate container name) points at the first name as related
    information; a request for source actions only gets none."""
    text = YAML.replace("containerDefinitions:\n", "containerDefinitions:\n"
                        "  - {name: \"bé😀ling\", image: \"mcr.microsoft.com/windows/servercore:ltsc2022\", essential: true, memory: 512, cpu: 256, user: ContainerUser}\n")
    uri = (tmp_path / "task.yaml").as_uri()

    async def scenario(session: Session) -> tuple[Any, ...]:
        session.open(uri, text)
        ecs403 = by_code(await session.publications(uri, 1), "ECS403")
        source_only = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=ecs403.range,
                context=types.CodeActionContext(diagnostics=[],
                                                only=[types.CodeActionKind.Source])))
        return ecs403, source_only

    ecs403, source_only = run_session(scenario, tmp_path)
    assert ecs403.range.start.line == 6
    assert ecs403.related_information is not None
    related = ecs403.related_information[0].location
    assert related.uri == uri
    line = text.splitlines()[5]
    assert related.range.start == types.Position(5, utf16(line[:line.index('"bé')]))
    assert not source_only


def test_lines_convert_both_ways() -> None:
    text = "ab\r\né😀x\rlast"
    for encoding, width in (("utf-16", 4), ("utf-8", 7), ("utf-32", 3)):
        lines = Lines(text, encoding)
        assert lines.to_client(2, 4) == (1, width)  # before 'x'
        assert lines.to_ecslint(1, width) == (2, 4)
        assert lines.to_client(3, 1) == (2, 0)
    lines = Lines(text)
    assert lines.to_ecslint(1, 1) == (2, 2)  # the emoji's first unit
    assert lines.to_ecslint(1, 2) == (2, 2)  # its second: still the emoji
    assert lines.to_ecslint(1, 3) == (2, 3)
    assert lines.to_client(1, 5) == (0, 4)  # past the line's end, kept
    assert lines.end() == (2, 4)


def test_no_suppression_comment_inside_a_heredoc(tmp_path: Path) -> None:
    """A comment after a line of a heredoc's JSON would be part of the JSON (an E001):
    the fix is offered, the suppression is not."""
    from ecslint.cli.lsp.actions import code_actions
    from ecslint.cli.lsp.diagnostics import from_result
    from ecslint.cli.lsp.workspace import Configurations, lint_text

    text = TERRAFORM.replace("jsonencode([\n", "<<JSON\n[\n").replace("  ])\n", "]\nJSON\n")
    text = text.replace("{ name = \"bé😀ling\", image = \"mcr.microsoft.com/windows/servercore:ltsc2022\", essential = true, memory = 2048, memoryReservation = 1024, cpu = 512, user = \"ContainerUser\" }",
                        '{"name": "b\u00e9\U0001f600ling", "image": "mcr.microsoft.com/windows/servercore:ltsc2022", "essential": true, "memory": 2048, "memoryReservation": 1024, "cpu": 512, "user": "ContainerUser"}')
    path = str(tmp_path / "main.tf")
    options = Configurations().options_for(path)
    assert not isinstance(options, Exception)
    lines = Lines(text)
    items = from_result(lint_text(text, path, options), lines, path, lambda name: name)
    win110 = by_code([diagnostic for diagnostic, _ in items], "WIN110")
    actions = code_actions(items, win110.range, text, path, lines, "file:///main.tf", 1,
                           lambda changed: lint_text(changed, path, options))
    assert [action.title for action in actions] == ["Remove memoryReservation"]


def test_a_baseline_hides_what_it_records(tmp_path: Path) -> None:
    """``ecslint server --baseline FILE``: the findings the baseline records (written by
    ``check --write-baseline``) are not shown; a new one is."""
    path = tmp_path / "task.yaml"
    path.write_text(YAML, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    written = subprocess.run([sys.executable, "-c", "from ecslint.cli.main import main; main()",
                              "check", "--isolated", "--write-baseline", str(baseline),
                              "task.yaml"], cwd=tmp_path, capture_output=True, text=True)
    assert written.returncode == 0, written.stderr
    uri = path.as_uri()
    added = YAML.replace("cpu: 512,", "cpu: 512, privileged: true,", 1)

    async def scenario(session: Session) -> tuple[list[types.Diagnostic], ...]:
        session.open(uri, YAML)
        opened = await session.publications(uri, 1)
        session.change(uri, added)
        return opened, await session.publications(uri, 2)

    command = [*SERVER[:-1], SERVER[-1].replace("['server']",
                                                f"['server', '--baseline', {str(baseline)!r}]")]
    opened, changed = run_session(scenario, tmp_path, command)
    assert list(opened) == []
    assert [str(diagnostic.code) for diagnostic in changed] == ["WIN120"]


def test_the_configuration_s_exclude_applies_to_open_files(tmp_path: Path) -> None:
    """A file the configuration's ``exclude`` takes (a folder of generated task
    definitions) gets no diagnostics when opened; one beside it does. The walks' own
    defaults (``build``) do not apply to a file opened on purpose."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ecslint.yaml").write_text("exclude: [generated]\n")
    for folder in ("generated", "build", "deploy"):
        (tmp_path / folder).mkdir()
    uris = {folder: (tmp_path / folder / "task.yaml").as_uri()
            for folder in ("generated", "build", "deploy")}

    async def scenario(session: Session) -> dict[str, list[types.Diagnostic]]:
        found = {}
        for folder, uri in uris.items():
            session.open(uri, YAML)
            found[folder] = list(await session.publications(uri, 1))
        return found

    found = run_session(scenario, tmp_path)
    assert found["generated"] == []
    assert "WIN110" in {d.code for d in found["build"]}
    assert "WIN110" in {d.code for d in found["deploy"]}
