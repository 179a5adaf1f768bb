# SPDX-License-Identifier: MIT
"""The authoring commands: `spec-check init`, `spec-check query`, `spec-check diff`.

Each parses its options, calls one function (scaffold.create_spec,
query.run_query, diff.diff_specs), prints the result and owns the exit code.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import SpecCheckError
from . import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, app, fail
from .check import Inference


def _internal_error(e: Exception, debug: bool) -> None:
    if debug:
        raise e
    fail(f"internal error: {type(e).__name__}: {e} (run with --debug for a traceback)")


_DEBUG_OPTION = typer.Option("--debug", help="Show a traceback when spec-check itself fails.")


# --------------------------------------------------------------------------- init

@app.command()
def init(
    folder: Annotated[Path, typer.Argument(
        help="The new spec folder, named NUMBER-short-name (e.g. specs/009-fast-builds).", show_default=False)],
    title: Annotated[Optional[str], typer.Option(
        "--title", help="The feature's title. Default: the short name in title case (fast-builds → Fast Builds).")] = None,
    debug: Annotated[bool, _DEBUG_OPTION] = False,
) -> None:
    """Create a new spec folder that passes the check at 100% closure.

    Writes feature.ttl, entities.ttl, plan.ttl and architecture.ttl with one
    feature, one story with one scenario, one phase with one task, one entity
    and one component, and comments showing where to add more. Never
    overwrites: an existing folder makes it exit 2.
    """
    from ..scaffold import create_spec

    try:
        made = create_spec(folder, title)
    except SpecCheckError as e:
        if debug:
            raise
        fail(str(e))
    except Exception as e:  # noqa: BLE001 - an unexpected failure is a tool problem: exit 2
        _internal_error(e, debug)
    shown = made.path.as_posix()
    one_line_title = " ".join(made.title.split())
    typer.echo(f"created {shown}/ for \"{one_line_title}\": {', '.join(made.files)}")
    typer.echo(f"next: replace the \"Describe ...\" texts, then run: spec-check {shown}")
    raise typer.Exit(EXIT_OK)
