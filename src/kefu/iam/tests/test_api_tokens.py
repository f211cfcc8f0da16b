"""API tokens: shown once, hashed at rest, act with their person's permissions, revocable."""

import hashlib
from datetime import timedelta

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.testing import JsonClient, make_staff
from kefu.iam.models import ApiToken
from kefu.iam.services.roles import staff_revoke
from kefu.iam.services.tokens import api_token_create

from .conftest import api_for


def test_token_is_shown_once_and_only_its_hash_is_stored(province):
    person = make_staff(org=province, perms=["iam.token.manage", "iam.team.view"])
    client = api_for(person)
    r = client.post("/api/iam/tokens", {"name": "BOSS 网关"})
    assert r.status_code == 201
    secret = r.json()["token"]
    assert secret.startswith("kefu_" + r.json()["prefix"] + "_") and len(secret) > 40
    row = ApiToken.objects.get(pk=r.json()["id"])
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=row.pk).values().first())
    listed = client.get("/api/iam/tokens").json()["items"]
    assert listed[0]["prefix"] == row.prefix and "token" not in listed[0]
    entry = AuditEntry.objects.get(action="create", object_type="iam.apitoken")
    assert secret not in str(entry.changes) and secret.split("_", 2)[2] not in str(entry.changes)


def test_token_acts_with_the_persons_current_permissions_and_stops_when_revoked(province):
    person = make_staff(org=province, perms=["iam.token.manage", "iam.team.view"])
    _token, secret = api_token_create(actor=person, name="x")
    bearer = JsonClient(token=secret)
    assert bearer.get("/api/iam/teams").status_code == 200
    assert bearer.get("/api/iam/roles").status_code == 403
    assert bearer.get("/api/iam/me").json()["employee_no"] == person.employee_no
    staff_revoke(actor="test", staff=person, codes=["iam.team.view"])
    assert bearer.get("/api/iam/teams").status_code == 403
    api_for(person).post(f"/api/iam/tokens/{_token.pk}/revoke")
    assert bearer.get("/api/iam/me").status_code == 401


def test_wrong_or_expired_tokens_are_401(province):
    person = make_staff(org=province, perms=["iam.token.manage"])
    token, secret = api_token_create(actor=person, name="x", expires_at=clock.now() + timedelta(days=1))
    assert JsonClient(token=secret[:-2] + "zz").get("/api/iam/me").status_code == 401
    assert JsonClient(token="kefu_nonsense").get("/api/iam/me").status_code == 401
    clock.advance(timedelta(days=2))
    assert JsonClient(token=secret).get("/api/iam/me").status_code == 401


def test_others_tokens_need_manage_all(province, city):
    owner = make_staff(org=city, perms=["iam.token.manage"])
    token, _secret = api_token_create(actor=owner, name="x")
    peer = make_staff(org=province, perms=["iam.token.manage"])
    assert api_for(peer).post(f"/api/iam/tokens/{token.pk}/revoke").status_code == 404
    assert api_for(peer).get("/api/iam/tokens", {"everyone": True}).json()["count"] == 0
    assert api_for(peer).post("/api/iam/tokens", {"name": "y", "staff_id": owner.pk}).status_code == 403
    manager = make_staff(org=province, perms=["iam.token"])
    assert api_for(manager).get("/api/iam/tokens", {"everyone": True}).json()["count"] == 1
    assert api_for(manager).post(f"/api/iam/tokens/{token.pk}/revoke").json()["revoked_at"]


def test_a_token_for_someone_else_needs_all_of_their_permissions(province):
    manager = make_staff(org=province, perms=["iam.token"])
    powerful = make_staff(org=province, perms=["audit.log.view"])
    r = api_for(manager).post("/api/iam/tokens", {"name": "y", "staff_id": powerful.pk})
    assert r.status_code == 403 and r.json()["code"] == "not_delegable"
    modest = make_staff(org=province, perms=["iam.token.manage"])
    r = api_for(manager).post("/api/iam/tokens", {"name": "y", "staff_id": modest.pk})
    assert r.status_code == 201 and r.json()["staff"] == modest.employee_no


def test_expiry_in_the_past_is_400(province):
    person = make_staff(org=province, perms=["iam.token.manage"])
    r = api_for(person).post("/api/iam/tokens", {"name": "x", "expires_at": "2001-01-01T00:00:00Z"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_expiry"
