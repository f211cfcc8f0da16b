"""The simulator (模拟): plays a day of the center in virtual time through the live routing engine. Plain Python."""

from .des import Result, simulate
from .model import AgentGroup, Distribution, QueueSpec, Scenario

__all__ = ["AgentGroup", "Distribution", "QueueSpec", "Result", "Scenario", "simulate"]
