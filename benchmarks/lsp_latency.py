"""How long ``ecslint server`` takes to lint a buffer: the goal is well under 100 ms
for a 200-line task definition.

Two measures, each on a 200-line Windows task definition in JSON and in YAML (built
here, with findings and fixes in it):

- in-process: what one ``didChange`` costs the server after its 150 ms debounce, the
  configuration lookup, ``engine.lint_bytes`` on the buffer's text and the
  conversion to LSP diagnostics (``ecslint.cli.lsp``), repeated, median and max;
- over the protocol: pygls' client starts ``ecslint server``, changes the document
  and times each change to its ``publishDiagnostics``, less the 150 ms debounce.

    python benchmarks/lsp_latency.py              # needs the lsp extra
    python benchmarks/lsp_latency.py --runs 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from ecslint.cli.lsp.diagnostics import from_result
from ecslint.cli.lsp.positions import Lines
from ecslint.cli.lsp.protocol import DEBOUNCE_SECONDS
from ecslint.cli.lsp.workspace import Configurations, lint_text


def task_definition(dump: Callable[[object], str], lines: int = 200) -> str:
    """A Windows task that ``dump`` writes in at least ``lines`` lines."""
    containers = []
    index = 0
    while True:
        containers.append({
            "name": f"app-{index}",
            "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
            "cpu": 256, "memory": 1024, "memoryReservation": 512, "essential": index == 0,
            "portMappings": [{"containerPort": 8080 + index, "protocol": "tcp"}],
            "environment": [{"name": f"SETTING_{n}", "value": f"value {n}"} for n in range(4)],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/app", "awslogs-region": "eu-west-1",
                "awslogs-stream-prefix": f"app-{index}"}},
        })
        index += 1
        task = {"family": "app", "networkMode": "awsvpc",
                "requiresCompatibilities": ["EC2"],
                "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
                "containerDefinitions": containers}
        if len(dump(task).splitlines()) >= lines:
            return dump(task)


def in_process(path: Path, text: str, runs: int) -> list[float]:
    configurations = Configurations()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        options = configurations.options_for(str(path))
        assert not isinstance(options, Exception)
        result = lint_text(text, str(path), options)
        from_result(result, Lines(text), str(path), lambda name: path.as_uri())
        times.append(time.perf_counter() - start)
    assert result.findings, "the benchmark's task should have findings"
    return times


async def over_protocol(path: Path, text: str, runs: int) -> list[float]:
    client = LanguageClient("bench", "1")
    published = asyncio.Queue[float]()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(time.perf_counter())

    await client.start_io(sys.executable, "-c",
                          "from ecslint.cli.main import main; main(['server'])")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="json", version=0,
                                             text=text)))
    await published.get()
    times = []
    for version in range(1, runs + 1):
        start = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(
                text=text + " " * (version % 2))]))
        times.append(await published.get() - start - DEBOUNCE_SECONDS)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = {"task.json": task_definition(lambda task: json.dumps(task, indent=2) + "\n"),
                 "task.yaml": task_definition(lambda task: yaml.safe_dump(task, sort_keys=False))}
        print("| file | lines | measure | median ms | max ms |\n|---|---|---|---|---|")
        for name, text in files.items():
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            rows = [("in-process", in_process(path, text, args.runs)[1:]),
                    ("over the protocol", asyncio.run(over_protocol(path, text, args.runs)))]
            for measure, times in rows:
                print(f"| {name} | {len(text.splitlines())} | {measure} | "
                      f"{statistics.median(times) * 1000:.1f} | {max(times) * 1000:.1f} |")


if __name__ == "__main__":
    main()
