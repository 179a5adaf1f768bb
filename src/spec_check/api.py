# SPDX-License-Identifier: MIT
"""The public API: one class, SpecCheck, wiring load → infer → validate.

Nothing here prints or exits; the CLI (or any program) calls these methods and
decides what to do with the result. Errors that stop the tool are raised as
SpecCheckError; problems in a spec come back as findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import SpecCheckError
from .model import CheckResult, FolderResult, InferenceMode


@dataclass(frozen=True)
class CheckOptions:
    """How to check; the CLI builds one from its options."""

    inference: InferenceMode = InferenceMode.NONE
    extra_shapes: tuple[Path, ...] = field(default_factory=tuple)
    # "native" (default) or "pyshacl" (the reference); same findings, see validate/native.py.
    engine: str = "native"
    # How to run, not what to find: neither is part of a cache key.
    jobs: int = 1  # worker processes for many folders (the CLI defaults to the core count)
    cache_dir: Path | None = None  # where cached results live; None: no cache

    def result_key(self) -> str:
        """Every option that can change a finding, as text (for the cache key)."""
        import dataclasses

        return repr(dataclasses.replace(self, jobs=1, cache_dir=None))


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

        return load_rules(list(self.options.extra_shapes))

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

    def check(self, paths: list[Path]) -> CheckResult:
        """Check every spec folder found in ``paths``.

        Raises:
            SpecCheckError: a path does not exist, holds no RDF, or the shapes are broken.
        """
        from .load import discover

        folders = discover([Path(p) for p in paths])
        cache = keys = None
        results: list[FolderResult | None] = [None] * len(folders)
        if self.options.cache_dir is not None:
            from .cache import ResultCache

            cache = ResultCache(self.options.cache_dir)
            keys = self._cache_keys(folders)
            results = [cache.get_folder(k) for k in keys]
        todo = [i for i, r in enumerate(results) if r is None]
        for i, result in zip(todo, self._check_folders([folders[i] for i in todo])):
            results[i] = result
            if cache is not None:
                cache.put_folder(keys[i], result)
        if todo or cache is None:
            rule_infos = tuple(self.rules.rules.values())
        else:  # every folder came from the cache: so can the catalogue (no shapes parsing)
            from .cache import rule_catalogue

            rule_infos = rule_catalogue(list(self.options.extra_shapes), cache)
        return CheckResult(folders=tuple(results), rules=rule_infos)

    def _cache_keys(self, folders) -> list[str]:
        from .cache import files_digest, folder_key, rules_key
        from .load import display_path
        from .resources import ontology_files, shapes_files

        rules = rules_key(shapes_files() + list(self.options.extra_shapes))
        ontology = files_digest(ontology_files())
        options = self.options.result_key()
        return [folder_key(rules, ontology, options, display_path(f.path),
                           [(display_path(p), p) for p in f.files]) for f in folders]

    def _check_folders(self, folders) -> list[FolderResult]:
        """Check folders in order; with jobs > 1, in that many worker processes."""
        jobs = max(1, min(self.options.jobs, len(folders)))
        if jobs == 1:
            return [self._check_folder(f) for f in folders]
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Parse shapes and ontology and import pySHACL once, here: forked workers
        # inherit them instead of each paying for them again.
        self.rules, self.ontology  # noqa: B018
        if self.options.engine == "native":
            from .validate.native import compiled

            if compiled(self.rules).fallback_graph is not None:
                import pyshacl  # noqa: F401
        else:
            import pyshacl  # noqa: F401

        global _WORKER
        _WORKER = self
        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods:
            pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
        else:
            pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(self.options,))
        with pool:
            # map keeps the input order, so the output never depends on which worker finished first.
            return list(pool.map(_check_in_worker, folders, chunksize=1))

    def _check_folder(self, folder) -> FolderResult:
        from .infer import rule_view
        from .load import load_folder
        from .validate import validate_folder

        loaded = load_folder(folder)
        view = rule_view(loaded.graph, self.ontology, self.options.inference)
        return validate_folder(loaded, view.graph, self.rules, engine=self.options.engine)

    def load(self, path: Path):
        """Load one folder and build its rule view (for rendering and queries)."""
        from .infer import rule_view
        from .load import discover, load_folder

        folders = discover([Path(path)])
        if len(folders) != 1:
            raise SpecCheckError("expected exactly one spec folder", path=str(path))
        loaded = load_folder(folders[0])
        return loaded, rule_view(loaded.graph, self.ontology, self.options.inference)


# The checker a worker process uses: inherited on fork, built by _init_worker otherwise.
_WORKER: SpecCheck | None = None


def _init_worker(options: CheckOptions) -> None:
    global _WORKER
    _WORKER = SpecCheck(options)


def _check_in_worker(folder) -> FolderResult:
    return _WORKER._check_folder(folder)
