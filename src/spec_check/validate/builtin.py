# SPDX-License-Identifier: MIT
"""Built-in rules: graph algorithms run once per folder, in Python.

SHACL-core cannot follow a cycle of any length or compare namespaces, and a
SPARQL query per node is slow; these run in one pass over the graph. Their id,
severity and message still come from the shapes files (sc:BuiltinRule).
Registry: CHECKS maps the sc:check name to the function.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ..graph import distinct_predicates
from ..load import LoadedFolder
from ..model import Finding, RuleInfo
from ..vocab import SPEC, VOCABULARY_NAMESPACES
from .findings import make_finding
from .terms import iri_objects, iri_subjects, memo


def dependency_cycle(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Tasks on a cycle of spec:dependsOn, where a phase stands for all its tasks."""
    tasks = set(view.subjects(RDF.type, SPEC.Task))
    phases = set(view.subjects(RDF.type, SPEC.Phase))
    edges: dict = {}
    for s, o in view.subject_objects(SPEC.dependsOn):
        edges.setdefault(s, set()).add(o)
    for phase in phases:
        members = set(view.objects(phase, SPEC.hasTask))
        # A phase is finished when its tasks are: phase -> each task.
        edges.setdefault(phase, set()).update(members)
        # A phase's own dependencies hold for each of its tasks.
        for dep in view.objects(phase, SPEC.dependsOn):
            for task in members:
                edges.setdefault(task, set()).add(dep)
    findings = []
    for component in strongly_connected(edges):
        cyclic = len(component) > 1 or any(n in edges.get(n, ()) for n in component)
        if not cyclic:
            continue
        big = len(component) > MAX_EXACT_CYCLE
        for node in sorted(component & tasks, key=str):
            if big:  # a shortest cycle per node is a search per node: quadratic (issue 20 item 7)
                walk = _walk_in(node, edges, component, MAX_SHOWN_STEPS)
                names = (" → ".join(_task_name(folder, view, n) for n in walk)
                         + f" → … (one cycle among {len(component):,} tasks and phases)")
            else:
                cycle = _cycle_through(node, edges, component)
                names = " → ".join(_task_name(folder, view, n) for n in cycle)
            findings.append(make_finding(folder, rule, focus=node, predicate=SPEC.dependsOn,
                                         extra={"cycle": names}))
    return findings


def _task_name(folder: LoadedFolder, view: Graph, node) -> str:
    ident = view.value(node, SPEC.taskId)
    return str(ident) if ident is not None else folder.index.name(node)


def strongly_connected(edges: dict) -> list[set]:
    """Tarjan's algorithm, iterative (no recursion limit on long chains), in a stable order."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    result: list[set] = []
    counter = 0
    nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts}, key=str)
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()), key=str)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ()), key=str))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                result.append(component)
    return result


MAX_EXACT_CYCLE = 64  # above this many nodes in a cycle, each finding shows the start of one
MAX_SHOWN_STEPS = 8


def _walk_in(start, edges: dict, component: set, steps: int) -> list:
    """``start`` and up to ``steps`` successors inside the component (the least by name each time)."""
    walk, node, seen = [start], start, {start}
    for _ in range(steps):
        following = min((c for c in edges.get(node, ()) if c in component), key=str, default=None)
        if following is None or following in seen:
            break
        walk.append(following)
        seen.add(following)
        node = following
    return walk


def _cycle_through(start, edges: dict, component: set) -> list:
    """A shortest path start → … → start inside the component (breadth-first, stable)."""
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(edges.get(node, ()), key=str):
            if child not in component:
                continue
            if child == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return list(reversed(path)) + [start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return [start, start]


def namespace_of(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut >= 0 else iri


NEAR_MISS_MARK = "; did you mean "
# Links whose object is no node of a spec: list cells, and an owl:imports target (a document,
# reported by imports-not-followed).
_NOT_REFERENCES = (RDF.first, RDF.rest, URIRef("http://www.w3.org/2002/07/owl#imports"))
# Standard vocabularies are never "never defined in this folder", whatever namespace they share.
_STANDARD = ("http://www.w3.org/", "http://purl.org/dc/", "http://xmlns.com/foaf/", "https://schema.org/")


def _near_miss_key(local: str) -> str:
    return local.lower().replace("_", "").replace("-", "")


def _defined_elsewhere_by_name(asserted: Graph) -> tuple:
    """IRI prefixes whose terms are defined outside the folder by what they are: standard
    vocabularies (whatever terms a folder adds to them), and every ontology the folder imports
    (``owl:imports <…/process>`` defines ``<…/process#Gate>``; the import is not followed)."""
    from ..recognise import STANDARD_NAMESPACES

    imported = []
    for target in asserted.objects(None, _NOT_REFERENCES[2]):
        if (target, None, None) in asserted:
            continue  # an ontology of the folder's own files: its terms are checked here
        iri = str(target).rstrip("#/")
        imported += [iri + "#", iri + "/"]
    return tuple(sorted(set(STANDARD_NAMESPACES + _STANDARD + tuple(imported))))


def _own_namespaces(asserted: Graph) -> set:
    """The namespaces of the IRIs the folder's files describe, vocabularies left out (shared)."""
    def compute(graph: Graph) -> set:
        return {namespace_of(str(s)) for s in iri_subjects(graph) if not str(s).startswith(VOCABULARY_NAMESPACES)}

    return memo("own namespaces", asserted, compute)


def reference_defined(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Objects in the folder's own namespaces that no file describes."""
    asserted = folder.graph
    described = iri_subjects(asserted)
    defined_by_name = _defined_elsewhere_by_name(asserted)
    imports = {str(t) for t in asserted.objects(None, _NOT_REFERENCES[2])}
    own = {ns for ns in _own_namespaces(asserted) if not ns.startswith(defined_by_name)}
    findings = []
    seen = set()
    # Filter before sorting: only links to undescribed IRIs of the folder's own namespaces matter.
    # Each object is judged once (issue 19: this scan judged every triple); most folders have none.
    undescribed = {o for o in iri_objects(view) if o not in described
                   and namespace_of(str(o)) in own and not str(o).startswith(defined_by_name)
                   and str(o) not in imports}
    candidates = [(s, p, o) for s, p, o in (view if undescribed else ())
                  if isinstance(o, URIRef) and o in undescribed and p not in _NOT_REFERENCES]
    by_key: dict[str, list] = {}
    by_namespace: dict[str, list] = {}  # namespace -> (near-miss key, node)
    for s in (described if candidates else ()):  # for suggestions: only when something is undefined
        iri = str(s)
        key = _near_miss_key(iri[len(namespace_of(iri)):])
        by_key.setdefault(key, []).append(s)
        by_namespace.setdefault(namespace_of(iri), []).append((key, s))
    # Links as written first, so a finding points at the line that wrote it, not at an aligned copy.
    for s, p, o in sorted(candidates, key=lambda t: (t not in asserted, str(t[0]), str(t[1]), str(t[2]))):
        if o in folder.defined_elsewhere:
            continue  # another folder checked in this run describes it: the reference resolves
        iri = str(o)
        if (s, o) in seen:
            continue
        seen.add((s, o))
        suggestion = _suggest(folder, iri, by_key, folder.index.locate(s, p)[0], by_namespace)
        findings.append(make_finding(folder, rule, focus=s, value=o, predicate=p,
                                     extra={"suggestion": suggestion}))
    return findings


def _suggest(folder: LoadedFolder, iri: str, by_key: dict, here: str, by_namespace: dict) -> str:
    """A described IRI the undefined ``iri`` is a near miss of, as "; did you mean X in FILE:LINE?".

    Near: the same local name up to case, ``_`` and ``-`` (in any namespace), else, in the same
    namespace, one local name that ends or starts with the other (``Criterion_X`` and
    ``GateCriterion_X``). Shown as the suggested file writes it, unless that reads exactly like
    the undefined name (two files binding ``:`` to different namespaces): then as the file
    ``here``, where the reader types it, writes it, or as the full IRI.
    """
    local = iri[len(namespace_of(iri)):]
    key = _near_miss_key(local)
    group = by_key.get(key)
    if group:
        if isinstance(group, list):  # sorted once per key, not once per reference (issue 20 item 7)
            ordered = sorted(group, key=str)
            exact: dict = {}
            for n in ordered:
                exact.setdefault(str(n)[len(namespace_of(str(n))):], n)
            group = by_key[key] = (ordered[0], exact)
        first, exact = group
        best = exact.get(local, first)  # the same local name (another namespace) first, then the least IRI
    else:
        # In the same namespace (bounded: a scan of its names per undefined reference).
        same_ns = by_namespace.get(namespace_of(iri), [])
        if len(same_ns) > MAX_NAMES_SCANNED:
            same_ns = []
        candidates: list = []
        if len(key) >= 5:
            affixed = sorted({n for k, n in same_ns if k != key and len(k) >= 5
                              and (k.endswith(key) or k.startswith(key) or key.endswith(k) or key.startswith(k))},
                             key=str)
            candidates = affixed if len(affixed) == 1 else []
        if not candidates and len(key) >= 6:  # one typo apart (us-002-x for us-003-x); not for short
            # names, where one character is the whole difference (:T9 is no :T1)
            close = sorted({n for k, n in same_ns if k != key and _one_typo_apart(k, key)}, key=str)
            candidates = close if len(close) == 1 else []
        if not candidates:
            return ""
        best = candidates[0]
    file, line, _col = folder.index.locate(best)
    shown = folder.index.name(best, file)
    if shown == folder.index.name(URIRef(iri), here):
        typed_here = folder.index.name(best, here)
        shown = typed_here if typed_here != shown else f"<{best}>"
    return f"{NEAR_MISS_MARK}{shown} in {in_folder(folder, file)}:{line}?"


# A namespace with more names than this gets no affix or typo suggestions: the scan per
# undefined reference would cost more than the hint is worth on generated, huge specs.
MAX_NAMES_SCANNED = 5_000


def in_folder(folder: LoadedFolder, file: str) -> str:
    """A file as a message names it: relative to the spec folder, however the folder was given."""
    prefix = folder.display.rstrip("/") + "/"
    return file[len(prefix):] if file.startswith(prefix) else file


def _from_loader(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    return []  # the loader reports these while reading files


_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
# Objects of these name classes and vocabularies, not other specs (owl:imports has its own rule).
_SCHEMA_PREDICATES = {RDF.type, URIRef(_RDFS + "subClassOf"), URIRef(_RDFS + "subPropertyOf"),
                      URIRef(_RDFS + "domain"), URIRef(_RDFS + "range")}
_OWL = "http://www.w3.org/2002/07/owl#"


def external_reference(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Objects outside the folder's own and the vocabulary namespaces that no checked folder describes."""
    asserted = folder.graph
    described = iri_subjects(asserted)
    own = _own_namespaces(asserted)
    findings = []
    seen = set()
    # Filter before sorting: most triples link described nodes and are no candidates.
    outside = {o for o in iri_objects(asserted)  # each object judged once, as in reference_defined
               if o not in described and o not in folder.defined_elsewhere
               and not str(o).startswith(VOCABULARY_NAMESPACES) and namespace_of(str(o)) not in own}
    candidates = [(s, p, o) for s, p, o in (asserted if outside else ())
                  if isinstance(o, URIRef) and o in outside
                  # rdf:type objects and schema statements name classes and vocabularies, not specs.
                  and p not in _SCHEMA_PREDICATES and not str(p).startswith(_OWL)]
    # One finding per outside namespace, at its first link (in file order): a list of every
    # link into a vocabulary nobody checks is noise; where the namespace starts is what to know.
    by_namespace: dict[str, list] = {}
    for s, p, o in sorted(candidates, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if (s, o) in seen:
            continue
        seen.add((s, o))
        by_namespace.setdefault(namespace_of(str(o)), []).append((s, p, o))
    for ns, links in sorted(by_namespace.items()):
        s, p, o = min(links, key=lambda t: (folder.index.locate(t[0], t[1]), str(t[0]), str(t[2])))
        others = len(links) - 1
        more = (f"; {others} more {'link' if others == 1 else 'links'} into <{ns}> in this folder"
                if others else "")
        findings.append(make_finding(folder, rule, focus=s, value=o, predicate=p, extra={"more": more}))
    return findings


CHECKS: dict[str, Callable[[LoadedFolder, Graph, RuleInfo], list[Finding]]] = {
    "dependency_cycle": dependency_cycle,
    "reference_defined": reference_defined,
    "external_reference": external_reference,
    "syntax": _from_loader,
    "imports": _from_loader,
    "loader": _from_loader,  # limit-exceeded, unsafe-input, symlink-not-followed, timeout
    "refined": _from_loader,  # reported by validate/refine.py after every other rule
}


def dialect_mixed(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Two or more dialects in one folder: one warning naming each with its first use (file order).

    The finding sits at the first use of the dialect that comes last: where the second vocabulary starts.
    """
    if len(folder.dialects) < 2:
        return []
    parts, firsts = [], []
    for detection in folder.dialects:
        if not detection.uses:
            parts.append(detection.name)  # forced, not detected: nothing to point at
            continue
        subject, term, where = min(detection.uses, key=lambda u: folder.index.locate(u[0], u[2]))
        file, line, _col = folder.index.locate(subject, where)
        parts.append(f"{detection.name} ({folder.index.name(term, file)} at {in_folder(folder, file)}:{line})")
        firsts.append(((file, line, _col), subject, where))
    if not firsts:
        return [make_finding(folder, rule, extra={"dialects": " and ".join(parts)})]
    _, focus, where = max(firsts, key=lambda f: f[0])
    return [make_finding(folder, rule, focus=focus, predicate=where, extra={"dialects": " and ".join(parts)})]


def typed_by_position(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """One info finding per folder listing what list position typed (see infer.type_by_position)."""
    notes = sorted((n for n in folder.notes if n[0] == "position"), key=lambda n: (n[1], str(n[2])))
    if not notes:
        return []
    first = min((n[4] for n in notes), key=lambda node: folder.index.locate(node))
    file = folder.index.locate(first)[0]
    parts = []
    for _kind, role, written, count, _first in notes:
        noun = role if count == 1 else f"{role}s"
        parts.append(f"{count} {noun} typed by {'its' if count == 1 else 'their'} position in "
                     f"{folder.index.name(written, file)}")
    finding = make_finding(folder, rule, focus=first, extra={"typed": "; ".join(parts)})
    return [finding]


def _declared_spec_terms() -> tuple[frozenset, frozenset, frozenset]:
    """(classes, properties) ontology/spec.ttl declares, and the terms built-in dialects know; read once."""
    global _DECLARED
    if _DECLARED is None:
        from rdflib import OWL, RDFS

        from ..load.fast_turtle import read_file_into
        from ..resources import data_dir

        ontology = Graph()
        if not read_file_into(ontology, data_dir("ontology") / "spec.ttl"):
            ontology.parse(data_dir("ontology") / "spec.ttl", format="turtle")
        classes = {s for s in ontology.subjects(RDF.type, OWL.Class) if str(s).startswith(str(SPEC))}
        properties = {s for t in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
                      for s in ontology.subjects(RDF.type, t) if str(s).startswith(str(SPEC))}
        properties |= {s for s in ontology.subjects(RDFS.subPropertyOf, None) if str(s).startswith(str(SPEC))}
        # Terms a built-in dialect gives meaning to (the epic style's spec:tasks, ...) are known too.
        from ..dialects import load_dialects

        known = set()
        for dialect in load_dialects().values():
            known.update(t for triple in dialect.axioms for t in triple if isinstance(t, URIRef))
            known.update(URIRef(t) for t in dialect.trigger_terms)
        _DECLARED = (frozenset(classes), frozenset(properties), frozenset(known))
    return _DECLARED


_DECLARED: tuple[frozenset, frozenset, frozenset] | None = None


def _one_typo_apart(a: str, b: str) -> bool:
    """Optimal-string-alignment distance of at most 1, ignoring case, _ and -."""
    a, b = _near_miss_key(a), _near_miss_key(b)
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    # Linear in the length (issue 20 item 7: the old deletion test built every one-letter-shorter
    # copy, quadratic in a long undeclared term's name).
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        if a[first + 1:] == b[first + 1:]:
            return True  # one letter changed
        return (first + 1 < len(a) and a[first] == b[first + 1] and a[first + 1] == b[first]
                and a[first + 2:] == b[first + 2:])  # two neighbours swapped
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long[first + 1:] == short[first:]  # one letter added


def term_typo(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Undeclared spec: classes and properties one typo away from a declared one of the same kind."""
    classes, properties, dialect_terms = _declared_spec_terms()
    namespace = str(SPEC)
    graph = folder.graph
    # Terms recognised by a synonym (spec:hasTasks, spec:ExecutableTask: see recognise.py) were
    # understood; recognised-by-name says so.
    recognised = {n[1] for n in folder.notes if n[0] == "by-name"}
    # The undeclared spec: terms the folder uses, as (term, kind); then only their uses are sorted.
    used = {(p, "property") for p in distinct_predicates(graph) if str(p).startswith(namespace)}
    used |= {(o, "class") for o in set(graph.objects(None, RDF.type))
             if isinstance(o, URIRef) and str(o).startswith(namespace)}
    findings = []
    for term, kind in sorted(used, key=lambda tk: (str(tk[0]), tk[1])):
        declared = classes if kind == "class" else properties
        if term in declared or term in dialect_terms or term in recognised:
            continue  # suggestions come only from our own vocabulary, of the same kind
        local = str(term)[len(namespace):]
        close = sorted(str(t)[len(namespace):] for t in declared if _one_typo_apart(local, str(t)[len(namespace):]))
        if not close:
            continue  # an unknown term with no near match is taken as a deliberate extension
        # The first use in a stable order: the least (subject, predicate, object) using the term.
        uses = graph.triples((None, term, None)) if kind == "property" else graph.triples((None, RDF.type, term))
        subject, predicate, _o = min(uses, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
        findings.append(make_finding(folder, rule, focus=subject, value=term, predicate=predicate,
                                     extra={"suggestion": " or ".join(f"spec:{c}" for c in close)}))
    return findings


CHECKS["dialect_mixed"] = dialect_mixed
CHECKS["typed_by_position"] = typed_by_position
CHECKS["term_typo"] = term_typo


# A task whose title says it removes, moves or renames files names files that are gone by design.
_GONE_BY_DESIGN = re.compile(r"\b(remove|delete|drop|move|rename|archive|deprecate|retire|replace)\w*\b", re.I)


def done_task_file(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Done tasks (spec:status "done") naming a file (spec:filePath) that the --repo-root repository lacks.

    A path counts as present when the repository holds it relative to its root or as
    the end of a longer path (tasks often name files relative to a package folder).
    """
    if folder.repo_root is None:
        return []
    present = _repo_files(str(folder.repo_root))
    findings = []
    for task in sorted(set(view.subjects(RDF.type, SPEC.Task)), key=str):
        if not any(str(s).strip().lower() == "done" for s in view.objects(task, SPEC.status)):
            continue
        if _GONE_BY_DESIGN.search(str(view.value(task, RDFS.label) or "")):
            continue
        for path in sorted(str(p) for p in view.objects(task, SPEC.filePath)):
            wanted = path.strip().lstrip("./").rstrip("/")
            if not wanted or any(c in wanted for c in "*?{}<>$[]") or _in_repo(wanted, present):
                continue
            findings.append(make_finding(folder, rule, focus=task, value=Literal(path), predicate=SPEC.filePath))
    return findings


def _in_repo(wanted: str, present: frozenset) -> bool:
    if wanted in present:
        return True
    suffix = "/" + wanted
    return any(p.endswith(suffix) for p in present)


def _repo_files(root: str) -> frozenset:
    """Every file's path below ``root``, relative and with / (hidden folders, node_modules and build output left out)."""
    found = []
    skip = {"node_modules", "__pycache__", "target", "dist", "build"}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in skip]
        rel = os.path.relpath(dirpath, root)
        for name in filenames:
            found.append(name if rel == "." else f"{Path(rel).as_posix()}/{name}")
    return frozenset(found)


CHECKS["done_task_file"] = done_task_file


_XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes a literal of another datatype still satisfies (xsd:integer is an xsd:decimal, ...).
_DATATYPE_FAMILY = {
    _XSD + "decimal": {_XSD + "integer", _XSD + "int", _XSD + "long", _XSD + "short",
                       _XSD + "nonNegativeInteger", _XSD + "positiveInteger"},
    _XSD + "integer": {_XSD + "int", _XSD + "long", _XSD + "short", _XSD + "nonNegativeInteger",
                       _XSD + "positiveInteger"},
    _XSD + "double": {_XSD + "float", _XSD + "decimal", _XSD + "integer"},
    _XSD + "string": {""},
}


def entity_schema(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Nodes and values that break the rdfs:domain / rdfs:range the folder itself declares."""
    from rdflib import RDFS, Literal

    graph = folder.graph
    domains = {p: set(graph.objects(p, RDFS.domain)) for p in set(graph.subjects(RDFS.domain, None))}
    ranges = {p: set(graph.objects(p, RDFS.range)) for p in set(graph.subjects(RDFS.range, None))}
    if not domains and not ranges:
        return []

    def classes_of(node) -> set:
        found, todo = set(), list(graph.objects(node, RDF.type))
        while todo:
            c = todo.pop()
            if c not in found:
                found.add(c)
                todo.extend(graph.objects(c, RDFS.subClassOf))
        return found

    findings = []
    for p in sorted(set(domains) | set(ranges), key=str):
        for s, o in sorted(graph.subject_objects(p), key=lambda t: (str(t[0]), str(t[1]))):
            problem = None
            wanted = domains.get(p, set())
            have = classes_of(s)
            if wanted and have and not (wanted & have):
                problem = (f"uses {folder.index.name(p, folder.index.locate(s, p)[0])}, whose rdfs:domain is "
                           f"{_names(folder, wanted, s, p)}, but is a {_names(folder, have - wanted, s, p)}")
            wanted = {r for r in ranges.get(p, set()) if r != RDFS.Literal}
            if problem is None and wanted:
                if isinstance(o, Literal):
                    datatypes = {r for r in wanted if str(r).startswith(_XSD)}
                    actual = str(o.datatype or (_XSD + "string" if o.language is None else ""))
                    if datatypes and not any(actual == str(d) or actual in _DATATYPE_FAMILY.get(str(d), ())
                                             for d in datatypes):
                        problem = (f"has {folder.index.name(p, folder.index.locate(s, p)[0])} \"{o!s:.40}\" "
                                   f"({'a language-tagged string' if o.language else actual.replace(_XSD, 'xsd:')}), "
                                   f"but its rdfs:range is {_names(folder, datatypes, s, p)}")
                elif classes_of(o) and not (wanted & classes_of(o)) and not all(str(r).startswith(_XSD) for r in wanted):
                    problem = (f"links {folder.index.name(o, folder.index.locate(s, p)[0])} by "
                               f"{folder.index.name(p, folder.index.locate(s, p)[0])}, whose rdfs:range is "
                               f"{_names(folder, wanted, s, p)}, but it is a {_names(folder, classes_of(o), s, p)}")
            if problem is not None:
                findings.append(make_finding(folder, rule, focus=s, predicate=p, value=o if not isinstance(o, Literal) else None,
                                             extra={"problem": problem}))
    return findings


def _names(folder: LoadedFolder, nodes: set, s, p) -> str:
    file = folder.index.locate(s, p)[0]
    return " or ".join(sorted(folder.index.name(n, file) for n in nodes))


CHECKS["entity_schema"] = entity_schema


def feature_requirements(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Features with no requirement, where the vocabulary they are written in has requirements."""
    with_requirements = [str(SPEC)]  # namespaces whose vocabulary has a requirement class
    for detection in folder.dialects:
        dialect = _builtin_dialects().get(detection.name)
        if dialect is not None and any(o == SPEC.Requirement for _s, _p, o in dialect.axioms):
            with_requirements += list(dialect.trigger_namespaces)
    findings = []
    for feature in sorted(set(view.subjects(RDF.type, SPEC.Feature)), key=str):
        if (feature, SPEC.hasRequirement, None) in view:
            continue
        written = [str(t) for t in folder.graph.objects(feature, RDF.type)]
        if any(t.startswith(tuple(with_requirements)) for t in written):
            findings.append(make_finding(folder, rule, focus=feature))
    return findings


def _builtin_dialects() -> dict:
    global _DIALECTS
    if _DIALECTS is None:
        from ..dialects import load_dialects

        _DIALECTS = load_dialects()
    return _DIALECTS


_DIALECTS: dict | None = None


CHECKS["feature_requirements"] = feature_requirements


from .uniqueness import unique_id, unique_label  # noqa: E402 - registered beside the others

CHECKS["unique_id"] = unique_id
CHECKS["unique_label"] = unique_label
