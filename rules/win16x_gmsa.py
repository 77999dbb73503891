"""WIN160, WIN161: how a container names its gMSA credential spec
(windows-ecs-facts.md §1b)."""

import re
from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule

# windows-ecs-facts.md §1b (BOTO ContainerDefinition.credentialSpecs): at most one entry,
# `credentialspec:<ARN>` (domain-joined host) or `credentialspecdomainless:<ARN>`, the
# ARN of an SSM parameter or an S3 object holding the CredSpec file.
MAX_CREDENTIAL_SPECS = 1
_CREDENTIAL_SPEC = re.compile(
    r"^credentialspec(?:domainless)?:arn:aws[a-z-]*:"
    r"(?:ssm:[^:\s]*:[^:\s]*:parameter/\S+|s3:::\S+)$"
)
# Text a templating step replaces before registration (envsubst, Jinja, the agent's
# functional tests): the final value is unknown, as with a CloudFormation intrinsic.
# dockerSecurityOptions `credentialspec:` values credentialSpecs cannot express: a file on
# the host or a registry value (credentialSpecs takes SSM or S3 ARNs only).
_SECURITY_OPTION_SPEC = re.compile(r"^credentialspec:(?!file://|registry://)", re.IGNORECASE)


@rule(
    id="WIN160",
    name="gmsa-credential-spec-format",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="credentialSpecs has more than one entry or an entry in the wrong format",
    fix_title="Give one entry, credentialspec:<ARN> or credentialspecdomainless:<ARN>, where "
        "<ARN> is the SSM parameter or S3 object holding the CredSpec file.",
)
def check_credential_spec_format(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container whose `credentialSpecs` list has more than one entry,
    and each entry that is not `credentialspec:` or `credentialspecdomainless:`
    followed by the ARN of an SSM parameter or an S3 object.

    ## Why is this bad?
    ECS accepts at most one credential spec per container, in one of those two
    forms: `credentialspec:<ARN>` for a container instance joined to the
    domain, `credentialspecdomainless:<ARN>` for domainless gMSA, where the
    CredSpec names a Secrets Manager secret. Anything else is rejected at
    registration or leaves the container without its Active Directory identity
    ([ContainerDefinition API reference: credentialSpecs](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html),
    [gMSA for Windows containers on EC2](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html)).

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "credentialSpecs": [
          "arn:aws:ssm:us-east-1:111122223333:parameter/gmsa/webapp"]}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "credentialSpecs": [
          "credentialspecdomainless:arn:aws:ssm:us-east-1:111122223333:parameter/gmsa/webapp"]}]}
    ```

    ## References
    - [ContainerDefinition API reference (credentialSpecs)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Using gMSAs for Windows containers on EC2](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html)
    """
    for container in task.containers:
        specs = container.data.get("credentialSpecs")
        if not isinstance(specs, list):
            continue
        path = container.path + ("credentialSpecs",)
        if len(specs) > MAX_CREDENTIAL_SPECS:
            yield Finding.at_value(
                path,
                f"container {container.label} has {len(specs)} credentialSpecs entries; "
                f"ECS accepts at most {MAX_CREDENTIAL_SPECS}",
                related=[path + (i,) for i in range(MAX_CREDENTIAL_SPECS, len(specs))],
            )
        for index, spec in enumerate(specs):
            if (isinstance(spec, str) and not is_unresolved(spec)
                    and not _CREDENTIAL_SPEC.match(spec.strip())):
                yield Finding.at_value(
                    path + (index,),
                    f"container {container.label} has the credential spec {spec!r}, which is "
                    "not credentialspec: or credentialspecdomainless: followed by an SSM "
                    "parameter or S3 object ARN",
                )


@rule(
    id="WIN161",
    name="gmsa-prefer-credential-specs",
    severity=Severity.INFO,
    since="0.1.0",
    summary="gMSA credential spec given through dockerSecurityOptions",
    fix_title="Move the value to credentialSpecs (credentialspec:<ARN>) and remove it from "
        "dockerSecurityOptions.",
)
def check_prefer_credential_specs(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a `dockerSecurityOptions` entry that starts with `credentialspec:`.

    ## Why is this bad?
    Passing the gMSA credential spec through `dockerSecurityOptions` is the
    older way, from before the `credentialSpecs` parameter existed. AWS now
    recommends `credentialSpecs`, which also supports domainless gMSA
    (`credentialspecdomainless:`) and S3 as well as SSM locations
    ([gMSA for Windows containers on EC2](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html)).

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "dockerSecurityOptions": [
          "credentialspec:arn:aws:ssm:us-east-1:111122223333:parameter/gmsa/webapp"]}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "credentialSpecs": [
          "credentialspec:arn:aws:ssm:us-east-1:111122223333:parameter/gmsa/webapp"]}]}
    ```

    ## References
    - [ContainerDefinition API reference (credentialSpecs, dockerSecurityOptions)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Using gMSAs for Windows containers on EC2](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html)
    """
    for container in task.containers:
        options = container.data.get("dockerSecurityOptions")
        for index, option in enumerate(options if isinstance(options, list) else []):
            if isinstance(option, str) and _SECURITY_OPTION_SPEC.match(option.strip()):
                yield Finding.at_value(
                    container.path + ("dockerSecurityOptions", index),
                    f"container {container.label} gives its gMSA credential spec in "
                    "dockerSecurityOptions; credentialSpecs is the recommended parameter",
                )
