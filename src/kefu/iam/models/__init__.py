from .permissions import PermissionNode, RoleGrant, StaffGrant, TemporaryPermission
from .staff import Gender, Position, Role, SkillGroup, Staff, StaffLevel, StaffSkill, StaffStatus, Team
from .throttle import LoginThrottle
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "Gender",
    "LoginThrottle",
    "PermissionNode",
    "Position",
    "Role",
    "RoleGrant",
    "SkillGroup",
    "Staff",
    "StaffGrant",
    "StaffLevel",
    "StaffSkill",
    "StaffStatus",
    "Team",
    "TemporaryPermission",
]
