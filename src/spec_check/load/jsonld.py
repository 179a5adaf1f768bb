# SPDX-License-Identifier: MIT
"""JSON-LD contexts: read only from inside the spec folder, never fetched (issue 20 item 5).

rdflib's JSON-LD parser dereferences every ``@context`` and ``@import`` IRI it
meets (any depth, lists of lists, scoped contexts) through one method,
``Context._fetch_context``; rdflib 7 has no document-loader option. While a
spec file is parsed, that method is replaced by ``_contained_fetch``: a context
named by a relative reference that resolves to a regular file inside the spec
folder (links that leave it included) is read with the loader's size limit;
anything else (http:, https:, a file elsewhere, /etc/passwd) raises
ContextRefused, which the loader reports as ``unsafe-input``. Nothing inspects
the JSON by hand, so no spelling of a context can slip past.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_LOCK = threading.Lock()


class ContextRefused(Exception):
    """A JSON-LD context that would be fetched from the network or read from outside the spec folder."""

    def __init__(self, iri: str, remote: bool):
        self.iri, self.remote = iri, remote
        super().__init__(iri)

    def reason(self) -> str:
        if self.remote:
            return f"remote JSON-LD @context {self.iri} is refused: spec-check never fetches from the network"
        return f"JSON-LD @context {self.iri} lies outside the spec folder or is no regular file; it is not read"


@contextmanager
def contained_contexts(path: Path, base: str, max_size: int):
    """While parsing ``path`` (whose base IRI is ``base``), contexts come only from its folder."""
    from rdflib.plugins.shared.jsonld import context as module

    folder = os.path.realpath(path.parent)
    prefix = base.rsplit("/", 1)[0] + "/"

    def fetch(self, source, doc_base, referenced):
        url = urljoin(doc_base or base, source)
        if url in referenced:
            raise module.RECURSIVE_CONTEXT_INCLUSION
        referenced.add(url)
        local = _local_file(url, prefix, folder)
        if local is None:
            raise ContextRefused(source, remote=urlsplit(url).scheme not in ("file", ""))
        from ..safe_read import read_regular_file

        try:
            data = read_regular_file(Path(local), max_size + 1)
        except OSError:
            raise ContextRefused(source, remote=False) from None
        if len(data) > max_size:
            raise ContextRefused(source, remote=False)
        doc = json.loads(data.decode("utf-8-sig"))
        if not isinstance(doc, dict) or "@context" not in doc:
            raise module.INVALID_REMOTE_CONTEXT
        return doc

    with _LOCK:
        original = module.Context._fetch_context
        module.Context._fetch_context = fetch
        try:
            yield
        finally:
            module.Context._fetch_context = original


def _local_file(url: str, prefix: str, folder: str) -> str | None:
    """The real path of ``url`` if it names a file inside ``folder`` (through the base IRI's folder)."""
    if not url.startswith(prefix):
        return None
    rest = urlsplit(url[len(prefix):]).path
    pieces = [unquote(p) for p in rest.split("/")]
    if not pieces or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in pieces):
        return None
    real = os.path.realpath(os.path.join(folder, *pieces))
    if os.path.commonpath([folder, real]) != folder or not os.path.isfile(real):
        return None
    return real
