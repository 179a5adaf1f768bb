# SPDX-License-Identifier: MIT
"""The public API: one class, SpecCheck, wiring load → infer → validate.

Nothing here prints or exits; the CLI (or any program) calls these methods and
decides what to do with the result. Errors that stop the tool are raised as
SpecCheckError; problems in a spec come back as findings.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Optional

from .cache import FolderEntry
from .errors import SpecCheckError
from .load.limits import DEFAULT_MAX_FILE_SIZE
from .model import CheckResult, FolderResult, InferenceMode, RenderedFile, Severity

# progress(done, total, folder): called after each folder is checked.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CheckOptions:
    """How to check; the CLI builds one from its options and the config file."""

    inference: InferenceMode = InferenceMode.NONE
    extra_shapes: tuple[Path, ...] = field(default_factory=tuple)
    # SPARQL gate rules (validate/gates.py): .rq files, or folders of them
    # (`--rules` and the config's `sparql` key, in that order).
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
    # The repository the specs describe: done tasks' named files are looked up there
    # (rule done-task-file). Reading files outside the specs, so results are not cached.
    repo_root: Path | None = None
    # (absolute path, text) of files whose unsaved editor buffer replaces the file on disk
    # (the language server, lsp/); part of result_key, so a cached result never answers for them.
    unsaved: tuple[tuple[Path, str], ...] = ()

    # "native" (default) or "pyshacl" (the reference); same findings, see validate/native.py.
    engine: str = "native"
    # How to run, not what to find:
    jobs: int = 1  # worker processes for many folders (the CLI defaults to the core count)
    cache_dir: Path | None = None  # where cached results live; None: no cache

    def result_key(self) -> str:
        """Every option that can change a folder's result, as text (for the cache key).

        Left out: how to run (jobs, cache_dir) and the policy, which apply_policy
        applies after the cached stage. Files named here are hashed by content too.
        The timeout stays in the key: otherwise a result cached by a run without a
        limit would answer a run whose limit is too short, and the same command
        would report a timeout or not depending on the cache. A timed-out result
        is never stored.
        """
        import dataclasses

        kept = dataclasses.replace(self, jobs=1, cache_dir=None, select=(), ignore=(), severity=(),
                                   baseline=frozenset())
        return repr(kept)

    @property
    def load_limits(self):
        from .load.limits import LoadLimits

        return LoadLimits(max_file_size=self.max_file_size, follow_symlinks=self.follow_symlinks)

    @property
    def unsaved_texts(self) -> dict[Path, str]:
        return {Path(path).absolute(): text for path, text in self.unsaved}


class SpecCheck:
    """Check spec folders for closure.

    Example:
        >>> result = SpecCheck().check([Path("specs/008-build-optimization-complete")])
        >>> result.closure
        100.0
    """

    def __init__(self, options: CheckOptions | None = None):
        self.options = options or CheckOptions()

    @classmethod
    def from_config(cls, config_file: Path | None = None, **options) -> "SpecCheck":
        """A checker with the settings every command uses: the config file (``config_file``, else
        the one found from the working folder up) merged with ``options`` (the keyword arguments of
        settings.resolve_settings, e.g. ``shapes=[...]``, ``inference="rdfs"``).

        Raises:
            SpecCheckError: a bad config or baseline file.
        """
        from .settings import resolve_settings

        return cls(resolve_settings(config_file=config_file, **options).options)

    def with_unsaved(self, unsaved: tuple[tuple[Path, str], ...]) -> "SpecCheck":
        """This checker over other unsaved editor buffers, sharing the rules, ontology and
        dialects already read (the language server re-checks on every change)."""
        import dataclasses

        other = SpecCheck(dataclasses.replace(self.options, unsaved=tuple(unsaved)))
        for name in ("rules", "dialects", "ontology"):
            # Read here, on this checker, when not read yet: else every derived checker read
            # them again (70-200 ms of each keystroke's check in the language server).
            try:
                other.__dict__[name] = getattr(self, name)
            except SpecCheckError:
                pass  # the derived checker's own run reports it
        return other

    @cached_property
    def rules(self):
        from .rules import load_rules

        gates = list(self.options.extra_rules)
        return load_rules(list(self.options.extra_shapes), gates=gates)

    @cached_property
    def dialects(self):
        """Every known dialect by name: built-in alignments plus ``extra_dialects``."""
        from .dialects import load_dialects

        return load_dialects(self.options.extra_dialects)

    @cached_property
    def ontology(self):
        from rdflib import Graph

        from .load.fast_turtle import read_file_into
        from .resources import ontology_files

        graph = Graph()
        for path in ontology_files():
            try:
                if not read_file_into(graph, path):
                    graph.parse(path, format="turtle")
            except Exception as e:
                raise SpecCheckError(f"ontology file does not parse: {e}", path=str(path)) from None
        return graph

    def check(self, paths: list[Path], progress: Optional[Progress] = None) -> CheckResult:
        """Check every spec folder found in ``paths``.

        Folders checked in one run see each other's IRIs: a reference from one
        to an IRI another describes resolves instead of being reported.

        Folders are checked independently first (in ``options.jobs`` worker
        processes, or taken from the cache), each with no other folder's IRIs;
        a folder whose own object IRIs include some that another folder
        describes is then checked again with them. The result is the same as
        checking each folder with every other folder's IRIs (defined_elsewhere
        is only ever asked about the folder's own objects).

        Args:
            paths: folders, folders holding spec folders, or single RDF files.
            progress: called as ``progress(0, total, "")`` once the folders are found,
                then ``progress(done, total, folder)`` after each folder.

        Raises:
            SpecCheckError: a path does not exist, holds no RDF, the shapes are
                broken, or the options name an unknown rule id.
        """
        from .load import discover
        from .policy import apply_policy, check_rule_ids

        folders = discover([Path(p) for p in paths])
        cache = keys = same_run = None
        entries: list[FolderEntry | None] = [None] * len(folders)
        if self.options.cache_dir is not None and self.options.repo_root is None:
            from .cache import ResultCache, run_key

            cache = ResultCache(self.options.cache_dir)
            keys = self._cache_keys(folders)
            same_run = cache.get_run(run_key(keys))
            if same_run is None or len(same_run) != len(folders):
                same_run = None
                entries = [cache.get_folder(k) for k in keys]
        todo = [] if same_run is not None else [i for i, e in enumerate(entries) if e is None]
        if todo or cache is None:
            rule_infos = tuple(self.rules.rules.values())
        else:  # every folder came from the cache: so can the catalogue (no shapes parsing)
            from .cache import rule_catalogue

            rule_infos = rule_catalogue(list(self.options.extra_shapes), cache,
                                        gates=list(self.options.extra_rules))
        check_rule_ids(self.options, {r.rule_id for r in rule_infos})
        if self.options.dialect is not None and (todo or cache is None) and self.options.dialect not in self.dialects:
            from rdflib import Graph

            from .dialects import choose

            choose(Graph(), self.dialects, self.options.dialect)  # raises: an unknown name stops the run
        if todo:
            self.ontology  # noqa: B018 - read before any folder's time limit starts
            self.dialects  # noqa: B018
        if progress is not None:
            progress(0, len(folders), "")
        if same_run is not None:  # the same folders, byte for byte, checked before: the whole result at once
            return apply_policy(CheckResult(folders=same_run, rules=rule_infos), self.options)
        done = len(folders) - len(todo)
        for i, entry in zip(todo, self._check_folders([(folders[i], frozenset()) for i in todo])):
            entries[i] = entry
            done += 1
            if progress is not None:
                progress(done, len(folders), entry.result.path)
        needed = _defined_elsewhere(entries)
        redo = [i for i, e in enumerate(entries) if e.resolved != needed[i]]
        for i, entry in zip(redo, self._check_folders([(folders[i], needed[i]) for i in redo])):
            entries[i] = entry
        if cache is not None:
            for i in sorted(set(todo) | set(redo)):
                if not entries[i].timed_out:  # how long a check takes is no property of the data
                    cache.put_folder(keys[i], entries[i])
            if not any(e.timed_out for e in entries):
                cache.put_run(run_key(keys), [e.result for e in entries])
        result = CheckResult(folders=tuple(e.result for e in entries), rules=rule_infos)
        return apply_policy(result, self.options)

    def _rule_files(self) -> list[Path]:
        """Every file the rules and the rule view are read from (for the cache key)."""
        from .resources import shapes_files
        from .rule_files import dialect_files, gate_files

        gates = list(self.options.extra_rules)
        try:
            gate_paths = gate_files(gates) if gates else []
        except SpecCheckError:
            gate_paths = gates  # load_rules reports it; the key just has to differ
        return (shapes_files() + list(self.options.extra_shapes) + list(gate_paths)
                + list(dialect_files()) + list(self.options.extra_dialects))

    def _cache_keys(self, folders) -> list[str]:
        from .cache import files_digest, folder_key, rules_key
        from .load import display_path
        from .resources import ontology_files

        rules = rules_key(self._rule_files())
        ontology = files_digest(ontology_files())
        options = self.options.result_key()
        return [folder_key(rules, ontology, options, display_path(f.path),
                           [(display_path(p), p) for p in f.files]) for f in folders]

    def _check_folders(self, work: list):
        """FolderEntry for each (folder, defined_elsewhere), in order, each as soon as it is done (so
        progress moves per folder); with jobs > 1, in worker processes."""
        jobs = max(1, min(self.options.jobs, len(work)))
        if jobs == 1:
            for folder, elsewhere in work:
                yield self._check_one(folder, elsewhere)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Parse shapes and ontology (and import pySHACL when a shape needs it) once,
        # here: forked workers inherit them instead of each paying again.
        self.rules, self.ontology, self.dialects  # noqa: B018
        if self.options.engine == "native":
            from .validate.native import compiled

            if compiled(self.rules).fallback_graph is not None:
                import pyshacl  # noqa: F401
        else:
            import pyshacl  # noqa: F401
        # The modules every folder's check imports, likewise (each worker imported them again: ~20 ms each).
        from . import deadline, infer  # noqa: F401
        from .validate import builtin, query_reads  # noqa: F401
        if self.options.engine == "native":
            import pyoxigraph  # noqa: F401

        global _WORKER
        _WORKER = self
        if "fork" in multiprocessing.get_all_start_methods():
            pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
        else:
            pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(self.options,))
        with pool:
            # map keeps the input order, so the output never depends on which worker finished first.
            yield from pool.map(_check_in_worker, work, chunksize=1)

    def _check_one(self, folder, defined_elsewhere: frozenset) -> FolderEntry:
        """Load and check one folder within its --timeout (load and check together)."""
        with without_cycle_collection():
            return self._check_one_folder(folder, defined_elsewhere)

    def _check_one_folder(self, folder, defined_elsewhere: frozenset) -> FolderEntry:
        from dataclasses import replace

        from rdflib import URIRef

        from .deadline import FolderTimeout, deadline
        from .load import load_folder

        started = time.monotonic()
        try:
            with deadline(self.options.timeout):
                loaded = load_folder(folder, self.options.load_limits, self.options.unsaved_texts)
        except FolderTimeout:
            return FolderEntry(result=_timed_out(folder, self.options.timeout), timed_out=True)
        if defined_elsewhere:
            loaded = replace(loaded, defined_elsewhere=frozenset(URIRef(i) for i in defined_elsewhere))
        if self.options.repo_root is not None:
            loaded = replace(loaded, repo_root=self.options.repo_root)
        left = self.options.timeout - (time.monotonic() - started) if self.options.timeout else None
        result, view = self._check_folder(loaded, folder, left)
        from .graph import iris

        described = frozenset(str(s) for s in iris(loaded.graph, "subjects"))
        objects = iris(loaded.graph, "objects")
        if view is not None:
            objects |= iris(view, "objects")
        objects = frozenset(str(o) for o in objects) - described
        return FolderEntry(result=result, described=described, objects=objects,
                           resolved=frozenset(defined_elsewhere), timed_out=view is None)

    def _check_folder(self, loaded, source, seconds: float | None):
        """(the folder's result, its rule view graph); (timeout result, None) when time ran out."""
        from .deadline import FolderTimeout, deadline

        if seconds is not None and seconds <= 0:
            return _timed_out(source, self.options.timeout), None
        try:
            with deadline(seconds):
                loaded, view = self.infer(loaded)
                return self._validate(loaded, view), view.graph
        except FolderTimeout:
            return _timed_out(source, self.options.timeout), None

    # -- the pipeline's stages: each returns new values, none changes its input ----------

    def infer(self, loaded):
        """The infer stage: (the folder with its dialects and notes, its rule view).

        ``loaded`` itself is left as the loader made it.
        """
        from dataclasses import replace

        from .dialects import choose
        from .infer import rule_view

        dialects = self.dialects
        chosen = choose(loaded.graph, dialects, self.options.dialect)
        view = rule_view(loaded.graph, self.ontology, self.options.inference,
                         [dialects[d.name] for d in chosen], file_of=lambda node: loaded.index.locate(node)[0])
        return replace(loaded, dialects=list(chosen), notes=view.notes), view

    def _validate(self, loaded, view) -> FolderResult:
        from .validate import validate_folder

        return validate_folder(loaded, view.graph, self.rules, engine=self.options.engine)

    def validate(self, loaded, view) -> FolderResult:
        """The validate stage for one loaded folder and its rule view, with the options' policy
        (select, ignore, severity, baseline) applied as `check` applies it."""
        from .policy import apply_policy, check_rule_ids

        check_rule_ids(self.options, set(self.rules.rules))
        folder = self._validate(loaded, view)
        return apply_policy(CheckResult(folders=(folder,), rules=tuple(self.rules.rules.values())),
                            self.options).folders[0]

    def load(self, path: Path):
        """Load one folder and build its rule view (for rendering and queries): (folder, rule view)."""
        from .load import discover, load_folder

        folders = discover([Path(path)])
        if len(folders) != 1:
            raise SpecCheckError("expected exactly one spec folder", path=str(path))
        return self.infer(load_folder(folders[0], self.options.load_limits, self.options.unsaved_texts))

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

        loaded, view = self.load(path)
        wanted = list(names) if names is not None else document_names(templates)
        # Only the report (or a user template, which may use it) needs the findings.
        needs_check = "report.md" in wanted or templates is not None
        result = self.validate(loaded, view) if needs_check else None
        doc = build_view(loaded.graph, view.graph, source=Path(path).as_posix(), result=result,
                         rules=self.rules.rules, link_base=link_base)
        return render_documents(doc, wanted, templates)


@contextmanager
def without_cycle_collection():
    """Run the block with Python's cycle collector off (as it was before, after it).

    Checking a folder allocates a few hundred thousand small containers (terms, index
    dicts, tuples) that live until the folder is done; every 700 of them the collector
    walked the young ones, and regularly the whole heap: 18 % of a 100k run's time
    (issue 19). Nothing of a folder's check relies on a collection; the few cycles it
    leaves (an rdflib Graph and its namespace manager) are collected afterwards as usual.
    """
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _timed_out(folder, seconds: float) -> FolderResult:
    """The result of a folder whose check was stopped: one finding, nothing else known."""
    from .load import display_path

    shown = display_path(folder.path)
    files = tuple(display_path(p) for p in folder.files)
    where = next((f for p, f in zip(folder.files, files) if p.name == "feature.ttl"), files[0] if files else shown)
    from .registry import rule_finding

    finding = rule_finding("timeout", folder=shown, file=where, seconds=f"{seconds:g}")
    return FolderResult(path=shown, files=files, triples=0, findings=(finding,), checks_applied=1,
                        checks_failed=1, unparsed_files=files, counts={"info": 0, "violation": 1, "warning": 0})


def _defined_elsewhere(entries: list[FolderEntry]) -> list[frozenset]:
    """For each folder: its object IRIs that another folder of the run describes."""
    if len(entries) < 2:
        return [frozenset()] * len(entries)
    describers: dict[str, int] = {}  # IRI -> how many folders describe it
    for e in entries:
        for iri in e.described:
            describers[iri] = describers.get(iri, 0) + 1
    # objects exclude the folder's own described IRIs, so any describer is another folder.
    return [frozenset(o for o in e.objects if o in describers) for e in entries]


# The checker a worker process uses: inherited on fork, built by _init_worker otherwise.
_WORKER: SpecCheck | None = None


def _init_worker(options: CheckOptions) -> None:
    global _WORKER
    _WORKER = SpecCheck(options)


def _check_in_worker(work) -> FolderEntry:
    folder, defined_elsewhere = work
    return _WORKER._check_one(folder, defined_elsewhere)
