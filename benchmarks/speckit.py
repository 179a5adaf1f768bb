# SPDX-License-Identifier: MIT
"""Benchmark: check a generated spec-kit Markdown folder of N tasks (default 200).

    python benchmarks/speckit.py [--tasks 200] [--runs 7] [--keep DIR]

Writes a spec-kit folder in the shape real ones have (stories with Given/When/Then
scenarios, FR and SC ids, key entities, a data model, a plan linking its spec, and
tasks.md with Setup, Foundational, one phase per story and Polish, [P] and [USn]
labels, FR citations, file paths and dependency lines), then times, in one process
and side by side: reading the Markdown (load), and the whole check without the
cache (load + rule view + every rule), best and median of --runs. Nothing is a
timed assertion: this prints figures for docs/speckit.md. The generated folder is
checked to be closed first, so the figures are for a folder that is read fully.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def generate(folder: Path, tasks: int) -> dict:
    """Write a closed spec-kit folder with ``tasks`` tasks; return what it holds."""
    stories = max(1, tasks // 20)
    requirements = stories * 3
    folder.mkdir(parents=True, exist_ok=True)
    spec = [f"# Feature Specification: Generated feature of {tasks} tasks", "",
            f"**Feature Branch**: `{folder.name}`", "**Input**: User description: \"A generated benchmark feature.\"", "",
            "## User Scenarios & Testing *(mandatory)*", ""]
    for s in range(1, stories + 1):
        spec += [f"### User Story {s} - Capability number {s} (Priority: P{1 + (s - 1) % 3})", "",
                 f"A user wants capability {s} so that benchmark story {s} is delivered.", "",
                 f"**Independent Test**: Exercise capability {s} alone.", "", "**Acceptance Scenarios**:", ""]
        spec += [f"{n}. **Given** state {s}.{n}, **When** the user acts on capability {s} step {n}, "
                 f"**Then** outcome {s}.{n} is shown" for n in range(1, 4)]
        spec += ["", "---", ""]
    spec += ["### Edge Cases", "", "- What happens when the input is empty?", "",
             "## Requirements *(mandatory)*", "", "### Functional Requirements", ""]
    spec += [f"- **FR-{r:03d}**: System MUST provide behaviour {r}" for r in range(1, requirements + 1)]
    spec += ["", "### Key Entities", ""]
    spec += [f"- **Record {s}**: the data of capability {s}" for s in range(1, stories + 1)]
    spec += ["", "## Success Criteria *(mandatory)*", ""]
    spec += [f"- **SC-{c:03d}**: Outcome {c} within one second" for c in range(1, stories + 1)]
    (folder / "spec.md").write_text("\n".join(spec) + "\n", encoding="utf-8")
    (folder / "plan.md").write_text(
        f"# Implementation Plan: Generated feature\n\n**Branch**: `{folder.name}` | **Spec**: [spec.md](./spec.md)\n\n"
        "## Summary\n\nGenerated for the benchmark.\n", encoding="utf-8")
    model = ["# Data Model: Generated feature", ""]
    for s in range(1, stories + 1):
        model += [f"### Record{s}", "", f"- **id** (int): key of record {s}", ""]
    (folder / "data-model.md").write_text("\n".join(model), encoding="utf-8")
    lines = [f"# Tasks: Generated feature of {tasks} tasks", "", "## Format: `[ID] [P?] [Story] Description`", "",
             "- **[P]**: Can run in parallel", "", "## Phase 1: Setup (Shared Infrastructure)", ""]
    number = 0

    def task(text: str, label: str = "", parallel: bool = False) -> None:
        nonlocal number
        number += 1
        mark = "x" if number % 3 == 0 else " "
        tags = (" [P]" if parallel else "") + (f" [{label}]" if label else "")
        depends = f" (depends on T{number - 1:03d})" if number > 1 and number % 5 == 0 else ""
        lines.append(f"- [{mark}] T{number:03d}{tags} {text} in `src/module_{number}.py`{depends}")

    shared = max(2, tasks // 10)
    for _ in range(shared):
        task("Prepare shared infrastructure", parallel=True)
    lines += ["", "## Phase 2: Foundational (Blocking Prerequisites)", ""]
    for _ in range(shared):
        task("Build a foundation piece")
    per_story = (tasks - 3 * shared) // stories
    cited = 0
    for s in range(1, stories + 1):
        lines += ["", f"## Phase {s + 2}: User Story {s} - Capability number {s} (Priority: P1)", ""]
        count = per_story + (1 if s <= (tasks - 3 * shared) % stories else 0)
        for k in range(count):
            fr = f" (FR-{cited + 1:03d})" if k < 3 and cited < requirements else ""
            cited += 1 if fr else 0
            task(f"Implement part {k + 1} of capability {s}{fr}", label=f"US{s}", parallel=k % 2 == 0)
    lines += ["", f"## Phase {stories + 3}: Polish & Cross-Cutting Concerns", ""]
    while number < tasks:
        task("Polish the feature", parallel=True)
    lines += ["", "## Dependencies & Execution Order", "", "- T001 → T002 → T003", ""]
    (folder / "tasks.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"tasks": number, "stories": stories, "scenarios": stories * 3, "requirements": requirements}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the folder here instead of a temporary folder")
    args = parser.parse_args()

    from spec_check.api import SpecCheck
    from spec_check.load import discover, load_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = (args.keep or Path(tmp)) / "001-generated-feature"
        made = generate(folder, args.tasks)
        checker = SpecCheck()
        first = checker.check([folder])  # also parses shapes and ontology once, as a long run would
        [result] = first.folders
        print(f"generated {made}; check: closure {result.closure}%, {len(result.findings)} findings, "
              f"{result.triples:,} triples")
        # The same graph as Turtle (spec-check convert), checked side by side for comparison.
        from spec_check.convert import to_turtle

        loaded = load_folder(discover([folder])[0])
        turtle = folder.parent / "turtle" / folder.name
        turtle.mkdir(parents=True)
        for name, text in to_turtle(loaded.graph, {"": next(iter(loaded.index.prefixes_by_file.values()))[""]}).items():
            (turtle / name).write_text(text, encoding="utf-8")
        loads, checks, turtle_checks = [], [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            load_folder(discover([folder])[0])
            loads.append(time.perf_counter() - started)
            started = time.perf_counter()
            checker.check([folder])
            checks.append(time.perf_counter() - started)
            started = time.perf_counter()
            checker.check([turtle])
            turtle_checks.append(time.perf_counter() - started)
        for name, times in (("read the Markdown (load)", loads), ("whole check, no cache", checks),
                            ("same graph as Turtle, check", turtle_checks)):
            print(f"{name:28s} best {min(times) * 1000:7.1f} ms   median {statistics.median(times) * 1000:7.1f} ms"
                  f"   ({args.runs} runs)")


if __name__ == "__main__":
    main()
