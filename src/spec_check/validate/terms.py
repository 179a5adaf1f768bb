# SPDX-License-Identifier: MIT
"""A graph's distinct IRI subjects and objects, read once per folder's validation (issue 19).

Several rules (reference-defined, external-reference) start from the same sets: the
IRIs the folder's files describe, the IRIs its triples link to. Inside ``shared()``
(validate_folder runs every rule inside it) each set is computed once per graph
and handed to every rule that asks; outside it each call computes afresh. The sets
are shared: callers must not change them. Graphs are not changed while a folder is
validated; an entry holds its graph, so another graph can never take its place.

On a SpecGraph the sets are read from its indexes without hashing literals
(rdflib's Literal.__hash__ is Python code): only IRIs are collected.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from rdflib import Graph

from ..graph import iris

_local = threading.local()  # the language server validates on two threads


@contextmanager
def shared():
    """Share the sets computed inside the block between the rules run in it."""
    previous = getattr(_local, "memo", None)
    _local.memo = {}
    try:
        yield
    finally:
        _local.memo = previous


def memo(kind: str, graph: Graph, compute):
    """``compute(graph)``, once per ``kind`` and graph inside ``shared()``."""
    memo = getattr(_local, "memo", None)
    if memo is None:
        return compute(graph)
    key = (kind, id(graph))
    hit = memo.get(key)
    if hit is None or hit[0] is not graph:
        hit = memo[key] = (graph, compute(graph))
    return hit[1]


def _iris(graph: Graph, position: str) -> set:
    return memo(position, graph, lambda g: iris(g, position))


def iri_subjects(graph: Graph) -> set:
    """Every IRI that is the subject of a triple of ``graph`` (shared: do not change it)."""
    return _iris(graph, "subjects")


def iri_objects(graph: Graph) -> set:
    """Every IRI that is the object of a triple of ``graph`` (shared: do not change it)."""
    return _iris(graph, "objects")
