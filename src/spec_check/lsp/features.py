# SPDX-License-Identifier: MIT
"""What the server answers, computed from a FolderAnalysis: diagnostics, navigation, hover,
completion. Code actions live in actions.py. Plain functions returning lsprotocol values."""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types as lsp

from ..model import Finding, Severity
from ..vocab import QUERY_PREFIXES
# Where codeDescription links point: the rules table of the project's documentation, the page
# SARIF's helpUri names too. initializationOptions.ruleDocumentationUrl may name another, with
# {rule} for the rule id (a team's own docs with one anchor per rule).
from ..project import RULES_URL as RULE_DOCS_URL
from .analysis import FolderAnalysis
from .terms import DocumentTerms, Lines, Term, scan

SOURCE = "spec-check"
_SEVERITY = {Severity.VIOLATION: lsp.DiagnosticSeverity.Error, Severity.WARNING: lsp.DiagnosticSeverity.Warning,
             Severity.INFO: lsp.DiagnosticSeverity.Information}
_WORD = re.compile(r"\S+")
# "…; did you mean :T010 in specs/x/plan.ttl:12?" (reference-defined), "…; did you mean spec:Task?" (term-typo)
_SUGGESTION = re.compile(r"did you mean (\S+?)(?: in (\S+):\d+)?\?")

SPEC_NS = "https://ggen.dev/spec#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCTERMS = "http://purl.org/dc/terms/"
_LABELS = (_RDFS + "label", _SKOS + "prefLabel", _DCTERMS + "title", SPEC_NS + "title")


def to_range(lines: Lines, start: int, end: int) -> lsp.Range:
    (l1, c1), (l2, c2) = lines.position(start), lines.position(end)
    return lsp.Range(start=lsp.Position(line=l1, character=c1), end=lsp.Position(line=l2, character=c2))


def term_range(analysis: FolderAnalysis, path: Path, term: Term) -> lsp.Range:
    return to_range(analysis.lines_of(path), term.start, term.end)


# -- diagnostics ----------------------------------------------------------------

def finding_span(text: str, lines: Lines, terms: DocumentTerms, finding: Finding) -> tuple[int, int]:
    """The offending term of a finding: its value when written in the statement, else the
    term (or word) at the finding's position; at least one character."""
    at = lines.code_point_offset(finding.line - 1, finding.column - 1)
    here = terms.term_at(at)
    if finding.value:
        statement_end = terms.statement_of(here)[1] if here is not None else lines.line_end(finding.line - 1)
        for term in terms.terms_from(at):
            if term.start >= statement_end:
                break
            if term.text == finding.value or (term.iri is not None and finding.value in (
                    f"<{term.iri}>", short_name(term.iri, terms.prefixes))):  # Markdown's US3 is :US3
                return term.start, term.end
    if here is not None and here.start == at:
        return here.start, here.end
    word = _WORD.match(text, at)
    if word is not None and word.start() < lines.line_end(finding.line - 1):
        return at, min(word.end(), lines.line_end(finding.line - 1))
    return at, min(at + 1, len(text))


def diagnostics_for(analysis: FolderAnalysis, path: Path, docs_url: str = RULE_DOCS_URL) -> list[lsp.Diagnostic]:
    if not analysis.findings_by_file.get(path):
        return []  # (no need to index the file: that waits for a request about it)
    text = analysis.texts.get(path, "")
    lines, terms = analysis.lines_of(path), analysis.terms_of(path)
    out = []
    for finding in analysis.findings_by_file.get(path, []):
        start, end = finding_span(text, lines, terms, finding)
        data = {"rule": finding.rule_id, "focus": finding.focus, "value": finding.value}
        suggestion = _SUGGESTION.search(finding.message)
        if suggestion is not None and " or " not in finding.message[suggestion.start():]:
            data["suggestion"] = suggestion.group(1)
            if suggestion.group(2):
                data["suggestionFile"] = suggestion.group(2)
        out.append(lsp.Diagnostic(
            range=to_range(lines, start, end), message=finding.message, severity=_SEVERITY[finding.severity],
            code=finding.rule_id, code_description=lsp.CodeDescription(href=docs_url.replace("{rule}", finding.rule_id)),
            source=SOURCE, data=data,
        ))
    return out


def error_diagnostic(message: str) -> lsp.Diagnostic:
    """The check could not run at all (a bad config file, broken shapes): said once, at the top."""
    return lsp.Diagnostic(range=lsp.Range(start=lsp.Position(line=0, character=0),
                                          end=lsp.Position(line=0, character=0)),
                          message=f"spec-check could not run: {message}", severity=lsp.DiagnosticSeverity.Error,
                          source=SOURCE)


# -- navigation -----------------------------------------------------------------

def location(analysis: FolderAnalysis, path: Path, term: Term, uri_of) -> lsp.Location:
    return lsp.Location(uri=uri_of(path), range=term_range(analysis, path, term))


def short_name(iri: str, prefixes: dict[str, str]) -> str:
    """``iri`` as a prefixed name with the longest fitting namespace of ``prefixes``, else <iri>."""
    best = None
    for prefix, ns in prefixes.items():
        local = iri[len(ns):]
        if ns and iri.startswith(ns) and re.fullmatch(r"[\w\-]*", local) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else f"<{iri}>"


def labels_and_types(graph, iri: str):
    from rdflib import URIRef

    node = URIRef(iri)
    labels = sorted({str(o) for p in _LABELS for o in graph.objects(node, URIRef(p))})
    types = sorted({str(o) for o in graph.objects(node, URIRef(_RDF + "type"))})
    return labels, types


def hover_text(analysis: FolderAnalysis, path: Path, term: Term, offset: int, display) -> str:
    """Markdown: the node's label and types, where it is defined and used; rules of findings here."""
    # The file's own prefixes, else the usual ones (owl:Class reads better than its IRI).
    prefixes = {**{p: str(ns) for p, ns in QUERY_PREFIXES.items()}, **analysis.terms_of(path).prefixes}
    # A Markdown term is prose ("User Story 1", a scenario's line): its id, escaped.
    title = f"**{_md(term.name or term.text)}**" if path.suffix.lower() == ".md" else f"**{term.text}**"
    parts = [title + (f" — `<{term.iri}>`" if term.iri and term.text != f"<{term.iri}>" else "")]
    if term.iri is None:
        parts.append("its prefix is not declared in this file")
    else:
        loaded, view = analysis.graph()
        graphs = [g for g in (view.graph if view is not None else None, analysis.checker.ontology) if g is not None]
        for graph in graphs:
            labels, types = labels_and_types(graph, term.iri)
            if labels or types:
                if labels:
                    parts.append("label: " + "; ".join(_md(x) for x in labels))
                if types:
                    parts.append("type: " + ", ".join(f"`{short_name(t, prefixes)}`" for t in types))
                if graph is analysis.checker.ontology:
                    from rdflib import URIRef

                    comment = graph.value(URIRef(term.iri), URIRef(_RDFS + "comment"))
                    if comment is not None:
                        parts.append(_md(str(comment)))
                break
        defined = analysis.definitions(term.iri)
        if defined:
            parts.append("defined in " + ", ".join(f"{display(p)}:{analysis.lines_of(p).position(t.start)[0] + 1}"
                                                   for p, t in defined[:5]))
        used = [(p, t) for p, t in analysis.references(term.iri) if not t.subject]
        if used:
            shown = ", ".join(f"{display(p)}:{analysis.lines_of(p).position(t.start)[0] + 1}" for p, t in used[:10])
            more = f" and {len(used) - 10} more" if len(used) > 10 else ""
            parts.append(f"used {len(used)} time{'s' if len(used) != 1 else ''}: {shown}{more}")
    line = analysis.lines_of(path).position(offset)[0] + 1
    for finding in analysis.findings_by_file.get(path, []):
        rule = analysis.rules.get(finding.rule_id)
        if finding.line == line and rule is not None:
            parts.append(f"**{finding.rule_id}** ({rule.severity.value}): {_md(rule.name)} — {_md(rule.description)}")
    return "\n\n".join(parts)


def _md(text: str) -> str:
    """Escape Markdown so a label cannot inject links, images or HTML into the hover."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~])", r"\\\1", " ".join(text.split()))


_SYMBOL_KINDS = {
    "Feature": lsp.SymbolKind.Module, "UserStory": lsp.SymbolKind.Class,
    "AcceptanceScenario": lsp.SymbolKind.Event, "Plan": lsp.SymbolKind.Namespace,
    "Phase": lsp.SymbolKind.Package, "Task": lsp.SymbolKind.Function,
    "Requirement": lsp.SymbolKind.Constant, "SuccessCriterion": lsp.SymbolKind.Boolean,
}
# parent type -> the links to its children, in the rule view (lists are already one link per member)
_CHILDREN = {"Feature": ("hasUserStory", "hasRequirement", "successCriteria"),
             "UserStory": ("acceptanceScenarios",), "Plan": ("hasPhase",), "Phase": ("hasTask",)}


def document_symbols(analysis: FolderAnalysis, path: Path) -> list[lsp.DocumentSymbol]:
    """Feature → stories → scenarios and plan → phases → tasks, for what this file describes;
    other subjects of the file follow at the top level."""
    from rdflib import RDF, URIRef

    terms = analysis.terms_of(path)
    subjects: dict[str, Term] = {}
    for t in terms.terms:
        if t.subject and t.iri is not None:
            subjects.setdefault(t.iri, t)
    _loaded, view = analysis.graph()
    graph = view.graph if view is not None else None

    def kind_of(iri: str) -> str | None:
        if graph is None:
            return None
        for t in graph.objects(URIRef(iri), RDF.type):
            if str(t).startswith(SPEC_NS) and str(t)[len(SPEC_NS):] in _SYMBOL_KINDS:
                return str(t)[len(SPEC_NS):]
        return None

    placed: set[str] = set()

    def symbol(iri: str, trail: frozenset) -> lsp.DocumentSymbol:
        placed.add(iri)
        term = subjects[iri]
        kind = kind_of(iri)
        children = []
        if kind in _CHILDREN and graph is not None:
            members = sorted({str(o) for link in _CHILDREN[kind] for o in graph.objects(URIRef(iri), URIRef(SPEC_NS + link))},
                             key=lambda m: (subjects[m].start if m in subjects else -1, m))
            children = [symbol(m, trail | {iri}) for m in members if m in subjects and m not in trail]
        labels = labels_and_types(graph, iri)[0] if graph is not None else []
        start, end = terms.statement_of(term)
        return lsp.DocumentSymbol(
            name=term.name or term.text, detail=(labels[0] if labels else kind or ""),
            kind=_SYMBOL_KINDS.get(kind, lsp.SymbolKind.Object),
            range=to_range(analysis.lines_of(path), start, end),
            selection_range=term_range(analysis, path, term), children=children,
        )

    roots = [i for i in subjects if kind_of(i) in ("Feature", "Plan")]
    out = [symbol(i, frozenset()) for i in roots]
    out += [symbol(i, frozenset()) for i in subjects if i not in placed]
    return out


# -- completion -----------------------------------------------------------------

_TYPED = re.compile(r"[^\s<>\"{}|^`\\;,.()\[\]]*$")


def completions(analysis: FolderAnalysis, path: Path, text: str, offset: int) -> lsp.CompletionList:
    """Prefixed names the folder describes and spec vocabulary terms, each with its label."""
    from rdflib import OWL, RDF, RDFS

    lines = Lines(text, analysis.encoding)
    line, _ = lines.position(offset)
    if path.suffix.lower() == ".md":
        return _markdown_completions(analysis, path, lines, offset)
    typed = _TYPED.search(text[lines.starts[line]:offset]).group(0)
    # The buffer may have changed since the analysis: its prefixes as typed now.
    prefixes = (analysis.terms_of(path) if analysis.texts.get(path) == text else scan(text)).prefixes
    replace = to_range(lines, offset - len(typed), offset)
    items: dict[str, lsp.CompletionItem] = {}
    _loaded, view = analysis.graph()
    graph = view.graph if view is not None else None
    described = sorted({t.iri for p in analysis.files for t in analysis.terms_of(p).terms
                        if t.subject and t.iri is not None})
    for iri in described:
        name = short_name(iri, prefixes)
        if name.startswith("<") or not name.startswith(typed):
            continue
        labels, types = labels_and_types(graph, iri) if graph is not None else ([], [])
        items[name] = lsp.CompletionItem(
            label=name, kind=lsp.CompletionItemKind.Reference, detail=labels[0] if labels else None,
            label_details=lsp.CompletionItemLabelDetails(description=", ".join(short_name(t, prefixes) for t in types))
            if types else None,
            text_edit=lsp.TextEdit(range=replace, new_text=name), sort_text="0" + name,
        )
    ontology = analysis.checker.ontology
    spec_prefix = next((p for p, ns in sorted(prefixes.items()) if ns == SPEC_NS), "spec")
    for term in sorted(set(ontology.subjects(RDF.type, None))):
        iri = str(term)
        if not iri.startswith(SPEC_NS) or not iri[len(SPEC_NS):]:
            continue
        name = f"{spec_prefix}:{iri[len(SPEC_NS):]}"
        if not name.startswith(typed) or name in items:
            continue
        label = ontology.value(term, RDFS.label)
        comment = ontology.value(term, RDFS.comment)
        is_class = (term, RDF.type, OWL.Class) in ontology or (term, RDF.type, RDFS.Class) in ontology
        items[name] = lsp.CompletionItem(
            label=name, kind=lsp.CompletionItemKind.Class if is_class else lsp.CompletionItemKind.Property,
            detail=str(label) if label is not None else None,
            documentation=str(comment) if comment is not None else None,
            text_edit=lsp.TextEdit(range=replace, new_text=name), sort_text="1" + name,
        )
    return lsp.CompletionList(is_incomplete=False, items=list(items.values()))


_TYPED_ID = re.compile(r"[\w-]*$")


def _markdown_completions(analysis: FolderAnalysis, path: Path, lines: Lines, offset: int) -> lsp.CompletionList:
    """The ids a spec-kit folder defines (US1, FR-001, SC-001, T001, ...), each with its label and type."""
    from .markdown_terms import ID_LOCAL, folder_namespace

    line, _ = lines.position(offset)
    typed = _TYPED_ID.search(lines.text[lines.starts[line]:offset]).group(0)
    replace = to_range(lines, offset - len(typed), offset)
    ns = folder_namespace(path)
    _loaded, view = analysis.graph()
    graph = view.graph if view is not None else None
    items = []
    for iri in sorted(i for i in analysis.described if i.startswith(ns)):
        local = iri[len(ns):]
        if not ID_LOCAL.match(local) or not local.lower().startswith(typed.lower()):
            continue
        labels, types = labels_and_types(graph, iri) if graph is not None else ([], [])
        kinds = [t[len(SPEC_NS):] for t in types if t.startswith(SPEC_NS)]
        items.append(lsp.CompletionItem(
            label=local, kind=lsp.CompletionItemKind.Reference, detail=labels[0] if labels else None,
            label_details=lsp.CompletionItemLabelDetails(description=", ".join(kinds)) if kinds else None,
            text_edit=lsp.TextEdit(range=replace, new_text=local), sort_text=_id_order(local),
        ))
    return lsp.CompletionList(is_incomplete=False, items=items)


def _id_order(local: str) -> str:
    """US2 before US10: the id's digits padded."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(6), local)
