# SPDX-License-Identifier: MIT
"""Does each hand-made rdflib mirror still pay for itself? Measured side by side (issue 13).

    python benchmarks/mirrors.py [--triples 100000 --folders 30 --repeat 3]

On one synthetic corpus (benchmarks/generate.py), alternating within each repetition:

* reading every spec file: load/fast_turtle.py (triples + positions), rdflib's Turtle parser
  extended for positions (load/parse.py, the reason for the rdflib<8 pin), plain rdflib
  Graph.parse (no positions), pyoxigraph.parse (no positions);
* a whole check in this process (no cache) with graph.py's SpecGraph, and with the same code on
  rdflib's own SimpleMemory store (SpecGraph swapped out).

Prints medians in seconds. Not part of the test suite; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import generate  # noqa: E402


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--folders", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import pyoxigraph
    from rdflib import Graph

    import spec_check.graph as graph_module
    import spec_check.infer as infer_module
    import spec_check.load.folder as folder_module
    from spec_check.api import CheckOptions, SpecCheck
    from spec_check.load import parse as parse_module

    class PlainGraph(Graph):
        """rdflib's own SimpleMemory store, with the one helper the code calls on SpecGraph."""

        def __init__(self, *a, **k):
            super().__init__(store="SimpleMemory", *a, **k)

        def copy_triples(self, without=frozenset()):
            copy = PlainGraph()
            for t in self:
                if t not in without:
                    copy.add(t)
            return copy

    with tempfile.TemporaryDirectory() as tmp:
        generate.generate(Path(tmp), triples=args.triples, folders=args.folders, seed=7)
        specs = Path(tmp) / "specs"
        files = sorted(specs.rglob("*.ttl"))
        texts = [(p, p.read_text(encoding="utf-8")) for p in files]

        def read_fast():
            for p, t in texts:
                assert parse_module._parse_turtle_fast(p, t) is not None

        def read_rdflib_positions():
            for p, t in texts:
                parse_module.parse_turtle_with_rdflib(p, t)

        def read_rdflib_plain():
            for p, t in texts:
                Graph().parse(data=t, format="turtle")

        def read_oxigraph():
            for p, t in texts:
                list(pyoxigraph.parse(t, format=pyoxigraph.RdfFormat.TURTLE))

        def check_with(graph_class):
            # graph.py's own helpers test isinstance(graph, SpecGraph): a PlainGraph takes rdflib's way.
            saved = folder_module.SpecGraph, infer_module.SpecGraph
            folder_module.SpecGraph = infer_module.SpecGraph = graph_class
            try:
                return SpecCheck(CheckOptions(jobs=1)).check([specs])
            finally:
                folder_module.SpecGraph, infer_module.SpecGraph = saved

        runs = {
            "read: fast_turtle.py (positions)": read_fast,
            "read: rdflib parser subclass (positions)": read_rdflib_positions,
            "read: rdflib Graph.parse (no positions)": read_rdflib_plain,
            "read: pyoxigraph.parse (no positions)": read_oxigraph,
            "check: SpecGraph (graph.py)": lambda: check_with(saved_spec_graph),
            "check: rdflib SimpleMemory": lambda: check_with(PlainGraph),
        }
        saved_spec_graph = graph_module.SpecGraph
        same = check_with(saved_spec_graph).folders == check_with(PlainGraph).folders
        times: dict = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, action in runs.items():
                times[name].append(_timed(action))
        print(f"{args.triples} triples, {args.folders} folders, {len(files)} files; median of {args.repeat}")
        for name, values in times.items():
            print(f"| {name} | {statistics.median(values):.2f} s |")
        print(f"same result with both graphs: {same}")


if __name__ == "__main__":
    main()
