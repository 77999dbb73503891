"""``ecslint aws`` against moto's AWS server: a real HTTP endpoint on localhost that
boto3 reaches through AWS_ENDPOINT_URL, with fake credentials; never against AWS.

Task definitions are registered through boto3, then linted by the command;
findings must name the ARN and point into the JSON that --save-dir writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from helpers import moto_endpoint

from ecslint.cli.aws import aws_command

boto3 = pytest.importorskip("boto3", reason="`ecslint aws` needs boto3 (pip install -e '.[aws]')")
pytest.importorskip(
    "moto.server", reason="the aws tests run against moto's server (pip install 'moto[server]')"
)

REGION = "eu-west-1"
ACCOUNT = "123456789012"
IIS_2019 = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"
LOGS = {"logDriver": "awslogs", "options": {
    "awslogs-group": "/ecs/app", "awslogs-region": REGION, "awslogs-stream-prefix": "app"}}
# A Windows Server 2019 task as teams registered them for EC2 before runtimePlatform:
# the hosts' Windows version is known only to the cluster, so --windows-host says it.
LEGACY_IIS: dict[str, Any] = {
    "family": "legacy-iis",
    "requiresCompatibilities": ["EC2"],
    "networkMode": "awsvpc",
    "placementConstraints": [{"type": "memberOf",
                              "expression": "attribute:ecs.os-type == windows"}],
    "containerDefinitions": [{
        "name": "iis", "image": IIS_2019, "cpu": 1024, "memory": 2048, "essential": True,
        "user": "ContainerUser", "logConfiguration": LOGS,
    }],
}
LINUX_CONTAINER = {"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "memory": 256,
                   "essential": True, "user": "1000", "readonlyRootFilesystem": True,
                   "logConfiguration": LOGS}


def arn(family: str, revision: int) -> str:
    return f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{family}:{revision}"


def linux(family: str, **fields: Any) -> dict[str, Any]:
    container = {k: v for k, v in dict(LINUX_CONTAINER, **fields).items() if v is not None}
    return {"family": family, "networkMode": "awsvpc",
            "runtimePlatform": {"operatingSystemFamily": "LINUX"}, "containerDefinitions": [container]}


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    with moto_endpoint() as url:
        yield url


def _post(url: str, data: bytes = b"") -> None:
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=10)


@pytest.fixture
def aws_env(endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Fake credentials and region, the moto endpoint, no user AWS configuration, and a
    fresh moto state; the working directory is an empty temporary one."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    env = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    _post(f"{endpoint}/moto-api/reset")
    return env


@pytest.fixture
def ecs(aws_env: dict[str, str]) -> Any:
    return boto3.client("ecs", region_name=REGION)


def register(ecs: Any, definition: dict[str, Any]) -> str:
    return str(ecs.register_task_definition(**definition)["taskDefinition"]["taskDefinitionArn"])


def run(*args: str) -> Result:
    return CliRunner().invoke(aws_command, ["--isolated", *args], catch_exceptions=False)


def flat(report: dict[str, Any]) -> dict[str, Any]:
    """The JSON report with each finding flattened to rule, severity, message and location."""
    report["findings"] = [
        {"rule": f["rule"]["id"], "severity": f["rule"]["severity"], "message": f["message"],
         **f["location"]}
        for f in report["findings"]
    ]
    return report


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run("--format", "json", *args)
    return result.exit_code, flat(json.loads(result.stdout))


def findings(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((f["file"], f["rule"], f["pointer"]) for f in report["findings"])


def test_findings_name_the_arn_and_point_into_the_saved_json(ecs: Any, tmp_path: Path) -> None:
    register(ecs, dict(LEGACY_IIS, containerDefinitions=[
        dict(LEGACY_IIS["containerDefinitions"][0], image="mcr.microsoft.com/windows/nanoserver:ltsc2022")]))
    latest = register(ecs, LEGACY_IIS)
    assert latest == arn("legacy-iis", 2)

    code, report = run_json("legacy-iis", "--windows-host", "2022", "--save-dir", "saved")

    assert code == 1
    [finding] = [f for f in report["findings"] if f["rule"] == "WIN201"]
    assert finding["file"] == latest
    assert finding["pointer"] == "/taskDefinition/containerDefinitions/0/image"
    saved = tmp_path / "saved" / "legacy-iis-2.json"
    assert sorted(p.name for p in saved.parent.iterdir()) == ["legacy-iis-2.json"]
    lines = saved.read_text(encoding="utf-8").splitlines()
    start, end = finding["line"], finding["endLine"]
    assert start == end
    assert lines[start - 1][finding["column"] - 1:finding["endColumn"] - 1] == json.dumps(IIS_2019)
    # The saved text is the describe response as boto3 returns it (API key order).
    described = ecs.describe_task_definition(taskDefinition=latest)
    del described["ResponseMetadata"]
    assert saved.read_text(encoding="utf-8") == json.dumps(described, indent=2) + "\n"
    assert list(json.loads(saved.read_text())["taskDefinition"])[0] == "taskDefinitionArn"


def test_which_task_definitions_break_on_windows_server_2022_hosts(ecs: Any) -> None:
    legacy = register(ecs, LEGACY_IIS)
    register(ecs, linux("api"))

    for host in (None, "2019"):
        code, report = run_json(*(["--windows-host", host] if host else []))
        assert code == 0, report
        assert report["summary"]["files"] == 2
        assert not [f for f in report["findings"] if f["rule"] == "WIN201"]

    code, report = run_json("--windows-host", "2022")
    assert code == 1
    broken = [f for f in report["findings"] if f["severity"] == "error"]
    assert [(f["file"], f["rule"], f["pointer"]) for f in broken] == [
        (legacy, "WIN201", "/taskDefinition/containerDefinitions/0/image")]
    assert "Windows Server 2022 (build 20348) hosts" in broken[0]["message"]
    assert "2022 from --windows-host on the command line" in broken[0]["message"]

    text = run("--windows-host", "2022", "--select", "WIN201")
    assert text.exit_code == 1
    assert text.stdout.startswith(f"{legacy}:7:18: WIN201 [error] container 'iis' uses a "
                                  "Windows Server 2019 (build 17763) image")


def test_all_revisions_lints_every_active_revision(ecs: Any) -> None:
    for memory in (256, 512, 768):
        register(ecs, linux("web", memory=memory))
    ecs.deregister_task_definition(taskDefinition="web:2")

    code, report = run_json("web", "--all-revisions", "--select", "ECS408")
    assert code == 0
    assert report["summary"]["files"] == 2
    assert sorted(t["file"] for t in report["tasks"]) == [arn("web", 1), arn("web", 3)]

    code, report = run_json("web", "--select", "ECS408")
    assert [t["file"] for t in report["tasks"]] == [arn("web", 3)]

    # A named revision is linted even when deregistered (INACTIVE).
    code, report = run_json("web:2", "--select", "ECS408")
    assert code == 0
    assert [t["file"] for t in report["tasks"]] == [arn("web", 2)]


def test_family_prefix_and_every_family(ecs: Any) -> None:
    for family in ("team-a-web", "team-a-worker", "team-b-api"):
        register(ecs, linux(family))
        register(ecs, linux(family, memory=512))

    code, report = run_json("--family-prefix", "team-a-")
    assert code == 0
    assert sorted(t["file"] for t in report["tasks"]) == [
        arn("team-a-web", 2), arn("team-a-worker", 2)]

    code, report = run_json("--family-prefix", "team-a-", "--family-prefix", "team-b",
                            "--all-revisions")
    assert len(report["tasks"]) == 6

    code, report = run_json()
    assert sorted(t["file"] for t in report["tasks"]) == [
        arn("team-a-web", 2), arn("team-a-worker", 2), arn("team-b-api", 2)]


def test_arn_and_family_revision_name_one_task_definition_once(ecs: Any) -> None:
    register(ecs, linux("web", user=None))

    code, report = run_json(arn("web", 1), "web:1", "web", "--select", "SEC503")
    assert code == 0  # SEC503 is info, below the default fail-on (warning)
    assert report["summary"]["files"] == 1
    assert findings(report) == [(arn("web", 1), "SEC503", "/taskDefinition/containerDefinitions/0")]
    assert run("web", "--select", "SEC503", "--fail-on", "info").exit_code == 1


def test_unknown_family_revision_arn_and_prefix_exit_2(ecs: Any) -> None:
    register(ecs, linux("web"))

    result = run("nope", "web:7", arn("gone", 1), "web")
    assert result.exit_code == 2, result.output
    assert f"nope: error: ECS has no ACTIVE revision of family 'nope' in {REGION}" in result.stdout
    assert f"web:7: error: ECS has no task definition 'web:7' in {REGION}" in result.stdout
    assert f"{arn('gone', 1)}: error: ECS has no task definition" in result.stdout
    assert "1 file" in result.stdout and "3 files could not be linted" in result.stdout
    assert "Traceback" not in result.output

    result = run("--family-prefix", "zzz")
    assert result.exit_code == 2
    assert "no task definition family starting with 'zzz' has an ACTIVE revision" in result.stdout

    result = run("nope", "--all-revisions")
    assert result.exit_code == 2
    assert "task definition family 'nope' has no ACTIVE revision" in result.stdout


@pytest.mark.parametrize("target", ["web/1", "web:latest", "arn:aws:ecs:eu-west-1:1:task/web:1", ""])
def test_what_is_not_a_task_definition_name_is_a_usage_error(aws_env: dict[str, str],
                                                             target: str) -> None:
    result = run(target)
    assert result.exit_code == 2
    assert f"ecslint: error: {target!r} is not a task definition family" in result.stderr


def test_check_on_the_saved_files_gives_the_same_findings(ecs: Any, tmp_path: Path) -> None:
    from ecslint.cli.main import main

    register(ecs, LEGACY_IIS)
    register(ecs, linux("api", user=None, readonlyRootFilesystem=None))
    _, live = run_json("--windows-host", "2022", "--save-dir", "saved")
    checked = CliRunner().invoke(main, ["check", "--isolated", "--format", "json",
                                        "--windows-host", "2022", "saved"])
    offline = flat(json.loads(checked.stdout))

    def places(report: dict[str, Any], name: Any) -> list[tuple[Any, ...]]:
        return sorted((name(f["file"]), f["rule"], f["line"], f["column"], f["endLine"],
                       f["endColumn"], f["pointer"], f["message"]) for f in report["findings"])

    def saved_name(arn: str) -> str:
        family, revision = arn.rsplit("/", 1)[1].split(":")
        return f"saved/{family}-{revision}.json"

    assert live["findings"]
    assert places(live, saved_name) == places(offline, str)


def test_output_formats_name_the_arn(ecs: Any, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from sarif_schema import sarif_validator

    legacy = register(ecs, LEGACY_IIS)
    github = run("--windows-host", "2022", "--select", "WIN201", "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.startswith(
        f"::error file={legacy.replace(':', '%3A')},line=7,col=18,endLine=7,endColumn=")

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run("--windows-host", "2022", "--select", "WIN201").stdout == github.stdout
    monkeypatch.delenv("GITHUB_ACTIONS")

    sarif = run("--windows-host", "2022", "--format", "sarif", "--output", "out.sarif")
    assert sarif.exit_code == 1 and sarif.stdout == ""
    log = json.loads((tmp_path / "out.sarif").read_text())
    sarif_validator().validate(log)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "WIN201"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == legacy.replace(":", "%3A")
    assert location["region"]["startLine"] == 7


def test_configuration_applies_and_per_file_ignores_match_the_arn(ecs: Any, tmp_path: Path) -> None:
    register(ecs, LEGACY_IIS)
    register(ecs, linux("api", user=None))
    (tmp_path / ".ecslint.yaml").write_text(
        "host:\n  windows-version: '2022'\n"
        "per-file-ignores:\n  'legacy-iis:*': [WIN104]\n  'arn:aws:ecs:*:task-definition/api:*': [SEC]\n"
    )
    result = CliRunner().invoke(aws_command, ["--format", "json"])
    report = flat(json.loads(result.stdout))
    assert result.exit_code == 1
    assert findings(report) == [(arn("legacy-iis", 1), "WIN201",
                                 "/taskDefinition/containerDefinitions/0/image")]

    assert CliRunner().invoke(aws_command, ["--ignore", "WIN201"]).exit_code == 0
    assert CliRunner().invoke(aws_command, ["--fail-on", "never"]).exit_code == 0
    isolated = CliRunner().invoke(aws_command, ["--isolated", "--select", "SEC503"])
    assert isolated.exit_code == 0 and f"{arn('api', 1)}:" in isolated.stdout
    bad = CliRunner().invoke(aws_command, ["--select", "NOPE"])
    assert bad.exit_code == 2 and "ecslint: error:" in bad.stderr


def test_a_baseline_hides_what_it_records_and_its_stale_entries_are_e004(
        ecs: Any, tmp_path: Path) -> None:
    """`aws` lints through the same pipeline as `check`: --write-baseline, --baseline and
    --report-unused-suppressions work on ARNs as on files."""
    register(ecs, linux("web", user=None))
    select = ("--select", "SEC503,SEC501", "--fail-on", "info")
    written = run("web", *select, "--write-baseline", "b.json")
    assert written.exit_code == 0, written.output
    recorded = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert [(e["file"], e["rule"]) for e in recorded] == [(arn("web", 1), "SEC503")]

    code, report = run_json("web", *select, "--baseline", "b.json")
    assert code == 0 and report["findings"] == []
    assert report["summary"]["hiddenByBaseline"] == 1

    # An entry its rule no longer reports is stale; one for a task definition this run
    # did not fetch is not judged (no look at the disk can tell an ARN is gone).
    stale = dict(recorded[0], rule="SEC501", pointer="/taskDefinition/containerDefinitions/0/privileged")
    elsewhere = dict(recorded[0], file=arn("gone", 1))
    (tmp_path / "b.json").write_text(json.dumps(
        {"version": 1, "findings": [*recorded, stale, elsewhere]}))
    code, report = run_json("web", *select, "--baseline", "b.json", "--report-unused-suppressions")
    assert code == 1
    assert [(f["file"], f["rule"], f["pointer"], f["message"]) for f in report["findings"]] == [
        ("b.json", "E004", "/findings/1", "unused baseline entry: nothing reports SEC501 at "
         f"/taskDefinition/containerDefinitions/0/privileged in {arn('web', 1)!r}")]


def test_unused_configuration_ignores_are_e004_and_jobs_lint_alike(ecs: Any, tmp_path: Path) -> None:
    register(ecs, linux("web"))
    register(ecs, linux("api", user=None))
    (tmp_path / ".ecslint.yaml").write_text(
        "ignores:\n"
        "  - {path: 'arn:aws:ecs:*:task-definition/web:*', pointer: /taskDefinition/containerDefinitions/0,\n"
        "     rules: [SEC503], reason: runs as root on purpose}\n"
        f"  - {{path: '{arn('gone', 1)}', pointer: /taskDefinition, rules: [SEC503], reason: r}}\n")
    args = ["--format", "json", "--select", "SEC503", "--report-unused-suppressions"]
    result = CliRunner().invoke(aws_command, args)
    report = flat(json.loads(result.stdout))
    assert findings(report) == [
        (".ecslint.yaml", "E004", "/ignores/0"),
        (arn("api", 1), "SEC503", "/taskDefinition/containerDefinitions/0")]
    assert report["findings"][0]["message"] == (
        "unused ignore: nothing reports SEC503 at /taskDefinition/containerDefinitions/0 in "
        "'arn:aws:ecs:*:task-definition/web:*'")
    in_two = CliRunner().invoke(aws_command, [*args, "--jobs", "2"])
    assert in_two.exit_code == result.exit_code and in_two.stdout == result.stdout


def test_no_credentials(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = run("web")
    assert result.exit_code == 2
    assert result.stderr.startswith("ecslint: error: no AWS credentials found")
    assert "Traceback" not in result.output


def test_no_region(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    result = run("web")
    assert result.exit_code == 2
    assert result.stderr.startswith("ecslint: error: no AWS region: pass --region")


def test_aws_region_names_the_region(ecs: Any, aws_env: dict[str, str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """boto3 reads only AWS_DEFAULT_REGION; the help promises AWS_REGION as the AWS CLI
    reads it: over AWS_DEFAULT_REGION and the profile, under --region."""
    register(ecs, linux("web"))
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", REGION)
    assert run("web").exit_code == 0
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-2")
    assert run("web").exit_code == 0
    monkeypatch.setenv("AWS_REGION", "us-east-2")
    other = run("web")
    assert other.exit_code == 2 and "in us-east-2" in other.stdout
    assert run("web", "--region", REGION).exit_code == 0
    monkeypatch.setenv("AWS_REGION", "")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    assert run("web").exit_code == 0


def test_region_and_profile_options(ecs: Any, aws_env: dict[str, str], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    register(ecs, linux("web"))
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert run("web", "--region", REGION).exit_code == 0
    other = run("web", "--region", "us-east-2")
    assert other.exit_code == 2 and "in us-east-2" in other.stdout
    # A full ARN is described in its own region, whatever the default is.
    assert run(arn("web", 1)).exit_code == 0

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    Path(aws_env["AWS_SHARED_CREDENTIALS_FILE"]).write_text(
        "[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    Path(aws_env["AWS_CONFIG_FILE"]).write_text(f"[profile ops]\nregion = {REGION}\n")
    assert run("web", "--profile", "ops").exit_code == 0
    missing = run("web", "--profile", "nosuch")
    assert missing.exit_code == 2
    assert missing.stderr == "ecslint: error: AWS profile 'nosuch' not found\n"


def test_access_denied_and_rejected_credentials(ecs: Any, endpoint: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    register(ecs, linux("web"))
    iam = boto3.client("iam", region_name=REGION)
    iam.create_user(UserName="lister")
    iam.put_user_policy(UserName="lister", PolicyName="list-only", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "ecs:List*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="lister")["AccessKey"]

    _post(f"{endpoint}/moto-api/reset-auth", b"0")
    try:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        denied = run("web")
        assert denied.exit_code == 2
        assert denied.stderr.startswith(
            "ecslint: error: access denied to ecs:DescribeTaskDefinition: ")
        assert "lister" in denied.stderr

        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNUNKNOWN00")
        rejected = run("web")
        assert rejected.exit_code == 2
        assert rejected.stderr.startswith("ecslint: error: AWS rejected the credentials")
    finally:
        _post(f"{endpoint}/moto-api/reset-auth", b"inf")


def test_unreachable_endpoint(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:9")
    result = run("web")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        'ecslint: error: cannot connect to AWS: Could not connect to the endpoint URL: '
        '"http://127.0.0.1:9/"')


def test_missing_boto3_says_what_to_install(aws_env: dict[str, str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import ecslint.load

    monkeypatch.delattr(ecslint.load, "ecs_api", raising=False)
    monkeypatch.delitem(sys.modules, "ecslint.load.ecs_api", raising=False)
    monkeypatch.setitem(sys.modules, "boto3", None)
    result = run("web")
    assert result.exit_code == 2
    assert result.stderr == ("ecslint: error: `ecslint aws` needs boto3: pip install boto3 into "
                             "ecslint's environment, or pip install '.[aws]' in a clone of ecslint\n")


def test_save_dir_problems_exit_2(ecs: Any, tmp_path: Path) -> None:
    register(ecs, linux("web"))
    (tmp_path / "taken").write_text("")
    result = run("web", "--save-dir", "taken/sub")
    assert result.exit_code == 2
    assert result.stderr.startswith("ecslint: error: cannot write to taken/sub: ")


def test_save_dir_replaces_a_saved_file_whole_or_not_at_all(ecs: Any, tmp_path: Path) -> None:
    import resource
    import signal
    import stat

    register(ecs, linux("web"))
    (tmp_path / "saved").mkdir()
    old = tmp_path / "saved" / "web-1.json"
    old.write_text("{}\n")
    old.chmod(0o600)
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100, limit[1]))  # a write past 100 bytes fails
    try:
        result = run("web", "--save-dir", "saved")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, handler)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "ecslint: error: cannot save arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1 "
        "to saved/web-1.json: File too large\n")
    assert old.read_text() == "{}\n"
    assert os.listdir(tmp_path / "saved") == ["web-1.json"]
    assert run("web", "--save-dir", "saved").exit_code in (0, 1)
    assert json.loads(old.read_text())["taskDefinition"]["family"] == "web"
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_serialize_is_deterministic_and_drops_response_metadata() -> None:
    from ecslint.load.ecs_api import serialize

    local = timezone(timedelta(hours=2))
    response = {
        "taskDefinition": {"taskDefinitionArn": arn("web", 1), "family": "web",
                           "registeredAt": datetime(2024, 5, 1, 14, 30, 0, 123000, tzinfo=local),
                           "containerDefinitions": [{"name": "wéb", "image": "nginx"}]},
        "ResponseMetadata": {"RequestId": "x"},
    }
    text = serialize(response)
    assert text == serialize(response)
    assert list(json.loads(text)["taskDefinition"]) == [
        "taskDefinitionArn", "family", "registeredAt", "containerDefinitions"]
    assert json.loads(text) == {"taskDefinition": {
        "taskDefinitionArn": arn("web", 1), "family": "web",
        "registeredAt": "2024-05-01T12:30:00.123000+00:00",
        "containerDefinitions": [{"name": "wéb", "image": "nginx"}]}}
    assert text.startswith('{\n  "taskDefinition": {\n    "taskDefinitionArn": ')
    assert '"wéb"' in text and text.endswith("}\n")


def test_families_and_revisions_follow_pagination(aws_env: dict[str, str]) -> None:
    from botocore.stub import Stubber

    from ecslint.load.ecs_api import Account

    account = Account()
    client = account.client()
    with Stubber(client) as stub:
        stub.add_response("list_task_definition_families",
                          {"families": ["a", "b"], "nextToken": "t1"},
                          {"familyPrefix": "x", "status": "ACTIVE"})
        stub.add_response("list_task_definition_families", {"families": ["c"]},
                          {"familyPrefix": "x", "status": "ACTIVE", "nextToken": "t1"})
        stub.add_response("list_task_definitions", {"taskDefinitionArns": ["r1"], "nextToken": "t2"},
                          {"familyPrefix": "a", "status": "ACTIVE", "sort": "ASC"})
        stub.add_response("list_task_definitions", {"taskDefinitionArns": ["r2"]},
                          {"familyPrefix": "a", "status": "ACTIVE", "sort": "ASC", "nextToken": "t2"})
        assert list(account.families("x")) == ["a", "b", "c"]
        assert account.revisions("a") == ["r1", "r2"]


def test_runs_as_a_subcommand_of_a_group(ecs: Any) -> None:
    register(ecs, linux("web"))
    group = click.Group("ecslint", context_settings={"help_option_names": ["-h", "--help"]})
    group.add_command(aws_command, "aws")
    result = CliRunner().invoke(group, ["aws", "--isolated", "web"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "No problems found in 1 file." in result.stdout
    assert "Usage: ecslint aws [OPTIONS] [TASKDEF]..." in CliRunner().invoke(group, ["aws", "-h"]).stdout


PROBE = """
import json, sys
from ecslint.cli.main import main
from ecslint.cli.aws import aws_command
command = aws_command if sys.argv[1:2] == ["aws"] else main
try:
    command(sys.argv[2:] if command is aws_command else sys.argv[1:])
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore", "ecslint"))
print(json.dumps(loaded), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [
    ["check", "--isolated", "task.json"], ["check", "--help"], ["--help"], ["rules"],
    ["aws", "--help"],
])
def test_only_running_aws_imports_boto3(args: list[str], tmp_path: Path) -> None:
    """Loading the CLI (which registers `aws`), `check` and `aws --help` never import
    boto3 or botocore, so no command but a running `aws` can reach the network."""
    (tmp_path / "task.json").write_text(json.dumps(linux("web")))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=True)
    loaded = json.loads(result.stderr.strip().splitlines()[-1])
    assert {"ecslint.cli.main", "ecslint.cli.aws"} <= set(loaded)
    if "task.json" in args:
        assert "ecslint.engine" in loaded  # the check really ran
    assert not [m for m in loaded if m.startswith(("boto3", "botocore", "ecslint.load.ecs_api"))]


def test_the_ecslint_aws_command_end_to_end(ecs: Any, aws_env: dict[str, str],
                                            tmp_path: Path) -> None:
    from ecslint.cli.main import main

    if "aws" not in main.commands:
        pytest.skip("ecslint.cli.main does not register `aws` yet (main.add_command(aws_command, 'aws'))")
    script = shutil.which("ecslint", path=str(Path(sys.executable).parent))
    assert script is not None
    legacy = register(ecs, LEGACY_IIS)
    env = dict(os.environ, **aws_env)
    for host, code in ((None, 0), ("2022", 1)):
        args = [script, "aws", "--isolated", "legacy-iis", "--save-dir", "saved",
                *(["--windows-host", host] if host else [])]
        result = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert result.returncode == code, result.stdout + result.stderr
        assert ("WIN201" in result.stdout) is (host == "2022")
        assert legacy in result.stdout
    assert (tmp_path / "saved" / "legacy-iis-1.json").is_file()


# -- a hostile endpoint (issue 12, items 12 and 13) ----------------------------------------


class _Answers:
    """What the fake ECS endpoint answers: (status, body) per operation name."""

    def __init__(self) -> None:
        self.bodies: dict[str, tuple[int, bytes]] = {}


@pytest.fixture
def hostile(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[_Answers]:
    """An ECS endpoint that answers what the test says, as a hostile or broken one may."""
    import http.server
    import threading

    answers = _Answers()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            operation = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
            status, body = answers.bodies.get(operation, (200, b"{}"))
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_ECS", f"http://127.0.0.1:{server.server_address[1]}")
    try:
        yield answers
    finally:
        server.shutdown()
        server.server_close()


def describe_answer(family: str, revision: int = 1, region: str = REGION) -> bytes:
    task = {"taskDefinitionArn": f"arn:aws:ecs:{region}:{ACCOUNT}:task-definition/x:{revision}",
            "family": family, "revision": revision, "containerDefinitions": [LINUX_CONTAINER],
            "networkMode": "awsvpc"}
    return json.dumps({"taskDefinition": task}).encode()


FORGED = "denied\x1b[2J\x07\r::error file=x::forged\n::add-mask::x \u009b31m"


def test_endpoint_error_text_is_escaped_on_stderr(hostile: _Answers) -> None:
    hostile.bodies["DescribeTaskDefinition"] = (400, json.dumps(
        {"__type": "ServerException", "message": FORGED}).encode())
    result = run("web")
    assert result.exit_code == 2
    assert result.stderr == ("ecslint: error: ecs:DescribeTaskDefinition failed "
                             "(ServerException): denied\\x1b[2J\\x07\\r::error file=x::forged"
                             "\\n::add-mask::x \\x9b31m\n")


@pytest.mark.parametrize("body", [b"", b"not json <html>", b"{}", b"[1, 2]", b"null",
                                  b'{"taskDefinition": {"family": "web", "revision": 1}}',
                                  b'{"taskDefinition": "web"}'])
def test_a_describe_answer_without_a_task_definition_is_an_error(
        hostile: _Answers, body: bytes) -> None:
    hostile.bodies["DescribeTaskDefinition"] = (200, body)
    result = run("web")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("ecslint: error: "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("body", [b"", b"<html>", b'{"families": [1]}'])
def test_a_list_answer_without_its_list_is_an_error(hostile: _Answers, body: bytes) -> None:
    hostile.bodies["ListTaskDefinitionFamilies"] = (200, body)
    result = run()
    assert result.exit_code == 2
    assert result.stderr == ("ecslint: error: ecs:ListTaskDefinitionFamilies answered without "
                             "families: the endpoint does not answer as ECS does\n")


@pytest.mark.parametrize(("family", "saved"), [
    ("../../escaped", "______escaped-1.json"),
    ("/tmp/anywhere", "_tmp_anywhere-1.json"),
    ("nul\x00byte", "nul_byte-1.json"),
    ("C:\\windows", "C__windows-1.json"),
    ("f" * 255, "f" * 191 + "-{digest}.json"),
])
def test_save_dir_keeps_every_family_inside_the_folder(
        hostile: _Answers, tmp_path: Path, family: str, saved: str) -> None:
    import hashlib

    hostile.bodies["DescribeTaskDefinition"] = (200, describe_answer(family))
    saves = tmp_path / "deep" / "er" / "saved"
    code, report = run_json("web", "--save-dir", str(saves))
    assert code in (0, 1) and report["errors"] == [] and len(report["tasks"]) == 1
    digest = hashlib.sha256(f"{family}-1".encode()).hexdigest()[:8]
    assert [p.name for p in saves.iterdir()] == [saved.format(digest=digest)]
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                  if p.is_file()) == [f"deep/er/saved/{saved.format(digest=digest)}"]


def test_a_failed_save_keeps_the_report(hostile: _Answers, tmp_path: Path) -> None:
    hostile.bodies["DescribeTaskDefinition"] = (200, describe_answer("web"))
    (tmp_path / "taken").write_text("")
    result = run("--format", "json", "web", "--save-dir", "taken/sub")
    assert result.exit_code == 2
    assert result.stderr.startswith("ecslint: error: cannot write to taken/sub: ")
    assert len(json.loads(result.stdout)["tasks"]) == 1
    (tmp_path / "saves" / "web-1.json").mkdir(parents=True)  # the file's place is taken
    result = run("--format", "json", "web", "--save-dir", "saves")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"ecslint: error: cannot save {arn('x', 1)} to saves/web-1.json: ")
    assert len(json.loads(result.stdout)["tasks"]) == 1
