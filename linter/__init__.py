"""ecslint: a Windows-aware linter for Amazon ECS task definitions.

The package is built from three repository folders: ``linter/`` (this engine),
``rules/`` (``ecslint.rules``) and ``schemas/`` (``ecslint.schemas``).
"""

__version__ = "0.1.0"
HOMEPAGE = "https://github.com/ecslint/ecslint"
RULES_DOC_URL = HOMEPAGE + "/blob/main/docs/rules.md"
