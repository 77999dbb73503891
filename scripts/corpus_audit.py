"""Count ecslint's findings on the shared corpus, per rule and severity, by kind of file.

The corpus's PROVENANCE.md marks each file Windows or not; files from cfn-lint's
``good/`` fixtures and AWS's own samples are expected to be correct. The audit
prints a table per group (Windows, known good, the rest) and, with ``--list``,
every finding at warning or above in the first two groups, which a person then
judges one by one.

    python scripts/corpus_audit.py [--ecslint PATH] [--corpus DIR] [--list] [--json OUT]
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# cfn-lint's good/ fixtures, and the samples AWS publishes.
KNOWN_GOOD = ("aws-cloudformation__cfn-lint/test__fixtures__templates__good__", "aws-samples__",
              "aws-containers__", "aws-cloudformation__aws-cloudformation-templates/")


def provenance(corpus: Path) -> dict[str, bool]:
    """saved path -> whether PROVENANCE.md marks the file as Windows."""
    windows = {}
    for line in (corpus / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 7 and cells[1].startswith("`"):
            windows[cells[1].strip("`")] = cells[7] == "yes"
    return windows


def group(relpath: str, windows: dict[str, bool]) -> str:
    if windows.get(relpath):
        return "windows"
    if relpath.startswith(KNOWN_GOOD):
        return "known-good"
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecslint", default=str(Path(sys.executable).with_name("ecslint")))
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--list", action="store_true", help="list warnings and errors")
    parser.add_argument("--json", type=Path, help="also write the counts as JSON")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    run = subprocess.run(
        [args.ecslint, "check", "--isolated", "--format", "json", "--fail-on", "never",
         str(corpus)],
        capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        sys.stderr.write(run.stderr)
    report = json.loads(run.stdout)
    windows = provenance(corpus)
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    listed = []
    for finding in report["findings"]:
        relpath = str(Path(finding["location"]["file"]).resolve().relative_to(corpus))
        kind = group(relpath, windows)
        rule, severity = finding["rule"]["id"], finding["rule"]["severity"]
        counts[kind][f"{rule} {severity}"] += 1
        if args.list and kind != "other" and severity in ("error", "warning"):
            listed.append(f"{kind:10} {rule} {severity:7} {relpath}:"
                          f"{finding['location']['line']}: {finding['message']}")
    for kind in ("windows", "known-good", "other"):
        total = sum(counts[kind].values())
        print(f"## {kind}: {total} findings")
        for key, number in sorted(counts[kind].items()):
            print(f"  {key:24} {number}")
    print(f"errors (files not linted): {len(report['errors'])}")
    print("tasks by os:", dict(collections.Counter(t["os"] for t in report["tasks"])))
    print("\n".join(listed))
    if args.json:
        args.json.write_text(json.dumps({k: dict(v) for k, v in counts.items()}, indent=1,
                                        sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
