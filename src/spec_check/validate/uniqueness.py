# SPDX-License-Identifier: MIT
"""unique-id and unique-label: one finding per node that shares an id or label, naming the others.

They were SPARQL rules joining every pair of nodes with the same value: k nodes
sharing one label gave k*(k-1) findings (an 85 KB file of one repeated label gave
4 million findings and 5.3 GB, issue 20 item 7). Here nodes are grouped by value
in one pass (a dict), each node gets one finding, and the message names at most
MAX_NAMED of the others, so time and output stay linear (after one sort per
group for a stable order: n log n).
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph

from ..load import LoadedFolder
from ..model import Finding, RuleInfo
from ..vocab import SPEC
from .findings import make_finding

MAX_NAMED = 3  # others named in one message; the rest are counted
ID_PREDICATES = (SPEC.taskId, SPEC.storyId, SPEC.scenarioId, SPEC.requirementId)


def _others(folder: LoadedFolder, node, group: list, predicate) -> dict:
    """The message's {other} ("…, :B and :C", "…and 5 more") and {has} for ``node`` in ``group`` (sorted)."""
    file = folder.index.locate(node, predicate)[0]
    named = [folder.index.name(n, file) for n in group[:MAX_NAMED + 1] if n != node][:MAX_NAMED]
    rest = len(group) - 1 - len(named)
    if rest:
        text = ", ".join(named) + f" and {rest:,} more"
    elif len(named) > 1:
        text = ", ".join(named[:-1]) + " and " + named[-1]
    else:
        text = named[0]
    return {"other": text, "has": "has" if len(group) == 2 else "have", "a": "a " if len(group) == 2 else ""}


def unique_id(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    findings = []
    for predicate in ID_PREDICATES:
        groups: dict = {}
        for node, value in view.subject_objects(predicate):
            groups.setdefault(value, set()).add(node)
        for value, nodes in groups.items():
            if len(nodes) < 2:
                continue
            group = sorted(nodes, key=str)
            for node in group:
                findings.append(make_finding(folder, rule, focus=node, value=value, predicate=predicate,
                                             extra=_others(folder, node, group, predicate)))
    return findings


def unique_label(folder: LoadedFolder, view: Graph, rule: RuleInfo) -> list[Finding]:
    """Subjects of the same spec class sharing an rdfs:label."""
    from .native import data_index

    namespace = str(SPEC)
    data = data_index(view)
    # Each node's spec classes first (few classes, read once), then one look-up per label.
    typed = data.inv(RDF.type)
    spec_classes: dict = {}
    for cls in data.objects(RDF.type):
        if str(cls).startswith(namespace):
            for node in typed.get(cls, ()):
                spec_classes.setdefault(node, []).append(cls)
    groups: dict = {}
    for node, label in view.subject_objects(RDFS.label):
        for cls in spec_classes.get(node, ()):
            groups.setdefault((label, cls), set()).add(node)
    findings = []
    for (label, cls), nodes in groups.items():
        if len(nodes) < 2:
            continue
        group = sorted(nodes, key=str)
        for node in group:
            extra = _others(folder, node, group, RDFS.label)
            file = folder.index.locate(node, RDFS.label)[0]
            extra["class"] = folder.index.name(cls, file)
            findings.append(make_finding(folder, rule, focus=node, value=label, predicate=RDFS.label, extra=extra))
    return findings
