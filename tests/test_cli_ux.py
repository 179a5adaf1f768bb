# SPDX-License-Identifier: MIT
"""The command line as people meet it: a reader that closes the pipe, typos in commands, rule ids
and config keys, colour forced for CI logs, rules as JSON, and a progress bar that moves per folder
(watched on a pseudo-terminal, as a person at a terminal sees it)."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SPEC_008, run_cli

CI = ROOT / "tests" / "ci"
CLEAN_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "NO_COLOR": None, "FORCE_COLOR": None}


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS",
                                                            "GITHUB_STEP_SUMMARY")}
    return {**env, "PYTHONPATH": str(ROOT / "src"), **extra}


def _spec_check(*args: str) -> list[str]:
    # The console script's own entry point (main), as `spec-check ...` runs it.
    return [sys.executable, "-c", "from spec_check.cli import main; main()", *map(str, args)]


# --- a reader that leaves early ------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(signal, "SIGPIPE"), reason="POSIX pipes")
@pytest.mark.parametrize("args", [["rules"], ["rules", "task-traced"], ["check", CI / "broken", "--format", "sarif"],
                                  [CI / "broken"], ["--help"]])
def test_a_closed_pipe_ends_quietly(args):
    read, write = os.pipe()
    os.close(read)  # like `| head` that has already exited
    try:
        run = subprocess.run(_spec_check(*args), stdout=write, stderr=subprocess.PIPE, text=True, env=_env(),
                             timeout=300)
    finally:
        os.close(write)
    assert run.stderr == ""  # no BrokenPipeError traceback, no "internal error"
    assert run.returncode == -signal.SIGPIPE  # what `rules | head` shows as 141, as for grep or git


# --- did you mean -------------------------------------------------------------------------------------

def test_a_mistyped_command_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = subprocess.run(_spec_check("chek", "specs"), capture_output=True, text=True, env=_env(), timeout=300)
    assert run.returncode == 2
    assert run.stderr == "spec-check: error: no such command or path 'chek'; did you mean 'check'?\n"
    # A folder of that name is a path, not a typo.
    shutil.copytree(CI / "broken", tmp_path / "chek")
    run = subprocess.run(_spec_check("chek"), capture_output=True, text=True, env=_env(), timeout=300)
    assert run.returncode == 1 and "chek/plan.ttl:" in run.stdout
    # Nothing close to a command: the old message about the path.
    run = subprocess.run(_spec_check("zzz"), capture_output=True, text=True, env=_env(), timeout=300)
    assert run.returncode == 2 and "did you mean" not in run.stderr and "zzz" in run.stderr


def test_a_mistyped_rule_id_is_named(tmp_path):
    run = run_cli(["rules", "task-trace"])
    assert run.exit_code == 2 and "no rule 'task-trace'; did you mean 'task-traced'?" in run.stderr
    run = run_cli([CI / "broken", "--select", "unique-lable"], env=CLEAN_ENV)
    assert run.exit_code == 2 and "unknown rule id 'unique-lable'; did you mean 'unique-label'?" in run.stderr
    assert "did you mean" not in run_cli(["rules", "zzzz"]).stderr


def test_a_mistyped_config_key_is_named(tmp_path, monkeypatch):
    (tmp_path / "spec-check.toml").write_text('fail_on = "warning"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = run_cli([SPEC_008], env=CLEAN_ENV)
    assert run.exit_code == 2
    assert "unknown key 'fail_on'; did you mean 'fail-on'?" in run.stderr and "spec-check.toml" in run.stderr


# --- colour -------------------------------------------------------------------------------------------

def test_force_color_colours_output_that_is_not_a_terminal():
    plain = run_cli([CI / "broken"], env=CLEAN_ENV).stdout
    forced = run_cli([CI / "broken"], env={**CLEAN_ENV, "FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in plain and "\x1b[31m[violation]\x1b[0m" in forced
    assert re.sub(r"\x1b\[\d*m", "", forced) == plain
    # NO_COLOR and --no-color win over FORCE_COLOR.
    assert run_cli([CI / "broken"], env={**CLEAN_ENV, "FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout == plain
    assert run_cli([CI / "broken", "--no-color"], env={**CLEAN_ENV, "FORCE_COLOR": "1"}).stdout == plain
    assert run_cli([CI / "broken"], env={**CLEAN_ENV, "FORCE_COLOR": ""}).stdout == plain


# --- rules as JSON ------------------------------------------------------------------------------------

def test_rules_format_json_lists_what_the_text_lists():
    text = run_cli(["rules"]).stdout.splitlines()
    run = run_cli(["rules", "--format", "json"])
    assert run.exit_code == 0
    rules = json.loads(run.stdout)
    assert [r["id"] for r in rules] == [line.split()[0] for line in text]
    for rule, line in zip(rules, text):
        assert line.split()[1:3] == [rule["severity"], rule["kind"]] and line.endswith(rule["name"])
        assert set(rule) >= {"id", "severity", "kind", "name", "description", "message", "passing_example",
                             "failing_example"}
    one = json.loads(run_cli(["rules", "task-traced", "-f", "json"]).stdout)
    assert one == next(r for r in rules if r["id"] == "task-traced")
    assert run_cli(["rules", "task-trace", "-f", "json"]).exit_code == 2


# --- progress -----------------------------------------------------------------------------------------

def _three_folders(tmp_path):
    for name in ("a", "b", "c"):
        shutil.copytree(CI / "broken", tmp_path / "specs" / name)
    return tmp_path / "specs"


def test_progress_is_reported_as_each_folder_is_done(tmp_path):
    """Each folder's progress call comes before the next folder is read: the callback breaks folder c's
    Turtle when a is done, and the result shows c was read after that (one job, no cache)."""
    from spec_check.api import CheckOptions, SpecCheck

    specs = _three_folders(tmp_path)
    calls = []

    def progress(done, total, folder):
        calls.append((done, total, os.path.basename(folder)))
        if done == 1:
            (specs / "c" / "plan.ttl").write_text("this is not turtle .\n", encoding="utf-8")

    result = SpecCheck(CheckOptions(jobs=1)).check([specs], progress=progress)
    assert calls == [(0, 3, ""), (1, 3, "a"), (2, 3, "b"), (3, 3, "c")]
    assert [f.rule_id for f in result.folders[2].findings if f.rule_id == "syntax"] == ["syntax"]
    assert not any(f.rule_id == "syntax" for f in result.folders[1].findings)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_bar_moves_per_folder_on_a_terminal(tmp_path, jobs):
    specs = _three_folders(tmp_path)
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(_spec_check("check", specs, "--no-cache", "-j", jobs, "--format", "json",
                                        "--output", tmp_path / "out.json"),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal,
                            env=_env(TERM="xterm-256color", COLUMNS="120"), cwd=tmp_path)
    os.close(terminal)
    screen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other side is closed: the process is done with it
                break
            if not chunk:
                break
            screen += chunk
        elif proc.poll() is not None:
            break
    os.close(controller)
    assert proc.wait(timeout=300) == 1
    text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", screen).decode("utf-8", "replace")
    # One frame per folder, in order, each naming the folder it just finished.
    counts = re.findall(r"(\d)/3", text)
    assert [c for i, c in enumerate(counts) if i == 0 or counts[i - 1] != c] == ["0", "1", "2", "3"], text
    assert re.search(r"1/3\s+\S*specs/a", text) and re.search(r"3/3\s+\S*specs/c", text)
