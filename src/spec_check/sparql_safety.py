# SPDX-License-Identifier: MIT
"""What a SPARQL query from a pull request may not do: reach outside the spec's graph.

rdflib evaluates ``SERVICE <url> { ... }`` by sending the pattern to that URL
over HTTP, and ``FROM <url>`` / ``FROM NAMED <url>`` by loading the IRI (a
web address or a local file). A gate ``.rq`` file (from --rules or the config,
which a pull request can change) or a `spec-check query` would then open
connections or read files on the CI runner (issue 20 item 4). The check walks
the translated algebra, so every spelling (lower case, prefixed names,
nested groups, sub-selects) is found.
"""

from __future__ import annotations


def remote_access(algebra) -> str | None:
    """A description of the first remote access the query asks for, or None."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [algebra]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return f"SERVICE <{node.get('term')}>"
            if node.name in ("DatasetClause",):
                target = node.get("default") or node.get("named")
                return f"FROM <{target}>"
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return None
