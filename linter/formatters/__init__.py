"""Output formats: each module renders a whole ``Report`` to a string."""
