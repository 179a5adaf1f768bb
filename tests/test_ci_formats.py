# SPDX-License-Identifier: MIT
"""The CI formats: golden files for every format on the 008 example and on a
broken case, SARIF against the official schema and GitHub's limits, JUnit
structure, GitHub workflow-command syntax, --format auto and the job summary.

Golden files live in tests/ci/golden/<case>.<format>; regenerate them after an
intended change with SPEC_CHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_ci_formats.py
and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, SPEC_008, run_cli
from spec_check import __version__
from spec_check.model import CheckResult, Finding, FolderResult, RuleInfo, Severity

CI = ROOT / "tests" / "ci"
GOLDEN = CI / "golden"
BROKEN = CI / "broken"
# ../shared beside the checkout; a worktree at <repo>/../wt/<name> looks one level further up.
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
              ROOT.parent / "shared")
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
CASES = {"008": (SPEC_008, 0), "broken": (BROKEN, 1)}
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "github", "markdown": "md",
           "gitlab": "gitlab.json"}
# Keep the surroundings out of the CLI's view: no GitHub job summary, no NO_COLOR.
CLEAN_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "NO_COLOR": None}


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    # Findings name files relative to the working folder; goldens are written from the root.
    monkeypatch.chdir(ROOT)


def _run(*args, env=None):
    return run_cli([*args], env={**CLEAN_ENV, **(env or {})})


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_format_matches_golden_file(case, fmt):
    folder, expected_exit = CASES[case]
    run = _run(folder.relative_to(ROOT), "--format", fmt)
    assert run.exit_code == expected_exit, run.stderr
    text = run.stdout.replace(__version__, "{version}")
    golden = GOLDEN / f"{case}.{FORMATS[fmt]}"
    if os.environ.get("SPEC_CHECK_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"missing golden file {golden}; run with SPEC_CHECK_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["sarif", "junit", "markdown", "gitlab"])
def test_output_file_is_byte_identical_to_stdout_and_on_a_rerun(tmp_path, fmt):
    first, second = tmp_path / "first", tmp_path / "second"
    _run(BROKEN, "--format", fmt, "--output", first)
    _run(BROKEN, "--format", fmt, "--output", second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8") == _run(BROKEN, "--format", fmt).stdout


# --- SARIF ---------------------------------------------------------------------------------------

def _rule_ids() -> set[str]:
    from spec_check.rules import load_rules

    return set(load_rules().rules)


def _sarif_schema() -> dict:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is absent ({SARIF_SCHEMA}); it lives in ../shared/schemas")
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_sarif_is_valid_against_the_official_schema(case):
    import jsonschema

    document = json.loads(_run(CASES[case][0], "--format", "sarif").stdout)
    jsonschema.validate(document, _sarif_schema())


def test_sarif_describes_every_rule_and_locates_every_result():
    document = json.loads(_run(BROKEN, "--format", "sarif").stdout)
    (run,) = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(_rule_ids())
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert levels["external-reference"] == "note" and levels["unique-label"] == "warning"
    assert run["results"], "the broken case has findings"
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"].startswith("tests/ci/broken/")
        assert physical["region"]["startLine"] >= 1
        assert location["logicalLocations"][0]["fullyQualifiedName"].startswith(":")
        assert re.fullmatch(r"[0-9a-f]{32}", result["partialFingerprints"]["specCheckFingerprint/v1"])


def _fingerprints(folder) -> dict[str, tuple[str, int]]:
    document = json.loads(_run(folder, "--format", "sarif").stdout)
    return {r["partialFingerprints"]["specCheckFingerprint/v1"]:
            (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in document["runs"][0]["results"]}


def test_sarif_fingerprints_stay_when_unrelated_lines_move(tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(BROKEN, folder)
    before = _fingerprints(folder)
    plan = folder / "plan.ttl"
    plan.write_text("# a comment\n# and another one, moving every line down\n\n"
                    + plan.read_text(encoding="utf-8"), encoding="utf-8")
    after = _fingerprints(folder)
    assert set(after) == set(before)
    moved = [fp for fp in before if before[fp][1] != after[fp][1]]
    assert moved, "the plan's findings moved down three lines"


def _synthetic(n: int, message: str = "a problem") -> CheckResult:
    severities = [Severity.INFO, Severity.WARNING, Severity.VIOLATION]
    findings = tuple(sorted(
        Finding(folder="specs/x", file="specs/x/a.ttl", line=i + 1, column=1, rule_id="rule-a",
                severity=severities[i % 3], message=f"{message} {i}", focus=f":N{i}")
        for i in range(n)))
    folder = FolderResult(path="specs/x", files=("specs/x/a.ttl",), triples=n, findings=findings,
                          checks_applied=n, checks_failed=n)
    rule = RuleInfo(rule_id="rule-a", severity=Severity.VIOLATION, name="rule a", description="d",
                    message="m", kind="builtin")
    return CheckResult(folders=(folder,), rules=(rule,))


def test_sarif_keeps_within_githubs_result_limit_and_says_so():
    from spec_check.report.sarif import MAX_RESULTS, render_sarif

    result = _synthetic(MAX_RESULTS + 30)
    text = render_sarif(result)
    (run,) = json.loads(text)["runs"]
    assert len(run["results"]) == MAX_RESULTS
    # The least severe were dropped: all 30 left out are infos.
    assert sum(r["level"] == "note" for r in run["results"]) == result.count(Severity.INFO) - 30
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert "30 of 25,030 results were left out" in note["message"]["text"]


def test_sarif_keeps_within_githubs_size_limit():
    from spec_check.report.sarif import MAX_BYTES, render_sarif

    text = render_sarif(_synthetic(2_400, message="x" * 5_000))  # about 12 MB untruncated
    assert len(text.encode("utf-8")) <= MAX_BYTES
    (run,) = json.loads(text)["runs"]
    assert 0 < len(run["results"]) < 2_400
    assert "were left out" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_of_a_small_run_has_no_truncation_notice():
    (run,) = json.loads(_run(BROKEN, "--format", "sarif").stdout)["runs"]
    assert "toolExecutionNotifications" not in run["invocations"][0]


# --- JUnit ---------------------------------------------------------------------------------------

def test_junit_has_a_suite_per_folder_and_a_case_per_rule():
    root = ET.fromstring(_run(CI / "cross", BROKEN, "--format", "junit").stdout)
    rules = _rule_ids()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["tests/ci/broken", "tests/ci/cross/a", "tests/ci/cross/b"]
    for suite in suites:
        names = [c.get("name") for c in suite.findall("testcase")]
        assert names == sorted(names) and len(names) == int(suite.get("tests"))
        assert set(names) == rules
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
    broken = suites[0]
    failed = sorted(c.get("name") for c in broken.findall("testcase") if c.find("failure") is not None)
    assert failed == ["dependency-target", "entity-reference", "feature-description", "story-covered"]
    entity = broken.find("testcase[@name='entity-reference']/failure")
    assert entity.get("type") == "violation"
    assert entity.text.startswith("tests/ci/broken/plan.ttl:23:5: [violation] :T2 refers to :Cache")
    # Below --fail-on, findings are kept as output, not failures.
    assert broken.find("testcase[@name='unique-label']/system-out").text.count("[warning]") == 2
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites)


def test_junit_failures_follow_fail_on():
    root = ET.fromstring(_run(BROKEN, "--format", "junit", "--fail-on", "warning").stdout)
    label = root.find("testsuite/testcase[@name='unique-label']")
    assert label.find("failure") is not None and label.find("failure").get("type") == "warning"


# --- GitHub workflow commands ---------------------------------------------------------------------

# https://docs.github.com/actions/reference/workflow-commands-for-github-actions
COMMAND = re.compile(r"::(error|warning|notice) file=([^,:%]|%2C|%3A|%25)+,line=\d+,col=\d+,"
                     r"title=[a-z0-9-]+::[^\r\n]*")


def test_github_lines_follow_the_workflow_command_syntax():
    lines = _run(BROKEN, "--format", "github").stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 7
    for line in commands:
        assert COMMAND.fullmatch(line), line
    assert {line.split(" ", 1)[0] for line in commands} == {"::error", "::warning", "::notice"}
    # The task label holds "%" and ","; the message escapes "%" only.
    assert any('"Task: 50%25, first"' in line for line in commands)
    assert lines[-1].startswith(f"closure {_json_summary(BROKEN)['closure']:.1f}% ")


def _json_summary(*paths):
    # Check counts change whenever a rule is added; the text must agree with the JSON.
    return json.loads(_run(*paths, "--format", "json").stdout)["summary"]


def test_github_escaping_rules():
    from spec_check.report.github import escape_data, escape_property

    assert escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_format_auto_is_github_inside_github_actions_else_text():
    inside = _run(BROKEN, env={"GITHUB_ACTIONS": "true"}).stdout
    outside = _run(BROKEN).stdout
    assert inside == _run(BROKEN, "--format", "github").stdout
    assert outside == _run(BROKEN, "--format", "text").stdout
    assert inside != outside


def test_github_step_summary_gets_the_markdown_appended(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    run = _run(BROKEN, "--format", "github", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert run.exit_code == 1
    assert summary.read_text(encoding="utf-8") == "# earlier step\n" + _run(BROKEN, "--format", "markdown").stdout


# --- JSON schema ---------------------------------------------------------------------------------

@pytest.mark.parametrize("paths", [[SPEC_008], [BROKEN], [CI / "cross", BROKEN]])
def test_json_output_matches_the_shipped_schema(paths):
    import jsonschema

    from spec_check.resources import schema_file

    schema = json.loads(schema_file().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads(_run(*paths, "--format", "json").stdout)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


# --- many folders, quiet, verbose ----------------------------------------------------------------

def test_many_folders_get_a_table_and_a_total():
    run = _run(CI / "cross", BROKEN)
    lines = run.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("folder "))
    assert lines[header].split() == ["folder", "closure", "checks", "violations", "warnings", "infos",
                                     "suppressed", "files", "note"]
    rows = [line.split() for line in lines[header + 1:-1]]
    assert [r[0] for r in rows] == ["tests/ci/broken", "tests/ci/cross/a", "tests/ci/cross/b"]
    summary = _json_summary(BROKEN)
    checks = f"{summary['checks']['passed']}/{summary['checks']['applied']}"
    assert rows[0][1:7] == [f"{summary['closure']:.1f}%", checks, "4", "2", "1", "1"]
    assert lines[-1].startswith("total: closure ")
    assert run.stderr == ""  # no progress bar when stderr is not a terminal


@pytest.fixture
def ggen_corpus():
    corpus = SHARED / "corpus" / "ggen"
    if not corpus.is_dir():
        pytest.skip(f"the real-world corpus is absent ({corpus}); it lives in ../shared/corpus beside the checkout")
    return corpus


def test_whole_corpus_in_one_command_gives_a_per_folder_table(ggen_corpus):
    corpus = ggen_corpus
    run = _run(corpus)
    assert run.exit_code == 1, run.stderr
    expected = sorted(p.name for p in corpus.iterdir() if p.is_dir() and any(
        f.suffix == ".ttl" for f in p.iterdir()))
    lines = run.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("folder "))
    table = [line.split()[0] for line in lines[header + 1:-1]]
    assert [t.rsplit("/", 1)[1] for t in table] == expected
    assert run.stdout.splitlines()[-1].startswith("total: closure ")


def test_quiet_prints_only_findings():
    loud, quiet = _run(BROKEN).stdout.splitlines(), _run(BROKEN, "--quiet").stdout.splitlines()
    assert quiet == loud[:-1] and all(line.startswith("tests/ci/broken/") for line in quiet)
    assert _run(SPEC_008, "-q").stdout == ""


def test_verbose_names_the_config_and_folders_on_stderr():
    run = _run(BROKEN, "--verbose")
    assert "spec-check: config: (none found)" in run.stderr
    assert "checked 1 folder(s): tests/ci/broken" in run.stderr
    assert run.stdout == _run(BROKEN).stdout


def test_no_color_and_NO_COLOR(monkeypatch):
    from spec_check.cli import use_color

    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(False) is False
    monkeypatch.delenv("NO_COLOR")
    assert use_color(True) is False
    assert "\033[" not in _run(BROKEN, "--no-color").stdout


def test_version():
    run = run_cli(["--version"])
    assert run.exit_code == 0 and run.stdout == f"spec-check {__version__}\n"


@pytest.mark.parametrize("module", ["sarif", "junit", "github", "markdown", "json", "text", "gitlab", "__init__"])
def test_reporters_never_import_rdflib(module):
    import ast

    tree = ast.parse((ROOT / "src" / "spec_check" / "report" / f"{module}.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {m for m in imported if m.split(".")[0] in ("rdflib", "pyshacl")}


def test_junit_testcases_link_to_the_spec_as_junitparser_reads_them():
    from junitparser import Attr, IntAttr, JUnitXml, TestCase

    class LinkedCase(TestCase):  # junitparser's way to read the attributes pytest also writes
        file = Attr()
        line = IntAttr()

    xml = JUnitXml.fromstring(_run(CI / "cross", BROKEN, "--format", "junit", "--fail-on", "warning").stdout)
    (broken, *_) = list(xml)
    cases = {case.name: LinkedCase.fromelem(case) for case in broken}
    assert (cases["entity-reference"].file, cases["entity-reference"].line) == ("tests/ci/broken/plan.ttl", 23)
    assert (cases["feature-description"].file, cases["feature-description"].line) == (
        "tests/ci/broken/feature.ttl", 9)
    assert (cases["unique-label"].file, cases["unique-label"].line) == ("tests/ci/broken/plan.ttl", 15)
    assert cases["unique-label"].is_failure  # --fail-on warning
    # Below the threshold the place is still given; a rule without findings has none.
    assert (cases["external-reference"].file, cases["external-reference"].line) == ("tests/ci/broken/plan.ttl", 17)
    assert cases["story-priority"].file is None and cases["story-priority"].line is None


# --- SARIF: suppressions, root-relative paths, rule metadata ------------------------------------------

def test_sarif_keeps_suppressed_and_baselined_results_with_suppressions(tmp_path):
    import jsonschema

    baseline = tmp_path / "baseline.json"
    assert _run(BROKEN, "--write-baseline", baseline, "--select", "unique-label").exit_code == 0
    document = json.loads(_run(BROKEN, "--format", "sarif", "--baseline", baseline).stdout)
    jsonschema.validate(document, _sarif_schema())
    results = document["runs"][0]["results"]
    kinds = [(r["ruleId"], [s["kind"] for s in r.get("suppressions", [])]) for r in results]
    # 6 reported, then the sc:ignore'd story-scenarios finding, then the two baselined unique-label ones.
    assert kinds[-3:] == [("story-scenarios", ["inSource"]), ("unique-label", ["external"]),
                          ("unique-label", ["external"])]
    assert all(not k for _, k in kinds[:-3]) and len(kinds) == 8
    # The exit code and the other formats still leave them out.
    text = _run(BROKEN, "--baseline", baseline, "--quiet").stdout
    assert "unique-label" not in text and "story-scenarios" not in text


def test_sarif_paths_are_relative_to_the_repository_root_from_any_sub_folder(monkeypatch):
    import jsonschema

    def uris(document):
        return [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in document["runs"][0]["results"]]

    at_root = json.loads(_run(BROKEN, "--format", "sarif").stdout)
    monkeypatch.chdir(CI)
    below = json.loads(_run("broken", "--format", "sarif").stdout)
    jsonschema.validate(below, _sarif_schema())
    assert uris(below) == uris(at_root)
    assert all(u["uriBaseId"] == "%SRCROOT%" and u["uri"].startswith("tests/ci/broken/") for u in uris(below))
    assert "%SRCROOT%" in below["runs"][0]["originalUriBaseIds"]


def test_sarif_paths_outside_a_repository_are_relative_to_the_working_folder(tmp_path, monkeypatch):
    shutil.copytree(BROKEN, tmp_path / "spec")
    monkeypatch.chdir(tmp_path)
    document = json.loads(_run("spec", "--format", "sarif").stdout)
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in document["runs"][0]["results"]]
    assert {loc["uri"].split("/")[0] for loc in locations} == {"spec"}


def test_sarif_rules_have_a_friendly_name_and_help_links():
    document = json.loads(_run(BROKEN, "--format", "sarif").stdout)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    for rule in driver["rules"]:
        if "-" in rule["id"]:
            assert re.fullmatch(r"(?:[A-Z][a-z0-9]*)+", rule["name"]) and rule["name"] != rule["id"]
        else:  # a one-word id (syntax) would only repeat itself: SARIF says leave the name out
            assert "name" not in rule
        assert rule["helpUri"].startswith("https://") and rule["help"]["markdown"]
    names = {r["id"]: r.get("name") for r in driver["rules"]}
    assert names["task-traced"] == "TaskTraced" and names["unique-label"] == "UniqueLabel"


# --- GitLab Code Quality ----------------------------------------------------------------------------------

GITLAB_SCHEMA = CI / "gitlab" / "codeclimate.schema.json"  # GitLab's own; see tests/ci/gitlab/README.md


@pytest.mark.parametrize("paths", [[SPEC_008], [BROKEN], [CI / "cross", BROKEN]])
def test_gitlab_code_quality_is_valid_against_gitlabs_schema(paths):
    import jsonschema

    issues = json.loads(_run(*paths, "--format", "gitlab").stdout)
    assert isinstance(issues, list)
    validator = jsonschema.Draft7Validator(json.loads(GITLAB_SCHEMA.read_text(encoding="utf-8")))
    for issue in issues:
        validator.validate(issue)
        # What GitLab's documentation adds to the schema.
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["check_name"] and issue["location"]["lines"]["begin"] >= 1
        assert not issue["location"]["path"].startswith(("/", "./"))
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab tells issues apart by it


def test_gitlab_code_quality_says_what_the_text_says(monkeypatch):
    text = _run(BROKEN, "--format", "text", "--quiet").stdout.splitlines()
    issues = json.loads(_run(BROKEN, "--format", "gitlab").stdout)
    as_text = [f"{i['location']['path']}:{i['location']['lines']['begin']}: {i['check_name']} {i['description']}"
               for i in issues]
    expected = [re.sub(r"^(.*?):(\d+):\d+: \[\w+\] (.*) \(([a-z-]+)\)$", r"\1:\2: \4 \3", line) for line in text]
    assert as_text == expected
    assert sorted(i["severity"] for i in issues) == ["info"] + ["major"] * 4 + ["minor"] * 2
    # From a sub-folder, paths stay relative to the repository root.
    monkeypatch.chdir(CI)
    below = json.loads(_run("broken", "--format", "gitlab").stdout)
    assert [i["location"] for i in below] == [i["location"] for i in issues]


# --- Microsoft's SARIF Multitool --------------------------------------------------------------------------

MULTITOOL = CI / "sarif-multitool" / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"


@pytest.mark.parametrize("args", [[SPEC_008], [BROKEN], [CI / "cross", BROKEN], [BROKEN, "--baseline", "BASELINE"]],
                         ids=["008", "broken", "several", "baselined"])
def test_sarif_multitool_validates_without_a_warning(tmp_path, args):
    import subprocess
    import sys

    if not MULTITOOL.is_file() or not sys.platform.startswith("linux"):
        if os.environ.get("CI"):
            pytest.fail("the SARIF Multitool is not installed: .ci/run runs `npm ci` in tests/ci/sarif-multitool")
        pytest.skip("SARIF Multitool missing: run `npm ci` in tests/ci/sarif-multitool")
    if "BASELINE" in args:
        baseline = tmp_path / "baseline.json"
        assert _run(BROKEN, "--write-baseline", baseline, "--select", "unique-label").exit_code == 0
        args = [baseline if a == "BASELINE" else a for a in args]
    sarif = tmp_path / "in.sarif"
    assert _run(*args, "--format", "sarif", "--output", sarif).exit_code in (0, 1)
    report = tmp_path / "validation.sarif"
    run = subprocess.run([str(MULTITOOL), "validate", str(sarif), "--output", str(report)], capture_output=True,
                         text=True, timeout=300, env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"})
    assert run.returncode == 0, run.stdout + run.stderr
    findings = json.loads(report.read_text(encoding="utf-8-sig"))["runs"][0]["results"]
    assert [(r["ruleId"], r["message"].get("text", r["message"])) for r in findings] == []
