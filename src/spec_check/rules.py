# SPDX-License-Identifier: MIT
"""The rule catalogue: read the shapes files once, and say what each rule is.

Every node with an sc:ruleId is a rule. SHACL node and property shapes are run
by pySHACL; sc:SparqlRule nodes by one SELECT per folder; sc:BuiltinRule nodes
by a named Python function in validate/builtin.py. Their id, severity, message
and documentation always come from here. Gate rules (.rq files, see
validate/gates.py) join the catalogue with kind "gate".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from .blank_nodes import content_key
from .errors import SpecCheckError
from .load.fast_turtle import read_into as read_turtle_into
from .safe_read import read_input_text
from .model import RuleInfo, Severity
from .resources import shapes_files
from .vocab import SC, SH

_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


@dataclass
class RuleSet:
    """The shapes graph and the rules found in it, keyed by id."""

    shapes: Graph
    rules: dict[str, RuleInfo]
    nodes: dict[str, URIRef]  # rule id -> the shape or rule node carrying it
    gates: dict[str, str] = field(default_factory=dict)  # gate rule id -> its query text
    # shape node -> rule id, for every shape that carries an sc:ruleId or was given a derived one.
    ids_of_shapes: dict = field(default_factory=dict)

    def node_of_shape(self, shape) -> str | None:
        """The rule id of a SHACL result's source shape when one rule owns it (see rule_ids_of_result)."""
        ids = self.rule_ids_of_result(shape, None)
        return ids[0] if len(ids) == 1 else None

    def rule_ids_of_result(self, shape, focus, focus_nodes=None) -> list[str]:
        """The rules a SHACL validation result belongs to, by its sh:sourceShape (and focus node).

        A shape's own (or derived) id wins; a property shape without one belongs to the
        shapes that hold it through sh:property. A property shape shared by several
        rules belongs to those whose focus nodes include the result's focus
        (``focus_nodes(shape)`` gives a top-level shape's focus nodes).
        """
        own = self.ids_of_shapes.get(shape)
        if own is not None:
            return [own]
        owners = _owners(self, shape, set())
        if len(owners) > 1 and focus_nodes is not None and focus is not None:
            near = sorted({rid for rid, parent in owners if parent is not None and focus in focus_nodes(parent)})
            if near:
                return near
        return sorted({rid for rid, _ in owners})


def _owners(rules: RuleSet, shape, seen: set) -> set:
    """(rule id, the targeted shape holding ``shape`` directly or None) for every rule holding ``shape``."""
    found = set()
    seen.add(shape)
    for parent in rules.shapes.subjects(SH.property, shape):
        if parent in seen:
            continue
        rid = rules.ids_of_shapes.get(parent)
        if rid is not None:
            found.add((rid, parent if is_targeted(rules.shapes, parent) else None))
        else:
            found |= _owners(rules, parent, seen)
    return found


TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_CLASS_TYPES = (RDFS.Class, OWL.Class)


def is_targeted(shapes: Graph, shape) -> bool:
    """A top-level shape: one with a target (sh:target*, or an implicit class target)."""
    if any((shape, t, None) in shapes for t in TARGETS):
        return True
    types = set(shapes.objects(shape, RDF.type))
    return bool(types & set(_CLASS_TYPES)) and bool(types & {SH.NodeShape, SH.PropertyShape})


def _reachable_as_source(shapes: Graph, shape, seen: set | None = None) -> bool:
    """True when SHACL can report a top-level result whose sh:sourceShape is ``shape``: it is
    targeted, or held through sh:property (at any depth) by a targeted shape. A shape used only
    inside sh:node, sh:and, sh:or, sh:not, sh:xone or sh:qualifiedValueShape never is."""
    seen = seen if seen is not None else set()
    if shape in seen:
        return False
    seen.add(shape)
    if is_targeted(shapes, shape):
        return True
    return any(_reachable_as_source(shapes, p, seen) for p in shapes.subjects(SH.property, shape))


def top_level_holders(shapes: Graph, shape, seen: set | None = None) -> set:
    """The targeted shapes whose validation evaluates ``shape`` at top level (itself included)."""
    seen = seen if seen is not None else set()
    if shape in seen:
        return set()
    seen.add(shape)
    found = {shape} if is_targeted(shapes, shape) else set()
    for parent in shapes.subjects(SH.property, shape):
        found |= top_level_holders(shapes, parent, seen)
    return found


def derived_rule_id(shapes: Graph, shape, taken: set[str]) -> str:
    """A stable id for a shape that has no sc:ruleId: its IRI's local name (or the IRI when that is
    taken), or ``shape-`` and a hash of its content for a blank node."""
    if isinstance(shape, URIRef):
        text = str(shape)
        local = re.split(r"[#/:]", text.rstrip("#/"))[-1]
        return local if local and local not in taken else text
    return "shape-" + hashlib.sha256(content_key(shapes, shape).encode("utf-8")).hexdigest()[:10]


def _needs_own_id(shapes: Graph, shape, seen: set | None = None) -> bool:
    """True when a result could come from ``shape`` or a property shape under it that no id covers."""
    seen = seen if seen is not None else set()
    if shape in seen:
        return False
    seen.add(shape)
    for p, o in shapes.predicate_objects(shape):
        if str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS:
            if p == SH.property:
                if (o, SC.ruleId, None) not in shapes and _needs_own_id(shapes, o, seen):
                    return True
            else:
                return True
    return False


_NOT_CONSTRAINTS = {SH.path, SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group,
                    SH.defaultValue, SH.deactivated, *TARGETS}


def load_rules(extra_files: list[Path] | None = None, gates: list[Path] | None = None) -> RuleSet:
    """Parse the built-in shapes (and ``extra_files``) and the ``gates`` (.rq files or folders) into a RuleSet.

    Raises:
        SpecCheckError: a shapes file or gate does not parse, or two rules share an id.
    """
    shapes = Graph()
    files = shapes_files() + list(extra_files or [])
    for path in files:
        # Bounded, regular files only: a config's `shapes` could name /dev/zero or a FIFO (issue 20).
        text = read_input_text(Path(path), "shapes file", encoding="utf-8-sig")
        try:
            if not read_turtle_into(shapes, text):
                shapes.parse(data=text, format="turtle", publicID=Path(path).absolute().as_uri())
        except BadSyntax as e:
            # The reason only: rdflib's message quotes the file's bytes, and a shapes path from a
            # config file in a pull request could name any file the CI runner can read.
            raise SpecCheckError(f"shapes file does not parse: Turtle syntax error: {e._why}", path=str(path),
                                 line=e.lines + 1) from None
        except UnicodeDecodeError:
            raise SpecCheckError("shapes file does not parse: it is not UTF-8", path=str(path)) from None
        except Exception as e:
            raise SpecCheckError(f"shapes file does not parse: {_one_line(e)}", path=str(path)) from None
    for path in extra_files or []:
        _check_is_shacl(Path(path))
    rules: dict[str, RuleInfo] = {}
    nodes: dict[str, URIRef] = {}
    for node, rule_id in sorted(shapes.subject_objects(SC.ruleId), key=lambda t: str(t[1])):
        rid = str(rule_id)
        if rid in rules:
            raise SpecCheckError(f"two rules share the id {rid!r}")
        types = set(shapes.objects(node, RDF.type))
        kind = "sparql" if SC.SparqlRule in types else "builtin" if SC.BuiltinRule in types else "shacl"
        severity = _SEVERITY.get(shapes.value(node, SH.severity), Severity.VIOLATION)
        scope = shapes.value(node, SC.scope)
        rules[rid] = RuleInfo(
            rule_id=rid,
            severity=severity,
            name=str(shapes.value(node, SH.name) or rid),
            description=str(shapes.value(node, SH.description) or ""),
            message=str(shapes.value(node, SH.message) or rid),
            kind=kind,
            scope=_short(scope) if scope is not None else "",
            passing_example=str(shapes.value(node, SC.passingExample) or ""),
            failing_example=str(shapes.value(node, SC.failingExample) or ""),
        )
        nodes[rid] = node
    _check_rule_bodies(shapes, rules, nodes, files)
    ids_of_shapes = {node: rid for rid, node in nodes.items() if rules[rid].kind == "shacl"}
    for rid in sorted(ids_of_shapes.values()):
        if not _reachable_as_source(shapes, nodes[rid]):
            raise SpecCheckError(
                f"the shape with sc:ruleId {rid!r} never reports a result of its own: it has no target and is "
                "only used inside sh:node, sh:and, sh:or, sh:not, sh:xone or sh:qualifiedValueShape, whose "
                "results SHACL reports on the shape holding it; put the sc:ruleId there (or give it a target)",
                path=_file_of(nodes[rid], files))
    taken = set(rules)
    tops = [s for t in TARGETS for s in shapes.subjects(t, None)]
    tops += [s for c in _CLASS_TYPES for s in shapes.subjects(RDF.type, c) if is_targeted(shapes, s)]
    for shape in sorted(set(tops), key=lambda s: content_key(shapes, s)):
        if shape in ids_of_shapes or not _needs_own_id(shapes, shape):
            continue
        rid = derived_rule_id(shapes, shape, taken)
        if rid in taken:
            raise SpecCheckError(f"two shapes without sc:ruleId get the same derived id {rid!r}; give one an sc:ruleId")
        taken.add(rid)
        rules[rid] = RuleInfo(
            rule_id=rid, severity=_SEVERITY.get(shapes.value(shape, SH.severity), Severity.VIOLATION),
            name=str(_first(shapes, shape, SH.name) or _first(shapes, shape, RDFS.label) or rid),
            description=str(_first(shapes, shape, SH.description) or _first(shapes, shape, RDFS.comment)
                            or f"The SHACL shape {shape.n3() if isinstance(shape, URIRef) else content_key(shapes, shape)}."),
            message=str(_first(shapes, shape, SH.message) or ""), kind="shacl",
            source="derived from the shape (it has no sc:ruleId)")
        nodes[rid] = shape
        ids_of_shapes[shape] = rid
    gate_queries: dict[str, str] = {}
    if gates:
        from .validate.gates import read_gates

        for info, query in read_gates(list(gates)):
            if info.rule_id in rules:
                raise SpecCheckError(f"the gate's id {info.rule_id!r} (its file name) is already a rule's id; "
                                     "rename the file", path=info.source)
            rules[info.rule_id] = info
            gate_queries[info.rule_id] = query
    return RuleSet(shapes=shapes, rules=rules, nodes=nodes, gates=gate_queries, ids_of_shapes=ids_of_shapes)


def _check_rule_bodies(shapes: Graph, rules: dict, nodes: dict, files: list) -> None:
    """Every built-in rule names a check that exists, every SPARQL rule has its query: a misspelt
    name is an error (exit 2), never a rule skipped whose checks then count as passed."""
    from .validate.builtin import CHECKS

    for rid in sorted(rules):
        node = nodes[rid]
        if rules[rid].kind == "builtin":
            name = shapes.value(node, SC.check)
            if name is None or str(name) not in CHECKS:
                known = ", ".join(sorted(CHECKS))
                raise SpecCheckError(f"rule {rid!r}: unknown sc:check {str(name) if name is not None else '(none)'!r} "
                                     f"(known checks: {known})", path=_file_of(node, files))
        elif rules[rid].kind == "sparql" and shapes.value(node, SC.select) is None:
            raise SpecCheckError(f"rule {rid!r}: an sc:SparqlRule needs its sc:select query", path=_file_of(node, files))


def _first(graph: Graph, node, predicate):
    """One value of ``predicate``, the same on every run: untagged or English first, then by text."""
    values = list(graph.objects(node, predicate))
    if not values:
        return None
    return min(values, key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)))


def _file_of(node, files: list) -> str | None:
    """The last shapes file that mentions ``node``'s local name (for error messages), or None."""
    if not isinstance(node, URIRef):
        return None
    local = re.split(r"[#/:]", str(node).rstrip("#/"))[-1]
    for path in reversed(files):
        try:
            if local in Path(path).read_text(encoding="utf-8"):
                return str(path)
        except (OSError, UnicodeDecodeError):
            continue
    return None


def _one_line(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text if text else type(e).__name__


def _check_is_shacl(path: Path) -> None:
    """A user's shapes file must itself conform to SHACL's shapes for SHACL (pySHACL's meta-SHACL).

    A malformed shape (sh:minCount "one", sh:path with two values) would otherwise
    be skipped or misread by pySHACL without a word.
    """
    from pyshacl.entrypoints import meta_validate

    graph = Graph()
    graph.parse(path, format="turtle")
    conforms, report, _text = meta_validate(graph, inference="none")
    if conforms:
        return
    problems = sorted(
        (report.value(r, SH.resultPath) is None, _short(report.value(r, SH.resultPath) or ""),
         " ".join(str(report.value(r, SH.resultMessage) or "").split()),
         _short(report.value(r, SH.focusNode)) if isinstance(report.value(r, SH.focusNode), URIRef) else "")
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )
    detail = ""
    if problems:
        _, where, message, focus = problems[0]
        detail = "; first: " + ": ".join(x for x in (focus, where, message) if x)
    raise SpecCheckError(f"not a valid SHACL shapes file ({len(problems)} problem(s) found by SHACL's "
                         f"shapes for SHACL){detail}", path=str(path))


def _short(node) -> str:
    text = str(node)
    for prefix, ns in (("spec", "https://ggen.dev/spec#"), ("sc", "https://spec-check.dev/ns#"),
                       ("sh", "http://www.w3.org/ns/shacl#")):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text
