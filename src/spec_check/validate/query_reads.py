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


def table(rules) -> dict[str, tuple[str, tuple[str, ...]]]:
    """READS as ``analyse`` finds it for every SPARQL rule of ``rules`` (a RuleSet) it can bound."""
    from ..vocab import SC
    from .native import _PREFIXES

    out = {}
    for rule_id, rule in rules.rules.items():
        if rule.kind != "sparql":
            continue
        query = str(rules.shapes.value(rules.nodes[rule_id], SC.select))
        reads = analyse(query, _PREFIXES)
        if reads is not None:
            out[rule_id] = (query_digest(query), tuple(sorted(reads)))
    return out


if __name__ == "__main__":  # print the table for the built-in rules
    import json
    import textwrap

    from ..rules import load_rules

    for rule_id, (digest, reads) in table(load_rules([])).items():
        names = ", ".join(("_RDF + " + json.dumps(p[len(_RDF):])) if p.startswith(_RDF)
                          else ("_RDFS + " + json.dumps(p[len(_RDFS):])) if p.startswith(_RDFS)
                          else ("_SPEC + " + json.dumps(p[len(_SPEC):])) if p.startswith(_SPEC) else json.dumps(p)
                          for p in reads)
        line = f'    "{rule_id}": ("{digest}", ({names},)),'
        if len(line) > 110:
            line = f'    "{rule_id}": ("{digest}", (\n' + textwrap.fill(
                names + ",)),", 110, initial_indent=" " * 8, subsequent_indent=" " * 8)
        print(line)
