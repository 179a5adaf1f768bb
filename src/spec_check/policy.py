# SPDX-License-Identifier: MIT
"""The findings policy, applied in one place after validation: select/ignore,
per-rule severity overrides, and the baseline.

Order: drop rules not selected or ignored (their checks leave the closure
score too), then override severities, then leave out findings the baseline
lists (they stay in the score: a baseline hides known problems from the report,
it does not fix them). Counts are recomputed at the end. ``syntax`` findings
are never dropped by select/ignore: a file that does not parse means the check
itself was incomplete. No rdflib here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import SpecCheckError
from .model import CheckResult, Finding, FolderResult, Severity

if TYPE_CHECKING:
    from .api import CheckOptions

ALWAYS_REPORTED = frozenset({"syntax"})


def check_rule_ids(options: "CheckOptions", known: set[str]) -> None:
    """Raise SpecCheckError when select, ignore or severity names a rule that does not exist."""
    named = [("select", r) for r in options.select] + [("ignore", r) for r in options.ignore]
    named += [("severity", r) for r, _ in options.severity]
    from .suggest import did_you_mean

    for where, rule_id in named:
        if rule_id not in known:
            raise SpecCheckError(f"{where}: unknown rule id {rule_id!r}{did_you_mean(rule_id, known)} "
                                 "(`spec-check rules` lists them)")


def rule_is_active(rule_id: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    if rule_id in ALWAYS_REPORTED:
        return True
    if select and rule_id not in select:
        return False
    return rule_id not in ignore


def apply_policy(result: CheckResult, options: "CheckOptions") -> CheckResult:
    """Return ``result`` with the options' select/ignore/severity/baseline applied."""
    if not (options.select or options.ignore or options.severity or options.baseline):
        return result
    overrides = dict(options.severity)
    folders = []
    for folder in result.folders:
        findings: list[Finding] = []
        baselined: list[Finding] = []
        for f in folder.findings:
            if not rule_is_active(f.rule_id, options.select, options.ignore):
                continue
            if f.rule_id in overrides:
                f = replace(f, severity=overrides[f.rule_id])
            if f.fingerprint in options.baseline:
                baselined.append(f)
                continue
            findings.append(f)
        rule_checks = {r: c for r, c in folder.rule_checks.items()
                       if rule_is_active(r, options.select, options.ignore)}
        suppressed = tuple(f for f in folder.suppressed_findings
                           if rule_is_active(f.rule_id, options.select, options.ignore))
        folders.append(replace(_with_findings(folder, findings, rule_checks, baselined),
                               suppressed_findings=suppressed))
    rules = tuple(r for r in result.rules if rule_is_active(r.rule_id, options.select, options.ignore))
    return replace(result, folders=tuple(folders), rules=rules)


def _with_findings(folder: FolderResult, findings: list[Finding], rule_checks: dict[str, tuple[int, int]],
                   baselined: list[Finding]) -> FolderResult:
    counts = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    return replace(
        folder, findings=tuple(sorted(findings)), counts=counts, rule_checks=rule_checks,
        checks_applied=sum(a for a, _ in rule_checks.values()),
        checks_failed=sum(f for _, f in rule_checks.values()),
        baselined=folder.baselined + len(baselined),
        baselined_findings=tuple(sorted((*folder.baselined_findings, *baselined))),
    )
