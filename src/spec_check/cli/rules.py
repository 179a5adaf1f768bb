# SPDX-License-Identifier: MIT
"""`spec-check rules [ID]`: list the rules, or explain one."""

from __future__ import annotations

import enum
import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app, fail, tool_errors


class RulesFormat(str, enum.Enum):
    text = "text"
    json = "json"


@app.command()
def rules(
    rule_id: Annotated[Optional[str], typer.Argument(help="Explain this rule, with a failing and a passing example.")] = None,
    rules_paths: Annotated[Optional[list[Path]], typer.Option(
        "--rules", metavar="PATH", help="Also list the SPARQL gate rules in this .rq file or folder; repeatable, "
                                        "added to config `sparql`.", show_default=False)] = None,
    shapes: Annotated[Optional[list[Path]], typer.Option(
        "--shapes", metavar="FILE", help="Also list the rules of this SHACL shapes file; repeatable, added to "
                                         "config `shapes`. A shape without sc:ruleId is listed by its derived id.",
        show_default=False)] = None,
    output_format: Annotated[RulesFormat, typer.Option(
        "--format", "-f", help="text: aligned columns / the explanation; json: the same facts as JSON "
        "(a list of rules, or one rule), for scripts and editors.")] = RulesFormat.text,
    config_file: Annotated[Optional[Path], typer.Option(
        "--config", help="Read this config file instead of looking for spec-check.toml or [tool.spec-check] "
                         "from the working folder up.", show_default=False)] = None,
) -> None:
    """List every rule (id, severity, kind, name), or explain one: ours, and those of the config's
    and the options' shapes and SPARQL rules."""
    from ..cache import ResultCache, default_cache_dir, rule_catalogue
    from ..settings import resolve_settings

    with tool_errors():
        options = resolve_settings(config_file=config_file, shapes=tuple(shapes or ()),
                                   rules_paths=tuple(rules_paths or ()), use_baseline=False).options
        # The catalogue is cached by a hash of the rule files: listing rules
        # then needs neither rdflib nor a Turtle parse.
        catalogue = {r.rule_id: r for r in rule_catalogue(list(options.extra_shapes),
                                                          cache=ResultCache(default_cache_dir()),
                                                          gates=list(options.extra_rules))}
    if output_format is RulesFormat.json:
        if rule_id is not None and rule_id not in catalogue:
            _unknown(rule_id, catalogue)
        chosen = [catalogue[rule_id]] if rule_id is not None else list(catalogue.values())
        documents = [rule_json(info) for info in chosen]
        typer.echo(json.dumps(documents[0] if rule_id is not None else documents, indent=2, ensure_ascii=False))
        return
    if rule_id is None:
        width = max(len(r) for r in catalogue)
        for info in catalogue.values():
            typer.echo(f"{info.rule_id:<{width}}  {info.severity.value:<9}  {info.kind:<7}  {info.name}")
        return
    info = catalogue.get(rule_id)
    if info is None:
        _unknown(rule_id, catalogue)
    typer.echo(explain(info))


def _unknown(rule_id: str, catalogue) -> None:
    from ..suggest import did_you_mean

    fail(f"no rule {rule_id!r}{did_you_mean(rule_id, catalogue)} (`spec-check rules` lists them)")


def rule_json(info) -> dict:
    """One rule as JSON: RuleInfo's fields, with ``id`` for ``rule_id`` and the severity's name."""
    document = asdict(info)
    document = {"id": document.pop("rule_id"), **document, "severity": info.severity.value}
    return document


def explain(info) -> str:
    import textwrap

    def block(text: str) -> str:
        return textwrap.indent(text.strip(), "    ")

    parts = [
        f"{info.rule_id} ({info.severity.value}, {info.kind}): {info.name}",
        "",
        textwrap.fill(info.description, width=88),
        "",
        f"Message: {info.message or '(generated for each result: which constraint failed, on which path)'}",
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
