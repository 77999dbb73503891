"""E005: a suppression comment that cannot work (reported by the engine)."""

from ecslint.builtin_ids import INVALID_SUPPRESSION
from ecslint.rule import Applicability, Severity, engine_rule

E005 = engine_rule(
    id=INVALID_SUPPRESSION,
    name="invalid-suppression",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Suppression comment is malformed or names no known rule",
    fix_title="Write '# ecslint: ignore[ID or name, ...]' with the id or name of a rule "
        "(`ecslint rules` lists them).",
    module=__name__,
    fix=Applicability.SAFE,
    doc="""## What it does
    Reports an `# ecslint: ignore` comment in a YAML file or template that
    suppresses nothing because it is malformed (`# ecslint: ignore WIN110`
    without brackets, empty brackets) and each code inside its brackets that is
    neither the id nor the name of a rule, suggesting the closest one. A family
    or prefix such as `WIN` is refused too: comments take exact ids or names.

    A rule from a plugin that is not installed where ecslint runs is unknown
    there, so its comments are reported as well.

    The fix removes the code (the whole comment when it has no other code); safe,
    since the code suppresses nothing. It is not offered for a code that may be
    a plugin's rule (an id of a family ecslint does not have, a name close to
    none of its rules): that plugin may be installed elsewhere.

    ## Why is this bad?
    A typo in a suppression fails silently: the finding it was meant to hide is
    still reported, or, worse, the comment is read as covering a rule it does
    not name. ecslint says why instead of leaving you to guess.

    ## Example
    ```yaml
    family: web
    containerDefinitions:
      - name: web
        image: nginx
        memory: 512  # ecslint: ignore[WIN999]
    ```

    ## Use instead
    ```yaml
    family: web
    containerDefinitions:
      - name: web
        image: nginx
        memory: 512
    ```

    ## References
    - [YAML 1.2.2 specification: comments](https://yaml.org/spec/1.2.2/#66-comments)
    - [pylint: unknown-option-value (W0012)](https://pylint.readthedocs.io/en/stable/user_guide/messages/warning/unknown-option-value.html)
    """,
)
