"""Fixes: what a rule offers to change, as exact edits of the text it read.

A rule says what to change on the canonical task (``operations``: remove a key, set a value,
rename a key, replace text in a string); ``writer`` writes that in the syntax of the file
at hand (JSON, YAML block or flow, HCL, a CloudFormation key's casing) as replacements of
character spans, or gives up when it cannot do so exactly; ``comments`` edits
suppression comments; ``apply`` applies the edits to the file's bytes in passes, keeping
every byte outside them.
"""
