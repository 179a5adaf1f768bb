# SPDX-License-Identifier: MIT
"""Plain value types shared by every stage: severities, findings, results, rule facts.

This module must not import rdflib or pyshacl: reporters format these values
without knowing how they were found.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How bad a finding is; the names match SHACL's sh:Violation/Warning/Info."""

    INFO = "info"
    WARNING = "warning"
    VIOLATION = "violation"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls(text.lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r}; choose one of {choices}") from None


class InferenceMode(str, enum.Enum):
    """What the infer stage adds before the rules run (lives here so options need no rdflib)."""

    NONE = "none"
    RDFS = "rdfs"
    OWLRL = "owlrl"


# The rule engines (validate/__init__.py): pySHACL is the reference, native the fast one.
ENGINES = ("native", "pyshacl")

_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.VIOLATION: 2}


@dataclass(frozen=True, order=True)
class Finding:
    """One thing wrong (or worth saying) about a spec folder, located in a file.

    Field order is the sort order: by folder, file, line, column, then rule.
    """

    folder: str
    file: str
    line: int
    column: int
    rule_id: str
    severity: Severity
    message: str
    focus: str = ""
    value: str = ""
    # What the finding is about, by meaning (fingerprint.finding_identity): rule id,
    # project-relative folder, full IRIs (blank nodes by content), message parameters.
    # Last in the order; it keeps apart two findings that are shown alike (two blank nodes).
    identity: str = ""

    @property
    def fingerprint(self) -> str:
        """A stable id for this finding: the hash of its identity (see fingerprint.py).

        Independent of the working folder, prefixes, message wording and line
        numbers. SARIF partialFingerprints and baseline files both use it. A finding
        made without an identity falls back to its rule, file name and message.
        """
        from .fingerprint import fingerprint_of

        key = self.identity or "\x1f".join((self.rule_id, self.file.rsplit("/", 1)[-1], self.focus, self.value,
                                             self.message))
        return fingerprint_of(key)


@dataclass(frozen=True)
class FolderResult:
    """The outcome of checking one spec folder."""

    path: str
    files: tuple[str, ...]
    triples: int
    findings: tuple[Finding, ...]
    checks_applied: int
    checks_failed: int
    unparsed_files: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    # What the rules recognised, whatever the vocabulary: stories, scenarios,
    # tasks and requirements (instances after alignment), and the dialects applied.
    recognised: dict[str, int] = field(default_factory=dict)
    dialects: tuple[str, ...] = ()
    # Per rule id: (checks applied, checks failed); lets a later step drop a rule
    # (select/ignore) and recompute the closure score without the graph.
    rule_checks: dict[str, tuple[int, int]] = field(default_factory=dict)
    suppressed: int = 0  # findings silenced by `sc:ignore` triples in the spec
    baselined: int = 0  # findings left out because the baseline file lists them
    # The findings themselves, kept out of `findings` (and the exit code) but not lost:
    # SARIF reports them with `suppressions` (inSource / external), as viewers expect.
    suppressed_findings: tuple[Finding, ...] = ()
    baselined_findings: tuple[Finding, ...] = ()

    @property
    def complete(self) -> bool:
        """False when a file did not parse: the score then covers only the rest."""
        return not self.unparsed_files

    @property
    def checks_passed(self) -> int:
        return self.checks_applied - self.checks_failed

    @property
    def closure(self) -> float:
        return closure_percent(self.checks_passed, self.checks_applied)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one run over one or more spec folders."""

    folders: tuple[FolderResult, ...]
    rules: tuple["RuleInfo", ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for folder in self.folders for f in folder.findings)

    @property
    def checks_applied(self) -> int:
        return sum(f.checks_applied for f in self.folders)

    @property
    def checks_passed(self) -> int:
        return sum(f.checks_passed for f in self.folders)

    @property
    def closure(self) -> float:
        return closure_percent(self.checks_passed, self.checks_applied)

    @property
    def suppressed(self) -> int:
        return sum(f.suppressed for f in self.folders)

    @property
    def baselined(self) -> int:
        return sum(f.baselined for f in self.folders)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def worst(self) -> Severity | None:
        ranks = [f.severity for f in self.findings]
        return max(ranks, key=lambda s: s.rank) if ranks else None

    def fails(self, threshold: Severity) -> bool:
        """True when any finding is at or above ``threshold`` (the CLI's exit 1)."""
        return any(f.severity.rank >= threshold.rank for f in self.findings)


def closure_percent(passed: int, applied: int) -> float:
    """Checks passed over checks applied, in percent, rounded *down* to 0.1.

    Rounding down means 100.0% is shown only when every check passed.
    """
    if applied == 0:
        return 100.0
    return (passed * 1000 // applied) / 10


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is, read from the shapes files: the data `spec-check rules` prints."""

    rule_id: str
    severity: Severity
    name: str
    description: str
    message: str
    kind: str  # "shacl", "sparql", "builtin" or "gate"
    scope: str = ""
    passing_example: str = ""
    failing_example: str = ""
    source: str = ""


@dataclass(frozen=True)
class RenderedFile:
    """One generated document: its file name (inside the output folder) and its full text."""

    name: str
    text: str
