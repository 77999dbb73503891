"""``ecslint aws --cluster``: each service's task definition checked against the
container instances it can land on, in moto's ECS (the cluster built as
``test_ecs_hosts`` builds it), and the migration report of the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner
from test_ecs_hosts import REGION, MotoCluster, aws_env, endpoint, moto  # noqa: F401

from ecslint.cli.main import main

AMI_2022 = "Windows_Server-2022-English-Core-ECS_Optimized-2025.06.13"
AMI_LINUX = "al2023-ami-ecs-hvm-2023.0.20240515-kernel-6.1-x86_64"
README = Path(__file__).resolve().parents[1] / "README.md"


def prod() -> MotoCluster:
    """Two Windows Server 2022 Core hosts and a Linux one; a 2022 IIS service that binds
    port 80 and wants three tasks, and a legacy service still on a 2019 image."""
    cluster = MotoCluster()
    cluster.host(AMI_2022, "m5.large", "windows", "WINDOWS_SERVER_2022_CORE")
    cluster.host(AMI_2022, "m5.large", "windows", "WINDOWS_SERVER_2022_CORE")
    cluster.host(AMI_LINUX, "t3.medium", "linux",
                 "LINUX")
    ecs = boto3.client("ecs", region_name=REGION)
    web = ecs.register_task_definition(
        family="web", requiresCompatibilities=["EC2"],
        runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
        containerDefinitions=[{
            "name": "iis", "cpu": 1024, "memory": 2048, "essential": True,
            "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
            "portMappings": [{"containerPort": 80, "hostPort": 80}]}])
    legacy = ecs.register_task_definition(
        family="legacy", requiresCompatibilities=["EC2"],
        placementConstraints=[{"type": "memberOf",
                               "expression": "attribute:ecs.os-type == windows"}],
        containerDefinitions=[{
            "name": "app", "cpu": 512, "memory": 1024, "essential": True,
            "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019"}])
    for name, described, count in (("web", web, 3), ("legacy", legacy, 1)):
        ecs.create_service(cluster="prod", serviceName=name, desiredCount=count,
                           taskDefinition=described["taskDefinition"]["taskDefinitionArn"],
                           launchType="EC2")
    return cluster


def ecslint(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["aws", "--isolated", *args], catch_exceptions=False)
    return result.exit_code, [re.sub(r"\d{12}", "111122223333", line)
                              for line in result.stdout.splitlines()]


def test_each_service_is_checked_against_its_hosts(moto: str) -> None:  # noqa: F811
    prod()
    # moto registers every agent as 1.0.0 (WIN211's scenarios run on the Stubber).
    status, lines = ecslint("--cluster", "prod", "--select", "WIN20,WIN210,ECS419", "--fail-on", "error")
    assert status == 1
    assert [line.split(": ", 2)[:2] for line in lines[:-1]] == [
        ["arn:aws:ecs:eu-west-1:111122223333:task-definition/legacy:1:7:18", "WIN201 [error] "
         "container 'app' uses a Windows Server 2019 (build 17763) image (tag token 'ltsc2019') "
         "but the task runs on Windows Server 2022 (build 20348) hosts (2022 from the container "
         "instances of cluster 'prod' (2 WINDOWS_SERVER_2022_CORE)); Windows does not start a "
         "process-isolated container of another build (service 'legacy') "
         "(windows-image-host-mismatch)"],
        ["arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1:13:25", "ECS419 [error] "
         "service 'web' wants 3 tasks, but container 'iis' binds host port 80, which one task "
         "per instance can hold, and only 2 of the 2 Windows container instances of cluster "
         "'prod' can take it (static-host-port-exceeds-instances)"]]


def test_the_migration_report_is_the_readme_s(moto: str) -> None:  # noqa: F811
    prod()
    status, lines = ecslint("--cluster", "prod", "--windows-host", "2025", "--select",
                            "WIN20,WIN210,ECS419")
    block = README.read_text().split("$ ecslint aws --cluster prod --windows-host 2025\n", 1)[1]
    shown = block.split("\n```", 1)[0].splitlines()
    assert lines == shown
    assert status == 1


def test_json_shows_the_hosts_and_where_each_service_can_land(moto: str) -> None:  # noqa: F811
    prod()
    result = CliRunner().invoke(main, ["aws", "--isolated", "--cluster", "prod", "--format",
                                       "json"], catch_exceptions=False)
    [cluster] = json.loads(result.stdout)["clusters"]
    assert {key: cluster[key] for key in ("cluster", "instances", "instancesRead", "byOsFamily",
                                          "byAgentVersion")} == {
        "cluster": "prod", "instances": 3, "instancesRead": True,
        "byOsFamily": {"LINUX": 1, "WINDOWS_SERVER_2022_CORE": 2},
        "byAgentVersion": {"1.0.0": 3}}
    assert cluster["byAmi"] == {AMI_2022: 2, AMI_LINUX: 1}  # by name, from ec2:DescribeImages
    windows = {id_ for id_, family in _families(cluster).items()
               if family == "WINDOWS_SERVER_2022_CORE"}
    assert [(s["service"], s["desiredCount"], set(s["landsOn"])) for s in cluster["services"]] \
        == [("legacy", 1, windows), ("web", 3, windows)]


def _families(cluster: dict) -> dict[str, str]:
    ecs = boto3.client("ecs", region_name=REGION)
    arns = ecs.list_container_instances(cluster=cluster["cluster"])["containerInstanceArns"]
    described = ecs.describe_container_instances(cluster=cluster["cluster"],
                                                 containerInstances=arns)
    return {item["containerInstanceArn"].rsplit("/", 1)[-1]: next(
        a["value"] for a in item["attributes"] if a["name"] == "ecs.os-family")
        for item in described["containerInstances"]}


def test_jobs_give_the_same_report(moto: str) -> None:  # noqa: F811
    # Each service's task definition is a group of its own (its own hosts).
    prod()
    args = ("--cluster", "prod", "--select", "WIN20,WIN210,ECS419")
    assert ecslint(*args, "--jobs", "2") == ecslint(*args)
    assert any("ECS419" in line for line in ecslint(*args, "--jobs", "2")[1])


def test_without_the_instances_the_services_are_linted_as_without_cluster(
        moto: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """No ecs:DescribeContainerInstances: the notice says so, both task definitions are
    still linted, and no check that needs the hosts reports (ECS419 would otherwise see
    no instance able to take port 80)."""
    from ecslint.hosts import Cluster
    from ecslint.load import ecs_hosts

    prod()
    read = ecs_hosts.read_cluster

    def denied(account: object, name: str, services: object = ()) -> Cluster:
        cluster = read(account, name, services)  # type: ignore[arg-type]
        return Cluster(cluster.name, cluster.arn, (), cluster.services,
                       cluster.standalone_task_definitions,
                       ("cluster 'prod': no permission to read its container instances",),
                       instances_read=False)

    monkeypatch.setattr(ecs_hosts, "read_cluster", denied)
    status, lines = ecslint("--cluster", "prod", "--select", "WIN20,ECS419,WIN211")
    # Nothing to report without the hosts: the legacy image's build has no host to
    # differ from, and web's port 80 no instance count to exceed.
    assert (status, lines) == (0, [
        "No problems found in 2 files.",
        "Note: cluster 'prod': no permission to read its container instances"])


def two_releases(expression: str, *more: int) -> None:
    """A 2019 host (m5.large) and a host of each of ``more`` (m5.xlarge), and a service
    whose 2019 image's task is kept by ``expression``."""
    cluster = MotoCluster()
    cluster.host("Windows_Server-2019-English-Full-ECS_Optimized-2025.06.13", "m5.large",
                 "windows", "WINDOWS_SERVER_2019_FULL")
    for release in more:
        cluster.host(f"Windows_Server-{release}-English-Core-ECS_Optimized-2025.06.13",
                     "m5.xlarge", "windows", f"WINDOWS_SERVER_{release}_CORE")
    ecs = boto3.client("ecs", region_name=REGION)
    described = ecs.register_task_definition(
        family="report", requiresCompatibilities=["EC2"],
        placementConstraints=[{"type": "memberOf", "expression": expression}],
        containerDefinitions=[{
            "name": "report", "cpu": 512, "memory": 1024, "essential": True,
            "image": "mcr.microsoft.com/windows/servercore:ltsc2019"}])
    ecs.create_service(cluster="prod", serviceName="report", desiredCount=1,
                       taskDefinition=described["taskDefinition"]["taskDefinitionArn"],
                       launchType="EC2")


def test_the_hosts_are_those_the_task_can_land_on(moto: str) -> None:  # noqa: F811
    """A cluster of 2019 and 2022 hosts has no one release, but a task whose constraint
    keeps it on the m5.xlarge ones (all 2022) is checked against 2022."""
    two_releases("attribute:ecs.instance-type == m5.xlarge", 2022)
    status, lines = ecslint("--cluster", "prod", "--select", "WIN201")
    assert status == 1
    assert "the task runs on Windows Server 2022 (build 20348) hosts (2022 from the container " \
           "instances of cluster 'prod' (1 WINDOWS_SERVER_2022_CORE))" in lines[0], lines


def test_findings_on_a_service_point_into_its_saved_describe_json(
        moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """--save-dir writes each service beside the task definitions; ECS417 on the service's
    own constraint, and ECS419's related desiredCount, are placed in that text. moto
    drops a service's placementConstraints: they are added to its answer as AWS gives it."""
    from ecslint.load import ecs_hosts

    prod()
    read = ecs_hosts._service

    def with_constraint(item: dict, cluster: str) -> object:
        if item["serviceName"] == "web":
            item = {**item, "placementConstraints": [
                {"type": "distinctInstance"},
                {"type": "memberOf", "expression": "attribute:ecs.instance-type == c5.large"}]}
        return read(item, cluster)

    monkeypatch.setattr(ecs_hosts, "_service", with_constraint)
    result = CliRunner().invoke(main, ["aws", "--isolated", "--cluster", "prod", "--select",
                                       "ECS417,ECS419", "--format", "json", "--save-dir",
                                       str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "legacy-1.json", "prod.legacy.service.json", "prod.web.service.json", "web-1.json"]
    saved = (tmp_path / "prod.web.service.json").read_text()
    described = json.loads(saved)["services"][0]
    assert described["serviceName"] == "web" and "events" not in described

    def text_at(location: dict) -> str:
        lines = saved.splitlines()
        assert location["endLine"] == location["line"]
        return lines[location["line"] - 1][location["column"] - 1:location["endColumn"] - 1]

    findings = {f["rule"]["id"]: f for f in json.loads(result.stdout)["findings"]}
    assert set(findings) == {"ECS417", "ECS419"}
    placed = findings["ECS417"]["location"]
    assert placed["file"] == described["serviceArn"]
    assert placed["pointer"] == "/services/0/placementConstraints/1/expression"
    assert text_at(placed) == '"attribute:ecs.instance-type == c5.large"'
    [related] = findings["ECS419"]["related"]
    assert (related["file"], related["pointer"]) == (described["serviceArn"],
                                                     "/services/0/desiredCount")
    assert text_at(related) == "3"


def test_hosts_of_several_releases_are_each_a_host_to_match(
        moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """A task that can land on 2019 and 2022 hosts must match both: its 2019 image is
    WIN201 against the 2022 ones, counted; a configuration file's windows-version does
    not stand in for the real instances."""
    two_releases("attribute:ecs.os-type == windows", 2022, 2022)
    monkeypatch.chdir(tmp_path)
    Path(".ecslint.yaml").write_text("host:\n  windows-version: '2019'\n")
    result = CliRunner().invoke(main, ["aws", "--cluster", "prod", "--select", "WIN201"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "but the task runs on Windows Server 2022 (build 20348) hosts (2 of the 3 Windows " \
           "container instances of cluster 'prod' it can land on); Windows does not start a " \
           "process-isolated container of another build (service 'report')" in result.stdout
