from .sampling import SampleDraw, SampleSource, SamplingRule
from .script import ScriptVersion, SurveyScript, VersionState
from .survey import Survey, SurveyChannel, SurveyState

__all__ = [
    "SampleDraw",
    "SampleSource",
    "SamplingRule",
    "ScriptVersion",
    "Survey",
    "SurveyChannel",
    "SurveyScript",
    "SurveyState",
    "VersionState",
]
