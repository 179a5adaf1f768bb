# SPDX-License-Identifier: MIT
"""Exit codes and the default command."""

from conftest import SPEC_008, run_cli


def test_example_spec_is_closed_and_exits_0():
    run = run_cli([SPEC_008])
    assert run.exit_code == 0, run.stdout
    assert run.stdout.splitlines()[-1].startswith("closure 100.0% (")


def test_check_subcommand_is_the_same_as_the_default(tmp_path):
    assert run_cli(["check", SPEC_008]).stdout == run_cli([SPEC_008]).stdout


def test_missing_path_exits_2_with_one_line(tmp_path):
    run = run_cli([tmp_path / "nope"])
    assert run.exit_code == 2
    assert run.stderr.strip().endswith("nope: no such file or folder")
    assert len(run.stderr.strip().splitlines()) == 1


def test_bad_option_exits_2():
    assert run_cli([SPEC_008, "--format", "yaml"]).exit_code == 2
