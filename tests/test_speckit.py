# SPDX-License-Identifier: MIT
"""spec-kit Markdown folders as input (load/speckit.py, shapes/speckit.ttl).

The six real folders under tests/speckit/corpus/ are read with the counts a person
gets by reading them (written here from reading the files, not from the reader's
output), and give exactly the findings in tests/speckit/corpus-findings.txt. The
self-written variant cases (tests/cases/speckit-variant-*) carry their hand count
in counts.toml beside the files.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from rdflib import RDF, RDFS

from conftest import CASES, ROOT, SPEC_008, SPECKIT_BASE, run_cli
from spec_check.load import discover, load_folder
from spec_check.vocab import SPEC

CORPUS = ROOT / "tests" / "speckit" / "corpus"

# Hand counts from reading each folder's spec.md and tasks.md: user stories; acceptance
# scenarios (numbered Given/When/Then items); FR ids; SC ids; tasks (checkbox lines with a
# T id, the legend and fenced examples excluded); tasks carrying a [USn] label.
CORPUS_COUNTS = {
    "steep/009-log-viewer": dict(stories=4, scenarios=21, requirements=24, success_criteria=8,
                                 tasks=62, labelled_tasks=46),
    "akon/004-fix-vpn-off": dict(stories=3, scenarios=8, requirements=10, success_criteria=6,
                                 tasks=25, labelled_tasks=16),
    "hypoth-ui/013-defer-governance": dict(stories=4, scenarios=11, requirements=13, success_criteria=8,
                                           tasks=20, labelled_tasks=14),
    "FinRatioAnalysis/001-mcp-server": dict(stories=3, scenarios=8, requirements=15, success_criteria=5,
                                            tasks=64, labelled_tasks=35),
    "Audio-Trimmer/001-audio-trim-sim": dict(stories=3, scenarios=6, requirements=9, success_criteria=6,
                                             tasks=22, labelled_tasks=13),
    "Sorcha/033-fix-wallet-dashboard-bugs": dict(stories=2, scenarios=8, requirements=10, success_criteria=6,
                                                 tasks=36, labelled_tasks=21),
}


def counts(folder: Path) -> dict:
    [found] = discover([folder])
    graph = load_folder(found).graph

    def n(cls):
        return len(set(graph.subjects(RDF.type, cls)))

    tasks = set(graph.subjects(RDF.type, SPEC.Task))
    return dict(
        stories=n(SPEC.UserStory), scenarios=n(SPEC.AcceptanceScenario), requirements=n(SPEC.Requirement),
        success_criteria=n(SPEC.SuccessCriterion), tasks=len(tasks),
        labelled_tasks=sum(1 for t in tasks if (t, SPEC.storyLabel, None) in graph),
        phases=n(SPEC.Phase), dependencies=len(list(graph.triples((None, SPEC.dependsOn, None)))),
        entities=n(SPEC.Entity), edge_cases=n(SPEC.EdgeCase),
    )


@pytest.mark.parametrize("name", sorted(CORPUS_COUNTS))
def test_corpus_folder_is_read_with_the_hand_counts(name):
    got = counts(CORPUS / name)
    assert {k: got[k] for k in CORPUS_COUNTS[name]} == CORPUS_COUNTS[name]


def test_corpus_findings_are_the_reviewed_ones():
    run = run_cli([CORPUS, "--no-color", "--no-cache"])
    assert run.exit_code == 0, run.stdout  # warnings only
    prefix = "tests/speckit/corpus/"
    lines = sorted(line.split(prefix, 1)[-1] for line in run.stdout.splitlines() if ": [" in line)
    expected = sorted((ROOT / "tests" / "speckit" / "corpus-findings.txt").read_text(encoding="utf-8").splitlines())
    assert lines == expected


def _variant_cases():
    return sorted(p for p in CASES.iterdir() if (p / "counts.toml").is_file())


@pytest.mark.parametrize("case", _variant_cases(), ids=lambda p: p.name)
def test_variant_case_is_read_with_its_hand_count(case, tmp_path):
    from test_cases import assemble, read_case

    folder = assemble(case, read_case(case), tmp_path)
    with open(case / "counts.toml", "rb") as fh:
        expected = tomllib.load(fh)
    got = counts(folder)
    assert {k: got[k] for k in expected} == expected


def _speckit_copy(tmp_path: Path, name: str = "001-photo-albums") -> Path:
    folder = tmp_path / name
    shutil.copytree(SPECKIT_BASE, folder)
    return folder


def test_nodes_are_located_in_the_markdown(tmp_path):
    folder = _speckit_copy(tmp_path)
    [found] = discover([folder])
    loaded = load_folder(found)
    ns = next(iter(loaded.index.prefixes_by_file.values()))[""]
    where = {local: loaded.index.locate(__import__("rdflib").URIRef(ns + local))
             for local in ("feature", "US2", "US1-S2", "FR-003", "SC-002", "T005", "phase-4")}
    shown = {k: (Path(f).name, line, col) for k, (f, line, col) in where.items()}
    assert shown == {
        "feature": ("spec.md", 1, 1), "US2": ("spec.md", 31, 5), "US1-S2": ("spec.md", 27, 1),
        "FR-003": ("spec.md", 58, 5), "SC-002": ("spec.md", 70, 5), "T005": ("tasks.md", 30, 7),
        "phase-4": ("tasks.md", 34, 4),
    }


def test_fenced_examples_checklist_items_and_legend_lines_are_no_tasks(tmp_path):
    folder = _speckit_copy(tmp_path)
    [found] = discover([folder])
    graph = load_folder(found).graph
    ids = sorted(str(o) for o in graph.objects(None, SPEC.taskId))
    assert ids == [f"T00{n}" for n in range(1, 9)]  # not T009 (fence) nor T010 (checklist)
    assert not list(graph.subjects(RDF.type, SPEC.ClarificationMarker))  # the checklist's marker


def test_a_folder_of_rendered_documents_is_no_speckit_folder(tmp_path):
    # specs/008's docs/ holds spec.md, plan.md and tasks.md rendered by spec-check itself.
    shutil.copytree(SPEC_008, tmp_path / "specs" / "008")
    folders = discover([tmp_path / "specs"])
    assert [f.path.name for f in folders] == ["008"]


def test_mixed_repository_checks_both_kinds(tmp_path):
    specs = tmp_path / "specs"
    shutil.copytree(SPEC_008, specs / "008-build-optimization-complete")
    _speckit_copy(specs)
    run = run_cli([specs, "--no-color", "--no-cache", "--format", "json"])
    assert run.exit_code == 0, run.stdout + run.stderr
    data = json.loads(run.stdout)
    by_name = {Path(f["path"]).name: f for f in data["folders"]}
    assert sorted(by_name) == ["001-photo-albums", "008-build-optimization-complete"]
    assert all(Path(p).suffix == ".md" for p in by_name["001-photo-albums"]["files"])


def _broken(tmp_path: Path) -> Path:
    folder = _speckit_copy(tmp_path)
    tasks = folder / "tasks.md"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("- [ ] T008 [P] Document", "- [ ] T008 [P] [US3] Document"),
                     encoding="utf-8")
    return folder


def test_ci_formats_point_into_the_markdown(tmp_path):
    folder = _broken(tmp_path)
    sarif = run_cli([folder, "--no-cache", "--format", "sarif"])
    assert sarif.exit_code == 1
    [result] = json.loads(sarif.stdout)["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("001-photo-albums/tasks.md")
    assert (location["region"]["startLine"], location["region"]["startColumn"]) == (43, 16)
    github = run_cli([folder, "--no-cache", "--format", "github"])
    assert "tasks.md,line=43,col=16,title=task-trace-target::" in github.stdout
    junit = run_cli([folder, "--no-cache", "--format", "junit"])
    assert "tasks.md:43:16" in junit.stdout


def test_baseline_works_on_speckit_folders(tmp_path):
    folder = _broken(tmp_path)
    baseline = tmp_path / "baseline.json"
    written = run_cli([folder, "--no-cache", "--write-baseline", baseline])
    assert written.exit_code == 0 and "wrote 1 finding(s)" in written.stderr + written.stdout
    tasks = folder / "tasks.md"  # lines move: the finding is still the same one
    tasks.write_text("\n\n" + tasks.read_text(encoding="utf-8"), encoding="utf-8")
    run = run_cli([folder, "--no-cache", "--no-color", "--baseline", baseline])
    assert run.exit_code == 0, run.stdout


def test_query_and_cache_work_on_speckit_folders(tmp_path):
    folder = _speckit_copy(tmp_path)
    query = run_cli(["query", folder, "SELECT ?id WHERE { ?t spec:storyLabel \"US2\" ; spec:taskId ?id }"])
    assert query.exit_code == 0, query.stderr
    assert query.stdout.split() == ["?id", "----", "T006", "T007", "(2", "rows)"]
    cache = tmp_path / "cache"
    first = run_cli([folder, "--no-color"], env={"SPEC_CHECK_CACHE_DIR": str(cache)})
    second = run_cli([folder, "--no-color"], env={"SPEC_CHECK_CACHE_DIR": str(cache)})
    assert first.stdout == second.stdout and first.exit_code == second.exit_code == 0
    assert any(cache.rglob("*")), "the cache was not written"
    spec = folder / "spec.md"  # a change to the Markdown is seen, not answered from the cache
    spec.write_text(spec.read_text(encoding="utf-8").replace("`001-photo-albums`", "`009-x`"), encoding="utf-8")
    third = run_cli([folder, "--no-color"], env={"SPEC_CHECK_CACHE_DIR": str(cache)})
    assert "(feature-branch)" in third.stdout


def test_diff_of_two_speckit_versions(tmp_path):
    old = _speckit_copy(tmp_path / "old")
    new = _speckit_copy(tmp_path / "new")
    tasks = new / "tasks.md"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(
        "- [ ] T008 [P] Document albums in `docs/albums.md`",
        "- [ ] T008 [P] Document albums in `docs/albums.md`\n- [ ] T009 [US1] Show album covers"), encoding="utf-8")
    run = run_cli(["diff", old, new])
    assert run.exit_code in (0, 1), run.stderr
    assert "+ :T009" in run.stdout and "Show album covers" in run.stdout


def test_bad_markdown_never_breaks_the_reader(tmp_path):
    folder = tmp_path / "005-odd"
    folder.mkdir()
    (folder / "spec.md").write_text("# \n\n### User Story\n\n- [ ] **T\n\n| FR-1 |\n\n```\nunclosed", encoding="utf-8")
    (folder / "tasks.md").write_bytes(b"\xff\xfe not utf-8")
    run = run_cli([folder, "--no-color", "--no-cache"])
    assert run.exit_code == 1, run.stdout + run.stderr
    assert "tasks.md:1:1: [violation] the file is not UTF-8" in run.stdout


# ----------------------------------------------------------------------------- convert and the round trip

def summary(folder: Path) -> dict:
    """What a round trip must keep: stories, scenarios, requirements, tasks, story labels, dependencies."""
    [found] = discover([folder])
    g = load_folder(found).graph

    def one(s, p):
        return str(next(iter(sorted(g.objects(s, p))), ""))

    tasks = {t: one(t, SPEC.taskId) for t in g.subjects(RDF.type, SPEC.Task)}
    return dict(
        stories={one(s, SPEC.storyId): (one(s, RDFS.label), one(s, SPEC.priority))
                 for s in g.subjects(RDF.type, SPEC.UserStory)},
        scenarios={one(s, SPEC.scenarioId): (one(s, SPEC.givenContext), one(s, SPEC.whenAction), one(s, SPEC.thenResult))
                   for s in g.subjects(RDF.type, SPEC.AcceptanceScenario)},
        requirements={one(r, SPEC.requirementId): one(r, RDFS.label) for r in g.subjects(RDF.type, SPEC.Requirement)},
        tasks={tid: one(t, RDFS.label) for t, tid in tasks.items()},
        done=sorted(tid for t, tid in tasks.items() if one(t, SPEC.status) == "done"),
        story_labels=sorted((tid, str(label)) for t, tid in tasks.items() for label in g.objects(t, SPEC.storyLabel)),
        dependencies=sorted((tid, tasks.get(d, str(d))) for t, tid in tasks.items() for d in g.objects(t, SPEC.dependsOn)),
    )


def _round_trip_folders():
    return [CORPUS / name for name in sorted(CORPUS_COUNTS)] + [SPECKIT_BASE] + [
        case for case in _variant_cases()]


@pytest.mark.parametrize("source", _round_trip_folders(), ids=lambda p: p.name)
def test_round_trip_speckit_turtle_render_read_keeps_everything(source, tmp_path):
    if (source / "case.toml").is_file():
        from test_cases import assemble, read_case

        (tmp_path / "case").mkdir()
        source = assemble(source, read_case(source), tmp_path / "case")
    before = summary(source)
    assert before["tasks"] and before["stories"]
    turtle = tmp_path / "ttl" / source.name
    run = run_cli(["convert", source, "--to", "turtle", "--out", turtle])
    assert run.exit_code == 0, run.stdout + run.stderr
    assert {p.name for p in turtle.iterdir()} <= {"entities.ttl", "feature.ttl", "plan.ttl"}
    assert summary(turtle) == before
    rendered = tmp_path / "md" / source.name
    run = run_cli(["render", turtle, "--out", rendered])
    assert run.exit_code == 0, run.stdout + run.stderr
    assert summary(rendered) == before


def test_convert_output_is_deterministic_and_checks_the_same(tmp_path):
    source = _broken(tmp_path)
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli(["convert", source, "--out", first]).exit_code == 0
    assert run_cli(["convert", source, "--out", second]).exit_code == 0
    for name in ("feature.ttl", "entities.ttl", "plan.ttl"):
        assert (first / name).read_bytes() == (second / name).read_bytes()

    def rules_and_nodes(folder):
        run = run_cli([folder, "--no-color", "--no-cache", "--format", "json"])
        return sorted((f["rule_id"], f.get("focus")) for f in json.loads(run.stdout)["findings"])

    # feature-branch compares with the original folder's name, kept as data
    assert rules_and_nodes(first) == rules_and_nodes(source) == [("task-trace-target", ":T008")]


def test_convert_refuses_a_file_as_out_and_a_missing_spec(tmp_path):
    source = _speckit_copy(tmp_path)
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    run = run_cli(["convert", source, "--out", target])
    assert run.exit_code == 2 and "--out must be a folder" in run.stderr
    run = run_cli(["convert", tmp_path / "nope", "--out", tmp_path / "o"])
    assert run.exit_code == 2 and "no such file or folder" in run.stderr


def test_benchmark_generator_writes_a_closed_folder_of_the_asked_size(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_speckit", ROOT / "benchmarks" / "speckit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path / "001-generated-feature"
    made = module.generate(folder, 60)
    got = counts(folder)
    assert (got["tasks"], got["stories"], got["scenarios"], got["requirements"]) == (
        made["tasks"], made["stories"], made["scenarios"], made["requirements"]) == (60, 3, 9, 9)
    run = run_cli([folder, "--no-color", "--no-cache"])
    assert run.exit_code == 0 and run.stdout.startswith("closure 100.0%"), run.stdout


def test_repo_root_must_be_a_folder(tmp_path):
    folder = _speckit_copy(tmp_path)
    run = run_cli([folder, "--repo-root", tmp_path / "missing"])
    assert run.exit_code == 2 and "--repo-root is not a folder" in run.stderr


def test_report_and_tasks_render_from_a_speckit_folder(tmp_path):
    folder = _broken(tmp_path)
    report = run_cli(["report", folder])
    assert report.exit_code == 0, report.stderr
    assert "| task-trace-target | violation |" in report.stdout
    assert "001-photo-albums/tasks.md#L43)" in report.stdout  # the link goes to the Markdown line
    tasks = run_cli(["tasks", folder])
    assert tasks.exit_code == 0, tasks.stderr
    assert "- [x] T004 [P] [US1] Implement create/rename/delete of albums" in tasks.stdout
    assert "- [ ] T006 [P] [US2] Implement share links" in tasks.stdout
