"""Reading inputs: which files, their bytes and text, and a document with its source map."""
