# SPDX-License-Identifier: MIT
"""`spec-check init`: scaffold a new spec folder that is closed (100%) as created.

The four files come from the string.Template files in templates/ (package
data), filled with the number, short name and title taken from the folder
name. Every value that lands inside a Turtle string literal goes through
turtle_string(); the folder name itself is restricted to characters that are
safe in an IRI and a prefixed name, so nothing else needs escaping.

The folder is built in a hidden temporary folder next to the target and then
renamed into place, so an interrupted run leaves no half-made spec behind.
An existing target (even an empty folder) is never touched.

No rdflib or pyshacl here: init has to be instant.
"""

from __future__ import annotations

import os
import re
import shutil
import string
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpecCheckError
from ..fsutil import current_umask

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SPEC_FILES = ("feature.ttl", "entities.ttl", "plan.ttl", "architecture.ttl")
BASE_IRI = "https://ggen.dev/specs/{folder}#"

# 009-short-name: a number, a dash, then words of letters and digits joined by - or _.
_FOLDER_NAME = re.compile(r"^(?P<number>[0-9]+)-(?P<short>[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SpecName:
    """What the folder name says: 009-short-name → number 009, title "Short Name"."""

    folder: str
    number: str
    short_name: str

    @property
    def default_title(self) -> str:
        return " ".join(w[:1].upper() + w[1:] for w in re.split(r"[-_]", self.short_name))

    @property
    def feature_local_name(self) -> str:
        camel = "".join(w[:1].upper() + w[1:] for w in re.split(r"[-_]", self.short_name))
        return f"{camel}Feature" if camel[:1].isalpha() else f"Feature{camel}"


@dataclass(frozen=True)
class Scaffolded:
    """The folder init created and the files in it."""

    path: Path
    files: tuple[str, ...]
    title: str


def parse_spec_name(folder_name: str) -> SpecName:
    match = _FOLDER_NAME.match(folder_name)
    if not match:
        raise SpecCheckError(
            "a spec folder is named NUMBER-short-name, e.g. 009-fast-builds "
            "(letters and digits, words joined by - or _)", path=folder_name)
    return SpecName(folder=folder_name, number=match["number"], short_name=match["short"])


def turtle_string(text: str) -> str:
    """``text`` as a Turtle "..." literal (ECHAR escapes, \\uXXXX for other controls)."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif _CONTROL.match(ch):
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _comment_text(text: str) -> str:
    """``text`` made safe for a # comment: one line, no control characters."""
    return " ".join(_CONTROL.sub(" ", text).split())


def render_files(target: Path, title: str | None = None) -> dict[str, str]:
    """The scaffold's files (name → Turtle text) for a folder at ``target``."""
    name = parse_spec_name(Path(target).name)
    title = name.default_title if title is None else title
    if not title.strip():
        raise SpecCheckError("the title is empty; give --title a few words")
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:
        raise SpecCheckError("the title is not valid UTF-8") from None
    values = {
        "number": name.number,
        "base_iri": BASE_IRI.format(folder=name.folder),
        "feature_name": name.feature_local_name,
        # Shown in a comment as the command to run; an absolute path would tie the file to one machine.
        "folder_path": _comment_text(name.folder if Path(target).is_absolute() else Path(target).as_posix()),
        "title_literal": turtle_string(title),
        "title_comment": _comment_text(title),
        "plan_label_literal": turtle_string(f"Delivery plan for {title}"),
    }
    files = {}
    for file_name in SPEC_FILES:
        template = string.Template((TEMPLATES_DIR / f"{file_name}.tmpl").read_text(encoding="utf-8"))
        files[file_name] = template.substitute(values)  # substitute: a missing value is an error
    return files


def create_spec(target: Path, title: str | None = None) -> Scaffolded:
    """Create the spec folder ``target``; refuse if anything exists at that path.

    Raises:
        SpecCheckError: the name is not NUMBER-short-name, the target exists, or it cannot be written.
    """
    target = Path(target)
    shown = target.as_posix()
    files = render_files(target, title)
    if target.exists() or target.is_symlink():
        raise SpecCheckError("already exists; spec-check init never overwrites a folder "
                             "(pick another name or remove it first)", path=shown)
    parent = target.parent
    tmp: str | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes it private; a spec folder is an ordinary folder
        for file_name, text in files.items():
            with open(os.path.join(tmp, file_name), "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        # rename() would silently replace an empty folder created meanwhile: look once more.
        if target.exists() or target.is_symlink():
            raise SpecCheckError("already exists; spec-check init never overwrites a folder", path=shown)
        os.rename(tmp, target)
        tmp = None
    except OSError as e:
        raise SpecCheckError(f"cannot create the spec folder ({e.strerror or e})", path=shown) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return Scaffolded(path=target, files=tuple(sorted(files)), title=title if title is not None
                      else parse_spec_name(target.name).default_title)
