# SPDX-License-Identifier: MIT
"""The one place where the config file and a command's options are merged (options win).

Every command (check, report, tasks, render, rules, query, diff) and every program using
the API builds its Settings here, so that they all check with the same shapes, rules,
inference and policy. The result is frozen: no later stage changes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .api import CheckOptions
from .config import load_config
from .errors import SpecCheckError
from .model import InferenceMode, Severity


@dataclass(frozen=True)
class Settings:
    """CheckOptions plus what only a command needs (where to look, when to fail)."""

    options: CheckOptions
    paths: tuple[Path, ...] = ()  # the roots to check (PATH arguments, else config `paths`, else ./specs)
    fail_on: Severity = Severity.VIOLATION
    config_file: Optional[Path] = None
    baseline_file: Optional[Path] = None


def resolve_settings(*, config_file: Optional[Path] = None, paths: Iterable[Path] = (),
                     inference: Optional[str] = None, select: Iterable[str] = (), ignore: Iterable[str] = (),
                     shapes: Iterable[Path] = (), rules_paths: Iterable[Path] = (), dialect: Optional[str] = None,
                     engine: Optional[str] = None, fail_on: Optional[str] = None, baseline: Optional[Path] = None,
                     write_baseline: Optional[Path] = None, use_baseline: bool = True,
                     need_paths: bool = False) -> Settings:
    """Merge the config file (``config_file``, else the one found upwards) with the given options.

    Lists given here replace the config's select/ignore and add to its shapes and SPARQL
    rules. ``use_baseline`` False: no baseline applies (diff compares versions instead).

    Raises:
        SpecCheckError: a bad config or baseline file; with ``need_paths``, nothing to check.
    """
    from .baseline import read_baseline

    config = load_config(config_file)
    roots = tuple(paths) or config.paths or ((Path("specs"),) if Path("specs").is_dir() else ())
    if need_paths and not roots:
        raise SpecCheckError("no PATH given, no `paths` in a spec-check.toml or [tool.spec-check], "
                             "and no ./specs folder (try: spec-check path/to/specs)")
    baseline_file = (baseline if baseline is not None else config.baseline) if use_baseline else None
    if write_baseline is not None:
        baseline_file = None  # a new baseline records every current finding
    options = CheckOptions(
        inference=InferenceMode(inference or config.inference or "none"),
        extra_shapes=tuple(config.shapes or ()) + tuple(shapes),
        extra_rules=tuple(rules_paths) + tuple(config.sparql or ()),
        dialect=dialect,
        select=tuple(select) or config.select or (),
        ignore=tuple(ignore) or config.ignore or (),
        severity=config.severity or (),
        baseline=read_baseline(baseline_file) if baseline_file else frozenset(),
        engine=engine or "native",
    )
    level = Severity(fail_on) if fail_on else (config.fail_on or Severity.VIOLATION)
    return Settings(options=options, paths=roots, fail_on=level, config_file=config.source,
                    baseline_file=baseline_file)
