# SPDX-License-Identifier: MIT
"""Validate stage: run every rule on a folder's rule view, then score the closure.

Closure score = checks passed / checks applied, where a *check* is one rule
applied to one node it targets:

* a SHACL rule applies to each focus node of its node shape (sh:targetClass
  instances, including sub-classes, sh:targetSubjectsOf subjects, ...);
* a SPARQL or built-in rule applies to each instance of its sc:scope class,
  once per folder for sc:Folder, once per file for sc:File.

A check fails when the rule reports a violation or warning on that node (for
folder-scoped rules: any such finding). Info findings never fail a check.

Inline suppression: a triple ``<node> sc:ignore "rule-id"`` in the spec drops
that rule's findings on that node before scoring, so the check counts as
passed; the folder result counts how many findings were silenced.
"""

from __future__ import annotations

from rdflib import Graph

from ..fingerprint import identity_focus
from ..load import LoadedFolder
from ..model import Finding, FolderResult, RuleInfo, Severity
from ..rules import RuleSet
from ..vocab import SC, SPEC
from .builtin import CHECKS, NEAR_MISS_MARK
from .gates import run_gates
from .shacl import instances as _instances
from .refine import refine
from .shacl import run_shacl
from .sparql import run_sparql_rules
from .terms import shared

__all__ = ["validate_folder"]


def validate_folder(folder: LoadedFolder, view: Graph, rules: RuleSet, engine: str = "native") -> FolderResult:
    """Run every rule on ``view``. engine "pyshacl" is the reference (pySHACL + rdflib SPARQL);
    "native" gives the same findings faster (validate/native.py; tests/test_engines.py proves it)."""
    with shared():  # the rules share each graph's sets of terms (validate/terms.py)
        return _validate_folder(folder, view, rules, engine)


def _validate_folder(folder: LoadedFolder, view: Graph, rules: RuleSet, engine: str) -> FolderResult:
    findings: list[Finding] = list(folder.findings)
    if engine == "pyshacl":
        findings += run_shacl(folder, view, rules)
        findings += run_sparql_rules(folder, view, rules)
    else:
        from . import native

        findings += native.run_shapes(folder, view, rules)
        findings += native.run_sparql_rules(folder, view, rules)
    findings += run_gates(folder, view, rules)
    for rule, check in _builtin_checks(rules):
        findings += CHECKS[check](folder, view, rule)
    findings, weights = refine(folder, view, rules, findings)  # knock-on effects, recognition (refine.py)
    findings = _most_specific(sorted(set(_with_identity(folder, f) for f in findings)))
    findings, suppressed = _suppress(folder, findings)
    rule_checks = {**_score(folder, view, rules, findings), **weights}
    counts = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    return FolderResult(
        path=folder.display, files=tuple(folder.files), triples=len(folder.graph),
        findings=tuple(findings), checks_applied=sum(a for a, _ in rule_checks.values()),
        checks_failed=sum(f for _, f in rule_checks.values()),
        unparsed_files=tuple(folder.unparsed), counts=counts, rule_checks=rule_checks,
        suppressed=len(suppressed), suppressed_findings=tuple(suppressed),
        recognised=recognised(view), dialects=tuple(d.name for d in folder.dialects),
    )


def _builtin_checks(rules: RuleSet) -> list:
    """[(rule, its sc:check name)] of the built-in rules, in rule order; read once per RuleSet."""
    done = getattr(rules, "_builtin_checks", None)
    if done is None:
        # load_rules has made sure each name is known: none is skipped.
        done = [(rule, str(rules.shapes.value(rules.nodes[rule_id], SC.check)))
                for rule_id, rule in rules.rules.items() if rule.kind == "builtin"]
        rules._builtin_checks = done
    return done


def _scope(rules: RuleSet, node):
    """A rule node's sc:scope (None: none), read once per RuleSet."""
    scopes = getattr(rules, "_scopes", None)
    if scopes is None:
        scopes = rules._scopes = {}
    if node not in scopes:
        scopes[node] = rules.shapes.value(node, SC.scope)
    return scopes[node]


def _with_identity(folder: LoadedFolder, finding: Finding) -> Finding:
    """A loader finding (made without the graph) gets its identity here: rule, folder, file
    name inside the folder, message."""
    if finding.identity:
        return finding
    from dataclasses import replace

    from ..fingerprint import finding_identity

    name = finding.file.rsplit("/", 1)[-1]
    return replace(finding, identity=finding_identity(finding.rule_id, folder.path, name, "",
                                                      {"message": finding.message}))


def _suppress(folder: LoadedFolder, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Split off findings silenced by ``<node> sc:ignore "rule-id"`` in the folder's own files:
    (kept, silenced)."""
    silenced = set()
    for node, rule_id in folder.graph.subject_objects(SC.ignore):
        for file in folder.files:
            # A finding names its focus as written in its own file, so match that name.
            silenced.add((folder.index.name(node, file), file, str(rule_id)))
    if not silenced:
        return findings, []
    kept, dropped = [], []
    for f in findings:
        (dropped if f.focus and (f.focus, f.file, f.rule_id) in silenced else kept).append(f)
    return kept, dropped


# What the folder's report counts, by the classes the rules target.
RECOGNISED = (("stories", SPEC.UserStory), ("scenarios", SPEC.AcceptanceScenario),
              ("tasks", SPEC.Task), ("requirements", SPEC.Requirement))


def recognised(view: Graph) -> dict[str, int]:
    """How many stories, scenarios, tasks and requirements the rules see (any vocabulary)."""
    return {name: len(_instances(view, cls)) for name, cls in RECOGNISED}


def _most_specific(findings: list[Finding]) -> list[Finding]:
    """Drop a reference-defined finding when another rule already reports the same link.

    Unless it suggests a near miss ("did you mean ..."): that is the fix, which
    the other rule's message does not know.
    """
    specific = {(f.focus, f.value) for f in findings if f.rule_id != "reference-defined" and f.value}
    return [f for f in findings if f.rule_id != "reference-defined" or (f.focus, f.value) not in specific
            or NEAR_MISS_MARK in f.message]


def _applied(folder: LoadedFolder, view: Graph, rules: RuleSet, rule: RuleInfo, targets_of: dict) -> int:
    """How many checks ``rule`` applies; ``targets_of`` keeps each node shape's focus nodes for the
    next rule it holds (a node shape holds many property shapes)."""
    if rule.kind == "gate":
        return 1  # a gate is one check on the whole folder
    node = rules.nodes[rule.rule_id]
    if rule.kind == "shacl":
        # Every focus node of every targeted shape that evaluates this one at top level
        # (a property shape shared by several node shapes applies to all their focus nodes).
        from .native import compiled, data_index, shape_targets

        shapes = compiled(rules)
        holders = shapes.holders(node)
        for h in holders:
            if h not in targets_of:
                targets_of[h] = shape_targets(shapes, data_index(view), h)
        return len(set().union(*(targets_of[h] for h in holders)))
    scope = _scope(rules, node)
    if scope == _FILE:
        return len(folder.files)
    if scope is None or scope == _FOLDER:
        return 1
    return len(_instances(view, scope))


_FILE, _FOLDER = SC.File, SC.Folder


def _score(folder: LoadedFolder, view: Graph, rules: RuleSet,
           findings: list[Finding]) -> dict[str, tuple[int, int]]:
    """Per rule id: (checks applied, checks failed)."""
    per_rule: dict[str, tuple[int, int]] = {}
    targets_of: dict = {}
    for rule_id, rule in rules.rules.items():
        applied = _applied(folder, view, rules, rule, targets_of)
        hits = [f for f in findings if f.rule_id == rule_id and f.severity is not Severity.INFO]
        if rule.scope == "sc:File":
            failed = len({f.file for f in hits})
        elif rule.kind != "shacl" and rule.scope in ("", "sc:Folder"):
            failed = 1 if hits else 0
        else:
            # One check per node: by its full IRI, a blank node by its content (as shown, two
            # blank nodes would both be "[]").
            failed = len({identity_focus(f.identity) or f.focus for f in hits})
        per_rule[rule_id] = (applied, min(failed, applied))
    return per_rule


