"""The command line end to end: exit codes, options, configuration errors, stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ECSLINT
from helpers import run_cli as run

CONTAINER = {"name": "web", "image": "nginx", "memory": 512, "user": "1000",
             "readonlyRootFilesystem": True,
             "logConfiguration": {"logDriver": "awslogs", "options": {
                 "awslogs-group": "web", "awslogs-region": "eu-west-1"}}}
GOOD = json.dumps({"family": "web", "containerDefinitions": [CONTAINER]}) + "\n"
BAD = json.dumps({"family": "web", "networkMode": "bridged", "containerDefinitions": [CONTAINER]}) + "\n"


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--format auto`` reads GITHUB_ACTIONS: these tests expect text wherever they run."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good.json").write_text(GOOD)
    (tmp_path / "bad.json").write_text(BAD)
    (tmp_path / "package.json").write_text('{"name": "x"}')
    return tmp_path


def test_exit_codes(tree: Path) -> None:
    assert run(["check", "good.json"], tree).exit_code == 0
    result = run(["check", "bad.json"], tree)
    assert result.exit_code == 1
    assert result.output.startswith("bad.json:1:34: E002 [error] networkMode must be one of")
    assert run(["check", "bad.json", "--fail-on", "never"], tree).exit_code == 0
    assert run(["check", "bad.json", "--ignore", "E002"], tree).exit_code == 0
    (tree / "broken.json").write_text("{")
    broken = run(["check", "broken.json", "good.json"], tree)
    assert broken.exit_code == 2
    assert "broken.json:1:2: E001 [error]" in broken.output
    assert run(["check", "missing.json"], tree).exit_code == 2


def test_usage_errors_exit_2(tree: Path) -> None:
    assert run(["check", "--select", "NOPE", "good.json"], tree).exit_code == 2
    assert run(["check", "--format", "xml", "good.json"], tree).exit_code == 2
    assert run(["check", "--windows-host", "1999", "good.json"], tree).exit_code == 2
    assert run(["rule", "WIN999"], tree).exit_code == 2


def test_directory_scan_skips_non_task_files_but_explicit_e003(tree: Path) -> None:
    scanned = run(["check", "--extend-select", "E003", "--format", "json", "."], tree)
    data = json.loads(scanned.output)
    assert sorted({f["location"]["file"] for f in data["findings"]}) == ["./bad.json"]
    explicit = run(["check", "--extend-select", "E003", "--fail-on", "info", "package.json"], tree)
    assert explicit.exit_code == 1
    assert "package.json:1:1: E003 [info] the file holds no ECS task definition" in explicit.output
    assert run(["check", "package.json"], tree).exit_code == 0


def test_stdin_with_filename(tree: Path) -> None:
    result = run(["check", "-", "--stdin-filename", "td.yaml"], tree,
                 stdin="family: web\nnetworkMode: bridged\ncontainerDefinitions: []\n")
    assert result.exit_code == 1
    assert result.output.startswith("td.yaml:2:14: E002")


def test_select_family_does_not_select_ecs(tree: Path) -> None:
    many = {"family": "f", "containerDefinitions": [{"name": f"c{i}", "image": "x", "memory": 64}
                                                    for i in range(11)]}
    (tree / "many.json").write_text(json.dumps(many))
    assert run(["check", "--select", "E", "many.json"], tree).exit_code == 0
    assert run(["check", "--select", "ECS", "many.json"], tree).exit_code == 1
    assert run(["check", "--select", "too-many-containers", "many.json"], tree).exit_code == 1


def test_config_file_is_found_upwards_and_errors_are_located(tree: Path) -> None:
    (tree / ".ecslint.yaml").write_text("ignore: [E002]\n")
    sub = tree / "sub"
    sub.mkdir()
    (sub / "bad.json").write_text(BAD)
    assert run(["check", "bad.json"], sub).exit_code == 0
    assert run(["check", "--isolated", "bad.json"], sub).exit_code == 1
    (tree / ".ecslint.yaml").write_text("ignore: [E002]\nfail_on: error\n")
    result = run(["check", "bad.json"], sub)
    assert result.exit_code == 2
    assert ".ecslint.yaml:2:1:" in result.output


def test_output_file_and_formats(tree: Path) -> None:
    for fmt in ("json", "sarif", "github", "gitlab", "junit", "text"):
        result = run(["check", "--format", fmt, "--output", f"out.{fmt}", "bad.json"], tree)
        assert result.exit_code == 1 and result.output == ""
        assert "networkMode" in (tree / f"out.{fmt}").read_text()


def test_json_carries_platform_decisions(tree: Path) -> None:
    data = json.loads(run(["check", "--format", "json", "good.json"], tree).output)
    assert data["tasks"] == [{
        "file": "good.json", "task": "web", "source": "register", "os": "unknown",
        "osFamily": None, "osSignal": "unknown: no OS signal (EC2 without runtimePlatform)",
        "launchTypes": ["EC2"], "launchSignal": "default EC2: no requiresCompatibilities",
        "windows": {
            "host": {"release": None, "build": None, "signal": "not known to be a Windows task (unknown: no "
                     "OS signal (EC2 without runtimePlatform))"},
            "images": [{"container": "web", "image": "nginx", "release": None, "build": None,
                        "signal": "untagged: Docker pulls 'latest', which names no Windows "
                                  "version"}]},
    }]
    linux = json.loads(run(["check", "--format", "json", "--platform", "linux", "good.json"],
                           tree).output)["tasks"][0]
    assert (linux["os"], linux["osSignal"], linux["windows"]) == (
        "linux", "configured platform", None)


def test_rules_and_rule_commands(tree: Path) -> None:
    listing = run(["rules"], tree).output
    assert "ECS401  too-many-containers" in listing
    explained = run(["rule", "too-many-containers"], tree).output
    assert explained.startswith("# too-many-containers (ECS401)\n")
    assert json.loads(run(["rule", "E002", "--format", "json"], tree).output)[0]["id"] == "E002"
    assert run(["--version"], tree).output.startswith("ecslint, version ")


def test_a_crashing_rule_is_contained(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ecslint.registry as registry
    from ecslint.rule import Severity, rule

    @rule(id="ECS499", name="always-crashes", severity=Severity.ERROR, summary="s", fix_title="f")
    def crash(task):
        """Crash."""
        raise ZeroDivisionError("boom")
        yield

    rules = registry.all_rules() + (crash,)
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    result = run(["check", "good.json", "bad.json"], tree)
    assert result.exit_code == 2
    assert ("good.json:1:1: error: internal error in rule ECS499 (always-crashes) on task 'web': "
            "ZeroDivisionError: boom") in result.output
    assert "bad.json:1:34: E002" in result.output


def test_github_format_cannot_be_injected_through_a_container_name(tree: Path) -> None:
    hostile = {"family": "web", "containerDefinitions": [
        {**CONTAINER, "name": "web\n::error file=x::forged"}]}
    (tree / "hostile.json").write_text(json.dumps(hostile))
    result = run(["check", "--format", "github", "hostile.json"], tree)
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error file=hostile.json,line=1,")
    (tree / "x\n::error file=y::forged.json").write_text(BAD)
    result = run(["check", "--format", "github", "x\n::error file=y::forged.json"], tree)
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=x%0A%3A%3Aerror file=y%3A%3Aforged.json,line=1,col=34,")


def test_cdk_out_is_scanned_and_its_templates_linted(tree: Path) -> None:
    cdk = tree / "cdk.out"
    cdk.mkdir()
    template = {"Resources": {"TaskDef1234": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
        "NetworkMode": "bridged", "ContainerDefinitions": [{"Name": "web", "Image": "nginx"}]}}}}
    (cdk / "App.template.json").write_text(json.dumps(template))
    (tree / "node_modules").mkdir()
    (tree / "node_modules" / "td.json").write_text(BAD)
    data = json.loads(run(["check", "--format", "json", "."], tree).output)
    assert {(f["location"]["file"], f["task"]) for f in data["findings"]} == {
        ("./cdk.out/App.template.json", "TaskDef1234"), ("./bad.json", "web")}


def test_format_auto_is_github_inside_github_actions(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["check", "bad.json"], tree).output.startswith("bad.json:1:34: E002 [error]")
    assert run(["check", "--format", "auto", "bad.json"], tree).output.startswith("bad.json:1:34:")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run(["check", "bad.json"], tree)
    assert result.exit_code == 1
    assert result.output.startswith("::error file=bad.json,line=1,col=34,")
    assert run(["check", "--format", "text", "bad.json"], tree).output.startswith("bad.json:1:34:")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert run(["check", "bad.json"], tree).output.startswith("bad.json:1:34:")


def test_help_groups_the_options(tree: Path) -> None:
    text = run(["check", "--help"], tree).output
    headings = [line for line in text.splitlines() if line.endswith(":") and line[:1].isupper()]
    assert headings == ["Rule selection:", "Configuration:", "Baseline and suppressions:",
                        "Output:", "Input and speed:", "Fixes:", "Other options:"]
    assert "-j, --jobs N" in text and "--write-baseline FILE" in text
    assert "[default: auto]" in text


@pytest.mark.parametrize("value, code", [("auto", 0), ("0", 0), ("2", 0), ("-1", 2), ("x", 2)])
def test_jobs_values(tree: Path, value: str, code: int) -> None:
    result = run(["check", "--jobs", value, "good.json", "good.json"], tree)
    assert result.exit_code == code, result.output
    if code:
        assert "Invalid value for '--jobs' / '-j'" in result.output


SUPPRESSED = """\
family: web
networkMode: bridged  # ecslint: ignore[E002] legacy
containerDefinitions:
  - name: web  # ecslint: ignore[WIN110]
    image: nginx
    memory: 512  # ecslint: ignore[WIN999, E003]
    # ecslint: ignore
    cpu: 256
"""


def test_invalid_suppressions_are_reported_by_default(tree: Path) -> None:
    (tree / "td.yaml").write_text(SUPPRESSED)
    result = run(["check", "--select", "E", "td.yaml"], tree)
    assert result.exit_code == 1
    assert result.output.splitlines()[:1] == [
        "td.yaml:6:36: E005 [warning] unknown rule 'WIN999' in suppression comment "
        "(did you mean 'WIN209'?) (invalid-suppression)"]


def test_unused_inline_suppressions_are_opt_in(tree: Path) -> None:
    (tree / "td.yaml").write_text(SUPPRESSED)
    args = ["check", "--select", "E002,WIN110,E003", "--fail-on", "never", "td.yaml"]
    assert "E004" not in run(args, tree).output
    lines = [line for line in run([*args, "--report-unused-suppressions"], tree).output.splitlines()
             if "E004" in line]
    # E002 was used; WIN110 ran and found nothing; E003 ran (the file is named) but
    # reports only files without tasks; the bare comment above cpu hid nothing.
    assert lines == [
        "td.yaml:4:34: E004 [info] unused suppression: WIN110 (windows-memory-reservation) "
        "reports nothing on line 4 (unused-suppression)",
        "td.yaml:6:44: E004 [info] unused suppression: E003 (not-a-task-definition) "
        "reports nothing on line 6 (unused-suppression)",
        "td.yaml:7:5: E004 [info] unused suppression: nothing is reported on line 8 "
        "(unused-suppression)",
    ]
    # A code naming a rule that did not run is not judged.
    narrow = run(["check", "--select", "E002,E004", "--fail-on", "never", "td.yaml"], tree)
    assert [line.split(": E004")[0] for line in narrow.output.splitlines() if "E004" in line] == [
        "td.yaml:7:5"]


def test_unused_configuration_ignores(tree: Path) -> None:
    (tree / "tasks").mkdir()
    (tree / "tasks" / "bad.json").write_text(BAD)
    (tree / "tasks" / "good.json").write_text(GOOD)
    entries = [("tasks/bad.json", "/networkMode", "E002"),          # used
               ("tasks/good.json", "/containerDefinitions/0", "ECS406"),  # linted, unused
               ("tasks/gone.json", "", "E002"),                     # no such file
               ("other/*.json", "", "E002"),                        # no file linted matches
               ("tasks/*.json", "", "WIN209")]                      # WIN209 did not run
    yaml = "ignores:\n" + "".join(
        f"  - path: {path!r}\n    pointer: {pointer!r}\n    rules: [{rules}]\n    reason: r\n"
        for path, pointer, rules in entries)
    (tree / ".ecslint.yaml").write_text(yaml)
    result = run(["check", "--report-unused-suppressions", "--format", "json", "tasks"], tree)
    assert result.exit_code == 0, result.output
    found = [(f["location"]["file"], f["location"]["line"], f["location"]["pointer"], f["message"])
             for f in json.loads(result.output)["findings"]]
    assert found == [
        (".ecslint.yaml", 6, "/ignores/1", "unused ignore: nothing reports ECS406 at "
         "/containerDefinitions/0 in 'tasks/good.json'"),
        (".ecslint.yaml", 10, "/ignores/2", "unused ignore: 'tasks/gone.json' does not exist"),
    ]
    assert json.loads(result.output)["summary"]["files"] == 3
    # Linting only bad.json does not judge the entry for good.json.
    only_bad = run(["check", "--report-unused-suppressions", "--format", "json",
                    "tasks/bad.json"], tree)
    assert [f["location"]["pointer"] for f in json.loads(only_bad.output)["findings"]] == [
        "/ignores/2"]


def test_unused_ignores_in_pyproject_are_located(tree: Path) -> None:
    (tree / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ecslint]\nselect = ["E"]\n\n'
        '[[tool.ecslint.ignores]]\npath = "bad.json"\npointer = "/networkMode"\n'
        'rules = ["E002"]\nreason = "r"\n\n'
        '[[tool.ecslint.ignores]]\npath = "good.json"\npointer = ""\n'
        'rules = ["E002"]\nreason = "r"\n')
    result = run(["check", "--report-unused-suppressions", "bad.json", "good.json"], tree)
    assert result.output.splitlines()[0] == (
        "pyproject.toml:13:1: E004 [info] unused ignore: nothing reports E002 at / in "
        "'good.json' (unused-suppression)")


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path: Path) -> None:
    """``ecslint check | head -1``: the output is written as it is made, so the reader
    can close the pipe mid-way; no traceback, and the exit status is the run's."""
    for number in range(600):
        (tmp_path / f"bad-{number:03d}.json").write_text(BAD)
    command = [*ECSLINT, "check", "--isolated", "--fail-on", "never", "."]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"./bad-000.json:1:34: E002")
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == ""


def _modules_loaded(cwd: Path, args: list[str]) -> tuple[set[str], str]:
    """The modules an ``ecslint`` run with ``args`` imported, in a fresh interpreter,
    and its exit status, read from the last line it writes to standard error."""
    code = ("import sys\nfrom ecslint.cli.main import main\nstatus = None\n"
            f"try:\n    main({args!r})\n"
            "except SystemExit as exit:\n    status = exit.code\n"
            "print(status, *sorted(sys.modules), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                            text=True, timeout=60)
    status, *modules = result.stderr.splitlines()[-1].split()
    return set(modules), status


def test_a_one_file_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    """The pre-commit case starts fast because it leaves out the schema library, the
    AWS SDK, plugin discovery, TOML, process pools, spilling and other formats."""
    (tmp_path / "task.json").write_text(BAD)
    loaded, _ = _modules_loaded(tmp_path, ["check", "--isolated", "task.json"])
    assert "ecslint.engine" in loaded and "ecslint.report.formatters.text" in loaded
    unwanted = {"jsonschema", "referencing", "importlib.metadata", "tomllib", "botocore",
                "boto3", "multiprocessing", "concurrent.futures", "tempfile", "pickle",
                "ecslint.report.formatters.json", "ecslint.report.formatters.sarif",
                "ecslint.report.formatters.github", "ecslint.parallel", "ecslint.suppress.baseline",
                "tree_sitter", "tree_sitter_hcl", "ecslint.load.hcl_reader",
                "ecslint.load.hcl_syntax", "ecslint.load.hcl_values", "ecslint.load.hcl_module",
                "ecslint.hosts", "ecslint.distribution.resolution", "ecslint.distribution.resolve",
                "ecslint.tasks.terraform", "pygls", "lsprotocol", "ecslint.cli.lsp"}
    assert not unwanted & loaded, sorted(unwanted & loaded)


def test_a_clean_pre_commit_run_does_not_load_the_spelling_suggester(tmp_path: Path) -> None:
    """``difflib`` is for misspelt names only: the hook's command on a clean file
    (long options only, as the hook passes them) never imports it."""
    (tmp_path / "task.json").write_text(GOOD)
    loaded, status = _modules_loaded(tmp_path, ["check", "--isolated", "--sniff", "task.json"])
    assert status == "0"
    assert "ecslint.engine" in loaded
    assert "difflib" not in loaded


def test_summary_says_what_a_baseline_and_suppressions_hid(tree: Path) -> None:
    """A run made clean by a baseline or by suppressions says so, in text and JSON."""
    (tree / "td.yaml").write_text(SUPPRESSED)
    (tree / ".ecslint.yaml").write_text(
        "ignores:\n  - path: bad.json\n    pointer: /networkMode\n    rules: [E002]\n"
        "    reason: r\n")
    (tree / "other.json").write_text(BAD.replace('"web"', '"other"', 1))
    args = ["check", "--select", "E002", "td.yaml", "bad.json", "other.json"]
    assert run(["check", "--quiet", "--select", "E002", "--write-baseline", "base.json",
                "other.json"], tree).exit_code == 0
    result = run([*args, "--baseline", "base.json"], tree)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "No problems found in 3 files.", "1 finding hidden by the baseline, 2 by suppressions."]
    summary = json.loads(run([*args, "--baseline", "base.json", "--format", "json"], tree).output)
    assert summary["summary"]["hiddenByBaseline"] == 1
    assert summary["summary"]["hiddenBySuppressions"] == 2
    alone = run(["check", "--select", "E002", "td.yaml"], tree).output.splitlines()
    assert alone[-1] == "1 finding hidden by suppressions."
    assert "hidden" not in run(["check", "good.json"], tree).output


def test_statistics_print_counts_instead_of_findings(tree: Path) -> None:
    (tree / "other.json").write_text(BAD)
    (tree / "broken.json").write_text("{")
    result = run(["check", "--statistics", "bad.json", "other.json", "broken.json"], tree)
    assert result.output.splitlines() == [
        "2  E002  schema-violation",
        "1  E001  parse-error",
        "Found 3 problems (3 errors) in 3 of 3 files.",
    ]
    quiet = run(["check", "--statistics", "--quiet", "bad.json", "other.json"], tree)
    assert quiet.output == "2  E002  schema-violation\n"
    by_rule = json.loads(run(["check", "--format", "json", "bad.json", "broken.json"],
                             tree).output)["summary"]["byRule"]
    assert by_rule == {"E001": 1, "E002": 1}


@pytest.mark.parametrize("no_color, colored", [(None, True), ("", True), ("1", False)])
def test_no_color_is_honoured(tree: Path, monkeypatch: pytest.MonkeyPatch,
                              no_color: str | None, colored: bool) -> None:
    """https://no-color.org: any non-empty NO_COLOR turns colour off on a terminal."""
    from ecslint.cli.options import CommonOptions
    from ecslint.report.formatters import text
    from ecslint.report.model import Report

    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    options = CommonOptions(output_format="text")
    seen = {}
    monkeypatch.setattr(text, "render", lambda report, **kwargs: seen.update(kwargs) or iter(()))
    list(options.render(Report()))
    assert seen["color"] is colored
    list(CommonOptions(output_format="text", no_color=True).render(Report()))
    assert seen["color"] is False


def test_each_path_uses_the_configuration_closest_to_it(tmp_path: Path) -> None:
    """As ruff: configuration is found from each linted path upwards, not from the
    working directory, and paths under different configurations keep their own
    (fail-on included); --config and --isolated apply to every path."""
    for name, config in (("a", "fail-on: never\n"),
                         ("b", "per-file-ignores:\n  'tasks/*.json': [E002]\n")):
        (tmp_path / name / "tasks").mkdir(parents=True)
        (tmp_path / name / "tasks" / "bad.json").write_text(BAD)
        (tmp_path / name / ".ecslint.yaml").write_text(config)
    (tmp_path / "loose.json").write_text(BAD)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / ".ecslint.yaml").write_text("ignore: [E002]\n")
    elsewhere = tmp_path / "elsewhere"

    b_only = run(["check", "../b/tasks/bad.json"], elsewhere)
    assert b_only.exit_code == 0 and b_only.output == "No problems found in 1 file.\n"
    both = run(["check", "../a/tasks/bad.json", "../b"], elsewhere)
    assert both.exit_code == 0, both.output
    assert [line.split(": ")[0] for line in both.output.splitlines()[:-1]] == [
        "../a/tasks/bad.json:1:34"]
    assert both.output.splitlines()[-1] == (
        "Found 1 problem (1 error) in 1 of 3 files (1 without a task definition).")
    # No configuration above the file: the defaults, not the working directory's.
    assert run(["check", "../loose.json"], elsewhere).exit_code == 1
    assert run(["check", "../a/tasks/bad.json", "../loose.json"], elsewhere).exit_code == 1
    assert run(["check", "-", "--stdin-filename", "../b/tasks/x.json"], elsewhere,
               stdin=BAD).exit_code == 0
    assert run(["check", "--isolated", "../b"], elsewhere).exit_code == 1
    overridden = run(["check", "--config", "../a/.ecslint.yaml", "../b", "../loose.json"],
                     elsewhere)
    assert overridden.exit_code == 0 and overridden.output.count("E002") == 2


def test_sniff_passes_over_named_files_without_a_task_definition(tree: Path) -> None:
    """pre-commit names every JSON and YAML file: with --sniff they are treated as a
    directory scan treats them, so a Helm template or a broken unrelated file passes,
    while a broken task definition is still an error."""
    (tree / "deployment.yaml").write_text(
        "metadata:\n  labels:\n    {{- include \"web.labels\" . | nindent 4 }}\n"
        "spec:\n  containers:\n    - image: \"{{ .Values.image }}\"\n")
    (tree / "settings.json").write_text('{"retries": 3,}\n')
    (tree / "empty.json").write_text("")
    (tree / "broken-td.json").write_text('{"family": "web", "containerDefinitions": [,]}\n')
    unrelated = ["deployment.yaml", "settings.json", "empty.json", "package.json"]
    assert run(["check", *unrelated], tree).exit_code == 2
    sniffed = run(["check", "--sniff", "--extend-select", "E003", *unrelated, "good.json"], tree)
    assert sniffed.exit_code == 0, sniffed.output
    assert sniffed.output == "No problems found in 1 of 5 files (4 without a task definition).\n"
    broken = run(["check", "--sniff", "broken-td.json", "bad.json", *unrelated], tree)
    assert broken.exit_code == 2
    assert [line.split(" ")[:2] for line in broken.output.splitlines()[:2]] == [
        ["bad.json:1:34:", "E002"], ["broken-td.json:1:44:", "E001"]]
