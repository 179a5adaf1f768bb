# SPDX-License-Identifier: MIT
"""spec-check: is an RDF feature spec closed? The public API is SpecCheck."""

__version__ = "0.1.0"

from .api import CheckOptions, SpecCheck  # noqa: E402
from .errors import SpecCheckError  # noqa: E402
from .model import CheckResult, Finding, FolderResult, RenderedFile, RuleInfo, Severity  # noqa: E402

__all__ = ["CheckOptions", "CheckResult", "Finding", "FolderResult", "RenderedFile", "RuleInfo", "Severity",
           "SpecCheck", "SpecCheckError", "__version__"]
