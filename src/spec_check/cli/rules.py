# SPDX-License-Identifier: MIT
"""`spec-check rules [ID]`: list the rules, or explain one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app, fail, tool_errors


@app.command()
def rules(
    rule_id: Annotated[Optional[str], typer.Argument(help="Explain this rule, with a failing and a passing example.")] = None,
    rules_paths: Annotated[Optional[list[Path]], typer.Option(
        "--rules", metavar="PATH", help="Also list the SPARQL gate rules in this .rq file or folder; repeatable.",
        show_default=False)] = None,
) -> None:
    """List every rule (id, severity, kind, name), or explain one."""
    from ..cache import ResultCache, default_cache_dir, rule_catalogue

    with tool_errors():
        # The catalogue is cached by a hash of the rule files: listing rules
        # then needs neither rdflib nor a Turtle parse.
        catalogue = {r.rule_id: r for r in rule_catalogue(cache=ResultCache(default_cache_dir()),
                                                          gates=list(rules_paths or ()))}
    if rule_id is None:
        width = max(len(r) for r in catalogue)
        for info in catalogue.values():
            typer.echo(f"{info.rule_id:<{width}}  {info.severity.value:<9}  {info.kind:<7}  {info.name}")
        return
    info = catalogue.get(rule_id)
    if info is None:
        fail(f"no rule {rule_id!r}; `spec-check rules` lists them")
    typer.echo(explain(info))


def explain(info) -> str:
    import textwrap

    def block(text: str) -> str:
        return textwrap.indent(text.strip(), "    ")

    parts = [
        f"{info.rule_id} ({info.severity.value}, {info.kind}): {info.name}",
        "",
        textwrap.fill(info.description, width=88),
        "",
        f"Message: {info.message}",
    ]
    if info.scope:
        parts.append(f"Checks: each {info.scope}")
    if info.source:
        parts.append(f"From: {info.source}")
    if info.failing_example:
        parts += ["", "Fails:", block(info.failing_example)]
    if info.passing_example:
        parts += ["", "Passes:", block(info.passing_example)]
    return "\n".join(parts)
