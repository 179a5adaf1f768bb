# SPDX-License-Identifier: MIT
"""`spec-check publish` and `query --store/--endpoint` against a real Oxigraph server on 127.0.0.1.

The same folders are published into the embedded store and into the server;
every shipped query must answer the same on both, and each answer is checked
against an independent source: `spec-check check --format json` for findings
and scores, and the single-folder `spec-check query SPEC` for graph content.
The server is killed in the middle of a publish (store_servers.KillingProxy)
to show that a folder is replaced whole or not at all.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, SPEC_008, run_cli
from store_servers import KillingProxy, OxigraphServer

CORPUS = ROOT / "tests" / "store" / "corpus" / "ggen"
FOLDERS = [SPEC_008, CORPUS / "001-poka-yoke-patterns", CORPUS / "014-affiliate-routing", CORPUS / "020-craftplan"]
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z
READY = sorted(p.stem for p in (ROOT / "src" / "spec_check" / "store" / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = OxigraphServer(tmp_path_factory.mktemp("oxigraph")).start()
    yield started
    started.stop()


def publish(target: list[str], folders=FOLDERS, env=None):
    run = run_cli(["publish", *folders, *target, "--repository", "example"], env={**EPOCH, **(env or {})})
    assert run.exit_code == 0, run.stderr
    return run


def ask(target: list[str], query: str, name: bool = False) -> list[dict]:
    """Rows of a store query as {variable: text} (SPARQL JSON results, terms by value)."""
    args = ["query", *target, "--name", query] if name else ["query", *target, query]
    run = run_cli([*args, "--format", "json"])
    assert run.exit_code == 0, run.stderr
    doc = json.loads(run.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def checked(folders=FOLDERS) -> dict:
    run = run_cli(["check", *folders, "--format", "json", "--no-cache"])
    assert run.exit_code in (0, 1), run.stderr
    return json.loads(run.stdout)


def folder_query(folder: Path, query: str) -> list[dict]:
    run = run_cli(["query", folder, query, "--format", "json"])
    assert run.exit_code == 0, run.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(run.stdout)["results"]["bindings"]]


def repo_path(display: str) -> str:
    return Path(display).resolve().relative_to(ROOT).as_posix()


# --------------------------------------------------------------------------- the shipped queries

@pytest.fixture(scope="module")
def published(server, tmp_path_factory):
    """The example and the corpus copies, published into an embedded store and into the server."""
    store = tmp_path_factory.mktemp("embedded") / "store"
    publish(["--store", store])
    publish(["--endpoint", server.query_url])
    return {"store": ["--store", store], "endpoint": ["--endpoint", server.query_url]}


def test_query_list_names_every_shipped_query(cli):
    run = cli(["query", "--list"])
    assert run.exit_code == 0
    listed = [line.split()[0] for line in run.stdout.splitlines()[:-1]]
    assert listed == READY
    assert {"uncovered-p1-stories", "tasks-by-entity", "closure-over-time", "open-tasks-by-phase"} <= set(READY)


@pytest.mark.parametrize("name", READY)
def test_every_shipped_query_answers_the_same_on_the_server_and_the_embedded_store(published, name):
    for fmt in ("json", "csv", "table"):
        runs = [run_cli(["query", *published[t], "--name", name, "--format", fmt]) for t in ("store", "endpoint")]
        assert [r.exit_code for r in runs] == [0, 0], [r.stderr for r in runs]
        assert runs[0].stdout == runs[1].stdout
    assert ask(published["store"], name, name=True), f"{name} answered nothing on the published specs"


def test_closure_over_time_holds_each_folders_score(published):
    rows = ask(published["endpoint"], "closure-over-time", name=True)
    expected = {repo_path(f["path"]): f["closure"] for f in checked()["folders"]}
    assert {r["folder"]: float(r["closure"]) for r in rows} == expected
    assert {r["publishedAt"] for r in rows} == {"2026-01-01T00:00:00Z"}
    assert {r["repository"] for r in rows} == {"example"}


def test_findings_by_rule_counts_what_check_reports(published):
    rows = ask(published["endpoint"], "findings-by-rule", name=True)
    counts: dict = {}
    for f in checked()["findings"]:
        key = (f["rule_id"], "http://www.w3.org/ns/shacl#" + f["severity"].capitalize())
        counts[key] = counts.get(key, 0) + 1
    assert {(r["ruleId"], r["severity"]): int(r["findings"]) for r in rows} == counts


def test_uncovered_p1_stories_are_story_covered_findings_on_p1_stories(published):
    rows = ask(published["store"], "uncovered-p1-stories", name=True)
    uncovered = {(repo_path(f["file"]), f["line"]) for f in checked()["findings"] if f["rule_id"] == "story-covered"}
    assert rows and {(r["file"], int(r["line"])) for r in rows} <= uncovered
    for folder in FOLDERS:
        p1 = folder_query(folder, 'SELECT ?s WHERE { ?s a spec:UserStory ; spec:priority ?p '
                                  'FILTER(STR(?p) = "P1" || REGEX(STR(?p), "[#/:]P1$")) }')
        mine = {r["story"] for r in rows if r["folder"] == repo_path(folder)}
        assert mine <= {r["s"] for r in p1}
    # every story-covered finding on a P1 story is listed: 014 has two
    assert sum(r["folder"].endswith("014-affiliate-routing") for r in rows) == 2


def test_tasks_by_entity_match_each_folders_own_query(published):
    rows = ask(published["endpoint"], "tasks-by-entity", name=True)
    expected = set()
    for folder in FOLDERS:
        for r in folder_query(folder, "SELECT ?entity ?taskId WHERE { ?t a spec:Task ; spec:touchesEntity ?entity "
                                      "OPTIONAL { ?t spec:taskId ?taskId } }"):
            expected.add((repo_path(folder), r["entity"], r.get("taskId")))
    assert {(r["folder"], r["entity"], r.get("taskId")) for r in rows} == expected
    assert len(expected) > 20


def test_open_tasks_by_phase_match_each_folders_own_query(published):
    rows = ask(published["endpoint"], "open-tasks-by-phase", name=True)
    open_008 = sum(int(r["openTasks"]) for r in rows if r["folder"] == repo_path(SPEC_008))
    statuses = folder_query(SPEC_008, "SELECT ?t ?status WHERE { ?t a spec:Task OPTIONAL { ?t spec:status ?status } }")
    assert open_008 == sum(1 for r in statuses if r.get("status") != "done") == 18


def test_free_query_sees_every_folder_with_predeclared_prefixes(published):
    query = "SELECT ?folder (COUNT(?t) AS ?tasks) WHERE { GRAPH ?f { ?x sc:folderPath ?folder ; sc:viewGraph ?v } " \
            "OPTIONAL { GRAPH ?v { ?t a spec:Task } } } GROUP BY ?folder"
    answers = [ask(published[t], query) for t in ("store", "endpoint")]
    assert answers[0] == answers[1]
    assert {r["folder"] for r in answers[0]} == {repo_path(f) for f in FOLDERS}
    tasks = {r["folder"]: int(r["tasks"]) for r in answers[0]}
    assert tasks[repo_path(SPEC_008)] == 30


# --------------------------------------------------------------------------- what the graphs hold

def test_findings_graph_is_a_shacl_validation_report_with_rule_and_position(published):
    from rdflib import RDF, Graph, Literal, URIRef
    from rdflib.namespace import SH

    folder = CORPUS / "014-affiliate-routing"
    graph_name = f"https://spec-check.dev/store/example/{repo_path(folder)}#findings"
    run = run_cli(["query", *published["endpoint"], f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_name}> "
                                                    "{ ?s ?p ?o } }"])
    assert run.exit_code == 0, run.stderr
    graph = Graph().parse(data=run.stdout, format="nt")
    sc = "https://spec-check.dev/ns#"
    [report] = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(False)
    results = list(graph.objects(report, SH.result))
    seen = set()
    for result in results:
        assert (result, RDF.type, SH.ValidationResult) in graph
        for required in (SH.focusNode, SH.resultSeverity, SH.sourceConstraintComponent, SH.resultMessage):
            assert len(list(graph.objects(result, required))) == 1, required
        seen.add((str(graph.value(result, URIRef(sc + "ruleId"))), str(graph.value(result, URIRef(sc + "file"))),
                  int(graph.value(result, URIRef(sc + "line"))), int(graph.value(result, URIRef(sc + "column"))),
                  str(graph.value(result, SH.resultSeverity)).rsplit("#", 1)[1].lower()))
    findings = checked([folder])["findings"]
    expected = {(f["rule_id"], repo_path(f["file"]), f["line"], f["column"], f["severity"]) for f in findings}
    assert seen == expected and len(results) == len(findings) > 0


def test_asserted_and_view_graphs_hold_the_folder_as_read_and_as_the_rules_see_it(published):
    base = f"https://spec-check.dev/store/example/{repo_path(SPEC_008)}"
    count = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}"
    asserted = int(ask(published["store"], count.format(base + "#asserted"))[0]["n"])
    view = int(ask(published["store"], count.format(base + "#view"))[0]["n"])
    folder_view = int(folder_query(SPEC_008, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    assert asserted == checked([SPEC_008])["folders"][0]["triples"] == 1632
    assert view == folder_view and view > asserted


# --------------------------------------------------------------------------- replacing and history

def dump(store: Path) -> list[str]:
    """Every quad of an embedded store, blank node labels blanked (they are per insert)."""
    import re

    import pyoxigraph

    opened = pyoxigraph.Store(str(store))
    try:
        return sorted(re.sub(r"_:\w+", "_:", str(q)) for q in opened)
    finally:
        del opened


def test_publishing_the_same_content_again_changes_nothing(tmp_path):
    store = tmp_path / "store"
    publish(["--store", store], FOLDERS[:2])
    first = dump(store)
    again = publish(["--store", store], FOLDERS[:2], env={"SOURCE_DATE_EPOCH": "1767312000"})  # a day later
    assert "2 of them unchanged" in again.stdout
    assert dump(store) == first
    forced = run_cli(["publish", *FOLDERS[:2], "--store", store, "--repository", "example", "--force"],
                     env={"SOURCE_DATE_EPOCH": "1767398400"})
    assert forced.exit_code == 0 and "unchanged" not in forced.stdout
    assert dump(store) == first  # written again: the same graphs, the run record not repeated
    assert len(first) > 4000


def test_republishing_a_changed_folder_replaces_it_and_history_accumulates(tmp_path):
    folder = tmp_path / "repo" / "specs" / "008-build-optimization-complete"
    shutil.copytree(SPEC_008, folder)
    store = ["--store", tmp_path / "store"]
    publish(store, [folder])
    plan = folder / "plan.ttl"
    text = plan.read_text(encoding="utf-8")
    assert text.count('spec:status "todo"') == 17
    plan.write_text(text.replace('spec:status "todo"', 'spec:status "done"', 1)
                    + '\n:T099 a spec:Task ; rdfs:label "A task that implements nothing" ; spec:taskId "T099" .\n',
                    encoding="utf-8")
    publish(store, [folder], env={"SOURCE_DATE_EPOCH": "1767312000"})
    history = ask(store, "closure-over-time", name=True)
    assert [(r["publishedAt"], float(r["closure"])) for r in history] == [
        ("2026-01-01T00:00:00Z", 100.0), ("2026-01-02T00:00:00Z", checked([folder])["folders"][0]["closure"])]
    assert float(history[1]["closure"]) < 100.0
    open_tasks = sum(int(r["openTasks"]) for r in ask(store, "open-tasks-by-phase", name=True))
    assert open_tasks == 17  # one task fewer open; T099 is in no phase
    graphs = ask(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert len(graphs) == 4  # asserted, view, findings, runs: the old version left nothing behind
    asserted = next(int(r["n"]) for r in graphs if r["g"].endswith("#asserted"))
    assert asserted == checked([folder])["folders"][0]["triples"] == 1632 + 3


# --------------------------------------------------------------------------- a server that fails

def _generate(out: Path, seed: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate_store", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate_store"] = module
    spec.loader.exec_module(module)
    module.generate(out, triples=9_000, folders=6, seed=seed)
    return out / "specs"


def _state(target: list[str]) -> dict:
    """Per folder: (asserted, view, findings) triple counts and the content digest its report names."""
    rows = ask(target, """
        SELECT ?folder ?digest ?kind (COUNT(*) AS ?n) WHERE {
          GRAPH ?f { ?x sc:folderPath ?folder ; sc:contentDigest ?digest ; sc:assertedGraph ?a ; sc:viewGraph ?v }
          VALUES ?kind { "asserted" "view" "findings" }
          BIND(IF(?kind = "asserted", ?a, IF(?kind = "view", ?v, ?f)) AS ?g)
          GRAPH ?g { ?s ?p ?o }
        } GROUP BY ?folder ?digest ?kind""")
    state: dict = {}
    for r in rows:
        entry = state.setdefault(r["folder"].rsplit("/", 1)[1], {"digest": r["digest"]})
        entry[r["kind"]] = int(r["n"])
    return state


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Two versions of six generated folders (same names, other content) and how each looks once published."""
    root = tmp_path_factory.mktemp("versions")
    specs = {"old": _generate(root / "old", seed=1), "new": _generate(root / "new", seed=2)}
    names = sorted(p.name for p in specs["old"].iterdir())
    assert names == sorted(p.name for p in specs["new"].iterdir()) and len(names) == 6
    expect = {}
    work = root / "work"  # published from one place: finding paths are part of a folder's state
    for version, folder in specs.items():  # from the embedded store: the same update text
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(folder, work)
        run = run_cli(["publish", work, "--store", root / version / "store", "--repository", "r"], env=EPOCH)
        assert run.exit_code == 0, run.stderr
        expect[version] = _state(["--store", root / version / "store"])
    assert all(expect["old"][n] != expect["new"][n] for n in names)
    return specs, names, expect, work


@pytest.mark.parametrize(("point", "delay"), [("half-body", 0.0), ("body-sent", 0.0), ("body-sent", 0.05)],
                         ids=["half-sent", "just-sent", "applying"])
def test_killing_the_server_mid_publish_leaves_each_folder_old_or_new_never_a_mix(tmp_path, versions, point, delay):
    specs, names, expect, work = versions
    old, new = specs["old"], specs["new"]
    server = OxigraphServer(tmp_path / "server").start()
    proxy = KillingProxy(server, kill_at=None, point=point, delay=delay)
    try:
        shutil.rmtree(work)
        shutil.copytree(old, work)
        endpoint = ["--endpoint", proxy.query_url]
        run = run_cli(["publish", work, *endpoint, "--repository", "r", "--retries", "0"], env=EPOCH)
        assert run.exit_code == 0, (run.stderr, proxy.errors)
        for name in names:  # the same folder names, new content
            shutil.rmtree(work / name)
            shutil.copytree(new / name, work / name)
        proxy.updates, proxy.kill_at = 0, 3  # the third folder's update
        killed = run_cli(["publish", work, *endpoint, "--repository", "r", "--retries", "0"], env=EPOCH)
        assert proxy.killed.is_set()
        assert killed.exit_code == 2
        [message] = killed.stderr.strip().splitlines()[-1:]
        assert message.startswith("spec-check: error: ") and "2 of 6 folders published before it" in message
        assert "Traceback" not in killed.stderr

        server.start()  # the same data folder
        after = _state(["--endpoint", server.query_url])
        assert sorted(after) == names
        for number, name in enumerate(names, start=1):
            if number < 3:
                assert after[name] == expect["new"][name], name
            elif number > 3:
                assert after[name] == expect["old"][name], name
            else:
                assert after[name] in (expect["old"][name], expect["new"][name]), name
        # publish again: now every folder is new
        run = run_cli(["publish", work, "--endpoint", server.query_url, "--repository", "r"], env=EPOCH)
        assert run.exit_code == 0, run.stderr
        assert _state(["--endpoint", server.query_url]) == expect["new"]
    finally:
        proxy.close()
        server.stop()


def test_a_server_that_is_down_is_exit_2_with_one_line(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens once closed
    run = run_cli(["publish", SPEC_008, "--endpoint", f"http://127.0.0.1:{port}/query", "--retries", "1"])
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and "cannot reach the server" in run.stderr
    assert "after 2 attempts" in run.stderr and "nothing was published" in run.stderr
    query = run_cli(["query", "--endpoint", f"http://127.0.0.1:{port}/query", "--retries", "0", "ASK {}"])
    assert query.exit_code == 2 and "cannot reach the server" in query.stderr


def test_a_server_that_never_answers_times_out_with_exit_2():
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    thread = threading.Thread(target=lambda: [accepted.append(listener.accept()) for _ in range(2)], daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        run = run_cli(["query", "--endpoint", url, "--request-timeout", "0.3", "--retries", "1", "ASK {}"])
        assert run.exit_code == 2
        assert "no answer within 0.3 s (after 2 attempts)" in run.stderr
    finally:
        listener.close()
        for conn, _ in accepted:
            conn.close()


def test_a_request_the_server_rejects_is_exit_2_with_its_message(server):
    run = run_cli(["publish", SPEC_008, "--endpoint", server.query_url, "--update-endpoint", server.url + "/nowhere",
                   "--retries", "3"])
    assert run.exit_code == 2
    assert "the server answered 404" in run.stderr and "(after" not in run.stderr  # a 404 is not retried
    bad = run_cli(["query", "--endpoint", server.query_url, "SELECT ?x WHERE { ?x ?p }"])
    assert bad.exit_code == 2 and "query:1:" in bad.stderr  # parsed here first: nothing sent


def test_credentials_come_from_netrc_or_the_environment_never_the_url(server, tmp_path):
    proxy = KillingProxy(server)
    try:
        netrc = tmp_path / "netrc"
        netrc.write_text("machine 127.0.0.1 login reader password s3cret\n", encoding="utf-8")
        netrc.chmod(0o600)
        run = run_cli(["query", "--endpoint", proxy.query_url, "ASK {}"], env={"NETRC": str(netrc)})
        assert run.exit_code == 0, run.stderr
        assert proxy.headers[-1]["authorization"] == "Basic " + base64.b64encode(b"reader:s3cret").decode()
        run = run_cli(["query", "--endpoint", proxy.query_url, "ASK {}"],
                      env={"NETRC": str(netrc), "SPEC_CHECK_ENDPOINT_TOKEN": "tok"})
        assert run.exit_code == 0 and proxy.headers[-1]["authorization"] == "Bearer tok"
    finally:
        proxy.close()
    refused = run_cli(["query", "--endpoint", f"http://reader:s3cret@127.0.0.1:{server.port}/query", "ASK {}"])
    assert refused.exit_code == 2 and "credentials in the URL are refused" in refused.stderr
    assert "s3cret" not in refused.stderr
    plain = run_cli(["query", "--endpoint", "http://store.example.invalid/query", "ASK {}"],
                    env={"SPEC_CHECK_ENDPOINT_USER": "u", "SPEC_CHECK_ENDPOINT_PASSWORD": "p"})
    assert plain.exit_code == 2 and "only over https" in plain.stderr  # refused before any connection


def test_store_query_errors_are_exit_2(tmp_path, cli):
    missing = cli(["query", "--store", tmp_path / "none", "ASK {}"])
    assert missing.exit_code == 2 and "no store here" in missing.stderr
    service = cli(["query", "--store", tmp_path, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"])
    assert service.exit_code == 2 and "SERVICE is refused" in service.stderr
    unknown = cli(["query", "--store", tmp_path, "--name", "no-such-query"])
    assert unknown.exit_code == 2 and "uncovered-p1-stories" in unknown.stderr
    both = cli(["query", SPEC_008, "ASK {}", "--store", tmp_path])
    assert both.exit_code == 2
    folder_option = cli(["query", "--store", tmp_path, "--inference", "rdfs", "ASK {}"])
    assert folder_option.exit_code == 2 and "apply to a spec folder" in folder_option.stderr
    single_file = cli(["publish", SPEC_008 / "plan.ttl", "--store", tmp_path / "s"])
    assert single_file.exit_code == 2 and "not single files" in single_file.stderr


def test_the_folder_query_still_works_as_before(cli):
    run = cli(["query", SPEC_008, 'SELECT ?id WHERE { ?t spec:taskId ?id ; spec:status "in-progress" }'])
    assert run.exit_code == 0 and run.stdout.splitlines()[2] == "T013"


def test_publish_from_a_git_work_tree_names_repository_and_commit(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(SPEC_008, repo / "specs" / "008")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-C", str(repo)]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "remote", "add", "origin", "https://user:token@example.invalid/org/product.git"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    store = ["--store", tmp_path / "store"]
    run = run_cli(["publish", repo / "specs" / "008", *store], env={**EPOCH, "GIT_CONFIG_GLOBAL": os.devnull})
    assert run.exit_code == 0, run.stderr
    assert "https://spec-check.dev/store/example.invalid%2Forg%2Fproduct/specs/008" in run.stdout
    [row] = ask(store, "closure-over-time", name=True)
    assert (row["repository"], row["folder"], row["commit"]) == ("example.invalid/org/product", "specs/008", commit)
    everything = run_cli(["query", *store, "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"])
    assert "token" not in everything.stdout
    # A later commit that leaves the folder alone adds no run and rewrites nothing.
    (repo / "NOTES.md").write_text("unrelated\n", encoding="utf-8")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "y"], check=True)
    again = run_cli(["publish", repo / "specs" / "008", *store], env={"SOURCE_DATE_EPOCH": "1767312000"})
    assert again.exit_code == 0 and "1 of them unchanged" in again.stdout
    assert [r["commit"] for r in ask(store, "closure-over-time", name=True)] == [commit]


@pytest.mark.parametrize(("remote", "name"), [
    ("https://user:token@github.com/org/product.git", "github.com/org/product"),
    ("git@github.com:org/product.git", "github.com/org/product"),
    ("ssh://git@gitlab.example.com:2222/group/sub/product", "gitlab.example.com:2222/group/sub/product"),
    ("/srv/git/product.git", "product"),
])
def test_repository_names_come_from_the_remote_without_credentials(remote, name):
    from spec_check.store.source import repository_name

    assert repository_name(remote) == name


def test_a_query_waits_for_the_store_a_publish_holds_and_then_says_so(tmp_path, monkeypatch):
    import pyoxigraph

    from spec_check.store.targets import EmbeddedStore

    store = tmp_path / "store"
    publish(["--store", store], FOLDERS[:1])
    monkeypatch.setattr(EmbeddedStore, "LOCK_WAIT", 0.4)
    held = pyoxigraph.Store(str(store))  # as a running publish holds it
    try:
        busy = run_cli(["query", "--store", store, "--name", "closure-over-time"])
        assert busy.exit_code == 2 and "another spec-check process is using it" in busy.stderr
    finally:
        del held
    assert len(ask(["--store", store], "closure-over-time", name=True)) == 1


def test_tls_certificates_are_verified(tmp_path):
    """A server whose certificate the trust store does not vouch for is refused; trusted, it is used."""
    import http.server
    import ssl

    class Answer(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    tls = ROOT / "tests" / "store" / "tls"
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls / "cert.pem", tls / "key.pem")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/query"
        refused = run_cli(["query", "--endpoint", url, "--retries", "0", "ASK {}"])
        assert refused.exit_code == 2 and "TLS failed" in refused.stderr and "CERTIFICATE_VERIFY_FAILED" in refused.stderr
        trusted = run_cli(["query", "--endpoint", url, "ASK {}"], env={"SSL_CERT_FILE": str(tls / "cert.pem")})
        assert trusted.exit_code == 0, trusted.stderr
        assert trusted.stdout == "true\n"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_whole_shared_corpus_answers_the_same_on_both(corpus, tmp_path):
    """Every ggen folder of ../shared/corpus (all dialects, broken files), when it is beside the checkout."""
    server = OxigraphServer(tmp_path / "server").start()
    try:
        _publish_and_compare(corpus, ["--store", tmp_path / "store"], ["--endpoint", server.query_url])
    finally:
        server.stop()


def _publish_and_compare(corpus: Path, store: list, endpoint: list) -> None:
    for target in (store, endpoint):
        run = run_cli(["publish", corpus, *target, "--repository", "shared"], env=EPOCH)
        assert run.exit_code == 0, run.stderr
    for name in READY:
        answers = [run_cli(["query", *t, "--name", name, "--format", "csv"]) for t in (store, endpoint)]
        assert answers[0].exit_code == 0 and answers[0].stdout == answers[1].stdout, name
    folders = {r["folder"] for r in ask(endpoint, "closure-over-time", name=True)
               if r["repository"] == "shared"}
    assert len(folders) == len(checked([corpus])["folders"]) >= 7
