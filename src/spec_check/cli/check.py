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


class Engine(str, enum.Enum):
    native = "native"
    pyshacl = "pyshacl"


class Inference(str, enum.Enum):
    none = "none"
    rdfs = "rdfs"
    owlrl = "owlrl"


def default_jobs() -> int:
    """The cores this process may use (not all the machine's, under a CPU limit)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
    engine: Annotated[Engine, typer.Option(
        help="native: evaluate the shapes in one pass each and the SPARQL rules on pyoxigraph (fast); "
             "pyshacl: pySHACL and rdflib, the reference. Both give the same findings "
             "(tests/test_engines.py); shapes the native engine does not cover always go to pySHACL.")] = Engine.native,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, show_default="the number of cores",
        help="Check this many folders at once, in worker processes. The report is the same for any value.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the result cache (.spec-check-cache/, or $SPEC_CHECK_CACHE_DIR). "
                           "A cached result is reused only when data, shapes, ontology, options and "
                           "spec-check itself are byte-for-byte unchanged.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour the text report (NO_COLOR works too).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when spec-check itself fails.")] = False,
) -> None:
    """Check spec folders for closure and report every finding with file and line."""
    from ..api import CheckOptions, SpecCheck
    from ..cache import default_cache_dir
    from ..infer import InferenceMode
    from ..model import Severity
    from ..report import REPORTERS, ReportOptions

    try:
        options = CheckOptions(
            inference=InferenceMode(inference.value),
            engine=engine.value,
            jobs=jobs or default_jobs(),
            cache_dir=None if no_cache else default_cache_dir(),
        )
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
