# SPDX-License-Identifier: MIT
"""Choose the site's graph library by measuring: Cytoscape.js + dagre (shipped) against Mermaid.

    python benchmarks/site_graph.py [--tasks 300]

Generates a plan of about 300 tasks with benchmarks/generate.py, builds its site with
`spec-check site`, and lays the same dependency graph out in headless Chromium (Debian's
`chromium`, through Playwright) twice: with the shipped Cytoscape.js + dagre page, and with
Mermaid's flowchart (mermaid.min.js fetched once with `npm pack mermaid` into
benchmarks/.cache/, not shipped). For each it prints the JavaScript the page must load, the
time from navigation to a drawn graph, the drawing's size, and the number of edge crossings
(edges taken as straight lines between node centres, the same count for both). Not part of
the test suite; the figures are in docs/site.md.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"


def crossings(pos: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> int:
    def ccw(a, b, c):
        return (c[1] - a[1]) * (b[0] - a[0]) - (b[1] - a[1]) * (c[0] - a[0])

    segments = [(pos[s], pos[t], s, t) for s, t in edges if s in pos and t in pos]
    count = 0
    for i, (a, b, s1, t1) in enumerate(segments):
        for c, d, s2, t2 in segments[i + 1:]:
            if {s1, t1} & {s2, t2}:
                continue  # edges sharing a node meet there, which is no crossing
            if (ccw(a, c, d) > 0) != (ccw(b, c, d) > 0) and (ccw(a, b, c) > 0) != (ccw(a, b, d) > 0):
                count += 1
    return count


def mermaid_js() -> Path:
    target = CACHE / "mermaid.min.js"
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(["npm", "pack", "mermaid", "--pack-destination", tmp], check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            with tarfile.open(Path(tmp) / out) as tar:
                member = tar.extractfile("package/dist/mermaid.min.js")
                target.write_bytes(member.read())
    return target


def mermaid_label(text: str) -> str:
    return re.sub(r'["<>#&]', " ", text)[:48]


def add_dependencies(plan: Path, seed: int) -> None:
    """Give each task up to two more prerequisites among the 20 tasks before it (a denser DAG)."""
    import random

    rng = random.Random(seed)
    ids = re.findall(r"^:(T\d+) a spec:Task", plan.read_text(), re.M)
    extra = []
    for i, task in enumerate(ids[1:], start=1):
        for before in rng.sample(ids[max(0, i - 20):i], min(i, rng.randint(0, 2))):
            extra.append(f":{task} spec:dependsOn :{before} .")
    with plan.open("a") as handle:
        handle.write("\n# added by benchmarks/site_graph.py: a denser dependency graph\n" + "\n".join(extra) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--dense", action="store_true",
                        help="add up to two random earlier prerequisites to every task (seeded)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="site-graph-"))
    # generate.py: about 49 triples and 2 tasks per story
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(work / "corpus"),
                    "--triples", str(args.tasks * 49 // 2), "--folders", "1"], check=True, capture_output=True)
    if args.dense:
        add_dependencies(next((work / "corpus" / "specs").glob("*/plan.ttl")), seed=7)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "spec_check", "site", str(work / "corpus" / "specs"), "--out",
                    str(work / "site"), "--no-cache"], check=True, capture_output=True,
                   env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    site_seconds = time.perf_counter() - started
    graph_page = next((work / "site" / "specs").glob("*/graph.html"))
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', graph_page.read_text(), re.S).group(1))
    edges = [(e["source"], e["target"]) for e in data["edges"]]
    tasks = sum(1 for n in data["nodes"] if n["kind"] == "task")

    lines = ["flowchart TD"]
    lines += [f'  {n["id"]}["{mermaid_label(n["label"])}"]' for n in data["nodes"]]
    lines += [f"  {s} --> {t}" for s, t in edges]
    mermaid_page = work / "mermaid.html"
    shutil.copy(mermaid_js(), work / "mermaid.min.js")
    mermaid_page.write_text(
        "<!DOCTYPE html><html><body><div id='out'></div><script src='mermaid.min.js'></script><script>\n"
        "mermaid.initialize({startOnLoad: false, maxEdges: 100000, maxTextSize: 10000000});\n"
        f"const text = {json.dumps(chr(10).join(lines))};\n"
        "mermaid.render('g', text).then(r => { document.getElementById('out').innerHTML = r.svg;"
        " document.body.dataset.ready = 'true'; }, e => { document.body.dataset.ready = 'error: ' + e; });\n"
        "</script></body></html>")

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        t0 = time.perf_counter()
        page.goto(graph_page.as_uri())
        page.wait_for_selector("#graph[data-ready=true]", timeout=120_000)
        seconds = time.perf_counter() - t0
        pos = page.evaluate("Object.fromEntries(window.specCheckGraph.nodes().map(n => [n.id(),"
                            " [n.position('x'), n.position('y')]]))")
        box = page.evaluate("window.specCheckGraph.elements().boundingBox()")
        js = sum((graph_page.parent / "../../assets" / f).resolve().stat().st_size
                 for f in ("vendor/cytoscape.min.js", "vendor/cytoscape-dagre.min.js", "graph.js"))
        rows.append(("Cytoscape.js 3 + cytoscape-dagre 4 (shipped)", js, seconds, box["w"], box["h"],
                     crossings({k: tuple(v) for k, v in pos.items()}, edges)))

        t0 = time.perf_counter()
        page.goto(mermaid_page.as_uri())
        page.wait_for_selector("body[data-ready]", timeout=300_000)
        seconds = time.perf_counter() - t0
        state = page.evaluate("document.body.dataset.ready")
        if state != "true":
            rows.append(("Mermaid flowchart", (work / "mermaid.min.js").stat().st_size, seconds, 0, 0, state))
        else:
            pos = page.evaluate("""Object.fromEntries([...document.querySelectorAll('g.node')].map(g => {
                const b = g.getBBox(), m = g.getCTM();
                return [g.id.replace(/^g-flowchart-|^flowchart-/, '').replace(/-\\d+$/, ''),
                        [m.e + b.x + b.width / 2, m.f + b.y + b.height / 2]]; }))""")
            size = page.evaluate("(() => { const b = document.querySelector('#out svg').getBBox();"
                                 " return [b.width, b.height]; })()")
            missing = len(data["nodes"]) - len(pos)
            assert missing == 0, f"{missing} Mermaid nodes not found in the SVG"
            rows.append(("Mermaid 11 flowchart (dagre inside)", (work / "mermaid.min.js").stat().st_size, seconds,
                         size[0], size[1], crossings({k: tuple(v) for k, v in pos.items()}, edges)))
        browser.close()

    print(f"plan: {tasks} tasks, {len(edges)} dependency edges{' (dense)' if args.dense else ''}; "
          f"`spec-check site` for it: {site_seconds:.2f} s")
    print("| library | JavaScript loaded | navigation to drawn graph | drawing (w x h px) | edge crossings |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, js, seconds, w, h, cross in rows:
        print(f"| {name} | {js / 1024:.0f} KiB | {seconds:.2f} s | {w:.0f} x {h:.0f} | {cross} |")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
