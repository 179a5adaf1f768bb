# SPDX-License-Identifier: MIT
"""`spec-check site`: the files it writes, read as files (the browser tests are in test_site_browser.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, SPEC_008, closure_of, run_cli

SITE_SPECS = ROOT / "tests" / "site" / "specs"
CYCLIC = SITE_SPECS / "cyclic-uncovered"
HOSTILE = SITE_SPECS / "hostile-labels"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of one page (the standard library's parser)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def by_id(self, ident: str) -> tuple[str, dict] | None:
        return next((t for t in self.tags if t[1].get("id") == ident), None)


def write_site(out: Path, *specs: Path) -> Path:
    """`spec-check site SPECS --out OUT`, which must succeed."""
    result = run_cli(["site", *map(str, specs), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_site(tmp_path_factory.mktemp("site") / "out", SPEC_008, SITE_SPECS)


def test_writes_index_a_page_and_a_graph_per_spec_and_the_assets(site):
    names = set(files_of(site))
    for slug in ("008-build-optimization-complete", "cyclic-uncovered", "hostile-labels"):
        assert {f"specs/{slug}/index.html", f"specs/{slug}/graph.html"} <= names
    assert {"index.html", "assets/site.css", "assets/site.js", "assets/graph.js", "assets/search-index.js",
            "assets/vendor/cytoscape.min.js", "assets/vendor/cytoscape-dagre.min.js",
            "assets/vendor/LICENSE-cytoscape.txt", "assets/vendor/LICENSE-dagre.txt"} <= names


def test_same_inputs_give_byte_identical_files(site, tmp_path):
    assert files_of(write_site(tmp_path / "again", SPEC_008, SITE_SPECS)) == files_of(site)


def test_every_page_and_script_refers_only_to_files_of_the_site(site):
    """No CDN, no network: every src/href is relative and names a file that exists (anchors aside)."""
    for name, data in files_of(site).items():
        if not name.endswith(".html"):
            continue
        page = site / name
        for tag, attrs in Elements(data.decode()).tags:
            for key in ("src", "href"):
                ref = attrs.get(key)
                if ref is None or ref.startswith("#"):
                    continue
                assert not re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.I), f"{name}: absolute {key}={ref}"
                target = (page.parent / ref.split("#")[0]).resolve()
                assert target.is_file(), f"{name}: {key}={ref} names no file of the site"


def test_index_shows_score_counts_and_findings_by_severity(site):
    index = (site / "index.html").read_text()
    text = " ".join(Elements(index).text)
    cyclic = closure_of(CYCLIC)  # 3 violations: the figures the site must show
    assert "100.0%" in text and f"{cyclic.closure:.1f}%" in text and cyclic.closure < 100
    row = re.search(r'<a href="specs/cyclic-uncovered/index.html">.*?</tr>', index, re.S).group(0)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert cells[1:] == [f"{cyclic.checks_passed} / {cyclic.checks_applied}", "1 / 2", "1 / 2", "1 / 4", "3", "0", "0"]


def test_story_and_task_link_each_other_both_ways(site):
    page = Elements((site / "specs/008-build-optimization-complete/index.html").read_text())
    html = (site / "specs/008-build-optimization-complete/index.html").read_text()
    # US1-S1 is implemented by T004 and T022; T004 says it implements US1-S1.
    scenario = re.search(r'<div class="node scenario" id="(scenario\d+)">\s*<h4><span class="id">US1-S1</span>',
                         html).group(1)
    task = re.search(r'<div class="node task[^"]*" id="(task\d+)">\s*<h4><span class="id">T004</span>', html).group(1)
    scenario_block = html[html.index(f'id="{scenario}"'):]
    scenario_block = scenario_block[:scenario_block.index("</div>")]
    assert f'<a href="#{task}">T004</a>' in scenario_block
    task_block = html[html.index(f'id="{task}"'):]
    task_block = task_block[:task_block.index("</div>")]
    assert f'<a href="#{scenario}">US1-S1</a>' in task_block
    assert page.by_id(scenario) and page.by_id(task)


def test_findings_sit_next_to_their_node_with_file_and_line(site):
    html = (site / "specs/cyclic-uncovered/index.html").read_text()
    story = html[html.index('id="story2"'):]
    story = story[:story.index('id="scenario2"')]
    assert "story-covered" in story and "tests/site/specs/cyclic-uncovered/feature.ttl:21" in story
    t002 = re.search(r'<div class="node task[^"]*" id="task\d+">\s*<h4><span class="id">T002</span>.*?</div>',
                     html, re.S).group(0)
    assert "dependency-cycle" in t002 and "plan.ttl:30" in t002 and "critical" not in t002.split("</h4>")[0]
    assert "cycle</span>" in t002


def test_matrix_lists_the_uncovered_story_first(site):
    html = (site / "specs/cyclic-uncovered/index.html").read_text()
    matrix = html[html.index('id="story-matrix"'):]
    rows = re.findall(r'<tr class="cov-(\w+)">.*?</tr>', matrix[:matrix.index("</table>")], re.S)
    assert rows[0] == "uncovered" and "US2 Email the report" in re.findall(r"<tr class.*?</tr>", matrix, re.S)[0]
    assert rows[1:] == ["covered"]
    req = html[html.index('id="requirement-matrix"'):]
    assert re.findall(r'<tr class="cov-(\w+)">', req[:req.index("</table>")]) == ["uncovered", "covered"]


def test_graph_data_marks_the_cycle_and_the_critical_path(site):
    html = (site / "specs/cyclic-uncovered/graph.html").read_text()
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
                      .group(1))
    cycle = sorted(n["label"].split()[0] for n in data["nodes"] if n["cycle"])
    assert cycle == ["T002", "T003"]
    assert sorted((e["source"], e["target"]) for e in data["edges"] if e["cycle"]) == [
        ("task2", "task3"), ("task3", "task2")]
    critical = [n["label"].split()[0] for n in data["nodes"] if n["critical"]]
    assert critical == ["T001", "T004"]  # the cycle takes no part; T001 (3 h) then T004 (1 h)


def test_hostile_labels_are_text_and_never_links(site):
    for name in ("specs/hostile-labels/index.html", "specs/hostile-labels/graph.html", "index.html"):
        html = (site / name).read_text()
        page = Elements(html)
        scripts = [a.get("src") for t, a in page.tags if t == "script"]
        assert all(s is None or s.endswith(".js") for s in scripts)
        assert not [t for t, _ in page.tags if t in ("img", "iframe", "style")], name
        assert not [a for t, a in page.tags for k, v in a.items() if k.startswith("on")], name
        assert not [a for t, a in page.tags if (a.get("href") or "").lower().startswith("javascript")], name
        assert "window.__pwned" not in "".join(s for s in re.findall(r"<script>(.*?)</script>", html, re.S))
    text = " ".join(Elements((site / "specs/hostile-labels/index.html").read_text()).text)
    assert "Hostile <script>window.__pwned = 1</script> feature" in text
    assert '"><img src=x onerror="window.__pwned = 5">' in text
    assert "&lt;escaped&gt; stays &amp; visible" in text  # escaped once, shown as written
    search = (site / "assets/search-index.js").read_text()
    assert "<" not in search and "</script" not in search.lower()


def test_history_reports_give_a_trend(tmp_path):
    report = tmp_path / "old.json"
    result = run_cli(["check", str(CYCLIC), "--format", "json", "--output", str(report), "--no-cache"])
    assert result.exit_code == 1
    data = json.loads(report.read_text())
    data["folders"][0]["closure"] = 50.0
    report.write_text(json.dumps(data))
    out = tmp_path / "out"
    assert run_cli(["site", str(CYCLIC), "--out", str(out), "--history", str(report)]).exit_code == 0
    index = (out / "index.html").read_text()
    assert f"old.json 50.0%, this run {closure_of(CYCLIC).closure:.1f}%" in index
    assert '<polyline points="0.0,12.0 100.0,1.9"/>' in index


@pytest.mark.parametrize("content, message", [
    ("{not json", "history report is not JSON"),
    ('{"folders": [{"path": 1}]}', "is not a `spec-check --format json` report"),
])
def test_a_bad_history_report_is_exit_2_naming_the_file(tmp_path, content, message):
    report = tmp_path / "bad.json"
    report.write_text(content)
    result = run_cli(["site", str(CYCLIC), "--out", str(tmp_path / "out"), "--history", str(report)])
    assert result.exit_code == 2
    assert message in result.stderr and "bad.json" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_spec_folder_is_exit_2_and_writes_nothing(tmp_path):
    result = run_cli(["site", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "nope" in result.stderr
    assert not (tmp_path / "out").exists()


def test_writes_only_inside_out_and_leaves_unchanged_files_alone(tmp_path):
    out = tmp_path / "deep" / "out"
    assert run_cli(["site", str(CYCLIC), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep"]
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = run_cli(["site", str(CYCLIC), "--out", str(out)])
    assert "wrote 0 of" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_pages_are_readable_by_everyone_like_any_other_file(tmp_path):
    out = tmp_path / "out"
    assert run_cli(["site", str(CYCLIC), "--out", str(out)]).exit_code == 0
    assert (out / "index.html").stat().st_mode & 0o044 == 0o044


def test_refuses_a_path_outside_out(tmp_path):
    from spec_check.cli.site import inside
    from spec_check.errors import SpecCheckError

    for name in ("../x.html", "/etc/x", "a/../../x", "a\\..\\x", ""):
        with pytest.raises(SpecCheckError):
            inside(tmp_path, name)
    assert inside(tmp_path, "specs/a/index.html") == tmp_path / "specs" / "a" / "index.html"


def test_each_page_of_the_008_site_stays_under_1_mb(site):
    sizes = {n: len(d) for n, d in files_of(site).items() if n.endswith(".html")}
    assert sizes and max(sizes.values()) < 1_000_000, sizes


def test_a_folder_that_does_not_parse_still_gets_a_page_with_the_syntax_finding_on_top(tmp_path):
    out = write_site(tmp_path / "out", ROOT / "tests" / "site" / "broken" / "bad-syntax")
    html = (out / "specs/bad-syntax/index.html").read_text()
    top = html[html.index('id="findings"'):html.index("</section>")]
    assert "syntax" in top and "tests/site/broken/bad-syntax/feature.ttl:10" in top
    assert "incomplete" in html and "feature.ttl did not parse" in " ".join(Elements(html).text)


def test_history_from_git_revisions_checks_each_folder_as_it_was(tmp_path, monkeypatch):
    import shutil
    import subprocess

    repo = tmp_path / "repo"
    shutil.copytree(CYCLIC, repo / "specs" / "export")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "with a cycle"], check=True)
    plan = repo / "specs" / "export" / "plan.ttl"
    plan.write_text(plan.read_text().replace("    spec:dependsOn :T2 ;\n", ""))  # T003 no longer needs T002
    monkeypatch.chdir(repo)
    result = run_cli(["site", "specs/export", "--out", "out", "--history", "HEAD"])
    assert result.exit_code == 0, result.stderr
    before, after = closure_of(CYCLIC).closure, closure_of(repo / "specs" / "export").closure
    assert before < after  # the cycle is gone
    assert f"HEAD {before:.1f}%, this run {after:.1f}%" in (repo / "out" / "index.html").read_text()
    bad = run_cli(["site", "specs/export", "--out", "out2", "--history", "no-such-rev"])
    assert bad.exit_code == 2 and "neither" in bad.stderr and not (repo / "out2").exists()
