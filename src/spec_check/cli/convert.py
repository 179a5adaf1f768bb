# SPDX-License-Identifier: MIT
"""`spec-check convert`: write a spec folder (such as a spec-kit Markdown folder) as our Turtle files."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from . import EXIT_OK, app, tool_errors


class ConvertTarget(str, enum.Enum):
    turtle = "turtle"


@app.command()
def convert(
    spec: Annotated[Path, typer.Argument(help="The spec folder to convert (spec-kit Markdown or RDF).",
                                         show_default=False)],
    to: Annotated[ConvertTarget, typer.Option("--to", help="The format to write: turtle.")] = ConvertTarget.turtle,
    out: Annotated[Path, typer.Option("--out", help="The folder to write feature.ttl, entities.ttl and "
                                                    "plan.ttl into (created if missing).",
                                      show_default=False)] = ...,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when spec-check itself fails.")] = False,
) -> None:
    """Write a spec folder's graph as Turtle files, so a team can move from spec-kit Markdown to RDF.

    Stories, scenarios, requirements, success criteria, entities, phases, tasks
    (ids, labels, story labels, done state, dependencies, cited requirements,
    file paths) are kept; `spec-check render` writes spec.md, plan.md and tasks.md
    back from them. Files are written atomically; existing files of the same
    name in --out are replaced. Exit 1 when a file of the folder did not parse
    (its content is missing from the output), else 0.
    """
    from ..api import SpecCheck
    from ..convert import to_turtle
    from ..errors import SpecCheckError
    from ..fsutil import write_atomic
    from ..load import display_path

    with tool_errors(debug):
        loaded, _view = SpecCheck().load(spec)
        prefixes: dict = {}
        for file in sorted(loaded.index.prefixes_by_file):
            for prefix, ns in loaded.index.prefixes_by_file[file].items():
                prefixes.setdefault(prefix, ns)
        texts = to_turtle(loaded.graph, prefixes)
        if out.exists() and not out.is_dir():
            raise SpecCheckError("--out must be a folder", path=display_path(out))
        for name, text in sorted(texts.items()):
            write_atomic(out / name, text)
    for finding in loaded.findings:
        typer.echo(f"{finding.file}:{finding.line}:{finding.column}: [{finding.severity.value}] "
                   f"{finding.message} ({finding.rule_id})", err=True)
    typer.echo(f"wrote {', '.join(sorted(texts))} to {display_path(out)}/ "
               f"({len(loaded.graph):,} triples from {len(loaded.files)} files)")
    raise typer.Exit(1 if loaded.unparsed else EXIT_OK)
