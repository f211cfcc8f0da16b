from .script import ScriptVersion, SurveyScript, VersionState
from .survey import Survey, SurveyChannel, SurveyState

__all__ = ["ScriptVersion", "Survey", "SurveyChannel", "SurveyScript", "SurveyState", "VersionState"]
