"""The pygls server: its handlers, the debounce, and the guard that keeps it running.

Diagnostics are published on ``didOpen`` at once and on ``didChange`` 150 ms after
the last change (the lint runs in-process on the unsaved text), and cleared on
``didClose``. Code actions and hover read the diagnostics of the document's current
text, linting it first if a change is still waiting. A client that can watch files
is asked to report changes of configuration files, and every open document is
linted again when one changes (each lint also notices a changed configuration by
itself, ``workspace.Configurations``). Any exception in a handler is
logged to the client (``window/logMessage``) and answered as "nothing", so one bad
request never ends the server.
"""

from __future__ import annotations

import asyncio
import functools
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ecslint import __version__
from ecslint.cli.lsp import actions
from ecslint.cli.lsp.diagnostics import config_diagnostic, from_result
from ecslint.cli.lsp.positions import Lines
from ecslint.cli.lsp.workspace import Configurations, excluded, lint_text, path_of
from ecslint.cli.options import OptionsError
from ecslint.report.model import FileResult

if TYPE_CHECKING:
    from ecslint.suppress.baseline import Baseline

DEBOUNCE_SECONDS = 0.15
# What the server asks a client that can watch files to tell it about.
CONFIGURATION_FILES = ("**/.ecslint.yaml", "**/.ecslint.yml", "**/pyproject.toml")

_T = TypeVar("_T")


@dataclass
class Linted:
    """One lint of a document: the text and version it saw and what it found."""

    version: int | None
    text: str
    lines: Lines
    items: list[actions.Item] = field(default_factory=list)


class EcslintServer(LanguageServer):
    """The language server, with the lint of each open document."""

    def __init__(self, baseline: Baseline | None = None) -> None:
        super().__init__("ecslint", __version__)
        self.baseline = baseline
        self.configurations = Configurations()
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        """Say ``message`` in the client's log (``window/logMessage``)."""
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def relint(self, path: str, text: str) -> FileResult:
        """Lint ``text`` as the file at ``path`` with its folder's configuration (a
        code action's text, published nowhere)."""
        options = self.configurations.options_for(path)
        if isinstance(options, OptionsError):
            return FileResult()
        return lint_text(text, path, options)

    def lint(self, uri: str) -> Linted:
        """Lint the document's current text and publish its diagnostics."""
        self._cancel(uri)
        document = self.workspace.get_text_document(uri)
        path = path_of(uri)
        lines = Lines(document.source, str(self.workspace.position_encoding or "utf-16"))
        linted = Linted(document.version, document.source, lines)
        options = self.configurations.options_for(path)
        if isinstance(options, OptionsError):
            diagnostics = [config_diagnostic(options.lines)]
        elif excluded(path, options, self.configurations.folder_of(path)):
            diagnostics = []
        else:
            result = lint_text(document.source, path, options)
            if self.baseline is not None:  # what it records is accepted, as in `check`
                result.findings = [finding for finding in result.findings
                                   if not self.baseline.records(finding)]
            linted.items = from_result(result, lines, path, _uri_of(uri, path))
            diagnostics = [diagnostic for diagnostic, _ in linted.items]
        self.linted[uri] = linted
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=diagnostics))
        return linted

    def current(self, uri: str) -> Linted:
        """The lint of the document's current text (linted now if it changed)."""
        document = self.workspace.get_text_document(uri)
        linted = self.linted.get(uri)
        if linted is None or linted.version != document.version \
                or linted.text != document.source:
            linted = self.lint(uri)
        return linted

    def later(self, uri: str) -> None:
        """Lint the document when it has not changed for ``DEBOUNCE_SECONDS``."""
        self._cancel(uri)
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(DEBOUNCE_SECONDS, guarded(self, None)(self.lint),
                                            uri)

    def _cancel(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def close(self, uri: str) -> None:
        """Forget the document and clear its diagnostics."""
        self._cancel(uri)
        self.linted.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _uri_of(uri: str, path: str) -> Callable[[str], str]:
    """The URI of a file named in a finding: the document's own, else a file URI."""
    from pygls.uris import from_fs_path

    def of(name: str) -> str:
        return uri if name == path else (from_fs_path(name) or name)
    return of


def guarded(server: EcslintServer, fallback: Any) -> Callable[[Callable[..., _T]],
                                                               Callable[..., _T]]:
    """A handler that logs its exception to the client and returns ``fallback``."""
    def wrap(handler: Callable[..., _T]) -> Callable[..., _T]:
        @functools.wraps(handler)
        def run(*args: Any) -> _T:
            try:
                return handler(*args)
            except Exception as exc:
                try:
                    server.log(f"ecslint: {handler.__name__} failed: "
                               f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}",
                               types.MessageType.Error)
                except Exception:  # the log itself failed: nothing is left to do
                    pass
                return fallback  # type: ignore[no-any-return]
        return run
    return wrap


def build(baseline: Baseline | None = None) -> EcslintServer:
    """The server with its handlers; ``baseline``'s findings are not shown."""
    server = EcslintServer(baseline)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded(server, None)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(server, None)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(server, None)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.current(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(server, None)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.close(params.text_document.uri)

    @server.feature(types.INITIALIZED)
    @guarded(server, None)
    def initialized(params: types.InitializedParams) -> None:
        watched = server.client_capabilities.workspace
        changes = watched.did_change_watched_files if watched is not None else None
        if changes is not None and changes.dynamic_registration:
            server.client_register_capability(types.RegistrationParams(registrations=[
                types.Registration(
                    id="ecslint-configuration",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[types.FileSystemWatcher(glob_pattern=pattern)
                                  for pattern in CONFIGURATION_FILES]))]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(server, None)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        server.configurations.forget()
        for uri in list(server.linted):
            server.lint(uri)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix]))
    @guarded(server, [])
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        only = params.context.only
        if only and not any(types.CodeActionKind.QuickFix.value.startswith(kind)
                            for kind in only):
            return []
        uri = params.text_document.uri
        linted = server.current(uri)
        path = path_of(uri)
        return actions.code_actions(
            linted.items, params.range, linted.text, path, linted.lines, uri,
            linted.version, lambda text: server.relint(path, text))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(server, None)
    def hover(params: types.HoverParams) -> types.Hover | None:
        return actions.hover(server.current(params.text_document.uri).items,
                             params.position)

    return server


def serve(baseline: Baseline | None = None) -> None:
    """Serve one client over standard input and output until it says exit."""
    build(baseline).start_io()
