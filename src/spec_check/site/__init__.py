# SPDX-License-Identifier: MIT
"""`spec-check site`: a static HTML site of every spec folder, built from the check's own results.

The pipeline is the public API's: ``SpecCheck.check`` gives every folder's
result (findings, score, with the folders seeing each other's IRIs, exactly as
`check` reports them) and ``SpecCheck.load`` the graphs that the render view
models (render/views.py) are built from. This module only arranges those values
into pages; nothing here reads RDF itself.

Nothing is written here either: ``build_site`` returns every file as (relative
path, text), and the CLI writes them atomically inside ``--out``. The same
inputs give the same bytes: no clock, no absolute output path, every list in
a fixed order, JSON with sorted keys.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2

from ..errors import SpecCheckError
from ..model import CheckResult, Finding, FolderResult
from ..render.views import DocumentView, build_view, natural_key
from .graph import critical_path, cycle_nodes

STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Shipped assets copied into every site (vendor/ holds the graph library and its licences).
ASSETS = ("site.css", "site.js", "graph.js", "vendor/cytoscape.min.js", "vendor/cytoscape-dagre.min.js",
          "vendor/LICENSE-cytoscape.txt", "vendor/LICENSE-cytoscape-dagre.txt", "vendor/LICENSE-dagre.txt",
          "vendor/LICENSE-graphlib.txt", "vendor/README.md")
_SEVERITIES = ("violation", "warning", "info")


@dataclass(frozen=True)
class Placed:
    """A finding as a page shows it."""

    severity: str
    rule_id: str
    message: str
    location: str  # file:line


@dataclass
class SpecPage:
    """One spec folder: its result, its view (None when the folder could not be read) and page facts."""

    result: FolderResult
    slug: str
    doc: DocumentView | None
    trend: tuple[tuple[str, float], ...] = ()  # (report name, closure) oldest first, then this run
    by_anchor: dict[str, list[Placed]] = field(default_factory=dict)
    unplaced: list[Placed] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)  # shown id/label -> anchor
    implemented_by: dict[str, tuple[str, ...]] = field(default_factory=dict)  # requirement id -> task ids
    dependents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # task id -> ids depending on it
    in_cycle: frozenset[str] = frozenset()  # node keys on a dependency cycle
    critical: tuple[str, ...] = ()  # node keys of the critical path

    @property
    def title(self) -> str:
        return self.doc.feature.label if self.doc is not None else Path(self.result.path).name

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.result.findings if f.severity.value == s) for s in _SEVERITIES}


def collect(checker, paths: list[Path], history: list[str] | None = None) -> list[SpecPage]:
    """Check ``paths`` and build each folder's page data with ``checker`` (an api.SpecCheck).

    The pages are built in ``checker.options.jobs`` forked worker processes when
    there are several folders (each loads its folder again for the view models);
    the order of the result is the order of the check's folders either way.
    """
    result: CheckResult = checker.check(paths)
    trends = _read_history(history or [], checker, [f.path for f in result.folders])
    used: set[str] = set()
    work = [(folder, _slug(folder.path, used),
             tuple(trends.get(folder.path, ())) + ((("this run", folder.closure),) if trends else ()))
            for folder in result.folders]
    global _WORKER
    _WORKER = (checker, {r.rule_id: r for r in result.rules})
    jobs = max(1, min(checker.options.jobs, len(work)))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_page(item) for item in work]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_page, work, chunksize=1))


# (checker, rules) for _page; a forked worker inherits it.
_WORKER: tuple | None = None


def _page(item) -> SpecPage:
    folder, slug, trend = item
    checker, rules = _WORKER
    doc = index = None
    if not any(f.rule_id == "timeout" for f in folder.findings):
        loaded, view = checker.load(Path(folder.path))
        index = loaded.index
        doc = build_view(loaded.graph, view.graph, source=folder.path, result=folder, rules=rules)
    page = SpecPage(result=folder, slug=slug, doc=doc, trend=trend)
    _place(page, index)
    return page


def _slug(path: str, used: set[str]) -> str:
    """A file-name-safe, unique folder name for a spec's pages."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(path).name or path).strip(".-") or "spec"
    slug, n = base, 1
    while slug.lower() in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug.lower())
    return slug


def _read_history(entries: list, checker, folders: list[str]) -> dict[str, list[tuple[str, float]]]:
    """Closure per folder path from earlier runs, in the order given.

    Each entry is an earlier `--format json` report (a file), or else a git
    revision: each folder is then read from that revision (``REV:./path``, no
    checkout) and checked on its own with the same options; a folder that the
    revision does not have gets no point.
    """
    out: dict[str, list[tuple[str, float]]] = {}
    for entry in entries:
        path = Path(entry)
        if path.is_file():
            points = _report_points(path)
            label = path.name
        else:
            points = _revision_points(str(entry), checker, folders)
            label = str(entry)
        for folder, closure in points:
            out.setdefault(folder, []).append((label, closure))
    return out


def _report_points(path: Path) -> list[tuple[str, float]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [(str(f["path"]), float(f["closure"])) for f in data["folders"]]
    except OSError as e:
        raise SpecCheckError(f"cannot read history report ({e.strerror or e})", path=str(path)) from None
    except json.JSONDecodeError as e:
        raise SpecCheckError(f"history report is not JSON: {e.msg} (column {e.colno})", path=str(path),
                             line=e.lineno) from None
    except (KeyError, TypeError, ValueError):
        raise SpecCheckError("history report is not a `spec-check --format json` report "
                             "(needs folders[].path and folders[].closure)", path=str(path)) from None


def _revision_points(revision: str, checker, folders: list[str]) -> list[tuple[str, float]]:
    from ..diff.sources import is_revision, open_version

    if not is_revision(revision):
        raise SpecCheckError("--history takes a `--format json` report file or a git revision; "
                             "this is neither", path=revision)
    points = []
    for folder in folders:
        if Path(folder).is_absolute():
            continue  # outside the working folder: not a path git can be asked about
        try:
            with open_version(f"{revision}:./{folder}") as version:
                closure = checker.check([version.path]).folders[0].closure
        except SpecCheckError:
            continue  # the folder is not in that revision (or holds no RDF there)
        points.append((folder, closure))
    return points


def _place(page: SpecPage, index) -> None:
    """Attach each finding to the node it concerns (by its focus name, else by its line)."""
    doc = page.doc
    findings = sorted(page.result.findings,
                      key=lambda f: (-f.severity.rank, f.file, f.line, f.column, f.rule_id, f.message))
    if doc is None or index is None:
        page.unplaced = [_placed(f) for f in findings]
        return
    nodes: list[tuple[str, str]] = []  # (iri, anchor)
    for story in doc.stories:
        nodes.append((story.iri, story.node))
        page.anchors.setdefault(story.id, story.node)
        for sc in story.scenarios:
            nodes.append((sc.iri, sc.node))
            page.anchors.setdefault(sc.id, sc.node)
    for number, req in enumerate(doc.requirements, start=1):
        nodes.append((req.iri, f"req{number}"))
        page.anchors.setdefault(req.id, f"req{number}")
    for phase in doc.plan.phases:
        nodes.append((phase.iri, phase.node))
        page.anchors.setdefault(phase.label, phase.node)
    for task in doc.tasks:
        nodes.append((task.iri, task.node))
        page.anchors.setdefault(task.id, task.node)
    _links(page)
    from rdflib import BNode, URIRef

    names: dict[str, dict[str, str]] = {}
    by_line: dict[tuple[str, int], str] = {}
    for iri, anchor in nodes:
        term = BNode(iri) if iri and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) else URIRef(iri)
        file, line, _col = index.locate(term)
        by_line.setdefault((file, line), anchor)
    for f in findings:
        if f.file not in names:
            names[f.file] = {}
            for iri, anchor in nodes:
                names[f.file].setdefault(index.name(URIRef(iri), f.file), anchor)
        anchor = names[f.file].get(f.focus) if f.focus and f.focus != "[]" else None
        anchor = anchor or by_line.get((f.file, f.line))
        if anchor is None:
            page.unplaced.append(_placed(f))
        else:
            page.by_anchor.setdefault(anchor, []).append(_placed(f))


def _placed(f: Finding) -> Placed:
    return Placed(severity=f.severity.value, rule_id=f.rule_id, message=f.message,
                  location=f"{f.file}:{f.line}" if f.line else f.file)


def _links(page: SpecPage) -> None:
    """The links read the other way round, cycles and the critical path."""
    doc = page.doc
    requirement_ids = {r.id for r in doc.requirements}
    implemented: dict[str, set[str]] = {}
    dependents: dict[str, set[str]] = {}
    for task in doc.tasks:
        for name in task.implements:
            if name in requirement_ids:
                implemented.setdefault(name, set()).add(task.id)
        for name in task.depends_on:
            dependents.setdefault(name, set()).add(task.id)
    page.implemented_by = {k: tuple(sorted(v, key=natural_key)) for k, v in implemented.items()}
    page.dependents = {k: tuple(sorted(v, key=natural_key)) for k, v in dependents.items()}
    keys = [p.node for p in doc.plan.phases] + [t.node for t in doc.tasks]
    page.in_cycle = cycle_nodes(keys, doc.dependency_edges)
    stated = any(t.effort for t in doc.tasks)
    weight = {t.node: (Decimal(t.effort) if t.effort else Decimal(0)) if stated else Decimal(1) for t in doc.tasks}
    page.critical = critical_path([t.node for t in doc.tasks], weight, doc.dependency_edges, page.in_cycle)


# ----------------------------------------------------------------------------
# Pages
# ----------------------------------------------------------------------------

def json_for_script(value) -> str:
    """JSON that is safe inside <script>: no `</script>`, no `<!--`, no U+2028 surprises."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["json_script"] = lambda v: jinja2.utils.markupsafe.Markup(json_for_script(v))
    return env


def _render(env: jinja2.Environment, name: str, **context) -> str:
    try:
        text = env.get_template(name).render(**context)
    except jinja2.TemplateError as e:  # our own templates: a bug, but still one line, exit 2
        raise SpecCheckError(f"site template error: {e}", path=name) from None
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n") + "\n"


def _graph_data(page: SpecPage) -> dict:
    doc = page.doc
    critical = set(page.critical)
    critical_edges = set(zip(page.critical, page.critical[1:]))
    nodes = []
    for phase in doc.plan.phases:
        nodes.append({"id": phase.node, "label": f"Phase {phase.number}: {phase.label}", "kind": "phase",
                      "cycle": phase.node in page.in_cycle, "critical": False})
    for task in doc.tasks:
        nodes.append({"id": task.node, "label": f"{task.id} {task.label}", "kind": "task",
                      "status": "done" if task.done else (task.status or "open"),
                      "cycle": task.node in page.in_cycle, "critical": task.node in critical})
    edges = [{"source": e.source, "target": e.target,
              "cycle": e.source in page.in_cycle and e.target in page.in_cycle,
              "critical": (e.source, e.target) in critical_edges} for e in doc.dependency_edges]
    return {"nodes": nodes, "edges": edges}


def _search_entries(pages: list[SpecPage]) -> list[dict]:
    entries = []
    for page in pages:
        base = f"specs/{page.slug}/index.html"
        entries.append({"k": "spec", "t": page.title, "s": page.result.path, "u": base})
        doc = page.doc
        if doc is None:
            continue
        for story in doc.stories:
            entries.append({"k": "story", "t": f"{story.id} {story.label}", "s": page.result.path,
                            "u": f"{base}#{story.node}", "x": " ".join((story.actor, story.action, story.goal))})
            for sc in story.scenarios:
                entries.append({"k": "scenario", "t": f"{sc.id} {sc.label}", "s": page.result.path,
                                "u": f"{base}#{sc.node}", "x": " ".join((sc.given, sc.when, sc.then))})
        for number, req in enumerate(doc.requirements, start=1):
            entries.append({"k": "requirement", "t": f"{req.id} {req.label}", "s": page.result.path,
                            "u": f"{base}#req{number}", "x": req.description})
        for task in doc.tasks:
            entries.append({"k": "task", "t": f"{task.id} {task.label}", "s": page.result.path,
                            "u": f"{base}#{task.node}", "x": task.description})
    return entries


def _sparkline(trend: tuple[tuple[str, float], ...]) -> dict | None:
    """Points of a small inline SVG line (100 wide, 24 high) for the closure trend."""
    if len(trend) < 2:
        return None
    step = 100 / (len(trend) - 1)
    points = " ".join(f"{i * step:.1f},{24 - value * 0.22 - 1:.1f}" for i, (_n, value) in enumerate(trend))
    text = ", ".join(f"{name} {value:.1f}%" for name, value in trend)
    return {"points": points, "text": text}


def build_site(pages: list[SpecPage]) -> list[tuple[str, str]]:
    """Every file of the site as (path relative to --out, text), in a fixed order."""
    env = _environment()
    files: list[tuple[str, str]] = []
    totals = {s: sum(p.counts()[s] for p in pages) for s in _SEVERITIES}
    rows = [{"page": p, "counts": p.counts(), "spark": _sparkline(p.trend)} for p in pages]
    files.append(("index.html", _render(env, "index.html.j2", root=".", rows=rows, totals=totals,
                                        severities=_SEVERITIES)))
    for page in pages:
        prefix = f"specs/{page.slug}/"
        files.append((prefix + "index.html", _render(env, "spec.html.j2", root="../..", page=page,
                                                     doc=page.doc, severities=_SEVERITIES)))
        if page.doc is not None:
            files.append((prefix + "graph.html", _render(env, "graph.html.j2", root="../..", page=page,
                                                         doc=page.doc, graph=_graph_data(page))))
    index = "window.SPEC_CHECK_SEARCH = " + json_for_script(_search_entries(pages)) + ";\n"
    files.append(("assets/search-index.js", index))
    for name in ASSETS:
        files.append((f"assets/{name}", (STATIC / name).read_text(encoding="utf-8")))
    return files
