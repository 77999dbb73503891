"""Benchmark ecslint against the speed targets of issue 5, and cfn-lint beside it.

Builds the inputs in a work folder, runs every command several times as a whole
process (start-up included, as a user or pre-commit runs it) and prints a
Markdown table: wall time median, min and max, peak memory, the ratio to
cfn-lint on the same file, and the cost per file of a whole estate.

    python benchmarks/bench.py                       # everything, cfn-lint from PATH
    python benchmarks/bench.py --cfn-lint /tmp/cfnlint-venv/bin/cfn-lint
    python benchmarks/bench.py --quick               # fewer runs, estates up to 1,000

Inputs (all generated, nothing is downloaded):

- ``one-task.json``: a small Windows task definition (``examples/windows-iis-ec2.json``),
  the pre-commit case; ``one-task-template.yaml``: the same task as the only
  resource of a CloudFormation template, the file both linters read;
  ``one-task.tf``: the same task as a Terraform resource (``jsonencode``), which
  imports the HCL parser (tree-sitter) only for it; ``one-fixable.json``
  (``examples/windows-service-broken.json``) is fixed with ``--diff --unsafe-fixes``,
  the pre-commit hook with ``args: [--fix]`` (writing nothing, so every run is alike).
- ``estate-N/``: N files, copies of ``examples/`` and every file of the shared corpus
  (``../shared/corpus`` beside the repository, or ``--corpus``) that ecslint
  discovers, in an order whose every prefix spreads evenly over the file sizes, so
  that the estates of 100, 1,000 and 10,000 files (``--counts``) have the same mix.
  The largest estate is also linted with ``--format json`` and ``--format sarif``,
  the single-document formats, to show that their memory does not grow either.
- ``template-1mb.yaml`` / ``template-1mb.json``: a 1 MB CloudFormation template
  holding 200 task definitions; ``task-64k.json``: a task definition whose
  registered size (compact JSON) is just under the 64 KiB ECS accepts;
  ``plan-100mb.json``: a one-line Terraform plan of 100 MB, 50 task definitions among
  S3 buckets.
- ``hostile/``: the worst legal inputs of SECURITY.md (``build_hostile``): 400 KB
  strings of placeholder openers, tasks of eleven 400 KB strings (one per kind of
  string the rules scan), 100,000 levels of nesting and YAML alias bombs, and issue
  12's shapes (``issue12_bounds``). The test
  suite checks that each is handled correctly; this script times them.

Memory: "peak RSS" is the largest resident set of any one process of the run
(``wait4``'s ``ru_maxrss``, which covers the workers of ``--jobs``); "tree RSS" is
the peak of the resident sets of the run's processes added up, sampled every
20 ms from /proc (estates only, where the workers run at the same time). "CPU s"
is user plus system time of the run, workers included: on a shared machine it
moves less than the wall time. "per file" is the median wall time divided by the
number of files; "marginal" is the extra wall time per extra file from the
previous estate, start-up excluded, which is flat when the cost scales linearly.

Bytecode: the children run with ``PYTHONPYCACHEPREFIX`` pointing into the work
folder and without ``PYTHONDONTWRITEBYTECODE``, after one warm-up run, so both
tools start from compiled bytecode, as they do when installed with pip. The row
"PYTHONDONTWRITEBYTECODE=1" runs ecslint in the calling environment with that
set and no warm-up: an editable install then compiles every module at each start
(a wheel install ships compiled bytecode and is not affected).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
EXTENSIONS = (".json", ".yaml", ".yml", ".template")
SKIPPED = ("README.md", "PROVENANCE.md")
COUNTS = (100, 1_000, 10_000)
GOLDEN = 0.6180339887498949

ONE_TASK_TERRAFORM = """\
resource "aws_ecs_task_definition" "iis" {
  family                   = "iis"
  requires_compatibilities = ["EC2"]
  network_mode             = "nat"
  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }
  container_definitions = jsonencode([
    {
      name      = "iis"
      image     = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
      cpu       = 1024
      memory    = 2048
      essential = true
      portMappings = [{ containerPort = 80, hostPort = 8080, protocol = "tcp" }]
    }
  ])
}
"""
ONE_TASK_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: One Windows task definition (examples/windows-iis-ec2.json as a template)
Resources:
  IisTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: iis-web
      RuntimePlatform:
        OperatingSystemFamily: WINDOWS_SERVER_2022_CORE
        CpuArchitecture: X86_64
      RequiresCompatibilities: [EC2]
      ExecutionRoleArn: arn:aws:iam::111122223333:role/ecsTaskExecutionRole
      ContainerDefinitions:
        - Name: iis
          Image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
          Cpu: 1024
          Memory: 2048
          Essential: true
          User: ContainerUser
          EntryPoint: [powershell, -Command]
          Command: ['C:\\ServiceMonitor.exe w3svc']
          PortMappings:
            - ContainerPort: 80
              HostPort: 8080
              Protocol: tcp
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: /ecs/iis-web
              awslogs-region: eu-west-1
              awslogs-stream-prefix: iis
"""


# --------------------------------------------------------------------------- inputs


def estate_sources(corpus: Path | None) -> list[Path]:
    """The files an estate is made of, in a size-balanced order."""
    found = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in EXTENSIONS)
    if corpus is not None and corpus.is_dir():
        found += sorted(
            p for p in corpus.rglob("*")
            if p.is_file() and "_licenses" not in p.parts and p.name not in SKIPPED
            and p.name.lower().endswith(EXTENSIONS)
        )
    by_size = sorted(found, key=lambda p: (p.stat().st_size, str(p)))
    # A low-discrepancy order over the size ranks: every prefix samples all sizes.
    return [p for _, p in sorted(((rank * GOLDEN) % 1.0, p) for rank, p in enumerate(by_size))]


def build_estate(folder: Path, sources: Sequence[Path], count: int) -> int:
    """Write ``count`` files into ``folder``; return their total size in bytes."""
    if folder.is_dir() and len(list(folder.iterdir())) == count:
        return sum(p.stat().st_size for p in folder.iterdir())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    total = 0
    for index in range(count):
        source = sources[index % len(sources)]
        data = source.read_bytes()
        (folder / f"{index:05d}-{source.name}").write_bytes(data)
        total += len(data)
    return total


def _task(index: int, env_count: int, cloudformation: bool) -> dict:
    """One task definition of a few containers; every other one is Windows."""
    windows = index % 2 == 0
    image = ("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022"
             if windows else f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/app{index}:1.{index}")
    containers = []
    for number in range(3):
        name = f"c{number}"
        containers.append({
            "name": name, "image": image, "cpu": 256, "memory": 512, "essential": number == 0,
            "portMappings": [{"containerPort": 8080 + number, "protocol": "tcp"}],
            "environment": [{"name": f"SETTING_{number}_{i}", "value": f"value-{index}-{i}"}
                            for i in range(env_count)],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": f"/ecs/task-{index}", "awslogs-region": "eu-west-1",
                "awslogs-stream-prefix": name}},
        })
    task: dict = {
        "family": f"task-{index}",
        "requiresCompatibilities": ["EC2"] if windows else ["FARGATE"],
        "networkMode": "awsvpc" if not windows else "default",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "containerDefinitions": containers,
    }
    if windows:
        task["runtimePlatform"] = {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}
    else:
        task["cpu"], task["memory"] = "1024", "2048"
    return _pascal(task) if cloudformation else task


def _pascal(value: object, keep: bool = False) -> object:
    """CloudFormation spelling: PascalCase keys, except log driver options."""
    if isinstance(value, dict):
        return {(k if keep else k[:1].upper() + k[1:]): _pascal(v, k == "options")
                for k, v in value.items()}
    if isinstance(value, list):
        return [_pascal(v) for v in value]
    return value


def _template(env_count: int) -> dict:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "200 task definitions",
        "Resources": {
            f"Task{index}": {"Type": "AWS::ECS::TaskDefinition",
                             "Properties": _task(index, env_count, cloudformation=True)}
            for index in range(200)
        },
    }


def _to_yaml(data: object) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=200)


def build_big_templates(folder: Path, target: int = 1_000_000) -> None:
    """A YAML and a JSON template of 200 task definitions, each just under ``target`` bytes."""
    for suffix, dump in ((".yaml", _to_yaml), (".json", lambda d: json.dumps(d, indent=2))):
        path = folder / f"template-1mb{suffix}"
        if path.exists():
            continue
        # The size grows linearly with the environment variables per container.
        one, two = len(dump(_template(1))), len(dump(_template(2)))
        env_count = 1 + (target - one) // (two - one)
        while len(dump(_template(env_count))) > target:
            env_count -= 1
        path.write_text(dump(_template(env_count)), encoding="utf-8")


def build_big_plan(path: Path, target: int = 100_000_000, tasks: int = 50) -> None:
    """A one-line Terraform plan of about ``target`` bytes: ``tasks`` task definitions
    among S3 buckets, as a large estate's ``terraform show -json`` is mostly other
    resources."""
    if path.exists():
        return
    task = _task(0, 1, cloudformation=False)
    values = {"family": task["family"], "requires_compatibilities": ["EC2"],
              "runtime_platform": [{"operating_system_family": "WINDOWS_SERVER_2022_CORE"}],
              "container_definitions": json.dumps(task["containerDefinitions"])}
    resources: list[dict[str, object]] = [
        {"address": f"aws_ecs_task_definition.t{n}", "mode": "managed",
         "type": "aws_ecs_task_definition", "name": f"t{n}", "values": values}
        for n in range(tasks)]
    bucket = {"mode": "managed", "type": "aws_s3_bucket", "values": {
        "bucket": "b" * 40, "tags": {"team": "web"}, "policy": '{"Version":"2012-10-17"}' * 20}}
    size = len(json.dumps(resources)) + 1
    one = len(json.dumps(dict(bucket, address="aws_s3_bucket.b0", name="b0"))) + 1
    resources += [dict(bucket, address=f"aws_s3_bucket.b{n}", name=f"b{n}")
                  for n in range(max(0, (target - size) // one))]
    plan = {"format_version": "1.2", "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": resources}}}
    path.write_text(json.dumps(plan, separators=(",", ":")), encoding="utf-8")


def build_64k_task(path: Path, limit: int = 65_536) -> None:
    """A task definition whose compact JSON is just under ``limit`` bytes (10 containers)."""
    if path.exists():
        return
    task = _task(0, 1, cloudformation=False)
    task["containerDefinitions"] = [dict(task["containerDefinitions"][0], name=f"c{n}",
                                         essential=n == 0) for n in range(10)]
    size = 0
    while True:
        for number, container in enumerate(task["containerDefinitions"]):
            env = container["environment"]
            candidate = env + [{"name": f"SETTING_{number}_{len(env)}",
                                "value": f"value-{len(env):04d}-abcdefghij"}]
            container["environment"] = candidate
            compact = len(json.dumps(task, separators=(",", ":")).encode())
            if compact > limit:
                container["environment"] = env
                path.write_text(json.dumps(task, indent=2), encoding="utf-8")
                return
            size = compact
        assert size


# --------------------------------------------------------------------------- hostile inputs
# SECURITY.md's worst legal inputs. tests/test_hostile_inputs.py checks that ecslint
# handles each correctly; this script times them, which is where a check that went
# quadratic would show.

PLACEHOLDER_OPENERS = ("{{", "${", "{%", "%{", "<%", "$$$$", "%>", "<A_", "{A ")
# Strings that each rule family scans: numbers, paths, commands, versions, tags, keys,
# bidi controls, ARNs.
SIZE_LIMIT_UNITS = ("a", " ", "1", "Aa1/", "-", ":", "\\", "C:\\", "CMD ", "10.0.",
                    "windows", "ltsc2019-", "AKIA", "x" * 39 + "=", "\u202e", "é", "arn:aws:")


def placeholder_task(unit: str) -> dict:
    """A task whose strings are 400 KB of ``unit``: an old placeholder check searched
    ``\\{\\{.*?\\}\\}`` from every ``{{``, 4 s for 40 KB and hours for megabytes."""
    value = unit * (400_000 // len(unit))
    return {"family": value, "containerDefinitions": [
        {"name": value, "image": value, "command": [value],
         "environment": [{"name": "A", "value": value}]}]}


def size_limit_task(unit: str, length: int = 400_000) -> dict:
    """A task whose eleven strings are ``length`` characters of ``unit`` each: about
    the 5 MiB a file may hold, in every field a rule reads."""
    value = unit * (length // len(unit))
    return {"family": value, "networkMode": value, "cpu": value,
            "requiresCompatibilities": ["FARGATE"], "executionRoleArn": value,
            "containerDefinitions": [{
                "name": value, "image": value, "user": value, "command": [value],
                "environment": [{"name": "SECRET_KEY", "value": value}],
                "portMappings": [{"containerPort": 80, "containerPortRange": value}],
                "healthCheck": {"command": [value]},
                "dockerSecurityOptions": [value], "credentialSpecs": [value],
                "logConfiguration": {"logDriver": "awslogs", "options": {"a": value}}}],
            "placementConstraints": [{"type": "memberOf", "expression": value}]}


def deep_nesting() -> dict[str, str]:
    """Files nested 100,000 levels deep (2,000 by indentation), by name."""
    return {
        "arrays.json": "[" * 100_000 + "]" * 100_000,
        "objects.json": '{"a":' * 100_000 + "1" + "}" * 100_000,
        "unclosed.json": "[" * 100_000,
        "block.yaml": "- " * 100_000 + "x\n",
        "flow.yaml": "[" * 100_000 + "]" * 100_000,
        "mappings.yaml": "{a: " * 100_000 + "1" + "}" * 100_000,
        "indented.yaml": "".join(" " * level + "a:\n" for level in range(2_000)),
    }


def alias_bombs() -> dict[str, str]:
    """Billion laughs, a merge-key bomb, and thirty aliases of one 1 MB string (30 MB
    for every rule to scan; 200 of them once took 13 s and 1.2 GB), by name."""
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        laughs.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    merges = ["l0: &l0 {" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}"]
    for level in range(1, 10):
        merges.append(f"l{level}: &l{level} {{<<: [{', '.join([f'*l{level - 1}'] * 10)}]}}")
    head = "family: bomb\ncontainerDefinitions: []\n"
    return {
        "laughs.yaml": head + "\n".join(laughs),
        "merges.yaml": head + "\n".join(merges),
        "long-string.yaml": "long: &s " + "A" * 1_000_000 + "\nfamily: web\n"
        "containerDefinitions:\n  - {name: web, image: nginx, command: ["
        + ", ".join(["*s"] * 30) + "]}\n",
    }


def issue12_bounds() -> dict[str, str]:
    """Issue 12's shapes, by name: dependsOn cycles and chains of 8,000 containers
    (ECS405 took 57 s and 4.1 GB), 4,000 containers of two Windows builds (WIN202's
    related locations made 612 MB of SARIF), sexagesimal YAML numbers of 100,000
    and 200 parts (18 s, OverflowError), ECS407 summing two 4,300-digit values, and
    3,000 containers each depending on a missing one (ECS404's did-you-mean compared
    every name with every other: 4.3 s at 1,000, minutes at 3,000; found by the fuzzer)."""
    def task(containers: list[dict[str, object]], **fields: object) -> str:
        return json.dumps({"family": "big", **fields, "containerDefinitions": containers})

    def chain(count: int, cycle: bool) -> str:
        return task([{"name": f"c{n}", "image": "nginx", "memory": 4,
                      "dependsOn": [{"containerName": f"c{(n + 1) % count}",
                                     "condition": "START"}] if cycle or n + 1 < count else []}
                     for n in range(count)])

    builds = ["ltsc2019", "ltsc2022"]
    windows = task([{"name": f"c{n}", "image": f"mcr.microsoft.com/windows/servercore:"
                     f"{builds[n % 2]}", "memory": 4} for n in range(4000)],
                   runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"})
    big = int("9" * 4300)
    head = "family: x\ncontainerDefinitions:\n- name: a\n  image: nginx\n  memory: "
    return {
        "cycle-8000.json": chain(8000, cycle=True),
        "chain-8000.json": chain(8000, cycle=False),
        "win202-4000.json": windows,
        "ecs407-4300-digits.json": task(
            [{"name": n, "image": "nginx", "memoryReservation": big} for n in "ab"],
            memory="1024"),
        "sexagesimal-int.yaml": head + "1" + ":1" * 100_000 + "\n",
        "sexagesimal-float.yaml": head + "1" + ":1" * 200 + ".5\n",
        "dangling-3000.json": task([{"name": f"c{n}", "image": "nginx", "memory": 4,
                                     "dependsOn": [{"containerName": f"c{3000 + n}",
                                                    "condition": "START"}]}
                                    for n in range(3000)]),
    }


def dockerfile_args(lines: int = 40) -> dict[str, str]:
    """A 664-byte Dockerfile whose ARG defaults double on each line (8 * 2**39 characters
    expanded, over 5 GB before ``MAX_ARG_EXPANSION``), named for a task's image by
    ``images[].dockerfile`` in the folder's configuration, by name."""
    arguments = "ARG A0=xxxxxxxx\n" + "".join(f"ARG A{n}=$A{n - 1}$A{n - 1}\n"
                                              for n in range(1, lines))
    task = {"family": "web", "requiresCompatibilities": ["EC2"],
            "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
            "containerDefinitions": [{"name": "web", "image": "web:1", "memory": 512}]}
    return {
        ".ecslint.yaml": "images:\n  - pattern: \"web:*\"\n    dockerfile: Dockerfile\n",
        "Dockerfile": arguments + f"FROM img:$A{lines - 1}\n",
        "task.json": json.dumps(task),
    }


def _within_file_limit(unit: str, limit: int = 5 * 1024 * 1024) -> str:
    """``size_limit_task(unit)`` as JSON, its strings shortened until the file is no
    larger than ecslint reads (JSON doubles a backslash)."""
    length = 400_000
    while True:
        text = json.dumps(size_limit_task(unit, length), ensure_ascii=False)
        if len(text.encode()) <= limit:
            return text
        length = length * 9 // 10


def build_hostile(folder: Path) -> None:
    """One folder per kind of hostile input, each linted by one run."""
    if folder.is_dir():
        return
    files = {
        "placeholders": {f"opener-{n}.json": json.dumps(placeholder_task(unit))
                         for n, unit in enumerate(PLACEHOLDER_OPENERS)},
        "size-limit": {f"unit-{n:02d}.json": _within_file_limit(unit)
                       for n, unit in enumerate(SIZE_LIMIT_UNITS)},
        "nesting": deep_nesting(),
        "aliases": alias_bombs(),
        "issue12-bounds": issue12_bounds(),
        "dockerfile-args": dockerfile_args(),
    }
    for kind, texts in files.items():
        (folder / kind).mkdir(parents=True)
        for name, text in texts.items():
            (folder / kind / name).write_text(text, encoding="utf-8")


def build_inputs(work: Path, corpus: Path | None, counts: Sequence[int]) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "examples" / "windows-iis-ec2.json", work / "one-task.json")
    shutil.copyfile(ROOT / "examples" / "windows-service-broken.json", work / "one-fixable.json")
    (work / "one-task-template.yaml").write_text(ONE_TASK_TEMPLATE, encoding="utf-8")
    (work / "one-task.tf").write_text(ONE_TASK_TERRAFORM, encoding="utf-8")
    build_big_templates(work)
    build_64k_task(work / "task-64k.json")
    build_big_plan(work / "plan-100mb.json")
    build_hostile(work / "hostile")
    sources = estate_sources(corpus)
    sizes = {count: build_estate(work / f"estate-{count}", sources, count) for count in counts}
    return {"sources": len(sources), "sizes": sizes}


# --------------------------------------------------------------------------- running


@dataclass
class Result:
    label: str
    tool: str
    files: int
    walls: list[float] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)  # KiB, largest process
    tree_rss: list[int] = field(default_factory=list)  # KiB, all processes summed
    status: set[int] = field(default_factory=set)
    cpus: list[float] = field(default_factory=list)  # user + system, workers included
    scaling: bool = False  # one of the estates whose per-file cost is compared

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    queue.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


# Runs the command from a small process and reports its wall time and peak RSS. A
# child started straight from this (large) process would inherit this process's
# memory high-water mark in ru_maxrss through vfork/exec; the launcher's is ~10 MB.
LAUNCHER = """\
import os, sys, time
start = time.perf_counter()
null = os.open(os.devnull, os.O_WRONLY)
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(wall, os.waitstatus_to_exitcode(status), usage.ru_maxrss,
      usage.ru_utime + usage.ru_stime, file=sys.stdout)
"""


def run_once(command: Sequence[str], env: dict[str, str], cwd: Path,
             sample: bool) -> tuple[float, int, int, int, float]:
    """Run ``command``; return (wall seconds, exit status, peak RSS KiB, tree RSS KiB,
    CPU seconds of the command and its workers)."""
    peak_tree = 0
    done = threading.Event()
    executable = shutil.which(command[0], path=env.get("PATH")) or command[0]
    process = subprocess.Popen([sys.executable, "-c", LAUNCHER, executable, *command[1:]],
                               env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def watch() -> None:
        nonlocal peak_tree
        while not done.wait(0.02):
            tree = _descendants(process.pid)[1:]  # not the launcher
            peak_tree = max(peak_tree, sum(_rss_kib(p) for p in tree))

    watcher = threading.Thread(target=watch, daemon=True) if sample else None
    if watcher is not None:
        watcher.start()
    stdout, stderr = process.communicate()
    done.set()
    if watcher is not None:
        watcher.join()
    if process.returncode or b"Traceback" in stderr or b"internal error" in stderr:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    wall, status, rss, cpu = stdout.split()[-4:]
    return float(wall), int(status), int(rss), peak_tree, float(cpu)


def measure(result: Result, command: Sequence[str], env: dict[str, str], cwd: Path, runs: int,
            sample: bool = False, warm_up: bool = True) -> Result:
    if warm_up:
        run_once(command, env, cwd, False)
    for _ in range(runs):
        wall, status, rss, tree, cpu = run_once(command, env, cwd, sample)
        result.walls.append(wall)
        result.cpus.append(cpu)
        result.status.add(status)
        result.peak_rss.append(rss)
        if sample:
            result.tree_rss.append(tree)
    print(f"  {result.label:<34} {result.tool:<9} median {result.median:7.3f} s  "
          f"(min {min(result.walls):.3f}, max {max(result.walls):.3f}; exit "
          f"{sorted(result.status)})", file=sys.stderr)
    return result


def version(command: Sequence[str], env: dict[str, str]) -> str:
    try:
        out = subprocess.run([*command, "--version"], env=env, capture_output=True, text=True,
                             check=False, timeout=120)
    except OSError:
        return "?"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --------------------------------------------------------------------------- report


def table(results: list[Result], cfn: dict[str, Result]) -> str:
    rows = ["| case | tool | files | runs | median s | min s | max s | CPU s | peak RSS MB | "
            "tree RSS MB | per file ms | marginal ms/file | ecslint / cfn-lint |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    previous: tuple[int, float] | None = None
    for result in results:
        ratio = "-"
        other = cfn.get(result.label)
        if other is not None and result.tool == "ecslint":
            ratio = f"{result.median / other.median:.3f} (1/{other.median / result.median:.1f})"
        per_file = marginal = "-"
        if result.label.startswith("estate"):
            per_file = f"{1000 * result.median / result.files:.2f}"
        if result.scaling:
            if previous is not None:
                count, wall = previous
                marginal = f"{1000 * (result.median - wall) / (result.files - count):.2f}"
            previous = (result.files, result.median)
        tree = f"{max(result.tree_rss) / 1024:.0f}" if result.tree_rss else "-"
        rows.append(
            f"| {result.label} | {result.tool} | {result.files:,} | {len(result.walls)} | "
            f"{result.median:.3f} | {min(result.walls):.3f} | {max(result.walls):.3f} | "
            f"{statistics.median(result.cpus):.2f} | {max(result.peak_rss) / 1024:.0f} | {tree} | "
            f"{per_file} | {marginal} | {ratio} |"
        )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ecslint", help="ecslint command (default: next to this Python, "
                        "else on PATH)")
    parser.add_argument("--cfn-lint", help="cfn-lint command (default: on PATH; skipped "
                        "when absent)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="real-world corpus to build estates from [%(default)s]")
    parser.add_argument("--work", type=Path, help="folder for the inputs (kept; default: a "
                        "temporary folder, removed)")
    parser.add_argument("--runs", type=int, default=11, help="runs per small case [11]")
    parser.add_argument("--estate-runs", type=int, default=5, help="runs per estate [5]")
    parser.add_argument("--jobs", default="2", help="--jobs for the estates [2]")
    parser.add_argument("--counts", default=",".join(map(str, COUNTS)),
                        help="estate sizes, at most 99,999 [%(default)s]")
    parser.add_argument("--quick", action="store_true",
                        help="3 runs each, estates of 100 and 1,000 files, no cfn-lint on 1 MB")
    parser.add_argument("--cases", default="small,big,hostile,estates",
                        help="which cases to run, of small (one task), big (1 MB, 64 KiB), "
                             "hostile (SECURITY.md's worst inputs) and estates "
                             "[%(default)s]")
    args = parser.parse_args(argv)

    counts = sorted(int(count) for count in args.counts.split(","))
    if not all(0 < count < 100_000 for count in counts):
        parser.error("--counts: estate sizes from 1 to 99,999")
    counts = counts[:2] if args.quick else counts
    runs = 3 if args.quick else args.runs
    estate_runs = 3 if args.quick else args.estate_runs
    ecslint = args.ecslint or (str(Path(sys.executable).parent / "ecslint")
                               if (Path(sys.executable).parent / "ecslint").exists()
                               else shutil.which("ecslint"))
    cfn_lint = args.cfn_lint or shutil.which("cfn-lint")
    # The commands run in the work folder: a relative path must not change meaning.
    ecslint, cfn_lint = (os.path.abspath(c) if c and os.sep in c else c
                         for c in (ecslint, cfn_lint))
    if ecslint is None:
        parser.error("ecslint not found: pass --ecslint")

    temporary = None
    if args.work is None:
        temporary = tempfile.TemporaryDirectory(prefix="ecslint-bench-")
        work = Path(temporary.name)
    else:
        work = args.work.resolve()
    try:
        return _run(work, ecslint, cfn_lint, args, counts, runs, estate_runs)
    finally:
        if temporary is not None:
            temporary.cleanup()


def _run(work: Path, ecslint: str, cfn_lint: str | None, args: argparse.Namespace,
         counts: Sequence[int], runs: int, estate_runs: int) -> int:
    corpus = args.corpus if args.corpus.is_dir() else None
    print(f"building inputs in {work} ...", file=sys.stderr)
    built = build_inputs(work, corpus, counts)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    cold = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cold.pop("PYTHONPYCACHEPREFIX", None)
    cwd = work
    load_before = load_average()
    results: list[Result] = []
    cfn: dict[str, Result] = {}
    lint = [ecslint, "check"]

    cases = set(args.cases.split(","))
    small = [("one task definition (JSON)", "one-task.json", 1),
             ("one-task template", "one-task-template.yaml", 1),
             ("one task definition (Terraform)", "one-task.tf", 1)]
    big = [("1 MB template, 200 tasks (YAML)", "template-1mb.yaml"),
           ("1 MB template, 200 tasks (JSON)", "template-1mb.json"),
           ("task definition at 64 KiB", "task-64k.json"),
           ("Terraform plan, 100 MB, 50 tasks", "plan-100mb.json")]
    if "small" in cases:
        for label, name, files in small:
            results.append(measure(Result(label, "ecslint", files), [*lint, name], env, cwd,
                                   runs))
        results.append(measure(Result("one task, PYTHONDONTWRITEBYTECODE=1", "ecslint", 1),
                               [*lint, "one-task.json"], cold, cwd, runs, warm_up=False))
        results.append(measure(Result("one broken task, --diff --unsafe-fixes", "ecslint", 1),
                               [*lint, "--diff", "--unsafe-fixes", "one-fixable.json"], env,
                               cwd, runs))
    if "big" in cases:
        for label, name in big:
            results.append(measure(Result(label, "ecslint", 1), [*lint, name], env, cwd, runs))
    hostile = [("hostile: 400 KB strings of placeholder openers", "placeholders"),
               ("hostile: 11 strings of 400 KB a task", "size-limit"),
               ("hostile: 100,000 levels of nesting", "nesting"),
               ("hostile: YAML alias bombs", "aliases"),
               ("hostile: 8,000-container dependsOn, WIN202 fan-out, sexagesimal, "
                "4,300 digits", "issue12-bounds"),
               ("hostile: Dockerfile ARG defaults doubling 40 times", "dockerfile-args")]
    for label, name in hostile if "hostile" in cases else ():
        folder = work / "hostile" / name
        files = len(list(folder.iterdir()))
        results.append(measure(Result(label, "ecslint", files),
                               [*lint, "--select", "ALL", str(folder)], env, cwd, runs))
    if cfn_lint is not None:
        cfn_cases = [("one-task template", "one-task-template.yaml", runs)] if "small" in cases \
            else []
        if not args.quick and "big" in cases:
            cfn_cases += [(label, name, 3) for label, name in big[:2]]
        for label, name, count in cfn_cases:
            cfn[label] = measure(Result(label, "cfn-lint", 1), [cfn_lint, name], env, cwd, count)
    for count in counts if "estates" in cases else ():
        label = f"estate of {count:,} files, --jobs {args.jobs}"
        results.append(measure(Result(label, "ecslint", count, scaling=True),
                               [*lint, "--jobs", args.jobs, f"estate-{count}"], env, cwd,
                               estate_runs, sample=True))
    # JSON and SARIF are single documents: the formats most tempted to hold everything.
    for output in ("json", "sarif") if "estates" in cases and counts else ():
        count = max(counts)
        label = f"estate of {count:,} files, --jobs {args.jobs}, --format {output}"
        results.append(measure(Result(label, "ecslint", count),
                               [*lint, "--jobs", args.jobs, "--format", output,
                                f"estate-{count}"], env, cwd, estate_runs, sample=True))
    load_after = load_average()

    ordered: list[Result] = []
    for result in results:
        ordered.append(result)
        if result.label in cfn and result.tool == "ecslint":
            ordered.append(cfn[result.label])
    sizes = built["sizes"]
    assert isinstance(sizes, dict)
    print(f"Date: {datetime.date.today().isoformat()}; {version([ecslint], env)}; "
          f"cfn-lint: {version([cfn_lint], env) if cfn_lint else 'not installed'}; "
          f"Python {platform.python_version()}; {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}); load average (1, 5, 15 min) "
          f"before {load_before}, after {load_after}.")
    print(f"Estates: {built['sources']} distinct files (examples/ and the corpus), "
          + ", ".join(f"{n:,} files = {sizes[n] / 1e6:.1f} MB" for n in counts) + ".")
    print()
    print(table(ordered, cfn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
