# SPDX-License-Identifier: MIT
"""Turn a rule hit (rule, focus node, value, extra bindings) into a located Finding."""

from __future__ import annotations

from ..fingerprint import finding_identity, term_key
from ..load import LoadedFolder
from ..model import Finding, RuleInfo, Severity
from ..registry import format_message

__all__ = ["format_message", "make_finding"]


def make_finding(folder: LoadedFolder, rule: RuleInfo, focus=None, value=None,
                 predicate=None, extra: dict | None = None, *, severity: Severity | None = None,
                 message: str | None = None, params: dict | None = None) -> Finding:
    """A finding of ``rule`` (its severity and message unless given) located at ``focus``.

    ``params`` are the message's parameters by meaning (full IRIs) for the fingerprint;
    default: ``extra`` as shown.
    """
    index = folder.index
    if focus is not None and predicate is not None and value is not None and (focus, predicate) not in index.predicates:
        # The rule names our property; the file wrote another (a dialect's, or one recognised by
        # name): point at the line that wrote this value.
        written = sorted(folder.graph.predicates(focus, value), key=str)
        if written:
            predicate = written[0]
    if focus is not None:
        # A finding about a value points where the value is written (its own line in an object
        # list over lines or under a repeated predicate), else at the predicate.
        file, line, col = index.locate(focus, predicate, value)
    else:
        file, line, col = index.fallback
    names = {k: v for k, v in (extra or {}).items()}
    focus_name = index.name(focus, file) if focus is not None else folder.display
    value_name = index.name(value, file) if value is not None else ""
    names.setdefault("this", focus_name)
    names.setdefault("value", value_name)
    graph = folder.graph
    identity = finding_identity(
        rule.rule_id, folder.path, term_key(graph, focus), term_key(graph, value),
        params if params is not None else (extra or {}))
    return Finding(
        folder=folder.display, file=file, line=line, column=col, rule_id=rule.rule_id,
        severity=severity or rule.severity, message=format_message(message or rule.message, names),
        focus=focus_name if focus is not None else "", value=value_name, identity=identity,
    )
