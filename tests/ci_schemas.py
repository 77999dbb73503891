"""Validators for the CI report formats: GitLab Code Quality (a JSON Schema written from
GitLab's "Code Quality report format" table, https://docs.gitlab.com/ci/testing/code_quality/)
and JUnit XML (an XSD after the Jenkins xUnit plugin's junit-10.xsd); both in
``tests/schemas``."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import xmlschema

SCHEMAS = Path(__file__).parent / "schemas"


@lru_cache(maxsize=1)
def gitlab_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@lru_cache(maxsize=1)
def junit_schema() -> Any:
    return xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))


def gitlab_errors(document: Any) -> list[str]:
    """What is wrong with a Code Quality report: schema errors and repeated fingerprints."""
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in gitlab_validator().iter_errors(document)]
    if isinstance(document, list) and not errors:
        fingerprints = [issue["fingerprint"] for issue in document]
        if len(set(fingerprints)) != len(fingerprints):
            errors.append("fingerprints repeat")
    return errors


def junit_errors(output: str) -> list[str]:
    """What is wrong with a JUnit document: XML 1.0 well-formedness, XSD and counts."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(output.encode("utf-8"))
    except ET.ParseError as exc:
        return [f"not well-formed: {exc}"]
    errors = [str(e.reason or e) for e in junit_schema().iter_errors(output)]
    for suite in [root, *root.iter("testsuite")]:
        cases = list(suite.iter("testcase"))
        counted = {"tests": len(cases),
                   "failures": sum(1 for c in cases if c.find("failure") is not None
                                   and c.find("error") is None),
                   "errors": sum(1 for c in cases if c.find("error") is not None)}
        for key, value in counted.items():
            if suite.get(key) != str(value):
                errors.append(f"{suite.tag} {key}={suite.get(key)}, counted {value}")
    return errors
