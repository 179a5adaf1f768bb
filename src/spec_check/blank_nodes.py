# SPDX-License-Identifier: MIT
"""Blank-node signatures: a name for a blank node that depends only on what it says.

A blank node's signature is a hash of its own (outgoing) triples, with each
nested blank node replaced by that node's signature, recursively. Two files
that write the same ``[ spec:settingKey "lto" ; spec:settingValue "true" ]``
give it the same signature whatever label the parser chose, so a diff can
compare triples that contain blank nodes as plain values, and output can name
blank nodes the same way on every run.

This is deliberately not RDF canonicalisation (rdflib.compare, RDFC-1.0): it
is linear in the size of the graph for the tree-shaped blank nodes specs are
made of, and a local edit changes only the signatures of the blank nodes it
touches and those that contain them. Blank nodes with identical content get
the same signature; callers that must keep them apart (relabel_blank_nodes)
number them.

Cycles (only possible with _:labels) are cut: a reference back to a node on
the current path hashes as "cycle N" (N steps up), and such results are not
memoised, so the hash never depends on where the walk entered the cycle set
by accident of labels. The walk is iterative: deep nesting cannot overflow
the Python stack.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from rdflib import BNode, Graph, Literal


def term_key(term) -> str:
    """A unique, label-free text for an IRI or literal (blank nodes are the caller's business)."""
    if isinstance(term, Literal):
        parts = [str(term), str(term.datatype or ""), term.language or ""]
        return "L" + json.dumps(parts, ensure_ascii=False)
    return f"<{term}>"


def _digest(parts: list[str]) -> str:
    parts.sort()
    return hashlib.blake2b("\n".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def bnode_signatures(triples) -> dict[BNode, str]:
    """Signature of every blank node that is the subject or object of one of ``triples``."""
    out_edges: dict = defaultdict(list)
    nodes = set()
    for s, p, o in triples:  # type() is: BNode's ABCMeta makes isinstance slow on this hot loop
        if type(s) is BNode:
            out_edges[s].append((p, o))
            nodes.add(s)
        if type(o) is BNode:
            nodes.add(o)
    memo: dict[BNode, str] = {}
    result: dict[BNode, str] = {}
    for node in sorted(nodes, key=str):  # order only affects speed, never the values
        result[node] = _signature(node, out_edges, memo)
    return result


def _signature(root: BNode, out_edges: dict, memo: dict) -> str:
    if root in memo:
        return memo[root]
    on_path: dict = {root: 0}
    # frame: [node, next edge index, parts, cyclic, predicate the parent reached it by]
    frames: list = [[root, 0, [], False, None]]
    while True:
        frame = frames[-1]
        node = frame[0]
        edges = out_edges.get(node, ())
        if frame[1] < len(edges):
            p, o = edges[frame[1]]
            frame[1] += 1
            if not isinstance(o, BNode):
                frame[2].append(f"{term_key(p)} {term_key(o)}")
            elif o in memo:
                frame[2].append(f"{term_key(p)} [{memo[o]}]")
            elif o in on_path:
                frame[2].append(f"{term_key(p)} [cycle {len(frames) - on_path[o]}]")
                frame[3] = True
            else:
                on_path[o] = len(frames)
                frames.append([o, 0, [], False, p])
            continue
        frames.pop()
        del on_path[node]
        digest = _digest(frame[2])
        if not frame[3]:
            memo[node] = digest
        if not frames:
            return digest
        parent = frames[-1]
        parent[2].append(f"{term_key(frame[4])} [{digest}]")
        parent[3] = parent[3] or frame[3]


def blank_node_names(triples, prefix: str = "b") -> dict[BNode, BNode]:
    """A name for every blank node of ``triples`` that depends only on the triples, not on labels.

    The name is the node's signature; blank nodes with the same content are told apart by
    who points at them, then numbered; any that remain alike are interchangeable, so their
    order cannot change a printed result.
    """
    triples = list(triples)
    signatures = bnode_signatures(triples)
    incoming: dict = defaultdict(list)
    for s, p, o in triples:
        if type(o) is BNode:
            incoming[o].append(f"{signatures[s] if type(s) is BNode else term_key(s)} {term_key(p)}")
    groups: dict = defaultdict(list)
    for node, sig in signatures.items():
        groups[sig].append(node)
    names: dict = {}
    for sig, members in groups.items():
        members.sort(key=lambda n: sorted(incoming.get(n, [])))
        for number, node in enumerate(members):
            names[node] = BNode(f"{prefix}{sig[:12]}" + (f"x{number}" if len(members) > 1 else ""))
    return names


def relabel_blank_nodes(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes are named by signature (deterministic output)."""
    names = blank_node_names(graph)
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True)
    for s, p, o in graph:
        out.add((names.get(s, s), p, names.get(o, o)))
    return out


class _LazyEdges:
    """A node's outgoing edges read from a graph on first use (for one node's signature)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.seen: dict = {}

    def get(self, node, default=()):
        if node not in self.seen:
            self.seen[node] = list(self.graph.predicate_objects(node))
        return self.seen[node] or default


def content_key(graph: Graph, node) -> str:
    """A text naming ``node`` by what it is: an IRI or literal by itself (N-Triples form), a blank
    node by its signature in ``graph``, so that it does not depend on a parser's labels."""
    if not isinstance(node, BNode):
        return node.n3()
    return "_:" + _signature(node, _LazyEdges(graph), {})


__all__ = ["blank_node_names", "bnode_signatures", "content_key", "relabel_blank_nodes", "term_key"]
