"""Staff API: create with role/team/skills, bad input, scope, and nothing half-written."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.testing import make_staff
from kefu.iam.models import Staff

from .conftest import api_for

GOOD = {"employee_no": "gz100", "name": "张新人", "password": "Kefu2026pass"}


@pytest.fixture
def gz_sup(city):
    """A Guangzhou supervisor who may manage staff, within Guangzhou only."""
    return make_staff(org=city, employee_no="gzsup", name="广州值班长", position="supervisor",
                      perms=["iam.staff", "iam.grant.view", "iam.team", "iam.temporary", "iam.skill"])


def test_create_with_role_team_and_skills_then_search(admin_api, city, role, team, skill):
    r = admin_api.post("/api/iam/staff", dict(GOOD, org_id=city.pk, role_id=role.pk, team_id=team.pk,
                                              skills=[{"skill_group_id": skill.pk, "level": 8}]))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["role"]["name"] == "话务员" and body["team"]["name"] == "广州一班"
    assert body["skills"] == [{"skill_group_id": skill.pk, "code": "vip", "name": "大客户服务", "level": 8}]
    assert "password" not in body
    staff = Staff.objects.get(employee_no="gz100")
    assert staff.check_password("Kefu2026pass") and staff.password != "Kefu2026pass"
    assert AuditEntry.objects.filter(action="create", object_type="iam.staff", object_id=str(staff.pk)).exists()

    found = admin_api.get("/api/iam/staff", {"q": "gz1", "role_id": role.pk, "team_id": team.pk}).json()
    assert [s["employee_no"] for s in found["items"]] == ["gz100"]
    assert admin_api.get("/api/iam/staff", {"q": "张新"}).json()["count"] == 1
    assert admin_api.get("/api/iam/staff", {"position": "supervisor", "q": "gz1"}).json()["count"] == 0


def test_duplicate_employee_number_is_409(admin_api, city, agent):
    r = admin_api.post("/api/iam/staff", dict(GOOD, employee_no=agent.employee_no, org_id=city.pk))
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_employee_no"
    assert agent.employee_no in r.json()["message"]


def test_unknown_org_is_400_naming_the_field(admin_api):
    r = admin_api.post("/api/iam/staff", dict(GOOD, org_id=999999))
    assert r.status_code == 400
    assert r.json()["code"] == "org_not_found"
    assert r.json()["details"] == {"field": "org_id"}
    assert "999999" in r.json()["message"]


def test_weak_password_is_400_with_the_policy_message(admin_api, city):
    r = admin_api.post("/api/iam/staff", dict(GOOD, password="12345678", org_id=city.pk),
                       HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["code"] == "weak_password"
    assert "letters and digits" in r.json()["message"] or "numeric" in r.json()["message"]
    assert not Staff.objects.filter(employee_no="gz100").exists()


@pytest.mark.parametrize(("field", "size"), [("name", 65), ("employee_no", 33), ("address", 201), ("phone", 33)])
def test_oversized_strings_are_400(admin_api, city, field, size):
    r = admin_api.post("/api/iam/staff", dict(GOOD, org_id=city.pk, **{field: "x" * size}))
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert r.json()["details"][0]["field"].endswith(field)


def test_a_non_agent_in_a_team_is_refused_and_nothing_is_left_behind(admin_api, city, team):
    before = AuditEntry.objects.count()
    r = admin_api.post("/api/iam/staff", dict(GOOD, org_id=city.pk, team_id=team.pk, position="supervisor"))
    assert r.status_code == 400
    assert r.json()["code"] == "team_agents_only"
    assert not Staff.objects.filter(employee_no="gz100").exists()
    assert AuditEntry.objects.count() == before


def test_unknown_team_or_skill_leaves_nothing_behind(admin_api, city):
    r = admin_api.post("/api/iam/staff", dict(GOOD, org_id=city.pk, team_id=424242))
    assert r.status_code == 400 and r.json()["details"] == {"field": "team_id"}
    r = admin_api.post("/api/iam/staff", dict(GOOD, org_id=city.pk, skills=[{"skill_group_id": 9, "level": 2}]))
    assert r.status_code == 400
    r = admin_api.post("/api/iam/staff", dict(GOOD, org_id=city.pk, skills=[{"skill_group_id": 9, "level": 11}]))
    assert r.status_code == 400
    assert not Staff.objects.filter(employee_no="gz100").exists()


def test_malformed_json_and_wrong_types_are_400(admin_api):
    r = admin_api.client.post("/api/iam/staff", data="{oops", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = admin_api.post("/api/iam/staff", dict(GOOD, org_id="not-a-number"))
    assert r.status_code == 400 and r.json()["code"] == "invalid"


def test_update_status_stamps_the_time_and_null_clears_the_team(admin_api, agent):
    old = agent.status_changed_at
    r = admin_api.patch(f"/api/iam/staff/{agent.pk}", {"status": "on_leave", "team_id": None})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "on_leave" and r.json()["team"] is None
    agent.refresh_from_db()
    assert agent.status_changed_at > old and agent.team is None


def test_unknown_status_is_400(admin_api, agent):
    r = admin_api.post(f"/api/iam/staff/{agent.pk}/status", {"status": "retired"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_choice"


def test_delete_marks_as_left_and_keeps_the_person(admin_api, agent):
    r = admin_api.delete(f"/api/iam/staff/{agent.pk}")
    assert r.status_code == 200 and r.json()["status"] == "left"
    assert Staff.objects.filter(pk=agent.pk).exists()


def test_reset_password_follows_the_policy_and_unlocks(admin_api, agent):
    from kefu.core import clock

    Staff.objects.filter(pk=agent.pk).update(locked_until=clock.now().replace(year=2099), failed_logins=3)
    assert admin_api.get(f"/api/iam/staff/{agent.pk}").json()["locked"] is True
    r = admin_api.post(f"/api/iam/staff/{agent.pk}/reset-password", {"password": "short1"})
    assert r.status_code == 400 and r.json()["code"] == "weak_password"
    r = admin_api.post(f"/api/iam/staff/{agent.pk}/reset-password", {"password": "Fresh2026pass"})
    assert r.status_code == 200 and r.json()["locked"] is False
    agent.refresh_from_db()
    assert agent.check_password("Fresh2026pass")
    assert AuditEntry.objects.filter(object_id=str(agent.pk), changes__password=["***", "***"]).exists()


def test_unlock(admin_api, agent):
    from kefu.core import clock

    Staff.objects.filter(pk=agent.pk).update(locked_until=clock.now().replace(year=2099))
    r = admin_api.post(f"/api/iam/staff/{agent.pk}/unlock")
    assert r.status_code == 200 and r.json()["locked"] is False
    assert AuditEntry.objects.filter(action="unlock", object_id=str(agent.pk)).exists()


class TestScope:
    """A city-branch supervisor sees and edits only their own branch."""

    def test_list_holds_only_the_own_branch(self, gz_sup, agent, other_agent):
        nos = [s["employee_no"] for s in api_for(gz_sup).get("/api/iam/staff").json()["items"]]
        assert "gz001" in nos and "sz001" not in nos

    @pytest.mark.parametrize(("method", "suffix", "body"), [
        ("get", "", None), ("patch", "", {"phone": "1"}), ("delete", "", None),
        ("post", "/status", {"status": "left"}), ("post", "/reset-password", {"password": "Fresh2026pass"}),
        ("post", "/unlock", {}), ("get", "/grants", None), ("get", "/effective", None),
    ])
    def test_another_branch_is_404(self, gz_sup, other_agent, method, suffix, body):
        client = api_for(gz_sup)
        url = f"/api/iam/staff/{other_agent.pk}{suffix}"
        r = getattr(client, method)(url) if body is None else getattr(client, method)(url, body)
        assert r.status_code == 404, r.content
        other_agent.refresh_from_db()
        assert other_agent.status == "active" and other_agent.phone == ""

    def test_cannot_create_in_another_branch(self, gz_sup, other_city):
        r = api_for(gz_sup).post("/api/iam/staff", dict(GOOD, org_id=other_city.pk))
        assert r.status_code == 400 and r.json()["code"] == "org_not_found"

    def test_cannot_move_someone_to_another_branch(self, gz_sup, agent, other_city):
        r = api_for(gz_sup).patch(f"/api/iam/staff/{agent.pk}", {"org_id": other_city.pk})
        assert r.status_code == 400
        agent.refresh_from_db()
        assert agent.org.code == "GZ"

    def test_team_and_temporary_holders_of_another_branch_are_unknown(self, gz_sup, other_agent, other_city):
        from kefu.iam.services.teams import team_create

        sz_team = team_create(actor="test", name="深圳一班", org=other_city)
        client = api_for(gz_sup)
        assert client.get(f"/api/iam/teams/{sz_team.pk}").status_code == 404
        assert client.post(f"/api/iam/teams/{sz_team.pk}/members", {"staff_id": other_agent.pk}).status_code == 404
        r = client.post("/api/iam/temporary", {"reason": "x", "codes": ["iam.team.view"],
                                               "holder_employee_nos": ["sz001"], "ends_at": "2099-01-01T00:00:00Z"})
        assert r.status_code == 400 and r.json()["details"]["unknown"] == ["sz001"]
