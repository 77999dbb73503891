"""JSON Schemas shipped as package data: the task definition and the configuration file."""

from pathlib import Path


def read(name: str) -> str:
    """The text of the schema file ``name`` beside this module.

    A plain path rather than ``importlib.resources``, which imports ``tempfile`` and
    more, some 5 ms of every run: ecslint is installed as files, never zipped.
    """
    return (Path(__file__).parent / name).read_text(encoding="utf-8")
