# SPDX-License-Identifier: MIT
"""Where a folder comes from: repository name, path inside it, commit (local git only).

Only local git commands (rev-parse, status, config); nothing is fetched. A
remote URL loses any user name or token before it becomes a repository name,
so a credential written into a remote is never published.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from .layout import FolderSource

_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?([^:/]+):(.+)$")  # git@github.com:org/repo.git


def repository_name(remote_url: str) -> str:
    """`host/owner/name` for a remote URL, without scheme, credentials or `.git`."""
    url = remote_url.strip()
    if "://" in url:
        rest = url.split("://", 1)[1]
        host, _, path = rest.partition("/")
        host = host.rsplit("@", 1)[-1]  # drop user:token@
    else:
        match = _SCP_LIKE.match(url)
        if not match:
            return Path(url.rstrip("/")).name.removesuffix(".git")
        host, path = match.groups()
    path = path.strip("/").removesuffix(".git")
    return f"{host}/{path}" if path else host


class SourceFinder:
    """FolderSource for folders, asking git once per work tree."""

    def __init__(self, repository: str | None = None):
        self.repository = repository
        self._tops: dict[Path, tuple | None] = {}

    def __call__(self, folder: Path) -> FolderSource:
        folder = folder.resolve()
        tree = self._work_tree(folder)
        if tree is None:
            path = _relative_to_cwd(folder)
            return FolderSource(repository=self.repository or "local", path=path)
        top, commit, remote, dirty_paths = tree
        path = folder.relative_to(top).as_posix() if folder != top else "."
        prefix = "" if path == "." else path + "/"
        dirty = any(p.startswith(prefix) for p in dirty_paths)
        name = self.repository or (repository_name(remote) if remote else top.name)
        return FolderSource(repository=name, path=path, commit=commit, dirty=dirty)

    def _work_tree(self, folder: Path):
        if folder.parent in self._tops:
            top_info = self._tops[folder.parent]
            if top_info is None or folder.is_relative_to(top_info[0]):
                return top_info
        top = _git(folder, "rev-parse", "--show-toplevel")
        info = None
        if top:
            top_path = Path(top).resolve()
            commit = _git(top_path, "rev-parse", "--verify", "--quiet", "HEAD") or ""
            remote = _git(top_path, "config", "--get", "remote.origin.url") or ""
            status = _git(top_path, "status", "--porcelain", "-z", "--untracked-files=all") or ""
            # Entries are "XY path" (a rename adds the old path as its own entry).
            dirty = tuple(entry[3:] if len(entry) > 3 and entry[2] == " " else entry
                          for entry in status.split("\0") if entry)
            info = (top_path, commit, remote, dirty)
        self._tops[folder.parent] = info
        return info


def _git(cwd: Path, *args: str) -> str | None:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, env=env)
    except (OSError, subprocess.SubprocessError):
        return None  # no git, or it hung: the folder is published without a commit
    if done.returncode != 0:
        return None
    return done.stdout.strip("\n") if args[0] == "status" else done.stdout.strip()


def _relative_to_cwd(folder: Path) -> str:
    try:
        return folder.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.as_posix().lstrip("/")
