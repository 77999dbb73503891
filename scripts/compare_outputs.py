"""Compare what two ecslint installations print, byte for byte, on the same inputs.

A refactoring must not change what users see. This runs both executables over the
shared corpus, ``examples/`` and the rule fixtures, in every output format, with
``--select ALL --verbose``, serially and with ``--jobs 2``, and prints a unified
diff of every output that differs (exit status 1), or that all are identical.

    python scripts/compare_outputs.py BEFORE/bin/ecslint AFTER/bin/ecslint [--ignore-fingerprints]

``--ignore-fingerprints`` leaves SARIF ``partialFingerprints`` and GitLab Code Quality
``fingerprint`` out of the comparison, for a change that intends new ones.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
FINGERPRINTS = {"partialFingerprints", "fingerprint"}


def inputs() -> list[tuple[str, list[str]]]:
    """(name, paths) of each input set that exists here."""
    sets = [("examples", [str(ROOT / "examples")]),
            ("fixtures", [str(ROOT / "tests" / "rules" / "fixtures")])]
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        sets.append(("corpus", [str(corpus)]))
    return sets


def run(ecslint: str, fmt: str, jobs: int, paths: list[str]) -> tuple[int, str, str]:
    command = [ecslint, "check", "--isolated", "--select", "ALL", "--verbose",
               "--fail-on", "never", "--format", fmt, "--jobs", str(jobs), *paths]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False,
                          env={"PATH": "/usr/bin:/bin", "ECSLINT_TODAY": "2026-12-06"})
    return done.returncode, done.stdout, done.stderr


def without_fingerprints(text: str) -> str:
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in FINGERPRINTS}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(json.loads(text)), indent=2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--ignore-fingerprints", action="store_true")
    args = parser.parse_args()
    differences = 0
    for name, paths in inputs():
        for fmt in FORMATS:
            for jobs in (1, 2):
                old, new = (run(exe, fmt, jobs, paths) for exe in (args.before, args.after))
                if args.ignore_fingerprints and fmt in ("sarif", "gitlab"):
                    old = (old[0], without_fingerprints(old[1]), old[2])
                    new = (new[0], without_fingerprints(new[1]), new[2])
                label = f"{name} --format {fmt} --jobs {jobs}"
                if old == new:
                    print(f"identical: {label}")
                    continue
                differences += 1
                print(f"DIFFERENT: {label} (exit {old[0]} -> {new[0]})")
                for stream, before, after in (("stdout", old[1], new[1]),
                                              ("stderr", old[2], new[2])):
                    sys.stdout.writelines(difflib.unified_diff(
                        before.splitlines(keepends=True), after.splitlines(keepends=True),
                        f"before/{stream}", f"after/{stream}", n=1))
    print(f"{differences} of the outputs differ" if differences else "all outputs identical")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
