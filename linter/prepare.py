"""What a run learns about its sources before linting them.

**Files read through others.** A Terraform file's task may read templates, JSON
files and module files of the repository (``file()``, ``templatefile()``, a local
module); a run that lints both lints such a file once, through the task and with
its variables, not again on its own (``unconsumed``).

**``--resolve-images``: what the images' registries say.** Which images to ask
about depends on the tasks' platforms, which only linting decides (a task's OS may
come from its images, a template's instances, the configuration). So the run's
sources are linted once to collect the images of the tasks that are, or may be,
Windows tasks (a Linux task's images are never asked about), the registries are
asked about those, in parallel and bounded in time (``ecslint.distribution.resolve``),
and the run then lints with the answers. The first pass costs a lint of the files,
which the requests dwarf; with a warm cache no request is made at all. A reference
the registries did not answer for is a notice naming the image and why, and its
task is judged as without the registry: nothing stops the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace

from ecslint.config.lint_options import LintOptions
from ecslint.kinds import OS
from ecslint.load.document import InputError
from ecslint.load.sources import STDIN, Source, read_bytes
from ecslint.report.model import FileResult


def unconsumed(sources: list[Source]) -> list[Source]:
    """``sources`` without the files their Terraform files read through a task (not
    worth the parse for a single file, which pre-commit gives)."""
    files = {s.path: None for s in sources if s.path not in (None, STDIN) and s.data is None}
    if len(files) < 2 or not any(path.endswith(".tf") for path in files if path):
        return sources
    from ecslint.load.hcl_reader import consumed

    taken = consumed(path for path in files if path and path.endswith(".tf"))
    return [s for s in sources if s.path not in files or s.path is None
            or os.path.realpath(s.path) not in taken]


def with_registries(sources: list[Source], options: LintOptions,
                    lint: Callable[[list[Source], LintOptions], Iterable[FileResult]]
                    ) -> tuple[list[Source], LintOptions, list[str]]:
    """The sources (standard input read once, for both passes), the options knowing
    what the registries answered for the images of ``sources``' Windows and
    possibly-Windows tasks, and a notice for each image they did not answer for."""
    from ecslint.distribution.resolution import Unresolved
    from ecslint.distribution.resolve import resolve

    assert options.resolve is not None
    sources = [_read_once(source) for source in sources]
    images = sorted({build.image for result in lint(sources, options)
                     for task in result.tasks if task.os != OS.LINUX
                     for build in task.image_builds if build.image})
    answers = resolve(images, options.resolve) if images else {}
    notices = [f"image {answer.reference}: not resolved: {answer.reason}"
               for answer in answers.values() if isinstance(answer, Unresolved)]
    return sources, options.with_resolved(answers), notices


def _read_once(source: Source) -> Source:
    if source.path != STDIN or source.data is not None:
        return source
    try:
        return replace(source, data=read_bytes(source))
    except InputError:
        return source  # the run reports it
