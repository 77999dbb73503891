"""Validating task definitions against the generated JSON Schema (E002)."""
