# SPDX-License-Identifier: MIT
"""The command line: parse options, call the API, pick a reporter, own the exit codes.

The Typer app lives here; each command group is a small module of this package
(check.py, rules.py, ...), imported at the bottom so it registers its commands.

Exit codes: 0 closed (no finding at or above --fail-on), 1 findings, 2 spec-check
could not run (bad option, missing path, broken shapes). Only this package
imports typer.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

HELP = """Check that RDF feature specs are closed: complete, consistent and traceable.

Exit codes: 0 closed, 1 findings at or above --fail-on, 2 spec-check could not run.
`spec-check PATH...` is short for `spec-check check PATH...`.
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False, rich_markup_mode=None)


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
    quiet_libraries()


def quiet_libraries() -> None:
    """Keep the libraries' log records off stderr.

    rdflib logs a warning for every odd IRI it reads ("... does not look like a
    valid URI"); with no handler configured, Python prints them raw on stderr,
    where a hostile file could fill the log or inject lines. stderr is ours:
    one line per error.
    """
    import logging
    import warnings

    for name in ("rdflib", "pyshacl", "owlrl"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
    # pySHACL warns (ShapeRecursionWarning, with the shape path) through the warnings module,
    # which Python prints raw on stderr (issue 20, Low list).
    warnings.filterwarnings("ignore", module=r"pyshacl(\..*)?$")


def fail(message: str) -> None:
    """One line on stderr, exit 2. Control characters (a newline in a file name) are escaped."""
    from ..terminal import escape_controls

    typer.echo(f"spec-check: error: {escape_controls(message)}", err=True)
    raise typer.Exit(EXIT_ERROR)


@contextlib.contextmanager
def tool_errors(debug: bool = False):
    """The one place where a failure of spec-check itself becomes exit 2.

    A SpecCheckError is already a one-line message naming the file; anything
    else is an internal error, also one line. ``--debug`` lets both through
    with their traceback. typer.Exit (a RuntimeError) passes untouched.
    """
    from ..errors import SpecCheckError

    try:
        yield
    except typer.Exit:
        raise
    except BrokenPipeError as e:
        if stdout_reader_gone() is not False:  # `| head` left: main() ends by SIGPIPE
            raise
        fail(f"the connection was closed by the other side: {e}")  # a server hung up: exit 2
    except SpecCheckError as e:
        if debug:
            raise
        fail(str(e))
    except Exception as e:  # an unexpected failure is a tool problem: exit 2, one line
        if debug:
            raise
        fail(f"internal error: {type(e).__name__}: {e} (run with --debug for a traceback)")


# --timeout for every command that reads a spec (issue 20 item 8): a hostile folder,
# template or query must not hold a CI job until the job's own limit kills it.
DEFAULT_TIMEOUT = 300.0


def checked_timeout(value: Optional[float]) -> Optional[float]:
    """``value`` if it is a finite number of seconds above 0 (or None).

    Raises:
        SpecCheckError: ``inf``, ``nan`` or ``0`` (before, inf ended in an internal error).
    """
    import math

    from ..errors import SpecCheckError

    if value is not None and not (math.isfinite(value) and value > 0):
        raise SpecCheckError(f"--timeout: {value!r} is not a number of seconds above 0 (e.g. 300)")
    return value


def timeout_option(what: str, default: Optional[float] = DEFAULT_TIMEOUT):
    """The --timeout SECONDS option (checked by checked_timeout when used)."""
    return typer.Option("--timeout", metavar="SECONDS", show_default=default is not None,
                        help=f"Stop {what} after this many seconds (exit 2; POSIX only).")


@contextlib.contextmanager
def time_limit(seconds: Optional[float], what: str):
    """Run the block within ``seconds``; running out is a SpecCheckError (exit 2), never a hang."""
    from ..deadline import FolderTimeout, deadline
    from ..errors import SpecCheckError

    checked_timeout(seconds)
    try:
        with deadline(seconds):
            yield
    except FolderTimeout:
        raise SpecCheckError(f"{what} took longer than the --timeout of {seconds:g}s and was stopped") from None


def use_color(no_color: bool) -> bool:
    """Colour on a terminal; --no-color and NO_COLOR turn it off, FORCE_COLOR (any non-empty
    value) turns it on where output is not a terminal (CI logs that render ANSI colour)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


_GLOBAL_OPTIONS = {"--help", "--version", "--install-completion", "--show-completion"}


def command_names() -> set[str]:
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    return commands | {g.name for g in app.registered_groups if g.name}


def command_args(args: list[str]) -> list[str]:
    """Make `spec-check PATH...` mean `spec-check check PATH...`."""
    args = list(args)
    if args and args[0] not in command_names() and args[0] not in _GLOBAL_OPTIONS:
        args.insert(0, "check")
    return args


def _mistyped_command(args: list[str]) -> str:
    """The command a first argument that is no path was probably meant to be (`chek` -> check)."""
    from ..suggest import did_you_mean

    if not args or args[0] in command_names() or args[0].startswith("-") or os.path.lexists(args[0]):
        return ""
    return did_you_mean(args[0], command_names())


# The shell's code for a process ended by SIGPIPE (`spec-check rules | head`): the reader left early.
EXIT_BROKEN_PIPE = 141


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `spec-check` script."""
    raw = sys.argv[1:] if argv is None else list(argv)
    try:
        suggestion = _mistyped_command(raw)
        if suggestion:
            fail(f"no such command or path {raw[0]!r}{suggestion}")
        args = command_args(raw)
        _fast_path(args)
        app(args=args, prog_name="spec-check")
    except typer.Exit as e:  # fail() before Typer runs
        _exit(e.exit_code)
    except SystemExit as e:
        _exit(e.code)
    except BrokenPipeError:
        _exit(EXIT_ERROR)


def _exit(code) -> None:
    """Exit with ``code``, unless the reader of stdout went away: then end as grep or git do.

    SIGPIPE stays ignored (Python's default), so a server closing its socket is a
    BrokenPipeError that tool_errors reports (exit 2). Only a closed stdout ends the run
    quietly by SIGPIPE (the shell sees 141) rather than with Typer's exit 1 (which means
    findings) or a traceback. Output files are written atomically, so none is left half-way.
    """
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
    if stdout_reader_gone() is True:
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
        if hasattr(signal, "SIGPIPE"):
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGPIPE)
        code = EXIT_BROKEN_PIPE  # no SIGPIPE (Windows)
    sys.exit(code)


def stdout_reader_gone() -> bool | None:
    """Whether stdout is a pipe whose reading end is closed (`spec-check rules | head`).

    poll() reports POLLERR on the writing end of a pipe that has no reader left; a file,
    a terminal or an open pipe never does. None where poll() is missing (Windows): unknown.
    """
    import select

    if not hasattr(select, "poll"):
        return None
    try:
        poller = select.poll()
        poller.register(sys.__stdout__.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _, event in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no real stdout (embedded, closed)
        return False


def _fast_path(args: list[str]) -> None:
    """Run `--version`, `rules [ID]` and `check PATH...` without Typer's option parsing.

    Typer builds a pydantic TypeAdapter for every option of a command it runs
    (importing pydantic: ~0.1 s), more than these commands need in all: a
    pre-commit or cached re-run of `spec-check specs/` takes ~0.2 s. Only these
    exact argument shapes take this path (check: paths and the few options of
    _plain_check_options, each with a valid value); they call the same command
    functions with the same values Typer would pass, so the output is the same
    (tests/test_cache_and_jobs.py compares them); anything else, including
    --help and any option or value this path does not know, goes through Typer.
    """
    plain = not any(a.startswith("-") for a in args[1:])
    check_options = _plain_check_options(args[1:]) if args[:1] == ["check"] else None
    if args == ["--version"]:
        handler = lambda: _version(True)  # noqa: E731
    elif args[:1] == ["rules"] and len(args) <= 2 and plain:
        handler = lambda: _rules.rules(args[1] if len(args) == 2 else None)  # noqa: E731
    elif check_options is not None:
        quiet_libraries()  # what the app callback does before every command
        paths, options = check_options
        handler = lambda: _check.check(paths or None, **options)  # noqa: E731
    else:
        return
    try:
        handler()
    except typer.Exit as e:
        sys.exit(e.exit_code)
    sys.exit(EXIT_OK)


# The options of `check` the fast path takes: the ones benchmarks, CI jobs and editors pass
# (issue 19: with them, Typer's option parsing cost ~0.1 s of a 0.45 s run of 008).
_CHECK_FLAGS = {"--no-cache": "no_cache", "--quiet": "quiet", "-q": "quiet", "--no-color": "no_color"}
_CHECK_VALUES = {"--format": "output_format", "-f": "output_format", "--output": "output", "-o": "output",
                 "--jobs": "jobs", "-j": "jobs", "--engine": "engine"}


def _plain_check_options(args: list[str]):
    """(paths, keyword arguments of check) for a `check` command line made only of paths and
    valid uses of _CHECK_FLAGS / _CHECK_VALUES (each at most once); None for anything else
    (Typer then parses it, and reports what is wrong)."""
    paths: list[Path] = []
    options: dict = {}
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-"):
            paths.append(Path(arg))
            continue
        name, eq, value = arg.partition("=")
        if name in _CHECK_FLAGS and not eq:
            key, converted = _CHECK_FLAGS[name], True
        elif name in _CHECK_VALUES and (name.startswith("--") if eq else i < len(args)):  # no `-f=json`
            if not eq:
                value, i = args[i], i + 1
            key = _CHECK_VALUES[name]
            converted = _check_value(key, value)
            if converted is None:
                return None
        else:
            return None
        if key in options:
            return None
        options[key] = converted
    return paths, options


def _check_value(key: str, value: str):
    """``value`` as Typer converts it for check's option ``key``; None when it is not plainly valid."""
    if not value or value.startswith("-"):
        return None
    if key == "output":
        return Path(value)
    if key == "jobs":
        return int(value) if value.isascii() and value.isdigit() and int(value) >= 1 else None
    choices = _check.OutputFormat if key == "output_format" else _check.Engine
    return choices(value) if value in {member.value for member in choices} else None  # Typer matches values


# Command modules register themselves on `app`.
from . import check as _check  # noqa: E402,F401
from . import rules as _rules  # noqa: E402,F401
from . import dialects as _dialects  # noqa: E402,F401
from . import render as _render  # noqa: E402,F401
from . import authoring as _authoring  # noqa: E402,F401
from . import site as _site  # noqa: E402,F401
from . import convert as _convert  # noqa: E402,F401
from . import lsp as _lsp  # noqa: E402,F401
from . import store as _store  # noqa: E402,F401
