"""Terraform plan JSON (``terraform show -json plan.out``): the task definitions a plan
will register, named by their addresses, with findings on the resource in the plan.

Plans are written here as Terraform writes them, one line (``terraform show -json``) or
pretty-printed; ``container_definitions`` is a JSON string in both, so a finding inside
a container sits on that string and its pointer goes on into it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import SHARED, lint_text, needs_shared, run_cli, summary

from ecslint.load import sources
from ecslint.load.document import InputError
from ecslint.load.sources import MAX_FILE_BYTES, MAX_PLAN_BYTES, Source, read_bytes
from ecslint.report.identity import Identity, of_finding
from ecslint.rule import is_unresolved
from ecslint.tasks.shapes import extract

CORPUS_PLAN = (SHARED / "corpus-terraform" / "bridgecrewio__checkov" / "tests" / "terraform"
               / "image_referencer" / "resources" / "aws" / "ecs_tfplan.json")
RESOURCE = "aws_ecs_task_definition"
IIS_2019 = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"


def containers(**fields: Any) -> str:
    """``container_definitions`` as the provider writes it into a plan: a JSON string."""
    return json.dumps([{"name": "iis", "image": IIS_2019, "essential": True, **fields}],
                      separators=(",", ":"))


def windows_values(**fields: Any) -> dict[str, Any]:
    """The ``values`` of a Windows task on EC2, with what a plan writes for the unset."""
    return {"family": "iis", "cpu": None, "memory": None, "network_mode": None,
            "requires_compatibilities": ["EC2"], "placement_constraints": [],
            "runtime_platform": [{"cpu_architecture": None,
                                  "operating_system_family": "WINDOWS_SERVER_2022_CORE"}],
            "volume": [], "skip_destroy": False, "tags": None,
            "container_definitions": containers(memory=2048, memoryReservation=1024),
            **fields}


def resource(address: str, values: dict[str, Any], mode: str = "managed") -> dict[str, Any]:
    """A resource of ``planned_values``."""
    return {"address": address, "mode": mode, "type": RESOURCE, "name": _name(address),
            "provider_name": "registry.terraform.io/hashicorp/aws", "values": values}


def _name(address: str) -> str:
    """The resource name in an address: ``this`` in ``module.web.x.this[0]``."""
    return address.rsplit(".", 1)[1].split("[")[0]


def change(address: str, after: dict[str, Any] | None, actions: list[str],
           after_unknown: dict[str, Any] | None = None, mode: str = "managed"
           ) -> dict[str, Any]:
    """An entry of ``resource_changes``."""
    return {"address": address, "mode": mode, "type": RESOURCE, "name": _name(address),
            "change": {"actions": actions, "before": None, "after": after,
                       "after_unknown": after_unknown or {}}}


def plan(planned: dict[str, Any] | None = None, changes: list[dict[str, Any]] | None = None
         ) -> dict[str, Any]:
    """A plan with ``planned`` as its root module and ``changes`` as its resource changes."""
    document: dict[str, Any] = {"format_version": "1.2", "terraform_version": "1.9.5"}
    if planned is not None:
        document["planned_values"] = {"root_module": planned}
    if changes is not None:
        document["resource_changes"] = changes
    return document


def one_line(document: dict[str, Any]) -> str:
    """A plan as ``terraform show -json`` prints it: one line, no spaces."""
    return json.dumps(document, separators=(",", ":")) + "\n"


def tasks_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The tasks found in a plan, API-shaped, by address."""
    return {task.name: task.data for task in extract(document, "plan")}


MODULES = plan({
    "resources": [resource(f'{RESOURCE}.app["api"]', windows_values())],
    "child_modules": [{
        "address": "module.web",
        "resources": [resource(f"module.web.{RESOURCE}.this[0]", windows_values(
            container_definitions=containers(memory=1024)))],
        "child_modules": [{
            "address": "module.web.module.inner",
            "resources": [resource(f"module.web.module.inner.{RESOURCE}.t", windows_values(
                cpu="1024")),
                          resource(f"module.web.module.inner.{RESOURCE}.t", {}, mode="data")],
        }],
    }],
})


@needs_shared(CORPUS_PLAN)
def test_the_corpus_plan_is_found_once_and_placed_on_its_container_string() -> None:
    # Pretty-printed, with the task in planned_values and resource_changes both.
    text = CORPUS_PLAN.read_text()
    result = lint_text(text, "ecs_tfplan.json", select=["SEC503"])
    assert [task.task for task in result.tasks] == [f"{RESOURCE}.service"]
    assert [task.os for task in result.tasks] == ["linux"]
    values = "/planned_values/root_module/resources/0/values"
    assert summary(result) == [("SEC503", 15, 38, f"{values}/container_definitions/0"),
                               ("SEC503", 15, 38, f"{values}/container_definitions/1")]


def test_a_one_line_plan_with_modules_count_and_for_each_addresses() -> None:
    text = one_line(MODULES)
    result = lint_text(text, "plan.json", select=["WIN110", "WIN201", "WIN113"])
    assert [task.task for task in result.tasks] == [
        f'{RESOURCE}.app["api"]', f"module.web.{RESOURCE}.this[0]",
        f"module.web.module.inner.{RESOURCE}.t"]
    strings = [index + len('"container_definitions":') + 1
               for index in _all(text, '"container_definitions":')]
    cpu = text.index('"cpu":"1024"') + 1  # WIN113 is on the key
    root = "/planned_values/root_module"
    app = f"{root}/resources/0/values"
    inner = f"{root}/child_modules/0/child_modules/0/resources/0/values"
    this = f"{root}/child_modules/0/resources/0/values"
    assert sorted(summary(result), key=lambda f: (f[2], f[0])) == [
        ("WIN110", 1, strings[0], f"{app}/container_definitions/0/memoryReservation"),
        ("WIN201", 1, strings[0], f"{app}/container_definitions/0/image"),
        ("WIN201", 1, strings[1], f"{this}/container_definitions/0/image"),
        ("WIN113", 1, cpu, f"{inner}/cpu"),
        ("WIN110", 1, strings[2], f"{inner}/container_definitions/0/memoryReservation"),
        ("WIN201", 1, strings[2], f"{inner}/container_definitions/0/image"),
    ]


def _all(text: str, needle: str) -> list[int]:
    """Every offset of ``needle`` in ``text``, in order."""
    found, start = [], text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def test_a_pretty_printed_plan_has_exact_lines_and_columns() -> None:
    text = json.dumps(MODULES, indent=2)
    result = lint_text(text, "plan.json", select=["WIN110", "WIN201", "WIN113"])
    root = "/planned_values/root_module"
    app = f"{root}/resources/0/values"
    this = f"{root}/child_modules/0/resources/0/values"
    inner = f"{root}/child_modules/0/child_modules/0/resources/0/values"
    assert summary(result) == [
        ("WIN110", 31, 38, f"{app}/container_definitions/0/memoryReservation"),
        ("WIN201", 31, 38, f"{app}/container_definitions/0/image"),
        ("WIN201", 63, 42, f"{this}/container_definitions/0/image"),
        ("WIN113", 79, 21, f"{inner}/cpu"),
        ("WIN110", 95, 46, f"{inner}/container_definitions/0/memoryReservation"),
        ("WIN201", 95, 46, f"{inner}/container_definitions/0/image"),
    ]
    lines = text.splitlines()
    assert lines[78][20:].startswith('"cpu": "1024"')
    assert lines[94][45:].startswith('"[{\\"name\\":\\"iis\\"')


def test_resource_changes_alone_skip_deletions_and_data_sources() -> None:
    document = plan(changes=[
        change(f"{RESOURCE}.gone", None, ["delete"]),
        change(f"{RESOURCE}.old", windows_values(), ["delete"]),
        change(f"{RESOURCE}.read", windows_values(), ["read"], mode="data"),
        change(f"{RESOURCE}.new", windows_values(), ["create"]),
        change(f"{RESOURCE}.replaced", windows_values(), ["delete", "create"]),
    ])
    text = one_line(document)
    result = lint_text(text, "plan.json", select=["WIN110"])
    assert [task.task for task in result.tasks] == [f"{RESOURCE}.new", f"{RESOURCE}.replaced"]
    assert [(rule, line, pointer) for rule, line, _, pointer in summary(result)] == [
        ("WIN110", 1, f"/resource_changes/{index}/change/after/container_definitions/0/"
                      "memoryReservation") for index in (3, 4)]


def test_values_known_only_after_apply_are_unknown() -> None:
    # planned_values leaves them out (or null); resource_changes marks them in after_unknown.
    values = windows_values(network_mode=None, volume=[{"name": "logs", "host_path": None}])
    unknown = {"network_mode": True, "container_definitions": True,
               "volume": [{"host_path": True}], "runtime_platform": [{}]}
    address = f"{RESOURCE}.t"
    for document in (plan(changes=[change(address, values, ["create"], unknown)]),
                     plan({"resources": [resource(address, values)]},
                          [change(address, values, ["create"], unknown)])):
        data = tasks_of(document)[address]
        assert is_unresolved(data["networkMode"])
        assert is_unresolved(data["containerDefinitions"])
        assert is_unresolved(data["volumes"][0]["host"]["sourcePath"])
        assert data["runtimePlatform"] == {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}
        assert summary(lint_text(one_line(document), "plan.json", select=["ALL"])) == []


def test_nulls_are_dropped_and_make_no_finding() -> None:
    values = windows_values(runtime_platform=None, volume=None, placement_constraints=None,
                            ephemeral_storage=None, proxy_configuration=None,
                            container_definitions=json.dumps([{
                                "name": "a", "image": IIS_2019, "memory": 512,
                                "memoryReservation": None, "user": None}]))
    document = plan({"resources": [resource(f"{RESOURCE}.t", values)]})
    assert tasks_of(document) == {f"{RESOURCE}.t": {
        "family": "iis", "requiresCompatibilities": ["EC2"],
        "containerDefinitions": [{"name": "a", "image": IIS_2019, "memory": 512}]}}
    result = lint_text(one_line(document), "plan.json", select=["WIN110", "E002", "WIN14"])
    assert summary(result) == []


def test_a_plan_claims_its_document_even_without_a_task() -> None:
    assert extract(plan({"resources": []}), "plan") == []
    assert extract({"format_version": "1.0", "terraform_version": "1.9.5"}, "plan") == []
    # Not a plan: format_version alone is not enough.
    assert extract({"format_version": "1", "family": "f", "containerDefinitions": []},
                   "x")[0].shape == "register"


def test_a_directory_scan_finds_a_plan_and_sarif_names_its_address(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text(one_line(MODULES))
    result = run_cli(["check", "--isolated", "--select", "WIN113", "--format", "sarif", "."],
                     tmp_path)
    [finding] = json.loads(result.stdout)["runs"][0]["results"]
    assert finding["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "/planned_values/root_module/child_modules/0/child_modules/0"
                               "/resources/0/values/cpu"},
        {"fullyQualifiedName": f"module.web.module.inner.{RESOURCE}.t", "kind": "resource"}]
    assert finding["properties"] == {"task": f"module.web.module.inner.{RESOURCE}.t"}


def test_a_finding_keeps_its_identity_when_the_plan_renumbers_its_resources() -> None:
    # Baselines and SARIF fingerprints know a plan's resource by its address.
    address = f"module.web.{RESOURCE}.this[0]"
    alone = plan({"child_modules": [{"resources": [resource(address, windows_values())]}]})
    grown = plan({"resources": [resource(f"{RESOURCE}.a", windows_values())],
                  "child_modules": [{"resources": [], "child_modules": []},
                                    {"resources": [resource(f"{RESOURCE}.b", {}),
                                                   resource(address, windows_values())]}]})

    def identities(document: dict[str, Any]) -> set[Identity]:
        result = lint_text(one_line(document), "plan.json", select=["WIN110"])
        return {of_finding(f, "plan.json") for f in result.findings if f.task == address}

    assert identities(alone) == identities(grown) == {
        ("plan.json", address, "WIN110", "iis", "*/container_definitions/*/memoryReservation")}


def test_empty_strings_of_an_existing_resource_are_unset() -> None:
    # State, and so the plan of a resource that exists, writes "" for every unset string;
    # the provider reads "" as unset (GetOk), so "" is never an invalid pidMode (E002).
    values = windows_values(
        network_mode="", ipc_mode="", pid_mode="", cpu="", memory="", task_role_arn="",
        volume=[{"name": "data", "host_path": "", "configure_at_launch": False,
                 "docker_volume_configuration": [], "efs_volume_configuration": []}],
        container_definitions=containers(cpu=1024, memory=2048,
                                         image=IIS_2019.replace("2019", "2022")))
    address = f"{RESOURCE}.t"
    document = plan({"resources": [resource(address, values)]},
                    [change(address, values, ["no-op"])])
    data = tasks_of(document)[address]
    assert {key: data[key] for key in ("family", "requiresCompatibilities", "volumes")} == {
        "family": "iis", "requiresCompatibilities": ["EC2"],
        "volumes": [{"name": "data", "configuredAtLaunch": False}]}
    assert not {"networkMode", "ipcMode", "pidMode", "cpu", "memory", "taskRoleArn"} & set(data)
    result = lint_text(one_line(document), "plan.json", select=["E002", "WIN", "FG", "ECS"])
    assert summary(result) == []


# -- size: a plan holds the whole configuration and state beside its tasks -----------------


def padded(size: int) -> str:
    """A one-line plan of about ``size`` bytes: a Windows task with memoryReservation
    (WIN110) first, then an S3 bucket resource whose policy fills the rest."""
    document = plan({"resources": [resource(f"{RESOURCE}.iis", windows_values())]})
    document["configuration"] = {"policy": "x" * size}
    return one_line(document)


def test_a_plan_over_the_file_limit_is_linted_named_scanned_and_piped(tmp_path: Path) -> None:
    text = padded(MAX_FILE_BYTES + 1024)
    (tmp_path / "plan.json").write_text(text)
    expected = "plan.json:1:"
    for args, stdin in ((["plan.json"], None), (["."], None),
                        (["--stdin-filename", "plan.json", "-"], text)):
        result = run_cli(["check", "--isolated", "--select", "WIN110", *args], tmp_path, stdin)
        assert result.exit_code == 1, result.output
        assert [line.split(" ", 1)[0].removeprefix("./")[:len(expected)]
                for line in result.stdout.splitlines() if "WIN110" in line] == [expected]


def test_a_plan_saved_by_powershell_in_utf16_is_linted(tmp_path: Path) -> None:
    # Windows PowerShell 5's `>` writes UTF-16 LE with a BOM: twice the size.
    (tmp_path / "plan.json").write_bytes(padded(MAX_FILE_BYTES // 2 + 1024).encode("utf-16"))
    result = run_cli(["check", "--isolated", "--select", "WIN110", "plan.json"], tmp_path)
    assert result.exit_code == 1, result.output
    assert "WIN110" in result.stdout


def test_other_json_over_the_file_limit_is_still_refused(tmp_path: Path) -> None:
    # Terraform state-like keys, but not as a plan begins: the 5 MiB limit holds.
    document = {"terraform_version": "1.9.5", "format_version": "1.2", "x": "x" * MAX_FILE_BYTES}
    (tmp_path / "state.json").write_text(json.dumps(document))
    result = run_cli(["check", "--isolated", "state.json"], tmp_path)
    assert result.exit_code == 2
    assert "larger than the 5 MiB limit" in result.stdout


def test_a_plan_over_the_plan_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "plan.json"
    with open(big, "wb") as handle:  # sparse: no 129 MiB on disk
        handle.write(padded(10).encode()[:200])
        handle.truncate(MAX_PLAN_BYTES + 1)
    result = run_cli(["check", "--isolated", "plan.json"], tmp_path)
    assert result.exit_code == 2
    assert (f"file is larger than the 5 MiB limit ({MAX_PLAN_BYTES + 1} bytes or more) and the "
            "128 MiB limit for a Terraform plan") in result.stdout


def test_a_plan_that_grows_past_the_plan_limit_is_refused(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    grown = tmp_path / "plan.json"
    with open(grown, "wb") as handle:
        handle.write(padded(10).encode()[:200])
        handle.truncate(MAX_PLAN_BYTES + 100)
    real_stat, real_fstat = os.stat, os.fstat

    def smaller(info: os.stat_result) -> os.stat_result:
        return os.stat_result((*info[:6], MAX_FILE_BYTES + 1, *info[7:]))

    monkeypatch.setattr(sources.os, "stat", lambda path: smaller(real_stat(path)))
    monkeypatch.setattr(sources.os, "fstat", lambda fd: smaller(real_fstat(fd)))
    with pytest.raises(InputError, match=r"larger than the 128 MiB limit for a Terraform plan"):
        read_bytes(Source(str(grown), "plan.json", True))


def test_spans_are_kept_for_the_tasks_of_a_plan_alone() -> None:
    """A plan's other resources, configuration and state get no spans below their own
    (a 100 MB plan took 16 s and 1.6 GB for them); its tasks keep every span."""
    from ecslint.load.json_reader import _SpanScanner, parse_json
    from ecslint.load.sourcemap import LineIndex

    bucket = {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket",
              "name": "b", "values": {"tags": {"a": "b"}}}
    document = plan({"resources": [bucket, resource(f"{RESOURCE}.iis", windows_values())],
                     "child_modules": [{"address": "module.m", "resources": [
                         bucket, resource(f"module.m.{RESOURCE}.t", windows_values())]}]},
                    [change(f"{RESOURCE}.iis", windows_values(), ["create"]),
                     dict(change("aws_s3_bucket.b", {"x": [1]}, ["create"]),
                          type="aws_s3_bucket")])
    document["configuration"] = {"root_module": {"resources": [{"expressions": {}}]}}
    text = json.dumps(document, indent=2)
    [parsed] = parse_json(text).documents
    full = _SpanScanner(text, LineIndex(text))
    full.value(full.skip(0), (), None, None, 0)
    every = dict(entry for entry in full.entries if entry is not None)
    kept = parsed.sourcemap.spans
    root = ("planned_values", "root_module")
    task_paths = [root + ("resources", 1), root + ("child_modules", 0, "resources", 1),
                  ("resource_changes", 0)]
    for path, span in every.items():
        inside_task = any(path[:len(task)] == task for task in task_paths)
        outside = path[:1] == ("configuration",) and len(path) > 1 or any(
            path[:len(other)] == other and len(path) > len(other) for other in (
                root + ("resources", 0), root + ("child_modules", 0, "resources", 0),
                ("resource_changes", 1)))
        if inside_task or not outside:
            assert kept.get(path) == span, path
        else:
            assert path not in kept, path
    assert len(kept) < len(every)
