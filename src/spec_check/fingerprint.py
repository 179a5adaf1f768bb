# SPDX-License-Identifier: MIT
"""Fingerprints from meaning: what a finding is about, not how it is displayed.

A finding's fingerprint (baseline files, SARIF partialFingerprints) is built
from its rule id, the spec folder's path relative to the project root (the
nearest folder above it holding .git, spec-check.toml or pyproject.toml), the
full IRIs of its focus and value (a blank node by its content) and its
message's parameters. Not from the working folder, prefixes, the message
text or line numbers: the same baseline works from any folder and survives
reformatting. No rdflib import at module level (reporters read Finding only).
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

ROOT_MARKERS = (".git", "spec-check.toml", "pyproject.toml")


def project_relative(path: str) -> str:
    """``path`` relative to its project root, as posix text (the folder's name when no root is found)."""
    return _relative_to_root(os.path.abspath(path))  # absolute first: a relative path depends on the cwd


@lru_cache(maxsize=1024)
def _relative_to_root(absolute: str) -> str:
    here = Path(absolute)
    for parent in (here, *here.parents):
        if any((parent / marker).exists() for marker in ROOT_MARKERS) and parent != here:
            return here.relative_to(parent).as_posix()
    return here.name


def term_key(graph, term) -> str:
    """An RDF term by meaning: IRIs and literals in N-Triples form, a blank node by its content."""
    if term is None:
        return ""
    from rdflib import BNode, URIRef

    if isinstance(term, BNode):
        from .blank_nodes import content_key

        return content_key(graph, term)
    if isinstance(term, URIRef):
        # Not term.n3(): it raises on an IRI rdflib thinks invalid (`<a"b>`), which a parser let in.
        return f"<{term}>"
    return term.n3()


def finding_identity(rule_id: str, folder, focus: str, value: str, params: dict) -> str:
    """The text a fingerprint is the hash of."""
    parts = [rule_id, project_relative(str(folder)), focus, value]
    parts += [f"{k}={params[k]}" for k in sorted(params)]
    return "\x1f".join(parts)


def identity_focus(identity: str) -> str:
    """The focus node part of an identity (full IRI or blank-node content key)."""
    parts = identity.split("\x1f")
    return parts[2] if len(parts) > 2 else ""


def fingerprint_of(identity: str) -> str:
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
