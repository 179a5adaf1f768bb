# SPDX-License-Identifier: MIT
"""Namespaces of the spec vocabulary and of spec-check's own rule terms.

A test checks that every term used in the code is declared in ontology/.
"""

from rdflib import Namespace

SPEC = Namespace("https://ggen.dev/spec#")
SC = Namespace("https://spec-check.dev/ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")

# Namespaces that are vocabularies, never a spec's own data.
VOCABULARY_NAMESPACES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
    "http://www.w3.org/ns/shacl#",
    "https://ggen.dev/spec#",
    "https://spec-check.dev/ns#",
)

QUERY_PREFIXES = {
    "spec": SPEC,
    "sc": SC,
    "sh": SH,
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
}
