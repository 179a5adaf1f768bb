# SPDX-License-Identifier: MIT
"""SPARQL gate rules: ggen's ``.specify/gates/*.rq`` convention.

A gate is a ``.rq`` file holding one ASK or SELECT query, optionally preceded
by header comment lines::

    # Gate: every story has a scenario
    # MESSAGE: story {this} has no acceptance scenario
    # SEVERITY: warning
    SELECT ?this WHERE { ?this a spec:UserStory . FILTER NOT EXISTS { ?this spec:acceptanceScenarios ?a } }

An ASK that returns true, or a SELECT that returns rows, is a violation (or
the header's severity): one finding per row, whose focus is ``?this`` or else
the first selected variable; ``?value`` and any other variable can be named in
the message. The rule id is the file name without ``.rq``. Queries run on the
same graph as every rule (asserted + aligned + normalised), with the prefixes
spec:, sc:, sh:, rdf:, rdfs:, owl: and xsd: predeclared.

Reading gates (``read_gates``) is used by rules.load_rules; running them
(``run_gates``) by the validate stage.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from ..errors import SpecCheckError
from ..rule_files import gate_files
from ..model import Finding, RuleInfo, Severity

_HEADER = re.compile(r"^#\s*(gate|message|severity|description)\s*:\s*(.*?)\s*$", re.IGNORECASE)


def read_gate(path: Path) -> tuple[RuleInfo, str]:
    """Parse one gate file into its RuleInfo and query text.

    Raises:
        SpecCheckError: the file cannot be read, its query does not parse, is
            not an ASK or SELECT, or its SEVERITY is unknown.
    """
    from ..safe_read import read_input_text

    text = read_input_text(path, "gate file", encoding="utf-8-sig")
    header: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if m:
            header.setdefault(m.group(1).lower(), m.group(2))
    query = _prepare(text, path)
    kind = query.algebra.name
    if kind not in ("AskQuery", "SelectQuery"):
        raise SpecCheckError("a gate holds one ASK or SELECT query", path=str(path))
    try:
        severity = Severity.parse(header.get("severity", "violation"))
    except ValueError as e:
        raise SpecCheckError(f"gate header SEVERITY: {e}", path=str(path)) from None
    rule_id = path.stem
    name = header.get("gate") or rule_id
    default = f"gate {name} failed" if kind == "AskQuery" else f"gate {name} failed on {{this}}"
    fails = "an ASK that returns true fails." if kind == "AskQuery" else "each row it returns is a finding."
    info = RuleInfo(
        rule_id=rule_id, severity=severity, name=name,
        description=header.get("description") or f"SPARQL gate from {path.name}: {fails}",
        message=header.get("message") or default, kind="gate", scope="sc:Folder", source=str(path),
    )
    return info, text


def read_gates(paths: list[Path]) -> list[tuple[RuleInfo, str]]:
    return [read_gate(p) for p in gate_files(paths)]


def _prepare(text: str, path: Path | None = None):
    from rdflib.plugins.sparql import prepareQuery

    from ..vocab import QUERY_PREFIXES

    from ..sparql_safety import remote_access

    where = str(path) if path else None
    try:
        query = prepareQuery(text, initNs=QUERY_PREFIXES)
    except Exception as e:
        # The parser's reason only (no line of the file): its message can quote the
        # file's bytes, and a config in a pull request can name any readable file.
        first = _reason_without_source(e)
        raise SpecCheckError(f"gate query does not parse: {first}", path=where) from None
    remote = remote_access(query.algebra)
    if remote is not None:
        raise SpecCheckError(f"gate query asks for {remote}: a gate never reaches the network or other "
                             "files (SERVICE and FROM are refused)", path=where)
    return query


def _reason_without_source(e: Exception) -> str:
    """pyparsing's "Expected X, found 'Y'  (at char N), (line:L, col:C)" without the quoted bytes."""
    line = getattr(e, "lineno", None)
    column = getattr(e, "col", None)
    if line is not None and column is not None:
        return f"syntax error at line {line}, column {column}"
    return type(e).__name__


@lru_cache(maxsize=None)
def _prepared(text: str):
    return _prepare(text)


def run_gates(folder, view: Graph, rules) -> list[Finding]:
    """Every gate of ``rules`` on one folder's rule view."""
    from .findings import make_finding

    findings: list[Finding] = []
    for rule_id, text in getattr(rules, "gates", {}).items():
        rule = rules.rules[rule_id]
        try:
            result = view.query(_prepared(text))
            rows = list(result) if result.type != "ASK" else []
        except Exception as e:  # a query can fail at run time (a bad cast, a missing function)
            first = (str(e).strip().splitlines() or [type(e).__name__])[0]
            raise SpecCheckError(f"gate query failed on {folder.display}: {first}", path=rule.source) from None
        if result.type == "ASK":
            if result.askAnswer:
                findings.append(make_finding(folder, rule))
            continue
        variables = [str(v) for v in (result.vars or [])]
        for row in rows:
            bindings = {k: v for k, v in row.asdict().items()}
            focus_var = "this" if "this" in bindings else next((v for v in variables if v in bindings), None)
            focus = bindings.pop(focus_var, None) if focus_var else None
            value = bindings.pop("value", None)
            file = folder.index.locate(focus)[0] if focus is not None else None
            extra = {k: folder.index.name(v, file) for k, v in bindings.items()}
            if focus_var and focus_var != "this":
                extra[focus_var] = folder.index.name(focus, file)
            findings.append(make_finding(folder, rule, focus=focus, value=value, extra=extra))
    return findings
