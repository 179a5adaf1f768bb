# SPDX-License-Identifier: MIT
"""`spec-check dialects`: list the vocabulary dialects spec-check can read, and what triggers each."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import SpecCheckError
from . import app, fail


@app.command()
def dialects(
    extra: Annotated[Optional[list[Path]], typer.Option(
        "--dialect-file", metavar="FILE", help="Also read this alignment file (as config's extra dialects do); repeatable.",
        show_default=False)] = None,
) -> None:
    """List the vocabulary dialects (name, label, trigger namespaces or terms, alignment file)."""
    from ..dialects import load_dialects

    try:
        known = load_dialects(tuple(extra or ()))
    except SpecCheckError as e:
        fail(str(e))
    for dialect in known.values():
        typer.echo(f"{dialect.name}: {dialect.label} ({dialect.source})")
        for ns in dialect.trigger_namespaces:
            typer.echo(f"    namespace {ns}")
        if dialect.trigger_terms:
            typer.echo("    terms     " + ", ".join(_short(t) for t in dialect.trigger_terms))
        typer.echo(f"    {len(dialect.axioms)} alignment axioms")


def _short(iri: str) -> str:
    from ..vocab import QUERY_PREFIXES

    for prefix, ns in QUERY_PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return f"<{iri}>"
