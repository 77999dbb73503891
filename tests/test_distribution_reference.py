"""Image references are read as Docker normalises them, and refused without a request
when they are not references or hold a template placeholder."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from ecslint.distribution.reference import InvalidReference, Reference, parse
from ecslint.distribution.resolution import ResolveSettings, Unresolved
from ecslint.distribution.resolve import resolve

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(("text", "expected", "host", "plain_http"), [
    ("ubuntu", Reference("docker.io", "library/ubuntu", "latest", None),
     "registry-1.docker.io", False),
    ("docker.io/ubuntu:22.04", Reference("docker.io", "library/ubuntu", "22.04", None),
     "registry-1.docker.io", False),
    ("index.docker.io/grafana/grafana", Reference("docker.io", "grafana/grafana", "latest",
                                                  None), "registry-1.docker.io", False),
    ("mcr.microsoft.com/windows/servercore:ltsc2019",
     Reference("mcr.microsoft.com", "windows/servercore", "ltsc2019", None),
     "mcr.microsoft.com", False),
    (f"mcr.microsoft.com/dotnet/framework/aspnet:4.8@{DIGEST}",
     Reference("mcr.microsoft.com", "dotnet/framework/aspnet", "4.8", DIGEST),
     "mcr.microsoft.com", False),
    (f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing@{DIGEST}",
     Reference("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "billing", None, DIGEST),
     "123456789012.dkr.ecr.eu-west-1.amazonaws.com", False),
    ("public.ecr.aws/lts/ubuntu:edge", Reference("public.ecr.aws", "lts/ubuntu", "edge", None),
     "public.ecr.aws", False),
    ("localhost/app", Reference("localhost", "app", "latest", None), "localhost", True),
    ("localhost:5000/team/app:1.0", Reference("localhost:5000", "team/app", "1.0", None),
     "localhost:5000", True),
    ("127.0.0.1:5000/app:1", Reference("127.0.0.1:5000", "app", "1", None),
     "127.0.0.1:5000", True),
    ("[::1]:5000/app", Reference("[::1]:5000", "app", "latest", None), "[::1]:5000", True),
    ("registry:5000/app", Reference("registry:5000", "app", "latest", None),
     "registry:5000", False),
    ("Registry/app", Reference("Registry", "app", "latest", None), "Registry", False),
])
def test_docker_normalisation(text: str, expected: Reference, host: str,
                              plain_http: bool) -> None:
    reference = parse(text)
    assert reference == expected
    assert (reference.host, reference.plain_http) == (host, plain_http)


@pytest.mark.parametrize(("text", "why"), [
    ("", "it is empty or has surrounding white space"),
    (" ubuntu", "it is empty or has surrounding white space"),
    ("${ImageUri}", "it holds an unresolved template placeholder"),
    ("{{ .Values.image }}:1", "it holds an unresolved template placeholder"),
    ("app:{{ tag }}", "it holds an unresolved template placeholder"),
    ("app:", "its tag '' is not a valid tag"),
    ("app:-bad", "its tag '-bad' is not a valid tag"),
    ("app@sha256:abc", "its digest is not sha256:<64 hex> or sha512:<128 hex>"),
    ("UPPER", "its repository name is not valid (lower case, digits, separators, at most "
              "255 characters)"),
    ("team/App", "its repository name is not valid (lower case, digits, separators, at most "
                 "255 characters)"),
    ("a" * 300, "its repository name is not valid (lower case, digits, separators, at most "
                "255 characters)"),
    ("bad_host.example/app", "its registry 'bad_host.example' is not a host name"),
])
def test_what_is_refused(text: str, why: str) -> None:
    with pytest.raises(InvalidReference) as raised:
        parse(text)
    assert str(raised.value) == why


def test_a_refused_reference_makes_no_request(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    found = resolve(["${Image}", "app:"], ResolveSettings())
    assert found == {
        "${Image}": Unresolved("${Image}", "not a valid image reference: it holds an "
                                           "unresolved template placeholder"),
        "app:": Unresolved("app:", "not a valid image reference: its tag '' is not a valid tag"),
    }
    assert attempts == []
