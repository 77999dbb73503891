"""The exact bytes ``--fix`` writes: every encoding and line-ending style ecslint
reads, the separators of JSON and YAML members, suppression comments, and the
command line end to end (atomic writes, symbolic links, ``--diff``, standard input,
the summary, exit statuses).

Each case selects only the rules it is about, so fixes other rules gain later do not
change these bytes.
"""

from __future__ import annotations

import codecs
import os
import stat
import subprocess
from pathlib import Path

import pytest
from helpers import ECSLINT, as_unprivileged, options

from ecslint.fix.apply import fix_bytes

WIN110 = options(["WIN110"])
SUPPRESSIONS = options(["WIN110", "E004", "E005"])

# A Windows task whose container sets both memory and memoryReservation (WIN110).
JSON_IN = """{
  "family": "web",
  "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
  "containerDefinitions": [
    {
      "name": "web",
      "image": "mcr.microsoft.com/windows/servercore/iis",
      "memory": 2048,
      "memoryReservation": 1024,
      "essential": true
    }
  ]
}
"""
JSON_OUT = JSON_IN.replace('      "memoryReservation": 1024,\n', "")
YAML_IN = """family: web
runtimePlatform:
  operatingSystemFamily: WINDOWS_SERVER_2019_CORE
containerDefinitions:
  - name: web
    image: mcr.microsoft.com/windows/servercore/iis
    memory: 2048
    memoryReservation: 1024
    essential: true
"""
YAML_OUT = YAML_IN.replace("    memoryReservation: 1024\n", "")


def fixed(raw: bytes, name: str, lint_options: object = WIN110) -> bytes:
    outcome = fix_bytes(raw, name, lint_options, unsafe=True)  # type: ignore[arg-type]
    assert not outcome.notices, outcome.notices
    return outcome.data


CASES = {
    # Line endings: the CRLF or lone CR of the removed line goes with it, every other
    # byte stays.
    "yaml-crlf": (
        "task.yaml",
        b"family: web\r\nruntimePlatform:\r\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\r\n"
        b"containerDefinitions:\r\n  - name: web\r\n"
        b"    image: mcr.microsoft.com/windows/servercore/iis\r\n    memory: 2048\r\n"
        b"    memoryReservation: 1024\r\n    essential: true\r\n",
        b"family: web\r\nruntimePlatform:\r\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\r\n"
        b"containerDefinitions:\r\n  - name: web\r\n"
        b"    image: mcr.microsoft.com/windows/servercore/iis\r\n    memory: 2048\r\n"
        b"    essential: true\r\n"),
    "json-crlf": ("task.json", JSON_IN.replace("\n", "\r\n").encode(),
                  JSON_OUT.replace("\n", "\r\n").encode()),
    "json-lone-cr": (
        "task.json",
        b'{\r  "family": "web",\r  "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"},\r  "containerDefinitions": [\r    {\r'
        b'      "name": "web",\r      "image": "mcr.microsoft.com/windows/servercore/iis",\r'
        b'      "memory": 2048,\r      "memoryReservation": 1024,\r      "essential": true\r'
        b"    }\r  ]\r}\r",
        b'{\r  "family": "web",\r  "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"},\r  "containerDefinitions": [\r    {\r'
        b'      "name": "web",\r      "image": "mcr.microsoft.com/windows/servercore/iis",\r'
        b'      "memory": 2048,\r      "essential": true\r'
        b"    }\r  ]\r}\r"),
    "yaml-lone-cr": ("task.yaml", YAML_IN.replace("\n", "\r").encode(),
                     YAML_OUT.replace("\n", "\r").encode()),
    # Encodings: the BOM and the code units are the file's.
    "yaml-utf8-bom": ("task.yaml", b"\xef\xbb\xbf" + YAML_IN.encode(),
                      b"\xef\xbb\xbf" + YAML_OUT.encode()),
    "json-utf8-bom-crlf": ("task.json", b"\xef\xbb\xbf" + JSON_IN.replace("\n", "\r\n").encode(),
                           b"\xef\xbb\xbf" + JSON_OUT.replace("\n", "\r\n").encode()),
    "json-utf16-le": ("task.json", b"\xff\xfe" + JSON_IN.encode("utf-16-le"),
                      b"\xff\xfe" + JSON_OUT.encode("utf-16-le")),
    "json-utf16-be": ("task.json", b"\xfe\xff" + JSON_IN.encode("utf-16-be"),
                      b"\xfe\xff" + JSON_OUT.encode("utf-16-be")),
    "yaml-utf16-le-crlf": (
        "task.yaml", b"\xff\xfe" + YAML_IN.replace("\n", "\r\n").encode("utf-16-le"),
        b"\xff\xfe" + YAML_OUT.replace("\n", "\r\n").encode("utf-16-le")),
    "yaml-utf16-be": ("task.yaml", b"\xfe\xff" + YAML_IN.encode("utf-16-be"),
                      b"\xfe\xff" + YAML_OUT.encode("utf-16-be")),
    "json-utf32-le": ("task.json", b"\xff\xfe\x00\x00" + JSON_IN.encode("utf-32-le"),
                      b"\xff\xfe\x00\x00" + JSON_OUT.encode("utf-32-le")),
    "yaml-utf32-be": ("task.yaml", b"\x00\x00\xfe\xff" + YAML_IN.encode("utf-32-be"),
                      b"\x00\x00\xfe\xff" + YAML_OUT.encode("utf-32-be")),
    # Characters outside ASCII before the edit: offsets count characters, not bytes.
    "yaml-utf16-astral": (
        "task.yaml",
        b"\xff\xfe" + ("# caf\u00e9 \U0001f600\n" + YAML_IN).encode("utf-16-le"),
        b"\xff\xfe" + ("# caf\u00e9 \U0001f600\n" + YAML_OUT).encode("utf-16-le")),
    "json-utf8-multibyte": (
        "task.json", JSON_IN.replace('"web"', '"w\u00e9b\u2603"').encode(),
        JSON_OUT.replace('"web"', '"w\u00e9b\u2603"').encode()),
    # No final newline: the last line goes, the line before keeps its newline.
    "yaml-no-final-newline": (
        "task.yaml",
        b"family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
        b"containerDefinitions:\n  - name: web\n"
        b"    image: mcr.microsoft.com/windows/servercore/iis\n    memory: 2048\n"
        b"    memoryReservation: 1024",
        b"family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
        b"containerDefinitions:\n  - name: web\n"
        b"    image: mcr.microsoft.com/windows/servercore/iis\n    memory: 2048\n"),
    "json-no-final-newline": ("task.json", JSON_IN.rstrip("\n").encode(),
                              JSON_OUT.rstrip("\n").encode()),
    "json-tabs": ("task.json", JSON_IN.replace("  ", "\t").encode(),
                  JSON_OUT.replace("  ", "\t").encode()),
    "yaml-tab-before-comment": (
        "task.yaml", YAML_IN.replace("memoryReservation: 1024", "memoryReservation: 1024\t# x")
        .encode(), YAML_OUT.encode()),
    # JSON members: the last (the comma before it goes), the first, one of a one-line object.
    "json-last-member": (
        "task.json",
        b'{\n  "family": "web",\n  "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"},\n  "containerDefinitions": [\n    {\n'
        b'      "name": "web",\n      "image": "mcr.microsoft.com/windows/servercore/iis",\n'
        b'      "memory": 2048,\n      "memoryReservation": 1024\n    }\n  ]\n}\n',
        b'{\n  "family": "web",\n  "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"},\n  "containerDefinitions": [\n    {\n'
        b'      "name": "web",\n      "image": "mcr.microsoft.com/windows/servercore/iis",\n'
        b'      "memory": 2048\n    }\n  ]\n}\n'),
    "json-first-member": (
        "task.json",
        b'{\n  "family": "web",\n  "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"},\n  "containerDefinitions": [\n    {\n'
        b'      "memoryReservation": 1024,\n      "name": "web",\n'
        b'      "image": "mcr.microsoft.com/windows/servercore/iis",\n'
        b'      "memory": 2048\n    }\n  ]\n}\n',
        b'{\n  "family": "web",\n  "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"},\n  "containerDefinitions": [\n    {\n'
        b'      "name": "web",\n'
        b'      "image": "mcr.microsoft.com/windows/servercore/iis",\n'
        b'      "memory": 2048\n    }\n  ]\n}\n'),
    "json-one-line-middle": (
        "task.json",
        b'{"family": "web", "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"}, "containerDefinitions": [{"name": "web", '
        b'"memoryReservation": 1024, "image": "mcr.microsoft.com/windows/servercore/iis", '
        b'"memory": 2048}]}',
        b'{"family": "web", "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"}, "containerDefinitions": [{"name": "web", '
        b'"image": "mcr.microsoft.com/windows/servercore/iis", '
        b'"memory": 2048}]}'),
    "json-one-line-last": (
        "task.json",
        b'{"family":"web","runtimePlatform":{"operatingSystemFamily":'
        b'"WINDOWS_SERVER_2019_CORE"},"containerDefinitions":[{"name":"web",'
        b'"image":"mcr.microsoft.com/windows/servercore/iis","memory":2048,'
        b'"memoryReservation":1024}]}\n',
        b'{"family":"web","runtimePlatform":{"operatingSystemFamily":'
        b'"WINDOWS_SERVER_2019_CORE"},"containerDefinitions":[{"name":"web",'
        b'"image":"mcr.microsoft.com/windows/servercore/iis","memory":2048}]}\n'),
    "json-one-line-first": (
        "task.json",
        b'{"family": "web", "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"}, "containerDefinitions": [{"memoryReservation": 1024, '
        b'"name": "web", "image": "mcr.microsoft.com/windows/servercore/iis", '
        b'"memory": 2048}]}\n',
        b'{"family": "web", "runtimePlatform": {"operatingSystemFamily": '
        b'"WINDOWS_SERVER_2019_CORE"}, "containerDefinitions": [{'
        b'"name": "web", "image": "mcr.microsoft.com/windows/servercore/iis", '
        b'"memory": 2048}]}\n'),
    # YAML: the first key after "- ", a flow mapping, a CloudFormation template.
    "yaml-first-key-after-dash": (
        "task.yaml",
        b"family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
        b"containerDefinitions:\n  - memoryReservation: 1024\n    name: web\n"
        b"    image: mcr.microsoft.com/windows/servercore/iis\n    memory: 2048\n",
        b"family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
        b"containerDefinitions:\n  - name: web\n"
        b"    image: mcr.microsoft.com/windows/servercore/iis\n    memory: 2048\n"),
    # The member's own comment goes with it; a comment on another line stays.
    "yaml-first-key-after-dash-own-comment": (
        "task.yaml",
        b"family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
        b"containerDefinitions:\n  - memoryReservation: 1024  # half\n    name: web\n"
        b"    image: mcr.microsoft.com/windows/servercore/iis\n    memory: 2048\n",
        b"family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
        b"containerDefinitions:\n  - name: web\n"
        b"    image: mcr.microsoft.com/windows/servercore/iis\n    memory: 2048\n"),
    "yaml-flow-mapping-multiline-trailing-comma": (
        "task.yaml",
        b"family: web\nruntimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2019_CORE}\n"
        b"containerDefinitions:\n  - {\n      name: web,\n"
        b"      image: mcr.microsoft.com/windows/servercore/iis,\n      memory: 2048,\n"
        b"      memoryReservation: 1024,\n    }\n",
        b"family: web\nruntimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2019_CORE}\n"
        b"containerDefinitions:\n  - {\n      name: web,\n"
        b"      image: mcr.microsoft.com/windows/servercore/iis,\n      memory: 2048\n"
        b"    }\n"),
    "yaml-flow-mapping": (
        "task.yaml",
        b"family: web\nruntimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2019_CORE}\n"
        b"containerDefinitions:\n  - {name: web, image: mcr.microsoft.com/windows/servercore/iis,"
        b" memoryReservation: 1024, memory: 2048}\n",
        b"family: web\nruntimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2019_CORE}\n"
        b"containerDefinitions:\n  - {name: web, image: mcr.microsoft.com/windows/servercore/iis,"
        b" memory: 2048}\n"),
    "yaml-flow-mapping-last": (
        "task.yaml",
        b"family: web\nruntimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2019_CORE}\n"
        b"containerDefinitions:\n  - {name: web, image: mcr.microsoft.com/windows/servercore/iis,"
        b" memory: 2048, memoryReservation: 1024}\n",
        b"family: web\nruntimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2019_CORE}\n"
        b"containerDefinitions:\n  - {name: web, image: mcr.microsoft.com/windows/servercore/iis,"
        b" memory: 2048}\n"),
    "cloudformation-crlf": (
        "template.yaml",
        b"Resources:\r\n  Task:\r\n    Type: AWS::ECS::TaskDefinition\r\n    Properties:\r\n"
        b"      RuntimePlatform:\r\n        OperatingSystemFamily: WINDOWS_SERVER_2019_CORE\r\n"
        b"      ContainerDefinitions:\r\n        - Name: web\r\n"
        b"          Image: mcr.microsoft.com/windows/servercore/iis\r\n"
        b"          MemoryReservation: 1024\r\n          Memory: 2048\r\n",
        b"Resources:\r\n  Task:\r\n    Type: AWS::ECS::TaskDefinition\r\n    Properties:\r\n"
        b"      RuntimePlatform:\r\n        OperatingSystemFamily: WINDOWS_SERVER_2019_CORE\r\n"
        b"      ContainerDefinitions:\r\n        - Name: web\r\n"
        b"          Image: mcr.microsoft.com/windows/servercore/iis\r\n"
        b"          Memory: 2048\r\n"),
}

# A Windows container whose memoryReservation line holds a used WIN110 suppression.
SUPPRESSED = (b"family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
              b"containerDefinitions:\n  - name: web\n"
              b"    image: mcr.microsoft.com/windows/servercore/iis\n    memory: 2048\n")
SUPPRESSION_CASES = {
    # E005: an unknown code leaves the list, the rest of the comment stays.
    "last-code": (
        SUPPRESSED + b"    memoryReservation: 1024  # ecslint: ignore[WIN110, WIN999]\n",
        SUPPRESSED + b"    memoryReservation: 1024  # ecslint: ignore[WIN110]\n"),
    "first-code-crlf": (
        SUPPRESSED.replace(b"\n", b"\r\n")
        + b"    memoryReservation: 1024  # ecslint: ignore[WIN999, WIN110] -- a reason\r\n",
        SUPPRESSED.replace(b"\n", b"\r\n")
        + b"    memoryReservation: 1024  # ecslint: ignore[WIN110] -- a reason\r\n"),
    "middle-code": (
        SUPPRESSED + b"    memoryReservation: 1024  # ecslint: ignore[E999,WIN110 ,  ECS403]\n",
        SUPPRESSED + b"    memoryReservation: 1024  # ecslint: ignore[WIN110 ,  ECS403]\n"),
    # A directive with no other code goes, and its line when it stood alone there.
    "directive-line": (
        b"family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx\n"
        b"    # ecslint: ignore[WIN999]\n    memory: 512\n",
        b"family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx\n"
        b"    memory: 512\n"),
    "directive-line-crlf-utf16": (
        b"\xff\xfe" + "family: web\r\ncontainerDefinitions:\r\n  - name: web\r\n"
        "    image: nginx\r\n    # ecslint: ignore[WIN999]\r\n    memory: 512\r\n"
        .encode("utf-16-le"),
        b"\xff\xfe" + "family: web\r\ncontainerDefinitions:\r\n  - name: web\r\n"
        "    image: nginx\r\n    memory: 512\r\n".encode("utf-16-le")),
    "directive-after-value": (
        b"family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx\n"
        b"    memory: 512  # ecslint: ignore[WIN999]\n",
        b"family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx\n"
        b"    memory: 512\n"),
    "directive-last-line-no-newline": (
        b"family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx\n"
        b"    memory: 512\n# ecslint: ignore[WIN999]",
        b"family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx\n"
        b"    memory: 512\n"),
}


# A comment that the member's removal would take with it, though it is not the
# member's: no fix is offered (the file stays as it is).
KEEPS_COMMENT = {
    "yaml-comment-line-after-first-key-after-dash": (
        b"family: web\nruntimePlatform:\n  operatingSystemFamily: WINDOWS_SERVER_2019_CORE\n"
        b"containerDefinitions:\n  - memoryReservation: 1024\n    # the name is DNS\n"
        b"    name: web\n    image: mcr.microsoft.com/windows/servercore/iis\n"
        b"    memory: 2048\n"),
    "yaml-flow-comment-after-the-member-before": (
        b"family: web\nruntimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2019_CORE}\n"
        b"containerDefinitions:\n  - {name: web, image: mcr.microsoft.com/windows/servercore/iis,\n"
        b"     memory: 2048,  # the limit\n     memoryReservation: 1024}\n"),
}


@pytest.mark.parametrize("raw", KEEPS_COMMENT.values(), ids=list(KEEPS_COMMENT))
def test_a_fix_that_would_take_another_comment_is_not_offered(raw: bytes) -> None:
    assert fixed(raw, "task.yaml") == raw


@pytest.mark.parametrize(("name", "raw", "expected"), CASES.values(), ids=list(CASES))
def test_a_fix_writes_exactly_these_bytes(name: str, raw: bytes, expected: bytes) -> None:
    assert raw != expected
    assert fixed(raw, name) == expected
    assert fixed(expected, name) == expected


@pytest.mark.parametrize(("raw", "expected"), SUPPRESSION_CASES.values(),
                         ids=list(SUPPRESSION_CASES))
def test_a_suppression_fix_writes_exactly_these_bytes(raw: bytes, expected: bytes) -> None:
    assert fixed(raw, "task.yaml", SUPPRESSIONS) == expected
    assert fixed(expected, "task.yaml", SUPPRESSIONS) == expected


def test_the_boms_are_those_the_reader_knows() -> None:
    assert CASES["json-utf32-le"][1].startswith(codecs.BOM_UTF32_LE)
    assert CASES["yaml-utf32-be"][1].startswith(codecs.BOM_UTF32_BE)
    assert CASES["json-utf16-be"][1].startswith(codecs.BOM_UTF16_BE)


# ---------------------------------------------------------------------------
# The command line

CLEAN_IN = """family: web
runtimePlatform:
  operatingSystemFamily: WINDOWS_SERVER_2022_CORE
containerDefinitions:
  - name: web
    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    cpu: 1024
    memory: 2048
    memoryReservation: 1024
    essential: true
"""
CLEAN_OUT = CLEAN_IN.replace("    memoryReservation: 1024\n", "")
# A second container of the same name: an error no fix repairs (ECS403).
STAYS_IN = CLEAN_IN + """  - name: web
    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    cpu: 1024
    memory: 1024
"""
STAYS_OUT = CLEAN_OUT + STAYS_IN[len(CLEAN_IN):]
SELECT = ["--select", "WIN110,ECS403"]


def ecslint(args: list[str], cwd: Path, stdin: bytes | None = None
            ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*ECSLINT, "check", "--isolated", *SELECT, *args], cwd=cwd,
                          input=stdin, capture_output=True, timeout=120)


def test_fix_rewrites_the_file_atomically_keeping_its_mode(tmp_path: Path) -> None:
    task = tmp_path / "task.yaml"
    task.write_bytes(CLEAN_IN.replace("\n", "\r\n").encode())
    task.chmod(0o640)
    inode = task.stat().st_ino
    run = ecslint(["--fix", "task.yaml"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert task.read_bytes() == CLEAN_OUT.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(task.stat().st_mode) == 0o640
    assert task.stat().st_ino != inode  # a new file renamed over the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["task.yaml"]  # no temporary left
    assert run.stdout.endswith(b"Fixed 1 of 1 problem; 0 remain.\n")


def test_fix_through_a_symbolic_link_writes_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real" / "task.yaml"
    target.parent.mkdir()
    target.write_text(CLEAN_IN)
    target.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(Path("real") / "task.yaml")
    run = ecslint(["--fix", "link.yaml"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "task.yaml")
    assert target.read_text() == CLEAN_OUT
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["task.yaml"]


def test_the_summary_counts_what_was_fixed_and_what_remains(tmp_path: Path) -> None:
    task = tmp_path / "task.yaml"
    task.write_text(STAYS_IN)
    run = ecslint(["--fix", "task.yaml"], tmp_path)
    assert run.returncode == 1  # ECS403 is an error, and it remains
    assert task.read_text() == STAYS_OUT
    assert b"ECS403" in run.stdout and b"WIN110" not in run.stdout
    assert run.stdout.endswith(b"Fixed 1 of 2 problems; 1 remains.\n")


@pytest.mark.parametrize(("text", "status"), [(CLEAN_IN, 0), (STAYS_IN, 1)],
                         ids=["all-fixed", "error-remains"])
def test_diff_writes_nothing_and_prints_the_diff(tmp_path: Path, text: str, status: int) -> None:
    task = tmp_path / "task.yaml"
    task.write_text(text)
    before = task.stat()
    run = ecslint(["--diff", "task.yaml"], tmp_path)
    assert run.returncode == status, run.stderr
    assert task.read_text() == text and task.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["task.yaml"]
    hunk = "@@ -6,5 +6,4 @@\n" if text == CLEAN_IN else "@@ -6,7 +6,6 @@\n"
    tail = "" if text == CLEAN_IN else (
        "   - name: web\n"
        "     image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n")
    assert run.stdout.decode() == (
        "--- a/task.yaml\n+++ b/task.yaml\n" + hunk +
        "     image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n"
        "     cpu: 1024\n     memory: 2048\n-    memoryReservation: 1024\n     essential: true\n"
        + tail)
    assert b"---" not in run.stderr and b"memoryReservation: 1024" not in run.stderr
    assert b"Would fix 1 of" in run.stderr


def test_fix_of_standard_input_writes_the_fixed_text_to_standard_output(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + STAYS_IN.replace("\n", "\r\n").encode()
    run = ecslint(["--fix", "-", "--stdin-filename", "task.yaml"], tmp_path, stdin=raw)
    assert run.returncode == 1
    assert run.stdout == b"\xef\xbb\xbf" + STAYS_OUT.replace("\n", "\r\n").encode()
    assert b"ECS403" in run.stderr and b"ECS403" not in run.stdout
    assert b"Fixed 1 of 2 problems; 1 remains." in run.stderr
    assert sorted(tmp_path.iterdir()) == []


def test_fix_of_standard_input_with_nothing_to_fix_echoes_it(tmp_path: Path) -> None:
    run = ecslint(["--fix", "-"], tmp_path, stdin=CLEAN_OUT.encode())
    assert run.returncode == 0, run.stderr
    assert run.stdout == CLEAN_OUT.encode()


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path: Path) -> None:
    task = tmp_path / "task.yaml"
    task.write_text(CLEAN_IN)
    run = ecslint(["--unsafe-fixes", "task.yaml"], tmp_path)
    assert run.returncode == 2
    assert b"--unsafe-fixes" in run.stderr
    assert task.read_text() == CLEAN_IN


def test_fixes_that_cannot_be_written_are_not_counted_as_fixed(tmp_path: Path) -> None:
    """The summary said "Fixed 1 of 2 problems; 1 remains" when the file could not be
    replaced (the one problem counted twice, as fixed and as remaining)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    task = folder / "task.yaml"
    task.write_text(CLEAN_IN)
    folder.chmod(0o555)
    try:
        run = subprocess.run(as_unprivileged([*ECSLINT, "check", "--isolated", *SELECT,
                                              "--fix", "locked/task.yaml"]),
                             cwd=tmp_path, capture_output=True, timeout=120)
    finally:
        folder.chmod(0o755)
    assert run.returncode == 2
    assert task.read_text() == CLEAN_IN
    assert b"cannot write the fixes" in run.stdout + run.stderr
    assert b"Fixed 0 of 1 problem; 1 remains." in run.stdout



# ---------------------------------------------------------------------------
# Operations no rule uses yet, written straight through the writer

CFN_HEAD = ("Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
            "      ContainerDefinitions:\n        - Name: web\n          Image: nginx\n")


def written(text: str, operation: object, name: str = "task.yaml") -> str | None:
    """``text`` with ``operation`` written by ``ecslint.fix.writer``; ``None`` when the
    writer offers no edit."""
    from ecslint.fix.operations import Fix
    from ecslint.fix.writer import text_edits
    from ecslint.load.readers import for_text
    from ecslint.tasks.shapes import extract

    reader = for_text(text, name)
    document = reader.parse(text, name).documents[0]
    task = extract(document.data, "task")[0]
    edits = text_edits(Fix("t", (operation,)), task, document, text,  # type: ignore[arg-type]
                       reader.name)
    if edits is None:
        return None
    for edit in sorted(edits, key=lambda edit: edit.start, reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def test_a_member_added_after_one_with_a_comment_leaves_the_comment_on_its_line() -> None:
    """The comment (here a suppression) moved to the added member's line."""
    from ecslint.fix.operations import SetValue

    text = ("family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx\n"
            "    essential: true  # ecslint: ignore[ECS402]\n")
    assert written(text, SetValue(("containerDefinitions", 0, "cpu"), 256)) == (
        text + "    cpu: 256\n")
    flow = ("family: web\ncontainerDefinitions:\n  - {name: web,\n     image: nginx  # a note\n"
            "    }\n")
    assert written(flow, SetValue(("containerDefinitions", 0, "cpu"), 256)) == (
        "family: web\ncontainerDefinitions:\n  - {name: web,\n     image: nginx,  # a note\n"
        "     cpu: 256\n    }\n")


def test_a_cloudformation_key_is_written_in_cloudformation_casing() -> None:
    """SetValue and RenameKey wrote the API's key (``cpu``) into a template, which
    CloudFormation rejects; a key whose CloudFormation spelling is not the API's
    with a capital first letter gets no edit."""
    from ecslint.fix.operations import RenameKey, SetValue

    assert written(CFN_HEAD, SetValue(("containerDefinitions", 0, "cpu"), 256)) == (
        CFN_HEAD + "          Cpu: 256\n")
    assert written(CFN_HEAD + "          Memory: 512\n",
                   RenameKey(("containerDefinitions", 0, "memory"), "memoryReservation")) == (
        CFN_HEAD + "          MemoryReservation: 512\n")
    labels = CFN_HEAD + "          DockerLabels:\n            team: web\n"
    assert written(labels, SetValue(("containerDefinitions", 0, "dockerLabels", "tier"),
                                    "front")) == labels + "            tier: front\n"
    volumes = ("Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
               "      ContainerDefinitions:\n        - {Name: web, Image: nginx}\n"
               "      Volumes:\n        - Name: data\n          Host: {}\n")
    assert written(volumes, SetValue(("volumes", 0, "efsVolumeConfiguration"),
                                     {"fileSystemId": "fs-1"})) is None


def test_replaced_text_that_the_syntax_would_read_otherwise_gets_no_edit() -> None:
    """ReplaceText wrote ``new`` as is: a quote or backslash in it changed a JSON or
    YAML string into another (or broke the file), ": " or " #" a YAML plain scalar."""
    from ecslint.fix.operations import ReplaceText

    image = ("containerDefinitions", 0, "image")
    json_text = ('{"family": "web", "containerDefinitions": '
                 '[{"name": "web", "image": "repo/app:ltsc2019"}]}\n')
    assert written(json_text, ReplaceText(image, "ltsc2019", "ltsc2022"), "task.json") == (
        json_text.replace("ltsc2019", "ltsc2022"))
    assert written(json_text, ReplaceText(image, "ltsc2019", 'a"b'), "task.json") is None
    assert written(json_text, ReplaceText(image, "ltsc2019", "a\\nb"), "task.json") is None
    yaml_text = "family: web\ncontainerDefinitions:\n  - name: web\n    image: repo/app:ltsc2019\n"
    assert written(yaml_text, ReplaceText(image, "ltsc2019", "ltsc2022")) == (
        yaml_text.replace("ltsc2019", "ltsc2022"))
    assert written(yaml_text, ReplaceText(image, "ltsc2019", "x # y")) is None
    assert written(yaml_text, ReplaceText(image, "app:", "app: ")) is None


def test_a_yaml_value_with_a_character_yaml_folds_or_refuses_is_escaped() -> None:
    """U+2028 written as is in quotes read back as a space (a line break, folded);
    U+0085 too, and a C1 control does not parse."""
    from ecslint.fix.operations import SetValue

    image = ("containerDefinitions", 0, "image")
    plain = "family: web\ncontainerDefinitions:\n  - name: web\n    image: a\n"
    for character, escaped in (("\u2028", "\\u2028"), ("\x85", "\\u0085"),
                               ("\x9b", "\\u009b")):
        expected = plain.replace("image: a", f'image: "x{escaped}y"')
        assert written(plain, SetValue(image, f"x{character}y")) == expected
        assert written(plain.replace("image: a", "image: 'a'"),
                       SetValue(image, f"x{character}y")) == expected
    assert written(plain, SetValue(image, "x\u00e9y")) == plain.replace(
        "image: a", 'image: "x\u00e9y"')  # printable: as is
    assert written(plain.replace("image: a", "image: 'a'"), SetValue(image, "x\u00e9y")) == (
        plain.replace("image: a", "image: 'x\u00e9y'"))


def test_a_member_added_after_a_block_scalar_that_keeps_its_blank_lines_gets_no_edit() -> None:
    """The member went in before the scalar's kept trailing lines, which left it."""
    from ecslint.fix.operations import SetValue

    cpu = SetValue(("containerDefinitions", 0, "cpu"), 256)
    kept = "family: web\ncontainerDefinitions:\n  - name: web\n    entryPoint: |+\n      echo hi\n\n"
    assert written(kept, cpu) is None
    nested = ("family: web\ncontainerDefinitions:\n  - name: web\n    command:\n"
              "      - |2+\n          echo hi\n\n")
    assert written(nested, cpu) is None
    clipped = kept.replace("|+", "|")
    assert written(clipped, cpu) == clipped.replace("echo hi\n", "echo hi\n    cpu: 256\n")


def test_fix_with_sniff_passes_over_files_that_mention_no_task(tmp_path: Path) -> None:
    """pre-commit's hook runs ``--sniff --fix`` on every JSON and YAML file: one that
    mentions no task definition is neither parsed (no E001 for broken JSON) nor
    written, while a task definition beside it is fixed."""
    (tmp_path / "settings.json").write_text('{"retries": 3,}\n')
    (tmp_path / "task.yaml").write_text(CLEAN_IN)
    before = (tmp_path / "settings.json").stat().st_mtime_ns
    run = ecslint(["--sniff", "--fix", "settings.json", "task.yaml"], tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert b"E001" not in run.stdout and b"settings.json" not in run.stdout
    assert (tmp_path / "settings.json").stat().st_mtime_ns == before
    assert b"memoryReservation" not in (tmp_path / "task.yaml").read_bytes()
    assert b"Fixed 1 of 1 problem; 0 remain." in run.stdout
