"""Every iam endpoint: anonymous → 401, without the permission → 403, with it → 2xx.

One table drives the three checks, so a new endpoint without a row here is
easy to spot next to ``core/tests/test_access_everywhere.py``.
"""

import pytest

from kefu.core.testing import TEST_PASSWORD, make_staff
from kefu.iam.services.tokens import api_token_create

from .conftest import api_for

# method, path, permission (None = any logged-in person), body
ENDPOINTS = [
    ("get", "/api/iam/staff", "iam.staff.view", None),
    ("post", "/api/iam/staff", "iam.staff.create",
     {"employee_no": "new001", "name": "新人", "password": "Kefu2026pass", "org_id": "{city}"}),
    ("get", "/api/iam/staff/{agent}", "iam.staff.view", None),
    ("patch", "/api/iam/staff/{agent}", "iam.staff.edit", {"phone": "13800138000"}),
    ("delete", "/api/iam/staff/{agent}", "iam.staff.edit", None),
    ("post", "/api/iam/staff/{agent}/status", "iam.staff.edit", {"status": "on_leave"}),
    ("post", "/api/iam/staff/{agent}/reset-password", "iam.staff.reset_password", {"password": "Reset2026pass"}),
    ("post", "/api/iam/staff/{agent}/unlock", "iam.staff.reset_password", {}),
    ("put", "/api/iam/staff/{agent}/skills/{skill}", "iam.skill.edit", {"level": 7}),
    ("delete", "/api/iam/staff/{agent}/skills/{skill}", "iam.skill.edit", None),
    ("get", "/api/iam/staff/{agent}/grants", "iam.grant.view", None),
    ("post", "/api/iam/staff/{agent}/grants/grant", "iam.grant.edit", {"codes": ["iam.grant.edit"]}),
    ("post", "/api/iam/staff/{agent}/grants/revoke", "iam.grant.edit", {"codes": ["iam.grant.edit"]}),
    ("put", "/api/iam/staff/{agent}/grants", "iam.grant.edit", {"codes": ["iam.grant.edit"]}),
    ("get", "/api/iam/staff/{agent}/effective", "iam.grant.view", None),
    ("get", "/api/iam/permissions", "iam.grant.view", None),
    ("get", "/api/iam/roles", "iam.role.view", None),
    ("post", "/api/iam/roles", "iam.role.edit", {"name": "新角色"}),
    ("get", "/api/iam/roles/{role}", "iam.role.view", None),
    ("patch", "/api/iam/roles/{role}", "iam.role.edit", {"name": "坐席"}),
    ("delete", "/api/iam/roles/{role}", "iam.role.edit", None),
    ("get", "/api/iam/roles/{role}/grants", "iam.grant.view", None),
    ("post", "/api/iam/roles/{role}/grants/grant", "iam.grant.edit", {"codes": ["iam.grant.edit"]}),
    ("post", "/api/iam/roles/{role}/grants/revoke", "iam.grant.edit", {"codes": ["iam.grant.edit"]}),
    ("put", "/api/iam/roles/{role}/grants", "iam.grant.edit", {"codes": ["iam.grant.edit"]}),
    ("post", "/api/iam/grants/batch", "iam.grant.edit", {"codes": ["iam.grant.edit"], "role_ids": ["{role}"]}),
    ("get", "/api/iam/teams", "iam.team.view", None),
    ("post", "/api/iam/teams", "iam.team.edit", {"name": "二班", "org_id": "{city}"}),
    ("get", "/api/iam/teams/{team}", "iam.team.view", None),
    ("patch", "/api/iam/teams/{team}", "iam.team.edit", {"name": "广州二班"}),
    ("delete", "/api/iam/teams/{team}", "iam.team.edit", None),
    ("get", "/api/iam/teams/{team}/members", "iam.team.view", None),
    ("post", "/api/iam/teams/{team}/members", "iam.team.edit", {"staff_id": "{spare}"}),
    ("delete", "/api/iam/teams/{team}/members/{agent}", "iam.team.edit", None),
    ("get", "/api/iam/skill-groups", "iam.skill.view", None),
    ("post", "/api/iam/skill-groups", "iam.skill.edit", {"code": "billing", "name": "话费账单"}),
    ("get", "/api/iam/skill-groups/{skill}", "iam.skill.view", None),
    ("patch", "/api/iam/skill-groups/{skill}", "iam.skill.edit", {"name": "VIP 服务"}),
    ("delete", "/api/iam/skill-groups/{skill}", "iam.skill.edit", None),
    ("get", "/api/iam/skill-groups/{skill}/members", "iam.skill.view", None),
    ("post", "/api/iam/skill-groups/{skill}/members", "iam.skill.edit",
     {"members": [{"staff_id": "{spare}", "level": 9}]}),
    ("delete", "/api/iam/skill-groups/{skill}/members/{agent}", "iam.skill.edit", None),
    ("get", "/api/iam/temporary", "iam.temporary.view", None),
    ("post", "/api/iam/temporary", "iam.temporary.edit",
     {"reason": "夜班", "codes": ["iam.temporary.edit"], "holder_employee_nos": ["gz001"],
      "ends_at": "2099-01-01T00:00:00+08:00"}),
    ("get", "/api/iam/temporary/{temporary}", "iam.temporary.view", None),
    ("patch", "/api/iam/temporary/{temporary}", "iam.temporary.edit", {"reason": "顶班（延长）"}),
    ("post", "/api/iam/temporary/{temporary}/revoke", "iam.temporary.edit", {}),
    ("get", "/api/iam/tokens", "iam.token.manage", None),
    ("post", "/api/iam/tokens", "iam.token.manage", {"name": "BOSS 网关"}),
    ("post", "/api/iam/tokens/{token}/revoke", "iam.token.manage", {}),
    ("get", "/api/iam/me", None, None),
    ("post", "/api/iam/me/password", None, {"old_password": TEST_PASSWORD, "new_password": "Another2026x"}),
]


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _call(client, method, path, body):
    if method in ("get", "delete"):
        return getattr(client, method)(path)
    return getattr(client, method)(path, body)


@pytest.fixture
def world(city, role, team, skill, agent, temporary):
    spare = make_staff(org=city, employee_no="gz002", name="王备用")
    return {"city": city.pk, "role": role.pk, "team": team.pk, "skill": skill.pk, "agent": agent.pk,
            "temporary": temporary.pk, "spare": spare.pk}


@pytest.mark.parametrize(("method", "path", "perm", "body"), ENDPOINTS,
                         ids=[f"{m} {p}" for m, p, _perm, _b in ENDPOINTS])
def test_denied_then_allowed(method, path, perm, body, world, province, anon_api, nobody_api, staff_factory):
    caller = staff_factory(*([perm] if perm else []), org=province, employee_no="caller")
    token, _secret = api_token_create(actor=caller, name="mine", staff=caller)
    ids = dict(world, token=token.pk)
    url, payload = path.format(**ids), _fill(body, ids)

    assert _call(anon_api, method, url, payload).status_code == 401
    if perm is not None:
        r = _call(nobody_api, method, url, payload)
        assert r.status_code == 403, r.content
        assert r.json()["code"] == "permission_denied"
    r = _call(api_for(caller), method, url, payload)
    assert 200 <= r.status_code < 300, r.content


def test_every_iam_operation_is_in_the_table():
    from kefu.iam.api import router

    declared = {(m.lower(), p) for m, p, _perm, _b in ENDPOINTS}
    found = set()
    for path, path_view in router.path_operations.items():
        for op in path_view.operations:
            for m in op.methods:
                found.add((m.lower(), "/api/iam" + path.replace("{int:", "{")))
    missing = {(m, p) for m, p in found if not any(m == dm and _same_shape(p, dp) for dm, dp in declared)}
    assert not missing, f"endpoints without a denial test: {sorted(missing)}"


def _same_shape(a: str, b: str) -> bool:
    pa, pb = a.split("/"), b.split("/")
    return len(pa) == len(pb) and all(x == y or (x.startswith("{") and y.startswith("{")) for x, y in zip(pa, pb, strict=True))
