# SPDX-License-Identifier: MIT
"""`spec-check check PATH...`: the main job.

Options are grouped (output, rules, baseline); `build_settings` is the one
place where command-line options and the config file are merged (options win)
into the API's CheckOptions plus the few settings only the CLI needs.
"""

from __future__ import annotations

import enum
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import SpecCheckError
from ..model import ENGINES, InferenceMode, Severity
from ..report import REPORTERS
from . import DEFAULT_TIMEOUT, EXIT_FINDINGS, EXIT_OK, app, checked_timeout, tool_errors, use_color


def _choices(name: str, values) -> type[enum.Enum]:
    """A Typer choice type whose members are ``values``: each option's choices are spelt once, where
    the thing they choose lives (reporters, severities, inference modes, engines)."""
    return enum.Enum(name, {v: v for v in values}, type=str)


OutputFormat = _choices("OutputFormat", ("auto", *REPORTERS))
FailOn = _choices("FailOn", (s.value for s in sorted(Severity, key=lambda s: -s.rank)))
Engine = _choices("Engine", ENGINES)
Inference = _choices("Inference", (m.value for m in InferenceMode))


FORMAT_HELP = (
    "auto: github inside GitHub Actions (GITHUB_ACTIONS=true), else text. "
    "text: file:line:col: [severity] message (rule-id) lines and a summary; "
    "json: the documented JSON document (schema shipped in the package); "
    "sarif: SARIF 2.1.0 for code scanning; junit: JUnit XML, a testsuite per folder; "
    "github: ::error workflow commands (annotations); markdown: a summary table for PR comments; "
    "gitlab: GitLab Code Quality JSON (artifacts: reports: codequality)."
)

_OUT, _RULES, _BASE, _LIMITS = "Output", "Rules and policy", "Baseline", "Limits for untrusted input"
_PERF = "Performance"


def build_settings(paths: list[Path], *, config_file: Optional[Path], fail_on: Optional[FailOn],
                   inference: Optional[Inference], select: list[str], ignore: list[str],
                   baseline: Optional[Path], write_baseline: Optional[Path],
                   dialect: Optional[str] = None, rules_paths: tuple[Path, ...] = (),
                   shapes: tuple[Path, ...] = ()):
    """The command's options merged with the config file by settings.resolve_settings (options win)."""
    from ..settings import resolve_settings

    return resolve_settings(
        config_file=config_file, paths=paths, inference=inference.value if inference else None, select=select,
        ignore=ignore, shapes=shapes, rules_paths=rules_paths, dialect=dialect,
        fail_on=fail_on.value if fail_on else None, baseline=baseline, write_baseline=write_baseline,
        need_paths=True)


class _ProgressBar:
    """A rich progress bar on stderr; only shown when stderr is a terminal and
    more than one folder is checked, so CI logs never carry it."""

    DRAW_EVERY = 1000  # folders: up to this many, every folder is drawn
    MIN_REDRAW = 0.02  # seconds

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.task = None
        self.drawn = 0.0

    def __call__(self, done: int, total: int, folder: str) -> None:
        if not self.enabled or total < 2:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        # Draw now: the bar's own 10 Hz timer would skip folders that finish between two ticks.
        # Above DRAW_EVERY folders at most every MIN_REDRAW seconds: drawing costs (100k folders).
        now = time.monotonic()
        redraw = total <= self.DRAW_EVERY or done == total or now - self.drawn >= self.MIN_REDRAW
        self.bar.update(self.task, completed=done, description=folder, refresh=redraw)
        if redraw:
            self.drawn = now

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def default_jobs() -> int:
    """The cores this process may use (not all the machine's, under a CPU limit)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@app.command()
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Spec folders (or folders holding spec folders, or single RDF files). "
             "Default: `paths` from the config file, else ./specs.", show_default=False)] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help=FORMAT_HELP, rich_help_panel=_OUT)] = OutputFormat.auto,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the report to this file (atomically) instead of stdout.",
        rich_help_panel=_OUT)] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Only the findings: no summary lines.", rich_help_panel=_OUT)] = False,
    verbose: Annotated[int, typer.Option(
        "--verbose", "-v", count=True, help="Say on stderr which config file and folders are used.",
        rich_help_panel=_OUT)] = 0,
    no_color: Annotated[bool, typer.Option(
        "--no-color", help="Never colour the text report (NO_COLOR works too).", rich_help_panel=_OUT)] = False,
    fail_on: Annotated[Optional[FailOn], typer.Option(
        help="Lowest severity that makes the exit code 1 (default: config `fail-on`, else violation).",
        show_default=False, rich_help_panel=_RULES)] = None,
    inference: Annotated[Optional[Inference], typer.Option(
        help="Run owlrl inference (into a separate graph) before validating; none validates the data "
             "as written (default: config `inference`, else none).", show_default=False,
        rich_help_panel=_RULES)] = None,
    select: Annotated[Optional[list[str]], typer.Option(
        "--select", help="Report only this rule id (repeatable; replaces config `select`).",
        show_default=False, rich_help_panel=_RULES)] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", help="Never report this rule id (repeatable; replaces config `ignore`).",
        show_default=False, rich_help_panel=_RULES)] = None,
    dialect: Annotated[Optional[str], typer.Option(
        "--dialect", metavar="NAME", help="Read every folder in this vocabulary dialect instead of detecting it "
                                          "(`spec-check dialects` lists them).", show_default=False,
        rich_help_panel=_RULES)] = None,
    rules_paths: Annotated[Optional[list[Path]], typer.Option(
        "--rules", metavar="PATH", help="SPARQL gate rules: a .rq file or a folder of them (ggen's "
                                        ".specify/gates convention); repeatable, added to config `sparql`.",
        show_default=False, rich_help_panel=_RULES)] = None,
    config_file: Annotated[Optional[Path], typer.Option(
        "--config", help="Read this config file instead of looking for spec-check.toml or "
                         "pyproject.toml from the working folder upwards.", show_default=False,
        rich_help_panel=_RULES)] = None,
    baseline: Annotated[Optional[Path], typer.Option(
        "--baseline", help="Leave out findings recorded in this baseline file; only new ones are "
                           "reported and fail the run.", show_default=False, rich_help_panel=_BASE)] = None,
    write_baseline: Annotated[Optional[Path], typer.Option(
        "--write-baseline", help="Record every current finding in this file (sorted JSON) and exit 0.",
        show_default=False, rich_help_panel=_BASE)] = None,
    engine: Annotated[Engine, typer.Option(
        help="native: evaluate the shapes in one pass each and the SPARQL rules on pyoxigraph (fast); "
             "pyshacl: pySHACL and rdflib, the reference. Both give the same findings "
             "(tests/test_engines.py); shapes the native engine does not cover always go to pySHACL.",
        rich_help_panel=_PERF)] = Engine.native,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, show_default="the number of cores", rich_help_panel=_PERF,
        help="Check this many folders at once, in worker processes. The report is the same for any value.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", rich_help_panel=_PERF,
        help="Neither read nor write the result cache (.spec-check-cache/, or $SPEC_CHECK_CACHE_DIR). "
             "A cached result is reused only when data, shapes, ontology, options and "
             "spec-check itself are byte-for-byte unchanged.")] = False,
    shapes: Annotated[Optional[list[Path]], typer.Option(
        "--shapes", metavar="FILE", help="An extra SHACL shapes file of your own rules (repeatable; added to config "
                         "`shapes`); checked against SHACL's own shapes first.", show_default=False,
        rich_help_panel=_RULES)] = None,
    max_file_size: Annotated[str, typer.Option(
        metavar="SIZE", help="Do not read a spec file bigger than this (e.g. 20MB, 512k, 1000000); it becomes a "
             "limit-exceeded finding.", rich_help_panel=_LIMITS)] = "20MB",
    timeout: Annotated[Optional[float], typer.Option(
        metavar="SECONDS", help="Stop checking a folder after this many seconds and report a timeout finding "
             "(POSIX only).", rich_help_panel=_LIMITS)] = DEFAULT_TIMEOUT,
    follow_symlinks: Annotated[bool, typer.Option(
        "--follow-symlinks", help="Read symbolic links whose target lies outside the spec folder "
                                  "(skipped with a warning by default).", rich_help_panel=_LIMITS)] = False,
    repo_root: Annotated[Optional[Path], typer.Option(
        "--repo-root", metavar="DIR", help="The repository the specs describe: a done task ([x]) whose named file "
        "is not in it is reported (done-task-file). Results are then not cached.", show_default=False,
        rich_help_panel=_RULES)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when spec-check itself fails.")] = False,
) -> None:
    """Check spec folders for closure and report every finding with file and line."""
    from dataclasses import replace

    from ..api import SpecCheck
    from ..cache import default_cache_dir
    from ..errors import SpecCheckError
    from ..fsutil import write_atomic
    from ..report import REPORTERS, ReportOptions, auto_format

    progress = _ProgressBar(enabled=sys.stderr.isatty() and not quiet)
    with tool_errors(debug):
        settings = build_settings(
            paths or [], config_file=config_file, fail_on=fail_on, inference=inference,
            select=select or [], ignore=ignore or [], baseline=baseline, write_baseline=write_baseline,
            dialect=dialect, rules_paths=tuple(rules_paths or ()), shapes=tuple(shapes or ()))
        if repo_root is not None and not repo_root.is_dir():
            raise SpecCheckError("--repo-root is not a folder", path=str(repo_root))
        options = replace(settings.options, max_file_size=_size_option(max_file_size), timeout=checked_timeout(timeout),
                          follow_symlinks=follow_symlinks, engine=engine.value, jobs=jobs or default_jobs(),
                          repo_root=repo_root,
                          cache_dir=None if no_cache or repo_root is not None else default_cache_dir())
        if verbose:
            typer.echo(f"spec-check: config: {settings.config_file or '(none found)'}", err=True)
            if settings.baseline_file:
                typer.echo(f"spec-check: baseline: {settings.baseline_file}", err=True)
        try:
            result = SpecCheck(options).check(list(settings.paths), progress=progress)
        finally:
            progress.close()
        if verbose:
            typer.echo(f"spec-check: checked {len(result.folders)} folder(s): "
                       + ", ".join(f.path for f in result.folders), err=True)
        if write_baseline is not None:
            from ..baseline import baseline_text

            write_atomic(write_baseline, baseline_text(result))
            typer.echo(f"spec-check: wrote {len(result.findings)} finding(s) to the baseline {write_baseline}",
                       err=True)
        name = auto_format(os.environ) if output_format is OutputFormat.auto else output_format.value
        color = output is None and name == "text" and use_color(no_color)
        text = REPORTERS[name](result, ReportOptions(color=color, verbose=verbose, quiet=quiet,
                                                     fail_on=settings.fail_on))
        if output is not None:
            write_atomic(output, text)
        else:
            sys.stdout.write(text)
        _append_step_summary(result)
    if write_baseline is not None:
        raise typer.Exit(EXIT_OK)
    raise typer.Exit(EXIT_FINDINGS if result.fails(settings.fail_on) else EXIT_OK)


def _size_option(text: str) -> int:
    from ..load.limits import parse_size

    try:
        return parse_size(text)
    except ValueError as e:
        raise SpecCheckError(f"--max-file-size: {e}") from None


def _append_step_summary(result) -> None:
    """Inside GitHub Actions, add the Markdown summary to the job's summary page."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from ..report.markdown import render_markdown

    try:
        # GitHub hands us this file to append to; other steps write to it too.
        with open(target, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(render_markdown(result))
    except OSError as e:
        raise SpecCheckError(f"cannot append the job summary ({e.strerror or e})", path=target) from None
