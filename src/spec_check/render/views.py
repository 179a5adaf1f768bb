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
    parallel: bool
    stories: tuple[str, ...]
    implements: tuple[str, ...]
    depends_on: tuple[str, ...]
    effort: str  # "" when the task states none
    entities: tuple[str, ...]
    components: tuple[str, ...]


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
    r = _Reader(asserted, view)

    # --- feature -------------------------------------------------------------
    features = sorted(r.instances(SPEC.Feature), key=str)
    if features:
        f = features[0]
        feature = FeatureView(id=r.text(f, SPEC.featureId), label=r.label(f),
                              description=r.text(f, RDFS.comment))
    else:
        feature = FeatureView(id="", label=Path(source).name or source, description="")

    # --- stories and scenarios -------------------------------------------------
    stories = sorted(r.instances(SPEC.UserStory), key=_node_key(r, SPEC.storyId))
    story_ids = _derive_ids(stories, {s: r.text(s, SPEC.storyId) for s in stories if r.text(s, SPEC.storyId)},
                            "US{}")
    stories.sort(key=lambda s: (natural_key(story_ids[s]), str(s)))
    scenario_set = set(r.instances(SPEC.AcceptanceScenario))
    story_scenarios: dict = {}
    owner: dict = {}
    for s in stories:
        members = r.ordered(s, SPEC.acceptanceScenarios, None, _node_key(r, SPEC.scenarioId))
        story_scenarios[s] = members
        for m in members:
            owner.setdefault(m, s)
    scenario_ids: dict = {}
    for s in stories:
        for n, m in enumerate(story_scenarios[s], start=1):
            if m not in scenario_ids:
                scenario_ids[m] = r.text(m, SPEC.scenarioId) or f"{story_ids[s]}-S{n}"
    orphans = sorted(scenario_set - set(scenario_ids), key=_node_key(r, SPEC.scenarioId))
    scenario_ids.update(_derive_ids(orphans, {m: r.text(m, SPEC.scenarioId) for m in orphans
                                              if r.text(m, SPEC.scenarioId)}, "S{}"))

    # --- plan, phases, tasks -----------------------------------------------------
    plans = sorted(r.instances(SPEC.Plan), key=str)
    phase_set = set(r.instances(SPEC.Phase))
    phase_key = lambda p: ((r.number(p, SPEC.order) is None, r.number(p, SPEC.order) or 0),  # noqa: E731
                           r.label(p).lower(), str(p))
    phases: list = []
    for plan in plans:
        for p in r.ordered(plan, SPEC.hasPhase, phase_set, phase_key):
            if p not in phases:
                phases.append(p)
    phases += sorted(phase_set - set(phases), key=phase_key)

    task_set = set(r.instances(SPEC.Task))
    id_of_task = {t: r.text(t, SPEC.taskId) for t in task_set if r.text(t, SPEC.taskId)}
    task_sort = _node_key(r, SPEC.taskId)
    phase_tasks: dict = {}
    placed: set = set()
    for p in phases:
        members = [t for t in r.ordered(p, SPEC.hasTask, task_set, task_sort) if t not in placed]
        phase_tasks[p] = members
        placed.update(members)
    unphased = sorted(task_set - placed, key=task_sort)
    in_order = [t for p in phases for t in phase_tasks[p]] + unphased
    task_ids = _derive_ids(in_order, id_of_task, "T{:03d}")
    phase_label = {p: r.label(p) for p in phases}
    phase_of = {t: p for p in phases for t in phase_tasks[p]}

    def done(t) -> bool:
        return any(str(v).strip().lower() in DONE_STATUSES for v in view.objects(t, SPEC.status))

    def name_of(node) -> str:
        if node in task_ids:
            return task_ids[node]
        if node in phase_set:
            return phase_label[node]
        if node in story_ids:
            return story_ids[node]
        if node in scenario_ids:
            return scenario_ids[node]
        ident = r.text(node, SPEC.requirementId)
        return ident or r.label(node)

    def stories_of_task(t) -> list:
        found = set()
        for target in view.objects(t, SPEC.implements):
            if target in story_ids:
                found.add(target)
            elif target in owner:
                found.add(owner[target])
        return sorted((story_ids[s] for s in found), key=natural_key)

    topo = {p: _topological(phase_tasks[p], view, task_ids) for p in phases}
    unphased_topo = _topological(unphased, view, task_ids)
    checklist_nodes = [t for p in phases for t in topo[p]] + unphased_topo
    task_views: dict = {}
    node_no = {t: n for n, t in enumerate(checklist_nodes, start=1)}
    for t in in_order:
        same_phase = set(phase_tasks.get(phase_of.get(t), ()))
        deps = set(view.objects(t, SPEC.dependsOn))
        parallel = not any(d in same_phase and d != t and not done(d) for d in deps)
        effort = r.number(t, SPEC.effortHours)
        task_views[t] = TaskView(
            node=f"task{node_no[t]}",
            id=task_ids[t], label=r.label(t), description=r.text(t, RDFS.comment),
            phase=phase_label.get(phase_of.get(t), ""),
            status=r.text(t, SPEC.status), done=done(t), parallel=parallel,
            stories=tuple(stories_of_task(t)),
            implements=tuple(sorted({name_of(x) for x in view.objects(t, SPEC.implements)}, key=natural_key)),
            depends_on=tuple(sorted({name_of(d) for d in deps}, key=natural_key)),
            effort=format_number(effort) if effort is not None else "",
            entities=tuple(sorted({r.label(e) for e in view.objects(t, SPEC.touchesEntity)}, key=str.lower)),
            components=tuple(sorted({r.label(c) for c in view.objects(t, SPEC.touchesComponent)}, key=str.lower)),
        )

    phase_views = []
    for number, p in enumerate(phases, start=1):
        ordered = topo[p]
        total = sum((r.number(t, SPEC.effortHours) or Decimal(0) for t in phase_tasks[p]), Decimal(0))
        stated = r.number(p, SPEC.totalEffortHours)
        phase_views.append(PhaseView(
            node=f"phase{number}", number=number, label=phase_label[p],
            description=r.text(p, RDFS.comment),
            tasks=tuple(task_views[t] for t in ordered),
            depends_on=tuple(sorted({name_of(d) for d in view.objects(p, SPEC.dependsOn)}, key=natural_key)),
            effort=format_number(total), stated_effort=format_number(stated) if stated is not None else "",
            done=sum(1 for t in ordered if task_views[t].done),
        ))
    unphased_views = tuple(task_views[t] for t in unphased_topo)
    plan_total = sum((Decimal(ph.effort) for ph in phase_views), Decimal(0))
    plan_stated = r.number(plans[0], SPEC.totalEffortHours) if plans else None
    risk_nodes = {x for plan in plans for x in view.objects(plan, SPEC.hasRisk)} | set(r.instances(SPEC.Risk))
    risks = sorted(
        (RiskView(label=r.label(x), description=r.text(x, RDFS.comment), severity=r.text(x, SPEC.severity),
                  mitigation=r.text(x, SPEC.mitigation)) for x in risk_nodes),
        key=lambda v: (RISK_ORDER.get(v.severity.lower(), len(RISK_ORDER)), v.severity, v.label.lower(), v.description),
    )
    plan_view = PlanView(
        label=r.label(plans[0]) if plans else "Plan",
        description=r.text(plans[0], RDFS.comment) if plans else "",
        phases=tuple(phase_views), unphased=unphased_views,
        effort=format_number(plan_total),
        stated_effort=format_number(plan_stated) if plan_stated is not None else "",
        risks=tuple(risks),
    )
    checklist = tuple(t for ph in phase_views for t in ph.tasks) + unphased_views

    # --- stories with their coverage ------------------------------------------------
    implementers: dict = {}
    for t in in_order:
        for target in view.objects(t, SPEC.implements):
            implementers.setdefault(target, set()).add(task_ids[t])

    def ids(nodes) -> tuple[str, ...]:
        return tuple(sorted(nodes, key=natural_key))

    scenario_views: dict = {}
    for m in list(scenario_ids):
        missing = tuple(step for step, pred in (("Given", SPEC.givenContext), ("When", SPEC.whenAction),
                                                ("Then", SPEC.thenResult)) if not r.text(m, pred))
        scenario_views[m] = ScenarioView(
            node=f"scenario{len(scenario_views) + 1}", id=scenario_ids[m], label=r.label(m),
            story_id=story_ids.get(owner.get(m), ""),
            given=r.text(m, SPEC.givenContext), when=r.text(m, SPEC.whenAction), then=r.text(m, SPEC.thenResult),
            missing=missing, tasks=ids(implementers.get(m, ())),
        )
    story_views = []
    for n, s in enumerate(stories, start=1):
        scen = tuple(scenario_views[m] for m in story_scenarios[s])
        direct = implementers.get(s, set())
        every = set(direct).union(*(set(sv.tasks) for sv in scen)) if scen else set(direct)
        story_views.append(StoryView(
            node=f"story{n}", id=story_ids[s], label=r.label(s), actor=r.text(s, SPEC.actor),
            action=r.text(s, SPEC.action), goal=r.text(s, SPEC.goal), priority=_priority(r, s),
            business_value=r.text(s, SPEC.businessValue), scenarios=scen, tasks=ids(every),
            direct_tasks=ids(direct),
            entities=tuple(sorted({r.label(e) for e in view.objects(s, SPEC.involvesEntity)}, key=str.lower)),
        ))

    by_id = {tv.id: tv for tv in task_views.values()}
    matrix = _matrix(story_views, by_id)
    coverage = CoverageView(
        stories=len(story_views), stories_covered=sum(1 for s in story_views if s.covered),
        scenarios=len(scenario_views),
        scenarios_covered=sum(1 for sv in scenario_views.values() if sv.tasks),
        tasks=len(task_views),
        stories_without_tasks=tuple(f"{s.id} {s.label}" for s in story_views if not s.covered),
        tasks_without_story=tuple(f"{t.id} {t.label}" for t in checklist if not t.stories),
        scenarios_missing_steps=tuple(
            MissingStepsView(scenario=f"{sv.id} {sv.label}", missing=sv.missing)
            for sv in sorted(scenario_views.values(), key=lambda v: natural_key(v.id)) if sv.missing),
    )

    node_of = {t: tv.node for t, tv in task_views.items()}
    node_of.update({p: ph.node for p, ph in zip(phases, phase_views)})
    dependency_edges = sorted({
        EdgeView(source=node_of[d], target=node_of[x])
        for x in node_of for d in view.objects(x, SPEC.dependsOn) if d in node_of and d != x
    }, key=lambda e: (natural_key(e.source), natural_key(e.target)))
    task_node = {tv.id: tv.node for tv in task_views.values()}
    trace = set()
    for sv in story_views:
        for t in sv.direct_tasks:
            trace.add(EdgeView(source=sv.node, target=task_node[t]))
        for scen in sv.scenarios:
            trace.add(EdgeView(source=sv.node, target=scen.node))
            for t in scen.tasks:
                trace.add(EdgeView(source=scen.node, target=task_node[t]))
    trace_edges = sorted(trace, key=lambda e: (natural_key(e.source), natural_key(e.target)))

    return DocumentView(
        dependency_edges=tuple(dependency_edges), trace_edges=tuple(trace_edges),
        source=source, feature=feature, stories=tuple(story_views),
        requirements=_requirements(r), criteria=_criteria(r), entities=_entities(r),
        plan=plan_view, tasks=checklist, done=sum(1 for t in checklist if t.done),
        architecture=_architecture(r), matrix=matrix, coverage=coverage,
        check=_check_view(result, rules or {}, link_base or Path.cwd()) if result is not None else None,
    )


def _priority(r: _Reader, story) -> str:
    values = sorted({r.local(v) if isinstance(v, URIRef) else str(v).strip() for v in r.g.objects(story, SPEC.priority)})
    return " / ".join(values)


def _topological(tasks: list, view: Graph, task_ids: dict) -> list:
    """Kahn's algorithm over dependencies inside ``tasks``; ties (and cycles) go by id."""
    members = set(tasks)
    key = {t: (natural_key(task_ids[t]), str(t)) for t in tasks}
    needs = {t: {d for d in view.objects(t, SPEC.dependsOn) if d in members and d != t} for t in tasks}
    users: dict = {t: set() for t in tasks}
    for t, ds in needs.items():
        for d in ds:
            users[d].add(t)
    waiting = {t: len(ds) for t, ds in needs.items()}
    ready = [(key[t], t) for t in tasks if waiting[t] == 0]
    heapq.heapify(ready)
    out: list = []
    while ready:
        _k, t = heapq.heappop(ready)
        out.append(t)
        for u in users[t]:
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(ready, (key[u], u))
    if len(out) < len(tasks):  # a cycle (the check reports it): the rest by id
        out += sorted((t for t in tasks if t not in set(out)), key=lambda t: key[t])
    return out


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
                entities=tuple(sorted({e for t in shown if t in tasks for e in tasks[t].entities}, key=str.lower)),
                components=tuple(sorted({c for t in shown if t in tasks for c in tasks[t].components},
                                        key=str.lower)),
                coverage=coverage)))
    return tuple(row for *_k, row in sorted(rows, key=lambda x: x[:3]))


def _requirements(r: _Reader) -> tuple[RequirementView, ...]:
    nodes = sorted(r.instances(SPEC.Requirement), key=_node_key(r, SPEC.requirementId))
    return tuple(RequirementView(id=r.text(n, SPEC.requirementId) or r.local(n), label=r.label(n),
                                 description=r.text(n, RDFS.comment)) for n in nodes)


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
            (AttributeView(name=r.text(a, SPEC.attributeName) or r.label(a), datatype=r.text(a, SPEC.datatype),
                           description=r.text(a, RDFS.comment)) for a in r.g.objects(n, SPEC.hasAttribute)),
            key=lambda a: (a.name.lower(), a.datatype, a.description))
        out.append(EntityView(label=r.label(n), description=r.text(n, RDFS.comment), attributes=tuple(attributes),
                              relates_to=_labels(r, n, SPEC.relatesTo)))
    return tuple(sorted(out, key=lambda e: (e.label.lower(), e.description)))


def _labels(r: _Reader, node, *predicates) -> tuple[str, ...]:
    return tuple(sorted({r.label(o) for p in predicates for o in r.g.objects(node, p)}, key=str.lower))


def _architecture(r: _Reader) -> ArchitectureView:
    def linked(cls, *predicates, entities=None, rationale=False) -> tuple[LinkedView, ...]:
        views = [LinkedView(label=r.label(n), description=r.text(n, RDFS.comment), links=_labels(r, n, *predicates),
                            entities=_labels(r, n, entities) if entities is not None else (),
                            rationale=r.text(n, SPEC.rationale) if rationale else "")
                 for n in r.instances(cls)]
        return tuple(sorted(views, key=lambda v: (v.label.lower(), v.description)))

    configurations = []
    for n in r.instances(SPEC.Configuration):
        settings = sorted({SettingView(key=r.text(s, SPEC.settingKey), value=r.text(s, SPEC.settingValue))
                           for s in r.g.objects(n, SPEC.hasSetting)}, key=lambda s: (s.key.lower(), s.value))
        configurations.append(ConfigurationView(label=r.label(n), description=r.text(n, RDFS.comment),
                                                instance_of=_labels(r, n, SPEC.instanceOf), settings=tuple(settings)))
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
        closure=f"{result.closure:.1f}", checks_passed=result.checks_passed, checks_applied=result.checks_applied,
        complete=result.complete, unparsed_files=tuple(result.unparsed_files),
        violations=sum(1 for f in result.findings if f.severity is Severity.VIOLATION),
        warnings=sum(1 for f in result.findings if f.severity is Severity.WARNING),
        infos=sum(1 for f in result.findings if f.severity is Severity.INFO),
        groups=tuple(FindingGroupView(rule_id=rid, rule_name=rules[rid].name if rid in rules else rid,
                                      severity=severity_of[rid].value, findings=tuple(groups[rid]))
                     for rid in ordered),
    )
