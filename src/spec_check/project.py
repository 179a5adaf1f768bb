# SPDX-License-Identifier: MIT
"""Where the project lives: the URLs that reports and the editor server link to.

One place for them (SARIF's informationUri and helpUri, the language server's
codeDescription). pyproject.toml's [project.urls] and the VS Code extension's
package.json name the same repository; tests/test_packaging.py keeps them equal.
"""

PROJECT_URL = "https://github.com/rdf-spec-check/spec-check"
RULES_URL = PROJECT_URL + "/blob/main/docs/closure-score-and-rules.md#rules"
