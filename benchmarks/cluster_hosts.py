"""Time ``ecs_hosts.read_cluster`` on a large cluster in moto's server, and its memory.

Issue 15's scale: 2,000 container instances (Windows Server 2019 and 2022, Linux) and
500 services. The cluster is built through the API as the ECS agent builds it (one
RegisterContainerInstance per instance, with its attributes), then read once, with
tracemalloc counting the peak of what the read allocates. moto's server runs in a
process of its own (``moto_server``), so neither its work nor its memory is counted::

    python benchmarks/cluster_hosts.py                       # 2,000 and 500
    python benchmarks/cluster_hosts.py --instances 5000 --services 1000

tests/test_ecs_hosts.py imports ``build`` for a smaller cluster.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import boto3

REGION = "eu-west-1"
ACCOUNT = "123456789012"
# (AMI name, instance type, ecs.os-type, ecs.os-family): the instances' four groups.
GROUPS = [
    ("Windows_Server-2019-English-Full-ECS_Optimized-2024.05.14", "m5.large", "windows",
     "WINDOWS_SERVER_2019_FULL"),
    ("Windows_Server-2022-English-Full-ECS_Optimized-2024.05.14", "m5.xlarge", "windows",
     "WINDOWS_SERVER_2022_FULL"),
    ("Windows_Server-2022-English-Core-ECS_Optimized-2024.05.14", "m5.2xlarge", "windows",
     "WINDOWS_SERVER_2022_CORE"),
    ("al2023-ami-ecs-hvm-2023.0.20240515-kernel-6.1-x86_64", "t3.medium", "linux", "LINUX"),
]


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's server in a child process on a free port of 127.0.0.1 (its URL)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def build(instances: int, services: int, cluster: str = "prod") -> float:
    """Create ``cluster`` with ``instances`` container instances spread over the four
    groups and ``services`` services on it, through the endpoint of the environment
    (AWS_ENDPOINT_URL); return the seconds it took."""
    started = time.perf_counter()
    ecs = boto3.client("ecs", region_name=REGION)
    ec2 = boto3.client("ec2", region_name=REGION)
    ecs.create_cluster(clusterName=cluster)
    documents = []
    for name, kind, os_type, family in GROUPS:
        ami = ec2.register_image(Name=name, RootDeviceName="/dev/sda1")["ImageId"]
        # moto registers any number of container instances on one EC2 instance.
        ec2_instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1,
                                         InstanceType=kind)["Instances"][0]["InstanceId"]
        document = json.dumps({"instanceId": ec2_instance, "instanceType": kind,
                               "imageId": ami, "region": REGION,
                               "availabilityZone": f"{REGION}a", "accountId": ACCOUNT})
        documents.append((document, [{"name": "ecs.os-type", "value": os_type},
                                     {"name": "ecs.os-family", "value": family}]))
    for index in range(instances):
        document, attributes = documents[index % len(documents)]
        ecs.register_container_instance(cluster=cluster, instanceIdentityDocument=document,
                                        attributes=attributes)
    definition = ecs.register_task_definition(family="web", containerDefinitions=[
        {"name": "web", "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-"
                                 "ltsc2022", "cpu": 1024, "memory": 2048}],
    )["taskDefinition"]["taskDefinitionArn"]
    for index in range(services):
        ecs.create_service(cluster=cluster, serviceName=f"service-{index:04}",
                           taskDefinition=definition, desiredCount=2, launchType="EC2")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=2000)
    parser.add_argument("--services", type=int, default=500)
    arguments = parser.parse_args()
    from ecslint.load.ecs_api import Account
    from ecslint.load.ecs_hosts import read_cluster

    with moto_server() as url:
        os.environ.update(AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="testing",
                          AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION,
                          AWS_EC2_METADATA_DISABLED="true")
        built = build(arguments.instances, arguments.services)
        print(f"built {arguments.instances} instances and {arguments.services} services "
              f"in moto: {built:.1f} s", file=sys.stderr)
        account = Account()
        calls: Counter[str] = Counter()
        for service in ("ecs", "ec2"):
            account.client(service=service).meta.events.register(
                "after-call", lambda model, **_: calls.update([model.name]))
        started = time.perf_counter()
        cluster = read_cluster(account, "prod")
        elapsed = time.perf_counter() - started
        print("API calls: " + ", ".join(f"{count} {name}" for name, count in sorted(
            calls.items())), file=sys.stderr)
        peaks = []
        for fresh in (False, True):
            if fresh:
                account = Account()  # new clients: botocore loads the API models again
            tracemalloc.start()
            again = read_cluster(account, "prod")
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert again == cluster
            peaks.append((current, peak))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"read_cluster: {len(cluster.instances)} instances, {len(cluster.services)} "
          f"services in {elapsed:.2f} s; under tracemalloc: peak {peaks[0][1] / 2**20:.1f} MB "
          f"({peaks[1][1] / 2**20:.1f} MB creating the ECS and EC2 clients too), kept "
          f"{peaks[0][0] / 2**20:.1f} MB (the Cluster); this process's max RSS "
          f"{rss / 1024:.0f} MB (boto3 and the build included)")

if __name__ == "__main__":
    main()
