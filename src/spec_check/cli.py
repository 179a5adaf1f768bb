# SPDX-License-Identifier: MIT
"""The command line: parse options, call the API, pick a reporter, own the exit codes.

Exit codes: 0 closed (no finding at or above --fail-on), 1 findings, 2 spec-check
could not run (bad option, missing path, broken shapes). This is the only
module that imports typer.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import SpecCheckError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

HELP = """Check that RDF feature specs are closed: complete, consistent and traceable.

Exit codes: 0 closed, 1 findings at or above --fail-on, 2 spec-check could not run.
`spec-check PATH...` is short for `spec-check check PATH...`.
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False, rich_markup_mode=None)


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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spec-check {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Check that RDF feature specs are closed."""


def _fail(message: str) -> None:
    typer.echo(f"spec-check: error: {message}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


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
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when spec-check itself fails.")] = False,
) -> None:
    """Check spec folders for closure and report every finding with file and line."""
    from .api import CheckOptions, SpecCheck
    from .infer import InferenceMode
    from .model import Severity
    from .report import REPORTERS, ReportOptions

    try:
        result = SpecCheck(CheckOptions(inference=InferenceMode(inference.value))).check(paths)
        color = output is None and output_format is OutputFormat.text and _use_color(no_color)
        text = REPORTERS[output_format.value](result, ReportOptions(color=color))
        if output is not None:
            from .fsutil import write_atomic

            write_atomic(output, text)
        else:
            sys.stdout.write(text)
    except SpecCheckError as e:
        if debug:
            raise
        _fail(str(e))
    except KeyboardInterrupt:
        raise
    except Exception as e:  # an unexpected failure is a tool problem: exit 2, one line
        if debug:
            raise
        _fail(f"internal error: {type(e).__name__}: {e} (run with --debug for a traceback)")
    raise typer.Exit(EXIT_FINDINGS if result.fails(Severity(fail_on.value)) else EXIT_OK)


@app.command()
def rules(
    rule_id: Annotated[Optional[str], typer.Argument(help="Explain this rule, with a failing and a passing example.")] = None,
) -> None:
    """List every rule (id, severity, kind, name), or explain one."""
    from .rules import load_rules

    try:
        catalogue = load_rules().rules
    except SpecCheckError as e:
        _fail(str(e))
    if rule_id is None:
        width = max(len(r) for r in catalogue)
        for info in catalogue.values():
            typer.echo(f"{info.rule_id:<{width}}  {info.severity.value:<9}  {info.kind:<7}  {info.name}")
        return
    info = catalogue.get(rule_id)
    if info is None:
        _fail(f"no rule {rule_id!r}; `spec-check rules` lists them")
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
    if info.failing_example:
        parts += ["", "Fails:", block(info.failing_example)]
    if info.passing_example:
        parts += ["", "Passes:", block(info.passing_example)]
    return "\n".join(parts)


_GLOBAL_OPTIONS = {"--help", "--version", "--install-completion", "--show-completion"}


def main(argv: list[str] | None = None) -> None:
    """Entry point: `spec-check PATH...` runs `check`, as does `spec-check check PATH...`."""
    args = list(sys.argv[1:] if argv is None else argv)
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    if args and args[0] not in commands and args[0] not in _GLOBAL_OPTIONS:
        args.insert(0, "check")
    app(args=args, prog_name="spec-check")
