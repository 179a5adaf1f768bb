# SPDX-License-Identifier: MIT
"""The rule registry for code that reports without a RuleSet at hand (the loader, the time limit).

The one source of every rule's id, severity and message is the shapes files (rules.py reads
them; `spec-check rules` lists them). The loader's rules (syntax, limit-exceeded,
unsafe-input, symlink-not-followed, imports-not-followed) and timeout are reported through
``rule_finding``, which takes the severity and the message template from there and fills in
the parameters: no message or severity is written twice. An unknown rule id is an error.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Finding, RuleInfo

# {name}, and SHACL's own {$this} / {?value} forms.
_PLACEHOLDER = re.compile(r"\{[$?]?(\w+)\}")


def format_message(template: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders; an unknown one is left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


@lru_cache(maxsize=1)
def builtin_rules() -> dict[str, RuleInfo]:
    """Our own rules by id, read once per process (from the rule cache when it is warm)."""
    from .cache import rule_catalogue

    return {r.rule_id: r for r in rule_catalogue()}


def rule_finding(rule_id: str, *, folder: str, file: str, line: int = 1, column: int = 1, focus: str = "",
                 value: str = "", **params: str) -> Finding:
    """A finding of the built-in rule ``rule_id``, its message filled with ``params``.

    Raises:
        KeyError: no built-in rule has this id (a bug in spec-check, not in the spec).
    """
    rule = builtin_rules()[rule_id]
    return Finding(folder=folder, file=file, line=line, column=column, rule_id=rule_id, severity=rule.severity,
                   message=format_message(rule.message, {"this": focus, "value": value, **params}),
                   focus=focus, value=value)
