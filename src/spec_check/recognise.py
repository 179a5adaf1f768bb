# SPDX-License-Identifier: MIT
"""Recognition by name and structure: spec terms in a vocabulary no dialect knows.

Real specs write our concepts under any namespace: ``<…/plan#tasks>``,
``ggen:UserStory``, ``spec:ExecutableTask``. A term the folder uses (a
predicate, or an rdf:type object) that no applied dialect maps, outside the
standard vocabularies, is recognised by its *local name*:

* exactly our term's local name (``…#UserStory``, ``…#dependsOn``): an exact
  match under another namespace, said once per namespace;
* a known synonym (``phases``, ``tasks``, ``dependencies``, ``effort``,
  ``estimatedHours``, ``linkedStory``, ``belongsTo``, …) or, for classes, a
  known suffix (``ExecutableTask``, ``TaskPhase``, ``ImplementationPlan``).

Each match becomes one alignment axiom (term ⊑ our term) that infer.align
materialises like a dialect's, so the same closure rules apply. Then
structure (``recognise_structure``): an untyped node with phase links is a
plan, an untyped node with task links a phase; ``belongsTo``-style links
are read in the direction of the container; effort written as
``[ rdf:value 15 ; unitCode "HOUR" ]`` or ``"4h"`` becomes hours; and an
acceptance criterion whose one text says "Given …, When …, Then …" is a
scenario with those three parts. Every inexact step is a note, reported once
per folder by the ``recognised-by-name`` info rule.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from .graph import SpecGraph, distinct_predicates
from .vocab import SC, SPEC, VOCABULARY_NAMESPACES

# Namespaces of standard vocabularies: their terms mean what their owners say,
# never something guessed from a local name (prov: has its own dialect file).
STANDARD_NAMESPACES = VOCABULARY_NAMESPACES + (
    "http://www.w3.org/ns/prov#", "http://purl.org/dc/", "http://xmlns.com/foaf/", "https://schema.org/",
    "http://schema.org/", "http://www.w3.org/2004/02/skos/", "http://www.w3.org/ns/",
    "http://www.w3.org/2006/time#", "http://qudt.org/", "https://spec.edmcouncil.org/",
)


def _key(local: str) -> str:
    return re.sub(r"[^a-z0-9]", "", local.lower())


name_key = _key  # a local name compared by letters and digits only, in lower case


def local_name(iri: str) -> str:
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1:]


def namespace(iri: str) -> str:
    return iri[: len(iri) - len(local_name(iri))]


# Our classes and properties by local name (an exact match under another namespace).
_OUR_CLASSES = ("Feature", "UserStory", "AcceptanceScenario", "Requirement", "SuccessCriterion", "Plan",
                "Phase", "Task", "Entity", "Component", "Risk", "Decision")
_OUR_PROPERTIES = ("hasUserStory", "acceptanceScenarios", "hasRequirement", "successCriteria", "hasPhase",
                   "hasTask", "inPhase", "dependsOn", "implements", "forFeature", "effortHours",
                   "totalEffortHours", "givenContext", "whenAction", "thenResult", "actor", "action",
                   "goal", "priority", "taskId", "storyId", "scenarioId", "requirementId", "featureId")

# Synonyms by normalised local name (lower case, letters and digits only).
CLASS_SYNONYMS = {
    "story": SPEC.UserStory, "userstory": SPEC.UserStory,
    "scenario": SPEC.AcceptanceScenario, "acceptancescenario": SPEC.AcceptanceScenario,
    "functionalrequirement": SPEC.Requirement, "nonfunctionalrequirement": SPEC.Requirement,
    "requirement": SPEC.Requirement,
    "plan": SPEC.Plan, "implementationplan": SPEC.Plan, "projectplan": SPEC.Plan,
    "phase": SPEC.Phase, "taskphase": SPEC.Phase, "milestonephase": SPEC.Phase,
    "task": SPEC.Task, "executabletask": SPEC.Task, "atomictask": SPEC.Task, "subtask": SPEC.Task,
    "feature": SPEC.Feature, "featurespecification": SPEC.Feature,
}
# Suffixes of class names (checked longest first): "…Plan", "…Phase", "…Task", "…Story".
# Not "…Plan": an ArchitecturePlan or TestPlan is a document, not a task plan (a node with phase
# links is a plan whatever its class: see type_holders).
CLASS_SUFFIXES = (("userstory", SPEC.UserStory), ("story", SPEC.UserStory),
                  ("requirement", SPEC.Requirement), ("phase", SPEC.Phase), ("task", SPEC.Task))
# Our object properties whose values, written as text, are no link (no id strings: see
# infer.link_id_strings): a foreign term with only literal values is not one of them.
_LINKS_NOT_TEXT = (SPEC.hasUserStory, SPEC.hasRequirement, SPEC.successCriteria, SPEC.forFeature,
                   SPEC.hasPhase, SPEC.acceptanceScenarios, SPEC.inPhase)

PROPERTY_SYNONYMS = {
    "userstories": SPEC.hasUserStory, "stories": SPEC.hasUserStory, "hasstory": SPEC.hasUserStory,
    "hasstories": SPEC.hasUserStory, "hasuserstories": SPEC.hasUserStory,
    "phases": SPEC.hasPhase, "hasphases": SPEC.hasPhase,
    "tasks": SPEC.hasTask, "hastasks": SPEC.hasTask, "tasklist": SPEC.hasTask,
    "dependencies": SPEC.dependsOn, "dependsontask": SPEC.dependsOn, "blockedby": SPEC.dependsOn,
    "effort": SPEC.effortHours, "estimatedhours": SPEC.effortHours, "estimatehours": SPEC.effortHours,
    "estimatedeffort": SPEC.effortHours, "effortestimate": SPEC.effortHours,
    "totalefforthours": SPEC.totalEffortHours, "totalestimatedhours": SPEC.totalEffortHours,
    "totaleffort": SPEC.totalEffortHours, "totalhours": SPEC.totalEffortHours,
    "linkedstory": SPEC.implements, "linkedscenario": SPEC.implements, "linkedrequirement": SPEC.implements,
    "linkedacceptancecriterion": SPEC.implements, "tracesto": SPEC.implements,
    "implementsstory": SPEC.implements, "implementsrequirement": SPEC.implements,
    "linkedfeature": SPEC.forFeature, "plansfeature": SPEC.forFeature, "implementsfeature": SPEC.forFeature,
    "acceptancecriteria": SPEC.acceptanceScenarios, "acceptancecriterion": SPEC.acceptanceScenarios,
    "hasacceptancecriterion": SPEC.acceptanceScenarios, "hasacceptancecriteria": SPEC.acceptanceScenarios,
    "hasacceptancescenario": SPEC.acceptanceScenarios, "acceptancescenario": SPEC.acceptanceScenarios,
    "scenarios": SPEC.acceptanceScenarios, "hasscenario": SPEC.acceptanceScenarios,
    "requirements": SPEC.hasRequirement, "hasfunctionalrequirement": SPEC.hasRequirement,
    "given": SPEC.givenContext, "when": SPEC.whenAction, "then": SPEC.thenResult,
}
# Links written from the member to its container ("the story belongs to the feature").
CONTAINER_LINKS = frozenset(("belongsto", "partof", "memberof", "ofphase", "infeature", "ofstory"))
# (member class, container class, our link from container to member)
_CONTAINMENT = ((SPEC.UserStory, SPEC.Feature, SPEC.hasUserStory),
                (SPEC.AcceptanceScenario, SPEC.UserStory, SPEC.acceptanceScenarios),
                (SPEC.Task, SPEC.Phase, SPEC.hasTask), (SPEC.Phase, SPEC.Plan, SPEC.hasPhase))

# Types that say nothing about a node's role in a spec.
NO_ROLE = frozenset((OWL.NamedIndividual, OWL.Thing, RDFS.Resource))
_OUR_ROLES = (SPEC.Feature, SPEC.UserStory, SPEC.AcceptanceScenario, SPEC.Requirement, SPEC.Plan,
              SPEC.Phase, SPEC.Task, SPEC.SuccessCriterion)


def _is_standard(iri: str) -> bool:
    return iri.startswith(STANDARD_NAMESPACES)


def match_class(term: URIRef):
    """(our class, exact) for a class term recognised by local name, else None."""
    return _match(term, _OUR_CLASSES, CLASS_SYNONYMS, CLASS_SUFFIXES)


def match_property(term: URIRef):
    """(our property, exact) for a predicate recognised by local name, else None."""
    return _match(term, _OUR_PROPERTIES, PROPERTY_SYNONYMS, ())


def _match(term: URIRef, ours: tuple, synonyms: dict, suffixes: tuple):
    local = local_name(str(term))
    if local in ours:
        return SPEC[local], True
    key = _key(local)
    if key in synonyms:
        return synonyms[key], False
    for suffix, target in suffixes:
        if key.endswith(suffix) and len(key) > len(suffix):
            return target, False
    return None


def recognise_terms(asserted: Graph, known: set, dialect_namespaces: tuple = (),
                    declared: frozenset = frozenset()) -> tuple[Graph, list]:
    """Alignment axioms for the folder's unknown terms that match by local name, and notes.

    ``known``: terms an applied dialect already maps (never guessed again);
    ``dialect_namespaces``: its namespaces (an exact name there is no look-alike);
    ``declared``: our ontology's terms. A term of our own namespace that the
    ontology does not declare (spec:ExecutableTask, spec:hasTasks) is matched
    by synonym too.
    Notes: ("by-name", term, our term, uses, exact) and ("look-alike", namespace).
    """
    axioms = SpecGraph()
    notes: list = []
    look_alike: set = set()
    # A term the folder itself relates to another (rdfs:subClassOf, owl:equivalentProperty, …)
    # means what the folder says: --inference reads that, not a guess from its name.
    self_described = {s for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
                                  OWL.equivalentProperty, OWL.inverseOf) for s in asserted.subjects(p, None)}
    terms = [(p, "property") for p in distinct_predicates(asserted)]
    terms += [(o, "class") for o in set(asserted.objects(None, RDF.type)) if isinstance(o, URIRef)]
    for term, kind in sorted(terms, key=lambda t: (str(t[0]), t[1])):
        iri = str(term)
        ours_undeclared = iri.startswith(str(SPEC)) and term not in declared
        if term in known or (_is_standard(iri) and not ours_undeclared) or not local_name(iri) \
                or term in self_described:
            continue
        if kind == "class":
            found = match_class(term)
            uses = len(set(asserted.subjects(RDF.type, term)))
            link = RDFS.subClassOf
        else:
            found = match_property(term)
            uses = sum(1 for _ in asserted.triples((None, term, None)))
            link = RDFS.subPropertyOf
        if found is None:
            continue
        ours, exact = found
        if ours_undeclared:
            if exact:
                continue  # an undeclared spec: term with our name cannot be: term-typo's business
        if kind == "property" and ours in _LINKS_NOT_TEXT and all(
                isinstance(o, Literal) for o in asserted.objects(None, term)):
            continue
        axioms.add((term, link, ours))
        notes.append(("by-name", term, ours, uses, exact))
        if exact and not iri.startswith(tuple(dialect_namespaces)):
            look_alike.add(namespace(iri))
    notes += [("look-alike", ns) for ns in sorted(look_alike)]
    return axioms, notes


def _untyped(view: Graph, node) -> bool:
    return not (set(view.objects(node, RDF.type)) - NO_ROLE)


def _no_role(view: Graph, node) -> bool:
    return not any((node, RDF.type, role) in view for role in _OUR_ROLES)


def _has_role(view: Graph, node, role) -> bool:
    return (node, RDF.type, role) in view


HOLDER_STEPS = {"plan": (SPEC.hasPhase, SPEC.Plan, "plan typed by its phase links"),
                "phase": (SPEC.hasTask, SPEC.Phase, "phase typed by its task links")}


def type_holders(view: Graph, described: set, step: str) -> tuple[Graph, list]:
    """Step 3b': a node with phase links and none of our roles is a plan; with task links, a phase.

    ``step`` "plan" runs before infer.type_by_position (which then types the
    plan's members), "phase" after it (a plan's members are typed by position).
    """
    out = SpecGraph()
    counts: dict = {}
    for link, role, what in (HOLDER_STEPS[step],):
        for holder in sorted(set(view.subjects(link, None)), key=str):
            if holder in described and _no_role(view, holder) and (holder, RDF.type, SPEC.Plan) not in out:
                out.add((holder, RDF.type, role))
                n, first = counts.get(what, (0, holder))
                counts[what] = (n + 1, first)
    return out, [("structure", what, n, first) for what, (n, first) in sorted(counts.items())]


_GIVEN_WHEN_THEN = (SPEC.givenContext, SPEC.whenAction, SPEC.thenResult)


def recognise_structure(view: Graph, asserted: Graph, described: set,
                        file_of=None) -> tuple[Graph, set, list]:
    """Step 3d. Roles and values from structure, after alignment (see the module docstring).

    ``file_of`` (node -> the file it is written in), when given, lets a stated effort total
    on a node that links none of its tasks cover the tasks written beside it (_effort_cover).
    Returns (triples to add, triples replaced,
    notes of ("structure", what, count, first node)).
    """
    out = SpecGraph()
    replaced: set = set()
    counts: dict = {}

    def note(what: str, node) -> None:
        n, first = counts.get(what, (0, node))
        counts[what] = (n + 1, first if str(first) <= str(node) else node)

    def has(node, role) -> bool:
        return _has_role(view, node, role) or (node, RDF.type, role) in out

    # Member → container links ("belongsTo") read as container → member.
    container_terms = [p for p in distinct_predicates(asserted) if _key(local_name(str(p))) in CONTAINER_LINKS
                       and not _is_standard(str(p))]
    for p in sorted(container_terms, key=str):
        for member, container in sorted(asserted.subject_objects(p), key=lambda t: (str(t[0]), str(t[1]))):
            for member_role, container_role, link in _CONTAINMENT:
                if has(member, member_role) and has(container, container_role):
                    if (container, link, member) not in view:
                        out.add((container, link, member))
                        note(f"link read from {local_name(str(p))}", member)
                    break

    # Effort as a quantity node or a "4h" string becomes hours.
    for s, o in sorted(view.subject_objects(SPEC.effortHours), key=lambda t: (str(t[0]), str(t[1]))):
        hours = _hours(view, o)
        if hours is None or (isinstance(o, Literal) and o.datatype in _NUMERIC):
            continue
        out.add((s, SPEC.effortHours, Literal(hours, datatype=XSD.decimal)))
        replaced.add((s, SPEC.effortHours, o))
        note("effort read as hours", s)

    # A criterion whose one text is "Given …, When …, Then …" is a scenario.
    criteria = set(view.objects(None, SPEC.acceptanceScenarios))
    for node in sorted(criteria, key=str):
        if isinstance(node, Literal) or node not in described:
            continue
        if any(view.value(node, p) is not None for p in _GIVEN_WHEN_THEN):
            continue
        parts = _given_when_then(view, node)
        if parts is None:
            continue
        given, when, then = parts
        if not has(node, SPEC.AcceptanceScenario):
            out.add((node, RDF.type, SPEC.AcceptanceScenario))
        out.add((node, SPEC.givenContext, Literal(given)))
        out.add((node, SPEC.whenAction, Literal(when)))
        out.add((node, SPEC.thenResult, Literal(then)))
        note("scenario read from one Given/When/Then text", node)
    if file_of is not None:
        covering: set = set()
        for holder, task in _effort_cover(view, file_of):
            out.add((holder, SC.effortCovers, task))
            if holder not in covering:  # one note per holder
                covering.add(holder)
                note("effort total read as covering the tasks written beside it", holder)
    notes = [("structure", what, n, first) for what, (n, first) in sorted(counts.items())]
    return out, replaced, notes


def _effort_cover(view: Graph, file_of) -> list[tuple]:
    """(holder, task) pairs: which tasks a stated total on a node linked to none of them covers.

    A node with spec:totalEffortHours that is no task and links no task (itself or through its
    phases) covers the tasks written in the same file that no phase or plan holds, when it is
    that file's only such total. Anything else (a second total in the file, tasks held
    elsewhere, no task beside it) is ambiguous: no pairs, and effort-total says nothing.
    """
    tasks = set(view.subjects(RDF.type, SPEC.Task))
    held = set(view.objects(None, SPEC.hasTask))
    by_file: dict = {}
    for holder in sorted(set(view.subjects(SPEC.totalEffortHours, None)), key=str):
        if holder in tasks or (holder, SPEC.hasTask, None) in view or any(
                (phase, SPEC.hasTask, None) in view for phase in view.objects(holder, SPEC.hasPhase)):
            continue
        by_file.setdefault(file_of(holder), []).append(holder)
    pairs = []
    for file, holders in sorted(by_file.items()):
        beside = sorted((t for t in tasks - held if file_of(t) == file), key=str)
        if len(holders) == 1 and beside:
            pairs += [(holders[0], t) for t in beside]
    return pairs


_NUMERIC = (XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger,
            XSD.positiveInteger, XSD.short)
_HOURS_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|hrs?|hours?)?\s*$", re.IGNORECASE)
_UNIT_FACTORS = {"hour": 1, "hours": 1, "hur": 1, "h": 1, "hr": 1, "hrs": 1, "minute": Decimal(1) / 60,
                 "minutes": Decimal(1) / 60, "min": Decimal(1) / 60}


def _number(value) -> Decimal | None:
    if not isinstance(value, Literal):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _hours(view: Graph, o) -> Decimal | None:
    if isinstance(o, Literal):
        m = _HOURS_TEXT.match(str(o))
        return Decimal(m.group(1)) if m else None
    amount = _number(view.value(o, RDF.value))
    if amount is None:
        return None
    units = [str(u).strip().lower() for p, u in view.predicate_objects(o)
             if _key(local_name(str(p))) in ("unitcode", "unit", "unittext")]
    if not units:
        return amount
    factor = _UNIT_FACTORS.get(units[0].rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    return None if factor is None else amount * factor


_GWT = re.compile(r"^\s*Given\b\s*(?P<given>.+?)[,;]?\s+When\b\s*(?P<when>.+?)[,;]?\s+Then\b\s*(?P<then>.+?)\s*\.?\s*$",
                  re.IGNORECASE | re.DOTALL)


def _given_when_then(view: Graph, node):
    for p, text in sorted(view.predicate_objects(node), key=lambda t: (str(t[0]), str(t[1]))):
        if not isinstance(text, Literal) or p == RDF.type:
            continue
        m = _GWT.match(str(text))
        if m:
            return tuple(" ".join(m.group(k).split()) for k in ("given", "when", "then"))
    return None


def spec_like_terms(view: Graph, asserted: Graph) -> list[tuple[str, int]]:
    """Terms that sound like spec concepts but play no role the rules see: (term IRI, uses).

    A class (rdf:type object) or predicate whose local name contains feature,
    story, scenario, criterion, requirement, plan, phase or task, outside the
    standard vocabularies, used on nodes that have none of our roles. Only the
    few candidate terms' triples are read (distinct predicates and classes first).
    """
    words = ("feature", "story", "scenario", "criteri", "requirement", "plan", "phase", "task")

    def sounds_like_spec(term) -> bool:
        return isinstance(term, URIRef) and not _is_standard(str(term)) and \
            any(w in _key(local_name(str(term))) for w in words)

    roled = {s for role in _OUR_ROLES for s in view.subjects(RDF.type, role)}
    found: dict = {}
    for p in distinct_predicates(asserted):
        if sounds_like_spec(p):
            uses = sum(1 for s in asserted.subjects(p, None) if s not in roled)
            if uses:
                found[str(p)] = uses
    for cls in set(asserted.objects(None, RDF.type)):
        if sounds_like_spec(cls):
            uses = sum(1 for s in asserted.subjects(RDF.type, cls) if s not in roled)
            if uses:
                found[str(cls)] = uses
    return sorted(found.items(), key=lambda t: (-t[1], t[0]))
