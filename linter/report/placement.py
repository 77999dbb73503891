"""Where a finding goes in the file: from a rule's canonical path to a region and pointer.

Rules report paths into the canonical task; the task's ``to_document`` turns them
into paths of the document as written and the document's ``SourceMap`` into
lines and columns. A finding on something missing is placed on its nearest
existing ancestor, one on a whole container on the container's name and one on
the whole task on its family, so the reader sees at once what is meant. A
message too long to print whole loses its middle.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ecslint.kinds import Shape
from ecslint.load.sourcemap import Path, Region, SourceMap, pointer
from ecslint.report.model import Location
from ecslint.rule import ON_SERVICE, Finding

if TYPE_CHECKING:
    from ecslint.hosts import Placement
    from ecslint.tasks.shapes import FoundTask

# The longest rule message printed whole; the longest in the shared corpus is 285.
MAX_MESSAGE = 1_000


def place(finding: Finding, task: FoundTask, sourcemap: SourceMap, display: str,
          hosts: Placement | None = None) -> tuple[Location, tuple[Location, ...], str | None]:
    """Where ``finding`` of ``task`` goes in the file shown as ``display``: its
    location, the locations of its related places, and the name of its container.
    A path on the service that runs the task (``hosts.ON_SERVICE``) goes into the
    service's describe JSON (``on_service``)."""
    if finding.path[:1] == (ON_SERVICE,):
        found = on_service(finding.path[1:], hosts, finding.on_key)
        if found is not None:
            return found, (), None
        finding = replace(finding, path=(), on_key=False)
    spot = locatable(finding.path, task, sourcemap)
    exact = spot == task.to_document(finding.path)
    region = sourcemap.region(spot, key=finding.on_key and exact)
    related = tuple(
        on_service(p[1:], hosts) or location(display, sourcemap.region(()), "")
        if p[:1] == (ON_SERVICE,) else
        location(sourcemap.file(near) or display, sourcemap.region(near),
                 pointer(task.to_document(p)))
        for p in finding.related for near in [locatable(p, task, sourcemap)]
    )
    defined = sourcemap.definition(spot) if sourcemap.definitions else None
    if defined is not None:  # a value written as a reference: where it is defined too
        related += (location(defined[0] or display, defined[1], ""),)
    return (location(sourcemap.file(spot) or display, region,
                     pointer(task.to_document(finding.path))),
            related, container_name(finding.path, task))


def on_service(path: Path, hosts: Placement | None, key: bool = False) -> Location | None:
    """The location of ``path`` in the describe JSON of the service ``hosts`` names,
    shown under the service's ARN (``--save-dir`` writes that text); ``None`` when
    the service's text is not known."""
    service = hosts.service if hosts is not None else None
    if service is None or service.described is None:
        return None
    sourcemap = _service_map(service.described)
    document_path = ("services", 0, *path)
    near, _ = sourcemap.nearest(document_path)
    return location(service.arn, sourcemap.region(near, key=key and near == document_path),
                    pointer(document_path))


@lru_cache(maxsize=4)
def _service_map(text: str) -> SourceMap:
    """The spans of a service's describe JSON; kept for the service's next findings."""
    from ecslint.load.json_reader import parse_json

    return parse_json(text).documents[0].sourcemap


def location(display: str, region: Region, ptr: str) -> Location:
    """The ``Location`` of ``region`` in the file shown as ``display``."""
    return Location(display, region.line, region.column, region.end_line, region.end_column, ptr)


def container_name(path: Path, task: FoundTask) -> str | None:
    """The name of the container ``path`` lies in, if it lies in a named one."""
    if len(path) < 2 or path[0] != "containerDefinitions" or not isinstance(path[1], int):
        return None
    containers = task.data.get("containerDefinitions")
    if not isinstance(containers, list) or not 0 <= path[1] < len(containers):
        return None
    item = containers[path[1]]
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else None


def locatable(path: Path, task: FoundTask, sourcemap: SourceMap) -> Path:
    """The document path to place a finding on.

    A missing node is placed on its nearest existing ancestor. A finding on a
    whole container (or on something missing in it) is placed on the
    container's ``name`` value, and one on the whole task on its ``family``
    value, which tells the reader at once what is meant (rather than a region
    spanning the whole file); the pointer still names the container or task.
    """
    for cut in range(len(path), -1, -1):
        document_path = task.to_document(path[:cut])
        if document_path in sourcemap.spans:
            label = {2: "name", 0: "family"}.get(cut)
            if label and (cut == 0 or path[0] == "containerDefinitions"):
                label_path = task.to_document(path[:cut] + (label,))
                if label_path in sourcemap.spans:
                    return label_path
            return document_path
    return ()


def addressed(message: str, task: FoundTask, hosts: Placement | None = None) -> str:
    """``message``, naming the resource address when the line alone does not say which
    task it is: in a Terraform plan (its task definitions all sit in one file, their
    containers' findings on one JSON string each), in a module linted through each of
    its calls, in an instance of a resource with ``count`` or ``for_each``; and naming
    the service and cluster whose hosts it was checked against (``aws --cluster``:
    one task definition may run in several)."""
    several = task.shape is Shape.TERRAFORM and (task.name.startswith("module.")
                                                 or task.name.endswith("]"))
    if (task.shape is Shape.TERRAFORM_PLAN or several) and task.name not in message:
        message = f"{message} (in {task.name})"
    if hosts is not None:
        cluster = f"cluster {hosts.cluster!r}"
        named = [f"service {hosts.service.name!r}"] if hosts.service else []
        named += [cluster] if cluster not in message else []
        if named and named[0] not in message:
            message = f"{message} ({' of '.join(named)})"
    return message


def bounded(message: str) -> str:
    """``message``, its middle left out past ``MAX_MESSAGE`` characters: a rule that
    quotes a huge value from the file (a 400 KB container name) must not make every
    line of the output that long."""
    if len(message) <= MAX_MESSAGE:
        return message
    head, tail = MAX_MESSAGE * 2 // 3, MAX_MESSAGE // 3
    left_out = len(message) - head - tail
    return f"{message[:head]}... [{left_out:,} characters left out] ...{message[-tail:]}"
