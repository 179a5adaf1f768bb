# SPDX-License-Identifier: MIT
"""Refine the findings so that each is one a spec's author would act on.

Runs once per folder after every rule (validate_folder), on the full list:

0. **Flat plans**: a plan that lists its tasks directly (spec:hasTask, no
   phase) is how spec-kit writes a plan; plan-phases does not apply to it,
   nor to a plan that writes its time boxes as text (two or more values of
   one ``…#week``/``…#phase``/``…#sprint``/… link: ``"Week 1-2: …"``), and
   task-phase not to tasks in no phase node that share such a group text
   (``…#workstream "WS1: …"``) with other tasks.
   **No feature at all** (a spec-kit folder with tasks.md and no spec.md):
   feature-count says so once; links to the missing feature
   (spec:forFeature, spec:servesFeature) and tasks' links to stories or
   requirements that no file describes are that same defect, not more.
1. **Knock-on effects of a file that did not parse** are withheld: a finding
   whose node or value the unparsed file names (read lexically, see
   load/lexical.py), and a folder-level finding ("0 features", "no plan"),
   may only mean that the file's triples are missing. One info finding per
   such file says how many were withheld and that the file is to be fixed
   first (``withheld-until-parsed``).
2. **Nothing to trace to**: when no story, scenario or requirement exists
   anywhere in the folder (not even in an unparsed file), one
   ``nothing-to-trace`` warning replaces a task-traced finding per task.
3. **Not a spec / not understood**: a folder with none of our roles that
   mostly defines classes and properties is a vocabulary (``not-a-spec``;
   its folder-level absence findings are withheld); a folder whose nodes use
   spec-sounding terms that play no role the rules see gets
   ``spec-not-understood`` naming those terms, weighted in the closure
   score as one failed check per such node, so that a folder we do not
   understand never scores above one we do.
4. **Recognised by name or structure**: one ``recognised-by-name`` info per
   folder states every inexact recognition (recognise.py notes).
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef

from ..load import LoadedFolder
from ..model import Finding, RuleInfo, Severity
from ..recognise import local_name, name_key, spec_like_terms
from ..rules import RuleSet
from ..vocab import SPEC, VOCABULARY_NAMESPACES
from .builtin import in_folder
from .findings import make_finding

# Rules this module reports (registered in shapes/accuracy.ttl, sc:check "refined").
REFINED = ("withheld-until-parsed", "nothing-to-trace", "not-a-spec", "spec-not-understood",
           "recognised-by-name")
# Findings about the files themselves: never a knock-on of another file.
_FILE_RULES = {"syntax", "limit-exceeded", "unsafe-input", "symlink-not-followed", "timeout",
               "imports-not-followed", "dialect-mixed", "term-typo", *REFINED}
_ROLES = (SPEC.Feature, SPEC.UserStory, SPEC.AcceptanceScenario, SPEC.Requirement, SPEC.Plan, SPEC.Phase,
          SPEC.Task)
_TRACE_TARGETS = (SPEC.UserStory, SPEC.AcceptanceScenario, SPEC.Requirement)
_SCHEMA_NAMES = {"Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "Property", "Ontology",
                 "NodeShape", "PropertyShape", "TransitiveProperty", "SymmetricProperty", "FunctionalProperty",
                 "InverseFunctionalProperty", "Restriction", "Datatype"}


def refine(folder: LoadedFolder, view: Graph, rules: RuleSet,
           findings: list[Finding]) -> tuple[list[Finding], dict[str, tuple[int, int]]]:
    """(refined findings, closure weights: rule id -> (checks applied, checks failed) to use instead)."""
    weights: dict[str, tuple[int, int]] = {}
    known = rules.rules
    findings = _flat_plans(folder, view, findings)
    findings = _tasks_grouped_by_text(folder, view, findings)
    findings = _no_feature(folder, view, findings)
    findings = _nothing_to_trace(folder, view, known, findings)
    findings = _withhold_knock_on(folder, view, known, findings)
    findings, weights = _understood(folder, view, known, findings)
    findings += _recognised(folder, known)
    return findings, weights


def _rule(known: dict, rule_id: str) -> RuleInfo | None:
    return known.get(rule_id)


def _instances(view: Graph, cls) -> set:
    return set(view.subjects(RDF.type, cls))


def _lexical_classes(folder: LoadedFolder) -> set[str]:
    """Lower-case local names of the class-like names (capitalised) the unparsed files mention."""
    return {local_name(iri).lower() for names in folder.unparsed_names.values() for iri in names.mentioned
            if local_name(iri)[:1].isupper()}




def _flat_plans(folder: LoadedFolder, view: Graph, findings: list[Finding]) -> list[Finding]:
    """A plan that lists its tasks directly (spec:hasTask, as spec-kit writes it) needs no phase;
    nor does one that writes its time boxes as text (see _phases_as_text)."""
    flat = {(folder.index.locate(p)[0], folder.index.name(p, folder.index.locate(p)[0]))
            for p in _instances(view, SPEC.Plan) if (p, SPEC.hasPhase, None) not in view
            and ((p, SPEC.hasTask, None) in view or _phases_as_text(folder.graph, p))}
    return [f for f in findings if f.rule_id != "plan-phases" or (f.file, f.focus) not in flat]


# Local names (normalised) of links whose values are a plan's time boxes: "Week 1-2: …".
_TIME_BOXES = ("week", "weeks", "phase", "phases", "stage", "stages", "sprint", "sprints", "iteration",
               "iterations", "milestone", "milestones", "step", "steps", "month", "months", "quarter",
               "wave", "waves", "timeline", "schedule")


# Local names of links whose text value names the group a task belongs to ("WS1: Closure").
_TASK_GROUPS = _TIME_BOXES + ("workstream", "workstreams", "stream", "track", "lane", "swimlane")


def _tasks_grouped_by_text(folder: LoadedFolder, view: Graph, findings: list[Finding]) -> list[Finding]:
    """A task in no phase node that shares a group text with other tasks (``process:workstream
    "WS1: Specification Closure"`` on three tasks) is in a phase, written as prose; task-phase's
    "must be in exactly one phase" would be untrue of it. A text only one task has is no group."""
    if not any(f.rule_id == "task-phase" for f in findings):
        return findings
    graph = folder.graph
    members: dict = {}  # (link, text) -> tasks
    for task in _instances(view, SPEC.Task):
        if (None, SPEC.hasTask, task) in view:
            continue  # held by a phase: task-phase judges it as written
        for p, o in graph.predicate_objects(task):
            if isinstance(o, Literal) and name_key(local_name(str(p))) in _TASK_GROUPS:
                members.setdefault((p, str(o).strip().lower()), set()).add(task)
    grouped = {t for tasks in members.values() if len(tasks) >= 2 for t in tasks}
    if not grouped:
        return findings
    index = folder.index
    shown = {(index.locate(t)[0], index.name(t, index.locate(t)[0])) for t in grouped}
    return [f for f in findings if f.rule_id != "task-phase" or (f.file, f.focus) not in shown]


def _phases_as_text(graph: Graph, plan) -> bool:
    """Two or more text values of one time-box link (``process:week "Week 1-2: …"``): the plan has
    its phases, written as prose the rules cannot read; "no phase" would be untrue, and turning
    prose into phase nodes is not a fix an author owes."""
    counts: dict = {}
    for p, o in graph.predicate_objects(plan):
        if isinstance(o, Literal) and name_key(local_name(str(p))) in _TIME_BOXES:
            counts[p] = counts.get(p, 0) + 1
    return any(n >= 2 for n in counts.values())


def _no_feature(folder: LoadedFolder, view: Graph, findings: list[Finding]) -> list[Finding]:
    """Without any feature, references to it and to its stories are feature-count's one finding."""
    if _instances(view, SPEC.Feature) or not any(f.rule_id == "feature-count" for f in findings):
        return findings
    index = folder.index

    def undescribed(p) -> set:
        return {o for o in view.objects(None, p) if (o, None, None) not in folder.graph}

    # The feature and the stories, scenarios and requirements tasks implement: all in the missing spec.
    missing = set().union(*(undescribed(p) for p in (SPEC.forFeature, SPEC.servesFeature, SPEC.implements)))
    shown: dict[str, set] = {}  # file -> the missing nodes as that file names them
    kept = []
    for f in findings:
        if f.rule_id in ("reference-defined", "task-trace-target"):
            if f.value in shown.setdefault(f.file, {index.name(o, f.file) for o in missing}):
                continue
        kept.append(f)
    return kept


def _nothing_to_trace(folder: LoadedFolder, view: Graph, known: dict, findings: list[Finding]) -> list[Finding]:
    rule = _rule(known, "nothing-to-trace")
    traced = [f for f in findings if f.rule_id == "task-traced"]
    if rule is None or not traced or any(_instances(view, c) for c in _TRACE_TARGETS):
        return findings
    words = _lexical_classes(folder)
    if any(word.endswith(w) for word in words for w in ("story", "scenario", "requirement", "criterion")):
        return findings  # something to trace to may sit in a file that did not parse
    first = min(traced)
    tasks = sorted(_instances(view, SPEC.Task), key=lambda n: folder.index.locate(n))
    focus = next((t for t in tasks if folder.index.name(t, first.file) == first.focus), None)
    finding = make_finding(folder, rule, focus=focus, extra={"count": str(len(traced))})
    return [f for f in findings if f.rule_id != "task-traced"] + [finding]


def _withhold_knock_on(folder: LoadedFolder, view: Graph, known: dict, findings: list[Finding]) -> list[Finding]:
    rule = _rule(known, "withheld-until-parsed")
    if not folder.unparsed_names or rule is None:
        return findings
    unparsed = sorted(folder.unparsed_names)
    by_file: dict[str, dict[str, str]] = {}  # finding's file -> {name as shown there: unparsed file}

    nodes_by_file: dict[str, dict[str, object]] = {}  # finding's file -> {name as shown there: node}

    def mentioned_by(file: str, name: str) -> str | None:
        if not name:
            return None
        if file not in by_file:
            names: dict[str, str] = {}
            for source in unparsed:
                for iri in sorted(folder.unparsed_names[source].mentioned):
                    names.setdefault(folder.index.name(URIRef(iri), file), source)
            by_file[file] = names
            nodes_by_file[file] = {folder.index.name(n, file): n for n in set(view.subjects())
                                   if isinstance(n, URIRef)}
        found = by_file[file].get(name)
        node = nodes_by_file[file].get(name)
        if found is None and node is not None:
            # A node linked from it (a story's scenarios, a task's phase) may be what the file links.
            for linked in sorted((o for p, o in view.predicate_objects(node)
                                  if isinstance(o, URIRef) and p != RDF.type and not _is_vocabulary(o)), key=str):
                found = found or by_file[file].get(folder.index.name(linked, file))
        return found

    kept, withheld = [], {}
    for f in findings:
        if f.rule_id in _FILE_RULES or f.severity is Severity.INFO:
            kept.append(f)
            continue
        source = mentioned_by(f.file, f.focus) or mentioned_by(f.file, f.value)
        if source is None and not f.focus:
            source = unparsed[0]  # a folder-level count or presence: the missing triples may be there
        if source is None:
            kept.append(f)
            continue
        withheld[source] = withheld.get(source, 0) + 1
    for source, count in sorted(withheld.items()):
        syntax = next((f for f in findings if f.file == source and f.rule_id in _FILE_RULES), None)
        finding = make_finding(folder, rule, extra={"count": str(count), "file": in_folder(folder, source),
                                                    "findings": "finding" if count == 1 else "findings"})
        if syntax is not None:
            finding = Finding(folder=finding.folder, file=syntax.file, line=syntax.line, column=syntax.column,
                              rule_id=finding.rule_id, severity=finding.severity, message=finding.message)
        kept.append(finding)
    return kept


def _understood(folder: LoadedFolder, view: Graph, known: dict,
                findings: list[Finding]) -> tuple[list[Finding], dict]:
    recognised = sum(len(_instances(view, c)) for c in _ROLES)
    asserted = folder.graph
    weights: dict = {}
    if recognised == 0 and not folder.unparsed_names:
        typed = set(asserted.subjects(RDF.type, None))
        # By local name: a schema file may bind owl: or rdfs: to the wrong namespace.
        schema = {s for s, t in asserted.subject_objects(RDF.type) if local_name(str(t)) in _SCHEMA_NAMES}
        rule = _rule(known, "not-a-spec")
        if typed and len(schema) * 2 >= len(typed) and rule is not None:
            finding = make_finding(folder, rule, extra={"terms": str(len(schema))})
            kept = [f for f in findings if f.focus or f.rule_id in _FILE_RULES]
            return kept + [finding], weights
    rule = _rule(known, "spec-not-understood")
    terms = spec_like_terms(view, asserted)
    if rule is None or not terms:
        return findings, weights
    nodes = _not_understood_nodes(view, asserted, {URIRef(t) for t, _ in terms})
    if len(nodes) < 3 or len(nodes) < recognised:
        return findings, weights  # most of the spec is understood: the rules speak for themselves
    first = min(nodes, key=lambda n: folder.index.locate(n))
    file = folder.index.locate(first)[0]
    shown = ", ".join(f"{folder.index.name(URIRef(t), file)} ({n})" for t, n in terms[:8])
    more = f" and {len(terms) - 8} more" if len(terms) > 8 else ""
    finding = make_finding(folder, rule, focus=first, extra={"count": str(len(nodes)), "terms": shown + more})
    weights["spec-not-understood"] = (len(nodes), len(nodes))
    return findings + [finding], weights


def _not_understood_nodes(view: Graph, asserted: Graph, terms: set) -> set:
    roled = {s for c in _ROLES for s in view.subjects(RDF.type, c)}
    nodes = set()
    for term in terms:
        nodes.update(asserted.subjects(term, None))
        nodes.update(asserted.subjects(RDF.type, term))
    return nodes - roled


def _recognised(folder: LoadedFolder, known: dict) -> list[Finding]:
    rule = _rule(known, "recognised-by-name")
    notes = [n for n in folder.notes if n[0] in ("by-name", "look-alike", "structure")]
    if rule is None or not notes:
        return []
    by_name = [n for n in notes if n[0] == "by-name"]
    structure = [n for n in notes if n[0] == "structure"]
    # Anchored at the first place a recognised term or node is written.
    anchors = [(folder.index.locate(n[3]), n[3], None) for n in structure]
    for _kind, term, _ours, _uses, _exact in by_name:
        uses = [(s, term) for s in folder.graph.subjects(term, None)] or \
               [(s, RDF.type) for s in folder.graph.subjects(RDF.type, term)]
        anchors += [(folder.index.locate(s, p), s, p) for s, p in uses]
    first_node, where = (min(anchors, key=lambda a: (a[0], str(a[1])))[1:] if anchors else (None, None))
    parts = []
    by_namespace: dict[str, list[str]] = {}
    for _kind, term, ours, uses, exact in by_name:
        local = local_name(str(term))
        target = f"spec:{local_name(str(ours))}"
        shown = f"{local} ({uses})" if exact else f"{local} as {target} ({uses})"
        by_namespace.setdefault(str(term)[: len(str(term)) - len(local)], []).append(shown)
    for ns, shown in sorted(by_namespace.items()):
        parts.append(f"by local name in <{ns}>: {', '.join(shown)}")
    for _kind, what, count, _first in structure:
        parts.append(f"{count} × {what}")
    for _kind, ns in (n for n in notes if n[0] == "look-alike"):
        parts.append(f"<{ns}> uses our term names outside our namespace <{SPEC}>")
    return [make_finding(folder, rule, focus=first_node, predicate=where, extra={"recognised": "; ".join(parts)})]



def _is_vocabulary(node) -> bool:
    return str(node).startswith(VOCABULARY_NAMESPACES)
