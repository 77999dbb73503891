"""Configuration discovery, reading, validation messages with positions, and overrides."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from helpers import run_cli

from ecslint.config.ignores import PointerIgnore
from ecslint.config.settings import (
    Config,
    ConfigError,
    ImageVersion,
    find_config,
    load_config,
    parse_windows_host,
    read_config,
)
from ecslint.rule import HostKnowledge, Rule, Severity, engine_rule


def _rule(id: str, name: str, default: bool = True) -> Rule:
    return engine_rule(id=id, name=name, severity=Severity.ERROR, summary=name, fix_title="", doc="",
                       default=default)


RULES = [
    _rule("E001", "parse-error"),
    _rule("E002", "schema-violation"),
    _rule("E003", "not-a-task-definition", default=False),
    _rule("WIN110", "windows-memory-reservation"),
    _rule("WIN111", "windows-memory-reservation-only"),
    _rule("WIN209", "windows-image-build-unknown", default=False),
    _rule("ECS401", "too-many-containers"),
]

PYPROJECT = '[project]\nname = "x"\n\n[tool.ecslint]\nselect = ["WIN"]\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        read_config(path, RULES)
    assert str(raised.value) == "\n".join(raised.value.problems)
    return raised.value.problems


# Discovery


def test_discovery_walks_up_to_the_first_directory_with_a_config(tmp_path):
    top = write(tmp_path / ".ecslint.yaml", "select: [E]\n")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == top
    loaded = load_config(deep, rules=RULES)
    assert loaded.source == top
    assert loaded.root == tmp_path
    assert loaded.select == ("E",)


def test_nearest_directory_wins_even_with_a_weaker_file_name(tmp_path):
    write(tmp_path / ".ecslint.yaml", "select: [E]\n")
    near = write(tmp_path / "a" / "pyproject.toml", PYPROJECT)
    assert find_config(tmp_path / "a") == near
    assert load_config(tmp_path / "a", rules=RULES).select == ("WIN",)


def test_pyproject_without_an_ecslint_table_is_skipped(tmp_path):
    top = write(tmp_path / ".ecslint.yml", "select: [E]\n")
    write(tmp_path / "a" / "pyproject.toml", '[tool.ruff]\nline-length = 100\n')
    assert find_config(tmp_path / "a") == top


def test_pyproject_with_only_an_ecslint_subtable_is_found(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.ecslint.host]\nwindows-version = "2022"\n')
    assert find_config(tmp_path) == path
    assert load_config(tmp_path, rules=RULES).windows_version == "2022"


def test_in_one_directory_yaml_beats_yml_beats_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", PYPROJECT)
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    write(tmp_path / ".ecslint.yml", "select: [E]\n")
    assert find_config(tmp_path) == tmp_path / ".ecslint.yml"
    write(tmp_path / ".ecslint.yaml", "select: [ECS]\n")
    assert find_config(tmp_path) == tmp_path / ".ecslint.yaml"


def test_no_config_gives_defaults_rooted_at_cwd(tmp_path):
    loaded = load_config(tmp_path, rules=RULES)
    assert loaded == Config(root=tmp_path)
    assert loaded.fail_on == "warning"
    assert loaded.assumed_os is None


def test_explicit_config_replaces_discovery(tmp_path):
    write(tmp_path / ".ecslint.yaml", "select: [E]\n")
    other = write(tmp_path / "conf" / "lint.yaml", "select: [ECS]\n")
    loaded = load_config(tmp_path, config_file=other, rules=RULES)
    assert loaded.select == ("ECS",)
    assert loaded.root == other.parent


def test_explicit_toml_and_missing_file(tmp_path):
    toml = write(tmp_path / "settings.toml", '[tool.ecslint]\nignore = ["WIN110"]\n')
    assert load_config(tmp_path, config_file=toml, rules=RULES).ignore == ("WIN110",)
    no_table = write(tmp_path / "pyproject.toml", '[tool.black]\n')
    assert errors(no_table) == [f"{no_table}: no [tool.ecslint] table"]
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match="nope.yaml: configuration file not found"):
        load_config(tmp_path, config_file=missing, rules=RULES)


def test_isolated_ignores_config_files(tmp_path):
    write(tmp_path / ".ecslint.yaml", "select: [E]\n")
    assert load_config(tmp_path, isolated=True, rules=RULES) == Config(root=tmp_path)
    with pytest.raises(ConfigError, match="cannot be used together"):
        load_config(tmp_path, config_file=tmp_path / ".ecslint.yaml", isolated=True)


def test_empty_config_file_means_defaults(tmp_path):
    path = write(tmp_path / ".ecslint.yaml", "# nothing yet\n")
    assert read_config(path, RULES) == Config(root=tmp_path, source=path)
    empty = write(tmp_path / "b" / ".ecslint.yaml", "")
    assert read_config(empty, RULES) == Config(root=empty.parent, source=empty)


# Values

FULL_YAML = """\
select: [ALL, WIN209]
extend-select: [not-a-task-definition]
ignore: [WIN111]
per-file-ignores:
  "legacy/*.json": [WIN1]
severity:
  WIN: warning
fail-on: error
exclude: [generated]
platform: windows
launch-type: FARGATE
host:
  windows-version: Windows_Server-2022-English-Core-ECS_Optimized-2025.09.13
  memory-unbounded-workaround: true
  cpu-unbounded-workaround: false
  logging-drivers: [awslogs, fluentd]
images:
  - pattern: "*.dkr.ecr.*.amazonaws.com/web:*"
    windows-version: ltsc2019
  - pattern: "*/api:*"
    dockerfile: docker/Dockerfile
ignores:
  - path: tasks/web.json
    pointer: /containerDefinitions/0/memoryReservation
    rules: [WIN110]
    reason: the 2016 hosts run with the workaround
"""

FULL_TOML = """\
[tool.ecslint]
select = ["ALL", "WIN209"]
extend-select = ["not-a-task-definition"]
ignore = ["WIN111"]
severity = { WIN = "warning" }
fail-on = "error"
exclude = ["generated"]
platform = "windows"
launch-type = "FARGATE"

[tool.ecslint.per-file-ignores]
"legacy/*.json" = ["WIN1"]

[tool.ecslint.host]
windows-version = "Windows_Server-2022-English-Core-ECS_Optimized-2025.09.13"
memory-unbounded-workaround = true
cpu-unbounded-workaround = false
logging-drivers = ["awslogs", "fluentd"]

[[tool.ecslint.images]]
pattern = "*.dkr.ecr.*.amazonaws.com/web:*"
windows-version = "ltsc2019"

[[tool.ecslint.images]]
pattern = "*/api:*"
dockerfile = "docker/Dockerfile"

[[tool.ecslint.ignores]]
path = "tasks/web.json"
pointer = "/containerDefinitions/0/memoryReservation"
rules = ["WIN110"]
reason = "the 2016 hosts run with the workaround"
"""


@pytest.mark.parametrize("name, text", [(".ecslint.yaml", FULL_YAML),
                                        ("pyproject.toml", FULL_TOML)])
def test_every_key_is_read(tmp_path, name, text):
    dockerfile = write(tmp_path / "docker" / "Dockerfile", "FROM x\n")
    path = write(tmp_path / name, text)
    loaded = read_config(path, RULES)
    assert loaded == Config(
        root=tmp_path,
        source=path,
        select=("ALL", "WIN209"),
        extend_select=("not-a-task-definition",),
        ignore=("WIN111",),
        per_file_ignores=(("legacy/*.json", ("WIN1",)),),
        severity=(("WIN", "warning"),),
        fail_on="error",
        exclude=("generated",),
        platform="windows",
        launch_type="FARGATE",
        windows_version="Windows_Server-2022-English-Core-ECS_Optimized-2025.09.13",
        windows_version_source="configuration file",
        memory_unbounded_workaround=True,
        cpu_unbounded_workaround=False,
        logging_drivers=("awslogs", "fluentd"),
        images=(ImageVersion("*.dkr.ecr.*.amazonaws.com/web:*", "2019", None),
                ImageVersion("*/api:*", None, dockerfile.resolve())),
        ignores=(PointerIgnore("tasks/web.json", "/containerDefinitions/0/memoryReservation",
                               ("WIN110",), "the 2016 hosts run with the workaround"),),
    )
    assert loaded.host_knowledge() == HostKnowledge(
        windows_release="2022", windows_edition="CORE",
        windows_source=f"host: windows-version in {name}", memory_unbounded_workaround=True,
        cpu_unbounded_workaround=False, logging_drivers=("awslogs", "fluentd"),
        images=({"pattern": "*.dkr.ecr.*.amazonaws.com/web:*", "windows-version": "2019"},
                {"pattern": "*/api:*", "dockerfile": str(dockerfile.resolve())}),
    )
    selection = loaded.selection(RULES)
    assert [r.id for r in selection.enabled_rules()] == [
        "E001", "E002", "E003", "WIN110", "WIN209", "ECS401"]
    assert selection.severity_of(RULES[3]) is Severity.WARNING
    assert selection.ignored_for_file(RULES[3], "legacy/a.json")
    assert loaded.config_ignores().matches(
        RULES[3], "tasks/web.json", "/containerDefinitions/0/memoryReservation")
    assert loaded.assumed_os == "windows"


# Validation errors, YAML (positions from ecslint's YAML parser)


@pytest.mark.parametrize("text, message", [
    ("selct: [WIN]\n", "1:1: selct: unknown key (did you mean 'select'?)"),
    ("host:\n  windows-vrsion: '2022'\n",
     "2:3: host.windows-vrsion: unknown key (did you mean 'windows-version'?)"),
    ("fail_on: error\n", "1:1: fail_on: unknown key (did you mean 'fail-on'?)"),
    ("select: WIN110\n", "1:9: select: expected a list, got a string"),
    ("host:\n  memory-unbounded-workaround: 'yes'\n",
     "2:32: host.memory-unbounded-workaround: expected true or false, got a string"),
    ("fail-on: warnings\n",
     "1:10: fail-on: \"warnings\" is not one of error, warning, info, never "
     "(did you mean 'warning'?)"),
    ("launch-type: fargate\n",
     "1:14: launch-type: \"fargate\" is not one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES "
     "(did you mean 'FARGATE'?)"),
    ("ignore: [WIN110, WIN999]\n",
     "1:18: ignore[1]: unknown selector 'WIN999' (did you mean 'WIN209'?)"),
    ("select:\n  - E\n  - ecs\n", "3:5: select[1]: unknown selector 'ecs' (did you mean 'ECS'?)"),
    ("severity:\n  windows-memory-reservaton: info\n",
     "2:3: severity.windows-memory-reservaton: unknown selector 'windows-memory-reservaton' "
     "(did you mean 'windows-memory-reservation'?)"),
    ("severity:\n  WIN110: fatal\n",
     "2:11: severity.WIN110: \"fatal\" is not one of error, warning, info"),
    ("per-file-ignores:\n  'a[.json': [WIN110]\n",
     "2:3: per-file-ignores[\"a[.json\"]: glob 'a[.json' has an unclosed '['"),
    ("exclude: ['build\\out']\n",
     "1:11: exclude[0]: glob 'build\\\\out' contains '\\': write paths with '/'"),
    ("host:\n  windows-version: '2023'\n",
     "2:20: host.windows-version: unknown Windows version '2023': give a release (2016, 2019, "
     "2022, 2025, 2004, 20H2), an operatingSystemFamily value such as "
     "WINDOWS_SERVER_2022_CORE, or an ECS-optimized AMI name such as "
     "Windows_Server-2022-English-Core-ECS_Optimized"),
    ("host:\n  logging-drivers: [awslog]\n",
     "2:21: host.logging-drivers[0]: \"awslog\" is not one of json-file, syslog, journald, "
     "gelf, fluentd, awslogs, splunk, awsfirelens, none (did you mean 'awslogs'?)"),
    ("images:\n  - pattern: 'web:*'\n", "2:5: images[0]: needs exactly one of "
     "'windows-version' or 'dockerfile'"),
    ("images:\n  - {pattern: 'web:*', windows-version: ltsc2023}\n",
     "2:41: images[0].windows-version: unknown Windows version 'ltsc2023': give a release "
     "(2016, 2019, 2022, 2025, 2004, 20H2), an operatingSystemFamily value such as "
     "WINDOWS_SERVER_2022_CORE, or an ECS-optimized AMI name such as "
     "Windows_Server-2022-English-Core-ECS_Optimized, or an image tag token such as "
     "ltsc2022 or 1809"),
    ("ignores:\n- path: a.json\n  pointer: containerDefinitions/0\n  rules: [WIN110]\n"
     "  reason: legacy\n",
     "3:12: ignores[0].pointer: is not an RFC 6901 JSON pointer: use \"\" or "
     "\"/containerDefinitions/0/memory\" (~0 for ~, ~1 for /)"),
    ("ignores:\n- path: a.json\n  pointer: /a~2b\n  rules: [WIN110]\n  reason: legacy\n",
     "3:12: ignores[0].pointer: is not an RFC 6901 JSON pointer: use \"\" or "
     "\"/containerDefinitions/0/memory\" (~0 for ~, ~1 for /)"),
    ("ignores:\n- path: a.json\n  pointer: ''\n  rules: [WIN110]\n",
     "2:3: ignores[0]: missing required key 'reason'"),
    ("ignores:\n- path: a.json\n  pointer: ''\n  rules: [WIN110]\n  reason: '  '\n",
     "5:11: ignores[0].reason: must give a reason"),
    ("ignores:\n- path: a.json\n  pointer: ''\n  rules: []\n  reason: r\n",
     "4:10: ignores[0].rules: must not be empty"),
    ("- select\n", "1:1: configuration: expected a mapping, got a list"),
])
def test_yaml_errors_name_file_line_and_column(tmp_path, text, message):
    path = write(tmp_path / ".ecslint.yaml", text)
    assert errors(path) == [f"{path}:{message}"]


def test_every_problem_is_reported_in_line_order(tmp_path):
    path = write(tmp_path / ".ecslint.yaml",
                 "platform: mac\nselect: [WIN]\nignore: [E9]\nhost: {cpu-unbounded: true}\n")
    assert errors(path) == [
        f"{path}:1:11: platform: \"mac\" is not one of auto, windows, linux",
        f"{path}:3:10: ignore[0]: unknown selector 'E9' (did you mean 'E'?)",
        f"{path}:4:8: host.cpu-unbounded: unknown key "
        "(did you mean 'cpu-unbounded-workaround'?)",
    ]


def test_missing_dockerfile_is_reported_at_its_value(tmp_path):
    path = write(tmp_path / ".ecslint.yaml",
                 "images:\n  - pattern: 'web:*'\n    dockerfile: docker/Dockerfile\n")
    assert errors(path) == [
        f"{path}:3:17: images[0].dockerfile: no such file or directory: {tmp_path / 'docker/Dockerfile'}"]
    both = write(tmp_path / "b" / ".ecslint.yaml",
                 "images:\n  - pattern: 'web:*'\n    windows-version: '2022'\n    dockerfile: D\n")
    assert errors(both) == [
        f"{both}:2:5: images[0]: needs exactly one of 'windows-version' or 'dockerfile'",
        f"{both}:4:17: images[0].dockerfile: no such file or directory: {tmp_path / 'b' / 'D'}",
    ]


def test_yaml_syntax_error_and_duplicate_key(tmp_path):
    broken = write(tmp_path / "a" / ".ecslint.yaml", "select: [WIN\nignore: x\n")
    [problem] = errors(broken)
    assert problem.startswith(f"{broken}:2:")
    duplicate = write(tmp_path / "b" / ".ecslint.yaml", "select: [E]\nselect: [WIN]\n")
    [problem] = errors(duplicate)
    assert problem.startswith(f"{duplicate}:2:1: ")
    assert "select" in problem


def test_undecodable_config(tmp_path):
    path = tmp_path / ".ecslint.yaml"
    path.write_bytes(b"select: [\xff]\n")
    [problem] = errors(path)
    assert problem.startswith(f"{path}:1:10: ")


# Validation errors, TOML (keys found by line search)


@pytest.mark.parametrize("text, message", [
    ('[tool.ecslint]\nselct = ["WIN"]\n', "2:1: selct: unknown key (did you mean 'select'?)"),
    ('[tool.ecslint]\nselect = ["E", "ecs"]\n',
     "2:16: select[1]: unknown selector 'ecs' (did you mean 'ECS'?)"),
    ('[tool.ecslint]\nselect = [\n  "E",\n  "WIN999",\n]\n',
     "4:3: select[1]: unknown selector 'WIN999' (did you mean 'WIN209'?)"),
    ('[tool.ecslint]\nfail-on = "warnings"\n',
     "2:11: fail-on: \"warnings\" is not one of error, warning, info, never "
     "(did you mean 'warning'?)"),
    ('[tool.ecslint]\nplatform = 1\n',
     "2:12: platform: 1 is not one of auto, windows, linux"),
    ('[tool.ecslint.host]\nwindows-version = "2033"\n',
     "2:19: host.windows-version: unknown Windows version '2033': give a release (2016, 2019, "
     "2022, 2025, 2004, 20H2), an operatingSystemFamily value such as "
     "WINDOWS_SERVER_2022_CORE, or an ECS-optimized AMI name such as "
     "Windows_Server-2022-English-Core-ECS_Optimized"),
    ('[tool.ecslint]\nhost = { windows-vrsion = "2022" }\n',
     "2:10: host.windows-vrsion: unknown key (did you mean 'windows-version'?)"),
    ('[tool.ecslint]\nhost.memory-unbounded-workaround = "yes"\n',
     "2:36: host.memory-unbounded-workaround: expected true or false, got a string"),
    ('[tool.ecslint]\nselect = ["E"]\n\n[tool.ecslint.severity]\nWIN110 = "fatal"\n',
     "5:10: severity.WIN110: \"fatal\" is not one of error, warning, info"),
    ('[tool.ecslint.per-file-ignores]\n"a[.json" = ["WIN110"]\n',
     "2:1: per-file-ignores[\"a[.json\"]: glob 'a[.json' has an unclosed '['"),
    ('[[tool.ecslint.ignores]]\npath = "a.json"\npointer = ""\nrules = ["WIN110"]\n'
     'reason = "ok"\n\n[[tool.ecslint.ignores]]\npath = "b.json"\npointer = ""\n'
     'rules = ["WIN110"]\n',
     "7:1: ignores[1]: missing required key 'reason'"),
    ('[[tool.ecslint.ignores]]\npath = "a.json"\npointer = "x"\nrules = ["WIN110"]\n'
     'reason = "ok"\n',
     "3:11: ignores[0].pointer: is not an RFC 6901 JSON pointer: use \"\" or "
     "\"/containerDefinitions/0/memory\" (~0 for ~, ~1 for /)"),
    ('[tool.ecslint.hots]\nwindows-version = "2022"\n',
     "1:15: hots: unknown key (did you mean 'host'?)"),
])
def test_toml_errors_name_file_line_and_column(tmp_path, text, message):
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n' + text)
    line, rest = message.split(":", 1)
    assert errors(path) == [f"{path}:{int(line) + 3}:{rest}"]


def test_toml_syntax_error_position(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.ecslint]\nselect = ["WIN"\n')
    [problem] = errors(path)
    assert problem.startswith(f"{path}:3:1: ")
    assert "(at line" not in problem


def test_pyproject_on_python_3_10_reads_with_tomli(tmp_path, monkeypatch):
    import tomllib
    path = write(tmp_path / "pyproject.toml", PYPROJECT)
    monkeypatch.setitem(sys.modules, "tomllib", None)  # as on Python 3.10: no tomllib
    monkeypatch.setitem(sys.modules, "tomli", tomllib)  # tomllib is tomli 1.2 renamed
    assert find_config(tmp_path) == path
    assert load_config(tmp_path, rules=RULES).select == ("WIN",)
    broken = write(tmp_path / "b" / "pyproject.toml", '[tool.ecslint]\nselect = ["WIN"\n')
    [problem] = errors(broken)
    assert problem.startswith(f"{broken}:3:1: ")


@pytest.mark.parametrize("text", [
    '[tool."ecslint"]\nselect = ["WIN"]\n',
    "[tool.'ecslint']\nselect = ['WIN']\n",
    '[ tool . ecslint ]\nselect = ["WIN"]\n',
    '[tool]\necslint.select = ["WIN"]\n',
    '[tool]\necslint = { select = ["WIN"] }\n',
    'tool.ecslint.select = ["WIN"]\n',
    'tool = { ecslint = { select = ["WIN"] } }\n',
    '[tool."ecs\\u006cint"]\nselect = ["WIN"]\n',
])
def test_pyproject_table_found_however_it_is_written(tmp_path, text):
    write(tmp_path / ".ecslint.yaml", "select: [E]\n")
    path = write(tmp_path / "a" / "pyproject.toml", text + '\n[project]\nname = "x"\n')
    assert find_config(tmp_path / "a") == path
    assert load_config(tmp_path / "a", rules=RULES).select == ("WIN",)


@pytest.mark.parametrize("text", [
    '[project]\ndescription = """\n[tool.ecslint]\nselect = ["WIN"]\n"""\n',
    "[project]\ndescription = '''\n[tool.ecslint]\nignore = [\"ALL\"]\n'''\n",
    '[tool.ruff]\nextend-exclude = ["[tool.ecslint]"]\n',
    '# [tool.ecslint]\n[tool.black]\n',
    '[tool.ecslint-plugin]\nx = 1\n',
    '[project]\nname = "ecslint"\n',
])
def test_pyproject_table_in_a_string_or_comment_is_not_a_table(tmp_path, text):
    top = write(tmp_path / ".ecslint.yaml", "select: [E]\n")
    write(tmp_path / "a" / "pyproject.toml", text)
    assert find_config(tmp_path / "a") == top
    assert load_config(tmp_path / "a", rules=RULES).select == ("E",)


def test_unparsable_pyproject_that_names_the_table_is_an_error_not_skipped(tmp_path):
    write(tmp_path / ".ecslint.yaml", "select: [E]\n")
    broken = write(tmp_path / "a" / "pyproject.toml", 'tool.ecslint.select = ["WIN"\n')
    assert find_config(tmp_path / "a") == broken
    [problem] = errors(broken)
    assert problem.startswith(f"{broken}:2:1: ")
    write(tmp_path / "b" / "pyproject.toml", '[tool.black\nline = "ecslint"\n')
    assert find_config(tmp_path / "b") == tmp_path / ".ecslint.yaml"


@pytest.mark.parametrize("text, message", [
    ('[tool]\necslint.select = ["E", "ecs"]\n',
     "2:24: select[1]: unknown selector 'ecs' (did you mean 'ECS'?)"),
    ('tool = { ecslint = { host = { windows-vrsion = "2022" } } }\n',
     "1:31: host.windows-vrsion: unknown key (did you mean 'windows-version'?)"),
    ('tool.ecslint.fail-on = "warnings"\n',
     "1:24: fail-on: \"warnings\" is not one of error, warning, info, never "
     "(did you mean 'warning'?)"),
    ('[tool."ecslint".host]\nwindows-version = "2033"\n', "2:19: host.windows-version: unknown"),
    ('[tool]\necslint = 1\n', "2:11: tool.ecslint: expected a table, got a number"),
])
def test_toml_errors_name_the_key_path_however_the_table_is_written(tmp_path, text, message):
    path = write(tmp_path / "pyproject.toml", text)
    [problem] = errors(path)
    assert problem.startswith(f"{path}:{message}"), problem


# Windows host versions


@pytest.mark.parametrize("value, expected", [
    ("2022", ("2022", None)),
    ("2016", ("2016", None)),
    ("20h2", ("20H2", None)),
    ("2004", ("2004", None)),
    ("WINDOWS_SERVER_2019_CORE", ("2019", "CORE")),
    ("WINDOWS_SERVER_2016_FULL", ("2016", "FULL")),
    ("windows_server_2025_full", ("2025", "FULL")),
    ("WINDOWS_SERVER_20H2_CORE", ("20H2", "CORE")),
    ("Windows_Server-2022-English-Core-ECS_Optimized", ("2022", "CORE")),
    ("Windows_Server-2025-English-Full-ECS_Optimized-2025.09.13", ("2025", "FULL")),
    ("Windows_Server-2016-English-Full-ECS_Optimized", ("2016", "FULL")),
])
def test_windows_host_forms(value, expected):
    assert parse_windows_host(value) == expected


@pytest.mark.parametrize("value, message", [
    ("2023", "unknown Windows version '2023': give a release"),
    ("", "unknown Windows version '': give a release"),
    ("WINDOWS_SERVER_2016_CORE", "'WINDOWS_SERVER_2016_CORE' names no Windows Server release "
     "and edition ECS supports (operatingSystemFamily values: WINDOWS_SERVER_2016_FULL, "),
    ("Windows_Server-2019-English-Core-ECS_Optimized-2025-09-13",
     "unknown Windows version 'Windows_Server-2019-English-Core-ECS_Optimized-2025-09-13'"),
    ("Windows_Server-2004-English-Full-ECS_Optimized", "names no Windows Server release"),
    ("ltsc2022", "'ltsc2022' is an image tag token; the host release is '2022'"),
    ("1809", "'1809' is an image tag token; the host release is '2019'"),
])
def test_bad_windows_host_versions(value, message):
    with pytest.raises(ValueError) as raised:
        parse_windows_host(value)
    assert message in str(raised.value)


# Command-line overrides


def test_merged_select_replaces_and_lists_extend():
    base = Config(root=Path("/r"), select=("E",), extend_select=("WIN209",), ignore=("WIN111",),
                  exclude=("gen",), severity=(("WIN", "info"),))
    merged = base.merged(select=["WIN"], ignore=["ECS401"], exclude=None, fail_on="never",
                         severity={"WIN110": "error"}, per_file_ignores={"a.json": ["E002"]})
    assert merged.select == ("WIN",)
    assert merged.extend_select == ()
    assert merged.ignore == ("WIN111", "ECS401")
    assert merged.exclude == ("gen",)
    assert merged.fail_on == "never"
    assert merged.severity == (("WIN", "info"), ("WIN110", "error"))
    assert merged.per_file_ignores == (("a.json", ("E002",)),)
    assert base.merged(extend_select=["E003"]).extend_select == ("WIN209", "E003")
    assert base.merged(select=["ALL"], extend_select=["E003"]).extend_select == ("E003",)


def test_merged_replaces_scalars_and_checks_them():
    base = Config(root=Path("/r"))
    merged = base.merged(platform="linux", launch_type="EXTERNAL", windows_version="2019",
                         memory_unbounded_workaround=True, logging_drivers=["awslogs"])
    assert (merged.platform, merged.launch_type) == ("linux", "EXTERNAL")
    assert merged.host_knowledge().windows_release == "2019"
    assert merged.host_knowledge().memory_unbounded_workaround
    assert merged.logging_drivers == ("awslogs",)
    with pytest.raises(ValueError, match="platform must be one of auto, windows, linux"):
        base.merged(platform="mac")
    with pytest.raises(ValueError, match="fail-on must be one of"):
        base.merged(fail_on="warnings")
    with pytest.raises(ValueError, match="unknown Windows version '2033'"):
        base.merged(windows_version="2033")
    with pytest.raises(TypeError, match="unknown configuration fields: root, sellect"):
        base.merged(sellect=["E"], root=Path("/x"))


# Discovery stops at the repository, the home directory and shared folders (issue 12, item 15)


@pytest.mark.parametrize("marker", ["dir", "file"])  # a worktree or submodule has a .git file
def test_discovery_stops_at_the_repository_root(tmp_path, marker):
    write(tmp_path / ".ecslint.yaml", "ignore: [ALL]\n")
    repo = tmp_path / "repo"
    (repo / "a" / "b").mkdir(parents=True)
    if marker == "dir":
        (repo / ".git").mkdir()
    else:
        write(repo / ".git", "gitdir: ../elsewhere/.git/worktrees/repo\n")
    assert find_config(repo / "a" / "b") is None
    assert load_config(repo / "a" / "b", rules=RULES) == Config(root=repo / "a" / "b")
    inside = write(repo / ".ecslint.yml", "select: [E]\n")
    assert find_config(repo / "a" / "b") == inside


def test_discovery_stops_at_the_home_directory(tmp_path, monkeypatch):
    write(tmp_path / ".ecslint.yaml", "ignore: [ALL]\n")
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert find_config(home / "project") is None
    mine = write(home / ".ecslint.yaml", "select: [E]\n")
    assert find_config(home / "project") == mine


def test_discovery_does_not_enter_a_folder_others_can_write(tmp_path):
    shared = tmp_path / "shared"  # as /tmp: anyone may plant .ecslint.yaml there
    (shared / "mine").mkdir(parents=True)
    write(shared / ".ecslint.yaml", "ignore: [ALL]\n")
    shared.chmod(0o1777)
    assert find_config(shared / "mine") is None
    assert find_config(shared) is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_discovery_does_not_enter_a_folder_another_user_owns(tmp_path):
    other = tmp_path / "other"
    (other / "mine").mkdir(parents=True)
    write(other / ".ecslint.yaml", "ignore: [ALL]\n")
    os.chown(other / ".ecslint.yaml", 65534, 65534)
    os.chown(other, 65534, 65534)
    assert find_config(other / "mine") is None


def test_verbose_says_which_configuration_applies(tmp_path):
    task = '{"family": "x", "containerDefinitions": [{"name": "a", "image": "nginx"}]}'
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path / "repo" / "a" / "task.json", task)
    write(tmp_path / "repo" / "b" / "task.json", task)
    write(tmp_path / "repo" / "b" / "other.json", task)
    config = write(tmp_path / "repo" / "b" / ".ecslint.yaml", "select: [E]\n")
    result = run_cli(["check", "--verbose", "a/task.json", "b/task.json", "b/other.json"],
                     tmp_path / "repo")
    assert result.stderr.splitlines() == [
        "ecslint: configuration for 1 path: none found, defaults apply",
        f"ecslint: configuration for 2 paths: {config}",
    ]
    result = run_cli(["check", "-v", "--config", str(config), "a/task.json"], tmp_path / "repo")
    assert result.stderr.splitlines() == [f"ecslint: configuration: {config} (--config)"]
    result = run_cli(["check", "-v", "--isolated", "a/task.json"], tmp_path / "repo")
    assert result.stderr == ""  # none applies, as asked
    assert run_cli(["check", "a/task.json"], tmp_path / "repo").stderr == ""


def test_planted_config_in_a_shared_parent_does_not_hide_findings(tmp_path):
    shared = tmp_path / "shared"
    write(shared / ".ecslint.yaml", "ignore: [ALL]\n")
    write(shared / "mine" / "task.json", '{"family": "x", "containerDefinitions": "no"}')
    shared.chmod(0o1777)
    result = run_cli(["check", "task.json"], shared / "mine")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("task.json:1:41: E002 [error] containerDefinitions must be")


def test_discovery_from_a_folder_that_does_not_exist_yet(tmp_path):
    (tmp_path / ".git").mkdir()
    config = write(tmp_path / ".ecslint.yaml", "select: [E]\n")
    assert find_config(tmp_path / "new" / "folder") == config
