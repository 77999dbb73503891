"""Terraform: ``.tf`` (HCL) and ``.tf.json`` files, read onto the API with exact positions.

The rules' own behaviour on Terraform is in the rule fixtures (``*.tf``); here: how
the reader maps resources and values, where unknown values stop, the syntax errors,
suppression comments, and what a directory scan does with Terraform files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import lint_text, run_cli, summary
from hypothesis import given
from hypothesis import strategies as st

from ecslint.load.hcl_reader import parse_hcl
from ecslint.load.hcl_syntax import unescape, unescape_offsets
from ecslint.rule import is_unresolved
from ecslint.tasks.shapes import extract
from ecslint.tasks.terraform import to_api

WINDOWS_TASK = '''
resource "aws_ecs_task_definition" "iis" {
  family                   = "iis"
  requires_compatibilities = ["EC2"]
  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }
  container_definitions = jsonencode([
    {
      name      = var.name
      image     = var.image
      cpu       = 1024
      memory    = var.memory
      essential = true
      user      = "ContainerUser"
      logConfiguration = {
        logDriver = "awslogs"
        options = { awslogs-group = "iis", awslogs-region = "eu-west-1",
                    awslogs-stream-prefix = "iis" }
      }
    }
  ])
}
'''


def task_of(text: str) -> dict:
    [document] = parse_hcl(text).documents
    [task] = extract(document.data, "main")
    return task.data


def test_unknown_values_never_make_a_finding() -> None:
    # The image, the memory and the name come from variables without a default.
    result = lint_text(WINDOWS_TASK, "main.tf", select=["ALL"])
    assert summary(result) == []
    assert [task.os for task in result.tasks] == ["windows"]


def test_arguments_and_blocks_map_onto_the_api() -> None:
    data = task_of('''
resource "aws_ecs_task_definition" "t" {
  family = "t"
  cpu    = 1024
  memory = "2048"
  network_mode = "awsvpc"
  pid_mode = "task"
  skip_destroy = true
  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2019_CORE"
    cpu_architecture        = "X86_64"
  }
  ephemeral_storage { size_in_gib = 30 }
  placement_constraints {
    type       = "memberOf"
    expression = "attribute:ecs.os-family == WINDOWS_SERVER_2019_CORE"
  }
  proxy_configuration {
    type           = "APPMESH"
    container_name = "envoy"
    properties     = { AppPorts = 8080, IgnoredUID = "1337" }
  }
  volume {
    name      = "logs"
    host_path = "C:\\\\logs"
  }
  volume {
    name = "efs"
    efs_volume_configuration {
      file_system_id = "fs-1"
      authorization_config {
        access_point_id = "ap-1"
        iam             = "ENABLED"
      }
    }
    docker_volume_configuration {
      driver_opts = { size = 10 }
    }
  }
  container_definitions = "[{\\"name\\": \\"a\\", \\"image\\": \\"x\\"}]"
}''')
    assert data == {
        "family": "t", "cpu": "1024", "memory": "2048", "networkMode": "awsvpc",
        "pidMode": "task",
        "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE",
                            "cpuArchitecture": "X86_64"},
        "ephemeralStorage": {"sizeInGiB": 30},
        "placementConstraints": [{"type": "memberOf", "expression":
                                  "attribute:ecs.os-family == WINDOWS_SERVER_2019_CORE"}],
        "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy", "properties": [
            {"name": "AppPorts", "value": "8080"}, {"name": "IgnoredUID", "value": "1337"}]},
        "volumes": [
            {"name": "logs", "host": {"sourcePath": "C:\\logs"}},
            {"name": "efs", "efsVolumeConfiguration": {
                "fileSystemId": "fs-1",
                "authorizationConfig": {"accessPointId": "ap-1", "iam": "ENABLED"}},
             "dockerVolumeConfiguration": {"driverOpts": {"size": "10"}}}],
        "containerDefinitions": [{"name": "a", "image": "x"}],
    }


@pytest.mark.parametrize("expression, expected", [
    ('"a-${local.s}-b"', "a-x-b"),
    ("local.n", 3),
    ("var.d", "default"),
    ("local.m.k", "v"),
    ("local.l[1]", 2),
    ('true ? "y" : "n"', "y"),
    ('merge({a = 1}, {b = 2})', {"a": 1, "b": 2}),
    ("concat([1], [2, 3])", [1, 2, 3]),
    ('jsonencode({a = [1, "x"]})', '{"a":[1,"x"]}'),
    ('"\\u00e9\\t$${x}"', "\u00e9\t${x}"),
    ("(local.n)", 3),
])
def test_known_values_are_evaluated(expression: str, expected: object) -> None:
    data = task_of(f'''
locals {{
  s = "x"
  n = 3
  m = {{ k = "v" }}
  l = [1, 2]
}}
variable "d" {{ default = "default" }}
resource "aws_ecs_task_definition" "t" {{
  family = "t"
  container_definitions = jsonencode([{{ name = "a", image = "i", command = [{expression}] }}])
}}''')
    assert data["containerDefinitions"][0]["command"] == [expected]


@pytest.mark.parametrize("expression", [
    "var.nodefault", "data.aws_ssm_parameter.x.value", "aws_iam_role.r.arn", "module.m.out",
    "path.module", "count.index", "each.value", '"${var.x}-suffix"', "upper(local.s)",
    "[for s in local.l : s]", "var.c ? 1 : 2", "local.missing", "local.loop",
    '"%{ if var.x }a%{ endif }"', "1 + 2",
])
def test_unknown_values_are_unresolved(expression: str) -> None:
    data = task_of(f'''
locals {{
  s    = "x"
  l    = [1]
  loop = local.loop
}}
resource "aws_ecs_task_definition" "t" {{
  family = "t"
  container_definitions = jsonencode([{{ name = "a", image = "i", command = [{expression}] }}])
}}''')
    [value] = data["containerDefinitions"][0]["command"]
    assert is_unresolved(value), value


def test_a_dynamic_block_is_unknown_not_missing() -> None:
    data = task_of('''
resource "aws_ecs_task_definition" "t" {
  family = "t"
  dynamic "runtime_platform" {
    for_each = var.platforms
    content { operating_system_family = runtime_platform.value }
  }
  container_definitions = jsonencode([{ name = "a", image = "i" }])
}''')
    assert is_unresolved(data["runtimePlatform"])


def test_a_dynamic_block_over_a_literal_is_one_block_per_item() -> None:
    data = task_of('''
locals {
  volumes = { logs = "C:\\\\logs", data = "C:\\\\data" }
}
resource "aws_ecs_task_definition" "t" {
  family = "t"
  dynamic "runtime_platform" {
    for_each = ["WINDOWS_SERVER_2022_CORE"]
    content { operating_system_family = runtime_platform.value }
  }
  dynamic "volume" {
    for_each = local.volumes
    iterator = v
    content {
      name      = v.key
      host_path = v.value
    }
  }
  dynamic "placement_constraints" {
    for_each = []
    content { type = "memberOf" }
  }
  container_definitions = jsonencode([{ name = "a", image = "i" }])
}''')
    assert data["runtimePlatform"] == {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}
    assert data["volumes"] == [{"name": "logs", "host": {"sourcePath": "C:\\logs"}},
                               {"name": "data", "host": {"sourcePath": "C:\\data"}}]
    assert data["placementConstraints"] == []


def test_a_finding_in_a_dynamic_block_sits_in_its_content(tmp_path: Path) -> None:
    text = ('resource "aws_ecs_task_definition" "t" {\n'
            '  family                   = "t"\n'
            '  requires_compatibilities = ["EC2"]\n'
            '  network_mode             = "bridge"\n'
            '  dynamic "runtime_platform" {\n'
            '    for_each = { win = "WINDOWS_SERVER_2022_CORE" }\n'
            '    content { operating_system_family = runtime_platform.value }\n'
            '  }\n'
            '  container_definitions = jsonencode([{ name = "a", image = "i", memory = 512 }])\n'
            '}\n')
    result = lint_text(text, "main.tf", select=["WIN101"])
    assert [(f.rule.id, f.location.line, f.location.column) for f in result.findings] == [
        ("WIN101", 4, 30)]
    assert [task.os for task in result.tasks] == ["windows"]


@pytest.mark.parametrize("for_each", ["var.platforms", "local.from_variable", "data.x.y",
                                      "[for p in local.list : p]"])
def test_a_dynamic_block_over_a_variable_is_unknown(for_each: str) -> None:
    data = task_of(f'''
variable "platforms" {{ default = ["LINUX"] }}
locals {{
  from_variable = var.platforms
  list          = ["LINUX"]
}}
resource "aws_ecs_task_definition" "t" {{
  family = "t"
  dynamic "runtime_platform" {{
    for_each = {for_each}
    content {{ operating_system_family = runtime_platform.value }}
  }}
  container_definitions = jsonencode([{{ name = "a", image = "i" }}])
}}''')
    assert is_unresolved(data["runtimePlatform"])


def test_container_definitions_from_a_variable_is_unknown() -> None:
    text = ('resource "aws_ecs_task_definition" "t" {\n  family = "t"\n'
            '  container_definitions = var.containers\n}\n')
    result = lint_text(text, "main.tf", select=["ALL"])
    assert summary(result) == []


def test_a_syntax_error_is_e001_at_the_hcl_position() -> None:
    text = 'resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  cpu = = 1\n}\n'
    result = lint_text(text, "main.tf", select=["ALL"])
    assert [(f.rule.id, f.location.line, f.location.column) for f in result.findings] == [
        ("E001", 3, 9)]
    assert result.findings[0].message.startswith("HCL syntax error")


def test_an_ignore_comment_in_hcl_suppresses(tmp_path: Path) -> None:
    text = WINDOWS_TASK.replace("cpu       = 1024", "cpu = 1024\n      memoryReservation = 512"
                                " # ecslint: ignore[WIN110] sized by the scheduler")
    text = text.replace("memory    = var.memory", "memory    = 1024")
    assert [f.rule.id for f in lint_text(text.replace(" # ecslint", " # x"), "main.tf",
                                         select=["WIN110"]).findings] == ["WIN110"]
    assert lint_text(text, "main.tf", select=["WIN110"]).findings == []


def test_an_ignore_comment_after_two_slashes_suppresses_too() -> None:
    text = WINDOWS_TASK.replace("memory    = var.memory",
                                "memory = 1024\n      memoryReservation = 512 "
                                "// ecslint: ignore[WIN110] sized by the scheduler")
    assert lint_text(text, "main.tf", select=["WIN110"]).findings == []
    url = text.replace("512 // ecslint", '512 # see https://x # ecslint')  # // in a comment
    assert lint_text(url, "main.tf", select=["WIN110"]).findings == []
    assert [f.rule.id for f in lint_text(text.replace("// ecslint", "// x"), "main.tf",
                                         select=["WIN110"]).findings] == ["WIN110"]


def test_positions_inside_a_heredoc_and_a_quoted_string() -> None:
    text = '''resource "aws_ecs_task_definition" "t" {
  family = "t"
  runtime_platform { operating_system_family = "WINDOWS_SERVER_2022_CORE" }
  container_definitions = <<EOF
[{"name": "a", "image": "i", "memory": 512,
  "memoryReservation": 256}]
EOF
}
'''
    assert summary(lint_text(text, "main.tf", select=["WIN110"])) == [
        ("WIN110", 6, 3,
         "/resource/aws_ecs_task_definition/t/container_definitions/0/memoryReservation")]
    quoted = text.replace("<<EOF\n", '"').replace("256}]\nEOF", '256}]"').replace(
        '"name": "a", "image": "i", "memory": 512,\n  "memoryReservation"',
        '\\"name\\": \\"a\\", \\"image\\": \\"i\\", \\"memory\\": 512, \\"memoryReservation\\"')
    # Inside a quoted string, on the escaped key as written.
    [(rule, line, column, _)] = summary(lint_text(quoted, "main.tf", select=["WIN110"]))
    assert (rule, line, column) == ("WIN110", 4, 82)
    # With an interpolation in it, the string's value is not its text: on the string.
    interpolated = quoted.replace('\\"i\\"', '\\"${local.image}\\"').replace(
        "resource", 'locals {\n  image = "iis"\n}\nresource', 1)
    [(rule, line, column, _)] = summary(lint_text(interpolated, "main.tf", select=["WIN110"]))
    assert (rule, line, column) == ("WIN110", 7, 27)


def test_non_ascii_text_before_a_finding_keeps_its_column() -> None:
    # Two-byte, three-byte and four-byte UTF-8 characters before the key on its line.
    text = WINDOWS_TASK.replace("memory    = var.memory",
                                'memory = 1024, user = "café ☕ 𝄞", memoryReservation = 1')
    [(rule, line, column, _)] = summary(lint_text(text, "main.tf", select=["WIN110"]))
    assert (rule, line, column) == ("WIN110", 13, 41)  # code points, not bytes (47)


def test_the_converter_records_where_every_node_came_from() -> None:
    data, paths = to_api({"volume": [{"name": "v", "host_path": "C:\\x"}],
                          "runtime_platform": [{"operating_system_family": "WINDOWS"}]},
                         ("resource", "aws_ecs_task_definition", "t"))
    root = ("resource", "aws_ecs_task_definition", "t")
    assert paths[("volumes", 0, "host", "sourcePath")] == root + ("volume", 0, "host_path")
    assert paths[("runtimePlatform", "operatingSystemFamily")] == root + (
        "runtime_platform", 0, "operating_system_family")
    assert data["volumes"] == [{"name": "v", "host": {"sourcePath": "C:\\x"}}]


def test_terraform_json_syntax(tmp_path: Path) -> None:
    module = {"resource": {"aws_ecs_task_definition": {"web": {
        "family": "web",
        "runtime_platform": {"operating_system_family": "WINDOWS_SERVER_2022_CORE"},
        "container_definitions": json.dumps([{
            "name": "iis", "image": "mcr.microsoft.com/windows/servercore/iis:"
            "windowsservercore-ltsc2019", "cpu": 512, "memory": 1024}]),
    }}}}
    (tmp_path / "main.tf.json").write_text(json.dumps(module, indent=2))
    result = run_cli(["check", "--isolated", "--select", "WIN201", "--format", "json",
                      "main.tf.json"], tmp_path)
    report = json.loads(result.stdout)
    assert [(f["rule"]["id"], f["location"]["line"]) for f in report["findings"]] == [
        ("WIN201", 9)]  # the image is inside the JSON string: on the string
    assert [task["task"] for task in report["tasks"]] == ["aws_ecs_task_definition.web"]


def test_a_directory_scan_lints_terraform_and_passes_over_other_tf(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "ecs.tf").write_text(WINDOWS_TASK.replace(
        "memory    = var.memory", "memory = 1024\n      memoryReservation = 512"))
    (tmp_path / "infra" / "network.tf").write_text('resource "aws_vpc" "v" {\n}\n')
    (tmp_path / "infra" / "broken.tf").write_text('variable "x" {\n')
    result = run_cli(["check", "--isolated", "--select", "WIN110", "."], tmp_path)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0].startswith("./infra/ecs.tf:14:7: WIN110 [error]")
    assert "No task definition" not in result.stdout
    assert "in 1 of 3 files (2 without a task definition)" in result.stdout


def test_a_named_tf_file_without_a_task_definition_says_so(tmp_path: Path) -> None:
    (tmp_path / "network.tf").write_text('resource "aws_vpc" "v" {\n  cidr_block = "x"\n}\n')
    result = run_cli(["check", "--isolated", "--extend-select", "E003", "network.tf"], tmp_path)
    assert "network.tf:1:1: E003" in result.stdout


def test_terraform_on_stdin_is_read_as_hcl(tmp_path: Path) -> None:
    text = WINDOWS_TASK.replace("memory    = var.memory",
                                "memory = 1024\n      memoryReservation = 512")
    result = run_cli(["check", "--isolated", "--select", "WIN110", "--stdin-filename",
                      "infra/main.tf", "-"], tmp_path, stdin=text)
    assert result.stdout.startswith("infra/main.tf:14:7: WIN110")


# --- a module is a folder: other files, variable files, file() and templates --------------

TASK_FROM_TEMPLATE = '''
resource "aws_ecs_task_definition" "app" {
  family = "app"
  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }
  container_definitions = CONTAINERS
}
'''
TEMPLATE = '''[
  {
    "name": "app",
    "image": "${image}",
    "cpu": 512,
    "memory": ${memory},
    "memoryReservation": ${reservation}
  }
]
'''


def module(tmp_path: Path, containers: str, **files: str) -> Path:
    (tmp_path / ".git").mkdir(parents=True, exist_ok=True)
    (tmp_path / "infra").mkdir(exist_ok=True)
    (tmp_path / "infra" / "main.tf").write_text(
        TASK_FROM_TEMPLATE.replace("CONTAINERS", containers))
    for name, text in files.items():
        target = tmp_path / "infra" / name.replace("__", "/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return tmp_path


def findings(root: Path, *args: str) -> list[tuple[str, str, int, int]]:
    result = run_cli(["check", "--isolated", "--format", "json", *args], root)
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    return [(f["rule"]["id"], f["location"]["file"], f["location"]["line"],
             f["location"]["column"]) for f in report["findings"]]


def test_variables_and_locals_from_the_other_files_of_the_module(tmp_path: Path) -> None:
    root = module(
        tmp_path, "jsonencode(local.containers)",
        **{"locals.tf": 'locals {\n  containers = [{\n    name = "app"\n    image = var.image\n'
                        '    cpu = 512\n    memory = 1024\n    memoryReservation = 256\n  }]\n}\n',
           "variables.tf": 'variable "image" {\n  default = "mcr.microsoft.com/windows/'
                           'servercore:ltsc2019"\n}\n'})
    assert findings(root, "--select", "WIN110,WIN201", "infra/main.tf") == [
        ("WIN201", "infra/locals.tf", 4, 13),  # a scalar from a variable: at its use
        ("WIN110", "infra/locals.tf", 7, 5),
    ]


def test_tfvars_override_defaults_as_terraform_does(tmp_path: Path) -> None:
    image = '"mcr.microsoft.com/windows/servercore:ltsc2019"'
    root = module(
        tmp_path, "jsonencode([{ name = \"app\", image = var.image, cpu = 512, memory = 512 }])",
        **{"variables.tf": f'variable "image" {{\n  default = {image}\n}}\n',
           "terraform.tfvars": 'image = "mcr.microsoft.com/windows/servercore:ltsc2022"\n'})
    assert findings(root, "--select", "WIN201", "infra/main.tf") == []
    (root / "infra" / "z.auto.tfvars").write_text(f"image = {image}\n")
    assert [f[0] for f in findings(root, "--select", "WIN201", "infra/main.tf")] == ["WIN201"]


def test_templatefile_is_linted_in_its_own_file_with_the_call_s_variables(
        tmp_path: Path) -> None:
    call = ('templatefile("${path.module}/tpl/app.json.tpl", { image = "mcr.microsoft.com/'
            'windows/servercore:ltsc2022", memory = 1024, reservation = 512 })')
    root = module(tmp_path, call, **{"tpl__app.json.tpl": TEMPLATE})
    assert findings(root, "--select", "WIN110,WIN201,E001,E002", ".") == [
        ("WIN110", "./infra/tpl/app.json.tpl", 7, 5)]
    # The memory's variable unknown: no WIN110, and no E001 for the placeholder.
    (root / "infra" / "main.tf").write_text((root / "infra" / "main.tf").read_text().replace(
        ", reservation = 512", ""))
    assert findings(root, "--select", "WIN110,E001,E002", ".") == []


def test_a_template_file_data_source_and_file(tmp_path: Path) -> None:
    data = ('data "template_file" "app" {\n  template = file("tpl/app.json.tpl")\n'
            '  vars = {\n    image = "mcr.microsoft.com/windows/servercore:ltsc2019"\n'
            '    memory = 1024\n    reservation = 512\n  }\n}\n')
    root = module(tmp_path, "data.template_file.app.rendered",
                  **{"tpl__app.json.tpl": TEMPLATE, "data.tf": data})
    assert findings(root, "--select", "WIN110,WIN201", "infra/main.tf") == [
        ("WIN201", "infra/tpl/app.json.tpl", 4, 14),
        ("WIN110", "infra/tpl/app.json.tpl", 7, 5)]
    plain = TEMPLATE.replace("${image}", "mcr.microsoft.com/windows/servercore:ltsc2022")
    plain = plain.replace("${memory}", "1024").replace("${reservation}", "512")
    root = module(tmp_path, 'file("${path.module}/app.json")', **{"app.json": plain})
    assert findings(root, "--select", "WIN110", "infra/main.tf") == [
        ("WIN110", "infra/app.json", 7, 5)]


def test_a_file_outside_the_repository_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text('[{"name": "x", "image": "nginx", "privileged": true}]')
    repository = tmp_path / "repo"
    root = module(repository, f'file("{outside}")')
    relative = module(tmp_path / "repo2", 'file("${path.module}/../../outside.json")')
    for folder in (root, relative):
        assert findings(folder, "--select", "ALL", "infra/main.tf") == []


def test_a_template_of_a_task_is_reported_once_through_the_task(tmp_path: Path) -> None:
    call = ('templatefile("${path.module}/tpl/app.json.tpl", { image = "mcr.microsoft.com/'
            'windows/servercore:ltsc2022", memory = 1024, reservation = 512 })')
    root = module(tmp_path, call, **{"tpl__app.json.tpl": TEMPLATE})
    named = findings(root, "--select", "WIN110", "infra/main.tf", "infra/tpl/app.json.tpl")
    assert named == [("WIN110", "infra/tpl/app.json.tpl", 7, 5)]
    assert findings(root, "--select", "WIN110", ".") == [
        ("WIN110", "./infra/tpl/app.json.tpl", 7, 5)]
    alone = findings(root, "--select", "WIN110", "infra/tpl/app.json.tpl")
    assert alone == []  # on its own every variable is unknown


@pytest.mark.parametrize("lookup, release", [
    ('data "aws_ssm_parameter" "ami" {\n  name = "/aws/service/ami-windows-latest/'
     'Windows_Server-2022-English-Core-ECS_Optimized/image_id"\n}\n', "2022"),
    ('data "aws_ami" "ami" {\n  most_recent = true\n  filter {\n    name   = "name"\n'
     '    values = ["Windows_Server-2019-English-Full-ECS_Optimized-*"]\n  }\n}\n', "2019"),
])
def test_the_module_s_windows_ami_lookup_is_the_platform_signal(lookup: str,
                                                                release: str) -> None:
    text = lookup + ('resource "aws_ecs_task_definition" "t" {\n  family = "t"\n'
                     '  container_definitions = jsonencode([{ name = "a", image = "app:1", '
                     'cpu = 512, memory = 512 }])\n}\n')
    result = lint_text(text, "main.tf", select=["ALL"])
    [task] = result.tasks
    assert task.os == "windows"
    assert task.os_signal.startswith("the module's container instances (data aws_")
    assert task.host_build is not None and task.host_build.release == release


def test_an_ami_lookup_in_another_file_of_the_module_counts(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "ami.tf").write_text(
        'data "aws_ssm_parameter" "ecs_ami" {\n  name = "/aws/service/ami-windows-latest/'
        'Windows_Server-2022-English-Core-ECS_Optimized/image_id"\n}\n')
    (tmp_path / "ecs.tf").write_text(
        'resource "aws_ecs_task_definition" "web" {\n  family = "web"\n'
        '  container_definitions = jsonencode([{ name = "web", image = '
        '"mcr.microsoft.com/windows/servercore:ltsc2019", cpu = 512, memory = 1024 }])\n}\n')
    assert findings(tmp_path, "--select", "WIN201", ".") == [("WIN201", "./ecs.tf", 3, 63)]


def test_a_linux_ami_lookup_makes_the_task_linux() -> None:
    text = ('data "aws_ssm_parameter" "ami" {\n  name = "/aws/service/ecs/optimized-ami/'
            'amazon-linux-2023/recommended/image_id"\n}\n'
            'resource "aws_ecs_task_definition" "t" {\n  family = "t"\n'
            '  container_definitions = jsonencode([{ name = "a", image = "app:1" }])\n}\n')
    [task] = lint_text(text, "main.tf").tasks
    assert task.os == "linux"


def test_a_value_from_a_variable_names_its_definition_as_related(tmp_path: Path) -> None:
    root = module(
        tmp_path, "jsonencode([{ name = \"app\", image = var.image, cpu = 512, memory = 512 }])",
        **{"variables.tf": 'variable "image" {\n  default = "mcr.microsoft.com/windows/'
                           'servercore:ltsc2019"\n}\n'})
    result = run_cli(["check", "--isolated", "--format", "json", "--select", "WIN201",
                      "infra/main.tf"], root)
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["location"]["file"], finding["location"]["line"]) == ("infra/main.tf", 7)
    assert [(r["file"], r["line"], r["column"]) for r in finding["related"]] == [
        ("infra/variables.tf", 2, 13)]


def test_a_template_read_through_a_local_of_another_file_is_reported_once(
        tmp_path: Path) -> None:
    call = ('templatefile("${path.module}/tpl/app.json.tpl", { image = "mcr.microsoft.com/'
            'windows/servercore:ltsc2022", memory = 1024, reservation = 512 })')
    root = module(tmp_path, "local.containers", **{
        "tpl__app.json.tpl": TEMPLATE, "locals.tf": f"locals {{\n  containers = {call}\n}}\n"})
    assert findings(root, "--select", "WIN110", ".") == [
        ("WIN110", "./infra/tpl/app.json.tpl", 7, 5)]


# --- terraform-aws-modules/ecs calls ----------------------------------------------------

SERVICE_MODULE = '''
module "iis" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.6"

  name             = "iis"
  cpu              = 1024
  memory           = 2048
  runtime_platform = {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
    cpu_architecture        = "X86_64"
  }

  container_definitions = {
    iis = {
      image                    = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"
      cpu                      = 1024
      memory                   = 2048
      memory_reservation       = 1024
      readonly_root_filesystem = false
      port_mappings            = [{ containerPort = 80, protocol = "tcp" }]
    }
  }
}
'''


def test_a_service_module_call_is_a_task_definition() -> None:
    result = lint_text(SERVICE_MODULE, "main.tf", select=["ALL"])
    assert [(f.rule.id, f.location.line, f.location.column, f.location.pointer)
            for f in sorted(result.findings, key=lambda f: f.sort_key())] == [
        ("WIN201", 16, 34, "/module/iis/container_definitions/iis/image"),
        ("WIN110", 19, 7, "/module/iis/container_definitions/iis/memory_reservation")]
    [task] = result.tasks
    assert (task.task, task.os, task.launch_types) == ("module.iis", "windows", ("FARGATE",))


def test_the_module_s_defaults_and_windows_handling_make_no_findings() -> None:
    # The module drops Linux-only parameters on Windows and adds a log configuration
    # and a user of its own: none of them is a finding. Without runtime_platform the
    # module's default is a Linux Fargate task.
    text = SERVICE_MODULE.replace("      memory_reservation       = 1024\n", "").replace(
        "ltsc2019", "ltsc2022").replace("readonly_root_filesystem = false",
                                        "linux_parameters = { initProcessEnabled = true }")
    assert summary(lint_text(text, "main.tf", select=["ALL"])) == []
    linux = lint_text(SERVICE_MODULE.replace("runtime_platform = {", "platform = {"), "main.tf")
    [task] = linux.tasks
    assert (task.os, task.launch_types) == ("linux", ("FARGATE",))


def test_the_root_module_s_services_are_task_definitions() -> None:
    text = '''
module "ecs" {
  source = "terraform-aws-modules/ecs/aws"
  services = {
    web = {
      runtime_platform = { operating_system_family = "WINDOWS_SERVER_2022_CORE" }
      container_definitions = {
        app = { image = "app:1", cpu = 512, memory = 1024, memoryReservation = 512 }
      }
    }
  }
}
module "other" {
  source = "./modules/ecs"
  container_definitions = { app = { image = "app:1", memoryReservation = 512 } }
}
'''
    result = lint_text(text, "main.tf", select=["WIN110"])
    assert [(f.task, f.location.line) for f in result.findings] == [
        ('module.ecs.module.service["web"]', 8)]


def test_literal_for_each_and_count_make_one_task_per_instance() -> None:
    text = '''
resource "aws_ecs_task_definition" "web" {
  for_each = {
    old = "ltsc2019"
    new = "ltsc2022"
  }
  family = "web-${each.key}"
  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }
  container_definitions = jsonencode([{
    name = "web", image = "mcr.microsoft.com/windows/servercore:${each.value}", cpu = 512
  }])
}
resource "aws_ecs_task_definition" "flag" {
  count                 = var.enabled ? 1 : 0
  family                = "flag"
  container_definitions = jsonencode([{ name = "a", image = "x:${count.index}" }])
}
resource "aws_ecs_task_definition" "two" {
  count                 = 2
  family                = "two-${count.index}"
  container_definitions = jsonencode([{ name = "a", image = "x:1" }])
}
variable "enabled" { default = false }
locals { enabled = var.enabled ? 1 : 0 }
resource "aws_ecs_task_definition" "local_flag" {
  count                 = local.enabled
  family                = "local-flag"
  container_definitions = jsonencode([{ name = "a", image = "x:1" }])
}
'''
    result = lint_text(text, "main.tf", select=["WIN201"])
    assert sorted(task.task for task in result.tasks) == [
        "aws_ecs_task_definition.flag",  # a flag from a variable: one instance, unknown
        "aws_ecs_task_definition.local_flag",  # also through a local
        "aws_ecs_task_definition.two[0]", "aws_ecs_task_definition.two[1]",
        'aws_ecs_task_definition.web["new"]', 'aws_ecs_task_definition.web["old"]']
    assert [(f.task, f.location.line) for f in result.findings] == [
        ('aws_ecs_task_definition.web["old"]', 12)]


# --- modules of the repository ----------------------------------------------------------

MODULE_TASK = '''variable "image" {}
variable "memory" { default = 512 }
resource "aws_ecs_task_definition" "this" {
  family = "iis"
  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }
  container_definitions = jsonencode([{
    name   = "iis"
    image  = var.image
    cpu    = 512
    memory = var.memory
  }])
}
'''
CALLS = '''module "old" {
  source = "./modules/task"
  image  = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"
}
module "new" {
  source = "./modules/task"
  image  = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
}
'''


def test_a_module_of_the_repository_is_linted_through_each_call(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "modules" / "task").mkdir(parents=True)
    (tmp_path / "modules" / "task" / "main.tf").write_text(MODULE_TASK)
    (tmp_path / "main.tf").write_text(CALLS)
    result = run_cli(["check", "--isolated", "--select", "WIN201", "--format", "json", "."],
                     tmp_path)
    report = json.loads(result.stdout)
    assert sorted(task["task"] for task in report["tasks"]) == [
        "module.new.aws_ecs_task_definition.this", "module.old.aws_ecs_task_definition.this"]
    [finding] = report["findings"]
    assert (finding["task"], finding["location"]["file"], finding["location"]["line"]) == (
        "module.old.aws_ecs_task_definition.this", "./modules/task/main.tf", 10)
    assert [(r["file"], r["line"]) for r in finding["related"]] == [("./main.tf", 3)]
    # On its own, the module is linted with its variables unknown.
    alone = run_cli(["check", "--isolated", "--select", "WIN201", "--format", "json",
                     "modules/task/main.tf"], tmp_path)
    assert [t["task"] for t in json.loads(alone.stdout)["tasks"]] == [
        "aws_ecs_task_definition.this"]


@pytest.mark.parametrize("args", [["."], ["--sniff", "main.tf", "modules/task/main.tf"]])
def test_a_file_that_only_calls_a_module_is_read(tmp_path: Path, args: list[str]) -> None:
    # No word of a task definition in main.tf: a scan, and pre-commit's --sniff, still
    # read it, since the module's file is linted through the call and not on its own.
    (tmp_path / ".git").mkdir()
    (tmp_path / "modules" / "task").mkdir(parents=True)
    (tmp_path / "modules" / "task" / "main.tf").write_text(
        MODULE_TASK.replace("var.image", '"mcr.microsoft.com/windows/servercore:${var.tag}"')
        .replace('variable "image" {}', 'variable "tag" {}'))
    (tmp_path / "main.tf").write_text('module "web" {\n  source = "./modules/task"\n'
                                      '  tag    = "ltsc2019"\n}\n')
    result = run_cli(["check", "--isolated", "--select", "WIN201", *args], tmp_path)
    [line] = [line for line in result.stdout.splitlines() if "WIN201" in line]
    assert line.startswith(("./modules/task/main.tf:10:14: WIN201", "modules/task/main.tf:10:14"))
    assert line.endswith("(in module.web.aws_ecs_task_definition.this) "
                         "(windows-image-host-mismatch)")


def test_modules_that_call_each_other_are_still_linted(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for name, other in (("a", "b"), ("b", "a")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(
            MODULE_TASK + f'module "{other}" {{\n  source = "../{other}"\n  image = "x"\n}}\n')
    result = run_cli(["check", "--isolated", "--format", "json", "."], tmp_path)
    tasks = sorted((task["file"], task["task"]) for task in json.loads(result.stdout)["tasks"])
    assert tasks == [("./a/main.tf", "aws_ecs_task_definition.this"),
                     ("./a/main.tf", "module.b.aws_ecs_task_definition.this")]


def test_a_string_that_is_one_interpolation_is_that_value() -> None:
    # Terraform 0.11's style: "${...}" around a single expression keeps its type.
    data = task_of('''
locals {
  containers = [{ name = "a", image = "x", memory = 512, memoryReservation = 256 }]
  n          = 3
}
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = "${jsonencode(local.containers)}"
  cpu                   = "${local.n}"
}''')
    assert data["containerDefinitions"] == [
        {"name": "a", "image": "x", "memory": 512, "memoryReservation": 256}]
    assert data["cpu"] == "3"


@given(st.lists(st.sampled_from(["a", "é", "\\n", '\\"', "\\\\", "\\u00e9", "$${", "%%{",
                                 "\\U0001F600", "\\q", "$", "%"])).map("".join))
def test_a_quoted_strings_value_maps_back_to_its_text(text: str) -> None:
    value, offsets = unescape_offsets(text)
    assert value == unescape(text)
    assert len(offsets) == len(value) + 1 and offsets[-1] == len(text)
    assert offsets == sorted(offsets)
    for character, offset in zip(value, offsets, strict=False):
        assert text[offset] == character or text[offset] in "\\$%"


def test_a_baseline_matches_by_address_container_and_pointer(tmp_path: Path) -> None:
    """Moving a resource, adding one above it and adding a container before the old
    one keep a recorded finding hidden; the new container's own finding is new."""
    def task(name: str, containers: str) -> str:
        return (f'resource "aws_ecs_task_definition" "{name}" {{\n'
                '  family = "iis"\n'
                '  runtime_platform { operating_system_family = "WINDOWS_SERVER_2022_CORE" }\n'
                f'  container_definitions = jsonencode([{containers}])\n}}\n')

    old = '{ name = "iis", image = "i", cpu = 256, memory = 512, memoryReservation = 256 }'
    new = '{ name = "sidecar", image = "s", cpu = 256, memory = 256, memoryReservation = 128 }'
    (tmp_path / "main.tf").write_text(task("web", old))
    args = ["check", "--isolated", "--select", "WIN110"]
    written = run_cli([*args, "--write-baseline", "baseline.json", "main.tf"], tmp_path)
    assert written.exit_code == 0, written.output
    (tmp_path / "main.tf").write_text(task("api", old) + "\n\n" + task("web", f"{new},\n{old}"))
    result = run_cli([*args, "--baseline", "baseline.json", "main.tf"], tmp_path)
    assert [line.split(": ", 1)[0] for line in result.stdout.splitlines()
            if "WIN110" in line] == ["main.tf:4:93", "main.tf:11:97"]
    assert "'iis'" in result.stdout.splitlines()[0] and "'sidecar'" in result.stdout
    assert "1 finding hidden by the baseline." in result.stdout


def test_a_comment_or_an_ignore_governs_findings_in_the_file_they_are_shown_in(
        tmp_path: Path) -> None:
    """A finding shown in another file of the module is suppressed by that file's
    comments, and by per-file ignores of its path as well as of the linted file's."""
    (tmp_path / ".git").mkdir()
    infra = tmp_path / "infra"
    (infra / "templates").mkdir(parents=True)
    (infra / "main.tf").write_text(
        'resource "aws_ecs_task_definition" "t" {\n  family = "t"\n'
        '  runtime_platform { operating_system_family = "WINDOWS_SERVER_2022_CORE" }\n'
        '  container_definitions = jsonencode(local.containers)\n}\n'
        'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n'
        '  runtime_platform { operating_system_family = "WINDOWS_SERVER_2022_CORE" }\n'
        '  container_definitions = templatefile("${path.module}/templates/app.json.tpl",'
        ' { m = 512 })\n}\n')
    (infra / "locals.tf").write_text(
        'locals {\n  containers = [{\n    name = "web", image = "web:1", cpu = 512,'
        ' memory = 1024\n    memoryReservation = 512 # ecslint: ignore[WIN110]\n  }]\n}\n')
    (infra / "templates" / "app.json.tpl").write_text(
        '[{"name": "app", "image": "a:1", "cpu": 512, "memory": 1024,'
        ' "memoryReservation": ${m}}]\n')
    args = ["check", "--select", "WIN110", "infra"]
    assert run_cli([*args, "--isolated"], tmp_path).stdout.splitlines() == [
        "infra/templates/app.json.tpl:1:62: WIN110 [error] container 'app' sets "
        "memoryReservation (512) next to memory (1024); Docker on Windows rejects a memory "
        "soft limit, so the container cannot start (windows-memory-reservation)",
        "Found 1 problem (1 error) in 1 of 2 files (1 without a task definition).",
        "1 finding hidden by suppressions."]
    (tmp_path / ".ecslint.yaml").write_text('per-file-ignores:\n  "infra/templates/*": [WIN110]\n')
    result = run_cli(args, tmp_path)
    assert result.exit_code == 0, result.output
    assert "WIN110" not in result.stdout


def test_the_summary_counts_the_files_linted_not_the_files_findings_are_shown_in(
        tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "web.json").write_text(
        '[{"name": "web", "image": "w:1", "cpu": 256, "memory": 512, "memoryReservation": 256}]')
    (tmp_path / "main.tf").write_text(
        'resource "aws_ecs_task_definition" "web" {\n  family = "web"\n'
        '  runtime_platform { operating_system_family = "WINDOWS_SERVER_2022_CORE" }\n'
        '  container_definitions = file("${path.module}/web.json")\n}\n'
        'resource "aws_ecs_task_definition" "api" {\n  family = "api"\n'
        '  runtime_platform { operating_system_family = "WINDOWS_SERVER_2022_CORE" }\n'
        '  container_definitions = jsonencode([{ name = "api", image = "a:1", cpu = 256,'
        ' memory = 512, memoryReservation = 256 }])\n}\n')
    for output in ("text", "json"):
        result = run_cli(["check", "--isolated", "--select", "WIN110", "--format", output,
                          "main.tf"], tmp_path)
        if output == "text":
            assert "Found 2 problems (2 errors) in 1 of 1 file." in result.stdout.splitlines()
        else:
            summary = json.loads(result.stdout)["summary"]
            assert (summary["files"], summary["filesWithFindings"]) == (1, 1)


def test_tf_json_module_calls_are_tasks_only_for_the_ecs_module(tmp_path: Path) -> None:
    containers = {"app": {"image": "mcr.microsoft.com/windows/servercore:ltsc2019",
                          "memory": 1024, "memory_reservation": 512}}
    platform = {"operating_system_family": "WINDOWS_SERVER_2022_CORE"}
    (tmp_path / "mine.tf.json").write_text(json.dumps({
        "resource": {"aws_s3_bucket": {"b": {"bucket": "x"}}},
        "module": {"mine": {"source": "./modules/whatever", "container_definitions": containers,
                            "runtime_platform": platform}}}))
    (tmp_path / "svc.tf.json").write_text(json.dumps({  # no "resource" at all
        "module": {"svc": {"source": "terraform-aws-modules/ecs/aws//modules/service",
                           "requires_compatibilities": ["EC2"],
                           "container_definitions": containers, "runtime_platform": platform}}}))
    result = run_cli(["check", "--isolated", "--select", "WIN201,WIN110", "--format", "json",
                      "."], tmp_path)
    report = json.loads(result.stdout)
    assert [task["task"] for task in report["tasks"]] == ["module.svc"]
    assert sorted((f["rule"]["id"], f["location"]["file"]) for f in report["findings"]) == [
        ("WIN110", "./svc.tf.json"), ("WIN201", "./svc.tf.json")]


@pytest.mark.parametrize("written, where", [
    ('<<EOF\n[\n  {"name": "a", "image": "i"\n   "memory": 512}\n]\nEOF', "line 6, column 4"),
    ('"[{\\"name\\": \\"a\\" \\"image\\": 1}]"', "line 3, column 46"),
])
def test_container_definitions_that_are_not_json_are_one_e001_saying_where(
        written: str, where: str) -> None:
    text = ('resource "aws_ecs_task_definition" "t" {\n  family = "t"\n'
            f'  container_definitions = {written}\n}}\n')
    result = lint_text(text, "main.tf", select=["ALL"])
    assert [(f.rule.id, f.location.line, f.location.column, f.message) for f in result.findings
            ] == [("E001", 3, 27, f"container_definitions is not JSON: Expecting ',' delimiter "
                                  f"({where})")]
