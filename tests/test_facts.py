"""The fact tables hold what their ``TypedDict`` in ``ecslint.facts`` promises, so
the types rules are checked against describe the data they read."""

from __future__ import annotations

import typing
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from ecslint import facts
from ecslint.facts import tables as fact_tables

pytestmark = pytest.mark.skipif(not hasattr(typing, "get_overloads"),
                                reason="typing.get_overloads is Python 3.11 or later")


def _tables() -> dict[str, Any]:
    """Each table name the overloads of ``table`` accept, with its return type."""
    found = {}
    for overload in getattr(typing, "get_overloads", lambda _: [])(facts.table):
        hints = get_type_hints(overload, {**vars(facts), **vars(fact_tables)})
        (name,) = get_args(hints["name"])
        found[name] = hints["return"]
    return found


def _problems(value: Any, expected: Any, where: str) -> list[str]:
    if is_typeddict(expected):
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        hints = get_type_hints(expected)
        missing = [f"{where}.{key}: missing" for key in expected.__required_keys__
                   if key not in value]
        return missing + [problem for key, item in value.items() if key in hints
                          for problem in _problems(item, hints[key], f"{where}.{key}")]
    origin = get_origin(expected)
    if origin in (Union, UnionType):
        options = [_problems(value, option, where) for option in get_args(expected)]
        return min(options, key=len)
    if origin is list:
        (item,) = get_args(expected)
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [p for index, v in enumerate(value) for p in _problems(v, item, f"{where}[{index}]")]
    if origin is dict:
        _, item = get_args(expected)
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        return [p for key, v in value.items() for p in _problems(v, item, f"{where}.{key}")]
    if expected is int:
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{where}: not int"]
    return [] if isinstance(value, expected) else [f"{where}: not {expected.__name__}"]


def test_every_data_file_has_a_typed_table() -> None:
    assert sorted(_tables()) == sorted(p.stem for p in facts.DATA.glob("*.json"))


@pytest.mark.parametrize("name", sorted(_tables()))
def test_table_matches_its_type(name: str) -> None:
    assert _problems(facts.table(name), _tables()[name], name) == []  # type: ignore[call-overload]


def test_a_missing_key_is_a_problem() -> None:
    assert _problems({"ports": [{"source": "s"}]}, fact_tables.FargateWindowsReservedPorts, "t") == [
        "t.ports[0].port: missing"]
