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
from functools import cached_property
from pathlib import Path

from ..api import SpecCheck
from ..errors import SpecCheckError
from ..load.discover import MARKER, discover, display_path, rdf_files
from ..load.formats import FORMATS
from ..load.parse import base_iri
from ..model import Finding, FolderResult, RuleInfo
from ..vocab import VOCABULARY_NAMESPACES
from .markdown_terms import scan_markdown
from .terms import DocumentTerms, Lines, scan


def is_rdf(path: Path) -> bool:
    return path.suffix.lower() in FORMATS and not path.name.startswith(".")


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() == ".md"


def is_spec_file(path: Path) -> bool:
    """A file that may belong to a spec folder: RDF, or a spec-kit folder's Markdown."""
    return is_rdf(path) or (is_markdown(path) and not path.name.startswith("."))


def spec_folder_of(path: Path) -> Path | None:
    """The spec folder ``check`` would put this file in, or None (not a file spec-check reads).

    A folder holding a ``.spec-check`` marker is one spec with everything below it;
    otherwise an RDF file's folder is its spec folder (discover.py). A Markdown file
    belongs to a spec-kit folder when the loader reads it there (spec.md, plan.md,
    tasks.md, data-model.md, checklists/*.md of a folder without RDF files; documents
    spec-check rendered are its output, not a spec, as `check specs/` decides).
    """
    if is_markdown(path):
        folder = path.parent.parent if path.parent.name == "checklists" else path.parent
        try:
            read = folder.is_dir() and path in {p.absolute() for p in rdf_files(folder)}
        except OSError:
            read = False
        return folder if read else None
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
            text = self.texts.get(path, "")
            found = self.terms[path] = scan_markdown(text, path) if is_markdown(path) else scan(text, base_iri(path))
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

    @cached_property
    def described(self) -> frozenset[str]:
        """IRIs the folder's statements describe (lexically: also in a buffer that does not parse)."""
        return frozenset(t.iri for p in self.files for t in self.terms_of(p).terms if t.subject and t.iri)

    @cached_property
    def used(self) -> frozenset[str]:
        """IRIs the folder writes but does not describe (vocabulary terms left out)."""
        written = {t.iri for p in self.files for t in self.terms_of(p).terms if t.iri}
        return frozenset(i for i in written - self.described if not i.startswith(VOCABULARY_NAMESPACES))


def analyse(checker: SpecCheck, folder: Path, unsaved: dict[Path, str], encoding: str = "utf-16",
            also=None) -> FolderAnalysis:
    """Check ``folder`` with the editor's ``unsaved`` buffers (absolute path → text) and index it.

    ``also(analysis)`` may name other spec folders to check in the same run (those that
    describe IRIs this folder uses), so a reference resolves as in `spec-check specs/`;
    only this folder's result is kept.
    """
    analysis = prepare(checker, folder, unsaved, encoding)
    others = also(analysis) if also is not None and analysis.files else []
    return check_prepared(analysis, unsaved, others)


def prepare(checker: SpecCheck, folder: Path, unsaved: dict[Path, str], encoding: str = "utf-16") -> FolderAnalysis:
    """The folder's files and their texts (buffer, else disk), not yet checked."""
    try:
        found = discover([folder])
    except SpecCheckError:
        found = []
    # Only this folder: a folder without RDF files of its own would be searched below.
    files = tuple(sorted(p.absolute() for f in found if f.path.absolute() == folder for p in f.files))
    texts = {}
    for path in files:
        if path in unsaved:
            texts[path] = unsaved[path]
        else:
            try:
                texts[path] = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                texts[path] = ""
    return FolderAnalysis(folder=folder, files=files, texts=texts, result=None, error=None, rules={},
                          checker=checker, encoding=encoding)


def check_prepared(analysis: FolderAnalysis, unsaved: dict[Path, str], others=()) -> FolderAnalysis:
    """Run `SpecCheck.check` on the folder (and ``others``, whose results are dropped) with the buffers."""
    run = analysis.checker.with_unsaved(tuple(sorted(unsaved.items())))
    analysis.checker = run
    if not analysis.files:
        return analysis
    try:
        checked = run.check([analysis.folder, *others])
    except SpecCheckError as e:
        analysis.error = str(e)
        return analysis
    shown = display_path(analysis.folder)
    analysis.result = next((f for f in checked.folders if f.path == shown), None)
    analysis.rules = {r.rule_id: r for r in checked.rules}
    if analysis.result is not None:
        by_display = {display_path(p): p for p in analysis.files}
        for finding in analysis.result.findings:
            path = by_display.get(finding.file) or analysis.files[0]
            analysis.findings_by_file.setdefault(path, []).append(finding)
    return analysis
