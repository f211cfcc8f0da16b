"""Every iam door denies the anonymous, the unpermitted and the out-of-branch caller (see core/testing.py)."""

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.testing import (
    TEST_PASSWORD,
    check_door,
    denial_orgs,
    denial_world,
    door,
    doors_params,
    make_staff,
)
from kefu.iam.models import LoginThrottle
from kefu.iam.services.roles import role_create
from kefu.iam.services.skills import skill_group_create, staff_skill_set
from kefu.iam.services.teams import team_create
from kefu.iam.services.temporary import temporary_permission_grant
from kefu.iam.services.tokens import api_token_create


def _build():
    w = denial_orgs()
    city, other_city = w["city"], w["other_city"]
    w["role"] = role_create(actor="test", name="话务员", description="Agent")
    w["team"] = team_create(actor="test", name="广州一班", org=city)
    w["other_team"] = team_create(actor="test", name="深圳一班", org=other_city)
    w["skill"] = skill_group_create(actor="test", code="vip", name="大客户服务")
    w["agent"] = make_staff(org=city, employee_no="gz001", name="李小话", role=w["role"], team=w["team"])
    staff_skill_set(actor="test", staff=w["agent"], skill_group=w["skill"], level=3)
    w["spare"] = make_staff(org=city, employee_no="gz002", name="王备用")
    w["other_agent"] = make_staff(org=other_city, employee_no="sz001", name="深圳人", team=w["other_team"])
    staff_skill_set(actor="test", staff=w["other_agent"], skill_group=w["skill"], level=3)
    now = clock.now()
    w["temporary"] = temporary_permission_grant(actor="test", reason="顶班", codes=["iam.temporary.edit"],
                                                holders=[w["agent"]], starts_at=now, ends_at=now + timedelta(hours=1))
    w["other_temporary"] = temporary_permission_grant(actor="test", reason="深圳顶班", codes=["iam.temporary.edit"],
                                                      holders=[w["other_agent"]], starts_at=now,
                                                      ends_at=now + timedelta(hours=1))
    w["agent_no"], w["spare_no"], w["other_no"] = "gz001", "gz002", "sz001"
    w["other_token"] = api_token_create(actor="test", name="深圳", staff=w["other_agent"])[0]
    w["login_block"] = LoginThrottle.objects.create(address="10.6.6.6", failures=20, blocked_until=now + timedelta(
        minutes=15))
    return w


world = denial_world(_build)


def _own_token(w, caller):
    return {"token": api_token_create(actor=caller, name="mine", staff=caller)[0]}


STAFF = {"agent": "other_agent"}
TEAM = {"team": "other_team"}
GRANT = {"codes": ["iam.grant.edit"]}

API = [
    door("get", "/api/iam/staff", "iam.staff.view"),
    door("post", "/api/iam/staff", "iam.staff.create", outside={"city": "other_city"},
         body={"employee_no": "new001", "name": "新人", "password": "Kefu2026pass", "org_id": "{city}"}),
    door("get", "/api/iam/staff/{agent}", "iam.staff.view", outside=STAFF),
    door("patch", "/api/iam/staff/{agent}", "iam.staff.edit", body={"phone": "13800138000"}, outside=STAFF),
    door("delete", "/api/iam/staff/{agent}", "iam.staff.edit", outside=STAFF),
    door("post", "/api/iam/staff/{agent}/status", "iam.staff.edit", body={"status": "on_leave"}, outside=STAFF),
    door("post", "/api/iam/staff/{agent}/reset-password", "iam.staff.reset_password",
         body={"password": "Reset2026pass"}, outside=STAFF),
    door("post", "/api/iam/staff/{agent}/unlock", "iam.staff.reset_password", body={}, outside=STAFF),
    # A client address serves every branch: only someone over the whole tree (here the province) unblocks it.
    door("get", "/api/iam/login-blocks", "iam.staff.reset_password", org="province"),
    door("post", "/api/iam/login-blocks/{login_block}/unblock", "iam.staff.reset_password", org="province"),
    door("put", "/api/iam/staff/{agent}/skills/{skill}", "iam.skill.edit", body={"level": 7}, outside=STAFF),
    door("delete", "/api/iam/staff/{agent}/skills/{skill}", "iam.skill.edit", outside=STAFF),
    door("get", "/api/iam/staff/{agent}/grants", "iam.grant.view", outside=STAFF),
    door("post", "/api/iam/staff/{agent}/grants/grant", "iam.grant.edit", body=GRANT, outside=STAFF),
    door("post", "/api/iam/staff/{agent}/grants/revoke", "iam.grant.edit", body=GRANT, outside=STAFF),
    door("put", "/api/iam/staff/{agent}/grants", "iam.grant.edit", body=GRANT, outside=STAFF),
    door("get", "/api/iam/staff/{agent}/effective", "iam.grant.view", outside=STAFF),
    door("get", "/api/iam/permissions", "iam.grant.view"),
    door("get", "/api/iam/roles", "iam.role.view"),
    door("post", "/api/iam/roles", "iam.role.edit", body={"name": "新角色"}),
    door("get", "/api/iam/roles/{role}", "iam.role.view"),
    door("patch", "/api/iam/roles/{role}", "iam.role.edit", body={"name": "坐席"}),
    door("delete", "/api/iam/roles/{role}", "iam.role.edit"),
    door("get", "/api/iam/roles/{role}/grants", "iam.grant.view"),
    door("post", "/api/iam/roles/{role}/grants/grant", "iam.grant.edit", body=GRANT),
    door("post", "/api/iam/roles/{role}/grants/revoke", "iam.grant.edit", body=GRANT),
    door("put", "/api/iam/roles/{role}/grants", "iam.grant.edit", body=GRANT),
    door("post", "/api/iam/grants/batch", "iam.grant.edit", body={"codes": ["iam.grant.edit"], "role_ids": ["{role}"]}),
    door("get", "/api/iam/teams", "iam.team.view"),
    door("post", "/api/iam/teams", "iam.team.edit", body={"name": "二班", "org_id": "{city}"},
         outside={"city": "other_city"}),
    door("get", "/api/iam/teams/{team}", "iam.team.view", outside=TEAM),
    door("patch", "/api/iam/teams/{team}", "iam.team.edit", body={"name": "广州二班"}, outside=TEAM),
    door("delete", "/api/iam/teams/{team}", "iam.team.edit", outside=TEAM),
    door("get", "/api/iam/teams/{team}/members", "iam.team.view", outside=TEAM),
    door("post", "/api/iam/teams/{team}/members", "iam.team.edit", body={"staff_id": "{spare}"}, outside=TEAM),
    door("post", "/api/iam/teams/{team}/members", "iam.team.edit", body={"staff_id": "{spare}"},
         outside={"spare": "other_agent"}),
    door("delete", "/api/iam/teams/{team}/members/{agent}", "iam.team.edit", outside=TEAM),
    door("get", "/api/iam/skill-groups", "iam.skill.view"),
    door("post", "/api/iam/skill-groups", "iam.skill.edit", body={"code": "billing", "name": "话费账单"}),
    door("get", "/api/iam/skill-groups/{skill}", "iam.skill.view"),
    door("patch", "/api/iam/skill-groups/{skill}", "iam.skill.edit", body={"name": "VIP 服务"}),
    door("delete", "/api/iam/skill-groups/{skill}", "iam.skill.edit"),
    door("get", "/api/iam/skill-groups/{skill}/members", "iam.skill.view"),
    door("post", "/api/iam/skill-groups/{skill}/members", "iam.skill.edit",
         body={"members": [{"staff_id": "{spare}", "level": 9}]}, outside={"spare": "other_agent"}),
    door("delete", "/api/iam/skill-groups/{skill}/members/{agent}", "iam.skill.edit", outside=STAFF),
    door("get", "/api/iam/temporary", "iam.temporary.view"),
    door("post", "/api/iam/temporary", "iam.temporary.edit",
         body={"reason": "夜班", "codes": ["iam.temporary.edit"], "holder_employee_nos": ["{agent_no}"],
               "ends_at": "2099-01-01T00:00:00+08:00"}, outside={"agent_no": "other_no"}),
    door("get", "/api/iam/temporary/{temporary}", "iam.temporary.view", outside={"temporary": "other_temporary"}),
    door("patch", "/api/iam/temporary/{temporary}", "iam.temporary.edit", body={"reason": "顶班（延长）"},
         outside={"temporary": "other_temporary"}),
    door("post", "/api/iam/temporary/{temporary}/revoke", "iam.temporary.edit", body={},
         outside={"temporary": "other_temporary"}),
    door("get", "/api/iam/tokens", "iam.token.manage"),
    door("post", "/api/iam/tokens", "iam.token.manage", body={"name": "BOSS 网关"}),
    door("post", "/api/iam/tokens/{token}/revoke", "iam.token.manage", body={}, prepare=_own_token,
         outside={"token": "other_token"}),
    door("get", "/api/iam/me"),
    door("post", "/api/iam/me/password", body={"old_password": TEST_PASSWORD, "new_password": "Another2026x"}),
]

UI = [
    door("get", "/iam/password/"),
    door("post", "/iam/password/", body={"old_password": TEST_PASSWORD, "new_password": "Another2026x",
                                         "new_password2": "Another2026x"}),
    door("get", "/iam/staff/", "iam.staff.view"),
    door("get", "/iam/staff/new/", "iam.staff.create"),
    door("post", "/iam/staff/new/", "iam.staff.create", outside={"city": "other_city"}, status=(302,),
         body={"employee_no": "new001", "name": "新人", "password": "Kefu2026pass", "org": "{city}",
               "position": "agent", "level": "1", "gender": "U"}),
    door("get", "/iam/staff/{agent}/", "iam.staff.view", outside=STAFF),
    door("post", "/iam/staff/{agent}/edit/", "iam.staff.edit", outside=STAFF,
         body={"name": "李小话", "org": "{city}", "position": "agent", "level": "1", "gender": "U"}),
    door("post", "/iam/staff/{agent}/status/", "iam.staff.edit", body={"status": "on_leave"}, outside=STAFF),
    door("post", "/iam/staff/{agent}/reset-password/", "iam.staff.reset_password", outside=STAFF,
         body={"new_password": "Reset2026pass", "new_password2": "Reset2026pass"}),
    door("post", "/iam/staff/{agent}/unlock/", "iam.staff.reset_password", outside=STAFF),
    door("post", "/iam/login-blocks/{login_block}/unblock/", "iam.staff.reset_password", org="province",
         status=(302,)),
    door("post", "/iam/staff/{agent}/skills/", "iam.skill.edit", body={"skill_group": "{skill}", "level": "7"},
         outside=STAFF),
    door("post", "/iam/staff/{agent}/skills/{skill}/remove/", "iam.skill.edit", outside=STAFF),
    door("post", "/iam/staff/{agent}/grants/", "iam.grant.edit", body={"codes": ["iam.grant.edit"]}, outside=STAFF),
    door("get", "/iam/roles/", "iam.role.view"),
    door("post", "/iam/roles/new/", "iam.role.edit", body={"name": "新角色"}, status=(302,)),
    door("post", "/iam/roles/batch/", "iam.grant.edit", body={"roles": ["{role}"], "codes": ["iam.grant.edit"]}),
    door("get", "/iam/roles/{role}/", "iam.role.view"),
    door("post", "/iam/roles/{role}/edit/", "iam.role.edit", body={"name": "坐席"}),
    door("post", "/iam/roles/{role}/delete/", "iam.role.edit"),
    door("post", "/iam/roles/{role}/grants/", "iam.grant.edit", body={"codes": ["iam.grant.edit"]}),
    door("get", "/iam/teams/", "iam.team.view"),
    door("post", "/iam/teams/new/", "iam.team.edit", body={"name": "二班", "org": "{city}"}, status=(302,),
         outside={"city": "other_city"}),
    door("get", "/iam/teams/{team}/", "iam.team.view", outside=TEAM),
    door("post", "/iam/teams/{team}/edit/", "iam.team.edit", body={"name": "广州二班"}, outside=TEAM),
    door("post", "/iam/teams/{team}/delete/", "iam.team.edit", outside=TEAM),
    door("post", "/iam/teams/{team}/members/", "iam.team.edit", body={"employee_no": "gz002"}, outside=TEAM),
    door("post", "/iam/teams/{team}/members/", "iam.team.edit", body={"employee_no": "{spare_no}"},
         outside={"spare_no": "other_no"}, status=(302,)),
    door("post", "/iam/teams/{team}/members/{agent}/remove/", "iam.team.edit", outside=TEAM),
    door("get", "/iam/skills/", "iam.skill.view"),
    door("post", "/iam/skills/new/", "iam.skill.edit", body={"code": "billing", "name": "话费账单"}, status=(302,)),
    door("get", "/iam/skills/{skill}/", "iam.skill.view"),
    door("post", "/iam/skills/{skill}/edit/", "iam.skill.edit", body={"name": "VIP 服务"}),
    door("post", "/iam/skills/{skill}/delete/", "iam.skill.edit"),
    door("post", "/iam/skills/{skill}/holders/", "iam.skill.edit", body={"employee_no": "{spare_no}", "level": "9"},
         outside={"spare_no": "other_no"}),
    door("post", "/iam/skills/{skill}/holders/{agent}/remove/", "iam.skill.edit", outside=STAFF),
    door("get", "/iam/temporary/", "iam.temporary.view"),
    door("post", "/iam/temporary/new/", "iam.temporary.edit", status=(302,), outside={"agent_no": "other_no"},
         body={"holders": "{agent_no}", "codes": ["iam.temporary.edit"], "reason": "夜班",
               "starts_at": "2026-01-01T08:00", "ends_at": "2099-01-01T08:00"}),
    door("post", "/iam/temporary/{temporary}/revoke/", "iam.temporary.edit", outside={"temporary": "other_temporary"}),
    door("get", "/iam/tokens/", "iam.token.manage"),
    door("post", "/iam/tokens/new/", "iam.token.manage", body={"name": "BOSS 网关"}),
    door("post", "/iam/tokens/{token}/revoke/", "iam.token.manage", prepare=_own_token,
         outside={"token": "other_token"}),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
