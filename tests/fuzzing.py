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
