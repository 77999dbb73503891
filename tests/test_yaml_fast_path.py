"""The YAML fast path (``_FastBuilder``) gives exactly what composing and walking gives.

``parse_yaml`` reads most files in one pass over libyaml's events and leaves
everything else to ``_parse_composed`` (compose nodes, walk them). Whenever the
fast path returns documents, they must equal the composed ones: data (compared by
``repr``, so 1 and 1.0 and True differ), every span in the same order, no notices.
Inputs: generated values dumped in every PyYAML style, CloudFormation templates
with short-form tags, the same with anchors, aliases, merge keys, duplicate keys,
comments, several documents and stray characters spliced in, arbitrary text,
and every file of examples/, tests/ and the shared corpus.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import CORPUS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.load.decoding import decode
from ecslint.load.document import InputError
from ecslint.load.sourcemap import LineIndex
from ecslint.load.yaml_reader import _LIBYAML, _FastBuilder, _parse_composed

pytestmark = pytest.mark.skipif(not _LIBYAML, reason="the fast path needs libyaml")


def check(text: str) -> str:
    """Compare both readers on ``text``; return which path the fast reader took."""
    lines = LineIndex(text)
    fast = _FastBuilder(text, lines).run()
    try:
        slow = _parse_composed(text, lines)
    except InputError:
        assert fast is None, "the fast path read what the composing reader refuses"
        return "refused"
    if fast is None:
        return "fallback"
    assert slow.error is None
    assert [repr(d.data) for d in fast] == [repr(d.data) for d in slow.documents]
    for mine, theirs in zip(fast, slow.documents, strict=True):
        assert list(mine.sourcemap.spans.items()) == list(theirs.sourcemap.spans.items())
        assert mine.notices == theirs.notices == []
    return "fast"


scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | st.sampled_from(["yes", "No", "0x1F", "1_000", "0o17", "1e3", ".inf", "~", "2001-12-14",
                              "<<", "=", "null", "", " a ", "a: b", "- x", "#c", "'q'", "!Ref x"]))
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6) | st.sampled_from(["<<", "1", "true", "~"]), children,
                      max_size=4),
    max_leaves=20,
)


@st.composite
def dumped(draw: st.DrawFn) -> str:
    return yaml.safe_dump(
        draw(values), default_flow_style=draw(st.sampled_from([False, True, None])),
        width=draw(st.sampled_from([20, 80, 1000])), indent=draw(st.sampled_from([2, 4])),
        allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans()),
        explicit_start=draw(st.booleans()),
    )


TEMPLATE_LINES = [
    "Resources:", "  Task:", "    Type: AWS::ECS::TaskDefinition", "    Properties:",
    "      Family: !Sub ${AWS::StackName}-web", "      Cpu: !Ref Cpu",
    "      Memory: !If [Big, 4096, 2048]", "      ExecutionRoleArn: !GetAtt Role.Arn",
    "      ContainerDefinitions:", "        - Name: web", "          Image: !Join",
    "            - ''", "            - [!Ref Repo, ':', !Ref Tag]",
    "          Environment: &env", "            - {Name: A, Value: '1'}",
    "        - Name: side", "          Environment: *env", "          <<: {Cpu: 1}",
    "          Cpu: 2", "          Cpu: 3", "          !Ref Key: value", "          ? [a]",
    "          : b", "          Command: !!str 1", "          Tags: !Custom x",
    "          Labels: !!map {a: 1}", "---", "...", "# a comment", "      Extra: |", "        text",
    "      Folded: >-", "        more", "\t", "  Bad: [", "Depth: [[[[[[[[]]]]]]]]", "",
]


@st.composite
def templates(draw: st.DrawFn) -> str:
    chosen = draw(st.lists(st.sampled_from(TEMPLATE_LINES), min_size=1, max_size=30))
    return "\n".join(chosen) + draw(st.sampled_from(["", "\n", "\n\n  "]))


@settings(deadline=None, max_examples=300)
@given(dumped())
def test_dumped_values(text: str) -> None:
    check(text)


@settings(deadline=None, max_examples=500)
@given(templates())
def test_template_fragments(text: str) -> None:
    check(text)


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet="ab:-[]{},&*!<>|#'\"? \n\t~", max_size=60))
def test_arbitrary_text(text: str) -> None:
    check(text)


def test_files_take_the_fast_path_and_agree() -> None:
    files = [p for p in (*ROOT.glob("examples/*"), *ROOT.glob("tests/**/*"))
             if p.suffix in (".yaml", ".yml", ".json", ".template")]
    if CORPUS.is_dir():
        files += [p for p in CORPUS.rglob("*") if p.is_file() and "_licenses" not in p.parts]
    taken: dict[str, int] = {}
    for path in files:
        try:
            text = decode(path.read_bytes())
        except InputError:
            continue
        way = check(text)
        taken[way] = taken.get(way, 0) + 1
    assert taken.get("fast", 0) > 5 * taken.get("fallback", 0)


def test_the_fast_path_leaves_what_it_does_not_handle() -> None:
    lines = LineIndex
    for text in ("a: &x 1\nb: *x\n", "a: 1\na: 2\n", "<<: {a: 1}\n", "a: !Custom 1\n",
                 "{[a]: 1}\n", "a: [\n", "a: 1\n--- b\n: c\n"):
        assert _FastBuilder(text, lines(text)).run() is None, text
    text = "a: !Ref b\nc: [1, 2.5, yes, ~]\n"
    documents: list[Any] = _FastBuilder(text, lines(text)).run() or []
    assert documents[0].data == {"a": {"Ref": "b"}, "c": [1, 2.5, True, None]}
