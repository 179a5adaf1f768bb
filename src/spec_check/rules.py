# SPDX-License-Identifier: MIT
"""The rule catalogue: read the shapes files once, and say what each rule is.

Every node with an sc:ruleId is a rule. SHACL node and property shapes are run
by pySHACL; sc:SparqlRule nodes by one SELECT per folder; sc:BuiltinRule nodes
by a named Python function in validate/builtin.py. Their id, severity, message
and documentation always come from here. Gate rules (.rq files, see
validate/gates.py) join the catalogue with kind "gate".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

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

    def node_of_shape(self, shape) -> str | None:
        """The rule id of a SHACL shape: its own sc:ruleId, else its parent's."""
        rule_id = self.shapes.value(shape, SC.ruleId)
        seen = set()
        while rule_id is None and shape is not None and shape not in seen:
            seen.add(shape)
            shape = self.shapes.value(None, SH.property, shape) or _or_parent(self.shapes, shape)
            rule_id = self.shapes.value(shape, SC.ruleId) if shape is not None else None
        return str(rule_id) if rule_id is not None else None


def _or_parent(shapes: Graph, shape):
    # A shape inside sh:or ( ... ) belongs to the shape holding the list.
    for cell in shapes.subjects(RDF.first, shape):
        head = cell
        while True:
            prev = shapes.value(None, RDF.rest, head)
            if prev is None:
                break
            head = prev
        holder = shapes.value(None, SH["or"], head) or shapes.value(None, SH["and"], head)
        if holder is not None:
            return holder
    return None


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
    gate_queries: dict[str, str] = {}
    if gates:
        from .validate.gates import read_gates

        for info, query in read_gates(list(gates)):
            if info.rule_id in rules:
                raise SpecCheckError(f"the gate's id {info.rule_id!r} (its file name) is already a rule's id; "
                                     "rename the file", path=info.source)
            rules[info.rule_id] = info
            gate_queries[info.rule_id] = query
    return RuleSet(shapes=shapes, rules=rules, nodes=nodes, gates=gate_queries)


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
