# SPDX-License-Identifier: MIT
"""The practical limit: the same closure checks as SPARQL queries on pyoxigraph, nothing else.

    python benchmarks/limit_pyoxigraph.py DATA.ttl --out RESULTS.tsv

Bulk-loads DATA.ttl into an in-memory pyoxigraph store, runs the checks of shapes/*.ttl's SHACL
shapes plus unique-id and dependency-cycle (the forms of benchmarks/pyshacl-sparql-shapes.ttl)
as ten SELECT queries, and writes one line per violation, `rule id<TAB>focus IRI`. No positions,
no dialects, no report, no score: what a hand-written script doing only these checks costs, the
floor benchmarks/run.py measures spec-check and the validators against.

Each query states its rules' SHACL semantics: class targets and sh:class include
rdfs:subClassOf* (as SHACL defines them), sh:minCount 1 is "no value", sh:maxCount 1 "two distinct values", an
sh:or of minCount-1 property shapes is "has a value along one of the paths". Written the way
pyoxigraph 0.5 runs them fast: no OPTIONAL sub-select (re-evaluated per row) and no variable
class under a `rdfs:subClassOf*` path (one FILTER NOT EXISTS per class instead), MINUS where
a NOT EXISTS would join per row.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PREFIXES = """PREFIX spec: <https://ggen.dev/spec#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

# One query per target class (or per check that is not per class); each returns ?rule ?this.
# SPARQL evaluates each UNION branch on its own, so each branch names its own target.
_TARGET = "?this rdf:type/rdfs:subClassOf* spec:%s ."

QUERIES = {
    "feature": f"""
SELECT ?rule ?this WHERE {{
  {{ {_TARGET % "Feature"} BIND("feature-label" AS ?rule) FILTER NOT EXISTS {{ ?this rdfs:label ?l }} }}
  UNION {{ {_TARGET % "Feature"} BIND("feature-description" AS ?rule) FILTER NOT EXISTS {{ ?this rdfs:comment ?c }} }}
}}""",
    "story": f"""
SELECT ?rule ?this WHERE {{
  {{ {_TARGET % "UserStory"} BIND("story-priority" AS ?rule)
    FILTER (NOT EXISTS {{ ?this spec:priority ?p }}
            || EXISTS {{ ?this spec:priority ?p1, ?p2 FILTER (?p1 != ?p2) }}
            || EXISTS {{ ?this spec:priority ?p3 FILTER (!REGEX(STR(?p3), "(^|[/#:])P[1-3]$")) }}) }}
  UNION {{ {_TARGET % "UserStory"} BIND("story-actor" AS ?rule)
          FILTER NOT EXISTS {{ ?this spec:actor ?a }} FILTER NOT EXISTS {{ ?this rdfs:label ?l }} }}
  UNION {{ {_TARGET % "UserStory"} BIND("story-goal" AS ?rule) FILTER NOT EXISTS {{ ?this spec:goal ?g }} }}
  UNION {{ {_TARGET % "UserStory"} BIND("story-scenarios" AS ?rule)
          FILTER NOT EXISTS {{ ?this spec:acceptanceScenarios ?s }} }}
  UNION {{ {_TARGET % "UserStory"} BIND("story-covered" AS ?rule)
          MINUS {{ ?t spec:implements ?this }}
          MINUS {{ ?this spec:acceptanceScenarios ?sc . ?t2 spec:implements ?sc }}
          MINUS {{ ?f spec:hasUserStory ?this . ?t3 spec:servesEveryStory ?f }} }}
}}""",
    "scenario": f"""
SELECT ?rule ?this WHERE {{
  {_TARGET % "AcceptanceScenario"}
  VALUES (?rule ?p) {{ ("scenario-given" spec:givenContext) ("scenario-when" spec:whenAction)
                      ("scenario-then" spec:thenResult) }}
  FILTER (NOT EXISTS {{ ?this ?p ?v }}
          || EXISTS {{ ?this ?p ?v1, ?v2 FILTER (?v1 != ?v2) }}
          || EXISTS {{ ?this ?p ?v3 FILTER (!isLITERAL(?v3) || !REGEX(STR(?v3), "\\\\S")) }})
}}""",
    "scenario-story": f"""
SELECT ?rule ?this WHERE {{
  {_TARGET % "AcceptanceScenario"} BIND("scenario-story" AS ?rule)
  FILTER (NOT EXISTS {{ ?s spec:acceptanceScenarios ?this }}
          || EXISTS {{ ?s1 spec:acceptanceScenarios ?this . ?s2 spec:acceptanceScenarios ?this FILTER (?s1 != ?s2) }})
}}""",
    "plan-and-phase": f"""
SELECT DISTINCT ?rule ?this WHERE {{
  {{ {_TARGET % "Plan"} BIND("plan-phases" AS ?rule) FILTER NOT EXISTS {{ ?this spec:hasPhase ?p }} }}
  UNION {{ {_TARGET % "Plan"} BIND("plan-phases" AS ?rule) ?this spec:hasPhase ?q
          FILTER NOT EXISTS {{ ?q rdf:type/rdfs:subClassOf* spec:Phase }} }}
  UNION {{ {_TARGET % "Phase"} BIND("phase-tasks" AS ?rule) FILTER NOT EXISTS {{ ?this spec:hasTask ?t }} }}
}}""",
    "task": f"""
SELECT DISTINCT ?rule ?this WHERE {{
  {{ {_TARGET % "Task"} BIND("task-phase" AS ?rule)
    FILTER (NOT EXISTS {{ ?ph spec:hasTask ?this }}
            || EXISTS {{ ?ph1 spec:hasTask ?this . ?ph2 spec:hasTask ?this FILTER (?ph1 != ?ph2) }}) }}
  UNION {{ {_TARGET % "Task"} BIND("task-traced" AS ?rule) FILTER NOT EXISTS {{ ?this spec:implements ?i }}
          FILTER NOT EXISTS {{ ?this spec:servesFeature ?f }} FILTER NOT EXISTS {{ ?this spec:servesEveryStory ?e }} }}
  UNION {{ {_TARGET % "Task"} BIND("task-trace-target" AS ?rule) ?this spec:implements ?v
          FILTER NOT EXISTS {{ ?v rdf:type/rdfs:subClassOf* spec:UserStory }}
          FILTER NOT EXISTS {{ ?v rdf:type/rdfs:subClassOf* spec:AcceptanceScenario }}
          FILTER NOT EXISTS {{ ?v rdf:type/rdfs:subClassOf* spec:Requirement }} }}
  UNION {{ {_TARGET % "Task"} BIND("dependency-target" AS ?rule) ?this spec:dependsOn ?d
          FILTER NOT EXISTS {{ ?d rdf:type/rdfs:subClassOf* spec:Task }}
          FILTER NOT EXISTS {{ ?d rdf:type/rdfs:subClassOf* spec:Phase }} }}
}}""",
    "entity-reference": """
SELECT DISTINCT ?rule ?this WHERE {
  VALUES ?p { spec:involvesEntity spec:touchesEntity spec:managesEntity spec:relatesTo spec:instanceOf }
  ?this ?p ?v .
  FILTER NOT EXISTS { ?v rdf:type/rdfs:subClassOf* spec:Entity }
  BIND("entity-reference" AS ?rule)
}""",
    "component-reference": """
SELECT DISTINCT ?rule ?this WHERE {
  { VALUES ?p { spec:touchesComponent spec:dependsOnComponent spec:appliesTo spec:affects }
    ?this ?p ?v . FILTER NOT EXISTS { ?v rdf:type/rdfs:subClassOf* spec:Component } }
  UNION
  { ?this spec:constrains ?v .
    FILTER NOT EXISTS { ?v rdf:type/rdfs:subClassOf* spec:Component }
    FILTER NOT EXISTS { ?v rdf:type/rdfs:subClassOf* spec:Entity } }
  BIND("component-reference" AS ?rule)
}""",
    # Grouped by (property, value, namespace) first: ids such as "T0001" recur in every folder of a
    # merged corpus, and joining every node with every other node of the same id is quadratic.
    "unique-id": """
SELECT DISTINCT ?rule ?this WHERE {
  { SELECT ?p ?value ?ns WHERE {
      VALUES ?p { spec:taskId spec:storyId spec:scenarioId spec:requirementId }
      ?s ?p ?value BIND(STRBEFORE(STR(?s), "#") AS ?ns) }
    GROUP BY ?p ?value ?ns HAVING (COUNT(DISTINCT ?s) > 1) }
  ?this ?p ?value .
  FILTER (STRBEFORE(STR(?this), "#") = ?ns)
  BIND("unique-id" AS ?rule)
}""",
    "dependency-cycle": f"""
SELECT DISTINCT ?rule ?this WHERE {{
  {_TARGET % "Task"}
  ?this (spec:dependsOn | spec:hasTask | ^spec:hasTask/spec:dependsOn)+ ?this .
  BIND("dependency-cycle" AS ?rule)
}}""",
}


def check(data: Path) -> list[tuple[str, str]]:
    """(rule id, focus IRI) of every violation, query by query."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.TURTLE)
    found = []
    for query in QUERIES.values():
        for row in store.query(PREFIXES + query):
            found.append((row["rule"].value, row["this"].value))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    found = check(args.data)
    args.out.write_text("".join(f"{rule}\t{focus}\n" for rule, focus in found), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
