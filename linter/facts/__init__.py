"""Fact tables shipped as data files (``linter/facts/data/*.json``), not as code.

Facts about Windows on ECS change (new Windows releases, Fargate sizes, reserved
ports), so each table lives in a JSON file whose entries name their source, and
a rule reads it through ``table(name)``, typed by the table's ``TypedDict`` in
``ecslint.facts.tables`` (imported for type checkers only: creating some forty
classes would cost every run 3 ms). Tables are parsed once per process and
only when a rule asks, so a run pays only for the tables it uses.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    from ecslint.facts.tables import (
        EcsLimits,
        FargateLogDrivers,
        FargateOsFamilies,
        FargateSizes,
        FargateUnsupportedParameters,
        FargateWindowsFeatures,
        FargateWindowsReservedPorts,
        SecuritySecrets,
        WindowsHostLifecycle,
        WindowsReservedPorts,
        WindowsUnsupportedParameters,
        WindowsVersions,
    )

# Beside this module; a plain path, not importlib.resources (which costs some 5 ms
# of imports a run): ecslint is installed as files, never zipped.
DATA = Path(__file__).parent / "data"


@overload
def table(name: Literal["ecs-limits"]) -> EcsLimits: ...
@overload
def table(name: Literal["fargate-log-drivers"]) -> FargateLogDrivers: ...
@overload
def table(name: Literal["fargate-os-families"]) -> FargateOsFamilies: ...
@overload
def table(name: Literal["fargate-sizes"]) -> FargateSizes: ...
@overload
def table(name: Literal["fargate-unsupported-parameters"]) -> FargateUnsupportedParameters: ...
@overload
def table(name: Literal["fargate-windows-features"]) -> FargateWindowsFeatures: ...
@overload
def table(name: Literal["fargate-windows-reserved-ports"]) -> FargateWindowsReservedPorts: ...
@overload
def table(name: Literal["security-secrets"]) -> SecuritySecrets: ...
@overload
def table(name: Literal["windows-host-lifecycle"]) -> WindowsHostLifecycle: ...
@overload
def table(name: Literal["windows-reserved-ports"]) -> WindowsReservedPorts: ...
@overload
def table(name: Literal["windows-unsupported-parameters"]) -> WindowsUnsupportedParameters: ...
@overload
def table(name: Literal["windows-versions"]) -> WindowsVersions: ...
def table(name: str) -> Any:
    """The parsed content of ``data/<name>.json`` (shared: do not mutate it),
    typed by the ``TypedDict`` of its table."""
    return _load(name)


@cache
def _load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
