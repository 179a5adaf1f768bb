# SPDX-License-Identifier: MIT
"""Output bytes do not depend on hash seed, locale, time zone or file-system order."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SPEC_008, run_cli

# (PYTHONHASHSEED, LC_ALL, TZ): a spread of seeds, the C and UTF-8 locales, zones either side of UTC.
ENVIRONMENTS = [
    ("0", "C", "UTC"),
    ("1", "C.UTF-8", "Asia/Kolkata"),
    ("4242", "POSIX", "Pacific/Chatham"),
]


def _start(fmt: str, seed: str, locale: str, tz: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(PYTHONHASHSEED=seed, LC_ALL=locale, LANG=locale, TZ=tz, PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-m", "spec_check", "check", str(SPEC_008.relative_to(ROOT)),
                             "--format", fmt], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_check_output_is_byte_identical_across_seeds_locales_and_time_zones():
    # A spec with findings shows more than a clean one: use 008 as it is, text and JSON.
    runs = {(fmt, *env): _start(fmt, *env) for fmt in ("text", "json") for env in ENVIRONMENTS}
    outputs = {}
    for key, proc in runs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, (key, err.decode())
        outputs[key] = out
    for fmt in ("text", "json"):
        first = outputs[(fmt, *ENVIRONMENTS[0])]
        assert first, fmt
        for env in ENVIRONMENTS[1:]:
            assert outputs[(fmt, *env)] == first, f"{fmt} output differs under {env}"


def _copy(order: list[Path], target: Path) -> Path:
    target.mkdir(parents=True)
    for path in order:
        shutil.copy(path, target / path.name)
    return target


def test_output_does_not_depend_on_the_order_files_were_created(tmp_path, monkeypatch):
    # Directory listings often follow creation order: create the files in opposite orders, with
    # two extra files of dangling references so there are findings from several files to order.
    extra = tmp_path / "extra"
    extra.mkdir()
    prefixes = ("@prefix spec: <https://ggen.dev/spec#> .\n"
                "@prefix : <https://ggen.dev/specs/008-build-optimization-complete#> .\n")
    (extra / "aa.ttl").write_text(prefixes + ":US2 spec:relatedStories :GhostB , :GhostA .\n")
    (extra / "zz.ttl").write_text(prefixes + ":US1 spec:relatedStories :GhostC , :GhostA .\n")
    files = sorted(SPEC_008.glob("*.ttl")) + sorted(extra.glob("*.ttl"))
    _copy(files, tmp_path / "a" / "spec")
    _copy(list(reversed(files)), tmp_path / "b" / "spec")
    monkeypatch.chdir(tmp_path / "a")
    first = run_cli(["spec", "--format", "json"])
    monkeypatch.chdir(tmp_path / "b")
    second = run_cli(["spec", "--format", "json"])
    assert first.exit_code == 1 and first.stdout.count('"rule_id"') >= 4, first.stdout
    assert first.stdout == second.stdout
