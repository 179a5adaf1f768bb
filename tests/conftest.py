# SPDX-License-Identifier: MIT
"""Shared test helpers: run the CLI in-process, find the repository's folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SPEC_008 = ROOT / "specs" / "008-build-optimization-complete"
CASES = ROOT / "tests" / "cases"
SPECKIT_BASE = ROOT / "tests" / "speckit" / "base"  # a small clean spec-kit Markdown folder
CORPUS = ROOT.parent / "shared" / "corpus" / "ggen"


@dataclass
class CliRun:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: list[str], env: dict | None = None) -> CliRun:
    """Run `spec-check ARGS` in this process, as the console script would."""
    from spec_check.cli import app, command_args

    runner = CliRunner()
    result = runner.invoke(app, command_args([str(a) for a in args]), env=env, catch_exceptions=False)
    return CliRun(result.exit_code, result.stdout, result.stderr)


def closure_of(*paths: Path, **options):
    """The CheckResult of checking ``paths`` through the API (no cache), for tests that show its figures.

    Tests of how a command *displays* a score derive the expected figures from here rather than
    pinning numbers that every new rule would change.
    """
    from spec_check.api import CheckOptions, SpecCheck

    return SpecCheck(CheckOptions(**options)).check(list(paths))  # cache_dir None: no cache


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Keep the result cache out of the checkout: one fresh cache per test session.

    Without this, a cached result from an earlier run (or test) could answer a run that
    expects to do the work, such as one that must hit --timeout.
    """
    import os

    # The per-user cache secret (cache.py) goes to $XDG_CACHE_HOME: a session's own, too.
    previous = {name: os.environ.get(name) for name in ("SPEC_CHECK_CACHE_DIR", "XDG_CACHE_HOME")}
    os.environ["SPEC_CHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("spec-check-cache"))
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the real-world corpus is absent ({CORPUS}); it lives in ../shared/corpus beside the checkout")
    return CORPUS
