"""Request and response shapes of the iam API.

String limits match the model columns, so an oversized value is a 400 from
validation instead of a database error.
"""

from datetime import date, datetime

from ninja import Field, Schema

from kefu.core import clock
from kefu.core.schemas import BirthDate, DateTime, InputSchema


class Message(Schema):
    message: str


class Ref(Schema):
    id: int
    name: str


class OrgRef(Schema):
    id: int
    code: str
    name: str


# --- staff ---------------------------------------------------------------

class SkillLevelIn(InputSchema):
    skill_group_id: int
    level: int = Field(ge=1, le=10)


class SkillLevelOut(Schema):
    skill_group_id: int
    code: str
    name: str
    level: int


class StaffOut(Schema):
    id: int
    employee_no: str
    name: str
    gender: str
    birth_date: date | None = None
    age: int | None = None
    address: str
    phone: str
    email: str
    org: OrgRef
    role: Ref | None = None
    team: Ref | None = None
    position: str
    level: int
    status: str
    status_changed_at: datetime
    locked: bool
    locked_until: datetime | None = None
    password_changed_at: datetime | None = None
    created_at: datetime

    @staticmethod
    def resolve_locked(obj) -> bool:
        return obj.is_locked()

    @staticmethod
    def resolve_locked_until(obj):
        return obj.locked_until if obj.is_locked() else None


class StaffDetailOut(StaffOut):
    skills: list[SkillLevelOut]

    @staticmethod
    def resolve_skills(obj):
        return [
            {"skill_group_id": s.skill_group_id, "code": s.skill_group.code, "name": s.skill_group.name,
             "level": s.level}
            for s in obj.skill_levels.select_related("skill_group").order_by("skill_group__code")
        ]


class StaffCreateIn(InputSchema):
    employee_no: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)
    org_id: int
    role_id: int | None = None
    team_id: int | None = None
    position: str = Field("agent", max_length=16)
    level: int = Field(2, ge=1, le=5)
    gender: str = Field("U", max_length=1)
    birth_date: BirthDate | None = None
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    skills: list[SkillLevelIn] = Field(default_factory=list, max_length=100)


class StaffUpdateIn(InputSchema):
    """Only the fields sent change; ``role_id``/``team_id`` null clears them."""

    name: str | None = Field(None, min_length=1, max_length=64)
    org_id: int | None = None
    role_id: int | None = None
    team_id: int | None = None
    position: str | None = Field(None, max_length=16)
    level: int | None = Field(None, ge=1, le=5)
    status: str | None = Field(None, max_length=16)
    gender: str | None = Field(None, max_length=1)
    birth_date: BirthDate | None = None
    address: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=32)
    email: str | None = Field(None, max_length=254)


class StatusIn(InputSchema):
    status: str = Field(max_length=16)


class PasswordIn(InputSchema):
    password: str = Field(min_length=1, max_length=128)


class OwnPasswordIn(InputSchema):
    old_password: str = Field(max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class SkillLevelSetIn(InputSchema):
    level: int = Field(ge=1, le=10)


# --- roles and grants --------------------------------------------------------

class RoleOut(Schema):
    id: int
    name: str
    description: str
    is_super: bool
    member_count: int = 0
    read_only: bool = Field(False, description="Held by people outside your organisations: you may not change it.")


class RoleIn(InputSchema):
    name: str = Field(min_length=1, max_length=64)
    description: str = Field("", max_length=255)
    is_super: bool = False


class RoleUpdateIn(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=64)
    description: str | None = Field(None, max_length=255)
    is_super: bool | None = None


class CodesIn(InputSchema):
    codes: list[str] = Field(min_length=1, max_length=500)


class SelectionIn(InputSchema):
    """The checked boxes of the tree editor; may be empty (revoke everything)."""

    codes: list[str] = Field(max_length=500)


class BatchGrantIn(InputSchema):
    codes: list[str] = Field(min_length=1, max_length=500)
    role_ids: list[int] = Field(default_factory=list, max_length=200)
    staff_ids: list[int] = Field(default_factory=list, max_length=1000)
    revoke: bool = False


class GrantResultOut(Schema):
    granted: list[str] = []
    revoked: list[str] = []


class BatchResultOut(Schema):
    """Newly granted (or actually revoked) codes per role name and per employee number."""

    roles: dict[str, list[str]]
    staff: dict[str, list[str]]


class TreeNodeOut(Schema):
    code: str
    label: str
    kind: str
    granted: bool
    inherited: bool
    held: bool
    sources: list[str]
    delegable: bool
    children: list["TreeNodeOut"]


TreeNodeOut.model_rebuild()


class EffectiveOut(Schema):
    code: str
    label: str
    kind: str
    sources: list[str]


# --- teams and skill groups ----------------------------------------------

class TeamOut(Schema):
    id: int
    name: str
    description: str
    org: OrgRef
    leader: Ref | None = None
    member_count: int = 0


class TeamIn(InputSchema):
    name: str = Field(min_length=1, max_length=64)
    org_id: int
    leader_id: int | None = None
    description: str = Field("", max_length=255)


class TeamUpdateIn(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=64)
    leader_id: int | None = None
    description: str | None = Field(None, max_length=255)


class MemberIn(InputSchema):
    staff_id: int


class MemberOut(Schema):
    id: int
    employee_no: str
    name: str
    position: str
    status: str


class SkillGroupOut(Schema):
    id: int
    code: str
    name: str
    description: str
    holder_count: int = 0


class SkillGroupIn(InputSchema):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=64)
    description: str = Field("", max_length=255)


class SkillGroupUpdateIn(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=64)
    description: str | None = Field(None, max_length=255)


class HolderIn(InputSchema):
    staff_id: int
    level: int = Field(ge=1, le=10)


class HoldersIn(InputSchema):
    members: list[HolderIn] = Field(min_length=1, max_length=1000)


class SkillHolderOut(Schema):
    staff_id: int
    employee_no: str
    name: str
    level: int

    @staticmethod
    def resolve_employee_no(obj):
        return obj.staff.employee_no

    @staticmethod
    def resolve_name(obj):
        return obj.staff.name


# --- temporary permissions ---------------------------------------------------

class TemporaryOut(Schema):
    id: int
    reason: str
    codes: list[str]
    holders: list[str]
    starts_at: datetime
    ends_at: datetime
    state: str
    granted_by: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None
    expired_at: datetime | None = None

    @staticmethod
    def resolve_codes(obj):
        return sorted(n.code for n in obj.nodes.all())

    @staticmethod
    def resolve_holders(obj):
        return sorted(h.employee_no for h in obj.holders.all())

    @staticmethod
    def resolve_state(obj):
        return obj.state_at(clock.now())

    @staticmethod
    def resolve_granted_by(obj):
        return obj.granted_by.employee_no if obj.granted_by_id else None


class TemporaryIn(InputSchema):
    """Holders by id or by 工号 (employee number), or both."""

    reason: str = Field(min_length=1, max_length=200)
    codes: list[str] = Field(min_length=1, max_length=500)
    holder_ids: list[int] = Field(default_factory=list, max_length=1000)
    holder_employee_nos: list[str] = Field(default_factory=list, max_length=1000)
    starts_at: DateTime | None = None
    ends_at: DateTime


class TemporaryUpdateIn(InputSchema):
    reason: str | None = Field(None, min_length=1, max_length=200)
    ends_at: DateTime | None = None


# --- tokens and me -------------------------------------------------------------

class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    staff: str
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.employee_no


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret. Shown once: store it now, Kefu keeps only its hash.")


class TokenIn(InputSchema):
    name: str = Field(min_length=1, max_length=64)
    expires_at: DateTime | None = None
    staff_id: int | None = Field(None, description="Another person (needs iam.token.manage_all).")


class MeOut(Schema):
    id: int
    employee_no: str
    name: str
    org: OrgRef
    role: Ref | None = None
    team: Ref | None = None
    position: str
    is_super: bool
    permissions: list[str]
