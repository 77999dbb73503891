"""Reading a cluster's real hosts (``ecs_hosts.read_cluster``), never against AWS.

Two endpoints. moto's server for what moto 5.2 models: a cluster of Windows Server
2019 and 2022 and Linux container instances (attributes put with PutAttributes, AMIs
registered in moto's EC2), services, standalone tasks, narrowing, missing services
and clusters, a throttled call retried. botocore's Stubber for what moto does not
answer as ECS does: registered resources other than moto's fixed 4096 CPU and 7482
MiB, agent versions other than 1.0.0, services' placement constraints and capacity
provider strategies, pagination and batch sizes, and AccessDenied on
ecs:DescribeContainerInstances, ecs:ListTasks and ec2:DescribeImages."""

from __future__ import annotations

import importlib.util
import json
import os
import tracemalloc
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, moto_endpoint

boto3 = pytest.importorskip("boto3", reason="`ecslint aws` needs boto3 (pip install -e '.[aws]')")
pytest.importorskip(
    "moto.server", reason="the aws tests run against moto's server (pip install 'moto[server]')"
)
from botocore.awsrequest import AWSResponse  # noqa: E402
from botocore.stub import Stubber  # noqa: E402

from ecslint.hosts import Cluster, Instance, Service  # noqa: E402
from ecslint.load.ecs_api import Account, AwsError, NotFound  # noqa: E402
from ecslint.load.ecs_hosts import read_cluster  # noqa: E402

REGION = "eu-west-1"
ACCOUNT = "123456789012"
CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod"
AMI_2019 = "Windows_Server-2019-English-Full-ECS_Optimized-2024.05.14"
AMI_2022 = "Windows_Server-2022-English-Core-ECS_Optimized-2024.05.14"
AMI_LINUX = "al2023-ami-ecs-hvm-2023.0.20240515-kernel-6.1-x86_64"
MOTO_PORTS = (22, 2375, 2376, 51678, 51679)  # moto registers these on every instance


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_endpoint() as url:
        yield url


@pytest.fixture
def aws_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and region, and no user AWS configuration."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto(endpoint: str, aws_env: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The moto endpoint, freshly reset, as AWS_ENDPOINT_URL."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(request, timeout=10)
    return endpoint


class MotoCluster:
    """Builds a cluster in moto the way AWS has one: EC2 instances started from AMIs,
    registered as container instances with their identity document, attributes put."""

    def __init__(self, name: str = "prod") -> None:
        self.ecs = boto3.client("ecs", region_name=REGION)
        self.ec2 = boto3.client("ec2", region_name=REGION)
        self.name = name
        self.ecs.create_cluster(clusterName=name)
        self.amis: dict[str, str] = {}

    def ami(self, name: str) -> str:
        if name not in self.amis:
            self.amis[name] = self.ec2.register_image(
                Name=name, RootDeviceName="/dev/sda1")["ImageId"]
        return self.amis[name]

    def host(self, ami_name: str, instance_type: str, os_type: str, os_family: str,
             ec2_instance: str | None = None, **custom: str) -> str:
        ami = self.ami(ami_name)
        if ec2_instance is None:
            ec2_instance = self.ec2.run_instances(
                ImageId=ami, MinCount=1, MaxCount=1,
                InstanceType=instance_type)["Instances"][0]["InstanceId"]
        document = json.dumps({"instanceId": ec2_instance, "instanceType": instance_type,
                               "imageId": ami, "region": REGION,
                               "availabilityZone": f"{REGION}a", "accountId": ACCOUNT})
        arn: str = self.ecs.register_container_instance(
            cluster=self.name, instanceIdentityDocument=document,
        )["containerInstance"]["containerInstanceArn"]
        # moto 5.2 finds the target by its bare id only; AWS takes the ARN too.
        target = {"targetType": "container-instance", "targetId": arn.rsplit("/", 1)[-1]}
        self.ecs.put_attributes(cluster=self.name, attributes=[
            {"name": "ecs.os-type", "value": os_type, **target},
            {"name": "ecs.os-family", "value": os_family, **target},
            {"name": "ecs.ami-id", "value": ami, **target},
            *({"name": key, "value": value, **target} if value else {"name": key, **target}
              for key, value in custom.items()),
        ])
        return arn

    def task_definition(self, family: str) -> str:
        return str(self.ecs.register_task_definition(family=family, containerDefinitions=[
            {"name": family, "image": "mcr.microsoft.com/windows/servercore:ltsc2022",
             "cpu": 512, "memory": 1024}])["taskDefinition"]["taskDefinitionArn"])

    def service(self, name: str, task_definition: str, count: int) -> None:
        self.ecs.create_service(
            cluster=self.name, serviceName=name, taskDefinition=task_definition,
            desiredCount=count, launchType="EC2",
            placementConstraints=[{"type": "memberOf",
                                   "expression": "attribute:ecs.os-type == windows"}])


def moto_instance(arn: str, ami: str, ami_name: str, instance_type: str, os_type: str,
                  os_family: str, **custom: str) -> Instance:
    return Instance(arn, {
        "ecs.ami-id": ami, "ecs.availability-zone": f"{REGION}a",
        "ecs.instance-type": instance_type, "ecs.os-type": os_type, "ecs.os-family": os_family,
        **custom}, "1.0.0", 4096, 7482, MOTO_PORTS, ami_name)


@pytest.fixture
def prod(moto: str) -> tuple[MotoCluster, Cluster]:
    """A mixed cluster in moto and the model read_cluster must return for it."""
    built = MotoCluster()
    hosts = [
        (built.host(AMI_2019, "m5.large", "windows", "WINDOWS_SERVER_2019_FULL", team="a"),
         AMI_2019, "m5.large", "windows", "WINDOWS_SERVER_2019_FULL", {"team": "a"}),
        (built.host(AMI_2019, "m5.large", "windows", "WINDOWS_SERVER_2019_FULL", team="a"),
         AMI_2019, "m5.large", "windows", "WINDOWS_SERVER_2019_FULL", {"team": "a"}),
        (built.host(AMI_2022, "m5.xlarge", "windows", "WINDOWS_SERVER_2022_CORE", gpu=""),
         AMI_2022, "m5.xlarge", "windows", "WINDOWS_SERVER_2022_CORE", {"gpu": ""}),
        (built.host(AMI_LINUX, "t3.medium", "linux", "LINUX"),
         AMI_LINUX, "t3.medium", "linux", "LINUX", {}),
    ]
    iis, api, batch, report = (built.task_definition(family)
                               for family in ("iis", "api", "batch", "report"))
    built.service("iis-2019", iis, 2)
    built.service("api-2022", api, 3)
    built.ecs.run_task(cluster="prod", taskDefinition=batch)
    built.ecs.run_task(cluster="prod", taskDefinition=report, startedBy="nightly")
    built.ecs.run_task(cluster="prod", taskDefinition=iis, startedBy="ecs-svc/4242")
    expected = Cluster(
        "prod", CLUSTER_ARN,
        tuple(sorted((moto_instance(arn, built.amis[ami_name], ami_name, kind, os_type, family,
                                    **custom)
                      for arn, ami_name, kind, os_type, family, custom in hosts),
                     key=lambda instance: instance.arn)),
        # moto 5.2 drops the services' placementConstraints (the Stubber tests read them).
        (Service("prod", "api-2022", f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/prod/api-2022",
                 api, 3, "EC2"),
         Service("prod", "iis-2019", f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/prod/iis-2019",
                 iis, 2, "EC2")),
        (batch, report),
    )
    return built, expected


def test_a_mixed_cluster_is_read_into_the_model(prod: tuple[MotoCluster, Cluster]) -> None:
    _, expected = prod
    assert read_cluster(Account(), "prod") == expected


def test_the_cluster_may_be_named_by_its_arn(prod: tuple[MotoCluster, Cluster]) -> None:
    _, expected = prod
    assert read_cluster(Account(), CLUSTER_ARN) == expected


def test_narrowed_to_one_service_without_standalone_tasks(
        prod: tuple[MotoCluster, Cluster]) -> None:
    _, expected = prod
    cluster = read_cluster(Account(), "prod", ["iis-2019"])
    assert cluster == Cluster("prod", CLUSTER_ARN, expected.instances, expected.services[1:])
    assert cluster.placement(cluster.services[0]).instances == expected.instances


def test_a_missing_service_is_not_found(prod: tuple[MotoCluster, Cluster]) -> None:
    account = Account()
    calls: list[str] = []
    account.client().meta.events.register(
        "after-call", lambda model, **_: calls.append(model.name))
    with pytest.raises(NotFound, match=r"^cluster prod has no service nope$"):
        read_cluster(account, "prod", ["iis-2019", "nope"])
    assert calls == ["DescribeClusters", "DescribeServices"]  # before any instance


def test_a_deleted_service_is_not_found(prod: tuple[MotoCluster, Cluster]) -> None:
    built, _ = prod
    built.ecs.update_service(cluster="prod", service="api-2022", desiredCount=0)
    built.ecs.delete_service(cluster="prod", service="api-2022")
    with pytest.raises(NotFound, match=r"^cluster prod has no service api-2022$"):
        read_cluster(Account(), "prod", ["api-2022"])


def test_a_missing_or_deleted_cluster_is_not_found(moto: str) -> None:
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="old")
    ecs.delete_cluster(cluster="old")
    for name in ("nope", "old"):
        with pytest.raises(NotFound, match=rf"^ECS has no cluster '{name}' in {REGION}$"):
            read_cluster(Account(), name)


def test_instances_without_an_ami_name_are_noticed(moto: str) -> None:
    built = MotoCluster()
    kept = built.host(AMI_2022, "m5.large", "windows", "WINDOWS_SERVER_2022_CORE")
    anywhere = built.host(AMI_2022, "m5.large", "windows", "WINDOWS_SERVER_2022_CORE")
    gone = built.host(AMI_2022, "m5.large", "windows", "WINDOWS_SERVER_2022_CORE")
    # moto 5.2 deletes an attribute only when given its value too.
    built.ecs.delete_attributes(cluster="prod", attributes=[{
        "name": "ecs.ami-id", "value": built.amis[AMI_2022], "targetType": "container-instance",
        "targetId": anywhere.rsplit("/", 1)[-1]}])
    built.ecs.put_attributes(cluster="prod", attributes=[{
        "name": "ecs.ami-id", "value": "ami-0deregistered0", "targetType": "container-instance",
        "targetId": gone.rsplit("/", 1)[-1]}])

    cluster = read_cluster(Account(), "prod")

    names = {instance.arn: instance.ami_name for instance in cluster.instances}
    assert names == {kept: AMI_2022, anywhere: None, gone: None}
    assert cluster.notices == (
        "cluster prod: 1 container instance(s) have no ecs.ami-id attribute (ECS Anywhere, or an agent "
        "that does not set it): their AMI name, and the Windows release it tells, is unknown",
        "cluster prod: EC2 describes no AMI ami-0deregistered0 (deregistered, or not shared with this "
        "account): the AMI name of the instances started from it is unknown",
    )


def test_a_throttled_call_is_retried_in_standard_mode(
        prod: tuple[MotoCluster, Cluster]) -> None:
    """The Stubber answers before botocore's retry loop, so it cannot show a retry: a
    ``before-send`` hook throttles the first ListServices on its way to moto instead."""
    _, expected = prod
    account = Account()
    client = account.client()
    assert client.meta.config.retries["mode"] == "standard"
    throttled: list[str] = []

    def throttle(request: Any, **_: Any) -> AWSResponse | None:
        if throttled:
            return None
        throttled.append(request.url)
        body = b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'
        return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.1"},
                           _Raw(body))

    client.meta.events.register("before-send.ecs.ListServices", throttle)
    assert read_cluster(account, "prod") == expected
    assert len(throttled) == 1


class _Raw:
    """The raw body of an ``AWSResponse`` (urllib3's ``stream`` interface)."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


# The Stubber: what moto 5.2 does not model.

def ci_arn(index: int) -> str:
    return f"arn:aws:ecs:{REGION}:{ACCOUNT}:container-instance/prod/{index:032x}"


def described_instance(index: int, **changes: Any) -> dict[str, Any]:
    """A DescribeContainerInstances item as AWS answers for a Windows 2022 m5.xlarge:
    registered resources below the total ones, an agent of 2024."""
    item = {
        "containerInstanceArn": ci_arn(index), "ec2InstanceId": f"i-{index:017x}",
        "versionInfo": {"agentVersion": "1.87.0", "agentHash": "abc", "dockerVersion": "25.0"},
        "registeredResources": [
            {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
            {"name": "MEMORY", "type": "INTEGER", "integerValue": 15264},
            {"name": "PORTS", "type": "STRINGSET",
             "stringSetValue": ["53", "22", "2375", "2376", "51678", "51679", "3389"]},
            {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": ["53"]},
        ],
        "remainingResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 1024}],
        "status": "ACTIVE", "agentConnected": True,
        "attributes": [
            {"name": "ecs.os-type", "value": "windows"},
            {"name": "ecs.os-family", "value": "WINDOWS_SERVER_2022_CORE"},
            {"name": "ecs.ami-id", "value": "ami-0a2022"},
            {"name": "ecs.instance-type", "value": "m5.xlarge"},
            {"name": "ecs.capability.task-eni"},
            {"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"},
        ],
    }
    item.update(changes)
    return item


def stubbed_instance(index: int, ami_name: str | None = AMI_2022, agent: str = "1.87.0",
                     memory: int = 15264) -> Instance:
    return Instance(ci_arn(index), {
        "ecs.os-type": "windows", "ecs.os-family": "WINDOWS_SERVER_2022_CORE",
        "ecs.ami-id": "ami-0a2022", "ecs.instance-type": "m5.xlarge",
        "ecs.capability.task-eni": "", "com.amazonaws.ecs.capability.logging-driver.awslogs": "",
    }, agent, 4096, memory, (22, 53, 2375, 2376, 3389, 51678, 51679), ami_name)


def svc_arn(name: str) -> str:
    return f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/prod/{name}"


def td_arn(family: str) -> str:
    return f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{family}:1"


def described_service(name: str, **changes: Any) -> dict[str, Any]:
    item = {"serviceName": name, "serviceArn": svc_arn(name), "clusterArn": CLUSTER_ARN,
            "status": "ACTIVE", "desiredCount": 2, "taskDefinition": td_arn(name),
            "launchType": "EC2"}
    item.update(changes)
    return {key: value for key, value in item.items() if value is not None}


class Stubbed:
    """An ``Account`` whose ECS and EC2 clients answer from botocore's Stubber, each
    call checked against the parameters read_cluster must send."""

    def __init__(self) -> None:
        self.account = Account()
        self.ecs = Stubber(self.account.client())
        self.ec2 = Stubber(self.account.client(service="ec2"))
        self.ecs.add_response("describe_clusters", {"clusters": [
            {"clusterName": "prod", "clusterArn": CLUSTER_ARN, "status": "ACTIVE"}]},
            {"clusters": ["prod"]})

    def instances(self, pages: list[list[dict[str, Any]]]) -> None:
        for number, page in enumerate(pages):
            token = {"nextToken": f"page{number + 1}"} if number + 1 < len(pages) else {}
            asked = {"cluster": CLUSTER_ARN, "maxResults": 100,
                     **({"nextToken": f"page{number}"} if number else {})}
            self.ecs.add_response("list_container_instances", {
                "containerInstanceArns": [item["containerInstanceArn"] for item in page],
                **token}, asked)
            if not page:
                continue
            self.ecs.add_response("describe_container_instances", {
                "containerInstances": page, "failures": []},
                {"cluster": CLUSTER_ARN,
                 "containerInstances": [item["containerInstanceArn"] for item in page]})

    def services(self, described: list[dict[str, Any]]) -> None:
        self.ecs.add_response("list_services", {
            "serviceArns": [item["serviceArn"] for item in described]},
            {"cluster": CLUSTER_ARN, "maxResults": 100})
        for start in range(0, len(described), 10):
            batch = described[start:start + 10]
            self.ecs.add_response("describe_services", {"services": batch, "failures": []}, {
                "cluster": CLUSTER_ARN, "services": [item["serviceArn"] for item in batch]})

    def tasks(self, tasks: list[dict[str, Any]]) -> None:
        arns = [f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/prod/{n:032x}" for n in range(len(tasks))]
        self.ecs.add_response("list_tasks", {"taskArns": arns}, {
            "cluster": CLUSTER_ARN, "desiredStatus": "RUNNING", "maxResults": 100})
        if not tasks:
            return
        self.ecs.add_response("describe_tasks", {"tasks": [
            dict(task, taskArn=arn) for task, arn in zip(tasks, arns, strict=True)], "failures": []},
            {"cluster": CLUSTER_ARN, "tasks": arns})

    def images(self, ids: list[str], names: dict[str, str]) -> None:
        self.ec2.add_response("describe_images", {"Images": [
            {"ImageId": ami, "Name": name} for ami, name in names.items()]},
            {"Filters": [{"Name": "image-id", "Values": ids}], "IncludeDeprecated": True})

    def read(self, *services: str) -> Cluster:
        with self.ecs, self.ec2:
            cluster = read_cluster(self.account, "prod", services)
            self.ecs.assert_no_pending_responses()
            self.ec2.assert_no_pending_responses()
        return cluster


@pytest.fixture
def stubbed(aws_env: None) -> Stubbed:
    return Stubbed()


def test_what_moto_does_not_model_is_read_as_aws_answers(stubbed: Stubbed) -> None:
    """Registered resources of the instance, its real agent version, the services'
    placement constraints and capacity provider strategy, a DRAINING instance left out."""
    constraints = [{"type": "memberOf", "expression": "attribute:ecs.os-family == "
                                                      "WINDOWS_SERVER_2022_CORE"},
                   {"type": "distinctInstance"}]
    stubbed.services([
        described_service("web", placementConstraints=constraints, desiredCount=4,
                          events=[{"id": "1", "message": "(service web) has reached a "
                                                         "steady state."}]),
        described_service("spot", launchType=None, capacityProviderStrategy=[
            {"capacityProvider": "win-2022", "weight": 1, "base": 1},
            {"capacityProvider": "win-2022-spot", "weight": 3}]),
    ])
    stubbed.instances([[
        described_instance(1),
        described_instance(2, versionInfo={"agentVersion": "1.54.1"}),
        described_instance(3, status="DRAINING"),
    ]])
    stubbed.tasks([
        {"taskDefinitionArn": td_arn("web"), "startedBy": "ecs-svc/1234567890"},
        {"taskDefinitionArn": td_arn("migrate")},
        {"taskDefinitionArn": td_arn("migrate"), "startedBy": "events-rule/nightly"},
    ])
    stubbed.images(["ami-0a2022"], {"ami-0a2022": AMI_2022})

    cluster = stubbed.read()

    assert cluster == Cluster("prod", CLUSTER_ARN, (
        stubbed_instance(1), stubbed_instance(2, agent="1.54.1"),
    ), (
        Service("prod", "spot", svc_arn("spot"), td_arn("spot"), 2, None,
                ("win-2022", "win-2022-spot")),
        Service("prod", "web", svc_arn("web"), td_arn("web"), 4, "EC2", (),
                tuple(constraints)),
    ), (td_arn("migrate"),), (
        "cluster prod: container instances that are not ACTIVE (1 DRAINING) are left out, "
        "as ECS places no task on them",
    ))
    # Instances of one group share their attributes rather than copy them.
    assert cluster.instances[0].attributes is cluster.instances[1].attributes
    # The service as ECS answered (its events left out), as --save-dir writes it.
    web = cluster.services[1]
    assert web.described == json.dumps({"services": [{
        key: value for key, value in described_service(
            "web", placementConstraints=constraints, desiredCount=4).items()}],
        "failures": []}, indent=2) + "\n"


def test_pages_and_batches_are_those_of_the_api(stubbed: Stubbed) -> None:
    """150 instances come in two pages of 100 and 50, each described at once;
    25 services are described 10, 10 and 5 at a time (the Stubber checks each call)."""
    stubbed.services([described_service(f"svc{n:02}") for n in range(25)])
    stubbed.instances([[described_instance(n) for n in range(100)],
                       [described_instance(n) for n in range(100, 150)]])
    stubbed.tasks([])
    stubbed.images(["ami-0a2022"], {"ami-0a2022": AMI_2022})

    cluster = stubbed.read()

    assert cluster.instances == tuple(stubbed_instance(n) for n in range(150))
    assert [service.name for service in cluster.services] == [f"svc{n:02}" for n in range(25)]
    assert cluster.notices == ()


@pytest.mark.parametrize("operation", ["list_container_instances",
                                       "describe_container_instances"])
def test_without_permission_on_the_instances_the_host_checks_are_skipped(
        stubbed: Stubbed, operation: str) -> None:
    stubbed.services([described_service("web")])
    if operation == "describe_container_instances":
        stubbed.ecs.add_response("list_container_instances", {
            "containerInstanceArns": [ci_arn(1)]}, {"cluster": CLUSTER_ARN, "maxResults": 100})
    stubbed.ecs.add_client_error(operation, "AccessDeniedException",
                                 "User is not authorized to perform: ecs:" + operation, 400)
    stubbed.tasks([])

    cluster = stubbed.read()

    api = "".join(word.title() for word in operation.split("_"))
    assert cluster == Cluster(
        "prod", CLUSTER_ARN, (),
        (Service("prod", "web", svc_arn("web"), td_arn("web"), 2, "EC2"),), (),
        (f"cluster prod: ecs:{api} is not allowed, so its container instances are unknown "
         "and the checks against the hosts are skipped",),
        instances_read=False)


def test_without_ec2_describe_images_the_ami_names_stay_unknown(stubbed: Stubbed) -> None:
    stubbed.services([])
    stubbed.instances([[described_instance(1)]])
    stubbed.tasks([])
    stubbed.ec2.add_client_error("describe_images", "UnauthorizedOperation",
                                 "You are not authorized to perform this operation.", 403)

    cluster = stubbed.read()

    assert cluster.instances == (stubbed_instance(1, ami_name=None),)
    assert cluster.notices == (
        "cluster prod: ec2:DescribeImages is not allowed (UnauthorizedOperation): the AMI names of the "
        "container instances, and the Windows releases they tell, are unknown",)


def test_without_ecs_list_tasks_standalone_tasks_are_unknown(stubbed: Stubbed) -> None:
    stubbed.services([])
    stubbed.instances([[]])
    stubbed.ecs.add_client_error("list_tasks", "AccessDeniedException", "denied", 400)

    cluster = stubbed.read()

    assert cluster.standalone_task_definitions == ()
    assert cluster.notices == ("cluster prod: ecs:ListTasks is not allowed, so the task "
                               "definitions of its standalone tasks are not checked",)


def test_throttling_left_after_the_retries_is_an_aws_error(stubbed: Stubbed) -> None:
    """The Stubber answers past botocore's retries: this is the error they give up with."""
    stubbed.ecs.add_client_error("list_services", "ThrottlingException", "Rate exceeded", 400)
    with pytest.raises(AwsError, match=r"^ecs:ListServices failed \(ThrottlingException\): "
                                       r"Rate exceeded$"):
        stubbed.read()


def test_a_denied_ecs_list_services_stops_the_read(stubbed: Stubbed) -> None:
    stubbed.ecs.add_client_error("list_services", "AccessDeniedException", "no", 400)
    with pytest.raises(AwsError, match=r"^access denied to ecs:ListServices: no$"):
        stubbed.read()


def test_an_endpoint_that_does_not_answer_as_ecs_is_an_aws_error(stubbed: Stubbed) -> None:
    stubbed.services([])
    stubbed.ecs.add_response("list_container_instances", {"containerInstanceArns": [ci_arn(1)]})
    stubbed.ecs.add_response("describe_container_instances", {"containerInstances": [
        {"status": "ACTIVE"}]})
    with pytest.raises(AwsError, match="without containerInstanceArn"):
        stubbed.read()


# Scale: the full 2,000 instances and 500 services, timed, in benchmarks/cluster_hosts.py
# (speed is measured there, never asserted here).

def test_a_large_cluster_is_read_whole_in_bounded_memory(
        aws_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's server runs in a process of its own here, so tracemalloc counts the
    reader's allocations alone."""
    spec = importlib.util.spec_from_file_location(
        "cluster_hosts", ROOT / "benchmarks" / "cluster_hosts.py")
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    with benchmark.moto_server() as url:
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        benchmark.build(instances=500, services=100)
        account = Account()
        account.client(), account.client(service="ec2")  # botocore's models: 30 MB, once
        tracemalloc.start()
        cluster = read_cluster(account, "prod")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    assert (len(cluster.instances), len(cluster.services)) == (500, 100)
    assert len({id(instance.attributes) for instance in cluster.instances}) == 4
    assert cluster.notices == ()
    assert peak < 8 * 2**20, f"{peak / 2**20:.1f} MB"
