# SPDX-License-Identifier: MIT
"""Fingerprints from meaning (issue 13): the same from any working folder and across reformatting,
so a baseline written in one folder holds in another, and SARIF alerts do not come back as new."""

from __future__ import annotations

import json
import shutil

from conftest import ROOT, SPEC_008, run_cli
from rdflib import Graph

OWNER_SHAPES = ROOT / "tests" / "user-shapes" / "owner-without-id" / "shapes.ttl"


def _project(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(SPEC_008, project / "specs" / "008")
    (project / "spec-check.toml").write_text('shapes = ["../owner.ttl"]\n', encoding="utf-8")
    shutil.copy(OWNER_SHAPES, tmp_path / "owner.ttl")
    return project


def _sarif_fingerprints(run) -> list[str]:
    results = json.loads(run.stdout)["runs"][0]["results"]
    return sorted(r["partialFingerprints"]["specCheckFingerprint/v1"] for r in results)


def test_a_baseline_holds_from_any_working_folder(tmp_path, monkeypatch):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    written = run_cli(["check", "specs/008", "--no-cache", "--write-baseline", "baseline.json"])
    assert written.exit_code == 0
    assert len(json.loads((project / "baseline.json").read_text())["findings"]) == 30
    # From the parent folder (the path is now project/specs/008) and from inside the spec folder.
    for where, path, config in ((tmp_path, "project/specs/008", "project/spec-check.toml"),
                                (project / "specs" / "008", ".", "../../spec-check.toml")):
        monkeypatch.chdir(where)
        run = run_cli(["check", path, "--no-cache", "--config", config,
                       "--baseline", str(project / "baseline.json")])
        assert run.exit_code == 0, (where, run.stdout[-500:])
        assert run.stdout.rstrip().endswith(", 30 in baseline")


def test_sarif_fingerprints_do_not_depend_on_the_working_folder(tmp_path, monkeypatch):
    project = _project(tmp_path)
    runs = []
    for where, path in ((project, "specs/008"), (tmp_path, "project/specs/008")):
        monkeypatch.chdir(where)
        runs.append(run_cli(["check", path, "--no-cache", "--config", str(project / "spec-check.toml"),
                             "--format", "sarif"]))
    assert runs[0].exit_code == runs[1].exit_code == 1
    assert _sarif_fingerprints(runs[0]) == _sarif_fingerprints(runs[1])
    assert len(set(_sarif_fingerprints(runs[0]))) == 30


def test_fingerprints_survive_reformatting(tmp_path, monkeypatch):
    # Other prefixes, another layout, other blank-node labels: the same meaning, the same fingerprints.
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    before = _sarif_fingerprints(run_cli(["check", "specs/008", "--no-cache", "--format", "sarif"]))
    for path in sorted((project / "specs" / "008").glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        for prefix, namespace in list(graph.namespaces()):
            if prefix == "":
                graph.bind("renamed", namespace, replace=True)
        path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    after = _sarif_fingerprints(run_cli(["check", "specs/008", "--no-cache", "--format", "sarif"]))
    assert before == after and len(before) == 30


def test_project_relative_paths_do_not_depend_on_earlier_working_folders(tmp_path, monkeypatch):
    from spec_check.fingerprint import project_relative

    project = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert project_relative(".") == tmp_path.name  # no project root above: the folder's name
    monkeypatch.chdir(project / "specs" / "008")
    assert project_relative(".") == "specs/008"
