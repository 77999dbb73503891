"""Fetch task definitions registered in Amazon ECS, as text the engine can lint.

This is, with ``ecs_hosts`` (a cluster's hosts, through this module's ``Account``),
the only module that talks to AWS, and only ``ecslint aws`` imports it: it imports
boto3 at the top, so no other command loads boto3 or reaches the network.
Credentials, region and endpoint come from boto3's usual chain (``--profile`` and
``--region`` pick from it; ``AWS_ENDPOINT_URL`` or ``AWS_ENDPOINT_URL_ECS`` point it
at another endpoint). Every failure becomes
one of two exceptions with a readable message: ``AwsError`` stops the run
(credentials, region, access, network, an answer that is not the ECS API's),
``NotFound`` concerns one requested task definition and lets the others be linted.
An endpoint is not trusted to answer as ECS does: a response without the fields
ecslint reads (an empty or non-JSON body, a describe without ``taskDefinitionArn``)
is an ``AwsError`` that names the operation, never a ``KeyError``; its text is printed
by ``fail``, which shows control characters as escapes.

Guarantees: ``serialize`` is deterministic (indent 2, the key order botocore
returns, which is the ECS API model's order, timestamps as ISO 8601 in UTC,
no ``ResponseMetadata``), so a finding's line and column point into exactly
the text that ``--save-dir`` writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
)
from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.parsers import ResponseParserError

from ecslint import __version__

_FAMILY = r"[A-Za-z0-9_-]{1,255}"
_ARN = re.compile(
    rf"arn:(?P<partition>aws[a-z-]*):ecs:(?P<region>[a-z0-9-]+):(?P<account>\d{{12}}):"
    rf"task-definition/(?P<family>{_FAMILY}):(?P<revision>\d+)"
)
_NAME = re.compile(rf"(?P<family>{_FAMILY})(?::(?P<revision>\d+))?")
_DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"}
_BAD_CREDENTIALS = {
    "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
    "SignatureDoesNotMatch", "ExpiredTokenException", "ExpiredToken",
}
_NOT_FOUND = {"ClientException", "InvalidParameterException"}


class AwsError(Exception):
    """AWS cannot be used at all (credentials, region, permissions, network)."""


class NotFound(Exception):
    """One requested task definition, family or prefix does not exist."""


@dataclass(frozen=True)
class Target:
    """A task definition named on the command line: an ARN, ``family:revision`` or a
    family (its latest ACTIVE revision, or every ACTIVE one)."""

    text: str
    family: str
    revision: int | None
    region: str | None = None


def parse_target(text: str) -> Target | None:
    """``text`` as a ``Target``; ``None`` when it is no family, family:revision or ARN."""
    arn = _ARN.fullmatch(text)
    if arn:
        return Target(text, arn["family"], int(arn["revision"]), arn["region"])
    name = _NAME.fullmatch(text)
    if name:
        revision = name["revision"]
        return Target(text, name["family"], int(revision) if revision else None)
    return None


@dataclass(frozen=True)
class Fetched:
    """One described task definition and its serialized describe response."""

    arn: str
    family: str
    revision: int
    text: str

    @property
    def region(self) -> str:
        """The region named in the ARN ("" when the endpoint's ARN names none)."""
        parts = self.arn.split(":")
        return parts[3] if len(parts) > 3 else ""

    @property
    def data(self) -> bytes:
        """The bytes linted and saved: ``text`` in UTF-8."""
        return self.text.encode("utf-8", "surrogatepass")

    @property
    def file_name(self) -> str:
        """``FAMILY-REVISION.json``: unique per region, and valid on Windows (no colon)."""
        return f"{self.family}-{self.revision}.json"


def serialize(response: dict[str, Any]) -> str:
    """The describe response as deterministic, indented JSON ending in a newline."""
    body = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    return json.dumps(body, indent=2, ensure_ascii=False, default=_timestamp) + "\n"


def _timestamp(value: object) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value.isoformat()
    raise TypeError(f"cannot serialize {type(value).__name__}")


class Account:
    """The ECS API of one AWS account through a boto3 session, one client per region."""

    def __init__(self, profile: str | None = None, region: str | None = None) -> None:
        with translated():
            self.session = boto3.session.Session(profile_name=profile, region_name=region)
            if self.session.get_credentials() is None:
                raise NoCredentialsError()
        self._clients: dict[tuple[str | None, str], Any] = {}

    def client(self, region: str | None = None, service: str = "ecs") -> Any:
        """The client of ``service`` (ECS, or EC2 for AMI names) for ``region`` (default:
        the session's region). botocore's standard retry mode backs off on throttling;
        ``AWS_MAX_ATTEMPTS`` and the profile's ``max_attempts`` still set the attempts."""
        if (region, service) not in self._clients:
            config = BotoConfig(user_agent_extra=f"ecslint/{__version__}",
                                retries={"mode": "standard"})
            with translated(service=service):
                self._clients[region, service] = self.session.client(
                    service, region_name=region, config=config)
        return self._clients[region, service]

    @property
    def region(self) -> str:
        """The session's region (raises ``AwsError`` when there is none)."""
        return str(self.client().meta.region_name)

    def families(self, prefix: str) -> Iterator[str]:
        """Every family with an ACTIVE revision whose name starts with ``prefix``."""
        parameters = {"status": "ACTIVE", **({"familyPrefix": prefix} if prefix else {})}
        with translated():
            pages = self.client().get_paginator("list_task_definition_families")
            for page in pages.paginate(**parameters):
                yield from _strings(page, "families", "ListTaskDefinitionFamilies")

    def revisions(self, family: str) -> list[str]:
        """The ARNs of every ACTIVE revision of ``family``, oldest first."""
        with translated():
            pages = self.client().get_paginator("list_task_definitions")
            return [
                arn
                for page in pages.paginate(familyPrefix=family, status="ACTIVE", sort="ASC")
                for arn in _strings(page, "taskDefinitionArns", "ListTaskDefinitions")
            ]

    def describe(self, name: str, region: str | None = None) -> Fetched:
        """Describe ``name`` (family, family:revision or ARN) without tags."""
        with translated(describing=True):
            response = self.client(region).describe_task_definition(taskDefinition=name)
        task = response.get("taskDefinition") if isinstance(response, dict) else None
        task = task if isinstance(task, dict) else {}
        arn, family, revision = (task.get(key) for key in
                                 ("taskDefinitionArn", "family", "revision"))
        if not (isinstance(arn, str) and arn and isinstance(family, str) and family
                and type(revision) is int):
            raise AwsError(f"ecs:DescribeTaskDefinition answered {name!r} without a task "
                           "definition (taskDefinitionArn, family and revision): the "
                           "endpoint does not answer as ECS does")
        return Fetched(arn, family, revision, serialize(response))


@contextmanager
def translated(describing: bool = False, service: str = "ecs") -> Iterator[None]:
    """Turn botocore's exceptions into ``AwsError`` or, around a describe call, ``NotFound``;
    messages name the operation as ``service:Operation``."""
    try:
        yield
    except ClientError as exc:
        raise _client_error(exc, describing, service) from None
    except (NoCredentialsError, PartialCredentialsError) as exc:
        partial = f" ({exc})" if isinstance(exc, PartialCredentialsError) else ""
        raise AwsError(
            "no AWS credentials found: use a profile (--profile, AWS_PROFILE), set "
            f"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an IAM role{partial}"
        ) from None
    except NoRegionError:
        raise AwsError(
            "no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, "
            "or set a region in the profile"
        ) from None
    except ProfileNotFound as exc:
        raise AwsError(f"AWS profile {exc.kwargs.get('profile')!r} not found") from None
    except BotoConnectionError as exc:
        raise AwsError(f"cannot connect to AWS: {exc}") from None
    except BotoCoreError as exc:
        raise AwsError(str(exc)) from None
    except (ResponseParserError, AttributeError, TypeError) as exc:
        # botocore's JSON parser fails so on a body of the wrong shape (a list, a
        # string, null); only boto3 calls and the checks of their answers run here.
        raise AwsError(f"the endpoint's answer is not the ECS API's: {exc}") from None


def _strings(page: Any, key: str, operation: str) -> list[str]:
    """``page[key]``, a list of strings, or ``AwsError`` when the answer has none."""
    items = page.get(key) if isinstance(page, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise AwsError(f"ecs:{operation} answered without {key}: the endpoint does not "
                       "answer as ECS does")
    return items


def denied(exc: ClientError) -> bool:
    """Whether AWS refused ``exc``'s operation to these credentials (IAM, an SCP)."""
    code = exc.response.get("Error", {}).get("Code", "")
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in _DENIED or (status == 403 and code not in _BAD_CREDENTIALS)


def _client_error(exc: ClientError, describing: bool, service: str = "ecs") -> Exception:
    error = exc.response.get("Error", {})
    code = error.get("Code", "")
    message = error.get("Message") or str(exc)
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if message.lstrip().startswith("<"):
        # A body botocore could not parse (an XML error, a proxy's HTML page):
        # botocore passes it whole, with the HTTP status as the code.
        code = _element("Code", message) or code
        message = _element("Message", message) or f"HTTP {status}"
    operation = exc.operation_name
    if code in _BAD_CREDENTIALS:
        return AwsError(f"AWS rejected the credentials ({code}): {message}")
    if code in _DENIED or status == 403:
        return AwsError(f"access denied to {service}:{operation}: {message}")
    if describing and code in _NOT_FOUND:
        return NotFound(message)
    return AwsError(f"{service}:{operation} failed ({code}): {message}")


def _element(tag: str, markup: str) -> str | None:
    found = re.search(rf"<{tag}>([^<]*)</{tag}>", markup)
    return found[1].strip() if found else None
