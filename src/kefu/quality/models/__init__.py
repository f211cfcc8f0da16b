from .form import FormVersion, ScoreForm
from .inspection import Decision, Improvement, ImprovementState, Inspection, InspectionState, Source

__all__ = [
    "Decision",
    "FormVersion",
    "Improvement",
    "ImprovementState",
    "Inspection",
    "InspectionState",
    "ScoreForm",
    "Source",
]
