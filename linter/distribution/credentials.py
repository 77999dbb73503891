"""The credentials Docker itself would use for a registry, from its config.json.

Docker's order: a ``credHelpers`` entry for the registry, else the ``credsStore`` helper,
else the ``auths`` entry (``auth`` as base64 ``user:password``, or ``username`` and
``password``, or an ``identitytoken``). A helper is ``docker-credential-<name> get`` with
the server on standard input and JSON on standard output; it runs with a timeout, and its
absence or failure is a ``CredentialError`` naming the helper, never its output. Docker
Hub's entries are under ``https://index.docker.io/v1/``. Credentials live in memory for
one run only: ``repr`` hides them and nothing here writes them anywhere.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import subprocess
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ecslint.distribution.reference import DOCKER_HUB

HUB_SERVER = "https://index.docker.io/v1/"
_HELPER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_MAX_CONFIG = 1024 * 1024
_NOT_FOUND = "credentials not found"


class CredentialError(Exception):
    """Credentials that should exist could not be had; the text is safe to show."""


@dataclass(frozen=True)
class Credentials:
    """A user name and password, or (``username`` empty) an identity token, which
    Docker trades at the token server for an access token."""

    username: str
    secret: str = field(repr=False)

    @property
    def identity_token(self) -> bool:
        return not self.username or self.username == "<token>"

    def basic(self) -> str:
        pair = f"{self.username}:{self.secret}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")


def _hostname(key: str) -> str:
    """A config key (``https://host:port/v1/``, ``host:port``) as ``host:port``."""
    return urlsplit(key).netloc if "://" in key else key.split("/", 1)[0]


def _read_config(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as stream:
            data = json.loads(stream.read(_MAX_CONFIG + 1)[:_MAX_CONFIG])
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError) as error:
        raise CredentialError(f"Docker config {path} unreadable ({type(error).__name__})"
                              ) from None
    return data if isinstance(data, dict) else {}


def lookup(config_path: str | None, registry: str, timeout: float) -> Credentials | None:
    """The credentials for ``registry`` (``docker.io`` or ``host[:port]``), or ``None``."""
    if config_path is None:
        return None
    config = _read_config(config_path)
    server = HUB_SERVER if registry == DOCKER_HUB else registry
    wanted = {"index.docker.io", "docker.io", "registry-1.docker.io"} \
        if registry == DOCKER_HUB else {registry}
    helpers = config.get("credHelpers")
    helper = None
    if isinstance(helpers, dict):
        helper = next((name for key, name in helpers.items()
                       if _hostname(key) in wanted and isinstance(name, str)), None)
    if helper is None and isinstance(config.get("credsStore"), str):
        helper = config["credsStore"]
    if helper:
        found = run_helper(helper, server, timeout)
        if found is not None:
            return found
    auths = config.get("auths")
    if isinstance(auths, dict):
        for key, entry in auths.items():
            if _hostname(key) in wanted and isinstance(entry, dict):
                return _from_entry(entry, registry)
    return None


def _from_entry(entry: dict[str, Any], registry: str) -> Credentials | None:
    token = entry.get("identitytoken")
    if isinstance(token, str) and token:
        return Credentials("", token)
    encoded = entry.get("auth")
    if isinstance(encoded, str) and encoded:
        try:
            user, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise CredentialError(f"Docker config auths entry for {registry}: 'auth' is not "
                                  "base64 of user:password") from None
        if not sep:
            raise CredentialError(f"Docker config auths entry for {registry}: 'auth' is not "
                                  "user:password")
        return Credentials(user, password)
    name, secret = entry.get("username"), entry.get("password")
    if isinstance(name, str) and isinstance(secret, str) and name:
        return Credentials(name, secret)
    return None


def run_helper(name: str, server: str, timeout: float) -> Credentials | None:
    """``docker-credential-<name> get`` for ``server``; ``None`` when it has none."""
    program = f"docker-credential-{name}"
    if not _HELPER_NAME.fullmatch(name):
        raise CredentialError(f"credential helper name {name[:40]!r} is not valid")
    try:
        done = subprocess.run([program, "get"], input=server.encode(), capture_output=True,
                              timeout=max(timeout, 0.1), check=False)
    except FileNotFoundError:
        raise CredentialError(f"credential helper {program} is not on PATH") from None
    except subprocess.TimeoutExpired:
        raise CredentialError(f"credential helper {program} took more than "
                              f"{timeout:.3g} s") from None
    except OSError as error:
        raise CredentialError(f"credential helper {program} could not run "
                              f"({error.strerror})") from None
    if done.returncode != 0:
        if _NOT_FOUND in done.stdout.decode(errors="replace").lower():
            return None
        raise CredentialError(f"credential helper {program} failed (exit {done.returncode})")
    try:
        data = json.loads(done.stdout[:_MAX_CONFIG])
        user, secret = data["Username"], data["Secret"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise CredentialError(f"credential helper {program} gave no Username and "
                              "Secret") from None
    if not isinstance(user, str) or not isinstance(secret, str) or not secret:
        return None
    return Credentials(user, secret)
