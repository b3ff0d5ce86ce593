"""Evaluation against gold sets: ``communique eval ...``."""
