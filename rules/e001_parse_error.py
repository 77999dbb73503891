"""E001: the file is not valid JSON or YAML (reported by the engine)."""

from ecslint.builtin_ids import PARSE_ERROR
from ecslint.rule import Severity, engine_rule

E001 = engine_rule(
    id=PARSE_ERROR,
    name="parse-error",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="File is not valid JSON or YAML",
    fix_title="Fix the syntax at the reported position; the rest of the file was not linted.",
    module=__name__,
    doc="""## What it does
    Reports a file that the JSON or YAML parser cannot read, at the line and
    column where the parser stopped. It also reports a key that appears twice
    in one object or mapping (the last one wins, as with `json.loads` and the
    AWS CLI, so the first is silently lost) and a YAML tag that ecslint does not
    know, which it reads as plain data and never executes.

    The `E` family means "input and schema", not "error": see `E003`, whose
    severity is info.

    ## Why is this bad?
    `aws ecs register-task-definition --cli-input-json` and CloudFormation
    refuse a file they cannot parse, and a duplicated key hides a setting you
    thought you made. A file that does not parse is not linted at all, so
    ecslint exits with status 2.

    ## Example
    ```json
    {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx",}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx"}]}
    ```

    ## References
    - [AWS CLI: generate a skeleton and import parameters from a JSON or YAML file](https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html)
    - [RFC 8259: The JavaScript Object Notation (JSON) Data Interchange Format](https://www.rfc-editor.org/rfc/rfc8259)
    - [YAML 1.2.2 specification](https://yaml.org/spec/1.2.2/)
    """,
)
