# SPDX-License-Identifier: MIT
"""Run the SHACL shapes with pySHACL and turn each sh:ValidationResult into a Finding.

pySHACL always runs with inference "none": inference happens in one place,
our infer stage, so the shapes see exactly the triples we chose.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from ..load import LoadedFolder
from ..model import Finding
from ..rules import RuleSet
from ..vocab import SH
from .findings import make_finding


def run_shacl(folder: LoadedFolder, view: Graph, rules: RuleSet, shapes_graph: Graph | None = None) -> list[Finding]:
    """pySHACL's findings for ``shapes_graph`` (default: all the rules' shapes)."""
    from pyshacl import validate  # heavy import, only when a folder is checked

    if not view.store.context_aware:
        # pySHACL wraps the data in an rdflib Dataset, which needs a context-aware
        # store; our graphs use the faster "SimpleMemory" store.
        copy = Graph()
        for triple in view:
            copy.add(triple)
        view = copy
    _conforms, report, _text = validate(
        data_graph=view, shacl_graph=rules.shapes if shapes_graph is None else shapes_graph, inference="none", abort_on_first=False,
        allow_infos=True, allow_warnings=True, advanced=False, meta_shacl=False,
        do_owl_imports=False,
    )
    findings = []
    for result in report.subjects(SH.focusNode, None):
        shape = report.value(result, SH.sourceShape)
        rule_id = rules.node_of_shape(shape)
        if rule_id is None:
            continue  # a user shape without an id is still reported by id "shacl" below
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        path = report.value(result, SH.resultPath)
        predicate = path if isinstance(path, URIRef) else None
        findings.append(make_finding(folder, rules.rules[rule_id], focus=focus, value=value, predicate=predicate))
    return findings
