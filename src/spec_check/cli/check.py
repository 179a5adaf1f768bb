# SPDX-License-Identifier: MIT
"""`spec-check check PATH...`: the main job."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import SpecCheckError
from . import EXIT_FINDINGS, EXIT_OK, app, fail, use_color


class OutputFormat(str, enum.Enum):
    text = "text"
    json = "json"


class FailOn(str, enum.Enum):
    violation = "violation"
    warning = "warning"
    info = "info"


class Inference(str, enum.Enum):
    none = "none"
    rdfs = "rdfs"
    owlrl = "owlrl"


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(
        help="Spec folders (or folders holding spec folders, or single RDF files).", show_default=False)],
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="text: file:line:col: [severity] message (rule-id) lines and a summary; "
                               "json: the documented JSON document.")] = OutputFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the report to this file (atomically) instead of stdout.")] = None,
    fail_on: Annotated[FailOn, typer.Option(
        help="Lowest severity that makes the exit code 1.")] = FailOn.violation,
    inference: Annotated[Inference, typer.Option(
        help="Run owlrl inference (into a separate graph) before validating. "
             "none validates the data as written.")] = Inference.none,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour the text report (NO_COLOR works too).")] = False,
    shapes: Annotated[Optional[list[Path]], typer.Option(
        "--shapes", help="An extra SHACL shapes file of your own rules (repeatable); checked against "
                         "SHACL's own shapes first.", show_default=False)] = None,
    max_file_size: Annotated[str, typer.Option(
        help="Do not read a spec file bigger than this (e.g. 20MB, 512k, 1000000); it becomes a "
             "limit-exceeded finding.")] = "20MB",
    timeout: Annotated[Optional[float], typer.Option(
        help="Stop checking a folder after this many seconds and report a timeout finding "
             "(POSIX only). Default: no limit.", min=0.001, show_default=False)] = None,
    follow_symlinks: Annotated[bool, typer.Option(
        "--follow-symlinks", help="Read symbolic links whose target lies outside the spec folder "
                                  "(skipped with a warning by default).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when spec-check itself fails.")] = False,
) -> None:
    """Check spec folders for closure and report every finding with file and line."""
    from ..api import CheckOptions, SpecCheck
    from ..infer import InferenceMode
    from ..load.limits import parse_size
    from ..model import Severity
    from ..report import REPORTERS, ReportOptions

    try:
        max_bytes = parse_size(max_file_size)
    except ValueError as e:
        fail(f"--max-file-size: {e}")
    try:
        options = CheckOptions(inference=InferenceMode(inference.value), extra_shapes=tuple(shapes or ()),
                               max_file_size=max_bytes, timeout=timeout, follow_symlinks=follow_symlinks)
        result = SpecCheck(options).check(paths)
        color = output is None and output_format is OutputFormat.text and use_color(no_color)
        text = REPORTERS[output_format.value](result, ReportOptions(color=color))
        if output is not None:
            from ..fsutil import write_atomic

            write_atomic(output, text)
        else:
            sys.stdout.write(text)
    except SpecCheckError as e:
        if debug:
            raise
        fail(str(e))
    except KeyboardInterrupt:
        raise
    except Exception as e:  # an unexpected failure is a tool problem: exit 2, one line
        if debug:
            raise
        fail(f"internal error: {type(e).__name__}: {e} (run with --debug for a traceback)")
    raise typer.Exit(EXIT_FINDINGS if result.fails(Severity(fail_on.value)) else EXIT_OK)
