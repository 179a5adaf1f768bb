# SPDX-License-Identifier: MIT
"""Output bytes do not depend on hash seed, locale, time zone or file-system order."""

from __future__ import annotations

import json
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


SPEC = str(SPEC_008.relative_to(ROOT))
# What is compared: the check in both formats, and a rendered document (the task checklist has the
# most ordering; tests/test_render.py compares every document across hash seeds).
COMMANDS = {
    "text": ["check", SPEC, "--format", "text"],
    "json": ["check", SPEC, "--format", "json"],
    "tasks.md": ["tasks", SPEC],
}


# One child per environment runs every command in-process (one interpreter start, not four) and
# prints each command's stdout after a separator line.
DRIVER = """
import contextlib, io, json, sys
from spec_check.cli import main
outputs = {}
for kind, argv in json.loads(sys.argv[1]).items():
    buffer, code = io.StringIO(), None
    with contextlib.redirect_stdout(buffer):
        try:
            main(argv)
        except SystemExit as e:
            code = e.code
    outputs[kind] = [code, buffer.getvalue()]
sys.stdout.write(json.dumps(outputs, ensure_ascii=True))
"""


def _start(commands: dict, seed: str, locale: str, tz: str) -> subprocess.Popen:
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(PYTHONHASHSEED=seed, LC_ALL=locale, LANG=locale, TZ=tz, PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-c", DRIVER, json.dumps(commands)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _available(name: str) -> bool:
    from spec_check.cli import app

    return name in {c.name or c.callback.__name__ for c in app.registered_commands}


def test_output_is_byte_identical_across_seeds_locales_and_time_zones():
    import json

    commands = {k: argv for k, argv in COMMANDS.items() if _available(argv[0])}
    assert {"text", "json"} <= set(commands)
    runs = {env: _start(commands, *env) for env in ENVIRONMENTS}
    outputs = {}
    for env, proc in runs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, (env, err.decode())
        outputs[env] = json.loads(out)
    first = outputs[ENVIRONMENTS[0]]
    for kind in commands:
        assert first[kind][0] in (0, None) and first[kind][1], (kind, first[kind])
    for env in ENVIRONMENTS[1:]:
        for kind in commands:
            assert outputs[env][kind] == first[kind], f"{kind} output differs under {env}"


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


def test_a_folder_checked_from_inside_names_its_nodes_as_from_outside(tmp_path, monkeypatch):
    # A relative IRI resolves against the file's base IRI, which is named after the folder; `check .`
    # from inside the folder used to give it an empty name (<file:////other.ttl#X>).
    folder = tmp_path / "spec"
    _copy(sorted(SPEC_008.glob("*.ttl")), folder)
    (folder / "links.ttl").write_text("@prefix spec: <https://ggen.dev/spec#> .\n"
                                      "@prefix : <https://ggen.dev/specs/008-build-optimization-complete#> .\n"
                                      ":US1 spec:relatedStories <other.ttl#X> .\n")

    def findings(args):
        run = run_cli([*args, "--format", "json"])
        assert run.exit_code in (0, 1), run.stdout  # a warning only: exit 0 with the default --fail-on
        return [(f["rule_id"], f["focus"], f.get("value"), f["message"], f["line"], f["column"])
                for f in json.loads(run.stdout)["findings"]]

    monkeypatch.chdir(tmp_path)
    outside = findings(["spec"])
    monkeypatch.chdir(folder)
    inside = findings(["."])
    assert inside == outside
    assert any("<file:///spec/other.ttl#X>" in f[3] for f in outside), outside
