"""Helpers for the benchmarks in bench/ (not part of Kefu; never imported by src/).

``bulkload`` and ``client`` depend only on Django and the standard library, so
the peer's side (``helpdesk_side``), which runs in the peer's own virtual
environment, can import them too.
"""
