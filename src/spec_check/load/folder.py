# SPDX-License-Identifier: MIT
"""Load one spec folder: parse each file, merge the triples, index where things are written.

Blank nodes are relabelled in the order the file's graph holds them, so output never
depends on a parser's own blank-node ids.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from rdflib import OWL, BNode, Graph

from ..errors import SpecCheckError
from ..blank_nodes import blank_node_names
from ..graph import SpecGraph, is_iri
from ..model import Finding
from ..registry import rule_finding
from ..safe_read import read_regular_file
from .discover import FolderToCheck, display_path
from .lexical import scan
from .limits import LoadLimits, describe_size, symlink_escapes
from .parse import ParsedFile, base_iri, parse_file
from .provenance import SourceIndex


@dataclass
class LoadedFolder:
    """What the loader hands on: the folder's asserted triples and where each came from."""

    path: Path
    display: str
    files: list[str]
    graph: Graph
    index: SourceIndex
    unparsed: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Set by the infer step (api): the dialects applied (dialects.Detection) and
    # what normalisation did (infer.RuleView.notes), for the rules that report them.
    dialects: list = field(default_factory=list)
    notes: tuple = ()
    # IRIs described by the other folders checked in the same run: references to
    # them resolve (see validate/builtin.py reference_defined, external_reference).
    defined_elsewhere: frozenset = frozenset()
    # Set by the api from --repo-root: where done tasks' files are looked up (done-task-file).
    repo_root: Path | None = None
    # What each file that did not parse names, read lexically (load/lexical.py), so that
    # findings it may have caused are told apart (validate/refine.py).
    unparsed_names: dict = field(default_factory=dict)


def load_folder(folder: FolderToCheck, limits: LoadLimits | None = None,
                unsaved: Mapping[Path, str] | None = None) -> LoadedFolder:
    """Parse every file of ``folder``; parse failures become ``syntax`` findings.

    A file the limits refuse (too big, a link out of the folder, unsafe XML or
    JSON-LD, nesting too deep) becomes a finding of its own and is skipped.
    ``unsaved`` maps absolute file paths to text that replaces what is on disk
    (an editor's unsaved buffers, for the language server); the limits still apply.
    """
    limits = limits or LoadLimits()
    folder_display = display_path(folder.path)
    file_displays = [display_path(p) for p in folder.files]
    fallback_file = next(
        (d for p, d in zip(folder.files, file_displays) if p.name in ("feature.ttl", "spec.md")),
        file_displays[0] if file_displays else folder_display,
    )
    index = SourceIndex(fallback=(fallback_file, 1, 1))
    graph = SpecGraph()  # SimpleMemory's order, without its per-triple cost (see graph.py)
    loaded = LoadedFolder(path=folder.path, display=folder_display, files=file_displays,
                          graph=graph, index=index)
    used_at: dict = {}
    for number, (path, shown) in enumerate(zip(folder.files, file_displays)):
        if not limits.follow_symlinks and symlink_escapes(path, folder.path):
            loaded.unparsed.append(shown)
            loaded.findings.append(rule_finding("symlink-not-followed", folder=folder_display, file=shown))
            continue
        buffer = unsaved.get(path.absolute()) if unsaved else None
        if buffer is not None:
            text = _unsaved_text(buffer, shown, loaded, limits.max_file_size)
        else:
            text = _read_text(path, shown, loaded, limits.max_file_size)
        if text is None:  # too big or not UTF-8: already a finding, and nothing was parsed
            loaded.unparsed.append(shown)
            continue
        # Editor sessions (unsaved buffers given) reuse the parse of an unchanged text; a run of
        # `check` parses each file once, so it keeps nothing alive.
        parsed = _parse_kept(path, text) if unsaved else parse_file(path, text)
        if parsed.error is not None:
            loaded.unparsed.append(shown)
            line, col = parsed.error_position
            loaded.findings.append(rule_finding(parsed.error_rule, folder=folder_display, file=shown, line=line,
                                                column=col, reason=parsed.error))
            # Triples read before the error are kept out: a half-read file would
            # produce findings that only confuse. Its names are read lexically instead.
            loaded.unparsed_names[shown] = scan(text, base_iri(path))
            continue
        _merge(parsed, number, shown, graph, index, used_at)
    for node, location in used_at.items():
        if node not in index.subjects:
            index.subjects[node] = location
    _report_imports(loaded)
    return loaded


# The language server loads a folder on every keystroke with one buffer changed (load_folder
# with unsaved buffers): a file whose text is the same as at a recent load is not parsed again
# (a quarter of a check of 008). Keyed by path and text, so nothing stale is ever used; read-only
# downstream (_merge copies); small texts only, so an editor on a large corpus keeps little alive.
_PARSED: OrderedDict[tuple[Path, str], ParsedFile] = OrderedDict()
_PARSED_KEPT = 32
_PARSED_MAX_TEXT = 2_000_000
_PARSED_LOCK = threading.Lock()


def _parse_kept(path: Path, text: str) -> ParsedFile:
    if len(text) > _PARSED_MAX_TEXT:
        return parse_file(path, text)
    key = (path, text)
    with _PARSED_LOCK:
        found = _PARSED.get(key)
        if found is not None:
            _PARSED.move_to_end(key)
            return found
    parsed = parse_file(path, text)
    with _PARSED_LOCK:
        _PARSED[key] = parsed
        while len(_PARSED) > _PARSED_KEPT:
            _PARSED.popitem(last=False)
    return parsed


def _read_text(path: Path, shown: str, loaded: LoadedFolder, max_size: int) -> str | None:
    """The file's text, or None (and a finding) when it is too big or not UTF-8."""
    try:
        data = read_regular_file(path, max_size + 1)
    except OSError as e:
        raise SpecCheckError(f"cannot read file ({e.strerror or e})", path=shown) from None
    if len(data) > max_size:
        _too_big(shown, loaded, max_size)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        loaded.findings.append(rule_finding(
            "syntax", folder=loaded.display, file=shown, line=line, column=col,
            reason=f"the file is not UTF-8: byte 0x{data[e.start]:02x} cannot be decoded"))
        return None


def _unsaved_text(text: str, shown: str, loaded: LoadedFolder, max_size: int) -> str | None:
    """An editor buffer's text, held to the same size limit as a file on disk."""
    if len(text) * 4 > max_size and len(text.encode("utf-8")) > max_size:
        _too_big(shown, loaded, max_size)
        return None
    return text[1:] if text.startswith("\ufeff") else text  # as utf-8-sig decoding drops it


def _too_big(shown: str, loaded: LoadedFolder, max_size: int) -> None:
    loaded.findings.append(rule_finding(
        "limit-exceeded", folder=loaded.display, file=shown,
        reason=f"the file is larger than the limit of {describe_size(max_size)} and was not read "
               "(--max-file-size raises the limit)"))


def _merge(parsed: ParsedFile, number: int, shown: str, graph: SpecGraph, index: SourceIndex, used_at: dict) -> None:
    # Blank nodes are named by what they say (blank_nodes.py), prefixed by the file's place in
    # the folder: any correct reader of the file gives the same names, whatever its own labels.
    relabel: dict = blank_node_names(parsed.triples, prefix=f"f{number}b")

    def stable(node):
        found = relabel.get(node)
        if found is None:  # a blank node no triple mentions (only a position): still one name each
            found = relabel[node] = BNode(f"f{number}n{len(relabel)}")
        return found

    # `type(x) is BNode`, not isinstance: BNode's metaclass is ABCMeta, whose isinstance check cost
    # ~7% of reading at 100k triples; readers only ever make plain BNodes.
    triples = []
    append = triples.append
    for s, p, o in parsed.triples:
        if type(s) is BNode:
            s = stable(s)
        if type(o) is BNode:
            o = stable(o)
        append((s, p, o))
    graph.add_all(triples)  # a SpecGraph (load_folder): the same as graph.add of each in turn
    subjects = {stable(k) if type(k) is BNode else k: v for k, v in parsed.subject_positions.items()}
    predicates = {(stable(s) if type(s) is BNode else s, p): v for (s, p), v in parsed.predicate_positions.items()}
    objects = {(stable(s) if type(s) is BNode else s, p, stable(o) if type(o) is BNode else o): v
               for (s, p, o), v in parsed.object_positions.items()}
    index.add_file(shown, dict(parsed.prefixes), subjects, predicates, objects)  # (a kept parse is shared)
    earlier_files = len(index.prefixes_by_file) > 1  # add_file has just added this one
    for s, p, o in triples:
        # A subject and predicate also written in an earlier file (an ontology header each file
        # repeats, `<spec> owl:imports ...`): their place is there, so this file's objects get their own.
        if earlier_files:
            where = index.predicates.get((s, p))
            if where is not None and where[0] != shown:
                pos = objects.get((s, p, o)) or predicates.get((s, p))
                if pos:
                    index.objects.setdefault((s, p, o), (shown, pos[0], pos[1]))
        if is_iri(o) and o not in used_at:
            pos = objects.get((s, p, o)) or predicates.get((s, p)) or subjects.get(s)
            if pos:
                used_at[o] = (shown, pos[0], pos[1])


def _report_imports(loaded: LoadedFolder) -> None:
    for subject, target in sorted(loaded.graph.subject_objects(OWL.imports)):
        file, line, col = loaded.index.locate(subject, OWL.imports, target)
        finding = rule_finding("imports-not-followed", folder=loaded.display, file=file, line=line, column=col,
                               focus=loaded.index.name(subject, file),
                               value=f"<{_shown_target(loaded, str(target))}>")
        loaded.findings.append(replace(finding, value=str(target)))


def _shown_target(loaded: LoadedFolder, target: str) -> str:
    """A relative import resolves to a file: IRI inside the folder; show it relative, as written."""
    base = base_iri(loaded.path / "x")[: -len("x")]  # relative IRIs resolve against the file (parse.base_iri)
    return target[len(base):] if target.startswith(base) else target
