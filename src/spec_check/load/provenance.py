# SPDX-License-Identifier: MIT
"""Where things are written: node → file, line and column; node → short name.

Built by the loader from the positions each file's parser recorded. A node
described in several files is located in the first file (sorted by name) that
describes it. A node that is only ever an object is located where it is first
used, so a finding about it still points at a real line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef

Location = tuple[str, int, int]

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$|^$")


@dataclass
class SourceIndex:
    """Positions of subjects, of (subject, predicate) pairs and of some (subject, predicate,
    object) triples, across a folder's files.

    ``objects`` holds only objects written on another line than their predicate first is
    (a repeated predicate, an object list over lines: load/parse.py ParsedFile.object_positions);
    every other object is on its predicate's line, which ``predicates`` gives.
    """

    fallback: Location
    subjects: dict = field(default_factory=dict)
    predicates: dict = field(default_factory=dict)
    files_of: dict = field(default_factory=dict)  # node -> [file display names]
    prefixes_by_file: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def add_file(self, file: str, prefixes: dict, subjects: dict, predicates: dict,
                 objects: dict | None = None) -> None:
        self.prefixes_by_file[file] = prefixes
        for node, (line, col) in subjects.items():
            self.subjects.setdefault(node, (file, line, col))
            self.files_of.setdefault(node, []).append(file)
        for key, (line, col) in predicates.items():
            self.predicates.setdefault(key, (file, line, col))
        for key, (line, col) in (objects or {}).items():
            # Only where the (subject, predicate) pair's place is in this same file: else the
            # pair is located in another file, and its object there is on the predicate's line.
            if self.predicates.get(key[:2], (file,))[0] == file:
                self.objects.setdefault(key, (file, line, col))

    def locate(self, node, predicate=None, obj=None) -> Location:
        """The most precise place for a finding on ``node`` (about ``predicate``, and its value
        ``obj``, if given)."""
        if obj is not None and predicate is not None and (node, predicate, obj) in self.objects:
            return self.objects[(node, predicate, obj)]
        if predicate is not None and (node, predicate) in self.predicates:
            return self.predicates[(node, predicate)]
        if node in self.subjects:
            return self.subjects[node]
        return self.fallback

    def is_described(self, node) -> bool:
        return node in self.subjects

    # -- names ---------------------------------------------------------------

    def name(self, node, file: str | None = None) -> str:
        """A short, stable name for ``node``: a prefixed name when a prefix fits, else <IRI>."""
        if isinstance(node, Literal):
            return str(node)
        if isinstance(node, BNode):
            return "[]"
        if not isinstance(node, URIRef):
            return str(node)
        iri = str(node)
        candidates = []
        order = ([file] if file in self.prefixes_by_file else []) + sorted(self.prefixes_by_file)
        for f in order:
            for prefix, ns in sorted(self.prefixes_by_file[f].items()):
                if ns and iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns):]):
                    candidates.append((-len(ns), prefix, iri[len(ns):]))
            if candidates:
                break
        if not candidates:
            return f"<{iri}>"
        _, prefix, local = min(candidates)
        return f"{prefix}:{local}"
