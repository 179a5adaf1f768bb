# SPDX-License-Identifier: MIT
"""The content-hash cache: a folder's result, and the rule catalogue, kept in the user's cache folder.

A cached result is used only when everything it was computed from is byte-for-byte
the same. The key of a folder's result hashes: every data file's bytes, the paths
findings show and whether each is a symbolic link (and to what), the shapes files
(built-in and extra), the ontology files, the check options, and spec-check itself
(its version *and* the bytes of its own source files, so an edited checkout never
reuses an old result), plus Python's version and the versions of every library that
can change a result (rdflib, pyshacl, owlrl, pyoxigraph). Anything else (a file
added, a byte changed, another --inference) is a different key: there is no
invalidation step that could be forgotten.

The cache is no input a pull request controls (SECURITY.md, issue 20): it lives in
the user's cache folder ($SPEC_CHECK_CACHE_DIR, else $XDG_CACHE_HOME/spec-check,
else ~/.cache/spec-check), never in the checkout, and every entry carries an
HMAC-SHA256 keyed by a per-user secret (``secret.key``, mode 0600, in the user's
cache folder even when $SPEC_CHECK_CACHE_DIR points elsewhere). An entry that is
not ours, is a link or not a regular file, is larger than MAX_ENTRY_BYTES, or does
not decode to exactly the expected types is a miss. Entries are JSON (never
pickle), written atomically; the cache prunes itself (entries unused for
MAX_AGE_DAYS, then the oldest beyond MAX_CACHE_BYTES) and keeps a .gitignore and
a CACHEDIR.TAG in its folder. The cache is best effort: an unreadable or
unwritable cache is ignored, never an error. This module must not import rdflib:
a fully cached run and `spec-check rules` should not pay for it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
import time
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import __version__
from .model import Finding, FolderResult, RuleInfo, Severity

CACHE_DIR_ENV = "SPEC_CHECK_CACHE_DIR"  # overrides where the entries live
FORMAT = 2  # bump when the entry layout changes (2: HMAC-signed entries)
KEY_FILE = "secret.key"
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # an entry is read at most this far; bigger is a miss
MAX_CACHE_BYTES = 512 * 1024 * 1024  # pruning keeps the entries under this
MAX_AGE_DAYS = 30  # an entry not used for this long is pruned
MAX_HASHED_BYTES = 1024 * 1024 * 1024 + 1  # above any --max-file-size in use; a key never reads further
# Libraries whose version can change a result (engines, parsers, inference, the SPARQL store).
ENGINE_PACKAGES = ("rdflib", "pyshacl", "owlrl", "pyoxigraph")
_KINDS = ("folders", "runs", "rules")


def user_cache_home() -> Path:
    """$XDG_CACHE_HOME/spec-check, else ~/.cache/spec-check: outside any checkout."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "spec-check"


def default_cache_dir() -> Path:
    """``$SPEC_CHECK_CACHE_DIR`` if set, else the user's cache folder (never the working folder)."""
    return Path(os.environ.get(CACHE_DIR_ENV) or user_cache_home())


def _digest(parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def files_digest(paths) -> str:
    """Hash of the files' names, link status and bytes, in the order given."""
    from .safe_read import hash_regular_file

    parts: list = []
    for path in paths:
        parts.append(str(path))
        try:
            if os.path.islink(path):  # a link is reported differently from the file it names
                parts.append(f"link:{os.readlink(path)}")
            # Bounded, regular files only (a shapes path naming /dev/zero read until memory ran out);
            # past the limit the loader reads nothing either, so the prefix is key enough.
            parts.append(hash_regular_file(Path(path), MAX_HASHED_BYTES))
        except OSError as e:  # an unreadable file: a key that can never match a real read
            parts.append(f"unreadable:{e}")
    return _digest(parts)


@lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """spec-check's version and source bytes, Python's version, and the versions of the engines it uses."""
    from importlib.metadata import PackageNotFoundError, version

    package = Path(__file__).resolve().parent
    sources = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".json", ".j2", ".md", ".ttl", ".rq")
                     and p.is_file())
    parts: list = [FORMAT, __version__, sys.version]
    for name in ENGINE_PACKAGES:
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


# -- the per-user secret -----------------------------------------------------------------------

def _private_regular(st: os.stat_result) -> bool:
    """A regular file of ours that nobody else can read or write."""
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o077


def _make_private_dir(path: Path) -> bool:
    """Create ``path`` (mode 0700) if needed; True when it is a real folder of ours, not a link."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid()


@lru_cache(maxsize=8)
def _secret(folder: Path) -> bytes | None:
    """The per-user HMAC key in ``folder`` (created once, 32 random bytes); None when unusable."""
    if not _make_private_dir(folder):
        return None
    path = folder / KEY_FILE
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            _create_secret(folder, path)
            continue
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            data = os.read(fd, 65) if _private_regular(st) else b""
        finally:
            os.close(fd)
        return data if len(data) == 64 else None  # another user's, a link, a fifo, damaged: no cache
    return None


def _create_secret(folder: Path, path: Path) -> None:
    # Written to a private temporary file, then hard-linked into place: two runs
    # starting together both end up with the one key that won the link.
    tmp = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_hex(32).encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)
    except OSError:
        pass
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


# -- (de)serialising the plain result types -----------------------------------
#
# Decoding is strict: every field must have exactly the type the dataclass declares
# (a valid-JSON entry with a string where a count goes is a miss, not a crash later).

class _BadEntry(ValueError):
    pass


@lru_cache(maxsize=None)
def _origin_and_args(hint) -> tuple:
    return typing.get_origin(hint), typing.get_args(hint)


def _typed(value, hint):
    """``value`` (from JSON) as ``hint``: lists become tuples; raise _BadEntry on any other type."""
    if hint is str:  # the commonest, first (a 1M-triple run entry holds ~80k values)
        if isinstance(value, str):
            return value
        raise _BadEntry(f"{value!r:.40} is not {hint}")
    origin, args = _origin_and_args(hint)
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif hint is Severity:
        if isinstance(value, str):
            try:
                return Severity(value)
            except ValueError:
                pass
    elif hint is Finding:
        return _dataclass_from(Finding, value)
    elif origin is tuple and isinstance(value, list):
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_typed(v, args[0]) for v in value)
        if len(args) == len(value):
            return tuple(_typed(v, a) for v, a in zip(value, args))
    elif origin is dict and isinstance(value, dict):
        if args == _RULE_CHECKS_ARGS:  # a folder's rule_checks, inline: ~40k pairs in a 1M-triple run entry
            return {k: _int_pair(v) if isinstance(k, str) else _typed(k, str) for k, v in value.items()}
        return {_typed(k, args[0]): _typed(v, args[1]) for k, v in value.items()}
    raise _BadEntry(f"{value!r:.40} is not {hint}")


_RULE_CHECKS_ARGS = (str, tuple[int, int])


def _int_pair(value) -> tuple[int, int]:
    """_typed(value, tuple[int, int]) in one step (the same checks: two ints, no bools)."""
    if type(value) is list and len(value) == 2:
        first, second = value
        if type(first) is int and type(second) is int:  # JSON's ints are exactly int; a bool is not
            return first, second
    return _typed(value, tuple[int, int])  # anything else: the general check (it raises)


@lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _dataclass_from(cls, data):
    if not isinstance(data, dict):
        raise _BadEntry(f"{cls.__name__} is not an object")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    if not set(data) <= set(fields) or any(name not in data for name, f in fields.items()
                                          if f.default is dataclasses.MISSING
                                          and f.default_factory is dataclasses.MISSING):
        raise _BadEntry(f"{cls.__name__} has unknown or missing fields")
    return cls(**{name: _typed(value, hints[name]) for name, value in data.items()})


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


def entry_to_json(entry: FolderEntry) -> str:
    return json.dumps({"result": dataclasses.asdict(entry.result), "described": sorted(entry.described),
                       "objects": sorted(entry.objects), "resolved": sorted(entry.resolved)},
                      sort_keys=True, ensure_ascii=False)


def _strings(value) -> frozenset:
    return frozenset(_typed(value, tuple[str, ...]))


def entry_from_json(text: str) -> FolderEntry:
    doc = json.loads(text)
    if not isinstance(doc, dict) or set(doc) != {"result", "described", "objects", "resolved"}:
        raise _BadEntry("not a folder entry")
    return FolderEntry(result=_dataclass_from(FolderResult, doc["result"]), described=_strings(doc["described"]),
                       objects=_strings(doc["objects"]), resolved=_strings(doc["resolved"]))


def run_key(folder_keys: list[str]) -> str:
    """The key of a whole run: its folders' keys, in order (each already covers rules, options, code)."""
    return _digest(["run", *folder_keys])


def run_to_json(results) -> str:
    return json.dumps([dataclasses.asdict(r) for r in results], sort_keys=True, ensure_ascii=False)


def run_from_json(text: str) -> tuple[FolderResult, ...]:
    doc = json.loads(text)
    if not isinstance(doc, list):
        raise _BadEntry("not a run entry")
    return tuple(_dataclass_from(FolderResult, data) for data in doc)


def rules_to_json(rules) -> str:
    return json.dumps([dataclasses.asdict(r) for r in rules], sort_keys=True, ensure_ascii=False)


def rules_from_json(text: str) -> tuple[RuleInfo, ...]:
    doc = json.loads(text)
    if not isinstance(doc, list):
        raise _BadEntry("not a rules entry")
    return tuple(_dataclass_from(RuleInfo, data) for data in doc)


# -- the store ---------------------------------------------------------------------------------

_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# spec-check's result cache\n"
_GITIGNORE = "# spec-check's result cache: never commit it\n*\n"


class ResultCache:
    """Entries in one folder, one signed JSON file per key: ``<hmac hex>\\n<json>``."""

    def __init__(self, root: Path, key_folder: Path | None = None):
        self.root = Path(root)
        self.key_folder = Path(key_folder) if key_folder is not None else user_cache_home()
        self._pruned = False

    @property
    def _key(self) -> bytes | None:
        return _secret(self.key_folder.absolute())

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / f"{key}.json"

    def _mac(self, secret: bytes, kind: str, key: str, body: bytes) -> str:
        # The kind and key are signed too: an entry moved to another key's name is a miss.
        return hmac.new(secret, b"%s\0%s\0" % (kind.encode(), key.encode()) + body, hashlib.sha256).hexdigest()

    def _read(self, kind: str, key: str) -> str | None:
        secret = self._key
        if secret is None:
            return None
        from .safe_read import read_regular_file

        try:  # a link (to /dev/zero, say), FIFO or device is never read; a read stops at the limit
            data = read_regular_file(self._path(kind, key), MAX_ENTRY_BYTES + 1, follow_links=False)
        except OSError:
            return None
        if len(data) > MAX_ENTRY_BYTES:
            return None
        mac, _, body = data.partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(secret, kind, key, body).encode("ascii")):
            return None  # not written by us with our key: never trusted
        try:
            os.utime(self._path(kind, key))  # used: pruning by age keeps it
        except OSError:
            pass
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def _write(self, kind: str, key: str, text: str) -> None:
        from .errors import SpecCheckError
        from .fsutil import write_atomic

        secret = self._key
        if secret is None or not _make_private_dir(self.root) or not _make_private_dir(self.root / kind):
            return  # no key, or the folder is a link or someone else's: no cache
        body = text.encode("utf-8")
        if len(body) > MAX_ENTRY_BYTES:
            return
        try:
            for name, content in (("CACHEDIR.TAG", _TAG), (".gitignore", _GITIGNORE)):
                if not os.path.lexists(self.root / name):
                    # The standard tag (backup tools skip the folder), and git never lists it.
                    write_atomic(self.root / name, content)
            write_atomic(self._path(kind, key), self._mac(secret, kind, key, body) + "\n" + text)
        except (SpecCheckError, OSError):
            pass  # best effort: a read-only checkout still gets its report
        self.prune()

    def prune(self, max_bytes: int = MAX_CACHE_BYTES, max_age_days: float = MAX_AGE_DAYS) -> None:
        """Remove entries unused for ``max_age_days``, then the oldest until all fit in ``max_bytes``.

        Runs once per ResultCache (a run), after its first write.
        """
        if self._pruned:
            return
        self._pruned = True
        entries = []
        for kind in _KINDS:
            try:
                with os.scandir(self.root / kind) as found:
                    for item in found:
                        try:
                            st = item.stat(follow_symlinks=False)
                        except OSError:
                            continue
                        entries.append((st.st_mtime, st.st_size, item.path))
            except OSError:
                continue
        cutoff = time.time() - max_age_days * 86400
        total = sum(size for _, size, _ in entries)
        for mtime, size, path in sorted(entries):
            if mtime >= cutoff and total <= max_bytes:
                break
            try:
                os.unlink(path)
                total -= size
            except OSError:
                pass

    def _get(self, kind: str, key: str, decode):
        text = self._read(kind, key)
        if text is None:
            return None
        try:
            return decode(text)
        except Exception:  # noqa: BLE001 - any malformed entry is a miss; the next write replaces it
            return None

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
