"""Task-level cpu and memory as numbers, whatever form the definition uses.

The API takes task cpu as CPU units (``1024``, ``"1024"``) or vCPUs (``"1 vCPU"``,
``"0.25 vcpu"``) and task memory as MiB (``2048``) or GB (``"2 GB"``, ``"2GB"``);
registration normalises both to integers (windows-ecs-facts.md §3a, BOTO
RegisterTaskDefinitionRequest.cpu/.memory). Anything else is ``None``: unknown,
never an exception. So is a number with more than 18 digits before the point:
no task is that large, and Python refuses to convert (or print) an integer of
more than 4300 digits, so ``"9999…9 vCPU"`` must not reach ``int``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

_PLAIN = re.compile(r"^\s*(\d{1,18})\s*$")
_VCPU = re.compile(r"^\s*(\d{1,18}(?:\.\d*)?|\.\d+)\s*vcpus?\s*$", re.IGNORECASE)
_GB = re.compile(r"^\s*(\d{1,18}(?:\.\d*)?|\.\d+)\s*gb\s*$", re.IGNORECASE)
_PER_UNIT = 1024


def cpu_units(value: Any) -> int | None:
    """Task cpu in CPU units, or None when the value has no form the API accepts."""
    return _size(value, _VCPU)


def memory_mib(value: Any) -> int | None:
    """Task memory in MiB, or None when the value has no form the API accepts."""
    return _size(value, _GB)


def _size(value: Any, scaled: re.Pattern[str]) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    if not isinstance(value, str):
        return None
    plain = _PLAIN.match(value)
    if plain:
        return int(plain.group(1))
    match = scaled.match(value)
    if not match:
        return None
    try:
        amount = Decimal(match.group(1)) * _PER_UNIT
    except InvalidOperation:
        return None
    return int(amount) if amount == amount.to_integral_value() else None
