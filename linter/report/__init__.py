"""Placing findings in their files, collecting them in order, and printing them."""
