"""``ecslint server``: the language server, over standard input and output.

pygls is an optional dependency (the ``lsp`` extra, ``pip install '.[lsp]'``),
imported only when this command runs, so ``ecslint --help`` and ``check`` never
load it.
"""

from __future__ import annotations

from pathlib import Path

import click

from ecslint.cli.options import fail, load_baseline


@click.command("server")
@click.option("--stdio", is_flag=True,
              help="Talk over standard input and output (the default and only transport; "
                   "accepted because many editors pass it).")
@click.option("--baseline", "baseline_file",
              type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Show no finding that FILE (written by check --write-baseline) records.")
def server_command(stdio: bool, baseline_file: Path | None) -> None:
    """Run the language server (LSP) over standard input and output.

    Editors get diagnostics as you type, quick fixes, suppression comments and rule
    documentation on hover; docs/editors.md shows how to set up VS Code, Neovim,
    Helix and JetBrains IDEs. Needs the lsp extra (pygls): pip install '.[lsp]'.
    """
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as exc:
        fail(f"ecslint server needs the lsp extra ({exc.name} is missing): "
             "pip install '.[lsp]' in a clone of ecslint, or "
             "pip install 'ecslint[lsp] @ git+https://github.com/ecslint/ecslint@COMMIT'")
    from ecslint.cli.lsp.protocol import serve

    serve(load_baseline(baseline_file))
