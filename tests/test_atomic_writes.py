# SPDX-License-Identifier: MIT
"""Nothing lost: a write killed at any moment leaves the old file or the complete new one.

The kill points are random (seeded) but nothing is timed: whatever moment the
SIGKILL lands, the target must hold exactly the old bytes or exactly the new.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, SPEC_008

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

OLD = "the old report, which must survive any interrupted write\n"


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _big_spec(folder: Path) -> Path:
    """008 plus 300 dangling references: a report of about 150 kB."""
    folder.mkdir()
    for path in SPEC_008.glob("*.ttl"):
        (folder / path.name).write_bytes(path.read_bytes())
    members = " ".join(f":Ghost{i}" for i in range(300))
    (folder / "ghosts.ttl").write_text(
        "@prefix spec: <https://ggen.dev/spec#> .\n"
        "@prefix : <https://ggen.dev/specs/008-build-optimization-complete#> .\n"
        f":US1 spec:relatedStories ( {members} ) .\n")
    return folder


def test_killing_check_output_leaves_old_or_new_report(tmp_path):
    spec = _big_spec(tmp_path / "spec")
    target = tmp_path / "report.json"
    command = [sys.executable, "-m", "spec_check", "check", str(spec), "--format", "json", "--output", str(target)]
    started = time.monotonic()
    complete = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
    duration = time.monotonic() - started  # only to spread the kill points over a run
    assert complete.returncode == 1, complete.stderr
    new = target.read_text(encoding="utf-8")
    assert len(new) > 100_000 and new.endswith("}\n")
    rng = random.Random(20261124)
    for _ in range(3):
        target.write_text(OLD, encoding="utf-8")
        proc = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.4, 1.05) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        content = target.read_text(encoding="utf-8")
        assert content in (OLD, new), f"a half-written report: {len(content)} characters"
    # Leftover temporary files are allowed (SIGKILL leaves no chance to clean up); a mix is not.


def test_killing_render_leaves_each_document_old_or_new(tmp_path):
    out = tmp_path / "docs"
    command = [sys.executable, "-m", "spec_check", "render", str(SPEC_008), "--out", str(out)]
    started = time.monotonic()
    complete = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
    duration = time.monotonic() - started  # only to spread the kill points over a run
    assert complete.returncode == 0, complete.stderr
    new = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.md"))}
    assert len(new) == 4, sorted(new)
    rng = random.Random(11)
    for _ in range(2):
        for name in new:
            (out / name).write_text(OLD, encoding="utf-8")
        proc = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.05) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, text in new.items():
            content = (out / name).read_text(encoding="utf-8")
            assert content in (OLD, text), f"{name}: half-written ({len(content)} characters)"


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from spec_check.fsutil import write_atomic
    text = "".join(f"line {i:08d} of the new report\\n" for i in range(600_000))
    print("ready", flush=True)
    write_atomic(Path(sys.argv[1]), text)
    print("done", flush=True)
""")


def test_killing_write_atomic_mid_write_leaves_old_or_new_file(tmp_path):
    """The write itself takes a while here (~18 MB plus fsync), so kills land inside it."""
    target = tmp_path / "big.txt"
    expected_new = "".join(f"line {i:08d} of the new report\n" for i in range(600_000))
    new_digest = hashlib.sha256(expected_new.encode()).hexdigest()
    del expected_new
    rng = random.Random(7)
    seen = set()
    for _ in range(4):
        target.write_text(OLD, encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], env=_env(),
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        data = target.read_bytes()
        if data == OLD.encode():
            seen.add("old")
        else:
            assert hashlib.sha256(data).hexdigest() == new_digest, f"a half-written file: {len(data)} bytes"
            seen.add("new")
    assert seen  # at least one outcome observed (which ones depends on the machine's speed)


# --- file modes: an atomic write must not leave mkstemp's 0600 behind ---------------------------------

def _umask_run(tmp_path: Path, umask: int, *args: str) -> subprocess.CompletedProcess:
    code = f"import os, sys, runpy; os.umask({umask:#o}); sys.argv = ['spec-check', *sys.argv[1:]]; " \
           "runpy.run_module('spec_check', run_name='__main__')"
    return subprocess.run([sys.executable, "-c", code, *args], env=_env(), capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_output_files_honour_the_umask(tmp_path, umask, expected):
    run = _umask_run(tmp_path, umask, "check", str(SPEC_008), "--format", "json", "--output", "out/report.json")
    assert run.returncode == 0, run.stderr
    assert os.stat(tmp_path / "out" / "report.json").st_mode & 0o7777 == expected
    run = _umask_run(tmp_path, umask, "render", str(SPEC_008), "--out", "docs")
    assert run.returncode == 0, run.stderr
    modes = {p.name: p.stat().st_mode & 0o7777 for p in (tmp_path / "docs").iterdir()}
    assert modes == dict.fromkeys(("plan.md", "report.md", "spec.md", "tasks.md"), expected)


def test_rewriting_a_file_keeps_its_mode(tmp_path):
    target = tmp_path / "tasks.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o664)
    run = _umask_run(tmp_path, 0o077, "tasks", str(SPEC_008), "-o", str(target))
    assert run.returncode == 0, run.stderr
    assert "# Tasks" in target.read_text(encoding="utf-8") and target.stat().st_mode & 0o7777 == 0o664
    target.chmod(0o640)
    run = _umask_run(tmp_path, 0o000, "check", str(SPEC_008), "--format", "sarif", "-o", str(target))
    assert run.returncode == 0 and target.stat().st_mode & 0o7777 == 0o640
