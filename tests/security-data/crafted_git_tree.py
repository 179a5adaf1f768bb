# SPDX-License-Identifier: MIT
"""Build a git repository whose branch `evil` holds spec/ with a file named by an absolute path.

`git mktree` refuses such names, but a tree object written by hand is accepted
by `git hash-object --literally`, and `git ls-tree` lists it (issue 20 item 6).
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def build(repo: Path, escaped_name: str) -> None:
    def git(*args: str, data: bytes | None = None) -> bytes:
        return subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True,
                              check=True).stdout

    git("init", "-q")
    blob = git("hash-object", "-w", "--stdin", data=b"@prefix : <https://example.org/> .\n:a :b :c .\n")
    blob_id = blob.strip().decode()

    def tree(entries: list[tuple[bytes, bytes, str]]) -> str:
        body = b"".join(mode + b" " + name + b"\0" + bytes.fromhex(sha)
                        for mode, name, sha in sorted(entries, key=lambda e: e[1]))
        return git("hash-object", "-t", "tree", "-w", "--literally", "--stdin", data=body).strip().decode()

    inner = tree([(b"100644", escaped_name.encode(), blob_id), (b"100644", b"ok.ttl", blob_id)])
    root = tree([(b"40000", b"spec", inner)])
    commit = git("-c", "user.name=test", "-c", "user.email=test@example.org", "commit-tree", "-m", "crafted",
                 root).strip().decode()
    git("update-ref", "refs/heads/evil", commit)
