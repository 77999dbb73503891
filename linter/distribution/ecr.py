"""Private Amazon ECR through its own API, with the AWS credentials boto3 finds.

ECR's registry API wants a Docker login (a 12-hour token); its service API takes the
credentials the user already has for ``ecslint aws``. ``BatchGetImage`` with
``acceptedMediaTypes`` returns the manifest or manifest list as pushed; a single image's
config blob comes from ``GetDownloadUrlForLayer``, a signed S3 URL fetched with the same
bounds as any registry. boto3 is the optional ``aws`` extra: without it an ECR image goes
through the registry API with the Docker credentials (``docker-credential-ecr-login``).
"""

from __future__ import annotations

import importlib.util
import re
from typing import Any

from ecslint.distribution.manifests import IMAGES, LISTS, MAX_DOCUMENT
from ecslint.distribution.reference import Reference
from ecslint.distribution.registry_client import Clock, RegistryError
from ecslint.distribution.transport import TransportError, request

_HOST = re.compile(r"(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?")
INSTALL_HINT = ("read through the registry API, as boto3 is not installed (pip install "
                "'ecslint[aws]' to read ECR with the AWS credentials)")


def account_region(host: str) -> tuple[str, str] | None:
    """The account and region of a private ECR registry's host name."""
    match = _HOST.fullmatch(host)
    return (match[1], match[2]) if match else None


def available() -> bool:
    return importlib.util.find_spec("boto3") is not None


class Ecr:
    list_source = image_source = "ECR BatchGetImage"

    def __init__(self, host: str, account: str, region: str, clock: Clock) -> None:
        import boto3
        from botocore.config import Config

        self.host, self.account, self.clock = host, account, clock
        config = Config(connect_timeout=clock.timeout, read_timeout=clock.timeout,
                        retries={"max_attempts": 1}, user_agent_extra="ecslint")
        # A session per registry: boto3's default session is not safe across threads.
        self.client = boto3.session.Session().client("ecr", region_name=region, config=config)

    def manifest(self, reference: Reference) -> tuple[bytes, str, str | None]:
        image = {"imageDigest": reference.digest} if reference.digest \
            else {"imageTag": reference.selector}
        found = self._call("BatchGetImage", self.client.batch_get_image, registryId=self.account,
                           repositoryName=reference.repository, imageIds=[image],
                           acceptedMediaTypes=list(LISTS + IMAGES))
        for failure in found.get("failures") or ():
            code, why = failure.get("failureCode", "failure"), failure.get("failureReason", "")
            raise RegistryError(f"ECR {self.host}: {reference.repository}:{reference.selector}: "
                                f"{code} {str(why)[:200]}".rstrip())
        images = found.get("images") or []
        if not images or not isinstance(images[0].get("imageManifest"), str):
            raise RegistryError(f"ECR {self.host}: {reference.repository}:{reference.selector}: "
                                "BatchGetImage returned no manifest")
        image_id = images[0].get("imageId") or {}
        body = images[0]["imageManifest"].encode()
        if len(body) > MAX_DOCUMENT:
            raise RegistryError(f"ECR {self.host}: manifest larger than 4 MiB")
        return body, images[0].get("imageManifestMediaType", ""), image_id.get("imageDigest")

    def blob(self, reference: Reference, digest: str) -> bytes:
        found = self._call("GetDownloadUrlForLayer", self.client.get_download_url_for_layer,
                           registryId=self.account, repositoryName=reference.repository,
                           layerDigest=digest)
        url = found.get("downloadUrl")
        if not isinstance(url, str):
            raise RegistryError(f"ECR {self.host}: GetDownloadUrlForLayer gave no URL")
        try:
            response = request(url, {"User-Agent": "ecslint"}, self.clock.deadline(),
                               MAX_DOCUMENT)
        except TransportError as error:
            raise RegistryError(f"ECR {self.host}: config blob from {error.host}: "
                                f"{error.problem}") from None
        if response.status != 200:
            raise RegistryError(f"ECR {self.host}: config blob download answered HTTP "
                                f"{response.status}")
        return response.body

    def _call(self, operation: str, method: Any, **kwargs: Any) -> dict[str, Any]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer: dict[str, Any] = method(**kwargs)
        except ClientError as error:
            details = error.response.get("Error", {})
            raise RegistryError(f"ECR {self.host}: {operation} failed: "
                                f"{details.get('Code', 'error')} "
                                f"{str(details.get('Message', ''))[:200]}".rstrip()) from None
        except BotoCoreError as error:
            raise RegistryError(f"ECR {self.host}: {operation} failed: "
                                f"{str(error)[:200]}") from None
        return answer
