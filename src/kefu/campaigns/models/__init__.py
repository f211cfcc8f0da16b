from .campaign import OPTOUT_PURPOSE, Campaign, CampaignState, DialMode, Kind, Outcome
from .importing import TargetImport
from .target import Attempt, DoNotCall, Exclusion, Target, TargetState

__all__ = ["OPTOUT_PURPOSE", "Attempt", "Campaign", "CampaignState", "DialMode", "DoNotCall", "Exclusion", "Kind", "Outcome",
           "Target", "TargetImport", "TargetState"]
