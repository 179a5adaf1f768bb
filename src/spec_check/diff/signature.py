# SPDX-License-Identifier: MIT
"""Blank-node signatures now live in spec_check.blank_nodes (the loader names blank nodes by them too)."""

from ..blank_nodes import blank_node_names, bnode_signatures, content_key, relabel_blank_nodes, term_key

__all__ = ["blank_node_names", "bnode_signatures", "content_key", "relabel_blank_nodes", "term_key"]
