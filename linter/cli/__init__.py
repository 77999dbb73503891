"""The ``ecslint`` command and its options."""
