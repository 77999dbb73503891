"""Fact tables shipped as data files (``linter/data/*.json``), not as code.

Facts about Windows on ECS change (new Windows releases, Fargate sizes, reserved
ports), so each table lives in a JSON file whose entries name their source, and
a rule reads it through ``table(name)``. Tables are parsed once per process and
only when a rule asks, so a run pays only for the tables it uses.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

# Beside this module; a plain path, not importlib.resources (which costs some 5 ms
# of imports a run): ecslint is installed as files, never zipped.
DATA = Path(__file__).parent / "data"


@cache
def table(name: str) -> Any:
    """The parsed content of ``data/<name>.json`` (shared: do not mutate it)."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
