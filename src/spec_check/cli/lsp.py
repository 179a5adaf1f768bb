# SPDX-License-Identifier: MIT
"""`spec-check lsp`: run the language server on stdin/stdout (docs/editors.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app, fail


@app.command()
def lsp(
    stdio: Annotated[bool, typer.Option("--stdio", help="Talk over stdin/stdout (the only transport; "
                                        "accepted because editors pass it).")] = True,
) -> None:
    """Run the language server (LSP over stdio): live closure findings, navigation and quick fixes in the editor."""
    try:
        from ..lsp.server import run
    except ImportError as e:
        fail(f"the language server needs pygls ({e.name} is not installed): pip install 'spec-check[lsp]'")
    run()
