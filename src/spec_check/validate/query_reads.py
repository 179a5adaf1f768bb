# SPDX-License-Identifier: MIT
"""Which predicates each built-in SPARQL rule can read, so pyoxigraph gets only those triples.

Building the pyoxigraph store term by term from a folder's rule view cost five times
what running every SPARQL rule on it did (issue 19). Every built-in rule's query
names its predicates (no variable predicate, no negated path, no GRAPH or SERVICE),
so a store holding only triples with those predicates answers each query exactly as
the whole view does. READS lists them per rule, with a digest of the query they were
read from: a rule whose query is not exactly that text (a user's rule, an edited
query) gets the whole view, as before. ``analyse`` derives an entry from rdflib's
algebra of the query; tests/test_query_reads.py checks every entry against it, and
``python -m spec_check.validate.query_reads`` prints the table afresh.

REQUIRES lists, the same way, the triple patterns a rule's query has no row without
(``?this a spec:Plan`` outside any OPTIONAL, aggregate or FILTER EXISTS): a folder
without such a triple gets no finding from the rule, which then does not run, and its
predicates are not copied unless a rule that runs reads them.
"""

from __future__ import annotations

import hashlib

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SPEC = "https://ggen.dev/spec#"

# rule id -> (digest of the query text, the predicate IRIs its patterns can match)
READS: dict[str, tuple[str, tuple[str, ...]]] = {
    "dependency-order": ("b00cea24a995e81d", (_SPEC + "dependsOn", _SPEC + "documentOrder",)),
    "effort-total": ("b6e44049f1edb27d", (
        _RDF + "type", _SPEC + "effortHours", _SPEC + "hasPhase", _SPEC + "hasTask", _SPEC +
        "totalEffortHours", "https://spec-check.dev/ns#effortCovers",)),
    "entity-data-model": ("ee0aa31a539d5a44", (
        _RDF + "type", _RDFS + "label", _SPEC + "modelEntityName", _SPEC + "modelText", _SPEC +
        "normalisedName",)),
    "feature-branch": ("278fe513e5b9d65a", (_SPEC + "featureBranch", _SPEC + "folderName",)),
    "feature-count": ("854563c779c92535", (_RDF + "type",)),
    "needs-clarification": ("3b1da078a278bad1", (_RDF + "type", _SPEC + "markerText",)),
    "plan-feature": ("a3cea593d4b29dd7", (_RDF + "type", _SPEC + "forFeature",)),
    "plan-present": ("1fda354daa9b8715", (_RDF + "type",)),
    "plan-spec-link": ("155bdc45c9ce498c", (_RDF + "type", _SPEC + "fileName", _SPEC + "specLink",)),
    "requirement-covered": ("e0a6fe5b60e51b19", (_RDF + "type", _SPEC + "implements",)),
    "story-implicit": ("3b394b36320b5821", (_RDF + "type", _SPEC + "hasUserStory",)),
    "story-linked": ("eadc686d40844bd4", (_RDF + "type", _SPEC + "hasUserStory",)),
    "story-phase-label": ("aca3a708d481ee0f", (
        _RDF + "type", _SPEC + "hasTask", _SPEC + "phaseStory", _SPEC + "storyLabel",)),
    "success-criterion-linked": ("64bf1b13de659a69", (_RDF + "type", _SPEC + "successCriteria",)),
    "template-placeholder": ("c9322a5a67558c59", (_RDF + "type", _SPEC + "markerText",)),
}

# rule id -> (digest of the query text, (predicate, object IRI or None) patterns it has no row without)
REQUIRES: dict[str, tuple[str, tuple[tuple[str, str | None], ...]]] = {
    "dependency-order": ("b00cea24a995e81d", ((_SPEC + "dependsOn", None), (_SPEC + "documentOrder", None),)),
    "effort-total": ("b6e44049f1edb27d", ((_SPEC + "totalEffortHours", None),)),
    "entity-data-model": ("ee0aa31a539d5a44", (
        (_RDF + "type", _SPEC + "DataModel"), (_RDF + "type", _SPEC + "Entity"), (_SPEC + "normalisedName",
        None),)),
    "feature-branch": ("278fe513e5b9d65a", ((_SPEC + "featureBranch", None), (_SPEC + "folderName", None),)),
    "needs-clarification": ("3b1da078a278bad1", (
        (_RDF + "type", _SPEC + "ClarificationMarker"), (_SPEC + "markerText", None),)),
    "plan-feature": ("a3cea593d4b29dd7", ((_RDF + "type", _SPEC + "Plan"),)),
    "plan-spec-link": ("155bdc45c9ce498c", (
        (_RDF + "type", _SPEC + "Document"), (_SPEC + "fileName", None),)),
    "requirement-covered": ("e0a6fe5b60e51b19", ((_RDF + "type", _SPEC + "Requirement"),)),
    "story-implicit": ("3b394b36320b5821", ((_RDF + "type", _SPEC + "UserStory"),)),
    "story-linked": ("eadc686d40844bd4", ((_RDF + "type", _SPEC + "UserStory"),)),
    "story-phase-label": ("aca3a708d481ee0f", (
        (_RDF + "type", _SPEC + "Task"), (_SPEC + "hasTask", None), (_SPEC + "phaseStory", None),)),
    "success-criterion-linked": ("64bf1b13de659a69", ((_RDF + "type", _SPEC + "SuccessCriterion"),)),
    "template-placeholder": ("c9322a5a67558c59", (
        (_RDF + "type", _SPEC + "TemplatePlaceholder"), (_SPEC + "markerText", None),)),
}

def query_digest(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()[:16]


def predicates_read(rule_id: str, query: str) -> frozenset[str] | None:
    """The predicates ``query`` (rule ``rule_id``'s) can match, or None when it is not known."""
    entry = READS.get(rule_id)
    if entry is None or entry[0] != query_digest(query):
        return None
    return frozenset(entry[1])


def analyse(query: str, prefixes: dict[str, str]) -> frozenset[str] | None:
    """The predicate IRIs the patterns of ``query`` can match, from rdflib's algebra; None
    when a pattern could match any predicate (a variable or negated path, GRAPH, SERVICE).

    Only for building and checking READS: it imports rdflib's SPARQL parser (~0.3 s).
    """
    from rdflib import URIRef, Variable
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()

    def path_iris(path) -> bool:
        if isinstance(path, URIRef):
            found.add(str(path))
            return True
        if isinstance(path, (SequencePath, AlternativePath)):
            return all(path_iris(p) for p in path.args)
        if isinstance(path, InvPath):
            return path_iris(path.arg)
        if isinstance(path, MulPath):
            return path_iris(path.path)
        return False  # a variable, a negated path, anything else: any predicate

    def triples_of(value):
        if value and not isinstance(value[0], (list, tuple)):
            value = [value]
        for block in value:
            block = list(block)
            if len(block) % 3:
                raise ValueError("unexpected triples block")
            for i in range(0, len(block), 3):
                yield block[i:i + 3]

    def walk(node) -> bool:
        if isinstance(node, CompValue):
            if node.name in ("Graph", "GraphGraphPattern", "ServiceGraphPattern", "Service"):
                return False
            for key, value in node.items():
                if key == "triples" and value:
                    for _s, p, _o in triples_of(value):
                        if isinstance(p, Variable) or not path_iris(p):
                            return False
                elif not walk(value):
                    return False
            return True
        if isinstance(node, dict):
            return all(walk(v) for v in node.values())
        if isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        return True

    parsed = prepareQuery(query, initNs=prefixes)
    return frozenset(found) if walk(parsed.algebra) else None


def requirements(rule_id: str, query: str) -> tuple[tuple[str, str | None], ...]:
    """Triple patterns (predicate, object IRI or None for any object) that ``query`` (rule
    ``rule_id``'s) has no solution without: a folder lacking one gets no rows, so the rule need
    not run. Empty when not known (a user's rule, an edited query)."""
    entry = REQUIRES.get(rule_id)
    if entry is None or entry[0] != query_digest(query):
        return ()
    return entry[1]


def analyse_requirements(query: str, prefixes: dict[str, str]) -> frozenset[tuple[str, str | None]]:
    """The (predicate, object IRI or None) patterns every solution of ``query`` matches, from
    rdflib's algebra: the constant-predicate triples of the basic graph patterns that every
    solution joins (through joins, filters, BIND, projections, the left side of OPTIONAL and
    MINUS; what both sides of a UNION require). Never inside an aggregate (a COUNT over nothing
    is still a row), FILTER EXISTS, GRAPH, SERVICE, VALUES or a property path: those require nothing.

    Only for building and checking REQUIRES: it imports rdflib's SPARQL parser.
    """
    from rdflib import URIRef
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def required(node) -> frozenset:
        if not isinstance(node, CompValue):
            return frozenset()
        name = node.name
        if name in ("SelectQuery", "Project", "Distinct", "Reduced", "OrderBy", "Slice", "Filter", "Extend",
                    "ToMultiSet"):
            return required(node.p)
        if name == "Join":
            return required(node.p1) | required(node.p2)
        if name in ("LeftJoin", "Minus"):
            return required(node.p1)
        if name == "Union":
            return required(node.p1) & required(node.p2)
        if name == "BGP":
            return frozenset((str(p), str(o) if isinstance(o, URIRef) else None)
                             for _s, p, o in node.triples if isinstance(p, URIRef))
        return frozenset()  # aggregates, GRAPH, SERVICE, VALUES, anything else: nothing known

    patterns = required(prepareQuery(query, initNs=prefixes).algebra)
    # A pattern with an object implies the same predicate with any object: keep the stronger.
    return frozenset(t for t in patterns if t[1] is not None or not any(u[0] == t[0] and u[1] for u in patterns))


def _built_in_queries(rules):
    """(rule id, its query text) of every SPARQL rule of ``rules`` (a RuleSet)."""
    from ..vocab import SC

    for rule_id, rule in rules.rules.items():
        if rule.kind == "sparql":
            yield rule_id, str(rules.shapes.value(rules.nodes[rule_id], SC.select))


def requires_table(rules) -> dict[str, tuple[str, tuple[tuple[str, str | None], ...]]]:
    """REQUIRES as ``analyse_requirements`` finds it for every SPARQL rule of ``rules`` that requires something."""
    from .native import _PREFIXES

    out = {}
    for rule_id, query in _built_in_queries(rules):
        needs = analyse_requirements(query, _PREFIXES)
        if needs:
            out[rule_id] = (query_digest(query), tuple(sorted(needs, key=lambda t: (t[0], t[1] or ""))))
    return out


def table(rules) -> dict[str, tuple[str, tuple[str, ...]]]:
    """READS as ``analyse`` finds it for every SPARQL rule of ``rules`` (a RuleSet) it can bound."""
    from .native import _PREFIXES

    out = {}
    for rule_id, query in _built_in_queries(rules):
        reads = analyse(query, _PREFIXES)
        if reads is not None:
            out[rule_id] = (query_digest(query), tuple(sorted(reads)))
    return out


def _names(iris) -> str:
    import json

    return ", ".join("None" if p is None else ("_RDF + " + json.dumps(p[len(_RDF):])) if p.startswith(_RDF)
                     else ("_RDFS + " + json.dumps(p[len(_RDFS):])) if p.startswith(_RDFS)
                     else ("_SPEC + " + json.dumps(p[len(_SPEC):])) if p.startswith(_SPEC)
                     else json.dumps(p) for p in iris)


def _entry(rule_id: str, digest: str, items: str) -> str:
    import textwrap

    line = f'    "{rule_id}": ("{digest}", ({items},)),'
    if len(line) > 110:
        line = f'    "{rule_id}": ("{digest}", (\n' + textwrap.fill(
            items + ",)),", 110, initial_indent=" " * 8, subsequent_indent=" " * 8, break_on_hyphens=False)
    return line


if __name__ == "__main__":  # print the tables for the built-in rules
    from ..rules import load_rules

    built_in = load_rules([])
    print("READS = {")
    for rule_id, (digest, reads) in table(built_in).items():
        print(_entry(rule_id, digest, _names(reads)))
    print("}")
    print("REQUIRES = {")
    for rule_id, (digest, needs) in requires_table(built_in).items():
        print(_entry(rule_id, digest, ", ".join(f"({_names(t)})" for t in needs)))
    print("}")
