"""Which findings are not reported: inline comments, config ignores, baselines, and E004."""
