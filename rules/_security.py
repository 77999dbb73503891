"""Shared by the SEC5xx rules: the containers a rule may look into, how the
``user`` field names an account, and what looks like an AWS credential.

The credential patterns follow the IAM identifier formats (windows-ecs-facts.md
§8 names the AWS Config rule ``ecs-no-environment-secrets``): an access key id
is a four-letter prefix (``AKIA`` long-term, ``ASIA`` temporary) and 16
upper-case letters or digits; a secret access key is 40 characters of base64
(letters, digits, ``/`` and ``+``). Documentation placeholders
(``AKIAIOSFODNN7EXAMPLE``, ``AKIAXXXXXXXXXXXXXXXX``) are not credentials.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ecslint.facts import table
from ecslint.rule import TaskView, is_unresolved

_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
# Words in a variable name that say its value is a secret key (the 40-character
# test alone would also match hashes and other identifiers).
_SECRET_NAME = re.compile(r"SECRET|KEY|CREDENTIAL|TOKEN|PASSWORD", re.IGNORECASE)






def no_user(value: Any) -> bool:
    """True when ``user`` is absent or empty: the image's default user applies."""
    return value is None or (isinstance(value, str) and not value.strip())


def linux_task(task: TaskView) -> bool:
    """A Linux task. A task whose OS is unknown (only hints of Windows, or no image
    known before deployment) is none: Linux rules do not guess."""
    return task.platform.is_linux


def user_account(value: Any) -> str | None:
    """The account part of ``user`` (``user``, ``uid``, ``user:group``, ``uid:gid``)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    if isinstance(value, str) and is_unresolved(value):
        return None
    return str(value).split(":", 1)[0].strip()


@cache
def _access_key_id() -> re.Pattern[str]:
    entries = table("security-secrets")["accessKeyIdPrefixes"]
    prefixes = "|".join(re.escape(entry["prefix"]) for entry in entries)
    return re.compile(rf"(?<![A-Z0-9])(?:{prefixes})[A-Z0-9]{{16}}(?![A-Z0-9])")


def secret_names() -> frozenset[str]:
    """Environment variable names that hold AWS credentials by convention."""
    return frozenset(e["name"] for e in table("security-secrets")["names"])


def has_access_key_id(value: str) -> bool:
    """True when ``value`` holds something shaped like a real AWS access key id."""
    return any(not _placeholder(m.group(0)[4:]) for m in _access_key_id().finditer(value))


def has_secret_key(name: str, value: str) -> bool:
    """True when ``value`` holds a 40-character base64 token and ``name`` says it is a key."""
    if not _SECRET_NAME.search(name):
        return False
    for match in _SECRET_KEY.finditer(value):
        token = match.group(0)
        mixed = (any(c.isupper() for c in token) and any(c.islower() for c in token)
                 and any(c.isdigit() for c in token))
        if mixed and not _HEX.match(token) and not _placeholder(token):
            return True
    return False


def _placeholder(token: str) -> bool:
    upper = token.upper()
    return "EXAMPLE" in upper or "XXXX" in upper or len(set(upper)) <= 3
