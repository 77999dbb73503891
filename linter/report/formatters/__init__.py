"""Output formats by name; each module renders a whole ``Report`` as a stream of text.

``FORMATTERS`` maps a format name (``text``, ``json``, ``sarif``, ``github``, ``gitlab``,
``junit``) to the ``render`` function of its module, importing the module only when the
name is looked up: start-up time matters, and a run needs only the formatter it prints with. Every
``render(report, **options)`` is a pure function of the report that returns an
iterator of pieces of text; joined, they are the complete output (empty or ending in a
newline). It is an iterator rather than one string so that a run over thousands of
files writes its output as it is made, one finding at a time, and memory stays flat
(``to_string`` joins the pieces). Options are keyword-only and differ per format:
``text`` takes ``color``, ``show_fix``, ``verbose``, ``statistics`` and ``quiet``;
``sarif`` and ``gitlab`` take ``base``; ``json``, ``github`` and ``junit`` take none. A
new format is its module and its line in ``_MODULES``: the ``--format`` choices are this
mapping's names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

Renderer = Callable[..., Iterator[str]]

_MODULES = {
    "text": "ecslint.report.formatters.text",
    "json": "ecslint.report.formatters.json",
    "sarif": "ecslint.report.formatters.sarif",
    "github": "ecslint.report.formatters.github",
    "gitlab": "ecslint.report.formatters.gitlab",
    "junit": "ecslint.report.formatters.junit",
}


class _Formatters(Mapping[str, Renderer]):
    """A read-only ``{name: render}`` mapping that imports each module on first use."""

    def __getitem__(self, name: str) -> Renderer:
        render: Renderer = importlib.import_module(_MODULES[name]).render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATTERS: Mapping[str, Renderer] = _Formatters()


def get(name: str) -> Renderer:
    """Return the ``render`` function of format ``name``; ``KeyError`` if there is none."""
    return FORMATTERS[name]


def to_string(name: str, report: Any, **options: Any) -> str:
    """The whole output of format ``name`` for ``report``, as one string."""
    return "".join(get(name)(report, **options))
