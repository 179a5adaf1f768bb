# SPDX-License-Identifier: MIT
"""`spec-check dialects [NAME]`: list the vocabulary dialects spec-check reads, or explain one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app, fail, tool_errors


@app.command()
def dialects(
    name: Annotated[Optional[str], typer.Argument(
        help="Explain this dialect: what it is and every alignment axiom.", show_default=False)] = None,
    extra: Annotated[Optional[list[Path]], typer.Option(
        "--dialect-file", metavar="FILE",
        help="Also read this alignment file (as config's extra dialects do); repeatable.",
        show_default=False)] = None,
) -> None:
    """List the vocabulary dialects (name, label, trigger namespaces or terms, alignment file)."""
    from ..dialects import load_dialects

    with tool_errors():
        known = load_dialects(tuple(extra or ()))
    if name is not None:
        dialect = known.get(name)
        if dialect is None:
            fail(f"no dialect {name!r}; known dialects: {', '.join(known)}")
        typer.echo(explain(dialect))
        return
    for dialect in known.values():
        typer.echo(f"{dialect.name}: {dialect.label} ({dialect.source})")
        typer.echo("".join(_triggers(dialect)), nl=False)
        typer.echo(f"    {len(dialect.axioms)} alignment axioms")


def _triggers(dialect) -> list[str]:
    lines = [f"    namespace {ns}\n" for ns in dialect.trigger_namespaces]
    if dialect.trigger_terms:
        lines.append("    terms     " + ", ".join(_short(t) for t in dialect.trigger_terms) + "\n")
    return lines


def explain(dialect) -> str:
    import textwrap

    prefixes = {ns: prefix for prefix, ns in dialect.prefixes if prefix not in ("spec", "sc")}
    parts = [f"{dialect.name}: {dialect.label} ({dialect.source})", "",
             textwrap.fill(dialect.comment, width=88), "", "Triggered by:",
             *[t.rstrip("\n") for t in _triggers(dialect)], "", "Alignment (their term → ours):"]
    for s, p, o in dialect.axioms:
        parts.append(f"    {_short(str(s), prefixes)}  {_short(str(p))}  {_short(str(o), prefixes)}")
    return "\n".join(parts)


def _short(iri: str, extra: dict | None = None) -> str:
    from ..vocab import QUERY_PREFIXES

    for ns, prefix in (extra or {}).items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    for prefix, ns in QUERY_PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return f"<{iri}>"
