"""Finding the task definitions in a document, whatever shape it is written in."""
