# SPDX-License-Identifier: MIT
"""Issue 20: a CI gate nobody can forge or turn against its runner.

One test (or a few) per numbered item of the independent attack; each fails on
the code before the fix. Items 9, 10 (CRLF) and 11 are folder cases under
tests/hostile/ (literal-as-predicate*, quoted-effort*, crlf-finding-lines,
trig-graphs-positions, cyclic-list*, marker-fifo-and-dangling-link). Network
tests run twice over: in-process with every socket call made to fail and
recorded (test_hostile.no_network), and in a child process with the network
open while a loopback listener counts connections, which must stay at zero.
"""

from __future__ import annotations

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
from test_hostile import no_network  # noqa: F401 - the fixture

DATA = ROOT / "tests" / "security-data"


# -- helpers -------------------------------------------------------------------------------------

@pytest.fixture
def spec(tmp_path) -> Path:
    target = tmp_path / "work" / "spec"
    shutil.copytree(SPEC_008, target)
    return target


def broken(spec: Path) -> Path:
    """The 008 spec with a user story no feature links: at least one violation."""
    (spec / "extra.ttl").write_text("@prefix spec: <https://ggen.dev/spec#> .\n"
                                    "@prefix : <https://ggen.dev/specs/008-build-optimization-complete#> .\n"
                                    ":US99 a spec:UserStory .\n", encoding="utf-8")
    return spec


def child(args: list, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m spec_check ARGS` in a child process (the network open, no monkeypatching)."""
    full = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    full = {k: v for k, v in full.items() if v is not None}
    return subprocess.run([sys.executable, "-m", "spec_check", *map(str, args)], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=timeout)


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_the_listener_sees_a_connection(listener):
    """The oracle must be able to fail: a plain connect is counted."""
    with socket.create_connection(("127.0.0.1", listener.port), timeout=2):
        pass
    for _ in range(50):
        if listener.connections:
            break
        threading.Event().wait(0.05)
    assert listener.connections == 1


# -- item 1: a forged result cache -------------------------------------------------------------

def forge(cache: Path) -> int:
    """Rewrite every cached result as closed: no findings, nothing failed. Returns the entries forged."""
    forged = 0
    for entry in cache.rglob("*.json"):
        raw = entry.read_text(encoding="utf-8")
        signature, _, body = raw.partition("\n") if not raw.startswith(("{", "[")) else ("", "", raw)
        doc = json.loads(body)
        results = doc if isinstance(doc, list) else [doc.get("result", doc)] if isinstance(doc, dict) else []
        for result in results:
            if isinstance(result, dict) and "findings" in result:
                result.update(findings=[], checks_failed=0)
                forged += 1
        text = json.dumps(doc)
        entry.write_text(f"{signature}\n{text}" if signature else text, encoding="utf-8")
    return forged


def test_a_cache_committed_in_the_checkout_is_never_read(spec, tmp_path):
    """A pull request commits .spec-check-cache/ saying "closure 100 %" for its broken spec."""
    work = broken(spec).parent
    user_cache = tmp_path / "user-cache"
    made = child(["spec", "--format", "json"], work, {"SPEC_CHECK_CACHE_DIR": str(work / ".spec-check-cache"),
                                                       "XDG_CACHE_HOME": str(user_cache)})
    assert made.returncode == 1, made.stderr
    assert forge(work / ".spec-check-cache") >= 1
    run = child(["spec"], work, {"SPEC_CHECK_CACHE_DIR": None, "XDG_CACHE_HOME": str(user_cache)})
    assert run.returncode == 1, run.stdout + run.stderr
    assert ":US99" in run.stdout


def test_a_forged_entry_in_the_cache_folder_is_a_miss(spec, tmp_path):
    """Even where the cache lives (SPEC_CHECK_CACHE_DIR pointing into the checkout), an entry
    that our per-user key did not sign is never trusted."""
    broken(spec)
    cache = tmp_path / "cache"
    env = {"SPEC_CHECK_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(tmp_path / "user")}
    assert run_cli([spec], env=env).exit_code == 1
    assert forge(cache) >= 1
    again = run_cli([spec], env=env)
    assert again.exit_code == 1 and ":US99" in again.stdout


def test_the_secret_lives_outside_the_cache_folder_and_is_private(spec, tmp_path):
    cache, user = tmp_path / "cache", tmp_path / "user"
    run_cli([spec], env={"SPEC_CHECK_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(user)})
    key = user / "spec-check" / "secret.key"
    assert key.is_file() and (key.stat().st_mode & 0o077) == 0
    assert not list(cache.rglob("secret.key"))
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").is_file()


def test_an_entry_linked_to_dev_zero_is_a_miss(spec, tmp_path):
    cache = tmp_path / "cache"
    env = {"SPEC_CHECK_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(tmp_path / "user")}
    first = run_cli([spec, "--format", "json"], env=env)
    entries = sorted(cache.rglob("*.json"))
    assert entries
    for entry in entries:
        entry.unlink()
        entry.symlink_to("/dev/zero")
    again = run_cli([spec, "--format", "json"], env=env)  # before: read until memory ran out
    assert again.exit_code == first.exit_code == 0 and again.stdout == first.stdout


def test_signed_entries_of_the_wrong_shape_are_misses(tmp_path):
    """Valid JSON with the right signature but wrong types decodes to a miss, never a crash later."""
    from spec_check.cache import ResultCache

    cache = ResultCache(tmp_path / "cache", key_folder=tmp_path / "user")
    bad_bodies = ['{"result": {"path": 1}}', "[1, 2]", '[{"path": "x", "files": "not a list", "triples": 1, '
                  '"findings": [], "checks_applied": 1, "checks_failed": 0}]', "null", '"text"',
                  '[{"path": "x", "files": [], "triples": "many", "findings": [], "checks_applied": 1, '
                  '"checks_failed": 0}]', '[{"path": "x", "files": [], "triples": 1, "findings": '
                  '[{"severity": "fatal"}], "checks_applied": 1, "checks_failed": 0}]']
    for i, body in enumerate(bad_bodies):
        cache._write("runs", f"k{i}", body)
        cache._write("folders", f"k{i}", body)
        cache._write("rules", f"k{i}", body)
        assert cache.get_run(f"k{i}") is None and cache.get_folder(f"k{i}") is None
        assert cache.get_rules(f"k{i}") is None
    # A folder's rule_checks (rule id -> [applied, failed]) are checked pair by pair: anything but two ints is a miss.
    run = ('[{"path": "x", "files": [], "triples": 1, "findings": [], "checks_applied": 1, "checks_failed": 0, '
           '"rule_checks": %s}]')
    for i, checks in enumerate(['{"r": [1, true]}', '{"r": [1]}', '{"r": [1, 2, 3]}', '{"r": "1, 2"}', '{"r": [1.5, 2]}',
                                '{"r": [1, "2"]}', '[["r", [1, 2]]]']):
        cache._write("runs", f"checks{i}", run % checks)
        assert cache.get_run(f"checks{i}") is None, checks
    cache._write("runs", "checks-good", run % '{"r": [3, 1], "s": [0, 0]}')
    assert cache.get_run("checks-good")[0].rule_checks == {"r": (3, 1), "s": (0, 0)}
    good = '[{"path": "x", "files": ["x/a.ttl"], "triples": 1, "findings": [], "checks_applied": 1, "checks_failed": 0}]'
    cache._write("runs", "good", good)
    assert cache.get_run("good")[0].files == ("x/a.ttl",)


def test_the_cache_prunes_itself(tmp_path):
    from spec_check.cache import ResultCache

    cache = ResultCache(tmp_path / "cache", key_folder=tmp_path / "user")
    for i in range(5):
        cache._write("runs", f"k{i}", "[]")
    old = tmp_path / "cache" / "runs" / "k0.json"
    os.utime(old, (1, 1))  # unused since 1970
    fresh = ResultCache(tmp_path / "cache", key_folder=tmp_path / "user")
    fresh.prune(max_bytes=10**9, max_age_days=30)
    assert not old.exists() and len(list((tmp_path / "cache" / "runs").glob("*.json"))) == 4
    ResultCache(tmp_path / "cache", key_folder=tmp_path / "user").prune(max_bytes=1, max_age_days=30)
    assert not list((tmp_path / "cache" / "runs").glob("*.json"))


def test_the_key_changes_when_a_file_becomes_a_link(tmp_path):
    from spec_check.cache import files_digest

    real = tmp_path / "a.ttl"
    real.write_text("@prefix : <https://example.org/> .\n:a :b :c .\n", encoding="utf-8")
    plain = tmp_path / "b.ttl"
    shutil.copy(real, plain)
    before = files_digest([plain])
    plain.unlink()
    plain.symlink_to(real)
    assert files_digest([plain]) != before


def test_the_default_cache_is_outside_the_working_folder(tmp_path, monkeypatch):
    from spec_check.cache import default_cache_dir

    monkeypatch.delenv("SPEC_CHECK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    assert default_cache_dir() == tmp_path / "xdg" / "spec-check"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "spec-check"


# -- item 2: templates read any file ---------------------------------------------------------

@pytest.mark.parametrize("layout", ["linked-template", "linked-include", "linked-folder"])
def test_templates_never_leave_their_folder(spec, tmp_path, layout):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN\n", encoding="utf-8")
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    if layout == "linked-template":
        (tpl / "env.md.j2").symlink_to(secret)
    elif layout == "linked-include":
        (tpl / "env.md.j2").write_text('{% include "_secret.j2" %}\n', encoding="utf-8")
        (tpl / "_secret.j2").symlink_to(secret)
    else:
        outside = tmp_path / "elsewhere"
        outside.mkdir()
        shutil.copy(secret, outside / "leak.j2")
        (tpl / "parts").symlink_to(outside)
        (tpl / "env.md.j2").write_text('{% include "parts/leak.j2" %}\n', encoding="utf-8")
    run = run_cli(["render", spec, "--out", tmp_path / "docs", "--templates", tpl])
    assert run.exit_code == 2, run.stdout + run.stderr
    assert "outside the templates folder" in run.stderr
    assert "TOP-SECRET" not in run.stdout + run.stderr
    assert not (tmp_path / "docs" / "env.md").exists()


def test_a_template_inside_its_folder_still_renders(spec, tmp_path):
    tpl = tmp_path / "tpl"
    (tpl / "parts").mkdir(parents=True)
    (tpl / "parts" / "_title.j2").write_text("# {{ doc.feature.label }}\n", encoding="utf-8")
    (tpl / "mine.md.j2").write_text('{% include "parts/_title.j2" %}\n', encoding="utf-8")
    run = run_cli(["render", spec, "--out", tmp_path / "docs", "--templates", tpl])
    assert run.exit_code == 0, run.stderr
    assert "# Build optimization" in (tmp_path / "docs" / "mine.md").read_text(encoding="utf-8")


# -- item 3: render --check prints linked files ----------------------------------------------

@pytest.mark.parametrize("command", [["render", "{spec}", "--out", "{docs}"],
                                     ["tasks", "{spec}", "-o", "{docs}/spec.md"],
                                     ["report", "{spec}", "-o", "{docs}/spec.md"]])
def test_check_never_reads_a_linked_file(spec, tmp_path, command):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "spec.md").symlink_to(secret)
    args = [a.format(spec=spec, docs=docs) for a in command] + ["--check"]
    run = run_cli(args)
    assert run.exit_code == 1, run.stdout + run.stderr
    assert "TOP-SECRET" not in run.stdout + run.stderr
    assert "spec.md: link, not read; stale" in run.stdout


def test_check_never_reads_a_fifo(spec, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    os.mkfifo(docs / "tasks.md")  # before: blocked for ever
    run = run_cli(["tasks", spec, "-o", docs / "tasks.md", "--check"])
    assert run.exit_code == 1 and "not a regular file, not read" in run.stdout


# -- item 4: gates and queries open network connections ---------------------------------------

SERVICE_GATE = "# gate: leak\nASK {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}\n"
FROM_GATE = "# gate: leak\nASK FROM <{url}/data.ttl> {{ ?s ?p ?o }}\n"


@pytest.mark.parametrize("gate", [SERVICE_GATE, FROM_GATE], ids=["service", "from"])
def test_a_gate_never_reaches_the_network(spec, tmp_path, listener, no_network, gate):  # noqa: F811
    rq = tmp_path / "leak.rq"
    rq.write_text(gate.format(url=listener.url), encoding="utf-8")
    run = run_cli([spec, "--rules", rq])
    assert run.exit_code == 2 and "never reaches the network" in run.stderr, run.stderr
    assert no_network == [] and listener.connections == 0


def test_a_gate_never_reaches_the_network_in_a_child_process(spec, tmp_path, listener):
    rq = tmp_path / "leak.rq"
    rq.write_text(SERVICE_GATE.format(url=listener.url), encoding="utf-8")
    run = child([spec, "--rules", rq, "--no-cache"], tmp_path)
    assert run.returncode == 2, run.stderr
    assert listener.connections == 0


def test_query_refuses_service_unless_allowed(spec, tmp_path, listener, no_network):  # noqa: F811
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"
    run = run_cli(["query", spec, query])
    assert run.exit_code == 2 and "pass --allow-service" in run.stderr
    assert no_network == [] and listener.connections == 0
    lowercase = f"select * {{ service <{listener.url}/x> {{ ?s ?p ?o }} }}"
    assert run_cli(["query", spec, lowercase]).exit_code == 2
    assert no_network == [] and listener.connections == 0


def test_query_reaches_the_service_only_when_asked(spec, tmp_path, listener):
    """--allow-service really lets SERVICE run: the listener sees the request (the guard is no stub)."""
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"
    run = child(["query", spec, query, "--allow-service", "--timeout", "20"], tmp_path)
    assert run.returncode == 2  # the listener hangs up: the query fails, after connecting
    assert listener.connections >= 1


# -- item 5: JSON-LD contexts --------------------------------------------------------------------

def jsonld(context) -> str:
    # "p" is used as a term, so a context scoped to it is processed too.
    return json.dumps({"@context": context, "@id": "https://example.org/x", "https://example.org/p": "v",
                       "p": {"@id": "https://example.org/y", "https://example.org/q": "w"}})


@pytest.mark.parametrize("shape", ["nested-list", "import", "scoped"])
def test_jsonld_contexts_are_never_fetched(spec, listener, no_network, shape):  # noqa: F811
    url = f"{listener.url}/context.jsonld"
    context = {"nested-list": [[url]], "import": {"@version": 1.1, "@import": url},
               "scoped": {"@version": 1.1, "p": {"@id": "https://example.org/p", "@context": [[url]]}}}[shape]
    (spec / "data.jsonld").write_text(jsonld(context), encoding="utf-8")
    run = run_cli([spec, "--no-cache"])
    assert run.exit_code == 1 and "(unsafe-input)" in run.stdout, run.stdout
    assert no_network == [] and listener.connections == 0


def test_jsonld_nested_context_in_a_child_process(spec, tmp_path, listener):
    (spec / "data.jsonld").write_text(jsonld([[f"{listener.url}/c.jsonld"]]), encoding="utf-8")
    run = child([spec, "--no-cache"], tmp_path)
    assert run.returncode == 1 and "unsafe-input" in run.stdout
    assert listener.connections == 0


def test_jsonld_context_paths_outside_the_folder_are_not_read(spec, tmp_path):
    secret = tmp_path / "secret.jsonld"
    secret.write_text('{"@context": {"leak": "https://example.org/TOP-SECRET#"}}', encoding="utf-8")
    for name, context in (("abs.jsonld", str(secret)), ("up.jsonld", "../../secret.jsonld"),
                          ("file.jsonld", secret.as_uri())):
        (spec / name).write_text(jsonld(context), encoding="utf-8")
    (spec / "link.jsonld").write_text(jsonld("linked-context.jsonld"), encoding="utf-8")
    (spec / "linked-context.jsonld").symlink_to(secret)
    run = run_cli([spec, "--no-cache", "--follow-symlinks"])
    assert run.stdout.count("lies outside the spec folder") == 4, run.stdout
    assert "TOP-SECRET" not in run.stdout


def test_a_jsonld_context_inside_the_folder_is_read(spec):
    (spec / "ctx.jsonld").write_text('{"@context": {"p": "https://example.org/p"}}', encoding="utf-8")
    (spec / "data.jsonld").write_text(json.dumps({"@context": "ctx.jsonld", "@id": "https://example.org/x",
                                                  "p": "v"}), encoding="utf-8")
    run = run_cli([spec, "--no-cache"])
    assert run.exit_code == 0 and "unsafe-input" not in run.stdout, run.stdout


# -- item 6: diff REV:path -----------------------------------------------------------------------

def crafted_repository(repo: Path, escape: Path) -> None:
    """A git repository whose branch `evil` holds spec/ with a file named by an absolute path."""
    sys.path.insert(0, str(DATA))
    try:
        from crafted_git_tree import build
    finally:
        sys.path.remove(str(DATA))
    build(repo, str(escape))


def test_diff_never_writes_outside_its_temporary_folder(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo, escape = tmp_path / "repo", tmp_path / "escaped.ttl"
    repo.mkdir()
    crafted_repository(repo, escape)
    run = child(["diff", "evil:spec", "evil:spec", "--no-check"], repo)
    assert run.returncode == 0, run.stderr
    assert not escape.exists()


def test_diff_refuses_a_revision_that_looks_like_an_option(tmp_path):
    out = tmp_path / "written-by-git"
    run = run_cli(["diff", "--no-check", "--", f"--output={out}:spec", str(SPEC_008)])
    assert run.exit_code == 2 and "cannot start with '-'" in run.stderr
    assert not out.exists()


# -- item 8: time limits ---------------------------------------------------------------------------

@pytest.mark.parametrize("template", ["{{ 9 ** (9 ** 9) }}", "{{ 'x' * 10 ** 12 }}",
                                      "{% for a in range(100000) %}{% for b in range(100000) %}"
                                      "0123456789{% endfor %}{% endfor %}"])
def test_user_templates_are_bounded(spec, tmp_path, template):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "bomb.md.j2").write_text(template + "\n", encoding="utf-8")
    run = run_cli(["render", spec, "--out", tmp_path / "docs", "--templates", tpl, "--timeout", "60"])
    assert run.exit_code == 2 and "template sandbox refused" in run.stderr, run.stderr


def test_a_template_loop_that_writes_nothing_stops_at_the_timeout(spec, tmp_path):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "spin.md.j2").write_text("{% for a in range(100000) %}{% for b in range(100000) %}"
                                    "{% endfor %}{% endfor %}\n", encoding="utf-8")
    run = run_cli(["render", spec, "--out", tmp_path / "docs", "--templates", tpl, "--timeout", "1"])
    assert run.exit_code == 2 and "took longer than the --timeout of 1s" in run.stderr


@pytest.mark.parametrize("query", [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    'SELECT ?s WHERE { ?s a <https://ggen.dev/spec#Feature> '
    'FILTER(REGEX("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "^(a+)+$")) }',
])
def test_query_stops_at_the_timeout(spec, query):
    run = run_cli(["query", spec, query, "--timeout", "1"])
    assert run.exit_code == 2 and "the query took longer than the --timeout of 1s" in run.stderr, run.stderr


def test_construct_of_a_cyclic_list_as_turtle_does_not_loop(spec):
    query = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
             "CONSTRUCT { _:a rdf:first 1 ; rdf:rest _:a } WHERE {}")
    run = run_cli(["query", spec, query, "-f", "turtle", "--timeout", "30"])
    assert run.exit_code == 2 and "use -f nt" in run.stderr


def test_owlrl_on_a_transitive_chain_stops_at_the_timeout(tmp_path):
    folder = tmp_path / "chain"
    folder.mkdir()
    lines = ["@prefix owl: <http://www.w3.org/2002/07/owl#> .", "@prefix : <https://example.org/c#> .",
             ":next a owl:TransitiveProperty ."]
    lines += [f":n{i} :next :n{i + 1} ." for i in range(600)]
    (folder / "chain.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_cli([folder, "--inference", "owlrl", "--timeout", "2", "--no-cache"])
    assert run.exit_code == 1 and "(timeout)" in run.stdout


@pytest.mark.parametrize("command", [["check", "{spec}"], ["render", "{spec}", "--out", "{out}"],
                                     ["tasks", "{spec}"], ["report", "{spec}"], ["query", "{spec}", "ASK {{}}"],
                                     ["diff", "{spec}", "{spec}"]])
@pytest.mark.parametrize("value", ["inf", "nan", "0"])
def test_every_command_takes_a_finite_timeout(spec, tmp_path, command, value):
    args = [a.format(spec=spec, out=tmp_path / "out") for a in command] + ["--timeout", value]
    run = run_cli(args)
    assert run.exit_code == 2, run.stdout + run.stderr
    assert run.stderr.startswith("spec-check: error: --timeout:") and "internal error" not in run.stderr


# -- Low: what reaches the terminal and the log --------------------------------------------------

def test_gate_parse_errors_do_not_quote_the_file(spec, tmp_path):
    rq = tmp_path / "secret.rq"
    rq.write_text("AWS_SECRET_ACCESS_KEY=abcd1234TOPSECRET\n", encoding="utf-8")
    run = run_cli([spec, "--rules", rq])
    assert run.exit_code == 2 and "TOPSECRET" not in run.stderr and "line 1" in run.stderr


@pytest.mark.parametrize("key", ["baseline", "shapes"])
def test_config_paths_to_devices_are_not_read(spec, tmp_path, key):
    config = tmp_path / "spec-check.toml"
    value = '"/dev/zero"' if key == "baseline" else '["/dev/zero"]'
    config.write_text(f"{key} = {value}\n", encoding="utf-8")
    run = run_cli([spec, "--config", config])
    assert run.exit_code == 2 and "not a regular file" in run.stderr, run.stderr


@pytest.mark.parametrize("kind", ["toml", "json"])
def test_deeply_nested_config_and_baseline_are_clean_errors(spec, tmp_path, kind):
    config = tmp_path / "spec-check.toml"
    if kind == "toml":
        config.write_text("a = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    else:
        (tmp_path / "baseline.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
        config.write_text('baseline = "baseline.json"\n', encoding="utf-8")
    run = run_cli([spec, "--config", config])
    assert run.exit_code == 2 and "internal error" not in run.stderr
    assert str(config if kind == "toml" else tmp_path / "baseline.json") in run.stderr


def test_pyshacl_warnings_stay_off_stderr(spec):
    (spec / "self.ttl").write_text("@prefix spec: <https://ggen.dev/spec#> .\n"
                                   "@prefix : <https://ggen.dev/specs/008-build-optimization-complete#> .\n"
                                   ":US1 spec:relatedStories :US1 .\n", encoding="utf-8")
    run = child([spec, "--shapes", DATA / "recursive-shape.ttl", "--engine", "pyshacl", "--no-cache"], spec.parent)
    assert run.returncode in (0, 1) and run.stderr == "", run.stderr


HOSTILE_TEXT = "evil\x1b]0;pwned\x07\x1b[2J\x9b31m\x85next\u2028line\u202eright-to-left\u2066"


def _assert_no_raw_controls(text: str):
    from spec_check.terminal import has_controls

    for line in text.split("\n"):
        assert not has_controls(line.replace("\t", " ")), repr(line)


@pytest.mark.parametrize("fmt", ["text", "github", "markdown"])
def test_findings_never_carry_terminal_controls(spec, fmt):
    (spec / "odd.ttl").write_text("@prefix spec: <https://ggen.dev/spec#> .\n"
                                  f"<https://example.org/x\u202ey\u2066z> a spec:UserStory .\n", encoding="utf-8")
    (spec / "esc\x1b]0;title\x07name\x9b.ttl").write_text("not turtle\n", encoding="utf-8")
    run = run_cli([spec, "--format", fmt, "--no-cache"])
    assert run.exit_code == 1
    assert "u202e" in run.stdout and "x1b" in run.stdout, run.stdout  # shown, escaped
    _assert_no_raw_controls(run.stdout + run.stderr)


def test_rendered_tasks_and_wrote_lines_never_carry_terminal_controls(spec, tmp_path):
    plan = spec / "plan.ttl"
    plan.write_text(plan.read_text(encoding="utf-8").replace('rdfs:label "', f'rdfs:label "{HOSTILE_TEXT} ', 1),
                    encoding="utf-8")
    tasks = run_cli(["tasks", spec])
    assert tasks.exit_code == 0
    _assert_no_raw_controls(tasks.stdout)
    out = tmp_path / f"out{HOSTILE_TEXT[:6]}"
    written = run_cli(["render", spec, "--out", out])
    assert written.exit_code == 0 and "wrote " in written.stderr
    _assert_no_raw_controls(written.stderr)


def test_query_output_and_warnings_never_carry_terminal_controls(spec):
    (spec / "odd.ttl").write_text("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                                  f'<https://example.org/x> rdfs:label "{HOSTILE_TEXT}" .\n', encoding="utf-8")
    (spec / f"broken{HOSTILE_TEXT[:5]}.ttl").write_text("this is not turtle\n", encoding="utf-8")
    run = run_cli(["query", spec, "SELECT ?l WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l }"])
    assert run.exit_code == 0 and "does not parse" in run.stderr
    _assert_no_raw_controls(run.stdout + run.stderr)


def test_trig_findings_do_not_depend_on_the_hash_seed(tmp_path):
    """Found by the fuzzer: a TriG file whose graph order followed PYTHONHASHSEED (item 10)."""
    outputs = {child([DATA / "trig-hashseed", "--no-cache"], tmp_path, {"PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "3", "7", "11")}
    assert len(outputs) == 1, outputs
