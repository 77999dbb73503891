"""Shared test settings: a deterministic hypothesis profile and a pinned clock."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# The default profile is deterministic and keeps no example database, so the
# README's test command gives the same result on every run and every machine;
# HYPOTHESIS_PROFILE=dev explores randomly (and remembers failing examples).
settings.register_profile(
    "ci", deadline=None, derandomize=True, database=None, max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The date support ends are judged against (ecslint.platform.windows.today): pinned, so a
# finding that says "ends 2027-01-12" does not turn into "ended" on that day.
PINNED_TODAY = "2026-12-06"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECSLINT_TODAY", PINNED_TODAY)
