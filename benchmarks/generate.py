# SPDX-License-Identifier: MIT
"""Generate a synthetic spec corpus in our vocabulary, with a known set of planted defects.

    python benchmarks/generate.py OUT --triples 100000 --folders 30 --seed 7

writes OUT/specs/<folder>/{feature,plan,entities,architecture}.ttl (what spec-check
checks), OUT/merged.ttl (every folder's triples in one Turtle file, what the
pyshacl command line validates) and OUT/manifest.json: the parameters, the
triple count, and every planted defect with the findings spec-check must report
for it (rule id, folder, focus as spec-check names it, and the focus IRI).

Everything else in a folder is closed, so the planted findings are exactly the
findings. Links are written as repeated objects (not RDF lists) so that
pySHACL, which does not normalise lists, sees the same data as spec-check.
The same arguments always give byte-identical files (one seeded random.Random,
no clocks, no set iteration).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

# What each defect does and the findings it produces (see _plant()).
DEFECT_KINDS = (
    "missing-priority",      # a story without spec:priority        -> story-priority on the story
    "orphan-scenario",       # a scenario no story lists             -> scenario-story on the scenario
    "task-without-phase",    # a task no phase holds                 -> task-phase on the task
    "dangling-dependency",   # spec:dependsOn an undefined task      -> dependency-target on the task
    "dependency-cycle",      # two tasks depending on each other     -> dependency-cycle on both
    "duplicate-task-id",     # two tasks with the same spec:taskId   -> unique-id on both
)

PREFIXES = """@prefix spec: <https://ggen.dev/spec#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <{ns}> .
"""

# Roughly the triples one story brings with it (story, 3 scenarios, 2 tasks,
# an entity, a component); used only to size folders.
TRIPLES_PER_STORY = 49
STORIES_PER_PHASE = 5
WORDS = ("build", "cache", "index", "graph", "parse", "render", "link", "query", "report", "shape",
         "folder", "rule", "task", "phase", "story", "profile", "binary", "memory", "release", "test")
ACTORS = ("developer", "maintainer", "release engineer", "reviewer", "operator")


@dataclass
class Story:
    local: str
    priority: str | None
    scenarios: list[str]
    entity: str


@dataclass
class Task:
    local: str
    task_id: str
    implements: str
    depends_on: list[str] = field(default_factory=list)
    in_phase: bool = True


@dataclass
class Folder:
    name: str
    ns: str
    stories: list[Story]
    tasks: list[Task]
    orphans: list[str] = field(default_factory=list)


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _build_folder(index: int, stories: int, rng: random.Random) -> Folder:
    name = f"{index + 1:04d}-synthetic-spec"
    ns = f"https://example.org/bench/{name}#"
    folder = Folder(name=name, ns=ns, stories=[], tasks=[])
    task_number = 0
    for s in range(1, stories + 1):
        scen = [f"US{s}_S{k}" for k in (1, 2, 3)]
        folder.stories.append(Story(local=f"US{s}", priority=rng.choice(("P1", "P2", "P3")),
                                    scenarios=scen, entity=f"E{s}"))
        for target in (f"US{s}", scen[0]):
            task_number += 1
            local = f"T{task_number:04d}"
            # A chain: every task depends on the one before it (acyclic by construction).
            deps = [f"T{task_number - 1:04d}"] if task_number > 1 else []
            folder.tasks.append(Task(local=local, task_id=local, implements=target, depends_on=deps))
    return folder


def _plant(folders: list[Folder], per_kind: int, rng: random.Random) -> list[dict]:
    """Plant ``per_kind`` defects of each kind on distinct nodes; return the expected findings."""
    expected: list[dict] = []
    used: dict[str, set] = {f.name: set() for f in folders}

    def finding(folder: Folder, rule: str, local: str, kind: str, value: str = "") -> dict:
        return {"kind": kind, "folder": folder.name, "rule_id": rule, "focus": f":{local}",
                "focus_iri": folder.ns + local, "value": value}

    def pick_tasks(folder: Folder, count: int) -> list[int] | None:
        # `count` consecutive tasks, none used by another defect, not next to one
        # (a cycle or a duplicate id must not touch another defect's task).
        n = len(folder.tasks)
        starts = list(range(1, n - count))
        rng.shuffle(starts)
        for start in starts:
            window = range(start - 1, start + count + 1)
            if not any(i in used[folder.name] for i in window):
                used[folder.name].update(window)
                return list(range(start, start + count))
        return None

    for kind in DEFECT_KINDS:
        for _ in range(per_kind):
            order = list(range(len(folders)))
            rng.shuffle(order)
            for fi in order:
                folder = folders[fi]
                if kind == "missing-priority":
                    free = [s for s in folder.stories if s.priority is not None]
                    if not free:
                        continue
                    story = rng.choice(free)
                    story.priority = None
                    expected.append(finding(folder, "story-priority", story.local, kind))
                elif kind == "orphan-scenario":
                    local = f"Orphan{len(folder.orphans) + 1}"
                    folder.orphans.append(local)
                    expected.append(finding(folder, "scenario-story", local, kind))
                elif kind == "task-without-phase":
                    picked = pick_tasks(folder, 1)
                    if picked is None:
                        continue
                    task = folder.tasks[picked[0]]
                    task.in_phase = False
                    expected.append(finding(folder, "task-phase", task.local, kind))
                elif kind == "dangling-dependency":
                    picked = pick_tasks(folder, 1)
                    if picked is None:
                        continue
                    task = folder.tasks[picked[0]]
                    missing = f"T{9000 + picked[0]:04d}Missing"
                    task.depends_on.append(missing)
                    expected.append(finding(folder, "dependency-target", task.local, kind, f":{missing}"))
                elif kind == "dependency-cycle":
                    picked = pick_tasks(folder, 2)
                    if picked is None:
                        continue
                    first, second = folder.tasks[picked[0]], folder.tasks[picked[1]]
                    first.depends_on.append(second.local)  # second already depends on first
                    expected.append(finding(folder, "dependency-cycle", first.local, kind))
                    expected.append(finding(folder, "dependency-cycle", second.local, kind))
                elif kind == "duplicate-task-id":
                    picked = pick_tasks(folder, 2)
                    if picked is None:
                        continue
                    first, second = folder.tasks[picked[0]], folder.tasks[picked[1]]
                    second.task_id = first.task_id
                    expected.append(finding(folder, "unique-id", first.local, kind, first.task_id))
                    expected.append(finding(folder, "unique-id", second.local, kind, first.task_id))
                break
            else:
                raise SystemExit(f"generate: no room to plant {kind!r}; use more triples or fewer defects")
    return sorted(expected, key=lambda e: (e["folder"], e["rule_id"], e["focus"]))


def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid Turtle string here


def _files(folder: Folder, rng: random.Random) -> dict[str, list[str]]:
    feature = [PREFIXES.format(ns=folder.ns)]
    plan = [PREFIXES.format(ns=folder.ns)]
    entities = [PREFIXES.format(ns=folder.ns)]
    architecture = [PREFIXES.format(ns=folder.ns)]
    stories = ", ".join(f":{s.local}" for s in folder.stories)
    feature.append(f":Feature a spec:Feature ;\n    rdfs:label {_lit('Synthetic feature ' + folder.name)} ;\n"
                   f"    rdfs:comment {_lit(_text(rng, 12))} ;\n    spec:hasUserStory {stories} ;\n"
                   "    spec:hasRequirement :FR1 .\n")
    feature.append(f":FR1 a spec:Requirement ;\n    rdfs:label {_lit('Requirement of ' + folder.name)} .\n")
    for s in folder.stories:
        lines = [f":{s.local} a spec:UserStory", f"spec:storyId {_lit(s.local)}",
                 f"rdfs:label {_lit('Story ' + s.local + ': ' + _text(rng, 3))}",
                 f"spec:actor {_lit(rng.choice(ACTORS))}", f"spec:goal {_lit(_text(rng, 6))}"]
        if s.priority is not None:
            lines.append(f"spec:priority {_lit(s.priority)}")
        lines.append("spec:acceptanceScenarios " + ", ".join(f":{x}" for x in s.scenarios))
        lines.append(f"spec:involvesEntity :{s.entity}")
        feature.append(" ;\n    ".join(lines) + " .\n")
        for x in s.scenarios:
            feature.append(_scenario(x, rng))
    for x in folder.orphans:
        feature.append(_scenario(x, rng))
    phases = [folder.tasks[i:i + 2 * STORIES_PER_PHASE] for i in range(0, len(folder.tasks), 2 * STORIES_PER_PHASE)]
    plan.append(f":Plan a spec:Plan ;\n    rdfs:label {_lit('Plan of ' + folder.name)} ;\n"
                "    spec:forFeature :Feature ;\n    spec:hasPhase " + ", ".join(f":Phase{i + 1}" for i in range(len(phases))) + " .\n")
    for i, members in enumerate(phases):
        held = [t for t in members if t.in_phase]
        lines = [f":Phase{i + 1} a spec:Phase", f"rdfs:label {_lit(f'Phase {i + 1}')}", f"spec:order {i + 1}"]
        if held:
            lines.append("spec:hasTask " + ", ".join(f":{t.local}" for t in held))
        plan.append(" ;\n    ".join(lines) + " .\n")
        for t in members:
            story = t.implements.split("_")[0]
            entity = "E" + story[2:]
            lines = [f":{t.local} a spec:Task", f"spec:taskId {_lit(t.task_id)}",
                     f"rdfs:label {_lit('Task ' + t.local + ': ' + _text(rng, 4))}",
                     f"spec:implements :{t.implements}",
                     f"spec:touchesEntity :{entity}", f"spec:touchesComponent :C{story[2:]}"]
            if t.depends_on:
                lines.append("spec:dependsOn " + ", ".join(f":{d}" for d in t.depends_on))
            plan.append(" ;\n    ".join(lines) + " .\n")
    for s in folder.stories:
        n = s.entity[1:]
        entities.append(f":{s.entity} a spec:Entity ;\n    rdfs:label {_lit('Entity ' + n)} ;\n"
                        f"    rdfs:comment {_lit(_text(rng, 8))} .\n")
        architecture.append(f":C{n} a spec:Component ;\n    rdfs:label {_lit('Component ' + n)} ;\n"
                            f"    spec:managesEntity :{s.entity} .\n")
    return {"feature.ttl": feature, "plan.ttl": plan, "entities.ttl": entities,
            "architecture.ttl": architecture}


def _scenario(local: str, rng: random.Random) -> str:
    return (f":{local} a spec:AcceptanceScenario ;\n    spec:scenarioId {_lit(local)} ;\n"
            f"    spec:givenContext {_lit('given ' + _text(rng, 4))} ;\n"
            f"    spec:whenAction {_lit('when ' + _text(rng, 3))} ;\n"
            f"    spec:thenResult {_lit('then ' + _text(rng, 4))} .\n")


def generate(out: Path, triples: int, folders: int, seed: int, defects_per_kind: int = 1) -> dict:
    """Write the corpus under ``out`` and return its manifest (also written as manifest.json)."""
    if folders < 1 or triples < folders * TRIPLES_PER_STORY * 2:
        raise SystemExit("generate: need at least one folder and about 100 triples per folder")
    rng = random.Random(seed)
    per_folder = triples // folders
    built = []
    for i in range(folders):
        stories = max(2, round((per_folder - 20) / TRIPLES_PER_STORY))
        built.append(_build_folder(i, stories, rng))
    expected = _plant(built, defects_per_kind, rng)
    specs = out / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    merged: list[str] = []
    for folder in built:
        target = specs / folder.name
        target.mkdir(exist_ok=True)
        for name, chunks in _files(folder, rng).items():
            text = "\n".join(chunks)
            (target / name).write_text(text, encoding="utf-8")
            merged.append(f"# {folder.name}/{name}\n{text}")
    (out / "merged.ttl").write_text("\n".join(merged), encoding="utf-8")
    count = _count_triples(out / "merged.ttl")
    manifest = {
        "generator": "benchmarks/generate.py",
        "seed": seed, "requested_triples": triples, "folders": folders,
        "defects_per_kind": defects_per_kind, "triples": count,
        "namespaces": {f.name: f.ns for f in built},
        "expected_findings": expected,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def _count_triples(path: Path) -> int:
    """Count triples exactly, with pyoxigraph when present (fast), else rdflib."""
    try:
        import pyoxigraph

        with path.open("rb") as f:
            return sum(1 for _ in pyoxigraph.parse(f, format=pyoxigraph.RdfFormat.TURTLE))
    except ImportError:
        from rdflib import Graph

        return len(Graph().parse(path, format="turtle"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write the corpus into (created)")
    parser.add_argument("--triples", type=int, default=10_000, help="about how many triples in all")
    parser.add_argument("--folders", type=int, default=3, help="how many spec folders")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same bytes)")
    parser.add_argument("--defects-per-kind", type=int, default=1,
                        help="how many defects of each kind to plant: " + ", ".join(DEFECT_KINDS))
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.triples, args.folders, args.seed, args.defects_per_kind)
    print(f"{args.out}: {manifest['folders']} folders, {manifest['triples']} triples, "
          f"{len(manifest['expected_findings'])} planted findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
