# SPDX-License-Identifier: MIT
"""Where the reviewed sources live: ontology/ and shapes/.

In a checkout (and an editable install) they are the top-level folders of the
repository. A built wheel carries copies under ``spec_check/_data/`` (see
pyproject's force-include), which win when present.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def data_dir(name: str) -> Path:
    """Return the folder ``name`` ("ontology" or "shapes") shipped with spec-check."""
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    return _REPO_ROOT / name


def shapes_files() -> list[Path]:
    """The built-in rule files, sorted so the rule order never depends on the file system."""
    return sorted(data_dir("shapes").glob("*.ttl"))


def ontology_files() -> list[Path]:
    return sorted(data_dir("ontology").glob("*.ttl"))


def templates_dir() -> Path:
    return _PACKAGE_DIR / "render" / "templates"


def schema_file(name: str = "check-result.schema.json") -> Path:
    """A JSON Schema shipped inside the package (spec_check/schemas/)."""
    return _PACKAGE_DIR / "schemas" / name
