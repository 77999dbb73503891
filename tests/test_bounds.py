"""Issue 12, items 1, 2, 3 and 5: inputs under 1 MB that took minutes, gigabytes or
an internal error (a dependsOn cycle of thousands of containers, WIN202 listing
every other container, sexagesimal YAML numbers, ECS407 sums Python cannot print)."""

from __future__ import annotations

import json
import time
from typing import Any

from bench import issue12_bounds
from helpers import lint_text

from ecslint.load.yaml_reader import parse_yaml
from ecslint.rule import MAX_RELATED


def task(containers: list[dict[str, Any]], **fields: Any) -> str:
    return json.dumps({"family": "big", **fields, "containerDefinitions": containers},
                      indent=1)


def timed(text: str, select: list[str], name: str = "task.json") -> tuple[Any, float]:
    start = time.perf_counter()
    result = lint_text(text, name=name, select=select)
    return result, time.perf_counter() - start


def chain(count: int, cycle: bool) -> str:
    containers = [{"name": f"c{n}", "image": "nginx", "memory": 4,
                   "dependsOn": ([{"containerName": f"c{n + 1}", "condition": "START"}]
                                 if n + 1 < count or cycle else [])}
                  for n in range(count)]
    if cycle:
        containers[-1]["dependsOn"] = [{"containerName": "c0", "condition": "START"}]
    return task(containers)


def test_a_dependson_cycle_of_8000_containers_is_one_bounded_finding() -> None:
    result, seconds = timed(chain(8000, cycle=True), ["ECS405"])
    assert seconds < 5
    [finding] = result.findings
    assert (finding.rule.id, finding.location.pointer) == (
        "ECS405", "/containerDefinitions/0/dependsOn/0/containerName")
    assert finding.message == (
        "containers wait for each other in a dependsOn cycle ('c0' -> 'c1' -> 'c2' -> 'c3' -> "
        "'c4' -> 'c5' -> 'c6' -> 'c7' -> 'c8' -> 'c9' and 7991 more), so none of them can "
        f"start (and {7999 - MAX_RELATED} more related locations)")
    assert len(finding.related) == MAX_RELATED


def test_a_dependson_chain_of_8000_containers_is_linear_and_clean() -> None:
    result, seconds = timed(chain(8000, cycle=False), ["ECS405"])
    assert seconds < 5
    assert result.findings == []


def test_two_cycles_and_a_self_loop_are_reported_once_each() -> None:
    def c(name: str, *targets: str) -> dict[str, Any]:
        return {"name": name, "image": "nginx", "memory": 4,
                "dependsOn": [{"containerName": t, "condition": "START"} for t in targets]}
    text = task([c("a", "b"), c("b", "a", "c"), c("c", "d"), c("d", "c"), c("e", "e"),
                 c("f", "a")])
    result = lint_text(text, select=["ECS405"])
    assert [(f.location.pointer, f.message.split("(")[1].split(")")[0])
            for f in result.findings] == [
        ("/containerDefinitions/0/dependsOn/0/containerName", "'a' -> 'b' -> 'a'"),
        ("/containerDefinitions/2/dependsOn/0/containerName", "'c' -> 'd' -> 'c'"),
        ("/containerDefinitions/4/dependsOn/0/containerName", "'e' -> 'e'"),
    ]


def windows_mix(count: int) -> str:
    images = ["mcr.microsoft.com/windows/servercore:ltsc2019",
              "mcr.microsoft.com/windows/servercore:ltsc2022"]
    containers = [{"name": f"c{n}", "image": images[n % 2], "memory": 4}
                  for n in range(count)]
    return task(containers, runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
                requiresCompatibilities=["EC2"])


def test_win202_bounds_related_locations_and_names() -> None:
    result, seconds = timed(windows_mix(4000), ["WIN202"])
    assert seconds < 10
    assert len(result.findings) == 2000
    first = result.findings[0]
    assert first.location.pointer == "/containerDefinitions/0/image"
    assert len(first.related) == MAX_RELATED
    assert first.message == (
        "container 'c0' uses a Windows Server 2019 (build 17763) image while containers "
        "'c1', 'c3', 'c5', 'c7', 'c9', 'c11', 'c13', 'c15', 'c17', 'c19' and 1990 more use "
        "Windows Server 2022 (build 20348); a host starts only one of these builds "
        f"(and {2000 - MAX_RELATED} more related locations)")
    assert sum(len(f.message) for f in result.findings) < 2000 * 400


def test_every_finding_keeps_at_most_max_related_locations() -> None:
    containers = [{"name": f"c{n}", "image": "nginx", "memory": 4} for n in range(40)]
    result = lint_text(task(containers), select=["ECS401"])
    [finding] = result.findings
    assert len(finding.related) == MAX_RELATED
    assert finding.message.endswith(f"(and {30 - MAX_RELATED} more related locations)")


def test_ecs404_searches_for_a_close_name_at_most_max_suggestions_times_a_task(
        monkeypatch: Any) -> None:
    # Found by the fuzzer: each search compares the name with every container's, so
    # 3,000 containers depending on missing ones took minutes.
    import ecslint.rules.ecs404_dangling_reference as ecs404

    searches = []
    real = ecs404.did_you_mean
    monkeypatch.setattr(ecs404, "did_you_mean",
                        lambda name, known: searches.append(name) or real(name, known))
    containers = [{"name": f"web{n}", "image": "nginx", "memory": 4,
                   "dependsOn": [{"containerName": f"web{n}x", "condition": "START"}]}
                  for n in range(300)]
    result = lint_text(task(containers), select=["ECS404"])
    assert len(result.findings) == 300
    assert len(searches) == ecs404.MAX_SUGGESTIONS
    assert sum("did you mean" in f.message for f in result.findings) == ecs404.MAX_SUGGESTIONS


def test_ecs407_sums_past_the_int_to_str_limit_are_reported() -> None:
    big = int("9" * 4300)
    containers = [{"name": "a", "image": "nginx", "memoryReservation": big},
                  {"name": "b", "image": "nginx", "memoryReservation": big}]
    result = lint_text(task(containers, memory="1024"), select=["ECS407", "E001"])
    assert [(f.rule.id, f.location.pointer) for f in result.findings] == [("ECS407", "/memory")]
    assert result.errors == []
    message = result.findings[0].message
    assert message == (
        "the containers of task 'big' reserve at least 10^4300 MiB together ('a' at least "
        "10^4299, 'b' at least 10^4299), above the task's memory of 1024 MiB")


def test_sexagesimal_integers_are_bounded_in_time() -> None:
    text = "family: x\ncontainerDefinitions:\n- name: a\n  image: nginx\n  memory: 1" + \
        ":1" * 100_000 + "\n"
    start = time.perf_counter()
    [document] = parse_yaml(text).documents
    assert time.perf_counter() - start < 3
    memory = document.data["containerDefinitions"][0]["memory"]
    assert memory == "1" + ":1" * 100_000
    [notice] = document.notices
    assert notice.message == ("'1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1...' is a sexagesimal "
                              "number of more than 100 parts; read as a string")


def test_a_sexagesimal_float_with_many_parts_is_a_string_not_an_overflow() -> None:
    value = "1" + ":1" * 200 + ".5"
    text = f"family: x\ncontainerDefinitions:\n- name: a\n  image: nginx\n  memory: {value}\n"
    [document] = parse_yaml(text).documents
    assert document.data["containerDefinitions"][0]["memory"] == value
    result = lint_text(text, name="task.yaml")
    assert result.errors == []


def test_short_sexagesimal_numbers_keep_their_yaml_1_1_values() -> None:
    [document] = parse_yaml("a: 1:30\nb: 1:30.5\nc: -2:0:0\n").documents
    assert document.data == {"a": 90, "b": 90.5, "c": -7200}


def test_the_benchmark_shapes_are_linted_without_errors_in_bounded_time() -> None:
    start = time.perf_counter()
    for name, text in issue12_bounds().items():
        result = lint_text(text, name=name)
        assert result.errors == [], name
        parse_errors = [f.message for f in result.findings if f.rule.id == "E001"]
        assert parse_errors == ([] if name.endswith(".json") else [
            "'1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1...' is a sexagesimal number of more "
            "than 100 parts; read as a string"]), name
    assert time.perf_counter() - start < 60
