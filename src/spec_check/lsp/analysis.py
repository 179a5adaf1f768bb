# SPDX-License-Identifier: MIT
"""One spec folder as the editor sees it: checked from its buffers, indexed for navigation.

Nothing here knows the protocol's transport: the server (server.py) decides when
to analyse and sends what these functions return. The check itself is
``SpecCheck.check`` with the open buffers as ``CheckOptions.unsaved``, the same
pipeline as ``spec-check check``; the graph that hover, symbols and code actions
read is ``SpecCheck.load`` of the same buffers, built only when asked for.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..api import SpecCheck
from ..errors import SpecCheckError
from ..load.discover import MARKER, discover, display_path
from ..load.formats import FORMATS
from ..load.parse import base_iri
from ..model import Finding, FolderResult, RuleInfo
from .terms import DocumentTerms, Lines, scan

# Where codeDescription links point; {rule} is the rule id. The server's
# initializationOptions may name another (ruleDocumentationUrl).
RULE_DOCS_URL = "https://spec-check.dev/rules/#{rule}"


def is_rdf(path: Path) -> bool:
    return path.suffix.lower() in FORMATS and not path.name.startswith(".")


def spec_folder_of(path: Path) -> Path | None:
    """The spec folder ``check`` would put this file in, or None (not a file spec-check reads).

    A folder holding a ``.spec-check`` marker is one spec with everything below it;
    otherwise an RDF file's folder is its spec folder (discover.py).
    """
    if not is_rdf(path):
        return None
    for parent in path.parents:
        if (parent / MARKER).is_file():
            return parent
    return path.parent if path.parent.is_dir() else None


@dataclass
class FolderAnalysis:
    """A folder's check result and term index for one snapshot of its files."""

    folder: Path
    files: tuple[Path, ...]
    texts: dict[Path, str]
    result: FolderResult | None
    error: str | None  # the check could not run (exit 2 in the CLI): one line
    rules: dict[str, RuleInfo]
    checker: SpecCheck
    encoding: str = "utf-16"  # how the client counts characters in positions (terms.Lines)
    terms: dict[Path, DocumentTerms] = field(default_factory=dict)
    lines: dict[Path, Lines] = field(default_factory=dict)
    findings_by_file: dict[Path, list[Finding]] = field(default_factory=dict)
    _graph: tuple | None = field(default=None, repr=False)
    _graph_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def graph(self):
        """(LoadedFolder, rule view) of this snapshot; read on first use, then kept."""
        with self._graph_lock:
            if self._graph is None:
                try:
                    self._graph = self.checker.load(self.folder)
                except SpecCheckError:
                    self._graph = (None, None)
            return self._graph

    def terms_of(self, path: Path) -> DocumentTerms:
        found = self.terms.get(path)
        if found is None:
            found = self.terms[path] = scan(self.texts.get(path, ""), base_iri(path))
        return found

    def lines_of(self, path: Path) -> Lines:
        found = self.lines.get(path)
        if found is None:
            found = self.lines[path] = Lines(self.texts.get(path, ""), self.encoding)
        return found

    def definitions(self, iri: str) -> list[tuple[Path, object]]:
        """(file, term) for every statement of the folder whose subject is ``iri``."""
        return [(p, t) for p in self.files for t in self.terms_of(p).terms if t.subject and t.iri == iri]

    def references(self, iri: str) -> list[tuple[Path, object]]:
        return [(p, t) for p in self.files for t in self.terms_of(p).terms if t.iri == iri]


def analyse(checker: SpecCheck, folder: Path, unsaved: dict[Path, str], encoding: str = "utf-16") -> FolderAnalysis:
    """Check ``folder`` with the editor's ``unsaved`` buffers (absolute path → text) and index it."""
    try:
        found = discover([folder])
    except SpecCheckError:
        found = []
    # Only this folder: a folder without RDF files of its own would be searched below.
    files = tuple(sorted(p.absolute() for f in found if f.path.absolute() == folder for p in f.files))
    inside = {p: t for p, t in unsaved.items() if p in files}
    run = checker.with_unsaved(tuple(sorted(inside.items())))
    result = error = None
    rules: dict[str, RuleInfo] = {}
    if files:
        try:
            checked = run.check([folder])
            result = checked.folders[0] if checked.folders else None
            rules = {r.rule_id: r for r in checked.rules}
        except SpecCheckError as e:
            error = str(e)
    texts = {}
    for path in files:
        if path in inside:
            texts[path] = inside[path]
        else:
            try:
                texts[path] = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                texts[path] = ""
    analysis = FolderAnalysis(folder=folder, files=files, texts=texts, result=result, error=error,
                              rules=rules, checker=run, encoding=encoding)
    if result is not None:
        by_display = {display_path(p): p for p in files}
        for finding in result.findings:
            path = by_display.get(finding.file) or (files[0] if files else None)
            if path is not None:
                analysis.findings_by_file.setdefault(path, []).append(finding)
    return analysis
