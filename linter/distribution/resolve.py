"""Resolving image references: the entry point the rules' engine calls.

Each distinct reference is read once. The cache answers first, in the calling thread, so
a warm cache opens no socket and starts no thread. What is left is grouped by registry:
registries are spoken to in parallel (``settings.workers``), one registry's references
one after another so its token is reused. Every request has the per-request timeout and
the whole run ends at ``settings.budget``: what is not resolved then is ``Unresolved``
with that reason, and the call returns without waiting for stragglers. No failure raises
out of ``resolve``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Protocol

from ecslint.distribution import ecr
from ecslint.distribution.cache import Cache
from ecslint.distribution.manifests import BadContent, read_config, read_manifest, verify
from ecslint.distribution.reference import InvalidReference, Reference, parse
from ecslint.distribution.registry_client import Clock, Registry, RegistryError
from ecslint.distribution.resolution import (
    Platform,
    Resolution,
    Resolved,
    ResolveSettings,
    Unresolved,
)

# Beyond the budget, how long the caller waits for a registry's thread to notice it.
_GRACE = 1.0
# What a registry said of a reference: ``Resolved``'s fields after the reference.
Answer = tuple[tuple[Platform, ...], bool, str, str]


class Fetcher(Protocol):
    list_source: str
    image_source: str

    def manifest(self, reference: Reference) -> tuple[bytes, str, str | None]: ...

    def blob(self, reference: Reference, digest: str) -> bytes: ...


def resolve(references: Iterable[str], settings: ResolveSettings) -> dict[str, Resolution]:
    """One ``Resolution`` per distinct reference, keyed by the reference as given."""
    clock = Clock(settings.timeout, settings.budget, time.monotonic() + settings.budget)
    cache = Cache(settings.cache_dir)
    results: dict[str, Resolution] = {}
    pending: dict[str, dict[Reference, list[str]]] = {}
    seen: set[str] = set()
    for text in references:
        if text in seen:
            continue
        seen.add(text)
        try:
            reference = parse(text)
        except InvalidReference as error:
            results[text] = Unresolved(text, f"not a valid image reference: {error}")
            continue
        cached = _from_cache(reference, text, cache, settings.tag_ttl)
        if cached is not None:
            results[text] = cached
        elif settings.offline:
            results[text] = Unresolved(text, "not in the cache (offline)")
        else:
            pending.setdefault(reference.host, {}).setdefault(reference, []).append(text)
    if pending:
        results.update(_fetch_all(pending, settings, clock, cache))
    return results


def _from_cache(reference: Reference, text: str, cache: Cache, ttl: float) -> Resolved | None:
    digest = reference.digest or cache.tag(reference.name, reference.selector, ttl)
    found = cache.content(digest) if digest else None
    if found is None:
        return None
    platforms, multi, source = found
    return Resolved(text, platforms, multi, digest, source, cached=True)


def _fetch_all(pending: dict[str, dict[Reference, list[str]]], settings: ResolveSettings,
               clock: Clock, cache: Cache) -> dict[str, Resolution]:
    results: dict[str, Resolution] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, settings.workers),
                              thread_name_prefix="ecslint-registry")
    futures = [pool.submit(_fetch_registry, host, group, settings, clock, cache, results)
               for host, group in pending.items()]
    wait(futures, timeout=max(0.0, clock.end - time.monotonic()) + _GRACE)
    pool.shutdown(wait=False, cancel_futures=True)
    done = dict(results)  # threads still running may add to ``results`` from now on
    for host, group in pending.items():
        for names in group.values():
            for text in names:
                done.setdefault(text, Unresolved(
                    text, f"registry {host}: the budget of {settings.budget:g} s ran out"))
    return done


def _fetch_registry(host: str, group: dict[Reference, list[str]], settings: ResolveSettings,
                    clock: Clock, cache: Cache, results: dict[str, Resolution]) -> None:
    """Resolve one registry's references in turn, each result stored as it is known."""
    try:
        fetcher, hint = _fetcher(host, next(iter(group)), settings, clock)
    except Exception as error:  # a fetcher that cannot be built fails its references only
        fetcher, hint = None, f"registry {host}: cannot be read ({type(error).__name__})"
    for reference, names in group.items():
        if fetcher is None:
            resolution: Answer | str = hint
        elif time.monotonic() >= clock.end:
            resolution = f"registry {host}: the budget of {settings.budget:g} s ran out"
        else:
            try:
                resolution = _fetch(reference, fetcher, cache)
            except RegistryError as error:
                resolution = f"{error}; {hint}" if hint else str(error)
            except BadContent as error:
                resolution = f"registry {host}: {error}"
            except Exception as error:  # never let one image stop the run
                resolution = f"registry {host}: unexpected failure ({type(error).__name__})"
        for text in names:
            if isinstance(resolution, str):
                results[text] = Unresolved(text, resolution)
            else:
                results[text] = Resolved(text, *resolution)


def _fetcher(host: str, reference: Reference, settings: ResolveSettings,
             clock: Clock) -> tuple[Fetcher, str]:
    """How to read ``host``, and what to add to its failures (how to do better)."""
    ecr_registry = ecr.account_region(host)
    if ecr_registry is not None and ecr.available():
        return ecr.Ecr(host, *ecr_registry, clock), ""
    registry = Registry(host, reference.registry, reference.plain_http, settings.docker_config,
                        clock)
    return registry, ecr.INSTALL_HINT if ecr_registry is not None else ""


def _fetch(reference: Reference, fetcher: Fetcher, cache: Cache) -> Answer:
    """Ask the registry for the manifest (and an image's config), verify, cache."""
    body, content_type, claimed = fetcher.manifest(reference)
    digest = verify(body, reference.digest, "manifest")
    if claimed and claimed.startswith("sha256:") and claimed != digest \
            and reference.digest is None:
        raise BadContent(f"manifest digest mismatch: the registry says {claimed}, the body "
                         f"is {digest}")
    known = cache.content(digest)
    if known is not None:  # the tag's time ran out, its content is known
        platforms, multi, source = known
    else:
        manifest = read_manifest(body, content_type, digest)
        multi = manifest.is_list
        if manifest.is_list:
            platforms, source = manifest.platforms, fetcher.list_source
        else:
            assert manifest.config_digest is not None
            config = fetcher.blob(reference, manifest.config_digest)
            platforms = (read_config(config, manifest.config_digest, digest),)
            source = fetcher.image_source
        cache.store_content(digest, platforms, multi, source)
    if reference.digest is None and reference.tag is not None:
        cache.store_tag(reference.name, reference.tag, digest)
    return platforms, multi, digest, source
