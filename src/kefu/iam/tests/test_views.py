"""The staff and permission pages: who may open them, and their main actions."""

import pytest

from kefu.core import clock
from kefu.core.testing import TEST_PASSWORD, client_for, make_staff
from kefu.iam.models import ApiToken, Role, SkillGroup, Staff, Team, TemporaryPermission
from kefu.iam.services.roles import role_grant

PAGES = [
    ("/iam/staff/", "iam.staff.view"),
    ("/iam/staff/new/", "iam.staff.create"),
    ("/iam/staff/{agent}/", "iam.staff.view"),
    ("/iam/roles/", "iam.role.view"),
    ("/iam/roles/{role}/", "iam.role.view"),
    ("/iam/teams/", "iam.team.view"),
    ("/iam/teams/{team}/", "iam.team.view"),
    ("/iam/skills/", "iam.skill.view"),
    ("/iam/skills/{skill}/", "iam.skill.view"),
    ("/iam/temporary/", "iam.temporary.view"),
    ("/iam/tokens/", "iam.token.manage"),
]

ACTIONS = [  # POST-only views: (path, permission)
    ("/iam/staff/{agent}/edit/", "iam.staff.edit"),
    ("/iam/staff/{agent}/status/", "iam.staff.edit"),
    ("/iam/staff/{agent}/reset-password/", "iam.staff.reset_password"),
    ("/iam/staff/{agent}/unlock/", "iam.staff.reset_password"),
    ("/iam/staff/{agent}/skills/", "iam.skill.edit"),
    ("/iam/staff/{agent}/skills/{skill}/remove/", "iam.skill.edit"),
    ("/iam/staff/{agent}/grants/", "iam.grant.edit"),
    ("/iam/roles/new/", "iam.role.edit"),
    ("/iam/roles/batch/", "iam.grant.edit"),
    ("/iam/roles/{role}/edit/", "iam.role.edit"),
    ("/iam/roles/{role}/delete/", "iam.role.edit"),
    ("/iam/roles/{role}/grants/", "iam.grant.edit"),
    ("/iam/teams/new/", "iam.team.edit"),
    ("/iam/teams/{team}/edit/", "iam.team.edit"),
    ("/iam/teams/{team}/delete/", "iam.team.edit"),
    ("/iam/teams/{team}/members/", "iam.team.edit"),
    ("/iam/teams/{team}/members/{agent}/remove/", "iam.team.edit"),
    ("/iam/skills/new/", "iam.skill.edit"),
    ("/iam/skills/{skill}/edit/", "iam.skill.edit"),
    ("/iam/skills/{skill}/delete/", "iam.skill.edit"),
    ("/iam/skills/{skill}/holders/", "iam.skill.edit"),
    ("/iam/skills/{skill}/holders/{agent}/remove/", "iam.skill.edit"),
    ("/iam/temporary/new/", "iam.temporary.edit"),
    ("/iam/temporary/{temporary}/revoke/", "iam.temporary.edit"),
    ("/iam/tokens/new/", "iam.token.manage"),
]


@pytest.fixture
def ids(agent, role, team, skill, temporary):
    return {"agent": agent.pk, "role": role.pk, "team": team.pk, "skill": skill.pk, "temporary": temporary.pk}


@pytest.mark.parametrize(("path", "perm"), PAGES)
def test_pages_need_their_permission(path, perm, ids, client, nobody, province):
    url = path.format(**ids)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    r = client_for(nobody).get(url)
    assert r.status_code == 403 and "core/forbidden.html" in [t.name for t in r.templates]
    assert client_for(make_staff(org=province, perms=[perm])).get(url).status_code == 200


@pytest.mark.parametrize(("path", "perm"), ACTIONS)
def test_actions_need_their_permission(path, perm, ids, client, nobody):
    url = path.format(**ids)
    assert client.post(url).status_code == 302
    assert client_for(nobody).post(url).status_code == 403


def test_password_page_is_for_everyone_logged_in(client, nobody):
    assert client.get("/iam/password/").status_code == 302
    assert client_for(nobody).get("/iam/password/").status_code == 200


def test_nav_shows_only_permitted_entries(province):
    person = make_staff(org=province, perms=["iam.team.view"])
    html = client_for(person).get("/iam/teams/").content.decode()
    assert 'href="/iam/teams/"' in html and 'href="/iam/staff/"' not in html
    assert 'href="/iam/password/"' in html


def test_create_staff_with_role_and_team(admin, city, role, team):
    c = client_for(admin)
    data = {"employee_no": "gz300", "name": "刘新", "password": "Kefu2026pass", "org": city.pk, "role": role.pk,
            "position": "agent", "team": team.pk, "level": 2, "gender": "F"}
    r = c.post("/iam/staff/new/", data)
    assert r.status_code == 302
    person = Staff.objects.get(employee_no="gz300")
    assert (person.role, person.team, person.gender) == (role, team, "F")
    assert "gz300" in c.get("/iam/staff/", {"q": "gz3"}).content.decode()


def test_create_staff_errors_land_on_the_form(admin, city, team, agent):
    c = client_for(admin)
    base = {"employee_no": "gz301", "name": "刘新", "password": "Kefu2026pass", "org": city.pk,
            "position": "handler", "team": team.pk, "level": 2, "gender": "U"}
    r = c.post("/iam/staff/new/", base)
    assert r.status_code == 400 and "班组只能包含话务员" in r.content.decode()
    r = c.post("/iam/staff/new/", dict(base, team="", employee_no="gz001"))
    assert r.status_code == 409 and "gz001" in r.content.decode()
    r = c.post("/iam/staff/new/", dict(base, team="", password="password"))
    assert r.status_code == 400
    assert not Staff.objects.filter(employee_no="gz301").exists()


def test_detail_edit_status_reset_unlock(admin, agent):
    c = client_for(admin)
    page = c.get(f"/iam/staff/{agent.pk}/").content.decode()
    assert "大客户服务" in page and 'data-testid="perm-tree"' in page
    data = {"name": "李小话改", "org": agent.org_id, "role": agent.role_id, "position": "agent", "team": agent.team_id,
            "level": 4, "gender": "M", "phone": "13812345678", "email": "bad-email"}
    assert c.post(f"/iam/staff/{agent.pk}/edit/", data).status_code == 400
    assert c.post(f"/iam/staff/{agent.pk}/edit/", dict(data, email="li@example.com")).status_code == 302
    assert Staff.objects.get(pk=agent.pk).name == "李小话改"
    assert c.post(f"/iam/staff/{agent.pk}/status/", {"status": "on_leave"}).status_code == 302
    assert Staff.objects.get(pk=agent.pk).status == "on_leave"
    r = c.post(f"/iam/staff/{agent.pk}/reset-password/", {"new_password": "Fresh2026pass",
                                                          "new_password2": "Other2026pass"})
    assert r.status_code == 400
    r = c.post(f"/iam/staff/{agent.pk}/reset-password/", {"new_password": "Fresh2026pass",
                                                          "new_password2": "Fresh2026pass"})
    assert r.status_code == 302 and Staff.objects.get(pk=agent.pk).check_password("Fresh2026pass")
    Staff.objects.filter(pk=agent.pk).update(locked_until=clock.now().replace(year=2099))
    assert 'data-testid="unlock"' in c.get(f"/iam/staff/{agent.pk}/").content.decode()
    c.post(f"/iam/staff/{agent.pk}/unlock/")
    assert not Staff.objects.get(pk=agent.pk).is_locked()


def test_staff_page_of_another_branch_is_404(city, other_agent):
    sup = make_staff(org=city, perms=["iam.staff"])
    assert client_for(sup).get(f"/iam/staff/{other_agent.pk}/").status_code == 404
    assert client_for(sup).post(f"/iam/staff/{other_agent.pk}/status/", {"status": "left"}).status_code == 404


def test_skills_on_the_staff_page_by_htmx(admin, agent, skill):
    c = client_for(admin)
    billing = SkillGroup.objects.create(code="billing", name="话费账单")
    r = c.post(f"/iam/staff/{agent.pk}/skills/", {"skill_group": billing.pk, "level": 12}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'data-testid="skills-error"' in r.content.decode()
    r = c.post(f"/iam/staff/{agent.pk}/skills/", {"skill_group": billing.pk, "level": 6}, HTTP_HX_REQUEST="true")
    assert 'data-testid="skill-billing"' in r.content.decode()
    r = c.post(f"/iam/staff/{agent.pk}/skills/{skill.pk}/remove/", HTTP_HX_REQUEST="true")
    assert 'data-testid="skill-vip"' not in r.content.decode()


def test_personal_grant_tree_saves_the_difference(admin, agent):
    c = client_for(admin)
    r = c.post(f"/iam/staff/{agent.pk}/grants/", {"codes": ["audit", "audit.log", "audit.log.view"]})
    assert r.status_code == 302
    assert list(agent.personal_grants.values_list("node__code", flat=True)) == ["audit"]
    c.post(f"/iam/staff/{agent.pk}/grants/", {"codes": []})
    assert not agent.personal_grants.exists()


def test_role_pages(admin, role):
    c = client_for(admin)
    assert c.post("/iam/roles/new/", {"name": role.name}).status_code == 409
    r = c.post("/iam/roles/new/", {"name": "班长", "description": "Team leader"})
    leader = Role.objects.get(name="班长")
    assert r.status_code == 302 and r["Location"] == f"/iam/roles/{leader.pk}/"
    c.post(f"/iam/roles/{leader.pk}/grants/", {"codes": ["iam.team.view", "iam.staff.view"]})
    assert set(leader.grants.values_list("node__code", flat=True)) == {"iam.team.view", "iam.staff.view"}
    c.post("/iam/roles/batch/", {"roles": [role.pk, leader.pk], "codes": ["audit.log.view"]})
    assert role.grants.filter(node__code="audit.log.view").exists()
    assert leader.grants.filter(node__code="audit.log.view").exists()
    c.post(f"/iam/roles/{leader.pk}/edit/", {"name": "组长", "description": ""})
    assert Role.objects.get(pk=leader.pk).name == "组长"
    c.post(f"/iam/roles/{leader.pk}/delete/")
    assert not Role.objects.filter(pk=leader.pk).exists()


def test_team_pages_and_the_agents_only_message(admin, city, team, agent):
    c = client_for(admin)
    sup = make_staff(org=city, employee_no="gzsup2", position="supervisor")
    r = c.post(f"/iam/teams/{team.pk}/members/", {"employee_no": "gzsup2"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "班组只能包含话务员" in r.content.decode()
    assert Staff.objects.get(pk=sup.pk).team is None
    r = c.post(f"/iam/teams/{team.pk}/members/", {"employee_no": "nobody-here"}, HTTP_HX_REQUEST="true")
    assert "nobody-here" in r.content.decode()
    new = make_staff(org=city, employee_no="gz070")
    r = c.post(f"/iam/teams/{team.pk}/members/", {"employee_no": "gz070"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="member-gz070"' in r.content.decode()
    c.post(f"/iam/teams/{team.pk}/members/{new.pk}/remove/")
    assert Staff.objects.get(pk=new.pk).team is None
    assert c.post("/iam/teams/new/", {"name": "二班", "org": city.pk, "leader_no": "gz001"}).status_code == 302
    assert Team.objects.get(name="二班").leader == agent
    c.post(f"/iam/teams/{team.pk}/edit/", {"name": "广州三班", "leader_no": ""})
    assert Team.objects.get(pk=team.pk).name == "广州三班"
    c.post(f"/iam/teams/{team.pk}/delete/")
    assert Staff.objects.get(pk=agent.pk).team is None


def test_skill_pages(admin, skill, agent):
    c = client_for(admin)
    assert c.post("/iam/skills/new/", {"code": "vip", "name": "x"}).status_code == 409
    assert c.post("/iam/skills/new/", {"code": "data", "name": "数据业务"}).status_code == 302
    r = c.post(f"/iam/skills/{skill.pk}/holders/", {"employee_no": "gz001", "level": 9}, HTTP_HX_REQUEST="true")
    assert "9 / 10" in r.content.decode()
    c.post(f"/iam/skills/{skill.pk}/edit/", {"name": "VIP 专席", "description": ""})
    assert SkillGroup.objects.get(pk=skill.pk).name == "VIP 专席"
    c.post(f"/iam/skills/{skill.pk}/holders/{agent.pk}/remove/")
    c.post(f"/iam/skills/{skill.pk}/delete/")
    assert not SkillGroup.objects.filter(pk=skill.pk).exists() and Staff.objects.filter(pk=agent.pk).exists()


def test_temporary_page_grant_and_revoke(admin, agent):
    c = client_for(admin)
    now = clock.now().astimezone()
    data = {"holders": "gz001, nobody-x", "codes": ["audit.log.view"], "reason": "夜班",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"), "ends_at": (now.replace(year=now.year + 1)).strftime("%Y-%m-%dT%H:%M")}
    r = c.post("/iam/temporary/new/", data)
    assert r.status_code == 400 and "nobody-x" in r.content.decode()
    assert c.post("/iam/temporary/new/", dict(data, holders="gz001")).status_code == 302
    tp = TemporaryPermission.objects.get(reason="夜班")
    assert list(tp.holders.all()) == [agent]
    assert c.post(f"/iam/temporary/{tp.pk}/revoke/").status_code == 302
    assert TemporaryPermission.objects.get(pk=tp.pk).revoked_at is not None
    assert "夜班" in c.get("/iam/temporary/", {"state": "revoked"}).content.decode()


def test_token_page_shows_the_secret_once(province):
    person = make_staff(org=province, perms=["iam.token.manage"])
    c = client_for(person)
    r = c.post("/iam/tokens/new/", {"name": "网关"})
    assert r.status_code == 201
    token = ApiToken.objects.get(staff=person)
    html = r.content.decode()
    start = html.index('data-testid="token-secret"')
    assert f"kefu_{token.prefix}_" in html[start - 200:start + 200]
    assert f"kefu_{token.prefix}_" not in c.get("/iam/tokens/").content.decode().replace(f"kefu_{token.prefix}_…", "")
    c.post(f"/iam/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_change_my_password(agent):
    c = client_for(agent)
    r = c.post("/iam/password/", {"old_password": "wrong", "new_password": "Next2026pass",
                                  "new_password2": "Next2026pass"})
    assert r.status_code == 400 and "当前密码不正确" in r.content.decode()
    r = c.post("/iam/password/", {"old_password": TEST_PASSWORD, "new_password": "Next2026pass",
                                  "new_password2": "Next2026pass"})
    assert r.status_code == 302
    assert c.get("/").status_code == 200  # still logged in on this device
    assert Staff.objects.get(pk=agent.pk).check_password("Next2026pass")


def test_role_members_and_tree_render_for_a_viewer(province, role, agent):
    role_grant(actor="test", role=role, codes=["iam.team"])
    viewer = make_staff(org=province, perms=["iam.role.view", "iam.grant.view"])
    html = client_for(viewer).get(f"/iam/roles/{role.pk}/").content.decode()
    assert "gz001" in html and 'data-testid="perm-iam.team.view"' in html
    assert 'data-testid="grants-save"' not in html  # may look, may not change
