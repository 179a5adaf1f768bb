# SPDX-License-Identifier: MIT
"""Fuzzing support shared by tests/test_fuzz.py (hypothesis, bounded) and tools/fuzz_long.py (long runs).

Seeds are the repository's own spec files (008, the hostile and rule cases)
and, when present, the real-world corpus. A mutation is a list of edit
operations, each a tuple the driver (hypothesis or random.Random) picks, so a
failing input can be rebuilt from its seed name and its operations alone.

The only outcomes allowed for any input: a CheckResult, or SpecCheckError (the
CLI's clean exit 2). Anything else is a crash.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "ggen"
MAX_SEED_SIZE = 40_000  # bigger files make every example slow without finding more

# Edit operations: (name, position as a fraction of the length, argument).
OPERATIONS = ("flip", "truncate", "delete_line", "duplicate_line", "insert", "swap_lines")
INSERTS = (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"[", b"]", b"(", b")", b"\"", b"\"\"\"", b"'", b";",
           b".", b",", b"<", b">", b"#", b"@prefix : <", b"_:b0 ", b"a ", b"\\u", b"\r", b"\n", b"\xef\xbb\xbf",
           b"rdf:rest", b"^^", b"@", b"{", b"}", b"\\uD800", b"\\U0001F600", b"\\u000A", b"\x1b", b"<x\\u0020y>")


def seed_files() -> list[Path]:
    """Every small RDF file of the repository's specs and cases, and of the corpus if it is there."""
    found: list[Path] = []
    for folder in (ROOT / "specs", ROOT / "tests" / "cases", ROOT / "tests" / "hostile", CORPUS):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.suffix in (".ttl", ".nt", ".trig", ".jsonld", ".rdf") and path.is_file() \
                        and not path.is_symlink() and path.stat().st_size <= MAX_SEED_SIZE:
                    found.append(path)
    return found


def mutate(data: bytes, operations: list[tuple[str, float, int]]) -> bytes:
    """Apply edit operations to ``data`` (each position is a fraction in [0, 1])."""
    for name, where, arg in operations:
        if name in ("flip", "truncate", "insert"):
            at = min(int(where * len(data)), max(len(data) - 1, 0))
            if name == "flip" and data:
                data = data[:at] + bytes([data[at] ^ (1 << (arg % 8))]) + data[at + 1:]
            elif name == "truncate":
                data = data[:at]
            elif name == "insert":
                data = data[:at] + INSERTS[arg % len(INSERTS)] + data[at:]
            continue
        lines = data.split(b"\n")
        at = min(int(where * len(lines)), len(lines) - 1)
        if name == "delete_line" and len(lines) > 1:
            del lines[at]
        elif name == "duplicate_line":
            lines.insert(at, lines[at])
        elif name == "swap_lines" and len(lines) > 1:
            other = arg % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        data = b"\n".join(lines)
    return data


def check_bytes(checker, files: dict[str, bytes]):
    """Run the whole pipeline on a folder holding ``files``, then every reporter; return the CheckResult.

    Each report must encode as UTF-8 (what the CLI writes). Raises SpecCheckError
    (allowed) or anything else (a crash).
    """
    from spec_check.report import REPORTERS, ReportOptions

    with tempfile.TemporaryDirectory(prefix="spec-check-fuzz-") as tmp:
        folder = Path(tmp) / "spec"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        result = checker.check([folder])
        for reporter in REPORTERS.values():
            reporter(result, ReportOptions()).encode("utf-8")
        return result


def load_bytes(name: str, data: bytes):
    """Run only the load stage on one file; return the LoadedFolder."""
    from spec_check.load import discover, load_folder

    with tempfile.TemporaryDirectory(prefix="spec-check-fuzz-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return load_folder(discover([path])[0])


# -- structured mutation: tokens, statements, graphs, splicing (issue 20) ----------------------
#
# Byte edits mostly make syntax errors. The defects that matter hide in input that
# *parses*: a literal where a predicate goes, a quoted number where a decimal goes,
# a statement moved to another file. These mutators work on Turtle's tokens, on
# whole statements, and on the parsed graph, and splice pieces of one real spec
# file into another. Each takes a random.Random, so an input is rebuilt from the
# seed files and the RNG seed alone.

import random as _random  # noqa: E402
import re as _re  # noqa: E402

_TOKEN = _re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
    rb"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>|_:[\w.-]*\w|@[A-Za-z]+|[A-Za-z_][\w-]*(?:\.[\w-]+)*:[\w-]*(?:\.[\w-]+)*"
    rb"|:[\w-]*(?:\.[\w-]+)*|[+-]?\d[\d.eE+-]*|\^\^|[\[\](){};,.]|[A-Za-z_][\w-]*|\S")
# Tokens that parse but go where the rules do not expect them (items 9: literal or blank node as
# predicate, a quoted effort, a cyclic list, odd datatypes, reused labels).
ODD_TOKENS = (b'"p"', b"_:b0", b"[]", b"()", b'"1.0"', b'"1.0"^^xsd:string', b"1.0", b"-1", b"0", b"1e999",
              b'"NaN"^^<http://www.w3.org/2001/XMLSchema#decimal>', b'"x"@en', b'""', b"true", b"a",
              b"rdf:nil", b"rdf:first", b"rdf:rest", b"owl:sameAs", b"rdfs:subPropertyOf", b"owl:TransitiveProperty",
              b"spec:effortHours", b"spec:dependsOn", b"rdfs:label", b"<>", b"<#x>", b"\r\n", "\u2028".encode(), b"\xe2\x80\xae", b"\x1b]0;x\x07")
TOKEN_OPERATIONS = ("delete", "duplicate", "swap", "replace_donor", "replace_odd", "insert_odd")
STATEMENT_OPERATIONS = ("delete", "duplicate", "swap", "insert_donor", "crossover")
GRAPH_OPERATIONS = ("drop", "quote_literal", "retype_literal", "object_to_subject", "repredicate", "donor_triples",
                    "cycle_list", "copy_labels", "add_graph")


def tokens(data: bytes) -> list[bytes]:
    """Turtle tokens of ``data`` with the whitespace before each kept on it (joins back to a file)."""
    out, last = [], 0
    for match in _TOKEN.finditer(data):
        out.append(data[last:match.end()])
        last = match.end()
    if last < len(data):
        out.append(data[last:])
    return out


def token_mutate(data: bytes, donor: bytes, rng: _random.Random, count: int = 3) -> bytes:
    """Delete, duplicate, swap tokens, or replace them by tokens of a donor file or odd ones."""
    toks, pool = tokens(data), tokens(donor) or [b" ."]
    for _ in range(count):
        if not toks:
            break
        op, at = rng.choice(TOKEN_OPERATIONS), rng.randrange(len(toks))
        if op == "delete":
            del toks[at]
        elif op == "duplicate":
            toks.insert(at, toks[at])
        elif op == "swap":
            other = rng.randrange(len(toks))
            toks[at], toks[other] = toks[other], toks[at]
        elif op == "replace_donor":
            toks[at] = b" " + rng.choice(pool).strip()
        elif op == "replace_odd":
            toks[at] = b" " + rng.choice(ODD_TOKENS)
        else:
            toks.insert(at, b" " + rng.choice(ODD_TOKENS))
    return b"".join(toks)


_STATEMENT_END = _re.compile(rb"(?<=[\s\]\)\"'>\w])\.[ \t]*(?:#[^\n]*)?\r?\n")


def statements(data: bytes) -> tuple[list[bytes], list[bytes]]:
    """(directives, statements): each piece ends with its dot and newline; a rough but byte-exact split."""
    pieces, last = [], 0
    for match in _STATEMENT_END.finditer(data):
        pieces.append(data[last:match.end()])
        last = match.end()
    if last < len(data):
        pieces.append(data[last:])
    directives = [p for p in pieces if p.lstrip().lower().startswith((b"@prefix", b"@base", b"prefix", b"base"))]
    return directives, [p for p in pieces if p not in directives]


def statement_mutate(data: bytes, donor: bytes, rng: _random.Random, count: int = 2) -> bytes:
    """Delete, duplicate or swap statements; insert a donor's statements (its prefixes come along)."""
    directives, stmts = statements(data)
    donor_directives, donor_stmts = statements(donor)
    for _ in range(count):
        op = rng.choice(STATEMENT_OPERATIONS)
        at = rng.randrange(len(stmts) + 1)
        if op == "delete" and stmts:
            del stmts[min(at, len(stmts) - 1)]
        elif op == "duplicate" and stmts:
            stmts.insert(at, stmts[min(at, len(stmts) - 1)])
        elif op == "swap" and stmts:
            other = rng.randrange(len(stmts))
            stmts[min(at, len(stmts) - 1)], stmts[other] = stmts[other], stmts[min(at, len(stmts) - 1)]
        elif op == "insert_donor" and donor_stmts:
            stmts.insert(at, rng.choice(donor_stmts))
            directives = directives + [d for d in donor_directives if d not in directives]
        elif op == "crossover" and donor_stmts:
            stmts = stmts[:at] + donor_stmts[rng.randrange(len(donor_stmts)):]
            directives = directives + [d for d in donor_directives if d not in directives]
    # The donor's prefixes go after ours: a redefined prefix then means the donor's (as rdflib reads it).
    return b"".join(directives + stmts)


def graph_mutate(data: bytes, donor: bytes, rng: _random.Random, count: int = 2, fmt: str = "turtle") -> bytes | None:
    """Parse, change triples, write back as Turtle, N-Triples or TriG; None when the seed does not parse."""
    import logging
    import warnings

    from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS, XSD

    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph, other = Graph(), Graph()
        try:
            graph.parse(data=data.decode("utf-8"), format=fmt)
            other.parse(data=donor.decode("utf-8"), format=fmt)
        except Exception:
            return None
    triples, donor_triples = sorted(graph), sorted(other)
    if not triples:
        return None
    for _ in range(count):
        op = rng.choice(GRAPH_OPERATIONS)
        s, p, o = rng.choice(triples)
        if op == "drop":
            graph.remove((s, p, o))
        elif op == "quote_literal" and isinstance(o, Literal):
            graph.remove((s, p, o))
            graph.add((s, p, Literal(str(o))))
        elif op == "retype_literal":
            graph.add((s, p, Literal(rng.choice(["1.0", "-3", "x", "", "1e999", "NaN"]),
                                     datatype=rng.choice([XSD.decimal, XSD.integer, XSD.string, XSD.boolean, None]))))
        elif op == "object_to_subject" and not isinstance(o, Literal):
            graph.add((o, p, s))
        elif op == "repredicate":
            graph.remove((s, p, o))
            graph.add((s, rng.choice(triples)[1], o))
        elif op == "donor_triples" and donor_triples:
            for triple in rng.sample(donor_triples, min(len(donor_triples), rng.randint(1, 20))):
                graph.add(triple)
        elif op == "cycle_list":
            head = BNode()
            graph.add((s, p, head))
            graph.add((head, RDF.first, o))
            graph.add((head, RDF.rest, head))
        elif op == "copy_labels":
            for label in list(graph.objects(s, RDFS.label))[:1] or [Literal("same")]:
                for node in rng.sample(sorted(set(graph.subjects())), min(5, len(set(graph.subjects())))):
                    if isinstance(node, (URIRef, BNode)):
                        graph.add((node, RDFS.label, label))
    out_format = rng.choice(["turtle", "nt", "trig"])
    if any(isinstance(s, BNode) for s, _p, _o in graph.triples((None, RDF.rest, None))):
        out_format = "nt"  # rdflib's Turtle and TriG writers can follow an odd list for ever
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if out_format == "trig":
                dataset = ConjunctiveGraph()
                names = [URIRef(f"https://example.org/g{i}") for i in range(3)]
                for triple in sorted(graph):
                    dataset.get_context(rng.choice(names)).add(triple)
                return dataset.serialize(format="trig").encode("utf-8")
            return graph.serialize(format=out_format).encode("utf-8")
        except Exception:  # rdflib cannot write some IRIs it read (spaces): no input this round
            return None


def spec_folders(extra: list[Path] | None = None) -> list[Path]:
    """Folders holding two or more seed files: a whole spec, so the rules have something to check."""
    by_folder: dict[Path, list[Path]] = {}
    for path in seed_files() + list(extra or []):
        if path.suffix == ".ttl":
            by_folder.setdefault(path.parent, []).append(path)
    return sorted(folder for folder, files in by_folder.items() if len(files) >= 2)


def structured_input(folders: list[Path], rng: _random.Random) -> tuple[dict[str, bytes], str]:
    """One spec folder with one of its Turtle files mutated by a structured mutator; (files, description)."""
    folder = rng.choice(folders)
    files = {p.name: p.read_bytes() for p in sorted(folder.glob("*.ttl")) if p.stat().st_size <= MAX_SEED_SIZE}
    target = rng.choice(sorted(files))
    donor_folder = rng.choice(folders)
    donor = rng.choice(sorted(donor_folder.glob("*.ttl"))).read_bytes()
    kind = rng.choice(("token", "statement", "graph", "splice"))
    data = files[target]
    if kind == "token":
        mutated = token_mutate(data, donor, rng, rng.randint(1, 4))
    elif kind == "statement":
        mutated = statement_mutate(data, donor, rng, rng.randint(1, 3))
    elif kind == "graph":
        mutated = graph_mutate(data, donor, rng, rng.randint(1, 3))
        if mutated is None:
            mutated = token_mutate(data, donor, rng)
        elif mutated.startswith(b"<") and b" .\n" in mutated and b"@prefix" not in mutated:
            pass  # N-Triples content is valid Turtle too
    else:  # splice: a donor statement and a few token edits
        mutated = token_mutate(statement_mutate(data, donor, rng, 1), donor, rng, 1)
    if rng.random() < 0.15:
        mutated = mutated.replace(b"\n", b"\r\n")  # CRLF: line numbers must stay right (item 10)
    name = target
    if kind == "graph" and mutated.lstrip().startswith((b"@prefix", b"<")) and b"{" in mutated[:4000]:
        name = target[:-4] + ".trig"  # rdflib wrote TriG
        del files[target]
    files[name] = mutated
    return files, f"{kind} mutation of {folder.name}/{target} with donor {donor_folder.name}"


def differential(files: dict[str, bytes], engines: bool = True, readers: bool = True, timeout: float = 60.0):
    """Check one folder three ways; return (reference result, list of mismatch descriptions).

    The fast Turtle reader and rdflib's parser must give the same FolderResult (findings with their
    lines, counts); so must the native engine and pySHACL. SpecCheckError from all is agreement too.
    """
    from spec_check import SpecCheckError
    from spec_check.load import parse as parse_module

    from spec_check.report import REPORTERS, ReportOptions

    def run(engine: str, fast: bool):
        saved = parse_module.FAST_TURTLE
        parse_module.FAST_TURTLE = fast
        try:
            result = _checker(engine, timeout).check([folder])
            for reporter in REPORTERS.values():
                reporter(result, ReportOptions()).encode("utf-8")
            return result
        except SpecCheckError as e:
            return f"SpecCheckError: {e}"
        finally:
            parse_module.FAST_TURTLE = saved

    with tempfile.TemporaryDirectory(prefix="spec-check-fuzz-") as tmp:
        folder = Path(tmp) / "spec"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        reference = run("native", True)
        others = []
        if readers:
            others.append(("rdflib parser", run("native", False)))
        if engines:
            others.append(("pyshacl engine", run("pyshacl", True)))
    mismatches = []
    for label, other in others:
        if _timed_out(reference) or _timed_out(other):
            continue
        if other != reference:
            mismatches.append(f"{label}: {_describe_difference(reference, other)}")
    return reference, mismatches


_CHECKERS: dict = {}


def _checker(engine: str, timeout: float):
    from spec_check import CheckOptions, SpecCheck

    key = (engine, timeout)
    if key not in _CHECKERS:
        _CHECKERS[key] = SpecCheck(CheckOptions(engine=engine, timeout=timeout))
    return _CHECKERS[key]


def _timed_out(result) -> bool:
    return not isinstance(result, str) and any(f.rule_id == "timeout" for f in result.findings)


def _describe_difference(a, b) -> str:
    if isinstance(a, str) or isinstance(b, str):
        return f"{str(a)[:200]!r} vs {str(b)[:200]!r}"
    fa, fb = set(a.findings), set(b.findings)
    only_a, only_b = sorted(fa - fb)[:2], sorted(fb - fa)[:2]
    if only_a or only_b:
        return f"only in reference {only_a}; only in other {only_b}"
    return "same findings, different counts or order"
