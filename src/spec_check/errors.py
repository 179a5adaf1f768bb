# SPDX-License-Identifier: MIT
"""The one exception type: spec-check could not run (exit code 2).

Problems *in a spec* are findings, never exceptions. A SpecCheckError means
the tool itself could not do its job: a path that does not exist, broken
shapes, a bad option, a template error. The CLI turns it into one line on
stderr naming the file (and line, where known) and exits 2.
"""

from __future__ import annotations


class SpecCheckError(Exception):
    """spec-check could not run; ``str()`` is the one-line message for the user."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"
