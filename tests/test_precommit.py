"""The pre-commit hooks work with the real pre-commit, the way users meet them.

``pre-commit try-repo`` clones a repository at a commit (with uncommitted changes
it clones HEAD plus the tracked files' changes; new, untracked files are left
out). So the tests copy the working tree's files (tracked and untracked, minus
the git-ignored) into a throw-away repository, commit them, and point pre-commit
at that. Building a hook environment installs ecslint and its dependencies with
pip from PyPI; try-repo builds one per call, and the other tests share one
PRE_COMMIT_HOME for the session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, missing_tool

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
EXAMPLES = ROOT / "examples"
HELM_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
"""
GIT_CONFIG = ("-c", "user.name=ecslint tests", "-c", "user.email=tests@ecslint.invalid",
              "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main")


def pre_commit() -> list[str]:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if found is None:
        message = "pre-commit is not installed (it is in the test extras)"
        missing_tool(message)
    return [found]


def environment(home: Path | None = None) -> dict[str, str]:
    """The current environment without git's and pre-commit's own variables (set
    when the tests run inside a git hook), and without GitHub's, so the hook's
    output is the same everywhere."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "PRE_COMMIT", "GITHUB_", "VIRTUAL_ENV"))}
    if home is not None:
        env["PRE_COMMIT_HOME"] = str(home)
    return env


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *GIT_CONFIG, *args], cwd=cwd, env=environment(),
                            capture_output=True, text=True, check=True)
    return result.stdout


def copy_worktree(destination: Path) -> None:
    """Copy the files git would see in a commit of the working tree: tracked and
    untracked ones, as they are now, without git-ignored ones or deleted ones."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = ROOT / name
        if source.is_symlink() or source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A committed copy of this repository: its path and the commit."""
    repo = tmp_path_factory.mktemp("hook-repo")
    copy_worktree(repo)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "--no-verify", "-m", "working tree", cwd=repo)
    return repo, git("rev-parse", "HEAD", cwd=repo).strip()


TERRAFORM = """resource "aws_ecs_task_definition" "web" {
  family = "web"
  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }
  container_definitions = jsonencode([{
    name              = "web"
    image             = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
    cpu               = 512
    memory            = 1024
    memoryReservation = 512
  }])
}
"""


@pytest.fixture(scope="session")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's repository with a good and bad task definitions and CloudFormation
    templates under any name, and JSON and YAML files that hold no task definition
    (a Helm template and a broken JSON file among them)."""
    repo = tmp_path_factory.mktemp("consumer")
    broken = (EXAMPLES / "windows-service-broken.json").read_text()
    template = (EXAMPLES / "cloudformation-windows.yaml").read_text()
    files = {
        "task-definition.json": (EXAMPLES / "windows-iis-ec2.json").read_text(),
        "ecs/billing-taskdef.json": broken,
        "deploy/web-td.json": broken,
        "td/web.json": broken,
        "cloudformation/service.yaml": template,
        "infra/main.yaml": template,
        "stacks/network.template": template,
        "ecs-notes.json": '{"owner": "platform team", "services": ["web", "billing"]}\n',
        "ecs/settings.yaml": "cluster: windows-prod\nregion: eu-west-1\n",
        "package.json": '{"name": "not-ecs", "version": "1.0.0"}\n',
        "package-lock.json": '{"name": "not-ecs", "lockfileVersion": 3}\n',
        "config/broken.json": '{"retries": 3,}\n',
        "charts/web/templates/deployment.yaml": HELM_TEMPLATE,
        "README.md": "# not ECS\n",
        "infra/ecs.tf": TERRAFORM,
        "infra/network.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    return repo


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PRE_COMMIT_HOME for the session, so no test touches ~/.cache/pre-commit."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def run_hooks(hook_repo: tuple[Path, str], consumer: Path, home: Path,
              tmp_path_factory: pytest.TempPathFactory):
    """`pre-commit run` as a user's .pre-commit-config.yaml does it; the hook
    environment is built once per session."""
    path, rev = hook_repo
    hooks = [{"id": hook["id"]} for hook in yaml.safe_load(MANIFEST.read_text())]
    config = tmp_path_factory.mktemp("config") / ".pre-commit-config.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(path), "rev": rev, "hooks": hooks}]}))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*pre_commit(), "run", "--config", str(config), *args],
                              cwd=consumer, env=environment(home), capture_output=True,
                              text=True, timeout=600)
    return run


def try_repo(hook_repo: tuple[Path, str], consumer: Path, home: Path,
             *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*pre_commit(), "try-repo", str(hook_repo[0]), *args],
                          cwd=consumer, env=environment(home), capture_output=True, text=True,
                          timeout=600)


def test_manifest_is_valid() -> None:
    result = subprocess.run([*pre_commit(), "validate-manifest", str(MANIFEST)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_config_example_is_valid(tmp_path: Path) -> None:
    """The README's .pre-commit-config.yaml example (the yaml block with `repos:`)
    is a valid configuration that names this repository's hooks."""
    blocks = re.findall(r"^```yaml\n(.*?)^```$", (ROOT / "README.md").read_text(), re.S | re.M)
    examples = [block for block in blocks if re.match(r"repos:", block)]
    if not examples:
        pytest.skip("the README shows no .pre-commit-config.yaml example")
    hook_ids = {hook["id"] for hook in yaml.safe_load(MANIFEST.read_text())}
    for number, example in enumerate(examples):
        config = tmp_path / f"config-{number}.yaml"
        config.write_text(example)
        result = subprocess.run([*pre_commit(), "validate-config", str(config)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        used = {hook["id"] for repo in yaml.safe_load(example)["repos"] for hook in repo["hooks"]}
        assert used <= hook_ids, used - hook_ids


def test_try_repo_passes_a_good_task_definition(hook_repo: tuple[Path, str], consumer: Path,
                                                home: Path) -> None:
    result = try_repo(hook_repo, consumer, home, "ecslint", "--files", "task-definition.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^ecslint \(ECS task definitions\)\.+Passed$", result.stdout, re.M), result.stdout


def test_try_repo_fails_a_bad_task_definition(hook_repo: tuple[Path, str], consumer: Path,
                                              home: Path) -> None:
    result = try_repo(hook_repo, consumer, home, "ecslint", "--files", "ecs/billing-taskdef.json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert re.search(r"ecs/billing-taskdef\.json:11:7: WIN110 \[error\]", result.stdout), result.stdout


def test_the_default_patterns_pick_the_task_definitions(run_hooks) -> None:
    """Task definitions and templates are found whatever their names and folders;
    each file is linted by one hook only."""
    result = run_hooks("--all-files", "--verbose")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    main, cloudformation = out.split("ecslint (CloudFormation templates)")
    for name in ("ecs/billing-taskdef.json", "deploy/web-td.json", "td/web.json"):
        assert f"{name}:11:7: WIN110" in main
    for name in ("cloudformation/service.yaml", "infra/main.yaml"):
        assert f"{name}:39:12: FG302" in main
    assert "infra/ecs.tf:11:5: WIN110" in main and "infra/network.tf" not in out
    assert "stacks/network.template" not in main
    assert "stacks/network.template:39:12: FG302" in cloudformation
    assert ".json" not in cloudformation and ".yaml" not in cloudformation
    # Files without a task definition are passed to the hook, and silent; the correct
    # IIS task gets only SEC502's compliance note (IIS needs ContainerAdministrator).
    for quiet in ("ecs-notes.json", "ecs/settings.yaml", "package.json",
                  "config/broken.json", "charts/web/templates/deployment.yaml"):
        assert f"{quiet}:" not in out
    good = [line for line in out.splitlines() if line.startswith("task-definition.json:")]
    assert [line.split()[1:3] for line in good] == [["SEC502", "[info]"]]


def test_files_without_a_task_definition_pass_silently(run_hooks) -> None:
    result = run_hooks("ecslint", "--files", "ecs-notes.json", "ecs/settings.yaml",
                       "config/broken.json", "charts/web/templates/deployment.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("[INFO]")]
    assert len(lines) == 1 and re.fullmatch(r"ecslint \(ECS task definitions\)\.+Passed", lines[0]), lines


def test_a_pattern_that_matches_nothing_skips_the_hook(run_hooks) -> None:
    result = run_hooks("ecslint", "--files", "package-lock.json", "README.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(no files to check)Skipped" in result.stdout


def hook_selects(hook_id: str, path: str) -> bool:
    """Whether pre-commit passes ``path`` to the hook: its types (identify's tags
    from the name, as pre-commit computes them), ``files`` and ``exclude``."""
    from identify import identify

    hook = {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text())}[hook_id]
    # A name identify does not know is classified by content; these are all text.
    tags = identify.tags_from_filename(path) or {"text"}
    return (set(hook.get("types", [])) <= tags
            and (not hook.get("types_or") or bool(set(hook["types_or"]) & tags))
            and re.search(hook.get("files", ""), path) is not None
            and not (hook.get("exclude") and re.search(hook["exclude"], path)))


@pytest.mark.parametrize("path, matched", [
    ("task-definition.json", True), (".aws/task-definition.json", True), ("deploy/web-td.json", True),
    ("infra/main.yaml", True), ("td/web.json", True), ("tasks.json", True), ("ecs/web.yml", True),
    ("cdk.out/Web.template.json", True), ("template.yaml", True), ("package.json", True),
    ("package-lock.json", False), ("web/npm-shrinkwrap.json", False), ("Pipfile.lock", False),
    ("analysis.ipynb", False), ("task-definition.txt", False), ("task-definitions/README.md", False),
    ("network.template", False),
])
def test_task_definition_hook_selects(path: str, matched: bool) -> None:
    assert hook_selects("ecslint", path) is matched


@pytest.mark.parametrize("path, matched", [
    ("network.template", True), ("stacks/Web.TEMPLATE", True), ("ecs-demo.json.template", True),
    ("template.yaml", False), ("cdk.out/Web.template.json", False), ("cfn/README.md", False),
])
def test_cloudformation_hook_selects(path: str, matched: bool) -> None:
    """Only the *.template names the first hook cannot see, so no file is linted twice."""
    assert hook_selects("ecslint-cloudformation", path) is matched


def test_the_hook_with_fix_fixes_the_file(hook_repo: tuple[Path, str], home: Path,
                                          tmp_path: Path) -> None:
    """`args: [--fix]`, as with ruff's hook: the first run fixes the file and fails
    (pre-commit reports the modification), the second passes when nothing is left."""
    path, rev = hook_repo
    repo = tmp_path / "repo"
    repo.mkdir()
    task = (EXAMPLES / "windows-iis-ec2.json").read_text()
    assert '"memory": 2048,' in task
    broken = task.replace('"memory": 2048,', '"memory": 2048,\n      "memoryReservation": 1024,', 1)
    (repo / "td.json").write_text(broken)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(path), "rev": rev, "hooks": [
        {"id": "ecslint", "args": ["--fix"]}]}]}))

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([*pre_commit(), "run", "--config", str(config), "--files",
                               "td.json"], cwd=repo, env=environment(home),
                              capture_output=True, text=True, timeout=600)

    first = run()
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout, first.stdout
    assert "Fixed 1 of 2 problems; 1 remains." in first.stdout, first.stdout
    assert (repo / "td.json").read_text() == task
    second = run()
    assert second.returncode == 0, second.stdout + second.stderr
