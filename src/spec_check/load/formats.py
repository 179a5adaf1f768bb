# SPDX-License-Identifier: MIT
"""The RDF file endings spec-check reads, and the rdflib parser for each (no rdflib import here)."""

FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}
