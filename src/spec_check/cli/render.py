# SPDX-License-Identifier: MIT
"""`spec-check report`, `spec-check tasks` and `spec-check render`: Markdown from the spec graph.

Each command renders in memory through SpecCheck.render, then prints, writes
(atomically, only inside the chosen file or folder) or, with --check, compares
with the files on disk: exit 1 and a unified diff when they differ or are
missing, 0 when they are up to date. Template and load errors exit 2.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import SpecCheckError
from ..model import RenderedFile
from ..terminal import escape_controls
from . import DEFAULT_TIMEOUT, EXIT_FINDINGS, EXIT_OK, app, fail, time_limit, timeout_option, tool_errors

SpecArg = Annotated[Path, typer.Argument(help="The spec folder (a directory holding the spec's RDF files).",
                                         show_default=False)]
CheckOpt = Annotated[bool, typer.Option(
    "--check", help="Write nothing: compare the rendered text with the file(s) on disk; exit 1 and print a "
                    "unified diff when they differ or are missing, 0 when up to date (for CI).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback when spec-check itself fails.")]
ConfigOpt = Annotated[Optional[Path], typer.Option(
    "--config", help="Read this config file instead of looking for spec-check.toml or [tool.spec-check] in "
                     "pyproject.toml from the working folder up (its shapes, rules, inference and policy "
                     "apply as in `spec-check check`).", show_default=False)]


def _checker(config_file: Optional[Path]):
    """The SpecCheck `spec-check check` would use here: the same merged settings."""
    from ..api import SpecCheck

    return SpecCheck.from_config(config_file, use_baseline=False)
TimeoutOpt = Annotated[Optional[float], timeout_option("loading and rendering")]


def _run(action, debug: bool, timeout: Optional[float] = None):
    with tool_errors(debug), time_limit(timeout, "rendering"):
        return action()


class NotRegular(str):
    """What _read returns for a link, device or FIFO: never read, always replaced."""


MAX_COMPARED_BYTES = 64 * 1024 * 1024  # a bigger file on disk is stale without reading it


def _read(path: Path) -> str | None:
    """The file's text; None when missing; NotRegular for a link or non-regular file (never read).

    A committed ``docs/spec.md -> /proc/self/environ`` would otherwise be read and
    printed in --check's diff (issue 20 item 3). lstat first, then open without
    following links and check again on the open file (no race).
    """
    import os
    import stat

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise SpecCheckError(f"cannot read file ({e.strerror or e})", path=str(path)) from None
    if not stat.S_ISREG(st.st_mode):
        return NotRegular("link" if stat.S_ISLNK(st.st_mode) else "not a regular file")
    if st.st_size > MAX_COMPARED_BYTES:
        return NotRegular(f"larger than {MAX_COMPARED_BYTES} bytes")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return NotRegular("not a regular file")
            return handle.read(MAX_COMPARED_BYTES + 1).decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as e:
        raise SpecCheckError(f"cannot read file ({e.strerror or e})", path=str(path)) from None


def _compare(pairs: list[tuple[Path, RenderedFile]]) -> int:
    """Print a diff for each stale or missing file; return the exit code."""
    stale = 0
    for path, rendered in pairs:
        shown = path.as_posix()
        on_disk = _read(path)
        if on_disk == rendered.text:
            continue
        stale += 1
        if on_disk is None:
            typer.echo(f"{escape_controls(shown)}: missing (run without --check to write it)")
        if isinstance(on_disk, NotRegular):  # its content is never shown
            typer.echo(f"{escape_controls(shown)}: {on_disk}, not read; stale (a run without --check replaces it)")
            continue
        diff = difflib.unified_diff(
            _lines(on_disk or ""), _lines(rendered.text),
            fromfile=f"{shown} (on disk)", tofile=f"{shown} (generated)")
        for line in diff:
            line = escape_controls(line.rstrip("\n"), keep_tabs=True) + ("\n" if line.endswith("\n") else "")
            sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    if stale:
        typer.echo(f"{stale} of {len(pairs)} generated file(s) out of date", err=True)
        return EXIT_FINDINGS
    typer.echo(f"{len(pairs)} generated file(s) up to date", err=True)
    return EXIT_OK


def _lines(text: str) -> list[str]:
    """Lines ending at LF only (str.splitlines also breaks at U+2028, NEL and others)."""
    pieces = text.split("\n")
    return [p + "\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])


def _write(pairs: list[tuple[Path, RenderedFile]]) -> None:
    from ..fsutil import write_atomic

    for path, rendered in pairs:
        if _read(path) == rendered.text:
            typer.echo(f"unchanged {escape_controls(path.as_posix())}", err=True)
            continue
        write_atomic(path, rendered.text)
        typer.echo(f"wrote {escape_controls(path.as_posix())}", err=True)


def _single(spec: Path, name: str, output: Optional[Path], check: bool, debug: bool,
            config_file: Optional[Path], timeout: Optional[float]) -> None:
    if check and output is None:
        fail("--check compares with a file: give it with -o FILE")
    link_base = output.parent if output is not None else Path.cwd()
    files = _run(lambda: _checker(config_file).render(spec, names=[name], link_base=link_base), debug, timeout)
    rendered = files[0]
    if output is None:
        sys.stdout.write(rendered.text)
        raise typer.Exit(EXIT_OK)
    if check:
        raise typer.Exit(_run(lambda: _compare([(output, rendered)]), debug))
    _run(lambda: _write([(output, rendered)]), debug)
    raise typer.Exit(EXIT_OK)


@app.command()
def report(
    spec: SpecArg,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the report to this file (atomically) instead of stdout.")] = None,
    check: CheckOpt = False,
    config_file: ConfigOpt = None,
    debug: DebugOpt = False,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
) -> None:
    """Render the closure report: score, findings by rule, traceability matrix, coverage, Mermaid diagrams.

    Exit codes: 0 done (or up to date), 1 --check found a stale or missing file, 2 spec-check could
    not run (missing folder, template error).
    """
    _single(spec, "report.md", output, check, debug, config_file, timeout)


@app.command()
def tasks(
    spec: SpecArg,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o",
        help="Write the checklist to this file, e.g. tasks.md (atomically) instead of stdout.")] = None,
    check: CheckOpt = False,
    config_file: ConfigOpt = None,
    debug: DebugOpt = False,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
) -> None:
    """Render the task checklist: `- [ ] T001 [P] [US1] Title`, by phase, in dependency order.

    Exit codes: 0 done (or up to date), 1 --check found a stale or missing file, 2 spec-check could
    not run (missing folder, template error).
    """
    _single(spec, "tasks.md", output, check, debug, config_file, timeout)


@app.command()
def render(
    spec: SpecArg,
    out: Annotated[Path, typer.Option(
        "--out", help="Folder to write spec.md, plan.md, tasks.md and report.md into (created if needed; "
                      "nothing outside it is written).", show_default=False)],
    templates: Annotated[Optional[Path], typer.Option(
        "--templates", help="Folder of NAME.md.j2 templates that override ours or add documents; they run "
                            "in Jinja2's sandbox and get one variable, doc.")] = None,
    check: CheckOpt = False,
    config_file: ConfigOpt = None,
    debug: DebugOpt = False,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
) -> None:
    """Render every document of a spec folder into --out (spec.md, plan.md, tasks.md, report.md).

    Exit codes: 0 done (or up to date), 1 --check found a stale or missing file, 2 spec-check could
    not run (missing folder, template error).
    """
    files = _run(lambda: _checker(config_file).render(spec, templates=templates, link_base=out), debug,
                 timeout)
    pairs = _run(lambda: [(_inside(out, f.name), f) for f in files], debug)
    if check:
        raise typer.Exit(_run(lambda: _compare(pairs), debug))
    _run(lambda: _write(pairs), debug)
    raise typer.Exit(EXIT_OK)


def _inside(folder: Path, name: str) -> Path:
    """``folder/name``, refusing any name that would land outside ``folder``."""
    target = folder / name
    if Path(name).name != name or name in ("", ".", ".."):
        raise SpecCheckError(f"refusing to write {name!r}: not a plain file name", path=str(folder))
    # The link itself is replaced (write_atomic renames over it), never the file a symlink points at.
    if target.parent.resolve() != folder.resolve():
        raise SpecCheckError(f"refusing to write {name!r} outside the output folder", path=str(folder))
    return target
