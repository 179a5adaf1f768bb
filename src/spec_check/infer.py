# SPDX-License-Identifier: MIT
"""Infer stage: build the graph the rules see, without touching the asserted one.

Steps, in order; each writes into a graph of its own, never the asserted one:

1. Lists (always): a link written as an RDF list is read as one link per
   member, so ``spec:acceptanceScenarios ( :A :B )`` and
   ``spec:acceptanceScenarios :A, :B`` mean the same.
2. Alignment (always, even with ``--inference none``: it is what the folder's
   dialect *means*): the axioms of the dialects in use (ontology/dialects/)
   and our own owl:inverseOf axioms are materialised by a small fixpoint over
   exactly five axiom kinds: owl:equivalentClass, owl:equivalentProperty,
   rdfs:subClassOf, rdfs:subPropertyOf, owl:inverseOf. rdfs:domain and
   rdfs:range are never used, and a triple about a node the folder does not
   describe is never added: that would turn a dangling reference into a
   phantom node and hide the error.
3. Normalisation where OWL cannot say it (each step documented below):
   comma-separated id strings become links (``link_id_strings``); list
   position types untyped plan nodes (``type_by_position``, reported as one
   info finding per folder); a story written as one "As a ..., I want ...,
   so that ..." sentence gets its actor, action and goal from it
   (``split_story_sentences``).
4. Inference (``--inference rdfs|owlrl``, off by default): owlrl's closure of
   the data with the ontology's sub-class, sub-property, equivalence and
   inverse axioms. rdfs:domain and rdfs:range are never used, and an inferred
   rdf:type on a node the folder does not describe is dropped.

The rules then run on asserted (less replaced triples) + normalised + aligned
+ inferred triples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from .graph import SpecGraph, distinct_subjects, is_literal
from .recognise import recognise_structure, recognise_terms, type_holders
from .model import InferenceMode  # noqa: F401  (defined without rdflib; re-exported here)
from .vocab import SPEC, VOCABULARY_NAMESPACES

# A list longer than this is cut: bounded work on hostile input.
MAX_LIST_LENGTH = 100_000


@dataclass
class RuleView:
    """The graph the rules run on, and the parts it was made from."""

    graph: Graph  # asserted (less replaced links) + normalised + aligned + inferred
    normalised: Graph
    inferred: Graph
    aligned: Graph = field(default_factory=SpecGraph)  # what the dialect and inverse axioms add
    notes: tuple = ()  # what normalisation did, for info findings: see link_id_strings, type_by_position


def list_members(graph: Graph, head) -> list | None:
    """Members of the RDF list at ``head``, or None when ``head`` is no well-formed list."""
    if head == RDF.nil:
        return []
    if not isinstance(head, BNode) or (head, RDF.first, None) not in graph:
        return None
    members, seen, node = [], set(), head
    while node != RDF.nil:
        if node in seen or len(members) >= MAX_LIST_LENGTH:
            return members  # a cyclic or absurdly long list: keep what was read
        seen.add(node)
        first = graph.value(node, RDF.first)
        if first is None:
            return None
        members.append(first)
        node = graph.value(node, RDF.rest)
        if node is None:
            return None
    return members


_LIST_LINKS = frozenset((RDF.first, RDF.rest))


def expand_lists(asserted: Graph) -> tuple[Graph, set, dict]:
    """Step 1. Return (one link per list member, list-valued links replaced, (s, member) -> predicate)."""
    out = SpecGraph()
    replaced = set()
    origin: dict = {}
    # Only rdf:nil and blank nodes with an rdf:first can head a list (see list_members).
    heads = {s for s in asserted.subjects(RDF.first, None) if isinstance(s, BNode)} | {RDF.nil}
    if not any(p not in _LIST_LINKS for head in heads for _s, p, _o in asserted.triples((None, None, head))):
        return out, replaced, origin  # no link to a list (most folders): no need to visit every triple
    for s, p, o in asserted:
        if o not in heads or p in _LIST_LINKS:
            continue
        members = list_members(asserted, o)
        if members is None:
            continue
        replaced.add((s, p, o))
        for m in members:
            out.add((s, p, m))
            origin.setdefault((s, m), p)
    return out, replaced, origin


def alignment_axioms(ontology: Graph, dialects=()) -> Graph:
    """The axioms step 2 materialises: our owl:inverseOf axioms plus each dialect's alignment."""
    axioms = SpecGraph()
    for t in ontology.triples((None, OWL.inverseOf, None)):
        axioms.add(t)
    for dialect in dialects:
        for t in dialect.axioms:
            axioms.add(t)
    return axioms


def align(base: Graph, axioms: Graph, described: set, start=None) -> Graph:
    """Step 2. The triples the five axiom kinds add to ``base``, to a fixpoint.

    ``A owl:equivalentClass B`` is read as A ⊑ B and B ⊑ A (the same for
    properties); ``x a A`` with A ⊑ B adds ``x a B``; ``s p o`` with p ⊑ q adds
    ``s q o``; p inverse of q adds ``o q s`` for every ``s p o`` (both ways).
    A new triple whose subject the folder does not describe is not added.
    ``start``: only the consequences of these triples of ``base`` (default: all).
    """
    sub_class: dict = {}
    sub_property: dict = {}
    inverse: dict = {}
    for a, b in axioms.subject_objects(OWL.equivalentClass):
        sub_class.setdefault(a, set()).add(b)
        sub_class.setdefault(b, set()).add(a)
    for a, b in axioms.subject_objects(RDFS.subClassOf):
        sub_class.setdefault(a, set()).add(b)
    for a, b in axioms.subject_objects(OWL.equivalentProperty):
        sub_property.setdefault(a, set()).add(b)
        sub_property.setdefault(b, set()).add(a)
    for a, b in axioms.subject_objects(RDFS.subPropertyOf):
        sub_property.setdefault(a, set()).add(b)
    for a, b in axioms.subject_objects(OWL.inverseOf):
        inverse.setdefault(a, set()).add(b)
        inverse.setdefault(b, set()).add(a)
    out = SpecGraph()
    if not (sub_class or sub_property or inverse):
        return out
    rdf_type = RDF.type
    if start is None and isinstance(base, SpecGraph):
        # Only triples some axiom applies to derive anything: those, in the graph's order (walking
        # every triple of the folder here was ~4 % of a check).
        pending = base.triples_with_predicates(set(sub_property) | set(inverse) | ({rdf_type} if sub_class else set()))
    else:
        pending = list(base if start is None else start)
    while pending:
        new = []
        for s, p, o in pending:
            if p == rdf_type:
                derived = [(s, RDF.type, c) for c in sub_class.get(o, ())]
            else:
                derived = [(s, q, o) for q in sub_property.get(p, ())]
                if isinstance(o, (URIRef, BNode)):
                    derived += [(o, q, s) for q in inverse.get(p, ())]
            for t in derived:
                if t[0] not in described or t in base or t in out:
                    continue  # never invent a node; nothing twice
                out.add(t)
                new.append(t)
        pending = new
    return out


# Id properties whose values name nodes in id strings ("T001, T002").
ID_PROPERTIES = (SPEC.taskId, SPEC.storyId, SPEC.scenarioId, SPEC.requirementId)
_ID_SEPARATORS = re.compile(r"[\s,;]+")


def link_id_strings(view: Graph, ontology: Graph, described: set) -> tuple[Graph, set, list]:
    """Step 3a. A link written as a string of ids becomes links to the nodes with those ids.

    ``:T3 spec:dependsOn "T001, T002"`` (any of our object properties, with a
    literal value) is read as links to the nodes whose spec:taskId (storyId,
    scenarioId, requirementId) is T001 and T002, or, failing an id, whose IRI
    has that local name. An empty string means no link. The literal is
    replaced only when every id was found; otherwise it stays, and the rule on
    that link reports it.

    Returns (links, literal triples replaced, notes).
    """
    object_properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    out = SpecGraph()
    replaced = set()
    candidates = [(s, p, o) for p in object_properties for s, o in view.subject_objects(p) if is_literal(o)]
    if not candidates:  # most folders: no id string to read, so no need to index every node's ids
        return out, replaced, []
    by_id: dict = {}
    for prop in ID_PROPERTIES:
        for node, ident in view.subject_objects(prop):
            by_id.setdefault(str(ident).strip(), set()).add(node)
    by_local: dict = {}
    for node in described:
        if isinstance(node, URIRef):
            iri = str(node)
            by_local.setdefault(iri[max(iri.rfind("#"), iri.rfind("/")) + 1:], set()).add(node)
    linked = 0
    for s, p, o in sorted(candidates, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        tokens = [t for t in _ID_SEPARATORS.split(str(o)) if t]
        targets = [by_id.get(t) or by_local.get(t) or set() for t in tokens]
        for found in targets:
            for node in sorted(found, key=str):
                out.add((s, p, node))
                linked += 1
        if all(targets):
            replaced.add((s, p, o))
    notes = [("id-strings", linked)] if linked else []
    return out, replaced, notes


# "As a <actor>, I want <action>, so that <goal>": the user-story sentence.
_STORY_SENTENCE = re.compile(
    r"^\s*As an? (?P<actor>[^,]+?),\s*I (?:want|need|would like)(?: to)? (?P<action>.+?),?\s+"
    r"so that (?P<goal>.+?)\.?\s*$", re.IGNORECASE | re.DOTALL)


def split_story_sentences(view: Graph) -> Graph:
    """Step 3c. A story described only by its sentence gets its actor, action and goal from it.

    spec-kit and similar styles write a story as one description, "As a
    FactoryPaaS operator, I want links resolved fast, so that redirects are
    imperceptible". For a spec:UserStory with an rdfs:comment (sk:description
    aligns to it) of that form, each of spec:actor, spec:action and spec:goal
    the story does not state is read from the sentence. A story whose text
    has no "so that" still lacks a goal, and story-goal says so.
    """
    out = SpecGraph()
    parts = (("actor", SPEC.actor), ("action", SPEC.action), ("goal", SPEC.goal))
    for story in sorted(set(view.subjects(RDF.type, SPEC.UserStory)), key=str):
        missing = [(name, prop) for name, prop in parts if view.value(story, prop) is None]
        if not missing:
            continue
        for comment in sorted(view.objects(story, RDFS.comment), key=str):
            m = _STORY_SENTENCE.match(str(comment)) if isinstance(comment, Literal) else None
            if m:
                for name, prop in missing:
                    out.add((story, prop, Literal(" ".join(m.group(name).split()))))
                break
    return out


# Types that say nothing about a node's role in a spec.
_NO_ROLE = {OWL.NamedIndividual, OWL.Thing, RDFS.Resource}


def type_by_position(view: Graph, asserted: Graph, origin: dict, described: set) -> tuple[Graph, list]:
    """Step 3b. Untyped members of a plan's phase links are phases; of a phase's task links, tasks.

    "Untyped" means no rdf:type, or only owl:NamedIndividual / owl:Thing. A
    member the folder does not describe is left alone (reference-defined
    reports it). Phases first, so a phase typed here gives its members the
    task role. Returns (type triples, notes of ("position", role, predicate as
    written, count, first member typed)).
    """
    out = SpecGraph()
    counts: dict = {}
    steps = ((SPEC.Plan, SPEC.hasPhase, SPEC.Phase, "phase"), (SPEC.Phase, SPEC.hasTask, SPEC.Task, "task"))
    for holder_class, link, role_class, role in steps:
        holders = set(view.subjects(RDF.type, holder_class)) | set(out.subjects(RDF.type, holder_class))
        for holder in sorted(holders, key=str):
            for member in sorted(set(view.objects(holder, link)), key=str):
                if member not in described or isinstance(member, Literal):
                    continue
                if set(view.objects(member, RDF.type)) - _NO_ROLE or (member, RDF.type, role_class) in out:
                    continue
                out.add((member, RDF.type, role_class))
                written = origin.get((holder, member)) \
                    or next(iter(sorted(asserted.predicates(holder, member))), link)
                key = (role, written)
                count, first = counts.get(key, (0, member))
                counts[key] = (count + 1, first)
    notes = [("position", role, written, n, first) for (role, written), (n, first) in counts.items()]
    return out, notes


def infer(asserted: Graph, normalised: Graph, ontology: Graph, mode: InferenceMode) -> Graph:
    """owlrl's closure under ``mode``, as a graph of only the new triples."""
    inferred = SpecGraph()
    if mode is InferenceMode.NONE:
        return inferred
    import owlrl  # imported here: a run without inference never pays for it

    work = Graph()
    for g in (asserted, normalised, ontology):
        for t in g:
            if t[1] not in (RDFS.domain, RDFS.range):
                work.add(t)
    semantics = owlrl.RDFS_Semantics if mode is InferenceMode.RDFS else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    described = set(asserted.subjects())
    for s, p, o in work:
        if (s, p, o) in asserted or (s, p, o) in normalised or (s, p, o) in ontology:
            continue
        if isinstance(s, Literal) or _is_vocabulary(s):
            continue
        if s not in described:
            continue  # never invent a node: that would hide a dangling reference
        if p == RDF.type and (isinstance(o, Literal) or _is_vocabulary(o) and not str(o).startswith("https://ggen.dev/spec#")):
            continue  # rdfs:Resource, owl:Thing and the like say nothing about closure
        if p == OWL.sameAs and s == o:
            continue  # OWL-RL's reflexive sameAs on every node says nothing either
        if isinstance(o, Literal) and _same_value_known(s, p, o, asserted, normalised):
            # owlrl hands literals back in canonical form ("4.0"^^xsd:decimal comes back as
            # "4"^^xsd:integer): a second copy of a known value, which would be counted twice
            # by any rule that sums or counts values.
            continue
        inferred.add((s, p, o))
    return inferred


def _same_value_known(s, p, o: Literal, *graphs: Graph) -> bool:
    for g in graphs:
        for known in g.objects(s, p):
            if isinstance(known, Literal) and (known == o or (
                    known.value is not None and o.value is not None and known.value == o.value)):
                return True
    return False


def _is_vocabulary(node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(VOCABULARY_NAMESPACES)


def rule_view(asserted: Graph, ontology: Graph, mode: InferenceMode, dialects=(), file_of=None) -> RuleView:
    """Build the rules' graph from ``asserted``: steps 1 to 4 of the module docstring.

    ``dialects`` are the Dialect objects to align (dialects.choose picks them); ``file_of``
    (node -> file), when given, lets structure read which tasks an unlinked effort total covers.
    The rules' graph is built in place, one copy of the asserted triples; the
    parts (normalised, aligned, inferred) are kept apart for inspection.
    """
    described = distinct_subjects(asserted)
    lists, replaced, origin = expand_lists(asserted)
    view = _copy(asserted, replaced)
    _add(view, lists)
    axioms = alignment_axioms(ontology, dialects)
    # Terms no dialect knows, recognised by local name (recognise.py): more axioms of the same kinds.
    known = {t for d in dialects for triple in d.axioms for t in triple}
    namespaces = tuple(ns for d in dialects for ns in d.trigger_namespaces)
    declared = frozenset(ontology.subjects(RDF.type, None))
    name_axioms, notes = recognise_terms(asserted, known, namespaces, declared)
    _add(axioms, name_axioms)
    aligned = align(view, axioms, described)
    _add(view, aligned)
    ids, replaced_literals, id_notes = link_id_strings(view, ontology, described)
    notes += id_notes
    _substitute(view, aligned, replaced, ids, replaced_literals)
    aligned_again = align(view, axioms, described, start=ids)
    _add(view, aligned_again)
    _add(aligned, aligned_again)
    holders, holder_notes = type_holders(view, described, "plan")
    notes += holder_notes
    _add(view, holders)
    typed, position_notes = type_by_position(view, asserted, origin, described)
    notes += position_notes
    _add(view, typed)
    phases, holder_notes = type_holders(view, described, "phase")
    if len(phases):
        notes += holder_notes
        _add(view, phases)
        _add(holders, phases)
        more, position_notes = type_by_position(view, asserted, origin, described)
        notes += position_notes
        _add(view, more)
        _add(typed, more)
    structure, replaced_values, structure_notes = recognise_structure(view, asserted, described, file_of)
    notes += structure_notes
    _substitute(view, aligned, replaced, structure, replaced_values)
    sentences = split_story_sentences(view)
    _add(view, sentences)
    normalised = SpecGraph()
    for g in (lists, ids, holders, typed, structure, sentences):
        _add(normalised, g)
    inferred = SpecGraph()
    if mode is not InferenceMode.NONE:
        both = SpecGraph()
        _add(both, normalised)
        _add(both, aligned)
        theory = SpecGraph()
        _add(theory, ontology)
        _add(theory, axioms)
        # Without the links steps 1 and 3 replaced: a sub-property axiom must not
        # copy a list head or an id string onto our property.
        written = SpecGraph()
        for t in asserted:
            if t not in replaced:
                written.add(t)
        inferred = infer(written, both, theory, mode)
        for t in replaced & set(inferred):
            inferred.remove(t)  # re-derived from the dialect's own property: still replaced
        _add(view, inferred)
    return RuleView(graph=view, normalised=normalised, inferred=inferred, aligned=aligned,
                    notes=tuple(notes))


def _substitute(view: Graph, aligned: Graph, replaced: set, added: Graph, removed: set) -> None:
    """A normalisation step's result: ``removed`` leaves the view (and aligned), ``added`` joins it."""
    for t in removed:
        view.remove(t)
        aligned.remove(t)
    replaced |= removed
    _add(view, added)


def _add(target: Graph, source: Graph) -> None:
    if isinstance(target, SpecGraph):
        target.add_all(source)
        return
    for t in source:
        target.add(t)


def _copy(graph: Graph, without: set) -> SpecGraph:
    if isinstance(graph, SpecGraph):
        return graph.copy_triples(without)
    copy = SpecGraph()
    for t in graph:
        if t not in without:
            copy.add(t)
    return copy
