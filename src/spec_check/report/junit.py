# SPDX-License-Identifier: MIT
"""The JUnit XML reporter, for CI systems that show test results (GitLab, Jenkins, Azure).

Built with xml.etree (junit-xml is unmaintained). One <testsuite> per spec
folder, one <testcase> per rule of the run; a testcase with findings carries the
``file`` and ``line`` of its first (failing) finding. A rule's testcase fails when it has
findings at or above the run's --fail-on severity; the <failure> text lists
them as ``file:line:col: [severity] message`` lines. Findings below the
threshold go to the testcase's <system-out>, so nothing is lost. No times or
timestamps: the output is byte-identical on a rerun.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model import CheckResult, Finding, FolderResult, Severity
from .text import escape_controls

# Characters XML 1.0 cannot hold at all, not even as &#...; (a file name or literal may carry them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _line(f: Finding) -> str:
    # One finding per line of <failure> text, even when a file name holds a newline.
    return f"{escape_controls(f.file)}:{f.line}:{f.column}: [{f.severity.value}] {escape_controls(f.message)}"


def _suite(folder: FolderResult, rule_ids: list[str], threshold: Severity) -> ET.Element:
    by_rule: dict[str, list[Finding]] = {}
    for f in folder.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    ids = sorted(set(rule_ids) | set(by_rule))
    suite = ET.Element("testsuite", name=folder.path, tests=str(len(ids)), failures="0", errors="0",
                       skipped="0")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="closure", value=f"{folder.closure:.1f}")
    ET.SubElement(properties, "property", name="checks", value=f"{folder.checks_passed}/{folder.checks_applied}")
    ET.SubElement(properties, "property", name="suppressed", value=str(folder.suppressed))
    failures = 0
    for rule_id in ids:
        case = ET.SubElement(suite, "testcase", name=rule_id, classname=folder.path)
        findings = by_rule.get(rule_id, [])
        failing = [f for f in findings if f.severity.rank >= threshold.rank]
        below = [f for f in findings if f.severity.rank < threshold.rank]
        if findings:
            # file/line (the attributes pytest writes, which GitLab, Jenkins and other report UIs
            # link with): the first failing finding's place, else the first reported one's.
            first = (failing or below)[0]
            case.set("file", first.file)
            case.set("line", str(max(first.line, 1)))
        if failing:
            failures += 1
            worst = max(failing, key=lambda f: f.severity.rank).severity.value
            noun = "finding" if len(failing) == 1 else "findings"
            failure = ET.SubElement(case, "failure", message=f"{len(failing)} {noun}: {failing[0].message}",
                                    type=worst)
            failure.text = "\n".join(_line(f) for f in failing)
        if below:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in below)
    suite.set("failures", str(failures))
    return suite


def render_junit(result: CheckResult, fail_on: Severity = Severity.VIOLATION) -> str:
    rule_ids = [r.rule_id for r in result.rules]
    root = ET.Element("testsuites", name="spec-check")
    suites = [_suite(folder, rule_ids, fail_on) for folder in result.folders]
    root.set("tests", str(sum(int(s.get("tests")) for s in suites)))
    root.set("failures", str(sum(int(s.get("failures")) for s in suites)))
    root.set("errors", "0")
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _xml_safe(ET.tostring(root, encoding="unicode")) + "\n"
