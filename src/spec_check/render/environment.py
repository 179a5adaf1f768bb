# SPDX-License-Identifier: MIT
"""The one Jinja2 environment, its escaping filters and template-error reporting.

StrictUndefined makes a missing value an error (with template name and line),
never an empty string. The package templates run in a plain Environment; as
soon as the user brings templates (``--templates DIR``) everything runs in
Jinja2's SandboxedEnvironment, with the user's folder searched before ours so
any template can be overridden. Every literal is escaped for where it lands:
``md_cell`` for Markdown table cells and list items, ``mermaid_label`` for
labels inside Mermaid's double quotes.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import SpecCheckError
from ..load.discover import display_path
from ..mdescape import NEWLINES as _NEWLINES
from ..mdescape import md_cell
from ..resources import templates_dir

# Mermaid reads #name; and #code; entity codes inside quoted labels.
_MERMAID_ESCAPES = {
    '"': "#quot;", "#": "#35;", "[": "#91;", "]": "#93;", "(": "#40;", ")": "#41;",
    "{": "#123;", "}": "#125;", "<": "#60;", ">": "#62;", "|": "#124;", "`": "#96;", "&": "#38;",
}
_MERMAID_PATTERN = re.compile("[" + re.escape("".join(_MERMAID_ESCAPES)) + "]")


def mermaid_label(value) -> str:
    """Escape a literal for a Mermaid node label written as ``id["..."]``."""
    text = _NEWLINES.sub(" ", str(value)).strip()
    return _MERMAID_PATTERN.sub(lambda m: _MERMAID_ESCAPES[m.group(0)], text)


# Limits for user templates (issue 20 item 8): what the sandbox cannot bound by time alone.
MAX_TEMPLATE_BYTES = 1024 * 1024  # a template file bigger than this is refused
MAX_OUTPUT_CHARS = 50_000_000  # a document longer than this stops the render
MAX_SEQUENCE = 1_000_000  # "x" * n, [..] * n: at most this many items
MAX_POWER_BITS = 100_000  # a ** b: at most this many bits in the result


class ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only regular files whose real path lies inside its folder.

    A link in the templates folder (``env.md.j2 -> /proc/self/environ``), or an
    ``{% include %}`` of a linked file or folder, would otherwise render any
    file the runner can read (issue 20 item 2). Refused with SecurityError.
    """

    def get_source(self, environment, template):
        from jinja2.loaders import split_template_path

        pieces = split_template_path(template)  # refuses ".." itself
        for searchpath in self.searchpath:
            root = os.path.realpath(searchpath)
            path = os.path.join(searchpath, *pieces)
            if not os.path.lexists(path):
                continue
            real = os.path.realpath(path)
            if os.path.commonpath([root, real]) != root:
                raise SecurityError(f"{template}: the template's real path lies outside the templates folder")
            try:
                st = os.stat(real)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                raise SecurityError(f"{template}: not a regular file")
            if st.st_size > MAX_TEMPLATE_BYTES:
                raise SecurityError(f"{template}: larger than {MAX_TEMPLATE_BYTES} bytes")
            with open(real, encoding=self.encoding) as handle:
                source = handle.read(MAX_TEMPLATE_BYTES + 1)
            mtime = os.path.getmtime(real)
            return source, path, lambda: False if not os.path.exists(real) else os.path.getmtime(real) == mtime
        raise jinja2.TemplateNotFound(template)


class BoundedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, plus bounds on the operators that can blow up from a few characters.

    ``{{ 9 ** (9 ** 9) }}`` hung at *compile* time (Jinja folds constants):
    an intercepted operator is never folded, and runs here with a bound.
    """

    intercepted_binops = frozenset(["**", "*"])

    def call_binop(self, context, operator, left, right):
        if operator == "**" and _is_int(left) and _is_int(right):
            if right > 0 and abs(left) > 1 and right * max(abs(left).bit_length(), 1) > MAX_POWER_BITS:
                raise SecurityError(f"{operator}: the result would exceed {MAX_POWER_BITS} bits")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and _is_int(count) and len(seq) * count > MAX_SEQUENCE:
                    raise SecurityError(f"*: a sequence of more than {MAX_SEQUENCE} items")
        return super().call_binop(context, operator, left, right)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def make_environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The environment every document is rendered in (sandboxed when user templates are used)."""
    package = jinja2.FileSystemLoader(str(templates_dir()))
    options = dict(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
                   lstrip_blocks=True, autoescape=False)
    if user_templates is None:
        env = jinja2.Environment(loader=package, **options)
    else:
        loader = jinja2.ChoiceLoader([ContainedLoader(str(user_templates)), package])
        env = BoundedSandbox(loader=loader, **options)
    env.filters["md_cell"] = md_cell
    env.filters["mermaid_label"] = mermaid_label
    return env


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render ``name``; any Jinja2 failure becomes a SpecCheckError naming the template and line."""
    try:
        template = env.get_template(name)
        if not isinstance(env, SandboxedEnvironment):
            return template.render(**context)
        parts, size = [], 0
        for piece in template.generate(**context):  # bounded: a loop cannot fill the memory
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the document would be longer than {MAX_OUTPUT_CHARS:,} characters")
            parts.append(piece)
        return "".join(parts)
    except jinja2.TemplateSyntaxError as e:
        raise SpecCheckError(f"template error: {e.message}",
                             path=display_path(Path(e.filename)) if e.filename else (e.name or name),
                             line=e.lineno) from None
    except jinja2.TemplateNotFound as e:
        raise SpecCheckError(f"template not found: {e.name}", path=name) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, ZeroDivisionError, OverflowError,
            RecursionError, MemoryError, UnicodeDecodeError) as e:
        path, line = _template_frame(sys.exc_info()[2], name)
        refused = isinstance(e, jinja2.exceptions.SecurityError)
        kind = "template sandbox refused" if refused else "template error"
        raise SpecCheckError(f"{kind}: {e}", path=path, line=line) from None


def _template_frame(tb, fallback: str) -> tuple[str, int | None]:
    """The innermost traceback frame that is a template (Jinja2 rewrites them to template lines)."""
    found: tuple[str, int | None] = (fallback, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            found = (display_path(Path(filename)) if filename.endswith(".j2") else fallback, tb.tb_lineno)
        tb = tb.tb_next
    return found
