# SPDX-License-Identifier: MIT
"""spec-check: is an RDF feature spec closed? The public API is SpecCheck."""

__version__ = "0.1.0"

from .errors import SpecCheckError  # noqa: E402
from .model import CheckResult, Finding, FolderResult, RenderedFile, RuleInfo, Severity  # noqa: E402

__all__ = ["CheckOptions", "CheckResult", "Finding", "FolderResult", "RenderedFile", "RuleInfo", "Severity",
           "SpecCheck", "SpecCheckError", "__version__"]


def __getattr__(name: str):
    # SpecCheck and CheckOptions are imported on first use: the api module pulls in
    # rdflib, which `spec-check --version` and `spec-check rules` never need.
    if name in ("SpecCheck", "CheckOptions"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
