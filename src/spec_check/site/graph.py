# SPDX-License-Identifier: MIT
"""What the dependency graph page highlights: cycles and the critical path.

Both are computed here, at generation time, from the view's dependency edges
(prerequisite → dependent), so the page only draws them and the result is the
same bytes on every run: every choice between equals goes by node order.
"""

from __future__ import annotations

from decimal import Decimal

from ..render.views import EdgeView
from ..validate.builtin import strongly_connected


def cycle_nodes(nodes: list[str], edges: tuple[EdgeView, ...]) -> frozenset[str]:
    """Nodes on a dependency cycle: members of a strongly connected component of two or more.

    The same algorithm the dependency-cycle rule uses, so the graph highlights what the check reports.
    """
    successors: dict[str, list[str]] = {n: [] for n in nodes}
    for e in edges:
        successors.setdefault(e.source, []).append(e.target)
    return frozenset(n for component in strongly_connected(successors) if len(component) > 1 for n in component)


def critical_path(order: list[str], weight: dict[str, Decimal], edges: tuple[EdgeView, ...],
                  skip: frozenset[str]) -> tuple[str, ...]:
    """The chain of dependent nodes with the largest total effort (ties: the earlier node).

    ``order`` lists the nodes in checklist order; nodes in ``skip`` (on a cycle)
    take no part, since a cycle has no longest path.
    """
    members = [n for n in order if n not in skip]
    inside = set(members)
    preds: dict[str, list[str]] = {n: [] for n in members}
    succs: dict[str, list[str]] = {n: [] for n in members}
    for e in edges:
        if e.source in inside and e.target in inside:
            preds[e.target].append(e.source)
            succs[e.source].append(e.target)
    waiting = {n: len(preds[n]) for n in members}
    ready = [n for n in members if waiting[n] == 0]
    best: dict[str, Decimal] = {}
    back: dict[str, str | None] = {}
    position = {n: i for i, n in enumerate(members)}
    done: list[str] = []
    while ready:
        ready.sort(key=position.__getitem__)
        node = ready.pop(0)
        done.append(node)
        before = max(preds[node], key=lambda p: (best[p], -position[p]), default=None)
        best[node] = weight.get(node, Decimal(0)) + (best[before] if before is not None else Decimal(0))
        back[node] = before
        for s in succs[node]:
            waiting[s] -= 1
            if waiting[s] == 0:
                ready.append(s)
    if not done:
        return ()
    end = max(done, key=lambda n: (best[n], -position[n]))
    if best[end] <= 0 and not preds[end]:
        return ()
    path = [end]
    while back[path[-1]] is not None:
        path.append(back[path[-1]])
    return tuple(reversed(path))
