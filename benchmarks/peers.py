# SPDX-License-Identifier: MIT
"""Run one SHACL validator from the package index on a data file, the way its users call it.

    python benchmarks/peers.py TOOL DATA.ttl SHAPES.ttl --out RESULTS.tsv

TOOL is one of shacl-rust, pyshifty, pyrudof, shacl. Writes one line per validation result,
`focus<TAB>source shape`, both as IRIs (a blank node as `_:label`), to --out. benchmarks/run.py
times this whole process (Python's start, the import, parsing data and shapes, validating,
writing the results) and maps each source shape back to a spec-check rule id.

Each tool gets the same shapes file (benchmarks/run.py merges shapes/*.ttl and
benchmarks/pyshacl-sparql-shapes.ttl), except where a tool cannot read a shape as written:
see adapt_shapes() for the one rewrite, its reason, and why it checks the same thing.
Not part of spec-check; needs the `bench` extra (pip install 'rdf-spec-check[bench]').
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TOOLS = ("shacl-rust", "pyshifty", "pyrudof", "shacl")


def _iri(term: str) -> str:
    """`<iri>` or `iri` -> `iri`; blank nodes stay `_:label`."""
    term = term.strip()
    return term[1:-1] if term.startswith("<") and term.endswith(">") else term


def run_shacl_rust(data: Path, shapes: Path) -> list[tuple[str, str]]:
    import shacl_rust

    report = shacl_rust.validate_file(str(data), str(shapes))
    return [(_iri(r["focusNode"]), _iri(r.get("sourceShape") or "")) for r in report["results"]]


def run_pyshifty(data: Path, shapes: Path) -> list[tuple[str, str]]:
    # The W3C report path (what shifty.validate uses), read as N-Triples rather than through the
    # rdflib graph shifty.validate builds from it: the cheapest public-equivalent route that still
    # names each result's source shape (validate_algebra names only the top-level node shape).
    import re

    import shifty

    # Positional, as shifty.validate() calls it: (data, data path, format, shapes, shapes path, format,
    # graph_mode, shape_names, infer, minimum_severity, sort_results, on_unsupported, base, in_place).
    result = shifty._validate_w3c(None, str(data.resolve()), "turtle", None, str(shapes.resolve()), "turtle",
                                  "union", None, False, "info", False, "error", None, False)
    for message in result.diagnostics:
        print(f"pyshifty: {message}", file=sys.stderr)
    triple = re.compile(r"^(\S+) <http://www\.w3\.org/ns/shacl#(focusNode|sourceShape)> (\S+) \.$")
    focus: dict[str, str] = {}
    shape: dict[str, str] = {}
    for line in result._report_ntriples.splitlines():
        m = triple.match(line)
        if m:
            (focus if m.group(2) == "focusNode" else shape)[m.group(1)] = _iri(m.group(3))
    return [(focus[r], shape.get(r, "")) for r in focus]


def run_pyrudof(data: Path, shapes: Path) -> list[tuple[str, str]]:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(data), reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_shacl(str(shapes), reader_mode=pyrudof.ReaderMode.Strict)
    report = rudof.validate_shacl()
    return [(_iri(v.focus_node), _iri(v.source_shape or "")) for v in report]


def run_shacl(data: Path, shapes: Path) -> list[tuple[str, str]]:
    import shacl

    compiled = shacl.Shapes.from_file(str(shapes))
    report = compiled.validate_file(str(data))
    # root_shape: the nearest named shape (a nested sh:property [ ... ] is a blank node here).
    return [(_iri(r.focus_node), _iri(r.root_shape or r.source_shape or "")) for r in report.results]


RUNNERS = {"shacl-rust": run_shacl_rust, "pyshifty": run_pyshifty, "pyrudof": run_pyrudof, "shacl": run_shacl}


def adapt_shapes(tool: str, text: str) -> str:
    """The shapes text as ``tool`` can read it.

    shacl-rust 0.2.12 refuses a sequence path inside an alternative path ("Could not parse
    path element"), which story-covered uses (tasks that implement the story, or one of its
    scenarios, or serve every story of its feature). For shacl-rust only, story-covered is
    written as the equivalent node shape: at least one value along one of the three paths
    (sh:or of three sh:minCount 1), with the same IRI and targets, so the same rule, the same
    focus nodes and the same violations. Every other tool reads the shapes as written.
    """
    if tool != "shacl-rust":
        return text
    import re

    start = text.index("sc:StoryCovered a sh:PropertyShape ;")
    end = text.index("sh:minCount 1 ;", start) + len("sh:minCount 1 ;")
    rewritten = """sc:StoryCovered a sh:NodeShape ;
    sh:targetClass spec:UserStory ;
    sh:or (
        [ sh:path [ sh:inversePath spec:implements ] ; sh:minCount 1 ]
        [ sh:path ( spec:acceptanceScenarios [ sh:inversePath spec:implements ] ) ; sh:minCount 1 ]
        [ sh:path ( [ sh:inversePath spec:hasUserStory ] [ sh:inversePath spec:servesEveryStory ] ) ; sh:minCount 1 ]
    ) ;"""
    text = text[:start] + rewritten + text[end:]
    # The user-story node shape no longer holds it as a property shape.
    text, n = re.subn(r"(sh:property sc:StoryPriority, sc:StoryGoal, sc:StoryScenarios), sc:StoryCovered",
                      r"\1", text)
    if n != 1:
        raise SystemExit("peers.py: shapes/closure.ttl changed; update adapt_shapes() for shacl-rust")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tool", choices=TOOLS)
    parser.add_argument("data", type=Path)
    parser.add_argument("shapes", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    results = RUNNERS[args.tool](args.data, args.shapes)
    args.out.write_text("".join(f"{focus}\t{shape}\n" for focus, shape in results), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
