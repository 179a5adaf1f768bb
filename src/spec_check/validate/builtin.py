# SPDX-License-Identifier: MIT
"""Built-in rules: graph algorithms run once per folder, in Python.

SHACL-core cannot follow a cycle of any length or compare namespaces, and a
SPARQL query per node is slow; these run in one pass over the graph. Their id,
severity and message still come from the shapes files (sc:BuiltinRule).
Registry: CHECKS maps the sc:check name to the function.
"""

from __future__ import annotations

from typing import Callable

from rdflib import RDF, Graph, URIRef

from ..graph import distinct_predicates, distinct_subjects
from ..load import LoadedFolder
from ..model import Finding, RuleInfo
from ..vocab import SPEC, VOCABULARY_NAMESPACES
from .findings import make_finding


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
    for component in _strongly_connected(edges):
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


def _strongly_connected(edges: dict) -> list[set]:
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


def _near_miss_key(local: str) -> str:
    return local.lower().replace("_", "").replace("-", "")


def reference_defined(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Objects in the folder's own namespaces that no file describes."""
    asserted = folder.graph
    described = {s for s in distinct_subjects(asserted) if isinstance(s, URIRef)}
    own = {namespace_of(str(s)) for s in described if not str(s).startswith(VOCABULARY_NAMESPACES)}
    by_key: dict[str, list] = {}
    for s in described:
        iri = str(s)
        by_key.setdefault(_near_miss_key(iri[len(namespace_of(iri)):]), []).append(s)
    findings = []
    seen = set()
    # Filter before sorting: only links to undescribed IRIs of the folder's own namespaces matter.
    candidates = [(s, p, o) for s, p, o in view
                  if isinstance(o, URIRef) and o not in described and p not in (RDF.first, RDF.rest)
                  and namespace_of(str(o)) in own]
    # Links as written first, so a finding points at the line that wrote it, not at an aligned copy.
    for s, p, o in sorted(candidates, key=lambda t: (t not in asserted, str(t[0]), str(t[1]), str(t[2]))):
        if o in folder.defined_elsewhere:
            continue  # another folder checked in this run describes it: the reference resolves
        iri = str(o)
        if (s, o) in seen:
            continue
        seen.add((s, o))
        suggestion = _suggest(folder, iri, by_key)
        findings.append(make_finding(folder, rule, focus=s, value=o, predicate=p,
                                     extra={"suggestion": suggestion}))
    return findings


def _suggest(folder: LoadedFolder, iri: str, by_key: dict) -> str:
    local = iri[len(namespace_of(iri)):]
    key = _near_miss_key(local)
    group = by_key.get(key)
    if not group:
        return ""
    if isinstance(group, list):  # sorted once per key, not once per reference (issue 20 item 7)
        ordered = sorted(group, key=str)
        exact: dict = {}
        for n in ordered:
            exact.setdefault(str(n)[len(namespace_of(str(n))):], n)
        group = by_key[key] = (ordered[0], exact)
    first, exact = group
    best = exact.get(local, first)  # the same local name (another namespace) first, then the least IRI
    file, line, _col = folder.index.locate(best)
    return f"{NEAR_MISS_MARK}{folder.index.name(best, file)} in {file}:{line}?"


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
    described = {s for s in distinct_subjects(asserted) if isinstance(s, URIRef)}
    own = {namespace_of(str(s)) for s in described if not str(s).startswith(VOCABULARY_NAMESPACES)}
    findings = []
    seen = set()
    # Filter before sorting: most triples link described nodes and are no candidates.
    candidates = [(s, p, o) for s, p, o in asserted
                  if isinstance(o, URIRef) and o not in described and o not in folder.defined_elsewhere
                  # rdf:type objects and schema statements name classes and vocabularies, not specs.
                  and p not in _SCHEMA_PREDICATES and not str(p).startswith(_OWL)
                  and not str(o).startswith(VOCABULARY_NAMESPACES) and namespace_of(str(o)) not in own]
    for s, p, o in sorted(candidates, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if (s, o) in seen:
            continue
        seen.add((s, o))
        findings.append(make_finding(folder, rule, focus=s, value=o, predicate=p))
    return findings


CHECKS: dict[str, Callable[[LoadedFolder, Graph, RuleInfo], list[Finding]]] = {
    "dependency_cycle": dependency_cycle,
    "reference_defined": reference_defined,
    "external_reference": external_reference,
    "syntax": _from_loader,
    "imports": _from_loader,
    "loader": _from_loader,  # limit-exceeded, unsafe-input, symlink-not-followed, timeout
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
        parts.append(f"{detection.name} ({folder.index.name(term, file)} at {file}:{line})")
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
    # The undeclared spec: terms the folder uses, as (term, kind); then only their uses are sorted.
    used = {(p, "property") for p in distinct_predicates(graph) if str(p).startswith(namespace)}
    used |= {(o, "class") for o in set(graph.objects(None, RDF.type))
             if isinstance(o, URIRef) and str(o).startswith(namespace)}
    findings = []
    for term, kind in sorted(used, key=lambda tk: (str(tk[0]), tk[1])):
        declared = classes if kind == "class" else properties
        if term in declared or term in dialect_terms:
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

from .uniqueness import unique_id, unique_label  # noqa: E402 - registered beside the others

CHECKS["unique_id"] = unique_id
CHECKS["unique_label"] = unique_label
