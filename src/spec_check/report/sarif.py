# SPDX-License-Identifier: MIT
"""The SARIF 2.1.0 reporter, for GitHub code scanning and other SARIF viewers.

Built with the standard library's json (the sarif-om package is unmaintained).
One run; tool.driver lists every rule of the run with its documentation; each
finding is a result with a file URI relative to the repository root (``uriBaseId``
``%SRCROOT%``: the folder holding ``.git`` above the working folder, else the
working folder), so a run from a sub-folder names the same files; line and
column, the focus node as a logical location, and a partial fingerprint that
ignores line numbers (Finding.fingerprint), so moving unrelated lines does not
make alerts "new". Findings silenced by ``sc:ignore`` or left out by the baseline
are results too, with ``suppressions`` (kind inSource / external), so viewers
show them as dismissed rather than losing them.

GitHub rejects runs over 25,000 results and uploads over 10 MB: a large report
is written as compact JSON, and above either limit the results are cut deterministically (most severe first, then in the
usual order) and a tool notification says how many were left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..model import CheckResult, Finding, RuleInfo, Severity
from ..project import PROJECT_URL, RULES_URL
from .paths import RootRelative

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "specCheckFingerprint/v1"
MAX_RESULTS = 25_000
MAX_BYTES = 10 * 1024 * 1024

SRCROOT = "%SRCROOT%"
SUPPRESSIONS = {
    "suppressed": {"kind": "inSource", "status": "accepted",
                   "justification": "silenced in the spec with sc:ignore"},
    "baselined": {"kind": "external", "status": "accepted",
                  "justification": "listed in the baseline file (--baseline)"},
}

LEVELS = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _help(rule: RuleInfo) -> str:
    parts = [rule.description or rule.name]
    if rule.passing_example:
        parts.append("Passing example:\n" + rule.passing_example)
    if rule.failing_example:
        parts.append("Failing example:\n" + rule.failing_example)
    return "\n\n".join(parts)


def _help_markdown(rule: RuleInfo) -> str:
    parts = [rule.description or rule.name]
    if rule.passing_example:
        parts.append("Passing example:\n\n```turtle\n" + rule.passing_example + "\n```")
    if rule.failing_example:
        parts.append("Failing example:\n\n```turtle\n" + rule.failing_example + "\n```")
    return "\n\n".join(parts)


def friendly_name(rule_id: str) -> str:
    """SARIF's friendly rule name: one Pascal-case identifier (task-traced -> TaskTraced)."""
    return "".join(part[:1].upper() + part[1:] for part in rule_id.replace("_", "-").split("-") if part)


def _rule(rule: RuleInfo) -> dict:
    described = {
        "id": rule.rule_id,
        "helpUri": RULES_URL,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.description or rule.name},
        "help": {"text": _help(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"kind": rule.kind, "tags": ["spec-check", rule.kind]},
    }
    name = friendly_name(rule.rule_id)
    if name.lower() != rule.rule_id.lower():  # SARIF: a name that only repeats the id is left out
        described["name"] = name
    return described


class _Locator(RootRelative):
    """File URIs relative to the source root; outside it, absolute file: URIs."""

    def __call__(self, path: str) -> dict:  # type: ignore[override]
        relative = super().__call__(path)
        if relative is None:
            return {"uri": self.absolute(path).as_uri()}
        return {"uri": quote(relative), "uriBaseId": SRCROOT}


def _result(f: Finding, rule_index: dict[str, int], locate: _Locator, hidden: str = "") -> dict:
    location: dict = {
        "physicalLocation": {
            "artifactLocation": locate(f.file),
            "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
        },
    }
    if f.focus:
        location["logicalLocations"] = [{"fullyQualifiedName": f.focus, "kind": "resource"}]
    result = {
        "ruleId": f.rule_id,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    if f.rule_id in rule_index:
        result["ruleIndex"] = rule_index[f.rule_id]
    if hidden:
        result["suppressions"] = [SUPPRESSIONS[hidden]]
    return result


def to_sarif(result: CheckResult, max_results: int = MAX_RESULTS, max_bytes: int = MAX_BYTES,
             cwd: Path | None = None) -> dict:
    # Reported findings first (most severe first), then the suppressed, then the baselined.
    entries = [(f, "") for f in sorted(result.findings, key=lambda f: (-f.severity.rank, f))]
    for hidden in ("suppressed", "baselined"):
        found = (f for folder in result.folders for f in getattr(folder, f"{hidden}_findings"))
        entries += [(f, hidden) for f in sorted(found, key=lambda f: (-f.severity.rank, f))]
    rules = sorted(result.rules, key=lambda r: r.rule_id)
    known = {r.rule_id for r in rules}
    # A finding whose rule is not in the catalogue still gets a (minimal) rule entry.
    for rule_id in sorted({f.rule_id for f, _ in entries} - known):
        sample = next(f for f, _ in entries if f.rule_id == rule_id)
        rules.append(RuleInfo(rule_id=rule_id, severity=sample.severity, name=rule_id, description="",
                              message="", kind="unknown"))
    rule_index = {r.rule_id: i for i, r in enumerate(rules)}
    locate = _Locator(cwd)
    ordered = entries
    results = [_result(f, rule_index, locate, hidden) for f, hidden in ordered[:max_results]]
    document = _document(rules, results, len(ordered), max_results, max_bytes)
    if _size(document, indent=None) > max_bytes:
        # Cut by measured result sizes, then shrink until the whole document fits.
        budget = max_bytes - _size(_document(rules, [], len(ordered), max_results, max_bytes), None) - 4096
        keep, used = 0, 0
        for item in results:
            used += _size(item, None) + 2
            if used > budget:
                break
            keep += 1
        while True:
            document = _document(rules, results[:keep], len(ordered), max_results, max_bytes)
            if _size(document, None) <= max_bytes or keep == 0:
                break
            keep = keep * 9 // 10
    return document


def _document(rules: list[RuleInfo], results: list[dict], total: int, max_results: int, max_bytes: int) -> dict:
    invocation: dict = {"executionSuccessful": True}
    if len(results) < total:
        invocation["toolExecutionNotifications"] = [{
            "level": "warning",
            "message": {"text": f"{total - len(results):,} of {total:,} results were left out to stay within "
                                f"GitHub's limits ({max_results:,} results, {max_bytes:,} bytes); "
                                "the least severe were dropped first. Run with --format json for all."},
        }]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "spec-check",
                "informationUri": PROJECT_URL,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(r) for r in rules],
            }},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"description": {
                "text": "The repository root: the folder holding .git above the working folder, else the "
                        "working folder."}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _dump(document, indent: int | None = 2) -> str:
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(document, indent=indent, separators=separators, sort_keys=True, ensure_ascii=False)


def _size(document, indent: int | None) -> int:
    return len(_dump(document, indent).encode("utf-8"))


def render_sarif(result: CheckResult, max_bytes: int = MAX_BYTES) -> str:
    """Indented JSON; compact when indenting would pass GitHub's size limit."""
    document = to_sarif(result, max_bytes=max_bytes)
    compact = _dump(document, None)
    # json indents in pure Python (slow on megabytes); indenting at most about
    # doubles the size, so only try it when that would still fit.
    if 2 * len(compact.encode("utf-8")) < max_bytes:
        indented = _dump(document, 2)
        if len(indented.encode("utf-8")) + 1 <= max_bytes:
            return indented + "\n"
    return compact + "\n"
