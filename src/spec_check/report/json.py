# SPDX-License-Identifier: MIT
"""The JSON reporter: a stable, versioned document (schema: spec_check/schemas/check-result.schema.json)."""

from __future__ import annotations

import json

from .. import __version__
from ..model import CheckResult, FolderResult

FORMAT_VERSION = 1


def _folder(folder: FolderResult) -> dict:
    return {
        "path": folder.path,
        "files": list(folder.files),
        "triples": folder.triples,
        "checks": {"applied": folder.checks_applied, "passed": folder.checks_passed},
        "closure": folder.closure,
        "complete": folder.complete,
        "unparsed_files": list(folder.unparsed_files),
        "counts": dict(sorted(folder.counts.items())),
        "recognised": dict(sorted(folder.recognised.items())),
        "dialects": list(folder.dialects),
        "suppressed": folder.suppressed,
        "baselined": folder.baselined,
    }


def to_document(result: CheckResult) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "spec-check", "version": __version__},
        "summary": {
            "folders": len(result.folders),
            "checks": {"applied": result.checks_applied, "passed": result.checks_passed},
            "closure": result.closure,
            "complete": all(f.complete for f in result.folders),
            "counts": {s: sum(f.counts.get(s, 0) for f in result.folders) for s in ("info", "violation", "warning")},
            "suppressed": result.suppressed,
            "baselined": result.baselined,
        },
        "folders": [_folder(f) for f in result.folders],
        "findings": [
            {
                "rule_id": f.rule_id, "severity": f.severity.value, "message": f.message,
                "focus": f.focus, "value": f.value, "folder": f.folder,
                "file": f.file, "line": f.line, "column": f.column, "fingerprint": f.fingerprint,
            }
            for f in result.findings
        ],
        "rules": sorted({f.rule_id for f in result.findings}),
    }


def render_json(result: CheckResult) -> str:
    return json.dumps(to_document(result), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
