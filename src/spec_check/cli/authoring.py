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

from . import DEFAULT_TIMEOUT, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, app, fail, time_limit, timeout_option, tool_errors
from . import store as _store
from .check import Inference


_DEBUG_OPTION = typer.Option("--debug", help="Show a traceback when spec-check itself fails.")
_CONFIG_OPTION = typer.Option(
    "--config", help="Read this config file instead of looking for spec-check.toml or [tool.spec-check] "
                     "in pyproject.toml from the working folder up.", show_default=False)


_DIALECT_OPTION = typer.Option(
    "--dialect", metavar="NAME", help="Read the spec in this vocabulary dialect instead of detecting it "
                                      "(`spec-check dialects` lists them).", show_default=False)


def _options(inference: Optional[Inference], config_file: Optional[Path], dialect: Optional[str] = None,
             rules_paths: Optional[list[Path]] = None):
    """CheckOptions as `spec-check check` builds them (settings.resolve_settings), without a baseline:
    diff compares two versions instead, and a query sees the graph, not the findings."""
    from ..settings import resolve_settings

    return resolve_settings(config_file=config_file, inference=inference.value if inference else None,
                            dialect=dialect, rules_paths=tuple(rules_paths or ()), use_baseline=False).options


# --------------------------------------------------------------------------- init

@app.command()
def init(
    folder: Annotated[Path, typer.Argument(
        help="The new spec folder, named NUMBER-short-name (e.g. specs/009-fast-builds).",
        show_default=False)],
    title: Annotated[Optional[str], typer.Option(
        "--title", help="The feature's title. Default: the short name in title case "
                        "(fast-builds → Fast Builds).")] = None,
    debug: Annotated[bool, _DEBUG_OPTION] = False,
) -> None:
    """Create a new spec folder that passes the check at 100% closure.

    Writes feature.ttl, entities.ttl, plan.ttl and architecture.ttl with one
    feature, one story with one scenario, one phase with one task, one entity
    and one component, and comments showing where to add more. Never
    overwrites: an existing folder makes it exit 2.
    """
    from ..scaffold import create_spec

    with tool_errors(debug):
        made = create_spec(folder, title)
    shown = made.path.as_posix()
    one_line_title = " ".join(made.title.split())
    typer.echo(f"created {shown}/ for \"{one_line_title}\": {', '.join(made.files)}")
    typer.echo(f"next: replace the \"Describe ...\" texts, then run: spec-check {shown}")
    raise typer.Exit(EXIT_OK)


# --------------------------------------------------------------------------- query

class QueryFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    nt = "nt"
    turtle = "turtle"


@app.command()
def query(
    spec: Annotated[Optional[str], typer.Argument(
        help="The spec folder to query (not with --store or --endpoint).",
        show_default=False)] = None,
    sparql: Annotated[Optional[str], typer.Argument(
        help="The SPARQL query (SELECT, ASK or CONSTRUCT). Or use --file.", show_default=False)] = None,
    file: Annotated[Optional[Path], typer.Option(
        "--file", help="Read the query from this file (e.g. q.rq) instead of the argument.")] = None,
    output_format: Annotated[Optional[QueryFormat], typer.Option(
        "--format", "-f", help="SELECT and ASK: table (default), csv or json (SPARQL 1.1 results formats). "
                               "CONSTRUCT: nt (sorted N-Triples, default) or turtle.",
        show_default=False)] = None,
    inference: Annotated[Optional[Inference], typer.Option(
        help="Query after owlrl inference, as `spec-check check --inference` validates "
             "(default: config `inference`, else none).", show_default=False)] = None,
    dialect: Annotated[Optional[str], _DIALECT_OPTION] = None,
    config_file: Annotated[Optional[Path], _CONFIG_OPTION] = None,
    store: Annotated[Optional[Path], _store.STORE_OPTION] = None,
    endpoint: Annotated[Optional[str], _store.ENDPOINT_OPTION] = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", metavar="NAME", help="With --store or --endpoint: run this ready query (see --list).",
        show_default=False)] = None,
    list_queries: Annotated[bool, typer.Option(
        "--list", help="List the ready queries shipped with spec-check and exit.")] = False,
    request_timeout: Annotated[float, _store.REQUEST_TIMEOUT_OPTION] = 60.0,
    retries: Annotated[int, _store.RETRIES_OPTION] = 3,
    allow_service: Annotated[bool, typer.Option(
        "--allow-service", help="Let SERVICE <url> and FROM <iri> run (they reach the network or read "
                                "files); refused by default.")] = False,
    timeout: Annotated[Optional[float], timeout_option("loading the spec and running the query")] = DEFAULT_TIMEOUT,
    debug: Annotated[bool, _DEBUG_OPTION] = False,
) -> None:
    """Run a SPARQL query over a spec folder's graph, or over everything published.

    `query SPEC 'SPARQL'` runs over one folder's graph, as the rules see it;
    `query --store DIR 'SPARQL'` (or `--endpoint URL`) over every folder
    `spec-check publish` wrote there (docs/store.md: the graphs), and
    `--name NAME` runs a ready query instead (`--list` lists them).
    Predeclared prefixes: spec:, sc:, rdf:, rdfs:, owl:, xsd:, sh: and, for a
    folder, every prefix its files declare (such as the empty prefix :). Rows
    come sorted unless the query says ORDER BY. A query that does not parse
    exits 2 with its line and column.
    """
    from ..query import QuerySyntaxError, format_result, run_query

    if list_queries:
        _store.list_ready_queries()
    fmt = output_format.value if output_format else None
    if store is not None or endpoint is not None:
        if inference is not None or dialect is not None or config_file is not None:
            fail("--inference, --dialect and --config apply to a spec folder; a store holds what publish wrote")
        if sparql is None and file is None and name is None:
            sparql, spec = spec, None  # `query --store DIR 'SPARQL'`: the one argument is the query
        if spec is not None:
            fail("with --store or --endpoint, give the query only (no spec folder)")
        if sum(x is not None for x in (sparql, file, name)) != 1:
            fail("give one query: an argument, --file q.rq or --name NAME")
        source = "query"
        if file is not None:
            sparql, source = _read_query_file(file), file.as_posix()
        _store.run_query_on_store(sparql, name, source, store, endpoint, fmt, request_timeout, retries, debug)
    if name is not None:
        fail("--name runs a ready query over a store: add --store DIR or --endpoint URL")
    if spec is None:
        fail("no spec folder: give SPEC and a query, or --store DIR / --endpoint URL")
    if (sparql is None) == (file is None):
        fail("give the query either as an argument or with --file, not both" if sparql is not None
             else "no query: give it as an argument or with --file q.rq")
    source = "query"
    if file is not None:
        source = file.as_posix()
        sparql = _read_query_file(file)
    with tool_errors(debug):
        try:
            with time_limit(timeout, "the query"):
                result = run_query(Path(spec), sparql, _options(inference, config_file, dialect), source=source,
                                   allow_remote=allow_service)
                text = format_result(result, fmt)
        except QuerySyntaxError as e:
            if debug:
                raise
            # A query error shows the query line with a caret under the column.
            typer.echo(f"spec-check: error: {e}\n{e.caret()}", err=True)
            raise typer.Exit(EXIT_ERROR) from None
    from ..terminal import escape_controls

    for note in result.notes:
        typer.echo(f"spec-check: warning: {escape_controls(note)}", err=True)
    sys.stdout.write(text)
    raise typer.Exit(EXIT_OK)


def _read_query_file(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")  # an editor's BOM is not part of the query
    except (OSError, UnicodeDecodeError) as e:
        fail(f"{file.as_posix()}: cannot read the query ({getattr(e, 'strerror', None) or e})")


# --------------------------------------------------------------------------- diff

class DiffFormat(str, enum.Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    old: Annotated[str, typer.Argument(
        help="The old version: a spec folder, or a git revision REV:path (e.g. main:specs/008-x).",
        show_default=False)],
    new: Annotated[str, typer.Argument(
        help="The new version: a spec folder, or a git revision REV:path.", show_default=False)],
    output_format: Annotated[DiffFormat, typer.Option(
        "--format", "-f",
        help="text for the terminal, markdown for a pull-request comment, json for programs.")
    ] = DiffFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the diff to this file (atomically) instead of stdout.")] = None,
    fail_on_new_findings: Annotated[bool, typer.Option(
        "--fail-on-new-findings", help="Exit 1 when NEW has findings that OLD did not have.")] = False,
    no_check: Annotated[bool, typer.Option(
        "--no-check", help="Compare the content only: skip checking both versions "
                           "(no closure score, no findings; about twice as fast).")] = False,
    inference: Annotated[Optional[Inference], typer.Option(
        help="Check both versions with this inference, as `spec-check check --inference` "
             "(default: config `inference`, else none).", show_default=False)] = None,
    dialect: Annotated[Optional[str], _DIALECT_OPTION] = None,
    rules_paths: Annotated[Optional[list[Path]], typer.Option(
        "--rules", metavar="PATH", help="SPARQL gate rules for both checks: a .rq file or a folder of them; "
                                        "repeatable, added to config `sparql`.", show_default=False)] = None,
    config_file: Annotated[Optional[Path], _CONFIG_OPTION] = None,
    timeout: Annotated[Optional[float], timeout_option("reading and checking both versions")] = DEFAULT_TIMEOUT,
    debug: Annotated[bool, _DEBUG_OPTION] = False,
) -> None:
    """Show what changed in meaning between two versions of a spec.

    Reformatting, reordering, other prefixes or rewritten blank nodes are no
    change. Reports stories, scenarios, tasks, dependencies, entities,
    components and other nodes added, removed and changed, the closure score
    before and after, and the findings fixed and introduced. A git revision
    is read with git itself (no checkout). Exit 0, or 1 with
    --fail-on-new-findings when findings were introduced; 2 when a version
    cannot be read.
    """
    from ..diff import diff_specs
    from ..diff.format import format_diff

    if fail_on_new_findings and no_check:
        fail("--fail-on-new-findings needs the check; drop --no-check")
    with tool_errors(debug):
        options = _options(inference, config_file, dialect, rules_paths)
        with time_limit(timeout, "the diff"):
            result = diff_specs(old, new, options, check=not no_check)
            text = format_diff(result, output_format.value)
        if output is not None:
            from ..fsutil import write_atomic

            write_atomic(output, text)
        else:
            sys.stdout.write(text)
    raise typer.Exit(EXIT_FINDINGS if fail_on_new_findings and result.findings_introduced else EXIT_OK)
