"""docs/ci.md says what works: its YAML parses, the GitLab job has the keys GitLab needs
and its commands write valid reports, the README links it, and the ``Dockerfile``'s
install steps give a working ``ecslint`` (no registry or container runtime here: its
``pip install`` runs in a fresh virtual environment instead)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from ci_schemas import gitlab_errors, junit_errors
from helpers import ECSLINT, ROOT
from sarif_schema import sarif_validator

TEXT = (ROOT / "docs" / "ci.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", TEXT, re.M | re.S)


def test_every_yaml_block_parses() -> None:
    found = [yaml.safe_load(block) for block in blocks("yaml")]
    assert len(found) == 2 and all(isinstance(document, dict) for document in found)


def gitlab_job() -> dict[str, Any]:
    [job] = [document["ecslint"] for document in map(yaml.safe_load, blocks("yaml"))
             if "ecslint" in document]
    assert isinstance(job, dict)
    return job


def test_the_gitlab_job_has_what_gitlab_needs() -> None:
    job = gitlab_job()
    assert isinstance(job["script"], list) and job["stage"] == "test"
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    assert artifacts["reports"] == {"codequality": "gl-code-quality-report.json",
                                    "junit": "ecslint-junit.xml"}
    assert artifacts["paths"] == ["ecslint.sarif"]
    outputs = {}
    for command in job["script"]:
        words = shlex.split(command)
        if words[:2] == ["ecslint", "check"]:
            outputs[words[words.index("--format") + 1]] = words[words.index("--output") + 1]
    assert outputs == {"sarif": "ecslint.sarif", "junit": "ecslint-junit.xml",
                       "gitlab": "gl-code-quality-report.json"}


def test_the_gitlab_job_commands_write_valid_reports(tmp_path: Path) -> None:
    import json

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    codes = []
    for command in gitlab_job()["script"]:
        words = shlex.split(command)
        if words[0] == "ecslint":
            done = subprocess.run([*ECSLINT, words[1], "--isolated", *words[2:]],
                                  cwd=tmp_path, capture_output=True, timeout=120)
            codes.append(done.returncode)
    assert codes == [0, 0, 1]  # --fail-on never, then the last run decides
    issues = json.loads((tmp_path / "gl-code-quality-report.json").read_text())
    assert issues and not gitlab_errors(issues)
    assert {issue["location"]["path"].split("/")[0] for issue in issues} == {"examples"}
    assert not junit_errors((tmp_path / "ecslint-junit.xml").read_text())
    sarif_validator().validate(json.loads((tmp_path / "ecslint.sarif").read_text()))


def test_the_azure_pipeline_publishes_junit_and_code_analysis_logs() -> None:
    [steps] = [document["steps"] for document in map(yaml.safe_load, blocks("yaml"))
               if "steps" in document]
    tasks = {step["task"]: step for step in steps if "task" in step}
    results = tasks["PublishTestResults@2"]
    assert results["inputs"]["testResultsFormat"] == "JUnit"
    assert results["condition"] == "succeededOrFailed()"
    artifact = tasks["PublishBuildArtifacts@1"]["inputs"]
    assert artifact["ArtifactName"] == "CodeAnalysisLogs"
    script = "\n".join(step.get("script", "") for step in steps)
    assert "--format junit --output \"$(Common.TestResultsDirectory)/ecslint-junit.xml\"" in script
    assert artifact["PathtoPublish"] + "/ecslint.sarif" in script
    assert results["inputs"]["testResultsFiles"] in script


def test_the_jenkinsfile_records_sarif_and_junit() -> None:
    [pipeline] = blocks("groovy")
    assert "recordIssues tools: [sarif(id: 'ecslint', name: 'ecslint', pattern: 'ecslint.sarif')]" \
        in pipeline
    assert "junit testResults: 'ecslint-junit.xml'" in pipeline
    assert pipeline.count("{") == pipeline.count("}")


def test_links() -> None:
    assert "[docs/ci.md](docs/ci.md)" in (ROOT / "README.md").read_text()
    assert "(fixes.md#suggestions-in-pull-requests-with-reviewdog)" in TEXT
    assert "### Suggestions in pull requests with reviewdog" in (
        ROOT / "docs" / "fixes.md").read_text()


# -- the Dockerfile -------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) of each line of the Dockerfile, comments left out."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    return [(line.split(None, 1)[0], line.split(None, 1)[1]) for line in lines
            if line.strip() and not line.startswith("#")]


def test_the_dockerfile_is_a_slim_python_image_with_ecslint_as_entry_point() -> None:
    instructions = dict(dockerfile())
    assert re.fullmatch(r"python:3\.\d+-slim", instructions["FROM"])
    assert instructions["ENTRYPOINT"] == '["ecslint"]'
    assert instructions["WORKDIR"] == "/src"


@pytest.mark.skipif(os.name != "posix", reason="the image is Linux")
def test_the_dockerfile_install_steps_give_a_working_ecslint(tmp_path: Path) -> None:
    """COPY each source into ``tmp_path`` as the image would, run the RUN steps' pip
    commands with a fresh virtual environment's python, and lint examples/."""
    image = tmp_path / "image"
    for instruction, arguments in dockerfile():
        if instruction == "COPY":
            *sources, target = arguments.split()
            destination = image / target.lstrip("/")
            for source in sources:
                path = ROOT / source
                if path.is_dir():
                    shutil.copytree(path, destination / path.name if target.endswith("/")
                                    else destination,
                                    ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    destination.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, destination / path.name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    ran = []
    for instruction, arguments in dockerfile():
        if instruction != "RUN":
            continue
        for command in arguments.split("&&"):
            words = shlex.split(command)
            if words[:4] == ["python", "-m", "pip", "install"]:
                words = [str(python), *words[1:-1], str(image / words[-1].lstrip("/"))]
                done = subprocess.run(words, capture_output=True, text=True, timeout=900)
                assert done.returncode == 0, done.stderr[-2000:]
                ran.append("pip install")
            else:
                assert words[:2] == ["rm", "-rf"], command
                ran.append("rm")
    assert ran == ["pip install", "rm"]
    ecslint = venv / "bin" / "ecslint"
    version = subprocess.run([str(ecslint), "--version"], capture_output=True, text=True,
                             check=True, cwd=tmp_path)
    assert version.stdout.startswith("ecslint, version ")
    # The installed copy, not this checkout: run outside it and against a copy of examples/.
    shutil.copytree(ROOT / "examples", tmp_path / "src" / "examples")
    installed = subprocess.run([str(ecslint), "check", "--isolated", "examples"],
                               capture_output=True, text=True, cwd=tmp_path / "src")
    here = subprocess.run([*ECSLINT, "check", "--isolated", "examples"], capture_output=True,
                          text=True, cwd=tmp_path / "src")
    assert installed.returncode == here.returncode == 1
    assert installed.stdout == here.stdout and "WIN111" in installed.stdout
    where = subprocess.run([str(python), "-c", "import ecslint; print(ecslint.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path)
    assert str(venv) in where.stdout
