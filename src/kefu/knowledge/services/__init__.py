"""Writes of the knowledge app: ``articles`` and ``cases``."""
