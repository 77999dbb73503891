"""ECS412: the task definition is larger than the 64 KiB ECS accepts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._ecs import limits
from ecslint.validation.schema import readonly_fields

# Sent with RegisterTaskDefinition but not part of the task definition
# (DescribeTaskDefinition returns them beside it, not in it).
_NOT_IN_DEFINITION = frozenset({"tags"})


@rule(
    id="ECS412",
    name="task-definition-size",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Task definition is larger than 64 KiB as registered",
    fix_title=("Move large values out of the definition: secrets/SSM parameters, S3 "
               "environmentFiles, "
               "or the image."),
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Measures the task definition as ECS stores it and reports one above
    65,536 bytes (64 KiB). The measure is the UTF-8 length of the canonical
    (camelCase API-shaped) data serialized as compact JSON, without
    indentation or spaces after separators, and without what the registered
    definition does not hold: the read-only fields only
    `describe-task-definition` returns (`taskDefinitionArn`, `revision`,
    `status`, ...) and `tags`. Pretty-printing in the file therefore does not
    count, and a CloudFormation template is measured with its intrinsic
    functions as written (their resolved values may be longer or shorter). A
    file of container definitions alone is measured without the task-level
    fields, a lower bound.

    The finding sits on `containerDefinitions` and names the largest
    container, which usually holds the bulk (inline environment values,
    scripts in `command`).

    ## Why is this bad?
    The size of a task definition is limited to 64 KiB (an Amazon ECS
    service quota that cannot be raised; it was 32 KiB until January 2021).
    Registration fails above it.

    ## Example
    ```yaml
    # The same 1 KB certificate, inlined in 8 variables of 9 containers
    # (YAML aliases keep the example short): about 75 KB once expanded.
    family: bloated
    containerDefinitions:
      - name: app1
        image: nginx
        memory: 128
        environment: &env
          - name: CA_BUNDLE_1
            value: &pem >-
              MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UE
              ChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYDVQQDExlCYWx0aW1vcmUgQ3li
              ZXJUcnVzdCBSb290MB4XDTAwMDUxMjE4NDYwMFoXDTI1MDUxMjIzNTkwMFowWjELMAkGA1UEBhMC
              SUUxEjAQBgNVBAoTCUJhbHRpbW9yZTETMBEGA1UECxMKQ3liZXJUcnVzdDEiMCAGA1UEAxMZQmFs
              dGltb3JlIEN5YmVyVHJ1c3QgUm9vdDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKME
              uyKrmD1X6CZymrV51Cni4eiVgLGw41uOKymaZN+hXe2wCQVt2yguzmKiYv60iNoS6zjrIZ3AQSsB
              UnuId9Mcj8e6uYi1agnnc+gRQKfRzMpijS3ljwumUNKoUMMo6vWrJYeKmpYcqWe4PwzV9/lSEy/C
              G9VwcPCPwBLKBsua4dnKM3p31vjsufFoREJIE9LAwqSuXmD+tqYF/LTdB1kC1FkYmGP1pWPgkAx9
              XbIGevOF6uvUA65ehD5f/xXtabz5OTZydc93Uk3zyZAsuT3lySNTPx8kmCFcB5kpvcY67Oduhjpr
              l3RjM71oGDHweI12v/yejl0qhqdNkNwnGjkCAwEAAaNFMEMwHQYDVR0OBBYEFOWdWTCCR1jMrPoI
              VDaGezq1BE3wMBIGA1UdEwEB/wQIMAYBAf8CAQMwDgYDVR0PAQH/BAQDAgEGMA0GCSqGSIb3DQEB
              BQUAA4IBAQCFDF2O5G9RaEIFoN27TyclhAO992T9Ldcw46QQF+vaKSm2eT929hkTI7gQCvlYpNRh
              cL0EYWoSihfVCr3FvDB81ukMJY2GQE/szKN+OMY3EU/t3WgxjkzSswF07r51XgdIGn9w/xZchMB5
              hbgF/X++ZRGjD8ACtPhSNzkE1akxehi/oCr0Epn3o0WC4zxe9Z2etciefC7IpJ5OCBRLbf1wbWsa
          - {name: CA_BUNDLE_2, value: *pem}
          - {name: CA_BUNDLE_3, value: *pem}
          - {name: CA_BUNDLE_4, value: *pem}
          - {name: CA_BUNDLE_5, value: *pem}
          - {name: CA_BUNDLE_6, value: *pem}
          - {name: CA_BUNDLE_7, value: *pem}
          - {name: CA_BUNDLE_8, value: *pem}
      - {name: app2, image: nginx, memory: 128, environment: *env}
      - {name: app3, image: nginx, memory: 128, environment: *env}
      - {name: app4, image: nginx, memory: 128, environment: *env}
      - {name: app5, image: nginx, memory: 128, environment: *env}
      - {name: app6, image: nginx, memory: 128, environment: *env}
      - {name: app7, image: nginx, memory: 128, environment: *env}
      - {name: app8, image: nginx, memory: 128, environment: *env}
      - {name: app9, image: nginx, memory: 128, environment: *env}
    ```

    ## Use instead
    ```json
    {"family": "slim",
     "containerDefinitions": [
       {"name": "app1", "image": "nginx", "memory": 128,
        "environmentFiles": [{"type": "s3",
                              "value": "arn:aws:s3:::example-config/app.env"}]}]}
    ```

    ## References
    - [Amazon ECS service quotas](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html)
    - [RegisterTaskDefinition API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    """
    limit = limits()["taskDefinitionSize"]["bytes"]
    excluded = readonly_fields() | _NOT_IN_DEFINITION
    size = _size({k: v for k, v in task.data.items() if k not in excluded})
    if size is None or size <= limit:
        return
    sizes = [(s, c) for c in task.containers if (s := _size(c.data)) is not None]
    detail = ""
    related = []
    if sizes:
        biggest_size, biggest = max(sizes, key=lambda pair: pair[0])
        detail = f"; container {biggest.label} alone takes {biggest_size:,} bytes"
        related = [biggest.path]
    path = ("containerDefinitions",) if "containerDefinitions" in task.data else ()
    yield Finding.at_key(
        path,
        f"task {task.label} is {size:,} bytes as registered (compact JSON), above the "
        f"{limit:,}-byte (64 KiB) limit for a task definition{detail}",
        related=related,
    )


def _size(value: Any) -> int | None:
    """The UTF-8 length of ``value`` as compact JSON; None when it has no JSON form."""
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        return None
    return len(text.encode("utf-8", "surrogatepass"))
