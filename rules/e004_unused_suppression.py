"""E004: a suppression or baseline entry that matched nothing (reported by the engine)."""

from ecslint.builtin_ids import UNUSED_SUPPRESSION
from ecslint.rule import Applicability, Severity, engine_rule

E004 = engine_rule(
    id=UNUSED_SUPPRESSION,
    name="unused-suppression",
    severity=Severity.INFO,
    since="0.1.0",
    summary="Suppression comment, configuration ignore or baseline entry that matched nothing",
    fix_title="Delete the comment or entry, or rewrite the baseline with --write-baseline.",
    default=False,
    module=__name__,
    fix=Applicability.SAFE,
    doc="""## What it does
    Reports a suppression that suppressed nothing in this run:

    - a rule id or name inside `# ecslint: ignore[...]` whose rule ran on the
      file but reported nothing on the line the comment applies to, and a bare
      `# ecslint: ignore` that suppressed nothing;
    - an `ignores` entry of the configuration that covered no finding, checked
      only when a linted file matches its `path` (or when its `path` names no
      file at all);
    - an entry of the `--baseline` file that matched no finding, checked only
      when its file was linted in this run (or no longer exists).

    A code naming a rule that did not run (not selected, or turned off for the
    file by `per-file-ignores`) is not reported, because ecslint cannot tell
    whether it is still needed; neither are entries for files that were not
    linted or could not be parsed, so linting a few changed files (pre-commit)
    reports nothing about the others. A code naming this rule inside a comment
    is never reported itself, and an unused comment cannot hide its own report.

    The rule is disabled by default, like ruff's `RUF100` and pylint's
    `useless-suppression`; enable it with `--report-unused-suppressions`,
    `--extend-select E004` or `extend-select: [E004]`, and give it
    `severity: {E004: error}` to fail a build on stale suppressions.

    For a comment, the fix removes the code (the whole comment when it has no
    other code); safe, since it suppressed nothing. `ignores` entries and
    baseline entries have no fix: rewrite the baseline with `--write-baseline`.

    ## Why is this bad?
    A suppression outlives the problem it hid: once the setting is fixed, the
    comment or entry stays behind, and it will hide the next real problem on
    that line, at that pointer or in that baseline slot without anyone noticing.

    ## Example
    ```yaml
    family: web
    containerDefinitions:
      - name: web
        image: nginx
        memory: 512  # ecslint: ignore
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
    - [ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
    - [pylint: useless-suppression (I0021)](https://pylint.readthedocs.io/en/stable/user_guide/messages/information/useless-suppression.html)
    """,
)
