# SPDX-License-Identifier: MIT
"""The GitLab Code Quality reporter (``artifacts: reports: codequality:``): findings in the merge
request widget and diff view.

A JSON array of Code Climate issues, the subset GitLab reads: ``description``, ``check_name``,
``fingerprint`` (Finding.fingerprint, so an unrelated line move keeps an issue the same),
``severity`` and ``location.path`` (relative to the repository root, as GitLab resolves it) with
``location.lines.begin``. violation -> major, warning -> minor, info -> info, as ESLint's GitLab
formatter maps error and warning. Suppressed and baselined findings are left out: GitLab has no
way to show an issue as dismissed.
"""

from __future__ import annotations

import json

from ..model import CheckResult, Finding, Severity
from .paths import RootRelative

SEVERITIES = {Severity.VIOLATION: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(f: Finding, relative: RootRelative) -> dict:
    path = relative(f.file) or str(relative.absolute(f.file))
    return {
        "type": "issue",
        "check_name": f.rule_id,
        "description": f.message,
        "categories": ["Bug Risk" if f.severity is Severity.VIOLATION else "Clarity"],
        "fingerprint": f.fingerprint,
        "severity": SEVERITIES[f.severity],
        "location": {"path": path, "lines": {"begin": max(f.line, 1)}},
    }


def render_gitlab(result: CheckResult) -> str:
    relative = RootRelative()
    issues = [_issue(f, relative) for f in result.findings]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
