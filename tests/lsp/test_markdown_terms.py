# SPDX-License-Identifier: MIT
"""The language server's index of spec-kit ids (spec_check.lsp.markdown_terms) on texts that trip
simple scanners: ids in fences and prose, a duplicated task id, stories written several ways."""

from __future__ import annotations

from pathlib import Path

from spec_check.load.speckit import namespace
from spec_check.lsp.markdown_terms import scan_markdown

FOLDER = Path("/work/specs/007-demo")
NS = namespace("007-demo")

TASKS = """# Tasks: Demo

## Phase 3: User Story 1 - Do it (Priority: P1)

- [ ] T001 [US1] First (FR-001)
- [ ] T001 [US-01] The same id again
- [ ] T002 [Story 1] Third, depends on T001

Prose naming T002 and SC-001.

```text
- [ ] T099 [US9] an example in a fence
```

    T098 in an indented code block
"""


def test_tasks_ids_definitions_and_references():
    doc = scan_markdown(TASKS, FOLDER / "tasks.md")
    assert doc.prefixes[""] == NS
    written = [(t.text, t.iri[len(NS):], t.subject) for t in doc.terms]
    assert ("T099", "T099", False) not in written and not any(t.text in ("T099", "US9", "T098") for t in doc.terms)
    defined = [(t.text, t.iri[len(NS):]) for t in doc.terms if t.subject]
    # The second T001 is its own node (the reader's T001--2: unique-id reports it), the title the plan.
    assert defined == [("Tasks: Demo", "plan"), ("Phase 3", "phase-3"), ("T001", "T001"), ("T001", "T001--2"),
                       ("T002", "T002")]
    stories = [t for t in doc.terms if t.iri == NS + "US1"]
    assert [t.text for t in stories] == ["User Story 1", "US1", "US-01", "Story 1"]
    assert {t.name for t in stories} == {"US1"} and not any(t.subject for t in stories)
    assert [t.text for t in doc.terms if t.iri == NS + "SC-001"] == ["SC-001"]
    # A task's statement is its list item; the phase's is its section (up to the fence's end).
    t002 = next(t for t in doc.terms if t.subject and t.text == "T002")
    start, end = doc.statement_of(t002)
    assert TASKS[start:end] == "- [ ] T002 [Story 1] Third, depends on T001"
    phase = next(t for t in doc.terms if t.text == "Phase 3")
    start, end = doc.statement_of(phase)
    assert TASKS[start:end].startswith("## Phase 3") and TASKS[start:end].endswith("indented code block")


def test_spec_stories_scenarios_and_requirements():
    text = """# Feature Specification: Demo

### User Story 2 - Second (Priority: P2)

**Acceptance Scenarios**:

1. **Given** a, **When** b, **Then** c

### Functional Requirements

- **FR-001**: System MUST work, as US2 needs
"""
    doc = scan_markdown(text, FOLDER / "spec.md")
    defined = {t.iri[len(NS):]: t for t in doc.terms if t.subject}
    assert sorted(defined) == ["FR-001", "US2", "US2-S1", "feature"]
    assert defined["US2"].text == "User Story 2" and defined["US2"].name == "US2"
    assert defined["US2-S1"].text.startswith("1. **Given** a") and defined["US2-S1"].name == "US2-S1"
    assert defined["feature"].text == "Feature Specification: Demo"
    assert [t.subject for t in doc.terms if t.iri == NS + "US2"] == [True, False]  # the FR's mention refers
    # The story's statement is its section, which holds its scenario.
    story_start, story_end = doc.statement_of(defined["US2"])
    assert story_start <= defined["US2-S1"].start < story_end <= text.index("### Functional")


def test_a_checklist_is_in_its_feature_folders_namespace():
    doc = scan_markdown("# Checklist\n\n- [ ] CHK001 FR-002 is testable\n", FOLDER / "checklists" / "requirements.md")
    assert [t.iri for t in doc.terms if t.text == "FR-002"] == [NS + "FR-002"]
