# SPDX-License-Identifier: MIT
"""Import boundaries: reporters and the value types never see rdflib or pyshacl; only cli/ knows typer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "spec_check"


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_import_boundaries(path: Path):
    rel = path.relative_to(PACKAGE).as_posix()
    roots = imported_roots(path)
    if rel == "model.py" or rel.startswith("report/"):
        assert not roots & {"rdflib", "pyshacl", "owlrl"}, f"{rel} imports {roots & {'rdflib', 'pyshacl', 'owlrl'}}"
    if not rel.startswith("cli/"):
        assert not roots & {"typer", "click"}, f"{rel} imports the CLI framework"


def test_the_walker_sees_imports():
    # The boundary test can fail: the walker does find typer in the CLI.
    assert "typer" in imported_roots(PACKAGE / "cli" / "__init__.py")
    assert "rdflib" in imported_roots(PACKAGE / "load" / "parse.py")
