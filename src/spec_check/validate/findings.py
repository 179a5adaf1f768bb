# SPDX-License-Identifier: MIT
"""Turn a rule hit (rule, focus node, value, extra bindings) into a located Finding."""

from __future__ import annotations

import re

from ..fingerprint import finding_identity, term_key
from ..load import LoadedFolder
from ..model import Finding, RuleInfo, Severity

# {name}, and SHACL's own {$this} / {?value} forms.
_PLACEHOLDER = re.compile(r"\{[$?]?(\w+)\}")


def format_message(template: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders; an unknown one is left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def make_finding(folder: LoadedFolder, rule: RuleInfo, focus=None, value=None,
                 predicate=None, extra: dict | None = None, *, severity: Severity | None = None,
                 message: str | None = None, params: dict | None = None) -> Finding:
    """A finding of ``rule`` (its severity and message unless given) located at ``focus``.

    ``params`` are the message's parameters by meaning (full IRIs) for the fingerprint;
    default: ``extra`` as shown.
    """
    index = folder.index
    if focus is not None:
        file, line, col = index.locate(focus, predicate)
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
