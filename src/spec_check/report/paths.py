# SPDX-License-Identifier: MIT
"""File paths as CI systems want them: relative to the repository root, whatever folder spec-check
ran from (code scanning and GitLab resolve them against the checkout)."""

from __future__ import annotations

import os
from pathlib import Path


def source_root(cwd: Path) -> Path:
    """The repository root above ``cwd`` (the folder holding .git), else ``cwd`` itself."""
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return cwd


class RootRelative:
    """Maps a finding's path (relative to the working folder, or absolute) to one relative to the
    source root; ``None`` for a file outside it."""

    def __init__(self, cwd: Path | None = None):
        self.cwd = Path(os.path.abspath(cwd or os.getcwd()))
        self.root = source_root(self.cwd)

    def absolute(self, path: str) -> Path:
        return Path(os.path.normpath(self.cwd / path))

    def __call__(self, path: str) -> str | None:
        try:
            return self.absolute(path).relative_to(self.root).as_posix()
        except ValueError:
            return None
