# SPDX-License-Identifier: MIT
"""`spec-check site SPECS... --out DIR`: a static HTML site of every spec folder.

The command checks the folders exactly as `check` does (same config file, same
cache), builds the pages in memory (spec_check.site) and writes them atomically,
only inside --out; a file whose bytes are unchanged is left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import SpecCheckError
from . import EXIT_OK, app, tool_errors


@app.command()
def site(
    specs: Annotated[list[Path], typer.Argument(
        metavar="SPECS", help="Spec folders, or folders holding spec folders (as for `check`).", show_default=False)],
    out: Annotated[Path, typer.Option(
        "--out", metavar="DIR", help="Folder to write the site into (created if needed; nothing outside it is written).",
        show_default=False)],
    history: Annotated[Optional[list[str]], typer.Option(
        "--history", metavar="REPORT|REV", help="An earlier run, oldest first (repeatable): a `spec-check --format json` report file, "
                          "or a git revision (each folder is then read from it, without a checkout, and "
                          "checked); the index shows each folder's closure trend.")] = None,
    config: Annotated[Optional[Path], typer.Option(
        "--config", help="Config file instead of spec-check.toml / [tool.spec-check] found upwards.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the result cache.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when spec-check itself fails.")] = False,
) -> None:
    """Write a static HTML site: an index of every spec with its closure score, findings and trend, one
    page per spec (stories, scenarios, requirements, tasks, linked both ways, findings beside their
    node), a traceability matrix, an interactive dependency graph and a search box.

    The site needs no server and no network: open DIR/index.html from disk or publish DIR on any static
    host. The same inputs give byte-identical files.

    Exit codes: 0 written (whatever the specs' findings), 2 spec-check could not run (missing folder,
    bad config or history report, unwritable output).
    """
    from dataclasses import replace

    from ..api import SpecCheck
    from ..cache import default_cache_dir
    from ..fsutil import write_atomic
    from ..site import build_site, collect
    from .check import build_settings, default_jobs

    with tool_errors(debug):
        settings = build_settings(specs, config_file=config, fail_on=None, inference=None, select=[],
                                  ignore=[], baseline=None, write_baseline=None)
        options = replace(settings.options, jobs=default_jobs(), cache_dir=None if no_cache else default_cache_dir())
        files = build_site(collect(SpecCheck(options), list(settings.paths), history or []))
        written = 0
        for name, text in files:
            target = inside(out, name)
            try:
                if target.read_bytes() == text.encode("utf-8"):
                    continue
            except OSError:
                pass
            write_atomic(target, text)
            written += 1
        typer.echo(f"wrote {written} of {len(files)} files to {out.as_posix()}/ "
                   f"(open {(out / 'index.html').as_posix()})", err=True)
    raise typer.Exit(EXIT_OK)


def inside(folder: Path, name: str) -> Path:
    """``folder/name`` for a generated relative path, refusing anything that would land outside ``folder``."""
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts) or "\\" in name:
        raise SpecCheckError(f"refusing to write {name!r}: not a plain relative path", path=str(folder))
    target = folder.joinpath(*parts)
    base = folder.resolve()
    parent = target.parent.resolve()
    if parent != base and base not in parent.parents:
        raise SpecCheckError(f"refusing to write {name!r} outside the output folder", path=str(folder))
    return target
