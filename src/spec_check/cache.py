# SPDX-License-Identifier: MIT
"""The content-hash cache: a folder's result, and the rule catalogue, kept under .spec-check-cache/.

A cached result is used only when everything it was computed from is byte-for-byte
the same. The key of a folder's result hashes: every data file's bytes and the paths
findings show, the shapes files (built-in and extra), the ontology files, the check
options, and spec-check itself (its version *and* the bytes of its own source files,
so an edited checkout never reuses an old result), plus the versions of rdflib,
pyshacl and owlrl. Anything else (a file added, a byte changed, another --inference)
is a different key: there is no invalidation step that could be forgotten.

Entries are JSON (never pickle: a cache folder may come from anywhere), written
atomically. The cache is best effort: an unreadable or unwritable cache is
ignored, never an error. This module must not import rdflib: a fully cached run
and `spec-check rules` should not pay for it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import __version__
from .model import Finding, FolderResult, RuleInfo, Severity

CACHE_DIR_NAME = ".spec-check-cache"
CACHE_DIR_ENV = "SPEC_CHECK_CACHE_DIR"  # overrides where the cache lives
FORMAT = 1  # bump when the entry layout changes


def default_cache_dir() -> Path:
    """``$SPEC_CHECK_CACHE_DIR`` if set, else .spec-check-cache/ in the working folder."""
    return Path(os.environ.get(CACHE_DIR_ENV) or CACHE_DIR_NAME)


def _digest(parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def files_digest(paths) -> str:
    """Hash of the files' names and bytes, in the order given."""
    parts: list = []
    for path in paths:
        parts.append(str(path))
        try:
            parts.append(Path(path).read_bytes())
        except OSError as e:  # an unreadable file: a key that can never match a real read
            parts.append(f"unreadable:{e}")
    return _digest(parts)


@lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """spec-check's version and source bytes, and the versions of the engines it uses."""
    from importlib.metadata import PackageNotFoundError, version

    package = Path(__file__).resolve().parent
    sources = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".json", ".j2", ".md") and p.is_file())
    parts: list = [FORMAT, __version__]
    for name in ("rdflib", "pyshacl", "owlrl"):
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=absent")
    for path in sources:
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return _digest(parts)


def rules_key(shapes: list[Path]) -> str:
    return _digest(["rules", code_fingerprint(), files_digest(shapes)])


def folder_key(rules: str, ontology: str, options: str, folder_display: str,
               files: list[tuple[str, Path]]) -> str:
    """The key of one folder's result; ``files`` pairs each shown name with its path."""
    return _digest(["folder", rules, ontology, options, folder_display,
                    *[x for shown, path in files for x in (shown, files_digest([path]))]])


# -- (de)serialising the plain result types -----------------------------------

def _finding_from(data: dict) -> Finding:
    data = dict(data)
    data["severity"] = Severity(data["severity"])
    return Finding(**data)


@dataclass(frozen=True)
class FolderEntry:
    """A folder's result and what cross-folder resolution needs (what the cache keeps).

    described: IRIs the folder's files describe; objects: IRIs it uses as objects
    but does not describe; resolved: those objects that other folders describe,
    as the result was computed (its LoadedFolder.defined_elsewhere).
    """

    result: FolderResult
    described: frozenset = frozenset()
    objects: frozenset = frozenset()
    resolved: frozenset = frozenset()
    timed_out: bool = False  # never stored: the next run tries again


def _tuples(value):
    # JSON has only lists; the result types hold tuples (also inside dicts).
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def entry_to_json(entry: FolderEntry) -> str:
    return json.dumps({"result": dataclasses.asdict(entry.result), "described": sorted(entry.described),
                       "objects": sorted(entry.objects), "resolved": sorted(entry.resolved)},
                      sort_keys=True, ensure_ascii=False)


def _result_from(data: dict) -> FolderResult:
    lists = {k: tuple(_finding_from(f) for f in data.pop(k, ()))
             for k in ("findings", "suppressed_findings", "baselined_findings")}
    return FolderResult(**lists, **{k: _tuples(v) for k, v in data.items()})


def entry_from_json(text: str) -> FolderEntry:
    doc = json.loads(text)
    return FolderEntry(result=_result_from(doc["result"]), described=frozenset(doc["described"]),
                       objects=frozenset(doc["objects"]), resolved=frozenset(doc["resolved"]))


def run_key(folder_keys: list[str]) -> str:
    """The key of a whole run: its folders' keys, in order (each already covers rules, options, code)."""
    return _digest(["run", *folder_keys])


def run_to_json(results) -> str:
    return json.dumps([dataclasses.asdict(r) for r in results], sort_keys=True, ensure_ascii=False)


def run_from_json(text: str) -> tuple[FolderResult, ...]:
    return tuple(_result_from(data) for data in json.loads(text))


def rules_to_json(rules) -> str:
    return json.dumps([dataclasses.asdict(r) for r in rules], sort_keys=True, ensure_ascii=False)


def rules_from_json(text: str) -> tuple[RuleInfo, ...]:
    out = []
    for data in json.loads(text):
        data["severity"] = Severity(data["severity"])
        out.append(RuleInfo(**data))
    return tuple(out)


class ResultCache:
    """Entries in one folder, one JSON file per key."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / f"{key}.json"

    def _read(self, kind: str, key: str) -> str | None:
        try:
            return self._path(kind, key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _write(self, kind: str, key: str, text: str) -> None:
        from .errors import SpecCheckError
        from .fsutil import write_atomic

        try:
            if not (self.root / "CACHEDIR.TAG").exists():
                # The standard tag: backup tools skip the folder.
                write_atomic(self.root / "CACHEDIR.TAG",
                             "Signature: 8a477f597d28d172789f06886806bc55\n# spec-check's result cache\n")
            write_atomic(self._path(kind, key), text)
        except (SpecCheckError, OSError):
            pass  # best effort: a read-only checkout still gets its report

    def _get(self, kind: str, key: str, decode):
        text = self._read(kind, key)
        if text is None:
            return None
        try:
            return decode(text)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # a damaged entry is a miss; the next write replaces it

    def _put(self, kind: str, key: str, encode, value) -> None:
        try:
            text = encode(value)
        except (TypeError, ValueError):
            return
        self._write(kind, key, text)

    def get_folder(self, key: str) -> FolderEntry | None:
        return self._get("folders", key, entry_from_json)

    def put_folder(self, key: str, entry: FolderEntry) -> None:
        self._put("folders", key, entry_to_json, entry)

    def get_run(self, key: str) -> tuple[FolderResult, ...] | None:
        """A whole run's folder results, cross-folder resolution done: one read instead of one per folder."""
        return self._get("runs", key, run_from_json)

    def put_run(self, key: str, results) -> None:
        self._put("runs", key, run_to_json, results)

    def get_rules(self, key: str) -> tuple[RuleInfo, ...] | None:
        return self._get("rules", key, rules_from_json)

    def put_rules(self, key: str, rules) -> None:
        self._put("rules", key, rules_to_json, rules)


def rule_catalogue(extra_shapes: list[Path] | None = None, cache: ResultCache | None = None,
                   gates: list[Path] | None = None) -> tuple[RuleInfo, ...]:
    """The rules, as `spec-check rules` lists them: from the cache when the rule files are unchanged.

    Raises:
        SpecCheckError: a shapes file or gate does not parse, or two rules share an id.
    """
    from .resources import shapes_files

    files = shapes_files() + list(extra_shapes or [])
    if gates:
        from .rule_files import gate_files

        files += gate_files(list(gates))
    key = rules_key(files)
    if cache is not None:
        hit = cache.get_rules(key)
        if hit is not None:
            return hit
    from .rules import load_rules

    rules = tuple(load_rules(list(extra_shapes or []), gates=list(gates or [])).rules.values())
    if cache is not None:
        cache.put_rules(key, rules)
    return rules
