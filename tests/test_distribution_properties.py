"""What a registry sends and what a task definition names are hostile: the parsers of
``ecslint.distribution`` give a value or their own error (``BadContent``,
``InvalidReference``), never another exception, whatever the bytes."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from ecslint.distribution.manifests import BadContent, digest_of, read_config, read_manifest
from ecslint.distribution.reference import InvalidReference, parse

MEDIA = st.sampled_from([
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/json", "text/html", ""])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["schemaVersion", "mediaType", "manifests", "platform",
                                     "os", "architecture", "os.version", "digest", "config",
                                     "layers", "size", "annotations"]), inner, max_size=5)),
    max_leaves=25)
BODIES = st.one_of(st.binary(max_size=300), JSON.map(lambda value: json.dumps(value).encode()))


@given(BODIES, MEDIA)
def test_a_manifest_is_read_or_bad_content(body: bytes, media: str) -> None:
    try:
        manifest = read_manifest(body, media, "sha256:" + "0" * 64)
    except BadContent:
        return
    assert all(isinstance(p.os, str) and len(p.os) <= 40 for p in manifest.platforms)


@given(BODIES)
def test_a_config_is_read_or_bad_content(body: bytes) -> None:
    try:  # with its right digest, so that the parse is reached
        platform = read_config(body, digest_of(body), "sha256:" + "1" * 64)
    except BadContent:
        return
    assert isinstance(platform.os, str) and isinstance(platform.architecture, str)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120)
       | st.from_regex(r"[a-z0-9.:/@_-]{1,80}", fullmatch=True))
def test_a_reference_is_parsed_or_invalid(text: str) -> None:
    try:
        parse(text)
    except InvalidReference:
        pass
