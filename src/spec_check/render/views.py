# SPDX-License-Identifier: MIT
"""Graph → view models: the plain, frozen data every template receives.

Templates never see rdflib. Everything here is read from the *rule view* (the
graph the check validated: RDF lists already expanded into one triple per
member, inverse links turned round), except order: where the author wrote an
RDF list (the plan's phases, a phase's tasks, a story's scenarios) the order
comes from that list in the asserted graph; everything else is sorted by id,
then label, then IRI. So the same graph always gives the same view, and ids
that the data leaves out (spec:taskId, spec:storyId, spec:scenarioId) are
derived from that order.
"""

from __future__ import annotations

import heapq
import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ..infer import list_members
from ..model import FolderResult, RuleInfo, Severity
from ..vocab import SPEC

DONE_STATUSES = frozenset({"done"})
COMPARATORS = {"<=": "≤", ">=": "≥", "==": "=", "!=": "≠"}
RISK_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


# ----------------------------------------------------------------------------
# View models
# ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ScenarioView:
    node: str  # Mermaid node key
    id: str
    label: str
    story_id: str
    given: str
    when: str
    then: str
    missing: tuple[str, ...]  # "Given", "When", "Then" that the data leaves out
    tasks: tuple[str, ...]  # ids of tasks implementing this scenario
    iri: str = ""  # the node's IRI (or blank-node id): where findings about it point


@dataclass(frozen=True)
class StoryView:
    node: str
    id: str
    label: str
    actor: str
    action: str
    goal: str
    priority: str
    business_value: str
    scenarios: tuple[ScenarioView, ...]
    tasks: tuple[str, ...]  # tasks implementing the story itself or one of its scenarios
    direct_tasks: tuple[str, ...]  # tasks implementing the story itself
    entities: tuple[str, ...]
    iri: str = ""  # the node's IRI (or blank-node id): where findings about it point

    @property
    def covered(self) -> bool:
        return bool(self.tasks)


@dataclass(frozen=True)
class TaskView:
    node: str
    id: str
    label: str
    description: str
    phase: str  # label of the phase holding it ("" when none)
    status: str
    done: bool
    parallel: bool  # no unfinished dependency (spec-kit's [P]): it can start now
    stories: tuple[str, ...]
    story: str  # the one story label of the checklist line (spec-kit allows one); "" when none
    implements: tuple[str, ...]
    depends_on: tuple[str, ...]
    effort: str  # "" when the task states none
    entities: tuple[str, ...]
    components: tuple[str, ...]
    iri: str = ""  # the node's IRI (or blank-node id): where findings about it point


@dataclass(frozen=True)
class PhaseView:
    node: str
    number: int
    label: str
    description: str
    tasks: tuple[TaskView, ...]
    depends_on: tuple[str, ...]
    effort: str  # sum of the tasks' spec:effortHours
    stated_effort: str  # spec:totalEffortHours, "" when not stated
    done: int
    iri: str = ""  # the node's IRI (or blank-node id): where findings about it point

    @property
    def effort_mismatch(self) -> bool:
        return bool(self.stated_effort) and Decimal(self.stated_effort) != Decimal(self.effort)


@dataclass(frozen=True)
class EdgeView:
    """A Mermaid arrow between two node keys."""

    source: str
    target: str


@dataclass(frozen=True)
class RiskView:
    label: str
    description: str
    severity: str
    mitigation: str


@dataclass(frozen=True)
class PlanView:
    label: str
    description: str
    phases: tuple[PhaseView, ...]
    unphased: tuple[TaskView, ...]
    effort: str  # sum of the phases' efforts
    stated_effort: str
    risks: tuple[RiskView, ...]

    @property
    def effort_mismatch(self) -> bool:
        return bool(self.stated_effort) and Decimal(self.stated_effort) != Decimal(self.effort)


@dataclass(frozen=True)
class AttributeView:
    name: str
    datatype: str
    description: str


@dataclass(frozen=True)
class EntityView:
    label: str
    description: str
    attributes: tuple[AttributeView, ...]
    relates_to: tuple[str, ...]


@dataclass(frozen=True)
class CriterionView:
    label: str
    metric: str
    baseline: str
    target: str
    unit: str
    comparator: str


@dataclass(frozen=True)
class RequirementView:
    id: str
    label: str
    description: str
    iri: str = ""  # the node's IRI (or blank-node id): where findings about it point


@dataclass(frozen=True)
class LinkedView:
    """A component, pattern, constraint or decision: a label, a text and what it points at."""

    label: str
    description: str
    links: tuple[str, ...]
    entities: tuple[str, ...] = ()
    rationale: str = ""


@dataclass(frozen=True)
class SettingView:
    key: str
    value: str


@dataclass(frozen=True)
class ConfigurationView:
    label: str
    description: str
    instance_of: tuple[str, ...]
    settings: tuple[SettingView, ...]


@dataclass(frozen=True)
class ArchitectureView:
    components: tuple[LinkedView, ...]
    patterns: tuple[LinkedView, ...]
    constraints: tuple[LinkedView, ...]
    decisions: tuple[LinkedView, ...]
    configurations: tuple[ConfigurationView, ...]

    @property
    def empty(self) -> bool:
        return not (self.components or self.patterns or self.constraints or self.decisions
                    or self.configurations)


@dataclass(frozen=True)
class FeatureView:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class FindingView:
    severity: str
    message: str
    location: str  # file:line
    link: str  # relative link with a #Lnn anchor


@dataclass(frozen=True)
class FindingGroupView:
    rule_id: str
    rule_name: str
    severity: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class MatrixRowView:
    story: str  # "US1 Title"
    scenario: str  # "US1-S1 Title" or "" when the story has no scenario
    tasks: tuple[str, ...]
    via_story: bool  # the tasks implement the story, not this scenario
    entities: tuple[str, ...]
    components: tuple[str, ...]
    coverage: str  # "covered", "story" or "uncovered"


@dataclass(frozen=True)
class MissingStepsView:
    scenario: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class CheckView:
    closure: str
    checks_passed: int
    checks_applied: int
    complete: bool
    unparsed_files: tuple[str, ...]
    violations: int
    warnings: int
    infos: int
    groups: tuple[FindingGroupView, ...]


@dataclass(frozen=True)
class CoverageView:
    stories: int
    stories_covered: int
    scenarios: int
    scenarios_covered: int
    tasks: int
    stories_without_tasks: tuple[str, ...]
    tasks_without_story: tuple[str, ...]
    scenarios_missing_steps: tuple[MissingStepsView, ...]


@dataclass(frozen=True)
class PhaseOrderView:
    number: int
    label: str
    after: tuple[int, ...]  # numbers of the phases whose tasks it waits for


@dataclass(frozen=True)
class StoryPlanView:
    id: str
    label: str
    priority: str
    open_tasks: tuple[str, ...]  # unfinished tasks delivering it (or one of its scenarios), in checklist order
    done_tasks: int


@dataclass(frozen=True)
class ScheduleView:
    """What spec-kit's tasks.md ends with: dependencies, parallel execution, implementation strategy."""

    phases: tuple[PhaseOrderView, ...]
    waves: tuple[tuple[str, ...], ...]  # unfinished tasks by wave: each waits only for earlier waves
    stories: tuple[StoryPlanView, ...]  # by priority, then id
    cyclic: tuple[str, ...]  # unfinished tasks in a dependency cycle (no wave can hold them)


@dataclass(frozen=True)
class DocumentView:
    """Everything a template may use (templates get this as ``doc``)."""

    source: str  # the spec folder as the user gave it, POSIX
    feature: FeatureView
    stories: tuple[StoryView, ...]
    requirements: tuple[RequirementView, ...]
    criteria: tuple[CriterionView, ...]
    entities: tuple[EntityView, ...]
    plan: PlanView
    tasks: tuple[TaskView, ...]  # every task, in checklist order
    done: int
    architecture: ArchitectureView
    matrix: tuple[MatrixRowView, ...]
    coverage: CoverageView
    check: CheckView | None  # None when the document set needs no findings
    dependency_edges: tuple[EdgeView, ...]  # prerequisite → dependent (tasks and phases)
    trace_edges: tuple[EdgeView, ...]  # story → scenario → task, story → task
    schedule: ScheduleView | None = None


# ----------------------------------------------------------------------------
# Reading the graph
# ----------------------------------------------------------------------------

def natural_key(text: str) -> tuple:
    """Sort "T2" before "T10": digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text) if part)


def format_number(value: Decimal) -> str:
    """12.50 → "12.5", 17.0 → "17": no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


class _Reader:
    def __init__(self, asserted: Graph, view: Graph):
        self.asserted = asserted
        self.g = view

    def text(self, node, predicate) -> str:
        """The values of ``predicate`` as one line of text; several are joined sorted."""
        values = sorted({str(v).strip() for v in self.g.objects(node, predicate)})
        return " / ".join(v for v in values if v)

    def local(self, node) -> str:
        text = str(node)
        cut = max(text.rfind("#"), text.rfind("/"), text.rfind(":"))
        return text[cut + 1:] if isinstance(node, URIRef) and cut >= 0 and text[cut + 1:] else text

    def label(self, node) -> str:
        return self.text(node, RDFS.label) or (self.local(node) if isinstance(node, URIRef) else "(unnamed)")

    def number(self, node, predicate) -> Decimal | None:
        for value in sorted(self.g.objects(node, predicate), key=str):
            if isinstance(value, Literal):
                try:
                    return Decimal(str(value).strip())
                except InvalidOperation:
                    continue
        return None

    def instances(self, cls) -> list:
        return list(set(self.g.subjects(RDF.type, cls)))

    def ordered(self, subject, predicate, candidates, key) -> list:
        """Objects of ``predicate``: RDF-list members in list order first, then the rest by ``key``."""
        listed: list = []
        for obj in sorted(self.asserted.objects(subject, predicate), key=str):
            members = list_members(self.asserted, obj)
            for m in members or []:
                if m not in listed:
                    listed.append(m)
        rest = {o for o in self.g.objects(subject, predicate) if o not in listed}
        if candidates is not None:
            listed = [m for m in listed if m in candidates]
            rest &= set(candidates)
        return listed + sorted(rest, key=key)


def _node_key(reader: _Reader, id_predicate=None):
    def key(node):
        ident = reader.text(node, id_predicate) if id_predicate is not None else ""
        return (natural_key(ident) if ident else ((2, 0, ""),), reader.label(node).lower(), str(node))
    return key


def _derive_ids(nodes: list, given: dict, pattern: str) -> dict:
    """Give each node without an id the next ``pattern`` number not already used."""
    used = set(given.values())
    ids = dict(given)
    counter = 0
    for node in nodes:
        if node in ids:
            continue
        while True:
            counter += 1
            candidate = pattern.format(counter)
            if candidate not in used:
                break
        ids[node] = candidate
        used.add(candidate)
    return ids


def _relative_link(file: str, line: int, link_base: Path) -> str:
    target = Path(file)
    try:
        rel = os.path.relpath(target.resolve(), link_base.resolve())
    except ValueError:  # another drive on Windows: no relative path exists
        rel = target.resolve().as_posix()
    rel = Path(rel).as_posix()
    return f"{rel}#L{line}" if line else rel


def build_view(asserted: Graph, view: Graph, source: str, result: FolderResult | None = None,
               rules: dict[str, RuleInfo] | None = None, link_base: Path | None = None) -> DocumentView:
    """Build the view models of one spec folder.

    Args:
        asserted: the folder's asserted graph (RDF lists intact: the source of order).
        view: the rule view's graph (what the check validated).
        source: the spec folder as the user gave it, shown in the generated-file header.
        result: the check's result for this folder, for the closure report (None: no report).
        rules: the rule catalogue, for rule names in the report.
        link_base: the folder the documents are written to; finding links are relative to it.
    """
    b = _Builder(_Reader(asserted, view))
    tasks = b.task_views()
    plan = b.plan_view(tasks)
    checklist = tuple(t for ph in plan.phases for t in ph.tasks) + plan.unphased
    stories = b.story_views()
    return DocumentView(
        source=source, feature=b.feature_view(source), stories=stories,
        requirements=_requirements(b.r), criteria=_criteria(b.r), entities=_entities(b.r),
        plan=plan, tasks=checklist, done=sum(1 for t in checklist if t.done),
        architecture=_architecture(b.r),
        matrix=_matrix(stories, {tv.id: tv for tv in tasks.values()}),
        coverage=_coverage(stories, b.all_scenarios, checklist),
        check=_check_view(result, rules or {}, link_base or Path.cwd()) if result is not None else None,
        dependency_edges=b.dependency_edges(tasks, plan), trace_edges=_trace_edges(stories, tasks.values()),
        schedule=b.schedule(tasks, plan, stories),
    )


class _Builder:
    """Decides order and ids once (stories, scenarios, phases, tasks); the views are built from them."""

    def __init__(self, r: _Reader):
        self.r = r
        self.g = r.g
        self._stories()
        self._plan()

    # --- order and ids --------------------------------------------------------------------

    def _stories(self) -> None:
        r = self.r
        stories = sorted(r.instances(SPEC.UserStory), key=_node_key(r, SPEC.storyId))
        given = {s: r.text(s, SPEC.storyId) for s in stories if r.text(s, SPEC.storyId)}
        self.story_ids = _derive_ids(stories, given, "US{}")
        self.stories = sorted(stories, key=lambda s: (natural_key(self.story_ids[s]), str(s)))
        self.story_scenarios: dict = {}
        self.owner: dict = {}  # scenario -> the (first) story listing it
        for s in self.stories:
            members = r.ordered(s, SPEC.acceptanceScenarios, None, _node_key(r, SPEC.scenarioId))
            self.story_scenarios[s] = members
            for m in members:
                self.owner.setdefault(m, s)
        ids: dict = {}
        for s in self.stories:
            for n, m in enumerate(self.story_scenarios[s], start=1):
                if m not in ids:
                    ids[m] = r.text(m, SPEC.scenarioId) or f"{self.story_ids[s]}-S{n}"
        orphans = sorted(set(r.instances(SPEC.AcceptanceScenario)) - set(ids),
                         key=_node_key(r, SPEC.scenarioId))
        ids.update({m: r.text(m, SPEC.scenarioId) for m in orphans if r.text(m, SPEC.scenarioId)})
        self.scenario_ids = _derive_ids(orphans, ids, "S{}")

    def _plan(self) -> None:
        r = self.r
        self.plans = sorted(r.instances(SPEC.Plan), key=str)
        self.phase_set = set(r.instances(SPEC.Phase))

        def phase_key(p):
            order = r.number(p, SPEC.order)
            return ((order is None, order or 0), r.label(p).lower(), str(p))

        phases: list = []
        for plan in self.plans:
            for p in r.ordered(plan, SPEC.hasPhase, self.phase_set, phase_key):
                if p not in phases:
                    phases.append(p)
        self.phases = phases + sorted(self.phase_set - set(phases), key=phase_key)

        task_set = set(r.instances(SPEC.Task))
        source_ids = _source_task_ids(r, task_set)
        task_sort = _source_key(r, source_ids)
        self.phase_tasks: dict = {}
        placed: set = set()
        for p in self.phases:
            members = [t for t in r.ordered(p, SPEC.hasTask, task_set, task_sort) if t not in placed]
            self.phase_tasks[p] = members
            placed.update(members)
        self.unphased = sorted(task_set - placed, key=task_sort)
        self.phase_of = {t: p for p in self.phases for t in self.phase_tasks[p]}
        # What each task waits for: tasks it depends on, and every task of a phase it depends on.
        self.deps = {t: _task_dependencies(self.g, t, task_set, self.phase_tasks) for t in task_set}
        self.phases = _phase_order(self.phases, self.phase_of, self.deps, self.g)
        order = {t: i for i, t in enumerate(sorted(task_set, key=task_sort))}
        self.topo = {p: _topological(self.phase_tasks[p], self.deps, order) for p in self.phases}
        self.unphased_topo = _topological(self.unphased, self.deps, order)
        # Checklist (execution) order; tasks without an id of their own are numbered in it.
        listed = [t for p in self.phases for t in self.topo[p]] + self.unphased_topo
        self.task_ids = _derive_ids(listed, source_ids, "T{:03d}")
        self.phase_label = {p: r.label(p) for p in self.phases}
        self.implementers: dict = {}  # story / scenario / requirement -> ids of tasks implementing it
        for t in listed:
            for target in self.g.objects(t, SPEC.implements):
                self.implementers.setdefault(target, set()).add(self.task_ids[t])

    def name_of(self, node) -> str:
        """How a linked node is shown: its id where it has one, else its label."""
        for ids in (self.task_ids, self.story_ids, self.scenario_ids):
            if node in ids:
                return ids[node]
        if node in self.phase_set:
            return self.phase_label[node]
        return self.r.text(node, SPEC.requirementId) or self.r.label(node)

    def done(self, task) -> bool:
        return any(str(v).strip().lower() in DONE_STATUSES for v in self.g.objects(task, SPEC.status))

    # --- views ------------------------------------------------------------------------------

    def feature_view(self, source: str) -> FeatureView:
        features = sorted(self.r.instances(SPEC.Feature), key=str)
        if not features:
            return FeatureView(id="", label=Path(source).name or source, description="")
        f = features[0]
        return FeatureView(id=self.r.text(f, SPEC.featureId), label=self.r.label(f),
                           description=self.r.text(f, RDFS.comment))

    def task_views(self) -> dict:
        """Every task's view, keyed by its node; node keys number the tasks in checklist order."""
        r, g = self.r, self.g
        checklist = [t for p in self.phases for t in self.topo[p]] + self.unphased_topo
        views: dict = {}
        rank = {s: i for i, s in enumerate(sorted(self.stories, key=lambda s: (
            _priority_rank(_priority(r, s)), natural_key(self.story_ids[s]), str(s))))}
        for number, t in enumerate(checklist, start=1):
            deps = set(g.objects(t, SPEC.dependsOn))
            direct = {x for x in g.objects(t, SPEC.implements) if x in self.story_ids}
            stories = direct | {self.owner[x] for x in g.objects(t, SPEC.implements) if x in self.owner}
            # One story label a line (spec-kit): a story it implements itself before one it reaches
            # through a scenario, then the most urgent priority, then the lowest id.
            primary = min(stories, key=lambda s: (s not in direct, rank[s])) if stories else None
            effort = r.number(t, SPEC.effortHours)
            views[t] = TaskView(
                node=f"task{number}", id=self.task_ids[t], label=r.label(t), iri=str(t),
                description=r.text(t, RDFS.comment),
                phase=self.phase_label.get(self.phase_of.get(t), ""),
                status=r.text(t, SPEC.status), done=self.done(t),
                parallel=not any(not self.done(d) for d in self.deps[t]),
                stories=_ids(self.story_ids[s] for s in stories),
                story=self.story_ids[primary] if primary is not None else "",
                implements=_ids(self.name_of(x) for x in g.objects(t, SPEC.implements)),
                depends_on=_ids(self.name_of(d) for d in deps),
                effort=format_number(effort) if effort is not None else "",
                entities=_labels(r, t, SPEC.touchesEntity), components=_labels(r, t, SPEC.touchesComponent),
            )
        return views

    def plan_view(self, tasks: dict) -> PlanView:
        r = self.r
        phases = []
        for number, p in enumerate(self.phases, start=1):
            total = sum((r.number(t, SPEC.effortHours) or Decimal(0) for t in self.phase_tasks[p]),
                        Decimal(0))
            stated = r.number(p, SPEC.totalEffortHours)
            phases.append(PhaseView(
                node=f"phase{number}", number=number, label=self.phase_label[p], iri=str(p),
                description=r.text(p, RDFS.comment), tasks=tuple(tasks[t] for t in self.topo[p]),
                depends_on=_ids(self.name_of(d) for d in self.g.objects(p, SPEC.dependsOn)),
                effort=format_number(total),
                stated_effort=format_number(stated) if stated is not None else "",
                done=sum(1 for t in self.topo[p] if tasks[t].done),
            ))
        plan = self.plans[0] if self.plans else None
        stated = r.number(plan, SPEC.totalEffortHours) if plan is not None else None
        risk_nodes = {x for p in self.plans for x in self.g.objects(p, SPEC.hasRisk)}
        risk_nodes |= set(r.instances(SPEC.Risk))
        risks = sorted(
            (RiskView(label=r.label(x), description=r.text(x, RDFS.comment),
                      severity=r.text(x, SPEC.severity),
                      mitigation=r.text(x, SPEC.mitigation)) for x in risk_nodes),
            key=lambda v: (RISK_ORDER.get(v.severity.lower(), len(RISK_ORDER)), v.severity, v.label.lower(),
                           v.description),
        )
        return PlanView(
            label=r.label(plan) if plan is not None else "Plan",
            description=r.text(plan, RDFS.comment) if plan is not None else "",
            phases=tuple(phases), unphased=tuple(tasks[t] for t in self.unphased_topo),
            effort=format_number(sum((Decimal(ph.effort) for ph in phases), Decimal(0))),
            stated_effort=format_number(stated) if stated is not None else "",
            risks=tuple(risks),
        )

    def story_views(self) -> tuple[StoryView, ...]:
        r = self.r
        scenarios: dict = {}
        for number, m in enumerate(self.scenario_ids, start=1):
            steps = {step: r.text(m, pred) for step, pred in
                     (("Given", SPEC.givenContext), ("When", SPEC.whenAction), ("Then", SPEC.thenResult))}
            scenarios[m] = ScenarioView(
                node=f"scenario{number}", id=self.scenario_ids[m], label=r.label(m), iri=str(m),
                story_id=self.story_ids.get(self.owner.get(m), ""),
                given=steps["Given"], when=steps["When"], then=steps["Then"],
                missing=tuple(step for step, text in steps.items() if not text),
                tasks=_ids(self.implementers.get(m, ())),
            )
        self.all_scenarios = tuple(scenarios.values())  # orphans too, for the coverage figures
        views = []
        for number, s in enumerate(self.stories, start=1):
            own = tuple(scenarios[m] for m in self.story_scenarios[s])
            direct = self.implementers.get(s, set())
            views.append(StoryView(
                node=f"story{number}", id=self.story_ids[s], label=r.label(s), iri=str(s),
                actor=r.text(s, SPEC.actor),
                action=r.text(s, SPEC.action), goal=r.text(s, SPEC.goal), priority=_priority(r, s),
                business_value=r.text(s, SPEC.businessValue), scenarios=own,
                tasks=_ids(set(direct).union(*(sv.tasks for sv in own))), direct_tasks=_ids(direct),
                entities=_labels(r, s, SPEC.involvesEntity),
            ))
        return tuple(views)

    def schedule(self, tasks: dict, plan: PlanView, stories: tuple[StoryView, ...]) -> ScheduleView:
        number = {p: i for i, p in enumerate(self.phases, start=1)}
        phases = []
        for p in self.phases:
            after = {number[self.phase_of[d]] for t in self.phase_tasks[p] for d in self.deps[t]
                     if d in self.phase_of and self.phase_of[d] != p}
            after |= {number[d] for d in self.g.objects(p, SPEC.dependsOn) if d in number and d != p}
            phases.append(PhaseOrderView(number=number[p], label=self.phase_label[p], after=tuple(sorted(after))))
        checklist = [t for p in self.phases for t in self.topo[p]] + self.unphased_topo
        position = {t: i for i, t in enumerate(checklist)}
        wave: dict = {}
        open_tasks = [t for t in checklist if not tasks[t].done]
        remaining = set(open_tasks)
        level = 0
        while remaining:
            ready = [t for t in open_tasks if t in remaining
                     and not any(d in remaining for d in self.deps[t])]
            if not ready:
                break  # a cycle: the check reports it
            level += 1
            for t in ready:
                wave[t] = level
            remaining -= set(ready)
        waves = tuple(tuple(tasks[t].id for t in sorted((t for t in wave if wave[t] == n), key=position.get))
                      for n in range(1, level + 1))
        by_story: dict = {}
        for t in checklist:
            for story in tasks[t].stories:
                by_story.setdefault(story, []).append(tasks[t])
        plans = [StoryPlanView(id=s.id, label=s.label, priority=s.priority,
                               open_tasks=tuple(tv.id for tv in by_story.get(s.id, ()) if not tv.done),
                               done_tasks=sum(1 for tv in by_story.get(s.id, ()) if tv.done))
                 for s in stories]
        plans.sort(key=lambda v: (_priority_rank(v.priority), natural_key(v.id)))
        return ScheduleView(phases=tuple(phases), waves=waves, stories=tuple(plans),
                            cyclic=tuple(tasks[t].id for t in open_tasks if t in remaining))

    def dependency_edges(self, tasks: dict, plan: PlanView) -> tuple[EdgeView, ...]:
        node_of = {t: tv.node for t, tv in tasks.items()}
        node_of.update({p: ph.node for p, ph in zip(self.phases, plan.phases)})
        edges = {EdgeView(source=node_of[d], target=node_of[x])
                 for x in node_of for d in self.g.objects(x, SPEC.dependsOn) if d in node_of and d != x}
        return _sorted_edges(edges)


def _ids(names) -> tuple[str, ...]:
    return tuple(sorted(set(names), key=natural_key))


def _sorted_edges(edges) -> tuple[EdgeView, ...]:
    return tuple(sorted(edges, key=lambda e: (natural_key(e.source), natural_key(e.target))))


def _trace_edges(stories: tuple[StoryView, ...], tasks) -> tuple[EdgeView, ...]:
    """story → scenario → task, and story → task for tasks implementing the story itself."""
    task_node = {tv.id: tv.node for tv in tasks}
    edges = set()
    for story in stories:
        edges.update(EdgeView(source=story.node, target=task_node[t]) for t in story.direct_tasks)
        for scenario in story.scenarios:
            edges.add(EdgeView(source=story.node, target=scenario.node))
            edges.update(EdgeView(source=scenario.node, target=task_node[t]) for t in scenario.tasks)
    return _sorted_edges(edges)


def _coverage(stories: tuple[StoryView, ...], scenarios: tuple[ScenarioView, ...],
              checklist: tuple[TaskView, ...]) -> CoverageView:
    return CoverageView(
        stories=len(stories), stories_covered=sum(1 for s in stories if s.covered),
        scenarios=len(scenarios), scenarios_covered=sum(1 for sv in scenarios if sv.tasks),
        tasks=len(checklist),
        stories_without_tasks=tuple(f"{s.id} {s.label}" for s in stories if not s.covered),
        tasks_without_story=tuple(f"{t.id} {t.label}" for t in checklist if not t.stories),
        scenarios_missing_steps=tuple(
            MissingStepsView(scenario=f"{sv.id} {sv.label}", missing=sv.missing)
            for sv in sorted(scenarios, key=lambda v: natural_key(v.id)) if sv.missing),
    )


def _priority(r: _Reader, story) -> str:
    values = sorted({r.local(v) if isinstance(v, URIRef) else str(v).strip()
                     for v in r.g.objects(story, SPEC.priority)})
    return " / ".join(values)


def _topological(tasks: list, deps: dict, order: dict) -> list:
    """Kahn's algorithm over dependencies inside ``tasks``; ties (and cycles) go by ``order``."""
    members = set(tasks)
    needs = {t: {d for d in deps[t] if d in members} for t in tasks}
    users: dict = {t: set() for t in tasks}
    for t, ds in needs.items():
        for d in ds:
            users[d].add(t)
    waiting = {t: len(ds) for t, ds in needs.items()}
    ready = [(order[t], t) for t in tasks if waiting[t] == 0]
    heapq.heapify(ready)
    out: list = []
    while ready:
        _k, t = heapq.heappop(ready)
        out.append(t)
        for u in users[t]:
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(ready, (order[u], u))
    if len(out) < len(tasks):  # a cycle (the check reports it): the rest in the usual order
        done = set(out)
        out += sorted((t for t in tasks if t not in done), key=order.get)
    return out


def _task_dependencies(g: Graph, task, task_set: set, phase_tasks: dict) -> frozenset:
    """The tasks ``task`` waits for: those it depends on, and all tasks of a phase it depends on."""
    out: set = set()
    for d in g.objects(task, SPEC.dependsOn):
        if d in task_set:
            out.add(d)
        elif d in phase_tasks:
            out.update(phase_tasks[d])
    out.discard(task)
    return frozenset(out)


def _phase_order(phases: list, phase_of: dict, deps: dict, g: Graph) -> list:
    """The phases in their stated order, except that a phase comes after the phases holding tasks
    its own tasks wait for (so the checklist never lists a task before what it waits for)."""
    index = {p: i for i, p in enumerate(phases)}
    after: dict = {p: set() for p in phases}
    for t, p in phase_of.items():
        after[p].update(phase_of[d] for d in deps[t] if d in phase_of and phase_of[d] != p)
    for p in phases:
        after[p].update(d for d in g.objects(p, SPEC.dependsOn) if d in index and d != p)
    order = _topological(phases, after, index)
    return order


# A task's own id: spec:taskId as written ("T004"), else read from a numbered name (:task-001,
# :T12, :TASK_7) and shown as spec-kit numbers tasks (T001).
_NUMBERED_NAME = re.compile(r"(?i)(?:t|task)[-_ ]?0*(\d{1,6})")


def _source_task_ids(r: _Reader, task_set: set) -> dict:
    ids: dict = {}
    for t in sorted(task_set, key=str):
        given = r.text(t, SPEC.taskId)
        match = _NUMBERED_NAME.fullmatch(r.local(t)) if isinstance(t, URIRef) else None
        if given:
            ids[t] = given
        elif match:
            ids[t] = f"T{int(match.group(1)):03d}"
    # Two names read as the same id: neither keeps it; a written spec:taskId always stays (unique-id
    # reports a clash).
    seen: dict = {}
    for t, ident in ids.items():
        seen.setdefault(ident, []).append(t)
    return {t: ident for t, ident in ids.items() if len(seen[ident]) == 1 or r.text(t, SPEC.taskId)}


def _source_key(r: _Reader, source_ids: dict):
    def key(node):
        ident = source_ids.get(node, "")
        return (natural_key(ident) if ident else ((2, 0, ""),), r.label(node).lower(), str(node))
    return key


def _priority_rank(priority: str) -> tuple:
    """P0 before P1 before P2 ...; a priority that is not of that form, or none, last."""
    match = re.search(r"(?i)\bP(\d{1,2})\b", priority or "")
    return (int(match.group(1)) if match else 99, priority or "")


def _matrix(stories: list[StoryView], tasks: dict[str, TaskView]) -> tuple[MatrixRowView, ...]:
    rank = {"uncovered": 0, "story": 1, "covered": 2}
    rows = []
    for order, s in enumerate(stories):
        targets = [(sv, sv.tasks) for sv in s.scenarios] or [(None, ())]
        for position, (sv, scenario_tasks) in enumerate(targets):
            if scenario_tasks:
                shown, coverage, via = scenario_tasks, "covered", False
            elif s.direct_tasks:
                shown, coverage, via = s.direct_tasks, "story", True
            else:
                shown, coverage, via = (), "uncovered", False
            rows.append((rank[coverage], order, position, MatrixRowView(
                story=f"{s.id} {s.label}", scenario=f"{sv.id} {sv.label}" if sv is not None else "",
                tasks=shown, via_story=via,
                entities=tuple(sorted({e for t in shown if t in tasks for e in tasks[t].entities},
                                      key=str.lower)),
                components=tuple(sorted({c for t in shown if t in tasks for c in tasks[t].components},
                                        key=str.lower)),
                coverage=coverage)))
    return tuple(row for *_k, row in sorted(rows, key=lambda x: x[:3]))


def _requirements(r: _Reader) -> tuple[RequirementView, ...]:
    nodes = sorted(r.instances(SPEC.Requirement), key=_node_key(r, SPEC.requirementId))
    return tuple(RequirementView(id=r.text(n, SPEC.requirementId) or r.local(n), label=r.label(n),
                                 description=r.text(n, RDFS.comment), iri=str(n)) for n in nodes)


def _criteria(r: _Reader) -> tuple[CriterionView, ...]:
    def num(n, p) -> str:
        v = r.number(n, p)
        return format_number(v) if v is not None else r.text(n, p)

    views = [CriterionView(label=r.label(n), metric=r.text(n, SPEC.metricName),
                           baseline=num(n, SPEC.baselineValue), target=num(n, SPEC.targetValue),
                           unit=r.text(n, SPEC.unit),
                           comparator=COMPARATORS.get(r.text(n, SPEC.comparator), r.text(n, SPEC.comparator)))
             for n in r.instances(SPEC.SuccessCriterion)]
    return tuple(sorted(views, key=lambda v: (v.label.lower(), v.metric, v.target)))


def _entities(r: _Reader) -> tuple[EntityView, ...]:
    out = []
    for n in r.instances(SPEC.Entity):
        attributes = sorted(
            (AttributeView(name=r.text(a, SPEC.attributeName) or r.label(a),
                           datatype=r.text(a, SPEC.datatype),
                           description=r.text(a, RDFS.comment)) for a in r.g.objects(n, SPEC.hasAttribute)),
            key=lambda a: (a.name.lower(), a.datatype, a.description))
        out.append(EntityView(label=r.label(n), description=r.text(n, RDFS.comment),
                              attributes=tuple(attributes),
                              relates_to=_labels(r, n, SPEC.relatesTo)))
    return tuple(sorted(out, key=lambda e: (e.label.lower(), e.description)))


def _labels(r: _Reader, node, *predicates) -> tuple[str, ...]:
    return tuple(sorted({r.label(o) for p in predicates for o in r.g.objects(node, p)}, key=str.lower))


def _architecture(r: _Reader) -> ArchitectureView:
    def linked(cls, *predicates, entities=None, rationale=False) -> tuple[LinkedView, ...]:
        views = [LinkedView(label=r.label(n), description=r.text(n, RDFS.comment),
                            links=_labels(r, n, *predicates),
                            entities=_labels(r, n, entities) if entities is not None else (),
                            rationale=r.text(n, SPEC.rationale) if rationale else "")
                 for n in r.instances(cls)]
        return tuple(sorted(views, key=lambda v: (v.label.lower(), v.description)))

    configurations = []
    for n in r.instances(SPEC.Configuration):
        settings = sorted({SettingView(key=r.text(s, SPEC.settingKey), value=r.text(s, SPEC.settingValue))
                           for s in r.g.objects(n, SPEC.hasSetting)}, key=lambda s: (s.key.lower(), s.value))
        configurations.append(ConfigurationView(label=r.label(n), description=r.text(n, RDFS.comment),
                                                instance_of=_labels(r, n, SPEC.instanceOf),
                                                settings=tuple(settings)))
    return ArchitectureView(
        components=linked(SPEC.Component, SPEC.dependsOnComponent, entities=SPEC.managesEntity),
        patterns=linked(SPEC.Pattern, SPEC.appliesTo),
        constraints=linked(SPEC.Constraint, SPEC.constrains),
        decisions=linked(SPEC.Decision, SPEC.affects, rationale=True),
        configurations=tuple(sorted(configurations, key=lambda c: (c.label.lower(), c.description))),
    )


def _check_view(result: FolderResult, rules: dict[str, RuleInfo], link_base: Path) -> CheckView:
    groups: dict[str, list[FindingView]] = {}
    severity_of: dict[str, Severity] = {}
    for f in sorted(result.findings, key=lambda f: (f.rule_id, f.file, f.line, f.column, f.message)):
        groups.setdefault(f.rule_id, []).append(FindingView(
            severity=f.severity.value, message=f.message,
            location=f"{f.file}:{f.line}" if f.line else f.file,
            link=quote(_relative_link(f.file, f.line, link_base), safe="/#.-_~"),
        ))
        current = severity_of.get(f.rule_id)
        if current is None or f.severity.rank > current.rank:
            severity_of[f.rule_id] = f.severity
    ordered = sorted(groups, key=lambda rid: (-severity_of[rid].rank, rid))
    return CheckView(
        closure=f"{result.closure:.1f}", checks_passed=result.checks_passed,
        checks_applied=result.checks_applied,
        complete=result.complete, unparsed_files=tuple(result.unparsed_files),
        violations=sum(1 for f in result.findings if f.severity is Severity.VIOLATION),
        warnings=sum(1 for f in result.findings if f.severity is Severity.WARNING),
        infos=sum(1 for f in result.findings if f.severity is Severity.INFO),
        groups=tuple(FindingGroupView(rule_id=rid, rule_name=rules[rid].name if rid in rules else rid,
                                      severity=severity_of[rid].value, findings=tuple(groups[rid]))
                     for rid in ordered),
    )
