"""Deciding which OS, launch types and Windows builds a task and its hosts have."""
