# SPDX-License-Identifier: MIT
"""The in-memory graph the pipeline builds: rdflib's SimpleMemory, minus its per-triple overhead.

rdflib's SimpleMemory keeps three nested-dict indexes (spo, pos, osp), but every
triple it yields passes three generator layers and gets a fresh contexts
generator of its own, ``len()`` walks every triple, and Graph.triples checks
each pattern against the Path ABC: iterating costs ~0.7 µs a triple (0.2 µs
here), and pattern look-ups pay the same layers; on a big corpus that was a
third of spec-check's time. IndexedStore keeps the same indexes, adds and
removes exactly as SimpleMemory does and iterates in exactly its order (so every
result stays byte-identical), counts its triples, and yields plain triples;
SpecGraph reads them without the extra layers. tests/test_graph.py compares both
with SimpleMemory pattern by pattern.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.store import Store

_NO_CONTEXTS = ()


class IndexedStore(Store):
    """SimpleMemory's indexes and iteration order, with a triple count and no per-triple generators."""

    context_aware = False
    formula_aware = False
    graph_aware = False
    transaction_aware = False

    def __init__(self, configuration=None, identifier=None):
        super().__init__(configuration)
        self.identifier = identifier
        self.spo: dict = {}
        self.pos: dict = {}
        self.osp: dict = {}
        self.size = 0
        # Whether a triple was ever removed: only then can an index hold emptied inner dicts, which
        # the distinct_* functions must skip (otherwise an index's keys are exactly the terms in use).
        self.removed = False
        # Copy on write (copy_triples): the three top-level index dicts as they were when this store
        # and a copy of it began to share their inner dicts. An inner dict found here under the same
        # key is shared: it is copied before a write, so neither store ever sees the other's writes.
        self.shared: tuple[dict, dict, dict] | None = None
        self._namespace: dict = {}
        self._prefix: dict = {}

    def add(self, triple, context, quoted=False) -> None:
        if self.shared is not None:
            self.add_all((triple,))
            return
        s, p, o = triple
        objects = self.spo.setdefault(s, {}).setdefault(p, {})
        if o in objects:
            return
        objects[o] = 1
        self.size += 1
        self.pos.setdefault(p, {}).setdefault(o, {})[s] = 1
        self.osp.setdefault(o, {}).setdefault(s, {})[p] = 1

    def add_all(self, triples) -> None:
        """add() each of ``triples`` in turn (same indexes, same order), without a call per triple.

        Loading and the rule view add every triple of a folder (issue 19: the per-triple
        calls through Graph.add were ~8 % of a run). A store that shares inner dicts with a
        copy (copy_triples) copies an entry before its first write to it.
        """
        spo, pos, osp = self.spo, self.pos, self.osp
        shared = self.shared
        shared_spo, shared_pos, shared_osp = shared or ({}, {}, {})
        added = 0
        try:
            for s, p, o in triples:
                po = spo.get(s)
                if po is None:
                    po = spo[s] = {}
                objects = po.get(p)
                if shared is not None and po is shared_spo.get(s):
                    if objects is not None and o in objects:
                        continue  # already there: nothing is written, nothing needs copying
                    po = spo[s] = _two_levels(po)
                    objects = po.get(p)
                if objects is None:
                    objects = po[p] = {}
                # One hash of the object per index (a Literal's hash is Python code): setdefault
                # inserts where an assignment would, and a new empty dict costs less than a second hash.
                known = len(objects)
                objects.setdefault(o, 1)
                if len(objects) == known:
                    continue
                added += 1
                os_ = pos.get(p)
                if os_ is None:
                    os_ = pos[p] = {}
                elif shared is not None and os_ is shared_pos.get(p):
                    os_ = pos[p] = _two_levels(os_)
                os_.setdefault(o, {})[s] = 1
                if shared is None:
                    sp = osp.setdefault(o, {})
                else:
                    sp = osp.get(o)
                    if sp is None:
                        sp = osp[o] = {}
                    elif sp is shared_osp.get(o):
                        sp = osp[o] = _two_levels(sp)
                predicates = sp.get(s)
                if predicates is None:
                    predicates = sp[s] = {}
                predicates[p] = 1
        finally:  # a timeout may stop the loop: the count stays true
            self.size += added

    def remove(self, triple_pattern, context=None) -> None:
        # As SimpleMemory: emptied inner dicts stay, so a later add keeps the old place in the order.
        shared_spo, shared_pos, shared_osp = self.shared or ({}, {}, {})
        for s, p, o in list(self.iter_triples(*triple_pattern)):
            self.removed = True
            del _private(self.spo, shared_spo, s)[p][o]
            del _private(self.pos, shared_pos, p)[o][s]
            del _private(self.osp, shared_osp, o)[s][p]
            self.size -= 1

    def iter_triples(self, s, p, o):
        """Triples matching the pattern, in SimpleMemory's order (and, as there, live views of the indexes)."""
        if s is not None:
            po = self.spo.get(s)
            if po is None:
                return iter(())
            if p is not None:
                objects = po.get(p)
                if objects is None:
                    return iter(())
                if o is not None:
                    return iter(((s, p, o),)) if o in objects else iter(())
                return ((s, p, x) for x in objects)
            if o is not None:
                return ((s, x, o) for x, objects in po.items() if o in objects)
            return ((s, x, y) for x, objects in po.items() for y in objects)
        if p is not None:
            os_ = self.pos.get(p)
            if os_ is None:
                return iter(())
            if o is not None:
                subjects = os_.get(o)
                return ((x, p, o) for x in subjects) if subjects is not None else iter(())
            return ((x, p, y) for y, subjects in os_.items() for x in subjects)
        if o is not None:
            sp = self.osp.get(o)
            if sp is None:
                return iter(())
            return ((x, y, o) for x, predicates in sp.items() for y in predicates)
        return ((x, y, z) for x, po in self.spo.items() for y, objects in po.items() for z in objects)

    def triples(self, triple_pattern, context=None):
        for t in self.iter_triples(*triple_pattern):
            yield t, _NO_CONTEXTS

    def __len__(self, context=None) -> int:
        return self.size

    def contexts(self, triple=None):
        return iter(())

    # Namespace bindings, exactly as SimpleMemory keeps them.
    def bind(self, prefix, namespace, override=True) -> None:
        bound_namespace = self._namespace.get(prefix)
        bound_prefix = self._prefix.get(namespace)
        if bound_prefix is None:
            bound_prefix = self._prefix.get(bound_namespace)
        if override:
            if bound_prefix is not None:
                del self._namespace[bound_prefix]
            if bound_namespace is not None:
                del self._prefix[bound_namespace]
            self._prefix[namespace] = prefix
            self._namespace[prefix] = namespace
        else:
            self._prefix[bound_namespace if bound_namespace is not None else namespace] = (
                bound_prefix if bound_prefix is not None else prefix)
            self._namespace[bound_prefix if bound_prefix is not None else prefix] = (
                bound_namespace if bound_namespace is not None else namespace)

    def namespace(self, prefix):
        return self._namespace.get(prefix)

    def prefix(self, namespace):
        return self._prefix.get(namespace)

    def namespaces(self):
        yield from list(self._namespace.items())


def _two_levels(inner: dict) -> dict:
    """A copy of an index entry the store will write to: its dict and the dicts in it (dict.copy()
    reuses the kept hashes)."""
    return {k: v.copy() for k, v in inner.items()}


def _private(index: dict, shared: dict, key) -> dict:
    """``index[key]``, first copied when it is still shared (copy on write)."""
    inner = index[key]
    if inner is shared.get(key):
        inner = index[key] = _two_levels(inner)
    return inner


class SpecGraph(Graph):
    """An rdflib Graph on an IndexedStore, reading it without rdflib's per-triple layers."""

    def __init__(self, store: IndexedStore | None = None, identifier=None, **kwargs):
        super().__init__(store=store if store is not None else IndexedStore(), identifier=identifier, **kwargs)
        self._indexed = self.store

    def triples(self, triple):
        s, p, o = triple
        if p is None or type(p) is URIRef:
            return self._indexed.iter_triples(s, p, o)
        return super().triples(triple)  # a property path: rdflib evaluates it

    def add(self, triple):
        self._indexed.add(triple, self)
        return self

    def add_all(self, triples) -> None:
        """Add ``triples`` in their order, as add() one by one would."""
        self._indexed.add_all(triples)

    def __len__(self) -> int:
        return self._indexed.size

    def triples_with_predicates(self, predicates: set) -> list:
        """The triples whose predicate is one of ``predicates``, in this graph's order (as a filter of
        ``list(graph)`` would give them, without visiting the others one by one)."""
        return [(s, p, o) for s, po in self._indexed.spo.items() for p, objects in po.items() if p in predicates
                for o in objects]

    def copy_triples(self, without=frozenset()) -> SpecGraph:
        """A new graph with this one's triples (less ``without``), iterating in this one's order."""
        copy = SpecGraph()
        store, target = self._indexed, copy._indexed
        if without or store.removed or store.shared is not None:
            source = store.iter_triples(None, None, None)
            target.add_all((t for t in source if t not in without) if without else source)
            return copy
        # Nothing left out, no emptied dicts, nothing shared yet: the copy shares this graph's inner
        # dicts, and each store copies one before it writes to it (issue 19: re-adding every triple
        # hashed each term six times, a Literal's hash in Python: a third of the rule view at 100k
        # triples). The copy iterates in this graph's order, index by index.
        store.shared = target.shared = (store.spo.copy(), store.pos.copy(), store.osp.copy())
        target.spo, target.pos, target.osp = store.spo.copy(), store.pos.copy(), store.osp.copy()
        target.size = store.size
        return copy


def new_graph() -> SpecGraph:
    return SpecGraph()


def _keys_in_use(index: dict, removed: bool) -> set:
    # set(dict) reuses the hashes the dict keeps; a comprehension would hash every key again, and a
    # Literal's hash is Python code (a tenth of a second per 100k triples).
    return {k for k, inner in index.items() if any(inner.values())} if removed else set(index)


def distinct_subjects(graph: Graph) -> set:
    """Every subject of ``graph``, once (without walking every triple when it is a SpecGraph)."""
    if isinstance(graph, SpecGraph):
        return _keys_in_use(graph._indexed.spo, graph._indexed.removed)
    return set(graph.subjects())


def distinct_predicates(graph: Graph) -> set:
    if isinstance(graph, SpecGraph):
        return _keys_in_use(graph._indexed.pos, graph._indexed.removed)
    return set(graph.predicates())


def distinct_objects(graph: Graph) -> set:
    if isinstance(graph, SpecGraph):
        return _keys_in_use(graph._indexed.osp, graph._indexed.removed)
    return set(graph.objects())


def distinct_objects_of(graph: Graph, predicate) -> set:
    """Every object of ``predicate`` in ``graph``, once (the keys of its predicate index entry, when a SpecGraph)."""
    if isinstance(graph, SpecGraph):
        store = graph._indexed
        return _keys_in_use(store.pos.get(predicate, {}), store.removed)
    return set(graph.objects(None, predicate))


def iris(graph: Graph, position: str) -> set:
    """The IRIs in ``position`` ("subjects" or "objects") of ``graph``'s triples.

    Literals are skipped by their type before anything hashes them (see _keys_in_use), and the
    emptied entries a removal leaves are looked for only when a triple was removed.
    """
    if isinstance(graph, SpecGraph):
        store = graph._indexed
        index = store.spo if position == "subjects" else store.osp
        keys = (k for k, inner in index.items() if any(inner.values())) if store.removed else index
    else:
        keys = set(graph.subjects() if position == "subjects" else graph.objects())
    return {k for k in keys if is_iri(k)}


# A term's kind without isinstance's ABC check: isinstance against rdflib's term classes goes
# through ABCMeta (Python code) whenever it answers no, which per triple added up to several
# per cent of a check (issue 19). The readers make plain terms; a subclass still takes isinstance.
def is_iri(term) -> bool:
    kind = type(term)
    return kind is URIRef or (kind is not Literal and kind is not BNode and isinstance(term, URIRef))


def is_blank(term) -> bool:
    kind = type(term)
    return kind is BNode or (kind is not URIRef and kind is not Literal and isinstance(term, BNode))


def is_literal(term) -> bool:
    kind = type(term)
    return kind is Literal or (kind is not URIRef and kind is not BNode and isinstance(term, Literal))
