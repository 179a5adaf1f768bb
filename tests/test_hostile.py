# SPDX-License-Identifier: MIT
"""Hostile and broken input: one folder per case under tests/hostile/, each with an expected.toml.

Every case runs the CLI in this process, in a scratch folder holding the
assembled spec as ``spec/``, with the network cut off: any socket creation,
connect or name lookup is recorded and fails, and the test asserts there was
none. Whatever the input, the outcome must be findings (exit 0/1) or one clean
line on stderr (exit 2), never a traceback.

expected.toml keys:
  description   what the case is about (required)
  base = "008"  start from a copy of specs/008-build-optimization-complete
  generate      name of a GENERATORS function that writes the rest (big, odd or linked files)
  args          extra CLI options (paths relative to the scratch folder)
  path          the path to check instead of "spec"
  argv          the whole command line instead of path and args (e.g. a render command)
  exit          the expected exit code (required)
  expect        substring (or list of substrings) of stdout (exit 0/1) or stderr (exit 2)
  expect_regex  a regular expression searched in the same stream
  rule          a finding of this rule id must be reported
  absent        a substring that must appear in neither stream
  absent_path   a path (in the scratch folder) that must not exist afterwards: nothing written
  needs         a path that must exist on this machine (else the case is skipped)
  requires_command  a spec-check command that must exist (else skipped with the reason)
  subprocess = true run `python -m spec_check` in a child process instead (for what pytest's own
                handlers would hide in-process, such as library log records on stderr)
Files in the case's spec/ folder are copied over the base; other files and
folders beside expected.toml are copied into the scratch folder.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT, SPEC_008, run_cli

HOSTILE = ROOT / "tests" / "hostile"
CASES = sorted(d for d in HOSTILE.iterdir() if (d / "expected.toml").is_file())
NS = ("@prefix spec: <https://ggen.dev/spec#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
      "@prefix : <https://ggen.dev/specs/008-build-optimization-complete#> .\n")
MiB = 1024 * 1024


# -- generators: inputs too big, too odd or too linked to keep in git --------------------------

def sparse_21_mib(work: Path, spec: Path) -> None:
    with open(spec / "huge.ttl", "wb") as handle:
        handle.truncate(21 * MiB)  # sparse: costs no disk, and is never read past the limit


def literal_25_mb(work: Path, spec: Path) -> None:
    (spec / "big.ttl").write_text(NS + '\n:BigNote rdfs:label "big" ;\n    rdfs:comment "'
                                  + "x" * 25_000_000 + '" .\n')


def list_5000(work: Path, spec: Path) -> None:
    members = " ".join(f":Ghost{i}" for i in range(5000))
    (spec / "list.ttl").write_text(NS + f"\n:US1 spec:relatedStories ( {members} ) .\n")


def nesting_5000(work: Path, spec: Path) -> None:
    depth = 5000
    (spec / "deep.ttl").write_text(NS + "\n:Deep rdfs:seeAlso " + "[ rdfs:seeAlso " * depth + ":Bottom"
                                   + " ]" * depth + " .\n")


def prefixes_10000(work: Path, spec: Path) -> None:
    feature = spec / "feature.ttl"
    many = "".join(f"@prefix p{i}: <https://example.org/vocabulary/{i}#> .\n" for i in range(10_000))
    feature.write_text(many + feature.read_text(encoding="utf-8"), encoding="utf-8")


def symlink_outside(work: Path, spec: Path) -> None:
    outside = work / "outside"
    outside.mkdir()
    (outside / "secret.ttl").write_text("# TOP-SECRET credentials live here\n"
                                        "@prefix : <https://example.org/> .\n:a :b :c\n")
    (spec / "leak.ttl").symlink_to(Path("..") / "outside" / "secret.ttl")


def symlink_inside(work: Path, spec: Path) -> None:
    (spec / "sub").mkdir()
    (spec / "sub" / "real.ttl").write_text(NS + '\n:US1 rdfs:seeAlso <https://example.org/elsewhere> .\n')
    (spec / "alias.ttl").symlink_to(Path("sub") / "real.ttl")


def odd_names(work: Path, spec: Path) -> None:
    for name in ("my notes.ttl", "Überblick-ñ.ttl", "two\nlines.ttl"):
        (spec / name).write_text("@prefix : <https://example.org/> .\n:a :b :c :d .\n", encoding="utf-8")


def control_names(work: Path, spec: Path) -> None:
    for name in ("esc\x1bname.ttl", "two\nlines.ttl"):
        (spec / name).write_text("@prefix : <https://example.org/> .\n:a :b :c :d .\n", encoding="utf-8")


def unreadable(work: Path, spec: Path) -> None:
    locked = spec / "locked.ttl"
    locked.write_text(NS + "\n:Locked rdfs:label \"locked\" .\n")
    locked.chmod(0)


def crlf_008(work: Path, spec: Path) -> None:
    for path in spec.glob("*.ttl"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def quoted_effort(work: Path, spec: Path) -> None:
    plan = spec / "plan.ttl"
    plan.write_text(plan.read_text(encoding="utf-8").replace("spec:effortHours 4.0", 'spec:effortHours "1.0"', 1),
                    encoding="utf-8")


def marker_fifo_dangling(work: Path, spec: Path) -> None:
    (spec / ".spec-check").write_text("")
    (spec / "sub").mkdir()
    os.mkfifo(spec / "sub" / "pipe.ttl")  # sorted after the real files: the old code blocked here
    (spec / "dangling.ttl").symlink_to(work / "nowhere.ttl")


GENERATORS = {f.__name__: f for f in (marker_fifo_dangling, quoted_effort, sparse_21_mib, literal_25_mb, list_5000, nesting_5000, prefixes_10000,
                                      symlink_outside, symlink_inside, odd_names, control_names, unreadable,
                                      crlf_008)}


# -- the network guard -------------------------------------------------------------------------

class NetworkAttempt(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Make every way out fail, and record each attempt; the test asserts the record is empty."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise NetworkAttempt(f"network access attempted in a test: {what}")
        return blocked

    monkeypatch.setattr(socket.socket, "__init__", refuse("socket.__init__"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


# -- running a case ----------------------------------------------------------------------------

def load_case(case: Path) -> dict:
    with open(case / "expected.toml", "rb") as handle:
        expected = tomllib.load(handle)
    assert "description" in expected and "exit" in expected, f"{case.name}: description and exit are required"
    return expected


def assemble(case: Path, expected: dict, work: Path) -> None:
    spec = work / "spec"
    spec.mkdir()
    if expected.get("base") == "008":
        for path in sorted(SPEC_008.glob("*.ttl")):
            shutil.copy(path, spec / path.name)
    if (case / "spec").is_dir():
        for path in sorted((case / "spec").iterdir()):
            shutil.copy(path, spec / path.name)
    for path in sorted(case.iterdir()):
        if path.is_file() and path.name != "expected.toml":
            shutil.copy(path, work / path.name)
        elif path.is_dir() and path.name != "spec":
            shutil.copytree(path, work / path.name)
    if "generate" in expected:
        GENERATORS[expected["generate"]](work, spec)


def assert_outcome(case: Path, expected: dict, exit_code: int, stdout: str, stderr: str) -> None:
    name = case.name
    shown = f"{name}: exit {exit_code}\n--- stdout (tail)\n{stdout[-3000:]}\n--- stderr\n{stderr}"
    assert exit_code == expected["exit"], shown
    assert "Traceback" not in stdout + stderr, shown
    stream = stderr if expected["exit"] == 2 else stdout
    if expected["exit"] == 2:
        assert len(stderr.strip().splitlines()) == 1, f"{name}: the error must be one line\n{shown}"
        assert stderr.startswith("spec-check: error: "), shown
    else:
        assert stderr == "", f"{name}: findings go to stdout; stderr must stay empty\n{shown}"
    wanted = expected.get("expect", [])
    for text in [wanted] if isinstance(wanted, str) else wanted:
        assert text in stream, f"{name}: {text!r} not found\n{shown}"
    if "expect_regex" in expected:
        assert re.search(expected["expect_regex"], stream), f"{name}: /{expected['expect_regex']}/ not found\n{shown}"
    if "rule" in expected:
        assert any(line.endswith(f"({expected['rule']})") for line in stdout.splitlines()), shown
    if "absent" in expected:
        assert expected["absent"] not in stdout + stderr, f"{name}: {expected['absent']!r} must not appear\n{shown}"


def skip_reason(expected: dict) -> str | None:
    if "needs" in expected and not Path(expected["needs"]).exists():
        return f"{expected['needs']} does not exist on this machine"
    command = expected.get("requires_command")
    if command:
        from spec_check.cli import app

        if command not in {c.name or c.callback.__name__ for c in app.registered_commands}:
            return f"spec-check has no `{command}` command on this branch"
    return expected.get("skip")


def command_line(expected: dict) -> list[str]:
    return expected.get("argv") or [expected.get("path", "spec"), *expected.get("args", [])]


def run_case_in_process(case: Path, work: Path) -> tuple[dict, int, str, str]:
    expected = load_case(case)
    assemble(case, expected, work)
    args = command_line(expected)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        run = run_cli(args)
    finally:
        os.chdir(cwd)
    return expected, run.exit_code, run.stdout, run.stderr


def run_case_in_subprocess(case: Path, work: Path) -> tuple[dict, int, str, str]:
    import subprocess
    import sys

    expected = load_case(case)
    assemble(case, expected, work)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "spec_check", *command_line(expected)], cwd=work, env=env, capture_output=True, text=True,
                          timeout=300)
    return expected, proc.returncode, proc.stdout, proc.stderr


def run_case_as_nobody(case: Path) -> tuple[dict, int, str, str]:
    """Root reads any file, so a permission case runs in a forked child that became `nobody`.

    The interpreter lives under /root here, which `nobody` cannot read, so the
    child cannot exec a new Python: it forks this one after a warm-up run has
    imported everything, drops to uid/gid 65534, and runs the CLI in-process.
    """
    import json

    work = Path(tempfile.mkdtemp(prefix="spec-check-hostile-"))  # under /tmp: reachable for nobody
    try:
        return _run_forked_as_nobody(case, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_forked_as_nobody(case: Path, work: Path) -> tuple[dict, int, str, str]:
    import json

    expected = load_case(case)
    assemble(case, expected, work)
    for path in [work, *work.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    run_cli([SPEC_008])  # warm-up: import every module before the child loses access to them
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        status = 70
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            os.chdir(work)
            run = run_cli(command_line(expected))
            os.write(write_end, json.dumps([run.exit_code, run.stdout, run.stderr]).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        pytest.skip(f"running as root and the child could not run as the user nobody (status {status})")
    code, out, err = json.loads(data)
    return expected, code, out, err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Path, tmp_path: Path, no_network: list):
    expected = load_case(case)
    reason = skip_reason(expected)
    if reason:
        pytest.skip(reason)
    if expected.get("generate") == "unreadable" and os.geteuid() == 0:
        expected, code, out, err = run_case_as_nobody(case)
    elif expected.get("subprocess"):
        expected, code, out, err = run_case_in_subprocess(case, tmp_path)
    else:
        expected, code, out, err = run_case_in_process(case, tmp_path)
    assert_outcome(case, expected, code, out, err)
    assert no_network == [], f"{case.name} tried to reach the network: {no_network}"
    if "absent_path" in expected:
        assert not (tmp_path / expected["absent_path"]).exists(), f"{case.name} wrote {expected['absent_path']}"
    if expected.get("needs", "").startswith("/dev/"):
        assert Path(expected["needs"]).is_char_device(), f"{expected['needs']} was replaced"


def test_the_network_guard_catches_a_fetch(no_network):
    """The guard must be able to fail: rdflib, asked directly, does fetch a JSON-LD @import."""
    import warnings

    from rdflib import Graph

    doc = '{"@context": {"@version": 1.1, "@import": "https://example.org/imported.jsonld"}, "@id": "https://example.org/x"}'
    with warnings.catch_warnings(), pytest.raises(Exception):
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own, unrelated to the fetch
        Graph().parse(data=doc, format="json-ld")
    assert no_network, "rdflib's fetch went unnoticed: the network guard is broken"


def test_every_case_folder_has_an_expected_toml():
    folders = sorted(d.name for d in HOSTILE.iterdir() if d.is_dir())
    assert folders == [c.name for c in CASES]
