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

import re
import sys
from pathlib import Path

import jinja2
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


def make_environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The environment every document is rendered in (sandboxed when user templates are used)."""
    package = jinja2.FileSystemLoader(str(templates_dir()))
    options = dict(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
                   lstrip_blocks=True, autoescape=False)
    if user_templates is None:
        env = jinja2.Environment(loader=package, **options)
    else:
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(user_templates)), package])
        env = SandboxedEnvironment(loader=loader, **options)
    env.filters["md_cell"] = md_cell
    env.filters["mermaid_label"] = mermaid_label
    return env


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render ``name``; any Jinja2 failure becomes a SpecCheckError naming the template and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as e:
        raise SpecCheckError(f"template error: {e.message}",
                             path=display_path(Path(e.filename)) if e.filename else (e.name or name),
                             line=e.lineno) from None
    except jinja2.TemplateNotFound as e:
        raise SpecCheckError(f"template not found: {e.name}", path=name) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, ZeroDivisionError) as e:
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
