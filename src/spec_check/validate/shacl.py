# SPDX-License-Identifier: MIT
"""SHACL results → findings, for both engines; and the reference engine, pySHACL.

Each engine produces the top-level validation results of a shapes graph as
ShapeResult values (what a sh:ValidationResult says: focus node, value, result
path, source shape, constraint component, severity). Only top-level results
count (nested sh:detail results are explanations, not findings). Each becomes a
finding of the rule(s) its source shape belongs to (RuleSet.rule_ids_of_result),
with the severity SHACL gives it (the source shape's sh:severity) and the
source shape's sh:message, else the rule's, else a generated one.

pySHACL always runs with inference "none": inference happens in one place,
our infer stage, so the shapes see exactly the triples we chose.
"""

from __future__ import annotations

from typing import NamedTuple

from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection

from ..load import LoadedFolder
from ..model import Finding, Severity
from ..blank_nodes import content_key
from ..rules import RuleSet
from ..vocab import SH
from .findings import make_finding

SEVERITIES = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


class ShapeResult(NamedTuple):
    """One top-level SHACL validation result."""

    focus: object
    value: object  # None when the result has no sh:value
    path: object  # None for a node shape's result
    source: object  # sh:sourceShape
    component: URIRef  # sh:sourceConstraintComponent
    severity: URIRef  # sh:resultSeverity


def pyshacl_results(data: Graph, shapes: Graph) -> list[ShapeResult]:
    """pySHACL's top-level results of ``shapes`` on ``data``."""
    from pyshacl import validate  # heavy import, only when a folder is checked

    if not data.store.context_aware:
        # pySHACL wraps the data in an rdflib Dataset, which needs a context-aware
        # store; our graphs use the faster "SimpleMemory" store.
        copy = Graph()
        for triple in data:
            copy.add(triple)
        data = copy
    _conforms, report, _text = validate(
        data_graph=data, shacl_graph=shapes, inference="none", abort_on_first=False,
        allow_infos=True, allow_warnings=True, advanced=False, meta_shacl=False, do_owl_imports=False,
    )
    results = []
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(top, SH.result):
            path = report.value(r, SH.resultPath)
            if isinstance(path, BNode):
                # pySHACL copies a complex path into the report; the shapes graph holds the original.
                path = _same_path(shapes, report, path) or path
            results.append(ShapeResult(report.value(r, SH.focusNode), report.value(r, SH.value), path,
                                       report.value(r, SH.sourceShape), report.value(r, SH.sourceConstraintComponent),
                                       report.value(r, SH.resultSeverity)))
    return results


def _same_path(shapes: Graph, report: Graph, path) -> object:
    key = content_key(report, path)
    for candidate in shapes.objects(None, SH.path):
        if isinstance(candidate, BNode) and content_key(shapes, candidate) == key:
            return candidate
    return None


def run_shacl(folder: LoadedFolder, view: Graph, rules: RuleSet, shapes_graph: Graph | None = None) -> list[Finding]:
    """pySHACL's findings for ``shapes_graph`` (default: all the rules' shapes)."""
    results = pyshacl_results(view, rules.shapes if shapes_graph is None else shapes_graph)
    return findings_of_results(folder, view, rules, results)


def findings_of_results(folder: LoadedFolder, view: Graph, rules: RuleSet, results) -> list[Finding]:
    """One finding per (result, rule it belongs to); the same for either engine."""
    focus_cache: dict = {}

    def focus_nodes(shape) -> set:
        if shape not in focus_cache:
            focus_cache[shape] = targets(view, rules.shapes, shape)
        return focus_cache[shape]

    findings = []
    for r in set(results):
        for rule_id in rules.rule_ids_of_result(r.source, r.focus, focus_nodes):
            rule = rules.rules[rule_id]
            message = _message(rules.shapes, r.source) or rule.message or default_message(rules.shapes, r)
            predicate = r.path if isinstance(r.path, URIRef) else None
            # By meaning: the constraint and path, and the shape when it has an IRI (a blank
            # node shape's content changes whenever the shape is edited).
            params = {"component": str(r.component),
                      "path": content_key(rules.shapes, r.path) if r.path is not None else "",
                      "shape": str(r.source) if isinstance(r.source, URIRef) else ""}
            findings.append(make_finding(folder, rule, focus=r.focus, value=r.value, predicate=predicate,
                                         extra={"shape": short_name(rules.shapes, r.source if isinstance(
                                             r.source, URIRef) else rules.nodes[rule_id])},
                                         severity=SEVERITIES.get(r.severity, Severity.VIOLATION),
                                         message=message, params=params))
    return findings


def _message(shapes: Graph, shape) -> str | None:
    values = list(shapes.objects(shape, SH.message))
    if not values:
        return None
    return str(min(values, key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v))))


def default_message(shapes: Graph, result: ShapeResult) -> str:
    """For a shape without sh:message: which constraint failed, on which path, for which value."""
    component = str(result.component).rsplit("#", 1)[-1]
    name = component[:-len("ConstraintComponent")] if component.endswith("ConstraintComponent") else component
    text = "{this} fails sh:" + name[:1].lower() + name[1:] + " of shape {shape}"
    if result.path is not None:
        text += " on path " + path_text(shapes, result.path).replace("{", "(").replace("}", ")")
    if result.value is not None and result.value != result.focus:
        text += ": value {value}"
    return text


def short_name(shapes: Graph, node) -> str:
    if isinstance(node, BNode):
        return "[]"
    try:
        prefix, _ns, local = shapes.namespace_manager.compute_qname(str(node), generate=False)
        return f"{prefix}:{local}" if prefix else f":{local}"
    except Exception:  # no prefix declared for it
        return f"<{node}>"


def path_text(shapes: Graph, path) -> str:
    """A SHACL path in SPARQL property-path syntax (ex:a/^ex:b, (ex:a|ex:b)*)."""
    if isinstance(path, URIRef):
        return short_name(shapes, path)
    if (path, RDF.first, None) in shapes:
        return "/".join(path_text(shapes, p) for p in Collection(shapes, path))
    for kind, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                      (SH.zeroOrOnePath, "({})?")):
        inner = shapes.value(path, kind)
        if inner is not None:
            return fmt.format(path_text(shapes, inner))
    inner = shapes.value(path, SH.alternativePath)
    if inner is not None:
        return "(" + "|".join(path_text(shapes, p) for p in Collection(shapes, inner)) + ")"
    return "[]"


def instances(view: Graph, cls) -> set:
    """Nodes typed ``cls`` or a sub-class of it (rdfs:subClassOf* in ``view``)."""
    from .native import data_index

    return set(data_index(view).instances(cls))


def targets(view: Graph, shapes: Graph, shape) -> set:
    """The focus nodes of a shape's targets in ``view`` (SHACL 2.1.3), implicit class targets included."""
    from .native import data_index

    data = data_index(view)
    nodes: set = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes |= data.instances(cls)
    types = set(shapes.objects(shape, RDF.type))
    if RDFS.Class in types or URIRef("http://www.w3.org/2002/07/owl#Class") in types:
        nodes |= data.instances(shape)
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= data.subjects(p)
    for p in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= data.objects(p)
    nodes |= set(shapes.objects(shape, SH.targetNode))
    return nodes
