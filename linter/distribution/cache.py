"""What registries said, kept on disk so a second run asks nothing.

Two kinds of entry under ``<cache_dir>/registry-v1/``: ``content/<algorithm>/<hex>.json``,
the platforms a manifest digest names (content-addressed, so true for ever), and
``tags/<sha256 of registry/repository:tag>.json``, the digest a tag pointed to and when
(trusted for ``tag_ttl`` seconds). Entries hold platforms, digests and times only, never
a credential or a URL (tags are file names by their hash). Each is written whole or not
at all (``ecslint.atomic``); an entry that does not read back as written (cut short,
edited, another version's) is ignored and will be replaced.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from ecslint.atomic import replacing
from ecslint.distribution.resolution import Platform

_MAX_ENTRY = 1024 * 1024


class Cache:
    def __init__(self, directory: str | None) -> None:
        self.root = Path(directory) / "registry-v1" if directory else None

    def content(self, digest: str) -> tuple[tuple[Platform, ...], bool, str] | None:
        """The platforms, whether it is a list, and the source, for a manifest digest."""
        data = self._read(self._content_path(digest))
        try:
            platforms = tuple(Platform(os=p["os"], architecture=p["architecture"],
                                       os_version=p["os_version"], digest=p["digest"])
                              for p in data["platforms"])
            multi, source = data["multi_platform"], data["source"]
            if not all(isinstance(p.os, str) and isinstance(p.architecture, str)
                       and isinstance(p.os_version, (str, type(None)))
                       and isinstance(p.digest, (str, type(None))) for p in platforms) \
                    or not isinstance(multi, bool) or not isinstance(source, str):
                return None
        except (KeyError, TypeError):
            return None
        return platforms, multi, source

    def tag(self, name: str, tag: str, ttl: float) -> str | None:
        """The digest ``name:tag`` pointed to less than ``ttl`` seconds ago."""
        data = self._read(self._tag_path(name, tag))
        try:
            fresh = 0 <= time.time() - float(data["at"]) < ttl
            if data["name"] != f"{name}:{tag}" or not fresh or not isinstance(data["digest"], str):
                return None
        except (KeyError, TypeError, ValueError):
            return None
        return str(data["digest"])

    def store_content(self, digest: str, platforms: tuple[Platform, ...], multi: bool,
                      source: str) -> None:
        entries = [{"os": p.os, "architecture": p.architecture, "os_version": p.os_version,
                    "digest": p.digest} for p in platforms]
        self._write(self._content_path(digest),
                    {"platforms": entries, "multi_platform": multi, "source": source})

    def store_tag(self, name: str, tag: str, digest: str) -> None:
        self._write(self._tag_path(name, tag),
                    {"name": f"{name}:{tag}", "digest": digest, "at": time.time()})

    def _content_path(self, digest: str) -> Path | None:
        algorithm, _, hexits = digest.partition(":")
        if self.root is None or not hexits.isalnum() or not algorithm.isalnum():
            return None
        return self.root / "content" / algorithm / f"{hexits}.json"

    def _tag_path(self, name: str, tag: str) -> Path | None:
        if self.root is None:
            return None
        key = hashlib.sha256(f"{name}:{tag}".encode()).hexdigest()
        return self.root / "tags" / f"{key}.json"

    @staticmethod
    def _read(path: Path | None) -> Any:
        if path is None:
            return {}
        try:
            with path.open("rb") as stream:
                data = json.loads(stream.read(_MAX_ENTRY))
        except (OSError, ValueError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _write(path: Path | None, data: dict[str, Any]) -> None:
        """Best effort: a cache that cannot be written only costs the next run time."""
        if path is None:
            return
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with replacing(path) as stream:
                stream.write(json.dumps(data, sort_keys=True).encode())
        except OSError:
            pass
