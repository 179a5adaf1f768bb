# SPDX-License-Identifier: MIT
"""Project configuration: ``spec-check.toml`` or ``[tool.spec-check]`` in ``pyproject.toml``.

Found from the working folder upwards; in each folder ``spec-check.toml`` wins
over ``pyproject.toml``, and a ``pyproject.toml`` without the table is passed
over. Keys are kebab-case; an unknown key or a value of the wrong type stops the
run (SpecCheckError, exit 2) naming the file and key. Paths are relative to the
config file's folder. The CLI merges this with its options (options win).
"""

from __future__ import annotations

import tomllib

from .safe_read import read_input_text
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .errors import SpecCheckError
from .model import InferenceMode, Severity

CONFIG_NAMES = ("spec-check.toml", "pyproject.toml")
INFERENCE_MODES = tuple(m.value for m in InferenceMode)


@dataclass(frozen=True)
class Config:
    """What a config file says; None means "not set here"."""

    source: Optional[Path] = None
    paths: Optional[tuple[Path, ...]] = None  # spec roots checked when no PATH is given
    shapes: Optional[tuple[Path, ...]] = None  # extra SHACL shapes files
    sparql: Optional[tuple[Path, ...]] = None  # extra SPARQL rule files
    inference: Optional[str] = None
    select: Optional[tuple[str, ...]] = None
    ignore: Optional[tuple[str, ...]] = None
    severity: Optional[tuple[tuple[str, Severity], ...]] = None
    fail_on: Optional[Severity] = None
    baseline: Optional[Path] = None


def find_config(start: Path) -> Optional[Path]:
    """The nearest config file at or above ``start``, or None."""
    folder = start.resolve()
    for here in (folder, *folder.parents):
        candidate = here / "spec-check.toml"
        if candidate.is_file():
            return candidate
        candidate = here / "pyproject.toml"
        if candidate.is_file() and _table(candidate) is not None:
            return candidate
    return None


def load_config(path: Optional[Path] = None, start: Optional[Path] = None) -> Config:
    """Read ``path`` (or the file found from ``start``, default the working folder).

    Raises:
        SpecCheckError: the file does not parse, or has an unknown key or a bad value.
    """
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config()
    elif not Path(path).is_file():
        raise SpecCheckError("config file not found", path=str(path))
    table = _table(Path(path))
    if table is None:
        if Path(path).name == "pyproject.toml":
            raise SpecCheckError("no [tool.spec-check] table", path=str(path))
        table = {}
    return _parse(table, Path(path))


def _table(path: Path) -> Optional[dict]:
    try:
        data = tomllib.loads(read_input_text(path, "config file"))
    except tomllib.TOMLDecodeError as e:
        raise SpecCheckError(f"config file is not valid TOML: {e}", path=str(path)) from None
    except RecursionError:  # tables or arrays nested thousands deep
        raise SpecCheckError("config file is nested too deeply to read", path=str(path)) from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("spec-check")
    return data


def _parse(table: dict, source: Path) -> Config:
    where = "[tool.spec-check] " if source.name == "pyproject.toml" else ""
    base = source.parent

    def fail(key: str, expected: str):
        raise SpecCheckError(f"{where}key {key!r}: expected {expected}", path=str(source))

    def strings(key: str) -> tuple[str, ...]:
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(key, "a list of strings")
        return tuple(value)

    def severity(key: str, text) -> Severity:
        if not isinstance(text, str):
            fail(key, "one of " + ", ".join(s.value for s in Severity))
        try:
            return Severity.parse(text)
        except ValueError:
            fail(key, "one of " + ", ".join(s.value for s in Severity))

    values: dict = {}
    for key in sorted(table):
        if key in ("paths", "shapes", "sparql"):
            values[key] = tuple(base / p for p in strings(key))
        elif key in ("select", "ignore"):
            values[key] = strings(key)
        elif key == "inference":
            if table[key] not in INFERENCE_MODES:
                fail(key, "one of " + ", ".join(INFERENCE_MODES))
            values[key] = table[key]
        elif key == "fail-on":
            values["fail_on"] = severity(key, table[key])
        elif key == "severity":
            if not isinstance(table[key], dict):
                fail(key, 'a table of rule id = "violation" | "warning" | "info"')
            values[key] = tuple((rule, severity(f"severity.{rule}", level))
                                for rule, level in sorted(table[key].items()))
        elif key == "baseline":
            if not isinstance(table[key], str):
                fail(key, "a file path")
            values[key] = base / table[key]
        else:
            from .suggest import did_you_mean

            keys = ("baseline", "fail-on", "ignore", "inference", "paths", "select", "severity", "shapes", "sparql")
            raise SpecCheckError(f"{where}unknown key {key!r}{did_you_mean(key, keys)} "
                                 f"(known keys: {', '.join(keys)})", path=str(source))
    return Config(source=source, **values)
