# SPDX-License-Identifier: MIT
"""Baseline files: the fingerprints of findings a team has accepted for now.

`--write-baseline FILE` records every current finding; `--baseline FILE` then
leaves those out, so only new findings are reported (and fail the run). The
fingerprint is Finding.fingerprint, the same as SARIF's partialFingerprints:
it ignores line numbers, so moving unrelated lines keeps the baseline valid.
The file is sorted JSON, so it diffs well and is byte-identical on a rerun.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import SpecCheckError
from .safe_read import read_input_text
from .model import CheckResult

BASELINE_VERSION = 1


def baseline_text(result: CheckResult) -> str:
    entries = {}
    for f in result.findings:
        entries.setdefault(f.fingerprint, {
            "fingerprint": f.fingerprint, "rule_id": f.rule_id, "folder": f.folder,
            "focus": f.focus, "message": f.message,
        })
    document = {"spec_check_baseline": BASELINE_VERSION,
                "findings": [entries[k] for k in sorted(entries)]}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints listed in a baseline file.

    Raises:
        SpecCheckError: the file is missing or is not a spec-check baseline.
    """
    try:
        if not Path(path).exists():
            raise SpecCheckError("baseline file not found (create it with --write-baseline)", path=str(path))
        document = json.loads(read_input_text(path, "baseline file"))
    except RecursionError:
        raise SpecCheckError("baseline file is nested too deeply to read", path=str(path)) from None
    except json.JSONDecodeError as e:
        raise SpecCheckError(f"baseline file is not JSON: {e.msg}", path=str(path), line=e.lineno) from None
    if not isinstance(document, dict) or document.get("spec_check_baseline") != BASELINE_VERSION \
            or not isinstance(document.get("findings"), list):
        raise SpecCheckError("not a spec-check baseline file (version 1)", path=str(path))
    try:
        return frozenset(str(entry["fingerprint"]) for entry in document["findings"])
    except (TypeError, KeyError):
        raise SpecCheckError("baseline entry without a fingerprint", path=str(path)) from None
