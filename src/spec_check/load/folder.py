# SPDX-License-Identifier: MIT
"""Load one spec folder: parse each file, merge the triples, index where things are written.

Blank nodes are relabelled in the order the file's graph holds them, so output never
depends on a parser's own blank-node ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, BNode, Graph, URIRef

from ..errors import SpecCheckError
from ..graph import SpecGraph
from ..model import Finding, Severity
from ..safe_read import read_regular_file
from .discover import FolderToCheck, display_path
from .limits import LoadLimits, describe_size, symlink_escapes
from .parse import ParsedFile, parse_file
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


def load_folder(folder: FolderToCheck, limits: LoadLimits | None = None) -> LoadedFolder:
    """Parse every file of ``folder``; parse failures become ``syntax`` findings.

    A file the limits refuse (too big, a link out of the folder, unsafe XML or
    JSON-LD, nesting too deep) becomes a finding of its own and is skipped.
    """
    limits = limits or LoadLimits()
    folder_display = display_path(folder.path)
    file_displays = [display_path(p) for p in folder.files]
    fallback_file = next(
        (d for p, d in zip(folder.files, file_displays) if p.name == "feature.ttl"),
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
            loaded.findings.append(Finding(
                folder=folder_display, file=shown, line=1, column=1, rule_id="symlink-not-followed",
                severity=Severity.WARNING,
                message="symbolic link to a file outside the spec folder is not followed "
                        "(pass --follow-symlinks to read it)",
            ))
            continue
        text = _read_text(path, shown, loaded, limits.max_file_size)
        if text is None:  # too big or not UTF-8: already a finding, and nothing was parsed
            loaded.unparsed.append(shown)
            continue
        parsed = parse_file(path, text)
        if parsed.error is not None:
            loaded.unparsed.append(shown)
            line, col = parsed.error_position
            loaded.findings.append(Finding(
                folder=folder_display, file=shown, line=line, column=col,
                rule_id=parsed.error_rule, severity=Severity.VIOLATION, message=parsed.error,
            ))
            # Triples read before the error are kept out: a half-read file would
            # produce findings that only confuse.
            continue
        _merge(parsed, number, shown, graph, index, used_at)
    for node, location in used_at.items():
        if node not in index.subjects:
            index.subjects[node] = location
    _report_imports(loaded)
    return loaded


def _read_text(path: Path, shown: str, loaded: LoadedFolder, max_size: int) -> str | None:
    """The file's text, or None (and a finding) when it is too big or not UTF-8."""
    try:
        data = read_regular_file(path, max_size + 1)
    except OSError as e:
        raise SpecCheckError(f"cannot read file ({e.strerror or e})", path=shown) from None
    if len(data) > max_size:
        loaded.findings.append(Finding(
            folder=loaded.display, file=shown, line=1, column=1, rule_id="limit-exceeded",
            severity=Severity.VIOLATION,
            message=f"the file is larger than the limit of {describe_size(max_size)} and was not read "
                    "(--max-file-size raises the limit)",
        ))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        loaded.findings.append(Finding(
            folder=loaded.display, file=shown, line=line, column=col, rule_id="syntax",
            severity=Severity.VIOLATION,
            message=f"the file is not UTF-8: byte 0x{data[e.start]:02x} cannot be decoded",
        ))
        return None


def _merge(parsed: ParsedFile, number: int, shown: str, graph: Graph, index: SourceIndex, used_at: dict) -> None:
    relabel: dict = {}

    def stable(node):
        found = relabel.get(node)
        if found is None:
            found = relabel[node] = BNode(f"f{number}b{len(relabel)}")
        return found

    triples = []
    add = graph.add
    for s, p, o in parsed.triples:  # in graph order, so labels follow it
        if isinstance(s, BNode):
            s = stable(s)
        if isinstance(o, BNode):
            o = stable(o)
        t = (s, p, o)
        add(t)
        triples.append(t)
    subjects = {stable(k) if isinstance(k, BNode) else k: v for k, v in parsed.subject_positions.items()}
    predicates = {(stable(s) if isinstance(s, BNode) else s, p): v for (s, p), v in parsed.predicate_positions.items()}
    index.add_file(shown, parsed.prefixes, subjects, predicates)
    for s, p, o in triples:
        if isinstance(o, URIRef) and o not in used_at:
            pos = predicates.get((s, p)) or subjects.get(s)
            if pos:
                used_at[o] = (shown, pos[0], pos[1])


def _report_imports(loaded: LoadedFolder) -> None:
    for subject, target in sorted(loaded.graph.subject_objects(OWL.imports)):
        file, line, col = loaded.index.locate(subject, OWL.imports)
        loaded.findings.append(Finding(
            folder=loaded.display, file=file, line=line, column=col, rule_id="imports-not-followed",
            severity=Severity.INFO,
            message=f"owl:imports of <{target}> is not followed; spec-check reads only the folder's files",
            focus=loaded.index.name(subject, file), value=str(target),
        ))
