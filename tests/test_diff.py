# SPDX-License-Identifier: MIT
"""`spec-check diff`: changes in meaning between two versions of a spec, never in formatting."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SPEC_008, run_cli
from rdflib import BNode, Graph, URIRef

from spec_check.diff import KINDS, diff_specs
from spec_check.diff.signature import bnode_signatures

DIFF = ROOT / "tests" / "authoring" / "diff"
BASE = DIFF / "base"
REFORMATTED = DIFF / "reformatted"
TASK_ADDED = DIFF / "task-added-dependency-removed"


def _json_diff(old, new, *extra) -> dict:
    run = run_cli(["diff", old, new, "--format", "json", *extra])
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)


def _nonempty(doc: dict) -> dict:
    """kind → {added/removed/changed: [ids]} for the kinds and buckets that are not empty."""
    out = {}
    for kind, buckets in doc["changes"].items():
        for bucket, items in buckets.items():
            if items:
                out.setdefault(kind, {})[bucket] = [
                    f"{i['id']} -> {i['target']}" if "target" in i else i["id"] for i in items]
    return out


def _copy(folder: Path, tmp_path: Path, name: str | None = None) -> Path:
    target = tmp_path / (name or folder.name)
    shutil.copytree(folder, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test data changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


# --------------------------------------------------------------------------- no change

def test_reformatting_only_is_no_change():
    doc = _json_diff(BASE, REFORMATTED)
    assert _nonempty(doc) == {}
    assert doc["findings"] == {"fixed": [], "introduced": []}
    assert doc["old"]["closure"] == doc["new"]["closure"] == 100.0


def test_reformatting_only_says_so_in_text():
    run = run_cli(["diff", BASE, REFORMATTED])
    assert run.exit_code == 0
    assert "no change in meaning" in run.stdout


def _shuffled_ntriples(graph: Graph, folder: Path, seed: int) -> Path:
    """Every triple of ``graph`` in one N-Triples file, in a random order, with fresh blank-node labels."""
    relabel = {}
    relabelled = Graph()
    for s, p, o in graph:
        s, o = (relabel.setdefault(t, BNode(f"x{len(relabel)}")) if isinstance(t, BNode) else t
                for t in (s, o))
        relabelled.add((s, p, o))
    lines = [line for line in relabelled.serialize(format="nt").splitlines() if line.strip()]
    random.Random(seed).shuffle(lines)
    folder.mkdir(parents=True)
    (folder / "all.nt").write_text("\n".join(lines) + "\n")
    assert len(Graph().parse(folder / "all.nt", format="nt")) == len(graph)
    return folder


def test_008_rewritten_as_shuffled_ntriples_with_new_blank_labels_is_no_change(tmp_path):
    graph = Graph()
    for path in sorted(SPEC_008.glob("*.ttl")):
        graph.parse(path, format="turtle")
    folder = _shuffled_ntriples(graph, tmp_path / SPEC_008.name, seed=8)
    result = diff_specs(str(SPEC_008), str(folder), check=False)
    assert [k.kind for k in result.kinds] == list(KINDS)
    assert not result.has_changes, result


def test_real_world_folders_rewritten_are_no_change(corpus, tmp_path):
    from spec_check import SpecCheck

    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    assert folders
    for number, folder in enumerate(folders):
        loaded, _view = SpecCheck().load(folder)  # only the files that parse
        rewritten = _shuffled_ntriples(loaded.graph, tmp_path / str(number) / folder.name, seed=number)
        result = diff_specs(str(folder), str(rewritten), check=False)
        assert not result.has_changes, (folder.name, result.kinds)


# --------------------------------------------------------------------------- changes

def test_one_task_added_and_one_dependency_removed_are_exactly_what_is_reported():
    doc = _json_diff(BASE, TASK_ADDED)
    assert _nonempty(doc) == {
        "tasks": {"added": [":T004"]},
        "dependencies": {"removed": [":T003 -> :T001"]},
    }
    added = doc["changes"]["tasks"]["added"][0]
    assert added["label"] == "Alert when the warm-up fails"


def test_the_reverse_diff_swaps_added_and_removed():
    doc = _json_diff(TASK_ADDED, BASE)
    assert _nonempty(doc) == {
        "tasks": {"removed": [":T004"]},
        "dependencies": {"added": [":T003 -> :T001"]},
    }


def test_changed_literal_is_reported_with_old_and_new_value(tmp_path):
    new = _copy(BASE, tmp_path)
    _edit(new / "plan.ttl", 'spec:effortHours 3.0 ;', 'spec:effortHours 4.5 ;')
    _edit(new / "feature.ttl", 'spec:goal "know when the cache is ready"', 'spec:goal "know when to start"')
    doc = _json_diff(BASE, new)
    assert _nonempty(doc) == {"stories": {"changed": [":US2"]}, "tasks": {"changed": [":T003"]}}
    task = doc["changes"]["tasks"]["changed"][0]
    assert task["changes"] == [{"property": "spec:effortHours", "removed": ["3.0"], "added": ["4.5"]}]
    story = doc["changes"]["stories"]["changed"][0]
    assert story["changes"] == [{"property": "spec:goal", "removed": ['"know when the cache is ready"'],
                                 "added": ['"know when to start"']}]


def test_a_change_inside_a_blank_node_changes_its_owner(tmp_path):
    new = _copy(BASE, tmp_path)
    _edit(new / "entities.ttl", 'spec:datatype "integer"', 'spec:datatype "bytes"')
    doc = _json_diff(BASE, new)
    assert _nonempty(doc) == {"entities": {"changed": [":CacheEntry"]}}
    (change,) = doc["changes"]["entities"]["changed"][0]["changes"]
    assert change["property"] == "spec:hasAttribute"
    assert change["removed"] == ['[ spec:attributeName "size" ; spec:datatype "integer" ]']
    assert change["added"] == ['[ spec:attributeName "size" ; spec:datatype "bytes" ]']


def test_removed_story_takes_its_link_from_the_feature_with_it(tmp_path):
    new = _copy(TASK_ADDED, tmp_path)
    feature = new / "feature.ttl"
    text = feature.read_text()
    feature.write_text(text[:text.index(":US2 a spec:UserStory")].replace(":US1 , :US2 .", ":US1 ."))
    doc = _json_diff(TASK_ADDED, new)
    # The feature's spec:hasUserStory :US2 goes with the story; the tasks that still
    # implement :US2 and :US2_S1 did not change (their links now dangle: new findings).
    assert _nonempty(doc) == {"stories": {"removed": [":US2"]}, "scenarios": {"removed": [":US2_S1"]}}
    assert {f["rule"] for f in doc["findings"]["introduced"]} >= {"task-trace-target"}


# --------------------------------------------------------------------------- findings and closure

def test_findings_introduced_and_fixed_and_the_closure_score(tmp_path):
    broken = _copy(BASE, tmp_path)
    _edit(broken / "plan.ttl", "    spec:implements :US1 ;\n", "")  # T002 now traces to nothing
    forward = _json_diff(BASE, broken)
    assert [f["rule"] for f in forward["findings"]["introduced"]] == ["task-traced"]
    assert forward["findings"]["fixed"] == []
    assert forward["findings"]["introduced"][0]["file"].endswith("plan.ttl")
    assert forward["old"]["closure"] == 100.0 and forward["new"]["closure"] < 100.0
    backward = _json_diff(broken, BASE)
    assert [f["rule"] for f in backward["findings"]["fixed"]] == ["task-traced"]
    assert backward["findings"]["introduced"] == []


def test_fail_on_new_findings_sets_exit_1_only_when_findings_are_new(tmp_path):
    broken = _copy(BASE, tmp_path)
    _edit(broken / "plan.ttl", "    spec:implements :US1 ;\n", "")
    assert run_cli(["diff", BASE, broken]).exit_code == 0
    assert run_cli(["diff", BASE, broken, "--fail-on-new-findings"]).exit_code == 1
    assert run_cli(["diff", broken, BASE, "--fail-on-new-findings"]).exit_code == 0


def test_findings_are_compared_without_lines(tmp_path):
    # The same finding, moved down the file by an inserted comment, is neither fixed nor new.
    broken = _copy(BASE, tmp_path, "broken")
    _edit(broken / "plan.ttl", "    spec:implements :US1 ;\n", "")
    moved = _copy(broken, tmp_path, "moved")
    _edit(moved / "plan.ttl", ":Plan a spec:Plan", "# a comment\n# and another\n\n:Plan a spec:Plan")
    doc = _json_diff(broken, moved)
    assert doc["findings"] == {"fixed": [], "introduced": []}
    assert doc["new"]["findings"] == doc["old"]["findings"] == 1


# --------------------------------------------------------------------------- formats

def test_markdown_is_a_pr_comment_block():
    run = run_cli(["diff", BASE, TASK_ADDED, "--format", "markdown"])
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == f"### spec-check diff: `{BASE}` → `{TASK_ADDED}`"
    assert "| tasks | 1 | 0 | 0 |" in lines
    assert "| dependencies | 0 | 1 | 0 |" in lines
    assert "- **added** `:T004` Alert when the warm-up fails" in lines
    assert "- **removed** `:T003` → `:T001` Show warm-up progress" in lines


def test_output_is_byte_identical_on_a_second_run():
    for fmt in ("text", "markdown", "json"):
        first = run_cli(["diff", BASE, TASK_ADDED, "--format", fmt]).stdout
        assert first == run_cli(["diff", BASE, TASK_ADDED, "--format", fmt]).stdout


def test_output_option_writes_the_file(tmp_path):
    out = tmp_path / "diff.md"
    run = run_cli(["diff", BASE, TASK_ADDED, "--format", "markdown", "--output", out])
    assert run.exit_code == 0 and run.stdout == ""
    assert out.read_text() == run_cli(["diff", BASE, TASK_ADDED, "--format", "markdown"]).stdout


def test_no_check_leaves_out_closure_and_findings():
    doc = _json_diff(BASE, TASK_ADDED, "--no-check")
    assert doc["checked"] is False
    assert "closure" not in doc["old"]
    assert _nonempty(doc)["tasks"] == {"added": [":T004"]}


# --------------------------------------------------------------------------- git revisions

def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.name", "spec-check tests")
    _git(repo, "config", "user.email", "tests@spec-check.invalid")
    _git(repo, "config", "commit.gpgsign", "false")
    shutil.copytree(BASE, repo / "specs" / "010-cache-warmup")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base version")
    for path in TASK_ADDED.glob("*.ttl"):  # the working tree now holds the edited version
        shutil.copy(path, repo / "specs" / "010-cache-warmup" / path.name)
    monkeypatch.chdir(repo)
    return repo


def test_git_revision_as_old(repo):
    doc = _json_diff("HEAD:specs/010-cache-warmup", "specs/010-cache-warmup")
    assert _nonempty(doc) == {"tasks": {"added": [":T004"]}, "dependencies": {"removed": [":T003 -> :T001"]}}
    assert doc["old"]["source"] == "HEAD:specs/010-cache-warmup"
    assert doc["old"]["files"] == [f"HEAD:specs/010-cache-warmup/{n}"
                                   for n in ("architecture.ttl", "entities.ttl", "feature.ttl", "plan.ttl")]
    assert doc["old"]["closure"] == 100.0


def test_git_revision_relative_to_the_current_folder(repo, monkeypatch):
    monkeypatch.chdir(repo / "specs")
    doc = _json_diff("HEAD:./010-cache-warmup", "010-cache-warmup", "--no-check")
    assert _nonempty(doc) == {"tasks": {"added": [":T004"]}, "dependencies": {"removed": [":T003 -> :T001"]}}


def test_git_findings_name_the_revision(repo):
    plan = repo / "specs" / "010-cache-warmup" / "plan.ttl"
    _edit(plan, "    spec:implements :US1 ;\n", "")
    _git(repo, "commit", "-q", "-am", "break T002")
    shutil.copy(BASE / "plan.ttl", plan)
    doc = _json_diff("HEAD:specs/010-cache-warmup", "specs/010-cache-warmup")
    assert [(f["rule"], f["file"]) for f in doc["findings"]["fixed"]] == [
        ("task-traced", "HEAD:specs/010-cache-warmup/plan.ttl")]


def test_unknown_revision_or_path_exits_2(repo):
    for old in ("no-such-branch:specs/010-cache-warmup", "HEAD:specs/nope", "HEAD:specs"):
        run = run_cli(["diff", old, "specs/010-cache-warmup"])
        assert run.exit_code == 2, old
        assert run.stderr.startswith(f"spec-check: error: {old}: "), run.stderr
        assert len(run.stderr.strip().splitlines()) == 1


def test_missing_folder_exits_2(tmp_path):
    run = run_cli(["diff", BASE, tmp_path / "nope"])
    assert run.exit_code == 2
    assert "no such file or folder" in run.stderr


# --------------------------------------------------------------------------- signatures

def _nt(text: str) -> Graph:
    return Graph().parse(data=text, format="nt")


def test_signatures_do_not_depend_on_labels_and_survive_cycles():
    a = _nt('_:a <http://x/p> _:b .\n_:b <http://x/q> _:a .\n_:b <http://x/v> "1" .\n'
            '<http://x/s> <http://x/r> _:a .\n')
    b = _nt('_:m <http://x/q> _:n .\n_:n <http://x/p> _:m .\n_:m <http://x/v> "1" .\n'
            '<http://x/s> <http://x/r> _:n .\n')
    sig_a, sig_b = bnode_signatures(a), bnode_signatures(b)
    root_a = a.value(URIRef("http://x/s"), URIRef("http://x/r"))
    root_b = b.value(URIRef("http://x/s"), URIRef("http://x/r"))
    assert sig_a[root_a] == sig_b[root_b]
    assert len(set(sig_a.values())) == 2


def test_signatures_change_with_nested_content():
    one = _nt('<http://x/s> <http://x/p> _:a .\n_:a <http://x/q> _:b .\n_:b <http://x/v> "1" .\n')
    two = _nt('<http://x/s> <http://x/p> _:a .\n_:a <http://x/q> _:b .\n_:b <http://x/v> "2" .\n')
    top = URIRef("http://x/s"), URIRef("http://x/p")
    assert bnode_signatures(one)[one.value(*top)] != bnode_signatures(two)[two.value(*top)]


def test_deep_nesting_does_not_overflow_the_stack():
    lines = [f"_:n{i} <http://x/next> _:n{i + 1} ." for i in range(5000)]
    signatures = bnode_signatures(_nt("\n".join(lines) + "\n"))
    assert len(set(signatures.values())) == 5001


def test_a_version_with_a_broken_file_says_it_is_incomplete(tmp_path):
    broken = _copy(BASE, tmp_path)
    (broken / "entities.ttl").write_text((BASE / "entities.ttl").read_text().replace("] .", "]"))
    run = run_cli(["diff", BASE, broken])
    assert run.exit_code == 0
    assert "new is incomplete: " in run.stdout.splitlines()[1]
    doc = _json_diff(BASE, broken)
    assert [f["rule"] for f in doc["findings"]["introduced"] if f["rule"] == "syntax"] == ["syntax"]
    (unparsed,) = doc["new"]["unparsed_files"]
    assert unparsed.endswith("/entities.ttl")


def test_output_does_not_depend_on_the_hash_seed():
    import os
    import sys

    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONHASHSEED=seed)
        argv = [sys.executable, "-m", "spec_check", "diff", str(BASE), str(TASK_ADDED), "--format", "json",
                "--no-check"]
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_a_cycle_of_blank_nodes_is_compared_too(tmp_path):
    old, new = tmp_path / "old" / "010-x", tmp_path / "new" / "010-x"
    for folder, value in ((old, "1"), (new, "2")):
        folder.mkdir(parents=True)
        (folder / "data.nt").write_text(
            f'_:a <https://ggen.dev/spec#next> _:b .\n_:b <https://ggen.dev/spec#next> _:a .\n'
            f'_:b <https://ggen.dev/spec#value> "{value}" .\n')
    assert not diff_specs(str(old), str(old), check=False).has_changes
    changed = diff_specs(str(old), str(new), check=False)
    other = next(k for k in changed.kinds if k.kind == "other")
    assert len(other.added) == len(other.removed) >= 1


def test_markdown_folds_a_long_section(tmp_path):
    new = _copy(BASE, tmp_path)
    extra = "".join(f'\n:X{n:03d} a spec:Component ; rdfs:label "Extra {n}" ; rdfs:comment "More." .\n'
                    for n in range(25))
    (new / "architecture.ttl").write_text((BASE / "architecture.ttl").read_text() + extra)
    lines = run_cli(["diff", BASE, new, "--format", "markdown", "--no-check"]).stdout.splitlines()
    assert "| components | 25 | 0 | 0 |" in lines
    start = lines.index("#### Components")
    assert lines[start + 2:start + 4] == ["<details>", "<summary>25 components</summary>"]
    assert "</details>" in lines[start:]
    assert lines.count("<details>") == 1
    short = run_cli(["diff", BASE, TASK_ADDED, "--format", "markdown"]).stdout
    assert "<details>" not in short


def test_the_config_policy_applies_to_both_versions(tmp_path, monkeypatch):
    broken = _copy(BASE, tmp_path)
    _edit(broken / "plan.ttl", "    spec:implements :US1 ;\n", "")
    (tmp_path / "spec-check.toml").write_text('ignore = ["task-traced"]\n')
    monkeypatch.chdir(tmp_path)
    doc = _json_diff(BASE, broken)
    assert doc["findings"]["introduced"] == []
    config = tmp_path / "other.toml"
    config.write_text('select = ["no-such-rule"]\n')
    run = run_cli(["diff", BASE, broken, "--config", config])
    assert run.exit_code == 2
    assert "unknown rule id" in run.stderr


def test_control_characters_never_reach_the_terminal(tmp_path):
    new = _copy(BASE, tmp_path)
    _edit(new / "plan.ttl", 'rdfs:label "Show warm-up progress"', 'rdfs:label "Show \\u001b[31mprogress"')
    text = run_cli(["diff", BASE, new, "--no-check"]).stdout
    assert "\x1b" not in text
    assert "  ~ :T003  Show \\x1b[31mprogress" in text.splitlines()
    markdown = run_cli(["diff", BASE, new, "--format", "markdown", "--no-check"]).stdout
    assert "\x1b" not in markdown
    assert "- **changed** `:T003` Show \\\\x1b\\[31mprogress" in markdown.splitlines()  # Markdown-escaped
    doc = _json_diff(BASE, new, "--no-check")
    (change,) = doc["changes"]["tasks"]["changed"][0]["changes"]
    assert change["added"] == ['"Show \\u001b[31mprogress"']


def test_a_dialect_spec_diffs_by_the_kinds_the_check_aligns():
    # spec-kit writes sk:Task, sk:title, sk:hasTask and sk:dependsOn; the check aligns them to spec:.
    doc = _json_diff(DIFF / "spec-kit-old", DIFF / "spec-kit-new")
    assert _nonempty(doc) == {
        "tasks": {"added": [":task-003"], "changed": [":task-001", ":task-002"]},
        "dependencies": {"removed": [":task-002 -> :task-001"]},
    }
    assert doc["changes"]["tasks"]["added"][0]["label"] == "Retry queue"
    renamed = doc["changes"]["tasks"]["changed"][0]
    assert renamed["changes"] == [
        {"property": "sk:title", "removed": ['"Route cache"'], "added": ['"Route cache v2"']}]
