# SPDX-License-Identifier: MIT
"""Run sc:SparqlRule queries: one SELECT per rule per folder, one finding per row.

``?this`` is the focus node (unbound: the folder itself), ``?value`` the
offending value, ``?predicate`` (optional) the property whose line the finding
points at; every other selected variable can be named in the message.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from ..load import LoadedFolder
from ..model import Finding, RuleInfo
from ..rules import RuleSet
from ..vocab import QUERY_PREFIXES, SC
from .findings import make_finding


@lru_cache(maxsize=None)
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text, initNs=QUERY_PREFIXES)


def run_sparql_rules(folder: LoadedFolder, view: Graph, rules: RuleSet) -> list[Finding]:
    findings = []
    for rule_id, rule in rules.rules.items():
        if rule.kind != "sparql":
            continue
        query = rules.shapes.value(rules.nodes[rule_id], SC.select)
        findings.extend(run_select(folder, view, rule, str(query)))
    return findings


def run_select(folder: LoadedFolder, view: Graph, rule: RuleInfo, query: str) -> list[Finding]:
    findings = []
    result = view.query(_prepared(query))
    for row in result:
        bindings = row.asdict()
        focus = bindings.pop("this", None)
        value = bindings.pop("value", None)
        predicate = bindings.pop("predicate", None)
        file = folder.index.locate(focus, predicate)[0] if focus is not None else None
        extra = {k: folder.index.name(v, file) for k, v in bindings.items()}
        findings.append(make_finding(folder, rule, focus=focus, value=value, predicate=predicate, extra=extra))
    return findings
