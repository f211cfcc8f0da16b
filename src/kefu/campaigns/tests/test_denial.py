"""Without the right permission every door of the campaigns is closed (403 in the API, the forbidden page)."""

import pytest

from kefu.core.testing import JsonClient, client_for

from .support import make_campaign

API = "/api/campaigns"


@pytest.mark.parametrize("method,path", [
    ("get", "/campaigns"), ("post", "/campaigns"), ("get", "/campaigns/{id}"), ("put", "/campaigns/{id}"),
    ("post", "/campaigns/{id}/start"), ("post", "/campaigns/{id}/pause"), ("post", "/campaigns/{id}/stop"),
    ("get", "/campaigns/{id}/targets"), ("get", "/campaigns/{id}/dashboard"), ("get", "/campaigns/{id}/results.csv"),
    ("post", "/campaigns/{id}/imports/query"), ("get", "/dnc"), ("post", "/dnc"), ("delete", "/dnc/1"),
])
def test_api_denied_without_permission(world, method, path):
    campaign = make_campaign(world)
    api = JsonClient(client_for(world.nobody))
    r = getattr(api, method)(API + path.replace("{id}", str(campaign.pk)), *([{}] if method in ("post", "put") else []))
    assert r.status_code == 403, (path, r.status_code)
    assert r.json()["code"] == "permission_denied"


@pytest.mark.parametrize("path", ["/campaigns/", "/campaigns/new/", "/campaigns/{id}/", "/campaigns/{id}/edit/",
                                  "/campaigns/{id}/import/", "/campaigns/{id}/dashboard/",
                                  "/campaigns/{id}/results.csv", "/campaigns/dnc/"])
def test_pages_denied_without_permission(world, path):
    campaign = make_campaign(world)
    r = client_for(world.nobody).get(path.replace("{id}", str(campaign.pk)))
    assert r.status_code == 403


def test_starting_needs_the_run_permission(world):
    from kefu.core.testing import make_staff

    campaign = make_campaign(world)
    viewer = make_staff(org=world.province, perms=["campaigns.campaign.view", "campaigns.campaign.edit"],
                        employee_no="V1")
    assert JsonClient(client_for(viewer)).post(f"{API}/campaigns/{campaign.pk}/start").status_code == 403
    assert client_for(viewer).post(f"/campaigns/{campaign.pk}/start/").status_code == 403
