# SPDX-License-Identifier: MIT
"""The graph layout of a store, and the one SPARQL Update that publishes a folder.

Every name is derived from where the folder lives, never from the time or the
machine, so publishing the same folder twice names the same graphs:

    folder   F = https://spec-check.dev/store/{repository}/{path}
                 (repository percent-encoded as one segment, path segments kept)
    graphs   F#asserted   the triples of the folder's files, as read
             F#view       the rule view: what the rules and `query SPEC` see
             F#findings   a W3C SHACL validation report, plus F described
                          (repository, path, commit, closure, its graphs)
    runs     https://spec-check.dev/store/runs: one sc:PublishRun per
             (folder, content, tool version, options), never removed

A folder is replaced by one update request: DROP its three graphs, INSERT
DATA the new ones, and add its run record unless the same record exists.
Oxigraph (embedded or server) applies an update request in one transaction,
so a reader sees the old folder or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import RDF, BNode, Literal, URIRef

from ..model import Finding, FolderResult
from ..vocab import SC, SH

BASE = "https://spec-check.dev/store/"
RUNS_GRAPH = BASE + "runs"
XSD = "http://www.w3.org/2001/XMLSchema#"
_SEVERITY = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
# Characters an IRIREF may not hold (SPARQL grammar): percent-encoded, so a
# hostile IRI that rdflib accepted cannot break the update text.
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True)
class FolderSource:
    """Where a published folder lives: its repository, its path there, the commit."""

    repository: str
    path: str  # POSIX path of the folder inside the repository
    commit: str = ""  # "" when the folder is not in a git work tree
    dirty: bool = False  # the folder has uncommitted changes

    @property
    def iri(self) -> str:
        segments = "/".join(quote(part, safe="") for part in self.path.split("/") if part)
        return f"{BASE}{quote(self.repository, safe='')}/{segments}"


@dataclass(frozen=True)
class FolderGraphs:
    asserted: str
    view: str
    findings: str

    @classmethod
    def of(cls, folder_iri: str) -> "FolderGraphs":
        return cls(f"{folder_iri}#asserted", f"{folder_iri}#view", f"{folder_iri}#findings")


def iri(value: str) -> str:
    return "<" + _IRI_UNSAFE.sub(lambda m: "%{:02X}".format(ord(m.group())), value) + ">"


def literal(value, datatype: str | None = None, language: str | None = None) -> str:
    text = '"' + str(value).translate(_STRING_ESCAPES) + '"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != XSD + "string":
        return f"{text}^^{iri(datatype)}"
    return text


class TermWriter:
    """rdflib terms as SPARQL text; blank nodes get short labels shared by one update."""

    def __init__(self):
        self.blank: dict = {}

    def term(self, node) -> str:
        if isinstance(node, URIRef):
            return iri(str(node))
        if isinstance(node, BNode):
            label = self.blank.get(node)
            if label is None:
                label = self.blank[node] = f"_:b{len(self.blank)}"
            return label
        if isinstance(node, Literal):
            return literal(str(node), str(node.datatype) if node.datatype else None, node.language)
        raise TypeError(f"not an RDF term: {node!r}")

    def triples(self, graph) -> list[str]:
        term = self.term
        return [f"{term(s)} {term(p)} {term(o)} ." for s, p, o in graph]


def run_iri(source: FolderSource, content_digest: str, tool_version: str, options_key: str) -> str:
    """One run per distinct content of a folder: a new commit that leaves the folder (and its
    result) as it was adds no run and rewrites nothing; the run keeps the commit it was first seen at."""
    key = "\x1f".join((source.iri, content_digest, tool_version, options_key))
    return f"{BASE}run/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"


def is_latest_run(source: FolderSource, run: str) -> str:
    """ASK: is ``run`` what the store holds for the folder now?"""
    folder = source.iri
    return (f"ASK {{ GRAPH {iri(FolderGraphs.of(folder).findings)} "
            f"{{ {iri(folder)} {iri(str(SC.latestRun))} {iri(run)} }} }}")


@dataclass(frozen=True)
class Publication:
    """Everything one folder's update writes, before it becomes text."""

    source: FolderSource
    result: FolderResult
    asserted: object  # rdflib Graph
    view: object  # rdflib Graph
    prefixes: dict  # file name -> {prefix: namespace}, to turn finding focus names back into IRIs
    content_digest: str
    tool_version: str
    options_key: str
    published_at: str  # xsd:dateTime, UTC
    # display path of each file (as findings name it) -> its path in the repository
    file_paths: dict | None = None


def folder_update(pub: Publication) -> str:
    """The one SPARQL Update request that replaces ``pub``'s folder in a store."""
    folder = pub.source.iri
    graphs = FolderGraphs.of(folder)
    run = run_iri(pub.source, pub.content_digest, pub.tool_version, pub.options_key)
    writer = TermWriter()
    asserted = writer.triples(pub.asserted)
    view = writer.triples(pub.view)
    findings = _report_triples(pub, graphs, run)
    record = _run_triples(pub, run)
    parts = [f"DROP SILENT GRAPH {iri(g)} ;" for g in (graphs.asserted, graphs.view, graphs.findings)]
    parts.append("INSERT DATA {")
    for name, lines in ((graphs.asserted, asserted), (graphs.view, view), (graphs.findings, findings)):
        if lines:
            parts.append(f"GRAPH {iri(name)} {{")
            parts.extend(lines)
            parts.append("}")
    parts.append("} ;")
    # The run record is history: added once per distinct run, kept when the folder is replaced.
    parts.append(f"INSERT {{ GRAPH {iri(RUNS_GRAPH)} {{")
    parts.extend(record)
    parts.append(f"}} }} WHERE {{ FILTER NOT EXISTS {{ GRAPH {iri(RUNS_GRAPH)} {{ {iri(run)} ?p ?o }} }} }}")
    return "\n".join(parts) + "\n"


def _counts(result: FolderResult) -> list[tuple]:
    integer = XSD + "integer"
    return [
        (SC.closure, literal(f"{result.closure:.1f}", XSD + "decimal")),
        (SC.checksApplied, literal(result.checks_applied, integer)),
        (SC.checksFailed, literal(result.checks_failed, integer)),
        (SC.violations, literal(result.counts.get("violation", 0), integer)),
        (SC.warnings, literal(result.counts.get("warning", 0), integer)),
        (SC.infos, literal(result.counts.get("info", 0), integer)),
        (SC.triples, literal(result.triples, integer)),
        (SC.complete, literal("true" if result.complete else "false", XSD + "boolean")),
    ]


def _about(subject: str, pairs) -> list[str]:
    """Triple lines for ``subject``: (predicate IRI, object as SPARQL text) pairs; None objects are left out."""
    return [f"{subject} {iri(str(p))} {o} ." for p, o in pairs if o is not None]


def _source(pub: Publication) -> list[tuple]:
    source = pub.source
    return [
        (SC.repository, literal(source.repository)),
        (SC.folderPath, literal(source.path)),
        (SC.toolVersion, literal(pub.tool_version)),
        (SC.contentDigest, literal(pub.content_digest)),
        (SC.commit, literal(source.commit) if source.commit else None),
        (SC.uncommittedChanges, literal("true", XSD + "boolean") if source.dirty else None),
    ]


def _run_triples(pub: Publication, run: str) -> list[str]:
    graphs = FolderGraphs.of(pub.source.iri)
    return _about(iri(run), [
        (RDF.type, iri(str(SC.PublishRun))),
        (SC.publishedAt, literal(pub.published_at, XSD + "dateTime")),
        (SC.folder, iri(pub.source.iri)),
        (SC.findingsGraph, iri(graphs.findings)),
        *_source(pub), *_counts(pub.result)])


def _report_triples(pub: Publication, graphs: FolderGraphs, run: str) -> list[str]:
    folder = iri(pub.source.iri)
    report = iri(f"{pub.source.iri}#report")
    result = pub.result
    conforms = "true" if result.counts.get("violation", 0) == 0 else "false"
    lines = _about(folder, [
        (RDF.type, iri(str(SC.PublishedFolder))),
        (SC.assertedGraph, iri(graphs.asserted)),
        (SC.viewGraph, iri(graphs.view)),
        (SC.findingsGraph, iri(graphs.findings)),
        (SC.report, report),
        (SC.latestRun, iri(run)),
        *_source(pub)])
    lines += _about(report, [
        (RDF.type, iri(str(SH.ValidationReport))),
        (SH.conforms, literal(conforms, XSD + "boolean")),
        *_counts(result)])
    resolve = _FocusResolver(pub)
    for number, finding in enumerate(result.findings, start=1):
        node = iri(f"{pub.source.iri}#result-{number}")
        lines.append(f"{report} {iri(str(SH.result))} {node} .")
        file = (pub.file_paths or {}).get(finding.file, finding.file)
        lines += _result_triples(node, finding, resolve(finding), file)
    return lines


def _result_triples(node: str, finding: Finding, focus: str, file: str) -> list[str]:
    """One sh:ValidationResult, with spec-check's rule id and position as extra properties."""
    integer = XSD + "integer"
    return _about(node, [
        (RDF.type, iri(str(SH.ValidationResult))),
        (SH.focusNode, focus),
        (SH.resultSeverity, iri(str(_SEVERITY[finding.severity.value]))),
        (SH.resultMessage, literal(finding.message)),
        # Which SHACL component fired is not kept by every engine; the rule id says what failed.
        (SH.sourceConstraintComponent, iri(str(SC.RuleComponent))),
        (SC.ruleId, literal(finding.rule_id)),
        (SC.file, literal(file)),
        (SC.line, literal(finding.line, integer)),
        (SC.column, literal(finding.column, integer)),
        (SC.fingerprint, literal(finding.fingerprint)),
        (SC.focusName, literal(finding.focus) if finding.focus else None),
        (SH.value, literal(finding.value) if finding.value else None),
    ])


class _FocusResolver:
    """A finding names its focus as the folder's files do (`:T001`, `<iri>`); find the IRI again.

    sh:focusNode must be a node: the IRI when the name expands to one the folder
    uses, else the folder's IRI (the finding is about the folder as a whole).
    """

    def __init__(self, pub: Publication):
        self.pub = pub
        self.fallback = iri(pub.source.iri)
        self._known: set | None = None

    def known(self) -> set:
        if self._known is None:
            self._known = {str(t) for g in (self.pub.asserted, self.pub.view)
                           for triple in g for t in (triple[0], triple[2]) if isinstance(t, URIRef)}
        return self._known

    def __call__(self, finding: Finding) -> str:
        name = finding.focus
        if not name or name == "[]":
            return self.fallback
        if name.startswith("<") and name.endswith(">"):
            return iri(name[1:-1])
        prefix, sep, local = name.partition(":")
        if not sep:
            return self.fallback
        prefixes = self.pub.prefixes
        for file in ([finding.file] if finding.file in prefixes else []) + sorted(prefixes):
            ns = prefixes[file].get(prefix)
            if ns and ns + local in self.known():
                return iri(ns + local)
        return self.fallback
