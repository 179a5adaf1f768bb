# SPDX-License-Identifier: MIT
"""The language server (`spec-check lsp`): closure findings while typing, navigation, quick fixes.

server.py speaks the protocol (pygls); analysis.py checks a folder from the editor's
buffers with the same SpecCheck pipeline as `check`; terms.py indexes where each
term is written; features.py and actions.py turn those into answers.
Needs the optional dependency pygls (`pip install 'spec-check[lsp]'`).
"""
