"""The reader registry: which reader a file goes to, and that a new format is one entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import lint_text, summary

from ecslint.load import readers
from ecslint.load.document import Parsed
from ecslint.load.json_reader import parse_json
from ecslint.load.readers import JSON, TERRAFORM, YAML, Reader, for_name, for_text, walked
from ecslint.load.sources import Source, discover


@pytest.mark.parametrize(("name", "text", "reader"), [
    ("task.json", "family: web", JSON),
    ("task.json.tpl", "family: web", JSON),
    ("task.json.template", "", JSON),
    ("task.yaml", "{}", YAML),
    ("task.json.yml", "{}", YAML),
    ("TASK.YAML", "{}", YAML),
    ("main.tf", "", TERRAFORM),
    ("main.tf.json", "{}", JSON),  # Terraform's JSON syntax is JSON
    ("task.tpl", '  {"family": "web"}', JSON),
    ("task.tpl", "[]", JSON),
    ("task.tpl", "family: web", YAML),
    ("-", "family: web", YAML),
])
def test_a_file_goes_to_the_reader_its_name_or_else_its_content_asks_for(
        name: str, text: str, reader: Reader) -> None:
    assert for_text(text, name) is reader


def test_json_has_no_comments_yaml_and_hcl_have_them() -> None:
    assert JSON.comment is None and YAML.comment == "#" and TERRAFORM.comment == ("#", "//")
    assert for_name("task.template") is None


@pytest.mark.parametrize(("name", "picked"), [
    ("a.json", True), ("a.yaml", True), ("a.yml", True), ("a.template", True),
    ("a.tpl", True), ("a.tftpl", True), ("a.tf", True), ("a.txt", False), ("a.json.bak", False),
])
def test_a_walk_picks_up_what_a_reader_or_template_suffix_names(name: str, picked: bool) -> None:
    assert walked(name) is picked


def test_a_new_format_is_one_registered_reader(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """What issue 13 (Terraform) does: register a reader; the walk
    and the engine follow without another change."""
    def parse(text: str, _path: str | None) -> Parsed:
        return parse_json(text.replace("'", '"'))

    quoted = Reader(name="quoted", claims=lambda name: name.endswith(".q"), walk=(".q",),
                    parse=parse)
    monkeypatch.setattr(readers, "READERS", (quoted, *readers.READERS))
    task = json.dumps({"family": "web", "networkMode": "bridged",
                       "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 1}]})
    (tmp_path / "task.q").write_text(task.replace('"', "'"))
    assert list(discover([str(tmp_path)], walked)) == [
        Source(str(tmp_path / "task.q"), str(tmp_path / "task.q"), False)]
    assert summary(lint_text(task.replace('"', "'"), "task.q", select=["E002"])) == [
        ("E002", 1, 34, "/networkMode")]

