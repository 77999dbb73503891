"""The ids of the rules the engine reports itself, defined once.

The rules E001-E005 have modules in ``rules/`` for their metadata and docs, but
the engine, the baseline and the unused-suppression check emit or match them by
id; they all use these names.
"""

from __future__ import annotations

PARSE_ERROR = "E001"
SCHEMA_VIOLATION = "E002"
NOT_A_TASK_DEFINITION = "E003"
UNUSED_SUPPRESSION = "E004"
INVALID_SUPPRESSION = "E005"
