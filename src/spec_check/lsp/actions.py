# SPDX-License-Identifier: MIT
"""Quick fixes: each a workspace edit the client applies, offered only where the fix is unambiguous.

* a near miss (``reference-defined``'s "did you mean", ``term-typo``): replace the term;
* a prefix used but not declared: declare it with the namespace the folder's other
  files give it (only when they agree on one);
* ``story-linked``: link the story from the folder's only feature;
* ``task-traced``: let the task implement the folder's only story, or the one story
  every other task of its phase implements.

In a spec-kit Markdown folder (tasks.md):

* ``story-phase-label``: write the phase's story label (``[US1]``) after the task id;
* ``task-trace-target`` on a story label the folder does not define, in a phase of one
  story the folder does define: label the task with that story instead.

Edits are computed on the analysed snapshot; a file whose buffer changed since
gets none (the client asks again after the next check).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from lsprotocol import types as lsp

from ..load.discover import display_path
from .analysis import FolderAnalysis
from .features import SOURCE, SPEC_NS, short_name, to_range

_TURTLE = (".ttl", ".turtle", ".trig")  # the edits are written in Turtle
_UNBOUND = re.compile(r'Prefix "([^"\s]*):" not bound')


def code_actions(analysis: FolderAnalysis, path: Path, wanted: lsp.Range, diagnostics, current: Callable,
                 uri_of: Callable) -> list[lsp.CodeAction]:
    """Quick fixes for ``diagnostics`` (those the client sent back) and undeclared prefixes in ``wanted``.

    ``current(path)`` is the editor's text of a file now; ``uri_of(path)`` its URI.
    """
    if current(path) != analysis.texts.get(path):
        return []
    actions: list[lsp.CodeAction] = []
    fix = _Fixer(analysis, current, uri_of)
    for diagnostic in diagnostics:
        data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        if diagnostic.source != SOURCE or "rule" not in data:
            continue
        rule = data["rule"]
        action = None
        if data.get("suggestion"):
            action = fix.replace(path, diagnostic, data)
        elif rule == "syntax":
            m = _UNBOUND.search(diagnostic.message)
            action = fix.declare_prefix(path, m.group(1), diagnostic) if m else None
        elif rule == "story-linked":
            action = fix.link_story(path, data.get("focus", ""), diagnostic)
        elif rule == "task-traced":
            action = fix.trace_task(path, data.get("focus", ""), diagnostic)
        elif rule == "story-phase-label" and path.suffix.lower() == ".md":
            action = fix.label_task(path, data.get("focus", ""), diagnostic)
        elif rule == "task-trace-target" and path.suffix.lower() == ".md":
            action = fix.relabel_task(path, data.get("focus", ""), data.get("value") or "", diagnostic)
        if action is not None:
            actions.append(action)
    lines = analysis.lines_of(path)
    start = lines.offset(wanted.start.line, wanted.start.character)
    end = lines.offset(wanted.end.line, wanted.end.character)
    offered = {a.title for a in actions}
    for term in analysis.terms_of(path).terms_from(start):
        if term.start > end:
            break
        if term.iri is None:
            action = fix.declare_prefix(path, term.text.partition(":")[0], None)
            if action is not None and action.title not in offered:
                offered.add(action.title)
                actions.append(action)
    return actions


class _Fixer:
    def __init__(self, analysis: FolderAnalysis, current: Callable, uri_of: Callable):
        self.analysis = analysis
        self.current = current
        self.uri_of = uri_of

    def _action(self, title: str, path: Path, start: int, end: int, new_text: str, diagnostic,
                written_in=_TURTLE) -> lsp.CodeAction | None:
        if self.current(path) != self.analysis.texts.get(path) or path.suffix.lower() not in written_in:
            return None
        edit = lsp.TextEdit(range=to_range(self.analysis.lines_of(path), start, end), new_text=new_text)
        return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix,
                              diagnostics=[diagnostic] if diagnostic is not None else None,
                              is_preferred=True, edit=lsp.WorkspaceEdit(changes={self.uri_of(path): [edit]}))

    def _iri(self, name: str, path: Path) -> str | None:
        """A short name as a finding wrote it (prefixed with ``path``'s prefixes, or <IRI>) → IRI."""
        if name.startswith("<") and name.endswith(">"):
            return name[1:-1]
        prefix, colon, local = name.partition(":")
        if not colon:
            return None
        ns = self.analysis.terms_of(path).prefixes.get(prefix)
        if ns is None and prefix == "spec":
            ns = SPEC_NS
        return None if ns is None else ns + local

    def _name(self, iri: str, path: Path) -> str:
        return short_name(iri, self.analysis.terms_of(path).prefixes)

    # -- the fixes ------------------------------------------------------------

    def replace(self, path: Path, diagnostic, data: dict):
        lines = self.analysis.lines_of(path)
        start = lines.offset(diagnostic.range.start.line, diagnostic.range.start.character)
        end = lines.offset(diagnostic.range.end.line, diagnostic.range.end.character)
        if self.analysis.texts[path][start:end] != data.get("value"):
            return None  # the range is not the offending term as written
        named_in = path
        if data.get("suggestionFile"):
            named_in = next((p for p in self.analysis.files if display_path(p) == data["suggestionFile"]), path)
        iri = self._iri(data["suggestion"], named_in)
        if iri is None:
            return None
        new = self._name(iri, path)
        return self._action(f"Replace {data['value']} with {new}", path, start, end, new, diagnostic)

    def declare_prefix(self, path: Path, prefix: str, diagnostic):
        namespaces = {self.analysis.terms_of(p).prefixes.get(prefix) for p in self.analysis.files if p != path}
        namespaces.discard(None)
        if len(namespaces) != 1 or prefix in self.analysis.terms_of(path).prefixes:
            return None
        ns = namespaces.pop()
        terms = self.analysis.terms_of(path)
        text = self.analysis.texts[path]
        at = terms.last_prefix_end()
        if at:
            at = text.find("\n", at)
            at = len(text) if at < 0 else at + 1
        line = f"@prefix {prefix}: <{ns}> .\n"
        if at == len(text) and text and not text.endswith("\n"):
            line = "\n" + line
        return self._action(f"Declare prefix {prefix}: <{ns}>", path, at, at, line, diagnostic)

    def _insert_link(self, title: str, subject_iri: str, predicate: str, object_iri: str, diagnostic):
        """Add ``subject predicate object`` right after the subject of its first statement."""
        defined = self.analysis.definitions(subject_iri)
        if not defined:
            return None
        where, term = defined[0]
        link = f"\n    {self._name(SPEC_NS + predicate, where)} {self._name(object_iri, where)} ;"
        return self._action(title, where, term.end, term.end, link, diagnostic)

    def _graph(self):
        """The rule view, when the folder is written in the spec vocabulary itself (no dialect:
        the link to add would be another vocabulary's)."""
        result = self.analysis.result
        if result is None or result.dialects:
            return None
        _loaded, view = self.analysis.graph()
        return view.graph if view is not None else None

    def link_story(self, path: Path, focus: str, diagnostic):
        from rdflib import RDF, URIRef

        graph = self._graph()
        story = self._iri(focus, path)
        if graph is None or story is None:
            return None
        features = sorted(set(graph.subjects(RDF.type, URIRef(SPEC_NS + "Feature"))))
        if len(features) != 1:
            return None
        feature = str(features[0])
        name = self._name(story, path)
        return self._insert_link(f"Link {name} from the feature {self._name(feature, path)}", feature,
                                 "hasUserStory", story, diagnostic)

    def trace_task(self, path: Path, focus: str, diagnostic):
        from rdflib import RDF, URIRef

        graph = self._graph()
        task = self._iri(focus, path)
        if graph is None or task is None:
            return None
        implements = URIRef(SPEC_NS + "implements")
        stories = set(graph.subjects(RDF.type, URIRef(SPEC_NS + "UserStory")))
        if len(stories) == 1:
            targets = stories
        else:
            has_task = URIRef(SPEC_NS + "hasTask")
            siblings = {t for phase in graph.subjects(has_task, URIRef(task))
                        for t in graph.objects(phase, has_task) if str(t) != task}
            targets = {o for t in siblings for o in graph.objects(t, implements)}
            if not siblings or any(graph.value(t, implements) is None for t in siblings):
                return None  # a phase whose tasks do not all say what they are for tells nothing
        if len(targets) != 1:
            return None
        target = str(next(iter(targets)))
        return self._insert_link(f"Trace {self._name(task, path)} to {self._name(target, path)}", task,
                                 "implements", target, diagnostic)

    # -- spec-kit Markdown (tasks.md) --------------------------------------------

    def _phase_story(self, task: str) -> str | None:
        """The story id (US1) of the phase holding ``task``, when the folder defines that story."""
        from rdflib import URIRef

        _loaded, view = self.analysis.graph()
        graph = view.graph if view is not None else None
        if graph is None:
            return None
        stories = {str(o) for phase in graph.subjects(URIRef(SPEC_NS + "hasTask"), URIRef(task))
                   for o in graph.objects(phase, URIRef(SPEC_NS + "phaseStory"))}
        if len(stories) != 1:
            return None
        story = stories.pop()
        return story if self.analysis.definitions(task.rsplit("#", 1)[0] + "#" + story) else None

    def label_task(self, path: Path, focus: str, diagnostic):
        """``- [ ] T004 Implement`` in the phase of US1 → ``- [ ] T004 [US1] Implement`` (after [P])."""
        task = self._iri(focus, path)
        story = self._phase_story(task) if task else None
        term = next((t for t in self.analysis.terms_of(path).terms if t.subject and t.iri == task), None)
        if story is None or term is None:
            return None
        text = self.analysis.texts[path]
        at = term.end + len(_PARALLEL.match(text, term.end).group(0))
        return self._action(f"Label {focus[1:]} with [{story}]", path, at, at, f" [{story}]", diagnostic,
                            written_in=(".md",))

    def relabel_task(self, path: Path, focus: str, value: str, diagnostic):
        """A task of US2's phase labelled [US3], a story the folder does not define → [US2]."""
        task, target = self._iri(focus, path), self._iri(value, path)
        if task is None or target is None or self.analysis.definitions(target) or not _STORY_ID.match(value[1:]):
            return None
        story = self._phase_story(task)
        lines = self.analysis.lines_of(path)
        start = lines.offset(diagnostic.range.start.line, diagnostic.range.start.character)
        end = lines.offset(diagnostic.range.end.line, diagnostic.range.end.character)
        if story is None or self.analysis.texts[path][start:end] != value[1:]:
            return None
        return self._action(f"Label {focus[1:]} with [{story}] (its phase's story)", path, start, end, story,
                            diagnostic, written_in=(".md",))


_PARALLEL = re.compile(r"(?:\s*\[P\])?")
_STORY_ID = re.compile(r"^US\d+$")
