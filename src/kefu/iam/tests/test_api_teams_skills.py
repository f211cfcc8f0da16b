"""Teams (agents only), skill groups with levels, temporary permissions by state."""

from datetime import timedelta

from kefu.core import clock
from kefu.core.testing import make_staff
from kefu.iam.models import Staff, StaffSkill


def test_team_accepts_agents_only_with_a_clear_message(admin_api, team, city):
    sup = make_staff(org=city, position="supervisor", name="王值班")
    r = admin_api.post(f"/api/iam/teams/{team.pk}/members", {"staff_id": sup.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["code"] == "team_agents_only"
    assert "agents only" in r.json()["message"] and "广州一班" in r.json()["message"]
    sup.refresh_from_db()
    assert sup.team is None


def test_team_holds_only_people_of_its_branch(admin_api, team, other_agent):
    r = admin_api.post(f"/api/iam/teams/{team.pk}/members", {"staff_id": other_agent.pk})
    assert r.status_code == 400 and r.json()["code"] == "team_other_org"


def test_add_list_remove_members(admin_api, team, city):
    a = make_staff(org=city, employee_no="gz050")
    assert admin_api.post(f"/api/iam/teams/{team.pk}/members", {"staff_id": a.pk}).status_code == 201
    assert admin_api.post(f"/api/iam/teams/{team.pk}/members", {"staff_id": a.pk}).status_code == 409
    assert [m["employee_no"] for m in admin_api.get(f"/api/iam/teams/{team.pk}/members").json()] == ["gz050"]
    assert admin_api.get(f"/api/iam/teams/{team.pk}").json()["member_count"] == 1
    assert admin_api.delete(f"/api/iam/teams/{team.pk}/members/{a.pk}").status_code == 200
    assert admin_api.delete(f"/api/iam/teams/{team.pk}/members/{a.pk}").status_code == 400


def test_rename_shows_for_members_at_once_and_delete_keeps_them(admin_api, team, agent):
    admin_api.patch(f"/api/iam/teams/{team.pk}", {"name": "广州金牌班"})
    assert admin_api.get(f"/api/iam/staff/{agent.pk}").json()["team"]["name"] == "广州金牌班"
    r = admin_api.delete(f"/api/iam/teams/{team.pk}")
    assert r.status_code == 200 and "1" in r.json()["message"]
    assert Staff.objects.get(pk=agent.pk).team is None


def test_role_rename_shows_at_once_and_delete_keeps_people(admin_api, role, agent):
    admin_api.patch(f"/api/iam/roles/{role.pk}", {"name": "客服代表"})
    assert admin_api.get(f"/api/iam/staff/{agent.pk}").json()["role"]["name"] == "客服代表"
    assert admin_api.get("/api/iam/roles").json()["items"][0]["member_count"] >= 1
    admin_api.delete(f"/api/iam/roles/{role.pk}")
    assert Staff.objects.get(pk=agent.pk).role is None


def test_duplicates_are_409(admin_api, team, city, role, skill):
    assert admin_api.post("/api/iam/teams", {"name": team.name, "org_id": city.pk}).status_code == 409
    assert admin_api.post("/api/iam/roles", {"name": role.name}).status_code == 409
    assert admin_api.post("/api/iam/skill-groups", {"code": skill.code, "name": "x"}).status_code == 409
    assert admin_api.patch(f"/api/iam/roles/{role.pk}", {"name": "   "}).status_code == 400


def test_team_leader_and_unknown_org(admin_api, city, agent):
    r = admin_api.post("/api/iam/teams", {"name": "二班", "org_id": city.pk, "leader_id": agent.pk})
    assert r.status_code == 201 and r.json()["leader"]["name"] == agent.name
    assert admin_api.patch(f"/api/iam/teams/{r.json()['id']}", {"leader_id": None}).json()["leader"] is None
    r = admin_api.post("/api/iam/teams", {"name": "三班", "org_id": 987654})
    assert r.status_code == 400 and r.json()["code"] == "org_not_found"


def test_skill_levels_assign_in_bulk_all_or_nothing(admin_api, skill, agent, city):
    b = make_staff(org=city, employee_no="gz060")
    r = admin_api.post(f"/api/iam/skill-groups/{skill.pk}/members",
                       {"members": [{"staff_id": agent.pk, "level": 10}, {"staff_id": b.pk, "level": 1}]})
    assert r.status_code == 200
    assert {h["employee_no"]: h["level"] for h in r.json()} == {"gz001": 10, "gz060": 1}
    r = admin_api.post(f"/api/iam/skill-groups/{skill.pk}/members",
                       {"members": [{"staff_id": agent.pk, "level": 2}, {"staff_id": 999999, "level": 2}]})
    assert r.status_code == 400
    assert StaffSkill.objects.get(staff=agent, skill_group=skill).level == 10
    assert admin_api.put(f"/api/iam/staff/{agent.pk}/skills/{skill.pk}", {"level": 0}).status_code == 400
    assert admin_api.put(f"/api/iam/staff/{agent.pk}/skills/{skill.pk}", {"level": 11}).status_code == 400


def test_deleting_a_skill_group_keeps_its_people(admin_api, skill, agent):
    r = admin_api.delete(f"/api/iam/skill-groups/{skill.pk}")
    assert r.status_code == 200
    assert Staff.objects.filter(pk=agent.pk).exists() and not StaffSkill.objects.filter(staff=agent).exists()


def test_skill_group_code_is_checked(admin_api):
    assert admin_api.post("/api/iam/skill-groups", {"code": "有空格 x", "name": "x"}).status_code == 400
    assert admin_api.post("/api/iam/skill-groups", {"code": "x" * 33, "name": "x"}).status_code == 400


def test_temporary_permissions_by_state(admin_api, agent):
    now = clock.now()
    clock.freeze(now)
    iso = lambda d: d.isoformat()  # noqa: E731
    body = {"reason": "夜班", "codes": ["audit.log.view"], "holder_ids": [agent.pk]}
    active = admin_api.post("/api/iam/temporary", dict(body, ends_at=iso(now + timedelta(hours=1)))).json()
    upcoming = admin_api.post("/api/iam/temporary", dict(body, starts_at=iso(now + timedelta(hours=2)),
                                                         ends_at=iso(now + timedelta(hours=3)))).json()
    revoked = admin_api.post("/api/iam/temporary", dict(body, ends_at=iso(now + timedelta(hours=4)))).json()
    admin_api.post(f"/api/iam/temporary/{revoked['id']}/revoke")
    assert active["state"] == "active" and upcoming["state"] == "upcoming" and active["holders"] == ["gz001"]

    def ids(state):
        return [t["id"] for t in admin_api.get("/api/iam/temporary", {"state": state}).json()["items"]]

    assert ids("active") == [active["id"]] and ids("upcoming") == [upcoming["id"]] and ids("revoked") == [revoked["id"]]
    clock.advance(timedelta(hours=1, minutes=1))
    assert ids("ended") == [active["id"]]
    assert admin_api.post(f"/api/iam/temporary/{active['id']}/revoke").status_code == 400  # already over
    r = admin_api.patch(f"/api/iam/temporary/{upcoming['id']}", {"ends_at": iso(now + timedelta(hours=5))})
    assert r.status_code == 200 and r.json()["ends_at"].startswith((now + timedelta(hours=5)).strftime("%Y-%m-%dT%H"))


def test_temporary_bad_input(admin_api, agent):
    now = clock.now()
    base = {"reason": "x", "codes": ["audit.log.view"], "holder_ids": [agent.pk]}
    r = admin_api.post("/api/iam/temporary", dict(base, ends_at=(now - timedelta(hours=1)).isoformat()))
    assert r.status_code == 400 and r.json()["code"] == "invalid_window"
    r = admin_api.post("/api/iam/temporary", dict(base, codes=["nope"], ends_at=(now + timedelta(hours=1)).isoformat()))
    assert r.status_code == 400 and r.json()["code"] == "unknown_permission"
    r = admin_api.post("/api/iam/temporary", dict(base, holder_ids=[], ends_at=(now + timedelta(hours=1)).isoformat()))
    assert r.status_code == 400 and r.json()["code"] == "no_holders"
    r = admin_api.post("/api/iam/temporary", dict(base, reason="x" * 201, ends_at=(now + timedelta(hours=1)).isoformat()))
    assert r.status_code == 400
