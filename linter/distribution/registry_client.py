"""One registry spoken to with the OCI distribution API, its authentication kept.

A request is sent as is; a 401 names how to authenticate (``WWW-Authenticate``):
``Bearer`` sends ecslint to the token server (anonymously, or with the Docker
credentials: Basic for a password, the OAuth refresh grant for an identity token) for a
token scoped to the repository, which later requests to that repository reuse, and once
the token server is known a new repository's token is fetched before its first request
instead of after a 401. ``Basic`` sends the credentials with every request. Credentials
are looked up once per registry, when it first asks for them. Every failure is a
``RegistryError`` whose text names the registry and the problem.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from ecslint.distribution import credentials
from ecslint.distribution.manifests import ACCEPT, MAX_DOCUMENT, load_json
from ecslint.distribution.reference import Reference
from ecslint.distribution.transport import Deadline, Response, TransportError, request

MAX_TOKEN = 1024 * 1024
_PARAMETER = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')
_UNSET = object()


class RegistryError(Exception):
    """A registry that did not give what was asked, in words safe to show."""


@dataclass(frozen=True)
class Clock:
    """The bounds of one run: seconds per request, and the end of the whole budget."""

    timeout: float
    budget: float
    end: float

    def deadline(self) -> Deadline:
        now = time.monotonic()
        if now + self.timeout <= self.end:
            return Deadline(now + self.timeout, f"timed out after {self.timeout:g} s")
        return Deadline(self.end, f"the budget of {self.budget:g} s ran out")


def challenge(header: str) -> tuple[str, dict[str, str]]:
    """``WWW-Authenticate`` as its scheme (lower case) and parameters."""
    scheme, _, rest = header.strip().partition(" ")
    params = {key.lower(): quoted if quoted or not bare else bare
              for key, quoted, bare in _PARAMETER.findall(rest)}
    return scheme.lower(), params


class Registry:
    def __init__(self, host: str, registry: str, plain_http: bool, docker_config: str | None,
                 clock: Clock) -> None:
        self.host = host
        self.registry = registry  # as written: the key of its Docker credentials
        self.base = f"{'http' if plain_http else 'https'}://{host}"
        self.docker_config = docker_config
        self.clock = clock
        self.realm: dict[str, str] | None = None
        self.tokens: dict[str, str] = {}
        self.basic = False
        self._credentials: object = _UNSET

    list_source = "registry manifest list"
    image_source = "registry image config"

    def manifest(self, reference: Reference) -> tuple[bytes, str, str | None]:
        """The manifest's body, Content-Type and Docker-Content-Digest."""
        path = f"/v2/{reference.repository}/manifests/{reference.selector}"
        response = self._get(path, reference.repository, ACCEPT,
                             f"{reference.repository}:{reference.selector}")
        return (response.body, response.header("Content-Type"),
                response.header("Docker-Content-Digest") or None)

    def blob(self, reference: Reference, digest: str) -> bytes:
        path = f"/v2/{reference.repository}/blobs/{digest}"
        return self._get(path, reference.repository, "*/*", f"blob {digest[:19]}...").body

    def _get(self, path: str, repository: str, accept: str, what: str) -> Response:
        headers = {"Accept": accept, "User-Agent": "ecslint"}
        authorization = self._authorization(repository)
        response = self._send(self.base + path, headers, authorization)
        if response.status == 401 and self._authenticate(response, repository):
            response = self._send(self.base + path, headers, self._authorization(repository))
        if response.status == 200:
            return response
        if response.status == 401:
            raise RegistryError(f"registry {self.host}: 401 Unauthorized for {what} "
                                f"({self._why_refused()})")
        if response.status == 403:
            raise RegistryError(f"registry {self.host}: 403 Forbidden for {what}")
        if response.status == 404:
            raise RegistryError(f"registry {self.host}: {what} not found (404)")
        if response.status == 429:
            raise RegistryError(f"registry {self.host}: too many requests (429) for {what}")
        raise RegistryError(f"registry {self.host}: HTTP {response.status} for {what}")

    def _send(self, url: str, headers: dict[str, str], authorization: str | None) -> Response:
        if authorization:
            headers = {**headers, "Authorization": authorization}
        try:
            return request(url, headers, self.clock.deadline(), MAX_DOCUMENT)
        except TransportError as error:
            where = "" if error.host == self.host else f"{error.host}: "  # storage
            raise RegistryError(f"registry {self.host}: {where}{error.problem}") from None

    def _authorization(self, repository: str) -> str | None:
        if self.basic:
            found = self.credentials()
            return found.basic() if found else None
        if repository not in self.tokens and self.realm is not None:
            self.tokens[repository] = self._token(repository)
        return self.tokens.get(repository)

    def _authenticate(self, response: Response, repository: str) -> bool:
        """Take in a 401's challenge; whether a retry can do better."""
        scheme, params = challenge(response.header("WWW-Authenticate"))
        if scheme == "basic" and not self.basic:
            self.basic = True
            return self.credentials() is not None
        if scheme == "bearer" and "realm" in params:
            self.realm = {k: v for k, v in params.items() if k in ("realm", "service")}
            self.tokens[repository] = self._token(repository, params.get("scope"))
            return True
        return False

    def credentials(self) -> credentials.Credentials | None:
        if self._credentials is _UNSET:
            try:
                self._credentials = credentials.lookup(
                    self.docker_config, self.registry, self.clock.deadline().remaining())
            except credentials.CredentialError as error:
                raise RegistryError(f"registry {self.host}: {error}") from None
        found = self._credentials
        return found if isinstance(found, credentials.Credentials) else None

    def _why_refused(self) -> str:
        if self.credentials() is None:
            return "no credentials for it in the Docker configuration"
        return "the credentials from the Docker configuration were refused"

    def _token(self, repository: str, scope: str | None = None) -> str:
        """A bearer token for pulling ``repository``: ``Bearer <token>``."""
        assert self.realm is not None
        query = {"scope": scope or f"repository:{repository}:pull"}
        if self.realm.get("service"):
            query["service"] = self.realm["service"]
        found = self.credentials()
        realm = self.realm["realm"]
        try:
            if found is not None and found.identity_token:
                form = {**query, "grant_type": "refresh_token", "client_id": "ecslint",
                        "refresh_token": found.secret}
                response = request(realm, {"Content-Type": "application/x-www-form-urlencoded",
                                           "User-Agent": "ecslint"},
                                   self.clock.deadline(), MAX_TOKEN, "POST",
                                   urlencode(form).encode())
            else:
                headers = {"User-Agent": "ecslint"}
                if found is not None:
                    headers["Authorization"] = found.basic()
                separator = "&" if "?" in realm else "?"
                response = request(f"{realm}{separator}{urlencode(query)}", headers,
                                   self.clock.deadline(), MAX_TOKEN)
        except TransportError as error:
            raise RegistryError(f"registry {self.host}: token server {error.host}: "
                                f"{error.problem}") from None
        if response.status != 200:
            refused = "refused the credentials" if found else "refused an anonymous token"
            raise RegistryError(f"registry {self.host}: token server {refused} "
                                f"(HTTP {response.status})")
        try:
            data = load_json(response.body, "token response")
        except ValueError as error:
            raise RegistryError(f"registry {self.host}: {error}") from None
        token = data.get("token") or data.get("access_token")
        if not isinstance(token, str) or not token:
            raise RegistryError(f"registry {self.host}: token response has no token")
        return f"Bearer {token}"
