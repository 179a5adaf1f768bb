# SPDX-License-Identifier: MIT
"""The public API: one class, SpecCheck, wiring load → infer → validate.

Nothing here prints or exits; the CLI (or any program) calls these methods and
decides what to do with the result. Errors that stop the tool are raised as
SpecCheckError; problems in a spec come back as findings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Optional

from .errors import SpecCheckError
from .infer import InferenceMode
from .load.limits import DEFAULT_MAX_FILE_SIZE
from .model import CheckResult, Finding, FolderResult, RenderedFile, Severity

# progress(done, total, folder): called after each folder is checked.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CheckOptions:
    """How to check; the CLI builds one from its options and the config file."""

    inference: InferenceMode = InferenceMode.NONE
    extra_shapes: tuple[Path, ...] = field(default_factory=tuple)
    # SPARQL gate rules (validate/gates.py): .rq files, or folders of them.
    # extra_rules comes from `--rules`, extra_sparql from the config's `sparql` key;
    # both are read the same way.
    extra_sparql: tuple[Path, ...] = field(default_factory=tuple)
    extra_rules: tuple[Path, ...] = field(default_factory=tuple)
    # Dialects (docs/dialects.md): force one by name instead of detecting them;
    # alignment files to add to the built-in ones.
    dialect: str | None = None
    extra_dialects: tuple[Path, ...] = field(default_factory=tuple)
    # Findings policy, applied after validation by policy.apply_policy:
    select: tuple[str, ...] = ()  # only these rule ids (empty: all)
    ignore: tuple[str, ...] = ()  # never these rule ids
    severity: tuple[tuple[str, Severity], ...] = ()  # (rule id, severity) overrides
    baseline: frozenset[str] = frozenset()  # fingerprints of findings to leave out
    # Limits for untrusted input (docs/hardening.md).
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    follow_symlinks: bool = False
    timeout: float | None = None  # seconds per folder (its load and its check); None: no limit

    @property
    def load_limits(self):
        from .load.limits import LoadLimits

        return LoadLimits(max_file_size=self.max_file_size, follow_symlinks=self.follow_symlinks)


class SpecCheck:
    """Check spec folders for closure.

    Example:
        >>> result = SpecCheck().check([Path("specs/008-build-optimization-complete")])
        >>> result.closure
        100.0
    """

    def __init__(self, options: CheckOptions | None = None):
        self.options = options or CheckOptions()

    @cached_property
    def rules(self):
        from .rules import load_rules

        gates = list(self.options.extra_rules) + list(self.options.extra_sparql)
        return load_rules(list(self.options.extra_shapes), gates=gates)

    @cached_property
    def dialects(self):
        """Every known dialect by name: built-in alignments plus ``extra_dialects``."""
        from .dialects import load_dialects

        return load_dialects(self.options.extra_dialects)

    @cached_property
    def ontology(self):
        from rdflib import Graph

        from .resources import ontology_files

        graph = Graph()
        for path in ontology_files():
            try:
                graph.parse(path, format="turtle")
            except Exception as e:
                raise SpecCheckError(f"ontology file does not parse: {e}", path=str(path)) from None
        return graph

    def check(self, paths: list[Path], progress: Optional[Progress] = None) -> CheckResult:
        """Check every spec folder found in ``paths``.

        Folders checked in one run see each other's IRIs: a reference from one
        to an IRI another describes resolves instead of being reported.

        Args:
            paths: folders, folders holding spec folders, or single RDF files.
            progress: called as ``progress(0, total, "")`` once the folders are loaded,
                then ``progress(done, total, folder)`` after each folder.

        Raises:
            SpecCheckError: a path does not exist, holds no RDF, the shapes are
                broken, or the options name an unknown rule id.
        """
        from dataclasses import replace

        from rdflib import URIRef

        from .deadline import FolderTimeout, deadline
        from .load import discover, load_folder
        from .policy import apply_policy, check_rule_ids

        folders = discover([Path(p) for p in paths])
        rules = self.rules
        check_rule_ids(self.options, set(rules.rules))
        if self.options.dialect is not None and self.options.dialect not in self.dialects:
            from rdflib import Graph

            from .dialects import choose

            choose(Graph(), self.dialects, self.options.dialect)  # raises: an unknown name stops the run
        self.ontology  # noqa: B018 - read before any folder's time limit starts
        self.dialects  # noqa: B018
        # Each folder's time (--timeout) covers its load and its check: the check gets what is left.
        loaded, spent = [], []
        for f in folders:
            started = time.monotonic()
            try:
                with deadline(self.options.timeout):
                    loaded.append(load_folder(f, self.options.load_limits))
            except FolderTimeout:
                loaded.append(None)
            spent.append(time.monotonic() - started)
        described = [frozenset(s for s in lf.graph.subjects() if isinstance(s, URIRef)) if lf else frozenset()
                     for lf in loaded]
        results = []
        if progress is not None:
            progress(0, len(loaded), "")
        for number, (source, folder) in enumerate(zip(folders, loaded)):
            if folder is None:
                results.append(_timed_out(source, self.options.timeout))
            else:
                if len(loaded) > 1:
                    others = frozenset().union(*(d for i, d in enumerate(described) if i != number))
                    folder = replace(folder, defined_elsewhere=others - described[number])
                left = self.options.timeout - spent[number] if self.options.timeout else None
                results.append(self._check_folder(folder, source, left))
            if progress is not None:
                progress(number + 1, len(loaded), results[-1].path)
        result = CheckResult(folders=tuple(results), rules=tuple(rules.rules.values()))
        return apply_policy(result, self.options)

    def _check_folder(self, loaded, source, seconds: float | None) -> FolderResult:
        from .deadline import FolderTimeout, deadline
        from .validate import validate_folder

        if seconds is not None and seconds <= 0:
            return _timed_out(source, self.options.timeout)
        try:
            with deadline(seconds):
                view = self._rule_view(loaded)
                return validate_folder(loaded, view.graph, self.rules)
        except FolderTimeout:
            return _timed_out(source, self.options.timeout)

    def _rule_view(self, loaded):
        from .dialects import choose
        from .infer import rule_view

        dialects = self.dialects
        chosen = choose(loaded.graph, dialects, self.options.dialect)
        loaded.dialects = chosen
        view = rule_view(loaded.graph, self.ontology, self.options.inference,
                         [dialects[d.name] for d in chosen])
        loaded.notes = view.notes
        return view

    def load(self, path: Path):
        """Load one folder and build its rule view (for rendering and queries)."""
        from .load import discover, load_folder

        folders = discover([Path(path)])
        if len(folders) != 1:
            raise SpecCheckError("expected exactly one spec folder", path=str(path))
        loaded = load_folder(folders[0], self.options.load_limits)
        return loaded, self._rule_view(loaded)

    def render(self, path: Path, templates: Path | None = None, names: list[str] | None = None,
               link_base: Path | None = None) -> list[RenderedFile]:
        """Render one spec folder's documents (all of them, or ``names`` such as ["tasks.md"]).

        The documents are built from the same rule view the check validates; the
        closure report runs the check on it. ``link_base`` is the folder the
        documents will be written to (finding links are relative to it; default:
        the working folder). Nothing is written.

        Raises:
            SpecCheckError: the folder cannot be loaded, or a template fails (name and line).
        """
        from .render import document_names, render_documents
        from .render.views import build_view
        from .validate import validate_folder

        loaded, view = self.load(path)
        wanted = list(names) if names is not None else document_names(templates)
        # Only the report (or a user template, which may use it) needs the findings.
        needs_check = "report.md" in wanted or templates is not None
        result = validate_folder(loaded, view.graph, self.rules) if needs_check else None
        doc = build_view(loaded.graph, view.graph, source=Path(path).as_posix(), result=result,
                         rules=self.rules.rules, link_base=link_base)
        return render_documents(doc, wanted, templates)


def _timed_out(folder, seconds: float) -> FolderResult:
    """The result of a folder whose check was stopped: one finding, nothing else known."""
    from .load import display_path

    shown = display_path(folder.path)
    files = tuple(display_path(p) for p in folder.files)
    where = next((f for p, f in zip(folder.files, files) if p.name == "feature.ttl"), files[0] if files else shown)
    finding = Finding(
        folder=shown, file=where, line=1, column=1, rule_id="timeout", severity=Severity.VIOLATION,
        message=f"checking this folder took longer than the --timeout of {seconds:g}s and was stopped; "
                "its result is incomplete",
    )
    return FolderResult(path=shown, files=files, triples=0, findings=(finding,), checks_applied=1,
                        checks_failed=1, unparsed_files=files, counts={"info": 0, "violation": 1, "warning": 0})
