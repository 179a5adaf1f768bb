# SPDX-License-Identifier: MIT
"""The native engine: SHACL-core shapes evaluated in one pass per shape, SPARQL rules on pyoxigraph.

pySHACL (the reference engine, ``--engine pyshacl``) evaluates every constraint
node by node through rdflib, which costs ~0.1 ms per node and constraint. This
module evaluates the same constraints for *all* focus nodes of a shape at once,
over per-predicate dictionaries built once per folder, and produces each
top-level result exactly as pySHACL does (validate.shacl.ShapeResult: focus,
value, result path, source shape, constraint component, severity). It runs only
what it implements exactly: targets, predicate / sequence / alternative /
zero-or-more / one-or-more / zero-or-one paths and the inverse of a predicate,
min/maxCount, class, nodeKind, pattern, or/and/not/node, property. A top-level
shape using anything else (sh:in, sh:datatype, sh:xone, the inverse of a complex
path, sh:deactivated, an implicit class target, SHACL-SPARQL, ...) goes, whole,
to pySHACL, which is not even imported when no shape needs it.

sc:SparqlRule queries run on a pyoxigraph store holding the same triples,
instead of rdflib's query engine (~100x slower on our joins).

tests/test_engines.py is the differential test: both engines give identical
results on every test case, the example spec, the real-world corpus, a
synthetic benchmark corpus and shapes using every SHACL-core component and path
form; tests/test_w3c_shacl.py runs the W3C SHACL core suite on both.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from ..graph import SpecGraph, is_blank, is_literal
from ..load import LoadedFolder
from ..model import Finding, RuleInfo
from ..rules import RuleSet
from ..vocab import QUERY_PREFIXES, SC, SH

_OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
RDF_LANGSTRING = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
CONSTRAINTS = {SH.minCount, SH.maxCount, SH["class"], SH.nodeKind, SH.pattern, SH["or"], SH["and"],
               SH["not"], SH.node, SH.property}
# Shape triples that describe or label a shape without constraining anything.
NOT_CONSTRAINTS = {RDF.type, SH.path, SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group,
                   SH.defaultValue, SH.flags, RDFS.label, RDFS.comment, *TARGETS}
PATH_KINDS = {SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath}


class Unsupported(Exception):
    """A shape uses something this engine does not evaluate: pySHACL does it."""


# -- the shapes: compiled once per RuleSet -------------------------------------

class CompiledShapes:
    """Which top-level shapes run natively, and a shapes graph for pySHACL with the rest."""

    def __init__(self, rules: RuleSet | Graph):
        self.shapes = rules if isinstance(rules, Graph) else rules.shapes
        self._plans: dict = {}
        self._paths: dict = {}
        self._targets: dict = {}
        self._severities: dict = {}
        self._implicit: dict = {}
        self._holders: dict = {}
        self.native: list = []
        fallback: list = []
        from ..rules import is_targeted

        implicit = {s for c in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class"))
                    for s in self.shapes.subjects(RDF.type, c) if is_targeted(self.shapes, s)}
        tops = sorted({s for t in TARGETS for s in self.shapes.subjects(t, None)} | implicit, key=str)
        for shape in tops:
            try:
                self._check_supported(shape, set())
                self.native.append(shape)
            except Unsupported:
                fallback.append(shape)
        self.fallback_graph: Graph | None = None
        if fallback:
            # The same shapes graph, less the targets of the shapes run here.
            graph = Graph()
            native = set(self.native)
            for t in self.shapes:
                if not (t[0] in native and t[1] in TARGETS):
                    graph.add(t)
            self.fallback_graph = graph

    def _check_supported(self, shape, seen: set) -> None:
        if shape in seen:
            raise Unsupported("recursive shape")
        seen = seen | {shape}
        if (shape, SH.deactivated, None) in self.shapes:
            raise Unsupported("sh:deactivated")
        types = set(self.shapes.objects(shape, RDF.type))
        if RDFS.Class in types or URIRef("http://www.w3.org/2002/07/owl#Class") in types:
            raise Unsupported("implicit class target")
        for p, o in self.shapes.predicate_objects(shape):
            if p in NOT_CONSTRAINTS or (isinstance(p, URIRef) and str(p).startswith(str(SC))):
                continue
            if p not in CONSTRAINTS:
                raise Unsupported(str(p))
            if p in (SH["or"], SH["and"]):
                for member in self._list(o):
                    self._check_supported(member, seen)
            elif p in (SH["not"], SH.node, SH.property):
                self._check_supported(o, seen)
            elif p == SH.nodeKind and o not in _NODE_KINDS:
                raise Unsupported("node kind")
            elif p in (SH.minCount, SH.maxCount) and not isinstance(_int(o), int):
                raise Unsupported("count")
        path = self.shapes.value(shape, SH.path)
        if path is not None:
            self._check_path(path)
        if (shape, SH.flags, None) in self.shapes and len(set(self.shapes.objects(shape, SH.flags))) > 1:
            raise Unsupported("several sh:flags")

    def _check_path(self, path) -> None:
        if isinstance(path, URIRef):
            return
        if isinstance(path, BNode) and (path, RDF.first, None) in self.shapes:
            for step in self._list(path):
                self._check_path(step)
            return
        kinds = [p for p, _ in self.shapes.predicate_objects(path)]
        if len(kinds) != 1 or kinds[0] not in PATH_KINDS:
            raise Unsupported("path")
        inner = self.shapes.value(path, kinds[0])
        if kinds[0] == SH.inversePath and not isinstance(inner, URIRef):
            raise Unsupported("inverse of a complex path")  # pySHACL evaluates it
        if kinds[0] == SH.alternativePath:
            for step in self._list(inner):
                self._check_path(step)
        else:
            self._check_path(inner)

    def _list(self, head) -> list:
        if head == RDF.nil:
            return []
        if (head, RDF.first, None) not in self.shapes:
            raise Unsupported("not a list")
        return list(Collection(self.shapes, head))

    # What evaluation reads of the shapes graph, read once per shape (not once per folder):
    # the shapes graph does not change after compiling.

    def plan(self, shape) -> tuple:
        """(sh:path or None, [(code, constraint, its object, its argument, its component)],
        compiled sh:pattern matchers); the code (_MIN ... _PROP) saves comparing IRIs (rdflib's
        URIRef.__eq__ is Python code) on every evaluation."""
        found = self._plans.get(shape)
        if found is None:
            sg = self.shapes
            constraints = []
            for p, o in sorted(sg.predicate_objects(shape), key=lambda t: (str(t[0]), str(t[1]))):
                code = _CODES.get(p)
                if code is None:
                    continue  # sh:pattern (below), sh:path, sh:severity, a label: no constraint here
                if code in (_MIN, _MAX):
                    arg = _int(o)
                elif code == _KIND:
                    arg = _NODE_KINDS[o]
                elif code in (_ANY, _ALL):
                    arg = list(Collection(sg, o))
                elif code in (_NONE_OF, _ONE):
                    arg = [o]
                else:
                    arg = None
                constraints.append((code, p, o, arg, _COMPONENTS.get(p)))
            found = self._plans[shape] = (sg.value(shape, _PATH), constraints, self._patterns(shape))
        return found

    def _patterns(self, shape) -> list:
        if (shape, _PATTERN, None) not in self.shapes:
            return []
        flags = 0
        text = str(self.shapes.value(shape, SH.flags) or "").lower()
        if "i" in text:
            flags |= re.I
        if "m" in text:
            flags |= re.M
        return [re.compile(str(p), flags) for p in self.shapes.objects(shape, _PATTERN)]

    def path_form(self, path) -> tuple:
        """A SHACL path as (kind, argument): ("p", predicate), ("seq", [forms]), ("inv", predicate),
        ("alt", [forms]) or (sh:zeroOrMorePath / sh:oneOrMorePath / sh:zeroOrOnePath, form)."""
        found = self._paths.get(path)
        if found is None:
            sg = self.shapes
            if isinstance(path, URIRef):
                found = ("p", path)
            elif (path, RDF.first, None) in sg:  # sequence path
                found = ("seq", [self.path_form(step) for step in Collection(sg, path)])
            else:
                kind, inner = next(iter(sg.predicate_objects(path)))
                if kind == SH.inversePath:
                    if not isinstance(inner, URIRef):
                        raise Unsupported("inverse of a complex path")  # excluded when compiling
                    found = ("inv", inner)
                elif kind == SH.alternativePath:
                    found = ("alt", [self.path_form(step) for step in Collection(sg, inner)])
                else:
                    found = (kind, self.path_form(inner))
            self._paths[path] = found
        return found

    def targets(self, shape) -> tuple:
        """(target classes, sh:targetSubjectsOf, sh:targetObjectsOf, the set of sh:targetNode)."""
        found = self._targets.get(shape)
        if found is None:
            sg = self.shapes
            found = self._targets[shape] = (
                list(sg.objects(shape, SH.targetClass)), list(sg.objects(shape, SH.targetSubjectsOf)),
                list(sg.objects(shape, SH.targetObjectsOf)), set(sg.objects(shape, SH.targetNode)))
        return found

    def implicit_class_target(self, shape) -> bool:
        """The shape is also a class (rdfs:Class or owl:Class): its instances are focus nodes."""
        found = self._implicit.get(shape)
        if found is None:
            types = set(self.shapes.objects(shape, RDF.type))
            found = self._implicit[shape] = RDFS.Class in types or _OWL_CLASS in types
        return found

    def holders(self, shape) -> set:
        """rules.top_level_holders of ``shape`` (shared: do not change it)."""
        found = self._holders.get(shape)
        if found is None:
            from ..rules import top_level_holders

            found = self._holders[shape] = top_level_holders(self.shapes, shape)
        return found

    def severity(self, shape):
        found = self._severities.get(shape)
        if found is None:
            found = self._severities[shape] = self.shapes.value(shape, SH.severity) or SH.Violation
        return found


_NODE_KINDS = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


def _int(node):
    try:
        return int(node.toPython()) if isinstance(node, Literal) else None
    except (TypeError, ValueError):
        return None


def compiled(rules: RuleSet) -> CompiledShapes:
    """The RuleSet's compiled shapes, made once (and inherited by forked workers)."""
    done = getattr(rules, "_native_shapes", None)
    if done is None:
        done = CompiledShapes(rules)
        rules._native_shapes = done
    return done


# -- the data: per-predicate look-ups, read in place where the graph allows ---------

_NONE: dict = {}  # no values (read only, shared)


class DataIndex:
    """The data graph's look-ups the evaluator needs: a node's values along one predicate and
    back, a predicate's subjects and objects, a class's instances.

    On a SpecGraph they read its own subject and predicate indexes in place (nothing is
    copied: every value collection handed out is read only); on any other graph, per-predicate
    dictionaries are built on first use.
    """

    def __init__(self, graph: Graph):
        self.graph = graph
        self._out: dict = {}
        self._in: dict = {}
        self._instances: dict = {}
        self._subjects: dict = {}
        self._objects: dict = {}
        indexed = graph._indexed if isinstance(graph, SpecGraph) else None
        self._spo = getattr(indexed, "spo", None)
        self._pos = getattr(indexed, "pos", None)
        if not (isinstance(self._spo, dict) and isinstance(self._pos, dict)):
            self._spo = self._pos = None

    def _build(self, p) -> None:
        out: dict = {}
        inv: dict = {}
        for s, o in self.graph.subject_objects(p):
            out.setdefault(s, set()).add(o)
            inv.setdefault(o, set()).add(s)
        self._out[p], self._in[p] = out, inv

    def values(self, p, nodes) -> dict:
        """node -> its objects along predicate ``p`` (read only), for each of ``nodes``."""
        spo = self._spo
        if spo is not None:
            return {n: (spo.get(n) or _NONE).get(p, _NONE) for n in nodes}
        if p not in self._out:
            self._build(p)
        out = self._out[p]
        return {n: out.get(n, _NONE) for n in nodes}

    def inverse_values(self, p, nodes) -> dict:
        """node -> the subjects linking to it by ``p`` (read only), for each of ``nodes``."""
        inv = self.inv(p)
        return {n: inv.get(n, _NONE) for n in nodes}

    def inv(self, p) -> dict:
        """object -> the subjects linking to it by ``p`` (read only; a collection may be empty)."""
        if self._pos is not None:
            return self._pos.get(p, _NONE)
        if p not in self._in:
            self._build(p)
        return self._in[p]

    def subjects(self, p) -> set:
        """Every subject of a triple with predicate ``p`` (shared: do not change it)."""
        found = self._subjects.get(p)
        if found is None:
            if self._pos is not None:
                found = {s for subjects in self._pos.get(p, _NONE).values() for s in subjects}
            else:
                if p not in self._out:
                    self._build(p)
                found = set(self._out[p])
            self._subjects[p] = found
        return found

    def objects(self, p) -> set:
        """Every object of a triple with predicate ``p`` (shared: do not change it)."""
        found = self._objects.get(p)
        if found is None:
            found = self._objects[p] = {o for o, subjects in self.inv(p).items() if subjects}
        return found

    def instances(self, cls) -> set:
        """Nodes typed cls or a sub-class of it (rdfs:subClassOf* in the data, as SHACL says)."""
        if cls not in self._instances:
            classes, todo = {cls}, [cls]
            sub = self.inv(_SUB_CLASS_OF)
            while todo:
                for c in sub.get(todo.pop(), ()):
                    if c not in classes:
                        classes.add(c)
                        todo.append(c)
            typed = self.inv(_TYPE)
            self._instances[cls] = {n for c in classes for n in typed.get(c, ())}
        return self._instances[cls]


def data_index(graph: Graph) -> DataIndex:
    """A DataIndex of ``graph``: inside validate_folder, one per graph, shared by every rule."""
    from .terms import memo

    return memo("data index", graph, DataIndex)


def shape_targets(shapes: CompiledShapes, data: DataIndex, shape) -> set:
    """The focus nodes of a shape's targets (validate.shacl.targets), implicit class targets included."""
    classes, subjects_of, objects_of, listed = shapes.targets(shape)
    nodes: set = set()
    for cls in classes:
        nodes |= data.instances(cls)
    if shapes.implicit_class_target(shape):
        nodes |= data.instances(shape)
    for p in subjects_of:
        nodes |= data.subjects(p)
    for p in objects_of:
        nodes |= data.objects(p)
    nodes |= listed
    return nodes


class Evaluator:
    """Evaluate compiled shapes on one folder's rule view."""

    def __init__(self, shapes: Graph | CompiledShapes, data: DataIndex):
        self.compiled = shapes if isinstance(shapes, CompiledShapes) else CompiledShapes(shapes)
        self.sg = self.compiled.shapes
        self.data = data

    def focus_nodes(self, shape) -> set:
        nodes: set = set()
        classes, subjects_of, objects_of, listed = self.compiled.targets(shape)
        for cls in classes:
            nodes |= self.data.instances(cls)
        for p in subjects_of:
            nodes |= self.data.subjects(p)
        for p in objects_of:
            nodes |= self.data.objects(p)
        nodes |= listed
        return nodes

    def values(self, path, nodes) -> dict:
        """node -> value nodes along ``path`` (a SHACL path node); the collections are read only."""
        return self._values(self.compiled.path_form(path), nodes)

    def _values(self, form: tuple, nodes) -> dict:
        kind, arg = form
        if kind == "p":
            return self.data.values(arg, nodes)
        if kind == "seq":
            current = {n: {n} for n in nodes}
            for step in arg:
                reached = {m for ms in current.values() for m in ms}
                step_values = self._values(step, reached)
                current = {n: {v for m in ms for v in step_values[m]} for n, ms in current.items()}
            return current
        if kind == "inv":
            return self.data.inverse_values(arg, nodes)
        if kind == "alt":
            result = {n: set() for n in nodes}
            for step in arg:
                for n, vs in self._values(step, nodes).items():
                    result[n].update(vs)
            return result
        # zeroOrMore / oneOrMore / zeroOrOne
        result = {}
        for n in nodes:
            reached: set = {n} if kind in (SH.zeroOrMorePath, SH.zeroOrOnePath) else set()
            frontier = {n}
            while frontier:
                step = {v for vs in self._values(arg, frontier).values() for v in vs}
                new = step - reached
                reached |= step
                frontier = new if kind != SH.zeroOrOnePath else set()
            result[n] = reached
        return result

    def failing(self, shape, nodes: set) -> set:
        """The nodes that do not conform to ``shape`` (for or/and/not/node)."""
        return {r[5] for r in self.evaluate(shape, nodes)}

    def evaluate(self, shape, foci: set) -> list[tuple]:
        """Results as (focus, value or None, result path or None, source shape, component, origin).

        ``origin`` is the node of ``foci`` the result is about: the focus itself, except for
        results of nested property shapes, whose focus is a value node of this shape.
        """
        if not foci:
            return []
        path, constraints, patterns = self.compiled.plan(shape)
        # Keyed by exactly the foci: the loops below walk its items, not look each focus up.
        vals = self.values(path, foci) if path is not None else {f: (f,) for f in foci}
        results: list[tuple] = []
        add = results.append
        for code, p, o, arg, component in constraints:
            if code == _MIN:
                for f, vs in vals.items():
                    if len(vs) < arg:
                        add((f, None, path, shape, component, f))
            elif code == _MAX:
                for f, vs in vals.items():
                    if len(vs) > arg:
                        add((f, None, path, shape, component, f))
            elif code == _CLS:
                members = self.data.instances(o)
                for f, vs in vals.items():
                    for v in vs:
                        if v not in members or is_literal(v):
                            add((f, v, path, shape, component, f))
            elif code == _KIND:
                for f, vs in vals.items():
                    for v in vs:
                        if not isinstance(v, arg):
                            add((f, v, path, shape, component, f))
            elif code == _PROP:
                if path is None:
                    # A node shape's value node is its focus: the nested results are about it.
                    results.extend(self.evaluate(o, foci))
                    continue
                holders: dict = {}  # value node -> the foci it is a value of
                for f, vs in vals.items():
                    for v in vs:
                        holders.setdefault(v, []).append(f)
                for r in self.evaluate(o, set(holders)):
                    for f in holders[r[5]]:
                        add(r[:5] + (f,))
            else:  # or, and, not, node
                every = {v for vs in vals.values() for v in vs}
                fails = [self.failing(m, every) for m in arg]
                if code == _ANY:
                    bad = set.intersection(*fails) if fails else set(every)
                elif code == _ALL:
                    bad = set().union(*fails)
                elif code == _NONE_OF:
                    bad = every - fails[0]
                else:
                    bad = fails[0]
                for f, vs in vals.items():
                    for v in vs:
                        if v in bad:
                            add((f, v, path, shape, component, f))
        for matcher in patterns:
            for f, vs in vals.items():
                for v in vs:
                    if (type(v) is not Literal and is_blank(v)) or not matcher.search(_string(v)):
                        add((f, v, path, shape, _PATTERN_COMPONENT, f))
        return results


# The SHACL terms evaluate() compares with, looked up once (an rdflib Namespace builds a new URIRef
# on every attribute access).
_PATH = SH.path
_TYPE = RDF.type
_SUB_CLASS_OF = RDFS.subClassOf
_MIN_COUNT = SH.minCount
_MAX_COUNT = SH.maxCount
_CLASS = SH["class"]
_NODE_KIND = SH.nodeKind
_PATTERN = SH.pattern
_OR = SH["or"]
_AND = SH["and"]
_NOT = SH["not"]
_NODE = SH.node
_PROPERTY = SH.property
_PATTERN_COMPONENT = SH.PatternConstraintComponent

_MIN, _MAX, _CLS, _KIND, _ANY, _ALL, _NONE_OF, _ONE, _PROP = range(9)
_CODES = {_MIN_COUNT: _MIN, _MAX_COUNT: _MAX, _CLASS: _CLS, _NODE_KIND: _KIND, _OR: _ANY, _AND: _ALL,
          _NOT: _NONE_OF, _NODE: _ONE, _PROPERTY: _PROP}

_COMPONENTS = {SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
               SH["class"]: SH.ClassConstraintComponent, SH.nodeKind: SH.NodeKindConstraintComponent,
               SH["or"]: SH.OrConstraintComponent, SH["and"]: SH.AndConstraintComponent,
               SH["not"]: SH.NotConstraintComponent, SH.node: SH.NodeConstraintComponent}


def _string(v) -> str:
    # As pySHACL's value_node_to_string.
    if is_literal(v) and v.value is not None and v.datatype in (None, RDF_LANGSTRING, XSD_STRING):
        return str(v.value)
    return str(v)


def native_results(shapes: CompiledShapes, data: Graph) -> set:
    """The top-level results (validate.shacl.ShapeResult) of the shapes run natively."""
    from .shacl import ShapeResult

    evaluator = Evaluator(shapes, data_index(data))
    results: set = set()
    for shape in shapes.native:
        for focus, value, path, source, component, _origin in evaluator.evaluate(shape, evaluator.focus_nodes(shape)):
            results.add(ShapeResult(focus, value, path, source, component, shapes.severity(source)))
    return results


def engine_results(shapes: CompiledShapes, data: Graph) -> list:
    """The engine's top-level results: the shapes it implements exactly evaluated here, the rest by pySHACL."""
    from .shacl import pyshacl_results

    results = list(native_results(shapes, data))
    if shapes.fallback_graph is not None:
        results += pyshacl_results(data, shapes.fallback_graph)
    return results


def run_shapes(folder: LoadedFolder, view: Graph, rules: RuleSet) -> list[Finding]:
    """Findings of every SHACL shape: natively where possible, the rest by pySHACL."""
    from .shacl import findings_of_results

    return findings_of_results(folder, view, rules, engine_results(compiled(rules), view))


# -- SPARQL rules on pyoxigraph -------------------------------------------------

def _to_ox(term):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _from_ox(term):
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == str(XSD_STRING) else Literal(term.value, datatype=URIRef(datatype))


class _OxTerms:
    """rdflib terms as pyoxigraph terms, each IRI and blank node converted once (they repeat across
    many triples) and a literal's datatype IRI once per datatype; the same terms _to_ox gives."""

    def __init__(self):
        import pyoxigraph as ox

        self._ox = ox
        self.nodes: dict = {}  # URIRef or BNode -> its pyoxigraph term
        self._datatypes: dict = {}  # datatype IRI -> its NamedNode
        self._kinds: dict = {}  # (language, datatype) -> whether pyoxigraph takes literals of that kind

    def __call__(self, term):
        kind = type(term)
        if kind is URIRef:
            found = self.nodes.get(term)
            if found is None:
                found = self.nodes[term] = self._ox.NamedNode(term)
            return found
        if kind is BNode:
            found = self.nodes.get(term)
            if found is None:
                found = self.nodes[term] = self._ox.BlankNode(term)
            return found
        if kind is not Literal:
            return _to_ox(term)
        if term.language:
            return self._ox.Literal(str(term), language=term.language)
        datatype = term.datatype
        if datatype is None:
            return self._ox.Literal(str(term))
        named = self._datatypes.get(datatype)
        if named is None:
            named = self._datatypes[datatype] = self._ox.NamedNode(str(datatype))
        return self._ox.Literal(str(term), datatype=named)

    def takes(self, term) -> bool:
        """Whether pyoxigraph takes ``term`` (False: it refuses it, or ``term`` is of no kind known
        here), without making a literal: pyoxigraph refuses a literal only for its language tag, its
        datatype IRI, or text that is not UTF-8 (lone surrogates)."""
        kind = type(term)
        if kind is URIRef or kind is BNode:
            try:
                self(term)
                return True
            except ValueError:
                return False
        if kind is not Literal:
            return False
        key = (term.language, term.datatype)
        ok = self._kinds.get(key)
        if ok is None:
            try:  # the branches of _to_ox, on a text pyoxigraph always takes
                if term.language:
                    self._ox.Literal("x", language=term.language)
                elif term.datatype is not None:
                    self._ox.Literal("x", datatype=self._ox.NamedNode(str(term.datatype)))
                ok = True
            except ValueError:
                ok = False
            self._kinds[key] = ok
        return ok and (term.isascii() or _utf8(term))

    def check_all(self, index: dict) -> None:
        """Raise what _to_ox raises for the first term of ``index`` (term -> its triples' nested
        dict, as IndexedStore keeps them) that pyoxigraph refuses, counting only terms with a
        triple left (a removed triple's terms stay as keys with nothing under them)."""
        takes, nodes, kinds = self.takes, self.nodes, self._kinds
        for t in index:
            # The usual cases inline (an IRI or blank node converted already, a literal of a
            # kind known to be taken, with ASCII text); takes() decides the rest.
            kind = type(t)
            if kind is Literal:
                if kinds.get((t.language, t.datatype)) and t.isascii():
                    continue
            elif (kind is URIRef or kind is BNode) and t in nodes:
                continue
            if not takes(t) and any(index[t].values()):
                _to_ox(t)  # raises its own error (or converts a term of another kind, as before)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def oxigraph_store(view: Graph, predicates: frozenset[str] | None = None):
    """A pyoxigraph store of ``view``'s triples, or of those whose predicate is in ``predicates``.

    Raises:
        ValueError: a term of ``view`` that pyoxigraph refuses (any term of any triple, even
            when only some predicates are copied: which engine answers never depends on them).
    """
    import pyoxigraph as ox

    term = _OxTerms()
    Quad = ox.Quad
    indexed = view._indexed if isinstance(view, SpecGraph) else None
    if predicates is None or indexed is None:
        store = ox.Store()
        store.bulk_extend([Quad(term(s), term(p), term(o)) for s, p, o in view])
        return store
    # Every term of the view, each once (IRIs and blank nodes converted, literals only checked).
    term.check_all(indexed.spo)
    term.check_all(indexed.pos)
    term.check_all(indexed.osp)
    quads = []
    pos = indexed.pos
    nodes = term.nodes
    for p in predicates:
        objects = pos.get(URIRef(p))
        if not objects:
            continue
        ox_p = None  # converted at its first triple (every triple with p may have been removed)
        for o, subjects in objects.items():
            if subjects:
                if ox_p is None:
                    ox_p = term(URIRef(p))
                ox_o = term(o)
                quads.extend([Quad(nodes.get(s) or term(s), ox_p, ox_o) for s in subjects])
    store = ox.Store()
    store.bulk_extend(quads)
    return store


_PREFIXES = {k: str(v) for k, v in QUERY_PREFIXES.items()}


def _sparql_rules(rules: RuleSet) -> list[tuple]:
    """[(rule, its query, the predicates it reads or None, the patterns it requires)] of the SPARQL
    rules (validate/query_reads.py), read once per RuleSet (and inherited by forked workers), as
    compiled() keeps the shapes."""
    done = getattr(rules, "_native_sparql", None)
    if done is None:
        from .query_reads import predicates_read, requirements

        done = []
        for rule_id, rule in rules.rules.items():
            if rule.kind == "sparql":
                query = str(rules.shapes.value(rules.nodes[rule_id], SC.select))
                needs = tuple((URIRef(p), URIRef(o) if o is not None else None)
                              for p, o in requirements(rule_id, query))
                done.append((rule, query, predicates_read(rule_id, query), needs))
        rules._native_sparql = done
    return done


def run_sparql_rules(folder: LoadedFolder, view: Graph, rules: RuleSet) -> list[Finding]:
    # A rule whose query requires a triple pattern the view lacks has no row: it does not run,
    # and the store holds only what the rules that run read.
    runs = [r for r in _sparql_rules(rules) if all(_has(view, p, o) for p, o in r[3])]
    if not runs:
        return []
    reads: set | None = set()
    for _rule, _query, read, _needs in runs:
        if read is None:
            reads = None
            break
        reads |= read
    try:
        store = oxigraph_store(view, frozenset(reads) if reads is not None else None)
    except ValueError:
        # A term pyoxigraph refuses (an IRI rdflib let through): rdflib's engine takes the folder.
        from .sparql import run_sparql_rules as run_with_rdflib

        return run_with_rdflib(folder, view, rules)
    findings = []
    for rule, query, _read, _needs in runs:
        findings.extend(run_select(folder, store, rule, query, view))
    return findings


def _has(view: Graph, p, o) -> bool:
    """``view`` has a triple with predicate ``p`` and object ``o`` (any object: None)."""
    return next(iter(view.triples((None, p, o))), None) is not None


def run_select(folder: LoadedFolder, store, rule: RuleInfo, query: str, view: Graph) -> list[Finding]:
    result = store.query(query, prefixes=_PREFIXES)
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        bindings = {}
        for name in names:
            term = solution[name]
            if term is not None:
                bindings[name] = _from_ox(term)
        rows.append(bindings)
    if any(isinstance(v, Literal) and (None, None, v) not in view for row in rows for v in row.values()):
        # A value the query computed (a SUM, a COUNT) or wrote differently from the data:
        # its lexical form is engine-specific ("5" here, "5.0" in rdflib), and the
        # message shows it, so the reference engine answers for this rule. This only
        # happens when the rule has findings.
        from .sparql import run_select as run_with_rdflib

        return run_with_rdflib(folder, view, rule, query)
    from .sparql import row_finding

    return [row_finding(folder, rule, bindings) for bindings in rows]
