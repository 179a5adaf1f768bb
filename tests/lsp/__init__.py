# SPDX-License-Identifier: MIT
"""Language server tests (a package, so its conftest is `lsp.conftest`, not the suite's `conftest`)."""
