"""``Record``: an immutable value class that costs next to nothing to define.

Fixes and their edits (``ecslint.fix.operations``, ``report.model.ReportedFix``) are
types every run imports, though few runs build one. A dataclass or a named tuple
compiles its methods when its class is created (0.7 ms a one-file run for a
dataclass, 1 to 2 M instructions for a named tuple); a ``Record`` subclass only
names its fields in ``__slots__`` and shares these methods.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Record:
    """Fields are the ``__slots__`` of the subclass, in order; ``defaults`` gives the
    values of the trailing ones that may be left out. Equal fields: equal records."""

    __slots__: ClassVar[tuple[str, ...]] = ()
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self.__slots__
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes {len(names)} fields")
        for name, value in zip(names, args, strict=False):
            object.__setattr__(self, name, value)
        for name in names[len(args):]:
            if name in kwargs:
                object.__setattr__(self, name, kwargs.pop(name))
            elif name in self.defaults:
                object.__setattr__(self, name, self.defaults[name])
            else:
                raise TypeError(f"{type(self).__name__} needs {name}")
        if kwargs:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(kwargs))}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.fields() == self.fields()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fields()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inner})"
