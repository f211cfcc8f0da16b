from .campaign import OPTOUT_PURPOSE, Campaign, CampaignState, Kind, Outcome
from .importing import TargetImport
from .target import Attempt, DoNotCall, Exclusion, Target, TargetState

__all__ = ["OPTOUT_PURPOSE", "Attempt", "Campaign", "CampaignState", "DoNotCall", "Exclusion", "Kind", "Outcome",
           "Target", "TargetImport", "TargetState"]
