"""Time ``ecslint check --resolve-images`` over 100 images of one registry, cold, warm
and ``--offline``, counting the requests the registry served (issue 14's bound: a
warm run takes at most a few seconds and makes no request; a cold one only the
requests the protocol needs, once per image).

Starts the CNCF distribution registry (``docker-registry``, Debian's package) on
127.0.0.1 with 50 single-platform Windows images and 50 manifest lists, and lints
ten task definitions of ten containers each::

    python benchmarks/resolve_images.py            # ecslint from PATH
    python benchmarks/resolve_images.py --ecslint .venv/bin/ecslint
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from distribution_servers import image, push_image, push_list, run_registry  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ecslint", default=shutil.which("ecslint") or "ecslint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        tmp = Path(work)
        with run_registry(tmp, tmp / "storage") as registry:
            references = _populate(registry.host)
            tasks = _tasks(tmp / "tasks", references)
            env = dict(os.environ, XDG_CACHE_HOME=str(tmp / "cache"))
            print("| run | wall s | requests | findings |\n|---|---:|---:|---|")
            for label, extra in (("cold", []), ("warm", []), ("warm", []),
                                 ("--offline", ["--offline"]), ("without --resolve-images", None)):
                command = [args.ecslint, "check", "--isolated", "--format", "json", str(tasks)]
                if extra is not None:
                    command[2:2] = ["--resolve-images", *extra]
                before = len(registry.requests())
                start = time.monotonic()
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                took = time.monotonic() - start
                counts = json.loads(done.stdout)["summary"]["byRule"]
                print(f"| {label} | {took:.2f} | {len(registry.requests()) - before} | {counts} |")
    return 0


def _populate(host: str) -> list[str]:
    single = image("windows", "10.0.17763.6054")
    both = [image("windows", version) for version in ("10.0.17763.6054", "10.0.20348.2582")]
    references = []
    for number in range(50):
        push_image(host, f"team/app{number}", single, "1.0")
        push_list(host, f"team/lib{number}", "2.0", both, oci=False)
        references += [f"{host}/team/app{number}:1.0", f"{host}/team/lib{number}:2.0"]
    return references


def _tasks(folder: Path, references: list[str]) -> Path:
    folder.mkdir()
    for number in range(10):
        (folder / f"task{number}.json").write_text(json.dumps({
            "family": f"task{number}",
            "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
            "containerDefinitions": [
                {"name": f"c{index}", "image": references[number * 10 + index], "cpu": 256,
                 "memory": 512, "essential": index == 0} for index in range(10)]}))
    return folder


if __name__ == "__main__":
    sys.exit(main())
