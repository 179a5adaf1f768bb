# SPDX-License-Identifier: MIT
"""Semantic diff of two versions of a spec (work in progress)."""
