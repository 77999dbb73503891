"""ECS415: the task uses App Mesh (proxyConfiguration) or Elastic Inference."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._ecs import limits, mappings


@rule(
    id="ECS415",
    name="deprecated-feature",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="proxyConfiguration (App Mesh) or inferenceAccelerators (Elastic Inference)",
    fix_title="Move from App Mesh to ECS Service Connect; from Elastic Inference to GPU or "
        "Inferentia instances.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports the task definition parameters of two AWS services that have
    ended:
    - `proxyConfiguration`, which exists only to configure an AWS App Mesh
      Envoy proxy;
    - `inferenceAccelerators`, and a container `resourceRequirements` entry of
      type `InferenceAccelerator`, which attach Amazon Elastic Inference
      accelerators.

    Empty values (`[]`, `null`) and values known only at deployment (a
    CloudFormation `Fn::If`, a Terraform `dynamic` block) are not reported. On Windows both are also
    unsupported, which WIN121 reports as an error.

    ## Why is this bad?
    AWS ended support for AWS App Mesh on 2026-09-30: since then the App
    Mesh console and App Mesh resources are no longer available (App Mesh
    User Guide); the migration path is Amazon ECS Service Connect. Amazon
    Elastic Inference is no longer available (EC2 API reference,
    `ElasticInferenceAccelerator`). The ECS API still accepts both
    parameters, but a task that relies on either relies on a service that
    is gone.

    ## Example
    ```json
    {"family": "mesh-app", "networkMode": "awsvpc",
     "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy",
       "properties": [{"name": "ProxyIngressPort", "value": "15000"},
                      {"name": "ProxyEgressPort", "value": "15001"},
                      {"name": "AppPorts", "value": "8080"},
                      {"name": "IgnoredUID", "value": "1337"}]},
     "containerDefinitions": [
       {"name": "app", "image": "nginx", "memory": 256},
       {"name": "envoy", "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod",
        "memory": 256, "user": "1337"}]}
    ```

    ## Use instead
    ```json
    {"family": "mesh-app", "networkMode": "awsvpc",
     "containerDefinitions": [
       {"name": "app", "image": "nginx", "memory": 256,
        "portMappings": [{"name": "http", "containerPort": 8080, "appProtocol": "http"}]}]}
    ```

    ## References
    - [What is AWS App Mesh? (end-of-support notice)](https://docs.aws.amazon.com/app-mesh/latest/userguide/what-is-app-mesh.html)
    - [ProxyConfiguration (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ProxyConfiguration.html)
    - [ElasticInferenceAccelerator, EC2 API reference ("Amazon Elastic Inference is no longer available")](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ElasticInferenceAccelerator.html)
    """
    notes = limits()["deprecated"]
    mesh, inference = notes["proxyConfiguration"], notes["inferenceAccelerators"]
    proxy = task.data.get("proxyConfiguration")
    if proxy is not None and proxy != {} and not is_unresolved(proxy):
        yield Finding.at_key(
            ("proxyConfiguration",),
            f"task {task.label} configures an {mesh['service']} proxy; {mesh['status']}")
    accelerators = task.data.get("inferenceAccelerators")
    if isinstance(accelerators, list) and any(not is_unresolved(item) for item in accelerators):
        yield Finding.at_key(
            ("inferenceAccelerators",),
            f"task {task.label} attaches {inference['service']} accelerators; "
            f"{inference['status']}")
    for container in task.containers:
        for i, requirement in mappings(container.data.get("resourceRequirements")):
            if requirement.get("type") == "InferenceAccelerator":
                yield Finding.at_value(
                    container.path + ("resourceRequirements", i, "type"),
                    f"container {container.label} requests an {inference['service']} "
                    f"accelerator; {inference['status']}")
