# SPDX-License-Identifier: MIT
"""`spec-check publish`, and the store side of `spec-check query` (--store, --endpoint, --list).

Parse options, build the target (store.targets), call store.publish or
store.ask, print, own the exit code. Network only with an explicit --endpoint.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import EXIT_ERROR, EXIT_OK, app, fail, tool_errors
from .check import Inference

DEFAULT_STORE = Path(".spec-check-store")

STORE_OPTION = typer.Option(
    "--store", metavar="DIR", help="An embedded on-disk store (pyoxigraph; nothing to run). "
                                   "publish: default .spec-check-store when no --endpoint is given.",
    show_default=False)
ENDPOINT_OPTION = typer.Option(
    "--endpoint", metavar="URL", help="A SPARQL 1.1 server's query endpoint (e.g. http://127.0.0.1:7878/query, "
                                      "Fuseki's http://host:3030/ds/query, GraphDB's http://host:7200/repositories/ID). "
                                      "Credentials from SPEC_CHECK_ENDPOINT_USER/_PASSWORD, "
                                      "SPEC_CHECK_ENDPOINT_TOKEN or ~/.netrc, never the command line.",
    show_default=False)
REQUEST_TIMEOUT_OPTION = typer.Option(
    "--request-timeout", metavar="SECONDS", min=0.1, help="With --endpoint: seconds to wait for one answer.")
RETRIES_OPTION = typer.Option(
    "--retries", min=0, max=10, metavar="N", help="With --endpoint: further attempts when the server is unreachable, busy "
                                     "or times out (waiting 0.5 s, 1 s, 2 s, ... between them).")


def open_target(store: Optional[Path], endpoint: Optional[str], update_endpoint: Optional[str] = None,
                request_timeout: float = 60.0, retries: int = 3, must_exist: bool = False):
    from ..store.http import HttpSettings
    from ..store.targets import EmbeddedStore, Endpoint

    if store is not None and endpoint is not None:
        fail("give --store or --endpoint, not both")
    if endpoint is not None:
        return Endpoint(endpoint, update_endpoint, HttpSettings(timeout=request_timeout, retries=retries))
    if update_endpoint is not None:
        fail("--update-endpoint goes with --endpoint")
    return EmbeddedStore(store if store is not None else DEFAULT_STORE, must_exist=must_exist)


@app.command()
def publish(
    specs: Annotated[list[Path], typer.Argument(
        metavar="SPECS...", help="Spec folders, or folders holding spec folders.", show_default=False)],
    store: Annotated[Optional[Path], STORE_OPTION] = None,
    endpoint: Annotated[Optional[str], ENDPOINT_OPTION] = None,
    update_endpoint: Annotated[Optional[str], typer.Option(
        "--update-endpoint", metavar="URL", help="The server's SPARQL Update endpoint when it is not the query "
                                                 "endpoint's .../update (GraphDB: .../statements).",
        show_default=False)] = None,
    repository: Annotated[Optional[str], typer.Option(
        "--repository", metavar="NAME", help="Publish under this repository name instead of the git remote's "
                                             "host/owner/name (or the work tree's folder name).",
        show_default=False)] = None,
    request_timeout: Annotated[float, REQUEST_TIMEOUT_OPTION] = 60.0,
    retries: Annotated[int, RETRIES_OPTION] = 3,
    inference: Annotated[Optional[Inference], typer.Option(
        help="Check with this inference, as `spec-check check --inference` (default: config `inference`, else none).",
        show_default=False)] = None,
    dialect: Annotated[Optional[str], typer.Option(
        "--dialect", metavar="NAME", help="Read the specs in this vocabulary dialect instead of detecting it.",
        show_default=False)] = None,
    config_file: Annotated[Optional[Path], typer.Option(
        "--config", help="Read this config file instead of looking for one.", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Write every folder again, even one whose latest run the store already holds.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, show_default="the number of cores", help="Folders checked in parallel.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Bypass the result cache in .spec-check-cache/ (as `spec-check check --no-cache`).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when spec-check itself fails.")] = False,
) -> None:
    """Check spec folders and publish their graphs into a SPARQL store.

    Per folder: its asserted triples, its rule view, its findings as a SHACL
    validation report, and a run record (repository, commit, folder, time,
    tool version, closure) that is kept, so history accumulates. Re-publishing
    replaces a folder's graphs in one transaction; publishing the same content
    again changes nothing (such a folder is not even rewritten; --force
    rewrites it). Exit 0 when every folder is published, 2 when
    something could not be (the store then holds every folder whole, old or
    new). docs/store.md describes the graphs.
    """
    from dataclasses import replace

    from ..cache import default_cache_dir
    from ..store.publish import publish as publish_folders
    from .authoring import _options
    from .check import default_jobs

    with tool_errors(debug):
        options = replace(_options(inference, config_file, dialect), jobs=jobs or default_jobs(),
                          cache_dir=None if no_cache else default_cache_dir())
        target = open_target(store, endpoint, update_endpoint, request_timeout, retries)
        try:
            def progress(done: int, total: int, folder: str, written: bool) -> None:
                if not quiet:
                    typer.echo(f"{'published' if written else 'unchanged'} {folder} ({done}/{total})", err=True)

            done = publish_folders(specs, target, options, repository, progress, force=force)
        finally:
            target.close()
    result = done.result
    if not quiet:
        for folder, source in zip(result.folders, done.sources):
            typer.echo(f"{folder.closure:5.1f}%  {folder.path}  →  {source.iri}")
    triples = sum(f.triples for f in result.folders)
    count, unchanged = len(result.folders), done.written.count(False)
    kept = f", {unchanged} of them unchanged" if unchanged else ""
    typer.echo(f"published {count} folder{'' if count == 1 else 's'} ({triples:,} triples) into {target.label}"
               f"{kept}; closure {result.closure:.1f}%")
    raise typer.Exit(EXIT_OK)


def run_query_on_store(sparql: Optional[str], name: Optional[str], source: str, store: Optional[Path],
                       endpoint: Optional[str], output_format: Optional[str], request_timeout: float,
                       retries: int, debug: bool) -> None:
    """The store side of `spec-check query`: a query text or a ready query by name."""
    from ..query import QuerySyntaxError, format_result
    from ..store.ask import prepare, ready_query, run_store_query

    with tool_errors(debug):
        if name is not None:
            query = ready_query(name)
            sparql, source = query.text, f"{name}.rq"
        try:
            prepare(sparql, source)  # a typo is reported before the store is opened or the server asked
        except QuerySyntaxError as e:
            if debug:
                raise
            typer.echo(f"spec-check: error: {e}\n{e.caret()}", err=True)
            raise typer.Exit(EXIT_ERROR) from None
        target = open_target(store, endpoint, None, request_timeout, retries, must_exist=True)
        try:
            result = run_store_query(target, sparql, source)
        finally:
            target.close()
        text = format_result(result, output_format)
    sys.stdout.write(text)
    raise typer.Exit(EXIT_OK)


def list_ready_queries() -> None:
    from ..store.ask import ready_queries

    queries = ready_queries()
    width = max(len(n) for n in queries)
    for query in queries.values():
        typer.echo(f"{query.name.ljust(width)}  {query.title}")
    typer.echo("run one: spec-check query --store DIR --name NAME  (or --endpoint URL)")
    raise typer.Exit(EXIT_OK)
