"""Routing (智能排队与分配) as plain Python: no Django, no clock, no storage.

The same engine runs live (``kefu.contactcenter.services.router``) and inside the
simulator: callers hand it snapshots of waiting contacts and agents plus "now",
and get back assignments.
"""

from .engine import Agent, Contact, OverflowStep, Policy, decide, effective_requirements

__all__ = ["Agent", "Contact", "OverflowStep", "Policy", "decide", "effective_requirements"]
