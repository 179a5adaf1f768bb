# SPDX-License-Identifier: MIT
"""`spec-check diff OLD NEW`: what changed between two versions of a spec, by meaning.

Both versions are loaded like the check loads them, then reduced to the
triples that carry meaning:

* a link written as an RDF list counts as one link per member (the check reads
  lists that way too, so ``( :A :B )`` and ``:A , :B`` are the same, and list
  order is not compared);
* a link written the inverse way (``spec:inPhase``) counts as the forward link
  (``spec:hasTask``);
* a blank node is replaced by its signature (signature.py), so rewriting a
  ``[ ... ]`` property list, relabelling ``_:b1`` or reordering triples changes
  nothing.

What is left are plain sets; their difference is sorted into kinds (stories,
scenarios, tasks, dependencies, entities, components, other) by the rdf:type
of the subject. A node that exists on one side only is *added* or *removed*,
and so are the links that contain it (the phase's spec:hasTask to a new task
belongs to the new task). A node on both sides whose own values differ is
*changed*, with the values that went and came. spec:dependsOn links between
nodes on both sides are the *dependencies* kind. Types, labels, part-of and
dependency links are also looked up in the rule view (SpecCheck.load), so a
dialect's terms that the check aligns to ours sort the same way.

Optionally both versions are also checked, giving the closure score before
and after and the findings fixed and introduced (compared by rule, focus and
message, never by line, since lines move with every edit).

The result is plain data (no rdflib), formatted by format.py.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from rdflib import OWL, RDF, RDFS, BNode, Literal

from ..api import CheckOptions, SpecCheck
from ..model import Finding, FolderResult
from ..vocab import SPEC
from ..blank_nodes import bnode_signatures
from .sources import Version, open_version

KINDS = ("stories", "scenarios", "tasks", "dependencies", "entities", "components", "other")
_KIND_OF_CLASS = {
    SPEC.UserStory: "stories",
    SPEC.AcceptanceScenario: "scenarios",
    SPEC.Task: "tasks",
    SPEC.Entity: "entities",
    SPEC.Component: "components",
}
# Links from a whole to its part: adding or removing the part adds or removes the link with it.
CONTAINMENT = frozenset({
    SPEC.hasUserStory, SPEC.acceptanceScenarios, SPEC.hasPhase, SPEC.hasTask,
    SPEC.hasRequirement, SPEC.successCriteria, SPEC.hasRisk,
})
DEPENDENCY = SPEC.dependsOn


# --------------------------------------------------------------------------- result types

@dataclass(frozen=True)
class ValueChange:
    """One property of a changed node: the values that went and the values that came."""

    property: str
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """A node added, removed or changed; for dependencies, the link ``id`` → ``target``."""

    id: str
    label: str = ""
    target: str = ""
    changes: tuple[ValueChange, ...] = ()


@dataclass(frozen=True)
class KindDiff:
    kind: str
    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    changed: tuple[Item, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class VersionSummary:
    """One side of the diff: where it came from and, when checked, how closed it is."""

    source: str
    files: tuple[str, ...]
    triples: int
    checked: bool = False
    closure: float = 0.0
    checks_applied: int = 0
    checks_passed: int = 0
    findings: int = 0
    unparsed_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpecDiff:
    old: VersionSummary
    new: VersionSummary
    kinds: tuple[KindDiff, ...]
    findings_fixed: tuple[Finding, ...] = ()
    findings_introduced: tuple[Finding, ...] = ()

    @property
    def checked(self) -> bool:
        return self.old.checked and self.new.checked

    @property
    def has_changes(self) -> bool:
        return any(not k.empty for k in self.kinds)


# --------------------------------------------------------------------------- entry point

def diff_specs(old: str, new: str, options: CheckOptions | None = None, check: bool = True) -> SpecDiff:
    """Compare two versions of a spec, each a folder or a git ``REV:path``.

    Raises:
        SpecCheckError: a version cannot be found or read (missing folder, bad revision, no RDF files).
    """
    checker = SpecCheck(options)
    if check:
        from ..policy import check_rule_ids

        check_rule_ids(checker.options, set(checker.rules.rules))
    with open_version(old) as old_version, open_version(new) as new_version:
        old_side = _Side.read(checker, old_version, check)
        new_side = _Side.read(checker, new_version, check)
    kinds = _compare(old_side, new_side)
    fixed, introduced = _compare_findings(old_side, new_side)
    return SpecDiff(old=old_side.summary(), new=new_side.summary(), kinds=kinds,
                    findings_fixed=fixed, findings_introduced=introduced)


# --------------------------------------------------------------------------- one side

@dataclass
class _Side:
    version: Version
    loaded: object
    triples: set
    result: FolderResult | None
    signatures: dict = field(default_factory=dict)  # BNode -> signature
    by_signature: dict = field(default_factory=dict)  # signature -> one BNode with it
    out_edges: dict = field(default_factory=dict)  # subject -> [(p, o)]
    keyed: set = field(default_factory=set)  # top-level triples with blank nodes as signatures
    view: object = None  # the rule view graph (aligned, normalised) of this version

    @classmethod
    def read(cls, checker: SpecCheck, version: Version, check: bool) -> "_Side":
        # SpecCheck.load gives the folder and the graph the rules see (aligned and
        # normalised as the check does it); the check then runs on that same load.
        loaded, view = checker.load(version.path)
        result = None
        if check:
            # The config's select/ignore/severity, as `spec-check check` applies them.
            result = checker.validate(loaded, view)
        side = cls(version=version, loaded=loaded, triples=meaning_triples(loaded.graph, checker.ontology),
                   result=result)
        # Kinds, labels and dependencies are read in the rule view too, so a dialect's
        # class, title or dependency property (aligned by the check) counts here as well.
        side.view = view.graph
        side._index()
        return side

    def _index(self) -> None:
        self.signatures = bnode_signatures(self.triples)
        for node, sig in sorted(self.signatures.items(), key=lambda kv: str(kv[0])):
            self.by_signature.setdefault(sig, node)
        referenced = set()
        edges = defaultdict(list)
        for s, p, o in self.triples:
            edges[s].append((p, o))
            if isinstance(o, BNode):
                referenced.add(o)
        self.out_edges = edges
        # A blank node reached from an IRI (or from an unreferenced blank node) is compared
        # through the triple that points at it: its signature stands for its whole content.
        # The others (unreferenced, or only in a cycle of blank nodes) are subjects of their own.
        reached: set = set()
        stack = [o for s, _p, o in self.triples
                 if isinstance(o, BNode) and (not isinstance(s, BNode) or s not in referenced)]
        while stack:
            node = stack.pop()
            if node not in reached:
                reached.add(node)
                stack.extend(o for _p, o in edges.get(node, ()) if isinstance(o, BNode))
        key = self.key
        self.keyed = {(key(s), p, key(o)) for s, p, o in self.triples
                      if not isinstance(s, BNode) or s not in reached}

    def key(self, term):
        return ("_:", self.signatures[term]) if isinstance(term, BNode) else term

    def node(self, key):
        return self.by_signature[key[1]] if isinstance(key, tuple) else key

    def summary(self) -> VersionSummary:
        files = tuple(self.version.show_file(f) for f in self.loaded.files)
        unparsed = tuple(self.version.show_file(f) for f in self.loaded.unparsed)
        r = self.result
        if r is None:
            return VersionSummary(source=self.version.label, files=files, triples=len(self.loaded.graph),
                                  unparsed_files=unparsed)
        return VersionSummary(source=self.version.label, files=files, triples=r.triples, checked=True,
                              closure=r.closure, checks_applied=r.checks_applied,
                              checks_passed=r.checks_passed, findings=len(r.findings),
                              unparsed_files=unparsed)

    # -- names ---------------------------------------------------------------

    def name(self, key) -> str:
        if isinstance(key, tuple):
            return "[]"
        return self.loaded.index.name(key)

    def label(self, key) -> str:
        node = self.node(key)
        labels = sorted(str(o) for p, o in self.out_edges.get(node, ())
                        if p == RDFS.label and isinstance(o, Literal))
        if not labels and self.view is not None:
            labels = sorted(str(o) for o in self.view.objects(node, RDFS.label) if isinstance(o, Literal))
        return " ".join(labels[0].split()) if labels else ""

    def is_containment(self, s, p, o) -> bool:
        """A link from a whole to its part (spec:hasTask, ...), or a dialect's property read as one."""
        if p in CONTAINMENT:
            return True
        if self.view is None or isinstance(o, (Literal, tuple)) or isinstance(s, tuple):
            return False
        return any((s, c, o) in self.view for c in CONTAINMENT)

    def is_dependency(self, s, p, o) -> bool:
        """spec:dependsOn, or a dialect's property the check reads as spec:dependsOn."""
        if isinstance(o, (Literal, tuple)) or isinstance(s, tuple):
            return False
        return p == DEPENDENCY or (self.view is not None and (s, DEPENDENCY, o) in self.view)

    def kind(self, key) -> str:
        node = self.node(key)
        types = {o for p, o in self.out_edges.get(node, ()) if p == RDF.type}
        if self.view is not None:
            types |= set(self.view.objects(node, RDF.type))
        for cls, kind in _KIND_OF_CLASS.items():
            if cls in types:
                return kind
        return "other"

    def value(self, key, depth: int = 0) -> str:
        """A value as people read it: "text", 1.5, :Name, or [ p v ; ... ] for a blank node."""
        if isinstance(key, tuple):
            if depth > 4:
                return "[ ... ]"
            node = self.node(key)
            parts = sorted(f"{self.name(p)} {self.value(self.key(o), depth + 1)}"
                           for p, o in self.out_edges.get(node, ()))
            return "[ " + " ; ".join(parts) + " ]" if parts else "[]"
        if isinstance(key, Literal):
            datatype = key.datatype
            if datatype is None or datatype == RDF.langString or str(datatype).endswith("#string"):
                text = json.dumps(str(key), ensure_ascii=False)
                return f"{text}@{key.language}" if key.language else text
            return str(key)
        return self.name(key)


def meaning_triples(asserted, ontology) -> set:
    """The triples a diff compares: lists read as links, inverse links turned forward.

    Done here rather than through the infer stage, whose view also holds the
    list cells, both directions of every inverse pair and (with dialects or
    inference) derived triples: a diff compares what the authors wrote.
    """
    from ..infer import list_members

    forward = {a: b for a, b in ontology.subject_objects(OWL.inverseOf)}  # spec:inPhase -> spec:hasTask
    triples: set = set()

    def add(s, p, o) -> None:
        if p in forward and not isinstance(o, Literal):
            triples.add((o, forward[p], s))
        else:
            triples.add((s, p, o))

    replaced, cells = set(), set()
    for s, p, o in asserted:
        if p in (RDF.first, RDF.rest) or isinstance(o, Literal):
            continue
        members = list_members(asserted, o)
        if members is None:
            continue
        replaced.add((s, p, o))
        for member in members:
            add(s, p, member)
        node = o
        while isinstance(node, BNode) and node not in cells:
            cells.add(node)
            node = asserted.value(node, RDF.rest)
    for s, p, o in asserted:
        if (s, p, o) in replaced or (s in cells and p in (RDF.first, RDF.rest)):
            continue
        add(s, p, o)
    return triples


# --------------------------------------------------------------------------- comparing

def _natural(text: str) -> tuple:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text) if part)


def _compare(old: _Side, new: _Side) -> tuple[KindDiff, ...]:
    added = new.keyed - old.keyed
    removed = old.keyed - new.keyed
    old_subjects = {s for s, _p, _o in old.keyed}
    new_subjects = {s for s, _p, _o in new.keyed}
    added_nodes = new_subjects - old_subjects
    removed_nodes = old_subjects - new_subjects

    dependencies_added, dependencies_removed = set(), set()
    # subject -> property -> (values removed, values added)
    changed: dict = defaultdict(lambda: defaultdict(lambda: ([], [])))
    for triples, nodes, dependencies, index, side in ((added, added_nodes, dependencies_added, 1, new),
                                                      (removed, removed_nodes, dependencies_removed, 0, old)):
        for s, p, o in triples:
            if s in nodes or (o in nodes and side.is_containment(s, p, o)):
                continue  # part of a node's addition or removal
            if side.is_dependency(s, p, o):
                dependencies.add((s, o))
                continue
            changed[s][p][index].append(o)

    buckets = {kind: {"added": [], "removed": [], "changed": []} for kind in KINDS}
    for key in added_nodes:
        buckets[new.kind(key)]["added"].append(Item(id=new.name(key), label=new.label(key)))
    for key in removed_nodes:
        buckets[old.kind(key)]["removed"].append(Item(id=old.name(key), label=old.label(key)))
    for key, properties in changed.items():
        changes = tuple(sorted(
            (ValueChange(property=new.name(p),
                         removed=tuple(sorted(old.value(v) for v in gone)),
                         added=tuple(sorted(new.value(v) for v in came)))
             for p, (gone, came) in properties.items()),
            key=lambda c: c.property))
        item = Item(id=new.name(key), label=new.label(key), changes=changes)
        buckets[new.kind(key)]["changed"].append(item)
    for side, links, bucket in ((new, dependencies_added, "added"), (old, dependencies_removed, "removed")):
        for s, o in links:
            item = Item(id=side.name(s), label=side.label(s), target=side.name(o))
            buckets["dependencies"][bucket].append(item)

    def ordered(items: list[Item]) -> tuple[Item, ...]:
        return tuple(sorted(items, key=lambda i: (_natural(i.id), _natural(i.target), i.label, i.changes)))

    return tuple(KindDiff(kind=k, added=ordered(b["added"]), removed=ordered(b["removed"]),
                          changed=ordered(b["changed"])) for k, b in buckets.items())


def _finding_key(f: Finding) -> tuple:
    return (f.rule_id, f.focus, f.message)


def _compare_findings(old: _Side, new: _Side) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    if old.result is None or new.result is None:
        return (), ()

    def shown(side: _Side, findings) -> list[Finding]:
        return [replace(f, folder=side.version.label, file=side.version.show_file(f.file)) for f in findings]

    old_keys = {_finding_key(f) for f in old.result.findings}
    new_keys = {_finding_key(f) for f in new.result.findings}
    fixed = shown(old, (f for f in old.result.findings if _finding_key(f) not in new_keys))
    introduced = shown(new, (f for f in new.result.findings if _finding_key(f) not in old_keys))
    return tuple(sorted(fixed)), tuple(sorted(introduced))


__all__ = ["KINDS", "Item", "KindDiff", "SpecDiff", "ValueChange", "VersionSummary", "diff_specs",
           "meaning_triples"]
