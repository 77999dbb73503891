"""Built-in rules: one module per rule (or rule family), discovered at start-up."""
