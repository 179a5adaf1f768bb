# SPDX-License-Identifier: MIT
"""Publish spec folders into a SPARQL store, and query everything published.

layout.py names the graphs and writes one folder's SPARQL Update (asserted
triples, rule view, findings as a SHACL validation report, the run record);
source.py finds the folder's repository and commit with git; targets.py
holds the two places to publish to: an embedded pyoxigraph store on disk and
a SPARQL 1.1 server over HTTP (http.py); publish.py runs the pipeline
(SpecCheck) and writes folder by folder; ask.py runs a query over either
target and ships the ready queries (queries/*.rq). docs/store.md describes
the layout.
"""
