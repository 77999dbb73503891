"""``ecslint server``: a Language Server Protocol server over standard input and output.

Built on pygls 2 and lsprotocol (the ``lsp`` extra: ``pip install '.[lsp]'``), imported only by
``ecslint server``. The modules: ``positions`` (ecslint's code-point columns to the
client's UTF-16, UTF-8 or UTF-32 positions), ``workspace`` (the configuration of a
document's folder, found as ``check`` finds it, and the lint of an unsaved buffer),
``diagnostics`` (findings and input errors as LSP diagnostics), ``actions`` (quick
fixes, suppression comments and hover text) and ``protocol`` (the pygls server: the
handlers, the debounce and the error guard).
"""
